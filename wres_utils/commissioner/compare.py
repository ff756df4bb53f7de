"""Compute the providers' indicators through the one disclosure recipe, and check each figure a
provider published against its own counts (within rounding), with the likely cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from wres_utils.commissioner.inputs import (
    NEEDS,
    PUBLISHED,
    ProviderYear,
    parse_figure,
)
from wres_utils.compute import check_published
from wres_utils.core.catalogue import HEADLINE, MARKER, UNAVAILABLE
from wres_utils.core.params import Unit, YearParams
from wres_utils.disclosure import gate, recipe


def provider_units(providers: Sequence[ProviderYear]) -> list[Unit]:
    """One unit per provider (its code), in the commissioner's order."""
    seen: dict[str, Unit] = {}
    for p in providers:
        seen.setdefault(p.code, Unit(id=p.code.upper(), name=p.name, members=(p.code.upper(),)))
    return list(seen.values())


def compute(
    counts: pd.DataFrame,
    units: Sequence[Unit],
    params: YearParams,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicators of every provider and year through the one disclosure gate.

    Returns ``(analyst, published)``: the disclosed analyst copy (unrounded values and helper
    columns kept; it never leaves this module's checks) and the published copy (what the
    report may show).
    """
    s = params.suppression
    analyst = recipe.disclose_indicators(
        counts,
        list(units),
        min_count=s.min_count,
        round_to=s.round_to,
        denominator=params.indicator1_denominator,
        settings=s,
    )
    if analyst.empty:
        return analyst, analyst.copy()
    return analyst, gate.published_copy(analyst)


def headline_rows(table: pd.DataFrame, indicator: str, group: str | None = None) -> pd.DataFrame:
    """The rows of an indicator's headline figure (all units and years) in an indicators table.

    Indicator 1: the BME share of the whole workforce (band All, clinical all). ``group``
    overrides the headline group (e.g. White for indicators 5-8).
    """
    stat, g = HEADLINE[indicator]
    g = g if group is None else group
    d = table[(table["indicator"].astype(str) == indicator) & (table["statistic"] == stat)]
    d = d[d["group"].astype(str).fillna("") == g]
    if indicator == "1":
        d = d[(d["band"] == "All") & (d["clinical"] == "all")]
    return d


def matches_within_rounding(published_text: str, value: float) -> bool:
    """Whether a published figure (as written) equals ``value`` rounded to its decimals."""
    pub, decimals = parse_figure(published_text)
    return abs(pub - value) <= 0.5 * 10.0**-decimals + 1e-9


_UNCHECKABLE = "not determined (wres check-published could not read the file)"


def likely_causes(path: Path | None, figures: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Likely cause of each mismatching figure of one published file, by (indicator, group),
    from ``wres check-published`` (:func:`wres_utils.compute.check_published.check_published`).

    When the whole file cannot be checked (e.g. a figure left blank), each row of ``figures``
    (this file's rows of :func:`read_published`) is checked alone with
    ``published.check_row``. The causes are words (the hypotheses tested), never figures.
    """
    mod = check_published
    out: dict[tuple[str, str], str] = {}
    try:
        result = mod.check_published(path) if path is not None else None
    except Exception:  # InputError, or a format the check does not take
        result = None
    if isinstance(result, pd.DataFrame) and not result.empty:
        for r in result.to_dict("records"):
            key = (str(r.get("indicator", "")), str(r.get("group", "") or ""))
            cause = r.get("likely_cause", "")
            if isinstance(cause, str) and cause.strip():
                out.setdefault(key, cause.strip())
        return out
    check_row = check_published.check_row
    for r in figures.to_dict("records"):
        key = (str(r["indicator"]), str(r["group"] or ""))
        need = NEEDS.get(key[0], ())
        if not r["published_text"] or any(pd.isna(r[c]) for c in need):
            out[key] = _UNCHECKABLE
            continue
        try:
            res = check_row(
                key[0], {c: float(r[c]) for c in need}, r["published_text"], key[1] or "BME"
            )
            out[key] = str(res.get("likely_cause", "") or "") or "not determined"
        except Exception:
            out[key] = _UNCHECKABLE
    return out


CHECK_COLUMNS: list[str] = [
    "code",
    "year",
    "indicator",
    "group",
    "published",
    "recomputed",
    "result",
    "cause",
]


def check_figures(
    figures: pd.DataFrame, analyst: pd.DataFrame, providers: Sequence[ProviderYear]
) -> pd.DataFrame:
    """Each published figure against the provider's own counts (disclosed output).

    Columns :data:`CHECK_COLUMNS`; ``result`` is "matches", "does not match", "left blank",
    "not checked" (the recomputed figure is not available) or "[c]" (disclosure control
    withholds the recomputed figure: neither figure is shown and no finding is made).
    ``published``/``recomputed`` are display strings.
    """
    if figures.empty:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    paths = {(p.code.upper(), p.year): p.path for p in providers if p.source == PUBLISHED}
    causes: dict[tuple[str, int], dict[tuple[str, str], str]] = {}
    rows = []
    for r in figures.to_dict("records"):
        code, year, ind = str(r["code"]), int(r["year"]), str(r["indicator"])
        group = str(r.get("group", "") or "")
        hit = headline_rows(analyst, ind, group=group or None)
        hit = hit[(hit["unit"] == code) & (hit["year"] == year)]
        row = {"code": code, "year": year, "indicator": ind, "group": group, "cause": ""}
        text = str(r.get("published_text", "") or "")
        status = str(hit["status"].iloc[0]) if not hit.empty else "missing"
        disp = str(hit["display"].iloc[0]) if not hit.empty else UNAVAILABLE
        if status == "suppressed":
            row |= {"published": MARKER, "recomputed": MARKER, "result": MARKER}
        elif not text:
            row |= {"published": "(blank)", "recomputed": disp, "result": "left blank"}
        elif status != "ok" or pd.isna(hit["value"].iloc[0]):
            row |= {"published": text, "recomputed": disp, "result": "not checked"}
        else:
            ok = matches_within_rounding(text, float(hit["value"].iloc[0]))
            row |= {
                "published": text,
                "recomputed": disp,
                "result": "matches" if ok else "does not match",
            }
            if not ok:
                key = (code, year)
                if key not in causes:
                    mine = figures[(figures["code"] == code) & (figures["year"] == year)]
                    causes[key] = likely_causes(paths.get(key), mine)
                row["cause"] = causes[key].get((ind, group)) or "not determined"
        rows.append(row)
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)
