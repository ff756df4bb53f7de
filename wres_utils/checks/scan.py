"""Reading outputs as a reader would: record identifiers to look for, HTML parsed into its
tables, figures and text, tables of records, small counts in a table, and a table compared
cell by cell with the same table built from the analyst's figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wres_utils.checks.findings import (
    DATA_URI,
    HELPER_COLUMNS,
    ID_COLUMNS,
    MAX_TABLE_ROWS,
    MIN_ID_LENGTH,
    MIN_NUMERIC_ID_LENGTH,
    PANDAS_SHAPE,
    RECORD_COLUMNS,
)
from wres_utils.core.catalogue import MARKER, SYMBOL_MEANINGS
from wres_utils.core.params import YearParams

try:  # lxml parses the large report pages several times faster than html.parser
    import lxml  # noqa: F401

    PARSER = "lxml"
except ImportError:  # pragma: no cover
    PARSER = "html.parser"


# ------------------------------------------------------------------------------ identifiers


def is_distinctive(identifier: str) -> bool:
    """Whether an identifier is searched for (long enough not to match ordinary text)."""
    s = identifier.strip()
    if len(s) < MIN_ID_LENGTH:
        return False
    return not (s.isdigit() and len(s) < MIN_NUMERIC_ID_LENGTH)


class IdentifierScanner:
    """Finds whole-token occurrences of known identifiers in text.

    A token is a maximal run of ASCII letters, digits and the punctuation used inside the
    identifiers (e.g. ``-``); an identifier is found when it equals a token, or a run of a
    token's parts split at that punctuation (so ``SYN-TRAP-000042`` is found in
    ``id=SYN-TRAP-000042.``, and ``62329207`` is not found in ``162329207``).
    """

    def __init__(self, identifiers: Iterable[str]):
        self.ids = frozenset(s.strip() for s in identifiers if is_distinctive(s))
        punct = sorted({c for s in self.ids for c in s if not (c.isascii() and c.isalnum())})
        self._punct = "".join(re.escape(c) for c in punct)
        self._token = re.compile(f"[A-Za-z0-9{self._punct}]+")
        self._split = re.compile(f"([{self._punct}])") if punct else None
        self._max_parts = max(
            (len(self._split.split(s)) // 2 + 1 if self._split else 1 for s in self.ids),
            default=1,
        )

    def find(self, text: str) -> list[str]:
        """The identifiers found in ``text``, sorted."""
        if not self.ids or not text:
            return []
        hits: set[str] = set()
        for m in self._token.finditer(text):
            tok = m.group()
            if tok in self.ids:
                hits.add(tok)
            elif self._split is not None and len(tok) > MIN_ID_LENGTH:
                parts = self._split.split(tok)
                words, seps = parts[0::2], parts[1::2]
                for i in range(len(words)):
                    cand = words[i]
                    for j in range(i + 1, min(len(words), i + self._max_parts)):
                        cand += seps[j - 1] + words[j]
                        if cand in self.ids:
                            hits.add(cand)
        return sorted(hits)


def record_identifiers(history: dict[int, YearParams], root: Path) -> set[str]:
    """Every value of the identifier columns (:data:`ID_COLUMNS`) of every extract read."""
    from wres_utils.inputs import read as inputs_read

    ids: set[str] = set()
    for params in history.values():
        for org in params.organisations:
            for spec in org.files.values():
                rows, _ = inputs_read.read_table(Path(root) / spec.path, spec.sheet, spec.columns)
                for col in ID_COLUMNS:
                    if col in rows.columns:
                        ids.update(v.strip() for v in rows[col].astype(str) if v and v.strip())
    return ids


# ------------------------------------------------------------------------------ parsing outputs


def strip_data_uris(text: str) -> str:
    """``text`` without embedded base64 data (images): their bytes are not text (an SVG's
    text is read apart, :func:`svg_uri_text`)."""
    return DATA_URI.sub("data:,", text)


#: An embedded SVG image (the charts): its text is read, not skipped.
SVG_DATA_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)")
#: What an SVG image that cannot be read is reported as (never silently skipped).
UNREADABLE_SVG = "(an SVG image that cannot be read)"


def svg_uri_text(uri: str) -> tuple[str, ...]:
    """The texts a reader sees in the SVG of a ``data:image/svg+xml;base64,`` URL (labels,
    values, legend, titles); ``(UNREADABLE_SVG,)`` when it does not decode or parse."""
    import base64
    import binascii

    from wres_utils.report.svg import svg_text

    m = SVG_DATA_URI.match(uri)
    try:
        raw = base64.b64decode("".join(m.group(1).split()), validate=True) if m else b""
        return tuple(svg_text(raw)) if raw else (UNREADABLE_SVG,)
    except (binascii.Error, ValueError, SyntaxError):  # ParseError is a SyntaxError
        return (UNREADABLE_SVG,)


@dataclass(frozen=True)
class Table:
    """A table as published: caption, column headers and rows of cell texts."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Figure:
    """A published chart: its caption (the chart title), its image's alt text and, for an SVG
    image, the texts drawn in it (labels, values, legend)."""

    caption: str
    alt: str
    text: tuple[str, ...] = ()


def parse_html(source: str) -> tuple[list[Table], list[Figure], str]:
    """The tables, figures and visible text (whitespace-normalised) of an HTML document.

    The visually hidden words after a blank symbol (``[c]`` -> "(withheld to protect
    confidentiality)") are not part of the visible text; other hidden text is kept.
    """
    from bs4 import BeautifulSoup

    # Each embedded SVG is read once, and its URL replaced by a reference to what it says.
    svgs: list[tuple[str, ...]] = []

    def _read(m: re.Match[str]) -> str:
        svgs.append(svg_uri_text(m.group(0)))
        return f"data:image/svg+xml;ref={len(svgs) - 1},"

    def _texts(img: object) -> tuple[str, ...]:
        ref = re.match(r"data:image/svg\+xml;ref=(\d+),", str(img.get("src") or ""))  # type: ignore[attr-defined]
        return svgs[int(ref.group(1))] if ref else ()

    soup = BeautifulSoup(strip_data_uris(SVG_DATA_URI.sub(_read, source)), PARSER)
    # A blank symbol's spoken words (report.tables.symbol_html) are not shown: the cell reads
    # "[c]". Only the exact words of a symbol are dropped; any other hidden text is scanned.
    spoken = {f"({words})" for words in SYMBOL_MEANINGS.values()}
    for hidden in soup.select("span.wres-vh"):
        if hidden.get_text().strip() in spoken:
            hidden.decompose()
    tables = []
    for t in soup.find_all("table"):
        cap = t.find("caption")
        caption = " ".join(cap.get_text(" ").split()) if cap else ""
        head = t.find("thead")
        trs = t.find_all("tr")
        if head is not None:
            columns = [c.get_text().strip() for c in head.find_all(["th", "td"])]
            body = [tr for tr in trs if tr.find_parent("thead") is None]
        elif trs:
            columns = [c.get_text().strip() for c in trs[0].find_all(["th", "td"])]
            body = trs[1:]
        else:
            columns, body = [], []
        rows = [[c.get_text().strip() for c in tr.find_all(["th", "td"])] for tr in body]
        tables.append(Table(caption, columns, rows))
    figures = []
    for fig in soup.find_all("figure"):
        cap = fig.find("figcaption")
        for img in fig.find_all("img"):
            caption = " ".join(cap.get_text(" ").split()) if cap else ""
            figures.append(Figure(caption, img.get("alt") or "", _texts(img)))
    for img in soup.find_all("img"):
        if img.find_parent("figure") is None:
            figures.append(Figure("", img.get("alt") or "", _texts(img)))
    return tables, figures, normalise_text(soup.get_text(""))


def normalise_text(text: str) -> str:
    """Whitespace runs to one space (so sentences match across line breaks)."""
    return " ".join(text.split())


def markdown_to_text(markdown: str) -> str:
    """Plain text of a one-paragraph markdown string (emphasis and code marks removed)."""
    text = re.sub(r"(\*\*|__|`)", "", markdown)
    text = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    return normalise_text(re.sub(r"^\s*#+\s*", "", text, flags=re.M))


def _norm_col(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def records_problem(columns: Iterable[str], n_rows: int) -> str | None:
    """Why a table looks like record-level data (or the counts table), or None."""
    cols = {_norm_col(c) for c in columns}
    named = sorted(cols & RECORD_COLUMNS)
    if named:
        return f"a table of records (columns {named})"
    if {"measure", "value"} <= cols and "org_code" in cols:
        return "the counts table (unsuppressed counts)"
    helpers = sorted(cols & HELPER_COLUMNS)
    if helpers and "statistic" in cols:
        return f"the analyst's indicators table (columns {helpers})"
    if n_rows > MAX_TABLE_ROWS:
        return f"a table of {n_rows} rows (more than {MAX_TABLE_ROWS}: records?)"
    return None


def plain_text_records(text: str) -> str | None:
    """Why a text/plain output (e.g. a DataFrame repr) looks like records, or None."""
    head = text.strip().splitlines()[:2]
    tokens = {_norm_col(t) for line in head for t in line.split()}
    m = PANDAS_SHAPE.search(text)
    n = int(m.group(1).replace(",", "")) if m else len(text.strip().splitlines()) - 1
    return records_problem(tokens, n)


def small_count_cells(table: Table, k: int) -> list[tuple[int, int, str]]:
    """(row, column, text) of cells (not the row header) that are a bare count 1..k."""
    out = []
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row[1:], start=1):
            s = cell.replace(",", "").strip()
            if s.isdigit() and 1 <= int(s) <= k:
                out.append((i, j, cell))
    return out


def compare_table(
    table: Table, disclosed: pd.DataFrame, raw: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """Cell-by-cell comparison of a published table with the tables built from the disclosed
    and the unsuppressed copies; returns (location, kind, detail) triples.

    A cell that disclosure control changes (``[c]`` in the disclosed table, or any cell that
    differs between the disclosed and the unsuppressed tables, such as the direction of change
    of a suppressed figure) but shows anything other than the disclosed text is
    ``suppressed_shown``; any other difference is a ``mismatch`` (warning).
    """
    out: list[tuple[str, str, str]] = []
    d_cols = [str(c) for c in disclosed.columns]
    if table.columns != d_cols or len(table.rows) != len(disclosed):
        out.append(
            (
                "",
                "mismatch",
                f"shape differs from the expected table: columns {table.columns} x "
                f"{len(table.rows)} rows, expected {d_cols} x {len(disclosed)} rows",
            )
        )
    col_index = {c: j for j, c in enumerate(d_cols)}
    d_rows = [[_cell_text(v) for v in r] for r in disclosed.itertuples(index=False, name=None)]
    r_rows = [[_cell_text(v) for v in r] for r in raw.itertuples(index=False, name=None)]
    by_header: dict[str, list[int]] = {}
    for i, r in enumerate(d_rows):
        by_header.setdefault(r[0] if r else "", []).append(i)
    used: dict[str, int] = {}
    for i, prow in enumerate(table.rows):
        head = prow[0] if prow else ""
        cands = by_header.get(head, [])
        n = used.get(head, 0)
        used[head] = n + 1
        if n < len(cands):
            ei = cands[n]
        elif i < len(d_rows):
            ei = i
        else:
            continue
        for j, p in enumerate(prow):
            col = table.columns[j] if j < len(table.columns) else str(j)
            ej = col_index.get(col)
            if ej is None or ej >= len(d_rows[ei]):
                continue
            d = d_rows[ei][ej]
            r = r_rows[ei][ej] if ei < len(r_rows) and ej < len(r_rows[ei]) else ""
            if p == d:
                continue
            where = f"row {head!r}" + (f" (#{n + 1})" if n else "") + f", column {col!r}"
            if MARKER in d or (r and r != d):
                raw_note = " (the unsuppressed figure)" if p == r else ""
                out.append(
                    (
                        where,
                        "suppressed_shown",
                        f"shows {p!r}{raw_note} where disclosure control gives {d!r}",
                    )
                )
            else:
                out.append((where, "mismatch", f"shows {p!r}, the disclosed copy gives {d!r}"))
    return out


def _cell_text(v: object) -> str:
    """A cell as the report prints it (the report's own formatter), without padding."""
    from wres_utils.report.tables import cell_text

    return cell_text(v, "audit").strip()
