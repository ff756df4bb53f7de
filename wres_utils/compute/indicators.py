"""The counts table to the indicators table (docs/methodology.md; docs/data-contract.md section 3).

One row per unit x year x indicator x group x band x clinical x statistic. Joint units add up
their members' counts first and then compute (never averaged ratios). Values are unrounded;
``display`` is left empty here and filled by :func:`wres_utils.disclosure.gate.disclose`, the one
gate every published number passes.

Columns
-------
Contract columns (:data:`CONTRACT_COLUMNS`): unit, year, indicator, group, band, clinical,
statistic, value, status, note, display.

Extra published columns (:data:`EXTRA_COLUMNS`, kept by the published copy, blanked on
suppressed rows): ``classification`` (four-fifths class of a relative likelihood:
"below 0.80" / "0.80-1.25" / "above 1.25"), ``small_numbers`` (either group had fewer than 10
events), ``question`` (staff survey question, indicators 5-8), ``redesign`` (the question changed
between the previous year's survey and this one, so the comparison is not like for like; a
question only renumbered with the same wording is not flagged: see survey.py).

Helper columns (:data:`HELPER_COLUMNS`, analyst-only, dropped by the published copy):
``numerator``, ``denominator``, ``numerator2``, ``denominator2`` are the unrounded counts
behind a value (nullable ints): for a count row ``numerator`` is the count itself; for a
percent or rate the count and its denominator; for a relative likelihood (and its CI) a, n1
(numerator group) and c, n2 (comparator group); for percentage points the board BME count,
board size, workforce BME count and workforce denominator. ``members`` lists the member
organisations whose counts were added up (comma-separated). ``basis`` is the indicator 1
denominator ("all" or "known") on rows that use it.

Rows
----
- "1": per clinical value ("clinical", "non-clinical") and band present in the counts:
  ``count`` per group White/BME/Unknown and group "" (all staff of the band), ``percent`` per
  group (Unknown only with the "all" denominator); band "All" rows per clinical value are the
  totals; band "All", clinical "all" is the whole workforce (its BME ``percent`` is the BME
  share used by indicator 9). ``declaration_rate`` (group "", band "All", clinical "all") =
  (White + BME) / all staff * 100. Percentages are 0-100.
- "2", "3", "4": ``count`` (events) and ``denominator`` per group (White, BME, Unknown);
  ``rate`` per group White/BME as a proportion 0-1 (shown "0.152"); ``relative_likelihood``,
  ``ci_low``, ``ci_high`` (group ""), oriented as in the spec table. "3" also has
  ``relative_likelihood_2yr``, ``ci_low_2yr``, ``ci_high_2yr`` (this and the previous year's
  counts added) when the previous year's disciplinary figures exist.
- "5".."8": ``count`` (yes) and ``denominator`` (respondents) and ``percent`` per group.
- "9a" (voting), "9b" (executive): ``count`` (BME members) and ``denominator`` (members of
  the role, group ""), ``percent`` (BME share of the role), ``workforce_percent`` (BME share
  of the workforce, as indicator 1) and
  ``percentage_points`` = percent - workforce_percent. Both shares use the same basis: with
  the "all" denominator Unknown members and staff are in both denominators, with "known"
  they are left out of both.
- An indicator not collected for a unit and year is one row (its headline statistic) with
  status ``not_collected`` and the reason in ``note``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from wres_utils.compute.board import board_indicators
from wres_utils.compute.likelihood import indicators234
from wres_utils.compute.pooling import membership, pool_members
from wres_utils.compute.staff_survey import survey_indicators
from wres_utils.compute.table import BANDS, COLUMNS, COUNT_HELPERS, GROUP_ORDER, STATISTICS
from wres_utils.compute.workforce import indicator1
from wres_utils.core.catalogue import (
    ALL_BANDS,
    ALL_CLINICAL,
    HEADLINE_STATISTIC,
    INDICATORS,
    NOT_COLLECTED,
)
from wres_utils.core.params import Unit


def finish_rows(table: pd.DataFrame, unit_order: dict[str, int]) -> pd.DataFrame:
    """Defaults, dtypes and the report order."""
    table = table.reindex(columns=COLUMNS)
    for c in (
        "group",
        "band",
        "clinical",
        "note",
        "display",
        "classification",
        "question",
        "members",
        "basis",
    ):
        table[c] = table[c].astype(object).fillna("").astype(str)
    table["year"] = table["year"].astype("int64")
    table["value"] = pd.to_numeric(table["value"], errors="coerce").astype("float64")
    for c in COUNT_HELPERS:
        table[c] = pd.to_numeric(table[c], errors="coerce").astype("Int64")
    for c in ("small_numbers", "redesign"):
        col = table[c].astype(object)
        na = col.isna().to_numpy()
        table[c] = pd.arrays.BooleanArray(col.where(~na, False).astype(bool).to_numpy(), na)
    band_order = {b: i for i, b in enumerate(BANDS)}
    band_order[ALL_BANDS] = len(BANDS) + 1
    clin_order = {"": 0, "clinical": 1, "non-clinical": 2, ALL_CLINICAL: 9}

    def codes(col: str, order: dict[str, int], default: int) -> np.ndarray:
        return table[col].map(order).fillna(default).to_numpy(dtype="int64")

    keys = [
        codes("group", {g: i for i, g in enumerate(GROUP_ORDER)}, 9),
        codes("statistic", {s: i for i, s in enumerate(STATISTICS)}, 99),
        pd.factorize(table["band"], sort=True)[0],
        codes("band", band_order, len(BANDS)),
        pd.factorize(table["clinical"], sort=True)[0],
        codes("clinical", clin_order, 5),
        codes("indicator", {k: i for i, k in enumerate(INDICATORS)}, 99),
        table["year"].to_numpy(dtype="int64"),
        table["unit"].map(unit_order).fillna(len(unit_order)).to_numpy(dtype="int64"),
    ]
    order = np.lexsort(keys)
    return table.iloc[order].reset_index(drop=True)


def compute_indicators(
    counts: pd.DataFrame,
    units: list[Unit],
    denominator: Literal["all", "known"] = "all",
) -> pd.DataFrame:
    """The indicators table for every unit x every year present in ``counts``.

    ``counts`` is the counts table (counts.COUNT_COLUMNS). ``denominator`` is the indicator 1
    (and 9 workforce share) percentage denominator: all staff (default) or staff of known
    ethnicity. Joint units add up the counts of the members that collected a measure; the
    note names any member left out. See the module docstring for the rows and columns.
    """
    if denominator not in ("all", "known"):
        raise ValueError(f"denominator must be 'all' or 'known', not {denominator!r}")
    years = sorted(int(y) for y in counts["year"].unique())
    memb, info = membership(counts, units, years)
    pooled = pool_members(counts, memb)
    keys = {
        ind: info.loc[
            (info["indicator"] == ind) & (info["members"] != ""), ["unit", "year"]
        ].reset_index(drop=True)
        for ind in INDICATORS
    }
    ind1, workforce = indicator1(pooled, denominator)
    parts = [ind1]
    parts += indicators234(pooled, keys)
    parts += survey_indicators(pooled, keys)
    parts += board_indicators(pooled, keys, workforce, denominator)
    missing = info[info["members"] == ""]
    if not missing.empty:
        parts.append(
            pd.DataFrame(
                {
                    "unit": missing["unit"].to_numpy(),
                    "year": missing["year"].to_numpy(),
                    "indicator": missing["indicator"].to_numpy(),
                    "statistic": missing["indicator"].map(HEADLINE_STATISTIC).to_numpy(),
                    "value": np.nan,
                    "status": NOT_COLLECTED,
                    "note": missing["excluded"].to_numpy(),
                }
            )
        )
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}).pipe(
            finish_rows, {u.id: i for i, u in enumerate(units)}
        )
    table = pd.concat(parts, ignore_index=True)
    # Members and exclusion notes per unit x year x indicator.
    table = table.drop(columns=["members"], errors="ignore").merge(
        info[["unit", "year", "indicator", "members", "excluded"]],
        on=["unit", "year", "indicator"],
        how="left",
    )
    add = (table["excluded"].fillna("") != "") & (table["status"] != NOT_COLLECTED)
    table.loc[add, "note"] = (
        table.loc[add, "note"].fillna("").astype(str)
        + ". "
        + table.loc[add, "excluded"].astype(str)
    ).str.lstrip(". ")
    table = table.drop(columns=["excluded"])
    return finish_rows(table, {u.id: i for i, u in enumerate(units)})
