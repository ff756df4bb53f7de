"""Compliance rules (data in ``wres_utils/data/compliance_rules.yaml``) evaluated on the
disclosed figures; each finding cites the figure behind it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from wres_utils.commissioner.inputs import NOT_MONITORED, NOT_PUBLISHED, RULES_PATH, ProviderYear
from wres_utils.core import rounding
from wres_utils.core.catalogue import UNAVAILABLE, distance_from_equal
from wres_utils.core.params import Labels


@dataclass(frozen=True)
class Rule:
    """One compliance rule (an entry of compliance_rules.yaml)."""

    id: str
    check: str
    title: str
    text: str
    figure: str
    indicators: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    """The rules and, per indicator, the figure they read (``measures``)."""

    rules: tuple[Rule, ...]
    measures: dict[str, dict[str, Any]]


CHECKS: tuple[str, ...] = (
    "not_published",
    "blank",
    "outside_range",
    "worsening",
    "below",
    "arithmetic",
    "gap",
)


def load_rules(path: Path | str = RULES_PATH) -> Rules:
    """Read and check the compliance rules file (ValueError naming the rule when wrong)."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    measures = {str(k): dict(v) for k, v in (raw.get("measures") or {}).items()}
    for k, m in measures.items():
        for key in ("statistic", "name", "worse"):
            if key not in m:
                raise ValueError(f"{path}: measures.{k} has no {key!r}")
        if m["worse"] not in ("further_from_1", "higher", "lower"):
            raise ValueError(f"{path}: measures.{k}.worse must be further_from_1/higher/lower")
    rules = []
    ids = set()
    for i, r in enumerate(raw.get("rules") or []):
        r = dict(r)
        for key in ("id", "check", "title", "text", "figure"):
            if key not in r:
                raise ValueError(f"{path}: rules.{i} has no {key!r}")
        if r["check"] not in CHECKS:
            raise ValueError(f"{path}: rules.{i}.check {r['check']!r} is not one of {CHECKS}")
        if r["id"] in ids:
            raise ValueError(f"{path}: rule id {r['id']!r} appears twice")
        ids.add(r["id"])
        inds = tuple(str(x) for x in r.pop("indicators", []) or [])
        unknown = [x for x in inds if x not in measures]
        if unknown and r["check"] in ("outside_range", "worsening", "below", "gap"):
            raise ValueError(f"{path}: rules.{i} reads indicator(s) {unknown} without a measure")
        core = {k: r.pop(k) for k in ("id", "check", "title", "text", "figure")}
        rules.append(Rule(**core, indicators=inds, params=r))
    return Rules(tuple(rules), measures)


FINDING_COLUMNS: list[str] = [
    "code",
    "provider",
    "rule",
    "finding",
    "figure",
    "indicator",
    "severity",
    "ask",
    "owner",
    "due",
]


def labelled(text: str, labels: Labels) -> str:
    text = re.sub(r"\bBME\b", labels.bme, text)
    return re.sub(r"\bWhite\b", labels.white, text)


def _fmt(template: str, **values: Any) -> str:
    class _Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return template.format_map(_Keep(values))


def _figure(table: pd.DataFrame, code: str, year: int, ind: str, measure: dict) -> pd.Series | None:
    d = table[
        (table["unit"] == code)
        & (table["year"] == year)
        & (table["indicator"].astype(str) == ind)
        & (table["statistic"] == measure["statistic"])
        & (table["group"].astype(str).fillna("") == str(measure.get("group", "")))
    ]
    if ind == "1" and "band" in d:
        d = d[(d["band"] == "All") & (d["clinical"] == "all")]
    return None if d.empty else d.iloc[0]


def _shown(row: pd.Series | None) -> float | None:
    """The value of a published row that is shown (status ok, value present), else None."""
    if row is None or str(row.get("status")) != "ok" or pd.isna(row.get("value")):
        return None
    return float(row["value"])


def _redesigned(row: pd.Series | None) -> bool:
    if row is None or "redesign" not in row.index:
        return False
    return str(row["redesign"]).strip().lower() in ("true", "1", "yes")


def evaluate_rules(
    rules: Rules,
    year: int,
    providers: Sequence[ProviderYear],
    published: pd.DataFrame,
    checks: pd.DataFrame,
    labels: Labels | None = None,
) -> pd.DataFrame:
    """Every rule for every provider in WRES ``year``: the findings (:data:`FINDING_COLUMNS`).

    Reads only the disclosed published copy (a figure withheld as [c] is never used) and the
    checks of :func:`check_figures`. A provider that did not publish gets only the
    ``not_published`` finding. Findings are in the providers' order, then the rules' order.
    """
    labels = labels or Labels()
    need = ["unit", "year", "indicator", "group", "band", "clinical", "statistic", "value"]
    need += ["status", "note", "display"]
    published = published.reindex(columns=list(dict.fromkeys([*published.columns, *need])))
    this = {p.code: p for p in providers if p.year == year}
    prev_year = year - 1
    out: list[dict[str, str]] = []
    blank_figs = checks[(checks["year"] == year) & (checks["result"] == "left blank")]
    for code, p in this.items():
        if p.source == NOT_MONITORED:
            continue
        base = {
            "provider": p.name,
            "code": p.code,
            "year": year,
            "previous_year": prev_year,
            "next_year": year + 1,
        }
        for rule in rules.rules:
            hits: list[dict[str, Any]] = []
            prm = rule.params
            if rule.check == "not_published":
                if p.source == NOT_PUBLISHED:
                    hits.append({})
            elif p.source == NOT_PUBLISHED:
                continue
            elif rule.check == "blank":
                for ind in rule.indicators:
                    d = published[
                        (published["unit"] == code)
                        & (published["year"] == year)
                        & (published["indicator"].astype(str) == ind)
                        & (published["status"] == "not_collected")
                    ]
                    if not d.empty:
                        note = str(d["note"].iloc[0] or "not collected").rstrip(".")
                        hits.append({"indicator": ind, "note": note})
                    elif not blank_figs[
                        (blank_figs["code"] == code) & (blank_figs["indicator"] == ind)
                    ].empty:
                        hits.append({"indicator": ind, "note": "no figure was published"})
            elif rule.check in ("outside_range", "worsening", "below"):
                for ind in rule.indicators:
                    m = rules.measures[ind]
                    now_row = _figure(published, code, year, ind, m)
                    before_row = _figure(published, code, prev_year, ind, m)
                    now, before = _shown(now_row), _shown(before_row)
                    vals = {
                        "indicator": ind,
                        "measure": labelled(m["name"], labels),
                        "now": str(now_row["display"]) if now_row is not None else UNAVAILABLE,
                        "before": (
                            str(before_row["display"]) if before_row is not None else UNAVAILABLE
                        ),
                    }
                    if rule.check == "below":
                        thr = float(prm.get("threshold", 90.0))
                        if now is not None and rounding.rounded(now, 1) < thr:
                            hits.append(vals | {"threshold": f"{thr:g}"})
                        continue
                    if now is None or before is None:
                        continue
                    if rule.check == "outside_range":
                        lo, hi = float(prm.get("low", 0.8)), float(prm.get("high", 1.25))

                        def outside(v: float, lo: float = lo, hi: float = hi) -> bool:
                            return rounding.rounded(v, 2) < lo or rounding.rounded(v, 2) > hi

                        if outside(now) and outside(before):
                            hits.append(
                                vals
                                | {
                                    "low": rounding.format_ratio(lo),
                                    "high": rounding.format_ratio(hi),
                                }
                            )
                    else:
                        change = float(m.get("min_change", 0.0))
                        worse = m["worse"]
                        if worse == "further_from_1":  # on the log scale (0.80 = 1/1.25)
                            delta = distance_from_equal(now) - distance_from_equal(before)
                        elif worse == "higher":
                            delta = now - before
                        else:
                            delta = before - now
                        vals["min_change"] = (
                            f"{change:g} on the log scale (about "
                            f"{round((math.exp(change) - 1) * 100)}% further from 1)"
                            if worse == "further_from_1"
                            else f"{change:g} percentage point{'' if change == 1 else 's'}"
                        )
                        if delta >= change - 1e-9 and delta > 0:
                            if _redesigned(now_row):
                                vals["note"] = "the survey question changed between the years"
                            hits.append(vals)
            elif rule.check == "gap":
                # The White/BME gap on a staff survey indicator, in percentage points, worse
                # for BME staff by at least the threshold (both figures disclosed).
                thr = float(prm.get("threshold", 5.0))
                for ind in rule.indicators:
                    m = rules.measures[ind]
                    b_row = _figure(published, code, year, ind, m | {"group": "BME"})
                    w_row = _figure(published, code, year, ind, m | {"group": "White"})
                    b, w = _shown(b_row), _shown(w_row)
                    if b is None or w is None:
                        continue
                    gap = b - w if m["worse"] == "higher" else w - b
                    if rounding.rounded(gap, 1) >= thr:
                        hits.append(
                            {
                                "indicator": ind,
                                "measure": labelled(m["name"], labels),
                                "bme": str(b_row["display"]),
                                "white": str(w_row["display"]),
                                "gap": rounding.format_percent(gap)[:-1],
                                "threshold": f"{thr:g}",
                            }
                        )
            elif rule.check == "arithmetic":
                d = checks[
                    (checks["code"] == code)
                    & (checks["year"] == year)
                    & (checks["result"] == "does not match")
                ]
                for r in d.itertuples(index=False):
                    if rule.indicators and r.indicator not in rule.indicators:
                        continue
                    hits.append(
                        {
                            "indicator": r.indicator,
                            "published": r.published,
                            "recomputed": r.recomputed,
                            "cause": r.cause or "not determined",
                        }
                    )
            for h in hits:
                values = base | h
                fig = _fmt(rule.figure, **values)
                if h.get("note") and rule.check == "worsening":
                    fig += f" ({h['note']})"
                out.append(
                    {
                        "code": p.code,
                        "provider": p.name,
                        "rule": rule.id,
                        "finding": labelled(_fmt(rule.text, **values), labels),
                        "figure": labelled(fig, labels),
                        "indicator": str(h.get("indicator", "")),
                        "severity": str(prm.get("severity", 9)),
                        "ask": labelled(_fmt(str(prm.get("ask", "")), **values), labels),
                        "owner": str(prm.get("owner", "")),
                        "due": _fmt(str(prm.get("due", "")), **values),
                    }
                )
    return pd.DataFrame(out, columns=FINDING_COLUMNS)
