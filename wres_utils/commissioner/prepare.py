"""Prepare a commissioner's report: load, compute, disclose, check and evaluate, and write the
prepared folder (aggregates only) that the providers notebook reads. The run executes and
publishes it like any other unit's report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from wres_utils.commissioner.compare import check_figures, compute, provider_units
from wres_utils.commissioner.inputs import (
    PREPARED,
    PUBLISHED_INDICATORS,
    RULES_PATH,
    commissioner_unit,
    load_inputs,
    provider_years,
)
from wres_utils.commissioner.rules import evaluate_rules, labelled, load_rules
from wres_utils.core.params import Commissioner, YearParams
from wres_utils.report import national


def _benchmarks(years: Sequence[int]) -> pd.DataFrame:
    """National figures (display strings) per year and indicator, with their source."""
    rows = [
        {
            "year": y,
            "indicator": ind,
            "display": str(national.national_display(y, ind)),
            "source": str(national.source(y, ind)),
        }
        for y in years
        for ind in PUBLISHED_INDICATORS
    ]
    return pd.DataFrame(rows, columns=["year", "indicator", "display", "source"])


def prepare(
    year: int,
    params: YearParams,
    commissioner: Commissioner,
    history: Mapping[int, YearParams],
    root: Path,
    folder: Path,
    rules_path: Path | str = RULES_PATH,
) -> Path:
    """Load, compute, disclose, check and evaluate; write ``folder/prepared/`` (aggregates
    only: the published copy of the providers' indicators, checks, findings, benchmarks,
    context.json). Returns the prepared folder."""
    hist = dict(history) if history else {}
    hist[year] = params
    unit = commissioner_unit(params, commissioner)
    providers = provider_years(commissioner, {y: p for y, p in hist.items() if y <= year}, root)
    inputs = load_inputs(providers)
    units = provider_units(providers)
    analyst, published = compute(inputs.counts, units, params)
    checks = check_figures(inputs.figures, analyst, providers)
    del analyst  # nothing unsuppressed goes further
    rules = load_rules(rules_path)
    findings = evaluate_rules(rules, year, providers, published, checks, params.labels)
    years = sorted({p.year for p in providers})[-2:]
    prepared = Path(folder) / PREPARED
    prepared.mkdir(parents=True, exist_ok=True)
    published.to_csv(prepared / "indicators.csv", index=False)
    checks.to_csv(prepared / "checks.csv", index=False)
    findings.to_csv(prepared / "findings.csv", index=False)
    _benchmarks(years).to_csv(prepared / "benchmarks.csv", index=False)
    context = {
        "year": year,
        "unit": {"id": unit.id, "name": unit.name, "slug": unit.slug},
        "synthetic": params.synthetic,
        "labels": params.labels.model_dump(mode="json"),
        "suppression": params.suppression.model_dump(mode="json"),
        "years": years,
        "providers": [{"code": u.id, "name": u.name} for u in units],
        "urls": {p.code.upper(): p.url for p in commissioner.providers},
        "received": [
            {"code": p.code.upper(), "year": p.year, "source": p.source}
            for p in providers
            if p.year in years
        ],
        "rules": [{"id": r.id, "title": labelled(r.title, params.labels)} for r in rules.rules],
    }
    (prepared / "context.json").write_text(json.dumps(context, indent=2), encoding="utf-8")
    return prepared
