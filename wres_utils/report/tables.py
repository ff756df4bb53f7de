"""Accessible HTML tables of already-disclosed display strings.

Only display strings go in: the output of disclosure control (``"12.3%"``, ``"1.52"``,
``"[c]"``). Whole numbers (e.g. years) are accepted; a float is refused with a
``TypeError``, because an unformatted float is most likely an undisclosed, unrounded value.
Missing cells (None, NaN, NA) are shown empty.

The table has a ``<caption>``, ``<th scope="col">`` column headers, a ``<th scope="row">``
first column, no index, and, under it, the legend of the blank symbols it uses (``[c]``,
``[x]``: :data:`wres_utils.core.catalogue.LEGEND`, one line per symbol, never two).

Each symbol in a cell is spoken: ``<abbr title="withheld to protect confidentiality">[c]</abbr>``
followed by the same words in visually hidden text (``wres-vh``: read by screen readers,
not shown, not printed); a page that is only printed may write it as plain text
(``spoken=False``: the PDF is the same, the legend says what it means). Each data cell
carries its column header in ``data-label``: on a narrow screen the stylesheet shows every
row as a block of "header: value" lines, so the page never scrolls sideways.
"""

from __future__ import annotations

import hashlib
import html
import numbers
import re

import pandas as pd

from wres_utils.core.catalogue import LEGEND, MARKER, SYMBOL_MEANINGS, UNAVAILABLE, legend

#: The legend line of ``[c]`` (from the catalogue), printed under a table in which it appears.
SUPPRESSED_NOTE = LEGEND[MARKER]
#: The legend line of ``[x]``, printed under a table in which it appears.
UNAVAILABLE_NOTE = LEGEND[UNAVAILABLE]
#: The class of text read by screen readers but not shown (templates/wres/static/wres.css).
HIDDEN_CLASS = "wres-vh"
_SYMBOL = re.compile("|".join(re.escape(html.escape(s)) for s in SYMBOL_MEANINGS))

_NUMERIC = re.compile(r"^\s*[-+−]?[£]?\d[\d,]*(\.\d+)?\s*(%|pp|p\.p\.)?\s*$")


def cell_text(v: object, where: str) -> str:
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float) and v != v:  # NaN
        return ""
    if isinstance(v, bool):
        return "Yes" if v else "No"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Number):
        raise TypeError(
            f"tables.html_table: {where} is a number ({v!r}); pass display strings "
            "(the disclosed 'display' column, or values formatted for display)"
        )
    return str(v)


def symbol_html(text: str) -> str:
    """``text`` as HTML, each blank symbol in it spoken: ``[c]`` becomes
    ``<abbr class="wres-symbol" title="withheld ...">[c]</abbr>`` and the words in visually
    hidden text, so that a screen reader says what the symbol means."""

    def spoken(m: re.Match[str]) -> str:
        words = html.escape(SYMBOL_MEANINGS[html.unescape(m.group(0))])
        return (
            f'<abbr class="wres-symbol" title="{words}">{m.group(0)}</abbr>'
            f'<span class="{HIDDEN_CLASS}"> ({words})</span>'
        )

    return _SYMBOL.sub(spoken, html.escape(text))


def _is_numeric(values: list[str]) -> bool:
    shown = [v for v in values if v and v not in (MARKER, UNAVAILABLE)]
    return bool(shown) and all(_NUMERIC.match(v) for v in shown)


def html_table(
    df: pd.DataFrame,
    caption: str,
    note: str | None = None,
    table_id: str | None = None,
    table_class: str | None = None,
    spoken: bool = True,
) -> str:
    """An accessible HTML table of display strings.

    Args:
        df: the table to show; its index is ignored, its first column heads each row.
        caption: what the table shows (becomes the ``<caption>``).
        note: an optional note printed under the table, before the legend of the symbols;
            it must not explain a symbol itself (``ValueError``): the legend is added here.
        table_id: an optional ``id`` for the table (otherwise one is derived from the
            content, so that renders are reproducible), used by ``aria-describedby``.
        table_class: an optional ``class`` of the ``<table>``, naming its layout for a
            stylesheet (e.g. the printed documents' column widths, ``documents.css``).
        spoken: each symbol in a cell is spoken (:func:`symbol_html`); False writes it as
            plain text, for a page that is only printed: a PDF carries neither an abbr's
            title nor the hidden words (print does not show them), so its readers have the
            legend under the table, and the printer is spared three elements a symbol.

    Returns:
        an HTML fragment: ``<div class="wres-table">`` (a focusable region named by the
        caption, which scrolls sideways on a narrow screen) holding the table and its notes.
    """
    cols = [str(c) for c in df.columns]
    body = [
        [cell_text(v, f"row {i + 1}, column {cols[j]!r}") for j, v in enumerate(row)]
        for i, row in enumerate(df.itertuples(index=False, name=None))
    ]
    numeric = [_is_numeric([r[j] for r in body]) for j in range(len(cols))]
    if table_id is None:
        digest = hashlib.sha1(repr((caption, note, cols, body)).encode("utf-8")).hexdigest()
        table_id = f"wres-table-{digest[:10]}"
    e = html.escape

    flat = {v.strip() for r in body for v in r}
    notes = [note] if note else []
    if note and note.lstrip().startswith(tuple(SYMBOL_MEANINGS)):
        raise ValueError(
            f"tables.html_table: the note {note[:20]!r}... explains a blank symbol; the "
            "legend of [c] and [x] is added by html_table itself (one line per symbol)"
        )
    notes += legend(flat)  # one line per symbol used, never two
    note_id = f"{table_id}-notes"
    described = f' aria-describedby="{note_id}"' if notes else ""

    # The wrapper scrolls sideways on a narrow screen: a named region that the keyboard can
    # reach (tabindex), so that every column can be read without scrolling the page.
    caption_id = f"{table_id}-caption"
    klass = f' class="{e(table_class)}"' if table_class else ""
    out = [
        f'<div class="wres-table" role="region" tabindex="0" aria-labelledby="{e(caption_id)}">'
        f'<table id="{e(table_id)}"{klass}{described}>'
    ]
    out.append(f'<caption id="{e(caption_id)}">{e(caption)}</caption>')
    out.append("<thead><tr>")
    for j, c in enumerate(cols):
        cls = ' class="num"' if numeric[j] and j > 0 else ""
        out.append(f'<th scope="col"{cls}>{e(c)}</th>')
    out.append("</tr></thead><tbody>")
    mark = symbol_html if spoken else e
    for r in body:
        out.append("<tr>")
        for j, v in enumerate(r):
            cls = ' class="num"' if numeric[j] and j > 0 else ""
            if j == 0:
                out.append(f'<th scope="row"{cls}>{mark(v)}</th>')
            else:
                label = f' data-label="{e(cols[j])}"'
                inner = mark(v)
                if inner != e(v):  # one box beside the label on a narrow screen
                    inner = f"<span>{inner}</span>"
                out.append(f"<td{cls}{label}>{inner}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if notes:
        out.append(f'<div class="table-notes" id="{note_id}">')
        out.extend(f'<p class="table-note">{e(n)}</p>' for n in notes)
        out.append("</div>")
    out.append("</div>")
    return "".join(out)


def show_table(df: pd.DataFrame, caption: str, note: str | None = None) -> None:
    """Display :func:`html_table` in a notebook."""
    from IPython.display import HTML, display

    display(HTML(html_table(df, caption, note)))


def banner_html(text: str = "SYNTHETIC DATA: these figures are made up, for testing only.") -> str:
    """A banner (e.g. "SYNTHETIC DATA") that any cell can display; styled by the template."""
    return f'<div class="wres-banner" role="note"><strong>{html.escape(text)}</strong></div>'


def show_banner(text: str = "SYNTHETIC DATA: these figures are made up, for testing only.") -> None:
    """Display :func:`banner_html` in a notebook."""
    from IPython.display import HTML, display

    display(HTML(banner_html(text)))
