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
    # a symbol is followed by its meaning in visually hidden text (spoken, not shown)
    c = "[c] (withheld to protect confidentiality)"
    assert tds == ["70.1%", "29.9%", c, c]
    labels = [a.get("data-label") for tag, a, _ in cells if tag == "td"]
    assert labels == ["White", "BME", "White", "BME"]  # each cell names its column
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
    assert "[x] not available" not in page


def test_unavailable_note():
    page = tables.html_table(pd.DataFrame({"a": ["x"], "b": ["[x]"]}), "c")
    assert tables.UNAVAILABLE_NOTE in page


def test_numeric_columns_are_right_aligned(df):
    page = tables.html_table(df, "c")
    assert '<th scope="col" class="num">White</th>' in page
    assert '<td class="num" data-label="White">70.1%</td>' in page
    assert '<th scope="col">Pay band</th>' in page


def test_floats_are_refused_integers_and_missing_are_fine():
    with pytest.raises(TypeError, match="display strings"):
        tables.html_table(pd.DataFrame({"a": ["x"], "b": [12.345]}), "c")
    page = tables.html_table(
        pd.DataFrame({"Year": [2021, 2022], "v": pd.array(["1.0%", None], dtype="string")}), "c"
    )
    assert '<th scope="row">2021</th>' in page
    assert '<td class="num" data-label="v"></td>' in page
    page = tables.html_table(pd.DataFrame({"a": ["x"], "b": [np.nan]}), "c")
    assert '<td data-label="b"></td>' in page


def test_ids_are_deterministic_and_distinct(df):
    assert tables.html_table(df, "c") == tables.html_table(df, "c")
    assert tables.html_table(df, "c") != tables.html_table(df, "d")
    assert 'id="given"' in tables.html_table(df, "c", table_id="given")


def test_a_class_names_the_tables_layout(df):
    plain = tables.html_table(df, "c")
    assert "<table " in plain and " class=" not in plain.split("<caption")[0].split("<table")[1]
    page = tables.html_table(df, "c", table_class='wres-cols-x "y"')
    assert '<table id="' in page and 'class="wres-cols-x &quot;y&quot;"' in page
    assert page.replace(' class="wres-cols-x &quot;y&quot;"', "") == plain  # nothing else


def test_show_table_displays_html(df, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    tables.show_table(df, "Caption", note="n")
    assert len(shown) == 1 and ">Caption</caption>" in shown[0].data


def test_banner():
    html = tables.banner_html()
    assert 'class="wres-banner"' in html and "SYNTHETIC DATA" in html


def test_one_legend_line_per_symbol_and_notes_never_define_one():
    df = pd.DataFrame({"Band": ["Band 5", "Band 6"], "BME %": ["[c]", "[x]"], "W": ["[c]", "1%"]})
    page = tables.html_table(df, caption="C", note="Band 6 was not collected.")
    notes = [t for tag, _, t in _parse(page) if tag == "p"]
    assert notes == [
        "Band 6 was not collected.",  # the reason for [x], in the table's note
        "[c] withheld to protect confidentiality: with the other published figures it could "
        "help identify individual staff. A withheld figure may be any value, 0 included.",
        "[x] not available: not collected, not calculable or not applicable.",
    ]
    assert page.count("[c] withheld") == 1 and page.count("[x] not available:") == 1
    with pytest.raises(ValueError, match="legend of \\[c\\] and \\[x\\] is added"):
        tables.html_table(df, caption="C", note="[c] = confidential: a count from 1 to 7.")


def test_symbols_are_spoken():
    """[c] and [x] carry their meaning for a screen reader: an abbr with a title, and the
    words in visually hidden text; the nh3 allow-list keeps both."""
    from wres_utils.report import safetext

    df = pd.DataFrame({"Year": ["2021"], "BME %": ["[c]"], "CI": ["[x]"]})
    page = tables.html_table(df, caption="C")
    assert (
        '<td data-label="BME %"><span><abbr class="wres-symbol" title="withheld to protect '
        'confidentiality">[c]</abbr><span class="wres-vh"> (withheld to protect '
        "confidentiality)</span></span></td>"
    ) in page
    assert '<abbr class="wres-symbol" title="not available">[x]</abbr>' in page
    clean = safetext.clean_html(page)
    for kept in ('title="not available"', 'class="wres-vh"', 'data-label="BME %"'):
        assert kept in clean, kept


def test_a_printed_only_table_writes_its_symbols_as_text():
    """spoken=False (a page that is only printed): the symbols are plain text, the legend
    still says what they mean; nothing else changes."""
    df = pd.DataFrame({"Band": ["[c]"], "BME %": ["[c]"], "CI": ["[x]"], "Staff": ["12"]})
    page = tables.html_table(df, caption="C", spoken=False)
    assert "<abbr" not in page and tables.HIDDEN_CLASS not in page
    assert '<th scope="row">[c]</th><td data-label="BME %">[c]</td>' in page
    assert '<td data-label="CI">[x]</td>' in page
    assert tables.SUPPRESSED_NOTE in page and tables.UNAVAILABLE_NOTE in page
    spoken = tables.html_table(df, caption="C")
    assert _parse(page) == [
        (
            tag,
            attrs,
            text.replace(" (withheld to protect confidentiality)", "").replace(
                " (not available)", ""
            ),
        )
        for tag, attrs, text in _parse(spoken)
    ]
