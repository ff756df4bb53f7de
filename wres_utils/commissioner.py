"""The commissioner's view (issue 8): the WRES of the providers a commissioning unit monitors.

A commissioner (a CCG, now an ICB) monitors its larger providers' WRES publications. For
each ``commissioners`` entry of ``params/<year>.yaml`` this module builds
``reports/<year>/<unit-slug>/providers.html`` and ``providers.pdf``:

1. **Inputs** (:func:`provider_years`, :func:`load_inputs`): per provider and year (this year
   and the previous ones the pipeline loaded) either its counts table (data-contract.md
   section 2, :func:`wres_utils.counts.read_counts_csv`) or the figures it published in the
   check-published format (:data:`PUBLISHED_COLUMNS`, :func:`read_published`), or nothing
   ("not published"). Published files carry counts too; they are turned into a counts table
   (:func:`published_to_counts`) so that every provider's figures are recomputed the same way.
2. **Compute and disclose** (:func:`compute`): ``indicators.compute_indicators`` for every
   provider x year, then ``disclosure.disclose`` and ``disclosure.published_copy``: the one
   gate. Nothing after it sees an unsuppressed figure, except :func:`check_figures`, which
   compares each published figure with the analyst's recomputed value and keeps only a
   yes/no (and nothing at all for a figure disclosure control withholds).
3. **Check published figures** (:func:`check_figures`): a published figure that does not
   match the provider's own counts within rounding is an arithmetic error; the likely cause
   comes from ``wres_utils.published.check_published`` (``wres check-published``).
4. **Compliance findings** (:func:`evaluate_rules`): the rules of
   ``wres_utils/data/compliance_rules.yaml`` (data, not code) evaluated on the disclosed
   figures; each finding cites the figure behind it.
5. **Report** (:func:`build`): a prepared folder of aggregates only, the notebook
   ``notebooks/commissioner/10_providers.ipynb`` executed with papermill, rendered with
   :mod:`wres_utils.render`, and the two files moved into the unit's (already published)
   report folder with ``os.replace``; nothing else there is touched.

The notebook reads the prepared folder through :func:`open_view` and the table and chart
builders below (:func:`overview_table`, :func:`indicator_table`, :func:`gaps_table`,
:func:`mismatch_table`, :func:`likelihood_chart`, :func:`compliance_table`, ...).

Published figures are read in the ``wres check-published`` format
(:mod:`wres_utils.published`): one row per figure, ``org_code, year, indicator, group,
published_value`` and the counts the indicator needs (:data:`NEEDS`, e.g. ``white_shortlisted,
white_appointed, bme_shortlisted, bme_appointed`` for indicator 2). Here a blank
``published_value`` means the provider left that figure blank, and an indicator without a row
was not collected.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from wres_utils import published as published_format
from wres_utils.counts import COUNT_COLUMNS, normalise_dtypes
from wres_utils.params import Commissioner, Labels, Unit, YearParams, resolve

if TYPE_CHECKING:  # pragma: no cover
    from wres_utils.charts import Chart
    from wres_utils.pipeline import Failure

#: The compliance rules shipped with the package.
RULES_PATH = Path(__file__).parent / "data" / "compliance_rules.yaml"
#: Name of the commissioner notebook (in ``notebooks/commissioner/``).
NOTEBOOK = "10_providers"
NOTEBOOK_DIR = "commissioner"
#: The two files written into the commissioner unit's report folder.
OUTPUTS: tuple[str, str] = ("providers.html", "providers.pdf")
PREPARED = "prepared"
#: Columns of a published-figures CSV (the check-published input), in order.
# The check-published format lives in wres_utils.published (one definition).
PUBLISHED_REQUIRED = published_format.REQUIRED
NEEDS = published_format.NEEDS
COUNT_FIELDS = published_format.COUNT_FIELDS
PUBLISHED_COLUMNS = published_format.PUBLISHED_COLUMNS
PUBLISHED_INDICATORS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b")
#: What a provider gave for a year.
COUNTS, PUBLISHED, NOT_PUBLISHED, NOT_MONITORED = (
    "counts",
    "published",
    "not_published",
    "not_monitored",
)
SOURCE_WORDS: dict[str, str] = {
    COUNTS: "counts received",
    PUBLISHED: "published figures received",
    NOT_PUBLISHED: "not published",
    NOT_MONITORED: "not monitored that year",
}
#: Where each indicator's headline figure is in the indicators table: statistic, group.
HEADLINE: dict[str, tuple[str, str]] = {
    "1": ("percent", "BME"),
    "2": ("relative_likelihood", ""),
    "3": ("relative_likelihood", ""),
    "4": ("relative_likelihood", ""),
    "5": ("percent", "BME"),
    "6": ("percent", "BME"),
    "7": ("percent", "BME"),
    "8": ("percent", "BME"),
    "9a": ("percentage_points", ""),
    "9b": ("percentage_points", ""),
}
RL_INDICATORS: tuple[str, ...] = ("2", "3", "4")
SUPPRESSED = "[c]"
SYNTHETIC_BANNER = (
    "SYNTHETIC DATA: the providers in this report and all their figures are made up by "
    "wres example-data. No figure in it describes real staff or real organisations."
)
_CHECK_NOT_AVAILABLE = "not determined (wres check-published is not available)"


# ============================================================================ inputs


@dataclass(frozen=True)
class ProviderYear:
    """What one provider gave the commissioner for one WRES year."""

    code: str
    name: str
    url: str
    year: int
    #: counts, published, not_published or not_monitored.
    source: str
    #: The file (absolute) for counts/published, else None.
    path: Path | None = None


def find_commissioner(params: YearParams, unit: str) -> Commissioner | None:
    """The ``commissioners`` entry of ``params`` for ``unit`` (any case), or None."""
    for c in params.commissioners:
        if c.unit == unit or c.unit.upper() == unit.upper():
            return c
    return None


def commissioner_unit(params: YearParams, commissioner: Commissioner) -> Unit:
    """The reporting unit (organisation or joint group) of a commissioner entry."""
    for u in params.units():
        if commissioner.unit in (u.id, u.id.upper()) or commissioner.unit.upper() == u.id:
            return u
    raise KeyError(f"commissioner unit {commissioner.unit!r} is not a unit of WRES {params.year}")


def provider_years(
    commissioner: Commissioner, history: Mapping[int, YearParams], root: Path
) -> list[ProviderYear]:
    """Every provider of ``commissioner`` (this year's list, in its order) x every year of
    ``history``: what it gave. A provider absent from an earlier year's list, or a year without
    this commissioner, is "not monitored" that year."""
    out = []
    for y in sorted(history):
        entry = find_commissioner(history[y], commissioner.unit)
        listed = {p.code.upper(): p for p in entry.providers} if entry else {}
        for p in commissioner.providers:
            q = listed.get(p.code.upper())
            if q is None:
                out.append(ProviderYear(p.code, p.name, p.url, y, NOT_MONITORED))
            elif q.counts is not None:
                out.append(ProviderYear(p.code, p.name, p.url, y, COUNTS, resolve(root, q.counts)))
            elif q.published is not None:
                out.append(
                    ProviderYear(p.code, p.name, p.url, y, PUBLISHED, resolve(root, q.published))
                )
            else:
                out.append(ProviderYear(p.code, p.name, p.url, y, NOT_PUBLISHED))
    return out


def read_published(path: Path | str) -> pd.DataFrame:
    """Read and validate a published-figures CSV (or XLSX) in the check-published format.

    Returns one row per published figure: ``org_code``, ``year``, ``indicator``, ``group``
    (White/BME for indicators 1 and 5-8, default BME; blank otherwise), ``published_text``
    (as written; "" when the provider left it blank), ``published`` (float, NaN when blank)
    and every count column of :data:`COUNT_FIELDS` (nullable ints). Every problem is raised
    together as :class:`~wres_utils.errors.InputError` naming the line and column.
    """
    from wres_utils.errors import InputError, Issue
    from wres_utils.extracts import read_table

    path = Path(path)
    raw, header_line = read_table(path)
    issues: list[Issue] = []
    for c in PUBLISHED_REQUIRED:
        if c not in raw.columns:
            issues.append(
                Issue(path, header_line, c, None, f"the columns {', '.join(PUBLISHED_REQUIRED)}")
            )
    if issues:
        raise InputError(issues)
    df = raw.apply(lambda s: s.astype(str).str.strip())
    out = pd.DataFrame(index=df.index)
    out["org_code"] = df["org_code"].str.upper()
    out["indicator"] = df["indicator"].str.lower().str.replace(r"\.0$", "", regex=True)
    group = df["group"].str.lower() if "group" in df else pd.Series("", index=df.index)
    out["group"] = [
        ("White" if g == "white" else "BME") if i in ("1", "5", "6", "7", "8") else ""
        for i, g in zip(out["indicator"], group, strict=True)
    ]
    for line, i, g in zip(df.index, out["indicator"], group, strict=True):
        if i not in PUBLISHED_INDICATORS:
            issues.append(
                Issue(path, int(line), "indicator", i, f"one of {', '.join(PUBLISHED_INDICATORS)}")
            )
        if g not in ("", "white", "bme"):
            issues.append(Issue(path, int(line), "group", g, "White or BME, or blank"))
    for line, v in zip(df.index, df["year"], strict=True):
        if not re.fullmatch(r"\d{4}", v):
            issues.append(Issue(path, int(line), "year", v, "a WRES year such as 2021"))
    for c in COUNT_FIELDS:
        if c not in df:
            continue
        for line, v in zip(df.index, df[c], strict=True):
            if v and not re.fullmatch(r"\d+", v):
                issues.append(Issue(path, int(line), c, v, "a whole number >= 0, or blank"))
    values = []
    for line, v in zip(df.index, df["published_value"], strict=True):
        try:
            values.append(parse_figure(v)[0] if v else np.nan)
        except ValueError:
            issues.append(Issue(path, int(line), "published_value", v, "a number, or blank"))
            values.append(np.nan)
    keys = out.assign(year=df["year"])[["org_code", "year", "indicator", "group"]]
    for line in df.index[keys.duplicated(keep="first").to_numpy()]:
        issues.append(Issue(path, int(line), "indicator", None, "each figure once"))
    if issues:
        raise InputError(issues)
    out["year"] = df["year"].astype("int64")
    out["published_text"] = df["published_value"]
    out["published"] = np.asarray(values, dtype=float)
    for c in COUNT_FIELDS:
        col = df[c] if c in df else pd.Series("", index=df.index)
        out[c] = pd.array([int(v) if v else None for v in col], dtype="Int64")
    return out.reset_index(drop=True)


def parse_figure(text: str) -> tuple[float, int]:
    """(value, decimals) of a figure as published: ``"1.52"``, ``"23.1%"``, ``"+3.4 pp"``.

    Raises ValueError when it is not a number.
    """
    s = str(text).strip().lower().replace(",", "").replace("\u2212", "-")
    for suffix in ("percentage points", "pp", "%"):
        s = s.removesuffix(suffix).strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        raise ValueError(f"not a number: {text!r}")
    return float(s), (len(s.split(".", 1)[1]) if "." in s else 0)


#: (measure of the counts table, indicator column, board_role) of each count column.
_FIELD_MEASURE: dict[str, tuple[str, str]] = {
    "headcount": ("headcount", ""),
    "shortlisted": ("shortlisted", ""),
    "appointed": ("appointed", ""),
    "disciplinary": ("disciplinary", ""),
    "training": ("training", ""),
    "survey_respondents": ("survey_respondents", "survey"),
    "survey_yes": ("survey_yes", "survey"),
    "board": ("board", "board"),
}


def published_to_counts(fig: pd.DataFrame) -> pd.DataFrame:
    """The counts table implied by a published-figures frame (the counts in its rows).

    Each row contributes the counts its indicator needs (:data:`NEEDS`), for White, BME and
    (where given) Unknown; a measure repeated on several rows (e.g. the headcount on rows 1,
    3, 4 and 9) is taken from its first row. The headcount's band is unknown: it is put in
    band "Unrecognised", non-clinical (only whole-workforce figures are read from it). A row
    missing a count it needs contributes nothing for that indicator.
    """
    seen: dict[tuple, int] = {}
    for r in fig.to_dict("records"):
        o, y, ind = str(r["org_code"]), int(r["year"]), str(r["indicator"])
        need = NEEDS.get(ind, ())
        if not need or any(pd.isna(r.get(c)) for c in need):
            continue
        for c in need:
            grp, _, what = c.partition("_")
            measure, kind = _FIELD_MEASURE[what]
            band, clinical = (
                ("Unrecognised", "non-clinical") if measure == "headcount" else ("", "")
            )
            indicator = ind if kind == "survey" else ""
            role = ("voting" if ind == "9a" else "executive") if kind == "board" else ""
            g = {"white": "White", "bme": "BME", "unknown": "Unknown"}[grp]
            key = (o, y, measure, g, band, clinical, indicator, role)
            seen.setdefault(key, int(r[c]))
    if not seen:
        return normalise_dtypes(pd.DataFrame(columns=COUNT_COLUMNS))
    rows = [(*k, v) for k, v in seen.items()]
    from wres_utils.counts import complete_groups

    return complete_groups(normalise_dtypes(pd.DataFrame(rows, columns=COUNT_COLUMNS)))


@dataclass
class Inputs:
    """Everything read for one commissioner: counts of all providers, published figures."""

    providers: list[ProviderYear]
    counts: pd.DataFrame
    #: Published figures (rows of :func:`read_published`) with ``code`` and ``year``.
    figures: pd.DataFrame


def _check_file(counts: pd.DataFrame, py: ProviderYear) -> None:
    from wres_utils.errors import InputError, Issue

    wrong = counts[(counts["org_code"] != py.code.upper()) | (counts["year"] != py.year)]
    if not wrong.empty:
        found = f"{wrong['org_code'].iloc[0]} {wrong['year'].iloc[0]}"
        raise InputError(
            [
                Issue(
                    py.path or Path("?"),
                    None,
                    "org_code/year",
                    found,
                    f"only rows of provider {py.code} for WRES {py.year}",
                )
            ]
        )


def load_inputs(providers: Sequence[ProviderYear]) -> Inputs:
    """Read every provider's file; check each holds only its provider and year."""
    from wres_utils.counts import read_counts_csv

    parts = []
    figs = []
    for py in providers:
        if py.source == COUNTS and py.path is not None:
            c = read_counts_csv(py.path)
            _check_file(c, py)
            parts.append(c)
        elif py.source == PUBLISHED and py.path is not None:
            f = read_published(py.path)
            f = f.rename(columns={"org_code": "code"})
            _check_file(f.rename(columns={"code": "org_code"}), py)
            figs.append(f)
            parts.append(published_to_counts(f.rename(columns={"code": "org_code"})))
    counts = (
        normalise_dtypes(pd.concat(parts, ignore_index=True))
        if parts
        else normalise_dtypes(pd.DataFrame(columns=COUNT_COLUMNS))
    )
    figures = (
        pd.concat(figs, ignore_index=True)
        if figs
        else pd.DataFrame(
            columns=["code", "year", "indicator", "group", "published_text", "published"]
        )
    )
    return Inputs(list(providers), counts, figures)


# ============================================================================ compute


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
    from wres_utils import disclosure, indicators

    table = indicators.compute_indicators(
        counts, list(units), denominator=params.indicator1_denominator
    )
    analyst = disclosure.disclose(
        table,
        min_count=params.suppression.min_count,
        round_to=params.suppression.round_to,
        settings=params.suppression,
    )
    if analyst.empty:
        return analyst, analyst.copy()
    return analyst, disclosure.published_copy(analyst)


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


def _check_module() -> Any | None:
    try:
        return importlib.import_module("wres_utils.published")
    except ImportError:
        return None


_UNCHECKABLE = "not determined (wres check-published could not read the file)"


def likely_causes(path: Path | None, figures: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Likely cause of each mismatching figure of one published file, by (indicator, group),
    from ``wres check-published`` (:func:`wres_utils.published.check_published`).

    When the whole file cannot be checked (e.g. a figure left blank), each row of ``figures``
    (this file's rows of :func:`read_published`) is checked alone with
    ``published.check_row``. The causes are words (the hypotheses tested), never figures.
    """
    mod = _check_module()
    if mod is None:
        return {}
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
    check_row = getattr(mod, "check_row", None)
    for r in figures.to_dict("records"):
        key = (str(r["indicator"]), str(r["group"] or ""))
        need = NEEDS.get(key[0], ())
        if check_row is None or not r["published_text"] or any(pd.isna(r[c]) for c in need):
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
        disp = str(hit["display"].iloc[0]) if not hit.empty else "–"
        if status == "suppressed":
            row |= {"published": SUPPRESSED, "recomputed": SUPPRESSED, "result": SUPPRESSED}
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
                if _check_module() is None:
                    row["cause"] = _CHECK_NOT_AVAILABLE
                else:
                    row["cause"] = causes[key].get((ind, group)) or "not determined"
        rows.append(row)
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


# ============================================================================ rules


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
        if unknown and r["check"] in ("outside_range", "worsening", "below"):
            raise ValueError(f"{path}: rules.{i} reads indicator(s) {unknown} without a measure")
        core = {k: r.pop(k) for k in ("id", "check", "title", "text", "figure")}
        rules.append(Rule(**core, indicators=inds, params=r))
    return Rules(tuple(rules), measures)


FINDING_COLUMNS: list[str] = ["code", "provider", "rule", "finding", "figure"]


def _labelled(text: str, labels: Labels) -> str:
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
        base = {"provider": p.name, "code": p.code, "year": year, "previous_year": prev_year}
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
                        "measure": _labelled(m["name"], labels),
                        "now": str(now_row["display"]) if now_row is not None else "–",
                        "before": str(before_row["display"]) if before_row is not None else "–",
                    }
                    if rule.check == "below":
                        thr = float(prm.get("threshold", 90.0))
                        if now is not None and round(now, 1) < thr:
                            hits.append(vals | {"threshold": f"{thr:g}"})
                        continue
                    if now is None or before is None:
                        continue
                    if rule.check == "outside_range":
                        lo, hi = float(prm.get("low", 0.8)), float(prm.get("high", 1.25))

                        def outside(v: float, lo: float = lo, hi: float = hi) -> bool:
                            return round(v, 2) < lo or round(v, 2) > hi

                        if outside(now) and outside(before):
                            hits.append(vals | {"low": f"{lo:.2f}", "high": f"{hi:.2f}"})
                    else:
                        change = float(m.get("min_change", 0.0))
                        worse = m["worse"]
                        if worse == "further_from_1":
                            delta = abs(now - 1) - abs(before - 1)
                        elif worse == "higher":
                            delta = now - before
                        else:
                            delta = before - now
                        if delta >= change - 1e-9 and delta > 0:
                            if _redesigned(now_row):
                                vals["note"] = "the survey question changed between the years"
                            hits.append(vals)
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
                        "finding": _labelled(_fmt(rule.text, **values), labels),
                        "figure": fig,
                    }
                )
    return pd.DataFrame(out, columns=FINDING_COLUMNS)


# ============================================================================ prepare


def _benchmarks(years: Sequence[int]) -> pd.DataFrame:
    """National figures (display strings) per year and indicator, with their source."""
    rows = []
    try:
        bm = importlib.import_module("wres_utils.benchmarks")
    except ImportError:
        bm = None
    for y in years:
        for ind in PUBLISHED_INDICATORS:
            disp, src = "–", "not available"
            if bm is not None and hasattr(bm, "national_display"):
                disp = str(bm.national_display(y, ind))
                src = str(bm.source(y, ind)) if hasattr(bm, "source") else ""
            rows.append({"year": y, "indicator": ind, "display": disp, "source": src})
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
        "rules": [{"id": r.id, "title": _labelled(r.title, params.labels)} for r in rules.rules],
    }
    (prepared / "context.json").write_text(json.dumps(context, indent=2), encoding="utf-8")
    return prepared


# ============================================================================ build


def _title(unit: Unit, year: int) -> str:
    return f"WRES {year}: the providers commissioned by {unit.name}"


def _failure(unit: Unit, stage: str, e: BaseException) -> Failure:
    from wres_utils.pipeline import Failure

    return Failure(unit.id, unit.slug, stage, type(e).__name__, str(e))


def build(
    year: int,
    params: YearParams,
    root: Path | str,
    reports_dir: Path | str,
    history: Mapping[int, YearParams] | None = None,
    *,
    notebooks_dir: Path | str | None = None,
    render_pdf: bool = True,
    cell_timeout: int | None = 600,
    units: Sequence[str] | None = None,
) -> list[Failure]:
    """Build ``providers.html`` (and ``.pdf``) for every ``params.commissioners`` entry.

    Call it after the year's units are published: each commissioner's report goes into its
    unit's folder ``reports_dir/<year>/<slug>/`` (which must exist) through a temporary folder
    under ``reports_dir/.tmp/<year>/`` and ``os.replace``; nothing else in the unit's folder is
    touched. ``history`` is the params of the previous years (the pipeline's
    ``setup.history``; this year's entry is ignored). ``units`` restricts the build to
    commissioners whose unit id or slug is listed (e.g. the units of a ``--unit`` run).

    Returns one :class:`~wres_utils.pipeline.Failure` per commissioner that failed (stage
    ``prepare``, ``10_providers`` (the notebook), ``render`` or ``publish``); bad input files
    are failures too (stage ``prepare``), so that the units' reports stand.
    """
    from wres_utils import pipeline, render

    root = Path(root)
    reports_dir = Path(reports_dir)
    nb_dir = Path(notebooks_dir) if notebooks_dir else root / "notebooks" / NOTEBOOK_DIR
    failures: list[Failure] = []
    wanted = {u.lower() for u in units} if units is not None else None
    for c in params.commissioners:
        unit = commissioner_unit(params, c)
        if wanted is not None and not ({unit.id.lower(), unit.slug.lower()} & wanted):
            continue
        final = reports_dir / str(year) / unit.slug
        if not final.is_dir():
            failures.append(
                _failure(
                    unit,
                    "publish",
                    FileNotFoundError(
                        f"{final} does not exist (the unit's report was not built): "
                        f"{', '.join(OUTPUTS)} not written"
                    ),
                )
            )
            continue
        tmp_year = reports_dir / pipeline.TMP_DIR / str(year)
        tmp_year.mkdir(parents=True, exist_ok=True)
        build_dir = Path(tempfile.mkdtemp(prefix=f"{unit.slug}-providers-", dir=tmp_year))
        stage = "prepare"
        try:
            prepare(year, params, c, history or {}, root, build_dir)
            stage = NOTEBOOK
            nb_params = pipeline.NotebookParams(
                year=year,
                unit=unit.id,
                unit_name=unit.name,
                unit_slug=unit.slug,
                prepared_dir=PREPARED,
                synthetic=params.synthetic,
            )
            run = pipeline.NotebookRun(
                unit=unit,
                notebook=NOTEBOOK,
                source=nb_dir / f"{NOTEBOOK}.ipynb",
                params=nb_params,
            )
            try:
                pipeline.execute_notebook(
                    run,
                    build_dir,
                    root,
                    f"{year}/{unit.slug}/{NOTEBOOK}.ipynb",
                    cell_timeout=cell_timeout,
                )
            except Exception as e:
                make = getattr(pipeline, "_failure_from", None)
                failures.append(make(run, e) if make else _failure(unit, NOTEBOOK, e))
                continue
            stage = "render"
            ipynb = build_dir / "notebooks" / f"{NOTEBOOK}.ipynb"
            html_path = build_dir / OUTPUTS[0]
            render.report_html([ipynb], html_path, _title(unit, year), params.synthetic)
            made = [html_path]
            if render_pdf:
                pdf_path = build_dir / OUTPUTS[1]
                render.report_pdf(html_path, pdf_path, _title(unit, year))
                made.append(pdf_path)
            stage = "publish"
            if not final.is_dir():
                raise FileNotFoundError(
                    f"{final} does not exist (the unit's report was not built): "
                    f"{', '.join(OUTPUTS)} not written"
                )
            for path in reversed(made):  # the PDF first, the HTML that may link it last
                os.replace(path, final / path.name)
        except Exception as e:
            failures.append(_failure(unit, stage, e))
        finally:
            shutil.rmtree(build_dir, ignore_errors=True)
            for d in (tmp_year, tmp_year.parent):
                try:
                    d.rmdir()
                except OSError:
                    pass
    return failures


# ============================================================================ views


@dataclass(frozen=True)
class ProvidersView:
    """A commissioner's prepared (already disclosed) figures, as the notebook reads them."""

    context: dict
    indicators: pd.DataFrame
    checks: pd.DataFrame
    findings: pd.DataFrame
    benchmarks: pd.DataFrame
    labels: Labels = field(default_factory=Labels)

    @property
    def year(self) -> int:
        return int(self.context["year"])

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.context["years"]]

    @property
    def previous_year(self) -> int | None:
        ys = [y for y in self.years if y < self.year]
        return ys[-1] if ys else None

    @property
    def unit_name(self) -> str:
        return str(self.context["unit"]["name"])

    @property
    def synthetic(self) -> bool:
        return bool(self.context["synthetic"])

    @property
    def providers(self) -> list[tuple[str, str]]:
        """(code, name) of every provider, in the commissioner's order."""
        return [(p["code"], p["name"]) for p in self.context["providers"]]

    def source(self, code: str, year: int) -> str:
        """What the provider gave for the year (counts, published, not_published, ...)."""
        for r in self.context["received"]:
            if r["code"] == code and int(r["year"]) == int(year):
                return str(r["source"])
        return NOT_MONITORED


def open_view(prepared_dir: str | Path, year: int, unit: str) -> ProvidersView:
    """Read a commissioner's prepared folder and check it is the unit and year asked for."""
    from wres_utils.views import read_context
    from wres_utils.views import read_prepared_csv as _read

    folder = Path(prepared_dir)
    context = read_context(folder, year, unit)
    empty_checks = pd.DataFrame(columns=CHECK_COLUMNS)
    checks = _read(folder / "checks.csv")
    findings = _read(folder / "findings.csv")
    return ProvidersView(
        context=context,
        indicators=_read(folder / "indicators.csv"),
        checks=checks if not checks.empty else empty_checks,
        findings=findings if not findings.empty else pd.DataFrame(columns=FINDING_COLUMNS),
        benchmarks=_read(folder / "benchmarks.csv"),
        labels=Labels(**context.get("labels", {})),
    )


def _cell(v: ProvidersView, code: str, year: int | None, ind: str, **where: str) -> pd.Series:
    """The published row of a provider's figure; a not-published year gives a stand-in row."""
    if year is None:
        return pd.Series({"display": "–", "status": "", "value": np.nan})
    src = v.source(code, year)
    if src in (NOT_PUBLISHED, NOT_MONITORED):
        return pd.Series({"display": SOURCE_WORDS[src], "status": src, "value": np.nan})
    stat, group = HEADLINE[ind]
    stat = where.get("statistic", stat)
    group = where.get("group", group)
    d = v.indicators
    if d.empty:
        return pd.Series({"display": "–", "status": "", "value": np.nan})
    d = d[(d["unit"] == code) & (d["year"] == year) & (d["indicator"] == ind)]
    hit = d[(d["statistic"] == stat) & (d["group"] == group)]
    if ind == "1":
        hit = hit[(hit["band"] == "All") & (hit["clinical"] == "all")]
    if hit.empty:
        nc = d[d["status"] == "not_collected"]
        if not nc.empty:
            return pd.Series(
                {"display": "not collected", "status": "not_collected", "value": np.nan}
            )
        return pd.Series({"display": "–", "status": "", "value": np.nan})
    row = hit.iloc[0]
    disp = str(row.get("display", "") or "") or "–"
    return pd.Series({**row.to_dict(), "display": disp})


def _bench(v: ProvidersView, year: int | None, ind: str) -> str:
    b = v.benchmarks
    if year is None or b.empty:
        return "–"
    hit = b[(b["year"] == year) & (b["indicator"] == ind)]
    return "–" if hit.empty else str(hit["display"].iloc[0])


def _label(v: ProvidersView, text: str) -> str:
    return _labelled(text, v.labels)


def overview_table(v: ProvidersView) -> pd.DataFrame:
    """One row per provider: what was received this year and last, and how many findings."""
    prev = v.previous_year
    rows = []
    for code, name in v.providers:
        n = int((v.findings["code"] == code).sum()) if not v.findings.empty else 0
        row = {"Provider": f"{name} ({code})"}
        if prev is not None:
            row[f"WRES {prev}"] = SOURCE_WORDS[v.source(code, prev)]
        row[f"WRES {v.year}"] = SOURCE_WORDS[v.source(code, v.year)]
        row["Findings"] = "none" if n == 0 else (f"{n} finding" + ("s" if n > 1 else ""))
        row["WRES web page"] = v.context.get("urls", {}).get(code, "") or "not given"
        rows.append(row)
    return pd.DataFrame(rows)


#: Indicator titles for the provider tables.
TITLES: dict[str, str] = {
    "1": "Indicator 1: BME share of the workforce, and the declaration rate",
    "2": "Indicator 2: relative likelihood of White applicants being appointed from shortlisting "
    "compared to BME applicants",
    "3": "Indicator 3: relative likelihood of BME staff entering the formal disciplinary process "
    "compared to White staff",
    "4": "Indicator 4: relative likelihood of White staff accessing non-mandatory training and "
    "CPD compared to BME staff",
    "5": "Indicator 5: % of staff experiencing harassment, bullying or abuse from patients, "
    "relatives or the public",
    "6": "Indicator 6: % of staff experiencing harassment, bullying or abuse from staff",
    "7": "Indicator 7: % of staff believing the organisation provides equal opportunities for "
    "career progression or promotion",
    "8": "Indicator 8: % of staff personally experiencing discrimination from a manager, team "
    "leader or colleague",
    "9a": "Indicator 9a: BME share of Board voting members minus BME share of the workforce",
    "9b": "Indicator 9b: BME share of Board executive members minus BME share of the workforce",
}


def indicator_title(v: ProvidersView, indicator: str) -> str:
    """The heading of an indicator (group labels from params)."""
    return _label(v, TITLES[indicator])


def indicator_table(v: ProvidersView, indicator: str) -> pd.DataFrame:
    """Every provider's figure for one indicator, this year and last, and the national figure.

    Relative likelihoods (2-4) also show this year's 95% confidence interval and four-fifths
    class; indicators 5-8 show White and BME percentages; indicator 1 the BME share and the
    declaration rate. Display strings only.
    """
    years = [y for y in (v.previous_year, v.year) if y is not None]
    bme, white = v.labels.bme, v.labels.white
    rows = []
    for code, name in v.providers:
        row = {"Provider": f"{name} ({code})"}
        for y in years:
            if indicator == "1":
                row[f"{bme} % {y}"] = _cell(v, code, y, "1")["display"]
                row[f"Declaration rate {y}"] = _cell(
                    v, code, y, "1", statistic="declaration_rate", group=""
                )["display"]
            elif indicator in ("5", "6", "7", "8"):
                row[f"{white} % {y}"] = _cell(v, code, y, indicator, group="White")["display"]
                row[f"{bme} % {y}"] = _cell(v, code, y, indicator, group="BME")["display"]
            else:
                row[f"WRES {y}"] = _cell(v, code, y, indicator)["display"]
        if indicator in RL_INDICATORS:
            rl = _cell(v, code, v.year, indicator)
            lo = _cell(v, code, v.year, indicator, statistic="ci_low")["display"]
            hi = _cell(v, code, v.year, indicator, statistic="ci_high")["display"]
            shown = rl.get("status") == "ok"
            row[f"95% CI {v.year}"] = (
                f"{lo} to {hi}"
                if shown and SUPPRESSED not in (lo, hi) and "–" not in (lo, hi)
                else (SUPPRESSED if rl.get("status") == "suppressed" else "–")
            )
            cls = str(rl.get("classification", "") or "") if shown else ""
            row[f"Four-fifths range {v.year}"] = cls or "–"
        rows.append(row)
    out = pd.DataFrame(rows)
    if indicator in ("1", "2", "3", "4", "9a", "9b"):
        nat = {"Provider": "England, NHS trusts (national figure)"}
        for c in out.columns[1:]:
            nat[c] = "–"
        for y in years:
            if indicator == "1":
                nat[f"{bme} % {y}"] = _bench(v, y, "1")
            elif indicator in RL_INDICATORS:
                nat[f"WRES {y}"] = _bench(v, y, indicator)
        out = pd.concat([out, pd.DataFrame([nat])], ignore_index=True)
    return out


def benchmark_note(v: ProvidersView, indicator: str) -> str:
    """Where the national figures of an indicator come from (this year and last)."""
    b = v.benchmarks
    if b.empty or indicator not in ("1", "2", "3", "4"):
        if indicator.startswith("9"):
            return (
                "No national figure is shown for the Board difference; "
                "national figures are given for relative likelihoods and the workforce share."
            )
        return "No national figure is shown for the staff survey indicators."
    parts = []
    for y in [y for y in (v.previous_year, v.year) if y is not None]:
        hit = b[(b["year"] == y) & (b["indicator"] == indicator)]
        if not hit.empty:
            parts.append(f"WRES {y}: {hit['source'].iloc[0]}")
    return "National figures (– = not entered): " + "; ".join(parts) + "."


def gaps_table(v: ProvidersView) -> pd.DataFrame:
    """Who has not published, and which indicators were left blank, this year and last."""
    years = [y for y in (v.previous_year, v.year) if y is not None]
    rows = []
    for code, name in v.providers:
        for y in years:
            src = v.source(code, y)
            if src == NOT_PUBLISHED:
                rows.append(
                    {
                        "Provider": f"{name} ({code})",
                        "WRES year": str(y),
                        "Missing": "everything: not published",
                        "Detail": "no counts or published figures received for the year",
                    }
                )
                continue
            if src == NOT_MONITORED:
                continue
            d = v.indicators
            d = d[(d["unit"] == code) & (d["year"] == y) & (d["status"] == "not_collected")]
            for ind, note in (
                d[["indicator", "note"]].drop_duplicates("indicator").itertuples(index=False)
            ):
                rows.append(
                    {
                        "Provider": f"{name} ({code})",
                        "WRES year": str(y),
                        "Missing": f"indicator {ind} left blank",
                        "Detail": str(note or "not collected"),
                    }
                )
            c = v.checks
            if not c.empty:
                c = c[(c["code"] == code) & (c["year"] == y) & (c["result"] == "left blank")]
                for ind in c["indicator"]:
                    rows.append(
                        {
                            "Provider": f"{name} ({code})",
                            "WRES year": str(y),
                            "Missing": f"indicator {ind} left blank",
                            "Detail": "counts given, but no figure published",
                        }
                    )
    return pd.DataFrame(rows, columns=["Provider", "WRES year", "Missing", "Detail"])


def mismatch_table(v: ProvidersView) -> pd.DataFrame:
    """Published figures that do not match the provider's own counts (this year and last)."""
    names = dict(v.providers)
    c = v.checks
    cols = ["Provider", "WRES year", "Indicator", "Published", "From its counts", "Likely cause"]
    if c.empty:
        return pd.DataFrame(columns=cols)
    c = c[c["result"] == "does not match"]
    rows = [
        {
            "Provider": f"{names.get(r.code, r.code)} ({r.code})",
            "WRES year": str(r.year),
            "Indicator": f"indicator {r.indicator}" + (f" ({r.group} %)" if r.group else ""),
            "Published": str(r.published),
            "From its counts": str(r.recomputed),
            "Likely cause": str(r.cause or "not determined"),
        }
        for r in c.itertuples(index=False)
    ]
    return pd.DataFrame(rows, columns=cols)


def checks_summary(v: ProvidersView) -> str:
    """A sentence: how many published figures were checked and how many did not match."""
    c = v.checks
    if c.empty:
        return "No provider sent published figures to check against its counts."
    c = c[c["year"] == v.year]
    checked = int(c["result"].isin(["matches", "does not match"]).sum())
    wrong = int((c["result"] == "does not match").sum())
    withheld = int((c["result"] == SUPPRESSED).sum())
    who = sorted(set(c["code"]))
    text = (
        f"In WRES {v.year}, {checked} published figures from {', '.join(who) or 'no provider'} "
        f"were recomputed from the providers' own counts; {wrong} did not match within rounding."
    )
    if withheld:
        text += (
            f" {withheld} could not be checked in public because the figure rests on small "
            "numbers ([c])."
        )
    return text


def compliance_table(v: ProvidersView) -> pd.DataFrame:
    """The findings of the compliance rules, per provider, each with the figure behind it."""
    names = dict(v.providers)
    cols = ["Provider", "Finding", "Figure behind it"]
    rows = []
    f = v.findings
    for code, name in v.providers:
        d = f[f["code"] == code] if not f.empty else f
        if d.empty:
            rows.append(
                {"Provider": f"{name} ({code})", "Finding": "No findings.", "Figure behind it": "–"}
            )
            continue
        for r in d.itertuples(index=False):
            rows.append(
                {
                    "Provider": f"{names.get(code, code)} ({code})",
                    "Finding": str(r.finding),
                    "Figure behind it": str(r.figure),
                }
            )
    return pd.DataFrame(rows, columns=cols)


def report_tables(v: ProvidersView) -> dict[str, pd.DataFrame]:
    """Every table the commissioner notebook shows, by caption (for the disclosure audit:
    build it from a view prepared with and without suppression and compare cell by cell)."""
    year = v.year
    out = {
        f"Providers monitored, and what each sent for WRES {year} and the year before": (
            overview_table(v)
        ),
        f"Compliance findings for WRES {year}, by provider": compliance_table(v),
        "The compliance rules applied": rules_table(v),
        "Missing publications and blank indicators, this year and last": gaps_table(v),
        "Published figures that do not match the providers' counts": mismatch_table(v),
        "How the figures in this report were made": methods_table(v),
        f"Data for the chart: {_chart_title(v)}": likelihood_table(v),
    }
    for ind in PUBLISHED_INDICATORS:
        out[indicator_title(v, ind)] = indicator_table(v, ind)
    return out


def rules_table(v: ProvidersView) -> pd.DataFrame:
    """The compliance rules applied (from compliance_rules.yaml)."""
    return pd.DataFrame(
        [{"Rule": r["id"].replace("_", " "), "Raised when": r["title"]} for r in v.context["rules"]]
    )


def methods_table(v: ProvidersView) -> pd.DataFrame:
    """How the figures in this report were made."""
    k = v.context.get("suppression", {}).get("min_count", 7)
    rows = [
        (
            "Inputs",
            "each provider's counts table, or the figures it published together with the counts "
            "behind them (the wres check-published format); a provider that sent neither has "
            "not published",
        ),
        (
            "Recomputed figures",
            "every provider's indicators are recomputed from its counts with the same method "
            "as the commissioner's own report; published figures are compared with them within "
            "rounding",
        ),
        (
            "Disclosure control",
            f"counts from 1 to {k}, and any figure built on such a count, are shown as [c]; a "
            "withheld figure is never used by a compliance rule",
        ),
        (
            "Four-fifths rule",
            "NHS England treats a relative likelihood between 0.80 and 1.25 as the non-adverse "
            "range",
        ),
        (
            "Confidence intervals",
            "95% intervals by the Katz log method: NOT NHS England methodology, shown to convey "
            "uncertainty",
        ),
        (
            "National figures",
            "national WRES figures for NHS trusts in England as published by NHS England (the "
            "source of each is given under its table); – where not entered",
        ),
    ]
    return pd.DataFrame(rows, columns=["Topic", "Method"])


def show_banner(v: ProvidersView) -> None:
    """Display the synthetic-data banner when the data are synthetic."""
    if v.synthetic:
        from wres_utils import tables

        tables.show_banner(SYNTHETIC_BANNER)


# ---------------------------------------------------------------------------- chart


def likelihood_chart_data(v: ProvidersView) -> pd.DataFrame:
    """Relative likelihoods 2-4 of every provider this year with CIs (long, disclosed)."""
    rows = []
    for code, name in v.providers:
        for ind in RL_INDICATORS:
            rl = _cell(v, code, v.year, ind)
            lo = _cell(v, code, v.year, ind, statistic="ci_low")
            hi = _cell(v, code, v.year, ind, statistic="ci_high")
            shown = rl.get("status") == "ok" and pd.notna(rl.get("value"))
            rows.append(
                {
                    "code": code,
                    "provider": name,
                    "indicator": ind,
                    "value": float(rl["value"]) if shown else np.nan,
                    "ci_low": float(lo["value"])
                    if shown and lo.get("status") == "ok" and pd.notna(lo.get("value"))
                    else np.nan,
                    "ci_high": float(hi["value"])
                    if shown and hi.get("status") == "ok" and pd.notna(hi.get("value"))
                    else np.nan,
                    "display": str(rl["display"]),
                    "ci_display": f"{lo['display']} to {hi['display']}" if shown else "",
                    "status": str(rl.get("status", "")),
                }
            )
    return pd.DataFrame(rows)


def _chart_title(v: ProvidersView) -> str:
    return f"Relative likelihoods, WRES {v.year}: indicators 2 to 4 across providers"


def likelihood_chart(v: ProvidersView) -> Chart:
    """Small multiples: one panel per indicator 2-4, one row per provider, this year's
    relative likelihood with its 95% CI, the 0.80-1.25 band, 1 and the national figure."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from wres_utils import charts

    d = likelihood_chart_data(v)
    names = [f"{code}" for code, _ in v.providers]
    title = _chart_title(v)
    shown = d[d["value"].notna()]
    lows = pd.concat([shown["ci_low"].dropna(), shown["value"]])
    highs = pd.concat([shown["ci_high"].dropna(), shown["value"]])
    stops = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
    low = min(0.5, float(lows.min()) * 0.95) if not lows.empty else 0.5
    high = max(2.0, float(highs.max()) * 1.05) if not highs.empty else 2.0
    xmin = max([t for t in stops if t <= low] or [stops[0]])
    xmax = min([t for t in stops if t >= high] or [stops[-1]])
    gaps: list[str] = []
    any_national = False
    with mpl.rc_context(charts.theme_rc()):
        fig = Figure(figsize=(10, 1.2 + 0.55 * max(1, len(names))))
        axes = fig.subplots(1, len(RL_INDICATORS), sharey=True)
        for k, (ax, ind) in enumerate(zip(axes, RL_INDICATORS, strict=True)):
            ax.set_xscale("log")
            ax.axvspan(*charts.FOUR_FIFTHS, color=charts.BAND_FILL, zorder=0)
            ax.axvline(1.0, color=charts.GREYS[0], linestyle="--", linewidth=1.1, zorder=1)
            try:
                nat = float(_bench(v, v.year, ind))
            except ValueError:
                nat = None
            if nat is not None:
                any_national = True
                ax.axvline(nat, color=charts.PALETTE[2], linestyle=":", linewidth=1.5, zorder=1)
            sd = d[d["indicator"] == ind].reset_index(drop=True)
            for i, r in sd.iterrows():
                if pd.isna(r["value"]):
                    label = SUPPRESSED if r["status"] == "suppressed" else charts.UNAVAILABLE
                    gaps.append(label)
                    ax.text(
                        1.0,
                        i,
                        label,
                        ha="center",
                        va="center",
                        fontsize=9,
                        style="italic",
                        color=charts.GREYS[0],
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                    )
                    continue
                x = float(r["value"])
                has_ci = pd.notna(r["ci_low"]) and pd.notna(r["ci_high"])
                xerr = [[x - r["ci_low"]], [r["ci_high"] - x]] if has_ci else None
                ax.errorbar(
                    x,
                    i,
                    xerr=xerr,
                    fmt=charts.MARKERS[k % 4],
                    color=charts.PALETTE[0],
                    markersize=6,
                    capsize=3,
                    elinewidth=1.3,
                    zorder=3,
                )
                ax.annotate(
                    r["display"],
                    (x, i),
                    xytext=(0, 7),
                    textcoords="offset points",
                    ha="center",
                    fontsize=8.5,
                )
            ax.set_xlim(xmin, xmax)
            ticks = [t for t in (*stops, 0.8, 1.25) if xmin <= t <= xmax and t != 1.0]
            ticks = sorted(ticks)
            ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
            ax.minorticks_off()
            ax.set_title(f"Indicator {ind}", fontsize=11)
            ax.set_xlabel("Relative likelihood (log scale)")
            ax.grid(axis="y", visible=False)
        axes[0].set_yticks(range(len(names)), names)
        axes[0].set_ylim(len(names) - 0.5, -0.7)
        fig.suptitle(title, x=0.01, ha="left", fontsize=12, fontweight="bold")
        legend = "Shaded: 0.80 to 1.25, the non-adverse range; dashed: 1 (equal likelihood)"
        legend += "; dotted: national figure." if any_national else "."
        if SUPPRESSED in gaps:
            legend += f" {SUPPRESSED} = not shown to protect confidentiality."
        if charts.UNAVAILABLE in gaps:
            legend += f" {charts.UNAVAILABLE} = not available (not published or not collected)."
        fig.text(0.01, -0.02, textwrap.fill(legend, 150), fontsize=8.5, ha="left", va="top")
    table = likelihood_table(v)
    return charts.Chart(fig, title, _alt_text(v, d, title), table)


def likelihood_table(v: ProvidersView) -> pd.DataFrame:
    """The chart's data: each provider's relative likelihoods 2-4 with 95% CIs (display)."""
    d = likelihood_chart_data(v)
    rows = []
    for code, name in v.providers:
        row = {"Provider": f"{name} ({code})"}
        for ind in RL_INDICATORS:
            r = d[(d["code"] == code) & (d["indicator"] == ind)].iloc[0]
            row[f"Indicator {ind}"] = r["display"]
            row[f"Indicator {ind} 95% CI"] = r["ci_display"] or "–"
        rows.append(row)
    return pd.DataFrame(rows)


def _alt_text(v: ProvidersView, d: pd.DataFrame, title: str) -> str:
    parts = [
        f"Small-multiple chart: {title}. One panel per indicator, one row per provider, each "
        "relative likelihood a point with its 95% confidence interval as a horizontal line."
    ]
    for ind in RL_INDICATORS:
        sd = d[d["indicator"] == ind]
        vals = []
        for r in sd.itertuples(index=False):
            ci = f" (95% CI {r.ci_display})" if r.ci_display else ""
            vals.append(f"{r.code} {r.display}{ci}")
        parts.append(f"Indicator {ind}: " + ", ".join(vals) + ".")
    parts.append(
        "A shaded band marks 0.80 to 1.25, the range NHS England treats as non-adverse; a "
        "dashed line at 1 means equal likelihood."
    )
    if (d["display"] == SUPPRESSED).any():
        parts.append("[c] means not shown to protect confidentiality.")
    return " ".join(parts)
