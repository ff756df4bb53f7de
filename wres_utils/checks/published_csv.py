"""The published indicators.csv files: every row checked against the disclosed analyst copy
(nothing withheld shown, no small count, no helper column), and the cells a reader could
work out from what is published.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.checks.findings import HELPER_COLUMNS, KEYS
from wres_utils.core.catalogue import MARKER

# ------------------------------------------------------------------------------ indicators CSV


def _key_frame(frame: pd.DataFrame) -> pd.DataFrame:
    k = frame[[c for c in KEYS if c in frame.columns]].copy()
    for c in KEYS:
        if c not in k:
            k[c] = ""
    k = k.astype(str).replace({"nan": "", "<NA>": ""})
    k["year"] = k["year"].str.replace(r"\.0$", "", regex=True)
    return k[KEYS]


def read_published_csv(path: Path) -> pd.DataFrame:
    """A published indicators CSV as text (value as a number)."""
    from wres_utils.report import safe_csv

    d = safe_csv.read_csv(path)  # undoes the CSV-injection escaping of text cells
    if "value" in d:
        d["value"] = pd.to_numeric(d["value"], errors="coerce")
    return d


def is_indicators_table(frame: pd.DataFrame) -> bool:
    """Whether a CSV is (a copy of) the indicators table."""
    return {"unit", "indicator", "statistic", "display"} <= set(frame.columns)


def check_indicators_csv(
    published: pd.DataFrame, analyst: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """Row-by-row check of a published indicators table against the disclosed analyst copy.

    Returns (location, kind, detail): a row that disclosure control suppresses must have no
    value and display ``[c]`` (``suppressed_shown`` otherwise); helper columns must be absent.
    """
    out: list[tuple[str, str, str]] = []
    helpers = sorted(set(published.columns) & HELPER_COLUMNS)
    if helpers:
        out.append(("columns", "records", f"analyst-only columns published: {helpers}"))
    pk = _key_frame(published)
    ak = _key_frame(analyst)
    ak["_a"] = np.arange(len(analyst))
    pk["_p"] = np.arange(len(published))
    m = pk.merge(ak, on=KEYS, how="left")
    a_status = analyst["status"].astype(str).to_numpy()
    a_display = analyst["display"].astype(str).to_numpy()
    a_note = analyst["note"].astype(str).to_numpy()
    raw_value = analyst["value"].to_numpy(dtype=float, na_value=np.nan)
    p_value = (
        pd.to_numeric(published["value"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if "value" in published
        else np.full(len(published), np.nan)
    )
    p_display = (
        published["display"].astype(str).to_numpy()
        if "display" in published
        else np.full(len(published), "")
    )
    unmatched = 0
    mismatched = []
    for pi, ai in zip(m["_p"].to_numpy(), m["_a"].to_numpy(), strict=True):
        if ai != ai:  # NaN: no such row in the analyst copy
            unmatched += 1
            continue
        ai, pi = int(ai), int(pi)
        label = ", ".join(
            f"{c} {v}" for c, v in zip(KEYS, pk.iloc[pi][KEYS].tolist(), strict=True) if v
        )
        where = f"row {pi + 2} ({label})"
        if a_status[ai] == "suppressed":
            shown = p_display[pi] != MARKER or p_value[pi] == p_value[pi]
            if shown:
                raw = "" if raw_value[ai] != raw_value[ai] else f", raw value {raw_value[ai]:g}"
                out.append(
                    (
                        where,
                        "suppressed_shown",
                        f"published display {p_display[pi]!r}, value "
                        f"{'' if p_value[pi] != p_value[pi] else f'{p_value[pi]:g}'!r}, where "
                        f"disclosure control gives [c] ({a_note[ai]}{raw})",
                    )
                )
        elif p_display[pi] != a_display[ai]:
            mismatched.append(where)
    if unmatched:
        out.append(("", "mismatch", f"{unmatched} row(s) not in the analyst copy of the inputs"))
    if mismatched:
        out.append(
            (
                mismatched[0],
                "mismatch",
                f"{len(mismatched)} row(s) display another figure than the disclosed copy "
                f"(first: {mismatched[0]})",
            )
        )
    return out


def recoverable_cells(analyst: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Suppressed count cells of ``analyst`` that the published counts determine.

    ``analyst`` is the disclosed analyst copy of the year (every unit); ``published`` the
    concatenation of the published indicators tables. A count cell is published when a
    published row has it with status ``ok`` and a value. The linear ties of
    :func:`wres_utils.disclosure.gate._ties` (band totals, clinical totals, joint = sum of members,
    indicators 3/4 headcounts) are solved for the unpublished cells; the suppressed ones
    that come out determined are returned (analyst rows).
    """
    from wres_utils.disclosure import gate as disclosure

    t = analyst.reset_index(drop=True)
    stat = t["statistic"].astype(str)
    status = t["status"].astype(str)
    base = (
        stat.isin(disclosure.BASE_STATISTICS)
        & status.isin(["ok", "suppressed"])
        & t["value"].notna()
    ).to_numpy()
    shown = published[
        (published["status"].astype(str) == "ok") & pd.to_numeric(published["value"]).notna()
    ]
    tk = _key_frame(t)
    tk["_r"] = np.arange(len(t))
    hit = tk.merge(_key_frame(shown).drop_duplicates(), on=KEYS, how="inner")["_r"].to_numpy()
    is_pub = np.zeros(len(t), dtype=bool)
    is_pub[hit] = True
    ties = disclosure._ties(t, base)
    if ties.empty:
        return t.iloc[0:0]
    rid = ties["rid"].to_numpy(dtype="int64")
    tie = ties["tie"].to_numpy(dtype="int64")
    is_total = ties["is_total"].to_numpy(dtype=bool)
    # One system per year (ties never cross years); joint units tie their members together.
    year = t["year"].astype(str).to_numpy()
    found: list[int] = []
    for y in np.unique(year[rid]):
        sel = year[rid] == y
        r, ti, tot = rid[sel], tie[sel], is_total[sel]
        cols, inv = np.unique(r, return_inverse=True)
        rows, rinv = np.unique(ti, return_inverse=True)
        a = np.zeros((len(rows), len(cols)))
        np.add.at(a, (rinv, inv), np.where(tot, -1.0, 1.0))
        free = ~is_pub[cols] & base[cols]
        if not free.any():
            continue
        det = disclosure._determined(a, free)
        found += [int(cols[d]) for d in det if status.iloc[int(cols[d])] == "suppressed"]
    return t.iloc[sorted(found)]
