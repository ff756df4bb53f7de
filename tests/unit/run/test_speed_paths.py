"""The fast path's pieces: kernels forked from a warm server, and the render workers.

(That their outputs equal the plain path's is shown end to end in
``tests/e2e/test_fast_path.py``.)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from wres_utils.core.actionplan import ActionPlan
from wres_utils.core.params import Unit
from wres_utils.run import kernelfork
from wres_utils.run.execute import KernelStarter, run_notebook
from wres_utils.run.model import NotebookParams, NotebookRun
from wres_utils.run.publish import RenderJob
from wres_utils.run.renderpool import RenderPool

CELL = (
    "import os, sys\n"
    "print(os.getppid(), os.getcwd() == os.path.realpath('.'), 'json' in sys.modules,"
    " os.environ.get('WRES_TEST_MARK'))"
)


def _run(src: Path) -> NotebookRun:
    unit = Unit(id="AAA", name="A", members=("AAA",))
    params = NotebookParams(
        year=2021, unit="AAA", unit_name="A", unit_slug="AAA", prepared_dir="p", synthetic=True
    )
    return NotebookRun(unit, "nb", src, params)


def test_client_command_keeps_the_kernel_arguments(tmp_path):
    server = kernelfork.ForkServer.__new__(kernelfork.ForkServer)  # no process needed
    server.socket_path, server.python = str(tmp_path / "s.sock"), "/py"
    cmd = server.kernel_cmd(["/py", "-m", "ipykernel_launcher", "-f", "/c.json", "--x=1"])
    assert cmd == [
        "/py",
        "-m",
        "wres_utils.run.kernelfork",
        "client",
        str(tmp_path / "s.sock"),
        "-f",
        "/c.json",
        "--x=1",
    ]


@pytest.mark.slow
def test_forked_kernel_runs_a_notebook_in_its_own_folder_and_environment(
    tmp_path, monkeypatch, make_notebook
):
    monkeypatch.setenv("WRES_TEST_MARK", "seen")
    build = tmp_path / "build"
    build.mkdir()
    src = make_notebook(tmp_path / "nb.ipynb", CELL)
    starter = KernelStarter(tmp_path / "logs", preload=("json",), fork=True)
    try:
        run = _run(src)
        km = starter.start(run, build)
        res = run_notebook(run, build, tmp_path, 2021, 60, km, None, starter)
        assert res.status == "ok", res.failure
        out = nbformat.read(build / "notebooks" / "nb.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in out.cells for o in c.get("outputs", []))
        ppid, same_dir, preloaded, mark = text.split()
        # A child of the fork server (not a process of its own started by jupyter_client),
        # in the unit's folder, with the preloaded module and the run's environment.
        assert int(ppid) == starter._server._proc.pid
        assert (same_dir, preloaded, mark) == ("True", "True", "seen")
        assert starter.messages(run) == []  # no banner, nothing else written
    finally:
        server = starter._server
        starter.cleanup()
    assert server._proc.poll() is not None  # the server stopped with the run


@pytest.mark.slow
def test_render_pool_hands_back_units_in_order_with_their_errors(tmp_path):
    def job(name: str) -> RenderJob:
        return RenderJob(
            build_dir=tmp_path / name,  # no notebooks there: rendering fails
            notebooks=("00_summary",),
            title="t",
            synthetic=True,
            rows=pd.DataFrame(),
            context={},
            plan=ActionPlan.model_construct(),
            render_pdf=False,
        )

    with RenderPool(2) as pool:
        pool.submit(job("a"), "a")
        pool.submit(job("b"), "b")
        done = list(pool.finished(wait=True))
    assert [tag for tag, _, _ in done] == ["a", "b"]
    assert all(isinstance(err, Exception) for _, _, err in done)
