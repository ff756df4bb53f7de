"""The execution pipeline (``wres run``): validation first, atomic unit folders, the run log.

The other stages (extracts, indicators, disclosure, render) are replaced by small stand-ins
so these tests do not depend on them; the notebooks are throw-away ones written to tmp_path.
Only two tests start kernels (four notebook runs in all).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import types
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from wres_utils import cli
from wres_utils.core.errors import InputError, Issue
from wres_utils.core.params import NOTEBOOKS, ParamsError, Unit, load_params
from wres_utils.inputs.counts import COUNT_COLUMNS, GROUPS, normalise_dtypes
from wres_utils.report import documents
from wres_utils.run import publish as run_publish
from wres_utils.run import runlog
from wres_utils.run.execute import KernelStarter
from wres_utils.run.model import Failure, NotebookParams, NotebookRun
from wres_utils.run.plan import load_history, select_units
from wres_utils.run.prepare import check_published
from wres_utils.run.publish import publish_unit, section_title
from wres_utils.run.runner import run_year, summary_text

SECRET = "STAFF-ID-SECRET-0042"  # a record-level value that must never reach an output

PARAMS = """
year: {year}
synthetic: true
suppression: {{min_count: 7}}
organisations:
  - code: AAA
    name: Org A
    files: {{workforce: data/{year}/AAA.csv}}
  - code: BBB
    name: Org B
    files: {{workforce: data/{year}/BBB.csv}}
"""

PARAMETERS_CELL = (
    'year = 2000\nunit = "X"\nunit_name = "X"\nunit_slug = "X"\n'
    'prepared_dir = "prepared"\nsynthetic = False\n'
)

CELLS = {
    "00_summary": [
        "import json, pathlib\n"
        'ctx = json.loads((pathlib.Path(prepared_dir) / "context.json").read_text())\n'
        'print("UNIT", unit, ctx["unit"]["name"], year, ctx["previous_years"], synthetic)',
    ],
    "01_workforce": [
        "import pathlib\n"
        'print("ROWS", (pathlib.Path(prepared_dir) / "indicators.csv").read_text())\n'
        'print("QUALITY", (pathlib.Path(prepared_dir) / "quality.csv").read_text())',
        'if unit == "BBB":\n    raise ValueError("deliberate failure for " + unit)',
    ],
}


# ------------------------------------------------------------------------------------------
# Stand-ins for the other stages


def _fake_load_year(params, root):
    rows = []
    for o in params.organisations:
        for group, n in zip(GROUPS, (40, 12, 3), strict=True):
            rows.append([o.code, params.year, "headcount", group, "Band 5", "clinical", "", "", n])
    counts = normalise_dtypes(pd.DataFrame(rows, columns=COUNT_COLUMNS))
    quality = pd.DataFrame(
        {
            "org_code": ["AAA", "BBB"],
            "kind": "workforce",
            "unrecognised_ethnicity": [3, 12],
            "unrecognised_values": [f"'{SECRET}' x3", ""],
        }
    )
    # A record-level attribute the pipeline must never touch.
    return types.SimpleNamespace(
        counts=counts, quality=quality, files={}, records=pd.DataFrame({"staff_id": [SECRET]})
    )


def _fake_compute_indicators(counts, units, denominator):
    out = []
    for u in units:
        sel = counts[counts["org_code"].isin(list(u.members))]
        for y in sorted(sel["year"].unique()):
            for g in GROUPS:
                n = sel[(sel["year"] == y) & (sel["group"] == g)]["value"].sum()
                out.append(
                    {
                        "unit": u.id,
                        "year": int(y),
                        "indicator": "1",
                        "group": g,
                        "band": "",
                        "clinical": "",
                        "statistic": "headcount",
                        "value": float(n),
                        "status": "ok",
                        "note": denominator,
                        "display": "",
                    }
                )
    return pd.DataFrame(out)


def _fake_disclose(table, min_count, round_to, **settings):
    t = table.copy()
    small = t["value"].between(1, min_count)
    t.loc[small, "status"] = "suppressed"
    t["display"] = ["[c]" if s else f"{v:.0f}" for s, v in zip(small, t["value"], strict=True)]
    return t


def _fake_published_copy(table, round_to=None):
    t = table.copy()
    t.loc[t["status"] == "suppressed", "value"] = float("nan")
    return t


def _fake_disclose_frame(frame, count_cols, min_count, round_to):
    f = frame.copy()
    for col in count_cols:
        f[col] = ["[c]" if 1 <= v <= min_count else str(v) for v in f[col]]
    return f


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def _outputs_text(nb_path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    return "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )


@pytest.fixture
def stages(monkeypatch):
    """Patch the stages the run calls (by name, on their real modules) with stand-ins."""
    calls: dict[str, list] = {"load_year": [], "papermill": []}

    def load_year(params, root):
        calls["load_year"].append(params.year)
        return _fake_load_year(params, root)

    fakes = {
        "inputs.load": {"load_year": load_year},
        "compute.indicators": {"compute_indicators": _fake_compute_indicators},
        "disclosure.gate": {
            "disclose": _fake_disclose,
            "published_copy": _fake_published_copy,
            "disclose_frame": _fake_disclose_frame,
        },
        "report.render": {
            "notebook_to_html": lambda nb, out, title, synthetic: _write(
                Path(out), f"<h1>{title}</h1><pre>{_outputs_text(nb)}</pre>"
            ),
            "report_html": lambda nbs, out, title, synthetic: _write(
                Path(out), f"<h1>{title}</h1>" + "".join(f"<p>{Path(n).name}</p>" for n in nbs)
            ),
            "report_pdf": lambda html, pdf, title: _write(Path(pdf), b"%PDF-1.7 stand-in"),
            "year_index": lambda year_dir, units, synthetic: _write(
                Path(year_dir) / "index.html",
                "".join(f"<li>{folder}: {name}</li>" for folder, name in units),
            ),
        },
        "report.documents": {
            "write_documents": lambda folder, rows, context, plan, pdf=True: [
                _write(Path(folder) / name, b"stand-in") for name in documents.file_names(pdf)
            ],
        },
    }
    for name, attrs in fakes.items():
        mod = importlib.import_module(f"wres_utils.{name}")
        for k, v in attrs.items():
            monkeypatch.setattr(mod, k, v)
    return calls


@pytest.fixture
def project(tmp_path):
    """A repository root with params for 2020 and 2021, data files and six notebooks."""
    for year in (2020, 2021):
        _write(tmp_path / "params" / f"{year}.yaml", PARAMS.format(year=year))
        for org in ("AAA", "BBB"):
            _write(
                tmp_path / "data" / str(year) / f"{org}.csv", f"org_code,staff_id\n{org},{SECRET}\n"
            )
    for name in NOTEBOOKS:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        params = nbformat.v4.new_code_cell(PARAMETERS_CELL)
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params] + [
            nbformat.v4.new_code_cell(src) for src in CELLS.get(name, ["print(unit)"])
        ]
        _write(tmp_path / "notebooks" / f"{name}.ipynb", nbformat.writes(nb))
    _write(
        tmp_path / "params" / "action-plans" / "2021" / "AAA.yaml",
        'unit: AAA\nyear: 2021\nactions:\n  "3": {taken: "Audit of cases", planned: "Training"}\n',
    )
    return tmp_path


def _run(project, **kw):
    kw.setdefault("jobs", 2)
    kw.setdefault("progress", False)
    # The stand-ins of `stages` are patched in this process: render here, not in workers.
    kw.setdefault("render_workers", 0)
    return run_year(2021, project / "params", project / "reports", **kw)


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# ------------------------------------------------------------------------------------------
# Runs with kernels (two tests, four notebook runs)


def test_successful_run_lays_out_the_unit_folder_and_the_run_log(project, stages, capsys):
    status = _run(project, unit="aaa", notebooks=("00_summary", "01_workforce"))
    assert status == 0, capsys.readouterr().err
    unit_dir = project / "reports" / "2021" / "AAA"
    files = set(_tree(unit_dir))
    assert files == {
        ".build-key",
        "run.json",
        "notebooks/00_summary.ipynb",
        "notebooks/00_summary.html",
        "notebooks/01_workforce.ipynb",
        "notebooks/01_workforce.html",
        "report.html",
        "report.pdf",
        "indicators.csv",
        "wres-return.xlsx",
        "wres-return.pdf",
        "action-plan.html",
        "action-plan.pdf",
    }
    assert not (project / "reports" / ".tmp").exists()
    assert not (project / "reports" / "2021" / "BBB").exists()  # --unit AAA only
    assert stages["load_year"] == [2020, 2021]  # this year and the previous one, validated

    # The notebooks saw their parameters and the prepared aggregates (published copy only).
    summary = _outputs_text(unit_dir / "notebooks" / "00_summary.ipynb")
    assert "UNIT AAA Org A 2021 [2020] True" in summary
    workforce = _outputs_text(unit_dir / "notebooks" / "01_workforce.ipynb")
    assert "QUALITY org_code,kind,unrecognised_ethnicity\nAAA,workforce,[c]\n" in workforce
    nb = nbformat.read(unit_dir / "notebooks" / "00_summary.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'prepared_dir = "prepared"' in injected[0].source
    assert ".tmp" not in json.dumps(nb.metadata["papermill"])
    assert nb.metadata["papermill"]["output_path"] == "2021/AAA/notebooks/00_summary.ipynb"

    published = pd.read_csv(unit_dir / "indicators.csv", keep_default_na=False)
    assert set(published["unit"]) == {"AAA"} and set(published["year"]) == {2020, 2021}
    unknown = published[(published["group"] == "Unknown") & (published["year"] == 2021)]
    assert unknown["display"].tolist() == ["[c]"] and unknown["value"].tolist() == [""]
    for path in (project / "reports").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert "AAA: Org A" in (project / "reports" / "2021" / "index.html").read_text()

    events = runlog.read_run_log(project / "reports" / "2021" / "run.log")
    kinds = {e["event"] for e in events}
    assert {"run", "params", "versions", "git", "input", "notebook", "unit"} <= kinds
    run = next(e for e in events if e["event"] == "run")
    assert run["status"] == 0 and run["units"] == ["AAA"] and run["unit_filter"] == "aaa"
    params = {e["year"]: e["params"] for e in events if e["event"] == "params"}
    assert sorted(params) == [2020, 2021]
    assert params[2021]["organisations"][0]["code"] == "AAA"
    versions = next(e for e in events if e["event"] == "versions")
    for pkg in ("python", "wres-utils", "pandas", "numpy", "papermill", "nbconvert", "weasyprint"):
        assert versions[pkg]
    git = next(e for e in events if e["event"] == "git")
    assert git["commit"] == "unknown" and git["dirty"] is None  # tmp_path is not a repository
    hashes = {e["path"]: e["sha256"] for e in events if e["event"] == "input"}
    data = project / "data" / "2021" / "AAA.csv"
    assert hashes["data/2021/AAA.csv"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert {
        "params/2021.yaml",
        "params/2020.yaml",
        "notebooks/00_summary.ipynb",
        "params/action-plans/2021/AAA.yaml",
    } <= set(hashes)
    timings = [e for e in events if e["event"] == "notebook"]
    assert {(t["notebook"], t["status"]) for t in timings} == {
        ("00_summary", "ok"),
        ("01_workforce", "ok"),
    }
    assert all(t["seconds"] > 0 for t in timings)


def test_a_failing_notebook_leaves_the_previous_report_and_the_other_unit_complete(
    project, stages, capsys
):
    old = project / "reports" / "2021" / "BBB"
    _write(old / "report.html", "<h1>last year's good report</h1>")
    _write(old / "notebooks" / "01_workforce.html", "old chapter")
    before = _tree(old)

    status = _run(project, notebooks=("01_workforce",), render_pdf=False)

    assert status == 1
    assert _tree(old) == before  # untouched, not a mixture
    good = project / "reports" / "2021" / "AAA"
    assert set(_tree(good)) == {
        ".build-key",
        "run.json",
        "notebooks/01_workforce.ipynb",
        "notebooks/01_workforce.html",
        "report.html",
        "indicators.csv",
        "wres-return.xlsx",
        "action-plan.html",
    }
    assert not (project / "reports" / ".tmp").exists()
    made_by = json.loads((good / "run.json").read_text())  # the run that built it, and its log
    assert (good / made_by["log"]).resolve().is_file()
    err = capsys.readouterr().err
    assert "1 of 2 unit(s) built" in err
    line = next(x for x in err.splitlines() if "'BBB'" in x)
    assert "notebook 01_workforce.ipynb" in line and "cell 2" in line
    assert "ValueError: deliberate failure for BBB" in line
    events = runlog.read_run_log(project / "reports" / "2021" / "run.log")
    failure = next(e for e in events if e["event"] == "failure")
    assert (failure["unit"], failure["stage"], failure["cell_index"]) == ("BBB", "01_workforce", 2)
    assert next(e for e in events if e["event"] == "run")["status"] == 1


# ------------------------------------------------------------------------------------------
# Validation stops before any kernel starts


@pytest.fixture
def no_kernels(monkeypatch):
    import papermill

    called = []
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: called.append(a))
    return called


def _cli(project, *extra):
    return cli.main(
        [
            "run",
            "--year",
            "2021",
            "--params-dir",
            str(project / "params"),
            "--reports-dir",
            str(project / "reports"),
            *extra,
        ]
    )


def test_invalid_notebook_parameters_stop_before_any_kernel(project, stages, no_kernels, capsys):
    text = PARAMS.format(year=2021) + "joint_groups:\n  - name: '+++'\n    members: [AAA, BBB]\n"
    _write(project / "params" / "2021.yaml", text)
    assert _cli(project) == 2
    err = capsys.readouterr().err
    # caught where it enters: the params file names the group, its line and key
    assert "2021.yaml" in err and "'+++'" in err and "joint_groups.0.name" in err
    assert no_kernels == []
    assert not (project / "reports").exists()


def test_unknown_unit_and_bad_extracts_exit_2_before_any_kernel(
    project, stages, no_kernels, monkeypatch, capsys
):
    assert _cli(project, "--unit", "ZZZ") == 2
    err = capsys.readouterr().err
    assert "'ZZZ'" in err and "'AAA'" in err and "'BBB'" in err

    def bad_2020(params, root):
        if params.year == 2020:
            raise InputError([Issue(Path("data/2020/AAA.csv"), 3, "ethnic_origin", "??", "a code")])
        return _fake_load_year(params, root)

    monkeypatch.setattr(sys.modules["wres_utils.inputs.load"], "load_year", bad_2020)
    assert _cli(project) == 2
    assert "data/2020/AAA.csv, line 3" in capsys.readouterr().err
    assert no_kernels == []
    assert not (project / "reports").exists()


@pytest.mark.parametrize(
    ("source", "tags", "words"),
    [
        (PARAMETERS_CELL, [], "exactly one code cell tagged 'parameters'"),
        (PARAMETERS_CELL + "import os\n", ["parameters"], "not `name = literal`"),
        (PARAMETERS_CELL + "when = str(2021)\n", ["parameters"], "when is not a literal"),
        (PARAMETERS_CELL.replace('unit_slug = "X"\n', ""), ["parameters"], "unit_slug"),
    ],
)
def test_notebook_parameters_cell_is_checked(project, stages, no_kernels, source, tags, words):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = tags
    nb.cells = [cell]
    nbformat.write(nb, project / "notebooks" / "03_staff_survey.ipynb")
    with pytest.raises(ParamsError, match="03_staff_survey") as e:
        _run(project)
    assert words in str(e.value)
    assert no_kernels == []


def test_action_plan_errors_are_found_before_any_kernel(project, stages, no_kernels):
    _write(project / "params" / "action-plans" / "2021" / "BBB.yaml", "actions:\n  '10': {}\n")
    with pytest.raises(ParamsError, match=r"BBB\.yaml") as e:
        _run(project)
    assert "'10'" in str(e.value)
    assert no_kernels == []


# ------------------------------------------------------------------------------------------
# Pieces


def test_select_units_by_code_name_or_slug(project):
    text = (
        PARAMS.format(year=2021)
        + "joint_groups:\n  - name: North and South\n    members: [AAA, BBB]\n"
    )
    path = _write(project / "params" / "2021.yaml", text)
    params = load_params(path)
    # Members publish through their joint report only.
    assert [u.id for u in select_units(params, None, path)] == ["North and South"]
    with pytest.raises(ParamsError, match="no such organisation"):
        select_units(params, "AAA", path)
    # With member_reports, their own reports are built too (for internal use).
    text += "member_reports: true\n"
    path = _write(project / "params" / "2021.yaml", text)
    params = load_params(path)
    assert [u.id for u in select_units(params, None, path)] == [
        "North and South",
        "AAA",
        "BBB",
    ]
    assert select_units(params, "bbb", path)[0].id == "BBB"
    assert select_units(params, "north-and-south", path)[0].is_joint
    assert select_units(params, "NORTH AND SOUTH", path)[0].slug == "north-and-south"
    with pytest.raises(ParamsError, match="north-and-south"):
        select_units(params, "East", path)
    clash = text.replace("North and South", "aaa")
    params = load_params(_write(project / "params" / "2021.yaml", clash))
    with pytest.raises(ParamsError, match="share the report folder"):
        select_units(params, None, path)


def test_history_loads_up_to_two_previous_years(project):
    _write(
        project / "params" / "2018.yaml", PARAMS.format(year=2018).replace("data/2018", "data/2020")
    )
    history, files = load_history(2021, project / "params", project)
    assert sorted(history) == [2020, 2021]  # 2019 absent; 2018 too old
    assert files[2020].name == "2020.yaml"


def test_publish_replaces_the_old_folder_or_leaves_it_whole(tmp_path, monkeypatch):
    final = tmp_path / "reports" / "2021" / "AAA"
    _write(final / "report.html", "old")
    build = tmp_path / "reports" / ".tmp" / "2021" / "AAA-x"
    _write(build / "report.html", "new")
    publish_unit(build, final)
    assert (final / "report.html").read_text() == "new" and not build.exists()
    assert [p.name for p in build.parent.iterdir()] == []  # the old copy was deleted

    _write(build / "report.html", "newer")
    real_rename = run_publish.os.rename

    def rename(src, dst):
        if Path(src) == build:
            raise OSError("disk full")
        real_rename(src, dst)

    monkeypatch.setattr(run_publish.os, "rename", rename)
    with pytest.raises(OSError):
        publish_unit(build, final)
    assert (final / "report.html").read_text() == "new"


def test_failure_summary_names_unit_notebook_and_cell():
    f = Failure("05G", "05G", "03_staff_survey", "KeyError", "'Q14a'", 4, 3, "x = t['Q14a']")
    text = summary_text(2021, 3, [f], 9.0)
    assert "2 of 3 unit(s) built" in text
    assert "unit '05G', notebook 03_staff_survey.ipynb, cell 4 (In [3])" in text
    assert "KeyError: 'Q14a'" in text
    assert section_title("02_recruitment_discipline_training") == (
        "Recruitment discipline training"
    )


def test_notebook_params_are_strict():
    good = dict(
        year=2021,
        unit="05G",
        unit_name="X",
        unit_slug="05G",
        prepared_dir="prepared",
        synthetic=True,
    )
    assert NotebookParams(**good).model_dump() == good
    for bad in (
        {"prepared_dir": "/abs"},
        {"prepared_dir": "../up"},
        {"unit_slug": ""},
        {"year": "2021"},
        {"extra": 1},
    ):
        with pytest.raises(ValueError):
            NotebookParams(**{**good, **bad})


def test_run_log_pieces(tmp_path):
    f = _write(tmp_path / "in.csv", "a,b\n1,2\n")
    recs = runlog.input_records([("x", f), ("x", f), ("y", tmp_path / "gone.csv")], tmp_path)
    assert recs[0]["path"] == "in.csv" and recs[0]["bytes"] == 8
    assert recs[0]["sha256"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert len(recs) == 2 and recs[1]["missing"] is True
    assert runlog.git_state(tmp_path) == {"commit": "unknown", "dirty": None}
    log = runlog.RunLog()
    log.add("run", year=2021, path=tmp_path)
    log.extend(recs)
    out = log.write(tmp_path / "r" / "run.log")
    assert runlog.read_run_log(out) == json.loads(json.dumps(log.events, default=str))
    assert [p.name for p in out.parent.iterdir()] == ["run.log"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0600
    with pytest.raises(ValueError):
        log.extend([{"no": "event"}])


def test_published_copy_with_numbers_in_suppressed_rows_is_refused():
    ok = pd.DataFrame(
        {
            "unit": ["A", "A"],
            "year": [2021, 2021],
            "statistic": ["count", "percent"],
            "value": [float("nan"), 50.0],
            "numerator": [pd.NA, 10],
            "status": ["suppressed", "ok"],
            "small_numbers": [True, False],
            "display": ["[c]", "50.0%"],
        }
    )
    check_published(ok.astype({"numerator": "Int64"}))
    leak = ok.assign(numerator=[3, 10])
    with pytest.raises(RuntimeError, match="numerator"):
        check_published(leak)


def test_render_failure_and_skips_without_kernels(project, stages, monkeypatch, capsys):
    """A stand-in papermill (no kernel): BBB's first notebook fails, so its second is skipped;
    AAA's PDF fails to render, so AAA's previous folder stays as it was."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    def fake_execute(src, out, parameters, **kw):
        assert kw["cwd"] is None and Path(kw["resources"]["metadata"]["path"], "prepared").is_dir()
        nb = nbformat.read(src, as_version=4)
        nb.metadata["papermill"] = {"input_path": src, "output_path": out}
        nbformat.write(nb, out)
        if parameters["unit"] == "BBB":
            raise PapermillExecutionError(1, 1, nb.cells[1].source, "KeyError", "'x'", [])

    def bad_pdf(html, pdf, title):
        raise OSError("no fonts")

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    monkeypatch.setattr(sys.modules["wres_utils.report.render"], "report_pdf", bad_pdf)
    old = _write(project / "reports" / "2021" / "AAA" / "report.pdf", b"%PDF old")
    status = _run(project, jobs=1, notebooks=("00_summary", "01_workforce"), prestart=False)
    assert status == 1
    assert old.read_bytes() == b"%PDF old" and set(_tree(old.parent)) == {"report.pdf"}
    assert not (project / "reports" / ".tmp").exists()
    err = capsys.readouterr().err
    assert "0 of 2 unit(s) built" in err
    assert "unit 'AAA', render: OSError: no fonts" in err
    assert "unit 'BBB', notebook 00_summary.ipynb, cell 1 (In [1])" in err
    events = runlog.read_run_log(project / "reports" / "2021" / "run.log")
    bbb = {
        e["notebook"]: e["status"]
        for e in events
        if e["event"] == "notebook" and e["unit"] == "BBB"
    }
    assert bbb == {"00_summary": "failed", "01_workforce": "skipped"}


def test_kernel_output_is_logged_without_the_noise(tmp_path):
    """What a kernel process writes outside its notebook goes to a log file; known noise
    (TCP warning, shutdown interrupt) is dropped, anything else is kept."""
    unit = Unit(id="AAA", name="A", members=("AAA",))
    params = NotebookParams(
        year=2021,
        unit="AAA",
        unit_name="A",
        unit_slug="AAA",
        prepared_dir="prepared",
        synthetic=True,
    )
    run = NotebookRun(unit, "00_summary", tmp_path / "x.ipynb", params)
    starter = KernelStarter(tmp_path / "logs")
    assert starter.messages(run) == []  # no log yet
    _write(
        starter.log_path(run),
        "[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All ...\n"
        "\n"
        "KeyboardInterrupt caught in kernel\n"
        "Fatal Python error: Segmentation fault\n",
    )
    assert starter.messages(run) == ["Fatal Python error: Segmentation fault"]
