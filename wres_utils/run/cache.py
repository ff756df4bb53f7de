"""Incremental rebuilds: content keys for units, and a small store of computed aggregates.

Two caches, both keyed by content (sha256), never by modification times:

1. **Build keys.** Each published unit folder holds ``.build-key``: the sha256 of everything
   that determines the unit's outputs (:func:`unit_key`): the notebooks' bytes, the
   parameters papermill injects, the unit's prepared inputs (the files of its ``prepared/``
   folder: published indicator rows, disclosed quality counts, action plan, context), the
   unit's counts, whether a PDF is made, the installed versions (``wres-utils``, pandas,
   WeasyPrint, ...) and the code of the package (:func:`code_fingerprint`: every ``.py`` and
   template file of ``wres_utils``). A unit whose key matches and whose outputs all exist
   is "up to date" and is not executed again; any change to any part re-executes it.

2. **A store of aggregates** (:class:`Store`, ``reports/.cache/``): the counts and the
   integer data-quality figures of a year, keyed by the year's params, the sha256 of every
   input file and the code; and the published indicators table, keyed by the counts, the
   units and the settings. A second run with unchanged inputs then skips parsing and
   validating the extracts (which an earlier run with the same bytes and code already did)
   and recomputing the indicators. Only aggregates are stored (counts, integer quality
   columns, the published copy of the indicators): never a record, never a raw value.

The store is a local working folder of pickles written by this package (like ``.tmp``), not
an input format: delete it at any time (``make clean`` does); a missing, unreadable or
stale entry is simply recomputed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

#: Name of the file holding a unit's build key, inside its published folder.
BUILD_KEY_FILE = ".build-key"
#: Folder of the aggregate store, inside the reports folder.
STORE_DIR = ".wres-cache"
#: Format version of keys and stored entries: bump to invalidate everything.
FORMAT = 1
#: The package whose code is fingerprinted.
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: File suffixes of the package that count as code (templates included).
_CODE_SUFFIXES = (".py", ".j2", ".tpl", ".css", ".json", ".html", ".js", ".yaml", ".txt", ".csv")


def digest(obj: Any) -> str:
    """The sha256 (hex) of a JSON-serialisable object, with sorted keys (stable across runs)."""
    text = json.dumps(obj, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path | str, chunk: int = 1 << 20) -> str:
    """The sha256 (hex) of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def frame_digest(frame: pd.DataFrame) -> str:
    """A sha256 of a table's columns, dtypes and values (row order matters).

    Uses :func:`pandas.util.hash_pandas_object` (a fixed hash key, so stable across
    processes), plus the column names and dtypes.
    """
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode())
    if len(frame):
        h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def _code_files(package_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in package_dir.rglob("*")
        if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts
    )


def code_fingerprint(package_dir: Path | str | None = None) -> str:
    """The sha256 of the package's code: every ``.py`` and template file, by relative path.

    Computed once per process for the installed package (it does not change during a run).
    """
    if package_dir is None:
        return _installed_fingerprint()
    return _fingerprint(Path(package_dir))


def _fingerprint(package_dir: Path) -> str:
    h = hashlib.sha256()
    for p in _code_files(package_dir):
        h.update(p.relative_to(package_dir).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def _installed_fingerprint() -> str:
    return _fingerprint(_PACKAGE_DIR)


@functools.cache
def environment() -> dict[str, str]:
    """The versions that can change outputs: Python, wres-utils and the libraries used."""
    from wres_utils.run.runlog import package_versions

    return package_versions()


# --------------------------------------------------------------------------------------------
# Build keys of units


@dataclass(frozen=True)
class BuildKey:
    """A unit's build key and the digests it was made from (kept for explaining a rebuild)."""

    key: str
    parts: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The text of a ``.build-key`` file."""
        return json.dumps({"format": FORMAT, "key": self.key, "parts": self.parts}, indent=1) + "\n"


def folder_digests(folder: Path | str) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``folder`` (empty if it is missing)."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): file_digest(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def unit_key(
    *,
    notebooks: Sequence[Path],
    parameters: Sequence[Mapping[str, Any]],
    prepared_dir: Path | str,
    counts: pd.DataFrame | None = None,
    options: Mapping[str, Any] | None = None,
    code: str | None = None,
    versions: Mapping[str, str] | None = None,
) -> BuildKey:
    """The build key of a unit: a sha256 over everything its outputs depend on.

    ``notebooks`` are the notebook files in report order (their bytes are hashed),
    ``parameters`` the parameters injected into each, ``prepared_dir`` the folder of the
    unit's prepared inputs, ``counts`` the unit's counts rows, ``options`` settings that
    change outputs (e.g. ``{"pdf": True}``). ``code`` and ``versions`` default to this
    package's :func:`code_fingerprint` and :func:`environment`.
    """
    parts: dict[str, Any] = {
        "format": FORMAT,
        "notebooks": [[Path(nb).name, file_digest(nb)] for nb in notebooks],
        "parameters": digest([dict(p) for p in parameters]),
        "prepared": folder_digests(prepared_dir),
        "counts": frame_digest(counts) if counts is not None else None,
        "options": dict(options or {}),
        "code": code if code is not None else code_fingerprint(),
        "versions": dict(versions if versions is not None else environment()),
    }
    return BuildKey(key=digest(parts), parts=parts)


def read_build_key(unit_dir: Path | str) -> str | None:
    """The key recorded in a published unit folder, or None (missing or unreadable)."""
    try:
        data = json.loads((Path(unit_dir) / BUILD_KEY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    key = data.get("key")
    return key if isinstance(key, str) else None


def write_build_key(unit_dir: Path | str, key: BuildKey) -> Path:
    """Write ``.build-key`` into a (build) folder."""
    path = Path(unit_dir) / BUILD_KEY_FILE
    path.write_text(key.to_json(), encoding="utf-8")
    return path


def up_to_date(unit_dir: Path | str, key: BuildKey | str, outputs: Iterable[str]) -> bool:
    """True when ``unit_dir`` was built with ``key`` and every file of ``outputs`` exists."""
    unit_dir = Path(unit_dir)
    wanted = key.key if isinstance(key, BuildKey) else key
    if read_build_key(unit_dir) != wanted:
        return False
    return all((unit_dir / name).is_file() for name in outputs)


# --------------------------------------------------------------------------------------------
# The store of aggregates


@dataclass
class CachedYear:
    """What a run needs of a loaded year (the shape of ``extracts.LoadedYear``): aggregates."""

    counts: pd.DataFrame
    quality: pd.DataFrame
    files: dict[str, str] = field(default_factory=dict)
    #: Counts by broad ethnic group (the optional broad-groups view); aggregates too.
    broad_counts: pd.DataFrame = field(default_factory=pd.DataFrame)


#: Columns of the data-quality table that identify a row (kept as text).
QUALITY_ID_COLUMNS: tuple[str, ...] = ("org_code", "kind", "file")


def aggregates_only(quality: Any) -> pd.DataFrame:
    """The data-quality table without its free-text columns (which may quote raw values):
    the identifying columns and the whole-number count columns only."""
    if quality is None:
        return pd.DataFrame()
    frame = quality if isinstance(quality, pd.DataFrame) else pd.DataFrame(quality)
    keep = [
        c
        for c in frame.columns
        if c in QUALITY_ID_COLUMNS
        or (pd.api.types.is_integer_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]))
    ]
    return frame[keep].copy()


class Store:
    """A folder of pickled aggregates, one file per ``(kind, key)``; writes are atomic.

    :meth:`get` returns None for anything missing or unreadable, and always when ``reuse``
    is false (a forced rebuild: recompute, but still store for next time). At most ``keep``
    entries of each kind are kept (the most recently used), so the folder does not grow.
    """

    def __init__(self, folder: Path | str, keep: int = 8, reuse: bool = True):
        self.folder = Path(folder)
        self.keep = keep
        self.reuse = reuse

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key[:40]}.pkl"

    def get(self, kind: str, key: str) -> Any | None:
        """The stored object, or None."""
        if not self.reuse:
            return None
        path = self._path(kind, key)
        try:
            with open(path, "rb") as f:
                stored = pickle.load(f)
        except Exception:  # missing, truncated, from another pandas: recompute
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        try:
            os.utime(path)  # most recently used
        except OSError:
            pass
        return stored.get("value")

    def put(self, kind: str, key: str, value: Any) -> Path | None:
        """Store ``value``; failures to write are ignored (the cache is an optimisation)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self._path(kind, key)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump({"key": key, "value": value}, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return None
        self._prune(kind)
        return path

    def _prune(self, kind: str) -> None:
        entries = sorted(
            self.folder.glob(f"{kind}-*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in entries[self.keep :]:
            old.unlink(missing_ok=True)


def year_key(
    params_dump: Mapping[str, Any], file_hashes: Mapping[str, str], code: str | None = None
) -> str:
    """The key of a loaded year: its params, the sha256 of every input file, code, versions."""
    return digest(
        {
            "format": FORMAT,
            "params": params_dump,
            "files": dict(sorted(file_hashes.items())),
            "code": code if code is not None else code_fingerprint(),
            "versions": environment(),
        }
    )
