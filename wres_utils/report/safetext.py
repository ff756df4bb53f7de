"""Text is text: the one place where strings from params, action plans or data meet markup.

Every string that comes from outside the package (organisation and group names, labels,
header fields, action-plan text, values read from extracts) is *text*. This module is how it
reaches a page:

- :func:`escape_html` and :func:`escape_markdown`: a string shown literally, in HTML or inside
  Markdown that the package writes (``**{name}**``): ``<img onerror=...>`` is shown as those
  characters, never parsed.
- :func:`markdown_subset`: action-plan text, where a small Markdown subset is wanted
  (paragraphs, ``**bold**``, ``*italic*``, ``-`` and ``1.`` lists, `` `code` ``, and
  ``[links](https://...)``). Raw HTML in it is escaped; headings, tables, images, block
  quotes and rules are escaped too (they would change the report's outline).
- :func:`clean_html`: the allow-list (nh3) every HTML or Markdown *output* of a notebook
  passes through at render time (:func:`sanitise_outputs`), whatever produced it.
- :func:`content_security_policy` and :func:`page_problems`: the page-level rules. Every page
  the package writes carries a Content-Security-Policy that forbids remote loads and every
  script and style but its own (by hash); :func:`page_problems` finds anything live in a page
  (script, event handler, ``javascript:`` URL, frame, foreign style, attachment link). The
  renderer refuses to publish such a page and ``wres audit`` fails on it.

See ``docs/security.md``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from typing import Any

import nh3

from wres_utils.core.inputchecks import CONTROL_CHARS
from wres_utils.report import outputs

# --------------------------------------------------------------------------- escaping

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def escape_html(text: object) -> str:
    """``text`` as literal HTML text (``&``, ``<``, ``>``, quotes escaped)."""
    return html.escape("" if text is None else str(text), quote=True)


def _flatten(text: str) -> str:
    """Control characters and line breaks as single spaces (a name is one line)."""
    return re.sub(r"\s+", " ", CONTROL_CHARS.sub(" ", text)).strip()


def escape_markdown(text: object) -> str:
    """``text`` as literal text inside Markdown the package writes (a name, a label).

    HTML characters become entities and every Markdown metacharacter is backslash-escaped,
    so the rendered result shows exactly the characters of ``text`` (on one line).
    """
    s = _flatten("" if text is None else str(text))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


_BLOCK_START = re.compile(r"^(\s*)(#|>|=+\s*$|[-*_](\s*[-*_]){2,}\s*$|\|)")


def markdown_subset(text: object) -> str:
    """Action-plan text as Markdown limited to the documented subset (see module docstring).

    Raw HTML is shown as text (``<``, ``>`` and ``&`` become entities), images (``![``) are
    shown as text, and lines that would start a heading, block quote, rule or table are
    escaped. Links survive here and are restricted to ``https:``, ``http:`` and ``mailto:``
    by :func:`clean_html` when the output is rendered.
    """
    s = CONTROL_CHARS.sub(" ", "" if text is None else str(text))
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("![", r"\![")
    lines = []
    for line in s.splitlines():
        m = _BLOCK_START.match(line.replace("&gt;", ">"))
        if m:
            line = m.group(1) + "\\" + line[len(m.group(1)) :]
        # setext heading underlines ("---" or "===" under a line)
        if re.fullmatch(r"\s*(-+|=+)\s*", line):
            line = "\\" + line.strip()
        lines.append(line)
    return "\n".join(lines)


# --------------------------------------------------------------------------- allow-list

#: Elements an output may contain: text structure, tables, figures with embedded images.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "br", "caption", "code", "dd", "div", "dl", "dt", "em", "figcaption",
        "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
        "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "ul",
    }
)  # fmt: skip
#: Attributes kept (any other, notably every ``on*`` handler and ``style``, is removed).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {
        "class",
        "id",
        "role",
        "lang",
        "title",
        "aria-label",
        "aria-labelledby",
        "aria-describedby",
        "aria-hidden",
    },
    # The tables' named scroll regions (report.tables) are reached by keyboard.
    "div": {"tabindex"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    # A data cell names its column: the stylesheet shows it on a narrow screen (report.tables).
    "td": {"colspan", "rowspan", "data-label"},
    "table": {"aria-describedby"},
    "ol": {"start"},
}
#: Elements removed together with their content.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "noscript",
     "template", "svg", "math", "textarea", "select", "title"}
)  # fmt: skip
#: URL schemes a link may use.
LINK_SCHEMES: tuple[str, ...] = ("https:", "http:", "mailto:")
#: Relative links a page may keep: the unit's own documents, in the same folder, by exact
#: name (e.g. a commissioning unit's report links its commissioner's view). Nothing else
#: relative survives (no path, no ``..``, no query).
SIBLING_DOCUMENTS: frozenset[str] = outputs.FILE_NAMES
#: Images must be embedded: ``data:`` URLs of these types only. An SVG is allowed as an
#: image (the charts, :mod:`wres_utils.report.charts`): in an ``<img>`` a browser runs no
#: script and loads nothing an SVG refers to, and WeasyPrint's fetcher serves ``data:`` URLs
#: and the package's own files only (:mod:`wres_utils.report.pdffetch`). Inline ``<svg>``
#: elements are still removed with their content (:data:`DROPPED_WITH_CONTENT`).
IMAGE_DATA_PREFIXES: tuple[str, ...] = (
    "data:image/png;base64,",
    "data:image/jpeg;base64,",
    "data:image/gif;base64,",
    "data:image/svg+xml;base64,",
)


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    v = value.strip()
    low = re.sub(r"[\s\x00-\x1f]", "", v).lower()
    if attr == "href":
        if low.startswith("#") or low.startswith(LINK_SCHEMES) or v in SIBLING_DOCUMENTS:
            return v
        return None
    if attr == "src":
        return v if low.startswith(IMAGE_DATA_PREFIXES) else None
    return value


def clean_html(fragment: str) -> str:
    """``fragment`` reduced to the allow-list (:data:`ALLOWED_TAGS`, :data:`ALLOWED_ATTRIBUTES`).

    Scripts, styles, frames, objects and SVG are removed with their content; event
    handlers, ``style`` and ``rel`` attributes are removed; links keep only ``#``,
    ``https:``, ``http:`` and ``mailto:`` targets and the unit's own documents by name
    (:data:`SIBLING_DOCUMENTS`; ``rel="noopener noreferrer"`` added);
    images keep only embedded PNG, JPEG, GIF or SVG ``data:`` URLs (base64). Comments are
    removed.
    """
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes={"https", "http", "mailto", "data"},
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def markdown_to_html(markdown: str) -> str:
    """Markdown (as a notebook output) to HTML, then through :func:`clean_html`."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return clean_html(markdown2html_mistune(markdown))


#: Output MIME types kept by :func:`sanitise_outputs` (after cleaning); any other is dropped
#: (JavaScript, widgets, SVG, LaTeX, PDF, unknown types).
KEPT_MIME: frozenset[str] = frozenset({"text/html", "image/png", "image/jpeg", "text/plain"})


def sanitise_outputs(nb: Any) -> Any:
    """Clean every display output of notebook ``nb`` in place (and return it).

    A ``text/markdown`` output becomes ``text/html`` through :func:`markdown_to_html`; a
    ``text/html`` output goes through :func:`clean_html`; other rich types than
    :data:`KEPT_MIME` are dropped. Streams and errors are escaped by the template itself.
    """
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = out.get("data", {}) or {}
            new: dict[str, Any] = {}
            if "text/html" in data:
                new["text/html"] = clean_html(_join(data["text/html"]))
            elif "text/markdown" in data:
                new["text/html"] = markdown_to_html(_join(data["text/markdown"]))
            for mime in ("image/png", "image/jpeg", "text/plain"):
                if mime in data:
                    new[mime] = data[mime]
            out["data"] = new
    return nb


def _join(v: object) -> str:
    return "".join(v) if isinstance(v, list) else str(v)


# --------------------------------------------------------------------------- page policy


def csp_hash(content: str) -> str:
    """The CSP source expression of an inline ``<style>``/``<script>``: ``'sha256-...'``."""
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(styles: Iterable[str] = (), scripts: Iterable[str] = ()) -> str:
    """The Content-Security-Policy of a page whose only inline styles/scripts are given.

    Nothing may be loaded from anywhere (``default-src 'none'``) except embedded ``data:``
    images; styles and scripts run only when their SHA-256 is listed (no script at all when
    ``scripts`` is empty); no ``<base>``, no form submission, no plugin.
    """
    style_src = " ".join(sorted({csp_hash(s) for s in styles})) or "'none'"
    script_src = " ".join(sorted({csp_hash(s) for s in scripts})) or "'none'"
    return (
        f"default-src 'none'; img-src data:; style-src {style_src}; script-src {script_src}; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def add_csp(soup: Any, allowed_styles: Iterable[str], allowed_scripts: Iterable[str] = ()) -> None:
    """Give a parsed page (BeautifulSoup) its CSP ``<meta>`` as the first element of ``<head>``.

    Every ``<style>`` element whose text is not one of ``allowed_styles`` is removed first
    (a style the package did not write never reaches a reader); every ``<script>`` too, but
    for the package's own inline scripts (``allowed_scripts``, e.g. the reader controls),
    which the policy then allows by their SHA-256 and nothing else.
    """
    allowed = {s.strip() for s in allowed_styles}
    own_scripts = set(allowed_scripts)
    scripts = []
    for el in soup.find_all("script"):
        if el.get("src") is None and (el.string or "") in own_scripts:
            scripts.append(el.string or "")
        else:
            el.decompose()
    kept = []
    for el in soup.find_all("style"):
        text = el.string or ""
        if text.strip() in allowed:
            kept.append(text)
        else:
            el.decompose()
    for el in soup.find_all("meta", attrs={"http-equiv": True}):
        if el["http-equiv"].lower() == "content-security-policy":
            el.decompose()
    head = soup.find("head")
    if head is None:
        return
    meta = soup.new_tag("meta")
    meta["http-equiv"] = "Content-Security-Policy"
    meta["content"] = content_security_policy(kept, scripts)
    charset = head.find("meta", charset=True)
    if charset is not None:
        charset.insert_after(meta)
    else:
        head.insert(0, meta)


_JS_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.I)
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc")
_FRAMES = ("iframe", "frame", "frameset", "object", "embed", "applet", "portal")


def _norm_url(value: str) -> str:
    return re.sub(r"[\x00-\x20]", "", html.unescape(value))


def page_problems(
    source: str,
    allowed_styles: Iterable[str] = (),
    allowed_scripts: Iterable[str] = (),
    *,
    fragment: bool = False,
) -> list[str]:
    """What is live in an HTML page that the package did not put there.

    Returns one sentence per problem: a ``<script>`` other than the package's own inline
    scripts (``allowed_scripts``: the reader controls; never one with ``src``); an event
    handler attribute (``on...``); a ``javascript:``/``vbscript:``/``data:text/html`` URL; a
    frame, object or embed; a ``<style>`` whose text is not one of ``allowed_styles`` (the
    package's CSS); a ``<link>`` (attachments, stylesheets); a ``<base>``; a ``<meta
    http-equiv="refresh">``; a remote image or an inline ``style`` attribute loading a URL;
    and (unless ``fragment``, e.g. a notebook output) a missing or permissive
    Content-Security-Policy. An empty list means the page is safe.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source, "html.parser")
    allowed = {s.strip() for s in allowed_styles}
    problems: list[str] = []
    own_scripts = set(allowed_scripts)
    for el in soup.find_all("script"):
        if el.get("src") is None and (el.string or "") in own_scripts:
            continue
        problems.append(f"a <script> element ({(el.string or el.get('src') or '')[:60]!r})")
    for el in soup.find_all(_FRAMES):
        problems.append(f"an <{el.name}> element (src {str(el.get('src', ''))[:60]!r})")
    for el in soup.find_all("style"):
        if (el.string or "").strip() not in allowed:
            problems.append(f"a <style> element not from the template ({(el.string or '')[:60]!r})")
    for el in soup.find_all(["link", "base"]):
        problems.append(
            f"a <{el.name}> element ({' '.join(f'{k}={v}' for k, v in el.attrs.items())[:80]})"
        )
    for el in soup.find_all("meta"):
        if str(el.get("http-equiv", "")).lower() == "refresh":
            problems.append("a <meta http-equiv=refresh> element")
    for el in soup.find_all(True):
        for attr, value in el.attrs.items():
            v = " ".join(value) if isinstance(value, list) else str(value)
            if attr.lower().startswith("on"):
                problems.append(f"an event handler {attr}= on <{el.name}>")
            elif attr.lower() in _URL_ATTRS and _JS_URL.match(_norm_url(v)):
                problems.append(f"a script URL in {attr}= on <{el.name}> ({v[:40]!r})")
            elif attr.lower() == "src" and not _norm_url(v).lower().startswith("data:"):
                problems.append(f"<{el.name} src={v[:60]!r}> loads a resource (not embedded)")
            elif attr.lower() == "style" and re.search(r"url\s*\(|expression\s*\(", v, re.I):
                problems.append(f"a style attribute loading a URL on <{el.name}>")
            elif attr.lower() == "rel" and "attachment" in v.lower():
                problems.append(f"an attachment link on <{el.name}>")
    if fragment:
        return problems
    csp = [
        m
        for m in soup.find_all("meta")
        if str(m.get("http-equiv", "")).lower() == "content-security-policy"
    ]
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        policy = str(csp[0].get("content", ""))
        allowed_src = {csp_hash(s) for s in own_scripts} | {"'none'"}
        script_src = re.search(r"script-src ([^;]*)", policy)
        if (
            "default-src 'none'" not in policy
            or "unsafe-inline" in policy
            or script_src is None
            or not set(script_src.group(1).split()) <= allowed_src
        ):
            problems.append(f"a permissive Content-Security-Policy ({policy[:80]!r})")
    return problems


# --------------------------------------------------------------------------- notebook display


def text_html(text: object) -> str:
    """Plain ``text`` as HTML paragraphs (split at blank lines), every character literal."""
    s = CONTROL_CHARS.sub(" ", "" if text is None else str(text)).strip()
    paras = [p for p in re.split(r"\n\s*\n", s) if p.strip()]
    return "".join(f"<p>{escape_html(' '.join(p.split()))}</p>" for p in paras)


def show_text(text: object) -> None:
    """Display plain ``text`` in a notebook as HTML paragraphs (see :func:`text_html`)."""
    from IPython.display import HTML, display

    display(HTML(text_html(text)))


def show_markdown(markdown: str) -> None:
    """Display Markdown the *package* wrote, as cleaned HTML (:func:`markdown_to_html`).

    Strings from params, action plans or data inside it must have been passed through
    :func:`escape_markdown` (or :func:`markdown_subset` for action-plan text) first.
    """
    from IPython.display import HTML, display

    display(HTML(markdown_to_html(markdown)))


def show_text_heading(text: object, level: int = 3) -> None:
    """Display ``text`` (e.g. a title holding params labels) as an ``<h{level}>`` heading."""
    from IPython.display import HTML, display

    level = min(max(int(level), 2), 6)
    display(HTML(f"<h{level}>{escape_html(_flatten(str(text)))}</h{level}>"))
