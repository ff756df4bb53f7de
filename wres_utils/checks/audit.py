"""The disclosure audit (``wres audit reports/<year>``): read every published output, find leaks.

The audit is independent of the run that wrote the outputs: it re-loads the year's inputs
itself (params, extracts) and recomputes the analyst's copy of the indicators twice, once
through disclosure control with the params' threshold k (what may be published) and once with
no suppression (what must not be). Then it reads every file under ``reports/<year>/`` and
reports a :class:`Finding` for each problem:

errors (the audit fails)
    ``identifier``        a record-level identifier of the inputs (staff_id, application_id,
                          vacancy_id, case_id, member_id) appears in any text of any file
                          (HTML text and attributes, the text of SVG charts, notebook
                          sources and outputs, PDF text, CSV, XLSX cells, run.log).
                          Identifiers shorter than :data:`MIN_ID_LENGTH` characters, or
                          made of digits only and shorter than :data:`MIN_NUMERIC_ID_LENGTH`,
                          are not searched (they would match ordinary numbers); this is said
                          in the report.
    ``suppressed_shown``  a figure that disclosure control suppresses is shown: a row of an
                          indicators CSV, a cell of a report table (compared cell by cell with
                          the table :mod:`wres_utils.report.views` builds from the disclosed copy),
                          a chart's data table, alt text or drawn text (an SVG chart's
                          labels and values, compared with the chart drawn from the disclosed
                          copy), or a plain-English sentence.
    ``small_count``       a table cell shows a bare whole number from 1 to k (never a valid
                          published count, whatever the table).
    ``recoverable``       a suppressed count can be worked out from the counts published in
                          the indicators CSVs of all the year's units together (the ties of
                          :mod:`wres_utils.disclosure.gate`, checked by linear algebra).
    ``records``           an output shows a DataFrame of records (a column named like a
                          record-level field, or more than :data:`MAX_TABLE_ROWS` rows), the
                          counts table, or analyst-only columns.
    ``suppression``       the audit threshold is 0 (disclosure control off), or the run log
                          shows the outputs were built with a lower threshold than params give.
    ``live_content``      an HTML page or notebook output holds a script, an event handler, a
                          ``javascript:`` URL, a frame, a style element not from the template, a
                          link element, or (pages) no strict Content-Security-Policy
                          (:func:`wres_utils.report.safetext.page_problems`).
    ``attachment``        a PDF carries an embedded file, a file-attachment annotation or an
                          associated file (:func:`wres_utils.report.pdffetch.pdf_attachments`).
warnings (reported, the audit still passes)
    ``mismatch``          a published figure differs from the disclosed copy without being a
                          leak (e.g. outputs from older inputs); ``unchecked`` a table or chart
                          the audit has no expectation for (only the generic checks ran);
                          ``unknown_folder``, ``unreadable`` (also an SVG image that does not
                          parse: its text cannot be checked).

Which tables and charts the audit expects is listed in :func:`table_builders` and
:func:`chart_builders` (they mirror the notebooks' captions and titles).
"""

from __future__ import annotations

import html as html_lib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from wres_utils.checks.expect import (
    UNCOMPARED_CAPTIONS,
    UnitExpectation,
    YearExpectation,
    expected_year,
)
from wres_utils.checks.findings import (
    BINARY_MIME,
    KEYS,
    MIN_ID_LENGTH,
    MIN_NUMERIC_ID_LENGTH,
    AuditReport,
    Finding,
)
from wres_utils.checks.published_csv import (
    check_indicators_csv,
    is_indicators_table,
    read_published_csv,
)
from wres_utils.checks.scan import (
    UNREADABLE_SVG,
    IdentifierScanner,
    Table,
    compare_table,
    markdown_to_text,
    normalise_text,
    parse_html,
    plain_text_records,
    records_problem,
    small_count_cells,
    strip_data_uris,
)
from wres_utils.core.catalogue import MARKER
from wres_utils.disclosure import attack, policy
from wres_utils.report.workbook import cell_display
from wres_utils.run.runlog import RUNS_DIR

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
            where = f"{location}chart {f.caption!r}".strip()
            self.check_chart_text(file, where, f.text)
            if ue is None or not f.caption:
                continue
            chart = ue.chart(f.caption)
            if chart is None:
                self.add(file, where, "unchecked", "no expected chart for this title")
                continue
            self.compare_chart_text(file, where, f.text, chart)
            if f.alt != chart.alt_text:
                if MARKER in chart.alt_text:
                    self.add(
                        file,
                        where,
                        "suppressed_shown",
                        f"the alt text describes suppressed figures: {f.alt[:160]!r}",
                    )
                else:
                    self.add(file, where, "mismatch", "the alt text differs from the expected")
        self.check_sentences(file, location.rstrip(", ") or "text", text, markdown=False)

    def check_chart_text(self, file: Path, where: str, text: tuple[str, ...]) -> None:
        """What an SVG chart says (its labels and values) is text like any other: searched
        for record identifiers; an SVG that cannot be read is reported, never skipped."""
        if UNREADABLE_SVG in text:
            self.add(file, where, "unreadable", "an embedded SVG image that cannot be read")
        if text:
            self.scan_ids(file, where, "\n".join(text))

    def compare_chart_text(self, file: Path, where: str, text: tuple[str, ...], chart) -> None:
        """Every text of a published SVG chart must be one the chart drawn from the disclosed
        figures draws too: a value it does not (when the chart withholds any) is a suppressed
        figure shown."""
        if not text:  # a raster image: only its alt text can be compared
            return
        from wres_utils.report.svg import svg_text

        expected = svg_text(chart.svg)
        extra = sorted(set(text) - set(expected))
        if not extra:
            return
        shown = ", ".join(repr(t[:40]) for t in extra[:5])
        if MARKER in expected:
            self.add(file, where, "suppressed_shown", f"the chart shows {shown}, not disclosed")
        else:
            self.add(file, where, "mismatch", f"the chart shows {shown}, not expected")

    # -- files

    def check_live(self, file: Path, location: str, source: str, fragment: bool) -> None:
        from wres_utils.report.render import our_scripts, our_styles
        from wres_utils.report.safetext import page_problems

        for problem in page_problems(source, our_styles(), our_scripts(), fragment=fragment):
            self.add(file, location, "live_content", problem)

    def audit_html_file(self, path: Path) -> None:
        source = path.read_text(encoding="utf-8", errors="replace")
        self.check_live(path, "", source, fragment=False)
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
                    self.check_live(path, where, html, fragment=True)
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
                # Each cell as a reader sees it: a figure stored as a number is read through its
                # number format (100.0% is stored as 1, which is not a count of 1).
                rows = [
                    [
                        cell_display(
                            getattr(c, "value", None), getattr(c, "number_format", "General")
                        )
                        for c in r
                    ]
                    for r in ws.iter_rows()
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

        from wres_utils.report.pdffetch import pdf_attachments

        for item in pdf_attachments(path):
            self.add(path, "", "attachment", item)
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
        if path.name == "run.log" or (path.suffix == ".log" and path.parent.name == "runs"):
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
        """The attacker of the threat model (:mod:`wres_utils.disclosure.attack`) on every
        published indicators table together: no withheld count of 1..k may be narrowed below
        the protection width; no withheld part may equal its total by itself beside zeros."""
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
                u.id: policy.rounding(self.expect.params, u) for u in self.expect.params.units()
            },
            # A cell's search stops once it is shown protected: an exposed cell's interval is
            # exact (both extremes solved), a protected one's at least the width.
            exact=False,
            exempt_board=sup.board_public,
        )
        self.attack_result = result
        for _, r in result[result["exposed"]].iterrows():
            label = ", ".join(f"{c} {r[c]}" for c in KEYS if str(r[c]) not in ("", "nan", "<NA>"))
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
    if key in BINARY_MIME:
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
        "skipped); the text of SVG charts is read, text inside raster images is not"
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
            elif sub.name not in expectation.units and sub.name != RUNS_DIR:
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
