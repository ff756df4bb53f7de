"""National WRES figures to compare a unit with (``wres_utils/data/national_wres.csv``).

One row per WRES year x figure: ``year``, ``indicator`` ("1" BME share of the workforce,
"2"-"4" relative likelihoods, "9" BME share of Board members), ``statistic`` (``percent``,
``relative_likelihood``, ``board_percent``), ``measure`` (words), ``value`` (blank when not
entered), ``scope`` (which organisations the figure covers: the NHS England reports cover NHS
trusts in England) and ``source`` (the publication and section the figure was taken from, or
"not yet entered"). Only figures checked against a publication are entered; a blank figure is
shown as "–", never guessed. README.md lists the figures entered and their sources.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

#: The file in the package.
DATA_FILE = "national_wres.csv"
#: ``source`` of a figure that has not been entered.
NOT_ENTERED = "not yet entered"
COLUMNS: list[str] = ["year", "indicator", "statistic", "measure", "value", "scope", "source"]
#: The statistic of each national figure, by indicator.
STATISTIC: dict[str, str] = {
    "1": "percent",
    "2": "relative_likelihood",
    "3": "relative_likelihood",
    "4": "relative_likelihood",
    "9": "board_percent",
}


@cache
def _load() -> pd.DataFrame:
    text = resources.files("wres_utils").joinpath("data", DATA_FILE)
    with text.open("r", encoding="utf-8") as f:
        d = pd.read_csv(f, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in d.columns]
    if missing:
        raise ValueError(f"{DATA_FILE}: missing column(s) {missing}")
    d = d[COLUMNS].copy()
    d["year"] = d["year"].astype("int64")
    d["value"] = pd.to_numeric(d["value"].str.strip().replace("", None), errors="raise")
    return d


def load_national() -> pd.DataFrame:
    """Every national figure of the data file (a copy), with a ``display`` string."""
    d = _load().copy()
    d["display"] = [display(s, v) for s, v in zip(d["statistic"], d["value"], strict=True)]
    return d


def national(year: int) -> pd.DataFrame:
    """The national figures of one WRES year (rows of :func:`load_national`)."""
    d = load_national()
    return d[d["year"] == int(year)].reset_index(drop=True)


def display(statistic: str, value: float | None) -> str:
    """``"1.54"`` for a relative likelihood, ``"24.2%"`` for a percentage, "–" when blank."""
    if value is None or pd.isna(value):
        return "–"
    if statistic == "relative_likelihood":
        return f"{float(value):.2f}"
    return f"{float(value):.1f}%"


def value(year: int, indicator: str) -> float | None:
    """The national figure of an indicator ("1"-"4", "9"/"9a"/"9b") in a year, or None."""
    ind = "9" if str(indicator).startswith("9") else str(indicator)
    d = _load()
    hit = d[(d["year"] == int(year)) & (d["indicator"] == ind)]
    if hit.empty or pd.isna(hit["value"].iloc[0]):
        return None
    return float(hit["value"].iloc[0])


def national_display(year: int, indicator: str) -> str:
    """The display string of :func:`value` ("–" when not entered or not applicable)."""
    ind = "9" if str(indicator).startswith("9") else str(indicator)
    if ind not in STATISTIC:
        return "–"
    return display(STATISTIC[ind], value(year, ind))


def source(year: int, indicator: str) -> str:
    """Where the national figure comes from ("not yet entered" when blank)."""
    ind = "9" if str(indicator).startswith("9") else str(indicator)
    d = _load()
    hit = d[(d["year"] == int(year)) & (d["indicator"] == ind)]
    return NOT_ENTERED if hit.empty else str(hit["source"].iloc[0])
