"""Accessibility in a real browser: axe-core and our DOM checks in headless Chromium.

A report is rendered with the project's renderer from two notebooks with fake outputs (no
kernel), then checked together with deliberately bad pages in ONE browser run. Chromium and
a11y/node_modules are installed by `make test` (mk/a11y.mk): when missing, these tests FAIL.
"""

from __future__ import annotations

import struct
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from wres_utils.checks import a11y
from wres_utils.report import charts, render, tables

TITLE = "WRES 2021: Example Trust"
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
    "rkJggg=="
)

BAD_PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Bad page</title></head><body>
<h1>First title</h1><h1>Second title</h1>
<h2>Section</h2><h4>Skipped a level</h4>
<img src="data:image/png;base64,{PNG_1PX}">
<img src="data:image/png;base64,{PNG_1PX}" alt="chart_1.png">
<img src="data:image/png;base64,{PNG_1PX}" alt="Chart">
<table><tr><td>Band 5</td><td>24.1%</td></tr></table>
</body></html>
"""

BAD_TOC_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Bad contents</title></head><body>
<h1>Report</h1>
<nav aria-label="Contents"><h2>Contents</h2><ol>
<li><a href="#one">One</a></li>
<li><a href="#nowhere">Missing target</a></li>
<li><a href="#two" tabindex="-1">Not reachable with Tab</a></li>
</ol></nav>
<main><h2 id="one">One</h2><p>Text.</p><h2 id="two">Two</h2>
<img src="https://example.invalid/remote.png" alt="A picture that would load from the web">
<img src="data:image/png;base64,{PNG_1PX}" alt="A one-pixel example picture">
</main></body></html>
"""


def _html(html: str):
    return new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})


def build_unit(unit: Path) -> dict[str, Path]:
    """A rendered report (two chapters, a chart and tables) and one chapter page under ``unit``."""
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
    paths = {"a": nb_dir / "01_workforce.ipynb", "b": nb_dir / "02_recruitment.ipynb"}
    nbformat.write(a, paths["a"])
    nbformat.write(b, paths["b"])
    paths["html"] = render.report_html([paths["a"], paths["b"]], unit / "report.html", TITLE, True)
    paths["chapter"] = render.notebook_to_html(
        paths["a"], nb_dir / "01_workforce.html", f"{TITLE} - Workforce", False
    )
    return paths


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, object]:
    try:
        a11y.check_tools()
    except a11y.A11yToolMissing as exc:
        pytest.fail(f"accessibility tools missing ({exc}); `make test` installs them")
    d = tmp_path_factory.mktemp("a11y")
    paths = build_unit(d / "2021" / "example-trust")
    bad = d / "bad.html"
    bad.write_text(BAD_PAGE, encoding="utf-8")
    bad_toc = d / "bad_toc.html"
    bad_toc.write_text(BAD_TOC_PAGE, encoding="utf-8")
    shots = d / "shots"
    results = a11y.check_pages([paths["html"], paths["chapter"], bad, bad_toc], shots)
    return {"paths": paths, "shots": shots, "results": results, "dir": d}


def test_one_result_per_page_in_order(checked):
    results = checked["results"]
    assert [r.path.name for r in results] == [
        "report.html",
        "01_workforce.html",
        "bad.html",
        "bad_toc.html",
    ]


def test_rendered_report_passes(checked):
    report, chapter = checked["results"][:2]
    assert report.serious == () and report.dom_problems == (), a11y.format_results([report])
    assert report.ok and chapter.ok, a11y.format_results([report, chapter])
    assert report.toc_links == 2  # Workforce, Recruitment: both reached with Tab


def test_screenshot_of_first_screen(checked):
    report = checked["results"][0]
    assert report.screenshot == (checked["shots"] / "report.png").resolve()
    assert report.screenshot.is_file()
    assert _png_size(report.screenshot) == (1280, 800)
    assert (checked["shots"] / "bad.png").is_file()


def test_bad_page_problems_are_all_reported(checked):
    bad = checked["results"][2]
    assert not bad.ok
    problems = "\n".join(bad.dom_problems)
    assert 'html lang is missing, not "en-GB"' in problems
    assert "2 h1 elements (exactly one expected)" in problems
    assert 'heading level skips from h2 to h4 at "Skipped a level"' in problems
    assert "image 1 (data:image/png;base64," in problems and "has no alt attribute" in problems
    assert 'file name as alt text: "chart_1.png"' in problems
    assert 'meaningless alt text: "Chart"' in problems
    assert "table 1 has no header cells (th)" in problems
    serious = {v.id for v in bad.serious}
    assert {"html-has-lang", "image-alt"} <= serious
    assert all(v.impact in ("serious", "critical") for v in bad.serious)


def test_contents_keyboard_and_targets(checked):
    page = checked["results"][3]
    assert page.toc_links == 3
    problems = "\n".join(page.dom_problems)
    assert 'contents link "Missing target" points to #nowhere, which does not exist' in problems
    assert "not reachable with the Tab key" in problems and "link(s) 3" in problems
    assert "link(s) 1" not in problems  # the first link is reached
    assert "requests a resource from the network (blocked): https://example.invalid" in problems
    assert not page.ok


def test_format_results(checked):
    text = a11y.format_results(checked["results"])
    lines = text.splitlines()
    assert lines[0].startswith("ok") and lines[0].endswith("report.html")
    assert any(line.startswith("FAIL") and line.endswith("bad.html") for line in lines)
    assert "axe critical: image-alt" in text
    assert lines[-1] == "4 page(s) checked, 2 with problems"


def test_page_result_ok_rules():
    minor = a11y.Violation("region", "moderate", "Content in landmarks", 1)
    serious = a11y.Violation("color-contrast", "serious", "Contrast", 2)
    p = Path("x.html")
    assert a11y.PageResult(p, violations=(minor,)).ok
    assert a11y.PageResult(p, violations=(minor,)).others == (minor,)
    assert not a11y.PageResult(p, violations=(serious,)).ok
    assert not a11y.PageResult(p, dom_problems=("2 h1 elements",)).ok
    assert "(axe moderate, not failing) region" in a11y.format_results(
        [a11y.PageResult(p, violations=(minor,))]
    )


def test_cli_checks_a_report_folder_and_saves_screenshots(checked, capsys):
    unit = checked["paths"]["html"].parent
    assert a11y.main([str(unit), str(checked["dir"] / "bad.html")]) == 1  # one browser run
    out = capsys.readouterr().out
    assert out.strip().endswith("3 page(s) checked, 1 with problems")
    assert (unit / "screenshots" / "report.png").is_file()
    assert (unit / "screenshots" / "01_workforce.png").is_file()
    assert (checked["dir"] / "screenshots" / "bad.png").is_file()


def test_missing_browser_is_a_clear_error(monkeypatch, tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html></html>", encoding="utf-8")
    monkeypatch.setattr(a11y, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(a11y.A11yToolMissing, match="Chromium not found.*make a11y-deps"):
        a11y.check_pages([page], None)
    assert a11y.check_pages([], None) == []
