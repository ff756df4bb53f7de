"""Reading (:func:`read_table`): CSV in UTF-8, UTF-8 with BOM or Windows-1252 (as Excel writes
them), or XLSX (first sheet or a named one). Leading lines starting with ``#`` (the synthetic
data marker) and blank leading lines are skipped; line numbers stay the file's own, so every
:class:`~wres_utils.core.errors.Issue` names the line a spreadsheet or editor shows. Column
names are normalised (strip, lower case, runs of spaces/hyphens -> ``_``) after the params
``columns`` mapping. Everything is read as text. (A quoted value spanning several lines makes
later line numbers of that CSV off by the extra lines; ESR extracts have none.) NUL bytes,
broken XLSX parts and formulas without a cached value are errors naming file, sheet and cell.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from wres_utils.core import inputchecks
from wres_utils.core.errors import InputError, Issue
from wres_utils.core.params import SHOWN_CHARS, shorten

#: A cell (or column name) longer than this is an error, whatever the column.
MAX_CELL_CHARS = 1000


def normalise_column(name: object) -> str:
    """``" Org Code "`` -> ``org_code``; ``"Ethnic-Origin"`` -> ``ethnic_origin``."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _rename(names: list[str], columns: dict[str, str] | None) -> list[str]:
    mapping = columns or {}
    exact = {str(k).strip(): v for k, v in mapping.items()}
    loose = {normalise_column(k): v for k, v in mapping.items()}
    out = []
    for n in names:
        n = str(n).strip()
        target = exact.get(n, loose.get(normalise_column(n)))
        out.append(normalise_column(target if target is not None else n))
    return out


def _split_preamble(body: bytes) -> tuple[int, int]:
    """(byte offset of the header line, number of leading '#' or blank lines)."""
    pos = skipped = 0
    while pos < len(body):
        end = body.find(b"\n", pos)
        nxt = len(body) if end == -1 else end + 1
        line = body[pos:nxt].strip()
        if line and not line.startswith(b"#"):
            break
        pos, skipped = nxt, skipped + 1
    return pos, skipped


def _decode(body: bytes, path: Path, first_line: int) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError:
        line = first_line + body.count(b"\n", 0, utf8_error.start)
        byte = body[utf8_error.start : utf8_error.start + 1]
        raise InputError(
            [
                Issue(
                    path,
                    line,
                    None,
                    repr(byte),
                    "text in UTF-8 or Windows-1252 (save the file as 'CSV UTF-8' from Excel)",
                )
            ]
        ) from None


def _read_csv_bytes(raw: bytes, path: Path) -> tuple[list[str], pd.DataFrame, int]:
    """Header names, data rows (index = line numbers) and header line of CSV bytes."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:65536]:
        kind = "UTF-16 text" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "binary data"
        raise InputError(
            [
                Issue(
                    path,
                    None,
                    None,
                    kind,
                    "a CSV file in UTF-8 or Windows-1252 (save it as 'CSV UTF-8' from Excel)",
                )
            ]
        )
    nul = inputchecks.nul_issue(raw, path)
    if nul is not None:
        raise InputError([nul])
    if raw.startswith(b"PK\x03\x04"):
        raise InputError(
            [Issue(path, None, None, "an XLSX workbook", "a CSV file (or name the file .xlsx)")]
        )
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    body = re.sub(rb"\r(?!\n)", b"\n", body)  # old Mac line ends (CR only) are line ends too
    pos, skipped = _split_preamble(body)
    header_line = skipped + 1
    if pos >= len(body):
        raise InputError(
            [Issue(path, None, None, None, "a header line and data (the file is empty)")]
        )
    text = _decode(body[pos:], path, header_line)
    try:
        table = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        if m:
            issue = Issue(
                path,
                int(m.group(2)) + skipped,
                None,
                f"{m.group(3)} fields",
                f"{m.group(1)} fields as in the header (check quotes and separators)",
            )
        elif "EOF inside string" in str(e):
            issue = Issue(
                path,
                _unclosed_quote_line(text, header_line),
                None,
                "a quote that is never closed",
                "each opening double quote closed on the same cell",
            )
        else:
            issue = Issue(path, None, None, None, f"a readable CSV file ({e})")
        raise InputError([issue]) from None
    names = [str(v) for v in table.iloc[0].tolist()]
    data = table.iloc[1:]
    data.index = pd.RangeIndex(header_line + 1, header_line + len(table))
    return names, data, header_line


def _unclosed_quote_line(text: str, first_line: int) -> int:
    """The file line on which the quote that is never closed in ``text`` opens."""
    line, opened, in_quote = first_line, first_line, False
    for ch in text:
        if ch == '"':
            in_quote = not in_quote  # a doubled quote "" toggles twice: no change
            if in_quote:
                opened = line
        elif ch == "\n":
            line += 1
    return opened


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def _read_xlsx_bytes(
    raw: bytes, path: Path, sheet: str | None
) -> tuple[list[str], pd.DataFrame, int]:
    """Header names, data rows (index = sheet row numbers) and header row of an XLSX file."""

    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # zip, XML, encryption...: any broken workbook is bad input
        part = inputchecks.broken_xlsx_part(raw)
        raise InputError(
            [Issue(path, None, None, part, f"a readable XLSX workbook ({_xlsx_reason(e)})")]
        ) from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise InputError(
                [
                    Issue(
                        path,
                        None,
                        None,
                        f"sheet {sheet!r}",
                        f"a sheet named {sheet!r}; the workbook has sheets {wb.sheetnames}",
                    )
                ]
            )
        try:
            rows = [[_cell_text(v) for v in r] for r in ws.iter_rows(min_row=1, values_only=True)]
            title = ws.title
            sheet_part = getattr(ws, "_worksheet_path", None)
            merged = _merged_ranges(raw, sheet_part)
        except Exception as e:  # a damaged sheet: name the file and the sheet
            raise InputError(
                [
                    Issue(
                        path,
                        None,
                        None,
                        f"sheet {ws.title!r}",
                        f"a readable sheet ({_xlsx_reason(e)})",
                    )
                ]
            ) from None
    finally:
        wb.close()
    header_idx = 0
    while header_idx < len(rows):
        cells = [c.strip() for c in rows[header_idx]]
        if any(cells) and not cells[0].startswith("#"):
            break
        header_idx += 1
    if header_idx >= len(rows):
        raise InputError(
            [Issue(path, None, None, None, "a header row and data (the sheet is empty)")]
        )
    header_line = header_idx + 1
    issues = _merged_issues(merged, header_line, path, title)
    issues += _uncached_issues(raw, sheet_part, rows[header_idx], header_line, path, title)
    if issues:
        raise InputError(issues)
    names = rows[header_idx]
    width = len(names)
    body = [(r + [""] * width)[:width] for r in rows[header_idx + 1 :]]
    data = pd.DataFrame(body, columns=range(width), dtype=str)
    data.index = pd.RangeIndex(header_line + 1, header_line + 1 + len(body))
    return names, data, header_line


def _xlsx_reason(e: Exception) -> str:
    """A short reason for an unreadable workbook (encrypted member, bad XML, not a zip...)."""
    text = str(e)
    if "encrypted" in text.lower() or "password" in text.lower():
        return "it is encrypted or password-protected: save an unprotected copy"
    return shorten(f"{type(e).__name__}: {text}", 120)


def _merged_ranges(raw: bytes, sheet_part: str | None) -> list[str]:
    """The merged cell ranges (``A1:B1``) of a sheet, read from the sheet's XML in the archive
    (openpyxl's read-only mode, used for speed, does not give them)."""
    import zipfile

    if not sheet_part:
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            xml = z.read(sheet_part.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError):
        return []
    refs = re.findall(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"', xml)
    return [r.decode("ascii") for r in refs]


def _uncached_issues(
    raw: bytes,
    sheet_part: str | None,
    header: list[str],
    header_line: int,
    path: Path,
    sheet: str,
) -> list[Issue]:
    """An Issue for each formula cell of the table with no calculated value (read as '')."""
    from openpyxl.utils import column_index_from_string

    out = []
    for row, letters, formula in inputchecks.uncached_formulas(raw, sheet_part):
        if row < header_line:
            continue
        j = column_index_from_string(letters) - 1
        name = header[j].strip() if j < len(header) and header[j].strip() else letters
        out.append(
            Issue(
                path,
                row,
                shorten(name),
                shorten(formula),
                f"a value in cell {letters}{row} of sheet {sheet!r}: it holds a formula whose "
                "result was never calculated (open and save it in Excel, or paste values)",
            )
        )
    return out


def _merged_issues(merged: list[str], header_line: int, path: Path, sheet: str) -> list[Issue]:
    """An Issue for each merged range on or below the header row."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    issues = []
    for ref in merged:
        min_col, min_row, _, max_row = range_boundaries(ref)
        if max_row < header_line:
            continue  # a title above the header: harmless
        header = min_row <= header_line
        issues.append(
            Issue(
                path,
                header_line if header else min_row,
                get_column_letter(min_col),
                f"cells {ref} of sheet {sheet!r}",
                "merged header cells: unmerge them and give each column its own name"
                if header
                else "merged cells: unmerge them and fill in every cell",
            )
        )
    return issues


def _long_cells(names: list[str], data: pd.DataFrame, path: Path, header_line: int) -> list[Issue]:
    """An Issue for each column name or cell longer than :data:`MAX_CELL_CHARS`."""
    issues = []
    expected = f"at most {MAX_CELL_CHARS:,} characters in a cell (found {{n:,}})"
    for name in names:
        if len(name) > MAX_CELL_CHARS:
            issues.append(
                Issue(path, header_line, shorten(name), shorten(name), expected.format(n=len(name)))
            )
    for col in data.columns:
        lengths = data[col].str.len().to_numpy()
        for line in data.index[lengths > MAX_CELL_CHARS]:
            value = data.at[line, col]
            issues.append(
                Issue(path, int(line), col, shorten(value), expected.format(n=len(value)))
            )
    return issues


def cap_values(issues: list[Issue], limit: int = SHOWN_CHARS) -> list[Issue]:
    """The issues with every value cut to ``limit`` characters ("…" at the end)."""
    return [
        i if i.value is None or len(i.value) <= limit else replace(i, value=shorten(i.value, limit))
        for i in issues
    ]


def parse_bytes(
    raw: bytes, path: Path, sheet: str | None = None, columns: dict[str, str] | None = None
) -> tuple[pd.DataFrame, int]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        names, data, header_line = _read_xlsx_bytes(raw, path, sheet)
    else:
        if sheet is not None:
            raise InputError(
                [Issue(path, None, None, f"sheet {sheet!r}", "an XLSX file when a sheet is named")]
            )
        names, data, header_line = _read_csv_bytes(raw, path)
    names = _rename(names, columns)
    keep = [i for i, n in enumerate(names) if n != ""]
    seen: dict[str, int] = {}
    issues = []
    for i in keep:
        if names[i] in seen:
            issues.append(
                Issue(
                    path,
                    header_line,
                    shorten(names[i]),
                    shorten(names[i]),
                    "each column once (after matching "
                    "names case- and space-insensitively and applying params 'columns')",
                )
            )
        seen[names[i]] = i
    if issues:
        raise InputError(issues)
    data = data.iloc[:, keep]
    data.columns = [names[i] for i in keep]
    long = _long_cells([names[i] for i in keep], data, path, header_line)
    if long:
        raise InputError(long)
    if len(data.columns):
        blank = (data == "").all(axis=1).to_numpy()
        if blank.any():
            data = data[~blank]
    return data, header_line


def read_table(
    path: Path | str, sheet: str | None = None, columns: dict[str, str] | None = None
) -> tuple[pd.DataFrame, int]:
    """Read a CSV or XLSX input as text: (rows, header line number).

    The rows' index is each row's line number in the file (sheet row number in XLSX); blank
    rows are dropped. Column names are renamed by ``columns`` (file name -> contract name),
    then normalised by :func:`normalise_column`. Unreadable files (bad encoding, missing sheet,
    empty, ragged rows, repeated column) raise :class:`InputError`.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(
            [Issue(path, None, None, None, f"a readable file ({e.strerror})")]
        ) from None
    return parse_bytes(raw, path, sheet, columns)


# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------
