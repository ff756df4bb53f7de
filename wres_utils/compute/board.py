"""Indicator 9: the BME share of the Board's voting and executive members against the BME
share of the workforce, in percentage points (one basis for both).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.compute.pooling import base_rows, groups_wide, ratio
from wres_utils.compute.table import BOARD_ROLE
from wres_utils.core.catalogue import (
    NOT_CALCULABLE,
    NOT_COLLECTED,
    OK,
)


def board_indicators(
    pooled: pd.DataFrame, keys: dict[str, pd.DataFrame], workforce: pd.DataFrame, denominator: str
) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    idx = ["unit", "year"]
    den_col = "T" if denominator == "all" else "K"
    wf_words = "all staff" if denominator == "all" else "staff of known ethnicity"
    for ind, role in BOARD_ROLE.items():
        k = keys[ind]
        if k.empty:
            continue
        sub = pooled[pooled["ind"] == ind]
        b = groups_wide(sub[sub["measure"] == "board"], k, idx)
        # One basis for both shares: with the "known" denominator the Board share, like the
        # workforce share, leaves out members of unknown ethnicity.
        b["Tb"] = b["White"] + b["BME"] + (b["Unknown"] if denominator == "all" else 0)
        members = (
            f"all {role} board members (Unknown ethnicity included)"
            if denominator == "all"
            else f"{role} board members of known ethnicity (Unknown excluded, as in the "
            "workforce share)"
        )
        out.append(
            base_rows(
                b,
                indicator=ind,
                group="BME",
                statistic="count",
                value=b["BME"].astype(float),
                status=OK,
                numerator=b["BME"],
                note=f"BME {role} board members",
            )
        )
        out.append(
            base_rows(
                b,
                indicator=ind,
                group="",
                statistic="denominator",
                value=b["Tb"].astype(float),
                status=OK,
                numerator=b["Tb"],
                note=members,
                basis=denominator,
            )
        )
        bval, bst = ratio(b["BME"], b["Tb"], 100.0)
        out.append(
            base_rows(
                b,
                indicator=ind,
                group="BME",
                statistic="percent",
                value=bval,
                status=bst,
                note=np.where(
                    bst == OK,
                    f"BME {role} board members as a percentage of {members}",
                    f"not calculable: no {role} board members recorded"
                    + ("" if denominator == "all" else " of known ethnicity"),
                ),
                numerator=b["BME"],
                denominator=b["Tb"],
                basis=denominator,
            )
        )
        w = b[idx].merge(workforce, on=idx, how="left")
        have = w["T"].notna().to_numpy()
        wnum = w["BME"].fillna(0).astype("int64")
        wden = w[den_col].fillna(0).astype("int64")
        wval, wst = ratio(wnum, wden, 100.0)
        wst = np.where(have, wst, NOT_COLLECTED)
        wval = np.where(have, wval, np.nan)
        wnote = np.where(
            wst == OK,
            f"BME staff as a percentage of {wf_words} (as indicator 1)",
            np.where(
                have, "not calculable: no staff recorded", "workforce headcount not collected"
            ),
        )
        wn = pd.array(np.where(have, wnum, 0), dtype="Int64")
        wd = pd.array(np.where(have, wden, 0), dtype="Int64")
        wn[~have] = pd.NA
        wd[~have] = pd.NA
        out.append(
            base_rows(
                b,
                indicator=ind,
                group="BME",
                statistic="workforce_percent",
                value=wval,
                status=wst,
                note=wnote,
                numerator=wn,
                denominator=wd,
                basis=denominator,
            )
        )
        pp_ok = (bst == OK) & (wst == OK)
        pp_status = np.where(
            pp_ok, OK, np.where(wst == NOT_COLLECTED, NOT_COLLECTED, NOT_CALCULABLE)
        )
        pp_note = np.where(
            pp_ok,
            f"BME share of {role} board members minus BME share of {wf_words}",
            np.where(bst != OK, f"not calculable: no {role} board members recorded", wnote),
        )
        out.append(
            base_rows(
                b,
                indicator=ind,
                group="",
                statistic="percentage_points",
                value=np.where(pp_ok, bval - wval, np.nan),
                status=pp_status,
                note=pp_note,
                numerator=b["BME"],
                denominator=b["Tb"],
                numerator2=wn,
                denominator2=wd,
                basis=denominator,
            )
        )
    return out
