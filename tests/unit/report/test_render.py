"""Rendering: executed notebooks to accessible, self-contained HTML and PDF, and the index.

One notebook is executed for real (nbclient, kernel python3) and calls charts.show and
tables.show_table; a second one is built with fake outputs. The report is rendered once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from wres_utils.report import charts, reader, render, tables

TITLE = "WRES 2021: Example Trust"

CHAPTER_A = [
    new_code_cell('unit = "DEFAULT"', metadata={"tags": ["parameters"]}),
    new_code_cell('unit = "RXX"', metadata={"tags": ["injected-parameters"]}),
    new_markdown_cell(
        "## Workforce\n\nThe share of staff by pay band. See the "
        "[WRES guidance](https://www.england.nhs.uk/about/equality/) for definitions."
    ),
    new_code_cell(
        "import sys\n"
        "import numpy as np\n"
        "import pandas as pd\n"
        "from wres_utils.report import charts, tables\n"
        "df = pd.DataFrame({'band': ['Band 5', 'Band 6', 'VSM'], 'clinical': 'clinical',\n"
        "                   'value': [24.1, np.nan, 9.0], 'display': ['24.1%', '[c]', '9.0%']})\n"
        "charts.show(charts.bme_share_by_band(df, 'BME', 'BME share of each pay band'))\n"
        "tables.show_table(df[['band', 'display']], 'Shares by band', note='All staff.')\n"
        "print('SECRET_STDERR_LINE', file=sys.stderr)"
    ),
    new_markdown_cell("### Notes\n\nA sub-section."),
]


def _html_output(html: str):
    return new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})


def _chapter_b() -> nbformat.NotebookNode:
    """A notebook with fake outputs, '#' headings (to be demoted) and a bare PNG output."""
    import numpy as np
    import pandas as pd

    rl = pd.DataFrame(
        {
            "year": [2020, 2021],
            "value": [1.4, np.nan],
            "ci_low": [1.1, np.nan],
            "ci_high": [1.9, np.nan],
            "display": ["1.40", "[c]"],
        }
    )
    chart = charts.relative_likelihood_chart(rl, "Appointment from shortlisting")
    # a bare PNG output (a one-pixel picture), as a plotting library would display
    png_b64 = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
        "rkJggg=="
    )

    nb = new_notebook()
    nb.cells = [
        new_code_cell("year = 2021", metadata={"tags": ["parameters"]}),
        new_markdown_cell("# Recruitment\n\nText.\n\n```\n# not a heading\n```\n\n## Notes"),
        new_code_cell(
            "charts.show(...)", outputs=[_html_output(charts.chart_html(chart))], execution_count=1
        ),
        new_code_cell(
            "display(png)",
            execution_count=2,
            outputs=[
                new_output(
                    "display_data",
                    data={"image/png": png_b64, "text/plain": "<Fig>"},
                    metadata={"image/png": {"alt": "A chart with its own alt text"}},
                )
            ],
        ),
        new_markdown_cell("# Notes\n\nA second 'Notes' heading: its id must differ."),
    ]
    charts.close(chart)
    return nb


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    from nbclient import NotebookClient

    d = tmp_path_factory.mktemp("render")
    nb_a = new_notebook()
    nb_a.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb_a.cells = [nbformat.from_dict(c) for c in CHAPTER_A]
    NotebookClient(
        nb_a, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(d)}}
    ).execute()
    unit = d / "2021" / "example-trust"
    (unit / "notebooks").mkdir(parents=True)
    a = unit / "notebooks" / "01_workforce.ipynb"
    b = unit / "notebooks" / "02_recruitment.ipynb"
    nbformat.write(nb_a, a)
    nbformat.write(_chapter_b(), b)
    out = {"a": a, "b": b, "unit": unit, "year": d / "2021"}
    out["a_html"] = render.notebook_to_html(a, a.with_suffix(".html"), f"{TITLE} - Workforce", True)
    out["b_html"] = render.notebook_to_html(
        b, b.with_suffix(".html"), f"{TITLE} - Recruitment", False
    )
    out["html"] = render.report_html([a, b], unit / "report.html", TITLE, True)
    out["pdf"] = render.report_pdf(out["html"], unit / "report.pdf", TITLE)
    out["index"] = render.year_index(
        d / "2021", [("example-trust", "Example Trust"), ("absent", "Absent Trust")], True
    )
    return out


class _Page(HTMLParser):
    """Collect the tags, attributes and heading texts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str, str]] = []
        self._h: tuple[str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._h, self._text = (tag, dict(attrs).get("id") or ""), ""

    def handle_data(self, data):
        if self._h:
            self._text += data

    def handle_endtag(self, tag):
        if self._h and tag == self._h[0]:
            self.headings.append((*self._h, self._text.strip()))
            self._h = None

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def _parse(path: Path) -> tuple[str, _Page]:
    text = path.read_text(encoding="utf-8")
    p = _Page()
    p.feed(text)
    return text, p


def _check_accessible_page(path: Path) -> _Page:
    text, page = _parse(path)
    assert page.all("html")[0].get("lang") == "en-GB"
    assert len(page.all("h1")) == 1
    for img in page.all("img"):
        assert (img.get("alt") or "").strip(), f"an <img> without alt text in {path.name}"
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for a in page.all(tag):
            assert not re.match(r"https?://", a.get(attr) or ""), (
                f"<{tag} {attr}> loads from the web"
            )
    # one script only: the reader controls', inlined exactly as hashed for the CSP
    assert page.all("script") == [{}], "no script but the reader controls' (inline, no src)"
    assert re.findall(r"<script>(.*?)</script>", text, re.S) == [reader.script_text()]
    assert not page.all("link"), "CSS is inlined"
    assert "@import" not in text and "url(http" not in text
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    for a in page.all("a"):
        href = a.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, f"link {href} has no target"
    return page


def test_report_html_is_accessible_and_self_contained(built):
    page = _check_accessible_page(built["html"])
    h1 = [h for h in page.headings if h[0] == "h1"]
    assert h1 == [("h1", "report-title", TITLE)]
    assert page.all("title") and TITLE in built["html"].read_text(encoding="utf-8")
    imgs = page.all("img")
    assert len(imgs) == 3
    srcs = sorted((i.get("src") or "")[:26] for i in imgs)
    # the two charts as SVG images, the bare PNG output as it was
    assert srcs == ["data:image/png;base64,iVBO"] + ["data:image/svg+xml;base64,"] * 2
    alts = [i["alt"] for i in imgs]
    assert any("BME share of each pay band" in a and "[c]" in a for a in alts)
    assert "A chart with its own alt text" in alts
    # the plain text link in the narrative is kept
    assert any(
        (a.get("href") or "").startswith("https://www.england.nhs.uk") for a in page.all("a")
    )


def test_report_headings_and_contents(built):
    _, page = _parse(built["html"])
    sections = [(lvl, text) for lvl, _, text in page.headings if lvl in ("h2", "h3")]
    assert sections == [
        ("h2", "Contents"),
        ("h2", "Workforce"),
        ("h3", "Notes"),
        ("h2", "Recruitment"),  # '#' demoted to h2 ...
        ("h3", "Notes"),  # ... and '##' to h3
        ("h2", "Notes"),
    ]
    navs = page.all("nav")
    assert len(navs) == 1 and navs[0].get("aria-label") == "Contents"
    text = built["html"].read_text(encoding="utf-8")
    nav = text[text.index("<nav") : text.index("</nav>")]
    targets = re.findall(r'href="#([^"]+)"', nav)
    h2_ids = [hid for lvl, hid, t in page.headings if lvl == "h2" and t != "Contents"]
    assert targets == h2_ids and len(targets) == 3
    assert "# not a heading" in text  # fenced code is left alone


def test_report_hides_code_prompts_parameters_and_stderr(built):
    text = built["html"].read_text(encoding="utf-8")
    text = re.sub(r"data:image/[a-z+]+;base64,[^\"]+", "", text)  # base64 can spell anything
    assert "charts.show" not in text and "import numpy" not in text
    assert "DEFAULT" not in text and "RXX" not in text
    assert "In&nbsp;[" not in text and "Out[" not in text
    assert "SECRET_STDERR_LINE" not in text
    assert "¶" not in text and "anchor-link" not in text.split("</style>")[1]


def test_synthetic_banner_toggle(built):
    with_banner = built["a_html"].read_text(encoding="utf-8")
    without = built["b_html"].read_text(encoding="utf-8")
    banner = 'class="wres-banner wres-banner-top"'
    assert banner in with_banner and "SYNTHETIC DATA" in with_banner
    assert banner not in without and "SYNTHETIC DATA" not in without


def test_single_notebook_html(built):
    page = _check_accessible_page(built["a_html"])
    assert [h[2] for h in page.headings if h[0] == "h1"] == [f"{TITLE} - Workforce"]
    _check_accessible_page(built["b_html"])
    assert "<nav" in built["b_html"].read_text(encoding="utf-8")  # two h2 sections
    assert "<nav" not in built["a_html"].read_text(encoding="utf-8")  # one: no contents
    text = built["a_html"].read_text(encoding="utf-8")
    assert "Shares by band" in text and 'scope="row"' in text
    assert tables.SUPPRESSED_NOTE in text


def test_combine_notebooks(built):
    nb = render.combine_notebooks([built["a"], built["b"]], TITLE)
    nbformat.validate(nb)
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    assert not any(t & {"parameters", "injected-parameters"} for t in tags)
    ids = [c.id for c in nb.cells]
    assert len(set(ids)) == len(ids)
    assert ids == [c.id for c in render.combine_notebooks([built["a"], built["b"]], TITLE).cells]
    starts = [i for i, t in enumerate(tags) if render.SECTION_TAG in t]
    assert starts == [0, 3]  # the first kept cell of each notebook
    assert nb.cells[3].source.startswith("## Recruitment")
    assert nb.cells[0].source.startswith("## Workforce")  # no '#' in that notebook: unchanged
    assert any(
        o.get("output_type") == "display_data" for c in nb.cells[:2] for o in c.get("outputs", [])
    )
    assert nb.metadata["title"] == TITLE


def test_demote_headings():
    src = "# A\ntext # not\n## B\n```\n# code\n```\n###### F\n#no-space"
    assert (
        render.demote_headings(src)
        == "## A\ntext # not\n### B\n```\n# code\n```\n###### F\n#no-space"
    )


def test_report_pdf(built):
    import pikepdf
    from pypdf import PdfReader

    reader = PdfReader(built["pdf"])
    assert len(reader.pages) >= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    for heading in ("Workforce", "Recruitment", TITLE):
        assert heading in text
    assert re.search(r"Page 1 of \d+", text)
    assert reader.metadata.title == TITLE
    assert str(reader.trailer["/Root"]["/Lang"]) == "en-GB"

    def titles(outline):
        for o in outline:
            yield from titles(o) if isinstance(o, list) else [o.title]

    assert {"Workforce", "Recruitment"} <= set(titles(reader.outline))
    # page 1 holds the title, the contents and the first section; the others start new pages
    first_lines = [p.extract_text().lstrip().splitlines()[0] for p in reader.pages]
    assert "Recruitment" in first_lines and "Workforce" not in first_lines
    assert "Workforce" in reader.pages[0].extract_text()
    with pikepdf.open(built["pdf"]) as pdf:
        assert pdf.Root.MarkInfo.Marked
        figures = [
            o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"
        ]
        alts = [str(o.get("/Alt", "")) for o in figures]
        assert len(alts) >= 3 and all(alts)
        assert any("BME share of each pay band" in a for a in alts)


def test_year_index(built):
    page = _check_accessible_page(built["index"])
    hrefs = [a.get("href") for a in page.all("a")]
    assert "example-trust/report.html" in hrefs
    assert "example-trust/report.pdf" in hrefs
    assert "example-trust/notebooks/01_workforce.html" in hrefs
    for h in hrefs:
        assert not h.startswith(("/", "http", "file:"))
        assert (built["index"].parent / h).exists()
    text = built["index"].read_text(encoding="utf-8")
    assert "Absent Trust" in text and "not produced" in text
    assert ">Workforce</a>" in text  # the chapter's title without the report title prefix
    assert "SYNTHETIC DATA" in text
    assert "WRES 2021 reports" in text


def test_pdf_fetcher_never_reads_the_web():
    fetcher = render._offline_fetcher()
    with pytest.raises(ValueError, match="not fetched"):
        fetcher.fetch("https://example.invalid/image.png")


def test_report_pdf_from_relative_paths(built, tmp_path, monkeypatch):
    """`wres run` from the repository passes paths relative to it (reports/...): the PDF's
    base URL must still be a file URI (a relative path cannot be one)."""
    import shutil

    shutil.copy(built["html"], tmp_path / "report.html")
    monkeypatch.chdir(tmp_path)
    out = render.report_pdf(Path("report.html"), Path("out") / "report.pdf", TITLE)
    assert Path(out).read_bytes().startswith(b"%PDF")


def test_a_commissioning_units_report_keeps_its_link_to_the_commissioners_view(tmp_path):
    """The summary's link to providers.html survives the sanitiser in the report and, one
    folder down, in the chapter page (then ../providers.html); other relative links do not."""
    from wres_utils.report import summary

    nb = new_notebook()
    link = summary.PROVIDERS_LINK.format(name="Joint CCGs")
    nb.cells = [
        new_markdown_cell("## Summary"),
        new_code_cell("x", outputs=[_html_output(link + '<a href="../secret.csv">s</a>')]),
    ]
    path = tmp_path / "notebooks" / "00_summary.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    report = render.report_html([path], tmp_path / "report.html", TITLE, False).read_text()
    chapter = render.notebook_to_html(path, path.with_suffix(".html"), TITLE, False).read_text()
    assert 'href="providers.html"' in report and 'href="../providers.html"' in chapter
    assert "secret.csv" not in report and "secret.csv" not in chapter


def test_a_page_found_clean_is_not_parsed_again_and_live_content_is_always_refused(
    tmp_path, monkeypatch
):
    """report.html is checked when written and again when printed: the second check of the
    same text is remembered; any other text (a changed byte) is checked."""
    calls = []
    real = render.safetext.page_problems

    def counting(page, styles, scripts):
        calls.append(page)
        return real(page, styles, scripts)

    monkeypatch.setattr(render.safetext, "page_problems", counting)
    monkeypatch.setattr(render, "_CLEAN_PAGES", set())
    clean = render.page_html("Clean", "<p>figures</p>", synthetic=False)
    render._refuse_live_content(clean)
    render._refuse_live_content(clean)
    assert len(calls) == 1
    hostile = clean.replace("<p>figures</p>", "<p>figures</p><script>alert(1)</script>")
    for _ in range(2):
        with pytest.raises(ValueError, match="refusing"):
            render._refuse_live_content(hostile)
    assert len(calls) == 3  # a refused page is never remembered
    pdf = render.html_pdf(clean, tmp_path / "clean.pdf", "Clean")
    assert pdf.is_file() and len(calls) == 3
