"""Compute once through the one disclosure recipe, then write each unit's ``prepared/`` folder:
AGGREGATES ONLY (the published copy of its indicators, disclosed data-quality counts, its
action plan and a context file). Record-level data never go there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from wres_utils.core.params import Unit, YearParams, resolve
from wres_utils.disclosure import gate, policy, recipe
from wres_utils.inputs.counts import measures_present, normalise_dtypes
from wres_utils.run import cache, runlog
from wres_utils.run.model import PREPARED, Setup

# --------------------------------------------------------------------------------------------
# 2. Compute once, then write each unit's prepared folder (aggregates only)


def _as_frame(obj: Any) -> pd.DataFrame:
    """The data-quality table of ``load_year`` (a DataFrame; None gives an empty one)."""
    if obj is None:
        return pd.DataFrame()
    return obj.copy() if isinstance(obj, pd.DataFrame) else pd.DataFrame(obj)


#: Columns of the data-quality table that identify a row; the other columns published are
#: its whole-number count columns. Text columns (totals, unrecognised values) are not passed
#: on: they embed counts and raw values that disclosure control cannot check.
QUALITY_ID_COLUMNS: tuple[str, ...] = ("org_code", "kind")


def unit_quality(
    quality: Any, unit: Unit, min_count: int, round_to: int | None
) -> tuple[pd.DataFrame, str]:
    """The unit's data-quality counts, through ``disclosure.disclose_frame``; and a note.

    Keeps the rows of the unit's member organisations, the :data:`QUALITY_ID_COLUMNS` and the
    integer count columns (as display strings, ``[c]`` for small counts). When the disclosure
    module has no ``disclose_frame``, the counts are withheld (an empty table and a note).
    """
    frame = _as_frame(quality)
    if "org_code" in frame.columns:
        frame = frame[frame["org_code"].astype(str).isin(list(unit.members))]
    ids = [c for c in QUALITY_ID_COLUMNS if c in frame.columns]
    counts = [
        c
        for c in frame.columns
        if c not in ids
        and pd.api.types.is_integer_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    frame = frame[ids + counts].reset_index(drop=True)
    return gate.disclose_frame(frame, counts, min_count=min_count, round_to=round_to), ""


def all_counts(setup: Setup) -> pd.DataFrame:
    """The counts of every loaded year, in one table."""
    return normalise_dtypes(
        pd.concat([ly.counts for ly in setup.loaded.values()], ignore_index=True)
    )


def compute_published(setup: Setup, store: cache.Store | None = None) -> pd.DataFrame:
    """Counts of all loaded years -> indicators of the units -> disclosure -> published copy.

    Only the published copy (display strings, statuses, and the values of cells that are not
    suppressed) ever leaves this function. With a ``store``, the published copy of an earlier
    run with the same counts, units, settings and code is reused.
    """
    p = setup.params
    counts = all_counts(setup)
    key = None
    if store is not None:
        key = cache.digest(
            {
                "counts": cache.frame_digest(counts),
                "units": [u.model_dump(mode="json") for u in p.units()],
                "denominator": p.indicator1_denominator,
                "suppression": p.suppression.model_dump(mode="json"),
                "code": cache.code_fingerprint(),
                "versions": cache.environment(),
            }
        )
        hit = store.get("published", key)
        if isinstance(hit, pd.DataFrame):
            return hit
    # Every unit of the year, even when only some are rebuilt (--unit): disclosure control
    # protects the units' tables together (a joint group against its members), so computing
    # fewer units would publish cells that the full run withholds.
    published = _compute_published(p, counts, policy.build_units(p))
    if store is not None and key is not None:
        store.put("published", key, published)
    return published


def compute_broad_published(setup: Setup, published: pd.DataFrame) -> pd.DataFrame:
    """The published copy of the broad-groups view (empty unless params.broad_groups).

    Disclosed against the published WRES table (its statuses), by the disclosure module.
    """
    p = setup.params
    if not p.broad_groups:
        return pd.DataFrame()
    frames = [getattr(ly, "broad_counts", None) for ly in setup.loaded.values()]
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame()
    broad_counts = normalise_dtypes(pd.concat(frames, ignore_index=True))
    broad_published = recipe.publish_broad(broad_counts, published, p)
    check_published(broad_published)
    return broad_published


def _compute_published(p: YearParams, counts: pd.DataFrame, units: list[Unit]) -> pd.DataFrame:
    published = recipe.publish_indicators(counts, units, p)
    check_published(published)
    return published


#: Columns of the indicators table that identify a row (numbers in them are not counts).
_KEY_COLUMNS = ("unit", "year", "indicator", "group", "band", "clinical", "statistic")


def check_published(published: pd.DataFrame) -> None:
    """Refuse a published copy that still holds a number in a suppressed row.

    Not a second disclosure gate (disclosure.published_copy is the one), a tripwire: in rows
    whose status is ``suppressed``, every numeric column other than the row keys (``value``,
    numerators, denominators, ...) must be empty. Raises RuntimeError naming the columns.
    """
    if "status" not in published.columns:
        raise RuntimeError("the published indicators table has no 'status' column")
    rows = published[published["status"].astype(str) == "suppressed"]
    leaks = [
        c
        for c in rows.columns
        if c not in _KEY_COLUMNS
        and pd.api.types.is_numeric_dtype(rows[c])
        and not pd.api.types.is_bool_dtype(rows[c])
        and rows[c].notna().any()
    ]
    if leaks:
        raise RuntimeError(
            f"the published copy still holds numbers in suppressed rows (columns {leaks}); "
            "nothing was written. Fix disclosure.published_copy."
        )


def unit_rows(published: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """The published indicator rows of one unit."""
    return published[published["unit"].astype(str) == unit.id].reset_index(drop=True)


def base_context(
    params: YearParams, unit: Unit, years: list[int], suppression: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What every reader of a unit's prepared figures needs to know about the unit and the
    year's settings (the run's notebooks, and the audit that rebuilds their tables)."""
    names = {o.code: o.name for o in params.organisations}
    return {
        "year": params.year,
        "unit": {
            "id": unit.id,
            "name": unit.name,
            "slug": unit.slug,
            "is_joint": unit.is_joint,
            "members": [{"code": m, "name": names.get(m, m)} for m in unit.members],
        },
        "synthetic": params.synthetic,
        "header": params.header.model_dump(mode="json"),
        "labels": params.labels.model_dump(mode="json"),
        "denominator": params.indicator1_denominator,
        "indicator3_basis": params.indicator3_basis,
        "broad_groups": params.broad_groups,
        "suppression": suppression or params.suppression.model_dump(mode="json"),
        "years": years,
    }


def unit_context(setup: Setup, unit: Unit, quality_note: str = "") -> dict[str, Any]:
    """What a notebook needs to know about its unit and the run, beyond the tables."""
    p = setup.params
    collected = {}
    for y, ly in sorted(setup.loaded.items()):
        measures: set[str] = set()
        for m in unit.members:
            measures |= measures_present(ly.counts, m, y)
        collected[str(y)] = sorted(measures)
    return base_context(p, unit, sorted(setup.loaded)) | {
        "previous_years": sorted(y for y in setup.loaded if y < p.year),
        "measures_collected": collected,
        "notebooks": [nb.stem for nb in setup.notebooks],
        "quality_note": quality_note,
        "action_plan_note": setup.plans[unit.slug].note,
        #: True when the unit monitors providers: its report links the commissioner's view.
        "commissioner": any(c.unit in (unit.id, unit.name, unit.slug) for c in p.commissioners),
    }


def commissioner_inputs(setup: Setup, unit: Unit) -> dict[str, str]:
    """The sha256 of every provider file a commissioning unit reads (this year and the
    history), so that a change to one rebuilds the unit and its providers report."""
    out: dict[str, str] = {}
    for y, p in sorted(setup.history.items()):
        for c in p.commissioners:
            if c.unit not in (unit.id, unit.slug):
                continue
            for prov in c.providers:
                for spec in (prov.counts, prov.published):
                    if spec is not None:
                        path = resolve(setup.root, spec)
                        out[f"{y}/{prov.code}/{spec.path.as_posix()}"] = runlog.sha256_file(path)
    return out


def write_prepared(
    setup: Setup,
    unit: Unit,
    published: pd.DataFrame,
    folder: Path,
    broad: pd.DataFrame | None = None,
) -> Path:
    """Write ``folder/prepared/``: indicators.csv, quality.csv, action_plan.json, context.json,
    and broad.csv when the broad-groups view is on.

    Aggregates only: the published copy of the unit's indicators and disclosed quality counts.
    """
    prepared = Path(folder) / PREPARED
    prepared.mkdir(parents=True, exist_ok=True)
    p = setup.params
    unit_rows(published, unit).to_csv(prepared / "indicators.csv", index=False)
    if broad is not None and not broad.empty:
        unit_rows(broad, unit).to_csv(prepared / "broad.csv", index=False)
    inputs = commissioner_inputs(setup, unit)
    if inputs:
        (prepared / "providers.json").write_text(json.dumps(inputs, indent=2), encoding="utf-8")
    quality, note = unit_quality(
        getattr(setup.loaded[p.year], "quality", None),
        unit,
        p.suppression.min_count,
        policy.rounding(p, unit),
    )
    quality.to_csv(prepared / "quality.csv", index=False)
    plan = setup.plans[unit.slug].model_dump(mode="json")
    (prepared / "action_plan.json").write_text(json.dumps(plan, indent=2), encoding="utf-8")
    context = unit_context(setup, unit, note)
    (prepared / "context.json").write_text(json.dumps(context, indent=2), encoding="utf-8")
    return prepared
