"""Nothing a reader sees is ever half-written: files are written beside their final name and
renamed over it.

- :func:`write_text` / :func:`write_bytes`: a file is written beside its final name
  (``.<name>-XXXX``) and renamed over it (``os.replace``, atomic on one filesystem): a reader
  polling ``index.html`` during a run sees the old page or the new one, never an empty or
  partial one.
- :func:`current_umask`: the process umask, read without changing it, for the mode of the
  files written.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

#: Names of the temporary files :func:`write_bytes` makes (``.<name>-`` + 8 random characters).
TEMP_NAME = re.compile(r"\..+-[a-z0-9_]{8}")


def current_umask() -> int:
    """The process umask (read without changing it), for the permissions of written files."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, then rename).

    The file gets the usual mode (0666 less the umask); on any error the temporary file is
    removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """:func:`write_bytes` of ``text`` encoded (UTF-8 by default)."""
    return write_bytes(path, text.encode(encoding))
