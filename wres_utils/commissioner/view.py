"""The commissioner's view: the WRES of the providers a commissioning unit monitors.

A commissioner (a CCG, now an ICB) monitors its larger providers' WRES publications. For
each ``commissioners`` entry of ``params/<year>.yaml`` this module builds
``reports/<year>/<unit-slug>/providers.html`` and ``providers.pdf``:

1. **Inputs** (:func:`provider_years`, :func:`load_inputs`): per provider and year (this year
   and the previous ones the pipeline loaded) either its counts table (data-contract.md
   section 2, :func:`wres_utils.inputs.counts.read_counts_csv`) or the figures it published in the
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
   comes from ``wres_utils.compute.check_published.check_published`` (``wres check-published``).
4. **Compliance findings** (:func:`evaluate_rules`): the rules of
   ``wres_utils/data/compliance_rules.yaml`` (data, not code) evaluated on the disclosed
   figures; each finding cites the figure behind it.
5. **Report** (:func:`build`): a prepared folder of aggregates only, the notebook
   ``notebooks/commissioner/10_providers.ipynb`` executed with papermill, rendered with
   :mod:`wres_utils.report.render`, and the two files moved into the unit's (already published)
   report folder with ``os.replace``; nothing else there is touched.

The notebook reads the prepared folder through :func:`open_view` and the table and chart
builders below (:func:`overview_table`, :func:`indicator_table`, :func:`gaps_table`,
:func:`mismatch_table`, :func:`likelihood_chart`, :func:`compliance_table`, ...).

Published figures are read in the ``wres check-published`` format
(:mod:`wres_utils.compute.check_published`): one row per figure, ``org_code, year, indicator, group,
published_value`` and the counts the indicator needs (:data:`NEEDS`, e.g. ``white_shortlisted,
white_appointed, bme_shortlisted, bme_appointed`` for indicator 2). Here a blank
``published_value`` means the provider left that figure blank, and an indicator without a row
was not collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.commissioner.compare import CHECK_COLUMNS
from wres_utils.commissioner.inputs import (
    NOT_MONITORED,
    NOT_PUBLISHED,
    PUBLISHED_INDICATORS,
    RL_INDICATORS,
    SOURCE_WORDS,
    SYNTHETIC_BANNER,
)
from wres_utils.commissioner.rules import FINDING_COLUMNS, labelled
from wres_utils.core.catalogue import (
    HEADLINE,
    LEGEND,
    LONG_TITLES,
    MARKER,
    STATUS_SYMBOLS,
    UNAVAILABLE,
)
from wres_utils.core.params import Labels
from wres_utils.report import charts, tables
from wres_utils.report.charts import Chart
from wres_utils.report.svg import wrap
from wres_utils.report.views import read_context
from wres_utils.report.views import read_prepared_csv as _read


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
        return pd.Series({"display": UNAVAILABLE, "status": "", "value": np.nan})
    src = v.source(code, year)
    if src in (NOT_PUBLISHED, NOT_MONITORED):
        return pd.Series({"display": UNAVAILABLE, "status": src, "value": np.nan})
    stat, group = HEADLINE[ind]
    stat = where.get("statistic", stat)
    group = where.get("group", group)
    d = v.indicators
    if d.empty:
        return pd.Series({"display": UNAVAILABLE, "status": "", "value": np.nan})
    d = d[(d["unit"] == code) & (d["year"] == year) & (d["indicator"] == ind)]
    hit = d[(d["statistic"] == stat) & (d["group"] == group)]
    if ind == "1":
        hit = hit[(hit["band"] == "All") & (hit["clinical"] == "all")]
    if hit.empty:
        nc = d[d["status"] == "not_collected"]
        if not nc.empty:
            return pd.Series({"display": UNAVAILABLE, "status": "not_collected", "value": np.nan})
        return pd.Series({"display": UNAVAILABLE, "status": "", "value": np.nan})
    row = hit.iloc[0]
    disp = STATUS_SYMBOLS.get(str(row.get("status", ""))) or str(row.get("display", "") or "")
    disp = UNAVAILABLE if disp.strip() in ("", "–", "not collected", "not calculable") else disp
    return pd.Series({**row.to_dict(), "display": disp})


def _bench(v: ProvidersView, year: int | None, ind: str) -> str:
    b = v.benchmarks
    if year is None or b.empty:
        return UNAVAILABLE
    hit = b[(b["year"] == year) & (b["indicator"] == ind)]
    shown = "" if hit.empty else str(hit["display"].iloc[0]).strip()
    return UNAVAILABLE if shown in ("", "–") else shown


def _label(v: ProvidersView, text: str) -> str:
    return labelled(text, v.labels)


def overview_table(v: ProvidersView) -> pd.DataFrame:
    """One row per provider: its headcount, what was received this year and last, and how
    many findings (after merging those on the same indicator)."""
    prev = v.previous_year
    rows = []
    ranked = ranked_findings(v)
    for code, name in v.providers:
        n = int((ranked["code"] == code).sum()) if not ranked.empty else 0
        row = {"Provider": f"{name} ({code})", "Staff (headcount)": headcount(v, code)}
        if prev is not None:
            row[f"WRES {prev}"] = SOURCE_WORDS[v.source(code, prev)]
        row[f"WRES {v.year}"] = SOURCE_WORDS[v.source(code, v.year)]
        row["Findings"] = "none" if n == 0 else (f"{n} finding" + ("s" if n > 1 else ""))
        row["WRES web page"] = v.context.get("urls", {}).get(code, "") or "not given"
        rows.append(row)
    return pd.DataFrame(rows)


def indicator_title(v: ProvidersView, indicator: str) -> str:
    """The heading of an indicator (group labels from params)."""
    return _label(v, LONG_TITLES[indicator])


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
                if shown and MARKER not in (lo, hi) and UNAVAILABLE not in (lo, hi)
                else (MARKER if rl.get("status") == "suppressed" else UNAVAILABLE)
            )
            cls = str(rl.get("classification", "") or "") if shown else ""
            row[f"Four-fifths range {v.year}"] = cls or UNAVAILABLE
        rows.append(row)
    out = pd.DataFrame(rows)
    if indicator in ("1", "2", "3", "4", "9a", "9b"):
        nat = {"Provider": "England, NHS trusts (national figure)"}
        for c in out.columns[1:]:
            nat[c] = UNAVAILABLE
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
    return (
        "A provider's figure is [x] when it did not publish that year or did not collect the "
        "indicator; a national figure is [x] where none was entered. National figures: "
        + "; ".join(parts)
        + "."
    )


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
    withheld = int((c["result"] == MARKER).sum())
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


def headcount(v: ProvidersView, code: str) -> str:
    """A provider's published headcount this year (``[x]`` when it published none)."""
    row = _cell(v, code, v.year, "1", statistic="count", group="")
    return str(row["display"]) if str(row.get("status", "")) == "ok" else UNAVAILABLE


def ranked_findings(v: ProvidersView) -> pd.DataFrame:
    """The findings, most severe first (the rule's ``severity``), one per provider and
    indicator: a second finding on the same indicator is merged into the first one's row."""
    f = v.findings
    if f.empty:
        return f.copy()
    f = f.copy()
    for col in ("indicator", "ask", "owner", "due"):
        if col not in f:
            f[col] = ""
    f["indicator"] = f["indicator"].fillna("").astype(str)
    sev = pd.to_numeric(f.get("severity", pd.Series(9, index=f.index)), errors="coerce")
    f["_sev"] = sev.fillna(9)
    order = {c: i for i, (c, _) in enumerate(v.providers)}
    f["_prov"] = f["code"].map(order).fillna(len(order))
    f = f.sort_values(["_sev", "_prov"], kind="stable")
    rows: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for r in f.to_dict("records"):
        key = (str(r["code"]), str(r["indicator"]))
        if r["indicator"] and key in seen:
            first = rows[seen[key]]
            first["finding"] = f"{first['finding']} Also: {r['finding']}"
            if str(r["figure"]) != str(first["figure"]):
                first["figure"] = f"{first['figure']}; {r['figure']}"
            continue
        seen[key] = len(rows)
        rows.append(r)
    out = pd.DataFrame(rows).drop(columns=["_sev", "_prov"])
    return out.reset_index(drop=True)


def compliance_table(v: ProvidersView) -> pd.DataFrame:
    """The findings of the compliance rules, most severe first, one per provider and
    indicator, each with the figure behind it and the ask: what, who answers for it, by when.
    Providers without findings are listed last."""
    names = dict(v.providers)
    cols = ["Provider", "Finding", "Figure behind it", "Ask", "Owner", "Due"]
    rows = []
    f = ranked_findings(v)
    for r in f.to_dict("records"):
        code = str(r["code"])
        rows.append(
            {
                "Provider": _provider_staff(v, names.get(code, code), code),
                "Finding": str(r["finding"]),
                "Figure behind it": str(r["figure"]),
                "Ask": str(r.get("ask", "") or UNAVAILABLE),
                "Owner": str(r.get("owner", "") or UNAVAILABLE),
                "Due": str(r.get("due", "") or UNAVAILABLE),
            }
        )
    flagged = set(f["code"]) if not f.empty else set()
    for code, name in v.providers:
        if code not in flagged:
            rows.append(
                {
                    "Provider": _provider_staff(v, name, code),
                    "Finding": "No findings.",
                    "Figure behind it": UNAVAILABLE,
                    "Ask": UNAVAILABLE,
                    "Owner": UNAVAILABLE,
                    "Due": UNAVAILABLE,
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
            "0.80-1.25 is the range NHS England treats as non-adverse for indicator 3; for "
            "indicators 2 and 4 the same range is a four-fifths guide used here, not NHS "
            "England's",
        ),
        (
            "Confidence intervals",
            "95% intervals by the Katz log method: NOT NHS England methodology, shown to convey "
            "uncertainty",
        ),
        (
            "National figures",
            "national WRES figures for NHS trusts in England as published by NHS England (the "
            "source of each is given under its table); [x] where not entered",
        ),
    ]
    return pd.DataFrame(rows, columns=["Topic", "Method"])


def show_banner(v: ProvidersView) -> None:
    """Display the synthetic-data banner when the data are synthetic."""
    if v.synthetic:
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
    relative likelihood with its 95% CI, the 0.80-1.25 band, 1 and the national figure.

    An SVG written with the report's chart pieces (:mod:`wres_utils.report.charts`), the value
    axis on a log scale. A figure that cannot be shown is a labelled gap ("[c]" or "[x]") at
    the left of its row, never a point and never on the line at 1.
    """
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
    ticks = sorted(t for t in (*stops, 0.8, 1.25) if xmin <= t <= xmax and t != 1.0)
    gaps: list[str] = []
    any_national = False

    size, grey, text = charts.SMALL_SIZE, charts.GREYS[0], charts.TEXT
    svg, y = charts.start(title, width=860)  # three panels: wider than the one-panel charts
    labels_w = charts.label_width(names, 120)
    left, gap = charts.PAD + labels_w + 8, 28
    n = len(RL_INDICATORS)
    panel_w = (svg.width - charts.PAD - left - gap * (n - 1)) / n
    row = 34
    top = y + 28
    bottom = top + row * max(1, len(names))
    span = np.log(xmax) - np.log(xmin)
    below = bottom
    for k, ind in enumerate(RL_INDICATORS):
        x0 = left + k * (panel_w + gap)

        def xpos(x: float, x0: float = x0) -> float:
            return x0 + panel_w * float(np.log(x) - np.log(xmin)) / span

        svg.text(x0, y + 16, f"Indicator {ind}", size=charts.LABEL_SIZE, fill=text, bold=True)
        lo, hi = charts.FOUR_FIFTHS
        svg.rect(xpos(lo), top, xpos(hi) - xpos(lo), bottom - top, charts.BAND_FILL, cls="band")
        for t in ticks:
            svg.line(xpos(t), top, xpos(t), bottom, charts.GRID, 1)
            svg.text(xpos(t), bottom + 16, f"{t:g}", size=11, anchor="middle", fill=text)
        svg.text(xpos(1.0), bottom + 16, "1", size=11, anchor="middle", fill=text)
        svg.line(xpos(1.0), top, xpos(1.0), bottom, grey, 1.3, dash="6 4", cls="ref-line")
        svg.line(x0, bottom, x0 + panel_w, bottom, charts.GREYS[1], 1)
        try:
            nat = float(_bench(v, v.year, ind))
        except ValueError:
            nat = None
        if nat is not None and xmin <= nat <= xmax:
            any_national = True
            svg.line(xpos(nat), top, xpos(nat), bottom, charts.PALETTE[2], 1.6, dash="2 3",
                     cls="national")  # fmt: skip
        axis = wrap("Relative likelihood (log scale)", size, panel_w)
        below = svg.lines(x0 + panel_w / 2, bottom + 34, axis, size=size, anchor="middle",
                          fill=text)  # fmt: skip
        sd = d[d["indicator"] == ind].reset_index(drop=True)
        for i, r in enumerate(sd.to_dict("records")):
            cy = top + row * (i + 0.5)
            if pd.isna(r["value"]):
                label = MARKER if r["status"] == "suppressed" else UNAVAILABLE
                gaps.append(label)
                charts.gap_text(svg, x0 + 4, cy + 4.2, label)
                continue
            x = float(r["value"])
            colour = charts.PALETTE[0]
            if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]):
                a, b = xpos(float(r["ci_low"])), xpos(float(r["ci_high"]))
                svg.line(a, cy, b, cy, colour, 1.5, cls="ci")
                svg.line(a, cy - 4, a, cy + 4, colour, 1.5)
                svg.line(b, cy - 4, b, cy + 4, colour, 1.5)
            svg.marker(charts.MARKERS[k % 4], xpos(x), cy, 9, colour, cls="point")
            charts.value_label(svg, xpos(x), cy - 8, str(r["display"]), 11, anchor="middle")
    for i, name in enumerate(names):
        charts.row_label(svg, left - 8, top + row * (i + 0.5), name, labels_w)
    legend = "Shaded: 0.80 to 1.25, the non-adverse range; dashed: 1 (equal likelihood)"
    legend += "; dotted: national figure." if any_national else "."
    if MARKER in gaps:
        legend += f" {LEGEND[MARKER].split(':')[0]}."
    if UNAVAILABLE in gaps:
        legend += f" {UNAVAILABLE} not available (not published or not collected)."
    chart_svg = charts.finish(svg, charts.note_lines(svg, below + 4, legend))
    table = likelihood_table(v)
    return charts.Chart(chart_svg, title, _alt_text(v, d, title), table)


def _provider_staff(v: ProvidersView, name: str, code: str) -> str:
    """ "One (ZP1; 640 staff)", or "Nine (ZP9; headcount [x])" when none was published."""
    staff = headcount(v, code)
    return f"{name} ({code}; {'headcount [x]' if staff == UNAVAILABLE else f'{staff} staff'})"


def likelihood_table(v: ProvidersView) -> pd.DataFrame:
    """The chart's data: each provider's relative likelihoods 2-4 with 95% CIs (display)."""
    d = likelihood_chart_data(v)
    rows = []
    for code, name in v.providers:
        row = {"Provider": f"{name} ({code})"}
        for ind in RL_INDICATORS:
            r = d[(d["code"] == code) & (d["indicator"] == ind)].iloc[0]
            row[f"Indicator {ind}"] = r["display"]
            row[f"Indicator {ind} 95% CI"] = r["ci_display"] or UNAVAILABLE
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
        "A shaded band marks 0.80 to 1.25 (NHS England's non-adverse range for indicator 3; a "
        "four-fifths guide used here for indicators 2 and 4); a dashed line at 1 means equal "
        "likelihood."
    )
    if (d["display"] == MARKER).any():
        parts.append(f"{LEGEND[MARKER].split(':')[0]}.")
    return " ".join(parts)
