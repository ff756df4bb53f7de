"""The attacker of the threat model (docs/disclosure.md): integer programming on what is published.

The reader holds every published indicators table (every unit, every year printed), knows
that counts are whole numbers >= 0, knows every additive tie between count cells (bands and
totals, clinical and non-clinical, a joint group = the sum of its members, indicators 3 and 4
headcounts = indicator 1 headcounts: :func:`wres_utils.disclosure.tie_table`), knows the precision
of every printed figure (a percentage printed ``12.3`` lies in [12.25, 12.35]; a value printed
at full precision is exact), and reads every note (a note saying a withheld cell is "a count
from 1 to k" bounds it to 1..k).

For every withheld count whose true value is from 1 to k, the attacker's smallest and largest
values consistent with all of that are found with a mixed-integer linear program (HiGHS,
through :func:`scipy.optimize.milp`). A cell is *exposed* when that interval is narrower than
the protection width (``hi - lo < width``; see :data:`PROTECTION_WIDTH`).

What a published figure tells the attacker, as linear constraints on the count cells:

- a count: its value (an interval of ``round_to`` when counts are rounded);
- a percentage, rate or proportion: ``scale * num - (p + h) * den <= 0 <= scale * num -
  (p - h) * den`` with ``h`` half a unit of its last printed digit (indicator 1 percentages
  and declaration rate, rates of indicators 2-4, survey percentages, Board and workforce
  shares of indicator 9);
- a relative likelihood ``(a / n1) / (c / n2)`` whose two group sizes are published: linear
  in ``a`` and ``c``;
- a note "a count from 1 to k": the bounds 1..k.

Confidence intervals and percentage points are not used (they are not linear in the counts);
the attacker is therefore no stronger than this, and the documentation says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wres_utils.disclosure.ties import KEY, PRINTED_DECIMALS, tie_table

#: The smallest width ``hi - lo`` of the attacker's interval for a withheld count of 1..k.
#: 3 means at least four values stay possible (e.g. 0-3 for a count of 2): not one or two
#: (the minimum of the threat model) but a real protection interval, in the spirit of the
#: protection levels of tau-ARGUS. Params: ``suppression.protection_width``.
PROTECTION_WIDTH = 3
#: Upper bound of a withheld count when nothing else bounds it (a sanity limit for the solver).
BIG = 10_000_000
#: Key columns of a cell.
_NOTE_RANGE = re.compile(r"(?<!based on )a count from (\d+) to (\d+)")
#: Relative tolerance added to every printed-precision interval (float noise).
_EPS = 1e-9


@dataclass(frozen=True)
class Constraint:
    """``lo <= sum(coef * x[var]) <= hi`` over cell indices of the analyst table."""

    vars: tuple[int, ...]
    coefs: tuple[float, ...]
    lo: float
    hi: float


def decimals(value: float, limit: int = 12) -> int:
    """The number of decimals a printed number carries (12 or more: treated as exact)."""
    if value != value or np.isinf(value):
        return limit
    text = repr(float(value))
    if "e" in text or "E" in text:
        return limit
    frac = text.split(".", 1)[1].rstrip("0") if "." in text else ""
    return min(len(frac), limit)


def half_unit(value: float, text: str | None = None, statistic: str | None = None) -> float:
    """Half a unit of the last printed digit of ``value`` (0 for a full-precision float).

    Without its text, a value has at least the decimals its ``statistic`` is printed with
    (12.0% is printed "12.0%": [11.95, 12.05], not [11.5, 12.5]).
    """

    if text is not None and text.strip():
        s = text.strip().lstrip("+-")
        d = len(s.split(".", 1)[1]) if "." in s else 0
    else:
        d = decimals(value)
    d = max(d, PRINTED_DECIMALS.get(statistic or "", 0))
    if d >= 10:
        return 0.0
    return 0.5 * 10.0 ** (-d)


def _key_frame(frame: pd.DataFrame) -> pd.DataFrame:
    k = frame.reindex(columns=KEY).copy()
    k = k.astype(object).where(k.notna(), "").astype(str)
    k = k.replace({"nan": "", "<NA>": ""})
    k["year"] = k["year"].str.replace(r"\.0$", "", regex=True)
    return k


def _keys(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    k = _key_frame(frame)
    return list(k.itertuples(index=False, name=None))


class Knowledge:
    """Everything the attacker knows, as bounds and linear constraints on the count cells.

    ``analyst`` is the analyst's copy of the indicators (every unit and year the published
    tables cover; its ``value`` column holds the truth and is used only to say which withheld
    cells are small and to check the truth is feasible); ``published`` the concatenation of
    every published indicators table the reader holds (rows may repeat across files: a cell
    is known when any copy publishes it).
    """

    def __init__(
        self,
        analyst: pd.DataFrame,
        published: pd.DataFrame,
        round_to: int | dict[str, int | None] | None = None,
        use_notes: bool = True,
        derived: bool = True,
    ):
        from wres_utils.disclosure.ties import BASE_STATISTICS

        t = analyst.reset_index(drop=True)
        self.t = t
        stat = t["statistic"].astype(str)
        status = t["status"].astype(str)
        self.truth = t["value"].to_numpy(dtype=float, na_value=np.nan)
        self.base = (
            stat.isin(BASE_STATISTICS).to_numpy()
            & status.isin(["ok", "suppressed"]).to_numpy()
            & ~np.isnan(self.truth)
        )
        # ``published`` row-aligned with ``analyst`` (the gate's own view): no key matching.
        aligned = (
            published is not analyst
            and len(published) == len(t)
            and bool(getattr(published, "attrs", {}).get("aligned", False))
        )
        if aligned and not derived:
            keys: list[tuple[str, ...]] = []
            self.index, self.row_of = {}, {}
        else:
            keys = _keys(t)
            self.index = {k: i for i, k in enumerate(keys) if self.base[i]}
            self.row_of = {k: i for i, k in enumerate(keys)}
        n = len(t)
        self.lo = np.zeros(n)
        self.hi = np.full(n, float(BIG))
        self.known = np.zeros(n, dtype=bool)
        self.constraints: list[Constraint] = []
        #: The count cells each published derived figure tells about (row -> cells).
        self.refs: dict[int, tuple[int, ...]] = {}
        # What was published, per analyst row (a cell published in any file is known).
        pk = [] if aligned else _keys(published)
        p_status = published["status"].astype(str).to_numpy()
        p_value = pd.to_numeric(published["value"], errors="coerce").to_numpy(dtype=float)
        p_note = (
            published["note"].astype(str).to_numpy()
            if "note" in published
            else np.full(len(published), "")
        )
        p_text = (
            published["value_text"].astype(str).to_numpy() if "value_text" in published else None
        )
        shown: dict[int, tuple[float, str | None]] = {}
        notes: dict[int, list[str]] = {}
        if aligned:
            hit = np.flatnonzero((p_status == "ok") & ~np.isnan(p_value))
            shown = {int(i): (float(p_value[i]), None) for i in hit}
        for j, key in enumerate(pk):
            i = self.row_of.get(key)
            if i is None:
                continue
            if p_status[j] == "ok" and p_value[j] == p_value[j]:
                shown[i] = (float(p_value[j]), None if p_text is None else p_text[j])
            elif use_notes and p_note[j]:
                notes.setdefault(i, []).append(p_note[j])
        self.shown = shown
        units = t["unit"].astype(str).to_numpy()
        for i, (v, _) in shown.items():
            if not self.base[i]:
                continue
            r = round_to.get(units[i]) if isinstance(round_to, dict) else round_to
            r = int(r) if r else 0
            self.known[i] = True
            if r:
                self.lo[i] = max(0.0, np.ceil(v - r / 2))
                self.hi[i] = np.ceil(v + r / 2) - 1
            else:
                self.lo[i] = self.hi[i] = round(v)
        for i, texts in notes.items():
            if not self.base[i]:
                continue
            for text in texts:
                m = _NOTE_RANGE.search(text)
                if m:
                    self.lo[i] = max(self.lo[i], float(m.group(1)))
                    self.hi[i] = min(self.hi[i], float(m.group(2)))
        self._ties()
        if derived:
            self._derived()

    # -- constraints

    def _ties(self) -> None:

        ties = tie_table(self.t, self.base)
        if ties.empty:
            return
        tie = ties["tie"].to_numpy(dtype=int)
        order = np.argsort(tie, kind="stable")
        tie = tie[order]
        rid = ties["rid"].to_numpy(dtype=int)[order]
        tot = ties["is_total"].to_numpy(dtype=bool)[order]
        coef = np.where(tot, -1.0, 1.0)
        cuts = np.flatnonzero(np.diff(tie)) + 1
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(tie)], strict=True):
            if tot[a:b].sum() != 1:  # a tie without its total row tells nothing
                continue
            self.constraints.append(
                Constraint(tuple(rid[a:b].tolist()), tuple(coef[a:b].tolist()), 0.0, 0.0)
            )

    def _cell(self, key: tuple[str, ...]) -> int | None:
        return self.index.get(key)

    def _ratio(self, num: list[int], den: list[int], scale: float, p: float, h: float) -> None:
        """``scale * sum(num) / sum(den)`` is ``p`` to within ``h``."""
        tol = h + _EPS * max(1.0, abs(p))
        coefs: dict[int, float] = {}
        for c in num:
            coefs[c] = coefs.get(c, 0.0) + scale
        up = dict(coefs)
        dn = dict(coefs)
        for c in den:
            up[c] = up.get(c, 0.0) - (p + tol)
            dn[c] = dn.get(c, 0.0) - (p - tol)
        self.constraints.append(Constraint(tuple(up), tuple(up.values()), -np.inf, 0.0))
        self.constraints.append(Constraint(tuple(dn), tuple(dn.values()), 0.0, np.inf))

    def _derived(self) -> None:
        t = self.t
        basis = t["basis"].astype(str).to_numpy() if "basis" in t else np.full(len(t), "all")
        keys = _keys(t)
        for i, (v, text) in self.shown.items():
            if self.base[i]:
                continue
            unit, year, ind, stat, group, band, clin = keys[i]
            h = half_unit(v, text, stat)

            def cell(
                ind: str = ind,
                stat: str = "count",
                group: str = group,
                band: str = band,
                clin: str = clin,
                unit: str = unit,
                year: str = year,
            ) -> int | None:
                return self._cell((unit, year, ind, stat, group, band, clin))

            num: list[int | None]
            den: list[int | None]
            scale = 100.0
            if ind == "1" and stat == "percent":
                num = [cell()]
                den = (
                    [cell(group="")]
                    if basis[i] != "known"
                    else [cell(group="White"), cell(group="BME")]
                )
            elif ind == "1" and stat == "declaration_rate":
                num = [cell(group="White"), cell(group="BME")]
                den = [cell(group="")]
            elif ind in ("2", "3", "4") and stat == "rate":
                num, den, scale = [cell()], [cell(stat="denominator")], 1.0
            elif ind in ("5", "6", "7", "8") and stat == "percent":
                num, den = [cell()], [cell(stat="denominator")]
            elif ind in ("9a", "9b") and stat == "percent":
                num, den = [cell(group="BME")], [cell(stat="denominator", group="")]
            elif ind in ("9a", "9b") and stat == "workforce_percent":
                one = dict(ind="1", stat="count", band="All", clin="all")
                num = [cell(group="BME", **one)]
                den = (
                    [cell(group="", **one)]
                    if basis[i] != "known"
                    else [cell(group="White", **one), cell(group="BME", **one)]
                )
            elif ind in ("2", "3", "4") and stat == "relative_likelihood":
                self._likelihood(i, keys[i], v, h)
                continue
            else:
                continue
            if any(c is None for c in num + den):
                continue
            self._ratio([int(c) for c in num], [int(c) for c in den], scale, v, h)
            self.refs[i] = tuple(int(c) for c in num + den)

    def _likelihood(self, row: int, key: tuple[str, ...], rr: float, h: float) -> None:
        """(a / n1) / (c / n2) = rr. Linear in a and c when n1 and n2 are known exactly;
        otherwise, when one group's rate is published, the other rate is rr (or 1 / rr)
        times it: a linear constraint on that group's count and size (an implied, weaker
        constraint: sound)."""
        from wres_utils.core.catalogue import RR_SPEC

        unit, year, ind, _, _, band, clin = key
        num_g, comp_g = RR_SPEC[ind][2], RR_SPEC[ind][3]
        a = self._cell((unit, year, ind, "count", num_g, band, clin))
        n1 = self._cell((unit, year, ind, "denominator", num_g, band, clin))
        c = self._cell((unit, year, ind, "count", comp_g, band, clin))
        n2 = self._cell((unit, year, ind, "denominator", comp_g, band, clin))
        if None in (a, n1, c, n2):
            return
        tol = h + _EPS * max(1.0, abs(rr))
        if self._exact(n1) and self._exact(n2):
            v1, v2 = self.lo[n1], self.lo[n2]
            # a * n2 - rr * n1 * c in [-tol * n1 * c, +tol * n1 * c]
            self.constraints.append(Constraint((a, c), (v2, -(rr + tol) * v1), -np.inf, 0.0))
            self.constraints.append(Constraint((a, c), (v2, -(rr - tol) * v1), 0.0, np.inf))
            self.refs[row] = (a, c)
            return
        for grp, x, nx, times in ((comp_g, a, n1, True), (num_g, c, n2, False)):
            # ``grp``'s rate is published: the other group's rate follows from rr.
            r = self.row_of.get((unit, year, ind, "rate", grp, band, clin))
            if r is None or r not in self.shown:
                continue
            p, text = self.shown[r]
            hp = half_unit(p, text, "rate") + _EPS
            lo_r, hi_r = (rr - tol) * (p - hp), (rr + tol) * (p + hp)
            if not times:  # the numerator group's rate is published: comparator = it / rr
                lo_r, hi_r = (p - hp) / (rr + tol), (p + hp) / max(rr - tol, 1e-12)
            self.constraints.append(Constraint((x, nx), (1.0, -hi_r), -np.inf, 0.0))
            self.constraints.append(Constraint((x, nx), (1.0, -lo_r), 0.0, np.inf))
            self.refs[row] = (x, nx)

    def _exact(self, i: int) -> bool:
        return bool(self.known[i] and self.lo[i] == self.hi[i])

    @property
    def free(self) -> np.ndarray:
        """Cells the attacker must solve for: withheld, or published only as an interval."""
        return self.base & ~(self.known & (self.lo == self.hi))


def _components(n: int, constraints: list[Constraint], free: np.ndarray) -> np.ndarray:
    """Union-find of the free cells linked by a constraint; returns a label per cell."""
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c in constraints:
        vs = [v for v in c.vars if free[v]]
        for a, b in zip(vs, vs[1:], strict=False):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    return np.array([find(i) if free[i] else i for i in range(n)])


@dataclass
class Component:
    """The attacker's problem restricted to one group of linked withheld cells."""

    cells: np.ndarray  # analyst row indices of the free (withheld) cells
    a: np.ndarray  # constraint matrix over ``cells``
    lo: np.ndarray  # constraint bounds (fixed cells moved to the right-hand side)
    hi: np.ndarray
    xlo: np.ndarray  # variable bounds
    xhi: np.ndarray

    def extreme(
        self, j: int | list[int], sense: int, time_limit: float | None = None
    ) -> float | None:
        """min (sense=+1) or max (sense=-1) of cell ``j`` (position in ``cells``; a list: of
        their sum). The solution is kept in ``last``."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        c = np.zeros(len(self.cells))
        c[j] = sense
        cons = [LinearConstraint(self.a, self.lo, self.hi)] if len(self.a) else []
        options = {"mip_rel_gap": 0.0} | ({"time_limit": time_limit} if time_limit else {})
        res = milp(
            c,
            constraints=cons,
            integrality=np.ones(len(self.cells)),
            bounds=Bounds(self.xlo, self.xhi),
            options=options,
        )
        if res.x is None:
            return None
        self.last = res.x
        return float(np.sum(res.x[j]))


#: At most this many cells in one block-diagonal solve (larger batches are split).
BATCH_CELLS = 4000


def _block_diag(comps: list[Component], offsets: np.ndarray) -> Any:
    """The components' constraint matrices as one block-diagonal sparse matrix."""
    from scipy.sparse import csr_array

    rows, cols, vals = [], [], []
    r0 = 0
    for c, off in zip(comps, offsets, strict=False):
        nz = getattr(c, "_nz", None)
        if nz is None:
            rr, cc = np.nonzero(c.a)
            nz = c._nz = (rr, cc, c.a[rr, cc])
        rows.append(nz[0] + r0)
        cols.append(nz[1] + off)
        vals.append(nz[2])
        r0 += len(c.a)
    return csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(r0, int(offsets[-1])),
    )


def _solve_blocks(tasks: list[tuple[Component, int, int]]) -> list[np.ndarray | None]:
    """For each (component, cell, sense): a solution extreme in that cell (min for sense +1,
    max for -1), all components solved together as one block-diagonal MILP (in batches of
    at most :data:`BATCH_CELLS` cells). A block without a solution gets None."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    out: list[np.ndarray | None] = []
    start = 0
    while start < len(tasks):
        size, stop = 0, start
        while stop < len(tasks) and (
            stop == start or size + len(tasks[stop][0].cells) <= BATCH_CELLS
        ):
            size += len(tasks[stop][0].cells)
            stop += 1
        part = tasks[start:stop]
        comps = [c for c, _, _ in part]
        sizes = [len(c.cells) for c in comps]
        offsets = np.r_[0, np.cumsum(sizes)]
        cost = np.zeros(offsets[-1])
        for k, (_, j, sense) in enumerate(part):
            cost[offsets[k] + j] = sense
        a = _block_diag(comps, offsets)
        res = milp(
            cost,
            constraints=[
                LinearConstraint(
                    a, np.concatenate([c.lo for c in comps]), np.concatenate([c.hi for c in comps])
                )
            ],
            integrality=np.ones(offsets[-1]),
            bounds=Bounds(
                np.concatenate([c.xlo for c in comps]), np.concatenate([c.xhi for c in comps])
            ),
            # Exact optimum of the sum (an integer): then every block is at its own extreme.
            options={"mip_rel_gap": 0.0},
        )
        if res.x is None:
            if len(part) == 1:
                out.append(None)
            else:  # one block without a solution: solve the blocks one by one
                out += [_solve_blocks([t])[0] for t in part]
        else:
            out += [res.x[offsets[k] : offsets[k + 1]] for k in range(len(part))]
        start = stop
    return out


def components(know: Knowledge, targets: Iterable[int]) -> list[tuple[Component, list[int]]]:
    """The components holding the ``targets`` (analyst row indices), with their targets."""
    n = len(know.t)
    free = know.free
    label = _components(n, know.constraints, free)
    targets = [int(i) for i in targets if free[i]]
    by_label: dict[int, list[int]] = {}
    for i in targets:
        by_label.setdefault(int(label[i]), []).append(i)
    if not by_label:
        return []
    # constraints per component
    cons_of: dict[int, list[Constraint]] = {}
    for c in know.constraints:
        fv = [v for v in c.vars if free[v]]
        if not fv:
            continue
        lab = int(label[fv[0]])
        if lab in by_label:
            cons_of.setdefault(lab, []).append(c)
    out = []
    free_idx = np.flatnonzero(free)
    order = np.argsort(label[free_idx], kind="stable")
    sorted_labels = label[free_idx][order]
    for lab, tg in by_label.items():
        a_, b_ = np.searchsorted(sorted_labels, [lab, lab + 1])
        cells = np.sort(free_idx[order[a_:b_]])
        pos = {int(c): j for j, c in enumerate(cells)}
        cons = cons_of.get(lab, [])
        a = np.zeros((len(cons), len(cells)))
        lo = np.zeros(len(cons))
        hi = np.zeros(len(cons))
        for r, c in enumerate(cons):
            const = 0.0
            for v, w in zip(c.vars, c.coefs, strict=True):
                if free[v]:
                    a[r, pos[v]] += w
                else:
                    const += w * know.lo[v]  # a cell published exactly
            lo[r] = c.lo - const
            hi[r] = c.hi - const
        out.append(
            (
                Component(cells, a, lo, hi, know.lo[cells].copy(), know.hi[cells].copy()),
                tg,
            )
        )
    return out


def attack(analyst: pd.DataFrame, published: pd.DataFrame, min_count: int, **kw) -> pd.DataFrame:
    """The attacker's interval for every withheld count of 1..``min_count`` (see
    :func:`attack_with_knowledge`, which also returns what the attacker knew)."""
    return attack_with_knowledge(analyst, published, min_count, **kw)[0]


def attack_with_knowledge(
    analyst: pd.DataFrame,
    published: pd.DataFrame,
    min_count: int,
    *,
    width: int = PROTECTION_WIDTH,
    round_to: int | dict[str, int | None] | None = None,
    use_notes: bool = True,
    exact: bool = True,
    targets: Iterable[int] | None = None,
    derived: bool = True,
    exempt_board: bool = False,
) -> tuple[pd.DataFrame, Knowledge]:
    """The attacker's interval for every withheld count of 1..``min_count``.

    Returns one row per target cell: the key columns, ``value`` (the truth), ``lo`` and
    ``hi`` (the smallest and largest values consistent with everything published) and
    ``exposed`` (``hi - lo < width``). ``exempt_board``: indicator 9 counts are not
    targets (Board members are public). With ``exact=False`` the search stops as soon as a
    cell is shown protected (feasible solutions met on the way already span ``width``):
    ``lo``/``hi`` are then only as far as needed (the gate's use). ``targets`` (analyst row
    indices) restricts the cells examined. ``derived=False`` leaves out what published
    percentages, rates and likelihoods tell (the gate's use: it publishes none whose counts are
    withheld).
    """
    know = Knowledge(analyst, published, round_to=round_to, use_notes=use_notes, derived=derived)
    t = know.t
    free = know.base & ~know.known
    if targets is None:
        small = (know.truth >= 1) & (know.truth <= min_count)
        if exempt_board:  # Board members are public office holders (params board_public)
            small &= ~t["indicator"].astype(str).isin(["9a", "9b"]).to_numpy()
        targets = np.flatnonzero(free & small)
    rows: list[tuple[int, float, float]] = []
    work: list[tuple[Component, list[int], dict[int, int], np.ndarray, np.ndarray]] = []
    for comp, tg in components(know, targets):
        pos = {int(c): j for j, c in enumerate(comp.cells)}
        if len(comp.a) == 0:  # no tie and no figure: only its bounds
            rows += [(i, float(comp.xlo[pos[i]]), float(comp.xhi[pos[i]])) for i in tg]
            continue
        truth = know.truth[comp.cells]
        work.append((comp, tg, pos, truth.copy(), truth.copy()))
    # Every component's next task (a target, up or down) is solved in one block-diagonal
    # MILP: the blocks are independent, so one solve gives each block's own extreme. The
    # number of solver calls is then the largest number of tasks of one component, not the
    # total (the per-call overhead dominates these small problems).
    tasks = [[(pos[i], sense) for i in tg for sense in (-1, 1)] for _, tg, pos, _, _ in work]
    nxt = [0] * len(work)
    while True:
        batch: list[tuple[int, int, int]] = []
        for w, (_, _, _, seen_lo, seen_hi) in enumerate(work):
            while nxt[w] < len(tasks[w]):
                j, sense = tasks[w][nxt[w]]
                nxt[w] += 1
                if exact or seen_hi[j] - seen_lo[j] < width:
                    batch.append((w, j, sense))
                    break
        if not batch:
            break
        solutions = _solve_blocks([(work[w][0], j, sense) for w, j, sense in batch])
        for (w, _, _), x in zip(batch, solutions, strict=True):
            if x is None:  # infeasible: should not happen (the truth is feasible)
                continue
            comp, tg, pos, seen_lo, seen_hi = work[w]
            np.minimum(seen_lo, np.round(x), out=seen_lo)
            np.maximum(seen_hi, np.round(x), out=seen_hi)
    for _, tg, pos, seen_lo, seen_hi in work:
        rows += [(i, float(seen_lo[pos[i]]), float(seen_hi[pos[i]])) for i in tg]
    out = _key_frame(t.iloc[[r[0] for r in rows]]) if rows else _key_frame(t.iloc[0:0])
    out["row"] = [r[0] for r in rows]
    out["value"] = [know.truth[r[0]] for r in rows]
    out["lo"] = [r[1] for r in rows]
    out["hi"] = [r[2] for r in rows]
    out["exposed"] = (out["hi"] - out["lo"]) < width
    return out.reset_index(drop=True), know


def attribute_disclosures(analyst: pd.DataFrame, published: pd.DataFrame) -> list[str]:
    """Ties whose one withheld part must equal the withheld total: every other part is a
    published 0 (e.g. "White 0, Unknown 0, BME [c]": every consultant is BME)."""

    know = Knowledge(analyst, published, use_notes=False, derived=False)
    ties = tie_table(know.t, know.base)
    out: list[str] = []
    if ties.empty:
        return out
    shown = know.known
    keys = _keys(know.t)
    for _, g in ties.groupby("tie", sort=False):
        rid = g["rid"].to_numpy(dtype=int)
        tot = g["is_total"].to_numpy(dtype=bool)
        parts, total = rid[~tot], rid[tot]
        if len(parts) < 2 or total.size != 1 or shown[total[0]]:
            continue
        hidden = parts[~shown[parts]]
        if (
            hidden.size == 1
            and (know.lo[parts[shown[parts]]] == 0).all()
            and know.truth[total[0]] > 0
        ):
            label = ", ".join(x for x in keys[int(hidden[0])] if x)
            out.append(
                f"the withheld cell ({label}) must equal its withheld total: every other part "
                "is a published 0"
            )
    return out
