"""The commissioner's view end to end: providers.html and providers.pdf for the example, 2021.

The example's commissioner (the joint group of the six CCGs) monitors five synthetic
providers. The unit's own report is not rebuilt here (test_report_e2e.py covers it): its
published folder is stood in for by a folder holding one file, which must survive.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from wres_utils.core.params import slugify
from wres_utils.example import providers as ps
from wres_utils.example.organisations import CCG_CODES
from wres_utils.example.synthetic import JOINT_GROUP_NAME

from .conftest import make_subset

YEAR = 2021


@dataclass(frozen=True)
class Built:
    root: Path
    reports: Path
    unit_dir: Path
    failures: list
    html: str
    stderr: str


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    from wres_utils.run import commissioner as cm_build
    from wres_utils.run.plan import load_history

    root = make_subset(
        tmp_path_factory.mktemp("commissioner"),
        years=(YEAR - 1, YEAR),
        orgs=CCG_CODES,
        joint=JOINT_GROUP_NAME,
    )
    for y in (YEAR - 1, YEAR):
        path = root / "params" / f"{y}.yaml"
        raw = yaml.safe_load(path.read_text())
        raw.update(ps.params_fragment(y))
        path.write_text(yaml.safe_dump(raw, sort_keys=False))
    history, _ = load_history(YEAR, root / "params", root)
    reports = root / "reports"
    unit_dir = reports / str(YEAR) / slugify(JOINT_GROUP_NAME)
    unit_dir.mkdir(parents=True)
    (unit_dir / "report.html").write_text("the unit's own report", encoding="utf-8")
    # What the build (and the kernel it starts) writes to the terminal, at the fd level.
    err_path = root / "stderr.txt"
    saved = os.dup(2)
    with open(err_path, "wb") as err:
        os.dup2(err.fileno(), 2)
        try:
            failures = cm_build.build(YEAR, history[YEAR], root, reports, history)
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    html_path = unit_dir / "providers.html"
    html = html_path.read_text(encoding="utf-8") if html_path.is_file() else ""
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    return Built(root, reports, unit_dir, failures, html, stderr)


def test_the_kernel_keeps_its_noise_to_its_log(built):
    assert "TCP" not in built.stderr and "WARNING" not in built.stderr, built.stderr[-2000:]
    assert not list(built.reports.rglob("*kernel-logs*"))


def test_build_writes_two_files_and_touches_nothing_else(built):
    assert built.failures == []
    assert sorted(p.name for p in built.unit_dir.iterdir()) == [
        "providers.html",
        "providers.pdf",
        "report.html",
    ]
    assert (built.unit_dir / "report.html").read_text() == "the unit's own report"
    assert not (built.reports / ".tmp").exists()


def test_every_provider_appears(built):
    for p in ps.PROVIDERS:
        assert p.name in built.html, p.code
        assert f"({p.code})" in built.html


def _table(soup: BeautifulSoup, caption_start: str) -> list[list[str]]:
    for t in soup.find_all("table"):
        if t.caption and t.caption.get_text().startswith(caption_start):
            return [
                [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
                for tr in t.find_all("tr")
            ]
    raise AssertionError(f"no table captioned {caption_start!r}")


def test_planted_unpublished_provider_and_arithmetic_slip_are_flagged(built):
    soup = BeautifulSoup(built.html, "html.parser")
    findings = _table(soup, f"Compliance findings for WRES {YEAR}")
    zp4 = [r for r in findings if "(ZP4;" in r[0]]  # "Name (ZP4; N staff)"
    assert len(zp4) == 1 and f"Has not published its WRES {YEAR}" in zp4[0][1]
    zp3 = [r for r in findings if "(ZP3;" in r[0] and r[1].startswith("Published indicator 2")]
    assert len(zp3) == 1 and "orientation swapped" in zp3[0][1]
    assert "published" in zp3[0][2] and "recomputed" in zp3[0][2]
    mism = _table(soup, "Published figures that do not match")
    assert len(mism) == 2 and "(ZP3)" in mism[1][0] and "orientation swapped" in mism[1][-1]
    gaps = _table(soup, "Missing publications and blank indicators")
    assert any("(ZP4)" in r[0] and "not published" in r[2] for r in gaps[1:])
    assert any("(ZP5)" in r[0] and "indicator 4" in r[2] for r in gaps[1:])


def test_page_is_accessible_offline_and_synthetic(built):
    soup = BeautifulSoup(built.html, "html.parser")
    assert soup.html.get("lang") == "en-GB"
    assert len(soup.find_all("h1")) == 1
    imgs = soup.find_all("img")
    assert imgs and all((img.get("alt") or "").strip() for img in imgs)
    for tag, attr in (("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src")):
        for el in soup.find_all(tag):
            assert not re.match(r"(?i)^\s*(https?:)?//", el.get(attr) or ""), (tag, el.get(attr))
    assert not re.search(r"(?i)url\(\s*['\"]?(https?:)?//", built.html)
    assert "SYNTHETIC DATA" in built.html
    assert str(built.root) not in built.html and "/tmp" not in built.html


def test_pdf_has_pages_and_names_every_provider(built):
    reader = PdfReader(built.unit_dir / "providers.pdf")
    assert len(reader.pages) > 1
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))
    for code in ps.PROVIDER_CODES:
        assert f"({code})" in text
    assert "Compliance summary" in text


def test_disclosure_audit_finds_no_leak_in_the_commissioner_report(built):
    audit = pytest.importorskip("wres_utils.checks.audit")
    rep = audit.audit_year(built.reports / str(YEAR), built.root / "params", root=built.root)
    mine = [f for f in rep.errors if "providers." in f.file]
    assert mine == [], "\n".join(f.describe() for f in mine)


def test_audit_compares_every_providers_table_cell_by_cell(built):
    from wres_utils.checks import audit

    rep = audit.audit_year(built.reports / str(YEAR), built.root / "params", root=built.root)
    unchecked = [f for f in rep.of_kind("unchecked") if "providers." in f.file]
    assert unchecked == [], "\n".join(f.describe() for f in unchecked)


def test_audit_fails_a_commissioner_report_built_without_suppression(built, tmp_path):
    """Built with suppression off, the providers' small Board counts show: the audit (which
    expects the params' k = 7) must name them."""
    from wres_utils.checks import audit
    from wres_utils.core.params import Suppression
    from wres_utils.run import commissioner as cm_build
    from wres_utils.run.plan import load_history

    history, _ = load_history(YEAR, built.root / "params", built.root)
    off = {
        y: p.model_copy(update={"suppression": Suppression(min_count=0)})
        for y, p in history.items()
    }
    reports = tmp_path / "reports"
    unit_dir = reports / str(YEAR) / slugify(JOINT_GROUP_NAME)
    unit_dir.mkdir(parents=True)
    failures = cm_build.build(YEAR, off[YEAR], built.root, reports, off, render_pdf=False)
    assert failures == []
    rep = audit.audit_year(reports / str(YEAR), built.root / "params", root=built.root)
    leaks = [f for f in rep.errors if "providers." in f.file and f.kind == "suppressed_shown"]
    assert leaks, rep.format()
