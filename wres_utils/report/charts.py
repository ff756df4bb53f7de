"""Accessible charts of already-disclosed WRES figures, written as SVG by the package.

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

Each function returns a :class:`Chart` (the SVG, title, alt text, the data table shown beside
it). :func:`chart_html` embeds the SVG as ``<img src="data:image/svg+xml;base64,...">`` whose
``alt`` attribute carries the alt text, followed by the data table; in a notebook,
:func:`show` displays that HTML. The same image is in the HTML page and in the PDF.

The SVG is written by hand (:mod:`wres_utils.report.svg`: no plotting library, a few
milliseconds a chart, byte-identical output for the same input). Colour is never the only
cue: series differ by hatching (SVG patterns) or marker shape too, and every series is named
in a legend, a panel heading or an axis label; values are printed beside their bars and
points. Every string from the data or the params is XML-escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from wres_utils.core import bands, rounding
from wres_utils.core.catalogue import MARKER, SYMBOL_MEANINGS, UNAVAILABLE
from wres_utils.report import tables
from wres_utils.report.svg import Svg, data_uri, nice_ticks, text_width, tick_label, wrap

#: The Analysis Function colour-blind-safe categorical palette (dark blue, turquoise,
#: dark pink, orange). Each colour has at least 3:1 contrast against white.
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25")
#: Greys for secondary data (each >= 3:1 against white) and text.
GREYS: tuple[str, ...] = ("#3D3D3D", "#707070")
#: Non-data fill of the 0.80-1.25 band (decorative; always labelled in words).
BAND_FILL = "#E8EDEE"
#: Text colour (NHS dark grey).
TEXT = "#212B32"
#: Grid lines (decorative).
GRID = "#D8DDE0"
#: Hatching patterns, so that colour is never the only cue.
HATCHES: tuple[str, ...] = ("", "///", "...", "xx")
#: Point markers for series, for the same reason (circle, square, triangle, diamond).
MARKERS: tuple[str, ...] = ("o", "s", "^", "D")

#: What [c] means, in the catalogue's words (alt texts).
C_MEANS = f"{MARKER} means {SYMBOL_MEANINGS[MARKER]}."
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

#: Layout, in SVG user units (CSS pixels at natural size): the charts' width, outer margin,
#: and font sizes of the title, axis and category labels, and value labels and notes.
WIDTH = 700
PAD = 12
TITLE_SIZE = 16
LABEL_SIZE = 13
SMALL_SIZE = 12


@dataclass
class Chart:
    """A chart ready to publish: its SVG, title, alt text and the data shown beside it."""

    svg: str
    title: str
    alt_text: str
    data: pd.DataFrame
    #: How many figures are drawn (None: not counted). With 0, :func:`chart_html` prints a
    #: sentence and the table instead of an empty chart.
    plotted: int | None = None


# --------------------------------------------------------------------------- helpers
#
# The figures are read into plain records (one dict per row) and everything after that is
# plain Python: a chart has tens of rows, and per-row pandas indexing cost far more than the
# drawing.

Row = dict[str, object]


def _str(v: object) -> str:
    """A display string; missing values (None, NaN, NA) become ""."""
    try:
        if v is None or bool(pd.isna(v)):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def _float(v: object) -> float:
    """``v`` as a float; NaN when missing, not a number or infinite (nothing to draw)."""
    try:
        f = float("nan") if v is None or bool(pd.isna(v)) else float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")
    return f if math.isfinite(f) else float("nan")


def _isnan(v: object) -> bool:
    return v != v or v is None  # noqa: PLR0124 - NaN is the one value not equal to itself


def _hidden(row: Row) -> bool:
    """True where a figure must not be drawn (suppressed, or no value)."""
    return (
        _isnan(_float(row.get("value")))
        or ("status" in row and _str(row["status"]) != "ok")
        or _str(row.get("display")).strip() == MARKER
    )


def _gap_label(row: Row) -> str:
    """The label of a gap: "[c]" for a suppressed figure, "[x]" for one not available."""
    if _str(row.get("status")) == "suppressed" or _str(row.get("display")).strip() == MARKER:
        return MARKER
    return UNAVAILABLE


def _format(fmt: str, value: float) -> str:
    """``value`` shown as ``fmt`` asks ("{:.1f}%" a percentage, "{:.2f}" a ratio), rounded by
    the project's one formatter (half up, :mod:`wres_utils.core.rounding`)."""
    return rounding.format_percent(value) if fmt.endswith("%") else rounding.format_ratio(value)


def _records(df: pd.DataFrame) -> list[Row]:
    """The rows of ``df`` as dicts (every column a key)."""
    return df.to_dict("records")  # type: ignore[return-value]


def _with_display(rows: list[Row], fmt: str) -> list[Row]:
    """``rows`` with a ``display`` string each (gaps labelled) and ``_shown`` (to be drawn)."""
    for r in rows:
        hidden = _hidden(r)
        if hidden:
            r["display"] = _gap_label(r)
        elif not _str(r.get("display")).strip():
            r["display"] = _format(fmt, _float(r["value"]))
        else:
            r["display"] = _str(r["display"])
        r["_shown"] = not hidden
        r["value"] = _float(r.get("value"))
    return rows


def _first_by(rows: list[Row], key: str) -> dict[str, Row]:
    """The first row of each ``key`` value (the others are ignored, as duplicates)."""
    out: dict[str, Row] = {}
    for r in rows:
        out.setdefault(str(r[key]), r)
    return out


def _gap_note(labels: Sequence[str]) -> str:
    """Words explaining the gap markers that appear in ``labels``."""
    parts = []
    if MARKER in labels:
        parts.append(f"{MARKER} = {SYMBOL_MEANINGS[MARKER]}")
    if UNAVAILABLE in labels:
        parts.append(
            f"{UNAVAILABLE} = {SYMBOL_MEANINGS[UNAVAILABLE]} (not collected or not calculable)"
        )
    return "; ".join(parts)


def _band_key(band: str) -> tuple[int, str]:
    try:
        return (BAND_ORDER.index(band), band)
    except ValueError:
        return (len(BAND_ORDER), band)


def _clinical_label(v: object) -> str:
    s = _str(v).strip()
    return {"clinical": "Clinical", "non-clinical": "Non-clinical"}.get(s.lower(), s or "All staff")


def _year_str(v: object) -> str:
    try:
        return str(int(float(v)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)


# --------------------------------------------------------------------------- drawing


def start(title: str, width: float = WIDTH) -> tuple[Svg, float]:
    """A new chart with its title (bold, wrapped) at the top; returns it and the y below."""
    svg = Svg(width, 0, title)
    y = svg.lines(PAD, PAD + TITLE_SIZE, wrap(title, TITLE_SIZE, width - 2 * PAD),
                  size=TITLE_SIZE, bold=True, fill=TEXT)  # fmt: skip
    return svg, y + 4


def note_lines(svg: Svg, y: float, text: str) -> float:
    """A note in small grey type at the foot of the chart; returns the y below it."""
    if not text:
        return y
    lines = wrap(text, SMALL_SIZE, svg.width - 2 * PAD)
    return svg.lines(PAD, y + SMALL_SIZE, lines, size=SMALL_SIZE, fill=GREYS[0], cls="note")


def finish(svg: Svg, y: float) -> str:
    """The SVG, its height set to ``y`` plus the margin."""
    svg.height = y + PAD
    return svg.render()


def row_label(svg: Svg, x: float, cy: float, label: str, width: float) -> None:
    """A category label right-aligned at ``x``, wrapped to ``width``, centred on ``cy``."""
    lines = wrap(label, LABEL_SIZE, width)
    lead = LABEL_SIZE * 1.15
    y0 = cy + LABEL_SIZE * 0.35 - (len(lines) - 1) * lead / 2
    for i, ln in enumerate(lines):
        svg.text(x, y0 + i * lead, ln, size=LABEL_SIZE, anchor="end", fill=TEXT)


def label_width(labels: Sequence[str], most: float = 200) -> float:
    """Room for category labels: the widest (estimated), at most ``most`` (then wrapped)."""
    return min(most, max([text_width(s, LABEL_SIZE) for s in labels] or [30.0]))


def row_height(labels: Sequence[str], width: float, least: float) -> float:
    """The height of a row of bars: ``least``, or more for labels wrapped onto several lines."""
    lines = max([len(wrap(s, LABEL_SIZE, width)) for s in labels] or [1])
    return max(least, lines * LABEL_SIZE * 1.15 + 8)


def x_axis(
    svg: Svg, x0: float, x1: float, top: float, bottom: float, vmax: float, label: str
) -> float:
    """A value axis along the bottom of a panel of horizontal bars (0 to ``vmax``): vertical
    grid lines, tick labels and the axis label, wrapped. Returns the y below it."""
    for t in nice_ticks(vmax * 0.95):
        if t > vmax:
            break
        x = x0 + (x1 - x0) * t / vmax
        svg.line(x, top, x, bottom, GRID, 1)
        svg.text(x, bottom + 16, tick_label(t), size=SMALL_SIZE, anchor="middle", fill=TEXT)
    svg.line(x0, bottom, x1, bottom, GREYS[1], 1)
    lines = wrap(label, LABEL_SIZE, x1 - x0)
    return svg.lines((x0 + x1) / 2, bottom + 36, lines, size=LABEL_SIZE, anchor="middle",
                     fill=TEXT)  # fmt: skip


def swatch(svg: Svg, x: float, y: float, fill: str, label: str, bold: bool = False) -> float:
    """A legend entry: a 14-unit square of ``fill`` and its label, the square's top at ``y``;
    returns the x after it."""
    svg.rect(x, y, 14, 14, fill, stroke=GREYS[0], cls="legend-key")
    svg.text(x + 20, y + 11.5, label, size=LABEL_SIZE, fill=TEXT, bold=bold, cls="legend")
    return x + 20 + text_width(label, LABEL_SIZE) + 18


def value_label(
    svg: Svg, x: float, y: float, text: str, size: float = SMALL_SIZE, anchor: str = "start"
) -> None:
    """A figure's value beside its point, on a white ground: it may lie across the shaded
    band or a reference line and stays readable."""
    w = text_width(text, size) * 0.9
    left = x if anchor == "start" else x - w / 2 if anchor == "middle" else x - w
    svg.rect(left - 1, y - size * 0.85, w + 2, size * 1.1, "#FFFFFF")
    svg.text(x, y, text, size=size, anchor=anchor, fill=TEXT, cls="value")


def gap_text(
    svg: Svg, x: float, y: float, label: str, anchor: str = "start", size: float = SMALL_SIZE
) -> None:
    """A labelled gap ("[c]" or "[x]"): italic dark grey text where the figure would be."""
    svg.text(x, y, label, size=size, anchor=anchor, fill=GREYS[0], italic=True, cls="gap")


# --------------------------------------------------------------------------- charts


def bme_share_by_band(df: pd.DataFrame, label_bme: str = "BME", title: str | None = None) -> Chart:
    """Indicator 1: the share of staff in each pay band who are ``label_bme``, as bars.

    ``df`` columns: ``band``, ``value`` (percent 0-100), ``display``; optional ``clinical``
    (clinical / non-clinical: one panel each, also told apart by colour and hatching, each
    panel headed by its key and name), ``group`` (when present only the BME rows are drawn),
    ``status``.
    """
    title = title or f"{label_bme} staff as a percentage of each pay band"
    d = _records(df)
    if "group" in df.columns:
        d = [r for r in d if _str(r["group"]) in ("BME", label_bme)]
    for r in d:
        r["clinical"] = _clinical_label(r.get("clinical"))
        r["band"] = _str(r.get("band"))
    d = _with_display(d, "{:.1f}%")
    bands = sorted({str(r["band"]) for r in d}, key=_band_key)
    series = sorted({str(r["clinical"]) for r in d}, key=lambda s: (s != "Clinical", s))
    by_series = {s: [r for r in d if r["clinical"] == s] for s in series}

    svg, y = start(title)
    shown = [float(r["value"]) for r in d if r["_shown"]]  # type: ignore[arg-type]
    xmax = max(10.0, max(shown, default=10.0))
    vmax = xmax * 1.22  # room for the value labels after the longest bar
    labels_w = label_width(bands, 170)
    left, gap = PAD + labels_w + 8, 28
    n = max(1, len(series))
    panel_w = (WIDTH - PAD - left - gap * (n - 1)) / n
    row = row_height(bands, labels_w, 24)
    top = y + 30
    bottom = top + row * len(bands)
    gaps: list[str] = []
    below = bottom
    for k, s in enumerate(series or ["All staff"]):
        x0 = left + k * (panel_w + gap)
        fill = svg.fill(PALETTE[k % 4], HATCHES[k % 4])
        swatch(svg, x0, y + 6, fill, s, bold=True)  # the panel's key and name
        below = x_axis(svg, x0, x0 + panel_w, top, bottom, vmax, f"{label_bme}, % of the band")
        sd = _first_by(by_series.get(s, []), "band")
        for i, band in enumerate(bands):
            if band not in sd:
                continue
            r = sd[band]
            cy = top + row * (i + 0.5)
            disp = str(r["display"])
            if r["_shown"]:
                w = panel_w * float(r["value"]) / vmax  # type: ignore[arg-type]
                if w > 0:  # a 0% bar is its label alone
                    svg.rect(x0, cy - 8.5, w, 17, fill, cls="bar", tip=f"{s}, {band}: {disp}")
                svg.text(x0 + w + 4, cy + 4.2, disp, size=SMALL_SIZE, fill=TEXT, cls="value")
            else:
                gaps.append(disp)
                gap_text(svg, x0 + 4, cy + 4.2, disp)
    for i, band in enumerate(bands):
        row_label(svg, left - 8, top + row * (i + 0.5), band, labels_w)
    svg_text = finish(svg, note_lines(svg, below + 4, _gap_note(gaps)))

    table = _band_table(by_series, bands, series)
    alt = _band_alt(by_series, series, label_bme, title, gaps)
    return Chart(svg_text, title, alt, table, plotted=sum(bool(r["_shown"]) for r in d))


def _band_table(
    by_series: dict[str, list[Row]], bands: list[str], series: list[str]
) -> pd.DataFrame:
    out: dict[str, list[str]] = {"Pay band": list(bands)}
    for s in series:
        m = _first_by(by_series[s], "band")
        out[s] = [str(m[b]["display"]) if b in m else "" for b in bands]
    return pd.DataFrame(out)


def _band_alt(
    by_series: dict[str, list[Row]], series: list[str], label_bme: str, title: str, gaps: list[str]
) -> str:
    parts = [f"Horizontal bar chart: {title}."]
    for s in series:
        sd = [r for r in by_series[s] if r["_shown"]]
        name = f"{s} staff" if s != "All staff" else "All staff"
        if not sd:
            parts.append(f"{name}: no figures can be shown.")
            continue
        hi = max(sd, key=lambda r: r["value"])  # type: ignore[arg-type, return-value]
        lo = min(sd, key=lambda r: r["value"])  # type: ignore[arg-type, return-value]
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
        parts.append(f"{n_c} figure(s) {SYMBOL_MEANINGS[MARKER]} ({MARKER}).")
    parts.append("Every figure is in the table that follows the chart.")
    return " ".join(parts)


def _wide_rl(df: pd.DataFrame) -> list[Row]:
    """Relative-likelihood rows in wide form: one row per (series, year), with ``ci_low`` and
    ``ci_high`` (NaN when not given or withheld)."""
    rows = _records(df)
    for r in rows:
        r["indicator"] = _str(r.get("indicator"))
    if "statistic" in df.columns:
        ci: dict[tuple[str, object, str], float] = {}
        for r in rows:
            stat = r["statistic"]
            if stat in ("ci_low", "ci_high"):
                key = (str(r["indicator"]), r.get("year"), str(stat))
                ci.setdefault(key, float("nan") if _hidden(r) else _float(r["value"]))
        main = [r for r in rows if r["statistic"] == "relative_likelihood"]
        for r in main:
            del r["statistic"]
            for stat in ("ci_low", "ci_high"):
                r[stat] = ci.get((str(r["indicator"]), r.get("year"), stat), float("nan"))
        rows = main
    for r in rows:
        for c in ("ci_low", "ci_high"):
            r[c] = _float(r.get(c))
    return rows


def relative_likelihood_chart(
    df_years: pd.DataFrame, title: str | None = None, label_bme: str = "BME"
) -> Chart:
    """Indicators 2-4: relative likelihoods by year, with 95% CIs and the 0.80-1.25 band.

    ``df_years`` columns: ``year``, ``value`` (the relative likelihood), ``display``, and
    ``ci_low``/``ci_high``; or the long indicators-table form with a ``statistic`` column
    (``relative_likelihood``, ``ci_low``, ``ci_high``). Optional ``indicator`` (one series per
    indicator, told apart by marker shape and colour) and ``status``. A withheld figure is a
    label at the foot of the axis, never a point and never on the line at 1.
    """
    title = title or "Relative likelihoods by year"
    d = _with_display(_wide_rl(df_years), "{:.2f}")
    for r in d:
        r["year_s"] = _year_str(r.get("year"))
    years = sorted({str(r["year_s"]) for r in d})
    inds = sorted({str(r["indicator"]) for r in d})
    gaps: list[str] = []

    ymax = 1.5
    for r in d:
        if r["_shown"]:
            high = max(r["ci_high"], r["value"]) if _has_ci(r) else r["value"]  # type: ignore[type-var]
            ymax = max(ymax, high)  # type: ignore[type-var]
    vmax = ymax * 1.1
    svg, y = start(title)
    left, right = PAD + 52, WIDTH - PAD - 8
    top, bottom = y + 12, y + 12 + 270

    def ypos(v: float) -> float:
        return bottom - (bottom - top) * v / vmax

    lo, hi = FOUR_FIFTHS
    svg.rect(left, ypos(hi), right - left, ypos(lo) - ypos(hi), BAND_FILL, cls="band")
    for t in nice_ticks(vmax * 0.95):
        if t > vmax:
            break
        svg.line(left, ypos(t), right, ypos(t), GRID, 1)
        svg.text(left - 6, ypos(t) + 4.2, tick_label(t), size=SMALL_SIZE, anchor="end", fill=TEXT)
    svg.line(left, ypos(1.0), right, ypos(1.0), GREYS[0], 1.4, dash="6 4", cls="ref-line")
    svg.line(left, bottom, right, bottom, GREYS[1], 1)
    svg.text(PAD + 12, (top + bottom) / 2, "Relative likelihood", size=LABEL_SIZE,
             anchor="middle", fill=TEXT, rotate=True)  # fmt: skip
    cw = (right - left) / max(1, len(years))
    for j, yr in enumerate(years):
        svg.text(left + cw * (j + 0.5), bottom + 18, yr, size=LABEL_SIZE, anchor="middle",
                 fill=TEXT)  # fmt: skip
    svg.text((left + right) / 2, bottom + 40, "WRES year", size=LABEL_SIZE, anchor="middle",
             fill=TEXT)  # fmt: skip
    # Withheld figures go at the foot of the axis, clear of the line at 1 and of the band
    # (a label there would read as "equal likelihood"); at the top if the foot is too close.
    foot = bottom - 8
    if foot - SMALL_SIZE < ypos(lo) + 4 and foot > ypos(hi) - 4 or abs(foot - ypos(1.0)) < 18:
        foot = top + SMALL_SIZE + 4
    width = min(0.25, 0.8 / max(1, len(inds)))  # series side by side, room for the labels
    legend: list[tuple[str, str]] = []
    for k, ind in enumerate(inds):
        sd = [r for r in d if r["indicator"] == ind]
        offset = (k - (len(inds) - 1) / 2) * width
        label = RL_NAMES.get(ind, f"Indicator {ind}" if ind else "Relative likelihood")
        legend.append((MARKERS[k % 4], label.format(bme=label_bme)))
        for r in sd:
            x = left + cw * (years.index(str(r["year_s"])) + 0.5 + offset)
            disp = str(r["display"])
            if not r["_shown"]:
                gaps.append(disp)
                gap_text(svg, x, foot, disp, anchor="middle")
                continue
            v = float(r["value"])  # type: ignore[arg-type]
            if _has_ci(r):
                y0, y1 = ypos(float(r["ci_low"])), ypos(float(r["ci_high"]))  # type: ignore[arg-type]
                svg.line(x, y0, x, y1, PALETTE[k % 4], 1.6, cls="ci")
                svg.line(x - 5, y0, x + 5, y0, PALETTE[k % 4], 1.6)
                svg.line(x - 5, y1, x + 5, y1, PALETTE[k % 4], 1.6)
            svg.marker(MARKERS[k % 4], x, ypos(v), 10, PALETTE[k % 4], cls="point")
            value_label(svg, x + 9, ypos(v) + 4.2, disp)

    # The legend: every series by its marker, the band and the line in words, the gaps.
    y = bottom + 52
    for k, (shape, label) in enumerate(legend):
        svg.marker(shape, PAD + 8, y + 7, 10, PALETTE[k % 4])
        svg.text(PAD + 22, y + 11.5, label, size=LABEL_SIZE, fill=TEXT, cls="legend")
        y += 20
    svg.rect(PAD + 1, y, 14, 14, BAND_FILL, stroke=GREYS[1], cls="legend-key")
    svg.text(PAD + 22, y + 11.5, "0.80 to 1.25: the non-adverse range", size=LABEL_SIZE,
             fill=TEXT, cls="legend")  # fmt: skip
    y += 20
    svg.line(PAD, y + 7, PAD + 16, y + 7, GREYS[0], 1.4, dash="6 4")
    svg.text(PAD + 22, y + 11.5, "1: equal likelihood", size=LABEL_SIZE, fill=TEXT, cls="legend")
    svg_text = finish(svg, note_lines(svg, y + 20, _gap_note(gaps)))

    table = _rl_table(d, inds, label_bme)
    alt = _rl_alt(d, inds, title, label_bme)
    return Chart(svg_text, title, alt, table, plotted=sum(bool(r["_shown"]) for r in d))


def _has_ci(row: Row) -> bool:
    return not (_isnan(row["ci_low"]) or _isnan(row["ci_high"]))


def _ci_text(row: Row) -> str:
    if not row["_shown"] or not _has_ci(row):
        return ""
    lo = rounding.format_ratio(float(row["ci_low"]))  # type: ignore[arg-type]
    hi = rounding.format_ratio(float(row["ci_high"]))  # type: ignore[arg-type]
    return f"{lo} to {hi}"


def _rl_table(d: list[Row], inds: list[str], label_bme: str) -> pd.DataFrame:
    rows = []
    for r in sorted(d, key=lambda r: (r["indicator"], r["year_s"])):  # type: ignore[arg-type, return-value]
        row = {}
        if len(inds) > 1 or (inds and inds[0]):
            row["Indicator"] = r["indicator"]
        row["Year"] = r["year_s"]
        row["Relative likelihood"] = r["display"]
        row["95% confidence interval"] = _ci_text(r)
        rows.append(row)
    return pd.DataFrame(rows)


def _rl_alt(d: list[Row], inds: list[str], title: str, label_bme: str) -> str:
    parts = [f"Chart of relative likelihoods by year: {title}."]
    for ind in inds:
        sd = sorted((r for r in d if r["indicator"] == ind), key=lambda r: str(r["year_s"]))
        name = RL_NAMES.get(ind, f"Indicator {ind}" if ind else "Relative likelihood")
        vals = []
        for r in sd:
            ci = _ci_text(r)
            vals.append(f"{r['year_s']} {r['display']}" + (f" (95% CI {ci})" if ci else ""))
        parts.append(f"{name.format(bme=label_bme)}: " + ", ".join(vals) + ".")
    parts.append(
        "A shaded band marks 0.80 to 1.25 (NHS England's non-adverse range for indicator 3; "
        "a four-fifths guide used here for indicators 2 and 4); a dashed line at 1 means equal "
        "likelihood."
    )
    if any(r["display"] == MARKER for r in d):
        parts.append(C_MEANS)
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
    hatching, the legend names both, and every bar carries its value.
    """
    title = title or "Staff survey: indicators 5 to 8"
    codes = {"White": "White", "BME": "BME", label_white: "White", label_bme: "BME"}
    d = [r for r in _records(df) if _str(r.get("group")) in codes]
    for r in d:
        r["indicator"] = _str(r.get("indicator"))
        r["group"] = codes[_str(r["group"])]
        r["year_s"] = _year_str(r.get("year"))
    d = _with_display(d, "{:.1f}%")
    inds = sorted({str(r["indicator"]) for r in d})
    years = sorted({str(r["year_s"]) for r in d})
    groups = [("White", label_white), ("BME", label_bme)]
    gaps: list[str] = []

    svg, y = start(title)
    # Both groups in the legend, whichever panel or group has bars drawn.
    fills = [svg.fill(PALETTE[k], HATCHES[k]) for k in range(len(groups))]
    x = PAD
    for k, (_, label) in enumerate(groups):
        x = swatch(svg, x, y + 4, fills[k], label)
    y += 30
    ncols = 1 if len(inds) <= 1 else 2
    left0, gap = PAD + 44, 28
    panel_w = (WIDTH - PAD - left0 - gap * (ncols - 1)) / ncols
    vmax, height = 112.0, 170
    rotate = len(years) > 3
    for start_i in range(0, max(1, len(inds)), ncols):
        row_inds = inds[start_i : start_i + ncols]
        heads = [wrap(SURVEY_NAMES.get(i, f"Indicator {i}"), LABEL_SIZE, panel_w) for i in row_inds]
        top = y + LABEL_SIZE * 1.25 * max([len(h) for h in heads] or [0]) + 10
        bottom = top + height
        for c, ind in enumerate(row_inds):
            x0 = left0 + c * (panel_w + gap)
            x1 = x0 + panel_w
            svg.lines(x0, y + LABEL_SIZE, heads[c], size=LABEL_SIZE, fill=TEXT, bold=True)
            for t in (0, 20, 40, 60, 80, 100):
                yt = bottom - height * t / vmax
                svg.line(x0, yt, x1, yt, GRID, 1)
                svg.text(x0 - 5, yt + 4.2, str(t), size=SMALL_SIZE, anchor="end", fill=TEXT)
            svg.line(x0, bottom, x1, bottom, GREYS[1], 1)
            if c == 0:
                svg.text(PAD + 10, (top + bottom) / 2, "% of respondents", size=SMALL_SIZE,
                         anchor="middle", fill=TEXT, rotate=True)  # fmt: skip
            cw = panel_w / max(1, len(years))
            bw = cw * 0.38 * 0.95
            sd = [r for r in d if r["indicator"] == ind]
            for j, yr in enumerate(years):
                svg.text(x0 + cw * (j + 0.5), bottom + 17, yr, size=SMALL_SIZE, anchor="middle",
                         fill=TEXT)  # fmt: skip
            for k, (code, label) in enumerate(groups):
                gd = _first_by([r for r in sd if r["group"] == code], "year_s")
                for j, yr in enumerate(years):
                    if yr not in gd:
                        continue
                    r = gd[yr]
                    disp = str(r["display"])
                    cx = x0 + cw * (j + 0.5 + (k - 0.5) * 0.38)
                    if r["_shown"]:
                        h = height * float(r["value"]) / vmax  # type: ignore[arg-type]
                        if h > 0:
                            tip = f"{label}, {yr}: {disp}"
                            svg.rect(cx - bw / 2, bottom - h, bw, h, fills[k], cls="bar", tip=tip)
                        if rotate:
                            svg.text(cx + 4, bottom - h - 4, disp, size=11, fill=TEXT,
                                     rotate=True, cls="value")  # fmt: skip
                        else:
                            svg.text(cx, bottom - h - 4, disp, size=11, anchor="middle",
                                     fill=TEXT, cls="value")  # fmt: skip
                    else:
                        gaps.append(disp)
                        gap_text(svg, cx, bottom - 5, disp, anchor="middle", size=11)
        y = bottom + 34
    svg_text = finish(svg, note_lines(svg, y - 8, _gap_note(gaps)))

    table = _survey_table(d, groups)
    alt = _survey_alt(d, inds, groups, title)
    return Chart(svg_text, title, alt, table, plotted=sum(bool(r["_shown"]) for r in d))


def _first_display(rows: list[Row], default: str = "") -> str:
    return _str(rows[0]["display"]) if rows else default


def _survey_table(d: list[Row], groups: list[tuple[str, str]]) -> pd.DataFrame:
    rows = []
    for ind, y in sorted({(str(r["indicator"]), str(r["year_s"])) for r in d}):
        sd = [r for r in d if r["indicator"] == ind and r["year_s"] == y]
        row = {"Measure": f"Indicator {SURVEY_NAMES.get(ind, ind)}", "Year": y}
        for code, label in groups:
            row[label] = _first_display([r for r in sd if r["group"] == code])
        rows.append(row)
    return pd.DataFrame(rows)


def _survey_alt(d: list[Row], inds: list[str], groups: list[tuple[str, str]], title: str) -> str:
    parts = [f"Grouped bar chart: {title}, {groups[0][1]} and {groups[1][1]} staff by year."]
    for ind in inds:
        sd = [r for r in d if r["indicator"] == ind]
        latest = max(str(r["year_s"]) for r in sd)
        vals = []
        for code, label in groups:
            m = [r for r in sd if r["group"] == code and r["year_s"] == latest]
            vals.append(f"{label} {_first_display(m, 'not available')}")
        parts.append(f"Indicator {SURVEY_NAMES.get(ind, ind)}, {latest}: " + ", ".join(vals) + ".")
    if any(r["display"] == MARKER for r in d):
        parts.append(C_MEANS)
    parts.append("Every year's figures are in the table that follows the chart.")
    return " ".join(parts)


def board_chart(df: pd.DataFrame, label_bme: str = "BME", title: str | None = None) -> Chart:
    """Indicator 9: the ``label_bme`` share of the Board (by role) against the whole workforce.

    ``df`` columns: ``role`` (``voting``, ``executive``, ``all``, ``workforce`` or any readable
    label), ``value`` (percent 0-100), ``display``; optional ``status``. The workforce bar is
    grey and hatched, and a dotted line (named under the chart) marks the workforce share.
    """
    title = title or f"{label_bme} share of the Board and of the workforce"
    d = _records(df)
    for r in d:
        r["role"] = _str(r.get("role"))
        r["label"] = BOARD_NAMES.get(str(r["role"]).lower(), str(r["role"]))
    d = _with_display(d, "{:.1f}%")
    labels = [str(r["label"]) for r in d]
    displays = [str(r["display"]) for r in d]
    gaps: list[str] = []

    svg, y = start(title)
    shown = [float(r["value"]) for r in d if r["_shown"]]  # type: ignore[arg-type]
    xmax = max(10.0, max(shown, default=10.0))
    vmax = xmax * 1.2
    labels_w = label_width(labels, 200)
    x0, x1 = PAD + labels_w + 8, WIDTH - PAD
    row = row_height(labels, labels_w, 34)
    top = y + 10
    bottom = top + row * len(d)
    below = x_axis(svg, x0, x1, top, bottom, vmax, f"{label_bme}, % of the group")
    wf_value = None
    for i, (r, label, disp) in enumerate(zip(d, labels, displays, strict=True)):
        cy = top + row * (i + 0.5)
        row_label(svg, x0 - 8, cy, label, labels_w)
        is_wf = str(r["role"]).lower() == "workforce"
        if r["_shown"]:
            v = float(r["value"])  # type: ignore[arg-type]
            w = (x1 - x0) * v / vmax
            fill = svg.fill(GREYS[1], "///") if is_wf else PALETTE[0]
            if w > 0:
                svg.rect(x0, cy - 10, w, 20, fill, cls="bar", tip=f"{label}: {disp}")
            svg.text(x0 + w + 4, cy + 4.2, disp, size=SMALL_SIZE, fill=TEXT, cls="value")
            if is_wf:
                wf_value = v
        else:
            gaps.append(disp)
            gap_text(svg, x0 + 4, cy + 4.2, disp)
    if wf_value is not None:
        xw = x0 + (x1 - x0) * wf_value / vmax
        svg.line(xw, top, xw, bottom, GREYS[0], 1.4, dash="2 3", cls="ref-line")
        svg.line(PAD, below + 10, PAD + 16, below + 10, GREYS[0], 1.4, dash="2 3")
        svg.text(PAD + 22, below + 14.5, "Dotted line: the overall workforce's share",
                 size=LABEL_SIZE, fill=TEXT, cls="legend")  # fmt: skip
        below += 22
    svg_text = finish(svg, note_lines(svg, below + 4, _gap_note(gaps)))

    table = pd.DataFrame({"Group": labels, f"{label_bme} %": displays})
    vals = ", ".join(f"{lab} {disp}" for lab, disp in zip(labels, displays, strict=True))
    alt = f"Horizontal bar chart: {title}. {vals}."
    if MARKER in gaps:
        alt += " " + C_MEANS
    return Chart(svg_text, title, alt, table, plotted=sum(bool(r["_shown"]) for r in d))


# --------------------------------------------------------------------------- output


def chart_html(chart: Chart, note: str | None = None) -> str:
    """The chart as self-contained HTML: ``<figure>`` with the SVG embedded as an ``<img>``
    (a ``data:image/svg+xml;base64,`` URL), alt text and a caption, followed by the
    accessible data table."""
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
    img = f'<img src="{data_uri(chart.svg)}" alt="{html.escape(chart.alt_text, quote=True)}">'
    caption = f"<figcaption>{html.escape(chart.title)}</figcaption>"
    table = tables.html_table(chart.data, caption=f"Data for the chart: {chart.title}", note=note)
    return f'<div class="wres-chart"><figure>{img}{caption}</figure>{table}</div>'


def show(chart: Chart, note: str | None = None) -> None:
    """Display a chart in a notebook (the SVG image with its alt text, then its data table)."""
    from IPython.display import HTML, display

    display(HTML(chart_html(chart, note=note)))


def close(chart: Chart) -> None:
    """Nothing to release (kept for callers written when charts were matplotlib figures)."""
