"""The commissioner's inputs: which providers it monitors, and what each gave for a year (its
counts, or the figures it published in the check-published format, or nothing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.compute import check_published as published_format
from wres_utils.core.errors import InputError, Issue
from wres_utils.core.params import Commissioner, Unit, YearParams, resolve
from wres_utils.inputs.counts import (
    COUNT_COLUMNS,
    complete_groups,
    normalise_dtypes,
    read_counts_csv,
)
from wres_utils.inputs.read import read_table

#: The compliance rules shipped with the package.
RULES_PATH = Path(__file__).resolve().parents[1] / "data" / "compliance_rules.yaml"
#: Name of the commissioner notebook (in ``notebooks/commissioner/``).
NOTEBOOK = "10_providers"
NOTEBOOK_DIR = "commissioner"
#: The two files written into the commissioner unit's report folder.
OUTPUTS: tuple[str, str] = ("providers.html", "providers.pdf")
PREPARED = "prepared"
#: Columns of a published-figures CSV (the check-published input), in order.
# The check-published format lives in wres_utils.compute.check_published (one definition).
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
RL_INDICATORS: tuple[str, ...] = ("2", "3", "4")
SYNTHETIC_BANNER = (
    "SYNTHETIC DATA: the providers in this report and all their figures are made up by "
    "wres example-data. No figure in it describes real staff or real organisations."
)


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
    together as :class:`~wres_utils.core.errors.InputError` naming the line and column.
    """

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

    return complete_groups(normalise_dtypes(pd.DataFrame(rows, columns=COUNT_COLUMNS)))


@dataclass
class Inputs:
    """Everything read for one commissioner: counts of all providers, published figures."""

    providers: list[ProviderYear]
    counts: pd.DataFrame
    #: Published figures (rows of :func:`read_published`) with ``code`` and ``year``.
    figures: pd.DataFrame


def _check_file(counts: pd.DataFrame, py: ProviderYear) -> None:

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
