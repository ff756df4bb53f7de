"""Incremental rebuilds on the e2e subset (two CCGs and their joint group, real notebooks).

A second run with nothing changed executes no notebook; after one organisation's action plan
changes only its unit re-executes; after its extract changes, its unit and the joint group
that contains it; ``force`` rebuilds. Two notebooks per unit and no PDF keep this short.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from wres_utils import cli
from wres_utils.core.params import slugify
from wres_utils.run import cache, runlog
from wres_utils.run.runner import run_year

from .conftest import JOINT, ROOT, make_subset

NOTEBOOKS = ("00_summary", "05_data_quality")
YEAR = 2021
JOINT_SLUG = slugify(JOINT)


def _run(root: Path, **kw) -> tuple[int, dict]:
    status = run_year(
        YEAR,
        root / "params",
        root / "reports",
        jobs=2,
        progress=False,
        render_pdf=False,
        notebooks=NOTEBOOKS,
        **kw,
    )
    events = runlog.read_run_log(root / "reports" / str(YEAR) / "run.log")
    return status, {
        "run": next(e for e in events if e["event"] == "run"),
        "executed": {e["slug"] for e in events if e["event"] == "notebook"},
        "notebooks": [e for e in events if e["event"] == "notebook"],
        "fresh": {
            e["slug"] for e in events if e["event"] == "unit" and e["status"] == "up to date"
        },
    }


def folder(project: Path, unit: str) -> Path:
    """A unit's built folder: the joint group under reports/, its members (built for internal
    use, params member_reports) under analyst/<year>/members/."""
    if unit == JOINT_SLUG:
        return project / "reports" / str(YEAR) / unit
    return project / "analyst" / str(YEAR) / "members" / unit


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = make_subset(tmp_path_factory.mktemp("incremental"), member_reports=True)
    for params in (root / "params").glob("*.yaml"):  # the commissioner's view is not needed
        raw = yaml.safe_load(params.read_text())
        if raw.pop("commissioners", None) is not None:
            params.write_text(yaml.safe_dump(raw, sort_keys=False))
    status, first = _run(root)
    assert status == 0
    assert first["executed"] == {"05G", "05W", JOINT_SLUG} and not first["fresh"]
    return root


def test_second_run_executes_no_notebook(project, capsys):
    before = {u: _snapshot(folder(project, u)) for u in ("05G", "05W", JOINT_SLUG)}
    capsys.readouterr()
    status, log = _run(project)
    assert status == 0
    assert log["notebooks"] == [] and log["run"]["notebooks_executed"] == 0
    assert log["fresh"] == {"05G", "05W", JOINT_SLUG}
    assert sorted(log["run"]["up_to_date"]) == sorted(["05G", "05W", JOINT_SLUG])
    out = capsys.readouterr().out
    assert "built 0 unit(s), 3 up to date" in out
    for unit, snap in before.items():  # untouched: not rewritten, not even touched
        assert _snapshot(folder(project, unit)) == snap
        assert cache.read_build_key(folder(project, unit))
    assert not (project / "reports" / ".tmp").exists()


def test_action_plan_change_reexecutes_only_that_unit(project):
    plan = project / "params" / "action-plans" / str(YEAR) / "05G.yaml"
    raw = yaml.safe_load(plan.read_text())
    first = next(iter(raw["actions"]))
    raw["actions"][first]["taken"] = "A new action, written after the first run"
    plan.write_text(yaml.safe_dump(raw, sort_keys=False))
    status, log = _run(project)
    assert status == 0
    assert log["executed"] == {"05G"}
    assert log["fresh"] == {"05W", JOINT_SLUG}
    assert len(log["notebooks"]) == len(NOTEBOOKS)

    # A change that does not change the plan (a comment) re-executes nothing.
    plan.write_text(plan.read_text() + "# a comment\n")
    status, log = _run(project)
    assert status == 0 and log["executed"] == set()


def _use_changed_extract(project: Path, old: str, new: str) -> None:
    """Point 05G's workforce at a copy of the committed extract with one row changed."""
    src = ROOT / "data" / "example" / str(YEAR) / "05G" / "workforce.csv"
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if f",{old},Band 8a," in line)
    lines[i] = lines[i].replace(f",{old},", f",{new},")
    changed = project / "changed" / "05G-workforce.csv"
    changed.parent.mkdir(exist_ok=True)
    changed.write_text("".join(lines), encoding="utf-8")
    params = project / "params" / f"{YEAR}.yaml"
    raw = yaml.safe_load(params.read_text())
    org = next(o for o in raw["organisations"] if o["code"] == "05G")
    org["files"]["workforce"] = "changed/05G-workforce.csv"
    params.write_text(yaml.safe_dump(raw, sort_keys=False))


def test_extract_change_reexecutes_the_org_and_its_joint_group(project):
    # A change that leaves the counts as they were (White British -> White Irish, same band).
    _use_changed_extract(project, "A White - British", "B White - Irish")
    status, log = _run(project)
    assert status == 0 and log["executed"] == set()

    # One White member of staff becomes BME: 05G's counts and the joint group's change.
    sibling = (folder(project, "05W") / "indicators.csv").read_bytes()
    _use_changed_extract(project, "A White - British", "H Asian or Asian British - Indian")
    status, log = _run(project)
    assert status == 0
    assert {"05G", JOINT_SLUG} <= log["executed"]
    # 05W's data did not change. It is re-executed only when its published figures did:
    # secondary suppression may now hide one of its cells so that 05G's small count cannot be
    # worked out as joint total minus 05W.
    sibling_changed = (folder(project, "05W") / "indicators.csv").read_bytes() != sibling
    assert ("05W" in log["executed"]) == sibling_changed
    assert log["fresh"] == ({"05G", "05W", JOINT_SLUG} - log["executed"])


def test_force_rebuilds_and_cli_has_the_flag(project):
    status, log = _run(project, unit="05W", force=True)
    assert status == 0
    assert log["executed"] == {"05W"} and log["run"]["force"] is True
    assert cli.build_parser().parse_args(["run", "--year", "2021", "--force"]).force is True
    assert cli.build_parser().parse_args(["run", "--year", "2021"]).force is False


def test_a_missing_output_or_a_stale_key_rebuilds(project):
    (folder(project, "05W") / "report.html").unlink()
    key_file = folder(project, "05G") / cache.BUILD_KEY_FILE
    key_file.write_text(key_file.read_text().replace('"key": "', '"key": "0'))
    status, log = _run(project)
    assert status == 0
    assert log["executed"] == {"05G", "05W"} and log["fresh"] == {JOINT_SLUG}
    shutil.rmtree(project / cache.STORE_DIR)  # the store (beside reports/) is disposable
    status, log = _run(project)
    assert status == 0 and log["executed"] == set()


def test_the_build_cache_is_not_under_reports(project):
    """The store holds unsuppressed counts: never inside reports/, which is what is published."""
    assert (project / cache.STORE_DIR).is_dir()
    assert not list((project / "reports").rglob("*.pkl"))
