"""Disclosure control: the ONE gate every published number passes (wres-indicators.md).

- Primary suppression: a count from 1 to k (``min_count``) is shown as ``[c]``; so is every
  percentage, rate, ratio or interval whose numerator or denominator counts include one from
  1 to k (for a relative likelihood: any of a, n1, c, n2). 0 is safe and never suppressed.
- Secondary suppression: the count cells of the indicators table are tied by published totals
  (indicator 1: group cells + band total per band; band cells + "All" per clinical value;
  clinical + non-clinical = "all"), by indicators 3/4 group headcounts being indicator 1's
  whole-workforce counts, and by joint units being the sum of their member units. Further
  cells are suppressed until no suppressed cell is determined by the published cells: each
  tie with a suppressed cell has at least two, and a linear-algebra check (the suppressed cell
  has a zero component in no null-space vector of the ties) confirms it; cells are added
  until it holds. Every figure computed from a suppressed count is suppressed too.
- Published counts may be rounded to the nearest ``round_to`` (display only).

Display strings: counts "1,234" (rounded when ``round_to`` is set); percent "12.3%"; rates
(a proportion 0-1) "0.152"; relative likelihoods and intervals "1.52"; percentage points
"+3.4 pp" / "-3.4 pp" / "0.0 pp" (always signed, one decimal); suppressed "[c]"; not
collected or not calculable "[x]" (the ``status`` and ``note`` columns say which): the one
convention of :data:`wres_utils.core.catalogue.STATUS_SYMBOLS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.compute.table import CONTRACT_COLUMNS, COUNT_HELPERS, EXTRA_COLUMNS, HELPER_COLUMNS
from wres_utils.core.catalogue import (
    ALL_BANDS,
    ALL_CLINICAL,
    LEGEND,
    MARKER,
    OK,
    STATUS_SYMBOLS,
)
from wres_utils.core.catalogue import SUPPRESSED as SUPPRESSED_STATUS
from wres_utils.disclosure import protect as rules
from wres_utils.disclosure.ties import (
    BASE_STATISTICS,
    KEY,
    RATIO_STATISTICS,
    determined,
    printed_values,
    tie_table,
)

#: The marker shown instead of a suppressed figure (UK government statistics convention).
#: The one note of every withheld figure: nothing published tells a count of 1 to k from a
#: figure withheld to protect one (or a zero withheld so that a row does not reveal itself).
WITHHELD_NOTE = "[c]: withheld to protect confidentiality"
#: The note every published table carries.
TABLE_NOTE = f"{LEGEND[MARKER]} Figures are computed from unrounded counts."


def table_note(min_count: int = 7, round_to: int | None = None) -> str:
    """The [c] note (one meaning whatever the threshold; with the rounding actually used)."""
    text = TABLE_NOTE
    if round_to:
        text += f" Counts are rounded to the nearest {round_to}."
    return text


def _small(x: pd.Series, k: int) -> np.ndarray:
    v = pd.to_numeric(x, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return (v >= 1) & (v <= k)


def round_count(n: float | int, round_to: int | None) -> int:
    """``n`` rounded half up to the nearest ``round_to`` (unchanged when None)."""
    if not round_to:
        return int(round(n))
    return int(np.floor(n / round_to + 0.5) * round_to)


def format_value(statistic: str, value: float, round_to: int | None = None) -> str:
    """The display string of an unsuppressed value: :func:`wres_utils.core.rounding.format_figure`
    (half-up on the exact value, as the WRES template rounds)."""
    from wres_utils.core.rounding import format_figure

    return format_figure(statistic, value, round_to)


# ---------------------------------------------------------------------------------------------
# Secondary suppression: ties between count cells, and the protection of each group of ties.


def protect(
    values: np.ndarray,
    suppressed: np.ndarray,
    ties: list[tuple[int, list[int]]],
    max_rounds: int = 10_000,
    keep: np.ndarray | None = None,
) -> np.ndarray:
    """Secondary suppression of one group of tied cells; returns the new suppressed mask.

    ``values`` are the cell counts; ``ties`` are (total index, part indices) with
    total = sum(parts). Cells are added (smallest positive first, inner cells before totals,
    zeros last) until no suppressed cell can be worked out from the published ones.
    ``keep`` (optional, one number per cell) raises the cost of suppressing a cell: cells with a
    higher ``keep`` are suppressed only when no cheaper cell protects the table.
    """
    supp = np.asarray(suppressed, dtype=bool).copy()
    values = np.asarray(values, dtype=float)
    nvar = len(values)
    is_total = np.zeros(nvar, dtype=bool)
    members = []
    a = np.zeros((len(ties), nvar))
    for i, (tot, parts) in enumerate(ties):
        is_total[tot] = True
        idx = np.array([tot, *parts], dtype=int)
        members.append(idx)
        a[i, tot] = -1.0
        for p in parts:
            a[i, p] += 1.0
    cost = np.where(values == 0, 2e12, 0) + np.where(is_total, 1e12, 0) + values
    if keep is not None:
        cost = cost + np.asarray(keep, dtype=float)

    def best(cands: np.ndarray) -> int | None:
        cands = cands[~supp[cands]]
        if cands.size == 0:
            return None
        return int(cands[np.argmin(cost[cands])])

    for _ in range(max_rounds):
        changed = True
        while changed:
            changed = False
            for idx in members:
                if supp[idx].sum() == 1:
                    pick = best(idx)
                    if pick is not None:
                        supp[pick] = True
                        changed = True
        det = determined(a, supp)
        if det.size == 0:
            return supp
        target = int(det[0])
        pick = _cheapest_cover(
            a, supp, cost, members, target, tries=COVER_TRIES if nvar <= COVER_MAX_CELLS else 0
        )
        if pick is None:
            pick = best(np.arange(nvar))
        if pick is None:
            return supp
        supp[pick] = True
    return supp


#: The cover search tries this many cheapest candidates, in components of at most
#: COVER_MAX_CELLS cells (each try is a Gauss elimination; larger components fall back to the
#: cheapest cell in a tie with the exposed cell).
COVER_TRIES = 12
COVER_MAX_CELLS = 1500


def _cheapest_cover(
    a: np.ndarray,
    supp: np.ndarray,
    cost: np.ndarray,
    members: list[np.ndarray],
    target: int,
    depth: int = 4,
    tries: int = 12,
) -> int | None:
    """The cheapest published cell whose suppression stops ``target`` being worked out.

    A suppressed cell can be exposed through a chain of ties (for example a joint group's
    indicator 4 denominators, which leave out a member without training data, against its
    indicator 1 headcounts). Candidates are the published cells within ``depth`` ties of the
    target through suppressed cells; they are tried cheapest first (at most ``tries``), and
    the first that leaves the target undetermined is returned. Failing that, the cheapest
    published cell in a tie with the target (which at least makes progress).
    """
    by_cell: dict[int, list[int]] = {}
    for i, idx in enumerate(members):
        for c in idx:
            by_cell.setdefault(int(c), []).append(i)
    seen_ties: set[int] = set()
    frontier = {target}
    found: set[int] = set()
    for _ in range(depth):
        nxt: set[int] = set()
        for cell in frontier:
            for ti in by_cell.get(cell, []):
                if ti in seen_ties:
                    continue
                seen_ties.add(ti)
                for c in members[ti]:
                    c = int(c)
                    (nxt if supp[c] else found).add(c)
        frontier = nxt - {target}
        if not frontier:
            break
    if not found:
        return None
    ordered = sorted(found, key=lambda c: cost[c])
    for c in ordered[:tries]:
        trial = supp.copy()
        trial[c] = True
        if target not in set(determined(a, trial).tolist()):
            return c
    linked = [int(c) for i in by_cell.get(target, []) for c in members[i] if not supp[c]]
    return min(linked, key=lambda c: cost[c]) if linked else ordered[0]


def _secondary(t: pd.DataFrame, base: np.ndarray, supp: np.ndarray) -> np.ndarray:
    """Secondary suppression over the whole table (row positions); returns the new mask."""
    ties = tie_table(t, base)
    if ties.empty:
        return supp
    rid = ties["rid"].to_numpy(dtype="int64")
    tie = ties["tie"].to_numpy(dtype="int64")
    is_total = ties["is_total"].to_numpy(dtype=bool)
    # Ties never cross years; units of a joint group are tied together: one component per
    # year x cluster of units.
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    joint = t.loc[base & (t["members"] != t["unit"]).to_numpy(), ["unit", "members"]]
    for unit, members in joint.drop_duplicates().itertuples(index=False):
        for m in str(members).split(","):
            ra, rb = find(str(unit)), find(m)
            if ra != rb:
                parent[ra] = rb
    cluster = {u: find(u) for u in t["unit"].unique().tolist()}
    comp_key = t["unit"].map(cluster).astype(str) + "|" + t["year"].astype(str)
    comp = pd.factorize(comp_key)[0][rid]
    order = np.lexsort((tie, comp))
    rid, tie, is_total, comp = rid[order], tie[order], is_total[order], comp[order]
    values = t["value"].to_numpy(dtype=float, na_value=0.0)
    keep = _keep_weights(t)
    supp = supp.copy()
    bounds = np.flatnonzero(np.diff(comp)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(comp)], strict=True):
        rids_all = rid[lo:hi]
        if not supp[rids_all].any():
            continue
        rids, inv = np.unique(rids_all, return_inverse=True)
        ctie, ctot = tie[lo:hi], is_total[lo:hi]
        cuts = np.flatnonzero(np.diff(ctie)) + 1
        groups = []
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(ctie)], strict=True):
            tot = inv[a:b][ctot[a:b]]
            if tot.size != 1:
                continue
            groups.append((int(tot[0]), [int(x) for x in inv[a:b][~ctot[a:b]]]))
        supp[rids] = protect(values[rids], supp[rids], groups, keep=keep[rids])
    return supp


#: Extra cost of suppressing a joint unit's cell: joint reports exist to publish what their
#: members cannot, so a complementary cell is taken from a member whenever that protects.
KEEP_JOINT = 1e13
#: Extra cost of suppressing an indicator 1 count (the headline table) rather than a
#: supporting count such as the headcount denominators repeated under indicators 3 and 4.
KEEP_TABLE1 = 2e12
#: Extra cost of suppressing a unit's whole-workforce headcount (template section 2a).
KEEP_GRAND_TOTAL = 4e12


def _keep_weights(t: pd.DataFrame) -> np.ndarray:
    """How strongly each cell should stay published when a complementary cell is chosen."""
    members = t["members"].astype(str)
    joint = members.str.contains(",", regex=False).to_numpy()
    # Rows of a joint unit pooled over only some of its members (a measure some members did not
    # collect) are supporting figures: by difference with the full pooled figures they could
    # expose the members left out, so they are the first to go.
    full = t[t["indicator"] == "1"].groupby(["unit", "year"])["members"].first()
    full_of_row = pd.Series(
        full.reindex(pd.MultiIndex.from_frame(t[["unit", "year"]])).to_numpy(), index=t.index
    )
    partial = joint & (members != full_of_row.astype(str)).to_numpy()
    # Indicators 3 and 4 repeat the whole-workforce headcounts as their denominators: the
    # same numbers, so they are as costly to suppress as the indicator 1 cells they equal.
    headcount_den = (t["indicator"].isin(["3", "4"]) & (t["statistic"] == "denominator")).to_numpy()
    grand = (
        (t["indicator"] == "1")
        & (t["band"] == ALL_BANDS)
        & (t["clinical"] == ALL_CLINICAL)
        & (t["statistic"] == "count")
    ).to_numpy() | headcount_den
    table1 = ((t["indicator"] == "1") & (t["statistic"] == "count")).to_numpy() | headcount_den
    weights = (
        np.where(joint, KEEP_JOINT, 0.0)
        + np.where(table1, KEEP_TABLE1, 0.0)
        + np.where(grand, KEEP_GRAND_TOTAL, 0.0)
    )
    return np.where(partial, 0.0, weights)


# ---------------------------------------------------------------------------------------------
# Derived figures: suppressed when any count they are computed from is suppressed.


def _lookup(
    t: pd.DataFrame, mask: np.ndarray, supp_keys: pd.MultiIndex, **override: object
) -> np.ndarray:
    """For rows ``mask`` of ``t``: is the count cell found by ``override`` of the key suppressed?"""
    k = t.loc[mask, KEY].copy()
    for col, v in override.items():
        k[col] = v(k) if callable(v) else v
    k["year"] = k["year"].astype("int64")
    return pd.MultiIndex.from_frame(k).isin(supp_keys)


def _derived(t: pd.DataFrame, supp: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Suppression of every non-count row from the suppression of the count cells."""
    out = np.zeros(len(t), dtype=bool)
    if not (supp & base).any():
        return out
    keys = pd.MultiIndex.from_frame(t.loc[supp & base, KEY].astype({"year": "int64"}))
    ind, stat = t["indicator"], t["statistic"]
    ok = (t["status"] == OK).to_numpy() & ~base

    def dep(mask: np.ndarray, **ov: object) -> None:
        m = mask & ok
        if m.any():
            out[m] |= _lookup(t, m, keys, **ov)

    all_basis = (t["basis"] == "all").to_numpy()
    # indicator 1 percentages and declaration rate
    p1 = ((ind == "1") & (stat == "percent")).to_numpy()
    dep(p1, statistic="count")
    dep(p1 & all_basis, statistic="count", group="")
    for g in ("White", "BME"):
        dep(p1 & ~all_basis, statistic="count", group=g)
    dr = ((ind == "1") & (stat == "declaration_rate")).to_numpy()
    for g in ("White", "BME", "Unknown", ""):
        dep(dr, statistic="count", group=g)
    # indicators 2-4: rates, ratios and intervals
    rr_ind = ind.isin(["2", "3", "4"]).to_numpy()
    rate = rr_ind & (stat == "rate").to_numpy()
    dep(rate, statistic="count")
    dep(rate, statistic="denominator")
    rr = rr_ind & stat.isin(RATIO_STATISTICS).to_numpy()
    two = stat.str.endswith("_2yr").to_numpy()
    for s in ("count", "denominator"):
        for g in ("White", "BME"):
            dep(rr, statistic=s, group=g)
            dep(rr & two, statistic=s, group=g, year=lambda k: k["year"] - 1)
    # indicators 5-8
    sv = (ind.isin(["5", "6", "7", "8"]) & (stat == "percent")).to_numpy()
    dep(sv, statistic="count")
    dep(sv, statistic="denominator")
    # indicator 9: board share, workforce share (indicator 1 cells), percentage points
    nine = ind.isin(["9a", "9b"]).to_numpy()
    board = nine & stat.isin(["percent", "percentage_points"]).to_numpy()
    dep(board, statistic="count", group="BME")
    dep(board, statistic="denominator", group="")
    wf = nine & stat.isin(["workforce_percent", "percentage_points"]).to_numpy()
    one = dict(indicator="1", statistic="count", band=ALL_BANDS, clinical=ALL_CLINICAL)
    dep(wf, group="BME", **one)
    dep(wf & all_basis, group="", **one)
    dep(wf & ~all_basis, group="White", **one)
    return out


def disclose(
    table: pd.DataFrame,
    min_count: int = 7,
    round_to: int | None = None,
    *,
    settings: object | None = None,
    attacker: bool = True,
) -> pd.DataFrame:
    """Apply disclosure control to an indicators table and fill ``display``.

    Returns a copy: ``status`` becomes "suppressed" where a figure must not be published
    (primary and secondary suppression, the rules of :mod:`wres_utils.disclosure.protect`,
    and every figure computed from a suppressed count), the ``note`` of a suppressed row is the one
    :data:`WITHHELD_NOTE` (nothing tells why), and ``classification``/``small_numbers`` are
    blanked there. ``value`` and the helper columns are kept for the analyst;
    :func:`published_copy` drops them. ``settings`` (a :class:`wres_utils.core.params.Suppression`)
    overrides ``min_count`` and ``round_to`` and gives the other rules' settings; with
    ``attacker`` the integer-programming attacker checks the result and more cells are
    withheld until it can narrow no withheld count of 1..k below the protection width.
    A threshold of 0 switches disclosure control off (the analyst's unsuppressed copy).
    """
    from wres_utils.core.params import Suppression

    cfg = settings if settings is not None else Suppression(min_count=min_count, round_to=round_to)
    k = int(cfg.min_count)
    round_to = cfg.round_to
    if cfg.policy == "percentages" and not round_to:
        round_to = 5
    t = table.copy().reset_index(drop=True)
    status = t["status"].astype(str).to_numpy().copy()
    ok = status == OK
    stat = t["statistic"].astype(str)
    base = ok & stat.isin(BASE_STATISTICS).to_numpy() & t["value"].notna().to_numpy()
    board = rules.board_rows(t) if cfg.board_public else np.zeros(len(t), dtype=bool)
    primary = base & _small(t["value"], k) & ~board
    helpers = np.zeros(len(t), dtype=bool)
    for c in COUNT_HELPERS:
        if c in t.columns:
            small = _small(t[c], k)
            if c in ("numerator", "denominator"):
                small &= ~board  # Board counts are public; the workforce counts are not
            helpers |= small
    if k > 0:
        primary |= rules.survey_withheld(
            t, base, k, cfg.survey_min_respondents, cfg.survey_all_or_none_below
        )
    primary_derived = ok & ~base & helpers
    supp_base = _secondary(t, base, primary) if k > 0 else primary
    if k > 0:
        ties = tie_table(t, base)
        values = t["value"].to_numpy(dtype=float, na_value=np.nan)

        def finish(mask: np.ndarray) -> np.ndarray:
            for _ in range(20):
                extra = rules.zero_reveals(ties, values, mask)
                if not extra.any():
                    return mask
                mask = _secondary(t, base, mask | extra)
            return mask

        supp_base = finish(supp_base)
        if attacker:
            costs = rules.cost(t, ties, _keep_weights(t))
            supp_base = rules.attacker_pass(
                t,
                base,
                supp_base.copy(),
                finish,
                k,
                cfg.protection_width,
                costs,
                ties,
                exempt=board,
                round_to=round_to if cfg.policy == "counts" else None,
            )
    derived = _derived(t, supp_base, base) & ~primary_derived
    final = supp_base | primary_derived | derived
    if k > 0 and cfg.policy == "percentages":
        final = _percentages(t, base, primary, board, k, cfg, round_to, helpers)
    note = t["note"].astype(str).to_numpy().copy()
    note[final] = WITHHELD_NOTE
    status[final] = SUPPRESSED_STATUS
    t["status"] = status
    t["note"] = note
    if "classification" in t.columns:
        t.loc[final, "classification"] = ""
    if "small_numbers" in t.columns:
        t.loc[final, "small_numbers"] = pd.NA
    values = t["value"].to_numpy(dtype=float, na_value=np.nan)
    display = []
    for s, st, v in zip(stat.tolist(), status.tolist(), values.tolist(), strict=True):
        if st in STATUS_SYMBOLS:  # [c] withheld; [x] not collected or not calculable
            display.append(STATUS_SYMBOLS[st])
        elif v != v:  # NaN with status ok should not happen; show nothing rather than "nan"
            display.append("")
        else:
            display.append(format_value(s, v, round_to))
    t["display"] = display
    t.attrs["round_to"] = round_to
    return t


def _percentages(
    t: pd.DataFrame,
    base: np.ndarray,
    primary: np.ndarray,
    board: np.ndarray,
    k: int,
    cfg: object,
    round_to: int,
    helpers: np.ndarray,
) -> np.ndarray:
    """What the ``percentages`` policy withholds
    (see :func:`wres_utils.disclosure.protect.percentages_pass`).

    Counts: all but indicator 1's totals (group "", rounded to ``round_to``) and, when
    public, the Board's. Derived figures: confidence intervals built on a count of 1..k (the
    attacker does not model them, so they follow the count rule), survey figures withheld by
    the survey rules or built on a count of 1..k, and whatever the attacker needs withheld.
    """

    ok = (t["status"] == OK).to_numpy()
    ind = t["indicator"].astype(str)
    stat = t["statistic"].astype(str)
    totals = ((ind == "1") & (t["group"].astype(str) == "")).to_numpy()
    counts_withheld = base & ~((totals & ~primary) | board)
    ci = stat.str.startswith("ci_").to_numpy()
    survey = ind.isin(["5", "6", "7", "8"]).to_numpy()
    hard = ok & ~base & helpers & (ci | survey)
    hard |= _derived(t, primary & survey & base, base) & survey
    derived = rules.percentages_pass(
        t, base, counts_withheld, hard, k, cfg.protection_width, round_to, exempt=board
    )
    # A relative likelihood withheld takes its interval with it.
    return counts_withheld | derived | (_rr_family(t, derived) & ok & ~base)


def _rr_family(t: pd.DataFrame, withheld: np.ndarray) -> np.ndarray:
    """Rows of the same relative likelihood (RR and CI, one suffix) as a withheld RR."""
    stat = t["statistic"].astype(str)
    rr = stat.str.startswith("relative_likelihood").to_numpy() & withheld
    if not rr.any():
        return np.zeros(len(t), dtype=bool)
    suffix = stat.str.extract(r"(_2yr)?$")[0].fillna("")
    key = t["unit"].astype(str) + "|" + t["year"].astype(str) + "|" + t["indicator"].astype(str)
    key = (key + "|" + suffix).to_numpy()
    fam = stat.str.match(r"^(relative_likelihood|ci_low|ci_high)").to_numpy()
    code = pd.factorize(key)[0]  # integer codes: np.isin over strings is slow
    return fam & np.isin(code, code[rr])


#: The groups that a breakdown of BME splits into (wres_utils.compute.broad).
BME_SUBGROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "Other")


def disclose_breakdown(
    main: pd.DataFrame, breakdown: pd.DataFrame, min_count: int = 7, round_to: int | None = None
) -> pd.DataFrame:
    """Disclosure control of the broad-groups view, against the already disclosed WRES table.

    ``main`` is the output of :func:`disclose` (it is not changed: the WRES figures come
    first); ``breakdown`` an undisclosed table of :func:`wres_utils.compute.broad.compute_broad`.
    Indicator 1 of the breakdown is kept at whole-workforce level only (band "All", clinical
    "all"), so the only links between published cells are simple sums, protected by rules
    that need no search:

    - a count from 1 to k is suppressed; the White, Unknown and all-staff cells take the
      status of the same cell of ``main`` (they are the same numbers);
    - the four BME groups of a cell (unit, year, indicator, statistic) are published all
      together or not at all, and only where ``main``'s BME cell is published: so no group can
      be worked out from the BME total and the others;
    - a joint group's cell is the sum of its members': where exactly one member's cells are
      withheld and the joint cell is published, the cells of the member with the smallest
      count are withheld too (members go before the joint group);
    - indicators 3 and 4 use the headcounts of indicator 1 as denominators: withheld in one,
      withheld in both;
    - rates, percentages, relative likelihoods and intervals built on a withheld count are
      withheld.
    """
    k = int(min_count)
    b = breakdown.copy()
    whole = (b["indicator"] != "1") | ((b["band"] == ALL_BANDS) & (b["clinical"] == ALL_CLINICAL))
    b = b[whole].reset_index(drop=True)
    status = b["status"].astype(str).to_numpy().copy()
    ok = status == OK
    stat = b["statistic"].astype(str)
    group = b["group"].astype(str)
    base = ok & stat.isin(BASE_STATISTICS).to_numpy() & b["value"].notna().to_numpy()
    sub = group.isin(BME_SUBGROUPS).to_numpy()
    values = b["value"].to_numpy(dtype=float, na_value=np.nan)
    supp = base & _small(b["value"], k)
    # Cells that are the same numbers as main's take main's status.
    main_status = main.set_index(KEY)["status"]
    main_status = main_status[~main_status.index.duplicated()]
    keys = pd.MultiIndex.from_frame(b[KEY].astype({"year": "int64"}))
    twin = main_status.reindex(keys).to_numpy()
    same = base & ~sub
    supp[same] |= twin[same] != OK
    bme_keys = pd.MultiIndex.from_frame(b[KEY].assign(group="BME").astype({"year": "int64"}))
    bme_main_ok = main_status.reindex(bme_keys).to_numpy() == OK
    cell = b["unit"].astype(str) + "|" + b["year"].astype(str) + "|" + b["indicator"].astype(str)
    cell = (cell + "|" + stat).to_numpy()
    units = set(b["unit"].astype(str))
    joint_rows = b["members"].astype(str).str.contains(",", regex=False).to_numpy()
    members_of = {
        u: m.split(",")
        for u, m in zip(b.loc[joint_rows, "unit"], b.loc[joint_rows, "members"], strict=True)
    }
    members_of = {u: m for u, m in members_of.items() if all(x in units for x in m)}
    for _ in range(100):
        before = supp.copy()
        # all four BME groups of a cell together, and only under a published BME cell
        hit = base & sub & (supp | ~bme_main_ok)
        dead = set(cell[hit])
        supp |= base & sub & np.isin(cell, list(dead))
        # indicator 3/4 denominators and indicator 1 headcounts of the same unit, year, group
        one = base & sub & (b["indicator"] == "1").to_numpy() & (stat == "count").to_numpy()
        den = base & sub & b["indicator"].isin(["3", "4"]).to_numpy()
        den &= (stat == "denominator").to_numpy()
        ug = (b["unit"].astype(str) + "|" + b["year"].astype(str) + "|" + group).to_numpy()
        withheld = set(ug[one & supp]) | set(ug[den & supp])
        supp |= (one | den) & np.isin(ug, list(withheld))
        # joint = sum of members: never exactly one member withheld under a published total
        for u, mem in members_of.items():
            jm = base & sub & (b["unit"] == u).to_numpy()
            for i in np.flatnonzero(jm & ~supp):
                rest = (b["year"] == b.at[i, "year"]) & (b["indicator"] == b.at[i, "indicator"])
                rest &= (stat == stat.iat[i]) & (group == group.iat[i])
                parts = np.flatnonzero(rest.to_numpy() & base & b["unit"].isin(mem).to_numpy())
                if (supp[parts]).sum() == 1:
                    free = parts[~supp[parts]]
                    if free.size:
                        pick = free[np.argmin(values[free])]
                        supp |= base & sub & (cell == cell[pick])
                    else:
                        supp |= base & sub & (cell == cell[i])
        if (supp == before).all():
            break
    # derived figures
    derived = np.zeros(len(b), dtype=bool)
    supp_keys = set(zip(cell[supp & base], group[supp & base], strict=True))
    ucell = (b["unit"].astype(str) + "|" + b["year"].astype(str) + "|" + b["indicator"]).to_numpy()
    for i in np.flatnonzero(ok & ~base):
        s = stat.iat[i]
        g = group.iat[i]
        deps = {(f"{ucell[i]}|count", g), (f"{ucell[i]}|denominator", g)}
        if s in RATIO_STATISTICS or s.startswith(("relative_likelihood", "ci_")):
            deps |= {(f"{ucell[i]}|count", "White"), (f"{ucell[i]}|denominator", "White")}
        if s == "percent" and b.at[i, "indicator"] == "1":
            deps |= {(f"{ucell[i]}|count", "")}
            deps |= {(f"{ucell[i]}|count", g)}
        if deps & supp_keys:
            derived[i] = True
        if s == "percent" and b.at[i, "indicator"] == "1":
            total = main_status.get(
                (b.at[i, "unit"], int(b.at[i, "year"]), "1", "count", "", ALL_BANDS, ALL_CLINICAL)
            )
            derived[i] |= total is not None and total != OK
    final = (supp & base) | derived
    note = b["note"].astype(str).to_numpy().copy()
    note[(supp & base) | derived] = WITHHELD_NOTE
    status[final] = SUPPRESSED_STATUS
    b["status"] = status
    b["note"] = note
    if "classification" in b.columns:
        b.loc[final, "classification"] = ""
    if "small_numbers" in b.columns:
        b.loc[final, "small_numbers"] = pd.NA
    b["display"] = [
        STATUS_SYMBOLS[st]
        if st in STATUS_SYMBOLS
        else ("" if v != v else format_value(s, v, round_to))
        for s, st, v in zip(stat.tolist(), status.tolist(), values.tolist(), strict=True)
    ]
    return b


def published_copy(
    table: pd.DataFrame, round_to: int | dict[str, int | None] | None = None
) -> pd.DataFrame:
    """The copy meant for publication: contract columns plus the published flags.

    ``value`` is emptied wherever the status is suppressed (or when ``display`` is "[c]") and
    elsewhere carries the precision printed (:func:`printed_values`; counts rounded to
    ``round_to``, a number or one per unit, when given; else the rounding :func:`disclose`
    used),
    helper columns (numerator, denominator, numerator2, denominator2, members, basis) are
    dropped, and classification/small_numbers are blank on suppressed rows.
    """
    if "display" not in table.columns or (table["display"].astype(str) == "").all():
        raise ValueError("published_copy needs a disclosed table: call disclose() first")
    t = table.copy()
    round_to = round_to or table.attrs.get("round_to")
    if isinstance(round_to, dict):  # per unit (a unit's policy may round its counts)
        round_to = t["unit"].astype(str).map(lambda u: round_to.get(u) or 0).to_numpy(float)
    hide = (t["status"] == SUPPRESSED_STATUS) | (t["display"] == MARKER)
    t["value"] = printed_values(t["statistic"], t["value"].astype("float64"), round_to)
    t.loc[hide, "value"] = np.nan
    for c in ("classification",):
        if c in t.columns:
            t.loc[hide, c] = ""
    if "small_numbers" in t.columns:
        t.loc[hide, "small_numbers"] = pd.NA
    keep = CONTRACT_COLUMNS + [c for c in EXTRA_COLUMNS if c in t.columns]
    return t.drop(columns=[c for c in HELPER_COLUMNS if c in t.columns])[keep]


def disclose_frame(
    df: pd.DataFrame,
    count_cols: list[str],
    min_count: int = 7,
    round_to: int | None = None,
    total_col: str | None = None,
) -> pd.DataFrame:
    """Disclosure control for an ad-hoc table of counts (e.g. data-quality tables).

    Returns a copy where each column of ``count_cols`` (and ``total_col``) holds display
    strings: counts from 1 to ``min_count`` become "[c]", others are formatted (rounded to
    ``round_to`` when set). With ``total_col`` (a row total of ``count_cols``, shown as well),
    secondary suppression makes sure no suppressed cell in a row can be worked out from it.
    Other columns are left as they are; the frame must hold only counts meant for display.
    """
    cols = list(count_cols) + ([total_col] if total_col else [])
    vals = df[cols].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
    supp = (vals >= 1) & (vals <= min_count)
    if total_col:
        nparts = len(count_cols)
        tie = [(nparts, list(range(nparts)))]
        for i in range(len(df)):
            if supp[i].any():
                supp[i] = protect(vals[i], supp[i], tie)
    out = df.copy()
    for j, c in enumerate(cols):
        out[c] = [
            MARKER if supp[i, j] else f"{round_count(vals[i, j], round_to):,}"
            for i in range(len(df))
        ]
    return out
