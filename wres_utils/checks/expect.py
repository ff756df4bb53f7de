"""What each published table and chart should hold: the year's inputs loaded again, the
indicators disclosed as the run disclosed them and also without suppression, and the
report's table and chart builders applied to both.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from wres_utils.checks.scan import record_identifiers
from wres_utils.core.catalogue import TITLES
from wres_utils.core.params import Unit, YearParams
from wres_utils.disclosure import policy

# ------------------------------------------------------------------------------ expectations


def table_builders(year: int, labels: Any) -> dict[str, Callable[[Any], pd.DataFrame]]:
    """Caption -> views function, for every table the notebooks show with figures in it."""
    from wres_utils.report import appendix, broad_groups, views

    out: dict[str, Callable[[Any], pd.DataFrame]] = {
        f"Workforce at 31 March {year}": views.totals_table,
        "All nine WRES indicators by year": views.summary_table,
        f"Non-clinical staff by pay band, 31 March {year}": lambda ch: views.band_table(
            ch, "non-clinical"
        ),
        f"Clinical staff by pay band, 31 March {year}": lambda ch: views.band_table(ch, "clinical"),
        "Whole workforce by year": views.workforce_trend_table,
        "Indicator 9 by year": views.board_table,
        "Rows read and kept per extract, and values that could not be used": appendix.quality_table,
        f"Indicators without a figure in {year}": appendix.collected_table,
        "How the figures are made": appendix.methods_table,
        "Report details (NHS England WRES reporting template)": views.header_table,
    }
    for i in ("2", "3", "4"):
        out[f"Indicator {i} by year"] = lambda ch, i=i: views.likelihood_table(ch, i)
    for i in ("5", "6", "7", "8"):
        out[f"{TITLES[i]}, by year"] = lambda ch, i=i: views.survey_table(ch, i)
    out[f"Staff by broad ethnic group, 31 March {year}: percentage of the whole workforce"] = (
        lambda ch: broad_groups.broad_table(ch, "1")
    )
    for i in ("2", "3", "4"):
        out[f"{TITLES[i]}: by broad ethnic group, {year}"] = lambda ch, i=i: (
            broad_groups.broad_table(ch, i)
        )
    return out


#: Captions (prefixes) of tables that hold no figure of the unit's counts: text (the action
#: plan) or national reference figures. Only the generic checks apply to them.
UNCOMPARED_CAPTIONS: tuple[str, ...] = ("Action plan, WRES ", "National WRES figures")


def chart_builders(year: int, labels: Any) -> dict[str, Callable[[Any], Any]]:
    """Chart title -> a function of a Chapter returning the :class:`charts.Chart`."""
    from wres_utils.report import charts, views

    out: dict[str, Callable[[Any], Any]] = {
        f"{labels.bme} staff as a percentage of each pay band, {year}": lambda ch: (
            charts.bme_share_by_band(
                views.band_chart_data(ch),
                label_bme=ch.labels.bme,
                title=f"{labels.bme} staff as a percentage of each pay band, {year}",
            )
        ),
        "Staff survey indicators 5 to 8 by year": lambda ch: charts.survey_chart(
            views.survey_chart_data(ch),
            label_white=ch.labels.white,
            label_bme=ch.labels.bme,
            title="Staff survey indicators 5 to 8 by year",
        ),
        f"{labels.bme} share of the Board and of the workforce, {year}": lambda ch: (
            charts.board_chart(
                views.board_chart_data(ch),
                label_bme=ch.labels.bme,
                title=f"{labels.bme} share of the Board and of the workforce, {year}",
            )
        ),
    }
    for i in ("2", "3", "4"):
        title = f"{TITLES[i]}: relative likelihood by year"
        out[title] = lambda ch, i=i, title=title: charts.relative_likelihood_chart(
            views.likelihood_chart_data(ch, i), title=title, label_bme=ch.labels.bme
        )
    return out


def _as_published_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` written as CSV and read back the way :func:`views.open_chapter` reads it."""
    from wres_utils.report.views import read_prepared_csv

    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    buf.seek(0)
    return read_prepared_csv(buf)


@dataclass
class UnitExpectation:
    """What one unit's outputs may show (disclosed) and must not show (raw), built lazily."""

    unit: Unit
    disclosed: Any  # views.Chapter
    raw: Any  # views.Chapter
    tables: dict[str, Callable[[Any], pd.DataFrame]]
    charts: dict[str, Callable[[Any], Any]]
    _built_tables: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = field(default_factory=dict)
    _built_charts: dict[str, Any] = field(default_factory=dict)

    def table(self, caption: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """(disclosed, raw) versions of the table with this caption, or None if unknown."""
        if caption.startswith("Data for the chart: "):
            chart = self.chart(caption.removeprefix("Data for the chart: "))
            return None if chart is None else (chart.data, chart.data.iloc[0:0])
        if caption not in self.tables:
            return None
        if caption not in self._built_tables:
            f = self.tables[caption]
            self._built_tables[caption] = (f(self.disclosed), f(self.raw))
        return self._built_tables[caption]

    def chart(self, title: str) -> Any | None:
        """The disclosed :class:`charts.Chart` of this title (figure closed), or None.

        (The unsuppressed chart is not drawn: any difference from the disclosed chart where
        the disclosed one shows [c] is a leak, whatever the figure shown.)
        """
        if title not in self.charts:
            return None
        if title not in self._built_charts:
            from wres_utils.report import charts

            chart = self.charts[title](self.disclosed)
            charts.close(chart)
            self._built_charts[title] = chart
        return self._built_charts[title]

    @cached_property
    def forbidden_sentences(self) -> list[str]:
        """Sentences of the unsuppressed copy that differ from the disclosed ones (markdown)."""
        from wres_utils.report import narrative

        def sentences(ch: Any) -> dict[str, str]:
            return narrative.sentences(ch.indicators, self.unit.id, ch.year, ch.labels)

        d, r = sentences(self.disclosed), sentences(self.raw)
        return [s for ind, s in r.items() if s and s != d.get(ind, "")]


@dataclass
class ProvidersExpectation:
    """The commissioner's view: (disclosed, raw) tables by caption, and its chart by title."""

    tables: dict[str, tuple[pd.DataFrame, pd.DataFrame]]
    charts: dict[str, Any]

    def table(self, caption: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        if caption.startswith("Data for the chart: "):
            chart = self.chart(caption.removeprefix("Data for the chart: "))
            return None if chart is None else (chart.data, chart.data.iloc[0:0])
        return self.tables.get(caption)

    def chart(self, title: str) -> Any | None:
        return self.charts.get(title)

    forbidden_sentences: tuple[str, ...] = ()


@dataclass
class YearExpectation:
    """The analyst's copies of a year, computed from the inputs as the pipeline does."""

    params: YearParams
    min_count: int
    analyst: pd.DataFrame  # disclosed with min_count (helper columns kept)
    raw: pd.DataFrame  # disclose(min_count=0): every figure displayed
    quality: pd.DataFrame
    years: list[int]
    identifiers: set[str]
    units: dict[str, Unit]  # slug -> unit
    #: The broad-groups view, disclosed and unsuppressed (empty when params switch it off).
    broad_analyst: pd.DataFrame = field(default_factory=pd.DataFrame)
    broad_raw: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The params of this year and the history years, and the root (the commissioner's view).
    history: dict[int, YearParams] = field(default_factory=dict)
    root: Path | None = None
    #: Every unit's figures, members of joint groups included, unsuppressed (the attacker's
    #: truth), and the units that publish through a joint report only (slug -> unit).
    truth: pd.DataFrame = field(default_factory=pd.DataFrame)
    members: dict[str, Unit] = field(default_factory=dict)
    _units: dict[str, UnitExpectation] = field(default_factory=dict)
    _providers: dict[str, ProvidersExpectation | None] = field(default_factory=dict)

    def providers_for(self, slug: str) -> ProvidersExpectation | None:
        """What the commissioner's view in unit folder ``slug`` may show (None if it has none).

        The commissioner's prepared figures are built twice, as the pipeline builds them and
        with nothing suppressed, and every table is compared cell by cell like the chapters.
        """
        if slug not in self._providers:
            self._providers[slug] = self._build_providers(slug)
        return self._providers[slug]

    def _build_providers(self, slug: str) -> ProvidersExpectation | None:
        import tempfile

        from wres_utils.commissioner import prepare as cm_prepare
        from wres_utils.commissioner import view as cm_view
        from wres_utils.core.params import Suppression

        unit = self.units.get(slug)
        found = [c for c in self.params.commissioners if unit and c.unit in (unit.id, unit.slug)]
        if not found or self.root is None:
            return None
        raw_params = self.params.model_copy(
            update={"suppression": Suppression(min_count=0, round_to=None)}
        )
        views = []
        with tempfile.TemporaryDirectory(prefix="wres-audit-") as tmp:
            for i, p in enumerate((self.params, raw_params)):
                folder = Path(tmp) / str(i)
                prepared = cm_prepare.prepare(p.year, p, found[0], self.history, self.root, folder)
                views.append(cm_view.open_view(prepared, p.year, found[0].unit))
            disclosed = cm_view.report_tables(views[0])
            raw = cm_view.report_tables(views[1])
            chart = cm_view.likelihood_chart(views[0])
        from wres_utils.report import charts

        charts.close(chart)
        return ProvidersExpectation(
            tables={c: (disclosed[c], raw.get(c, disclosed[c].iloc[0:0])) for c in disclosed},
            charts={chart.title: chart},
        )

    def for_unit(self, slug: str) -> UnitExpectation | None:
        """The expectation of the unit whose folder is ``slug`` (None for an unknown folder)."""
        if slug not in self.units:
            return None
        if slug not in self._units:
            self._units[slug] = self._build(self.units[slug])
        return self._units[slug]

    def _build(self, unit: Unit) -> UnitExpectation:
        from wres_utils.disclosure import gate as disclosure
        from wres_utils.report import views
        from wres_utils.run.prepare import base_context, unit_quality

        p = self.params
        suppression = p.suppression.model_dump(mode="json") | {"min_count": self.min_count}
        context = base_context(p, unit, self.years, suppression)

        def chapter(table: pd.DataFrame, k: int, broad: pd.DataFrame) -> Any:
            rows = disclosure.published_copy(table)
            rows = rows[rows["unit"].astype(str) == unit.id]
            quality, _ = unit_quality(self.quality, unit, k, policy.rounding(p, unit))
            if not broad.empty:
                broad = disclosure.published_copy(broad)
                broad = _as_published_csv(broad[broad["unit"].astype(str) == unit.id])
            return views.Chapter(
                context=context,
                indicators=_as_published_csv(rows),
                quality=_as_published_csv(quality),
                plan=None,
                labels=p.labels,
                broad=broad,
            )

        return UnitExpectation(
            unit=unit,
            disclosed=chapter(self.analyst, self.min_count, self.broad_analyst),
            raw=chapter(self.raw, 0, self.broad_raw),
            tables=table_builders(p.year, p.labels),
            charts=chart_builders(p.year, p.labels),
        )


def expected_year(
    year: int, params_dir: Path, root: Path, min_count: int | None = None
) -> YearExpectation:
    """Re-load the year's inputs and compute the disclosed and unsuppressed analyst copies."""
    from wres_utils.core.params import Suppression
    from wres_utils.disclosure import gate as disclosure
    from wres_utils.disclosure import recipe
    from wres_utils.inputs import load as inputs_load
    from wres_utils.inputs.counts import normalise_dtypes
    from wres_utils.run.plan import load_history

    history, _ = load_history(year, params_dir, root)
    params = history[year]
    loaded = {y: inputs_load.load_year(p, root) for y, p in history.items()}
    k = params.suppression.min_count if min_count is None else int(min_count)
    counts = normalise_dtypes(pd.concat([ly.counts for ly in loaded.values()], ignore_index=True))
    round_to = params.suppression.round_to
    units = params.published_units()
    analyst = recipe.disclose_year(
        counts, units, params, Suppression(min_count=k, round_to=round_to)
    )
    raw = recipe.disclose_indicators(
        counts, units, min_count=0, round_to=round_to, denominator=params.indicator1_denominator
    )
    # The truth of every unit, members included: a member's table published beside its joint
    # group's is matched against it, and the ties between them are the attacker's.
    truth = recipe.disclose_indicators(
        counts, params.units(), min_count=0, denominator=params.indicator1_denominator
    )
    broad_analyst = broad_raw = pd.DataFrame()
    if params.broad_groups:
        from wres_utils.compute import broad

        frames = [ly.broad_counts for ly in loaded.values() if not ly.broad_counts.empty]
        if frames:
            bt = broad.compute_broad(normalise_dtypes(pd.concat(frames)), units)
            broad_analyst = disclosure.disclose_breakdown(analyst, bt, k, round_to)
            broad_raw = disclosure.disclose_breakdown(raw, bt, 0, round_to)
    return YearExpectation(
        params=params,
        min_count=k,
        analyst=analyst,
        raw=raw,
        broad_analyst=broad_analyst,
        broad_raw=broad_raw,
        quality=loaded[year].quality,
        years=sorted(loaded),
        identifiers=record_identifiers(history, root),
        units={u.slug: u for u in units},
        history=history,
        truth=truth,
        members={u.slug: u for u in params.units() if u.id not in {x.id for x in units}},
        root=Path(root),
    )
