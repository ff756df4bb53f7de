"""Render a unit's notebooks to HTML, report.html and report.pdf, write its published
indicators.csv and return workbook, and move the unit's folder into place atomically.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from wres_utils.core.params import Unit
from wres_utils.report import render, safe_csv, workbook
from wres_utils.run.model import PREPARED, Setup
from wres_utils.run.prepare import unit_context, unit_rows

# --------------------------------------------------------------------------------------------
# 4. Render and publish, atomically


def section_title(notebook: str) -> str:
    """``02_recruitment_discipline_training`` -> ``Recruitment discipline training``."""
    words = notebook.split("_", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def render_unit(
    setup: Setup, unit: Unit, build_dir: Path, published: pd.DataFrame, render_pdf: bool = True
) -> None:
    """Render the unit's notebooks to HTML, then report.html (and report.pdf); write the
    unit's published indicators.csv; remove prepared/."""
    p = setup.params
    title = f"WRES {p.year}: {unit.name}"
    nb_paths = []
    for nb in setup.notebooks:
        ipynb = build_dir / "notebooks" / f"{nb.stem}.ipynb"
        render.notebook_to_html(
            ipynb, ipynb.with_suffix(".html"), f"{title} - {section_title(nb.stem)}", p.synthetic
        )
        nb_paths.append(ipynb)
    render.report_html(nb_paths, build_dir / "report.html", title, p.synthetic)
    if render_pdf:
        render.report_pdf(build_dir / "report.html", build_dir / "report.pdf", title)
    rows = unit_rows(published, unit)
    # Text cells starting with = + - @ are escaped (CSV injection); numbers stay numbers.
    safe_csv.write_csv(rows, build_dir / "indicators.csv")
    workbook.write_return(
        build_dir / "wres-return.xlsx", rows, unit_context(setup, unit), setup.plans[unit.slug]
    )
    shutil.rmtree(build_dir / PREPARED, ignore_errors=True)


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
    out += ["report.html", "indicators.csv", "wres-return.xlsx"]
    out += ["report.pdf"] if render_pdf else []
    return out
