"""The ties between published cells, and the precision of what is printed.

Shared by the gate (:mod:`wres_utils.disclosure.gate`), its extra protections
(:mod:`wres_utils.disclosure.protect`) and the attacker (:mod:`wres_utils.disclosure.attack`):
every additive tie of an indicators table (bands and totals, clinical and non-clinical, joint
group = members, indicator 3 and 4 denominators = indicator 1 headcounts), which cells a set of
withheld cells leaves determined, and the values at the precision each statistic is printed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.core.catalogue import ALL_BANDS, ALL_CLINICAL

#: Statistics that are counts (the cells of the tables); everything else is derived from them.
BASE_STATISTICS: tuple[str, ...] = ("count", "denominator")
KEY = ["unit", "year", "indicator", "statistic", "group", "band", "clinical"]
PERCENT_STATISTICS = ("percent", "workforce_percent", "declaration_rate")
RATIO_STATISTICS = (
    "relative_likelihood",
    "ci_low",
    "ci_high",
    "relative_likelihood_2yr",
    "ci_low_2yr",
    "ci_high_2yr",
)
TOLERANCE = 1e-9


def tie_table(t: pd.DataFrame, base: np.ndarray) -> pd.DataFrame:
    """The linear ties between count cells: rows (tie, row, is_total); total = sum of parts."""
    b = t.loc[base, KEY + ["members"]].copy()
    b["rid"] = b.index.to_numpy()
    out: list[pd.DataFrame] = []
    n = 0

    def add(frame: pd.DataFrame, by: list[str], total_mask: pd.Series) -> None:
        nonlocal n
        if frame.empty:
            return
        g = frame.groupby(by, sort=False).ngroup().to_numpy()
        out.append(
            pd.DataFrame(
                {"tie": g + n, "rid": frame["rid"].to_numpy(), "is_total": total_mask.to_numpy()}
            )
        )
        n += int(g.max()) + 1

    one = b[(b["indicator"] == "1") & (b["statistic"] == "count")]
    # group cells + band total
    add(one, ["unit", "year", "clinical", "band"], one["group"] == "")
    # bands + "All", per clinical value and group
    per = one[one["clinical"] != ALL_CLINICAL]
    add(per, ["unit", "year", "clinical", "group"], per["band"] == ALL_BANDS)
    # clinical values + "all"
    al = one[one["band"] == ALL_BANDS]
    add(al, ["unit", "year", "group"], al["clinical"] == ALL_CLINICAL)
    # indicators 3 and 4 group headcounts = indicator 1 whole-workforce counts (same members)
    den = b[b["indicator"].isin(["3", "4"]) & (b["statistic"] == "denominator")]
    whole = al[al["clinical"] == ALL_CLINICAL]
    pairs = den.merge(whole, on=["unit", "year", "group", "members"], suffixes=("", "_1"))
    if not pairs.empty:
        ids = np.arange(len(pairs)) + n
        out.append(
            pd.DataFrame(
                {
                    "tie": np.concatenate([ids, ids]),
                    "rid": np.concatenate([pairs["rid"].to_numpy(), pairs["rid_1"].to_numpy()]),
                    "is_total": np.r_[np.zeros(len(pairs), bool), np.ones(len(pairs), bool)],
                }
            )
        )
        n += len(pairs)
    # joint units = sum of their member units (where every member is a unit of the table)
    units = set(b["unit"].unique())
    joint = b[b["members"] != b["unit"]]
    if not joint.empty:
        mem = joint.assign(member=joint["members"].str.split(",")).explode("member")
        complete = mem.groupby("rid")["member"].agg(lambda s: all(m in units for m in s))
        mem = mem[mem["rid"].map(complete)]
        if not mem.empty:
            key = ["year", "indicator", "statistic", "group", "band", "clinical"]
            parts = mem.merge(
                b[["unit", *key, "rid"]].rename(columns={"unit": "member"}),
                on=["member", *key],
                suffixes=("", "_m"),
            )
            tot = mem.drop_duplicates("rid")
            ids = {rid: n + i for i, rid in enumerate(tot["rid"])}
            n += len(ids)
            out.append(
                pd.DataFrame(
                    {
                        "tie": tot["rid"].map(ids).to_numpy(),
                        "rid": tot["rid"].to_numpy(),
                        "is_total": True,
                    }
                )
            )
            out.append(
                pd.DataFrame(
                    {
                        "tie": parts["rid"].map(ids).to_numpy(),
                        "rid": parts["rid_m"].to_numpy(),
                        "is_total": False,
                    }
                )
            )
    if not out:
        return pd.DataFrame({"tie": [], "rid": [], "is_total": []})
    return pd.concat(out, ignore_index=True)


def determined(a: np.ndarray, supp: np.ndarray) -> np.ndarray:
    """Which suppressed variables are fixed by the ties ``a`` given the published ones.

    Gauss-Jordan elimination of the ties restricted to the suppressed columns (small dense
    matrices; a LAPACK call is slower here because of thread start-up). A suppressed cell is
    determined iff its column is a pivot whose row has no entry in a free column.
    """
    cols = np.flatnonzero(supp)
    if cols.size == 0:
        return np.zeros(0, dtype=int)
    m = a[:, cols]
    m = m[np.any(m != 0, axis=1)].copy()
    nrow, ncol = m.shape
    pivots: list[int] = []
    r = 0
    for c in range(ncol):
        if r == nrow:
            break
        p = r + int(np.argmax(np.abs(m[r:, c])))
        if abs(m[p, c]) < TOLERANCE:
            continue
        if p != r:
            m[[r, p]] = m[[p, r]]
        m[r] /= m[r, c]
        col = m[:, c].copy()
        col[r] = 0.0
        nz = np.flatnonzero(np.abs(col) > TOLERANCE)
        if nz.size:
            m[nz] -= np.outer(col[nz], m[r])
        pivots.append(c)
        r += 1
    if not pivots:
        return np.zeros(0, dtype=int)
    piv = np.array(pivots)
    free = np.ones(ncol, dtype=bool)
    free[piv] = False
    fixed = ~np.any(np.abs(m[:r][:, free]) > 1e-7, axis=1)
    return cols[piv[fixed]]


#: Decimals each statistic is printed with (format_value); a published value carries no more.
PRINTED_DECIMALS: dict[str, int] = {
    **{s: 0 for s in BASE_STATISTICS},
    **{s: 1 for s in PERCENT_STATISTICS},
    "rate": 3,
    **{s: 2 for s in RATIO_STATISTICS},
    "percentage_points": 1,
}


def printed_values(
    statistic: pd.Series, value: pd.Series, round_to: int | None = None
) -> pd.Series:
    """``value`` at the precision it is printed with (format_value): a published file must
    not carry digits the report does not print (they let a reader solve for the counts)."""
    v = value.to_numpy(dtype=float, na_value=np.nan).copy()
    stat = statistic.astype(str).to_numpy()
    for s, d in PRINTED_DECIMALS.items():
        m = stat == s
        if m.any():
            v[m] = np.round(v[m], d)
    if round_to is not None and np.any(np.asarray(round_to, dtype=float) > 0):
        r = np.broadcast_to(np.asarray(round_to, dtype=float), v.shape)
        m = np.isin(stat, BASE_STATISTICS) & ~np.isnan(v) & (r > 0)
        v[m] = np.floor(v[m] / r[m] + 0.5) * r[m]
    return pd.Series(v, index=value.index)
