"""Render a unit's notebooks to HTML, report.html and report.pdf, write its published
indicators.csv and the documents beside the report (the filled template as XLSX and PDF, the
action plan as HTML and PDF: :mod:`wres_utils.report.documents`), and move the unit's folder
into place atomically (all of them together, or none).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from wres_utils.core.actionplan import ActionPlan
from wres_utils.core.params import Unit
from wres_utils.report import documents, render, safe_csv
from wres_utils.run.model import PREPARED, Setup
from wres_utils.run.prepare import unit_context, unit_rows

# --------------------------------------------------------------------------------------------
# 4. Render and publish, atomically


def section_title(notebook: str) -> str:
    """``02_recruitment_discipline_training`` -> ``Recruitment discipline training``."""
    words = notebook.split("_", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class RenderJob:
    """Everything rendering one unit needs, and nothing more (picklable: it is sent to a
    render worker process by :class:`wres_utils.run.renderpool.RenderPool`)."""

    build_dir: Path
    notebooks: tuple[str, ...]  # notebook names (stems), in report order
    title: str
    synthetic: bool
    rows: pd.DataFrame  # the unit's published indicator rows
    context: dict[str, Any]
    plan: ActionPlan
    render_pdf: bool = True


def render_job(
    setup: Setup, unit: Unit, build_dir: Path, published: pd.DataFrame, render_pdf: bool = True
) -> RenderJob:
    """The :class:`RenderJob` of a unit whose notebooks have run into ``build_dir``."""
    return RenderJob(
        build_dir=Path(build_dir),
        notebooks=tuple(nb.stem for nb in setup.notebooks),
        title=f"WRES {setup.params.year}: {unit.name}",
        synthetic=setup.params.synthetic,
        rows=unit_rows(published, unit),
        context=unit_context(setup, unit),
        plan=setup.plans[unit.slug],
        render_pdf=render_pdf,
    )


def render_files(job: RenderJob) -> float:
    """Render a unit's notebooks to HTML, then report.html (and report.pdf); write the
    unit's published indicators.csv and the documents beside the report (the return workbook
    and, with PDFs, its PDF; the action plan, HTML and PDF); remove prepared/. Returns the
    seconds it took. The one definition of a unit's rendering, run in this process
    (:func:`render_unit`) or in a render worker (the same function, so the same files)."""
    t = time.perf_counter()
    build_dir = Path(job.build_dir)
    nb_paths = []
    for stem in job.notebooks:
        ipynb = build_dir / "notebooks" / f"{stem}.ipynb"
        render.notebook_to_html(
            ipynb, ipynb.with_suffix(".html"), f"{job.title} - {section_title(stem)}", job.synthetic
        )
        nb_paths.append(ipynb)
    render.report_html(nb_paths, build_dir / "report.html", job.title, job.synthetic)
    if job.render_pdf:
        render.report_pdf(build_dir / "report.html", build_dir / "report.pdf", job.title)
    # Text cells starting with = + - @ are escaped (CSV injection); numbers stay numbers.
    safe_csv.write_csv(job.rows, build_dir / "indicators.csv")
    documents.write_documents(build_dir, job.rows, job.context, job.plan, pdf=job.render_pdf)
    shutil.rmtree(build_dir / PREPARED, ignore_errors=True)
    return time.perf_counter() - t


def render_unit(
    setup: Setup, unit: Unit, build_dir: Path, published: pd.DataFrame, render_pdf: bool = True
) -> None:
    """Render the unit's notebooks to HTML, then report.html (and report.pdf); write the
    unit's published indicators.csv; remove prepared/ (:func:`render_files`, in this
    process)."""
    render_files(render_job(setup, unit, build_dir, published, render_pdf))


def publish_unit(build_dir: Path, final_dir: Path) -> None:
    """Move a finished unit folder into place, replacing the old one without ever leaving a
    mixture: move the old folder aside, move the new one in, then delete the old."""
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    aside = build_dir.with_name(build_dir.name + ".old")
    had_old = final_dir.exists()
    if had_old:
        os.rename(final_dir, aside)
    try:
        os.rename(build_dir, final_dir)
    except BaseException:
        if had_old:
            os.rename(aside, final_dir)
        raise
    if had_old:
        shutil.rmtree(aside, ignore_errors=True)


def remove_if_empty(*folders: Path) -> None:
    """Remove each folder if it is empty (leftovers of a run); keep it otherwise."""
    for f in folders:
        try:
            f.rmdir()
        except OSError:
            pass


def expected_outputs(notebooks: Sequence[Path], render_pdf: bool = True) -> list[str]:
    """The files a published unit folder must hold (paths relative to it)."""
    out = []
    for nb in notebooks:
        out += [f"notebooks/{Path(nb).stem}.ipynb", f"notebooks/{Path(nb).stem}.html"]
    out += ["report.html", "indicators.csv"]
    out += ["report.pdf"] if render_pdf else []
    return out + documents.file_names(render_pdf)
