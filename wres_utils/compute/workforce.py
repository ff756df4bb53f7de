"""Indicator 1: staff in each pay band, clinical and non-clinical, as counts and percentages of
the band (all staff, or staff of known ethnicity, as params say), with the declaration rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.compute.pooling import base_rows, ratio
from wres_utils.compute.table import COLUMNS, GROUPS
from wres_utils.core.catalogue import (
    ALL_BANDS,
    ALL_CLINICAL,
    OK,
)


def indicator1(pooled: pd.DataFrame, denominator: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicator 1 rows, and the whole-workforce frame (unit, year, White, BME, Unknown, T, K)."""
    hc = pooled[pooled["ind"] == "1"]
    idx = ["unit", "year", "clinical", "band"]
    if hc.empty:
        empty = pd.DataFrame(columns=["unit", "year", *GROUPS, "T", "K"])
        return pd.DataFrame(columns=COLUMNS), empty
    band = hc.pivot_table(index=idx, columns="group", values="value", aggfunc="sum", fill_value=0)
    band = band.reindex(columns=GROUPS, fill_value=0).reset_index()
    band.columns = [str(c) for c in band.columns]
    cl = band.groupby(["unit", "year", "clinical"], as_index=False)[GROUPS].sum()
    cl["band"] = ALL_BANDS
    al = band.groupby(["unit", "year"], as_index=False)[GROUPS].sum()
    al["clinical"] = ALL_CLINICAL
    al["band"] = ALL_BANDS
    f = pd.concat([band, cl, al[idx + GROUPS]], ignore_index=True)
    for frame in (f, al):
        frame["T"] = frame["White"] + frame["BME"] + frame["Unknown"]
        frame["K"] = frame["White"] + frame["BME"]
    out = []
    for g, col in (("White", "White"), ("BME", "BME"), ("Unknown", "Unknown"), ("", "T")):
        out.append(
            base_rows(
                f,
                indicator="1",
                group=g,
                statistic="count",
                value=f[col].astype(float),
                status=OK,
                note="all staff" if g == "" else "",
                numerator=f[col],
            )
        )
    den_col = "T" if denominator == "all" else "K"
    if denominator == "all":
        ok_note = "percentage of all staff in the band (Unknown ethnicity included in the total)"
        nc_note = "not calculable: no staff in this band"
        groups = GROUPS
    else:
        ok_note = "percentage of staff of known ethnicity in the band (Unknown excluded)"
        nc_note = "not calculable: no staff of known ethnicity in this band"
        groups = ["White", "BME"]
    for g in groups:
        val, st = ratio(f[g], f[den_col], 100.0)
        out.append(
            base_rows(
                f,
                indicator="1",
                group=g,
                statistic="percent",
                value=val,
                status=st,
                note=np.where(st == OK, ok_note, nc_note),
                numerator=f[g],
                denominator=f[den_col],
                basis=denominator,
            )
        )
    val, st = ratio(al["K"], al["T"], 100.0)
    out.append(
        base_rows(
            al,
            indicator="1",
            group="",
            statistic="declaration_rate",
            value=val,
            status=st,
            note=np.where(
                st == OK,
                "staff recorded as White or BME, as a percentage of all staff (declaration rate)",
                "not calculable: no staff recorded",
            ),
            numerator=al["K"],
            denominator=al["T"],
            basis="all",
        )
    )
    return pd.concat(out, ignore_index=True), al
