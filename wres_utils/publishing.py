"""Which units publish, and the one disclosed analyst copy of their indicators.

Members of a joint group publish through the joint report only (the seed's practice): the
joint report exists because its members are small, and a member's report published beside it
would let the reader subtract (joint = sum of members). Disclosure control therefore runs on
the published units alone; with ``member_reports`` each member's own report is built for
internal use, disclosed on its own, and written outside reports/ (:func:`internal_dir`).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from wres_utils.params import Unit, YearParams


def build_units(params: YearParams) -> list[Unit]:
    """Every unit a run builds: the published units, then any internal member reports."""
    return params.published_units() + params.internal_units()


def is_internal(params: YearParams, unit: Unit) -> bool:
    """Whether ``unit``'s report is for internal use only (written outside reports/)."""
    return unit.id in {u.id for u in params.internal_units()}


def internal_dir(reports_dir: Path, year: int) -> Path:
    """Where internal member reports go: ``analyst/<year>/members`` beside reports/."""
    return Path(reports_dir).resolve().parent / "analyst" / str(year) / "members"


def rounding(params: YearParams, unit: Unit) -> int | None:
    """The rounding of the counts ``unit`` publishes: ``round_to``, or 5 under the
    ``percentages`` policy (which publishes counts only as rounded totals)."""
    settings = params.suppression_for(unit)
    if settings.policy == "percentages":
        return settings.round_to or 5
    return settings.round_to


def disclose_year(params: YearParams, counts: pd.DataFrame, units: list[Unit]) -> pd.DataFrame:
    """The disclosed analyst copy (helper columns kept) of the indicators of ``units``.

    The published units are disclosed together, grouped by their publishing policy (no tie
    joins two published units: members publish through their joint group only); each internal
    unit on its own (its report is never published beside another).
    """
    # Imported by name at call time, as the pipeline's stages (a test may stand in for them).
    disclosure = importlib.import_module("wres_utils.disclosure")
    indicators = importlib.import_module("wres_utils.indicators")
    published_ids = {u.id for u in params.published_units()}
    groups: dict[str, list[Unit]] = {}
    for u in units:
        if u.id in published_ids:  # together, by policy (no tie joins two published units)
            groups.setdefault(f"published {params.suppression_for(u).policy}", []).append(u)
        else:
            groups[f"internal {u.id}"] = [u]
    frames = []
    for group in groups.values():
        table = indicators.compute_indicators(
            counts, group, denominator=params.indicator1_denominator
        )
        settings = params.suppression_for(group[0])
        frames.append(
            disclosure.disclose(
                table, min_count=settings.min_count, round_to=settings.round_to, settings=settings
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
