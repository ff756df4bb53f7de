"""Joint pooling: which members of a unit have each indicator's measures in a year, their
counts added up (counts first, then rates), and small helpers that shape rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from wres_utils.compute.table import GROUPS, MEASURE_WORDS, REQUIRES
from wres_utils.core.catalogue import (
    NOT_CALCULABLE,
    OK,
)
from wres_utils.core.params import Unit


def membership(
    counts: pd.DataFrame, units: Sequence[Unit], years: Iterable[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which members of each unit have each indicator's measures, per year.

    Returns ``(memb, info)``: ``memb`` has one row per unit x year x ind x included member;
    ``info`` one row per unit x year x ind with ``members`` and ``excluded`` (words).
    """
    keys = counts[["org_code", "year", "measure", "indicator", "board_role"]].drop_duplicates()
    present = set(
        zip(
            keys["org_code"].tolist(),
            keys["year"].tolist(),
            keys["measure"].tolist(),
            keys["indicator"].tolist(),
            keys["board_role"].tolist(),
            strict=True,
        )
    )
    memb: list[tuple[str, str, int, str]] = []
    info: list[tuple[str, int, str, str, str]] = []
    for u in units:
        for y in years:
            for ind, req in REQUIRES.items():
                inc, exc = [], []
                for m in u.members:
                    missing = [k[0] for k in req if (m, y, *k) not in present]
                    if missing:
                        exc.append((m, missing))
                    else:
                        inc.append(m)
                memb += [(u.id, m, y, ind) for m in inc]
                words = sorted({MEASURE_WORDS[k] for _, miss in exc for k in miss})
                if not inc:
                    who = f" by any member ({', '.join(u.members)})" if u.is_joint else ""
                    excluded = f"{' and '.join(words)} not collected for {y}{who}"
                elif exc:
                    parts = [
                        f"{m} ({', '.join(MEASURE_WORDS[k] for k in miss)} not collected)"
                        for m, miss in exc
                    ]
                    excluded = f"Excludes {'; '.join(parts)}."
                else:
                    excluded = ""
                info.append((u.id, y, ind, ",".join(inc), excluded))
    memb_df = pd.DataFrame(memb, columns=["unit", "org_code", "year", "ind"])
    info_df = pd.DataFrame(info, columns=["unit", "year", "indicator", "members", "excluded"])
    memb_df["year"] = memb_df["year"].astype("int64")
    info_df["year"] = info_df["year"].astype("int64")
    return memb_df, info_df


def pool_members(counts: pd.DataFrame, memb: pd.DataFrame) -> pd.DataFrame:
    """Counts of the included members added up per unit, year and indicator (column ``ind``)."""
    req = pd.DataFrame(
        [(ind, *k) for ind, ks in REQUIRES.items() for k in ks],
        columns=["ind", "measure", "indicator", "board_role"],
    )
    hc = counts["measure"] == "headcount"
    # Indicators 3 and 4 need only the total headcount per group: collapse bands first.
    collapsed = (
        counts[hc]
        .groupby(
            ["org_code", "year", "measure", "group", "indicator", "board_role"], as_index=False
        )["value"]
        .sum()
        .assign(band="", clinical="")
    )
    parts = [
        counts[hc].merge(req[req["ind"] == "1"], on=["measure", "indicator", "board_role"]),
        pd.concat([counts[~hc], collapsed], ignore_index=True).merge(
            req[req["ind"] != "1"], on=["measure", "indicator", "board_role"]
        ),
    ]
    x = pd.concat(parts, ignore_index=True).merge(memb, on=["org_code", "year", "ind"])
    return x.groupby(
        ["unit", "year", "ind", "measure", "group", "band", "clinical"], as_index=False, sort=False
    )["value"].sum()


def groups_wide(df: pd.DataFrame, keys: pd.DataFrame, index: list[str]) -> pd.DataFrame:
    """``keys`` with one int column per group (White, BME, Unknown) summed from ``df``."""
    if df.empty:
        wide = keys[index].copy()
        for g in GROUPS:
            wide[g] = 0
        return wide
    p = df.pivot_table(index=index, columns="group", values="value", aggfunc="sum", fill_value=0)
    p = p.reindex(columns=GROUPS, fill_value=0).reset_index()
    p.columns = [str(c) for c in p.columns]
    out = keys[index].merge(p, on=index, how="left")
    for g in GROUPS:
        out[g] = out[g].fillna(0).astype("int64")
    return out


def base_rows(base: pd.DataFrame, **cols: object) -> pd.DataFrame:
    """Indicator rows for each row of ``base`` (which gives unit, year, maybe band, clinical)."""
    n = len(base)
    data: dict[str, object] = {"unit": base["unit"].to_numpy(), "year": base["year"].to_numpy()}
    for c in ("band", "clinical"):
        if c in base.columns and c not in cols:
            data[c] = base[c].to_numpy()
    for k, v in cols.items():
        if isinstance(v, pd.Series):
            v = v.to_numpy()
        array_like = isinstance(v, np.ndarray | list | pd.api.extensions.ExtensionArray)
        data[k] = v if array_like else [v] * n
    return pd.DataFrame(data, index=range(n))


def ratio(num: np.ndarray, den: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """``num / den * scale`` where den > 0 (NaN elsewhere) and the status array."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    ok = den > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.where(ok, num / np.where(ok, den, 1.0) * scale, np.nan)
    return val, np.where(ok, OK, NOT_CALCULABLE)
