"""Execute notebooks with papermill: pre-started kernels talking over IPC sockets (one
kernel process per notebook, or with the fast path's fork server one per unit, reset between
its notebooks), a thread pool of ``jobs`` workers (or a Dask cluster through
:mod:`wres_utils.run.distributed`), and a failure named by unit, notebook and cell.
"""

from __future__ import annotations

import json
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import nbformat

from wres_utils.run.model import Failure, NotebookRun, RunResult, UnitCollector, progress_bar

# --------------------------------------------------------------------------------------------
# 3. Execute


def _running_cell_source(executed: Path | None) -> str | None:
    """The source of the cell that was running when execution stopped without a cell error
    (a dead kernel): the last code cell papermill started, in the notebook it wrote."""
    if executed is None or not Path(executed).is_file():
        return None
    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:
        return None
    started = [
        c
        for c in nb.cells
        if c.cell_type == "code" and (c.metadata.get("papermill") or {}).get("start_time")
    ]
    return started[-1].source if started else None


def failure_from(run: NotebookRun, exc: BaseException, executed: Path | None = None) -> Failure:
    cell_index = getattr(exc, "cell_index", None)
    source = getattr(exc, "source", None)
    if source is None and cell_index is None:
        source = _running_cell_source(executed)
    if source is not None:
        # papermill counts the cells of the executed notebook (with the injected parameters
        # cell); name the cell of the notebook file instead.
        try:
            nb = nbformat.read(run.source, as_version=4)
            matches = [i for i, c in enumerate(nb.cells) if c.source == source]
            if matches:
                cell_index = matches[0]
        except Exception:  # keep papermill's index
            pass
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    if evalue is None:
        evalue = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
    return Failure(
        unit=run.unit.id,
        slug=run.unit.slug,
        stage=run.notebook,
        ename=str(ename),
        evalue=str(evalue),
        cell_index=cell_index,
        exec_count=getattr(exc, "exec_count", None),
        cell_source=source,
    )


def _tidy_papermill_metadata(path: Path, input_path: str, output_path: str) -> None:
    """Replace the absolute (temporary) paths papermill records by stable relative ones."""
    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill")
    if pm is not None:
        pm["input_path"] = input_path
        pm["output_path"] = output_path
        nbformat.write(nb, path)


def rel_path(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).name


#: Modules imported by each pre-started kernel while it boots (see :class:`KernelStarter`):
#: the chapters' own imports and every module the report functions import lazily when a
#: chapter calls them (Markdown to HTML through nbconvert's mistune filter costs 0.4 s of
#: CPU per kernel otherwise). ``tests/unit/run/test_preload.py`` fails when a lazy import
#: of the report modules is missing here.
PRELOAD: tuple[str, ...] = (
    "pandas",
    "IPython.display",
    "wres_utils.core.catalogue",
    "wres_utils.report.charts",
    "wres_utils.report.tables",
    "wres_utils.report.views",
    "wres_utils.report.broad_groups",
    "wres_utils.report.appendix",
    "wres_utils.report.summary",
    "wres_utils.report.narrative",
    "wres_utils.report.safetext",
    "wres_utils.disclosure.gate",
    "wres_utils.disclosure.protect",
    "nbconvert.filters.markdown_mistune",
    "bs4",
)
#: Lines a kernel writes to its own stderr that are not worth showing (TCP on localhost, the
#: interrupt jupyter_client sends before any shutdown, the kernel's connection banner).
KERNEL_NOISE: tuple[str, ...] = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
    "To connect another client to this kernel",
    "--existing kernel-",
    "NOTE: When using the `ipython kernel` entry point",
)
#: Name under which the engine for pre-started kernels is registered with papermill.
ENGINE_NAME = "wres-prestarted"
#: Run (silently, outside the notebook) before each notebook after the first on a unit's
#: kernel: IPython's own reset empties the user namespace (every name the previous notebook
#: made, its outputs ``_``, ``Out``) and, as a new session, sets the execution count back to
#: 1, so the notebook runs as on a new kernel (``tests/unit/run/test_unit_kernel.py``).
RESET_CODE = "get_ipython().reset(new_session=True)"


def _register_engine() -> str:
    """Register (once) a papermill engine that runs a notebook on a kernel started ahead.

    It is papermill's own nbclient engine (same parameter injection, cell metadata, error
    cells and :class:`~papermill.exceptions.PapermillExecutionError`), given the kernel
    manager ``km`` of a kernel that is already booting or ready. The kernel is killed as soon
    as the notebook is done (``shutdown_kernel="immediate"``: every output has been received
    by then, and the graceful path costs an interrupt and a wait per notebook), unless
    ``keep_kernel`` (the unit's next notebook runs on it); ``reset`` first runs
    :data:`RESET_CODE` on the kernel (it has run a notebook before).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE_NAME in papermill_engines._engines:
        return ENGINE_NAME

    class FreshNamespaceClient(PapermillNotebookClient):
        reset_first = False

        def papermill_execute_cells(self) -> None:
            if self.reset_first:
                reply = self.wait_for_reply(
                    self.kc.execute(RESET_CODE, silent=True, store_history=False)
                )
                if reply is None or reply["content"].get("status") != "ok":
                    raise RuntimeError("the kernel could not be reset for the next notebook")
            super().papermill_execute_cells()

    class PrestartedEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            km = kwargs.pop("km")
            save_to = kwargs.pop("save_to", None)
            keep = bool(kwargs.pop("keep_kernel", False))
            reset = bool(kwargs.pop("reset", False))
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                shutdown_kernel="immediate",
            )
            client = FreshNamespaceClient(nb_man, km=km, **final)
            client.reset_first = reset
            try:
                return client.execute(cleanup_kc=not keep)
            except BaseException:
                # The notebook is not saved after each cell (see execute_notebook): what ran
                # so far is written now, so that the failure names the cell that was running.
                if save_to is not None:
                    write_ipynb(nb_man.nb, save_to)
                raise
            finally:
                if keep and client.kc is not None:  # the kernel stays; its client goes
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE_NAME, PrestartedEngine)
    return ENGINE_NAME


def _forked_manager(server: Any) -> Any:
    """A kernel manager class whose kernels are forked by ``server`` (a
    :class:`~wres_utils.run.kernelfork.ForkServer`): the command it launches is the server's
    client, given the kernel's usual arguments."""
    from jupyter_client.manager import AsyncKernelManager

    class ForkedKernelManager(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
            return server.kernel_cmd(super().format_kernel_cmd(extra_arguments))

    return ForkedKernelManager


class KernelStarter:
    """Starts a fresh kernel for a given notebook run, ahead of the run.

    Each notebook (or, ``per_unit``, each unit) gets its own new kernel process; what is
    hidden is the start-up: the process is spawned (about 0.05 s) while
    the previous notebook of the same worker still runs, and it imports :data:`PRELOAD`
    (IPython's ``exec_lines``: no name is left in the user namespace, the execution count
    stays at 0) before the notebook's first cell arrives. The kernel starts in the unit's
    build folder, as papermill would start it; its stdout and stderr go to a log file
    (``log_dir``) instead of the terminal: :meth:`messages` returns what it wrote, minus
    :data:`KERNEL_NOISE`.

    With ``fork``, each kernel is instead forked from a server that imported :data:`PRELOAD`
    once for the whole run (:mod:`wres_utils.run.kernelfork`): still a new process, without
    its ~2 s of imports. The server starts here and imports while the run goes on;
    :meth:`cleanup` stops it.

    With ``per_unit``, a kernel serves all the notebooks of one unit, one after the other
    (:func:`execute_all`), reset between them (:data:`RESET_CODE`: a new namespace and
    execution count, as a new kernel has); its log is the unit's, each notebook's messages
    the part written while it ran (:meth:`log_size`, :meth:`messages`).
    """

    def __init__(
        self,
        log_dir: Path,
        kernel_name: str = "python3",
        preload: Sequence[str] = PRELOAD,
        fork: bool = False,
        per_unit: bool = False,
    ):
        self.log_dir = Path(log_dir)
        self.per_unit = per_unit
        self.kernel_name = kernel_name
        self.preload = tuple(preload)
        self._ipc_dirs: list[Path] = []
        self._server: Any = None
        self._manager: Any = None
        if fork:
            from wres_utils.run.kernelfork import ForkServer

            folder = Path(tempfile.mkdtemp(prefix="wres-f-"))
            self._ipc_dirs.append(folder)
            self._server = ForkServer(folder, self.preload)
            self._manager = _forked_manager(self._server)

    def cleanup(self) -> None:
        """Stop the fork server, if any; remove the kernels' socket folders (after every
        kernel has stopped)."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        for d in self._ipc_dirs:
            shutil.rmtree(d, ignore_errors=True)
        self._ipc_dirs.clear()

    def log_path(self, run: NotebookRun) -> Path:
        """The file a run's kernel writes its stdout and stderr to (the unit's, ``per_unit``)."""
        if self.per_unit:
            return self.log_dir / f"{run.unit.slug}.log"
        return self.log_dir / f"{run.unit.slug}--{run.notebook}.log"

    def log_size(self, run: NotebookRun) -> int:
        """Bytes in the run's log so far: where the next notebook's messages start."""
        try:
            return self.log_path(run).stat().st_size
        except OSError:
            return 0

    def start(self, run: NotebookRun, cwd: Path) -> Any:
        """Spawn the kernel for ``run`` in ``cwd``; returns its (async) kernel manager."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.log_dir.mkdir(parents=True, exist_ok=True)
        args = ["--HistoryManager.hist_file=:memory:"]
        if self.preload:
            names = ", ".join(repr(m) for m in self.preload)
            lines = [f"for _wres_m in ({names},): __import__(_wres_m)", "del _wres_m"]
            args.append("--IPKernelApp.exec_lines=" + json.dumps(lines))
        # IPC (Unix sockets in a private folder), not TCP: no port to race for with other
        # kernels starting at the same moment (a TCP port picked, then taken by another
        # process before the kernel binds it, leaves a kernel that never answers).
        ipc = Path(tempfile.mkdtemp(prefix="wres-k-"))
        self._ipc_dirs.append(ipc)
        manager = self._manager or AsyncKernelManager
        km = manager(kernel_name=self.kernel_name, transport="ipc", ip=str(ipc / "k"))
        with open(self.log_path(run), "ab") as log:
            run_sync(km.start_kernel)(
                cwd=str(Path(cwd).resolve()), extra_arguments=args, stdout=log, stderr=log
            )
        return km

    @staticmethod
    def stop(km: Any) -> None:
        """Kill a kernel that is still running (e.g. one started for a skipped notebook)."""
        from jupyter_core.utils import run_sync

        try:
            if km is not None and km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass

    def messages(self, run: NotebookRun, since: int = 0) -> list[str]:
        """What the run's kernel wrote to its stdout/stderr (from byte ``since`` of its log),
        without :data:`KERNEL_NOISE`."""
        try:
            with open(self.log_path(run), "rb") as f:
                f.seek(since)
                text = f.read().decode("utf-8", errors="replace")
        except OSError:
            return []
        return [
            line
            for line in text.splitlines()
            if line.strip() and not any(n in line for n in KERNEL_NOISE)
        ]


def execute_notebook(
    run: NotebookRun,
    build_dir: Path,
    root: Path,
    published_as: str,
    cell_timeout: int | None = 600,
    km: Any = None,
    keep_kernel: bool = False,
    reset: bool = False,
) -> None:
    """Execute one notebook with papermill into ``build_dir/notebooks/<name>.ipynb``.

    The kernel starts in ``build_dir`` (where ``prepared/`` is); with ``km``, the notebook
    runs on that kernel, already started there by :class:`KernelStarter`, which is then
    stopped unless ``keep_kernel``; ``reset``: the kernel has run a notebook before and is
    reset first (:data:`RESET_CODE`). Raises what papermill raises.

    With ``km``, papermill does not rewrite the notebook file after every cell (twice a
    cell: about 0.1 s of CPU a notebook in this process, for a file no one reads until the
    notebook is done); the engine writes it if execution stops on an error of its own (a dead
    kernel, a timeout), as papermill's saves would have left it.
    """
    import papermill

    out = Path(build_dir) / "notebooks" / f"{run.notebook}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    extra: dict[str, Any] = {}
    if km is not None:
        extra = {
            "engine_name": _register_engine(),
            "km": km,
            "keep_kernel": keep_kernel,
            "reset": reset,
            "save_to": str(out.resolve()),
            "request_save_on_cell_execute": False,
        }
    papermill.execute_notebook(
        str(Path(run.source).resolve()),
        str(out.resolve()),
        parameters=run.params.model_dump(),
        kernel_name="python3",
        language="python",
        progress_bar=False,
        cwd=None,  # see the module docstring: the kernel's cwd comes from resources
        execution_timeout=cell_timeout,
        resources={"metadata": {"path": str(Path(build_dir).resolve())}},
        **extra,
    )
    _tidy_papermill_metadata(out, rel_path(run.source, root), published_as)


def published_as(run: NotebookRun, year: int) -> str:
    """The path a run's executed notebook is recorded under (relative to the reports folder)."""
    return f"{year}/{run.unit.slug}/notebooks/{run.notebook}.ipynb"


def run_notebook(
    run: NotebookRun,
    build_dir: Path,
    root: Path,
    year: int,
    cell_timeout: int | None = 600,
    km: Any = None,
    start_error: BaseException | None = None,
    starter: KernelStarter | None = None,
    keep_kernel: bool = False,
    reset: bool = False,
    log_from: int = 0,
) -> RunResult:
    """Execute one notebook (:func:`execute_notebook`) and return its :class:`RunResult`.

    Never raises for a notebook's own failure: the error becomes the result's
    :class:`Failure` (unit, notebook, cell). ``start_error`` is an error met while starting
    the run's kernel ahead (reported as this run's failure). The kernel ``km`` is stopped,
    unless ``keep_kernel`` and the notebook succeeded (``reset``: see
    :func:`execute_notebook`; ``log_from``: where this notebook's part of the kernel's log
    starts). Used by the local pool and, on each worker, by the distributed engine.
    """
    t = time.perf_counter()
    ok = False
    try:
        if start_error is not None:
            raise start_error
        execute_notebook(
            run,
            build_dir,
            root,
            published_as(run, year),
            cell_timeout=cell_timeout,
            km=km,
            keep_kernel=keep_kernel,
            reset=reset,
        )
        ok = True
    except Exception as e:
        failure = failure_from(run, e, Path(build_dir) / "notebooks" / f"{run.notebook}.ipynb")
        if starter is not None and failure.ename == "DeadKernelError":
            tail = starter.messages(run, log_from)[-3:]
            if tail:
                failure = Failure(
                    **{**asdict(failure), "evalue": f"{failure.evalue} ({' | '.join(tail)})"}
                )
        return RunResult(run, "failed", time.perf_counter() - t, failure)
    finally:
        if not (ok and keep_kernel):
            KernelStarter.stop(km)
    return RunResult(run, "ok", time.perf_counter() - t)


def execute_all(
    runs: Sequence[NotebookRun],
    build_dirs: dict[str, Path],
    jobs: int,
    on_unit_done: Callable[[str, list[RunResult]], None],
    root: Path,
    year: int,
    progress: bool = True,
    cell_timeout: int | None = 600,
    starter: KernelStarter | None = None,
) -> list[RunResult]:
    """Run every notebook on ``jobs`` worker threads, with a progress bar on stderr.

    Each worker takes the next run from the queue; with a ``starter``, it also takes the run
    after that and starts its kernel before executing the current one, so each kernel boots
    while the previous notebook runs (:class:`KernelStarter`). With a ``per_unit`` starter,
    a worker takes a unit's notebooks together and runs them in order on one kernel, reset
    between them (the next unit's kernel boots meanwhile). When a unit's notebooks have
    all finished, ``on_unit_done(slug, results)`` is called in this thread (so rendering and
    publishing are serial). Once a notebook of a unit fails, the unit's notebooks not yet
    started are skipped (their kernels, if started, are killed).

    For a Dask cluster, :func:`wres_utils.run.distributed.execute_all` does the same on the
    cluster's workers, one task per notebook, with the same results and failure handling.
    """
    collector = UnitCollector(runs, on_unit_done)
    failed: set[str] = set()
    lock = threading.Lock()
    per_unit = starter is not None and starter.per_unit
    tasks: list[list[NotebookRun]] = []
    for run in runs:  # a unit's notebooks are consecutive in ``runs``
        if per_unit and tasks and tasks[-1][0].unit.slug == run.unit.slug:
            tasks[-1].append(run)
        else:
            tasks.append([run])
    todo = iter(tasks)
    stop = threading.Event()
    done_q: queue.Queue[RunResult | BaseException] = queue.Queue()

    def take() -> list[NotebookRun] | None:
        with lock:
            return None if stop.is_set() else next(todo, None)

    def start(task: list[NotebookRun] | None) -> tuple[Any, BaseException | None]:
        if task is None or starter is None:
            return None, None
        run = task[0]
        with lock:
            if run.unit.slug in failed:
                return None, None
        try:
            return starter.start(run, build_dirs[run.unit.slug]), None
        except Exception as e:  # reported as this run's failure
            return None, e

    def execute(task: list[NotebookRun], km: Any, start_error: BaseException | None) -> None:
        try:
            for i, run in enumerate(task):
                slug = run.unit.slug
                with lock:
                    skip = slug in failed
                if skip:
                    KernelStarter.stop(km)
                    km = None
                    done_q.put(RunResult(run, "skipped", 0.0))
                    continue
                since = starter.log_size(run) if per_unit and starter is not None else 0
                res = run_notebook(
                    run,
                    build_dirs[slug],
                    root,
                    year,
                    cell_timeout,
                    km,
                    start_error,
                    starter,
                    keep_kernel=i < len(task) - 1,
                    reset=i > 0,
                    log_from=since,
                )
                if starter is not None:
                    res.messages = starter.messages(run, since)
                if res.status == "failed":
                    with lock:
                        failed.add(slug)
                    km = None  # run_notebook stopped it
                done_q.put(res)
        finally:
            KernelStarter.stop(km)  # stopped already, unless something above raised

    def worker() -> None:
        nxt = take()
        nxt_km, nxt_err = start(nxt)
        try:
            while nxt is not None:
                cur, km, err = nxt, nxt_km, nxt_err
                nxt_km, nxt_err = None, None
                nxt = take()
                nxt_km, nxt_err = start(nxt)  # boots while `cur` runs
                try:
                    execute(cur, km, err)
                except BaseException as e:  # a bug here: let the main thread raise it
                    done_q.put(e)
                    return
        finally:
            KernelStarter.stop(nxt_km)

    n_workers = max(1, min(jobs, len(tasks)))
    threads = [
        threading.Thread(target=worker, name=f"wres-nb-{i}", daemon=True) for i in range(n_workers)
    ]
    with progress_bar(len(runs), f"WRES {year}", progress) as bar:
        for th in threads:
            th.start()
        try:
            for _ in range(len(runs)):
                res = done_q.get()
                if isinstance(res, BaseException):
                    raise res
                bar.update(1)
                collector.add(res)
        except BaseException:
            stop.set()
            with lock:
                failed.update(collector.pending)  # what is still queued is skipped
            for th in threads:
                th.join()
            raise
    for th in threads:
        th.join()
    return collector.results
