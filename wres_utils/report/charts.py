"""Accessible charts of already-disclosed WRES figures (seaborn theme, matplotlib drawing).

Every chart function takes a *disclosed* tidy DataFrame: figures that disclosure control
withheld are absent (``value`` is NaN) and carry ``display == "[c]"`` or
``status == "suppressed"``. Such a figure is drawn as a labelled gap ("[c]"), never as a bar
or a point, even if a ``value`` happens to be present. Figures that are not available for other
reasons (not collected, not calculable) are drawn as a labelled gap "[x]".

Common columns (extra columns are ignored):

- ``value``: the number to draw (percent 0-100 or a relative likelihood), NaN when not shown;
- ``display``: the string shown to readers (e.g. ``"12.3%"``, ``"1.52"``, ``"[c]"``); when
  absent it is formatted from ``value``;
- ``status`` (optional): ``ok``, ``suppressed``, ``not_calculable``, ``not_collected``.

Each function returns a :class:`Chart` (figure, title, alt text, the data table shown beside
it). In a notebook, :func:`show` displays the chart as an embedded PNG whose ``alt`` attribute
carries the alt text, followed by the data table.

Figures are made with :class:`matplotlib.figure.Figure` (not pyplot), so they are never
auto-displayed twice by the notebook backend, and the theme is applied in an
``rc_context`` (no global state is changed unless :func:`apply_theme` is called).
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from wres_utils.core import bands, rounding
from wres_utils.core.catalogue import MARKER
from wres_utils.report import tables

#: The Analysis Function colour-blind-safe categorical palette (dark blue, turquoise,
#: dark pink, orange). Each colour has at least 3:1 contrast against white.
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25")
#: Greys for secondary data (each >= 3:1 against white) and text.
GREYS: tuple[str, ...] = ("#3D3D3D", "#707070")
#: Non-data fill of the 0.80-1.25 band (decorative; always labelled in words).
BAND_FILL = "#E8EDEE"
#: Text colour (NHS dark grey).
TEXT = "#212B32"
#: Hatching patterns, so that colour is never the only cue.
HATCHES: tuple[str, ...] = ("", "///", "...", "xx")
#: Point markers for series, for the same reason.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D")

UNAVAILABLE = "[x]"
FOUR_FIFTHS = (0.80, 1.25)

#: The indicator 1 rows in report order (non-medical bands, then medical and dental).
BAND_ORDER: tuple[str, ...] = tuple(bands.BAND_ROWS)

#: Short names of the relative-likelihood indicators.
RL_NAMES: dict[str, str] = {
    "2": "Indicator 2: appointment from shortlisting (White vs {bme})",
    "3": "Indicator 3: entering the disciplinary process ({bme} vs White)",
    "4": "Indicator 4: non-mandatory training and CPD (White vs {bme})",
}
#: Short names of the staff survey indicators.
SURVEY_NAMES: dict[str, str] = {
    "5": "5: harassment, bullying or abuse from patients or the public",
    "6": "6: harassment, bullying or abuse from staff",
    "7": "7: believe there are equal opportunities for progression",
    "8": "8: discrimination from a manager or colleague",
}
#: Readable names of Board roles (indicator 9).
BOARD_NAMES: dict[str, str] = {
    "voting": "Voting Board members",
    "executive": "Executive Board members",
    "all": "All Board members",
    "workforce": "Overall workforce",
}


@dataclass
class Chart:
    """A chart ready to publish: the figure, its title, alt text and the data shown beside it."""

    figure: Figure
    title: str
    alt_text: str
    data: pd.DataFrame
    #: How many figures are drawn (None: not counted). With 0, :func:`chart_html` prints a
    #: sentence and the table instead of an empty chart.
    plotted: int | None = None


# --------------------------------------------------------------------------- theme


@cache
def _first_font() -> str:
    """The first of Arial, Liberation Sans, Helvetica, DejaVu Sans that is installed."""
    import logging

    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        for name in ("Arial", "Liberation Sans", "Helvetica", "DejaVu Sans"):
            try:
                findfont(FontProperties(family=name), fallback_to_default=False)
                return name
            except ValueError:
                continue
        return "sans-serif"
    finally:
        logger.setLevel(level)


def theme_rc() -> dict[str, object]:
    """The matplotlib rcParams of the project's theme (seaborn 'whitegrid' plus our palette)."""
    import seaborn as sns

    rc: dict[str, object] = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("notebook", font_scale=0.95))
    rc.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [_first_font(), "DejaVu Sans"],
            "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
            "axes.edgecolor": GREYS[1],
            "axes.labelcolor": TEXT,
            "axes.titlesize": 12,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "text.color": TEXT,
            # Names and labels come from params: text, never mathtext ("$...$").
            "text.parse_math": False,
            "xtick.color": TEXT,
            "ytick.color": TEXT,
            "grid.color": "#D8DDE0",
            "hatch.color": "white",
            "hatch.linewidth": 1.2,
            "legend.frameon": False,
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
        }
    )
    return rc


def apply_theme() -> None:
    """Apply the project's theme globally (matplotlib rcParams and the seaborn palette)."""
    import seaborn as sns

    mpl.rcParams.update(theme_rc())
    sns.set_palette(list(PALETTE))


# --------------------------------------------------------------------------- helpers


def _hidden(df: pd.DataFrame) -> pd.Series:
    """True where a figure must not be drawn (suppressed, or no value)."""
    hidden = df["value"].isna() if "value" in df else pd.Series(True, index=df.index)
    if "status" in df:
        hidden = hidden | (df["status"].astype("string").fillna("") != "ok")
    if "display" in df:
        hidden = hidden | (df["display"].astype("string").fillna("").str.strip() == MARKER)
    return hidden.astype(bool)


def _gap_label(row: pd.Series) -> str:
    """The label of a gap: "[c]" for a suppressed figure, "[x]" for one not available."""
    status = str(row.get("status", "") or "")
    display = _str(row.get("display", ""))
    if status == "suppressed" or display.strip() == MARKER:
        return MARKER
    return UNAVAILABLE


def _format(fmt: str, value: float) -> str:
    """``value`` shown as ``fmt`` asks ("{:.1f}%" a percentage, "{:.2f}" a ratio), rounded by
    the project's one formatter (half up, :mod:`wres_utils.core.rounding`)."""
    return rounding.format_percent(value) if fmt.endswith("%") else rounding.format_ratio(value)


def _with_display(df: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """A copy of ``df`` with a ``display`` string for every row (gaps labelled)."""
    out = df.copy()
    hidden = _hidden(out)
    if "display" not in out:
        out["display"] = ""
    out["display"] = out["display"].astype("object")
    for i in out.index:
        if hidden.loc[i]:
            out.loc[i, "display"] = _gap_label(out.loc[i])
        elif not str(out.loc[i, "display"] or "").strip() or pd.isna(out.loc[i, "display"]):
            out.loc[i, "display"] = _format(fmt, float(out.loc[i, "value"]))
    out["_shown"] = ~hidden
    return out


def _gap_note(labels: Sequence[str]) -> str:
    """Words explaining the gap markers that appear in ``labels``."""
    parts = []
    if MARKER in labels:
        parts.append(f"{MARKER} = not shown to protect confidentiality")
    if UNAVAILABLE in labels:
        parts.append(f"{UNAVAILABLE} = not available (not collected or not calculable)")
    return "; ".join(parts)


def _finish(ax: object, labels: Sequence[str]) -> None:
    """Print the note explaining gap markers under the axes ``ax`` (clear of its labels)."""
    note = _gap_note(labels)
    if note:
        ax.annotate(  # type: ignore[attr-defined]
            note,
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -48),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=8.5,
            color=GREYS[0],
        )


def _str(v: object) -> str:
    """A display string; missing values (None, NaN, NA) become ""."""
    try:
        if v is None or bool(pd.isna(v)):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def _band_key(band: str) -> tuple[int, str]:
    try:
        return (BAND_ORDER.index(band), band)
    except ValueError:
        return (len(BAND_ORDER), band)


def _clinical_label(v: str) -> str:
    v = _str(v).strip()
    return {"clinical": "Clinical", "non-clinical": "Non-clinical"}.get(v.lower(), v or "All staff")


def _year_str(v: object) -> str:
    try:
        return str(int(float(v)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)


# --------------------------------------------------------------------------- charts


def bme_share_by_band(df: pd.DataFrame, label_bme: str = "BME", title: str | None = None) -> Chart:
    """Indicator 1: the share of staff in each pay band who are ``label_bme``, as bars.

    ``df`` columns: ``band``, ``value`` (percent 0-100), ``display``; optional ``clinical``
    (clinical / non-clinical: one panel each, also told apart by colour and hatching),
    ``group`` (when present only the BME rows are drawn), ``status``.
    """
    title = title or f"{label_bme} staff as a percentage of each pay band"
    d = df.copy()
    if "group" in d:
        d = d[d["group"].astype("string").isin(["BME", label_bme])]
    if "clinical" not in d:
        d["clinical"] = ""
    d["clinical"] = d["clinical"].map(_clinical_label)
    d["band"] = d["band"].astype("string").fillna("").astype(str)
    d = _with_display(d, "{:.1f}%")
    bands = sorted(d["band"].unique(), key=_band_key)
    series = sorted(d["clinical"].unique(), key=lambda s: (s != "Clinical", s))

    with mpl.rc_context(theme_rc()):
        # One panel per staff group (clinical, non-clinical), sharing the pay-band axis.
        ncols = max(1, len(series))
        fig = Figure(figsize=(8, max(3.0, 0.3 * len(bands) + 1.6)))
        axes = fig.subplots(1, ncols, squeeze=False, sharey=True)[0]
        shown = d.loc[d["_shown"], "value"]
        xmax = max(10.0, float(shown.max()) if len(shown) else 10.0)
        gaps: list[str] = []
        for k, (ax, s) in enumerate(zip(axes, series or [""], strict=True)):
            sd = d[d["clinical"] == s].drop_duplicates("band").set_index("band")
            for y, band in enumerate(bands):
                if band not in sd.index:
                    continue
                row = sd.loc[band]
                if row["_shown"]:
                    v = float(row["value"])
                    ax.barh(y, v, height=0.72, color=PALETTE[k % 4], hatch=HATCHES[k % 4])
                    ax.text(v + xmax * 0.015, y, row["display"], va="center", fontsize=8.5)
                else:
                    gaps.append(row["display"])
                    ax.text(
                        xmax * 0.015,
                        y,
                        row["display"],
                        va="center",
                        fontsize=8.5,
                        color=GREYS[0],
                        style="italic",
                    )
            ax.set_yticks(np.arange(len(bands)), bands)
            if bands:
                ax.set_ylim(len(bands) - 0.5, -0.5)
            ax.set_xlim(0, xmax * 1.22)
            ax.set_xlabel(f"{label_bme}, % of the band")
            ax.set_title(s if len(series) > 1 else "", fontsize=10)
            ax.grid(axis="y", visible=False)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=12)
        fig.tight_layout(rect=(0, 0, 1, 0.96))
        _finish(axes[0], gaps)

    table = _band_table(d, bands, series)
    alt = _band_alt(d, series, label_bme, title, gaps)
    return Chart(fig, title, alt, table, plotted=int(d["_shown"].sum()))


def _band_table(d: pd.DataFrame, bands: list[str], series: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({"Pay band": bands})
    for s in series:
        m = d[d["clinical"] == s].drop_duplicates("band").set_index("band")["display"]
        out[s] = [_str(m.get(b, "")) for b in bands]
    return out


def _band_alt(
    d: pd.DataFrame, series: list[str], label_bme: str, title: str, gaps: list[str]
) -> str:
    parts = [f"Horizontal bar chart: {title}."]
    for s in series:
        sd = d[(d["clinical"] == s) & d["_shown"]]
        name = f"{s} staff" if s != "All staff" else "All staff"
        if sd.empty:
            parts.append(f"{name}: no figures can be shown.")
            continue
        hi = sd.loc[sd["value"].idxmax()]
        lo = sd.loc[sd["value"].idxmin()]
        if len(sd) == 1:
            parts.append(
                f"{name}: {label_bme} share {hi['display']} in {hi['band']}, the only band "
                "that can be shown."
            )
        elif hi["display"] == lo["display"]:
            parts.append(f"{name}: {label_bme} share {hi['display']} in every band shown.")
        else:
            parts.append(
                f"{name}: highest {label_bme} share in {hi['band']} ({hi['display']}), "
                f"lowest in {lo['band']} ({lo['display']})."
            )
    n_c = gaps.count(MARKER)
    if n_c:
        parts.append(f"{n_c} figure(s) not shown to protect confidentiality ([c]).")
    parts.append("Every figure is in the table that follows the chart.")
    return " ".join(parts)


def _wide_rl(df: pd.DataFrame) -> pd.DataFrame:
    """Relative-likelihood rows in wide form: one row per (series, year)."""
    d = df.copy()
    if "indicator" not in d:
        d["indicator"] = ""
    d["indicator"] = d["indicator"].astype("string").fillna("").astype(str)
    if "statistic" in d:
        keys = ["indicator", "year"]
        main = d[d["statistic"] == "relative_likelihood"].drop(columns=["statistic"])
        for stat in ("ci_low", "ci_high"):
            part = d[d["statistic"] == stat].copy()
            part = part.assign(**{stat: part["value"].where(~_hidden(part))})[keys + [stat]]
            main = main.merge(part, on=keys, how="left")
        d = main
    for c in ("ci_low", "ci_high"):
        if c not in d:
            d[c] = np.nan
    return d


def relative_likelihood_chart(
    df_years: pd.DataFrame, title: str | None = None, label_bme: str = "BME"
) -> Chart:
    """Indicators 2-4: relative likelihoods by year, with 95% CIs and the 0.80-1.25 band.

    ``df_years`` columns: ``year``, ``value`` (the relative likelihood), ``display``, and
    ``ci_low``/``ci_high``; or the long indicators-table form with a ``statistic`` column
    (``relative_likelihood``, ``ci_low``, ``ci_high``). Optional ``indicator`` (one series per
    indicator, told apart by marker shape and colour) and ``status``.
    """
    title = title or "Relative likelihoods by year"
    d = _with_display(_wide_rl(df_years), "{:.2f}")
    d["year_s"] = d["year"].map(_year_str)
    years = sorted(d["year_s"].unique())
    inds = sorted(d["indicator"].unique())
    gaps: list[str] = []

    with mpl.rc_context(theme_rc()):
        fig = Figure(figsize=(8, 4.5))
        ax = fig.add_subplot()
        lo, hi = FOUR_FIFTHS
        ax.axhspan(lo, hi, color=BAND_FILL, zorder=0)
        ax.axhline(1.0, color=GREYS[0], linewidth=1.2, linestyle="--", zorder=1)
        xpos = {y: i for i, y in enumerate(years)}
        width = 0.5 / max(1, len(inds))
        ymax = 1.5
        for k, ind in enumerate(inds):
            sd = d[d["indicator"] == ind]
            offset = (k - (len(inds) - 1) / 2) * width
            label = RL_NAMES.get(ind, f"Indicator {ind}" if ind else "Relative likelihood")
            label = label.format(bme=label_bme)
            first = True
            for _, row in sd.iterrows():
                x = xpos[row["year_s"]] + offset
                if not row["_shown"]:
                    gaps.append(row["display"])
                    # At the foot of the axis (axes coordinates), never on the 1.0 line,
                    # where a marker would read as "equal likelihood".
                    ax.text(
                        x,
                        0.03,
                        row["display"],
                        ha="center",
                        va="bottom",
                        fontsize=9,
                        color=GREYS[0],
                        style="italic",
                        transform=ax.get_xaxis_transform(),
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                    )
                    continue
                v = float(row["value"])
                cl, ch = row["ci_low"], row["ci_high"]
                has_ci = pd.notna(cl) and pd.notna(ch)
                yerr = [[v - float(cl)], [float(ch) - v]] if has_ci else None
                ax.errorbar(
                    x,
                    v,
                    yerr=yerr,
                    fmt=MARKERS[k % 4],
                    color=PALETTE[k % 4],
                    markersize=7,
                    capsize=4,
                    elinewidth=1.4,
                    label=label if first else None,
                    zorder=3,
                )
                first = False
                ax.annotate(
                    row["display"],
                    (x, v),
                    xytext=(8, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=9,
                )
                ymax = max(ymax, float(ch) if has_ci else v)
        ax.set_xticks(range(len(years)), years)
        ax.set_xlim(-0.6, len(years) - 0.4)
        ax.set_ylim(0, ymax * 1.1)
        ax.set_xlabel("WRES year")
        ax.set_ylabel("Relative likelihood")
        ax.set_title(title)
        ax.grid(axis="x", visible=False)
        handles, labels = ax.get_legend_handles_labels()
        handles += [
            Patch(facecolor=BAND_FILL, edgecolor=GREYS[1], linewidth=0.5),
            Line2D([], [], color=GREYS[0], linestyle="--"),
        ]
        labels += ["0.80 to 1.25: the non-adverse range", "1: equal likelihood"]
        note = _gap_note(gaps)
        if note:
            handles.append(Line2D([], [], linestyle="none"))
            labels.append(note)
        ax.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(0, -0.14),
            fontsize=8.5,
            handlelength=1.6,
        )

    table = _rl_table(d, inds, label_bme)
    alt = _rl_alt(d, inds, title, label_bme)
    return Chart(fig, title, alt, table, plotted=int(d["_shown"].sum()))


def _ci_text(row: pd.Series) -> str:
    if not row["_shown"] or pd.isna(row["ci_low"]) or pd.isna(row["ci_high"]):
        return ""
    lo, hi = (
        rounding.format_ratio(float(row["ci_low"])),
        rounding.format_ratio(float(row["ci_high"])),
    )
    return f"{lo} to {hi}"


def _rl_table(d: pd.DataFrame, inds: list[str], label_bme: str) -> pd.DataFrame:
    rows = []
    for _, r in d.sort_values(["indicator", "year_s"]).iterrows():
        row = {}
        if len(inds) > 1 or (inds and inds[0]):
            row["Indicator"] = r["indicator"]
        row["Year"] = r["year_s"]
        row["Relative likelihood"] = r["display"]
        row["95% confidence interval"] = _ci_text(r)
        rows.append(row)
    return pd.DataFrame(rows)


def _rl_alt(d: pd.DataFrame, inds: list[str], title: str, label_bme: str) -> str:
    parts = [f"Chart of relative likelihoods by year: {title}."]
    for ind in inds:
        sd = d[d["indicator"] == ind].sort_values("year_s")
        name = RL_NAMES.get(ind, f"Indicator {ind}" if ind else "Relative likelihood")
        vals = []
        for _, r in sd.iterrows():
            ci = _ci_text(r)
            vals.append(f"{r['year_s']} {r['display']}" + (f" (95% CI {ci})" if ci else ""))
        parts.append(f"{name.format(bme=label_bme)}: " + ", ".join(vals) + ".")
    parts.append(
        "A shaded band marks 0.80 to 1.25 (NHS England's non-adverse range for indicator 3; "
        "a four-fifths guide used here for indicators 2 and 4); a dashed line at 1 means equal "
        "likelihood."
    )
    if (d["display"] == MARKER).any():
        parts.append("[c] means not shown to protect confidentiality.")
    return " ".join(parts)


def survey_chart(
    df: pd.DataFrame,
    label_white: str = "White",
    label_bme: str = "BME",
    title: str | None = None,
) -> Chart:
    """Indicators 5-8: White and BME percentages by year, as grouped bars (one panel each).

    ``df`` columns: ``year``, ``indicator`` (5-8), ``group`` (White / BME), ``value``
    (percent 0-100), ``display``; optional ``status``. The two groups differ by colour *and*
    hatching, and every bar carries its value.
    """
    title = title or "Staff survey: indicators 5 to 8"
    d = df.copy()
    d["indicator"] = d["indicator"].astype("string").fillna("").astype(str)
    d["group"] = d["group"].astype("string").fillna("").astype(str)
    d = d[d["group"].isin(["White", "BME", label_white, label_bme])]
    d["group"] = d["group"].replace({label_white: "White", label_bme: "BME"})
    d = _with_display(d, "{:.1f}%")
    d["year_s"] = d["year"].map(_year_str)
    inds = sorted(d["indicator"].unique())
    years = sorted(d["year_s"].unique())
    groups = [("White", label_white), ("BME", label_bme)]
    gaps: list[str] = []

    with mpl.rc_context(theme_rc()):
        ncols = 1 if len(inds) == 1 else 2
        nrows = int(np.ceil(len(inds) / ncols)) or 1
        fig = Figure(figsize=(8 if ncols == 2 else 6, 3.3 * nrows + 0.6))
        axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
        width = 0.38
        for i, ax in enumerate(axes.flat):
            if i >= len(inds):
                ax.set_visible(False)
                continue
            ind = inds[i]
            sd = d[d["indicator"] == ind]
            for k, (code, label) in enumerate(groups):
                gd = sd[sd["group"] == code].drop_duplicates("year_s").set_index("year_s")
                for j, y in enumerate(years):
                    x = j + (k - 0.5) * width
                    if y not in gd.index:
                        continue
                    row = gd.loc[y]
                    if row["_shown"]:
                        v = float(row["value"])
                        ax.bar(
                            x,
                            v,
                            width=width * 0.95,
                            color=PALETTE[k],
                            hatch=HATCHES[k],
                            label=label,
                        )
                        ax.text(
                            x,
                            v + 1.5,
                            row["display"],
                            ha="center",
                            va="bottom",
                            fontsize=7.5,
                            rotation=90 if len(years) > 3 else 0,
                        )
                    else:
                        gaps.append(row["display"])
                        ax.text(
                            x,
                            1.5,
                            row["display"],
                            ha="center",
                            va="bottom",
                            fontsize=8,
                            color=GREYS[0],
                            style="italic",
                        )
            ax.set_xticks(range(len(years)), years)
            ax.set_ylim(0, 112)
            name = SURVEY_NAMES.get(ind, f"Indicator {ind}")
            ax.set_title(textwrap.fill(name, 40 if ncols == 2 else 60), fontsize=9.5, loc="left")
            ax.grid(axis="x", visible=False)
            if i % ncols == 0:
                ax.set_ylabel("% of respondents")
        # Both groups in the legend, whichever panel or group has bars drawn.
        handles = [
            Patch(facecolor=PALETTE[k], hatch=HATCHES[k], edgecolor=GREYS[0], linewidth=0.5)
            for k in range(len(groups))
        ]
        fig.legend(handles, [lab for _, lab in groups], loc="upper right", ncols=2, fontsize=9)
        fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=12)
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        _finish(axes[-1, 0], gaps)

    table = _survey_table(d, groups)
    alt = _survey_alt(d, inds, groups, title)
    return Chart(fig, title, alt, table, plotted=int(d["_shown"].sum()))


def _survey_table(d: pd.DataFrame, groups: list[tuple[str, str]]) -> pd.DataFrame:
    rows = []
    for (ind, y), sd in d.groupby(["indicator", "year_s"], sort=True):
        row = {"Indicator": str(ind), "Year": str(y)}
        for code, label in groups:
            m = sd[sd["group"] == code]["display"]
            row[label] = _str(m.iloc[0]) if len(m) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def _survey_alt(d: pd.DataFrame, inds: list[str], groups: list[tuple[str, str]], title: str) -> str:
    parts = [f"Grouped bar chart: {title}, {groups[0][1]} and {groups[1][1]} staff by year."]
    for ind in inds:
        sd = d[d["indicator"] == ind]
        latest = max(sd["year_s"])
        vals = []
        for code, label in groups:
            m = sd[(sd["group"] == code) & (sd["year_s"] == latest)]["display"]
            vals.append(f"{label} {_str(m.iloc[0]) if len(m) else 'not available'}")
        parts.append(f"Indicator {SURVEY_NAMES.get(ind, ind)}, {latest}: " + ", ".join(vals) + ".")
    if (d["display"] == MARKER).any():
        parts.append("[c] means not shown to protect confidentiality.")
    parts.append("Every year's figures are in the table that follows the chart.")
    return " ".join(parts)


def board_chart(df: pd.DataFrame, label_bme: str = "BME", title: str | None = None) -> Chart:
    """Indicator 9: the ``label_bme`` share of the Board (by role) against the whole workforce.

    ``df`` columns: ``role`` (``voting``, ``executive``, ``all``, ``workforce`` or any readable
    label), ``value`` (percent 0-100), ``display``; optional ``status``. The workforce bar is
    grey and hatched, and a dotted line marks the workforce share across the chart.
    """
    title = title or f"{label_bme} share of the Board and of the workforce"
    d = df.copy()
    d["role"] = d["role"].astype("string").fillna("").astype(str)
    d["label"] = d["role"].map(lambda r: BOARD_NAMES.get(r.lower(), r))
    d = _with_display(d, "{:.1f}%")
    gaps: list[str] = []
    with mpl.rc_context(theme_rc()):
        fig = Figure(figsize=(8, 0.6 * len(d) + 1.6))
        ax = fig.add_subplot()
        xmax = max(10.0, float(d.loc[d["_shown"], "value"].max()) if d["_shown"].any() else 10.0)
        wf_value = None
        for i, (_, row) in enumerate(d.iterrows()):
            is_wf = row["role"].lower() == "workforce"
            if row["_shown"]:
                v = float(row["value"])
                ax.barh(
                    i,
                    v,
                    height=0.6,
                    color=GREYS[1] if is_wf else PALETTE[0],
                    hatch="///" if is_wf else "",
                )
                ax.text(v + xmax * 0.01, i, row["display"], va="center", fontsize=9)
                if is_wf:
                    wf_value = v
            else:
                gaps.append(row["display"])
                ax.text(
                    xmax * 0.01,
                    i,
                    row["display"],
                    va="center",
                    fontsize=9,
                    color=GREYS[0],
                    style="italic",
                )
        if wf_value is not None:
            ax.axvline(wf_value, color=GREYS[0], linestyle=":", linewidth=1.3)
        ax.set_yticks(range(len(d)), list(d["label"]))
        ax.invert_yaxis()
        ax.set_xlim(0, xmax * 1.2)
        ax.set_xlabel(f"{label_bme}, % of the group")
        ax.set_title(title)
        ax.grid(axis="y", visible=False)
        _finish(ax, gaps)
    table = pd.DataFrame({"Group": list(d["label"]), f"{label_bme} %": list(d["display"])})
    vals = ", ".join(f"{lab} {disp}" for lab, disp in zip(d["label"], d["display"], strict=True))
    alt = f"Horizontal bar chart: {title}. {vals}."
    if MARKER in gaps:
        alt += " [c] means not shown to protect confidentiality."
    return Chart(fig, title, alt, table, plotted=int(d["_shown"].sum()))


# --------------------------------------------------------------------------- output


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (150 dpi, tight bounding box, no timestamps in the file)."""
    buf = io.BytesIO()
    with mpl.rc_context(theme_rc()):
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def chart_html(chart: Chart, note: str | None = None) -> str:
    """The chart as self-contained HTML: ``<figure>`` with an embedded PNG, alt text and a
    caption, followed by the accessible data table."""
    if chart.plotted == 0:  # an empty chart says nothing: a sentence, then the table
        table = tables.html_table(
            chart.data, caption=f"Data for the chart: {chart.title}", note=note
        )
        text = (
            f"No chart of {chart.title[:1].lower() + chart.title[1:]}: none of its figures can "
            "be shown (withheld, [c], or not available), so it is not drawn. The table lists them."
        )
        para = f'<p class="wres-no-chart">{html.escape(text)}</p>'
        return f'<div class="wres-chart">{para}{table}</div>'
    b64 = base64.b64encode(figure_png(chart.figure)).decode("ascii")
    img = f'<img src="data:image/png;base64,{b64}" alt="{html.escape(chart.alt_text, quote=True)}">'
    caption = f"<figcaption>{html.escape(chart.title)}</figcaption>"
    table = tables.html_table(chart.data, caption=f"Data for the chart: {chart.title}", note=note)
    return f'<div class="wres-chart"><figure>{img}{caption}</figure>{table}</div>'


def show(chart: Chart, note: str | None = None) -> None:
    """Display a chart in a notebook (embedded PNG with alt text, then its data table).

    The figure is closed afterwards so that it is not displayed a second time.
    """
    from IPython.display import HTML, display

    try:
        display(HTML(chart_html(chart, note=note)))
    finally:
        close(chart)


def close(chart: Chart) -> None:
    """Release a chart's figure (also removes it from pyplot, if it was registered there)."""
    import matplotlib.pyplot as plt

    plt.close(chart.figure)
