"""A small SVG writer for the report's charts: text, rectangles, lines, markers, hatching.

The charts (:mod:`wres_utils.report.charts`) are written as SVG strings by hand: no plotting
library, a few milliseconds per chart, and the same image in the HTML page and in the PDF
(WeasyPrint draws SVG as vector graphics and real text). The rules kept here:

- **Text is text.** Every string is XML-escaped (:func:`esc`: ``<``, ``>``, ``&``, quotes) and
  characters XML 1.0 forbids are replaced, so a label such as ``</text><script>`` or ``]]>``
  stays a label and the document always parses as XML. No markup, entity or CDATA is ever
  built from data.
- **Deterministic.** Numbers are written with at most two decimals (:func:`num`); the ids of
  hatching patterns are derived from their content (CRC-32), never from ``hash()`` or a
  counter shared between charts: the same chart gives byte-identical SVG in any process.
- **Self-contained.** No ``href``, ``<image>``, ``<use>``, ``<foreignObject>``, style sheet
  or script: an SVG in an ``<img>`` cannot run script or fetch anything anyway, and
  WeasyPrint's fetcher (:mod:`wres_utils.report.pdffetch`) serves ``data:`` URLs only.
- **Scales.** A ``viewBox`` with the natural width and height in user units (CSS pixels): the
  page's ``max-width: 100%; height: auto`` shrinks it on a phone, and it stays sharp at any
  zoom. Text widths are estimated (:func:`text_width`, generous: 0.6 em a character) to
  leave room for labels, and long labels are wrapped (:func:`wrap`).
"""

from __future__ import annotations

import base64
import html
import re
import textwrap
import zlib
from collections.abc import Sequence

#: The report's font stack (templates/wres/static/wres.css), quoted for an XML attribute.
FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"
#: Estimated advance of an average character, in em (Arial's is about 0.5; generous).
CHAR_EM = 0.6
#: The XML namespace of SVG.
SVG_NS = "http://www.w3.org/2000/svg"

# Characters XML 1.0 does not allow (C0 controls but tab/newline/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(text: object) -> str:
    """``text`` safe inside an XML element or a double-quoted attribute."""
    return html.escape(_NOT_XML.sub("\ufffd", str(text)), quote=True)


def num(v: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros (``12``, ``3.5``)."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` at font size ``size`` (user units)."""
    return len(text) * size * CHAR_EM


def wrap(text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` user units (at least one line)."""
    chars = max(8, int(width / (size * CHAR_EM)))
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


def pattern_id(fill: str, hatch: str) -> str:
    """A stable id for the pattern of ``fill`` hatched with ``hatch`` (CRC-32 of both)."""
    return f"h{zlib.crc32(f'{fill}|{hatch}'.encode()):08x}"


def _pattern(fill: str, hatch: str, ink: str = "#FFFFFF") -> str:
    """A ``<pattern>``: ``fill`` with white ``hatch`` on top (``///``, ``...``, ``xx``)."""
    s = 8
    body = f'<rect width="{s}" height="{s}" fill="{esc(fill)}"/>'
    line = f'stroke="{ink}" stroke-width="1.5" fill="none"'
    if hatch == "///":
        body += f'<path d="M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6" {line}/>'
    elif hatch == "xx":
        body += f'<path d="M0,0 L8,8 M0,8 L8,0" {line}/>'
    elif hatch == "...":
        dot = f'r="1.3" fill="{ink}"'
        body += f'<circle cx="2" cy="2" {dot}/><circle cx="6" cy="6" {dot}/>'
    return (
        f'<pattern id="{pattern_id(fill, hatch)}" width="{s}" height="{s}" '
        f'patternUnits="userSpaceOnUse">{body}</pattern>'
    )


class Svg:
    """An SVG document built element by element; :meth:`render` gives the string."""

    def __init__(self, width: float, height: float, title: str = ""):
        self.width = width
        self.height = height
        self.title = title
        self._defs: dict[str, str] = {}
        self._body: list[str] = []

    # -- paint

    def fill(self, colour: str, hatch: str = "") -> str:
        """The ``fill`` value of ``colour`` hatched with ``hatch`` (a pattern when hatched)."""
        if not hatch:
            return colour
        pid = pattern_id(colour, hatch)
        self._defs.setdefault(pid, _pattern(colour, hatch))
        return f"url(#{pid})"

    # -- shapes

    def _add(self, tag: str, attrs: dict[str, object], content: str | None = None) -> None:
        """Append ``<tag attrs/>`` (or with escaped ``content``); attributes whose value is
        None or False are left out, numbers are written by :func:`num`, strings escaped."""
        parts = []
        for k, v in attrs.items():
            if v is None or v is False:
                continue
            value = num(v) if isinstance(v, float | int) and not isinstance(v, bool) else v
            parts.append(f'{k}="{esc(value)}"')
        head = f"<{tag} {' '.join(parts)}"
        self._body.append(f"{head}/>" if content is None else f"{head}>{content}</{tag}>")

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str,
        stroke: str | None = None,
        cls: str | None = None,
        tip: str | None = None,
    ) -> None:
        """A rectangle; ``tip`` (a display string) becomes its ``<title>``."""
        attrs: dict[str, object] = {"x": x, "y": y, "width": max(w, 0), "height": max(h, 0)}
        attrs |= {"fill": fill, "stroke": stroke, "stroke-width": 0.75 if stroke else None}
        attrs["class"] = cls
        self._add("rect", attrs, None if tip is None else f"<title>{esc(tip)}</title>")

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        stroke: str,
        width: float = 1.0,
        dash: str | None = None,
        cls: str | None = None,
    ) -> None:
        attrs: dict[str, object] = {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke}
        attrs |= {"stroke-width": width, "stroke-dasharray": dash, "class": cls}
        self._add("line", attrs)

    def marker(
        self, shape: str, x: float, y: float, size: float, fill: str, cls: str | None = None
    ) -> None:
        """A point marker centred on (x, y): ``o`` circle, ``s`` square, ``^`` triangle,
        ``D`` diamond (shapes tell series apart without colour)."""
        r = size / 2
        paint: dict[str, object] = {"fill": fill, "stroke": "#FFFFFF", "stroke-width": 0.75}
        paint["class"] = cls
        if shape == "s":
            r *= 0.9
            self._add("rect", {"x": x - r, "y": y - r, "width": 2 * r, "height": 2 * r} | paint)
            return
        if shape == "^":
            r *= 1.15
            pts = [(x, y - r), (x + r, y + 0.8 * r), (x - r, y + 0.8 * r)]
        elif shape == "D":
            r *= 1.15
            pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
        else:
            self._add("circle", {"cx": x, "cy": y, "r": r} | paint)
            return
        points = " ".join(f"{num(px)},{num(py)}" for px, py in pts)
        self._add("polygon", {"points": points} | paint)

    # -- text

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float = 13,
        anchor: str = "start",
        fill: str = "#212B32",
        bold: bool = False,
        italic: bool = False,
        cls: str | None = None,
        rotate: bool = False,
    ) -> None:
        """One line of text with its baseline at ``y`` (``anchor``: start, middle, end);
        ``rotate`` turns it a quarter to read upwards from (x, y)."""
        attrs: dict[str, object] = {"x": x, "y": y, "font-size": size, "fill": fill}
        attrs |= {
            "text-anchor": anchor if anchor != "start" else None,
            "font-weight": bold and "bold",
            "font-style": italic and "italic",
            "transform": rotate and f"rotate(-90 {num(x)} {num(y)})",
            "class": cls,
        }
        self._add("text", attrs, esc(text))

    def lines(
        self,
        x: float,
        y: float,
        lines: Sequence[str],
        size: float = 13,
        leading: float = 1.25,
        **kw: object,
    ) -> float:
        """Several lines, the first baseline at ``y``; returns the y below the last line."""
        for i, ln in enumerate(lines):
            self.text(x, y + i * size * leading, ln, size=size, **kw)  # type: ignore[arg-type]
        return y + len(lines) * size * leading

    # -- output

    def render(self) -> str:
        """The SVG document (UTF-8 text, no XML declaration)."""
        w, h = num(self.width), num(self.height)
        head = (
            f'<svg xmlns="{SVG_NS}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="{FONT_FAMILY}" role="img">'
        )
        title = f"<title>{esc(self.title)}</title>" if self.title else ""
        defs = "<defs>" + "".join(self._defs[k] for k in sorted(self._defs)) + "</defs>"
        background = f'<rect width="{w}" height="{h}" fill="#FFFFFF"/>'
        body = "".join(self._body)
        return f"{head}{title}{defs if self._defs else ''}{background}{body}</svg>"


def data_uri(svg: str) -> str:
    """``svg`` as a ``data:image/svg+xml;base64,`` URL (for an ``<img src>``)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (about ``n`` of them): 1, 2, 2.5 or 5
    times a power of ten apart."""
    import math

    if top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def tick_label(v: float) -> str:
    """A tick value as printed: no trailing zeros (``0``, ``2.5``, ``0.8``)."""
    return f"{v:.2f}".rstrip("0").rstrip(".")


def svg_text(svg: str | bytes) -> list[str]:
    """The text a reader sees in an SVG (every ``<text>``, ``<title>`` and ``<desc>``).

    The document is parsed with the standard library's expat; one with a ``<!DOCTYPE`` or
    ``<!ENTITY`` (never written by :class:`Svg`) is refused with ``ValueError`` rather than
    expanded.
    """
    import xml.etree.ElementTree as ET

    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise ValueError("an SVG with a DOCTYPE or an entity declaration")
    root = ET.fromstring(raw)
    out = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
        if tag in ("text", "title", "desc"):
            t = "".join(el.itertext()) if tag == "text" else (el.text or "")
            if t.strip():
                out.append(t)
    return out
