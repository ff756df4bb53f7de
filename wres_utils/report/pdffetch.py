"""What WeasyPrint may read while printing a report, and what a PDF may carry.

WeasyPrint's default URL fetcher reads any ``file:`` path it is given and honours
``<a rel="attachment">`` and ``<link rel="attachment">`` by embedding the file in the PDF: an
action-plan line could otherwise attach a record-level extract, or ``/etc/passwd``, to a
published report. The renderer therefore:

- prints with :func:`shipped_only_fetcher`: ``data:`` URLs, and files under the package's
  ``templates`` folder (its CSS and any fonts shipped with it); every other URL (another
  ``file:`` path, ``http(s):``, ``ftp:``...) raises, so WeasyPrint skips the resource;
- passes no attachments, and checks the written PDF with :func:`pdf_attachments` (also used
  by ``wres audit``): a PDF with an embedded file, a file-attachment annotation or an
  associated file is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL outside what the package ships."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def is_allowed_url(url: str, shipped: Path) -> bool:
    """True for a ``data:`` URL or a ``file:`` URL of an existing file under ``shipped``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path))
    return path.is_file() and _inside(path, shipped)


def shipped_only_fetcher(shipped: Path):  # -> weasyprint.urls.URLFetcher
    """A WeasyPrint URL fetcher serving ``data:`` URLs and files under ``shipped`` only.

    Any other URL raises :class:`FetchRefused` (WeasyPrint then leaves the resource out and
    logs it); redirects are not followed and the network is never used.
    """
    from weasyprint.urls import URLFetcher

    class _ShippedOnly(URLFetcher):
        def fetch(self, url: str, headers: object = None):  # type: ignore[override]
            if not is_allowed_url(url, shipped):
                raise FetchRefused(f"not fetched (outside what the package ships): {url[:80]}")
            return super().fetch(url, headers)

    return _ShippedOnly(allowed_protocols={"data", "file"}, allow_redirects=False)


_ATTACHMENT_MARKERS = re.compile(rb"/(EmbeddedFiles|FileAttachment|EmbeddedFile|AF)\b")


def pdf_attachments(path: Path | str) -> list[str]:
    """What ``path`` carries besides its pages: embedded files, attachment annotations, AFs.

    Returns one description per item (empty when there is none). Uses pikepdf when it is
    installed (compressed object streams are read); otherwise scans the raw bytes.
    """
    path = Path(path)
    try:
        import pikepdf
    except ImportError:  # pragma: no cover - pikepdf is a dev dependency
        raw = path.read_bytes()
        return sorted({m.group(1).decode() for m in _ATTACHMENT_MARKERS.finditer(raw)})
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        for name in pdf.attachments:
            found.append(f"embedded file {name!r}")
        if "/AF" in pdf.Root:
            found.append("associated files (/AF) in the catalogue")
        for n, page in enumerate(pdf.pages, start=1):
            for annot in page.obj.get("/Annots", []) or []:
                if annot.get("/Subtype") == pikepdf.Name.FileAttachment:
                    fs = annot.get("/FS")
                    fname = str(fs.get("/UF", fs.get("/F", ""))) if fs is not None else ""
                    found.append(f"file attachment annotation on page {n} ({fname!r})")
            if "/AF" in page.obj:
                found.append(f"associated files (/AF) on page {n}")
    return found
