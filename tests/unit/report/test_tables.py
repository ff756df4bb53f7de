"""Accessible HTML tables of display strings."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from wres_utils.report import tables


class _Cells(HTMLParser):
    """Collect (tag, attrs, text) for th/td/caption/p elements."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td", "caption", "p"):
            self._open, self._text = (tag, dict(attrs)), ""

    def handle_data(self, data):
        if self._open:
            self._text += data

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.cells.append((*self._open, self._text))
            self._open = None


def _parse(page: str) -> list[tuple[str, dict[str, str | None], str]]:
    p = _Cells()
    p.feed(page)
    return p.cells


@pytest.fixture
def df() -> pd.DataFrame:
    return pd.DataFrame(
        {"Pay band": ["Band 5", "Band 6 & 7"], "White": ["70.1%", "[c]"], "BME": ["29.9%", "[c]"]},
        index=[10, 11],
    )


def test_structure_caption_and_scopes(df):
    page = tables.html_table(df, "Staff by band <2021>")
    cells = _parse(page)
    captions = [t for tag, _, t in cells if tag == "caption"]
    assert captions == ["Staff by band <2021>"]  # escaped in HTML, read back as text
    cols = [(a.get("scope"), t) for tag, a, t in cells if tag == "th" and a.get("scope") == "col"]
    assert [t for _, t in cols] == ["Pay band", "White", "BME"]
    rows = [t for tag, a, t in cells if tag == "th" and a.get("scope") == "row"]
    assert rows == ["Band 5", "Band 6 & 7"]
    tds = [t for tag, _, t in cells if tag == "td"]
    assert tds == ["70.1%", "29.9%", "[c]", "[c]"]
    assert "&lt;2021&gt;" in page and "Band 6 &amp; 7" in page


def test_no_index_noise(df):
    page = tables.html_table(df, "c")
    assert ">10<" not in page and ">11<" not in page
    assert "dataframe" not in page and "Unnamed" not in page


def test_suppression_note_only_when_c_appears(df):
    page = tables.html_table(df, "c", note="Percentages of all staff.")
    notes = [t for tag, _, t in _parse(page) if tag == "p"]
    assert notes == ["Percentages of all staff.", tables.SUPPRESSED_NOTE]
    table_id = page.split('<table id="')[1].split('"')[0]
    assert f'aria-describedby="{table_id}-notes"' in page
    assert f'id="{table_id}-notes"' in page

    clean = tables.html_table(df.replace("[c]", "1.0%"), "c")
    assert tables.SUPPRESSED_NOTE not in clean and "aria-describedby" not in clean


def test_unavailable_note():
    page = tables.html_table(pd.DataFrame({"a": ["x"], "b": ["[x]"]}), "c")
    assert tables.UNAVAILABLE_NOTE in page


def test_numeric_columns_are_right_aligned(df):
    page = tables.html_table(df, "c")
    assert '<th scope="col" class="num">White</th>' in page
    assert '<td class="num">70.1%</td>' in page
    assert '<th scope="col">Pay band</th>' in page


def test_floats_are_refused_integers_and_missing_are_fine():
    with pytest.raises(TypeError, match="display strings"):
        tables.html_table(pd.DataFrame({"a": ["x"], "b": [12.345]}), "c")
    page = tables.html_table(
        pd.DataFrame({"Year": [2021, 2022], "v": pd.array(["1.0%", None], dtype="string")}), "c"
    )
    assert '<th scope="row">2021</th>' in page
    assert '<td class="num"></td>' in page
    page = tables.html_table(pd.DataFrame({"a": ["x"], "b": [np.nan]}), "c")
    assert "<td></td>" in page


def test_ids_are_deterministic_and_distinct(df):
    assert tables.html_table(df, "c") == tables.html_table(df, "c")
    assert tables.html_table(df, "c") != tables.html_table(df, "d")
    assert 'id="given"' in tables.html_table(df, "c", table_id="given")


def test_show_table_displays_html(df, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    tables.show_table(df, "Caption", note="n")
    assert len(shown) == 1 and ">Caption</caption>" in shown[0].data


def test_banner():
    html = tables.banner_html()
    assert 'class="wres-banner"' in html and "SYNTHETIC DATA" in html


def test_one_c_note_per_table():
    import pandas as pd

    from wres_utils.report import tables

    df = pd.DataFrame({"Band": ["Band 5"], "BME %": ["[c]"]})
    own = "[c] = confidential: a count from 1 to 7."
    html = tables.html_table(df, caption="C", note=own)
    assert html.count("[c] =") == 1 and own in html
    assert tables.html_table(df, caption="C").count("[c] =") == 1
