"""A prepared table's rows as records (column -> value), for the many small look-ups of a
report chapter: a Python scan of a few records costs microseconds where a boolean filter of
the whole table costs half a millisecond, and a chapter makes hundreds of them.

A record holds the table's values as Python scalars (``tolist``): the same numbers and
strings as the table, so what is shown from a record is what was shown from the row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

#: One row of a prepared table: column name -> value.
Record = Mapping[str, Any]


def records(table: pd.DataFrame) -> list[Record]:
    """Every row of ``table`` as a record, in table order."""
    cols = [str(c) for c in table.columns]
    return [
        dict(zip(cols, values, strict=True))
        for values in zip(*(table[c].tolist() for c in table.columns), strict=True)
    ]


def by_indicator_year(table: pd.DataFrame) -> dict[tuple[Any, Any], tuple[Record, ...]]:
    """The records of ``table`` by (indicator, year), each in table order. A row without a
    year is left out: it matches no year asked for."""
    out: dict[tuple[Any, Any], list[Record]] = {}
    for r in records(table):
        if not pd.isna(r["year"]):
            out.setdefault((r["indicator"], r["year"]), []).append(r)
    return {k: tuple(v) for k, v in out.items()}


def _matches(r: Record, where: dict[str, object]) -> bool:
    return all(r.get(c) == v for c, v in where.items())


def matching(rows: Iterable[Record], **where: object) -> list[Record]:
    """The records whose columns equal ``where`` (a missing column matches nothing), in order."""
    return [r for r in rows if _matches(r, where)]


def first(rows: Iterable[Record], **where: object) -> Record | None:
    """The first of :func:`matching` (None when no record matches)."""
    return next((r for r in rows if _matches(r, where)), None)
