"""Indicators 2, 3 and 4: relative likelihoods with Katz intervals, four-fifths classes and
small-number flags, oriented as NHS England's template (indicator 3 also pooled over two
years).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.compute import uncertainty
from wres_utils.compute.pooling import base_rows, groups_wide, ratio
from wres_utils.compute.table import GROUPS
from wres_utils.core.catalogue import (
    NOT_CALCULABLE,
    OK,
    RR_SPEC,
)


def rr_rows(base: pd.DataFrame, ind: str, a, n1, c, n2, suffix: str) -> list[pd.DataFrame]:
    """Relative likelihood and CI rows (statistic names end with ``suffix``)."""
    _, _, num_g, comp_g, pop, den_words, ev_words, good = RR_SPEC[ind]
    a, n1, c, n2 = (np.asarray(x, dtype="int64") for x in (a, n1, c, n2))
    zero_den = (n1 == 0) | (n2 == 0)
    ok = ~zero_den & (c > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = np.where(
            ok,
            (a / np.where(n1 > 0, n1, 1)) / (np.where(c > 0, c, 1) / np.where(n2 > 0, n2, 1)),
            np.nan,
        )
    reasons = []
    for i in range(len(base)):
        if n1[i] == 0 or n2[i] == 0:
            who = [g for g, n in ((num_g, n1[i]), (comp_g, n2[i])) if n == 0]
            reasons.append(f"not calculable: no {' or '.join(who)} {pop} {den_words}")
        elif c[i] == 0:
            reasons.append(
                f"not calculable: no {comp_g} {pop} {ev_words}, so the comparator rate is 0"
            )
        else:
            reasons.append("")
    label = "two-year pooled " if suffix else ""
    notes, classes, small = [], [], []
    for i in range(len(base)):
        if ok[i]:
            cls = uncertainty.four_fifths(rr[i])
            fav = uncertainty.favoured_words(rr[i], num_g, comp_g, good, pop, ind)
            sn = uncertainty.small_numbers(int(a[i]), int(c[i]))
            text = f"{label}{num_g} rate / {comp_g} rate; {cls}: {fav}"
            if sn:
                text += "; fewer than 10 events in a group: interpret with care"
            notes.append(text)
            classes.append(cls)
            small.append(sn)
        else:
            notes.append(reasons[i])
            classes.append("")
            small.append(pd.NA)
    low, high, valid, corrected = uncertainty.katz_ci_arrays(a, n1, c, n2)
    ci_ok = ok & valid
    ci_notes = [
        (
            "95% confidence interval (not NHS England methodology): "
            + (uncertainty.METHOD_HALDANE if corrected[i] else uncertainty.METHOD_KATZ)
        )
        if ci_ok[i]
        else (reasons[i] or "not calculable: an event count exceeds its group size; check the data")
        for i in range(len(base))
    ]
    counts = dict(numerator=a, denominator=n1, numerator2=c, denominator2=n2)
    return [
        base_rows(
            base,
            indicator=ind,
            group="",
            statistic=f"relative_likelihood{suffix}",
            value=rr,
            status=np.where(ok, OK, NOT_CALCULABLE),
            note=notes,
            classification=classes,
            small_numbers=pd.array(small, dtype="boolean"),
            **counts,
        ),
        base_rows(
            base,
            indicator=ind,
            group="",
            statistic=f"ci_low{suffix}",
            value=np.where(ci_ok, low, np.nan),
            status=np.where(ci_ok, OK, NOT_CALCULABLE),
            note=ci_notes,
            **counts,
        ),
        base_rows(
            base,
            indicator=ind,
            group="",
            statistic=f"ci_high{suffix}",
            value=np.where(ci_ok, high, np.nan),
            status=np.where(ci_ok, OK, NOT_CALCULABLE),
            note=ci_notes,
            **counts,
        ),
    ]


def indicators234(pooled: pd.DataFrame, keys: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    idx = ["unit", "year"]
    for ind, (ev_m, den_m, num_g, comp_g, pop, den_words, ev_words, _) in RR_SPEC.items():
        k = keys[ind]
        if k.empty:
            continue
        sub = pooled[pooled["ind"] == ind]
        ev = groups_wide(sub[sub["measure"] == ev_m], k, idx)
        dn = groups_wide(sub[sub["measure"] == den_m], k, idx)
        for g in GROUPS:
            out.append(
                base_rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="count",
                    value=ev[g].astype(float),
                    status=OK,
                    note=f"{g} {pop} who {ev_words}",
                    numerator=ev[g],
                )
            )
            out.append(
                base_rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="denominator",
                    value=dn[g].astype(float),
                    status=OK,
                    note=f"{g} {pop} who {den_words}",
                    numerator=dn[g],
                )
            )
        for g in ("White", "BME"):
            val, st = ratio(ev[g], dn[g], 1.0)
            out.append(
                base_rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="rate",
                    value=val,
                    status=st,
                    note=np.where(
                        st == OK,
                        f"proportion (0-1) of {g} {pop} who {den_words} who {ev_words}",
                        f"not calculable: no {g} {pop} {den_words}",
                    ),
                    numerator=ev[g],
                    denominator=dn[g],
                )
            )
        out += rr_rows(k, ind, ev[num_g], dn[num_g], ev[comp_g], dn[comp_g], "")
        if ind == "3":
            both = ev.merge(dn, on=idx, suffixes=("_e", "_d"))
            prev = both.assign(year=both["year"] + 1)
            two = both.merge(prev, on=idx, suffixes=("", "_p"))
            if not two.empty:

                def tot(col: str, two: pd.DataFrame = two) -> pd.Series:
                    return two[col] + two[f"{col}_p"]

                out += rr_rows(
                    two,
                    ind,
                    tot(f"{num_g}_e"),
                    tot(f"{num_g}_d"),
                    tot(f"{comp_g}_e"),
                    tot(f"{comp_g}_d"),
                    "_2yr",
                )
    return out
