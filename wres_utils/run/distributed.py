"""The distributed engine behind ``wres run --scheduler ADDRESS``: notebooks on a Dask cluster.

When a run outgrows one machine, the notebook executions (the dominant cost) are fanned out
over an existing Dask distributed cluster; this module builds no scheduler of its own. Only
step 3 of :mod:`wres_utils.run.runner` moves: validation, computing the indicators, preparing
each unit's build folder, rendering, the atomic publishing and the run log all stay in the
main process, so the outputs are the same as with the local pool.

- One task per notebook run, submitted in unit-major order (earlier units first). The task
  (:func:`run_notebook_task`) executes the notebook with papermill on the worker, on a fresh
  kernel of its own (``kernel_name="python3"``, started by
  :class:`~wres_utils.run.execute.KernelStarter` in the unit's build folder: nothing is shared
  between notebooks), and returns a small :class:`TaskResult`: status, seconds, and for a
  failure the error name and value, the cell index and the cell's source.
- Results are collected as they complete (``distributed.as_completed``); the progress bar
  advances, and ``on_unit_done`` is called in the main process once all of a unit's
  notebooks are done, exactly as with the local pool.
- A failing notebook fails its unit only: the unit's tasks not yet finished are cancelled
  (reported as skipped). A worker lost while running a notebook (``KilledWorker``, after
  Dask's own retries on other workers) is a failure of that unit with a clear message.

**Shared filesystem.** The workers read the notebooks and the unit's ``prepared/`` folder,
and write the executed notebook into the unit's build folder (``reports/.tmp/<year>/...``):
the project folder (notebooks, reports) must be on a filesystem every worker sees at the
same absolute path (NFS, a cluster's shared home...), and every worker needs this package
installed in its Python environment with a ``python3`` Jupyter kernel. Before submitting
anything, every worker is asked to read a marker file in the build area; a run whose
workers cannot see it stops with a clear message (exit 2). Each task checks its unit's build
folder again (for workers that join later).
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wres_utils.run.execute import KernelStarter, run_notebook
from wres_utils.run.model import (
    PREPARED,
    Failure,
    NotebookRun,
    RunResult,
    RunSetupError,
    UnitCollector,
    progress_bar,
)

#: Seconds to wait for the scheduler to answer, and then for at least one worker.
CONNECT_TIMEOUT = 10.0
#: The error name a task reports when its worker cannot see the unit's build folder.
NOT_SHARED = "SharedFilesystemError"


@dataclass(frozen=True)
class TaskResult:
    """What a worker sends back for one notebook run (small and picklable)."""

    status: str  # ok, failed
    seconds: float
    failure: Failure | None = None
    #: What the notebook's kernel wrote to its stdout/stderr (noise removed).
    messages: tuple[str, ...] = ()
    #: The host that ran it.
    host: str = ""


def connect(address: str, where: Path | str = "--scheduler", timeout: float | None = None) -> Any:
    """A ``distributed.Client`` connected to the scheduler at ``address``, with a worker.

    Raises :class:`~wres_utils.run.model.RunSetupError` (the CLI exits 2) when ``distributed``
    is not installed, the scheduler does not answer within ``timeout`` seconds (default
    :data:`CONNECT_TIMEOUT`), or it has no worker within ``timeout`` seconds. ``where`` names
    the run in the message (its params file).
    """
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - a dev dependency
        raise RunSetupError(
            where,
            ["--scheduler needs the Python package 'distributed' (pip install distributed)"],
            what="cannot use a Dask cluster",
        ) from None
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except Exception as e:
        detail = str(e).strip() or type(e).__name__
        raise RunSetupError(
            where,
            [
                f"cannot connect to the Dask scheduler at {address!r}: {detail}",
                "check the address (e.g. tcp://host:8786) and that the scheduler is running",
            ],
            what="cannot connect to the Dask scheduler",
        ) from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except Exception:
        client.close()
        raise RunSetupError(
            where,
            [f"the Dask scheduler at {address!r} has no worker (waited {timeout:g} s)"],
            what="cannot use the Dask cluster",
        ) from None
    return client


def _can_see(path: str, token: str) -> bool:
    """On a worker: does ``path`` hold ``token``? (the shared-filesystem probe)"""
    try:
        return Path(path).read_text(encoding="utf-8") == token
    except OSError:
        return False


def check_shared(client: Any, folder: Path, where: Path | str = "--scheduler") -> None:
    """Check that every worker of ``client`` sees ``folder`` (a marker file written here).

    Raises :class:`~wres_utils.run.model.RunSetupError` naming the workers that cannot.
    """
    folder = Path(folder).resolve()
    token = uuid.uuid4().hex
    marker = folder / f".wres-shared-{token}"
    marker.write_text(token, encoding="utf-8")
    try:
        seen = client.run(_can_see, str(marker), token, on_error="return")
    finally:
        marker.unlink(missing_ok=True)
    blind = sorted(w for w, ok in seen.items() if ok is not True)
    if blind:
        raise RunSetupError(
            where,
            [
                f"Dask worker(s) {', '.join(blind)} cannot see the build folder {folder}",
                "the reports and notebooks folders must be on a filesystem shared by this "
                "machine and every worker, at the same path",
            ],
            what="the Dask workers do not share the filesystem",
        )


def run_notebook_task(
    run: NotebookRun,
    build_dir: str,
    root: str,
    year: int,
    cell_timeout: int | None = 600,
    prestart: bool = True,
) -> TaskResult:
    """Executed on a worker: run one notebook in its unit's build folder; never raises for a
    notebook's failure (it is in the result)."""
    host = socket.gethostname()
    build = Path(build_dir)
    if not (build / PREPARED).is_dir():
        failure = Failure(
            unit=run.unit.id,
            slug=run.unit.slug,
            stage=run.notebook,
            ename=NOT_SHARED,
            evalue=(
                f"the Dask worker on {host} cannot see the unit's build folder {build} (it must "
                "be on a filesystem shared by the main process and every worker)"
            ),
        )
        return TaskResult("failed", 0.0, failure, host=host)
    logs = Path(tempfile.mkdtemp(prefix="wres-kernel-"))
    starter = KernelStarter(logs) if prestart else None
    try:
        km, start_error = None, None
        if starter is not None:
            try:
                km = starter.start(run, build)
            except Exception as e:  # reported as this run's failure
                start_error = e
        res = run_notebook(run, build, Path(root), year, cell_timeout, km, start_error, starter)
        messages = tuple(starter.messages(run)) if starter is not None else ()
        return TaskResult(res.status, res.seconds, res.failure, messages, host)
    finally:
        shutil.rmtree(logs, ignore_errors=True)
        if starter is not None:
            starter.cleanup()


def collect(run: NotebookRun, future: Any, unit_failed: bool = False) -> RunResult:
    """The :class:`RunResult` of a finished (or cancelled, or errored) task's ``future``.

    A cancelled task of a unit that already failed is ``skipped``; any other cancellation,
    a lost worker (``KilledWorker``) or an error of the task itself is a failure of the run.
    """
    if future.status == "cancelled":
        if unit_failed:
            return RunResult(run, "skipped", 0.0)
        return RunResult(
            run,
            "failed",
            0.0,
            _task_failure(run, "CancelledError", "the Dask cluster cancelled the notebook"),
        )
    try:
        out = future.result()
    except Exception as e:
        name = type(e).__name__
        try:
            detail = str(e).strip() or name
        except Exception:  # an exception whose message cannot be made
            detail = name
        if name == "KilledWorker":
            evalue = (
                "the Dask worker running this notebook was lost (it died or was killed, also "
                f"on the retries: {detail}); the notebook did not finish"
            )
        else:
            evalue = f"the Dask task failed: {detail}"
        return RunResult(run, "failed", 0.0, _task_failure(run, name, evalue))
    return RunResult(run, out.status, out.seconds, out.failure, list(out.messages))


def _task_failure(run: NotebookRun, ename: str, evalue: str) -> Failure:
    return Failure(run.unit.id, run.unit.slug, run.notebook, ename, evalue)


def execute_all(
    client: Any,
    runs: Sequence[NotebookRun],
    build_dirs: dict[str, Path],
    on_unit_done: Callable[[str, list[RunResult]], None],
    root: Path,
    year: int,
    progress: bool = True,
    cell_timeout: int | None = 600,
    prestart: bool = True,
) -> list[RunResult]:
    """Run every notebook as a task on the cluster of ``client``; like
    :func:`wres_utils.run.execute.execute_all`, ``on_unit_done(slug, results)`` is called here,
    in report order, when all of a unit's notebooks are done.

    Raises :class:`~wres_utils.run.model.RunSetupError` before submitting anything when a
    worker cannot see the build folders (see :func:`check_shared`).
    """
    from distributed import as_completed

    if not runs:
        return []
    for folder in sorted({Path(build_dirs[r.unit.slug]).resolve().parent for r in runs}):
        check_shared(client, folder)
    token = uuid.uuid4().hex[:8]
    futures: dict[str, list[Any]] = {}
    run_of: dict[str, NotebookRun] = {}
    for i, r in enumerate(runs):
        slug = r.unit.slug
        fut = client.submit(
            run_notebook_task,
            r,
            str(Path(build_dirs[slug]).resolve()),
            str(Path(root).resolve()),
            year,
            cell_timeout,
            prestart,
            key=f"wres-{year}-{slug}-{r.notebook}-{token}",
            priority=len(runs) - i,
            retries=0,
        )
        run_of[fut.key] = r
        futures.setdefault(slug, []).append(fut)
    collector = UnitCollector(runs, on_unit_done)
    failed: set[str] = set()
    all_futures = [f for fs in futures.values() for f in fs]
    with progress_bar(len(runs), f"WRES {year} (dask)", progress) as bar:
        try:
            for fut in as_completed(all_futures, loop=client.loop):
                run = run_of[fut.key]
                slug = run.unit.slug
                res = collect(run, fut, unit_failed=slug in failed)
                if res.status == "failed" and slug not in failed:
                    failed.add(slug)  # its notebooks not yet finished are not needed
                    client.cancel([f for f in futures[slug] if not f.done()])
                bar.update(1)
                collector.add(res)
        except BaseException:
            client.cancel([f for f in all_futures if not f.done()])
            raise
        finally:
            for f in all_futures:
                f.release()
    return collector.results


__all__ = [
    "CONNECT_TIMEOUT",
    "NOT_SHARED",
    "TaskResult",
    "check_shared",
    "collect",
    "connect",
    "execute_all",
    "run_notebook_task",
]
