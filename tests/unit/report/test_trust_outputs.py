"""Hostile cell outputs never reach a published page or PDF; the audit catches what would."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pikepdf
import pytest

from wres_utils.checks import audit
from wres_utils.report import pdffetch, render, safetext

ROOT = Path(__file__).resolve().parents[3]
EXTRACT = (ROOT / "data" / "example" / "2021" / "05G" / "workforce.csv").resolve()


def _hostile_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    texts = [
        f"<a rel='attachment' href='file://{EXTRACT}'>x</a>",
        "<link rel='attachment' href='file:///etc/passwd'>",
        "<style>.wres-banner{display:none}</style>",
        "North <img src=x onerror=alert(document.domain)> CCG",
        "<svg onload=alert(1)>",
        "[c](javascript:alert(1))",
        "<iframe src=//example.com></iframe>",
        "<script>alert(1)</script>",
    ]
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": t, "text/plain": "x"})
        for t in texts
    ]
    cell.outputs.append(
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": "<p onclick='x()'>hi</p><script>1</script>",
                "application/javascript": "alert(1)",
                "image/svg+xml": "<svg onload='alert(1)'></svg>",
            },
        )
    )
    nb.cells = [nbformat.v4.new_markdown_cell("## Section"), cell]
    nbformat.write(nb, path)
    return path


def test_hostile_outputs_render_to_a_safe_page_and_a_pdf_without_attachments(tmp_path):
    nb = _hostile_notebook(tmp_path / "nb.ipynb")
    html = render.report_html([nb], tmp_path / "report.html", "T", synthetic=True)
    page = html.read_text(encoding="utf-8")
    assert safetext.page_problems(page, render.our_styles(), render.our_scripts()) == []
    assert "wres-banner" in page and "display:none" not in page
    pdf = render.report_pdf(html, tmp_path / "report.pdf", "T")
    assert pdffetch.pdf_attachments(pdf) == []
    assert b"passwd" not in pdf.read_bytes()


def test_a_page_with_live_content_is_not_turned_into_a_pdf(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text(f"<html><body><a rel='attachment' href='file://{EXTRACT}'>x</a></body></html>")
    with pytest.raises(ValueError, match="refusing"):
        render.report_pdf(bad, tmp_path / "bad.pdf", "T")
    assert not (tmp_path / "bad.pdf").exists()


def test_the_pdf_fetcher_serves_only_what_the_package_ships():
    shipped = render.TEMPLATES_DIR
    assert pdffetch.is_allowed_url("data:text/plain,hi", shipped)
    assert pdffetch.is_allowed_url(render.CSS_PATH.resolve().as_uri(), shipped)
    assert not pdffetch.is_allowed_url(EXTRACT.as_uri(), shipped)
    assert not pdffetch.is_allowed_url("file:///etc/passwd", shipped)
    assert not pdffetch.is_allowed_url((shipped / ".." / "params.py").as_uri(), shipped)
    assert not pdffetch.is_allowed_url("https://example.com/x.css", shipped)
    fetcher = render._offline_fetcher()
    with pytest.raises(pdffetch.FetchRefused):
        fetcher.fetch("file:///etc/passwd")


def _pdf_with_attachment(path: Path) -> Path:
    pdf = pikepdf.Pdf.new()
    pdf.add_blank_page()
    pdf.attachments["workforce.csv"] = pikepdf.AttachedFileSpec(pdf, b"staff_id,ethnic_origin\n")
    pdf.save(path)
    return path


def test_audit_fails_on_a_pdf_with_an_attachment(tmp_path):
    year = tmp_path / "2021"
    (year / "05G").mkdir(parents=True)
    _pdf_with_attachment(year / "05G" / "report.pdf")
    rep = audit.audit_outputs(year)
    assert not rep.ok
    assert any("workforce.csv" in f.detail for f in rep.of_kind("attachment"))


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<p onmouseover="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://example.com"></iframe>',
        "<style>.wres-banner{display:none}</style>",
    ],
)
def test_audit_fails_on_html_with_live_content(tmp_path, snippet):
    year = tmp_path / "2021"
    year.mkdir()
    render.year_index(year, [], synthetic=True)
    index = year / "index.html"
    index.write_text(index.read_text().replace("</main>", snippet + "</main>"))
    rep = audit.audit_outputs(year)
    assert not rep.ok
    assert rep.of_kind("live_content"), rep.format()


def test_audit_passes_a_clean_index(tmp_path):
    year = tmp_path / "2021"
    year.mkdir()
    render.year_index(year, [], synthetic=True)
    assert audit.audit_outputs(year).of_kind("live_content") == []


def test_chart_text_from_params_is_text():
    """A label such as ``$\\frac{$`` (mathtext) or ``</text><script>`` (markup) is shown as
    typed: the SVG charts escape every string."""
    import pandas as pd

    from wres_utils.report import charts, svg

    label = "BME $\\frac{$ </text><script>x</script> staff"
    df = pd.DataFrame({"role": ["voting"], "value": [10.0], "display": ["10.0%"]})
    chart = charts.board_chart(df, label_bme=label, title=label)
    assert label in svg.svg_text(chart.svg)
    assert "<script" not in chart.svg


def _svg_img(body: str, doctype: str = "") -> str:
    import base64

    svg = (
        f'{doctype}<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="100">'
        f'<text x="5" y="20">shown</text>{body}</svg>'
    )
    return (
        f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" alt="x">'
    )


def test_an_svg_image_cannot_bring_other_files_into_the_pdf(tmp_path):
    """An SVG image (allowed since the charts are SVG) that refers to a file or a URL: the
    PDF fetcher serves data: URLs and the package's own files only, so nothing it refers to
    is read. With WeasyPrint's default fetcher the same page does read the file (control)."""
    import weasyprint
    from pypdf import PdfReader

    secret = tmp_path / "secret.svg"
    secret.write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='40'>"
        "<text id='t' x='5' y='20'>SECRETMARKER</text></svg>"
    )
    (tmp_path / "secret.txt").write_text("SECRETMARKER")
    entity = f'<!DOCTYPE svg [<!ENTITY x SYSTEM "{(tmp_path / "secret.txt").as_uri()}">]>'
    images = [
        _svg_img(f'<image href="{secret.as_uri()}" width="200" height="40"/>'),
        _svg_img(f'<use href="{secret.as_uri()}#t" y="50"/>'),
        _svg_img('<image xlink:href="file:///etc/passwd" width="20" height="20"/>'),
        _svg_img(f'<image href="{EXTRACT.as_uri()}" width="20" height="20"/>'),
        _svg_img('<image href="https://example.com/x.png" width="20" height="20"/>'),
        _svg_img("<text y='60'>&x;</text>", doctype=entity),
    ]
    page = tmp_path / "page.html"
    csp = safetext.content_security_policy()
    head = f'<head><meta http-equiv="Content-Security-Policy" content="{csp}"></head>'
    page.write_text(f"<html>{head}<body>{''.join(images)}</body></html>", encoding="utf-8")

    def text_of(pdf: Path) -> str:
        return "".join(p.extract_text() for p in PdfReader(pdf).pages)

    pdf = render.report_pdf(page, tmp_path / "page.pdf", "T")
    text = text_of(pdf)
    assert "shown" in text  # the SVG images are drawn ...
    assert "SECRETMARKER" not in text and "root:" not in text  # ... without what they refer to
    assert b"root:" not in pdf.read_bytes() and b"staff_id" not in pdf.read_bytes()
    control = tmp_path / "control.pdf"
    weasyprint.HTML(filename=page).write_pdf(control)
    assert "SECRETMARKER" in text_of(control)
