"""Publishing: nothing a reader sees is half-written, every run's log is kept, a killed run's
leftovers are cleaned by the next run, and an unwritable reports folder is a clear error.

One organisation (05G), one chapter (00_summary), no PDF (but in the test of the documents
beside the report), so that each run is short.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wres_utils import cli
from wres_utils.report import render
from wres_utils.run import runlog
from wres_utils.run.runner import run_year

from .conftest import ROOT, YEAR
from .test_faults import copy_notebooks, make_root

NOTEBOOKS = ("00_summary",)


def _run(root: Path, notebooks_dir: Path, render_pdf: bool = False, **kw) -> int:
    return run_year(
        year=YEAR,
        params_dir=root / "params",
        reports_dir=root / "reports",
        jobs=1,
        notebooks_dir=notebooks_dir,
        notebooks=NOTEBOOKS,
        render_pdf=render_pdf,
        root=root,
        progress=False,
        cell_timeout=120,
        **kw,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("publishing")
    root = make_root(tmp / "root")
    for y in (YEAR - 1, YEAR):  # one organisation only
        p = root / "params" / f"{y}.yaml"
        text = p.read_text()
        import yaml

        raw = yaml.safe_load(text)
        raw["organisations"] = [o for o in raw["organisations"] if o["code"] == "05G"]
        p.write_text(yaml.safe_dump(raw, sort_keys=False))
    nb_dir, _ = copy_notebooks(tmp / "nb")
    for extra in set(os.listdir(nb_dir)) - {f"{n}.ipynb" for n in NOTEBOOKS}:
        (nb_dir / extra).unlink()
    return root, nb_dir


def test_index_is_never_read_empty_or_partial_during_a_run(project):
    root, nb_dir = project
    year_dir = root / "reports" / str(YEAR)
    year_dir.mkdir(parents=True, exist_ok=True)
    render.year_index(year_dir, [("05G", "North Staffordshire CCG")], synthetic=True)
    index = year_dir / "index.html"
    bad: list[int] = []
    reads = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal reads
        while not stop.is_set():
            text = index.read_text(encoding="utf-8")
            reads += 1
            if not text.rstrip().endswith("</html>"):
                bad.append(len(text))

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        status = _run(root, nb_dir, force=True)
    finally:
        stop.set()
        reader.join()
    assert status == 0
    assert reads > 100 and bad == [], f"{len(bad)} empty or partial reads of {reads}"


def test_every_run_keeps_its_log_and_each_unit_names_the_run_that_built_it(project):
    root, nb_dir = project
    year_dir = root / "reports" / str(YEAR)
    before = set((year_dir / "runs").glob("*.log")) if (year_dir / "runs").exists() else set()
    assert _run(root, nb_dir, force=True) == 0
    assert _run(root, nb_dir, unit="05G", force=True) == 0
    logs = set((year_dir / "runs").glob("*.log"))
    assert len(logs - before) == 2 and before <= logs  # nothing replaced
    made_by = json.loads((year_dir / "05G" / runlog.UNIT_RUN_FILE).read_text())
    kept = (year_dir / "05G" / made_by["log"]).resolve()
    assert kept.is_file()
    run = runlog.read_run_log(kept)[0]
    assert run["event"] == "run" and run["run_id"] == made_by["run_id"]
    assert (year_dir / "run.log").read_bytes() == kept.read_bytes()  # the latest run


def test_a_killed_run_is_cleaned_up_by_the_next_run(project, tmp_path):
    root, nb_dir = project
    slow_dir, _ = copy_notebooks(tmp_path / "slow", {"00_summary": "import time\ntime.sleep(300)"})
    for extra in set(os.listdir(slow_dir)) - {f"{n}.ipynb" for n in NOTEBOOKS}:
        (slow_dir / extra).unlink()
    code = (
        "from pathlib import Path\nfrom wres_utils.run.runner import run_year\n"
        f"run_year(year={YEAR}, params_dir=Path({str(root / 'params')!r}), "
        f"reports_dir=Path({str(root / 'reports')!r}), jobs=1, "
        f"notebooks_dir=Path({str(slow_dir)!r}), notebooks={NOTEBOOKS!r}, render_pdf=False, "
        f"root=Path({str(root)!r}), progress=False, force=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    tmp_year = root / "reports" / ".tmp" / str(YEAR)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            builds = [p for p in tmp_year.glob("05G-*")] if tmp_year.exists() else []
            if builds and any((b / "notebooks").glob("*.ipynb") for b in builds):
                break
            if proc.poll() is not None:
                pytest.fail("the slow run ended before it could be killed")
            time.sleep(0.2)
        else:
            pytest.fail("the slow run never started building")
        time.sleep(2)  # the kernel is in its sleep cell
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    left = sorted(p.name for p in tmp_year.iterdir())
    assert any(n.startswith("05G-") for n in left), left  # the killed run's leftovers

    assert _run(root, nb_dir) == 0
    assert not (root / "reports" / ".tmp").exists()
    events = runlog.read_run_log(root / "reports" / str(YEAR) / "run.log")
    cleanup = next(e for e in events if e["event"] == "cleanup")
    assert any(n.startswith("05G-") for n in cleanup["removed"])


def test_a_second_live_run_of_the_same_year_is_refused(project):
    from wres_utils.run.lock import BuildFolderBusy, BuildLock

    root, _ = project
    lock = BuildLock(root / "reports" / ".tmp" / str(YEAR))
    try:
        with pytest.raises(BuildFolderBusy, match="another wres run"):
            BuildLock(root / "reports" / ".tmp" / str(YEAR))
    finally:
        lock.release()


def test_an_unwritable_year_folder_is_exit_2_before_any_kernel(project, tmp_path, capsys):
    root, _ = project
    if not (root / "notebooks").exists():
        (root / "notebooks").symlink_to(ROOT / "notebooks", target_is_directory=True)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / str(YEAR)).write_text("not a folder")  # cannot be written in, even by root
    status = cli.main(
        ["run", "--year", str(YEAR), "--params-dir", str(root / "params"),
         "--reports-dir", str(reports)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err and str(reports / str(YEAR)) in err
    assert "cannot write in this folder" in err
    assert not (reports / ".tmp").exists()


def _listed_size(path: Path) -> str:
    """The size a reader should be told, computed here from the file itself."""
    n = path.stat().st_size
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def _links(page: Path) -> dict[str, str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {a["href"]: " ".join(a.get_text().split()) for a in soup.find_all("a", href=True)}


def test_every_document_is_published_listed_with_its_size_and_its_links_resolve(project):
    """A run with PDFs: the report, the action plan and the filled template (HTML, PDF, XLSX)
    are published together in the unit's folder; the publication page and the year's index
    list each with its format and real size; every relative link of those pages, and of the
    action plan, reaches a file under reports/."""
    from wres_utils.report import outputs

    root, nb_dir = project
    assert _run(root, nb_dir, render_pdf=True, force=True) == 0
    reports = root / "reports"
    unit = reports / str(YEAR) / "05G"
    made = {
        "report.html": "web page",
        "report.pdf": "PDF",
        "action-plan.html": "web page",
        "action-plan.pdf": "PDF",
        "wres-return.pdf": "PDF",
        "wres-return.xlsx": "Excel",
        "indicators.csv": "CSV",
    }
    for name in made:
        assert (unit / name).is_file() and (unit / name).stat().st_size > 0, name
    page = reports / "05G" / "index.html"
    index = reports / str(YEAR) / "index.html"
    for listing, prefix in ((page, f"../{YEAR}/05G/"), (index, "05G/")):
        links = _links(listing)
        for name, fmt in made.items():
            text = links.get(prefix + name)
            assert text is not None, (listing, name)
            assert text.endswith(f"({fmt}, {_listed_size(unit / name)})"), (listing, text)
        in_order = [h.removeprefix(prefix) for h in links if h.startswith(prefix)]
        listed = [n for n, _, _ in outputs.DOCUMENTS if n in made]
        assert [n for n in in_order if n in made] == listed  # the reader's order
    plan_links = _links(unit / "action-plan.html")
    assert "report.html" in plan_links
    for source in (page, index, unit / "action-plan.html"):
        for href in _links(source):
            if href.startswith(("#", "https:", "http:", "mailto:")):
                continue
            target = (source.parent / href).resolve()
            assert target.is_file(), (source, href)
            assert reports.resolve() in target.parents, (source, href)
