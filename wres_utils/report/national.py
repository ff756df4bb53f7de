"""National WRES figures to compare a unit with (``wres_utils/data/national_wres.csv``).

One row per WRES year x figure: ``year``, ``indicator`` ("1" BME share of the workforce,
"2"-"4" relative likelihoods, "5"-"8" staff survey percentages, "9" BME share of Board
members), ``group`` (BME or White for indicators 5-8, blank otherwise), ``statistic``
(``percent``, ``relative_likelihood``, ``board_percent``), ``measure`` (words), ``value``
(blank when not entered), ``scope`` (which organisations the figure covers: NHS England's
reports cover NHS trusts in England) and ``source`` (the publication, section and quote the
figure was taken from, and its confidence tier, or "not yet entered").

Tiers (docs/methodology.md, "National figures"): P = NHS England's own text or a government
page; S* = an NHS England press release republished word for word; S = a secondary source
(news outlet, union, royal college, think tank) quoting NHS England's report, which the
source column says ("secondary source only"). A figure a trust quotes as "national" is not
entered, nor a figure published only as a whole number (e.g. "21%"), nor any figure
worked out rather than published. A blank figure is shown as ``[x]`` (not available), never guessed.

Indicator 9 is shown, like the local figure, as a difference in percentage points:
the Board share minus the workforce share of the same year (:func:`points`). NHS England
publishes the two shares, not the difference, so the difference is computed here from the
two published (rounded) figures and labelled as such; it covers all Board members, not
voting or executive members separately.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

from wres_utils.core.catalogue import UNAVAILABLE
from wres_utils.core.rounding import format_figure

#: The file in the package.
DATA_FILE = "national_wres.csv"
#: ``source`` of a figure that has not been entered.
NOT_ENTERED = "not yet entered"
COLUMNS: list[str] = [
    "year",
    "indicator",
    "group",
    "statistic",
    "measure",
    "value",
    "scope",
    "source",
]
#: The statistic of each national figure, by indicator.
STATISTIC: dict[str, str] = {
    "1": "percent",
    "2": "relative_likelihood",
    "3": "relative_likelihood",
    "4": "relative_likelihood",
    "5": "percent",
    "6": "percent",
    "7": "percent",
    "8": "percent",
    "9": "board_percent",
}
#: Indicators whose national figures are per group (the default group is BME).
SURVEY: tuple[str, ...] = ("5", "6", "7", "8")
#: How the indicator 9 difference is described wherever it is shown.
POINTS_SOURCE = (
    "difference of NHS England's published Board share and workforce share of the year "
    "(computed here from the two rounded figures; NHS England does not publish it)"
)


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


def _key(indicator: str, group: str | None) -> tuple[str, str]:
    ind = "9" if str(indicator).startswith("9") else str(indicator)
    g = (group or "BME") if ind in SURVEY else ""
    return ind, g


@cache
def _figures() -> dict[tuple[int, str, str], tuple[float, str]]:
    """(year, indicator, group) -> (value, source) of the first row of each in the file: the
    look-up of :func:`value` and :func:`source`, made once (a report asks fifty times)."""
    d = _load()
    out: dict[tuple[int, str, str], tuple[float, str]] = {}
    keys = zip(d["year"].tolist(), d["indicator"].tolist(), d["group"].tolist(), strict=True)
    for key, v, src in zip(keys, d["value"].tolist(), d["source"].tolist(), strict=True):
        out.setdefault(key, (v, str(src)))
    return out


@cache
def _displayed() -> pd.DataFrame:
    """The data file with a ``display`` string per figure, made once (never handed out)."""
    d = _load().copy()
    d["display"] = [display(s, v) for s, v in zip(d["statistic"], d["value"], strict=True)]
    return d


def load_national() -> pd.DataFrame:
    """Every national figure of the data file (a copy), with a ``display`` string."""
    return _displayed().copy()


def national(year: int) -> pd.DataFrame:
    """The national figures of one WRES year (rows of :func:`load_national`)."""
    d = _displayed()
    return d[d["year"] == int(year)].reset_index(drop=True)


def display(statistic: str, value: float | None) -> str:
    """``"1.54"`` for a relative likelihood, ``"24.2%"`` for a percentage, ``"-11.3 pp"``
    for percentage points (rounded by :mod:`wres_utils.core.rounding`), ``[x]`` (not
    available) when blank."""
    if value is None or pd.isna(value):
        return UNAVAILABLE
    stat = "percent" if statistic == "board_percent" else statistic
    return format_figure(stat, float(value))


def value(year: int, indicator: str, group: str | None = None) -> float | None:
    """The national figure of an indicator ("1"-"8", "9") in a year, or None.

    ``group`` (BME or White) picks the group of a staff survey indicator (default BME).
    "9a" and "9b" give the Board share of all members (see :func:`points` for the figure
    comparable with the local indicator 9).
    """
    hit = _figures().get((int(year), *_key(indicator, group)))
    if hit is None or pd.isna(hit[0]):
        return None
    return float(hit[0])


def points(year: int) -> float | None:
    """Indicator 9 nationally: Board share minus workforce share (percentage points).

    None unless both shares of the year are entered. E.g. 2019: 8.4 - 19.7 = -11.3.
    """
    board, workforce = value(year, "9"), value(year, "1")
    if board is None or workforce is None:
        return None
    return board - workforce


def national_display(year: int, indicator: str, group: str | None = None) -> str:
    """The national figure shown beside a unit's headline figure (``[x]`` when not entered).

    Indicators 9a and 9b show :func:`points` (``"-11.3 pp"``), like the local figure.
    """
    ind, _ = _key(indicator, group)
    if ind not in STATISTIC:
        return UNAVAILABLE
    if ind == "9":
        return display("percentage_points", points(year))
    return display(STATISTIC[ind], value(year, ind, group))


def source(year: int, indicator: str, group: str | None = None) -> str:
    """Where the national figure comes from ("not yet entered" when blank)."""
    ind, g = _key(indicator, group)
    if ind == "9" and str(indicator) in ("9a", "9b"):
        if points(year) is None:
            return NOT_ENTERED
        return f"{POINTS_SOURCE}: Board share, {source(year, '9')}; workforce, {source(year, '1')}"
    hit = _figures().get((int(year), ind, g))
    return NOT_ENTERED if hit is None else hit[1]
