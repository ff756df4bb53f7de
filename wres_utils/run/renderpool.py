"""Render units in worker processes while the notebooks of the next units run.

Rendering a unit (chapters to HTML, the combined report, its PDF, the CSV and the workbook:
:func:`wres_utils.run.publish.render_files`) is CPU work in Python, several times a
notebook's. Done in the main process it runs one unit at a time while the notebook workers
wait for it; here it runs in ``workers`` processes of their own, each unit as soon as its last
notebook is in, overlapping the notebooks of the units after it.

The workers are started with ``spawn`` (the main process has threads and kernel sockets, which
``fork`` would copy half-way) and warm up while the first notebooks run: they import nbconvert
and WeasyPrint and build the HTML exporter once (:func:`wres_utils.report.render.warm_up`).

Only the rendering moves: what a worker writes stays inside the unit's temporary build
folder, and publishing (moving the folder into place, the run log) stays in the main
process, in the order the units were handed in (:meth:`RenderPool.finished`). The files are
those of the plain path, since both call the same function with the same job.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from wres_utils.run.publish import RenderJob, render_files


def _warm_up() -> None:
    """Worker initialiser: pay the imports and the exporter's template compilation once."""
    from wres_utils.report import render

    render.warm_up()


class RenderPool:
    """A pool of ``workers`` render processes, with the units handed in kept in order.

    :meth:`submit` a unit's :class:`RenderJob` with a tag of the caller's (anything:
    it is handed back); :meth:`finished` yields ``(tag, seconds, error)`` for the units
    whose rendering is over, oldest first, stopping at the first one still running unless
    ``wait``. ``error`` is the exception rendering raised (None when it succeeded).
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, int(workers))
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_warm_up,
        )
        self._pending: deque[tuple[Any, Future[float]]] = deque()

    def submit(self, job: RenderJob, tag: Any) -> None:
        """Start rendering ``job`` in a worker."""
        self._pending.append((tag, self._pool.submit(render_files, job)))

    def __len__(self) -> int:
        return len(self._pending)

    def finished(self, wait: bool = False) -> Iterator[tuple[Any, float, BaseException | None]]:
        """The units whose rendering is over, in the order they were submitted."""
        while self._pending:
            tag, fut = self._pending[0]
            if not wait and not fut.done():
                return
            self._pending.popleft()
            try:
                seconds = fut.result()
            except Exception as e:  # the unit's failure (a broken worker too)
                yield tag, 0.0, e
            else:
                yield tag, seconds, None

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (``cancel``: drop the jobs not yet started)."""
        self._pool.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel=exc[0] is not None)
