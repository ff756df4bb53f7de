"""PDF accessibility checks: tagged, titled, en-GB, text in reading order, figures with alt text.

The PDF is the project's own (render.report_pdf, WeasyPrint pdf/ua-1) of a report rendered from
two notebooks with fake outputs; the counter-examples are WeasyPrint's default (untagged) PDF of
the same page and copies of the tagged PDF broken on purpose with pikepdf.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pikepdf
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from wres_utils.checks import pdfcheck
from wres_utils.report import charts, render, tables

TITLE = "WRES 2021: Example Trust"
HEADINGS = [TITLE, "Contents", "Workforce", "Notes", "Recruitment"]


def _html(html: str):
    return new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})


def _build(unit: Path) -> dict[str, Path]:
    nb_dir = unit / "notebooks"
    nb_dir.mkdir(parents=True)
    df = pd.DataFrame(
        {
            "band": ["Band 5", "Band 6", "VSM"],
            "clinical": "clinical",
            "value": [24.1, float("nan"), 9.0],
            "display": ["24.1%", "[c]", "9.0%"],
        }
    )
    chart = charts.bme_share_by_band(df, "BME", "BME share of each pay band")
    a = new_notebook()
    a.cells = [
        new_markdown_cell("## Workforce\n\nThe share of staff by pay band."),
        new_code_cell("charts.show(...)", outputs=[_html(charts.chart_html(chart))]),
        new_markdown_cell("### Notes\n\nA sub-section."),
    ]
    charts.close(chart)
    b = new_notebook()
    b.cells = [
        new_markdown_cell("## Recruitment\n\nShortlisting and appointments."),
        new_code_cell(
            "tables.show_table(...)",
            outputs=[_html(tables.html_table(df[["band", "display"]], "Shares by band"))],
        ),
    ]
    nbs = [nb_dir / "01_workforce.ipynb", nb_dir / "02_recruitment.ipynb"]
    nbformat.write(a, nbs[0])
    nbformat.write(b, nbs[1])
    html = render.report_html(nbs, unit / "report.html", TITLE, True)
    return {"html": html, "pdf": render.report_pdf(html, unit / "report.pdf", TITLE)}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    import weasyprint

    d = tmp_path_factory.mktemp("pdfcheck")
    out = _build(d / "example-trust")
    out["untagged"] = d / "untagged.pdf"
    weasyprint.HTML(filename=str(out["html"])).write_pdf(out["untagged"])  # default variant

    out["no_alt"] = d / "no_alt.pdf"
    out["meta"] = d / "meta.pdf"
    out["blank"] = d / "blank.pdf"
    with pikepdf.open(out["pdf"]) as pdf:
        for elem, _ in pdfcheck.struct_elements(pdf):
            if elem.get("/S") == "/Figure":
                del elem["/Alt"]
        pdf.save(out["no_alt"])
    with pikepdf.open(out["pdf"]) as pdf:
        pdf.Root.Lang = pikepdf.String("en")
        del pdf.Root["/ViewerPreferences"]
        del pdf.docinfo["/Title"]
        pdf.save(out["meta"])
    with pikepdf.open(out["pdf"]) as pdf:
        pdf.add_blank_page()
        pdf.save(out["blank"])
    return out


def test_rendered_pdf_passes(pdfs):
    assert pdfcheck.check_pdf(pdfs["pdf"], HEADINGS, title=TITLE) == []


def test_rendered_pdf_has_tags_and_figure_alt(pdfs):
    with pikepdf.open(pdfs["pdf"]) as pdf:
        types = [str(e.get("/S")) for e, _ in pdfcheck.struct_elements(pdf)]
        figures = [e for e, _ in pdfcheck.struct_elements(pdf) if e.get("/S") == "/Figure"]
        alts = [str(e.Alt) for e in figures]
    assert types[0] == "/Document"
    assert {"/H1", "/H2", "/H3", "/P", "/Table", "/TH", "/TD", "/L", "/Link"} <= set(types)
    assert len(figures) == 1 and alts[0].startswith("Horizontal bar chart: BME share")


def test_weasyprint_pdfua_shortfalls_are_the_known_ones(pdfs):
    """WeasyPrint 70 pdf/ua-1: what remains short of PDF/UA-1 (see pdfcheck's docstring).

    If this test fails because a shortfall disappeared, WeasyPrint improved: update the
    docstring of wres_utils.checks.pdfcheck and this test.
    """
    shortfalls = pdfcheck.pdfua_shortfalls(pdfs["pdf"])
    assert len(shortfalls) == 2, shortfalls
    assert shortfalls[0].startswith(
        "marked content neither in the structure tree nor an artifact (page margin boxes)"
    )
    assert shortfalls[0].endswith("item(s) on 3 page(s)")  # header, title, "Page N of M"
    assert shortfalls[1] == "1 caption(s) whose parent is not a Table or Figure"


def test_reading_order(pdfs):
    problems = pdfcheck.check_pdf(pdfs["pdf"], ["Recruitment", "Workforce", "Annex"])
    assert problems == [
        "heading 'Workforce' is out of reading order",
        "heading 'Annex' not found in the extracted text",
    ]


def test_untagged_pdf_is_reported(pdfs):
    problems = pdfcheck.check_pdf(pdfs["untagged"], HEADINGS, title=TITLE)
    assert "not a tagged PDF: /MarkInfo /Marked is not true" in problems
    assert "no structure tree (/StructTreeRoot missing)" in problems
    assert "no PDF/UA identifier in the XMP metadata (pdfuaid:part)" in problems
    assert "/ViewerPreferences /DisplayDocTitle is not true" in problems
    assert "no document title in the XMP metadata (dc:title)" in problems
    assert "page 1: tab order (/Tabs) is not the structure order /S" in problems
    # the text itself is still extractable and in order
    assert not any("heading" in p or "extractable" in p for p in problems)


def test_figure_without_alt_is_reported(pdfs):
    assert pdfcheck.check_pdf(pdfs["no_alt"], HEADINGS, title=TITLE) == [
        "figure 1 of the structure tree has no alternative text (/Alt)"
    ]


def test_language_and_title_are_checked(pdfs):
    problems = pdfcheck.check_pdf(pdfs["meta"], title=TITLE)
    assert problems == [
        "document language (/Lang) is 'en', not 'en-GB'",
        "no document title in the info dictionary (/Title)",
        "/ViewerPreferences /DisplayDocTitle is not true",
    ]
    wrong = pdfcheck.check_pdf(pdfs["pdf"], title="Another title")
    assert "document title (/Title) is 'WRES 2021: Example Trust', not 'Another title'" in wrong


def test_page_without_text_is_reported(pdfs):
    problems = pdfcheck.check_pdf(pdfs["blank"], HEADINGS, title=TITLE)
    assert problems == [f"page {len(pikepdf.open(pdfs['blank']).pages)}: no extractable text"]


def test_not_a_pdf(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    assert pdfcheck.check_pdf(bad)[0].startswith("cannot open x.pdf as a PDF")


def test_toc_headings_and_cli(pdfs, capsys):
    assert pdfcheck.toc_headings(pdfs["html"]) == ["Workforce", "Recruitment"]
    assert pdfcheck.main([str(pdfs["pdf"].parent)]) == 0
    out = capsys.readouterr().out
    assert "ok   " in out and "WeasyPrint PDF/UA shortfall, not failing" in out
    assert pdfcheck.main([str(pdfs["untagged"])]) == 1


# ------------------------------------------------------------------------------ print layout

LONG = "Paragraph of text that fills the page. " * 12


def _page(body: str) -> str:
    css = render.CSS_PATH.read_text(encoding="utf-8")
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>T</title>'
        f"<style>{css}</style></head><body><main>{body}</main></body></html>"
    )


def _pdf(tmp_path: Path, name: str, body: str, extra_css: str = "") -> Path:
    import weasyprint

    html = _page(body).replace("</style>", f"{extra_css}</style>")
    out = tmp_path / f"{name}.pdf"
    weasyprint.HTML(string=html).write_pdf(out, pdf_variant="pdf/ua-1")
    return out


def _filler(n: int) -> str:
    return "".join(f"<p>{LONG}</p>" for _ in range(n))


def test_layout_of_the_rendered_pdf_passes(pdfs):
    assert pdfcheck.layout_problems(pdfs["pdf"]) == []


def test_a_heading_at_the_foot_of_a_page_is_reported(tmp_path):
    """The report's stylesheet keeps a heading with what follows; without it (break-after
    allowed) the heading ends page 1 and its text starts page 2."""
    body = _filler(6) + "<h3>Stranded heading</h3><p>" + LONG + "</p>" + _filler(3)
    good = pdfcheck.layout_problems(_pdf(tmp_path, "kept", body))
    assert not any("heading" in p for p in good), good
    for n in range(1, 6):  # find the filler that puts the heading at the foot of page 1
        bad = _pdf(
            tmp_path,
            f"stranded{n}",
            _filler(6) + "<p>x</p>" * n + "<h3>Stranded heading</h3><p>" + LONG + "</p>",
            "h3 { break-after: auto !important; page-break-after: auto !important; }",
        )
        found = [p for p in pdfcheck.layout_problems(bad) if "heading" in p]
        if found:
            assert found == ["page 1: a heading (H3) is the last thing on the page"]
            break
    else:
        pytest.fail("no filler put the heading at the foot of a page")


def test_a_wrapped_footer_and_text_off_the_page_are_reported(tmp_path):
    wrapped = _pdf(
        tmp_path,
        "footer",
        _filler(2),
        "@page { @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); "
        "width: 12mm; white-space: normal; } }",
    )
    assert any(p.startswith("page 1: the footer wraps") for p in pdfcheck.layout_problems(wrapped))
    ok = pdfcheck.layout_problems(_pdf(tmp_path, "footer-ok", _filler(2)))
    assert not any("footer" in p for p in ok), ok

    cols = ["Organisation", "Rows read", "Unrecognised ethnic codes", "Duplicates"]
    wide = "".join(f'<th scope="col" style="white-space:nowrap">{c} {c} {c}</th>' for c in cols)
    cut = _pdf(tmp_path, "cut", f"<table><thead><tr>{wide}</tr></thead></table>" + _filler(2))
    assert any("text runs off the page" in p for p in pdfcheck.layout_problems(cut))


def test_a_nearly_blank_first_page_is_reported(tmp_path):
    blank = _pdf(
        tmp_path,
        "blank",
        "<h2>Title</h2><p>One line.</p>"
        + '<div style="break-before: page">'
        + _filler(2)
        + "</div>",
    )
    assert "page 1 is nearly blank" in " ".join(pdfcheck.layout_problems(blank))
    full = pdfcheck.layout_problems(_pdf(tmp_path, "full", _filler(8)))
    assert not any("blank" in p for p in full), full


def test_a_full_line_of_prose_is_not_text_off_the_page(tmp_path):
    """A justified line of prose fills the text width: its estimated end must stay on the
    page (the commissioner's table notes, 10.8 pt, were once reported as running off)."""
    prose = _pdf(tmp_path, "prose", _filler(3), "p { font-size: 11pt; text-align: justify; }")
    assert not any("runs off" in p for p in pdfcheck.layout_problems(prose))


def test_the_pdf_shows_the_symbol_and_its_legend_not_the_spoken_words(pdfs):
    """[c] is printed with its legend under the table; the visually hidden words that a
    screen reader hears in the HTML are left out of the PDF (print CSS)."""
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(pdfs["pdf"]).pages)
    text = " ".join(text.split())
    assert "[c]" in text
    # one legend line under each of the two tables that show [c] (the chart's data, the table)
    assert text.count("[c] withheld to protect confidentiality:") == 2
    assert "(withheld to protect confidentiality)" not in text
    assert "(withheld to protect confidentiality)" in pdfs["html"].read_text(encoding="utf-8")


def test_a_link_to_a_local_path_is_a_problem_and_the_report_keeps_links_relative(tmp_path):
    """A relative link printed with a base URL becomes a file: URL of the build folder (a dead
    link naming the machine's paths); the package's printer keeps it relative."""
    import weasyprint

    page = render.page_html(
        "Links", '<p><a href="action-plan.pdf">the plan</a></p>', synthetic=False
    )
    leaky = tmp_path / "leaky.pdf"
    weasyprint.HTML(string=page, base_url=(tmp_path / "build").as_uri() + "/").write_pdf(leaky)
    assert any("a link to 'file:" in p for p in pdfcheck._check_links(pikepdf.open(leaky)))
    ours = render.html_pdf(page, tmp_path / "ours.pdf", "Links")
    with pikepdf.open(ours) as pdf:
        uris = [str(a.A.URI) for p in pdf.pages for a in p.obj.get("/Annots", []) if "/A" in a]
        assert pdfcheck._check_links(pdf) == []
    assert uris == ["action-plan.pdf"]


def test_text_inside_a_chart_is_not_text_off_the_page(tmp_path):
    """An SVG chart is drawn 700 units wide and scaled to the page: its text, which pypdf
    reports in the chart's own coordinates, is not page text that runs off the page."""
    df = pd.DataFrame(
        {
            "role": ["voting", "executive", "all", "workforce"],
            "value": [95.5, 88.8, 91.1, 99.9],
            "display": ["95.5%", "88.8%", "91.1%", "99.9%"],
        }
    )
    chart = charts.board_chart(df, title="Board and workforce, a long title to the right edge")
    page = render.page_html("Chart", charts.chart_html(chart), synthetic=False)
    pdf = render.html_pdf(page, tmp_path / "chart.pdf", "Chart")
    assert not [p for p in pdfcheck.check_pdf(pdf) if "runs off the page" in p]
