"""Rendering: executed notebooks to self-contained HTML, the combined report, its PDF, the index.

This is the ONE rendering module (the pipeline calls only these functions; another engine, e.g.
Quarto, could be added later behind the same signatures). It never executes notebooks.

- :func:`notebook_to_html`: one executed notebook to HTML with the project's nbconvert template
  (``templates/wres``): no code, no prompts, images embedded, nothing loaded from the internet.
- :func:`combine_notebooks`: a unit's executed notebooks merged, in order, into one notebook.
- :func:`report_html`: the combined report as ONE self-contained HTML file with a table of
  contents, exactly one ``<h1>`` (the report title), ``lang="en-GB"``.
- :func:`report_pdf`: WeasyPrint PDF of that HTML (A4, "Page N of M", a page break before each
  section, bookmarks from headings, title and language metadata, tagged PDF/UA-1 with image
  alt text).
- :func:`year_index`: ``reports/<year>/index.html`` linking every unit's outputs.

Heading levels: the report title is the only ``<h1>``; each notebook should use ``##`` for its
section title and ``###`` below it. A notebook that uses ``#`` headings anyway has all its
markdown headings shifted down one level when rendered (``#`` becomes ``##``, ``##`` becomes
``###``, ...), so that its outline is kept under the report title; any other ``<h1>`` that
reaches the HTML (e.g. from a cell output) becomes an ``<h2>``.

Every function writes to the path it is given and nowhere else.
"""

from __future__ import annotations

import copy
import hashlib
import html
import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from wres_utils.report import outputs, reader, safetext

#: The folder holding the nbconvert template ``wres`` (and its CSS).
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
TEMPLATE_NAME = "wres"
CSS_PATH = TEMPLATES_DIR / TEMPLATE_NAME / "static" / "wres.css"
#: The extra stylesheet of the documents beside the report (the action plan, the filled
#: template as PDF: :mod:`wres_utils.report.documents`), inlined after ``wres.css`` in their
#: pages only: landscape PDF pages, long words broken.
DOCUMENT_CSS_PATH = TEMPLATES_DIR / TEMPLATE_NAME / "static" / "documents.css"
LANG = "en-GB"
#: Cells with these tags are not rendered (papermill's parameters cells, and opt-out cells).
DROP_TAGS: frozenset[str] = frozenset({"parameters", "injected-parameters", "remove-cell"})
#: Tag given by :func:`combine_notebooks` to the first cell of each notebook (a PDF page break).
SECTION_TAG = "wres-section-start"
#: The PDF variant asked of WeasyPrint (tagged, PDF/UA-1), when the installed version has it.
PDF_VARIANT = "pdf/ua-1"

_FENCE = re.compile(r"^\s*(```|~~~)")
_ATX = re.compile(r"^(#{1,6})(\s|$)")


# --------------------------------------------------------------------------- notebooks


def _has_h1(source: str) -> bool:
    in_fence = False
    for line in source.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and re.match(r"^#(\s|$)", line):
            return True
    return False


def demote_headings(source: str) -> str:
    """Shift every ATX markdown heading in ``source`` down one level (``#`` -> ``##``, ...).

    Lines inside fenced code blocks are left alone; ``######`` stays at level 6.
    """
    out = []
    in_fence = False
    for line in source.splitlines(keepends=True):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            m = _ATX.match(line)
            if m and len(m.group(1)) < 6:
                line = "#" + line
        out.append(line)
    return "".join(out)


def _prepare(nb: NotebookNode, prefix: str, section_start: bool) -> list[NotebookNode]:
    """The cells of ``nb`` to render: dropped tags removed, fresh ids, headings demoted."""
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    demote = any(_has_h1(c.source) for c in md)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & DROP_TAGS:
            continue
        new = copy.deepcopy(cell)
        new["id"] = f"{prefix}-{len(cells) + 1}"
        if new.cell_type == "markdown" and demote:
            new.source = demote_headings(new.source)
        cells.append(new)
    if cells and section_start:
        first = cells[0]
        tags = list(first.metadata.get("tags", []))
        first.metadata["tags"] = [*tags, SECTION_TAG]
    return cells


def _read(nb_path: Path) -> NotebookNode:
    return nbformat.read(Path(nb_path), as_version=4)


def combine_notebooks(nb_paths: Sequence[Path], title: str) -> NotebookNode:
    """Merge a unit's executed notebooks, in order, into one notebook (outputs kept).

    Parameters cells (tags ``parameters``, ``injected-parameters``, ``remove-cell``) are
    dropped; every cell gets a fresh, deterministic id (``nb<i>-<j>``); a notebook that uses
    ``#`` headings has its headings shifted down one level; the first cell of each notebook is
    tagged ``wres-section-start`` (a page break in the PDF). The kernel and language metadata
    are the first notebook's; ``metadata.title`` is ``title``.
    """
    if not nb_paths:
        raise ValueError("combine_notebooks: no notebooks given")
    combined = nbformat.v4.new_notebook()
    for i, path in enumerate(nb_paths, start=1):
        nb = _read(path)
        if i == 1:
            for key in ("kernelspec", "language_info"):
                if key in nb.metadata:
                    combined.metadata[key] = copy.deepcopy(nb.metadata[key])
        combined.cells.extend(_prepare(nb, f"nb{i}", section_start=True))
    combined.metadata["title"] = title
    combined.nbformat, combined.nbformat_minor = 4, max(5, combined.nbformat_minor)
    nbformat.validate(combined)
    return combined


# --------------------------------------------------------------------------- HTML


def _exporter():  # -> HTMLExporter (import kept local: nbconvert is slow to import)
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        # The notebook is validated once, after every preprocessor, not after each of them
        # (13 validations a chapter otherwise; the result is the same).
        optimistic_validation=True,
        # Off on purpose: every output is cleaned by safetext.sanitise_outputs (nh3 allow-list)
        # before export, and the page is checked after (docs/security.md).
        sanitize_html=False,
    )


def _slug(text: str) -> str:
    s = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    s = re.sub(r"[\s_-]+", "-", s)
    return s or "section"


def _postprocess(page: str) -> str:
    """Tidy the exported page: one h1, unique heading ids, no pilcrow links, the contents."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for a in soup.select("a.anchor-link"):
        a.decompose()
    main = soup.find("main") or soup.body or soup
    for h in main.find_all("h1"):
        h.name = "h2"
    headings = main.find_all(["h2", "h3", "h4", "h5", "h6"])
    heading_objs = {id(h) for h in headings}
    used = {el["id"] for el in soup.find_all(id=True) if id(el) not in heading_objs}
    used |= {"report-title", "contents", "main", "contents-heading"}
    entries = []
    renamed: dict[str, str] = {}
    for h in headings:
        old = h.get("id")
        base = _slug(old or h.get_text(" ", strip=True))
        hid, n = base, 1
        while hid in used:
            n += 1
            hid = f"{base}-{n}"
        used.add(hid)
        h["id"] = hid
        if old and old not in renamed:
            renamed[old] = hid  # the first heading of that name keeps the links to it
        if h.name == "h2":
            entries.append((hid, h.get_text(" ", strip=True)))
    for a in main.find_all("a", href=True):
        if a["href"].startswith("#") and a["href"][1:] in renamed:
            a["href"] = "#" + renamed[a["href"][1:]]
    nav = soup.find("nav", id="contents")
    if nav is not None:
        nav.clear()
        if len(entries) >= 2:
            heading = soup.new_tag("h2", id="contents-heading")
            heading.string = "Contents"
            ol = soup.new_tag("ol")
            for hid, text in entries:
                li = soup.new_tag("li")
                a = soup.new_tag("a", href=f"#{hid}")
                a.string = text
                li.append(a)
                ol.append(li)
            nav.append(heading)
            nav.append(ol)
        else:
            nav.decompose()
    safetext.add_csp(soup, our_styles(), our_scripts())
    page = str(soup)
    _refuse_live_content(page)
    return page


def our_styles() -> list[str]:
    """The inline styles the package writes: its stylesheet (as nbconvert inlines it) and
    the documents' extra one (:data:`DOCUMENT_CSS_PATH`)."""
    css = CSS_PATH.read_text(encoding="utf-8")
    doc = DOCUMENT_CSS_PATH.read_text(encoding="utf-8")
    return [css, css.strip(), doc, doc.strip()]


def our_scripts() -> list[str]:
    """The inline scripts the package writes: the reader controls' (:mod:`reader`), nothing
    else; every page's CSP allows exactly these, by hash."""
    return [reader.script_text()]


#: Digests of pages this process has found clean: the same text is not parsed again when it
#: is printed to PDF right after being written as HTML (report.html, then report.pdf).
_CLEAN_PAGES: set[bytes] = set()


def _refuse_live_content(page: str) -> None:
    """Raise ``ValueError`` when a page holds anything live the package did not write."""
    key = hashlib.sha256(page.encode("utf-8")).digest()
    if key in _CLEAN_PAGES:
        return
    problems = safetext.page_problems(page, our_styles(), our_scripts())
    if problems:
        raise ValueError("refusing to publish a page with " + "; ".join(problems[:5]))
    if len(_CLEAN_PAGES) >= 64:
        _CLEAN_PAGES.clear()
    _CLEAN_PAGES.add(key)


#: One configured exporter per thread: building one compiles the template (about 0.1 s of
#: CPU, more than exporting a chapter); exporting keeps no state between notebooks.
_EXPORTERS = threading.local()


def _configured_exporter():  # -> HTMLExporter
    """This thread's exporter, with the tag-removing preprocessor (built on first use)."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = _exporter()
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags=set(DROP_TAGS), enabled=True), enabled=True
        )
        _EXPORTERS.exporter = exporter
    return exporter


def warm_up() -> None:
    """Pay rendering's one-off costs now (imports, the exporter and its compiled template):
    for a process that will render many units, e.g. a render worker."""
    import weasyprint  # noqa: F401

    exporter = _configured_exporter()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Warm-up")]
    resources = {
        "metadata": {"name": "", "path": "."},
        "wres": {"title": "", "synthetic": False, "lang": LANG},
    }
    exporter.from_notebook_node(nb, resources=resources)


def _export(nb: NotebookNode, title: str, synthetic: bool, base_dir: Path) -> str:
    exporter = _configured_exporter()
    resources = {
        "metadata": {"name": title, "path": str(base_dir)},
        "wres": {"title": title, "synthetic": bool(synthetic), "lang": LANG},
    }
    body, _ = exporter.from_notebook_node(safetext.sanitise_outputs(nb), resources=resources)
    return _postprocess(body)


def write_page(text: str, out_path: Path) -> Path:
    """Write a page atomically: a reader never sees it empty or half-written."""
    from wres_utils.core.atomic import write_text

    return write_text(out_path, text)


def notebook_to_html(nb_path: Path, out_path: Path, title: str, synthetic: bool) -> Path:
    """Render one executed notebook to a self-contained HTML page at ``out_path``.

    Code and prompts are hidden, images are embedded, the page's one ``<h1>`` is ``title``,
    and a "SYNTHETIC DATA" banner is shown when ``synthetic``. Returns ``out_path``.
    """
    nb_path = Path(nb_path)
    nb = _read(nb_path)
    nb.cells = _prepare(nb, "c", section_start=False)
    nb.metadata["title"] = title
    page = _export(nb, title, synthetic, nb_path.parent)
    if Path(out_path).parent.name == "notebooks":  # a chapter page, one folder below the unit's
        for name in outputs.FILE_NAMES:
            page = page.replace(f'href="{name}"', f'href="../{name}"')
    return write_page(page, out_path)


def report_html(nb_paths: Sequence[Path], out_path: Path, title: str, synthetic: bool) -> Path:
    """Render a unit's executed notebooks as ONE self-contained HTML report at ``out_path``.

    The report has a table of contents (``<nav aria-label="Contents">`` linking every section
    heading), exactly one ``<h1>`` (``title``), sections as ``<h2>``, ``lang="en-GB"``.
    Returns ``out_path``.
    """
    nb = combine_notebooks(nb_paths, title)
    return write_page(_export(nb, title, synthetic, Path(nb_paths[0]).parent), out_path)


# --------------------------------------------------------------------------- PDF


def _pdf_options() -> dict[str, object]:
    """WeasyPrint options for an accessible PDF, as far as the installed version offers."""
    import weasyprint

    opts = getattr(weasyprint, "DEFAULT_OPTIONS", {})
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:  # pragma: no cover - old WeasyPrint
        VARIANTS = {}
    if PDF_VARIANT in VARIANTS and "pdf_variant" in opts:
        return {"pdf_variant": PDF_VARIANT}
    if "pdf_tags" in opts:  # pragma: no cover - WeasyPrint without PDF/UA
        return {"pdf_tags": True}
    return {}  # pragma: no cover


def _offline_fetcher():  # -> weasyprint URLFetcher
    """A WeasyPrint URL fetcher that serves only what the package ships (never the web).

    See :mod:`wres_utils.report.pdffetch`: ``data:`` URLs and files under ``wres_utils/templates``;
    anything else (another ``file:`` path, any network URL) is refused.
    """
    from wres_utils.report.pdffetch import shipped_only_fetcher

    return shipped_only_fetcher(TEMPLATES_DIR)


def report_pdf(html_path: Path, pdf_path: Path, title: str) -> Path:
    """Print ``html_path`` to an accessible PDF at ``pdf_path`` with WeasyPrint.

    A4 pages numbered "Page N of M", a page break before each section, bookmarks from the
    headings, document title ``title`` and language en-GB in the metadata, and a tagged
    PDF/UA-1 structure in which each image carries its alt text. Nothing is fetched from
    the web and no file outside the package's templates is read (:mod:`wres_utils.report.pdffetch`);
    a page with live content, or a PDF that would carry an attachment, is refused
    (``ValueError``). Returns ``pdf_path``.
    """
    html_path = Path(html_path)
    source = html_path.read_text(encoding="utf-8")
    return html_pdf(source, pdf_path, title)


def html_pdf(source: str, pdf_path: Path, title: str) -> Path:
    """Print the page ``source`` to an accessible PDF at ``pdf_path``: :func:`report_pdf` for
    a page that is not (or not yet) a file.

    No base URL is given: a relative link (a document published beside the PDF, e.g.
    ``action-plan.pdf``) stays relative in the PDF, as in the HTML, instead of becoming a
    ``file:`` URL of the temporary build folder (a dead link that also names the machine's
    paths); the page needs no file of its own (styles inline, images embedded)."""
    import weasyprint

    pdf_path = Path(pdf_path)
    options = _pdf_options()
    # WeasyPrint warns about screen-only CSS it ignores and about its font subsetter; quiet
    # those for the duration of the call (errors, e.g. an image without alt text, still show).
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        _refuse_live_content(source)
        doc = weasyprint.HTML(
            string=source,
            base_url=None,
            url_fetcher=_offline_fetcher(),
        ).render(**options)
        doc.metadata.title = title
        doc.metadata.lang = LANG
        doc.metadata.generator = "wres_utils (WeasyPrint)"
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        doc.write_pdf(pdf_path, attachments=[], **options)
        from wres_utils.report.pdffetch import pdf_attachments

        found = pdf_attachments(pdf_path)
        if found:
            pdf_path.unlink()
            raise ValueError(f"{pdf_path}: refusing to publish a PDF with attachments {found}")
    finally:
        logger.setLevel(level)
    return pdf_path


# --------------------------------------------------------------------------- index


def _page_title(path: Path) -> str:
    """The ``<title>`` of an HTML file, or a readable version of its name."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        head = ""
    m = re.search(r"<title>(.*?)</title>", head, re.S | re.I)
    if m and m.group(1).strip():
        return html.unescape(m.group(1).strip())
    return re.sub(r"^\d+[_-]", "", path.stem).replace("_", " ").capitalize()


def page_html(title: str, body: str, synthetic: bool, document: bool = False) -> str:
    """A page of the package's own (the year index, the publication page, the documents
    beside the report): the report's chrome, CSS, reader controls, CSP and language around
    ``body`` (markup the caller has escaped). ``document`` adds the documents' stylesheet
    (:data:`DOCUMENT_CSS_PATH`)."""
    styles = [CSS_PATH.read_text(encoding="utf-8")]
    if document:
        styles.append(DOCUMENT_CSS_PATH.read_text(encoding="utf-8"))
    banner = (
        '<div class="wres-banner wres-banner-top" role="note"><strong>SYNTHETIC DATA</strong>: '
        "every figure in these reports is made up, for testing and demonstration only.</div>"
        if synthetic
        else ""
    )
    e = html.escape
    body_class = ' class="synthetic"' if synthetic else ""
    csp = safetext.content_security_policy([f"\n{css}" for css in styles], our_scripts())
    style = "".join(f"<style>\n{css}</style>\n" for css in styles)
    return (
        f'<!DOCTYPE html>\n<html lang="{LANG}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{e(title)}</title>\n{style}{reader.head_html()}\n</head>\n"
        f"<body{body_class}>\n{reader.controls_html()}\n{banner}\n"
        f'<header class="report-header"><h1 id="report-title">{e(title)}</h1></header>\n'
        f'<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def year_index(year_dir: Path, units: list[tuple[str, str]], synthetic: bool) -> Path:
    """Write ``year_dir/index.html``: one entry per unit linking its outputs (relative links).

    ``units`` are ``(folder, name)`` pairs: ``folder`` is the unit's folder under ``year_dir``
    (holding ``report.html``, ``report.pdf``, the other documents of
    :data:`outputs.DOCUMENTS` and ``notebooks/*.html``), ``name`` its display name. Files are
    linked, with their format and size, when they exist (call this after the unit outputs are
    written); a missing report is said to be missing. Returns the index path.
    """
    year_dir = Path(year_dir)
    year = year_dir.name
    e = html.escape
    items = []
    for folder, name in units:
        unit_dir = year_dir / folder
        links = []
        for fname, what, fmt in outputs.DOCUMENTS:
            path = unit_dir / fname
            if path.is_file():
                text = outputs.described(path, what, fmt)
                links.append(f'<li><a href="{e(folder)}/{fname}">{e(text)}</a></li>')
            elif fname.startswith("report."):
                links.append(f"<li>{e(what)} ({fmt}): not produced</li>")
        if (year_dir.parent / folder / "index.html").is_file():  # report.publication's page
            links.append(
                f'<li><a href="../{e(folder)}/index.html">Every year\'s WRES reports</a></li>'
            )
        chapters = sorted((unit_dir / "notebooks").glob("*.html"))
        if chapters:
            prefix = _page_title(unit_dir / "report.html") + " - "
            sub = "".join(
                f'<li><a href="{e(folder)}/notebooks/{e(p.name)}">'
                f"{e(_page_title(p).removeprefix(prefix))}</a></li>"
                for p in chapters
            )
            links.append(f"<li>Chapters, one page each:<ul>{sub}</ul></li>")
        items.append(f"<li><h2>{e(name)}</h2><ul>{''.join(links)}</ul></li>")
    for_year = f" for {e(year)}" if year.isdigit() else ""
    intro = (
        f"<p>Workforce Race Equality Standard (WRES) reports{for_year}, one per organisation "
        "or joint group. Each report is a web page and a PDF with the same content.</p>"
    )
    body = (
        f'{intro}\n<ul class="unit-list">{"".join(items)}</ul>'
        if items
        else "<p>No reports were produced.</p>"
    )
    title = f"WRES {year} reports" if year.isdigit() else "WRES reports"
    return write_page(page_html(title, body, synthetic), year_dir / "index.html")
