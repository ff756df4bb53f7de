"""Hostile text from params and action plans, through the whole pipeline (HTML, PDF, workbook).

One organisation (05G) whose name, group label, template header and action plan hold what
an adversary would try: an ``<img onerror>``, ``<svg onload>``, a ``javascript:`` link, an
``<iframe>``, a ``<script>`` paragraph, a ``<style>`` hiding the SYNTHETIC DATA banner, and
``rel=attachment`` links to a record-level extract and to /etc/passwd. The run must succeed
and every output must show that text as text: no live markup, no attachment, banner intact.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from wres_utils.checks import audit
from wres_utils.report import pdffetch, render, safetext
from wres_utils.run.runner import run_year

from .conftest import ROOT, YEAR
from .test_faults import make_root

EXTRACT = (ROOT / "data" / "example" / str(YEAR) / "05G" / "workforce.csv").resolve()
NAME = "North <img src=x onerror=alert(document.domain)> CCG"
LABEL = "BME <b onmouseover=alert(1)>"
ACTIONS = {
    "1": f"<a rel='attachment' href='file://{EXTRACT}'>x</a> "
    "<link rel='attachment' href='file:///etc/passwd'>",
    "2": "<svg onload=alert(1)> [click](javascript:alert(1)) <iframe src=//example.com></iframe>",
    "3": "First\n\n<script>alert(1)</script>\n\n# not a heading\n\n- **kept** bold",
    "4": "<style>.wres-banner{display:none}</style>",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = make_root(tmp_path_factory.mktemp("hostile") / "root")
    (root / "notebooks").symlink_to(ROOT / "notebooks", target_is_directory=True)
    for y in (YEAR - 1, YEAR):
        p = root / "params" / f"{y}.yaml"
        raw = yaml.safe_load(p.read_text())
        raw["organisations"] = [o for o in raw["organisations"] if o["code"] == "05G"]
        raw["organisations"][0]["name"] = NAME
        raw.setdefault("labels", {})["bme"] = LABEL
        raw.setdefault("header", {})["board_lead"] = "<script>alert(1)</script>"
        p.write_text(yaml.safe_dump(raw, sort_keys=False))
    plan_path = root / "params" / "action-plans" / str(YEAR) / "05G.yaml"
    plan = yaml.safe_load(plan_path.read_text())
    for k, text in ACTIONS.items():
        plan["actions"][k]["taken"] = text
    plan_path.write_text(yaml.safe_dump(plan, sort_keys=False))
    status = run_year(
        year=YEAR,
        params_dir=root / "params",
        reports_dir=root / "reports",
        jobs=2,
        root=root,
        progress=False,
    )
    assert status == 0
    return root / "reports" / str(YEAR)


def test_every_page_is_free_of_live_content_and_shows_the_text(hostile):
    pages = sorted(hostile.rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert safetext.page_problems(text, render.our_styles(), render.our_scripts()) == [], page
    report = (hostile / "05G" / "report.html").read_text(encoding="utf-8")
    assert "North &lt;img src=x onerror=alert(document.domain)&gt; CCG" in report
    assert "&lt;style&gt;.wres-banner{display:none}&lt;/style&gt;" in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "<strong>kept</strong>" in report  # the documented Markdown subset still works
    assert 'class="wres-banner' in report and report.count("<style") == 1  # ours only


@pytest.mark.parametrize("name", ["report.pdf", "action-plan.pdf", "wres-return.pdf"])
def test_the_pdf_carries_no_attachment_and_the_banner(hostile, name):
    pdf = hostile / "05G" / name
    assert pdffetch.pdf_attachments(pdf) == []
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
    assert "SYNTHETIC DATA" in text and "onerror" in text  # shown as text
    assert "root:" not in text and "staff_id" not in text
    assert "<svgonload=alert(1)>" in "".join(text.split())  # the action plan's text, as text


def test_the_action_plan_page_shows_the_text_as_text(hostile):
    page = (hostile / "05G" / "action-plan.html").read_text(encoding="utf-8")
    assert "&lt;svg onload=alert(1)&gt; [click](javascript:alert(1))" in page
    assert "&lt;style&gt;.wres-banner{display:none}&lt;/style&gt;" in page
    assert "North &lt;img src=x onerror=alert(document.domain)&gt; CCG" in page
    assert 'class="wres-banner' in page and "javascript:alert" not in page.replace(
        "[click](javascript:alert(1))", ""
    )


def test_the_workbook_holds_the_text_as_text(hostile):
    wb = openpyxl.load_workbook(hostile / "05G" / "wres-return.xlsx", read_only=True)
    cells = {str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r}
    wb.close()
    assert any(NAME in c for c in cells)


def test_the_audit_finds_no_live_content_or_attachment(hostile):
    rep = audit.audit_outputs(hostile)
    assert rep.of_kind("live_content") == [] and rep.of_kind("attachment") == [], rep.format()
