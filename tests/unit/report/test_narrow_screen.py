"""Tables on a 390 px phone, in headless Chromium: the page never scrolls sideways, no table
needs its own sideways scroll (each row reflows into "column: value" lines, the measure
first) and no cell's text is cut.

Chromium and a11y/node_modules are installed by `make test` (mk/a11y.mk): when missing, these
tests FAIL, as the other browser tests do.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from wres_utils.checks import a11y
from wres_utils.report import render, tables

SCRIPT = a11y.A11Y_DIR / "narrow_check.mjs"
PHONE = 390

#: The at-a-glance table as views.summary_table builds it: long measure names, three years,
#: the change with its amount, the national figure, and both blank symbols.
GLANCE = pd.DataFrame(
    {
        "Measure": [
            "Relative likelihood: BME vs White entering disciplinary (two-year: this and the "
            "previous year pooled; headline) (indicator 3)",
            "% BME staff: harassment, bullying or abuse from patients, relatives or the public "
            "(indicator 5)",
        ],
        "2019": ["[x]", "28.1%"],
        "2020": ["5.92", "[c]"],
        "2021": ["1.39", "28.4%"],
        "Change on last year": ["5.92 → 1.39 (better: closer to equal)", "[x]"],
        "National 2021": ["1.14", "28.9%"],
    }
)
#: A wide table (the data-quality table): eight columns of long headers and counts.
QUALITY = pd.DataFrame(
    {
        "Organisation": ["ZZ1", "ZZ1"],
        "Extract": ["workforce", "staff_survey"],
        "Rows read": ["15,779", "8"],
        "Rows kept": ["15,779", "8"],
        "Unknown ethnicity": ["256", "[c]"],
        "Unrecognised ethnic codes": ["510", "0"],
        "Unrecognised pay bands": ["0", "0"],
        "Duplicates": ["0", "0"],
    }
)

#: The report details: a URL is one word longer than a phone's line.
DETAILS = pd.DataFrame(
    {
        "Field": ["Organisation", "URL where published"],
        "Value": [
            "Staffordshire and Stoke-on-Trent CCGs",
            "https://example.org/syntheticexample/wres/2021/workforceraceequalitystandardreport",
        ],
    }
)


def _html(html: str):
    return new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})


def _measure(pages: list[Path]) -> list[dict]:
    payload = {"width": PHONE, "height": 844, "pages": [str(p) for p in pages]}
    return a11y.run_script(SCRIPT, payload)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def measured(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("narrow")
    nb = new_notebook()
    nb.cells = [
        new_markdown_cell("## Summary\n\n### The nine indicators at a glance"),
        new_code_cell(
            "tables.show_table(...)",
            outputs=[_html(tables.html_table(GLANCE, "All nine WRES indicators by year"))],
        ),
        new_code_cell(
            "tables.show_table(...)", outputs=[_html(tables.html_table(DETAILS, "Report details"))]
        ),
        new_markdown_cell("### What was read"),
        new_code_cell(
            "tables.show_table(...)",
            outputs=[_html(tables.html_table(QUALITY, "Rows read and kept per extract"))],
        ),
    ]
    nb_path = tmp / "00_summary.ipynb"
    nbformat.write(nb, nb_path)
    page = render.notebook_to_html(nb_path, tmp / "unit" / "report.html", "WRES 2021: X", True)
    [result] = _measure([page])
    return {"page": page, "result": result}


def test_the_page_never_scrolls_sideways_on_a_phone(measured):
    r = measured["result"]
    assert "error" not in r, r
    assert r["viewport"] == PHONE and r["pageWidth"] <= PHONE, r
    assert r["overflowing"] == [], r["overflowing"]


def test_tables_reflow_instead_of_scrolling(measured):
    r = measured["result"]
    assert r["tables"] == 3
    assert r["scrollingTables"] == [], r["scrollingTables"]
    assert r["clipped"] == [], r["clipped"]


def test_each_value_is_labelled_with_its_column(measured):
    page = measured["page"].read_text(encoding="utf-8")
    assert 'data-label="Change on last year"' in page and 'data-label="National 2021"' in page
    # the measure, not a number, heads each row
    assert '<th scope="row">Relative likelihood: BME vs White entering disciplinary' in page


def test_axe_finds_nothing_on_the_reflowed_page(measured):
    """The reflowed tables (blocks, visually hidden column headers, generated labels) pass
    axe-core and our DOM checks at 390 px."""
    [result] = a11y.check_pages([measured["page"]], None, width=PHONE)
    assert result.ok and result.serious == (), a11y.format_results([result])
