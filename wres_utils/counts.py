"""The counts table: the boundary after which no record-level data exist.

Long/tidy, one row per org_code x year x measure x group x band x clinical x indicator x
board_role, with a whole-number ``value`` (data-contract.md section 2). String columns use
"" for blank; ``year`` and ``value`` are integers.

A measure with no rows at all for an organisation and year is *not collected*; a measure that
is present has explicit rows (zero rows included) for White, BME and Unknown.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: Columns of the counts table, in order.
COUNT_COLUMNS: list[str] = [
    "org_code",
    "year",
    "measure",
    "group",
    "band",
    "clinical",
    "indicator",
    "board_role",
    "value",
]
#: The key columns (everything but value).
KEY_COLUMNS: list[str] = COUNT_COLUMNS[:-1]
#: Allowed values of ``measure``.
MEASURES: tuple[str, ...] = (
    "headcount",
    "shortlisted",
    "appointed",
    "disciplinary",
    "training",
    "survey_respondents",
    "survey_yes",
    "board",
)
#: Allowed values of ``group``.
GROUPS: tuple[str, ...] = ("White", "BME", "Unknown")
#: Allowed values of ``clinical`` (headcount rows only).
CLINICAL: tuple[str, ...] = ("clinical", "non-clinical")
#: Allowed values of ``board_role`` (board rows only).
BOARD_ROLES: tuple[str, ...] = ("voting", "executive", "all")
#: Allowed values of ``indicator`` (survey rows only).
SURVEY_INDICATORS: tuple[str, ...] = ("5", "6", "7", "8")


def empty_counts() -> pd.DataFrame:
    """A counts table with no rows and the right dtypes."""
    return normalise_dtypes(pd.DataFrame({c: [] for c in COUNT_COLUMNS}))


def normalise_dtypes(counts: pd.DataFrame) -> pd.DataFrame:
    """Return ``counts`` with the canonical column order and dtypes (str keys, int year/value)."""
    out = counts.reindex(columns=COUNT_COLUMNS).copy()
    for c in KEY_COLUMNS:
        if c != "year":
            out[c] = out[c].fillna("").astype(str)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("int64")
    return out.reset_index(drop=True)


def measures_present(counts: pd.DataFrame, org_code: str, year: int) -> set[str]:
    """The measures collected for one organisation and year (present, even if all zero)."""
    sel = counts[(counts["org_code"] == org_code) & (counts["year"] == year)]
    return set(sel["measure"].unique())


def pool_counts(
    counts: pd.DataFrame, members: Iterable[str], unit: str, measures: Iterable[str] | None = None
) -> pd.DataFrame:
    """Sum the counts of ``members`` into one unit called ``unit`` (org_code becomes ``unit``).

    This is how joint reports are made: counts first, then indicators (never averaged
    ratios). With ``measures``, only those measures are kept. Years are kept apart.
    """
    members = list(members)
    sel = counts[counts["org_code"].isin(members)]
    if measures is not None:
        sel = sel[sel["measure"].isin(list(measures))]
    if sel.empty:
        return empty_counts()
    keys = [c for c in KEY_COLUMNS if c != "org_code"]
    out = sel.groupby(keys, as_index=False, sort=True)["value"].sum()
    out.insert(0, "org_code", unit)
    return normalise_dtypes(out)
