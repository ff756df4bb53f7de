"""The disclosure audit on real pipeline outputs.

- The outputs of the session run (conftest ``e2e``: 05G, 05W and their joint group) are clean.
- A run with disclosure control switched off (``suppression.min_count: 0``), on a subset that
  includes the trap organisation 05V (2 BME staff in Band 8c), audited against the real
  threshold k = 7, fails, and the findings name the 05V Band 8c cell.
- A record identifier planted in a notebook output is found (in the clean outputs: a staff id
  of 05G; in 05V's outputs: the planted trap id of the example data).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from wres_utils import cli
from wres_utils.checks import audit
from wres_utils.checks import findings as checks_findings
from wres_utils.core.params import load_params
from wres_utils.example.organisations import TRAP_BAND, TRAP_ORG, TRAP_STAFF_ID
from wres_utils.inputs.read import read_table
from wres_utils.run.runner import run_year

from .conftest import JOINT, ROOT, SUBSET, YEAR, make_subset

#: The chapters that show indicator 1 (the trap band) and the summary: enough to show leaks.
LEAK_NOTEBOOKS = ("00_summary", "01_workforce")


@pytest.fixture(scope="module")
def clean_report(e2e) -> checks_findings.AuditReport:
    assert e2e.status == 0
    return audit.audit_year(e2e.reports / str(e2e.year), e2e.root / "params")


def test_audit_of_the_pipeline_outputs_is_clean(clean_report, e2e):
    assert clean_report.ok, clean_report.format()
    files = set(clean_report.files)
    # Only the joint report is published: its members publish through it.
    assert not any(f.startswith(tuple(f"{u}/" for u in SUBSET)) for f in files)
    for unit in (e2e.units[JOINT],):
        for name in (
            "report.html",
            "report.pdf",
            "indicators.csv",
            "action-plan.html",
            "action-plan.pdf",
            "wres-return.pdf",
            "wres-return.xlsx",
        ):
            assert f"{unit}/{name}" in files
        assert f"{unit}/notebooks/01_workforce.ipynb" in files
    assert "run.log" in files and "index.html" in files
    # every table with figures was compared with an expectation (none left unchecked)
    assert not clean_report.of_kind("unchecked"), clean_report.format()
    assert any("record identifiers searched" in n for n in clean_report.notes)


def _plant(nb_path: Path, text: str) -> int:
    """Add a stream output holding ``text`` to the first code cell with outputs; its index."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code" and cell.get("outputs"):
            cell["outputs"].append({"output_type": "stream", "name": "stdout", "text": [text]})
            nb_path.write_text(json.dumps(nb), encoding="utf-8")
            return i
    raise AssertionError(f"no code cell with outputs in {nb_path}")


def test_a_staff_id_planted_in_a_notebook_output_is_found(e2e, tmp_path):
    params = load_params(e2e.root / "params" / f"{YEAR}.yaml", root=e2e.root)
    spec = params.organisation("05G").files["workforce"]
    rows, _ = read_table(e2e.root / spec.path, spec.sheet, spec.columns)
    staff_id = str(rows["staff_id"].iloc[3]).strip()
    year_dir = tmp_path / str(YEAR)
    slug = e2e.units[JOINT]
    shutil.copytree(e2e.unit_dir(JOINT), year_dir / slug)
    nb = year_dir / slug / "notebooks" / "01_workforce.ipynb"
    cell = _plant(nb, f"looking at staff member {staff_id}.\n")

    report = audit.audit_year(year_dir, e2e.root / "params")

    assert not report.ok
    assert {f.kind for f in report.errors} == {"identifier"}, report.format()
    (hit,) = report.errors
    assert hit.file == f"{slug}/notebooks/01_workforce.ipynb"
    assert staff_id in hit.detail
    assert hit.location == f"cell {cell}"


@pytest.fixture(scope="module")
def leaky(tmp_path_factory) -> tuple[Path, Path]:
    """05V's chapters built with disclosure control off; returns (root, year dir).

    ``root/params`` are the real params (k = 7, the audit's expectation); the run used
    ``root/params-off``, the same params with ``suppression.min_count: 0``.
    """
    root = make_subset(tmp_path_factory.mktemp("leak"), orgs=(TRAP_ORG, "05G"), joint=None)
    off = root / "params-off"
    shutil.copytree(root / "params", off)
    for f in off.glob("*.yaml"):
        raw = yaml.safe_load(f.read_text())
        raw["suppression"]["min_count"] = 0
        f.write_text(yaml.safe_dump(raw, sort_keys=False))
    status = run_year(
        year=YEAR,
        params_dir=off,
        reports_dir=root / "reports",
        unit=TRAP_ORG,
        jobs=2,
        notebooks=LEAK_NOTEBOOKS,
        render_pdf=False,
        root=root,
        progress=False,
    )
    assert status == 0
    return root, root / "reports" / str(YEAR)


@pytest.fixture(scope="module")
def leak_report(leaky) -> checks_findings.AuditReport:
    root, year_dir = leaky
    return audit.audit_year(year_dir, root / "params")


def test_switching_suppression_off_makes_the_audit_fail(leak_report):
    assert not leak_report.ok
    kinds = {f.kind for f in leak_report.errors}
    assert {"suppressed_shown", "suppression"} <= kinds, leak_report.format()
    assert not leak_report.of_kind("identifier")
    assert not leak_report.of_kind("records")


def test_the_findings_name_the_trap_band_cell(leak_report):
    csv_hits = [
        f
        for f in leak_report.of_kind("suppressed_shown")
        if f.file == f"{TRAP_ORG}/indicators.csv"
        and f"band {TRAP_BAND}" in f.location
        and "group BME" in f.location
        and "statistic count" in f.location
        and f"year {YEAR}" in f.location
    ]
    assert csv_hits, leak_report.format()
    assert "raw value 2" in csv_hits[0].detail
    table_hits = [
        f
        for f in leak_report.of_kind("suppressed_shown")
        if f.file == f"{TRAP_ORG}/notebooks/01_workforce.ipynb"
        and f"row {TRAP_BAND!r}" in f.location
        and "BME %" in f.location
    ]
    assert table_hits, leak_report.format()
    assert "unsuppressed figure" in table_hits[0].detail
    # the same cell in the rendered pages, and the run log says how the outputs were built
    assert any(
        f.file == f"{TRAP_ORG}/report.html" and f"row {TRAP_BAND!r}" in f.location
        for f in leak_report.of_kind("suppressed_shown")
    )
    # the run's log is kept under runs/ and copied to run.log: both say so
    logs = leak_report.of_kind("suppression")
    assert "run.log" in {f.file for f in logs}
    assert all(f.file == "run.log" or f.file.startswith("runs/") for f in logs)
    assert all("min_count 0" in f.detail for f in logs)


def test_the_planted_trap_staff_id_would_be_caught(leaky, leak_report, tmp_path, capsys):
    root, year_dir = leaky
    assert TRAP_STAFF_ID in (ROOT / "data").joinpath(
        "example", str(YEAR), TRAP_ORG, "workforce.csv"
    ).read_text(encoding="utf-8")
    copy = tmp_path / str(YEAR)
    shutil.copytree(year_dir / TRAP_ORG, copy / TRAP_ORG)
    page = copy / TRAP_ORG / "notebooks" / "00_summary.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</body>", f"<p>Staff member {TRAP_STAFF_ID} is in Band 8c.</p></body>"
        ),
        encoding="utf-8",
    )
    report = audit.audit_year(copy, root / "params")
    hits = report.of_kind("identifier")
    assert [h.file for h in hits] == [f"{TRAP_ORG}/notebooks/00_summary.html"]
    assert TRAP_STAFF_ID in hits[0].detail
    # the command: exit status 1, the finding on stderr
    assert cli.main(["audit", str(copy), "--params-dir", str(root / "params")]) == 1
    err = capsys.readouterr().err
    assert "ERROR identifier" in err and TRAP_STAFF_ID in err


def test_rebuilding_one_unit_keeps_the_years_suppression(e2e, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(e2e.reports / str(YEAR), reports / str(YEAR))
    status = run_year(
        year=YEAR,
        params_dir=e2e.root / "params",
        reports_dir=reports,
        unit=JOINT,
        jobs=1,
        notebooks=("00_summary",),
        render_pdf=False,
        root=e2e.root,
        progress=False,
    )
    assert status == 0
    report = audit.audit_year(reports / str(YEAR), e2e.root / "params")
    assert report.ok, report.format()


def test_members_published_beside_the_joint_report_fail_the_audit(e2e, tmp_path):
    """The members' own reports (built for internal use) copied beside the joint report."""
    year_dir = tmp_path / str(YEAR)
    shutil.copytree(e2e.reports / str(YEAR), year_dir)
    for unit in SUBSET:
        shutil.copytree(e2e.unit_dir(unit), year_dir / unit)
    report = audit.audit_year(year_dir, e2e.root / "params")
    assert not report.ok
    hits = report.of_kind("members_published")
    assert sorted(h.file for h in hits) == sorted(SUBSET), report.format()


def test_the_old_gates_published_tables_fail_the_attacker(tmp_path):
    """The 2021 indicators.csv files of the eight units as the old gate published them (notes
    telling a count of 1..7 from a protective cell, members beside the joint report,
    full-precision values): the audit's integer-programming attacker narrows hundreds."""
    import pandas as pd

    from wres_utils.core.params import load_params as load

    leaky = pd.read_csv(
        ROOT / "tests" / "data" / "leaky_published_2021.csv.gz", dtype=str, keep_default_na=False
    )
    params = load(ROOT / "params" / f"{YEAR}.yaml")
    year_dir = tmp_path / str(YEAR)
    for u in params.units():
        folder = year_dir / u.slug
        folder.mkdir(parents=True)
        leaky[leaky["unit"] == u.id].to_csv(folder / "indicators.csv", index=False)
    report = audit.audit_year(year_dir, ROOT / "params")
    assert not report.ok
    assert len(report.of_kind("recoverable")) >= 300, report.format(max_warnings=0)
    assert len(report.of_kind("members_published")) == 6
