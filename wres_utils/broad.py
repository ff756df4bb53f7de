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

The table has the columns of :func:`wres_utils.indicators.compute_indicators`.

Disclosure control
------------------
The broad table is published beside the WRES table, and the two share cells (White, Unknown
and all-staff counts are the same numbers; the four non-White broad groups add up to BME).
Disclosing the broad table on its own would let a suppressed cell be worked out across the two
tables (e.g. Asian = BME - Black - Mixed - Other). :func:`disclose_together` therefore runs the
ONE gate, :func:`wres_utils.disclosure.disclose`, once over both: each non-White broad group
becomes a row set of a pseudo-unit ``"<unit>|<group>"`` whose counts carry group "BME", and the
unit's BME count cells are declared the sum of those pseudo-units (the way joint units are
declared the sum of their members), so every tie between the two tables is protected by the
same secondary suppression. Broad White/Unknown/all-staff counts take the status of the very
same cells of the WRES table. Figures built from counts (percentages, rates, relative
likelihoods, intervals) are suppressed when a count they are built from is from 1 to k or is
suppressed, exactly as disclose does for the WRES table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils import disclosure, uncertainty
from wres_utils.indicators import (
    ALL_BANDS,
    ALL_CLINICAL,
    COLUMNS,
    COUNT_HELPERS,
    NOT_CALCULABLE,
    NOT_COLLECTED,
    OK,
    RR_SPEC,
    SUPPRESSED,
    _finish,
)
from wres_utils.params import Unit

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
#: Separator of a pseudo-unit id (unit and broad group) in the joint disclosure pass.
PSEUDO_SEP = "|"
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


def _indicator1(unit: Unit, year: int, hc: pd.DataFrame) -> list[dict[str, object]]:
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

    ``counts_broad`` is :attr:`wres_utils.extracts.LoadedYear.broad_counts` (of one or more
    years). A joint unit adds up its members' counts first; a unit any of whose members lacks
    a measure gets one ``not_collected`` row for that indicator. See the module docstring for
    the rows. The table is NOT disclosed: pass it to :func:`disclose_together`.
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
                    rows += _indicator1(u, y, hc)
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
    table = _finish(table, {u.id: i for i, u in enumerate(units)})
    # _finish orders rows by everything, the group last; put the groups in the broad order.
    cols = ["unit", "year", "indicator", "statistic", "band", "clinical"]
    block = (table[cols] != table[cols].shift()).any(axis=1).cumsum()
    order = {g: i for i, g in enumerate(BROAD_GROUP_ORDER)}
    rank = table["group"].map(order).fillna(len(order))
    out = table.assign(_b=block, _g=rank).sort_values(["_b", "_g"], kind="stable")
    return out.drop(columns=["_b", "_g"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Disclosure control of the WRES and broad tables together.


def _pseudo_rows(broad_table: pd.DataFrame) -> pd.DataFrame:
    """The count cells of the non-White broad groups as rows of pseudo-units (group "BME")."""
    b = broad_table
    sel = (
        b["group"].isin(BME_SUBGROUPS)
        & b["statistic"].isin(_BASE)
        & (b["status"] == OK)
        & b["value"].notna()
    )
    p = b[sel].copy()
    sub = p["group"].astype(str)
    p["unit"] = p["unit"].astype(str) + PSEUDO_SEP + sub
    p["members"] = [
        ",".join(f"{m}{PSEUDO_SEP}{g}" for m in str(ms).split(","))
        for ms, g in zip(p["members"], sub, strict=True)
    ]
    # A single organisation's pseudo-unit is its own member (no tie of its own).
    single = ~p["members"].str.contains(",", regex=False)
    p.loc[single, "members"] = p.loc[single, "unit"]
    p["group"] = "BME"
    return p


def disclose_together(
    main_table: pd.DataFrame,
    broad_table: pd.DataFrame,
    min_count: int = 7,
    round_to: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Disclose the WRES indicators table and the broad table in ONE pass of the gate.

    ``main_table`` is :func:`wres_utils.indicators.compute_indicators` output and
    ``broad_table`` :func:`compute_broad` output, both undisclosed, for the same units and
    years. Returns ``(main_disclosed, broad_disclosed)``, both as
    :func:`wres_utils.disclosure.disclose` returns a table (``published_copy`` works on each).
    The WRES table may get a few more secondary suppressions than when disclosed alone: those
    that stop a suppressed cell being worked out with the broad figures.
    """
    k = int(min_count)
    main = main_table.copy().reset_index(drop=True)
    original_members = main["members"].copy()
    pseudo = _pseudo_rows(broad_table)
    # The unit's BME count cells = the sum of its pseudo-units (only where all four exist).
    split = pseudo.assign(base_unit=pseudo["unit"].str.split(PSEUDO_SEP, regex=False).str[0])
    key = ["year", "indicator", "statistic", "band", "clinical"]
    n_sub = split.groupby(["base_unit", *key]).size().rename("n").reset_index()
    n_sub = n_sub[n_sub["n"] == len(BME_SUBGROUPS)].rename(columns={"base_unit": "unit"})
    bme = main[(main["group"] == "BME") & main["statistic"].isin(_BASE) & (main["status"] == OK)]
    hit = bme.reset_index().merge(n_sub, on=["unit", *key])["index"].to_numpy()
    main.loc[hit, "members"] = [
        ",".join(f"{u}{PSEUDO_SEP}{g}" for g in BME_SUBGROUPS) for u in main.loc[hit, "unit"]
    ]
    combined = pd.concat([main, pseudo[main.columns]], ignore_index=True)
    disclosed = disclosure.disclose(combined, min_count=k, round_to=round_to)
    n_main = len(main)
    main_out = disclosed.iloc[:n_main].copy()
    main_out["members"] = original_members.to_numpy()
    pseudo_out = disclosed.iloc[n_main:].reset_index(drop=True)
    pseudo_out = pseudo_out.assign(
        unit=pseudo["unit"].str.split(PSEUDO_SEP, regex=False).str[0].to_numpy(),
        group=pseudo["unit"].str.split(PSEUDO_SEP, regex=False).str[1].to_numpy(),
    )
    return main_out.reset_index(drop=True), _broad_status(
        broad_table, main_out, pseudo_out, k, round_to
    )


def _small(values: pd.Series, k: int) -> np.ndarray:
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return (v >= 1) & (v <= k)


def _broad_status(
    broad_table: pd.DataFrame,
    main_out: pd.DataFrame,
    pseudo_out: pd.DataFrame,
    k: int,
    round_to: int | None,
) -> pd.DataFrame:
    """The broad table's statuses and display strings after the joint pass."""
    t = broad_table.copy().reset_index(drop=True)
    status = t["status"].astype(str).to_numpy().copy()
    note = t["note"].astype(str).to_numpy().copy()
    base = t["statistic"].isin(_BASE).to_numpy() & (status == OK)
    # Count cells: the non-White groups from the pseudo-units, the rest from the WRES table.
    decided = pd.concat(
        [
            pseudo_out[_KEY + ["status", "note"]],
            main_out.loc[main_out["statistic"].isin(_BASE), _KEY + ["status", "note"]],
        ],
        ignore_index=True,
    ).drop_duplicates(_KEY)
    looked = t[_KEY].merge(decided, on=_KEY, how="left")
    found = looked["status"].notna().to_numpy()
    # A count cell with no counterpart is withheld rather than guessed safe.
    new_status = np.where(found, looked["status"].fillna("").to_numpy(), SUPPRESSED)
    status[base] = new_status[base]
    lost = base & ~found
    note[base & found] = looked["note"].to_numpy()[base & found]
    note[lost] = "suppressed: no matching figure in the WRES table to check it against"
    supp_keys = pd.MultiIndex.from_frame(t.loc[base & (status == SUPPRESSED), _KEY])

    def dep(mask: np.ndarray, **override: str) -> np.ndarray:
        if not mask.any():
            return np.zeros(len(t), dtype=bool)
        kk = t.loc[mask, _KEY].copy()
        for col, v in override.items():
            kk[col] = v
        out = np.zeros(len(t), dtype=bool)
        out[mask] = pd.MultiIndex.from_frame(kk).isin(supp_keys)
        return out

    derived = ~t["statistic"].isin(_BASE).to_numpy() & (status == OK)
    helpers = np.zeros(len(t), dtype=bool)
    for c in COUNT_HELPERS:
        helpers |= _small(t[c], k)
    primary = derived & helpers
    stat, ind = t["statistic"], t["indicator"]
    pct = derived & (stat == "percent").to_numpy()
    rate = derived & (stat == "rate").to_numpy()
    rr = derived & ind.isin(["2", "3", "4"]).to_numpy() & ~(stat == "rate").to_numpy()
    via = (
        dep(pct, statistic="count")
        | dep(pct, statistic="count", group="")
        | dep(rate, statistic="count")
        | dep(rate, statistic="denominator")
        | dep(rr, statistic="count")
        | dep(rr, statistic="denominator")
        | dep(rr, statistic="count", group="White")
        | dep(rr, statistic="denominator", group="White")
    )
    via &= ~primary
    status[primary | via] = SUPPRESSED
    note[primary] = f"suppressed: based on a count from 1 to {k}"
    note[via] = "suppressed: based on a suppressed count"
    t["status"] = status
    t["note"] = note
    hide = status == SUPPRESSED
    t.loc[hide, "classification"] = ""
    t.loc[hide, "small_numbers"] = pd.NA
    values = t["value"].to_numpy(dtype=float, na_value=np.nan)
    words = {NOT_COLLECTED: "not collected", NOT_CALCULABLE: "not calculable"}
    t["display"] = [
        disclosure.SUPPRESSED
        if st == SUPPRESSED
        else words.get(st, "" if v != v else disclosure.format_value(s, v, round_to))
        for s, st, v in zip(stat.tolist(), status.tolist(), values.tolist(), strict=True)
    ]
    return t
