"""Reader controls in headless Chromium: each control, from the keyboard, changes the
computed style and its shown percentage, is remembered on the next page, works under a
Content-Security-Policy that allows only the script's hash, and is hidden with scripts off.

Chromium and a11y/node_modules are installed by `make test` (mk/a11y.mk): when missing, these
tests FAIL, as the other browser tests do.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from wres_utils.checks import a11y
from wres_utils.report import reader, render

SCRIPT = a11y.A11Y_DIR / "reader_check.mjs"


def _run(pages: list[Path]) -> dict:
    return a11y.run_script(SCRIPT, {"pages": [str(p) for p in pages]})  # type: ignore[return-value]


def _csp(page: Path, out: Path) -> Path:
    """A copy of ``page`` whose only allowed script is the reader's, by its hash."""
    policy = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {reader.script_sha256()}"
    )
    text = page.read_text(encoding="utf-8").replace(
        "<head>", f'<head>\n<meta http-equiv="Content-Security-Policy" content="{policy}">', 1
    )
    out.write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("reader")
    nb = new_notebook(
        cells=[new_markdown_cell("## Summary\n\nA paragraph of the report, long enough to wrap.")]
    )
    nb_path = tmp / "00_summary.ipynb"
    nbformat.write(nb, nb_path)
    report = render.notebook_to_html(nb_path, tmp / "unit" / "report.html", "WRES 2021: X", True)
    index = render.year_index(tmp / "2021", [], synthetic=True)
    first = _csp(report, tmp / "unit" / "report-csp.html")
    return _run([first, index])


def test_each_control_changes_the_computed_style(result):
    assert result["errors"] == []
    assert result["visible"] is True
    before = result["before"]
    assert before["shown"] == dict.fromkeys(("scale", "font", "line", "letter"), "100%")
    changed = {"scale": "zoom", "font": "fontSize", "line": "lineHeight", "letter": "letterSpacing"}
    previous = before["style"]
    for name, prop in changed.items():
        after = result["after"][name]
        assert after["shown"][name] != "100%", name
        assert after["style"][prop] != previous[prop], (name, previous[prop])
        previous = after["style"]
    final = result["after"]["letter"]
    assert final["shown"] == {"scale": "120%", "font": "120%", "line": "120%", "letter": "150%"}
    assert final["style"]["zoom"] == "1.2"
    assert final["style"]["fontSize"] == "19.2px"  # 16px x 120%


def test_remembered_on_the_next_page(result):
    final = result["after"]["letter"]
    assert result["nextPage"]["shown"] == final["shown"]
    assert result["nextPage"]["style"]["zoom"] == final["style"]["zoom"]
    assert result["nextPage"]["style"]["fontSize"] == final["style"]["fontSize"]


def test_buttons_have_names(result):
    assert "Increase font size" in result["names"]
    assert "Decrease letter spacing" in result["names"]
    assert "Reset to 100%" in result["names"]


def test_harmless_with_scripts_off(result):
    off = result["noScript"]
    assert off["visible"] is False
    assert off["style"] == result["before"]["style"]
