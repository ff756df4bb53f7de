"""Checks that a report PDF is accessible: tagged, titled, in English, readable, with alt text.

:func:`check_pdf` returns the problems of one PDF (an empty list: all checks pass):

- tagged: ``/MarkInfo /Marked true`` and a ``/StructTreeRoot`` whose tree holds elements;
- the PDF/UA identifier (XMP ``pdfuaid:part``) is present;
- language: the catalogue's ``/Lang`` is ``lang`` (en-GB);
- title: a non-empty document title in the info dictionary and in the XMP metadata
  (``dc:title``), equal to ``title`` when given, and ``/ViewerPreferences /DisplayDocTitle true``
  (a viewer shows the title, not the file name);
- text: pypdf extracts non-empty text from every page, and the ``expected_headings`` appear as
  lines of that text in the order given (reading order; a heading may wrap over up to four
  lines; lines of the table of contents, which end in dot leaders and page numbers, never
  match a heading);
- figures: every ``/Figure`` element of the structure tree has non-empty ``/Alt`` text;
- pages with annotations (links) have the tab order ``/Tabs /S`` (structure order), and every
  link annotation has ``/Contents``; every font is embedded.
- print layout (:func:`layout_problems`): no heading (H1-H6), and no table caption, is the
  last thing on its page (what follows it is on the next page: from the structure tree's
  ``/Pg``); the footer "Page N of M" is on one line on every page that has one; no text runs
  off the page (a table cut at the page edge: text that starts beyond the page, or whose
  estimated width takes it past the edge); page 1 is not nearly blank (its text reaches at
  least :data:`FIRST_PAGE_FILL` of the page's height).

:func:`pdfua_shortfalls` reports the known ways in which WeasyPrint 70's ``pdf/ua-1`` output
falls short of PDF/UA-1 (ISO 14289-1) and the Matterhorn Protocol; they are NOT in
:func:`check_pdf`, because no setting of ours can fix them. What WeasyPrint 70's ``pdf/ua-1``
variant does (it is ``pdf_tags=True`` + PDF 1.7 + XMP ``pdfuaid:part=1``):

- does: a structure tree (``/Document`` root, ``/ParentTree``, ``/StructParents`` on pages),
  ``/MarkInfo /Marked true``, ``/ViewerPreferences /DisplayDocTitle true``, ``/Lang`` from
  ``<html lang>`` (or the metadata), ``dc:title`` from ``<title>``, H1-H6, P, L/LI/Lbl/LBody,
  Table/THead/TBody/TR/TH/TD with ``/Headers`` and ``/ID`` linking each data cell to its
  column and row headers (``scope="row"``), Caption inside Table, Link elements holding their
  annotations (``/OBJR``), ``/Tabs /S``, Figure with ``/Alt`` (from ``alt``, or an SVG's
  ``<title>``) and a ``/BBox``; backgrounds and borders are marked as ``/Artifact``; fonts
  are embedded with ToUnicode maps.
- does not (each detected by :func:`pdfua_shortfalls`, or noted here):
  1. page margin boxes (running headers and footers: our "SYNTHETIC DATA" line, the title and
     "Page N of M") are marked content that is neither ``/Artifact`` nor part of the
     structure tree (its ``/Span`` elements are in the ``/ParentTree`` but orphaned;
     WeasyPrint's comment: an Artifact there is "only allowed in PDF 2.0"). Matterhorn 01-001
     / 01-005. Screen readers may skip or read them out of order.
  2. HTML elements without a PDF equivalent in its mapping (``header``, ``nav``, ``figure``,
     ``footer``, ``aside``, ...) become ``/NonStruct``, so
     a ``<figure>``'s ``<figcaption>`` becomes a ``/Caption`` whose parent is a ``/NonStruct``
     rather than the ``/Figure`` (the image) it describes.
  3. an element that is split over pages becomes one structure element per page (e.g. two
     ``/Part`` for one ``<main>``; a long table becomes two ``/Table``).
  4. a link annotation's ``/Contents`` is its raw target (a URL, or an anchor name such as
     ``workforce``), not a description of the link; ``/TH`` has no ``/Scope`` attribute (the
     ``/Headers`` of each ``/TD`` carry the relation instead, which PDF/UA accepts).
  5. no check of its own: WeasyPrint does not validate PDF/UA (it logs an error for an image
     without ``alt`` or a missing ``lang``, and writes the PDF anyway). A full validation
     needs veraPDF (Java), which is not installed here.

Command line: ``python -m wres_utils.checks.pdfcheck PDF_OR_FOLDER...`` checks each PDF (every
``*.pdf`` under a folder); the expected headings are the contents entries of the
``report.html`` next to the PDF, when there is one. Exit status 1 when a PDF has problems.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pikepdf

LANG = "en-GB"
#: Page 1 is "nearly blank" when its text fills less than this share of the page's height.
FIRST_PAGE_FILL = 0.4
#: Text below this height (points from the bottom of the page) is the footer's margin box.
FOOTER_BAND = 60.0
#: The average width of a character, in ems, for estimating where a line of text ends (low on
#: purpose: a justified line of Arial prose averages about 0.41 em, digits are 0.556 em; a false
#: "runs off the page" is worse than a miss, and text that starts beyond the page is caught
#: whatever its width).
CHAR_EM = 0.35
_HEADINGS = frozenset({"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"})
#: Headings may wrap over this many extracted lines.
MAX_HEADING_LINES = 4
_MAX_DEPTH = 200
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _kids(elem: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    k = elem.get("/K")
    if k is None:
        return []
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    return [c for c in items if isinstance(c, pikepdf.Dictionary) and "/S" in c]


def struct_elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, str]]:
    """Every structure element reachable from ``/StructTreeRoot``, in tree (reading) order,
    with its parent's structure type (``"/StructTreeRoot"`` for the top ones)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[pikepdf.Dictionary, str, int]] = [
        (c, "/StructTreeRoot", 0) for c in reversed(_kids(root))
    ]
    while stack:
        elem, parent, depth = stack.pop()
        key = elem.objgen
        if key != (0, 0):
            if key in seen or depth > _MAX_DEPTH:
                continue
            seen.add(key)
        yield elem, parent
        stack.extend((c, str(elem.get("/S")), depth + 1) for c in reversed(_kids(elem)))


def _page_lines(text: str) -> list[str]:
    return [line for line in (_norm(x) for x in text.splitlines()) if line]


def _find_heading(lines: list[str], heading: str, start: int) -> int | None:
    """Index of the first line at or after ``start`` where ``heading`` begins (as whole lines)."""
    want = _norm(heading)
    for i in range(start, len(lines)):
        joined = ""
        for k in range(MAX_HEADING_LINES):
            if i + k >= len(lines):
                break
            joined = _norm(f"{joined} {lines[i + k]}")
            if joined == want:
                return i
            if not want.startswith(joined):
                break
    return None


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            return {k: str(v) for k, v in meta.items()}
    except Exception:  # noqa: BLE001 - unreadable XMP is reported as missing fields
        return {}


def _check_catalogue(pdf: pikepdf.Pdf, title: str | None, lang: str) -> list[str]:
    problems = []
    root = pdf.Root
    mark = root.get("/MarkInfo")
    if not (isinstance(mark, pikepdf.Dictionary) and bool(mark.get("/Marked", False))):
        problems.append("not a tagged PDF: /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in root:
        problems.append("no structure tree (/StructTreeRoot missing)")
    elif next(struct_elements(pdf), None) is None:
        problems.append("the structure tree is empty")
    doc_lang = str(root.get("/Lang", "")).strip()
    if doc_lang != lang:
        problems.append(f"document language (/Lang) is {doc_lang or 'missing'!r}, not {lang!r}")
    xmp = _xmp(pdf)
    info = pdf.trailer.get("/Info")
    info_title = _norm(str(info.get("/Title", ""))) if isinstance(info, pikepdf.Dictionary) else ""
    xmp_title = _norm(xmp.get("{http://purl.org/dc/elements/1.1/}title", ""))
    if not info_title:
        problems.append("no document title in the info dictionary (/Title)")
    if not xmp_title:
        problems.append("no document title in the XMP metadata (dc:title)")
    if title is not None:
        for where, got in (("/Title", info_title), ("dc:title", xmp_title)):
            if got and got != _norm(title):
                problems.append(f"document title ({where}) is {got!r}, not {title!r}")
    prefs = root.get("/ViewerPreferences")
    if not (isinstance(prefs, pikepdf.Dictionary) and bool(prefs.get("/DisplayDocTitle", False))):
        problems.append("/ViewerPreferences /DisplayDocTitle is not true")
    if xmp.get("{http://www.aiim.org/pdfua/ns/id/}part", "") not in ("1", "2"):
        problems.append("no PDF/UA identifier in the XMP metadata (pdfuaid:part)")
    return problems


def _check_figures(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    for n, (elem, _) in enumerate(
        (e for e in struct_elements(pdf) if e[0].get("/S") == "/Figure"), start=1
    ):
        if not _norm(str(elem.get("/Alt", ""))):
            problems.append(f"figure {n} of the structure tree has no alternative text (/Alt)")
    return problems


def _check_pages(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    fonts_missing: set[str] = set()
    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots")
        if annots is not None and len(annots) and page.obj.get("/Tabs") != "/S":
            problems.append(f"page {number}: tab order (/Tabs) is not the structure order /S")
        for annot in annots or []:
            if annot.get("/Subtype") == "/Link" and not str(annot.get("/Contents", "")).strip():
                problems.append(f"page {number}: a link annotation has no /Contents")
                break
        fonts = page.resources.get("/Font") if "/Resources" in page.obj else None
        for name, font in (fonts or {}).items():
            descendants = font.get("/DescendantFonts")
            f = descendants[0] if descendants is not None else font
            desc = f.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type3":
                continue
            if desc is None or not any(k in desc for k in _FONT_FILES):
                fonts_missing.add(str(font.get("/BaseFont", name)))
    if fonts_missing:
        problems.append(f"fonts not embedded: {', '.join(sorted(fonts_missing))}")
    return problems


def _check_text(path: Path, expected_headings: Sequence[str]) -> list[str]:
    from pypdf import PdfReader

    problems = []
    reader = PdfReader(path)
    lines: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        if not text.strip():
            problems.append(f"page {number}: no extractable text")
        lines.extend(_page_lines(text))
    pos = 0
    for heading in expected_headings:
        found = _find_heading(lines, heading, pos)
        if found is None:
            anywhere = _find_heading(lines, heading, 0)
            if anywhere is None:
                problems.append(f"heading {heading!r} not found in the extracted text")
            else:
                problems.append(f"heading {heading!r} is out of reading order")
            continue
        pos = found + 1
    return problems


def _content_pages(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """The marked content of the structure tree in reading order, as (page number, kind):
    kind is the heading or table caption the content belongs to (e.g. ``"/H3"``), else ""."""
    numbers = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    out: list[tuple[int, str]] = []
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[pikepdf.Dictionary, str, str, int]] = [
        (c, "", "/StructTreeRoot", 0) for c in reversed(_kids(root))
    ]
    while stack:
        elem, kind, parent, depth = stack.pop()
        key = elem.objgen
        if key != (0, 0):
            if key in seen or depth > _MAX_DEPTH:
                continue
            seen.add(key)
        s = str(elem.get("/S"))
        if not kind and (s in _HEADINGS or (s == "/Caption" and parent == "/Table")):
            kind = s
        k = elem.get("/K")
        items = list(k) if isinstance(k, pikepdf.Array) else ([] if k is None else [k])
        pg = elem.get("/Pg")
        if pg is not None and any(isinstance(i, int) for i in items):
            out.append((numbers.get(pg.objgen, 0), kind))
        stack.extend((c, kind, s, depth + 1) for c in reversed(_kids(elem)))
    return out


def _stranded(pdf: pikepdf.Pdf) -> list[str]:
    """Headings and table captions that end a page, what follows them being on the next."""
    content = _content_pages(pdf)
    problems = []
    for i, (page, kind) in enumerate(content):
        if not kind or i + 1 >= len(content):
            continue
        nxt_page, nxt_kind = content[i + 1]
        if nxt_kind != kind and nxt_page > page:
            what = "a table caption" if kind == "/Caption" else f"a heading ({kind[1:]})"
            problems.append(f"page {page}: {what} is the last thing on the page")
    return problems


def _fragments(page: object) -> list[tuple[float, float, float, str]]:
    """The text drawn on a pypdf page as (x, y, font size, text), in points: the page's own
    text, not the text inside images drawn on it (an SVG chart is a form XObject whose text
    pypdf reports in the image's own coordinates, not the page's; an image is scaled to fit
    the page, so its text cannot run off it). Reads a page of a reader opened for the check:
    the page's XObject resources are dropped from it."""
    import logging

    resources = page.get("/Resources")  # type: ignore[attr-defined]
    if resources is not None and "/XObject" in resources.get_object():
        del resources.get_object()["/XObject"]
    out: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[0] * cm[0]) or 1.0
            out.append((x, y, size * scale, text))

    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "Impossible to decode XFormObject": the images, dropped
    try:
        page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    finally:
        quiet.setLevel(level)
    return out


_FOOTER = re.compile(r"Page \d+ of \d+")


def _check_page_text(path: Path) -> list[str]:
    """The footer on one line, no text off the page, page 1 not nearly blank."""
    from pypdf import PdfReader

    problems = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        width = float(page.mediabox.width)
        height = float(page.mediabox.height)
        frags = _fragments(page)
        footer: dict[int, str] = {}
        for _, y, _, text in frags:
            if y < FOOTER_BAND:
                footer[round(y)] = f"{footer.get(round(y), '')} {text}"
        lines = [_norm(t) for t in footer.values()]
        if any("Page" in t for t in lines) and not any(_FOOTER.search(t) for t in lines):
            problems.append(f"page {number}: the footer wraps ({' / '.join(sorted(lines))!r})")
        for x, _, size, text in frags:
            end = x + CHAR_EM * size * len(text.strip())
            if x >= width or end > width:
                problems.append(f"page {number}: text runs off the page: {_norm(text)[:40]!r}")
                break
        if number == 1:
            body = [y for _, y, _, _ in frags if y >= FOOTER_BAND]
            top = height - FOOTER_BAND  # the running header's band mirrors the footer's
            if body and (top - min(body)) / (top - FOOTER_BAND) < FIRST_PAGE_FILL:
                problems.append(f"page 1 is nearly blank (its text ends at {min(body):.0f} pt)")
    return problems


def layout_problems(path: Path) -> list[str]:
    """The print-layout problems of the PDF at ``path`` (see the module docstring)."""
    path = Path(path)
    with pikepdf.open(path) as pdf:
        problems = _stranded(pdf)
    return problems + _check_page_text(path)


#: Link targets a published PDF may hold: the web, mail, and files beside it (relative).
LOCAL_SCHEMES: tuple[str, ...] = ("file:", "data:", "javascript:")


def _check_links(pdf: pikepdf.Pdf) -> list[str]:
    """Each link annotation's target: a ``file:`` URL (a path on the machine that built the
    PDF, e.g. its temporary build folder) is both a leak and a dead link for every reader;
    a relative name (a document published beside the PDF) or a web address is fine."""
    out = []
    for n, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", None) or []:
            action = annot.get("/A") or {}
            uri = str(action.get("/URI", "")) if "/URI" in action else ""
            if uri.strip().lower().startswith(LOCAL_SCHEMES):
                out.append(f"page {n}: a link to {uri[:80]!r} (a local path, not a published file)")
    return out


def check_pdf(
    path: Path,
    expected_headings: Sequence[str] = (),
    title: str | None = None,
    lang: str = LANG,
) -> list[str]:
    """The accessibility problems of the PDF at ``path``; an empty list means all checks pass.

    Args:
        path: the PDF.
        expected_headings: headings that must appear, as lines of the extracted text, in this
            order (e.g. the report's section titles).
        title: the expected document title (``None``: any non-empty title).
        lang: the expected document language.
    """
    path = Path(path)
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return [f"cannot open {path.name} as a PDF: {exc}"]
    with pdf:
        problems = _check_catalogue(pdf, title, lang)
        problems += _check_figures(pdf)
        problems += _check_pages(pdf)
        problems += _stranded(pdf)
        problems += _check_links(pdf)
    problems += _check_text(path, expected_headings)
    problems += _check_page_text(path)
    return problems


def pdfua_shortfalls(path: Path) -> list[str]:
    """Known PDF/UA-1 shortfalls of WeasyPrint's tagged output found in ``path`` (see the
    module docstring): orphaned marked content (page margin boxes neither tagged nor
    artifacts), and captions whose parent is not a Table or Figure."""
    out = []
    with pikepdf.open(Path(path)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return ["no structure tree"]
        elems = list(struct_elements(pdf))
        reachable = {e.objgen for e, _ in elems}
        orphans: dict[int, int] = {}
        tree = root.get("/ParentTree")
        nums = tree.get("/Nums") if tree is not None else None
        for i in range(0, len(nums or []) - 1, 2):
            value = nums[i + 1]
            if not isinstance(value, pikepdf.Array):
                continue  # an annotation's entry (StructParent), not a page's marked content
            for item in value:
                if isinstance(item, pikepdf.Dictionary) and item.objgen not in reachable:
                    orphans[int(nums[i]) + 1] = orphans.get(int(nums[i]) + 1, 0) + 1
        if orphans:
            out.append(
                "marked content neither in the structure tree nor an artifact (page margin "
                f"boxes): {sum(orphans.values())} item(s) on {len(orphans)} page(s)"
            )
        bad = sum(
            1
            for e, parent in elems
            if e.get("/S") == "/Caption" and parent not in ("/Table", "/Figure")
        )
        if bad:
            out.append(f"{bad} caption(s) whose parent is not a Table or Figure")
    return out


def toc_headings(html_path: Path) -> list[str]:
    """The section titles listed in a report's contents (``nav[aria-label="Contents"]``)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(Path(html_path).read_text(encoding="utf-8"), "html.parser")
    nav = soup.find("nav", attrs={"aria-label": "Contents"})
    return [_norm(a.get_text(" ")) for a in nav.find_all("a")] if nav else []


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m wres_utils.checks.pdfcheck PDF_OR_FOLDER...``: exit 1 if any PDF has problems."""
    args = list(sys.argv[1:] if argv is None else argv)
    pdfs: list[Path] = []
    for a in map(Path, args):
        pdfs.extend(sorted(a.rglob("*.pdf")) if a.is_dir() else [a])
    if not pdfs:
        print(
            "usage: python -m wres_utils.checks.pdfcheck PDF_OR_FOLDER... (none found)",
            file=sys.stderr,
        )
        return 2
    failed = 0
    for pdf in pdfs:
        html = pdf.with_suffix(".html")
        problems = check_pdf(pdf, toc_headings(html) if html.exists() else ())
        failed += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {pdf}")
        for p in problems:
            print(f"     {p}")
        for s in pdfua_shortfalls(pdf) if not problems else []:
            print(f"     (WeasyPrint PDF/UA shortfall, not failing) {s}")
    print(f"{len(pdfs)} PDF(s) checked, {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
