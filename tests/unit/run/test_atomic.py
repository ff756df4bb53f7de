"""Atomic writes, the build lock (dead runs' leftovers cleaned) and the writable check."""

from __future__ import annotations

import os
import threading

import pytest

from wres_utils.core import atomic
from wres_utils.report import render
from wres_utils.run import lock as run_lock


def test_a_page_rewritten_many_times_is_never_read_empty_or_partial(tmp_path):
    year = tmp_path / "2021"
    year.mkdir()
    render.year_index(year, [("05G", "North Staffordshire CCG")], synthetic=True)
    index = year / "index.html"
    stop, bad, reads = threading.Event(), [], [0]

    def poll() -> None:
        while not stop.is_set():
            text = index.read_text(encoding="utf-8")
            reads[0] += 1
            if not text.rstrip().endswith("</html>"):
                bad.append(len(text))

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for _ in range(200):
            render.year_index(year, [("05G", "North Staffordshire CCG")], synthetic=True)
    finally:
        stop.set()
        reader.join()
    assert reads[0] > 100 and bad == []
    assert [p.name for p in year.iterdir()] == ["index.html"]  # no temporary file left


def test_write_bytes_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("the good report")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic.write_text(target, "half")
    assert target.read_text() == "the good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_build_lock_cleans_a_dead_runs_leftovers_and_keeps_old_reports(tmp_path):
    tmp_year = tmp_path / ".tmp" / "2021"
    (tmp_year / "05G-abcd" / "notebooks").mkdir(parents=True)
    (tmp_year / ".kernels-xyz").mkdir()
    (tmp_year / "05W-efgh.old").mkdir()  # a previous report a failed publish could not restore
    (tmp_year / ".lock").write_text("99999")  # nobody holds it: its run is dead
    lock = run_lock.BuildLock(tmp_year)
    try:
        assert sorted(lock.removed) == [".kernels-xyz", "05G-abcd"]
        assert sorted(p.name for p in tmp_year.iterdir()) == [".lock", "05W-efgh.old"]
        assert (tmp_year / ".lock").read_text() == str(os.getpid())
        with pytest.raises(run_lock.BuildFolderBusy, match=str(os.getpid())):
            run_lock.BuildLock(tmp_year)
    finally:
        lock.release()
    assert not (tmp_year / ".lock").exists()
    run_lock.BuildLock(tmp_year).release()  # free again


def test_check_writable_names_the_folder(tmp_path):
    (tmp_path / "reports").write_text("a file, not a folder")
    with pytest.raises(PermissionError) as e:
        run_lock.check_writable(tmp_path / "reports" / "2021")
    assert "cannot write in this folder" in str(e.value)
    assert str(tmp_path / "reports" / "2021") in str(e.value)
    run_lock.check_writable(tmp_path / "ok" / "2021")
    assert (tmp_path / "ok" / "2021").is_dir()


def test_a_publish_killed_half_way_gets_the_previous_report_back(tmp_path):
    year_dir = tmp_path / "2021"
    tmp_year = tmp_path / ".tmp" / "2021"
    aside = tmp_year / "north-staffs-ccgs-k2j_9x1a.old"  # moved aside, new one never moved in
    aside.mkdir(parents=True)
    (aside / "report.html").write_text("the previous good report")
    done = tmp_year / "05G-abcdefgh.old"  # the new 05G is in place: this one is garbage
    done.mkdir()
    (year_dir / "05G").mkdir(parents=True)
    (year_dir / ".index.html-ab12cd34").write_text("half a pa")  # killed mid-write
    (year_dir / "index.html").write_text("<html></html>")
    lock = run_lock.BuildLock(tmp_year, year_dir)
    lock.release()
    assert (year_dir / "north-staffs-ccgs" / "report.html").read_text() == (
        "the previous good report"
    )
    assert not done.exists() and not aside.exists()
    assert sorted(p.name for p in year_dir.iterdir()) == ["05G", "index.html", "north-staffs-ccgs"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write in a read-only folder")
def test_check_writable_refuses_a_read_only_folder(tmp_path):
    folder = tmp_path / "2021"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError, match="cannot write in this folder"):
            run_lock.check_writable(folder)
    finally:
        folder.chmod(0o755)
