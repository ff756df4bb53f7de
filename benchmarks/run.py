"""National-scale benchmark of the WRES pipeline (``make bench``); see benchmarks/README.md.

Generates synthetic national data (wres_utils.example.national) under benchmarks/out/,
then measures, each in a fresh child process (so that peak memory is that stage's own):
load+validate and counts per extract, indicators and disclosure for all units x 5 years,
the fixed set-up of a national run, the end-to-end run of N units (kernels pre-started and
not), and the floor: papermill executing an empty notebook as many times with the same
parallelism. Prints a table and writes benchmarks/results/national.json and national.md.

    python benchmarks/run.py                  # the full benchmark (about 15-25 min, 2 cores)
    python benchmarks/run.py --orgs 30 --staff 60000 --units 3 --years 2021   # a quick look
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wres_utils.run.runner import run_year

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULTS = HERE / "results"
KINDS = ("workforce", "recruitment", "disciplinary", "training", "staff_survey", "board")
TARGETS = {
    "workforce_seconds": 15.0,
    "workforce_peak_gb": 3.0,
    "indicators_seconds": 5.0,
    "notebook_ratio": 1.5,
    "national_minutes": 15.0,
    "rerun_seconds": 2.0,
}


# ------------------------------------------------------------------------------------------
# Child processes: each prints one line "RESULT <json>".


def _rss_mb() -> float:
    """Peak resident set size of this process so far, MB (Linux ru_maxrss is in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


REPO = HERE.parent


def relative_paths(text: str) -> str:
    """Paths of this machine made portable: the repository's as relative paths, installed
    packages' as ``<site-packages>/...``, Python's own as ``<python>/...``."""
    text = re.sub(r"\S*/site-packages/", "<site-packages>/", text)
    text = text.replace(f"{REPO}/", "").replace(str(REPO), ".")
    return re.sub(r"/\S*/lib/python3\.\d+/", "<python>/", text)


def _profile_text(prof: cProfile.Profile, n: int = 18) -> str:
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(n)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    return relative_paths("\n".join(lines[:60]))


def child_load(args: argparse.Namespace) -> dict[str, Any]:
    """Load and validate one extract kind (or all) of a year for every organisation."""
    import pandas as pd

    from wres_utils.core.params import load_params
    from wres_utils.inputs import load as inputs_load

    params = load_params(Path(args.root) / "params" / f"{args.year}.yaml", root=args.root)
    if args.kind != "all":
        orgs = [
            o.model_copy(update={"files": {args.kind: o.files[args.kind]}})
            for o in params.organisations
        ]
        params = params.model_copy(update={"organisations": orgs})
    base = _rss_mb()
    spent = {"counts": 0.0}
    real = inputs_load.records_to_counts

    def timed(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            spent["counts"] += time.perf_counter() - t

    inputs_load.records_to_counts = timed
    prof = cProfile.Profile() if args.profile else None
    t = time.perf_counter()
    if prof:
        prof.enable()
    loaded = inputs_load.load_year(params, Path(args.root))
    if prof:
        prof.disable()
    seconds = time.perf_counter() - t
    rows = int(pd.to_numeric(loaded.quality["rows_read"]).sum())
    if args.save:
        loaded.counts.to_pickle(args.save)
    out = {
        "kind": args.kind,
        "year": args.year,
        "rows": rows,
        "files": len(loaded.quality),
        "seconds": round(seconds, 2),
        "counts_seconds": round(spent["counts"], 2),
        "load_validate_seconds": round(seconds - spent["counts"], 2),
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_before_mb": round(base, 1),
        "count_rows": len(loaded.counts),
    }
    if prof:
        out["profile"] = _profile_text(prof)
    return out


def child_indicators(args: argparse.Namespace) -> dict[str, Any]:
    """Indicators and disclosure for every organisation x every year of the given counts."""
    import pandas as pd

    from wres_utils.compute import indicators
    from wres_utils.core.params import load_params
    from wres_utils.disclosure import gate as disclosure
    from wres_utils.inputs.counts import normalise_dtypes

    params = load_params(Path(args.root) / "params" / f"{args.year}.yaml", root=args.root)
    units = params.units()
    counts = normalise_dtypes(pd.concat([pd.read_pickle(p) for p in args.counts]))
    years = sorted(int(y) for y in counts["year"].unique())
    out: dict[str, Any] = {"units": len(units), "years": years, "count_rows": len(counts)}
    prof = cProfile.Profile() if args.profile else None
    t = time.perf_counter()
    table = indicators.compute_indicators(counts, units, denominator="all")
    out["indicators_seconds"] = round(time.perf_counter() - t, 2)
    out["indicator_rows"] = len(table)
    t = time.perf_counter()
    if prof:
        prof.enable()
    disclosed = disclosure.disclose(table, min_count=7, round_to=None)
    published = disclosure.published_copy(disclosed)
    if prof:
        prof.disable()
        out["disclosure_profile"] = _profile_text(prof)
    out["disclosure_seconds"] = round(time.perf_counter() - t, 2)
    if out["disclosure_seconds"] <= TARGETS["indicators_seconds"]:
        out.pop("disclosure_profile", None)
    out["published_rows"] = len(published)
    out["peak_rss_mb"] = round(_rss_mb(), 1)
    if args.profile and out["indicators_seconds"] > TARGETS["indicators_seconds"]:
        prof = cProfile.Profile()
        prof.enable()
        indicators.compute_indicators(counts, units, denominator="all")
        prof.disable()
        out["indicators_profile"] = _profile_text(prof)
    return out


def child_setup(args: argparse.Namespace) -> dict[str, Any]:
    """The fixed part of a national run: validate (3 years), compute once, prepare units."""
    from wres_utils.core.params import NOTEBOOKS
    from wres_utils.run.plan import validate
    from wres_utils.run.prepare import all_counts, compute_published, write_prepared
    from wres_utils.run.runner import build_key

    root = Path(args.root)
    cpu0 = _cpu_seconds()
    t = time.perf_counter()
    setup = validate(
        args.year, root / "params", root, None, HERE.parent / "notebooks", NOTEBOOKS, jobs=args.jobs
    )
    t_validate = time.perf_counter() - t
    published = compute_published(setup)
    t_compute = time.perf_counter() - t - t_validate
    counts = all_counts(setup)
    with tempfile.TemporaryDirectory() as tmp:
        for u in setup.units:
            build = Path(tmp) / u.slug
            write_prepared(setup, u, published, build)
            build_key(setup, u, build, counts, True)
    t_all = time.perf_counter() - t
    return {
        "units": len(setup.units),
        "years_loaded": sorted(setup.loaded),
        "validate_seconds": round(t_validate, 2),
        "compute_seconds": round(t_compute, 2),
        "prepare_seconds": round(t_all - t_validate - t_compute, 2),
        "seconds": round(t_all, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu0, 2),
        "peak_rss_mb": round(_rss_mb(), 1),
    }


def child_e2e(args: argparse.Namespace) -> dict[str, Any]:
    """wres run for the units of a (subset) params folder into a fresh reports folder."""
    from wres_utils.run import runlog

    root = Path(args.root)
    reports = Path(args.reports)
    cpu0 = _cpu_seconds()
    t = time.perf_counter()
    status = run_year(
        args.year,
        root / "params",
        reports,
        jobs=args.jobs,
        progress=False,
        prestart=bool(args.prestart),
        notebooks_dir=HERE.parent / "notebooks",
        root=root,
    )
    wall = time.perf_counter() - t
    cpu = _cpu_seconds() - cpu0
    events = runlog.read_run_log(reports / str(args.year) / "run.log")
    rerun = None
    if args.rerun:  # nothing changed: every unit is up to date, nothing is executed
        t = time.perf_counter()
        run_year(
            args.year,
            root / "params",
            reports,
            jobs=args.jobs,
            progress=False,
            notebooks_dir=HERE.parent / "notebooks",
            root=root,
        )
        rerun = round(time.perf_counter() - t, 2)
    run = next(e for e in events if e["event"] == "run")
    nbs = [e for e in events if e["event"] == "notebook"]
    units = [e for e in events if e["event"] == "unit"]
    # Where a notebook's time goes: papermill records each cell's duration.
    cells: dict[str, list[float]] = {}
    in_cells = 0.0
    for path in (reports / str(args.year)).glob("*/notebooks/*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for c in nb["cells"]:
            d = (c.get("metadata", {}).get("papermill") or {}).get("duration")
            if c["cell_type"] != "code" or d is None:
                continue
            src = "".join(c["source"]).strip().splitlines()
            key = f"{path.stem}: {src[0][:70] if src else ''}"
            cells.setdefault(key, []).append(d)
            in_cells += d
    top = sorted(cells.items(), key=lambda kv: -sum(kv[1]))[:8]
    return {
        "status": status,
        "prestart": bool(args.prestart),
        "jobs": args.jobs,
        "units": len(units),
        "notebooks": len(nbs),
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "rerun_seconds": rerun,
        "setup_seconds": run.get("setup_seconds"),
        "execute_seconds": run.get("execute_seconds"),
        "notebook_busy_seconds": round(sum(e["seconds"] for e in nbs), 2),
        "render_seconds": round(sum(e.get("render_seconds", 0) for e in units), 2),
        "per_unit": {
            e["slug"]: [e.get("notebook_seconds", 0), e.get("render_seconds", 0)] for e in units
        },
        "cell_seconds": round(in_cells, 2),
        "slowest_cells": [[k, round(sum(v) / len(v), 3)] for k, v in top],
    }


def _cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its children that have ended
    (kernels, render workers): less sensitive than wall time to a shared machine's load."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _empty_notebook(path: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cell = nbformat.v4.new_code_cell("x = 0")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nbformat.write(nb, path)
    return path


def child_floor(args: argparse.Namespace) -> dict[str, Any]:
    """Papermill executing an empty notebook ``count`` times on ``jobs`` threads (the floor),
    or the same through the pipeline's pre-started kernels (``--mode prestarted``)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = _empty_notebook(tmp / "empty.ipynb")
        dirs = []
        for i in range(args.count):
            d = tmp / f"u{i}"
            d.mkdir()
            dirs.append(d)
        t = time.perf_counter()
        if args.mode == "papermill":
            import papermill

            def one(d: Path) -> None:
                papermill.execute_notebook(
                    str(src),
                    str(d / "out.ipynb"),
                    parameters={"x": 1},
                    kernel_name="python3",
                    progress_bar=False,
                    resources={"metadata": {"path": str(d)}},
                )

            with ThreadPoolExecutor(args.jobs) as pool:
                list(pool.map(one, dirs))
        else:
            from wres_utils.core.params import Unit
            from wres_utils.run.execute import KernelStarter, execute_all
            from wres_utils.run.model import NotebookParams, NotebookRun

            runs, build_dirs = [], {}
            for i, d in enumerate(dirs):
                unit = Unit(id=f"U{i:03d}", name="x", members=(f"U{i:03d}",))
                params = NotebookParams(
                    year=2021,
                    unit=unit.id,
                    unit_name="x",
                    unit_slug=unit.slug,
                    prepared_dir="prepared",
                    synthetic=True,
                )
                runs.append(NotebookRun(unit, "empty", src, params))
                build_dirs[unit.slug] = d
            starter = KernelStarter(tmp / "logs", preload=(), fork=True)
            results = execute_all(
                runs, build_dirs, args.jobs, lambda s, r: None, tmp, 2021, False, 600, starter
            )
            bad = [r for r in results if r.status != "ok"]
            starter.cleanup()
            if bad:
                raise RuntimeError(f"{len(bad)} empty notebooks failed: {bad[0].failure}")
        wall = time.perf_counter() - t
    return {"mode": args.mode, "count": args.count, "jobs": args.jobs, "seconds": round(wall, 2)}


CHILDREN = {
    "load": child_load,
    "indicators": child_indicators,
    "setup": child_setup,
    "e2e": child_e2e,
    "floor": child_floor,
}


# ------------------------------------------------------------------------------------------
# The parent


def child(what: str, *argv: str, timeout: float = 7200) -> dict[str, Any]:
    """Run one measurement in a fresh Python process; return its result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "child", what, *map(str, argv)]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"benchmark step {what} {' '.join(map(str, argv))} failed")
    out = json.loads(lines[-1][len("RESULT ") :])
    out["process_seconds"] = round(time.perf_counter() - t, 2)
    return out


def say(text: str) -> None:
    print(text, flush=True)


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "--no-optional-locks", "rev-parse", "--short", "HEAD"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def generate(args: argparse.Namespace) -> tuple[Path, dict[str, Any], float]:
    """The national data under benchmarks/out/ (reused when already there for these
    settings: generation is deterministic)."""
    from wres_utils.example import national as synthetic_national

    root = OUT / f"national-{args.orgs}-{args.staff}-{args.seed}"
    summary_file = root / "national.json"
    if summary_file.is_file():
        return root, json.loads(summary_file.read_text()), 0.0
    shutil.rmtree(root, ignore_errors=True)
    t = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            say(f"  generated {done}/{total} organisations ({time.perf_counter() - t:.0f} s)")

    summary = synthetic_national.write_national_data(
        root, args.orgs, args.staff, args.seed, progress=progress
    )
    return root, summary, time.perf_counter() - t


def subset(root: Path, codes: list[str], years: list[int], dest: Path) -> Path:
    """A project root under ``dest`` whose params name only ``codes`` (data linked)."""
    import yaml

    dest.mkdir(parents=True)
    (dest / "params").mkdir()
    (dest / "data").symlink_to(root / "data", target_is_directory=True)
    for y in years:
        raw = yaml.safe_load((root / "params" / f"{y}.yaml").read_text())
        raw["organisations"] = [o for o in raw["organisations"] if o["code"] in codes]
        (dest / "params" / f"{y}.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    return dest


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["child"]:
        p = argparse.ArgumentParser()
        p.add_argument("child")
        p.add_argument("what", choices=sorted(CHILDREN))
        p.add_argument("--root")
        p.add_argument("--year", type=int, default=2021)
        p.add_argument("--kind", default="all")
        p.add_argument("--save")
        p.add_argument("--counts", nargs="*", default=[])
        p.add_argument("--reports")
        p.add_argument("--jobs", type=int, default=2)
        p.add_argument("--prestart", type=int, default=1)
        p.add_argument("--count", type=int, default=12)
        p.add_argument("--mode", default="papermill")
        p.add_argument("--profile", type=int, default=0)
        p.add_argument("--rerun", type=int, default=0)
        a = p.parse_args(argv)
        print("RESULT " + json.dumps(CHILDREN[a.what](a)), flush=True)
        return 0

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--orgs", type=int, default=250)
    p.add_argument("--staff", type=int, default=1_400_000)
    p.add_argument("--seed", type=int, default=20210331)
    p.add_argument("--year", type=int, default=2021)
    p.add_argument("--units", type=int, default=20, help="units of the end-to-end run (N)")
    p.add_argument(
        "--plain-units",
        type=int,
        default=6,
        help="units of the comparison run with kernels started by papermill (<= N)",
    )
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--results", default=str(RESULTS / "national.json"))
    a = p.parse_args(argv)
    started = datetime.now(UTC).replace(microsecond=0).isoformat()
    load_start = os.getloadavg()
    t_all = time.perf_counter()
    res: dict[str, Any] = {
        "started": started,
        "commit": git_commit(),
        "machine": machine(),
        "load_average_at_start": [round(x, 2) for x in load_start],
        "settings": vars(a),
        "targets": TARGETS,
    }

    say(f"1. Synthetic national data ({a.orgs} organisations, ~{a.staff:,} staff)")
    root, summary, gen_s = generate(a)
    res["data"] = {k: v for k, v in summary.items() if k != "sizes"} | {
        "generate_seconds": round(gen_s, 1),
        "folder": str(root.relative_to(HERE.parent)),
    }
    years = [int(y) for y in summary["rows"]]
    sizes: dict[str, int] = summary["sizes"]

    say(f"2. Load + validate + counts, one child process per extract ({a.year})")
    work = Path(tempfile.mkdtemp(prefix="wres-bench-", dir=OUT))
    loads = []
    for kind in KINDS:
        save = work / f"counts-{a.year}-{kind}.pkl"
        r = child("load", "--root", root, "--year", a.year, "--kind", kind, "--save", save)
        loads.append(r)
        say(
            f"   {kind:<13} {r['rows']:>10,} rows  {r['seconds']:6.1f} s "
            f"(counts {r['counts_seconds']:.1f} s)  peak {r['peak_rss_mb']:,.0f} MB"
        )
    res["load"] = loads
    wf = next(x for x in loads if x["kind"] == "workforce")
    if wf["seconds"] > TARGETS["workforce_seconds"]:
        wf["profile"] = child(
            "load", "--root", root, "--year", a.year, "--kind", "workforce", "--profile", 1
        )["profile"]
    counts_files = [work / f"counts-{a.year}-{k}.pkl" for k in KINDS]

    say("3. Counts of the other years (not timed: needed for 5-year indicators)")
    others = [y for y in years if y != a.year]
    with ThreadPoolExecutor(a.jobs) as pool:
        done = list(
            pool.map(
                lambda y: child(
                    "load", "--root", root, "--year", y, "--save", work / f"counts-{y}.pkl"
                ),
                others,
            )
        )
    res["load_other_years"] = [{"year": d["year"], "seconds": d["seconds"]} for d in done]
    counts_files += [work / f"counts-{y}.pkl" for y in others]

    say(f"4. Indicators and disclosure: {a.orgs} units x {len(years)} years")
    ind = child(
        "indicators", "--root", root, "--year", a.year, "--counts", *counts_files, "--profile", 1
    )
    if ind["indicators_seconds"] <= TARGETS["indicators_seconds"]:
        ind.pop("indicators_profile", None)
    res["indicators"] = ind
    say(
        f"   indicators {ind['indicators_seconds']:.2f} s ({ind['indicator_rows']:,} rows); "
        f"disclosure {ind['disclosure_seconds']:.2f} s; peak {ind['peak_rss_mb']:,.0f} MB"
    )

    say(f"5. Fixed set-up of a national run (validate 3 years, compute, prepare {a.orgs})")
    res["national_setup"] = child("setup", "--root", root, "--year", a.year, "--jobs", a.jobs)
    say(f"   {res['national_setup']['seconds']:.1f} s")

    # Units for the end-to-end run: evenly spaced through the sizes, smallest to largest.
    ranked = sorted(sizes, key=lambda c: (sizes[c], c))
    n = min(a.units, len(ranked))
    pick = [ranked[round(i * (len(ranked) - 1) / max(1, n - 1))] for i in range(n)]
    res["e2e_units"] = {c: sizes[c] for c in pick}
    hist = [y for y in years if a.year - 2 <= y <= a.year]
    sub = subset(root, pick, hist, work / "subset")
    say(f"6. End to end: wres run of {n} units x 6 notebooks, jobs={a.jobs}, with PDF")
    e2e = {}
    for prestart in (1, 0):
        reports = work / f"reports-{prestart}"
        root_e2e = sub
        if not prestart:  # the comparison: fewer units, spread the same way
            m = min(a.plain_units, n)
            few = [pick[round(i * (n - 1) / max(1, m - 1))] for i in range(m)]
            root_e2e = subset(root, few, hist, work / "subset-plain")
        r = child(
            "e2e",
            "--root",
            root_e2e,
            "--year",
            a.year,
            "--reports",
            reports,
            "--jobs",
            a.jobs,
            "--prestart",
            prestart,
            "--rerun",
            prestart,
        )
        e2e["prestarted" if prestart else "papermill"] = r
        say(
            f"   kernels {'pre-started' if prestart else 'by papermill'}: {r['seconds']:.1f} s "
            f"(status {r['status']}, {r['notebooks']} notebooks)"
        )
    res["e2e"] = e2e

    count = e2e["prestarted"]["notebooks"]
    say(f"7. Floor: an empty notebook x {count}, jobs={a.jobs}")
    floor = child("floor", "--count", count, "--jobs", a.jobs, "--mode", "papermill")
    floor_pre = child("floor", "--count", count, "--jobs", a.jobs, "--mode", "prestarted")
    res["floor"] = {"papermill": floor, "prestarted": floor_pre}
    say(f"   papermill {floor['seconds']:.1f} s; pre-started kernels {floor_pre['seconds']:.1f} s")

    res["summary"] = summarise(res, n)
    res["finished"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    res["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    res["total_seconds"] = round(time.perf_counter() - t_all, 1)
    out = Path(a.results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(relative_paths(json.dumps(res, indent=1)) + "\n", encoding="utf-8")
    md = report_md(res)
    out.with_suffix(".md").write_text(relative_paths(md), encoding="utf-8")
    say("")
    say(md)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def summarise(res: dict[str, Any], n: int) -> dict[str, Any]:
    """The figures against the targets, and the extrapolation to every unit."""
    wf = next(x for x in res["load"] if x["kind"] == "workforce")
    pre, pm = res["e2e"]["prestarted"], res["e2e"]["papermill"]
    floor = res["floor"]["papermill"]
    per_nb_floor = floor["seconds"] / floor["count"]

    def per_nb(r: dict[str, Any]) -> float:
        return (r["seconds"] - (r["setup_seconds"] or 0)) / max(1, r["notebooks"])

    def per_unit(r: dict[str, Any]) -> float:
        return (r["seconds"] - (r["setup_seconds"] or 0)) / max(1, r["units"])

    orgs = res["settings"]["orgs"]
    setup = res["national_setup"]["seconds"]
    national = setup + orgs * per_unit(pre)
    return {
        "workforce_rows": wf["rows"],
        "workforce_seconds": wf["seconds"],
        "workforce_peak_gb": round(wf["peak_rss_mb"] / 1024, 2),
        "indicators_seconds": res["indicators"]["indicators_seconds"],
        "disclosure_seconds": res["indicators"]["disclosure_seconds"],
        "per_notebook_seconds": round(per_nb(pre), 2),
        "per_notebook_seconds_papermill_kernels": round(per_nb(pm), 2),
        "floor_per_notebook_seconds": round(per_nb_floor, 2),
        "floor_prestarted_per_notebook_seconds": round(
            res["floor"]["prestarted"]["seconds"] / res["floor"]["prestarted"]["count"], 2
        ),
        "notebook_ratio": round(per_nb(pre) / per_nb_floor, 2),
        "notebook_ratio_papermill_kernels": round(per_nb(pm) / per_nb_floor, 2),
        "per_unit_seconds": round(per_unit(pre), 2),
        "per_unit_cpu_seconds": round(pre["cpu_seconds"] / max(1, pre["units"]), 2),
        "rerun_seconds": pre.get("rerun_seconds"),
        "plain_units_measured": pm["units"],
        "units_measured": n,
        "national_setup_seconds": setup,
        "national_minutes": round(national / 60, 1),
        # Load-insensitive: CPU of the national set-up + 250 x CPU per unit (the N-unit run's
        # own set-up included, so an overestimate) on all cores, if the machine were ours.
        "national_minutes_cpu_bound": round(
            (
                res["national_setup"].get("cpu_seconds", setup)
                + orgs * pre["cpu_seconds"] / max(1, pre["units"])
            )
            / (res["machine"]["cpus"] or 1)
            / 60,
            1,
        ),
        "extrapolation": (
            f"T({orgs}) = national set-up measured for all {orgs} units ({setup:.0f} s: "
            f"validate 3 years, indicators, disclosure, prepare) + {orgs} x the per-unit time of "
            f"the {n}-unit run ((wall - its set-up) / {n} = {per_unit(pre):.1f} s: notebooks, "
            "render, PDF, publish, with jobs=2). Units were picked evenly through the size "
            "range; notebooks read aggregates only, so their cost does not grow with staff."
        ),
    }


def _ok(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def report_md(res: dict[str, Any]) -> str:
    """The results as a Markdown table (also printed)."""
    s, t, m = res["summary"], res["targets"], res["machine"]
    d = res["data"]
    lines = [
        f"# National benchmark ({res['started']}, commit {res['commit']})",
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB, Python "
        f"{m['python']}. Load average at start {res['load_average_at_start']}, at end "
        f"{res['load_average_at_end']} (the machine was shared). Total "
        f"{res['total_seconds'] / 60:.1f} min.",
        "",
        f"Data: {d['organisations']} synthetic organisations ({d['trust_like']} trust-like), "
        f"{d['staff_first_year']:,} staff in the first year, sizes {d['smallest']}-"
        f"{d['largest']:,} (median {d['median']:,}); {res['settings']['year']}: "
        f"{d['rows'][str(res['settings']['year'])]['workforce']:,} workforce rows, "
        f"{d['rows'][str(res['settings']['year'])]['recruitment']:,} applications.",
        "",
        "| extract | rows | load+validate s | counts s | total s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in res["load"]:
        lines.append(
            f"| {r['kind']} | {r['rows']:,} | {r['load_validate_seconds']:.1f} | "
            f"{r['counts_seconds']:.1f} | {r['seconds']:.1f} | {r['peak_rss_mb']:,.0f} |"
        )
    lines += [
        "",
        "| measure | figure | target | |",
        "|---|---:|---:|---|",
        f"| workforce load+validate+count | {s['workforce_seconds']:.1f} s | "
        f"< {t['workforce_seconds']:.0f} s | "
        f"{_ok(s['workforce_seconds'], t['workforce_seconds'])} |",
        f"| workforce peak memory | {s['workforce_peak_gb']:.2f} GB | "
        f"< {t['workforce_peak_gb']:.0f} GB | "
        f"{_ok(s['workforce_peak_gb'], t['workforce_peak_gb'])} |",
        f"| indicators, {res['indicators']['units']} units x {len(res['indicators']['years'])} "
        f"years | {s['indicators_seconds']:.2f} s | < {t['indicators_seconds']:.0f} s | "
        f"{_ok(s['indicators_seconds'], t['indicators_seconds'])} |",
        f"| disclosure (same table) | {s['disclosure_seconds']:.2f} s | - | |",
        f"| per-notebook cost (pre-started kernels) | {s['per_notebook_seconds']:.2f} s | | |",
        f"| per-notebook cost (papermill starts kernels, {s['plain_units_measured']} units) | "
        f"{s['per_notebook_seconds_papermill_kernels']:.2f} s | | |",
        f"| floor: papermill, empty notebook | {s['floor_per_notebook_seconds']:.2f} s | | |",
        f"| empty notebook, pre-started kernels | "
        f"{s['floor_prestarted_per_notebook_seconds']:.2f} s | | |",
        f"| ratio per-notebook cost / floor | {s['notebook_ratio']:.2f} | < "
        f"{t['notebook_ratio']} | {_ok(s['notebook_ratio'], t['notebook_ratio'])} |",
        f"| ratio without pre-started kernels | {s['notebook_ratio_papermill_kernels']:.2f} | | |",
        f"| per unit (6 notebooks, HTML, PDF), {s['units_measured']} units | "
        f"{s['per_unit_seconds']:.1f} s | | |",
        f"| CPU per unit (all processes, set-up included), {s['units_measured']} units | "
        f"{s['per_unit_cpu_seconds']:.1f} s | | |",
        f"| unchanged rerun of the {s['units_measured']} units | {s['rerun_seconds']:.2f} s | "
        f"< {t['rerun_seconds']:.0f} s | {_ok(s['rerun_seconds'], t['rerun_seconds'])} |",
        f"| national set-up ({res['settings']['orgs']} units) | "
        f"{s['national_setup_seconds']:.0f} s | | |",
        f"| all {res['settings']['orgs']} reports, one year (extrapolated) | "
        f"{s['national_minutes']:.1f} min | < {t['national_minutes']:.0f} min | "
        f"{_ok(s['national_minutes'], t['national_minutes'])} |",
        f"| the same from CPU seconds, on {m['cpus']} cores of our own (load-insensitive) | "
        f"{s['national_minutes_cpu_bound']:.1f} min | < {t['national_minutes']:.0f} min | "
        f"{_ok(s['national_minutes_cpu_bound'], t['national_minutes'])} |",
        "",
        f"Extrapolation: {s['extrapolation']}",
        "",
        "Per-notebook cost = (wall time of the run - its set-up) / notebooks, with jobs="
        f"{res['settings']['jobs']}, rendering and PDFs included; floor = wall time of papermill "
        "executing an empty notebook as many times on as many threads / that number.",
    ]
    pre = res["e2e"]["prestarted"]
    nbs = max(1, pre["notebooks"])
    lines += [
        "",
        "Where a notebook's time goes (pre-started kernels): per notebook, "
        f"{pre['notebook_busy_seconds'] / nbs:.2f} s in a worker, of which "
        f"{pre['cell_seconds'] / nbs:.2f} s executing its cells (the rest: waiting for the "
        "kernel, papermill's bookkeeping and writes, shutdown); rendering HTML and PDF: "
        f"{pre['render_seconds'] / max(1, pre['units']):.2f} s per unit (in render worker "
        "processes, overlapping the next units' notebooks). Slowest cells (mean s):",
        "",
    ]
    lines += [f"- {k}: {v:.2f} s" for k, v in pre["slowest_cells"]]
    sizes = res.get("e2e_units", {})
    per = pre.get("per_unit", {})
    if sizes and per:
        lines += [
            "",
            "Cost by organisation size (staff: notebook s in workers + render s, each unit); the "
            "notebooks and the render read aggregates only:",
            "",
            "; ".join(
                f"{sizes[c]:,}: {per[c][0]:.1f} + {per[c][1]:.1f}"
                for c in sorted(sizes, key=lambda c: sizes[c])
                if c in per
            ),
        ]
    for name, prof in (
        ("workforce load", next(x for x in res["load"] if x["kind"] == "workforce").get("profile")),
        ("indicators", res["indicators"].get("indicators_profile")),
        ("disclosure", res["indicators"].get("disclosure_profile")),
    ):
        if prof:
            lines += ["", f"Profile ({name}, cProfile, cumulative):", "", "```", prof, "```"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
