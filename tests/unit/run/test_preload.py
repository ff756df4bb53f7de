"""The pre-started kernels import, before forking, everything a chapter imports while it runs.

A module a chapter imports lazily (inside a function of the report modules it calls) that is
not in ``execute.PRELOAD`` is imported again by every kernel, i.e. once per notebook of every
unit: nbconvert's Markdown filter alone costs 0.4 s of CPU each time. This test lists those
lazy imports from the source (no timing) and checks, in a fresh interpreter, that importing
them after ``PRELOAD`` loads nothing new.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import nbformat

from wres_utils.run.execute import PRELOAD

ROOT = Path(__file__).resolve().parents[3]
#: The modules whose functions the chapters call.
CHAPTER_MODULES = (
    "views",
    "broad_groups",
    "appendix",
    "summary",
    "narrative",
    "tables",
    "safetext",
    "charts",
)


def _lazy_imports(path: Path) -> set[str]:
    """Modules imported inside function bodies of ``path``."""
    found: set[str] = set()
    for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
    return found


def _notebook_imports() -> set[str]:
    found: set[str] = set()
    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Import):
                    found |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return found


def _report_lazy_imports() -> set[str]:
    files = [ROOT / "wres_utils" / "report" / f"{m}.py" for m in CHAPTER_MODULES]
    return set().union(*(_lazy_imports(f) for f in files))


def test_the_lists_are_found() -> None:
    assert "nbconvert.filters.markdown_mistune" in _report_lazy_imports()
    assert "wres_utils.report.views" in _notebook_imports()


def test_nothing_a_chapter_imports_is_left_to_the_kernel() -> None:
    wanted = _report_lazy_imports() | _notebook_imports()
    code = (
        "import importlib, importlib.util, json, sys\n"
        f"for m in {list(PRELOAD)!r}: importlib.import_module(m)\n"
        "before = set(sys.modules)\n"
        "loaded = {}\n"
        f"for m in sorted({sorted(wanted)!r}):\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except ImportError:\n"
        "        continue  # 'from package import name' where name is not a module\n"
        "    new = sorted(set(sys.modules) - before)\n"
        "    if new:\n"
        "        loaded[m] = new[:5]\n"
        "    before = set(sys.modules)\n"
        "print(json.dumps(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == {}, f"add these to execute.PRELOAD (each kernel imports them): {loaded}"
