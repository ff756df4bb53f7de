"""Accessible HTML tables of already-disclosed display strings.

Only display strings go in: the output of disclosure control (``"12.3%"``, ``"1.52"``,
``"[c]"``). Whole numbers (e.g. years) are accepted; a float is refused with a
``TypeError``, because an unformatted float is most likely an undisclosed, unrounded value.
Missing cells (None, NaN, NA) are shown empty.

The table has a ``<caption>``, ``<th scope="col">`` column headers, a ``<th scope="row">``
first column, no index, and a note explaining ``[c]`` (and ``[x]``) whenever they appear.
"""

from __future__ import annotations

import hashlib
import html
import numbers
import re

import pandas as pd

from wres_utils.core.catalogue import MARKER

UNAVAILABLE = "[x]"
#: The note added to a table in which ``[c]`` appears.
SUPPRESSED_NOTE = (
    "[c] = withheld to protect confidentiality: with the other published figures it could "
    "help identify individual staff. A withheld figure may be any value, 0 included."
)
#: The note added to a table in which ``[x]`` appears.
UNAVAILABLE_NOTE = "[x] = not available (not collected, or not calculable)."

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


def _is_numeric(values: list[str]) -> bool:
    shown = [v for v in values if v and v not in (MARKER, UNAVAILABLE)]
    return bool(shown) and all(_NUMERIC.match(v) for v in shown)


def html_table(
    df: pd.DataFrame, caption: str, note: str | None = None, table_id: str | None = None
) -> str:
    """An accessible HTML table of display strings.

    Args:
        df: the table to show; its index is ignored, its first column heads each row.
        caption: what the table shows (becomes the ``<caption>``).
        note: an optional note printed under the table (before the automatic ``[c]`` note).
        table_id: an optional ``id`` for the table (otherwise one is derived from the
            content, so that renders are reproducible), used by ``aria-describedby``.

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

    notes = [note] if note else []
    flat = {v.strip() for r in body for v in r}
    explained = any(n.lstrip().startswith(f"{MARKER} =") for n in notes)
    if (MARKER in flat or any(MARKER in v for v in flat)) and not explained:
        notes.append(SUPPRESSED_NOTE)  # one [c] note per table, never two
    if UNAVAILABLE in flat:
        notes.append(UNAVAILABLE_NOTE)
    note_id = f"{table_id}-notes"
    described = f' aria-describedby="{note_id}"' if notes else ""

    # The wrapper scrolls sideways on a narrow screen: a named region that the keyboard can
    # reach (tabindex), so that every column can be read without scrolling the page.
    caption_id = f"{table_id}-caption"
    out = [
        f'<div class="wres-table" role="region" tabindex="0" aria-labelledby="{e(caption_id)}">'
        f'<table id="{e(table_id)}"{described}>'
    ]
    out.append(f'<caption id="{e(caption_id)}">{e(caption)}</caption>')
    out.append("<thead><tr>")
    for j, c in enumerate(cols):
        cls = ' class="num"' if numeric[j] and j > 0 else ""
        out.append(f'<th scope="col"{cls}>{e(c)}</th>')
    out.append("</tr></thead><tbody>")
    for r in body:
        out.append("<tr>")
        for j, v in enumerate(r):
            cls = ' class="num"' if numeric[j] and j > 0 else ""
            if j == 0:
                out.append(f'<th scope="row"{cls}>{e(v)}</th>')
            else:
                out.append(f"<td{cls}>{e(v)}</td>")
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
