"""The one recipe from counts to published tables: indicators -> disclose -> published copy.

Every path that publishes figures goes through here: the run (each unit's ``indicators.csv``,
chapters and workbook), the audit (which rebuilds what should have been published), the
CLI (``wres indicators``), the commissioner's view and the broad-groups view. Nothing else
calls :func:`wres_utils.disclosure.gate.disclose` directly, so there is one place to change
how a year's figures are made safe.

- :func:`disclose_indicators`: the analyst copy, disclosed (``status``/``display`` set,
  unrounded ``value`` and helper columns kept). Never written under ``reports/``.
- :func:`publish_indicators`: the copy meant for publication
  (:func:`~wres_utils.disclosure.gate.published_copy` of the analyst copy).
- :func:`disclose_together` / :func:`publish_broad`: the broad-groups table, disclosed
  against the WRES table (whose figures come first and are not changed by it).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wres_utils.compute import broad, indicators
from wres_utils.core.params import Suppression, Unit, YearParams
from wres_utils.disclosure import gate, policy


def disclose_indicators(
    counts: pd.DataFrame,
    units: Sequence[Unit],
    *,
    min_count: int,
    round_to: int | None = None,
    denominator: str = "all",
    settings: Suppression | None = None,
) -> pd.DataFrame:
    """Compute every indicator of ``units`` from ``counts`` and disclose them together.

    All units of a year must be disclosed in one call: a joint group and its members share
    counts, and secondary suppression needs to see them all at once. ``settings`` (params'
    ``suppression``) gives the gate's other rules (survey, Board, policy, attacker).
    """
    table = indicators.compute_indicators(counts, list(units), denominator=denominator)
    return gate.disclose(table, min_count=min_count, round_to=round_to, settings=settings)


def disclose_year(
    counts: pd.DataFrame,
    units: Sequence[Unit],
    params: YearParams,
    suppression: Suppression | None = None,
) -> pd.DataFrame:
    """The disclosed analyst copy (helper columns kept) of the indicators of ``units``.

    The published units are disclosed together, grouped by their publishing policy (no tie
    joins two published units: members publish through their joint group only); each internal
    member report (params ``member_reports``) on its own, as it is never published beside
    another. ``suppression`` overrides the params' threshold (``min_count``) and rounding,
    e.g. for the audit's unsuppressed comparison (``min_count`` 0).
    """
    published_ids = {u.id for u in params.published_units()}
    groups: dict[str, list[Unit]] = {}
    for u in units:
        if u.id in published_ids:
            groups.setdefault(f"published {params.suppression_for(u).policy}", []).append(u)
        else:
            groups[f"internal {u.id}"] = [u]
    frames = []
    for group in groups.values():
        table = indicators.compute_indicators(
            counts, group, denominator=params.indicator1_denominator
        )
        settings = params.suppression_for(group[0])
        if suppression is not None:
            settings = settings.model_copy(
                update={"min_count": suppression.min_count, "round_to": suppression.round_to}
            )
        frames.append(
            gate.disclose(
                table, min_count=settings.min_count, round_to=settings.round_to, settings=settings
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def publish_indicators(
    counts: pd.DataFrame, units: Sequence[Unit], params: YearParams
) -> pd.DataFrame:
    """The published copy of a year's indicators for ``units`` (safe to write under reports/)."""
    analyst = disclose_year(counts, units, params)
    if analyst.empty:
        return analyst.copy()
    rounding = {u.id: policy.rounding(params, u) for u in units}
    return gate.published_copy(analyst, round_to=rounding)


def disclose_together(
    main_table: pd.DataFrame,
    broad_table: pd.DataFrame,
    min_count: int = 7,
    round_to: int | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Disclose the WRES indicators table, then the broad table against it.

    The WRES table is disclosed on its own, exactly as without the broad view (its figures
    come first); the broad table then goes through
    :func:`wres_utils.disclosure.gate.disclose_breakdown`, which keeps it at whole-workforce
    level for indicator 1 and withholds the four BME groups of a cell together. Returns
    ``(main_disclosed, broad_disclosed)``.
    """
    main = gate.disclose(main_table, min_count=min_count, round_to=round_to)
    return main, gate.disclose_breakdown(main, broad_table, min_count=min_count, round_to=round_to)


def publish_broad(
    broad_counts: pd.DataFrame, main: pd.DataFrame, params: YearParams
) -> pd.DataFrame:
    """The published copy of the broad-groups view, disclosed against ``main`` (the year's
    disclosed WRES table, analyst or published copy), for the units the run builds."""
    table = broad.compute_broad(broad_counts, policy.build_units(params))
    s = params.suppression
    disclosed = gate.disclose_breakdown(main, table, min_count=s.min_count, round_to=s.round_to)
    return gate.published_copy(disclosed)
