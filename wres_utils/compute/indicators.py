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

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from wres_utils.compute import uncertainty
from wres_utils.core import bands, survey
from wres_utils.core.catalogue import (
    ALL_BANDS,
    ALL_CLINICAL,
    HEADLINE_STATISTIC,
    INDICATORS,
    NOT_CALCULABLE,
    NOT_COLLECTED,
    OK,
    RR_SPEC,
)
from wres_utils.core.params import Unit

#: The columns of docs/data-contract.md section 3, in order.
CONTRACT_COLUMNS: list[str] = [
    "unit",
    "year",
    "indicator",
    "group",
    "band",
    "clinical",
    "statistic",
    "value",
    "status",
    "note",
    "display",
]
#: Machine-readable flags that are published too (blanked where a row is suppressed).
EXTRA_COLUMNS: list[str] = ["classification", "small_numbers", "question", "redesign"]
#: Analyst-only columns used by disclosure control; never published.
HELPER_COLUMNS: list[str] = [
    "numerator",
    "denominator",
    "numerator2",
    "denominator2",
    "members",
    "basis",
]
#: Every column of the table returned by :func:`compute_indicators`.
COLUMNS: list[str] = CONTRACT_COLUMNS + EXTRA_COLUMNS + HELPER_COLUMNS
COUNT_HELPERS: list[str] = HELPER_COLUMNS[:4]

BANDS = bands.INDICATOR1_ROWS
CLINICAL_ORDER: tuple[str, ...] = ("clinical", "non-clinical")
GROUP_ORDER: tuple[str, ...] = ("White", "BME", "Unknown", "")
STATISTICS: tuple[str, ...] = (
    "count",
    "denominator",
    "percent",
    "rate",
    "declaration_rate",
    "relative_likelihood",
    "ci_low",
    "ci_high",
    "relative_likelihood_2yr",
    "ci_low_2yr",
    "ci_high_2yr",
    "workforce_percent",
    "percentage_points",
)
_GROUPS = ["White", "BME", "Unknown"]

#: What each indicator needs, as (measure, indicator, board_role) keys of the counts table.
REQUIRES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "1": (("headcount", "", ""),),
    "2": (("shortlisted", "", ""), ("appointed", "", "")),
    "3": (("disciplinary", "", ""), ("headcount", "", "")),
    "4": (("training", "", ""), ("headcount", "", "")),
    **{i: (("survey_respondents", i, ""), ("survey_yes", i, "")) for i in ("5", "6", "7", "8")},
    "9a": (("board", "", "voting"),),
    "9b": (("board", "", "executive"),),
}
_MEASURE_WORDS = {
    "headcount": "workforce headcount",
    "shortlisted": "shortlisting",
    "appointed": "appointments",
    "disciplinary": "disciplinary cases",
    "training": "non-mandatory training and CPD",
    "survey_respondents": "staff survey respondents",
    "survey_yes": "staff survey results",
    "board": "board membership",
}

SURVEY_WORDS = {
    "5": "experiencing harassment, bullying or abuse from patients, relatives or the public",
    "6": "experiencing harassment, bullying or abuse from staff",
    "7": "believing the organisation provides equal opportunities for career progression",
    "8": "personally experiencing discrimination at work from a manager or colleague",
}
_ROLE = {"9a": "voting", "9b": "executive"}


def _membership(
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
                words = sorted({_MEASURE_WORDS[k] for _, miss in exc for k in miss})
                if not inc:
                    who = f" by any member ({', '.join(u.members)})" if u.is_joint else ""
                    excluded = f"{' and '.join(words)} not collected for {y}{who}"
                elif exc:
                    parts = [
                        f"{m} ({', '.join(_MEASURE_WORDS[k] for k in miss)} not collected)"
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


def _pool(counts: pd.DataFrame, memb: pd.DataFrame) -> pd.DataFrame:
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


def _groups_wide(df: pd.DataFrame, keys: pd.DataFrame, index: list[str]) -> pd.DataFrame:
    """``keys`` with one int column per group (White, BME, Unknown) summed from ``df``."""
    if df.empty:
        wide = keys[index].copy()
        for g in _GROUPS:
            wide[g] = 0
        return wide
    p = df.pivot_table(index=index, columns="group", values="value", aggfunc="sum", fill_value=0)
    p = p.reindex(columns=_GROUPS, fill_value=0).reset_index()
    p.columns = [str(c) for c in p.columns]
    out = keys[index].merge(p, on=index, how="left")
    for g in _GROUPS:
        out[g] = out[g].fillna(0).astype("int64")
    return out


def _rows(base: pd.DataFrame, **cols: object) -> pd.DataFrame:
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


def _ratio(num: np.ndarray, den: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """``num / den * scale`` where den > 0 (NaN elsewhere) and the status array."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    ok = den > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.where(ok, num / np.where(ok, den, 1.0) * scale, np.nan)
    return val, np.where(ok, OK, NOT_CALCULABLE)


def _indicator1(pooled: pd.DataFrame, denominator: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicator 1 rows, and the whole-workforce frame (unit, year, White, BME, Unknown, T, K)."""
    hc = pooled[pooled["ind"] == "1"]
    idx = ["unit", "year", "clinical", "band"]
    if hc.empty:
        empty = pd.DataFrame(columns=["unit", "year", *_GROUPS, "T", "K"])
        return pd.DataFrame(columns=COLUMNS), empty
    band = hc.pivot_table(index=idx, columns="group", values="value", aggfunc="sum", fill_value=0)
    band = band.reindex(columns=_GROUPS, fill_value=0).reset_index()
    band.columns = [str(c) for c in band.columns]
    cl = band.groupby(["unit", "year", "clinical"], as_index=False)[_GROUPS].sum()
    cl["band"] = ALL_BANDS
    al = band.groupby(["unit", "year"], as_index=False)[_GROUPS].sum()
    al["clinical"] = ALL_CLINICAL
    al["band"] = ALL_BANDS
    f = pd.concat([band, cl, al[idx + _GROUPS]], ignore_index=True)
    for frame in (f, al):
        frame["T"] = frame["White"] + frame["BME"] + frame["Unknown"]
        frame["K"] = frame["White"] + frame["BME"]
    out = []
    for g, col in (("White", "White"), ("BME", "BME"), ("Unknown", "Unknown"), ("", "T")):
        out.append(
            _rows(
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
        groups = _GROUPS
    else:
        ok_note = "percentage of staff of known ethnicity in the band (Unknown excluded)"
        nc_note = "not calculable: no staff of known ethnicity in this band"
        groups = ["White", "BME"]
    for g in groups:
        val, st = _ratio(f[g], f[den_col], 100.0)
        out.append(
            _rows(
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
    val, st = _ratio(al["K"], al["T"], 100.0)
    out.append(
        _rows(
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


def _rr_rows(base: pd.DataFrame, ind: str, a, n1, c, n2, suffix: str) -> list[pd.DataFrame]:
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
        _rows(
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
        _rows(
            base,
            indicator=ind,
            group="",
            statistic=f"ci_low{suffix}",
            value=np.where(ci_ok, low, np.nan),
            status=np.where(ci_ok, OK, NOT_CALCULABLE),
            note=ci_notes,
            **counts,
        ),
        _rows(
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


def _indicators234(pooled: pd.DataFrame, keys: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    idx = ["unit", "year"]
    for ind, (ev_m, den_m, num_g, comp_g, pop, den_words, ev_words, _) in RR_SPEC.items():
        k = keys[ind]
        if k.empty:
            continue
        sub = pooled[pooled["ind"] == ind]
        ev = _groups_wide(sub[sub["measure"] == ev_m], k, idx)
        dn = _groups_wide(sub[sub["measure"] == den_m], k, idx)
        for g in _GROUPS:
            out.append(
                _rows(
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
                _rows(
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
            val, st = _ratio(ev[g], dn[g], 1.0)
            out.append(
                _rows(
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
        out += _rr_rows(k, ind, ev[num_g], dn[num_g], ev[comp_g], dn[comp_g], "")
        if ind == "3":
            both = ev.merge(dn, on=idx, suffixes=("_e", "_d"))
            prev = both.assign(year=both["year"] + 1)
            two = both.merge(prev, on=idx, suffixes=("", "_p"))
            if not two.empty:

                def tot(col: str, two: pd.DataFrame = two) -> pd.Series:
                    return two[col] + two[f"{col}_p"]

                out += _rr_rows(
                    two,
                    ind,
                    tot(f"{num_g}_e"),
                    tot(f"{num_g}_d"),
                    tot(f"{comp_g}_e"),
                    tot(f"{comp_g}_d"),
                    "_2yr",
                )
    return out


def _survey(pooled: pd.DataFrame, keys: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    idx = ["unit", "year"]
    for ind in ("5", "6", "7", "8"):
        k = keys[ind]
        if k.empty:
            continue
        sub = pooled[pooled["ind"] == ind]
        resp = _groups_wide(sub[sub["measure"] == "survey_respondents"], k, idx)
        yes = _groups_wide(sub[sub["measure"] == "survey_yes"], k, idx)
        sy = k["year"].to_numpy() - 1
        questions, redesign = [], []
        for y in sy:
            try:
                questions.append(survey.question_for(ind, int(y)))
            except ValueError:
                questions.append("")
            if int(y) - 1 >= survey.FIRST_SURVEY_YEAR:
                redesign.append(survey.wording_changed_between(ind, int(y) - 1, int(y)))
            else:
                redesign.append(False)
        extra = dict(question=questions, redesign=pd.array(redesign, dtype="boolean"))
        for g in ("White", "BME"):
            q_text = [
                f"staff survey {y}" + (f", {q}" if q else "")
                for y, q in zip(sy, questions, strict=True)
            ]
            out.append(
                _rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="count",
                    value=yes[g].astype(float),
                    status=OK,
                    numerator=yes[g],
                    note=[f"{g} respondents answering yes ({t})" for t in q_text],
                    **extra,
                )
            )
            out.append(
                _rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="denominator",
                    value=resp[g].astype(float),
                    status=OK,
                    numerator=resp[g],
                    note=[f"{g} respondents ({t})" for t in q_text],
                    **extra,
                )
            )
            val, st = _ratio(yes[g], resp[g], 100.0)
            notes = []
            for i, t in enumerate(q_text):
                if st[i] != OK:
                    notes.append(f"not calculable: no {g} respondents ({t})")
                    continue
                n = f"% of {g} staff {SURVEY_WORDS[ind]} ({t})"
                if redesign[i]:
                    n += (
                        f"; the question changed between the {sy[i] - 1} and {sy[i]} surveys, "
                        "so the comparison with the previous year is not like for like"
                    )
                elif questions[i] and survey.renumbered_between(ind, sy[i] - 1, sy[i]):
                    n += (
                        f"; renumbered from {survey.question_for(ind, int(sy[i]) - 1)} in the "
                        f"{sy[i]} survey with the same wording, so the comparison holds"
                    )
                notes.append(n)
            out.append(
                _rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="percent",
                    value=val,
                    status=st,
                    note=notes,
                    numerator=yes[g],
                    denominator=resp[g],
                    **extra,
                )
            )
    return out


def _board(
    pooled: pd.DataFrame, keys: dict[str, pd.DataFrame], workforce: pd.DataFrame, denominator: str
) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    idx = ["unit", "year"]
    den_col = "T" if denominator == "all" else "K"
    wf_words = "all staff" if denominator == "all" else "staff of known ethnicity"
    for ind, role in _ROLE.items():
        k = keys[ind]
        if k.empty:
            continue
        sub = pooled[pooled["ind"] == ind]
        b = _groups_wide(sub[sub["measure"] == "board"], k, idx)
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
            _rows(
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
            _rows(
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
        bval, bst = _ratio(b["BME"], b["Tb"], 100.0)
        out.append(
            _rows(
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
        wval, wst = _ratio(wnum, wden, 100.0)
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
            _rows(
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
            _rows(
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
    memb, info = _membership(counts, units, years)
    pooled = _pool(counts, memb)
    keys = {
        ind: info.loc[
            (info["indicator"] == ind) & (info["members"] != ""), ["unit", "year"]
        ].reset_index(drop=True)
        for ind in INDICATORS
    }
    ind1, workforce = _indicator1(pooled, denominator)
    parts = [ind1]
    parts += _indicators234(pooled, keys)
    parts += _survey(pooled, keys)
    parts += _board(pooled, keys, workforce, denominator)
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
