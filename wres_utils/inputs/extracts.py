"""Loading and validation of every input of a WRES year, and the records -> counts step.

Reading (:func:`read_table`): CSV in UTF-8, UTF-8 with BOM or Windows-1252 (as Excel writes
them), or XLSX (first sheet or a named one). Leading lines starting with ``#`` (the synthetic
data marker) and blank leading lines are skipped; line numbers stay the file's own, so every
:class:`~wres_utils.core.errors.Issue` names the line a spreadsheet or editor shows.
Column names are
normalised (strip, lower case, runs of spaces/hyphens -> ``_``) after the params ``columns``
mapping. Everything is read as text. (A quoted value spanning several lines makes later line
numbers of that CSV off by the extra lines; ESR extracts have none.)

Validation (:func:`validate_extract`): pandera schemas check the *parsed* columns (codes,
booleans, numbers); the failures, and the checks across rows and columns, are collected into
Issues with file, line, column, the value found and what was expected: all of them, for every
file, before anything stops. Decisions, where the contract leaves room:

- Header only (no data rows) is an error for ``workforce`` (a year without staff in post
  cannot be reported) and means "zero events" for every other kind (no disciplinary cases,
  no training records, ...), which is a real and valid answer.
- Unrecognised pay band: kept, with band ``"Unrecognised"`` in the counts and reported in the
  data-quality summary with its values and count, as long as at most 5% of a file's rows have
  one (:data:`UNRECOGNISED_BAND_LIMIT`). Above that the file is probably using a coding the
  loader does not know, and each unrecognised spelling is an Issue (never guessed).
- Unreadable ethnicity code: never an error; the row counts as Unknown and the value is
  reported with its count (``unrecognised_values``).
- Training and disciplinary: one row per staff member; a repeated non-blank ``staff_id``
  within the file is dropped and reported as a duplicate, not an error.
  Workforce: a repeated ``staff_id`` is an error.
- Staff survey: ``yes`` wins over ``percent`` when both are given; from ``percent``,
  yes = percent x respondents / 100 rounded half up (12.5 -> 13), computed in decimal
  arithmetic so that "33.3" x 3 is exactly 0.999 -> 1.
- A hand-written counts file may sit beside extracts, but may not repeat a measure an
  extract of the same organisation gives.
- A cell longer than :data:`MAX_CELL_CHARS` is an error (no ESR field comes near it; a
  100,000-character cell is a broken export, and is not passed on to the checks that follow);
  values echoed in messages are cut to 60 characters with "…".
- XLSX: merged cells on or below the header row are an error (the merged value sits in the
  first cell only; the others read as blank, so a column would silently vanish).
- Counts that cannot be true together are errors: more appointed than shortlisted, more
  survey yes than respondents (both within a counts CSV), and more staff trained than in post
  in a group (training vs workforce headcount of the same organisation, across files).
- A params file pointing at another year's data: a folder of the path named after another
  year is caught by :func:`wres_utils.core.params.load_params`; here, by content, a counts file
  whose every row has another ``year`` or a staff survey file whose every row has another
  ``survey_year``: the first such issue also names the params file, line and key.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from wres_utils.core import bands, ethnicity, inputchecks
from wres_utils.core.errors import InputError, Issue
from wres_utils.core.params import SHOWN_CHARS, FileSpec, YearParams, key_line, shorten
from wres_utils.inputs.counts import (
    COUNT_COLUMNS,
    MEASURES_BY_KIND,
    UNRECOGNISED_BAND,
    empty_counts,
    normalise_dtypes,
    records_to_broad_counts,
    records_to_counts,
    sort_counts,
    validate_counts_frame,
)

#: Required columns of each extract (docs/data-contract.md section 1). Staff survey also needs
#: ``yes`` or ``percent``.
REQUIRED: dict[str, list[str]] = {
    "workforce": ["org_code", "staff_id", "ethnic_origin", "pay_band", "clinical"],
    "recruitment": ["org_code", "ethnic_origin", "shortlisted", "appointed"],
    "disciplinary": ["org_code", "ethnic_origin"],
    "training": ["org_code", "ethnic_origin"],
    "staff_survey": ["org_code", "survey_year", "indicator", "group", "respondents"],
    "board": ["org_code", "ethnic_origin", "voting", "executive"],
}
#: A cell (or column name) longer than this is an error, whatever the column.
MAX_CELL_CHARS = 1000
#: Above this share of rows with an unrecognised pay band, a workforce file is in error.
UNRECOGNISED_BAND_LIMIT = 0.05
#: Columns of :attr:`LoadedYear.quality`.
QUALITY_COLUMNS: list[str] = [
    "org_code",
    "kind",
    "file",
    "rows_read",
    "rows_kept",
    "unknown_ethnicity",
    "unrecognised_ethnicity",
    "unrecognised_band",
    "duplicates",
    "unrecognised_values",
    "unrecognised_band_values",
    "totals",
]
_BOOL_COLUMNS = {
    "recruitment": ("shortlisted", "appointed"),
    "board": ("voting", "executive"),
}


@dataclass
class LoadedYear:
    """A validated year: the counts table, the data-quality table and the input file hashes."""

    #: The counts table of every organisation of the year (data-contract section 2).
    counts: pd.DataFrame
    #: One row per organisation x input (kind): see :data:`QUALITY_COLUMNS`.
    quality: pd.DataFrame
    #: Input path (relative to the repository root, as in params) -> sha256, for the run log.
    files: dict[str, str] = field(default_factory=dict)
    #: Counts by the five broad ethnic groups (group Asian/Black/Mixed/Other/White/Unknown),
    #: from the same validated records: headcount (band x clinical), shortlisted, appointed,
    #: disciplinary, training. Organisations with only a hand-written counts file have none.
    broad_counts: pd.DataFrame = field(default_factory=empty_counts)


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------


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


def _parse_bytes(
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
    return _parse_bytes(raw, path, sheet, columns)


# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------


def _whole_numbers(values: pd.Series) -> pd.Series:
    """Int64 Series: integers written as digits (sign allowed), NA otherwise."""
    text = values.astype(str).str.strip()
    ok = text.str.fullmatch(r"[+-]?[0-9]{1,15}")
    return pd.Series(pd.array(np.where(ok, text, None), dtype="str"), index=values.index).astype(
        "Int64"
    )


def _decimals(values: pd.Series) -> pd.Series:
    """Float64 Series of decimal numbers ('%' allowed at the end), NA otherwise."""
    text = values.astype(str).str.strip().str.removesuffix("%").str.strip()
    ok = text.str.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")
    return pd.Series(pd.array(np.where(ok, text, None), dtype="str"), index=values.index).astype(
        "Float64"
    )


def _expected_text(kind: str, org_code: str, year: int) -> dict[str, str]:
    return {
        "org_code": f"{org_code} (the organisation this file is listed under in params)",
        "staff_id": "a staff_id on every row",
        "clinical": bands.CLINICAL_EXPECTED,
        "shortlisted": bands.BOOL_EXPECTED,
        "appointed": bands.BOOL_EXPECTED,
        "voting": bands.BOOL_EXPECTED,
        "executive": bands.BOOL_EXPECTED,
        "survey_year": f"{year - 1} (WRES {year} uses the staff survey of {year - 1})",
        "indicator": "5, 6, 7 or 8",
        "group": "White or BME",
        "respondents": "a whole number >= 0",
        "yes": "a whole number >= 0",
        "percent": "a percentage from 0 to 100",
    }


def parsed_schema(kind: str, org_code: str, year: int) -> pa.DataFrameSchema:
    """The pandera schema of an extract's *parsed* columns (see :func:`validate_extract`)."""
    cols: dict[str, pa.Column] = {
        "org_code": pa.Column(str, pa.Check.isin([org_code])),
    }
    if kind == "workforce":
        cols["staff_id"] = pa.Column(str, pa.Check.str_length(min_value=1))
        cols["clinical"] = pa.Column("boolean", nullable=False)
    for c in _BOOL_COLUMNS.get(kind, ()):
        cols[c] = pa.Column("boolean", nullable=False)
    if kind == "staff_survey":
        cols.update(
            survey_year=pa.Column("Int64", pa.Check.eq(year - 1)),
            indicator=pa.Column("Int64", pa.Check.isin([5, 6, 7, 8])),
            group=pa.Column(str, pa.Check.isin(["White", "BME"])),
            respondents=pa.Column("Int64", pa.Check.ge(0)),
            yes=pa.Column("Int64", pa.Check.ge(0), nullable=True),
            percent=pa.Column("Float64", pa.Check.in_range(0, 100), nullable=True),
        )
    return pa.DataFrameSchema(cols, strict=False)


def _schema_issues(
    schema: pa.DataFrameSchema,
    parsed: pd.DataFrame,
    raw: pd.DataFrame,
    path: Path,
    expected: dict[str, str],
) -> list[Issue]:
    try:
        schema.validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as e:
        fc = e.failure_cases
        fc = fc[fc["index"].notna() & fc["column"].notna()]
        issues = []
        for col, lines in fc.groupby("column", sort=True)["index"]:
            lines = lines.astype("int64").to_numpy()
            if col in raw.columns:
                values = raw[col].reindex(lines).to_numpy(dtype=object)
            else:
                values = [None] * len(lines)
            text = expected.get(col, "a valid value")
            issues += [
                Issue(path, int(line), col, None if v is None else str(v), text)
                for line, v in zip(lines, values, strict=True)
            ]
        issues.sort(key=lambda i: (i.line or 0, i.column or ""))
        return issues
    return []


def _value_summary(values: pd.Series, limit: int = 5) -> str:
    """``"'??' x3; 'White' x1"``: the commonest values first, at most ``limit``."""
    if values.empty:
        return ""
    vc = values.astype(str).str.strip().value_counts()
    vc = vc.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    parts = [f"{v!r} x{n}" for v, n in vc.head(limit).items()]
    if len(vc) > limit:
        parts.append(f"and {len(vc) - limit} more value(s)")
    return "; ".join(parts)


def _first_lines(keys: pd.DataFrame, dup: np.ndarray) -> np.ndarray:
    """For rows flagged ``dup`` (keep=False duplicates), the line of each key's first row."""
    sub = keys[dup]
    cols = list(keys.columns)
    return sub.assign(_line=sub.index).groupby(cols)["_line"].transform("min").to_numpy()


def validate_extract(
    kind: str,
    raw: pd.DataFrame,
    path: Path,
    header_line: int,
    org_code: str,
    year: int,
    executives_as_vsm: bool = False,
) -> tuple[pd.DataFrame, dict[str, object], list[Issue]]:
    """Validate one extract read by :func:`read_table`.

    Recruitment: ``appointed`` means an accepted offer (NHS England's national data leave out
    applicants offered a post who declined it). An extract whose ``appointed`` records the
    offer may add ``offer_accepted``: a row then counts as appointed only when both are yes
    (a declined offer stays shortlisted, not appointed); ``offer_accepted`` yes on a row not
    appointed is an error. Workforce: with ``executives_as_vsm`` (params), staff marked yes
    in the ``executive_director`` column are counted in the VSM row whatever their pay band
    (NHS England's row "VSM (including executive Board members)"); the column is then
    required.

    Returns (records, quality, issues): ``records`` are the parsed rows (``group``, and per
    kind ``band``, ``clinical``, ``shortlisted``, ``appointed``, ``voting``, ``executive``,
    ``indicator``, ``respondents``, ``yes``) ready for
    :func:`~wres_utils.inputs.counts.records_to_counts`; ``quality`` the data-quality figures of the
    file; ``issues`` every problem found (records are not to be used if there are any).
    """
    org_code = org_code.upper()
    issues: list[Issue] = []
    quality: dict[str, object] = {
        "rows_read": len(raw),
        "rows_kept": 0,
        "unknown_ethnicity": 0,
        "unrecognised_ethnicity": 0,
        "unrecognised_band": 0,
        "duplicates": 0,
        "unrecognised_values": "",
        "unrecognised_band_values": "",
        "totals": "",
    }
    required = REQUIRED[kind]
    missing = [c for c in required if c not in raw.columns]
    if kind == "staff_survey" and "yes" not in raw.columns and "percent" not in raw.columns:
        missing.append("yes or percent")
    if missing:
        need = ", ".join(required + (["yes or percent"] if kind == "staff_survey" else []))
        for c in missing:
            issues.append(
                Issue(
                    path,
                    header_line,
                    c,
                    None,
                    f"a {kind} file with columns {need} "
                    f"(this one is missing; found {', '.join(raw.columns)})",
                )
            )
        return pd.DataFrame(), quality, issues
    if raw.empty:
        if kind == "workforce":
            issues.append(
                Issue(
                    path,
                    header_line + 1,
                    None,
                    None,
                    "at least one row of staff in post (the file has only a header)",
                )
            )
            return pd.DataFrame(), quality, issues
    expected = _expected_text(kind, org_code, year)
    parsed = pd.DataFrame({"org_code": raw["org_code"].str.strip().str.upper()}, index=raw.index)
    if kind != "staff_survey":
        eth = ethnicity.classify(raw["ethnic_origin"])
        parsed["group"] = eth["group"]
        parsed["broad"] = eth["broad"]
        unrecognised = ~eth["recognised"].to_numpy()
        quality["unknown_ethnicity"] = int((eth["group"] == ethnicity.UNKNOWN).sum())
        quality["unrecognised_ethnicity"] = int(unrecognised.sum())
        quality["unrecognised_values"] = _value_summary(raw.loc[unrecognised, "ethnic_origin"])
    if kind == "workforce":
        parsed["staff_id"] = raw["staff_id"].str.strip()
        parsed["clinical"] = bands.parse_bools(raw["clinical"], clinical=True)
        band = bands.normalise_bands(raw["pay_band"])
        if executives_as_vsm and "executive_director" in raw.columns:
            # Executive Board members on another pay scale count as VSM (whatever the band
            # says, recognised or not); an unreadable flag is reported below.
            band = band.where(~bands.parse_bools(raw["executive_director"]).fillna(False), "VSM")
        bad_band = band.isna().to_numpy()
        n_bad = int(bad_band.sum())
        quality["unrecognised_band"] = n_bad
        quality["unrecognised_band_values"] = _value_summary(raw.loc[bad_band, "pay_band"])
        if n_bad and n_bad > UNRECOGNISED_BAND_LIMIT * len(raw):
            bad_vals = raw.loc[bad_band, "pay_band"].str.strip()
            firsts = bad_vals.reset_index().groupby("pay_band", sort=False)["index"].min()
            sizes = bad_vals.value_counts()
            for value, line in firsts.sort_values().items():
                issues.append(
                    Issue(
                        path,
                        int(line),
                        "pay_band",
                        value,
                        "a pay band such as Band 5, Band 8a, VSM or Consultant (this value: "
                        f"{int(sizes[value])} row(s) from this line on; unrecognised bands: "
                        f"{n_bad} of {len(raw)} rows, above the {UNRECOGNISED_BAND_LIMIT:.0%} "
                        "allowed)",
                    )
                )
        parsed["band"] = band.fillna(UNRECOGNISED_BAND)
    for c in _BOOL_COLUMNS.get(kind, ()):
        parsed[c] = bands.parse_bools(raw[c])
    optional_flag = {"recruitment": "offer_accepted", "workforce": "executive_director"}.get(kind)
    if optional_flag == "executive_director" and executives_as_vsm:
        if optional_flag not in raw.columns:
            issues.append(
                Issue(
                    path,
                    header_line,
                    optional_flag,
                    None,
                    "an executive_director column (yes for executive Board members), because "
                    "params executives_as_vsm is true",
                )
            )
    if optional_flag in raw.columns:
        text = raw[optional_flag].fillna("").astype(str).str.strip()
        flag = bands.parse_bools(raw[optional_flag])
        bad = ((text != "") & flag.isna()).to_numpy()
        for line in raw.index[bad]:
            issues.append(
                Issue(
                    path,
                    int(line),
                    optional_flag,
                    str(raw.at[line, optional_flag]),
                    bands.BOOL_EXPECTED,
                )
            )
        parsed[optional_flag] = flag.fillna(False).astype(bool)
    if kind == "staff_survey":
        parsed["survey_year"] = _whole_numbers(raw["survey_year"])
        parsed["indicator"] = _whole_numbers(raw["indicator"])
        parsed["group"] = (
            raw["group"].str.strip().str.lower().map({"white": "White", "bme": "BME"})
        ).astype("str")
        parsed["respondents"] = _whole_numbers(raw["respondents"])
        yes_raw = raw["yes"] if "yes" in raw.columns else pd.Series("", index=raw.index)
        pct_raw = raw["percent"] if "percent" in raw.columns else pd.Series("", index=raw.index)
        parsed["yes"] = _whole_numbers(yes_raw).where(yes_raw.str.strip() != "", pd.NA)
        parsed["percent"] = _decimals(pct_raw).where(pct_raw.str.strip() != "", pd.NA)
        # Blank-vs-unparseable: an unparseable yes/percent is an error, a blank one is not.
        for col, src in (("yes", yes_raw), ("percent", pct_raw)):
            unparsed = (src.str.strip() != "") & parsed[col].isna()
            for line in raw.index[unparsed.to_numpy()]:
                issues.append(Issue(path, int(line), col, str(src.at[line]), expected[col]))
    issues += _schema_issues(parsed_schema(kind, org_code, year), parsed, raw, path, expected)

    # Checks across rows and columns.
    keep = np.ones(len(raw), dtype=bool)
    if kind == "workforce":
        ids = parsed["staff_id"]
        dup = (ids.duplicated(keep=False) & (ids != "")).to_numpy()
        if dup.any():
            first = _first_lines(parsed[["staff_id"]], dup)
            for line, value, f in zip(raw.index[dup], raw.loc[dup, "staff_id"], first, strict=True):
                if line != f:
                    issues.append(
                        Issue(
                            path,
                            int(line),
                            "staff_id",
                            str(value),
                            f"each staff_id once per organisation (also on line {f})",
                        )
                    )
    if kind == "disciplinary" and "date_entered" in raw.columns:
        issues += inputchecks.date_issues(raw["date_entered"], path, "date_entered", year)
    if kind in ("disciplinary", "training") and "staff_id" in raw.columns:
        ids = raw["staff_id"].str.strip()
        dup = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
        quality["duplicates"] = int(dup.sum())
        keep &= ~dup
    if kind == "recruitment":
        wrong = (parsed["appointed"].fillna(False) & ~parsed["shortlisted"].fillna(True)).to_numpy()
        for line, app, short in zip(
            raw.index[wrong],
            raw["appointed"].to_numpy()[wrong],
            raw["shortlisted"].to_numpy()[wrong],
            strict=True,
        ):
            issues.append(
                Issue(
                    path,
                    int(line),
                    "appointed",
                    str(app),
                    f"appointed only if shortlisted (shortlisted is {short!r} on this line)",
                )
            )
        if "offer_accepted" in parsed.columns:
            app = parsed["appointed"].fillna(False).astype(bool)
            acc = parsed["offer_accepted"]
            for line in raw.index[(acc & ~app).to_numpy()]:
                issues.append(
                    Issue(
                        path,
                        int(line),
                        "offer_accepted",
                        str(raw.at[line, "offer_accepted"]),
                        "yes only for an applicant offered the post (appointed is "
                        f"{raw.at[line, 'appointed']!r} on this line)",
                    )
                )
            # Appointed = an accepted offer: a declined offer is shortlisted, not appointed.
            parsed["appointed"] = parsed["appointed"] & acc
    if kind == "staff_survey":
        no_value = ((yes_raw.str.strip() == "") & (pct_raw.str.strip() == "")).to_numpy()
        for line in raw.index[no_value]:
            issues.append(Issue(path, int(line), "yes", "", "yes or percent on every row"))
        over = (parsed["yes"] > parsed["respondents"]).fillna(False).to_numpy()
        for line in raw.index[over]:
            issues.append(
                Issue(
                    path,
                    int(line),
                    "yes",
                    str(raw.at[line, "yes"]),
                    f"at most respondents ({raw.at[line, 'respondents']})",
                )
            )
        key = parsed[["indicator", "group"]].astype(str)
        dup = key.duplicated(keep=False).to_numpy()
        if dup.any():
            first = _first_lines(key, dup)
            for line, f in zip(raw.index[dup], first, strict=True):
                if line != f:
                    issues.append(
                        Issue(
                            path,
                            int(line),
                            "indicator",
                            str(raw.at[line, "indicator"]),
                            f"one row per indicator and group (also on line {f})",
                        )
                    )
    quality["rows_kept"] = int(keep.sum())
    if issues:
        return pd.DataFrame(), quality, issues

    records = parsed[keep]
    if kind == "staff_survey":
        records = records.assign(
            indicator=records["indicator"].astype(str),
            respondents=records["respondents"].astype("int64"),
            yes=_survey_yes(records),
        )
    quality["totals"] = _totals(kind, records)
    return records, quality, issues


def survey_yes_from_percent(percent: str | float, respondents: int) -> int:
    """yes = percent x respondents / 100, rounded half up, in exact decimal arithmetic."""
    try:
        p = Decimal(str(percent).strip().removesuffix("%"))
    except InvalidOperation:
        raise ValueError(f"not a percentage: {percent!r}") from None
    return int((p * respondents / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _survey_yes(records: pd.DataFrame) -> pd.Series:
    out = []
    for yes, pct, n in zip(records["yes"], records["percent"], records["respondents"], strict=True):
        if yes is not pd.NA and not pd.isna(yes):
            out.append(int(yes))
        else:
            out.append(survey_yes_from_percent(repr(float(pct)), int(n)))
    return pd.Series(out, index=records.index, dtype="int64")


def _totals(kind: str, records: pd.DataFrame) -> str:
    """What the records add up to, per measure, for :func:`wres_utils.inputs.counts.reconcile`."""
    if kind == "recruitment":
        t = {
            "shortlisted": int(records["shortlisted"].sum()),
            "appointed": int(records["appointed"].sum()),
        }
    elif kind == "staff_survey":
        t = {
            "survey_respondents": int(records["respondents"].sum()),
            "survey_yes": int(records["yes"].sum()),
        }
    else:
        t = {MEASURES_BY_KIND[kind][0]: len(records)}
    return "; ".join(f"{k}={v}" for k, v in t.items())


# ------------------------------------------------------------------------------------------
# A year
# ------------------------------------------------------------------------------------------


def _other_year(values: pd.Series, expected: int) -> int | None:
    """The year every value gives, when it is one other year (2000-2100); else None."""
    found = set(values.astype(str).str.strip())
    if len(found) != 1:
        return None
    (only,) = found
    if re.fullmatch(r"[0-9]{4}", only) and 2000 <= int(only) <= 2100 and int(only) != expected:
        return int(only)
    return None


def _params_hint(
    issues: list[Issue], column: str, params: YearParams, key: str, what: str
) -> list[Issue]:
    """``issues`` with the first one about ``column`` also naming the params file, line and
    key that point at this file of another year's data (``what`` says why we think so)."""
    if params.source is None:
        return issues
    line = key_line(params.source, key)
    where = f"{params.source}, line {line}" if line else str(params.source)
    out = list(issues)
    for n, issue in enumerate(out):
        if issue.column == column:
            hint = f"{what}: does {where}, key {key}, point at another year's file?"
            out[n] = replace(issue, expected=f"{issue.expected}; {hint}")
            break
    return out


def _row_lines(raw: pd.DataFrame, measure: str) -> dict[str, int]:
    """Group -> first line of a counts file's rows of ``measure`` (for cross-file messages)."""
    if not {"measure", "group"} <= set(raw.columns):
        return {}
    sel = raw[raw["measure"].str.strip() == measure]
    out: dict[str, int] = {}
    for line, g in zip(sel.index, sel["group"].str.strip().str.lower(), strict=True):
        group = {"white": "White", "bme": "BME", "unknown": "Unknown"}.get(g)
        if group is not None and group not in out:
            out[group] = int(line)
    return out


def _load_counts_file(
    spec: FileSpec, path: Path, org_code: str, year: int
) -> tuple[pd.DataFrame, dict[str, object], list[Issue], str, dict[str, object]]:
    """(counts, quality, issues, sha256, facts): facts hold ``training_lines`` (group -> line
    of its training row) and ``year`` (the one other year every row has, or None)."""
    raw_bytes = path.read_bytes()
    sha = hashlib.sha256(raw_bytes).hexdigest()
    raw, header_line = _parse_bytes(raw_bytes, path, spec.sheet, spec.columns)
    issues: list[Issue] = []
    facts: dict[str, object] = {
        "training_lines": _row_lines(raw, "training"),
        "year": _other_year(raw["year"], year) if "year" in raw.columns and len(raw) else None,
    }
    if "org_code" in raw.columns:
        wrong = raw["org_code"].str.strip().str.upper() != org_code
        for line in raw.index[wrong.to_numpy()]:
            issues.append(
                Issue(
                    path,
                    int(line),
                    "org_code",
                    str(raw.at[line, "org_code"]),
                    f"{org_code} (the organisation this file is listed under)",
                )
            )
    if "year" in raw.columns:
        wrong = raw["year"].str.strip() != str(year)
        for line in raw.index[wrong.to_numpy()]:
            issues.append(
                Issue(
                    path,
                    int(line),
                    "year",
                    str(raw.at[line, "year"]),
                    f"{year} (the year of these params)",
                )
            )
    counts, more = validate_counts_frame(raw, path, header_line)
    issues += more
    quality = {
        "rows_read": len(raw),
        "rows_kept": len(raw) if not issues else 0,
        "unknown_ethnicity": 0,
        "unrecognised_ethnicity": 0,
        "unrecognised_band": 0,
        "duplicates": 0,
        "unrecognised_values": "",
        "unrecognised_band_values": "",
        "totals": "",
    }
    return counts, quality, issues, sha, facts


def load_year(params: YearParams, root: Path) -> LoadedYear:
    """Load and validate every input of a year and turn the records into counts.

    Every organisation's extracts (and hand-written counts CSV, if params give ``counts:``) are
    read and checked; ALL issues of ALL files are collected and raised together as
    :class:`InputError`. A kind absent from params is not collected (no rows for its measures).
    Record-level rows do not leave this function: only counts and data-quality figures do.
    """
    root = Path(root)
    issues: list[Issue] = []
    parts: list[pd.DataFrame] = []
    broad_parts: list[pd.DataFrame] = []
    quality_rows: list[dict[str, object]] = []
    files: dict[str, str] = {}
    for i_org, org in enumerate(params.organisations):
        measures_from_extracts: dict[str, Path] = {}
        # measure -> (file, column, group -> line, counts) for the training/headcount check
        sources: dict[str, tuple[Path, str, dict[str, int], pd.DataFrame]] = {}
        for kind, spec in org.files.items():
            path = root / spec.path
            try:
                raw_bytes = path.read_bytes()
            except OSError as e:
                issues.append(Issue(path, None, None, None, f"a readable file ({e.strerror})"))
                continue
            files[spec.path.as_posix()] = hashlib.sha256(raw_bytes).hexdigest()
            try:
                raw, header_line = _parse_bytes(raw_bytes, path, spec.sheet, spec.columns)
            except InputError as e:
                issues += e.issues
                continue
            del raw_bytes
            records, quality, found = validate_extract(
                kind, raw, path, header_line, org.code, params.year, params.executives_as_vsm
            )
            if kind == "staff_survey" and "survey_year" in raw.columns and len(raw):
                other = _other_year(raw["survey_year"], params.year - 1)
                if other is not None:
                    found = _params_hint(
                        found,
                        "survey_year",
                        params,
                        f"organisations.{i_org}.files.staff_survey",
                        f"every row has survey_year {other} (the staff survey of WRES {other + 1})",
                    )
            del raw
            quality_rows.append(
                {"org_code": org.code, "kind": kind, "file": spec.path.as_posix(), **quality}
            )
            if found:
                issues += found
                continue
            org_counts = records_to_counts(kind, records, org.code, params.year)
            parts.append(org_counts)
            if params.broad_groups:  # the optional view: not computed when it is off
                broad_parts.append(records_to_broad_counts(kind, records, org.code, params.year))
            if kind in ("workforce", "training"):
                firsts = records.assign(_line=records.index).groupby("group")["_line"].min()
                sources[MEASURES_BY_KIND[kind][0]] = (
                    path,
                    "ethnic_origin",
                    {str(g): int(n) for g, n in firsts.items()},
                    org_counts,
                )
            del records
            for m in MEASURES_BY_KIND[kind]:
                measures_from_extracts[m] = path
        if org.counts is not None:
            path = root / org.counts.path
            try:
                counts, quality, found, sha, facts = _load_counts_file(
                    org.counts, path, org.code, params.year
                )
            except InputError as e:
                issues += e.issues
                continue
            except OSError as e:
                issues.append(Issue(path, None, None, None, f"a readable file ({e.strerror})"))
                continue
            files[org.counts.path.as_posix()] = sha
            quality_rows.append(
                {
                    "org_code": org.code,
                    "kind": "counts",
                    "file": org.counts.path.as_posix(),
                    **quality,
                }
            )
            for m in sorted(set(counts["measure"]) & set(measures_from_extracts)):
                found.append(
                    Issue(
                        path,
                        None,
                        "measure",
                        m,
                        f"measures not also given by an "
                        f"extract (already in {measures_from_extracts[m]})",
                    )
                )
            if facts["year"] is not None:
                found = _params_hint(
                    found,
                    "year",
                    params,
                    f"organisations.{i_org}.counts",
                    f"every row has year {facts['year']}",
                )
            if found:
                issues += found
                continue
            parts.append(counts)
            for m in ("headcount", "training"):
                if m in set(counts["measure"]):
                    lines = facts["training_lines"] if m == "training" else {}
                    sources[m] = (path, "value", lines, counts)
        issues += _trained_above_headcount(org.code, sources)
    if issues:
        raise InputError(cap_values(issues))
    counts = normalise_dtypes(pd.concat(parts, ignore_index=True)) if parts else empty_counts()
    counts = sort_counts(counts)[COUNT_COLUMNS]
    quality = pd.DataFrame(quality_rows, columns=QUALITY_COLUMNS)
    broad_parts = [b for b in broad_parts if not b.empty]
    broad = (
        normalise_dtypes(pd.concat(broad_parts, ignore_index=True))
        if broad_parts
        else empty_counts()
    )
    return LoadedYear(counts=counts, quality=quality, files=files, broad_counts=broad)


def _trained_above_headcount(
    org_code: str, sources: dict[str, tuple[Path, str, dict[str, int], pd.DataFrame]]
) -> list[Issue]:
    """Issues where an organisation's training count of a group exceeds its headcount.

    Only across files (a counts CSV giving both is checked by
    :func:`~wres_utils.inputs.counts.validate_counts_frame`). The issue names the training file and
    the line of the group's first training row.
    """
    if "training" not in sources or "headcount" not in sources:
        return []
    t_path, column, lines, t_counts = sources["training"]
    h_path, _, _, h_counts = sources["headcount"]
    if t_path == h_path:
        return []

    def by_group(counts: pd.DataFrame, measure: str) -> pd.Series:
        sel = counts[(counts["measure"] == measure) & (counts["org_code"] == org_code)]
        return sel.groupby("group")["value"].sum()

    trained, staff = by_group(t_counts, "training"), by_group(h_counts, "headcount")
    issues = []
    for group, n in trained.items():
        in_post = int(staff.get(group, 0))
        if int(n) > in_post:
            issues.append(
                Issue(
                    t_path,
                    lines.get(str(group)),
                    column,
                    f"{int(n)} {group} staff trained",
                    f"at most the {group} headcount of {org_code} ({in_post} in {h_path.name}): "
                    "training counts staff in post who accessed training",
                )
            )
    return issues


def format_summary(loaded: LoadedYear) -> str:
    """A readable data-quality table, one line per input file, and the counts table size."""
    q = loaded.quality
    head = [
        "org",
        "kind",
        "rows read",
        "kept",
        "unknown eth.",
        "unrecog. eth.",
        "unrecog. band",
        "duplicates",
    ]
    body = [
        [
            str(r.org_code),
            str(r.kind),
            str(r.rows_read),
            str(r.rows_kept),
            str(r.unknown_ethnicity),
            str(r.unrecognised_ethnicity),
            str(r.unrecognised_band),
            str(r.duplicates),
        ]
        for r in q.itertuples(index=False)
    ]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=False)]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    lines = ["Data quality by input file:", fmt(head), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in body]
    notes = []
    for r in q.itertuples(index=False):
        if r.unrecognised_values:
            notes.append(
                f"  {r.org_code} {r.kind} ({r.file}): unrecognised ethnic origin "
                f"(counted as Unknown): {r.unrecognised_values}"
            )
        if r.unrecognised_band_values:
            notes.append(
                f"  {r.org_code} {r.kind} ({r.file}): unrecognised pay band (counted "
                f"as '{UNRECOGNISED_BAND}'): {r.unrecognised_band_values}"
            )
        if r.duplicates:
            notes.append(
                f"  {r.org_code} {r.kind} ({r.file}): {r.duplicates} repeated "
                "staff_id row(s) dropped (counted once per staff member)"
            )
    if notes:
        lines += ["", "Notes:", *notes]
    c = loaded.counts
    lines += [
        "",
        f"Counts table: {len(c)} rows, {c['org_code'].nunique()} organisation(s), "
        f"measures: {', '.join(sorted(c['measure'].unique())) or 'none'}.",
    ]
    return "\n".join(lines)
