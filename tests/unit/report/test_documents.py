"""The documents beside the report: the action plan (HTML and PDF) and the filled reporting
template as PDF. Same page chrome as the reports; the template's PDF holds exactly what its
workbook holds; text from action-plan files is text in both HTML and PDF, never markup."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader
from test_workbook import CONTEXT, PLAN, published_rows

from wres_utils.checks import pdfcheck
from wres_utils.core.actionplan import Action, ActionPlan
from wres_utils.core.catalogue import LEGEND
from wres_utils.report import documents, outputs, reader, render, safetext, tables, workbook

FULL_PLAN = ActionPlan(
    unit="AA1",
    year=2021,
    actions={
        "2": Action(
            taken="Diverse interview panels",
            planned="Audit shortlisting twice a year",
            owner="Head of Recruitment",
            due=date(2022, 3, 31),
            measure="The relative likelihood is within 0.80-1.25",
            finding="Indicator 2: appointment from shortlisting",
        ),
        "self_reporting": Action(taken="Asked every new starter", planned="Relaunch the form"),
    },
)
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 12
HOSTILE = {
    "taken": "<script>alert('taken')</script>",
    "planned": "<img src=x onerror=alert('planned')>",
    "owner": "[Director](javascript:alert('owner'))",
    "measure": "<a href=\"javascript:alert('measure')\">measure</a> ]]> <![CDATA[ x",
    "finding": LONG_WORD,
}
HOSTILE_PLAN = ActionPlan(
    unit="AA1", year=2021, actions={"1": Action(**HOSTILE, due=date(2022, 3, 31))}
)


def _text(s: str) -> str:
    return " ".join(s.split())


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _pdf_text(path: Path) -> str:
    return _text(" ".join(p.extract_text() or "" for p in PdfReader(path).pages))


@pytest.fixture(scope="module")
def rows():
    return published_rows()


@pytest.fixture(scope="module")
def written(rows, tmp_path_factory):
    folder = tmp_path_factory.mktemp("unit")
    paths = documents.write_documents(folder, rows, CONTEXT, FULL_PLAN)
    return folder, paths


def test_writes_the_four_documents_listed_for_readers(written):
    folder, paths = written
    names = [p.name for p in paths]
    assert names == ["wres-return.xlsx", "wres-return.pdf", "action-plan.html", "action-plan.pdf"]
    assert names == documents.file_names(pdf=True)
    assert documents.file_names(pdf=False) == ["wres-return.xlsx", "action-plan.html"]
    assert set(names) <= outputs.FILE_NAMES  # the publication page and the index list them
    assert all((folder / n).stat().st_size > 1000 for n in names)


def test_action_plan_page_has_the_reports_chrome_and_every_field(written):
    folder, _ = written
    source = (folder / "action-plan.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(source, "html.parser")
    assert soup.html["lang"] == "en-GB"
    assert [h.get_text() for h in soup.find_all("h1")] == ["WRES 2021 action plan: Alpha Trust"]
    assert soup.title.get_text() == "WRES 2021 action plan: Alpha Trust"
    assert reader.controls_html() in source and reader.head_html() in source
    # the same CSS as the reports, then the documents' own; the CSP allows exactly those
    styles = [s.string for s in soup.find_all("style")]
    assert [s.strip() for s in styles] == [
        render.CSS_PATH.read_text(encoding="utf-8").strip(),
        render.DOCUMENT_CSS_PATH.read_text(encoding="utf-8").strip(),
    ]
    assert safetext.page_problems(source, render.our_styles(), render.our_scripts()) == []
    table = soup.find("table")
    assert table.caption.get_text() == "Action plan, WRES 2021"
    heads = [th.get_text() for th in table.thead.find_all("th")]
    assert heads == [
        "Indicator",
        "Action taken",
        "Action planned",
        "Owner",
        "Due",
        "Measure of success",
        "Answers the finding",
    ]
    assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
    row = next(tr for tr in table.tbody.find_all("tr") if tr.th.get_text() == "2")
    assert row.th["scope"] == "row"
    assert [td.get_text() for td in row.find_all("td")] == [
        "Diverse interview panels",
        "Audit shortlisting twice a year",
        "Head of Recruitment",
        "31 March 2022",
        "The relative likelihood is within 0.80-1.25",
        "Indicator 2: appointment from shortlisting",
    ]
    assert "Self-reporting" in [tr.th.get_text() for tr in table.tbody.find_all("tr")]
    assert [a["href"] for a in soup.find_all("a", href=True) if "#" not in a["href"]] == [
        "report.html"
    ]


def test_action_plan_pdf_is_accessible_landscape_and_links_nothing_local(written):
    folder, _ = written
    pdf = folder / "action-plan.pdf"
    assert pdfcheck.check_pdf(pdf, title="WRES 2021 action plan: Alpha Trust") == []
    text = _pdf_text(pdf)
    for want in ("Head of Recruitment", "31 March 2022", "Audit shortlisting twice a year"):
        assert want in text
    with pikepdf.open(pdf) as doc:
        box = doc.pages[0].mediabox
        assert float(box[2]) > float(box[3])  # landscape
        for page in doc.pages:
            for annot in page.obj.get("/Annots", []) or []:
                uri = str((annot.get("/A") or {}).get("/URI", ""))
                assert not uri.startswith("file:"), uri  # the build folder never leaks


def test_empty_plan_says_so(rows, tmp_path):
    empty = ActionPlan(unit="AA1", year=2021, note="no action plan file")
    html_path = documents.write_action_plan(tmp_path, rows, CONTEXT, empty, pdf=False)[0]
    text = _text(BeautifulSoup(html_path.read_text(), "html.parser").get_text(" "))
    assert "No action was recorded for 2021 (no action plan file)." in text
    assert not (tmp_path / "action-plan.pdf").exists()


def test_hostile_action_plan_text_is_inert_in_html_and_pdf(rows, tmp_path):
    paths = documents.write_action_plan(tmp_path, rows, CONTEXT, HOSTILE_PLAN)
    source = paths[0].read_text(encoding="utf-8")
    assert safetext.page_problems(source, render.our_styles(), render.our_scripts()) == []
    soup = BeautifulSoup(source, "html.parser")
    assert soup.find("img") is None
    assert [s.string for s in soup.find_all("script")] == [reader.script_text()]
    assert all(not a["href"].lower().startswith("javascript") for a in soup.find_all("a"))
    cells = [td.get_text() for td in soup.find("tbody").find("tr").find_all("td")]
    assert cells[:2] == [HOSTILE["taken"], HOSTILE["planned"]]  # shown as typed, as text
    assert cells[2] == HOSTILE["owner"] and cells[5] == HOSTILE["finding"]
    assert "]]&gt;" in source and "&lt;script&gt;alert" in source
    # the PDF: the same text, printed; no link, no script action, nothing attached
    pdf = paths[1]
    text = re.sub(r"\s+", "", _pdf_text(pdf))  # a cell's lines wrap anywhere in the text
    for typed in HOSTILE.values():
        assert re.sub(r"\s+", "", typed) in text, typed
    raw = pdf.read_bytes()
    assert b"/JavaScript" not in raw and b"/JS" not in raw and b"javascript:" not in raw
    with pikepdf.open(pdf) as doc:
        uris = [
            str((a.get("/A") or {}).get("/URI", ""))
            for p in doc.pages
            for a in (p.obj.get("/Annots", []) or [])
        ]
    assert not any("javascript" in u.lower() for u in uris)
    # The one row, with its 540-letter word, is taller than what is left of page 1 and rows
    # are kept whole (an action, its owner and date read together): page 1 holds only the
    # introduction. Nothing else may be wrong with the printed page.
    problems = pdfcheck.check_pdf(pdf)
    assert [p for p in problems if not p.startswith("page 1 is nearly blank")] == []


def _overflow(page_source: str) -> float:
    """How far (CSS px) any box of the printed page reaches past its page's right edge."""
    import weasyprint

    doc = weasyprint.HTML(string=page_source).render()
    worst = 0.0

    def walk(box, width):
        nonlocal worst
        if getattr(box, "width", None) is not None and box.element_tag not in ("html", "body"):
            worst = max(worst, box.position_x + box.margin_width() - width)
        for child in getattr(box, "children", None) or []:
            walk(child, width)

    for page in doc.pages:
        walk(page._page_box, page.width)
    return worst


def test_a_very_long_word_never_pushes_a_column_off_the_page(rows):
    ch = workbook.chapter(rows, CONTEXT, HOSTILE_PLAN)
    for body in (
        documents.action_plan_body(ch, links=False),
        documents.return_body(workbook.return_sheets(ch)),
    ):
        page = render.page_html("x", body, True, document=True)
        assert _overflow(page) <= 0.5
    # without the documents' stylesheet the same word runs off the page: the check works
    plain = render.page_html("x", documents.action_plan_body(ch, links=False), True)
    assert _overflow(plain) > 100


def _print_widths() -> dict[str, dict[int, float]]:
    """documents.css's column widths by table kind: {kind: {column number: width %}}."""
    css = render.DOCUMENT_CSS_PATH.read_text(encoding="utf-8")
    out: dict[str, dict[int, float]] = {}
    for selectors, width in re.findall(r"([^{}]+)\{\s*width:\s*([\d.]+)%;\s*\}", css):
        for kind, n in re.findall(
            r"table\.wres-cols-([\w-]+) thead th:nth-child\((\d+)\)", selectors
        ):
            out.setdefault(kind, {})[int(n)] = float(width)
    return out


def test_each_table_has_print_widths_suited_to_its_kind(rows, written):
    """Each table of the template names its kind in its class, and documents.css gives that
    kind its column widths (the action plan's table the same as in the template); the widths
    it names leave room for the columns it does not name, and name no column the table lacks."""
    ch = workbook.chapter(rows, CONTEXT, FULL_PLAN)
    sheets = workbook.return_sheets(ch)
    soup = BeautifulSoup(documents.return_body(sheets), "html.parser")
    parts = [p for sheet in sheets for p in sheet.parts]
    assert all(p.kind for p in parts)
    assert [t.get("class") for t in soup.find_all("table")] == [
        [documents.table_class(p.kind)] for p in parts
    ]
    folder, _ = written
    plan_page = BeautifulSoup((folder / "action-plan.html").read_text(), "html.parser")
    assert plan_page.find("table")["class"] == [documents.table_class("plan")]
    widths = _print_widths()
    assert set(widths) == {p.kind for p in parts}
    for p in parts:
        named, columns = widths[p.kind], len(p.table.columns)
        assert max(named) <= columns, p.kind
        free = 100 - sum(named.values())
        assert free >= 0 and (free > 0) == (len(named) < columns), p.kind


def _workbook_cells(path: Path) -> dict[str, list[str]]:
    """Each sheet's non-empty cells as a reader sees them, from its second row on."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [
            _text(workbook.cell_display(c.value, c.number_format))
            for r in ws.iter_rows(min_row=2)
            for c in r
            if c.value is not None
        ]
    return out


def test_the_template_pdf_holds_what_the_workbook_holds(rows, written):
    """One source (workbook.return_sheets) for both: every sheet is a section of the page the
    PDF is printed from, every cell of the workbook is a cell or a line of that page."""
    folder, _ = written
    ch = workbook.chapter(rows, CONTEXT, FULL_PLAN)
    sheets = workbook.return_sheets(ch)
    soup = BeautifulSoup(documents.return_body(sheets), "html.parser")
    # the page is only printed: its symbols are text (a PDF carries no abbr title nor hidden
    # words), and the legend under each table that shows one says what it means
    assert soup.find("abbr") is None and not soup.select(".wres-vh")
    for table in soup.find_all("div", class_="wres-table"):
        if "[c]" in " ".join(td.get_text() for td in table.find_all(["td", "th"])):
            assert tables.SUPPRESSED_NOTE in table.get_text(" ")
    sections = soup.find_all("section", class_="wres-sheet")
    assert len(sections) == len(sheets) == 5
    cells = _workbook_cells(folder / "wres-return.xlsx")
    assert list(cells) == [s.name for s in sheets]
    for section, sheet in zip(sections, sheets, strict=True):
        # compared without white space: the page may break a cell's text into elements
        shown = [_squash(el.get_text()) for el in section.find_all(["th", "td", "p", "caption"])]
        headings = {_squash(sheet.title), *(_squash(p.heading) for p in sheet.parts)}
        legends = _squash(" ".join(d.get_text(" ") for d in section.select(".table-notes")))
        for cell in cells[sheet.name]:
            squashed = _squash(cell)
            for meaning in LEGEND.values():  # the legend under the table, then the rest
                if (
                    squashed not in shown
                    and cell.startswith(meaning)
                    and _squash(meaning) in legends
                ):
                    squashed = _squash(cell[len(meaning) :]) or squashed
            assert squashed in shown or squashed in headings or squashed == _squash(sheet.banner), (
                sheet.name,
                cell,
            )
    # ... and the legend is not printed again after the table that shows it
    for meaning in LEGEND.values():
        again = [p for p in soup.select("section.wres-sheet > p") if meaning in p.get_text()]
        assert not again, again
    # the figures: [c] wherever the workbook withholds, the same figures elsewhere
    withheld = sum(c == "[c]" for cs in cells.values() for c in cs)
    assert withheld and withheld == sum(
        _text(td.get_text()) == "[c]" for td in soup.find_all(["td", "th"])
    )


def test_the_template_pdf(written):
    folder, _ = written
    pdf = folder / "wres-return.pdf"
    title = "NHS Workforce Race Equality Standard (WRES) 2021 reporting template: Alpha Trust"
    assert pdfcheck.check_pdf(pdf, title=title) == []
    text = _pdf_text(pdf)
    for want in (
        "Workforce Race Equality Indicators",
        "Indicator 1: clinical staff by pay band and ethnic group",
        "Action plan, WRES 2021",
        "Notes and methods",
        "Head of Recruitment",
        "[c]",
    ):
        assert want in text, want
    # formula-like text is text in the PDF, without the workbook's apostrophe
    assert '=HYPERLINK("http://example.org","click")' in text
    assert "'=HYPERLINK" not in text
    assert re.search(r"Page 1 of \d+", text)


def test_the_template_pdf_refuses_undisclosed_rows(tmp_path):
    import pandas as pd

    with pytest.raises(ValueError, match="published"):
        documents.return_pdf(tmp_path / "x.pdf", pd.DataFrame({"unit": []}), CONTEXT, PLAN)
