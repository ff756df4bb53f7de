"""Build the commissioner's report: prepare it (:mod:`wres_utils.commissioner.prepare`), then
execute, render and publish it with the run's own stages, into the commissioning unit's
folder (``providers.html`` and ``providers.pdf``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from wres_utils.commissioner.inputs import (
    NOTEBOOK,
    NOTEBOOK_DIR,
    OUTPUTS,
    PREPARED,
    commissioner_unit,
)
from wres_utils.commissioner.prepare import prepare
from wres_utils.core.params import Unit, YearParams
from wres_utils.report import render
from wres_utils.run.execute import KernelStarter, execute_notebook, failure_from
from wres_utils.run.model import TMP_DIR, Failure, NotebookParams, NotebookRun


def _title(unit: Unit, year: int) -> str:
    return f"WRES {year}: the providers commissioned by {unit.name}"


def _failure(unit: Unit, stage: str, e: BaseException) -> Failure:
    return Failure(unit.id, unit.slug, stage, type(e).__name__, str(e))


def build(
    year: int,
    params: YearParams,
    root: Path | str,
    reports_dir: Path | str,
    history: Mapping[int, YearParams] | None = None,
    *,
    notebooks_dir: Path | str | None = None,
    render_pdf: bool = True,
    cell_timeout: int | None = 600,
    units: Sequence[str] | None = None,
) -> list[Failure]:
    """Build ``providers.html`` (and ``.pdf``) for every ``params.commissioners`` entry.

    Call it after the year's units are published: each commissioner's report goes into its
    unit's folder ``reports_dir/<year>/<slug>/`` (which must exist) through a temporary folder
    under ``reports_dir/.tmp/<year>/`` and ``os.replace``; nothing else in the unit's folder is
    touched. ``history`` is the params of the previous years (the pipeline's
    ``setup.history``; this year's entry is ignored). ``units`` restricts the build to
    commissioners whose unit id or slug is listed (e.g. the units of a ``--unit`` run).

    Returns one :class:`~wres_utils.run.model.Failure` per commissioner that failed (stage
    ``prepare``, ``10_providers`` (the notebook), ``render`` or ``publish``); bad input files
    are failures too (stage ``prepare``), so that the units' reports stand.
    """

    root = Path(root)
    reports_dir = Path(reports_dir)
    nb_dir = Path(notebooks_dir) if notebooks_dir else root / "notebooks" / NOTEBOOK_DIR
    failures: list[Failure] = []
    wanted = {u.lower() for u in units} if units is not None else None
    for c in params.commissioners:
        unit = commissioner_unit(params, c)
        if wanted is not None and not ({unit.id.lower(), unit.slug.lower()} & wanted):
            continue
        final = reports_dir / str(year) / unit.slug
        if not final.is_dir():
            failures.append(
                _failure(
                    unit,
                    "publish",
                    FileNotFoundError(
                        f"{final} does not exist (the unit's report was not built): "
                        f"{', '.join(OUTPUTS)} not written"
                    ),
                )
            )
            continue
        tmp_year = reports_dir / TMP_DIR / str(year)
        tmp_year.mkdir(parents=True, exist_ok=True)
        build_dir = Path(tempfile.mkdtemp(prefix=f"{unit.slug}-providers-", dir=tmp_year))
        stage = "prepare"
        try:
            prepare(year, params, c, history or {}, root, build_dir)
            stage = NOTEBOOK
            nb_params = NotebookParams(
                year=year,
                unit=unit.id,
                unit_name=unit.name,
                unit_slug=unit.slug,
                prepared_dir=PREPARED,
                synthetic=params.synthetic,
            )
            run = NotebookRun(
                unit=unit,
                notebook=NOTEBOOK,
                source=nb_dir / f"{NOTEBOOK}.ipynb",
                params=nb_params,
            )
            # A kernel over IPC whose own messages go to a log, as the units' kernels (a
            # kernel papermill starts itself talks TCP and warns about it on the terminal).
            starter = KernelStarter(tmp_year / f"{unit.slug}-kernel-logs", preload=())
            km = None
            try:
                km = starter.start(run, build_dir)
                execute_notebook(
                    run,
                    build_dir,
                    root,
                    f"{year}/{unit.slug}/{NOTEBOOK}.ipynb",
                    cell_timeout=cell_timeout,
                    km=km,
                )
            except Exception as e:
                failures.append(failure_from(run, e))
                continue
            finally:
                KernelStarter.stop(km)
                starter.cleanup()
                shutil.rmtree(starter.log_dir, ignore_errors=True)
            stage = "render"
            ipynb = build_dir / "notebooks" / f"{NOTEBOOK}.ipynb"
            html_path = build_dir / OUTPUTS[0]
            render.report_html([ipynb], html_path, _title(unit, year), params.synthetic)
            made = [html_path]
            if render_pdf:
                pdf_path = build_dir / OUTPUTS[1]
                render.report_pdf(html_path, pdf_path, _title(unit, year))
                made.append(pdf_path)
            stage = "publish"
            if not final.is_dir():
                raise FileNotFoundError(
                    f"{final} does not exist (the unit's report was not built): "
                    f"{', '.join(OUTPUTS)} not written"
                )
            for path in reversed(made):  # the PDF first, the HTML that may link it last
                os.replace(path, final / path.name)
        except Exception as e:
            failures.append(_failure(unit, stage, e))
        finally:
            shutil.rmtree(build_dir, ignore_errors=True)
            for d in (tmp_year, tmp_year.parent):
                try:
                    d.rmdir()
                except OSError:
                    pass
    return failures
