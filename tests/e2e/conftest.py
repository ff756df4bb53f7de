"""End-to-end fixture: the whole pipeline, once per test session, on a small subset of the example.

The subset is two of the example CCGs (05G and 05W, as the real joint reporting of North
Staffordshire and Stoke-on-Trent CCGs) and their joint group, for WRES 2020 and 2021, using the
committed synthetic extracts. Tests that need the outputs share this one run.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SUBSET = ("05G", "05W")
JOINT = "North Staffordshire and Stoke-on-Trent CCGs"
YEAR = 2021


@dataclass(frozen=True)
class E2E:
    root: Path
    reports: Path
    year: int
    status: int
    units: dict[str, str]  # unit id -> folder name

    def unit_dir(self, unit: str) -> Path:
        """A unit's folder: under reports/, or (a joint group's member, built for internal
        use) under analyst/<year>/members/."""
        if unit in SUBSET:
            return self.root / "analyst" / str(self.year) / "members" / self.units[unit]
        return self.reports / str(self.year) / self.units[unit]


def make_subset(
    root: Path, years=(2020, 2021), orgs=SUBSET, joint=JOINT, member_reports: bool = False
) -> Path:
    """A project root under ``root`` whose params name only ``orgs`` and one joint group
    (none when ``joint`` is None). Members of a joint group publish through it only; with
    ``member_reports`` their own reports are built for internal use under analyst/."""
    (root / "params" / "action-plans").mkdir(parents=True)
    (root / "data").symlink_to(ROOT / "data", target_is_directory=True)
    (root / "notebooks").symlink_to(ROOT / "notebooks", target_is_directory=True)
    for y in years:
        raw = yaml.safe_load((ROOT / "params" / f"{y}.yaml").read_text())
        raw["organisations"] = [o for o in raw["organisations"] if o["code"] in orgs]
        raw["joint_groups"] = [{"name": joint, "members": list(orgs)}] if joint else []
        raw["member_reports"] = member_reports
        raw.pop("commissioners", None)  # the commissioner's view has its own e2e test
        (root / "params" / f"{y}.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
        shutil.copytree(
            ROOT / "params" / "action-plans" / str(y), root / "params" / "action-plans" / str(y)
        )
    return root


@pytest.fixture(scope="session")
def e2e(tmp_path_factory) -> E2E:
    from wres_utils.core.params import slugify
    from wres_utils.run.runner import run_year

    root = make_subset(tmp_path_factory.mktemp("e2e"), member_reports=True)
    reports = root / "reports"
    status = run_year(
        year=YEAR, params_dir=root / "params", reports_dir=reports, jobs=2, progress=False
    )
    units = {c: c for c in SUBSET} | {JOINT: slugify(JOINT)}
    return E2E(root=root, reports=reports, year=YEAR, status=status, units=units)
