"""Indicators 1-4 by the five broad ethnic groups (Asian, Black, Mixed, Other, White).

WRES compares White with BME; "BME" hides very different experiences of Asian, Black and
Mixed staff. With ``broad_groups: true`` in params the report also shows indicators 1-4 by the
broad group of the first letter of the ethnic category code (A-C White, D-G Mixed, H-L Asian,
M-P Black, R-S Other; ``ethnicity.BROAD_BY_LETTER``), with the same method as the WRES
figures:

- "1": ``count`` per group (the five groups, Unknown, and "" = all staff) for every band x
  clinical value present, band "All" per clinical value and band "All" x clinical "all" (the
  whole workforce); ``percent`` per group = count / all staff of the band x 100 (always the
  "all staff" denominator, as the national tables; ``basis`` "all").
- "2", "3", "4": ``count`` (events) and ``denominator`` per group; ``rate`` (0-1) per known
  group; ``relative_likelihood``, ``ci_low``, ``ci_high`` of each of Asian, Black, Mixed and
  Other AGAINST White, in the row of that group, oriented as the spec: 2 and 4 are
  White rate / group rate, 3 is group rate / White rate (> 1 always means White favoured).
  Katz log intervals, four-fifths classes and small-number flags as in indicators.py.

The table has the columns of :func:`wres_utils.compute.indicators.compute_indicators`.

Disclosure control
------------------
The broad table is published beside the WRES table, and the two share cells (White, Unknown
and all-staff counts are the same numbers; the four non-White broad groups add up to BME).
:func:`wres_utils.disclosure.recipe.disclose_together` discloses the WRES table first,
unchanged by the broad view, and then
the broad table against it with :func:`wres_utils.disclosure.gate.disclose_breakdown` (the rules are
in its docstring): indicator 1 of the broad view is kept at whole-workforce level, and the four
BME groups of a cell are published all together or not at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.compute import uncertainty
from wres_utils.compute.indicators import finish_rows
from wres_utils.compute.table import COLUMNS
from wres_utils.core.catalogue import (
    ALL_BANDS,
    ALL_CLINICAL,
    NOT_CALCULABLE,
    NOT_COLLECTED,
    OK,
    RR_SPEC,
)
from wres_utils.core.params import Unit

#: The non-White broad groups, each compared with White.
BME_SUBGROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "Other")
#: The groups of the broad table in display order ("" = all staff).
BROAD_GROUP_ORDER: tuple[str, ...] = (*BME_SUBGROUPS, "White", "Unknown", "")
KNOWN_GROUPS: tuple[str, ...] = (*BME_SUBGROUPS, "White")
#: The counts each broad indicator needs.
REQUIRES: dict[str, tuple[str, ...]] = {
    "1": ("headcount",),
    "2": ("shortlisted", "appointed"),
    "3": ("disciplinary", "headcount"),
    "4": ("training", "headcount"),
}
_HEADLINE = {"1": "percent", "2": "relative_likelihood", "3": "relative_likelihood"}
_HEADLINE["4"] = "relative_likelihood"
_KEY = ["unit", "year", "indicator", "statistic", "group", "band", "clinical"]
_BASE = ("count", "denominator")


def _row(unit: Unit, year: int, ind: str, **kw: object) -> dict[str, object]:
    out: dict[str, object] = {
        "unit": unit.id,
        "year": int(year),
        "indicator": ind,
        "group": "",
        "band": "",
        "clinical": "",
        "status": OK,
        "note": "",
        "members": ",".join(unit.members),
    }
    out.update(kw)
    return out


def indicator1(unit: Unit, year: int, hc: pd.DataFrame) -> list[dict[str, object]]:
    """Indicator 1 rows from the unit's pooled headcount (group, band, clinical, value)."""
    wide = hc.pivot_table(
        index=["clinical", "band"], columns="group", values="value", aggfunc="sum", fill_value=0
    )
    groups = [g for g in BROAD_GROUP_ORDER if g]
    wide = wide.reindex(columns=groups, fill_value=0).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    per_clin = wide.groupby("clinical", as_index=False)[groups].sum().assign(band=ALL_BANDS)
    whole = pd.DataFrame([wide[groups].sum()]).assign(clinical=ALL_CLINICAL, band=ALL_BANDS)
    table = pd.concat([wide, per_clin, whole], ignore_index=True)
    rows: list[dict[str, object]] = []
    for r in table.itertuples(index=False):
        d = r._asdict()
        total = int(sum(int(d[g]) for g in groups))
        where = dict(band=d["band"], clinical=d["clinical"])
        for g in (*groups, ""):
            n = total if g == "" else int(d[g])
            rows.append(
                _row(
                    unit,
                    year,
                    "1",
                    group=g,
                    statistic="count",
                    value=float(n),
                    numerator=n,
                    note="all staff" if g == "" else f"{g} staff",
                    **where,
                )
            )
        for g in groups:
            n = int(d[g])
            ok = total > 0
            rows.append(
                _row(
                    unit,
                    year,
                    "1",
                    group=g,
                    statistic="percent",
                    value=n / total * 100 if ok else np.nan,
                    status=OK if ok else NOT_CALCULABLE,
                    note=(
                        f"percentage of all staff in the band who are {g} (Unknown ethnicity "
                        "included in the total)"
                        if ok
                        else "not calculable: no staff in this band"
                    ),
                    numerator=n,
                    denominator=total,
                    basis="all",
                    **where,
                )
            )
    return rows


def _likelihoods(
    unit: Unit, year: int, ind: str, ev: dict[str, int], dn: dict[str, int]
) -> list[dict[str, object]]:
    """Indicators 2-4: counts, rates and each non-White group's relative likelihood."""
    _, _, num_g, _, pop, den_words, ev_words, _ = RR_SPEC[ind]
    white_on_top = num_g == "White"
    rows: list[dict[str, object]] = []
    for g in BROAD_GROUP_ORDER[:-1]:
        rows.append(
            _row(
                unit,
                year,
                ind,
                group=g,
                statistic="count",
                value=float(ev[g]),
                numerator=ev[g],
                note=f"{g} {pop} who {ev_words}",
            )
        )
        rows.append(
            _row(
                unit,
                year,
                ind,
                group=g,
                statistic="denominator",
                value=float(dn[g]),
                numerator=dn[g],
                note=f"{g} {pop} who {den_words}",
            )
        )
    for g in KNOWN_GROUPS:
        ok = dn[g] > 0
        rows.append(
            _row(
                unit,
                year,
                ind,
                group=g,
                statistic="rate",
                value=ev[g] / dn[g] if ok else np.nan,
                status=OK if ok else NOT_CALCULABLE,
                note=(
                    f"proportion (0-1) of {g} {pop} who {den_words} who {ev_words}"
                    if ok
                    else f"not calculable: no {g} {pop} {den_words}"
                ),
                numerator=ev[g],
                denominator=dn[g],
            )
        )
    for g in BME_SUBGROUPS:
        top, bottom = ("White", g) if white_on_top else (g, "White")
        a, n1, c, n2 = ev[top], dn[top], ev[bottom], dn[bottom]
        counts = dict(numerator=a, denominator=n1, numerator2=c, denominator2=n2)
        if n1 == 0 or n2 == 0:
            who = top if n1 == 0 else bottom
            reason = f"not calculable: no {who} {pop} {den_words}"
        elif c == 0:
            reason = f"not calculable: no {bottom} {pop} {ev_words}"
        else:
            reason = ""
        if reason:
            for stat in ("relative_likelihood", "ci_low", "ci_high"):
                rows.append(
                    _row(
                        unit,
                        year,
                        ind,
                        group=g,
                        statistic=stat,
                        value=np.nan,
                        status=NOT_CALCULABLE,
                        note=reason,
                        **counts,
                    )
                )
            continue
        rr = (a / n1) / (c / n2)
        low, high, valid, corrected = uncertainty.katz_ci_arrays(
            np.array([a]), np.array([n1]), np.array([c]), np.array([n2])
        )
        method = uncertainty.METHOD_HALDANE if corrected[0] else uncertainty.METHOD_KATZ
        rows.append(
            _row(
                unit,
                year,
                ind,
                group=g,
                statistic="relative_likelihood",
                value=rr,
                note=f"relative likelihood: {top} {pop} compared with {bottom} {pop}",
                classification=uncertainty.four_fifths(rr),
                small_numbers=uncertainty.small_numbers(a, c),
                **counts,
            )
        )
        for stat, v in (("ci_low", low[0]), ("ci_high", high[0])):
            rows.append(
                _row(
                    unit,
                    year,
                    ind,
                    group=g,
                    statistic=stat,
                    value=float(v) if valid[0] else np.nan,
                    status=OK if valid[0] else NOT_CALCULABLE,
                    note=f"95% confidence interval ({method}; not NHS England methodology)",
                    **counts,
                )
            )
    return rows


def compute_broad(counts_broad: pd.DataFrame, units: list[Unit]) -> pd.DataFrame:
    """Indicators 1-4 by broad ethnic group for every unit x year in ``counts_broad``.

    ``counts_broad`` is :attr:`wres_utils.inputs.load.LoadedYear.broad_counts` (of one or more
    years). A joint unit adds up its members' counts first; a unit any of whose members lacks
    a measure gets one ``not_collected`` row for that indicator. See the module docstring for
    the rows. The table is NOT disclosed: pass it to
    :func:`wres_utils.disclosure.recipe.disclose_together`.
    """
    c = counts_broad
    years = sorted(int(y) for y in c["year"].unique()) if len(c) else []
    present = set(zip(c["org_code"], c["year"].astype(int), c["measure"], strict=True))
    rows: list[dict[str, object]] = []
    for u in units:
        for y in years:
            sel = c[c["org_code"].isin(list(u.members)) & (c["year"] == y)]
            for ind, needs in REQUIRES.items():
                missing = sorted({m for m in u.members for n in needs if (m, y, n) not in present})
                if missing:
                    rows.append(
                        _row(
                            u,
                            y,
                            ind,
                            statistic=_HEADLINE[ind],
                            value=np.nan,
                            status=NOT_COLLECTED,
                            note=(
                                f"broad ethnic groups not available for {y} "
                                f"({', '.join(missing)}: {', '.join(needs)} by ethnic code "
                                "not collected)"
                            ),
                        )
                    )
                    continue
                if ind == "1":
                    hc = sel[sel["measure"] == "headcount"]
                    rows += indicator1(u, y, hc)
                    continue
                ev_m, den_m = RR_SPEC[ind][0], RR_SPEC[ind][1]

                def totals(measure: str, sel: pd.DataFrame = sel) -> dict[str, int]:
                    s = sel[sel["measure"] == measure].groupby("group")["value"].sum()
                    return {g: int(s.get(g, 0)) for g in BROAD_GROUP_ORDER[:-1]}

                rows += _likelihoods(u, y, ind, totals(ev_m), totals(den_m))
    if not rows:
        table = pd.DataFrame({col: pd.Series(dtype=object) for col in COLUMNS})
    else:
        table = pd.DataFrame(rows)
    table = finish_rows(table, {u.id: i for i, u in enumerate(units)})
    # finish_rows orders rows by everything, the group last; put the groups in the broad order.
    cols = ["unit", "year", "indicator", "statistic", "band", "clinical"]
    block = (table[cols] != table[cols].shift()).any(axis=1).cumsum()
    order = {g: i for i, g in enumerate(BROAD_GROUP_ORDER)}
    rank = table["group"].map(order).fillna(len(order))
    out = table.assign(_b=block, _g=rank).sort_values(["_b", "_g"], kind="stable")
    return out.drop(columns=["_b", "_g"]).reset_index(drop=True)
