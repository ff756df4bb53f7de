"""Content keys and the aggregate store behind incremental rebuilds (no kernels here)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from wres_utils.run import cache


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def unit(tmp_path):
    """Two notebooks, a prepared folder and counts: the inputs of one unit's key."""
    nbs = [_write(tmp_path / "nb" / f"{n}.ipynb", f'{{"cells": ["{n}"]}}') for n in ("a", "b")]
    prepared = tmp_path / "prepared"
    _write(prepared / "indicators.csv", "unit,display\n05G,12.5%\n")
    _write(prepared / "action_plan.json", '{"actions": {}}')
    counts = pd.DataFrame({"org_code": ["05G"], "measure": ["headcount"], "value": [40]})
    return {
        "notebooks": nbs,
        "parameters": [{"unit": "05G", "year": 2021}] * 2,
        "prepared_dir": prepared,
        "counts": counts,
        "options": {"pdf": True},
        "code": "code-v1",
        "versions": {"pandas": "3.1"},
    }


def test_the_key_is_stable_and_changes_with_every_part(unit, tmp_path):
    key = cache.unit_key(**unit)
    assert key == cache.unit_key(**unit)  # deterministic
    assert len(key.key) == 64 and key.parts["prepared"]["indicators.csv"]

    changes = {
        "notebook source": lambda u: _write(u["notebooks"][1], '{"cells": ["changed"]}'),
        "parameters": lambda u: u.update(parameters=[{"unit": "05G", "year": 2022}] * 2),
        "prepared inputs": lambda u: _write(u["prepared_dir"] / "action_plan.json", "{}"),
        "a new prepared file": lambda u: _write(u["prepared_dir"] / "context.json", "{}"),
        "counts": lambda u: u.update(counts=u["counts"].assign(value=[41])),
        "options": lambda u: u.update(options={"pdf": False}),
        "code": lambda u: u.update(code="code-v2"),
        "versions": lambda u: u.update(versions={"pandas": "3.2"}),
    }
    seen = {key.key}
    for what, change in changes.items():
        change(unit)
        new = cache.unit_key(**unit).key
        assert new not in seen, f"the key did not change with the {what}"
        seen.add(new)


def test_the_key_ignores_modification_times(unit):
    key = cache.unit_key(**unit).key
    path = unit["prepared_dir"] / "indicators.csv"
    path.write_bytes(path.read_bytes())  # touched, same bytes
    assert cache.unit_key(**unit).key == key


def test_build_key_file_and_up_to_date(unit, tmp_path):
    key = cache.unit_key(**unit)
    folder = tmp_path / "reports" / "2021" / "05G"
    folder.mkdir(parents=True)
    assert cache.read_build_key(folder) is None
    cache.write_build_key(folder, key)
    assert cache.read_build_key(folder) == key.key
    data = json.loads((folder / cache.BUILD_KEY_FILE).read_text())
    assert data["parts"]["code"] == "code-v1"  # kept to explain a rebuild

    outputs = ["report.html", "notebooks/a.html"]
    assert not cache.up_to_date(folder, key, outputs)  # outputs missing
    for name in outputs:
        _write(folder / name, "x")
    assert cache.up_to_date(folder, key, outputs)
    assert cache.up_to_date(folder, key.key, outputs)
    assert not cache.up_to_date(folder, "0" * 64, outputs)
    (folder / cache.BUILD_KEY_FILE).write_text("not json")
    assert cache.read_build_key(folder) is None and not cache.up_to_date(folder, key, outputs)


def test_code_fingerprint_covers_python_and_template_files(tmp_path):
    pkg = tmp_path / "pkg"
    _write(pkg / "a.py", "x = 1\n")
    _write(pkg / "templates" / "t" / "index.html.j2", "{{ x }}")
    _write(pkg / "__pycache__" / "a.cpython-311.pyc", "compiled")
    first = cache.code_fingerprint(pkg)
    _write(pkg / "__pycache__" / "a.cpython-311.pyc", "recompiled")
    assert cache.code_fingerprint(pkg) == first  # bytecode is not code
    _write(pkg / "templates" / "t" / "index.html.j2", "{{ y }}")
    second = cache.code_fingerprint(pkg)
    assert second != first
    _write(pkg / "b.py", "")
    assert cache.code_fingerprint(pkg) != second
    assert len(cache.code_fingerprint()) == 64  # the installed package


def test_frame_digest_sees_values_dtypes_and_order():
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert cache.frame_digest(df) == cache.frame_digest(df.copy())
    assert cache.frame_digest(df) != cache.frame_digest(df.assign(a=[1, 3]))
    assert cache.frame_digest(df) != cache.frame_digest(df.astype({"a": "float64"}))
    assert cache.frame_digest(df) != cache.frame_digest(df.iloc[::-1])
    assert cache.frame_digest(df.iloc[0:0]) != cache.frame_digest(df)


def test_store_round_trip_miss_reuse_and_pruning(tmp_path):
    store = cache.Store(tmp_path / ".cache", keep=2)
    frame = pd.DataFrame({"value": pd.array([1, None], dtype="Int64")})
    assert store.get("published", "k1") is None
    store.put("published", "k1", frame)
    got = store.get("published", "k1")
    pd.testing.assert_frame_equal(got, frame)  # dtypes kept exactly
    assert cache.Store(tmp_path / ".cache", reuse=False).get("published", "k1") is None
    (tmp_path / ".cache" / "published-k1.pkl").write_bytes(b"truncated")
    assert store.get("published", "k1") is None  # unreadable: recompute
    for k in ("k2", "k3", "k4"):
        store.put("published", k, k)
    assert len(list((tmp_path / ".cache").glob("published-*.pkl"))) == 2
    assert store.get("published", "k4") == "k4"


def test_aggregates_only_drops_free_text(tmp_path):
    quality = pd.DataFrame(
        {
            "org_code": ["05G"],
            "kind": ["workforce"],
            "file": ["data/x.csv"],
            "rows_read": [118],
            "unrecognised_values": ["'SECRET-ID' x1"],
            "flag": [True],
        }
    )
    kept = cache.aggregates_only(quality)
    assert list(kept.columns) == ["org_code", "kind", "file", "rows_read"]
    assert cache.aggregates_only(None).empty
    key = cache.year_key({"year": 2021}, {"b.csv": "2", "a.csv": "1"}, code="c")
    assert key == cache.year_key({"year": 2021}, {"a.csv": "1", "b.csv": "2"}, code="c")
    assert key != cache.year_key({"year": 2021}, {"a.csv": "1", "b.csv": "3"}, code="c")


def test_a_unit_published_without_the_documents_beside_its_report_is_rebuilt(unit, tmp_path):
    """The action plan and the template's PDF are outputs of the unit: a folder published
    before them (or missing one) is not up to date, whatever its key."""
    from wres_utils.run.publish import expected_outputs

    key = cache.unit_key(**unit)
    folder = tmp_path / "unit"
    folder.mkdir()
    cache.write_build_key(folder, key)
    outputs = expected_outputs([Path("00_summary.ipynb")], render_pdf=True)
    assert {"action-plan.html", "action-plan.pdf", "wres-return.pdf"} <= set(outputs)
    for name in outputs:
        _write(folder / name, "x")
    assert cache.up_to_date(folder, key, outputs)
    (folder / "action-plan.pdf").unlink()
    assert not cache.up_to_date(folder, key, outputs)
    no_pdf = expected_outputs([Path("00_summary.ipynb")], render_pdf=False)
    assert "action-plan.html" in no_pdf and not any(n.endswith(".pdf") for n in no_pdf)
