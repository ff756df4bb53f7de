"""Where one unit's time goes, in CPU seconds (hardly affected by the machine's load).

Builds the example's largest unit (ZZ1, WRES 2021) once, then measures:

1. a kernel's start-up, for an empty notebook: started by jupyter_client as usual (it imports
   the chapters' modules, ``execute.PRELOAD``) and forked from the warm server
   (``run.kernelfork``), CPU of every process involved;
2. rendering the unit (``publish.render_files``: chapters, report.html, report.pdf, CSV,
   workbook) in a fresh process (cold: the first unit of a render worker) and again in the
   same process (warm: every later unit), with a cProfile of the warm one.

Writes ``benchmarks/results/profile-unit.md`` (paths relative to the repository).

    python benchmarks/profile_unit.py [--kernels 6]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import _empty_notebook, git_commit, relative_paths  # noqa: E402

from wres_utils.core.params import NOTEBOOKS, Unit  # noqa: E402
from wres_utils.run.execute import PRELOAD, KernelStarter, run_notebook  # noqa: E402
from wres_utils.run.model import NotebookParams, NotebookRun  # noqa: E402
from wres_utils.run.runner import run_year  # noqa: E402

UNIT = "ZZ1"
YEAR = 2021


def cpu(children: bool = True) -> float:
    """CPU seconds of this process (and of its children that have ended)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    t = r.ru_utime + r.ru_stime
    if children:
        c = resource.getrusage(resource.RUSAGE_CHILDREN)
        t += c.ru_utime + c.ru_stime
    return t


def kernels(tmp: Path, n: int, fork: bool, per_unit: bool = False) -> tuple[float, float]:
    """CPU and wall seconds of ``n`` empty notebooks on kernels started one way or the other
    (``per_unit``: all on one forked kernel, reset between them, as a unit's six chapters)."""
    src = _empty_notebook(tmp / "empty.ipynb")
    c0, t0 = cpu(), time.perf_counter()
    name = f"{fork}-{per_unit}"
    starter = KernelStarter(tmp / f"logs-{name}", preload=PRELOAD, fork=fork, per_unit=per_unit)
    km = None
    try:
        for i in range(n):
            d = tmp / f"k{name}-{i}"
            d.mkdir()
            unit = Unit(id=f"U{i}", name="x", members=(f"U{i}",))
            params = NotebookParams(
                year=YEAR, unit=unit.id, unit_name="x", unit_slug=unit.slug,
                prepared_dir="p", synthetic=True,
            )  # fmt: skip
            run = NotebookRun(unit, "empty", src, params)
            if km is None or not per_unit:
                km = starter.start(run, d)
            last = i == n - 1 or not per_unit
            res = run_notebook(
                run, d, tmp, YEAR, 120, km, None, starter, keep_kernel=not last,
                reset=per_unit and i > 0,
            )  # fmt: skip
            if res.status != "ok":
                raise RuntimeError(res.failure)
    finally:
        KernelStarter.stop(km)
        starter.cleanup()
    return cpu() - c0, time.perf_counter() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--kernels", type=int, default=6)
    p.add_argument("--out", default=str(HERE / "results" / "profile-unit.md"))
    a = p.parse_args()

    load0 = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="wres-profile-"))
    try:
        reports = tmp / "reports"
        t = time.perf_counter()
        status = run_year(YEAR, HERE.parent / "params", reports, unit=UNIT, progress=False)
        if status:
            raise SystemExit("the example unit did not build")
        build_s = time.perf_counter() - t
        plain_cpu, plain_wall = kernels(tmp, a.kernels, fork=False)
        fork_cpu, fork_wall = kernels(tmp, a.kernels, fork=True)
        unit_cpu, unit_wall = kernels(tmp, a.kernels, fork=True, per_unit=True)

        # Rendering: a unit's executed notebooks, rendered cold then warm in one process,
        # from the unit's real render job.
        import pickle
        import subprocess

        from wres_utils.run.plan import validate
        from wres_utils.run.prepare import compute_published
        from wres_utils.run.publish import render_job

        setup = validate(
            YEAR, HERE.parent / "params", HERE.parent, UNIT, HERE.parent / "notebooks", NOTEBOOKS
        )
        job = render_job(setup, setup.units[0], tmp, compute_published(setup))
        (tmp / "job.pkl").write_bytes(pickle.dumps(job))

        code = (
            "import sys, time, resource, cProfile, pstats, io, shutil\n"
            "from pathlib import Path\n"
            "sys.path.insert(0, sys.argv[1])\n"
            "import dataclasses, pickle\n"
            "from wres_utils.run.publish import render_files\n"
            "src = Path(sys.argv[2]); tmp = Path(sys.argv[3])\n"
            "base = pickle.loads((tmp / 'job.pkl').read_bytes())\n"
            "def job(name):\n"
            "    d = tmp / name; shutil.copytree(src / 'notebooks', d / 'notebooks',\n"
            "        ignore=shutil.ignore_patterns('*.html'))\n"
            "    return dataclasses.replace(base, build_dir=d)\n"
            "def c():\n"
            "    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime\n"
            "j1, j2, j3 = job('cold'), job('warm'), job('profiled')\n"
            "c0 = c(); render_files(j1); cold = c() - c0\n"
            "c0 = c(); render_files(j2); warm = c() - c0\n"
            "prof = cProfile.Profile(); prof.enable(); render_files(j3); prof.disable()\n"
            "buf = io.StringIO(); pstats.Stats(prof, stream=buf).sort_stats('cumulative')"
            ".print_stats(30)\n"
            "print('COLD', cold); print('WARM', warm); print(buf.getvalue())\n"
        )
        unit_dir = reports / str(YEAR) / UNIT
        done = subprocess.run(
            [sys.executable, "-c", code, str(HERE.parent), str(unit_dir), str(tmp)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.stderr.write(done.stderr[-3000:])
            raise SystemExit("render profile failed")
        out = done.stdout
        cold = float(out.split("COLD ", 1)[1].split()[0])
        warm = float(out.split("WARM ", 1)[1].split()[0])
        prof = "\n".join(
            ln for ln in out.split("WARM", 1)[1].splitlines()[1:] if ln.strip()
        )  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = a.kernels
    md = [
        f"# One unit's CPU, by stage (commit {git_commit()})",
        "",
        f"Unit {UNIT} of the example, WRES {YEAR} (built in {build_s:.0f} s wall). Load "
        f"average at start {[round(x, 2) for x in load0]}, at end "
        f"{[round(x, 2) for x in os.getloadavg()]} (shared machine: CPU seconds are given, "
        "which depend little on the load). `python benchmarks/profile_unit.py`.",
        "",
        "| stage | CPU s | wall s |",
        "|---|---:|---:|",
        f"| kernel start + empty notebook, jupyter_client starts it (per notebook, {n} runs) | "
        f"{plain_cpu / n:.2f} | {plain_wall / n:.2f} |",
        f"| the same, kernel forked from the warm server (per notebook, server included) | "
        f"{fork_cpu / n:.2f} | {fork_wall / n:.2f} |",
        f"| the same, one forked kernel for all {n} notebooks, reset between them (a unit's "
        f"chapters, as the fast path runs them; per notebook) | {unit_cpu / n:.2f} | "
        f"{unit_wall / n:.2f} |",
        f"| render a unit, cold (a worker's first unit, imports included) | {cold:.2f} | |",
        f"| render a unit, warm (every later unit) | {warm:.2f} | |",
        "",
        "Render, warm (cProfile, cumulative; profiling roughly doubles the times):",
        "",
        "```",
        relative_paths(prof),
        "```",
        "",
    ]
    Path(a.out).write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
