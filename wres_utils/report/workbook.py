"""The filled WRES return: ``reports/<year>/<unit>/wres-return.xlsx`` (and its PDF).

What the return holds is made once, by :func:`return_sheets` (sheets of titled tables); the
workbook is written from them here and the PDF, ``wres-return.pdf``, is printed from the same
sheets by :mod:`wres_utils.report.documents`.

Laid out like NHS England's WRES reporting template (docs/methodology.md, "The reporting
template"): the header fields; 1 background narrative (1a completeness of data, 1b reliability
of comparisons with previous years); 2 total staff (2a headcount, 2b proportion BME);
3 self-reporting (3a proportion who self-reported, 3b steps taken, 3c steps planned); 4 the
workforce data date; then each indicator with this year's and last year's figure, the
narrative sentence and the action taken and planned; indicator 1 as band x ethnicity tables
(non-clinical and clinical, this year and last year) on sheets of their own; the action plan;
notes.

Everything in the workbook comes from the unit's PUBLISHED indicators rows (the display
strings that passed :func:`wres_utils.disclosure.gate.disclose`), so no suppressed figure can reach
it; sentences come from :mod:`wres_utils.report.narrative`, which reads display strings only.

Escaping: a text cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return) is written with a leading apostrophe (``'``), so that neither Excel nor a CSV exported
from it treats it as a formula (OWASP "CSV injection"). This includes figures such as
``'-3.4 pp``; :func:`unescape` gives the text back.

Figures are numbers: a display string of a figure (``"23.1%"``, ``"1.52"``, ``"0.152"``,
``"1,234"``, ``"+3.2 pp"``) is written as a number with an Excel number format that shows
it exactly so (:func:`figure_cell`; a percentage is stored as a fraction, 23.1% = 0.231), so an
analyst can recompute from it; ``[c]`` and the other blanks stay text. The number is the
displayed (rounded) figure: the workbook is published, so it carries nothing the tables do
not show. :func:`cell_display` gives the display string back.

Deterministic: the same inputs give the same bytes. Workbook properties are fixed (creator,
title, created and modified = 31 March of the WRES year, no timestamps of the run) and every
member of the zip archive carries that date.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from wres_utils.core import rounding, survey
from wres_utils.core.actionplan import SELF_REPORTING, ActionPlan
from wres_utils.core.catalogue import UNAVAILABLE
from wres_utils.core.params import Labels
from wres_utils.disclosure.gate import table_note
from wres_utils.report import appendix, views

FILE_NAME = "wres-return.xlsx"
#: Characters that make a spreadsheet treat a text cell as a formula.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
CREATOR = "wres (WRES reporting pipeline)"
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="E8EDEE")
_WRAP = Alignment(wrap_text=True, vertical="top")
#: Sheet names.
MAIN_SHEET = "WRES return"
BAND_SHEETS = {"non-clinical": "Indicator 1 non-clinical", "clinical": "Indicator 1 clinical"}
PLAN_SHEET = "Action plan"
NOTES_SHEET = "Notes"
#: Answer of 3b/3c when the action plan has no ``self_reporting`` entry.
NOT_IN_PLAN = "None recorded this year (see the actions on indicator 1)."
#: The indicators in template order.
INDICATORS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b")


def escape(text: str) -> str:
    """``text`` with a leading apostrophe when it begins like a formula (see the docstring)."""
    return ESCAPE + text if text.startswith(FORMULA_STARTS) else text


def unescape(text: str) -> str:
    """The inverse of :func:`escape` for a cell read back from the workbook."""
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


#: Excel number formats of the figures, by kind (each shows the figure as displayed).
NUMBER_FORMATS: dict[str, str] = {
    "percent": "0.0%",
    "ratio": "0.00",
    "rate": "0.000",
    "count": "#,##0",
    "points": '+0.0" pp";-0.0" pp";0.0" pp"',
}
_FIGURE = re.compile(
    r"^(?:(?P<pct>-?\d+\.\d)%|(?P<pp>[+-]?\d+\.\d) pp|(?P<ratio>-?\d+\.\d\d)"
    r"|(?P<rate>-?\d+\.\d\d\d)|(?P<count>\d{1,3}(?:,\d{3})*|\d+))$"
)


def figure_cell(text: str) -> tuple[float | int, str] | None:
    """(number, Excel number format) of a figure's display string; None for other text.

    ``"23.1%"`` -> (0.231, "0.0%"); ``"1.52"`` -> (1.52, "0.00"); ``"0.152"`` ->
    (0.152, "0.000"); ``"1,234"`` -> (1234, "#,##0"); ``"+3.2 pp"`` -> (3.2, points).
    """
    m = _FIGURE.match(text.strip())
    if m is None:
        return None
    if m["pct"] is not None:
        return round(float(m["pct"]) / 100, 6), NUMBER_FORMATS["percent"]
    if m["pp"] is not None:
        return float(m["pp"]), NUMBER_FORMATS["points"]
    if m["ratio"] is not None:
        return float(m["ratio"]), NUMBER_FORMATS["ratio"]
    if m["rate"] is not None:
        return float(m["rate"]), NUMBER_FORMATS["rate"]
    return int(m["count"].replace(",", "")), NUMBER_FORMATS["count"]


def cell_display(value: object, number_format: str = "General") -> str:
    """The text a reader sees in a cell written by this module (its display string)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unescape(value)
    kind = {v: k for k, v in NUMBER_FORMATS.items()}.get(number_format)
    if kind == "percent":
        return rounding.format_percent(float(value) * 100)
    if kind == "points":
        return rounding.format_points(float(value))
    if kind == "ratio":
        return rounding.format_ratio(float(value))
    if kind == "rate":
        return rounding.format_rate(float(value))
    if kind == "count":
        return rounding.format_count(value)
    return str(value)


def _put(
    ws: Worksheet,
    row: int,
    col: int,
    value: object,
    font: Font | None = None,
    figure: bool = False,
) -> None:
    """Write one cell: text (escaped), or with ``figure`` a figure's display string as a
    number with its number format (text when it is not a figure, such as ``[c]``)."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    cell = ws.cell(row=row, column=col)
    number = figure_cell(text) if figure and text else None
    if number is not None:
        cell.value, cell.number_format = number
    else:
        cell.value = escape(text) if text else None
        if cell.value is not None:
            cell.data_type = "s"
    cell.alignment = _WRAP
    if font is not None:
        cell.font = font


def _table(
    ws: Worksheet, row: int, df: pd.DataFrame, col: int = 1, figures: Collection[str] = ()
) -> int:
    """Write ``df`` (header row + rows) from ``row``; return the next free row. The columns
    named in ``figures`` hold figures, written as numbers (:func:`figure_cell`)."""
    for j, name in enumerate(df.columns):
        _put(ws, row, col + j, name, _BOLD)
        ws.cell(row=row, column=col + j).fill = _HEAD_FILL
    numeric = [str(c) in figures for c in df.columns]
    for i, values in enumerate(df.itertuples(index=False), start=1):
        for j, v in enumerate(values):
            _put(ws, row + i, col + j, v, figure=numeric[j])
    return row + len(df) + 2


def chapter(rows: pd.DataFrame, context: dict, plan: ActionPlan) -> views.Chapter:
    """The unit's chapter of its PUBLISHED rows (what the return and the documents beside the
    report are built from: :mod:`wres_utils.report.documents`)."""
    return views.Chapter(
        context=context,
        indicators=rows.reset_index(drop=True),
        quality=pd.DataFrame(),
        plan=plan,
        labels=Labels(**context.get("labels", {})),
    )


def _for_year(ch: views.Chapter, year: int) -> views.Chapter:
    return dataclasses.replace(ch, context={**ch.context, "year": int(year)})


def _pick(ch: views.Chapter, ind: str, year: int, stat: str, group: str, **where: str) -> str:
    d = ch.indicators
    d = d[
        (d["indicator"] == ind)
        & (d["year"] == year)
        & (d["statistic"] == stat)
        & (d["group"] == group)
    ]
    for col, val in where.items():
        d = d[d[col] == val]
    if d.empty:  # not collected (the sheet's 1a text says which), or no such figure
        return UNAVAILABLE
    return views.shown(d)


def indicator_lines(ch: views.Chapter) -> list[tuple[str, str, str, str, dict]]:
    """(indicator, measure, statistic, group, extra filters) of each line of the return."""
    lab = ch.labels
    one = {"band": "All", "clinical": "all"}
    lines: list[tuple[str, str, str, str, dict]] = [
        ("1", f"% of staff who are {lab.bme} (whole workforce)", "percent", "BME", one),
        ("1", f"% of staff who are {lab.white} (whole workforce)", "percent", "White", one),
        ("1", f"% of staff who are {lab.unknown} (whole workforce)", "percent", "Unknown", one),
    ]
    rr_words = {
        "2": (lab.white, lab.bme, "appointed from shortlisting", "applicants"),
        "3": (lab.bme, lab.white, "entering the formal disciplinary process", "staff"),
        "4": (lab.white, lab.bme, "accessing non-mandatory training and CPD", "staff"),
    }
    for ind, (a, b, what, pop) in rr_words.items():
        measure = f"Relative likelihood of {a} {pop} {what} compared to {b} {pop}"
        if ind == "3":  # the headline basis of params first (the template's), then the other
            for k, (stat, words) in enumerate(views.indicator3_lines(ch)):
                lines.append((ind, f"{measure} ({words}{'' if k else '; headline'})", stat, "", {}))
        else:
            lines.append((ind, measure, "relative_likelihood", "", {}))
        lines.append((ind, f"Rate: {lab.white} {pop}", "rate", "White", {}))
        lines.append((ind, f"Rate: {lab.bme} {pop}", "rate", "BME", {}))
    for ind in ("5", "6", "7", "8"):
        for g, label in (("White", lab.white), ("BME", lab.bme)):
            lines.append((ind, f"% of {label} staff", "percent", g, {}))
    for ind, role in (("9a", "voting"), ("9b", "executive")):
        lines.append(
            (
                ind,
                f"Difference: {lab.bme} % of {role} Board members minus {lab.bme} % of the "
                "workforce (percentage points)",
                "percentage_points",
                "",
                {},
            )
        )
        lines.append((ind, f"{lab.bme} % of {role} Board members", "percent", "BME", {}))
        lines.append((ind, f"{lab.bme} % of the workforce", "workforce_percent", "BME", {}))
    return lines


def _background(ch: views.Chapter) -> tuple[str, str]:
    """Texts of 1a (completeness of data) and 1b (reliability of comparisons)."""
    year = ch.year
    decl = _pick(ch, "1", year, "declaration_rate", "", band="All", clinical="all")
    parts = [f"Ethnicity was recorded for {decl} of staff in post at 31 March {year}."]
    missing = appendix.collected_table(ch)
    nc = missing[missing["Status"] == "not collected"]
    if not nc.empty:
        parts.append(
            "Not collected this year: "
            + "; ".join(f"indicator {r.Indicator} ({r.Reason})" for r in nc.itertuples())
            + "."
        )
    parts.append(
        "Counts from 1 to the disclosure threshold, and figures built on them, are withheld "
        "([c]) to protect individual staff."
    )
    d = ch.indicators
    redesign = d[(d["year"] == year) & d["indicator"].isin(["5", "6", "7", "8"])]
    flagged = (
        redesign["redesign"].astype(str).str.lower().isin(["true", "1"]).any()
        if ("redesign" in redesign)
        else False
    )
    comp = (
        "Last year's figures are recomputed from last year's data by the same method as this "
        "year's, so the two are comparable."
    )
    if flagged:
        comp += (
            f" A staff survey question behind indicators 5-8 changed between the "
            f"{year - 2} and {year - 1} surveys: those comparisons are not like for like."
        )
    elif all(survey.renumbered_between(i, year - 2, year - 1) for i in ("5", "6", "7", "8")):
        comp += (
            f" The staff survey questions behind indicators 5-8 were renumbered between the "
            f"{year - 2} and {year - 1} surveys with the same wording, so they compare."
        )
    if ch.context.get("unit", {}).get("is_joint"):
        comp += " This is a joint report: the members' counts are added up before computing."
    return " ".join(parts), comp


@dataclasses.dataclass(frozen=True)
class Part:
    """One table of the return: a heading line (may be empty), the table, the columns that
    hold figures (numbers in the workbook), the lines after it (the ``[c]`` note...) and
    what kind of table it is (``"indicators"``, ``"bands"``...: its column widths in the
    PDF, :func:`wres_utils.report.documents.table_class`; the workbook's are the sheet's)."""

    heading: str
    table: pd.DataFrame
    figures: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    kind: str = ""


@dataclasses.dataclass(frozen=True)
class Sheet:
    """One sheet of the return: its name, title, a banner and lines under the title, its
    tables in order and its column widths (the workbook's only)."""

    name: str
    title: str
    parts: tuple[Part, ...]
    banner: str = ""
    lead: tuple[str, ...] = ()
    widths: tuple[tuple[str, float], ...] = ()


def _main_sheet(ch: views.Chapter) -> Sheet:
    year, last = ch.year, ch.year - 1
    totals = views.totals_table(ch)
    fig = dict(zip(totals["Template section"], totals["Figure"], strict=True))
    bme = ch.labels.bme
    a1, b1 = _background(ch)
    sections = [
        ("1", "Background narrative", ""),
        ("1a", "Any issues of completeness of data", a1),
        ("1b", "Any matters relating to reliability of comparisons with previous years", b1),
        ("2", "Total numbers of staff", ""),
        (
            "2a",
            "Employed within this organisation at the date of the report",
            fig["2a. Total staff (headcount)"],
        ),
        (
            "2b",
            f"Proportion of {bme} staff employed within this organisation at the date of "
            "the report",
            fig[f"2b. Proportion of staff who are {bme}"],
        ),
        ("3", "Self-reporting", ""),
        (
            "3a",
            "The proportion of total staff who have self-reported their ethnicity",
            fig["3a. Proportion of staff who have self-reported their ethnicity"],
        ),
        (
            "3b",
            "Have any steps been taken in the last reporting period to improve the level "
            "of self-reporting by ethnicity",
            ch.plan.for_indicator(SELF_REPORTING).taken.strip() or NOT_IN_PLAN,
        ),
        (
            "3c",
            "Are any steps planned during the current reporting period to improve the "
            "level of self-reporting by ethnicity",
            ch.plan.for_indicator(SELF_REPORTING).planned.strip() or NOT_IN_PLAN,
        ),
        ("4", "Workforce data", ""),
        (
            "4a",
            "What period does the organisation's workforce data refer to?",
            f"31 March {year} (indicators 2-4: 1 April {year - 1} to 31 March {year}; "
            f"indicators 5-8: the {year - 1} NHS Staff Survey)",
        ),
    ]
    cols = [
        "Indicator",
        "Measure",
        f"Data for reporting year ({year})",
        f"Data for previous year ({last})",
        "Narrative: the implications of the data",
        "Action taken",
        "Action planned",
    ]
    out = []
    seen: set[str] = set()
    for ind, measure, stat, group, where in indicator_lines(ch):
        first = ind not in seen
        seen.add(ind)
        act = ch.plan.for_indicator(ind)
        out.append(
            {
                cols[0]: ind,
                cols[1]: measure,
                cols[2]: _pick(ch, ind, year, stat, group, **where),
                cols[3]: _pick(ch, ind, last, stat, group, **where),
                cols[4]: views.sentence(ch, ind) if first else "",
                cols[5]: (act.taken.strip() or "None recorded.") if first else "",
                cols[6]: (act.planned.strip() or "None recorded.") if first else "",
            }
        )
    return Sheet(
        name=MAIN_SHEET,
        title=f"NHS Workforce Race Equality Standard (WRES) {year} reporting template: "
        f"{ch.unit_name}",
        banner=views.SYNTHETIC_BANNER if ch.synthetic else "",
        parts=(
            Part("Reporting template header", views.header_table(ch), kind="header"),
            Part(
                "Background narrative, staff numbers, self-reporting and workforce data",
                pd.DataFrame(sections, columns=["Section", "Question", "Answer"]),
                figures=("Answer",),
                kind="sections",
            ),
            Part(
                "Workforce Race Equality Indicators",
                pd.DataFrame(out, columns=cols),
                figures=tuple(cols[2:4]),
                after=(
                    "Indicator 1 by pay band: see "
                    + " and ".join(BAND_SHEETS.values())
                    + " (a sheet each).",
                    table_note(**_suppression(ch)),
                ),
                kind="indicators",
            ),
        ),
        widths=(("A", 12), ("B", 48), ("C", 16), ("D", 16), ("E", 60), ("F", 60), ("G", 60)),
    )


def _suppression(ch: views.Chapter) -> dict:
    s = ch.context.get("suppression", {}) or {}
    return {"min_count": int(s.get("min_count", 7)), "round_to": s.get("round_to")}


def band_sheet_table(ch: views.Chapter, clinical: str) -> pd.DataFrame:
    """Indicator 1 for one staff group: this year's and last year's band x group table."""
    now = views.band_table(ch, clinical)
    prev = views.band_table(_for_year(ch, ch.year - 1), clinical)
    key = "Pay band"
    if now.empty and prev.empty:
        return pd.DataFrame(columns=[key])
    parts = []
    for y, t in ((ch.year, now), (ch.year - 1, prev)):
        if t.empty:
            t = pd.DataFrame(columns=[key])
        parts.append(t.rename(columns={c: f"{c} ({y})" for c in t.columns if c != key}))
    merged = parts[0].merge(parts[1], on=key, how="outer", sort=False)
    order = [b for b in list(now.get(key, [])) + list(prev.get(key, []))]
    rank = {b: i for i, b in enumerate(dict.fromkeys(order))}
    merged = merged.sort_values(key, key=lambda s: s.map(rank), kind="stable")
    return merged.fillna(UNAVAILABLE).reset_index(drop=True)


def return_sheets(ch: views.Chapter) -> list[Sheet]:
    """The return's sheets, in order: the ONE source of what the return holds, written as the
    workbook (:func:`build_workbook`) and printed as its PDF
    (:func:`wres_utils.report.documents.return_page`)."""
    note = table_note(**_suppression(ch))
    sheets = [_main_sheet(ch)]
    for clinical, name in BAND_SHEETS.items():
        bands = band_sheet_table(ch, clinical)
        sheets.append(
            Sheet(
                name=name,
                title=f"Indicator 1: {clinical} staff by pay band and ethnic group",
                lead=("Percentage of the staff in each band; Staff = all staff in the band.",),
                parts=(
                    Part(
                        "",
                        bands,
                        figures=tuple(c for c in bands.columns if c != "Pay band"),
                        after=(note,),
                        kind="bands",
                    ),
                ),
                widths=(("A", 30),),
            )
        )
    sheets.append(
        Sheet(
            name=PLAN_SHEET,
            title=f"Action plan, WRES {ch.year}",
            parts=(Part("", views.action_plan_table(ch), kind="plan"),),
            widths=(("B", 60), ("C", 60)),
        )
    )
    extra = pd.DataFrame(
        [
            ("[c]", note),
            (
                "Figures",
                "figures are numbers, rounded as shown (percentages are stored as fractions "
                "with a percentage format); [c] and the other blanks are text",
            ),
            (
                "Text cells",
                "a cell whose text begins with =, +, - or @ is written with a leading "
                "apostrophe (') so that it is never read as a formula",
            ),
            ("Source", "computed by the wres pipeline from the organisation's own data"),
        ],
        columns=["Topic", "Method"],
    )
    sheets.append(
        Sheet(
            name=NOTES_SHEET,
            title="Notes and methods",
            parts=(
                Part(
                    "",
                    pd.concat([appendix.methods_table(ch), extra], ignore_index=True),
                    kind="notes",
                ),
            ),
            widths=(("A", 28), ("B", 100)),
        )
    )
    return sheets


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ws.title = sheet.name
    for col, width in sheet.widths:
        ws.column_dimensions[col].width = width
    _put(ws, 1, 1, sheet.title, _TITLE)
    row = 2
    if sheet.banner:
        _put(ws, row, 1, sheet.banner, _BOLD)
        row += 1
    for line in sheet.lead:
        _put(ws, row, 1, line)
        row += 1
    row += 1
    for part in sheet.parts:
        if part.heading:
            _put(ws, row, 1, part.heading, _BOLD)
            row += 1
        row = _table(ws, row, part.table, figures=part.figures)
        for line in part.after:
            _put(ws, row, 1, line)
            row += 1


def build_workbook(
    rows: pd.DataFrame, context: dict, plan: ActionPlan, sheets: Sequence[Sheet] | None = None
) -> Workbook:
    """The return as an openpyxl Workbook (not saved; see :func:`write_return`). ``sheets``:
    :func:`return_sheets` of the same rows, context and plan, when already made."""
    ch = chapter(rows, context, plan)
    wb = Workbook()
    for i, sheet in enumerate(return_sheets(ch) if sheets is None else sheets):
        _write_sheet(wb.active if i == 0 else wb.create_sheet(sheet.name), sheet)
    year = ch.year
    stamp = datetime(year, 3, 31)
    wb.properties.creator = CREATOR
    wb.properties.lastModifiedBy = CREATOR
    wb.properties.title = f"WRES {year} return: {ch.unit_name}"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def workbook_bytes(wb: Workbook, year: int) -> bytes:
    """The .xlsx bytes of ``wb`` with fixed properties and zip member dates (deterministic)."""
    stamp = datetime(int(year), 3, 31)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter.save() closes the archive; openpyxl's save_workbook would stamp "now".
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def write_return(
    path: Path,
    rows: pd.DataFrame,
    context: dict,
    plan: ActionPlan,
    sheets: Sequence[Sheet] | None = None,
) -> Path:
    """Write the unit's filled WRES return and return its path.

    ``path`` is the .xlsx file to write, or the unit's folder (then ``wres-return.xlsx`` in
    it). ``rows`` are the unit's PUBLISHED indicators rows (``disclosure.published_copy``
    output for the unit, all years), ``context`` the dict ``unit_context`` builds and
    ``plan`` the unit's action plan (``sheets``: as for :func:`build_workbook`). The same
    inputs always give the same bytes.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path / FILE_NAME
    if "display" not in rows.columns:
        raise ValueError("write_return needs the published (disclosed) indicators rows")
    data = workbook_bytes(build_workbook(rows, context, plan, sheets), int(context["year"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
