"""The whole pipeline on a small subset, checked on its outputs (see conftest.py)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from wres_utils.core.catalogue import TITLES
from wres_utils.core.params import NOTEBOOKS
from wres_utils.report import safe_csv

from .conftest import JOINT, SUBSET

SECTION_TITLES = [
    "Summary",
    "Indicator 1: the workforce by pay band",
    "Indicators 2 to 4: recruitment, disciplinary and training",
    "Indicators 5 to 8: NHS Staff Survey",
    "Indicator 9: Board representation",
    "Action plan",
    "Appendix: data quality, definitions and methods",
]


def test_run_succeeds_and_lays_out_every_unit(e2e):
    assert e2e.status == 0
    year_dir = e2e.reports / str(e2e.year)
    assert (year_dir / "index.html").is_file()
    assert (year_dir / "run.log").is_file()
    assert not (e2e.reports / ".tmp").exists() or not any((e2e.reports / ".tmp").rglob("*.ipynb"))
    for unit in e2e.units:
        d = e2e.unit_dir(unit)
        for name in NOTEBOOKS:
            assert (d / "notebooks" / f"{name}.ipynb").is_file(), (unit, name)
            assert (d / "notebooks" / f"{name}.html").is_file(), (unit, name)
        for f in ("report.html", "report.pdf", "indicators.csv"):
            assert (d / f).is_file(), (unit, f)
        assert not (d / "prepared").exists(), "the prepared folder must not be published"


def test_every_notebook_executed_without_error(e2e):
    for unit in e2e.units:
        for name in NOTEBOOKS:
            nb = json.loads((e2e.unit_dir(unit) / "notebooks" / f"{name}.ipynb").read_text())
            code = [c for c in nb["cells"] if c["cell_type"] == "code"]
            assert code and all(c.get("execution_count") for c in code), (unit, name)
            errors = [o for c in code for o in c.get("outputs", []) if o["output_type"] == "error"]
            assert not errors, (unit, name, errors)


@pytest.mark.parametrize("unit", [*SUBSET, JOINT])
def test_report_html_has_every_section_and_loads_nothing_remote(e2e, unit):
    html = (e2e.unit_dir(unit) / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html.get("lang") == "en-GB"
    assert len(soup.find_all("h1")) == 1
    headings = [h.get_text(" ", strip=True) for h in soup.find_all(["h2", "h3"])]
    for title in SECTION_TITLES:
        assert any(title in h for h in headings), title
    imgs = soup.find_all("img")
    assert imgs, "charts are missing from the report"
    assert all((img.get("alt") or "").strip() for img in imgs)
    for tag, attr in (("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src")):
        for el in soup.find_all(tag):
            assert not re.match(r"(?i)^\s*(https?:)?//", el.get(attr) or ""), (tag, el.get(attr))
    assert not re.search(r"(?i)url\(\s*['\"]?(https?:)?//", html)
    assert "SYNTHETIC DATA" in html


@pytest.mark.parametrize("unit", [*SUBSET, JOINT])
def test_pdf_has_pages_and_every_indicator_heading(e2e, unit):
    reader = PdfReader(e2e.unit_dir(unit) / "report.pdf")
    assert len(reader.pages) > 1
    text = " ".join((p.extract_text() or "") for p in reader.pages)
    text = re.sub(r"\s+", " ", text)
    for i in ("2", "3", "4", "5", "6", "7", "8"):
        assert TITLES[i] in text, TITLES[i]
    assert "Indicator 1" in text and "Indicator 9" in text
    assert "SYNTHETIC DATA" in text


def _published(e2e, unit) -> pd.DataFrame:
    return safe_csv.read_csv(e2e.unit_dir(unit) / "indicators.csv")


def test_small_ccg_reports_show_c(e2e):
    for unit in SUBSET:
        pub = _published(e2e, unit)
        assert (pub["display"] == "[c]").any(), unit
        suppressed = pub[pub["status"] == "suppressed"]
        assert (suppressed["value"] == "").all(), "a suppressed value was published"
        html = (e2e.unit_dir(unit) / "report.html").read_text(encoding="utf-8")
        assert "[c]" in html


def test_joint_figures_come_from_summed_counts(e2e):
    """Indicator 2 and the BME share of the joint unit, recomputed from the members' counts."""
    from wres_utils.core.params import load_params
    from wres_utils.inputs import load as inputs_load

    params = load_params(e2e.root / "params" / f"{e2e.year}.yaml")
    counts = inputs_load.load_year(params, e2e.root).counts
    members = counts[counts["org_code"].isin(SUBSET)]

    def total(measure, group, **where):
        d = members[(members["measure"] == measure) & (members["group"] == group)]
        for k, v in where.items():
            d = d[d[k] == v]
        return int(d["value"].sum())

    joint = _published(e2e, JOINT)
    joint = joint[joint["year"] == str(e2e.year)]

    # Indicator 2, where published: (White appointed / shortlisted) / (BME appointed / shortlisted)
    rl = joint[(joint["indicator"] == "2") & (joint["statistic"] == "relative_likelihood")]
    if rl["status"].iloc[0] == "ok":
        expected = (total("appointed", "White") / total("shortlisted", "White")) / (
            total("appointed", "BME") / total("shortlisted", "BME")
        )
        # Published at the precision printed (two decimals), no more.
        assert float(rl["value"].iloc[0]) == round(expected, 2)
        assert rl["display"].iloc[0] == f"{expected:.2f}"

    # Every published indicator 1 percentage: summed group count / summed band count.
    pct = joint[(joint["indicator"] == "1") & (joint["statistic"] == "percent")]
    pct = pct[pct["status"] == "ok"]
    checked = 0
    for r in pct.itertuples():
        where = {}
        if r.band != "All":
            where["band"] = r.band
        if r.clinical != "all":
            where["clinical"] = r.clinical
        num = total("headcount", r.group, **where)
        den = sum(total("headcount", g, **where) for g in ("White", "BME", "Unknown"))
        assert float(r.value) == round(100 * num / den, 1), r  # the precision printed
        checked += 1
    assert checked >= 5


def test_run_log_records_params_versions_commit_and_hashes(e2e):
    text = (e2e.reports / str(e2e.year) / "run.log").read_text(encoding="utf-8")
    assert "sha256" in text and "pandas" in text and "papermill" in text
    assert '"git"' in text or "commit" in text
    assert "min_count" in text


def test_reports_are_accessible_in_a_real_browser(e2e, tmp_path):
    """axe-core (WCAG 2.2 A/AA) and our DOM checks on every page, in headless Chromium, and
    on each unit's publication page. Screenshots go to a folder of the test's own: the
    session's published outputs stay as published (the audit's tests read them too)."""
    from wres_utils.checks import a11y

    year_dir = e2e.reports / str(e2e.year)
    pages = sorted(year_dir.rglob("*.html"))
    # Only the joint report is published (its members publish through it): report + 6
    # chapters, its action plan, and the index.
    assert len(pages) == 7 + 1 + 1
    assert e2e.unit_dir(JOINT) / "action-plan.html" in pages
    publication = sorted(e2e.reports.glob("*/index.html"))
    assert publication  # the joint group's page across years
    results = a11y.check_pages(pages + publication, tmp_path / "screenshots")
    bad = [r for r in results if not r.ok]
    assert not bad, a11y.format_results(bad)
    assert (tmp_path / "screenshots" / "report.png").is_file()
    assert (tmp_path / "screenshots" / "action-plan.png").is_file()


@pytest.mark.parametrize("unit", [*SUBSET, JOINT])
def test_pdf_is_tagged_titled_and_in_reading_order(e2e, unit):
    from wres_utils.checks import pdfcheck

    pdf = e2e.unit_dir(unit) / "report.pdf"
    headings = pdfcheck.toc_headings(e2e.unit_dir(unit) / "report.html")
    assert len(headings) >= 6
    assert pdfcheck.check_pdf(pdf, expected_headings=headings) == []


@pytest.mark.parametrize("name", ["action-plan.pdf", "wres-return.pdf"])
def test_the_documents_pdfs_are_tagged_titled_and_in_english(e2e, name):
    from wres_utils.checks import pdfcheck

    for unit in (*SUBSET, JOINT):  # the members' are built for internal use, the joint's published
        pdf = e2e.unit_dir(unit) / name
        assert pdfcheck.check_pdf(pdf) == [], (unit, name)


def test_a_half_is_rounded_up_in_the_report_and_the_workbook(e2e):
    # 05G 2021: 13 of 16 clinical staff are White = 81.25% exactly. The template's Excel
    # shows 81.3%; Python's f"{81.25:.1f}" would print 81.2%.
    from openpyxl import load_workbook

    pub = _published(e2e, "05G")
    row = pub[
        (pub["year"] == "2021")
        & (pub["indicator"] == "1")
        & (pub["statistic"] == "percent")
        & (pub["group"] == "White")
        & (pub["band"] == "All")
        & (pub["clinical"] == "clinical")
    ]
    assert list(row["display"]) == ["81.3%"]
    html = (e2e.unit_dir("05G") / "report.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "81.3%" in text
    wb = load_workbook(e2e.unit_dir("05G") / "wres-return.xlsx")
    from wres_utils.report.workbook import cell_display

    cells = {
        cell_display(c.value, c.number_format)
        for ws in wb.worksheets
        for r in ws.iter_rows()
        for c in r
    }
    assert "81.3%" in cells and "81.2%" not in cells


def test_members_have_no_page_of_their_own_under_reports(e2e):
    """Members of a joint group publish through the joint report only: no report folder and
    no publication page of theirs anywhere under reports/ (their internal reports, with
    member_reports, are under analyst/)."""
    for member in SUBSET:
        slugs = {member, member.lower()}
        found = [p for p in e2e.reports.rglob("*") if p.name in slugs]
        assert found == [], found


def test_the_report_links_to_its_action_plan_and_template_and_the_links_resolve(e2e):
    """The report (and its Board chapter, one folder down) link to the action plan and the
    filled template published beside it; every relative link of both reaches a file."""
    for unit in e2e.units:
        d = e2e.unit_dir(unit)
        for page in (d / "report.html", d / "notebooks" / "04_board.html"):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            hrefs = [a["href"] for a in soup.find_all("a", href=True)]
            names = {h.rsplit("/", 1)[-1] for h in hrefs}
            assert {"action-plan.html", "action-plan.pdf", "wres-return.pdf"} <= names, page
            for href in hrefs:
                if href.startswith(("#", "https:", "http:", "mailto:")):
                    continue
                assert (page.parent / href).resolve().is_file(), (page, href)
