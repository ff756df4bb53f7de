"""The runner behind ``wres run``: every unit x every notebook of a year, atomically.

Each stage has its own module in this sub-package: :mod:`~wres_utils.run.plan`,
:mod:`~wres_utils.run.prepare`, :mod:`~wres_utils.run.execute` and :mod:`~wres_utils.run.publish`.

1. Validate everything before any kernel starts: the year's params and those of up to two
   previous years (for trends), their extracts, the action plans, the notebooks' ``parameters``
   cells and a :class:`NotebookParams` for every (unit, notebook). Any problem raises
   :class:`~wres_utils.core.params.ParamsError` or :class:`~wres_utils.core.errors.InputError`
   (the CLI prints it and exits 2).
2. Compute once: counts of all loaded years -> indicators for the units -> disclosure. Each
   unit gets a ``prepared/`` folder of AGGREGATES ONLY (the published copy of its indicators,
   disclosed data-quality counts, its action plan, a context file). Record-level data never
   go there.
3. Run the notebooks with papermill in a thread pool (``jobs`` workers; each notebook has its
   own kernel process), or with ``scheduler`` on the workers of a Dask distributed cluster
   (:mod:`wres_utils.run.distributed`), then render each unit's HTML and PDF.
4. Each unit is built in ``reports/.tmp/<year>/<slug>-XXXX`` and moved to
   ``reports/<year>/<slug>`` only when all of it succeeded; a failing unit leaves its previous
   report untouched. Then ``reports/<year>/index.html`` and the run log,
   ``reports/<year>/runs/<run id>.log`` (one per run, kept; ``run.log`` is a copy of the
   latest), and each published unit folder's ``run.json`` names the run that built it.
   A run holds a lock on ``reports/.tmp/<year>`` while it builds there; the next run removes
   what a killed run left (:class:`wres_utils.run.lock.BuildLock`).
   ``prepared/`` is deleted before the move: it is working material, not an output.

Layout of a unit's folder::

    reports/<year>/<slug>/notebooks/NN_name.ipynb, NN_name.html
    reports/<year>/<slug>/report.html, report.pdf, indicators.csv (the published copy)

Why threads, and not papermill's ``cwd=``: papermill implements ``cwd`` with ``os.chdir``,
which is process-wide and so unsafe with several notebooks running at once. The kernel's
working directory is set instead through nbclient's ``resources["metadata"]["path"]``, which
starts each kernel process in its own unit folder without touching this process's cwd.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from wres_utils.core.atomic import current_umask
from wres_utils.core.params import NOTEBOOKS, Unit, resolve
from wres_utils.disclosure import policy, protect
from wres_utils.report import publication, render
from wres_utils.run import cache, distributed, runlog
from wres_utils.run import commissioner as commissioner_build
from wres_utils.run import lock as run_lock
from wres_utils.run.execute import KernelStarter, execute_all, rel_path
from wres_utils.run.model import (
    EXIT_FAILED,
    EXIT_OK,
    PREPARED,
    TMP_DIR,
    Failure,
    RunResult,
    RunSetupError,
    Setup,
)
from wres_utils.run.plan import validate
from wres_utils.run.prepare import (
    all_counts,
    compute_broad_published,
    compute_published,
    write_prepared,
)
from wres_utils.run.publish import (
    expected_outputs,
    publish_unit,
    remove_if_empty,
    render_job,
    render_unit,
)
from wres_utils.run.renderpool import RenderPool


def input_events(setup: Setup) -> list[dict[str, Any]]:
    """The run log's ``input`` events: params, extracts, action plans and notebooks.

    Extracts are recorded with the sha256 that ``load_year`` computed from the very bytes it
    read (``LoadedYear.files``) when it gives them; other files are hashed here.
    """
    to_hash: list[tuple[str, Path]] = []
    events: list[dict[str, Any]] = []
    for y, path in sorted(setup.params_files.items()):
        to_hash.append(("params", path))
        as_loaded = getattr(setup.loaded.get(y), "files", None) or {}
        for o in setup.history[y].organisations:
            specs = [(kind, spec) for kind, spec in o.files.items()]
            if o.counts is not None:
                specs.append(("counts", o.counts))
            for kind, spec in specs:
                key = spec.path.as_posix()
                if key in as_loaded:
                    events.append(
                        {
                            "event": "input",
                            "kind": f"{y}/{o.code}/{kind}",
                            "path": key,
                            "sha256": as_loaded[key],
                        }
                    )
                else:
                    to_hash.append((f"{y}/{o.code}/{kind}", resolve(setup.root, spec)))
    for slug, path in sorted(setup.plan_files.items()):
        if path.is_file():
            to_hash.append((f"action_plan/{slug}", path))
    for nb in setup.notebooks:
        to_hash.append(("notebook", nb))
    return runlog.input_records(to_hash, setup.root) + events


def summary_text(
    year: int,
    n_units: int,
    failures: Sequence[Failure],
    seconds: float,
    up_to_date: Sequence[str] = (),
) -> str:
    """The end-of-run summary: what was built, what was up to date (not re-executed), and
    each failure by unit, notebook and cell."""
    failed_units = sorted({f.unit for f in failures if f.stage != "index"})
    ok = n_units - len(failed_units)
    if not failures:
        built = ok - len(up_to_date)
        fresh = ""
        if up_to_date:
            fresh = f", {len(up_to_date)} up to date (not re-executed: {', '.join(up_to_date)})"
        return f"wres run {year}: built {built} unit(s){fresh} in {seconds:.1f} s."
    fresh = f" ({len(up_to_date)} of them up to date, not re-executed)" if up_to_date else ""
    lines = [
        f"wres run {year}: {ok} of {n_units} unit(s) built{fresh}; {len(failures)} failure(s) "
        "(a failed unit's previous report, if any, is left as it was):"
    ]
    lines += [f"  - {f.describe()}" for f in failures]
    return "\n".join(lines)


def build_key(
    setup: Setup, unit: Unit, build_dir: Path, counts: pd.DataFrame, render_pdf: bool
) -> cache.BuildKey:
    """The unit's build key: its notebooks, parameters, prepared inputs, counts, the options
    that change outputs, and the package's code and versions (:func:`cache.unit_key`)."""
    members = counts[counts["org_code"].astype(str).isin(list(unit.members))]
    return cache.unit_key(
        notebooks=setup.notebooks,
        parameters=[r.params.model_dump() for r in setup.runs if r.unit.slug == unit.slug],
        prepared_dir=Path(build_dir) / PREPARED,
        counts=members.reset_index(drop=True),
        options={"pdf": render_pdf, "kernel": "python3"},
    )


def run_year(
    year: int,
    params_dir: Path | str,
    reports_dir: Path | str,
    unit: str | None = None,
    jobs: int | None = None,
    *,
    notebooks_dir: Path | str | None = None,
    notebooks: Sequence[str] = NOTEBOOKS,
    render_pdf: bool = True,
    root: Path | str | None = None,
    progress: bool = True,
    cell_timeout: int | None = 600,
    force: bool = False,
    prestart: bool = True,
    scheduler: str | None = None,
    render_workers: int | None = None,
) -> int:
    """Build every unit's reports for ``year`` (``wres run``); return the exit status.

    0 when every unit and the index were built, 1 when anything failed (the other units are
    still built; the summary on stderr names unit, notebook and cell). Bad input raises
    :class:`ParamsError` / :class:`InputError` before any kernel starts (the CLI exits 2).

    ``root`` defaults to the parent of ``params_dir``; ``notebooks_dir`` to ``root/notebooks``;
    ``notebooks`` are the notebook names (without ``.ipynb``) in report order.

    Incremental: a unit whose published folder holds a ``.build-key`` equal to its key now
    (:func:`wres_utils.run.cache.unit_key`) and all its outputs is "up to date": none of its
    notebooks runs, its folder is left as it is. Loaded years and the published indicators
    are reused from ``reports/.cache`` when their inputs are unchanged. ``force`` rebuilds
    every unit and recomputes everything. ``prestart`` starts each notebook's kernel ahead
    of time (:class:`KernelStarter`); without it papermill starts each kernel itself.

    ``scheduler``: the address of a Dask distributed scheduler (``tcp://host:8786``). The
    notebooks then run on its workers (:mod:`wres_utils.run.distributed`), which must see the
    reports folder on a shared filesystem; rendering and publishing stay in this process.
    The connection is made first: a bad address raises :class:`RunSetupError` (exit 2)
    before any unit is touched. Without it, the local pool (``jobs`` threads) runs them.

    ``render_workers``: processes that render units (HTML, PDF, CSV, workbook) while the
    next units' notebooks run (:class:`~wres_utils.run.renderpool.RenderPool`); default
    ``jobs``. 0 renders each unit in this process when its notebooks are done (the plain
    path: the same files, one unit at a time). Publishing stays in this process either way.
    """
    # The cluster is connected first: a bad address is exit 2 before any unit is touched.
    client = (
        distributed.connect(scheduler, where=Path(params_dir) / f"{year}.yaml")
        if scheduler
        else None
    )
    try:
        return _run_year(
            year,
            params_dir,
            reports_dir,
            unit,
            jobs,
            notebooks_dir=notebooks_dir,
            notebooks=notebooks,
            render_pdf=render_pdf,
            root=root,
            progress=progress,
            cell_timeout=cell_timeout,
            force=force,
            prestart=prestart,
            render_workers=render_workers,
            client=client,
            scheduler=scheduler,
        )
    finally:
        if client is not None:
            client.close()


def _run_year(
    year: int,
    params_dir: Path | str,
    reports_dir: Path | str,
    unit: str | None = None,
    jobs: int | None = None,
    *,
    notebooks_dir: Path | str | None = None,
    notebooks: Sequence[str] = NOTEBOOKS,
    render_pdf: bool = True,
    root: Path | str | None = None,
    progress: bool = True,
    cell_timeout: int | None = 600,
    force: bool = False,
    prestart: bool = True,
    render_workers: int | None = None,
    client: Any = None,
    scheduler: str | None = None,
) -> int:
    """:func:`run_year`, with ``client`` connected to ``scheduler`` (or None: local pool)."""
    started = runlog.utc_now()
    t0 = time.perf_counter()
    params_dir = Path(params_dir)
    reports_dir = Path(reports_dir)
    root = Path(root) if root is not None else params_dir.resolve().parent
    notebooks_dir = Path(notebooks_dir) if notebooks_dir is not None else root / "notebooks"
    if jobs is not None and jobs < 1:
        raise RunSetupError(
            params_dir / f"{year}.yaml", [f"--jobs must be 1 or more, found {jobs}"]
        )

    # 1. Validate (raises before any kernel starts).
    # With force, nothing stored is reused, but what is recomputed is stored for next time.
    # Beside reports/, not in it: the store holds unsuppressed counts (the analyst's copy), and
    # reports/ is what gets published.
    store = cache.Store(reports_dir.resolve().parent / cache.STORE_DIR, reuse=not force)
    setup = validate(year, params_dir, root, unit, notebooks_dir, list(notebooks), store, jobs=jobs)
    run_lock.check_writable(reports_dir, reports_dir / str(year))  # before any kernel starts
    params = setup.params
    log = runlog.RunLog()
    run_id = runlog.new_run_id(started)
    run_event = log.add("run", year=year, unit_filter=unit, started=started, run_id=run_id)
    for y, p in sorted(setup.history.items()):
        log.add(
            "params",
            year=y,
            file=rel_path(setup.params_files[y], root),
            params=p.model_dump(mode="json"),
        )
    log.add("versions", **runlog.package_versions())
    log.add("git", **runlog.git_state(root))
    log.extend(input_events(setup))

    # 2. Compute once; prepare each unit's build folder.
    published = compute_published(setup, store)
    broad_published = compute_broad_published(setup, published)
    year_dir = reports_dir / str(year)
    tmp_root = reports_dir / TMP_DIR
    tmp_year = tmp_root / str(year)
    lock = run_lock.BuildLock(tmp_year, year_dir)  # cleans what a killed run of the year left
    if lock.removed:
        log.add("cleanup", folder=rel_path(tmp_year, root), removed=lock.removed)
    mode = 0o777 & ~current_umask()
    build_dirs: dict[str, Path] = {}
    keys: dict[str, cache.BuildKey] = {}

    def final_dir(u: Unit) -> Path:
        # Internal member reports (params member_reports) never go under reports/.
        if policy.is_internal(params, u):
            return policy.internal_dir(reports_dir, year) / u.slug
        return year_dir / u.slug

    for u in setup.units:
        shown, withheld = protect.headline(published, u.id, year)
        log.add(
            "disclosure",
            unit=u.id,
            headline_published=shown,
            headline_cells=len(protect.HEADLINE_CELLS),
            headline_withheld=withheld,
            internal=policy.is_internal(params, u),
        )
    fresh: list[str] = []  # units up to date: not executed
    failures: list[Failure] = []
    units_by_slug = {u.slug: u for u in setup.units}
    counts = all_counts(setup)
    outputs = expected_outputs(setup.notebooks, render_pdf)
    kernel_logs: Path | None = None
    starter: KernelStarter | None = None
    pool: RenderPool | None = None
    try:
        for u in setup.units:
            build = Path(tempfile.mkdtemp(prefix=f"{u.slug}-", dir=tmp_year))
            os.chmod(build, mode)
            build_dirs[u.slug] = build
            write_prepared(setup, u, published, build, broad_published)
            keys[u.slug] = build_key(setup, u, build, counts, render_pdf)
            if not force and cache.up_to_date(final_dir(u), keys[u.slug], outputs):
                fresh.append(u.slug)
                shutil.rmtree(build_dirs.pop(u.slug), ignore_errors=True)
                log.add("unit", unit=u.id, slug=u.slug, status="up to date")
        runs = [r for r in setup.runs if r.unit.slug in build_dirs]
        setup_seconds = time.perf_counter() - t0

        # 3 and 4. Execute; as each unit finishes, render it (in the render workers when
        # there are any, overlapping the next units' notebooks) and publish it, here, in order.
        unit_started: dict[str, float] = {}

        def finish_unit(
            slug: str,
            unit_failures: list[Failure],
            results: list[RunResult],
            render_seconds: float,
            render_error: BaseException | None,
        ) -> None:
            u = units_by_slug[slug]
            stage = "render"
            try:
                if render_error is not None:
                    raise render_error
                if not unit_failures:
                    cache.write_build_key(build_dirs[slug], keys[slug])
                    runlog.write_unit_run(build_dirs[slug], run_id)
                    stage = "publish"
                    publish_unit(build_dirs[slug], final_dir(units_by_slug[slug]))
            except Exception as e:
                unit_failures.append(Failure(u.id, slug, stage, type(e).__name__, str(e)))
            finally:
                shutil.rmtree(build_dirs[slug], ignore_errors=True)
            failures.extend(unit_failures)
            for f in unit_failures:
                log.add("failure", **asdict(f))
            log.add(
                "unit",
                unit=u.id,
                slug=slug,
                status="failed" if unit_failures else "ok",
                notebook_seconds=round(sum(r.seconds for r in results), 3),
                render_seconds=round(render_seconds, 3),
                done_seconds=round(time.perf_counter() - unit_started[slug], 3),
            )

        def publish_rendered(wait: bool = False) -> None:
            if pool is None:
                return
            for (slug, results), seconds, error in pool.finished(wait=wait):
                finish_unit(slug, [], results, seconds, error)

        def on_unit_done(slug: str, results: list[RunResult]) -> None:
            u = units_by_slug[slug]
            unit_started[slug] = time.perf_counter()
            for r in results:
                log.add(
                    "notebook",
                    unit=u.id,
                    slug=slug,
                    notebook=r.run.notebook,
                    status=r.status,
                    seconds=round(r.seconds, 3),
                )
                if r.messages:
                    log.add("kernel_output", unit=u.id, notebook=r.run.notebook, lines=r.messages)
                    shown = "\n".join(f"    {line}" for line in r.messages[-20:])
                    print(
                        f"wres run {year}: the kernel of unit {u.id!r}, notebook "
                        f"{r.run.notebook}.ipynb wrote (outside the notebook):\n{shown}",
                        file=sys.stderr,
                    )
            unit_failures = [r.failure for r in results if r.failure is not None]
            if unit_failures:
                finish_unit(slug, unit_failures, results, 0.0, None)
            elif pool is not None:
                try:
                    job = render_job(setup, u, build_dirs[slug], published, render_pdf)
                    pool.submit(job, (slug, results))
                except Exception as e:  # preparing the job failed: the unit's render failure
                    finish_unit(slug, [], results, 0.0, e)
            else:
                t = time.perf_counter()
                error: BaseException | None = None
                try:
                    render_unit(setup, u, build_dirs[slug], published, render_pdf=render_pdf)
                except Exception as e:
                    error = e
                finish_unit(slug, [], results, time.perf_counter() - t, error)
            publish_rendered()

        n_render = (jobs or os.cpu_count() or 1) if render_workers is None else render_workers
        if n_render > 0 and runs:
            pool = RenderPool(min(n_render, len({r.unit.slug for r in runs})))
        if prestart and runs:
            kernel_logs = Path(tempfile.mkdtemp(prefix=".kernels-", dir=tmp_year))
            starter = KernelStarter(kernel_logs, fork=True, per_unit=True)
        if runs and client is not None:
            distributed.execute_all(
                client,
                runs,
                build_dirs,
                on_unit_done,
                root,
                year,
                progress=progress,
                cell_timeout=cell_timeout,
                prestart=starter is not None,
            )
        elif runs:
            execute_all(
                runs,
                build_dirs,
                jobs or os.cpu_count() or 1,
                on_unit_done,
                root,
                year,
                progress=progress,
                cell_timeout=cell_timeout,
                starter=starter,
            )
        publish_rendered(wait=True)
        execute_seconds = time.perf_counter() - t0 - setup_seconds
        # The commissioner's view of its providers, in the commissioning unit's folder.
        if params.commissioners:
            # Units rebuilt now; an up-to-date unit's providers report is up to date too (the
            # providers' files are part of its key, through prepared/providers.json).
            failed = {f.slug for f in failures}
            built = [u.slug for u in setup.units if u.slug not in failed and u.slug not in fresh]
            for f in commissioner_build.build(
                year,
                params,
                root,
                reports_dir,
                setup.history,
                render_pdf=render_pdf,
                cell_timeout=cell_timeout,
                units=built,
            ):
                failures.append(f)
                log.add("failure", **asdict(f))
    finally:
        if pool is not None:
            pool.close(cancel=True)
        for build in build_dirs.values():
            shutil.rmtree(build, ignore_errors=True)
        if kernel_logs is not None:
            shutil.rmtree(kernel_logs, ignore_errors=True)
        if starter is not None:
            starter.cleanup()
        lock.release()
        # A "<slug>-XXXX.old" left here means an old report could not be moved back: kept.
        remove_if_empty(tmp_year, tmp_root)

    year_dir.mkdir(parents=True, exist_ok=True)
    # Each unit's publication page lists what every year published (reports/<unit>/).
    try:
        # Members publish through their joint report only: no page of their own.
        for u in params.published_units():
            monitors = any(c.unit in (u.id, u.name, u.slug) for c in params.commissioners)
            publication.unit_page(
                reports_dir, u.slug, u.name, params.publication, params.synthetic, monitors
            )
    except Exception as e:
        f = Failure("(all)", "", "publication page", type(e).__name__, str(e))
        failures.append(f)
        log.add("failure", **asdict(f))

    # The year's index lists every unit of the year (units not rebuilt keep their reports).
    try:
        render.year_index(
            year_dir, [(u.slug, u.name) for u in params.published_units()], params.synthetic
        )
    except Exception as e:
        f = Failure("(all)", "", "index", type(e).__name__, str(e))
        failures.append(f)
        log.add("failure", **asdict(f))

    seconds = time.perf_counter() - t0
    status = EXIT_FAILED if failures else EXIT_OK
    run_event.update(
        finished=runlog.utc_now(),
        seconds=round(seconds, 3),
        status=status,
        jobs=jobs or os.cpu_count() or 1,
        engine="local" if client is None else "dask",
        scheduler=scheduler,
        units=[u.slug for u in setup.units],
        notebooks=[nb.stem for nb in setup.notebooks],
        failed_units=sorted({f.slug for f in failures if f.slug}),
        up_to_date=fresh,
        notebooks_executed=len(runs),
        force=force,
        setup_seconds=round(setup_seconds, 3),
        execute_seconds=round(execute_seconds, 3),
    )
    try:
        log.write_history(year_dir, run_id)
    except OSError as e:  # the summary below is still printed
        failures.append(Failure("(all)", "", "run log", type(e).__name__, str(e)))
        status = EXIT_FAILED
    text = summary_text(year, len(setup.units), failures, seconds, fresh)
    print(text, file=sys.stderr if failures else sys.stdout)
    return status
