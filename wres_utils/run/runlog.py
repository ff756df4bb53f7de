"""The run log: what a ``wres run`` used and did, so a report can be traced and reproduced.

``reports/<year>/runs/<run id>.log`` (one per run, never replaced; ``reports/<year>/run.log``
is a copy of the latest run's, and each published unit folder's ``run.json`` names the run
that built it) is JSON lines: one JSON object per line, each with an ``event``:

- ``run``: year, unit filter, start and end (UTC), seconds, exit status, units, notebooks;
- ``params``: one per params file loaded, with the resolved parameters (``model_dump``);
- ``versions``: Python and the package versions;
- ``git``: the commit (``git rev-parse HEAD``, or ``"unknown"``) and a ``dirty`` flag;
- ``input``: one per input file (params, extracts, counts, action plans, notebooks) with its
  sha256 and size;
- ``notebook`` / ``unit``: timings and status of each notebook run and each unit;
- ``failure``: one per failure, naming the unit, the notebook and the failing cell.

No record-level data are written: only paths, hashes, parameters and timings.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

#: Distributions whose versions the run log records (python is added separately).
VERSIONED_PACKAGES: tuple[str, ...] = (
    "wres-utils",
    "pandas",
    "numpy",
    "pydantic",
    "pandera",
    "papermill",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "weasyprint",
)


#: Folder of ``reports/<year>/`` holding one log per run, never replaced.
RUNS_DIR = "runs"
#: File of a published unit folder naming the run that built it.
UNIT_RUN_FILE = "run.json"


def new_run_id(started: str) -> str:
    """A unique, sortable id for a run: ``20210331T120000Z-<pid>-<random>``."""
    import secrets

    stamp = started.replace("-", "").replace(":", "").replace("+0000", "Z").replace("+00", "Z")
    return f"{stamp}-{os.getpid()}-{secrets.token_hex(3)}"


def write_unit_run(unit_dir: Path | str, run_id: str) -> Path:
    """Write ``unit_dir/run.json``: the run that built this unit and where its log is."""
    path = Path(unit_dir) / UNIT_RUN_FILE
    record = {"run_id": run_id, "log": f"../{RUNS_DIR}/{run_id}.log"}
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path


def utc_now() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def package_versions() -> dict[str, str]:
    """Python's version and the installed version of each of :data:`VERSIONED_PACKAGES`."""
    out = {"python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "--no-optional-locks", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_state(root: Path | str) -> dict[str, Any]:
    """The commit checked out at ``root`` and whether tracked files differ from it.

    ``{"commit": "<sha>" or "unknown", "dirty": True/False, or None when unknown}``. Untracked
    files (e.g. ``reports/``) do not make a tree dirty. Read-only: no git command here writes.
    """
    root = Path(root)
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return {"commit": "unknown", "dirty": None}
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    return {"commit": head.strip(), "dirty": None if status is None else bool(status.strip())}


def sha256_file(path: Path | str, chunk: int = 1 << 20) -> str:
    """The sha256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def input_records(
    paths: Iterable[tuple[str, Path]], root: Path | str | None = None
) -> list[dict[str, Any]]:
    """One ``input`` event per distinct ``(kind, path)``: path (relative to ``root`` when
    inside it), kind, sha256 and size in bytes. Missing files are recorded as such."""
    out, seen = [], set()
    for kind, path in paths:
        p = Path(path)
        key = p.resolve()
        if key in seen:
            continue
        seen.add(key)
        rec: dict[str, Any] = {
            "event": "input",
            "kind": kind,
            "path": _display_path(p, Path(root) if root is not None else None),
        }
        if p.is_file():
            rec["sha256"] = sha256_file(p)
            rec["bytes"] = p.stat().st_size
        else:
            rec["sha256"] = None
            rec["missing"] = True
        out.append(rec)
    return out


class RunLog:
    """Collects the events of one run and writes them, atomically, as JSON lines."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def add(self, event: str, **fields: Any) -> dict[str, Any]:
        """Append an event; returns it (so a caller may fill it in later)."""
        rec = {"event": event, **fields}
        self.events.append(rec)
        return rec

    def extend(self, records: Iterable[dict[str, Any]]) -> None:
        """Append ready-made events (each with an ``event`` key)."""
        for r in records:
            if "event" not in r:
                raise ValueError(f"a run-log record needs an 'event' key: {r!r}")
            self.events.append(dict(r))

    def of(self, event: str) -> list[dict[str, Any]]:
        """The events of one kind, in order."""
        return [e for e in self.events if e["event"] == event]

    def write_history(self, year_dir: Path | str, run_id: str) -> Path:
        """Write the log as ``year_dir/runs/<run_id>.log`` (kept) and ``year_dir/run.log``
        (a copy of the latest run's); returns the kept one."""
        year_dir = Path(year_dir)
        kept = self.write(year_dir / RUNS_DIR / f"{run_id}.log")
        self.write(year_dir / "run.log")
        return kept

    def write(self, path: Path | str) -> Path:
        """Write the log to ``path`` (via a temporary file and a rename: never half-written)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(
            json.dumps(e, default=str, ensure_ascii=False, sort_keys=False) + "\n"
            for e in self.events
        )
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            mask = os.umask(0o022)  # mkstemp makes the file private; give it the usual mode
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path


def read_run_log(path: Path | str) -> list[dict[str, Any]]:
    """The events of a run log, in order."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
