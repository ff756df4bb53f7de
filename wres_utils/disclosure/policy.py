"""Which units publish, where internal reports go, and how each unit's counts are rounded.

Members of a joint group publish through the joint report only (the seed's practice): the
joint report exists because its members are small, and a member's report published beside it
would let the reader subtract (joint = sum of members). Disclosure control therefore runs on
the published units alone (:func:`wres_utils.disclosure.recipe.disclose_year`); with
``member_reports`` each member's own report is built for internal use, disclosed on its own,
and written outside reports/ (:func:`internal_dir`).
"""

from __future__ import annotations

from pathlib import Path

from wres_utils.core.params import Unit, YearParams


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
