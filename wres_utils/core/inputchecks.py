"""Checks made where input enters: YAML without duplicate keys, text every output can hold,
dates of the WRES year, no NUL bytes, damaged or uncalculated XLSX parts.

(Numbers: the readers accept only the ASCII digits 0-9, by ``[0-9]`` in their patterns;
Python's ``\\d`` and ``int()`` would take Arabic-Indic or full-width digits as counts.)

Each function returns or raises problems that name the file, the line and the column and
say what was expected (see :mod:`wres_utils.core.errors` and
:class:`wres_utils.core.params.ParamsError`).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from wres_utils.core.errors import Issue

# --------------------------------------------------------------------------- YAML


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A YAML mapping gives the same key twice (the second would silently win)."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[override]
        seen: dict[object, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # the base class reports unhashable keys
            if key in seen:
                first = seen[key].start_mark
                raise DuplicateKeyError(
                    context=None,
                    context_mark=None,
                    problem=(
                        f"the key {str(key)!r} is given twice (first on line {first.line + 1}); "
                        "give each key once (a second one would silently replace the first)"
                    ),
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` that raises :class:`DuplicateKeyError` for a key given twice."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


def yaml_problem(e: yaml.YAMLError) -> str:
    """``"line L, column C: ..."`` for a YAML error (a duplicate key or a syntax error)."""
    mark = getattr(e, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    if isinstance(e, DuplicateKeyError):
        return f"{where}{e.problem}"
    return f"{where}not valid YAML ({getattr(e, 'problem', e)})"


# --------------------------------------------------------------------------- text

#: Characters no output can hold: C0/C1 controls other than tab, line feed, carriage return
#: (Word's Shift+Enter is ``\v``).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def char_name(ch: str) -> str:
    """A readable name for a character in a message: ``U+000B (vertical tab)``."""
    names = {"\v": "vertical tab, Word's Shift+Enter", "\f": "form feed", "\0": "NUL"}
    name = names.get(ch) or unicodedata.name(ch, "").lower()
    if unicodedata.category(ch) == "Cs":
        name = "an unpaired surrogate"
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def bad_char(text: str) -> tuple[int, str] | None:
    """(index, character) of the first character of ``text`` no output can hold, or None.

    Those are control characters other than tab and line breaks (NUL, ``\\v``...) and
    unpaired surrogates: an XLSX cell cannot hold them, a PDF or page shows them as boxes.
    """
    m = CONTROL_CHARS.search(text)
    first = m.start() if m else None
    for i, ch in enumerate(text if first is None else text[:first]):
        if 0xD800 <= ord(ch) <= 0xDFFF:
            return i, ch
    return (first, text[first]) if first is not None else None


def text_position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``index`` in ``text`` (``\\n``, ``\\r\\n`` or ``\\r`` lines)."""
    before = text[:index]
    lines = re.split(r"\r\n|\r|\n", before)
    return len(lines), len(lines[-1]) + 1


def raw_text_problem(text: str) -> str | None:
    """``"line L, column C: found U+000B ...; expected ..."`` for a file's raw text, or None."""
    hit = bad_char(text)
    if hit is None:
        return None
    line, col = text_position(text, hit[0])
    return (
        f"line {line}, column {col}: found {char_name(hit[1])}; expected text without control "
        "characters (use a plain line break; an XLSX cell or a PDF cannot hold this one)"
    )


def strings(obj: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (dotted key, string) in a structure loaded from YAML (keys included)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            sub = f"{key}.{k}" if key else str(k)
            if isinstance(k, str):
                yield sub, k
            yield from strings(v, sub)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from strings(v, f"{key}.{i}" if key else str(i))
    elif isinstance(obj, str):
        yield key, obj


def loaded_text_problems(obj: object) -> list[tuple[str, str]]:
    """(dotted key, message) for each loaded string no output can hold (e.g. ``"\\ud800"``)."""
    out = []
    for key, s in strings(obj):
        hit = bad_char(s)
        if hit is not None:
            out.append(
                (
                    key,
                    f"found {char_name(hit[1])} at character {hit[0] + 1}; expected text "
                    "without control characters or unpaired surrogates",
                )
            )
    return out


# --------------------------------------------------------------------------- files


def nul_issue(raw: bytes, path: Path, first_line: int = 1) -> Issue | None:
    """An :class:`Issue` at the line and column of the first NUL byte of ``raw``, or None."""
    at = raw.find(b"\x00")
    if at < 0:
        return None
    line_start = max(raw.rfind(b"\n", 0, at), raw.rfind(b"\r", 0, at)) + 1
    line = first_line + len(re.findall(rb"\r\n|\r|\n", raw[:line_start]))
    column = at - line_start + 1
    return Issue(
        path,
        line,
        f"character {column}",
        "a NUL byte",
        "text without NUL bytes (the file is damaged, or not a CSV)",
    )


# --------------------------------------------------------------------------- dates

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(value: str) -> dt.date | None:
    """A date written ``YYYY-MM-DD`` (a time after it is allowed) or ``DD/MM/YYYY``; else None.

    Only ASCII digits count; an impossible date (31/02/2021) is None.
    """
    v = value.strip()
    if not v.isascii():
        return None
    m = _ISO.fullmatch(v)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _UK.fullmatch(v)
        if not m:
            return None
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def wres_year_range(year: int) -> tuple[dt.date, dt.date]:
    """The data year of WRES ``year``: 1 April ``year - 1`` to 31 March ``year``."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def date_issues(values: Any, path: Path, column: str, year: int) -> list[Issue]:
    """Issues for the non-blank ``values`` (a Series indexed by line) that are not dates of
    the WRES year ``year``."""
    lo, hi = wres_year_range(year)
    expected = (
        f"a date from {lo:%d/%m/%Y} to {hi:%d/%m/%Y} (WRES {year}), "
        "written YYYY-MM-DD or DD/MM/YYYY"
    )
    out = []
    for line, v in values.items():
        s = str(v).strip()
        if not s:
            continue
        d = parse_date(s)
        if d is None or not lo <= d <= hi:
            shown = s if len(s) <= 60 else s[:59] + "…"  # as params.shorten
            out.append(Issue(path, int(line), column, shown, expected))
    return out


def broken_xlsx_part(raw: bytes) -> str | None:
    """Which part of an XLSX archive is damaged: ``"sheet 'Name'"``, ``"workbook.xml"``...

    Each XML member is parsed; the first that is not well-formed is named (a worksheet by its
    sheet name when ``workbook.xml`` can still be read). None when every part parses.
    """
    import io
    import xml.etree.ElementTree as ET
    import zipfile

    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return None
    names: dict[str, str] = {}
    try:
        wb = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets |= {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
        for name, rid in re.findall(r'<sheet\b[^>]*name="([^"]*)"[^>]*r:id="([^"]+)"', wb):
            target = targets.get(rid, "").lstrip("/")
            names["xl/" + target if not target.startswith("xl/") else target] = name
    except (KeyError, RuntimeError, zipfile.BadZipFile):
        pass
    for info in z.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            ET.fromstring(z.read(info.filename))
        except RuntimeError:
            return f"{info.filename} (encrypted)"
        except (ET.ParseError, zipfile.BadZipFile, OSError, ValueError):
            if info.filename in names:
                return f"sheet {names[info.filename]!r} ({info.filename})"
            return info.filename
    return None


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?(v|is)\b[^>]*>(.*?)</(?:\w+:)?\1>", re.S)


def uncached_formulas(raw: bytes, sheet_part: str | None) -> list[tuple[int, str, str]]:
    """(row, column letters, formula) of each formula cell with no calculated value stored.

    A workbook written by a program other than Excel (or saved without recalculation) can hold
    formulas whose result was never computed; a reader then sees an empty cell.
    """
    import io
    import zipfile

    if not sheet_part:
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            xml = z.read(sheet_part.lstrip("/"))
    except (KeyError, RuntimeError, zipfile.BadZipFile, OSError):
        return []
    if b"<f" not in xml and b":f" not in xml:
        return []
    out = []
    for m in _CELL.finditer(xml):
        body = m.group(2) or b""
        f = _FORMULA.search(body)
        if f is None:
            continue
        v = _VALUE.search(body)
        if v is not None and v.group(2).strip():
            continue
        ref = _REF.search(m.group(1))
        if ref is None:
            continue
        formula = html.unescape((f.group(1) or b"").decode("utf-8", "replace"))
        out.append((int(ref.group(2)), ref.group(1).decode("ascii"), "=" + formula))
    return out
