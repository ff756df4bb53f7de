"""What a killed run left behind is cleaned, and two live runs never share a build folder.

- :class:`BuildLock`: a run holds an exclusive lock (``flock``) on
  ``reports/.tmp/<year>/.lock`` while it builds there. A lock nobody holds means the run that
  made the folder's contents is dead (killed, or the machine stopped): the next run removes
  its leftovers (``<slug>-XXXX`` build folders, ``.kernels-XXXX``) before it starts. A
  second live run of the same year is refused instead of trampling the first.
- :func:`check_writable`: the reports folders are checked before any kernel starts, so an
  unwritable folder is a clear error (exit 2), not a failure after every notebook has run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from wres_utils.core.atomic import TEMP_NAME, current_umask

#: Name of the lock file inside ``reports/.tmp/<year>/``.
LOCK_NAME = ".lock"


class BuildFolderBusy(OSError):
    """Another live run is building in the same ``reports/.tmp/<year>`` folder."""


class BuildLock:
    """An exclusive lock on a run's build folder; acquiring it cleans a dead run's leftovers.

    Use ``lock = BuildLock(tmp_year, year_dir)`` (acquired at once; :attr:`removed` lists
    what a dead run had left) and ``lock.release()`` when the run no longer builds there (the
    lock file is removed, so an empty build folder can be deleted).

    A ``<slug>-XXXX.old`` folder is a unit's previous report moved aside by a publish that
    did not finish: with ``year_dir``, it is moved back to ``year_dir/<slug>`` when that
    folder is missing (the reader gets the previous report back), and removed when the new
    report is in place. Temporary files of an atomic write (``.<name>-XXXXXXXX``) left in
    ``year_dir`` or ``year_dir/runs`` are removed. Without ``year_dir``, ``.old`` folders are
    kept.
    """

    def __init__(self, folder: Path | str, year_dir: Path | str | None = None):
        self.folder = Path(folder)
        self.year_dir = Path(year_dir) if year_dir is not None else None
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / LOCK_NAME
        self._fd: int | None = None
        self.removed: list[str] = []
        self._acquire()
        self.removed = self._clean()

    def _acquire(self) -> None:
        import fcntl

        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666 & ~current_umask())
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                try:
                    holder = os.read(fd, 64).decode("ascii", "replace").strip() or "?"
                finally:
                    os.close(fd)
                raise BuildFolderBusy(
                    f"another wres run (process {holder}) is building in {self.folder}; wait "
                    "for it to finish (a run that was killed releases its lock by itself)"
                ) from None
            # The file may have been unlinked by its previous holder between open and flock.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd

    def _clean(self) -> list[str]:
        removed = []
        for entry in sorted(self.folder.iterdir()):
            if entry.name == LOCK_NAME:
                continue
            if entry.name.endswith(".old") and entry.is_dir():
                if self.year_dir is None:
                    continue
                final = self.year_dir / entry.name[: -len(".old")].rsplit("-", 1)[0]
                if not final.exists():
                    final.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(entry, final)
                    removed.append(f"{entry.name} (moved back to {final.name})")
                    continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry.name)
        if self.year_dir is not None:
            for folder in (self.year_dir, self.year_dir / "runs"):
                if not folder.is_dir():
                    continue
                for entry in sorted(folder.iterdir()):
                    if entry.is_file() and TEMP_NAME.fullmatch(entry.name):
                        entry.unlink(missing_ok=True)
                        removed.append(f"{folder.name}/{entry.name}")
        return removed

    def release(self) -> None:
        """Remove the lock file and release the lock (idempotent)."""
        if self._fd is None:
            return
        import fcntl

        try:
            self.path.unlink(missing_ok=True)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def check_writable(*folders: Path | str) -> None:
    """Raise :class:`PermissionError` naming the first folder a file cannot be written in.

    Each folder is created if missing (its parents too), then a probe file is created and
    removed in it.
    """
    for folder in folders:
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".wres-probe-", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise PermissionError(
                e.errno,
                f"cannot write in this folder ({e.strerror}); the reports folder and its "
                "year folder must be writable",
                str(folder),
            ) from None
