"""The rules of disclosure control beyond a count of 1..k (docs/disclosure.md).

:func:`wres_utils.disclosure.disclose` is the one gate; it calls these:

- :func:`board_rows`: indicator 9 counts are public (Board members are public office holders,
  named on every trust's website) when ``board_public``;
- :func:`survey_withheld`: a staff survey group's result needs ``survey_min_respondents``
  respondents (11, the NHS Staff Survey's own reporting minimum); a result where every
  respondent of a small group answered alike (0% or 100%) is withheld, and so is one where
  the answers "no" are a count from 1 to k;
- :func:`zero_reveals`: a tie whose published parts are all 0 and whose only withheld part
  would then equal the (withheld) total reveals a whole row's ethnicity (everyone in the
  band is BME): a zero part is withheld as well;
- :func:`attacker_pass`: the integer-programming attacker of
  :mod:`wres_utils.disclosure.attack` run on the gate's own output; while a withheld count
  of 1..k can be narrowed to an interval narrower than the protection width, the cheapest
  published cell tied to it is withheld too.
- :func:`headline`: how many of the 14 headline cells a unit publishes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.disclosure import attack
from wres_utils.disclosure.ties import printed_values, tie_table

#: The 14 headline cells of a WRES report: (indicator, statistic, group, band, clinical).
HEADLINE_CELLS: tuple[tuple[str, str, str, str, str], ...] = (
    ("1", "percent", "BME", "All", "all"),
    ("2", "relative_likelihood", "", "", ""),
    ("3", "relative_likelihood", "", "", ""),
    ("4", "relative_likelihood", "", "", ""),
    *((i, "percent", g, "", "") for i in ("5", "6", "7", "8") for g in ("White", "BME")),
    ("9a", "percentage_points", "", "", ""),
    ("9b", "percentage_points", "", "", ""),
)
#: The one line a report gives for a withheld headline figure (the same whatever the cause).
WITHHELD_REASON = (
    "withheld to protect confidentiality: with the other published figures it could let a "
    "reader narrow a small number of staff down to a few values"
)
#: Short labels of the headline cells, in the same order.
HEADLINE_LABELS: tuple[str, ...] = (
    "1 BME share",
    "2",
    "3",
    "4",
    *(f"{i} {g}" for i in ("5", "6", "7", "8") for g in ("White", "BME")),
    "9a",
    "9b",
)


def headline_rows(t: pd.DataFrame) -> np.ndarray:
    """Rows that are one of the 14 headline cells (:data:`HEADLINE_CELLS`)."""
    key = t[["indicator", "statistic", "group", "band", "clinical"]].astype(str)
    cells = set(HEADLINE_CELLS)
    return np.array([k in cells for k in key.itertuples(index=False, name=None)], dtype=bool)


def board_rows(t: pd.DataFrame) -> np.ndarray:
    """Rows of indicator 9 (Board membership)."""
    return t["indicator"].astype(str).isin(["9a", "9b"]).to_numpy()


def survey_withheld(
    t: pd.DataFrame, base: np.ndarray, k: int, min_respondents: int, all_or_none_below: int
) -> np.ndarray:
    """Survey ``count`` rows (answers yes) to withhold beyond the count rule.

    Per unit, year, indicator 5-8 and group: fewer than ``min_respondents`` respondents; or
    fewer than ``all_or_none_below`` respondents who all answered alike (yes 0 or all); or
    answers "no" (respondents - yes) from 1 to k. The percentage follows its count.
    """
    out = np.zeros(len(t), dtype=bool)
    ind = t["indicator"].astype(str)
    sv = (ind.isin(["5", "6", "7", "8"])).to_numpy() & base
    if not sv.any():
        return out
    s = t.loc[sv, ["unit", "year", "indicator", "group", "statistic", "value"]]
    wide = s.pivot_table(
        index=["unit", "year", "indicator", "group"], columns="statistic", values="value"
    )
    if "count" not in wide or "denominator" not in wide:
        return out
    yes, resp = wide["count"], wide["denominator"]
    no = resp - yes
    bad = (resp < min_respondents) | ((resp < all_or_none_below) & ((yes == 0) | (no == 0)))
    bad |= (no >= 1) & (no <= k)
    bad = bad[bad]
    if bad.empty:
        return out
    keys = pd.MultiIndex.from_frame(s[["unit", "year", "indicator", "group"]])
    hit = keys.isin(bad.index) & (s["statistic"] == "count").to_numpy()
    out[np.flatnonzero(sv)[hit]] = True
    return out


def zero_reveals(ties: pd.DataFrame, values: np.ndarray, supp: np.ndarray) -> np.ndarray:
    """Zero cells to withhold so that no withheld part equals its withheld total by itself.

    ``ties`` is :func:`wres_utils.disclosure.tie_table`; ``values`` and ``supp`` are per row.
    Returns the rows to add to the suppressed cells.
    """
    add = np.zeros(len(values), dtype=bool)
    if ties.empty:
        return add
    rid = ties["rid"].to_numpy(dtype=int)
    tot = ties["is_total"].to_numpy(dtype=bool)
    tie = ties["tie"].to_numpy(dtype=int)
    order = np.argsort(tie, kind="stable")
    rid, tot, tie = rid[order], tot[order], tie[order]
    cuts = np.flatnonzero(np.diff(tie)) + 1
    for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(tie)], strict=True):
        parts = rid[a:b][~tot[a:b]]
        total = rid[a:b][tot[a:b]]
        if len(parts) < 2 or total.size != 1:
            continue
        sp = supp[parts]
        if sp.sum() != 1 or not supp[total[0]]:
            continue
        others = parts[~sp]
        if (values[others] == 0).all():
            add[others[0]] = True
    return add


def cost(t: pd.DataFrame, ties: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
    """The cost of withholding each cell (smallest counts first, totals and zeros last)."""
    values = t["value"].to_numpy(dtype=float, na_value=0.0)
    is_total = np.zeros(len(t), dtype=bool)
    if not ties.empty:
        is_total[ties.loc[ties["is_total"].astype(bool), "rid"].to_numpy(dtype=int)] = True
    return np.where(values == 0, 2e12, 0) + np.where(is_total, 1e12, 0) + values + keep


def _published_view(t: pd.DataFrame, withheld: np.ndarray) -> pd.DataFrame:
    """What the reader holds of ``t`` when ``withheld`` rows are withheld."""
    view = t[["unit", "year", "indicator", "statistic", "group", "band", "clinical"]].copy()
    view["status"] = np.where(withheld, "suppressed", t["status"].astype(str).to_numpy())
    view["value"] = np.where(withheld, np.nan, t["value"].to_numpy(dtype=float, na_value=np.nan))
    view["note"] = ""
    return view


def attacker_pass(
    t: pd.DataFrame,
    base: np.ndarray,
    supp: np.ndarray,
    finish: callable,
    k: int,
    width: int,
    costs: np.ndarray,
    ties: pd.DataFrame,
    exempt: np.ndarray,
    round_to: int | None = None,
    max_rounds: int = 50,
) -> np.ndarray:
    """Withhold more count cells until the attacker can narrow no withheld count of 1..k.

    ``supp`` is the count cells withheld so far; ``finish(supp)`` returns it closed under the
    linear rules (secondary suppression). Each round runs
    :func:`wres_utils.disclosure.attack.attack`
    (ties, bounds and integrality; the gate publishes a derived figure only where all its
    counts are published, so derived figures tell nothing more) on the cells of the units
    and years that hold a withheld count of 1..k; each exposed cell gets its cheapest
    published tie partner withheld.
    """

    values = t["value"].to_numpy(dtype=float, na_value=np.nan)
    small = base & (values >= 1) & (values <= k) & ~exempt
    rid = ties["rid"].to_numpy(dtype=int) if not ties.empty else np.zeros(0, int)
    tie = ties["tie"].to_numpy(dtype=int) if not ties.empty else np.zeros(0, int)
    ties_of: dict[int, list[int]] = {}
    cells_of: dict[int, list[int]] = {}
    for r, ti in zip(rid.tolist(), tie.tolist(), strict=True):
        ties_of.setdefault(r, []).append(ti)
        cells_of.setdefault(ti, []).append(r)
    uy = (t["unit"].astype(str) + "|" + t["year"].astype(str)).to_numpy()
    # The keys as integer codes: np.isin over a national table's strings costs 0.3 s a call.
    uy_code, uy_keys = pd.factorize(uy)
    code_of = {key: i for i, key in enumerate(uy_keys.tolist())}

    def codes(keys: set[str]) -> np.ndarray:
        return np.array(sorted(code_of[x] for x in keys if x in code_of), dtype=np.int64)

    todo: set[str] | None = None  # unit|year keys to (re-)examine; None: all
    for _ in range(max_rounds):
        targets = np.flatnonzero(supp & small)
        if todo is not None:
            targets = targets[np.isin(uy_code[targets], codes(todo))]
        if targets.size == 0:
            return supp
        # Only the count cells of the units and years that hold targets (and, through joint
        # groups, the units tied to them): the ties never cross years. After the first
        # round, only where cells were added.
        related = _related_units(t, set(uy[targets]))
        sub = np.flatnonzero(np.isin(uy_code, codes(related)) & base)
        st = t.iloc[sub]
        view = _published_view(st, supp[sub])
        view.attrs["aligned"] = True  # row for row the cells of ``st``
        res = attack.attack(
            st,
            view,
            k,
            width=width,
            round_to=round_to,
            exact=False,
            derived=False,
            targets=np.flatnonzero(np.isin(sub, targets)),
        )
        exposed = sub[res.loc[res["exposed"], "row"].to_numpy(dtype=int)]
        if exposed.size == 0:
            return supp
        added = False
        for cell in exposed:
            pick = _partner(int(cell), supp, costs, ties_of, cells_of)
            if pick is not None:
                supp[pick] = True
                added = True
        if not added:
            return supp
        before = supp.copy()
        supp = finish(supp)
        todo = set(uy[exposed]) | set(uy[supp & ~before])
    return supp


def _related_units(t: pd.DataFrame, unit_years: set[str]) -> set[str]:
    """``unit|year`` keys of the targets' units and years, with every unit tied to them
    through a joint group (its members, or the joint groups it is a member of)."""
    members = t[["unit", "members"]].drop_duplicates()
    links: dict[str, set[str]] = {}
    for u, m in zip(members["unit"].astype(str), members["members"].astype(str), strict=True):
        for x in m.split(","):
            if x and x != u:
                links.setdefault(u, set()).add(x)
                links.setdefault(x, set()).add(u)
    out = set(unit_years)
    for key in unit_years:
        u, y = key.split("|", 1)
        todo, seen = [u], {u}
        while todo:
            cur = todo.pop()
            for x in links.get(cur, ()):
                if x not in seen:
                    seen.add(x)
                    todo.append(x)
        out |= {f"{x}|{y}" for x in seen}
    return out


def _partner(
    cell: int,
    supp: np.ndarray,
    costs: np.ndarray,
    ties_of: dict[int, list[int]],
    cells_of: dict[int, list[int]],
    depth: int = 3,
) -> int | None:
    """The cheapest published cell within ``depth`` ties of ``cell`` (through withheld cells)."""
    frontier, seen_ties, seen = {cell}, set(), {cell}
    for _ in range(depth):
        found: list[int] = []
        nxt: set[int] = set()
        for c in frontier:
            for ti in ties_of.get(c, []):
                if ti in seen_ties:
                    continue
                seen_ties.add(ti)
                for x in cells_of[ti]:
                    if x in seen:
                        continue
                    seen.add(x)
                    if supp[x]:
                        nxt.add(x)
                    else:
                        found.append(x)
        if found:
            return min(found, key=lambda x: costs[x])
        frontier = nxt
        if not frontier:
            break
    return None


def headline(published: pd.DataFrame, unit: str, year: int) -> tuple[int, list[str]]:
    """How many of the 14 headline cells ``unit`` publishes for ``year``, and the labels of
    those it does not publish (withheld or not collected)."""
    p = published[
        (published["unit"].astype(str) == unit)
        & (pd.to_numeric(published["year"], errors="coerce") == int(year))
    ]
    key = p[["indicator", "statistic", "group", "band", "clinical"]].astype(str)
    ok = dict(
        zip(
            key.itertuples(index=False, name=None),
            (p["status"].astype(str) == "ok").tolist(),
            strict=True,
        )
    )
    missing = [
        label
        for cell, label in zip(HEADLINE_CELLS, HEADLINE_LABELS, strict=True)
        if not ok.get(cell, False)
    ]
    return len(HEADLINE_CELLS) - len(missing), missing


def percentages_pass(
    t: pd.DataFrame,
    base: np.ndarray,
    counts_withheld: np.ndarray,
    derived_withheld: np.ndarray,
    k: int,
    width: int,
    round_to: int,
    exempt: np.ndarray,
    max_rounds: int = 200,
) -> np.ndarray:
    """The ``percentages`` policy: which derived figures to withhold.

    Counts are published only as rounded totals (``counts_withheld`` are the others);
    percentages, rates, relative likelihoods and percentage points are published unless the
    attacker (with every published figure at its printed precision:
    :mod:`wres_utils.disclosure.attack`)
    narrows a count of 1..k below ``width``. Each round withholds the published figures that
    tell about an exposed count (then, if none is left, those about the counts tied to it).
    Returns the derived rows to withhold (``derived_withheld`` included).
    """

    ok = (t["status"].astype(str) == "ok").to_numpy()
    withheld = derived_withheld.copy()
    ties = tie_table(t, base)
    cells_of: dict[int, list[int]] = {}
    ties_of: dict[int, list[int]] = {}
    if not ties.empty:
        for r, ti in zip(ties["rid"].tolist(), ties["tie"].tolist(), strict=True):
            ties_of.setdefault(int(r), []).append(int(ti))
            cells_of.setdefault(int(ti), []).append(int(r))
    values = printed_values(t["statistic"], t["value"], None)
    head = headline_rows(t)
    for _ in range(max_rounds):
        hide = counts_withheld | withheld | ~ok
        view = _published_view(t, hide)
        view["value"] = np.where(hide, np.nan, values.to_numpy())
        view.attrs["aligned"] = True
        res, know = attack.attack_with_knowledge(
            t, view, k, width=width, round_to=round_to, exact=False, derived=True
        )
        res = res[~exempt[res["row"].to_numpy(dtype=int)]] if len(res) else res
        exposed = res.loc[res["exposed"], "row"].to_numpy(dtype=int) if len(res) else []
        if len(exposed) == 0:
            return withheld
        about: dict[int, list[int]] = {}
        for row, cells in know.refs.items():
            for c in cells:
                about.setdefault(c, []).append(row)
        added = False
        for cell in exposed:
            rows = [r for r in about.get(int(cell), []) if not withheld[r]]
            if not rows:
                near = {x for ti in ties_of.get(int(cell), []) for x in cells_of[ti]}
                rows = [r for c in near for r in about.get(c, []) if not withheld[r]]
            if rows:  # one figure a round, a supporting figure before a headline one
                pick = min(rows, key=lambda r: (bool(head[r]), -len(know.refs[r]), r))
                withheld[pick] = True
                added = True
        if not added:
            return withheld
    return withheld
