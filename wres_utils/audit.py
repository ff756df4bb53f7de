"""The disclosure audit (``wres audit reports/<year>``): read every published output, find leaks.

The audit is independent of the run that wrote the outputs: it re-loads the year's inputs
itself (params, extracts) and recomputes the analyst's copy of the indicators twice, once
through disclosure control with the params' threshold k (what may be published) and once with
no suppression (what must not be). Then it reads every file under ``reports/<year>/`` and
reports a :class:`Finding` for each problem:

errors (the audit fails)
    ``identifier``        a record-level identifier of the inputs (staff_id, application_id,
                          vacancy_id, case_id, member_id) appears in any text of any file
                          (HTML text and attributes, notebook sources and outputs, PDF text,
                          CSV, XLSX cells, run.log). Identifiers shorter than
                          :data:`MIN_ID_LENGTH` characters, or made of digits only and shorter
                          than :data:`MIN_NUMERIC_ID_LENGTH`, are not searched (they would
                          match ordinary numbers); this is said in the report.
    ``suppressed_shown``  a figure that disclosure control suppresses is shown: a row of an
                          indicators CSV, a cell of a report table (compared cell by cell with
                          the table :mod:`wres_utils.views` builds from the disclosed copy),
                          a chart's data table or alt text, or a plain-English sentence.
    ``small_count``       a table cell shows a bare whole number from 1 to k (never a valid
                          published count, whatever the table).
    ``recoverable``       a suppressed count can be worked out from the counts published in
                          the indicators CSVs of all the year's units together (the ties of
                          :mod:`wres_utils.disclosure`, checked by linear algebra).
    ``records``           an output shows a DataFrame of records (a column named like a
                          record-level field, or more than :data:`MAX_TABLE_ROWS` rows), the
                          counts table, or analyst-only columns.
    ``suppression``       the audit threshold is 0 (disclosure control off), or the run log
                          shows the outputs were built with a lower threshold than params give.
warnings (reported, the audit still passes)
    ``mismatch``          a published figure differs from the disclosed copy without being a
                          leak (e.g. outputs from older inputs); ``unchecked`` a table or chart
                          the audit has no expectation for (only the generic checks ran);
                          ``unknown_folder``, ``unreadable``.

Which tables and charts the audit expects is listed in :func:`table_builders` and
:func:`chart_builders` (they mirror the notebooks' captions and titles).
"""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wres_utils.params import Unit, YearParams

#: Columns of the extracts whose values identify a record (data-contract.md section 1).
ID_COLUMNS: tuple[str, ...] = ("staff_id", "application_id", "vacancy_id", "case_id", "member_id")
#: Column names that only a table of records has (after lower-casing, spaces to ``_``).
RECORD_COLUMNS: frozenset[str] = frozenset(
    {
        *ID_COLUMNS,
        "ethnic_origin",
        "shortlisted",
        "appointed",
        "date_entered",
        "occupation",
    }
)
#: Analyst-only columns of the indicators table (never published).
HELPER_COLUMNS: frozenset[str] = frozenset(
    {"numerator", "denominator", "numerator2", "denominator2", "members", "basis"}
)
#: Identifiers shorter than this are not searched for (they would match ordinary words).
MIN_ID_LENGTH = 5
#: Identifiers made only of digits must be at least this long to be searched for.
MIN_NUMERIC_ID_LENGTH = 7
#: A table with more rows than this is treated as a table of records.
MAX_TABLE_ROWS = 200
#: Findings of these kinds make the audit fail.
ERROR_KINDS: frozenset[str] = frozenset(
    {
        "identifier",
        "suppressed_shown",
        "small_count",
        "recoverable",
        "records",
        "suppression",
        "members_published",
        "attribute",
    }
)
SUPPRESSED = "[c]"
_KEY = ["unit", "year", "indicator", "group", "band", "clinical", "statistic"]
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
_BINARY_MIME = ("image/png", "image/jpeg", "image/gif", "application/pdf")
_PANDAS_SHAPE = re.compile(r"\[(\d[\d,]*) rows x (\d+) columns\]")
try:  # lxml parses the large report pages several times faster than html.parser
    import lxml  # noqa: F401

    _PARSER = "lxml"
except ImportError:  # pragma: no cover
    _PARSER = "html.parser"


# ------------------------------------------------------------------------------ findings


@dataclass(frozen=True)
class Finding:
    """One problem found in one published file."""

    file: str
    location: str
    kind: str
    detail: str

    @property
    def is_error(self) -> bool:
        """Whether the finding makes the audit fail (see :data:`ERROR_KINDS`)."""
        return self.kind in ERROR_KINDS

    def describe(self) -> str:
        """One line: ``ERROR suppressed_shown 05V/indicators.csv, row 12: ...``."""
        level = "ERROR" if self.is_error else "warning"
        where = f"{self.file}, {self.location}" if self.location else self.file
        return f"{level} {self.kind} {where}: {self.detail}"


@dataclass
class AuditReport:
    """What the audit found in one year folder."""

    year_dir: Path
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    def of_kind(self, kind: str) -> list[Finding]:
        """The findings of one kind."""
        return [f for f in self.findings if f.kind == kind]

    def format(self, max_warnings: int = 20) -> str:
        """The report as text: a verdict line, every error, the first warnings, the notes."""
        verdict = "no disclosure problem found" if self.ok else f"{len(self.errors)} leak(s)"
        lines = [
            f"wres audit {self.year_dir}: {verdict} in {len(self.files)} file(s); "
            f"{len(self.warnings)} warning(s)."
        ]
        lines += [f"  {f.describe()}" for f in self.errors]
        lines += [f"  {f.describe()}" for f in self.warnings[:max_warnings]]
        if len(self.warnings) > max_warnings:
            lines.append(f"  ... and {len(self.warnings) - max_warnings} more warning(s)")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# ------------------------------------------------------------------------------ identifiers


def is_distinctive(identifier: str) -> bool:
    """Whether an identifier is searched for (long enough not to match ordinary text)."""
    s = identifier.strip()
    if len(s) < MIN_ID_LENGTH:
        return False
    return not (s.isdigit() and len(s) < MIN_NUMERIC_ID_LENGTH)


class IdentifierScanner:
    """Finds whole-token occurrences of known identifiers in text.

    A token is a maximal run of ASCII letters, digits and the punctuation used inside the
    identifiers (e.g. ``-``); an identifier is found when it equals a token, or a run of a
    token's parts split at that punctuation (so ``SYN-TRAP-000042`` is found in
    ``id=SYN-TRAP-000042.``, and ``62329207`` is not found in ``162329207``).
    """

    def __init__(self, identifiers: Iterable[str]):
        self.ids = frozenset(s.strip() for s in identifiers if is_distinctive(s))
        punct = sorted({c for s in self.ids for c in s if not (c.isascii() and c.isalnum())})
        self._punct = "".join(re.escape(c) for c in punct)
        self._token = re.compile(f"[A-Za-z0-9{self._punct}]+")
        self._split = re.compile(f"([{self._punct}])") if punct else None
        self._max_parts = max(
            (len(self._split.split(s)) // 2 + 1 if self._split else 1 for s in self.ids),
            default=1,
        )

    def find(self, text: str) -> list[str]:
        """The identifiers found in ``text``, sorted."""
        if not self.ids or not text:
            return []
        hits: set[str] = set()
        for m in self._token.finditer(text):
            tok = m.group()
            if tok in self.ids:
                hits.add(tok)
            elif self._split is not None and len(tok) > MIN_ID_LENGTH:
                parts = self._split.split(tok)
                words, seps = parts[0::2], parts[1::2]
                for i in range(len(words)):
                    cand = words[i]
                    for j in range(i + 1, min(len(words), i + self._max_parts)):
                        cand += seps[j - 1] + words[j]
                        if cand in self.ids:
                            hits.add(cand)
        return sorted(hits)


def record_identifiers(history: dict[int, YearParams], root: Path) -> set[str]:
    """Every value of the identifier columns (:data:`ID_COLUMNS`) of every extract read."""
    from wres_utils import extracts

    ids: set[str] = set()
    for params in history.values():
        for org in params.organisations:
            for spec in org.files.values():
                rows, _ = extracts.read_table(Path(root) / spec.path, spec.sheet, spec.columns)
                for col in ID_COLUMNS:
                    if col in rows.columns:
                        ids.update(v.strip() for v in rows[col].astype(str) if v and v.strip())
    return ids


# ------------------------------------------------------------------------------ parsing outputs


def strip_data_uris(text: str) -> str:
    """``text`` without embedded base64 data (images): they are not text and hide nothing."""
    return _DATA_URI.sub("data:,", text)


@dataclass(frozen=True)
class Table:
    """A table as published: caption, column headers and rows of cell texts."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Figure:
    """A published chart: its caption (the chart title) and its image's alt text."""

    caption: str
    alt: str


def parse_html(source: str) -> tuple[list[Table], list[Figure], str]:
    """The tables, figures and visible text (whitespace-normalised) of an HTML document."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(strip_data_uris(source), _PARSER)
    tables = []
    for t in soup.find_all("table"):
        cap = t.find("caption")
        caption = " ".join(cap.get_text(" ").split()) if cap else ""
        head = t.find("thead")
        trs = t.find_all("tr")
        if head is not None:
            columns = [c.get_text().strip() for c in head.find_all(["th", "td"])]
            body = [tr for tr in trs if tr.find_parent("thead") is None]
        elif trs:
            columns = [c.get_text().strip() for c in trs[0].find_all(["th", "td"])]
            body = trs[1:]
        else:
            columns, body = [], []
        rows = [[c.get_text().strip() for c in tr.find_all(["th", "td"])] for tr in body]
        tables.append(Table(caption, columns, rows))
    figures = []
    for fig in soup.find_all("figure"):
        cap = fig.find("figcaption")
        for img in fig.find_all("img"):
            figures.append(
                Figure(" ".join(cap.get_text(" ").split()) if cap else "", img.get("alt") or "")
            )
    for img in soup.find_all("img"):
        if img.find_parent("figure") is None:
            figures.append(Figure("", img.get("alt") or ""))
    return tables, figures, normalise_text(soup.get_text(""))


def normalise_text(text: str) -> str:
    """Whitespace runs to one space (so sentences match across line breaks)."""
    return " ".join(text.split())


def markdown_to_text(markdown: str) -> str:
    """Plain text of a one-paragraph markdown string (emphasis and code marks removed)."""
    text = re.sub(r"(\*\*|__|`)", "", markdown)
    text = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    return normalise_text(re.sub(r"^\s*#+\s*", "", text, flags=re.M))


def _norm_col(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def records_problem(columns: Iterable[str], n_rows: int) -> str | None:
    """Why a table looks like record-level data (or the counts table), or None."""
    cols = {_norm_col(c) for c in columns}
    named = sorted(cols & RECORD_COLUMNS)
    if named:
        return f"a table of records (columns {named})"
    if {"measure", "value"} <= cols and "org_code" in cols:
        return "the counts table (unsuppressed counts)"
    helpers = sorted(cols & HELPER_COLUMNS)
    if helpers and "statistic" in cols:
        return f"the analyst's indicators table (columns {helpers})"
    if n_rows > MAX_TABLE_ROWS:
        return f"a table of {n_rows} rows (more than {MAX_TABLE_ROWS}: records?)"
    return None


def plain_text_records(text: str) -> str | None:
    """Why a text/plain output (e.g. a DataFrame repr) looks like records, or None."""
    head = text.strip().splitlines()[:2]
    tokens = {_norm_col(t) for line in head for t in line.split()}
    m = _PANDAS_SHAPE.search(text)
    n = int(m.group(1).replace(",", "")) if m else len(text.strip().splitlines()) - 1
    return records_problem(tokens, n)


def small_count_cells(table: Table, k: int) -> list[tuple[int, int, str]]:
    """(row, column, text) of cells (not the row header) that are a bare count 1..k."""
    out = []
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row[1:], start=1):
            s = cell.replace(",", "").strip()
            if s.isdigit() and 1 <= int(s) <= k:
                out.append((i, j, cell))
    return out


def compare_table(
    table: Table, disclosed: pd.DataFrame, raw: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """Cell-by-cell comparison of a published table with the tables built from the disclosed
    and the unsuppressed copies; returns (location, kind, detail) triples.

    A cell that disclosure control changes (``[c]`` in the disclosed table, or any cell that
    differs between the disclosed and the unsuppressed tables, such as the direction of change
    of a suppressed figure) but shows anything other than the disclosed text is
    ``suppressed_shown``; any other difference is a ``mismatch`` (warning).
    """
    out: list[tuple[str, str, str]] = []
    d_cols = [str(c) for c in disclosed.columns]
    if table.columns != d_cols or len(table.rows) != len(disclosed):
        out.append(
            (
                "",
                "mismatch",
                f"shape differs from the expected table: columns {table.columns} x "
                f"{len(table.rows)} rows, expected {d_cols} x {len(disclosed)} rows",
            )
        )
    col_index = {c: j for j, c in enumerate(d_cols)}
    d_rows = [[_cell_text(v) for v in r] for r in disclosed.itertuples(index=False, name=None)]
    r_rows = [[_cell_text(v) for v in r] for r in raw.itertuples(index=False, name=None)]
    by_header: dict[str, list[int]] = {}
    for i, r in enumerate(d_rows):
        by_header.setdefault(r[0] if r else "", []).append(i)
    used: dict[str, int] = {}
    for i, prow in enumerate(table.rows):
        head = prow[0] if prow else ""
        cands = by_header.get(head, [])
        n = used.get(head, 0)
        used[head] = n + 1
        if n < len(cands):
            ei = cands[n]
        elif i < len(d_rows):
            ei = i
        else:
            continue
        for j, p in enumerate(prow):
            col = table.columns[j] if j < len(table.columns) else str(j)
            ej = col_index.get(col)
            if ej is None or ej >= len(d_rows[ei]):
                continue
            d = d_rows[ei][ej]
            r = r_rows[ei][ej] if ei < len(r_rows) and ej < len(r_rows[ei]) else ""
            if p == d:
                continue
            where = f"row {head!r}" + (f" (#{n + 1})" if n else "") + f", column {col!r}"
            if SUPPRESSED in d or (r and r != d):
                raw_note = " (the unsuppressed figure)" if p == r else ""
                out.append(
                    (
                        where,
                        "suppressed_shown",
                        f"shows {p!r}{raw_note} where disclosure control gives {d!r}",
                    )
                )
            else:
                out.append((where, "mismatch", f"shows {p!r}, the disclosed copy gives {d!r}"))
    return out


def _cell_text(v: object) -> str:
    from wres_utils.tables import _cell

    return _cell(v, "audit").strip()


# ------------------------------------------------------------------------------ expectations


def table_builders(year: int, labels: Any) -> dict[str, Callable[[Any], pd.DataFrame]]:
    """Caption -> views function, for every table the notebooks show with figures in it."""
    from wres_utils import views

    out: dict[str, Callable[[Any], pd.DataFrame]] = {
        f"Workforce at 31 March {year}": views.totals_table,
        "All nine WRES indicators by year": views.summary_table,
        f"Non-clinical staff by pay band, 31 March {year}": lambda ch: views.band_table(
            ch, "non-clinical"
        ),
        f"Clinical staff by pay band, 31 March {year}": lambda ch: views.band_table(ch, "clinical"),
        "Whole workforce by year": views.workforce_trend_table,
        "Indicator 9 by year": views.board_table,
        "Rows read and kept per extract, and values that could not be used": views.quality_table,
        f"Indicators without a figure in {year}": views.collected_table,
        "How the figures are made": views.methods_table,
        "Report details (NHS England WRES reporting template)": views.header_table,
    }
    for i in ("2", "3", "4"):
        out[f"Indicator {i} by year"] = lambda ch, i=i: views.likelihood_table(ch, i)
    for i in ("5", "6", "7", "8"):
        out[f"{views.TITLES[i]}, by year"] = lambda ch, i=i: views.survey_table(ch, i)
    out[f"Staff by broad ethnic group, 31 March {year}: percentage of the whole workforce"] = (
        lambda ch: views.broad_table(ch, "1")
    )
    for i in ("2", "3", "4"):
        out[f"{views.TITLES[i]}: by broad ethnic group, {year}"] = lambda ch, i=i: (
            views.broad_table(ch, i)
        )
    return out


#: Captions (prefixes) of tables that hold no figure of the unit's counts: text (the action
#: plan) or national reference figures. Only the generic checks apply to them.
UNCOMPARED_CAPTIONS: tuple[str, ...] = ("Action plan, WRES ", "National WRES figures")


def chart_builders(year: int, labels: Any) -> dict[str, Callable[[Any], Any]]:
    """Chart title -> a function of a Chapter returning the :class:`charts.Chart`."""
    from wres_utils import charts, views

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
        title = f"{views.TITLES[i]}: relative likelihood by year"
        out[title] = lambda ch, i=i, title=title: charts.relative_likelihood_chart(
            views.likelihood_chart_data(ch, i), title=title, label_bme=ch.labels.bme
        )
    return out


def _as_published_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` written as CSV and read back the way :func:`views.open_chapter` reads it."""
    from wres_utils.views import read_prepared_csv

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
            from wres_utils import charts

            chart = self.charts[title](self.disclosed)
            charts.close(chart)
            self._built_charts[title] = chart
        return self._built_charts[title]

    @cached_property
    def forbidden_sentences(self) -> list[str]:
        """Sentences of the unsuppressed copy that differ from the disclosed ones (markdown)."""
        from wres_utils import narrative

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

        from wres_utils import commissioner as cm
        from wres_utils.params import Suppression

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
                prepared = cm.prepare(p.year, p, found[0], self.history, self.root, folder)
                views.append(cm.open_view(prepared, p.year, found[0].unit))
            disclosed = cm.report_tables(views[0])
            raw = cm.report_tables(views[1])
            chart = cm.likelihood_chart(views[0])
        from wres_utils import charts

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
        from wres_utils import disclosure, pipeline, publishing, views

        p = self.params
        names = {o.code: o.name for o in p.organisations}
        context = {
            "year": p.year,
            "unit": {
                "id": unit.id,
                "name": unit.name,
                "slug": unit.slug,
                "is_joint": unit.is_joint,
                "members": [{"code": m, "name": names.get(m, m)} for m in unit.members],
            },
            "synthetic": p.synthetic,
            "header": p.header.model_dump(mode="json"),
            "labels": p.labels.model_dump(mode="json"),
            "denominator": p.indicator1_denominator,
            "broad_groups": p.broad_groups,
            "suppression": p.suppression.model_dump(mode="json") | {"min_count": self.min_count},
            "years": self.years,
        }

        def chapter(table: pd.DataFrame, k: int, broad: pd.DataFrame) -> Any:
            rows = disclosure.published_copy(table)
            rows = rows[rows["unit"].astype(str) == unit.id]
            quality, _ = pipeline.unit_quality(self.quality, unit, k, publishing.rounding(p, unit))
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
    from wres_utils import disclosure, extracts, indicators, pipeline, publishing
    from wres_utils.counts import normalise_dtypes

    history, _ = pipeline.load_history(year, params_dir, root)
    params = history[year]
    loaded = {y: extracts.load_year(p, root) for y, p in history.items()}
    k = params.suppression.min_count if min_count is None else int(min_count)
    counts = normalise_dtypes(pd.concat([ly.counts for ly in loaded.values()], ignore_index=True))
    units = params.published_units()
    table = indicators.compute_indicators(counts, units, denominator=params.indicator1_denominator)
    round_to = params.suppression.round_to
    settings = params.suppression.model_copy(update={"min_count": k})
    analyst = publishing.disclose_year(
        params.model_copy(update={"suppression": settings}), counts, units
    )
    raw = disclosure.disclose(table, min_count=0, round_to=round_to)
    # The truth of every unit, members included: a member's table published beside its joint
    # group's is matched against it, and the ties between them are the attacker's.
    truth = disclosure.disclose(
        indicators.compute_indicators(
            counts, params.units(), denominator=params.indicator1_denominator
        ),
        min_count=0,
    )
    broad_analyst = broad_raw = pd.DataFrame()
    if params.broad_groups:
        from wres_utils import broad

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


# ------------------------------------------------------------------------------ indicators CSV


def _key_frame(frame: pd.DataFrame) -> pd.DataFrame:
    k = frame[[c for c in _KEY if c in frame.columns]].copy()
    for c in _KEY:
        if c not in k:
            k[c] = ""
    k = k.astype(str).replace({"nan": "", "<NA>": ""})
    k["year"] = k["year"].str.replace(r"\.0$", "", regex=True)
    return k[_KEY]


def read_published_csv(path: Path) -> pd.DataFrame:
    """A published indicators CSV as text (value as a number)."""
    from wres_utils import safe_csv

    d = safe_csv.read_csv(path)  # undoes the CSV-injection escaping of text cells
    if "value" in d:
        # The printed text of each value too: its precision is what the reader knows.
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["value"])
        d["value_text"] = raw["value"].to_numpy()
        d["value"] = pd.to_numeric(d["value"], errors="coerce")
    return d


def is_indicators_table(frame: pd.DataFrame) -> bool:
    """Whether a CSV is (a copy of) the indicators table."""
    return {"unit", "indicator", "statistic", "display"} <= set(frame.columns)


def check_indicators_csv(
    published: pd.DataFrame, analyst: pd.DataFrame
) -> list[tuple[str, str, str]]:
    """Row-by-row check of a published indicators table against the disclosed analyst copy.

    Returns (location, kind, detail): a row that disclosure control suppresses must have no
    value and display ``[c]`` (``suppressed_shown`` otherwise); helper columns must be absent.
    """
    out: list[tuple[str, str, str]] = []
    helpers = sorted(set(published.columns) & HELPER_COLUMNS)
    if helpers:
        out.append(("columns", "records", f"analyst-only columns published: {helpers}"))
    pk = _key_frame(published)
    ak = _key_frame(analyst)
    ak["_a"] = np.arange(len(analyst))
    pk["_p"] = np.arange(len(published))
    m = pk.merge(ak, on=_KEY, how="left")
    a_status = analyst["status"].astype(str).to_numpy()
    a_display = analyst["display"].astype(str).to_numpy()
    a_note = analyst["note"].astype(str).to_numpy()
    raw_value = analyst["value"].to_numpy(dtype=float, na_value=np.nan)
    p_value = (
        pd.to_numeric(published["value"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if "value" in published
        else np.full(len(published), np.nan)
    )
    p_display = (
        published["display"].astype(str).to_numpy()
        if "display" in published
        else np.full(len(published), "")
    )
    unmatched = 0
    mismatched = []
    for pi, ai in zip(m["_p"].to_numpy(), m["_a"].to_numpy(), strict=True):
        if ai != ai:  # NaN: no such row in the analyst copy
            unmatched += 1
            continue
        ai, pi = int(ai), int(pi)
        label = ", ".join(
            f"{c} {v}" for c, v in zip(_KEY, pk.iloc[pi][_KEY].tolist(), strict=True) if v
        )
        where = f"row {pi + 2} ({label})"
        if a_status[ai] == "suppressed":
            shown = p_display[pi] != SUPPRESSED or p_value[pi] == p_value[pi]
            if shown:
                raw = "" if raw_value[ai] != raw_value[ai] else f", raw value {raw_value[ai]:g}"
                out.append(
                    (
                        where,
                        "suppressed_shown",
                        f"published display {p_display[pi]!r}, value "
                        f"{'' if p_value[pi] != p_value[pi] else f'{p_value[pi]:g}'!r}, where "
                        f"disclosure control gives [c] ({a_note[ai]}{raw})",
                    )
                )
        elif p_display[pi] != a_display[ai]:
            mismatched.append(where)
    if unmatched:
        out.append(("", "mismatch", f"{unmatched} row(s) not in the analyst copy of the inputs"))
    if mismatched:
        out.append(
            (
                mismatched[0],
                "mismatch",
                f"{len(mismatched)} row(s) display another figure than the disclosed copy "
                f"(first: {mismatched[0]})",
            )
        )
    return out


def recoverable_cells(analyst: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Suppressed count cells of ``analyst`` that the published counts determine.

    ``analyst`` is the disclosed analyst copy of the year (every unit); ``published`` the
    concatenation of the published indicators tables. A count cell is published when a
    published row has it with status ``ok`` and a value. The linear ties of
    :func:`wres_utils.disclosure._ties` (band totals, clinical totals, joint = sum of members,
    indicators 3/4 headcounts) are solved for the unpublished cells; the suppressed ones
    that come out determined are returned (analyst rows).
    """
    from wres_utils import disclosure

    t = analyst.reset_index(drop=True)
    stat = t["statistic"].astype(str)
    status = t["status"].astype(str)
    base = (
        stat.isin(disclosure.BASE_STATISTICS)
        & status.isin(["ok", "suppressed"])
        & t["value"].notna()
    ).to_numpy()
    shown = published[
        (published["status"].astype(str) == "ok") & pd.to_numeric(published["value"]).notna()
    ]
    tk = _key_frame(t)
    tk["_r"] = np.arange(len(t))
    hit = tk.merge(_key_frame(shown).drop_duplicates(), on=_KEY, how="inner")["_r"].to_numpy()
    is_pub = np.zeros(len(t), dtype=bool)
    is_pub[hit] = True
    ties = disclosure._ties(t, base)
    if ties.empty:
        return t.iloc[0:0]
    rid = ties["rid"].to_numpy(dtype="int64")
    tie = ties["tie"].to_numpy(dtype="int64")
    is_total = ties["is_total"].to_numpy(dtype=bool)
    # One system per year (ties never cross years); joint units tie their members together.
    year = t["year"].astype(str).to_numpy()
    found: list[int] = []
    for y in np.unique(year[rid]):
        sel = year[rid] == y
        r, ti, tot = rid[sel], tie[sel], is_total[sel]
        cols, inv = np.unique(r, return_inverse=True)
        rows, rinv = np.unique(ti, return_inverse=True)
        a = np.zeros((len(rows), len(cols)))
        np.add.at(a, (rinv, inv), np.where(tot, -1.0, 1.0))
        free = ~is_pub[cols] & base[cols]
        if not free.any():
            continue
        det = disclosure._determined(a, free)
        found += [int(cols[d]) for d in det if status.iloc[int(cols[d])] == "suppressed"]
    return t.iloc[sorted(found)]


# ------------------------------------------------------------------------------ the audit


class _Auditor:
    def __init__(
        self, year_dir: Path, expect: YearExpectation | None, k: int, identifiers: Iterable[str]
    ):
        self.year_dir = year_dir
        self.expect = expect
        self.k = k
        self.scanner = IdentifierScanner(identifiers)
        self.report = AuditReport(year_dir)
        self.published_tables: list[pd.DataFrame] = []
        self.attack_result: pd.DataFrame | None = None

    def add(self, file: Path | str, location: str, kind: str, detail: str) -> None:
        """Record a finding; ``file`` is a path under the year folder or a label."""
        rel = file.relative_to(self.year_dir).as_posix() if isinstance(file, Path) else file
        self.report.findings.append(Finding(rel, location, kind, detail))

    def unit_of(self, path: Path) -> UnitExpectation | None:
        rel = path.relative_to(self.year_dir)
        if len(rel.parts) < 2 or self.expect is None:
            return None
        return self.expect.for_unit(rel.parts[0])

    # -- text

    def scan_ids(self, file: Path, location: str, text: str) -> None:
        for ident in self.scanner.find(text):
            self.add(file, location, "identifier", f"record identifier {ident!r} from the inputs")

    def check_sentences(self, file: Path, location: str, text: str, markdown: bool) -> None:
        ue = self.unit_of(file)
        if ue is None:
            return
        for s in ue.forbidden_sentences:
            probe = normalise_text(s) if markdown else markdown_to_text(s)
            if probe and probe in text:
                self.add(
                    file,
                    location,
                    "suppressed_shown",
                    f"the sentence of the unsuppressed figures: {probe[:160]!r}",
                )

    def check_html(self, file: Path, location: str, source: str) -> None:
        tables, figures, text = parse_html(source)
        ue = self.unit_of(file)
        if ue is not None and file.stem == "providers" and self.expect is not None:
            rel = file.relative_to(self.year_dir)
            ue = self.expect.providers_for(rel.parts[0])
        for n, t in enumerate(tables):
            where = f"{location}table {t.caption or n + 1!r}".strip()
            problem = records_problem(t.columns, len(t.rows))
            if problem:
                self.add(file, where, "records", problem)
            flagged: set[str] = set()
            pair = ue.table(t.caption) if ue is not None else None
            if pair is not None:
                for loc, kind, detail in compare_table(t, *pair):
                    self.add(file, f"{where}, {loc}" if loc else where, kind, detail)
                    if kind == "suppressed_shown":
                        flagged.add(loc)
            elif ue is not None and t.caption and not t.caption.startswith(UNCOMPARED_CAPTIONS):
                self.add(file, where, "unchecked", "no expected table for this caption")
            for i, j, cell in small_count_cells(t, self.k):
                head = t.rows[i][0] if t.rows[i] else ""
                col = t.columns[j] if j < len(t.columns) else str(j)
                loc = f"row {head!r}, column {col!r}"
                if loc not in flagged:
                    self.add(
                        file,
                        f"{where}, {loc}",
                        "small_count",
                        f"shows the count {cell!r} (from 1 to {self.k})",
                    )
        for f in figures:
            if ue is None or not f.caption:
                continue
            chart = ue.chart(f.caption)
            where = f"{location}chart {f.caption!r}".strip()
            if chart is None:
                self.add(file, where, "unchecked", "no expected chart for this title")
            elif f.alt != chart.alt_text:
                if SUPPRESSED in chart.alt_text:
                    self.add(
                        file,
                        where,
                        "suppressed_shown",
                        f"the alt text describes suppressed figures: {f.alt[:160]!r}",
                    )
                else:
                    self.add(file, where, "mismatch", "the alt text differs from the expected")
        self.check_sentences(file, location.rstrip(", ") or "text", text, markdown=False)

    # -- files

    def audit_html_file(self, path: Path) -> None:
        source = path.read_text(encoding="utf-8", errors="replace")
        self.scan_ids(path, "", html_lib.unescape(strip_data_uris(source)))
        self.check_html(path, "", source)

    def audit_notebook(self, path: Path) -> None:
        nb = json.loads(path.read_text(encoding="utf-8"))
        self.scan_ids(path, "metadata", "\n".join(_strings(nb.get("metadata", {}))))
        for ci, cell in enumerate(nb.get("cells", [])):
            self.scan_ids(path, f"cell {ci}", "\n".join(_strings(cell)))
            for oi, out in enumerate(cell.get("outputs", []) or []):
                where = f"cell {ci}, output {oi}"
                data = out.get("data", {}) or {}
                if out.get("output_type") == "stream":
                    text = _join(out.get("text", ""))
                    problem = plain_text_records(text)
                    if problem:
                        self.add(path, where, "records", problem)
                html = _join(data.get("text/html", ""))
                if html:
                    self.check_html(path, f"{where}, ", html)
                md = _join(data.get("text/markdown", ""))
                if md:
                    self.check_sentences(path, where, normalise_text(md), markdown=True)
                plain = _join(data.get("text/plain", ""))
                if plain and not html:
                    problem = plain_text_records(plain)
                    if problem:
                        self.add(path, where, "records", problem)

    def audit_csv(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        self.scan_ids(path, "", text)
        try:
            frame = read_published_csv(path)
        except Exception as e:  # a CSV pandas cannot read is still scanned as text
            self.add(path, "", "unreadable", f"not a readable CSV ({e})")
            return
        if is_indicators_table(frame):
            if self.expect is not None:
                for loc, kind, detail in check_indicators_csv(frame, self.expect.analyst):
                    self.add(path, loc, kind, detail)
            self.published_tables.append(frame)
        else:
            problem = records_problem(frame.columns, len(frame))
            if problem:
                self.add(path, "", "records", problem)

    def audit_xlsx(self, path: Path) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                rows = [
                    ["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)
                ]
                where = f"sheet {ws.title!r}"
                self.scan_ids(path, where, "\n".join("\t".join(r) for r in rows))
                if rows:
                    problem = records_problem(rows[0], len(rows) - 1)
                    if problem:
                        self.add(path, where, "records", problem)
                    table = Table(ws.title, rows[0], rows[1:])
                    for i, j, cell in small_count_cells(table, self.k):
                        self.add(
                            path,
                            f"{where}, row {i + 2}, column {j + 1}",
                            "small_count",
                            f"shows the count {cell!r} (from 1 to {self.k})",
                        )
        finally:
            wb.close()

    def audit_pdf(self, path: Path) -> None:
        from pypdf import PdfReader

        reader = PdfReader(path)
        text = "\n".join((p.extract_text() or "") for p in reader.pages)
        self.scan_ids(path, "text", text)
        self.check_sentences(path, "text", normalise_text(text), markdown=False)

    def audit_run_log(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8", errors="replace")
        self.scan_ids(path, "", text)
        if self.expect is None:
            return
        for line in text.splitlines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if ev.get("event") == "params" and ev.get("year") == self.expect.params.year:
                used = ((ev.get("params") or {}).get("suppression") or {}).get("min_count")
                if isinstance(used, int) and used < self.k:
                    self.add(
                        path,
                        "params event",
                        "suppression",
                        f"the outputs were built with suppression.min_count {used}; "
                        f"the audit expects {self.k}",
                    )

    def audit_file(self, path: Path) -> None:
        suffix = path.suffix.lower()
        handler = {
            ".html": self.audit_html_file,
            ".htm": self.audit_html_file,
            ".ipynb": self.audit_notebook,
            ".csv": self.audit_csv,
            ".xlsx": self.audit_xlsx,
            ".pdf": self.audit_pdf,
        }.get(suffix)
        if path.name == "run.log":
            handler = self.audit_run_log
        if handler is None:
            try:
                raw = path.read_bytes()
            except OSError as e:
                self.add(path, "", "unreadable", str(e))
                return
            if b"\0" in raw[:4096]:
                self.add(path, "", "unchecked", "binary file, not searched")
                return
            handler = lambda p: self.scan_ids(p, "", raw.decode("utf-8", "replace"))  # noqa: E731
        try:
            handler(path)
        except Exception as e:  # one broken file must not hide the findings of the others
            self.add(path, "", "unreadable", f"{type(e).__name__}: {e}")
        self.report.files.append(path.relative_to(self.year_dir).as_posix())

    def audit_recoverability(self) -> None:
        """The attacker of the threat model (:mod:`wres_utils.attack`) on every published
        indicators table together: no withheld count of 1..k may be narrowed below the
        protection width; no withheld part may equal its total by itself beside zeros."""
        from wres_utils import attack, publishing

        if self.expect is None or not self.published_tables:
            return
        published = pd.concat(self.published_tables, ignore_index=True)
        if "status" not in published or "value" not in published:
            return
        truth = self.expect.truth if not self.expect.truth.empty else self.expect.analyst
        sup = self.expect.params.suppression
        width = sup.protection_width
        result = attack.attack(
            truth,
            published,
            self.k,
            width=width,
            round_to={
                u.id: publishing.rounding(self.expect.params, u) for u in self.expect.params.units()
            },
            # A cell's search stops once it is shown protected: an exposed cell's interval is
            # exact (both extremes solved), a protected one's at least the width.
            exact=False,
            exempt_board=sup.board_public,
        )
        self.attack_result = result
        for _, r in result[result["exposed"]].iterrows():
            label = ", ".join(f"{c} {r[c]}" for c in _KEY if str(r[c]) not in ("", "nan", "<NA>"))
            self.add(
                "*/indicators.csv",
                "all units together",
                "recoverable",
                f"the withheld count ({label}) is narrowed to {int(r['lo'])}-{int(r['hi'])} "
                f"by a reader of every published table (integer programming; the protection "
                f"width is {width})",
            )
        for label in attack.attribute_disclosures(truth, published):
            self.add("*/indicators.csv", "all units together", "attribute", label)
        n = len(result)
        narrowest = int((result["hi"] - result["lo"]).min()) if n else None
        self.report.notes.append(
            f"attacker (integer programming, HiGHS): {n} withheld count(s) of 1 to {self.k}; "
            f"{int(result['exposed'].sum()) if n else 0} narrowed below the protection width "
            f"{width}" + (f"; every interval is at least {narrowest} wide" if n else "")
        )


def _join(v: object) -> str:
    return "".join(v) if isinstance(v, list) else str(v or "")


def _strings(obj: object, key: str = "") -> Iterator[str]:
    """Every string of a notebook's JSON except embedded binary data (images)."""
    if key in _BINARY_MIME:
        return
    if isinstance(obj, str):
        yield strip_data_uris(obj)
    elif isinstance(obj, list):
        if obj and all(isinstance(x, str) for x in obj):
            yield strip_data_uris("".join(obj))
        else:
            for x in obj:
                yield from _strings(x, key)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(v, str(k))


def audit_outputs(
    year_dir: Path | str,
    expectation: YearExpectation | None = None,
    *,
    identifiers: Iterable[str] = (),
    min_count: int | None = None,
) -> AuditReport:
    """Audit every file under ``year_dir`` against an expectation (see :func:`audit_year`).

    Without ``expectation`` only the generic checks run: ``identifiers`` searched in all text,
    tables of records, bare counts from 1 to ``min_count`` (default 7) in table cells.
    """
    year_dir = Path(year_dir)
    if expectation is not None:
        ids = set(expectation.identifiers) | set(identifiers)
        k = expectation.min_count if min_count is None else int(min_count)
    else:
        ids, k = set(identifiers), 7 if min_count is None else int(min_count)
    auditor = _Auditor(year_dir, expectation, k, ids)
    rep = auditor.report
    if k < 1:
        auditor.add(
            "(params)", "suppression.min_count", "suppression", "0: no disclosure control at all"
        )
    rep.notes.append(
        f"threshold k = {k}; {len(auditor.scanner.ids)} record identifiers searched "
        f"(shorter than {MIN_ID_LENGTH} characters, or digits only and shorter than "
        f"{MIN_NUMERIC_ID_LENGTH}, are not searched: {len(ids) - len(auditor.scanner.ids)} "
        "skipped); text inside images is not read"
    )
    if expectation is not None:
        for sub in sorted(p for p in year_dir.iterdir() if p.is_dir()):
            if sub.name in expectation.members:
                auditor.add(
                    sub,
                    "",
                    "members_published",
                    "a member of a joint group is published beside its joint report: the "
                    "reader subtracts (members publish through the joint report only)",
                )
            elif sub.name not in expectation.units:
                auditor.add(
                    sub, "", "unknown_folder", "not a unit of the params: generic checks only"
                )
    for path in sorted(p for p in year_dir.rglob("*") if p.is_file()):
        auditor.audit_file(path)
    auditor.audit_recoverability()
    return rep


def audit_year(
    year_dir: Path | str,
    params_dir: Path | str = "params",
    *,
    root: Path | str | None = None,
    min_count: int | None = None,
) -> AuditReport:
    """Audit every published file under ``year_dir`` (``reports/<year>``).

    The year is the folder's name; the params are ``params_dir/<year>.yaml`` (with up to two
    previous years, as the pipeline loads them) and the inputs are read relative to ``root``
    (default: the parent of ``params_dir``). ``min_count`` overrides the params' threshold k.
    Raises :class:`ValueError` when ``year_dir`` is not a folder named by a year, and
    ``ParamsError``/``InputError`` when the params or the inputs cannot be loaded.
    """
    year_dir = Path(year_dir)
    if not year_dir.is_dir():
        raise ValueError(f"{year_dir}: not a folder")
    if not year_dir.name.isdigit():
        raise ValueError(f"{year_dir}: the folder name must be the WRES year (e.g. reports/2021)")
    params_dir = Path(params_dir)
    root = Path(root) if root is not None else params_dir.resolve().parent
    expect = expected_year(int(year_dir.name), params_dir, root, min_count)
    return audit_outputs(year_dir, expect)
