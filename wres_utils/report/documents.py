"""The documents published beside each year's report, in the unit's folder.

- ``action-plan.html`` and ``action-plan.pdf``: the unit's action plan as a document of its
  own: a title with the organisation and the year, what the plan is and where its figures
  are, then every action (taken, planned, owner, due date, measure of success, the finding
  it answers) as one accessible table (:func:`wres_utils.report.views.action_plan_table`, the
  table the report and the workbook show).
- ``wres-return.pdf``: the filled reporting template as PDF, beside ``wres-return.xlsx`` and
  with the same content: both are made from :func:`wres_utils.report.workbook.return_sheets`
  (each sheet a section of the PDF, each of its tables an HTML table). The HTML it is printed
  from is not published.

Both are made from the unit's PUBLISHED rows (display strings that passed disclosure
control) and its action plan, as the workbook is: no suppressed figure can reach them (the
submission copy's counts, :mod:`wres_utils.run.submission`, never come here). Every text
(action plans, params, sentences) is escaped: text, never markup. The page is
:func:`render.page_html`'s (the report's stylesheet, reader controls, CSP, ``lang="en-GB"``)
with the documents' stylesheet (``templates/wres/static/documents.css``: landscape pages, long
words broken); the PDFs are printed by :func:`render.html_pdf` (the restricted fetcher, no
attachment).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from wres_utils.core.actionplan import ActionPlan
from wres_utils.core.catalogue import LEGEND
from wres_utils.report import render, tables, views, workbook

ACTION_PLAN_HTML = "action-plan.html"
ACTION_PLAN_PDF = "action-plan.pdf"
#: The filled template as PDF: the workbook's name with ``.pdf``.
RETURN_PDF = Path(workbook.FILE_NAME).with_suffix(".pdf").name


def table_class(kind: str) -> str | None:
    """The ``class`` of a table of ``kind`` (:attr:`workbook.Part.kind`: ``"indicators"``,
    ``"plan"``...) in the documents: its column widths in print (``documents.css``,
    ``table.wres-cols-<kind>``). None for a table without a kind (the default widths)."""
    return f"wres-cols-{kind}" if kind else None


# --------------------------------------------------------------------------- the action plan


def action_plan_title(ch: views.Chapter) -> str:
    return f"WRES {ch.year} action plan: {ch.unit_name}"


def action_plan_body(ch: views.Chapter, links: bool = True) -> str:
    """The action plan's ``<main>`` content. ``links``: the reference to the report is a
    link (the web page); the PDF names the file instead (a PDF's relative link would point
    at the folder it was printed in)."""
    e = html.escape
    year = ch.year
    report = (
        f'<a href="report.html">WRES {year} report</a>'
        if links
        else f"WRES {year} report (report.html, beside this file)"
    )
    parts = [
        f"<p>What {e(ch.unit_name)} has done, and will do, about the findings of its "
        f"Workforce Race Equality Standard (WRES) report for {year}. For each indicator: the "
        "action taken during the year, the action planned, who owns it, by when, how success "
        "will be measured and the finding of the report it answers.</p>",
        f"<p>The figures behind each finding are in the {report}. The same plan closes the "
        "report and is part of the filled reporting template.</p>",
    ]
    if ch.plan.is_empty:
        why = f" ({e(ch.plan.note)})" if ch.plan.note else ""
        parts.append(f"<p><strong>No action was recorded for {year}{why}.</strong></p>")
    parts.append(
        tables.html_table(
            views.action_plan_table(ch),
            caption=f"Action plan, WRES {year}",
            table_class=table_class("plan"),  # the template's plan table (workbook.Part.kind)
        )
    )
    return "\n".join(parts)


def write_action_plan(
    folder: Path, rows: pd.DataFrame, context: dict, plan: ActionPlan, pdf: bool = True
) -> list[Path]:
    """Write ``action-plan.html`` (and with ``pdf`` ``action-plan.pdf``) into ``folder``;
    return the paths written. ``rows``, ``context`` and ``plan`` are as for
    :func:`workbook.write_return`."""
    folder = Path(folder)
    ch = workbook.chapter(rows, context, plan)
    title = action_plan_title(ch)
    page = render.page_html(title, action_plan_body(ch), ch.synthetic, document=True)
    out = [render.write_page(page, folder / ACTION_PLAN_HTML)]
    if pdf:
        printed = render.page_html(title, action_plan_body(ch, False), ch.synthetic, document=True)
        out.append(render.html_pdf(printed, folder / ACTION_PLAN_PDF, title))
    return out


# --------------------------------------------------------------------------- the template


def _part_html(part: workbook.Part, caption: str) -> str:
    """A part of a sheet: its table captioned by its heading, then the lines after it. The
    page is only printed: its symbols are plain text (``spoken=False``); the legend under the
    table says what the symbols it shows mean, so a line after it loses the legend it starts
    with (the workbook needs it, having no legend; printed twice here otherwise)."""
    out = [tables.html_table(part.table, caption, table_class=table_class(part.kind), spoken=False)]
    for line in part.after:
        for meaning in LEGEND.values():
            if line.startswith(meaning):
                line = line[len(meaning) :].strip()
        if line:
            out.append(f"<p>{html.escape(line)}</p>")
    return "".join(out)


def return_body(sheets: Sequence[workbook.Sheet]) -> str:
    """The template's ``<main>`` content: one section per sheet; the first sheet's title is
    the page's ``<h1>`` (:func:`return_pdf`), the others' are ``<h2>``; each table is
    captioned by its heading in the workbook (or by its sheet's title)."""
    e = html.escape
    out = []
    for i, sheet in enumerate(sheets):
        head = "" if i == 0 else f"<h2>{e(sheet.title)}</h2>"
        lead = "".join(f"<p>{e(line)}</p>" for line in sheet.lead)
        parts = "".join(_part_html(p, p.heading or sheet.title) for p in sheet.parts)
        out.append(f'<section class="wres-sheet">{head}{lead}{parts}</section>')
    return "\n".join(out)


def return_pdf(
    path: Path,
    rows: pd.DataFrame,
    context: dict,
    plan: ActionPlan,
    sheets: Sequence[workbook.Sheet] | None = None,
) -> Path:
    """Print the filled reporting template to ``path`` (``wres-return.pdf``), the same content
    as :func:`workbook.write_return` writes to the workbook; return ``path``. ``sheets``:
    :func:`workbook.return_sheets` of the same rows, context and plan, when already made."""
    if "display" not in rows.columns:
        raise ValueError("return_pdf needs the published (disclosed) indicators rows")
    path = Path(path)
    ch = workbook.chapter(rows, context, plan)
    if sheets is None:
        sheets = workbook.return_sheets(ch)
    title = sheets[0].title
    page = render.page_html(title, return_body(sheets), ch.synthetic, document=True)
    return render.html_pdf(page, path, title)


# --------------------------------------------------------------------------- all of them


def write_documents(
    folder: Path, rows: pd.DataFrame, context: dict, plan: ActionPlan, pdf: bool = True
) -> list[Path]:
    """Write the unit's documents beside its report into ``folder``: the filled template
    (``wres-return.xlsx``; with ``pdf`` also ``wres-return.pdf``, from the same sheets, made
    once) and the action plan (``action-plan.html``; with ``pdf`` also ``action-plan.pdf``).
    Returns the paths written."""
    folder = Path(folder)
    sheets = workbook.return_sheets(workbook.chapter(rows, context, plan))
    out = [workbook.write_return(folder / workbook.FILE_NAME, rows, context, plan, sheets)]
    if pdf:
        out.append(return_pdf(folder / RETURN_PDF, rows, context, plan, sheets))
    return out + write_action_plan(folder, rows, context, plan, pdf)


def file_names(pdf: bool = True) -> list[str]:
    """The names :func:`write_documents` writes."""
    names = [workbook.FILE_NAME, RETURN_PDF, ACTION_PLAN_HTML, ACTION_PLAN_PDF]
    return [n for n in names if pdf or not n.endswith(".pdf")]
