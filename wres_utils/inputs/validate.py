"""Validation (:func:`validate_extract`): pandera schemas check the *parsed* columns (codes,
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
- A cell longer than :data:`MAX_CELL_CHARS` is an error (no ESR field comes near it; a
  100,000-character cell is a broken export, and is not passed on to the checks that follow);
  values echoed in messages are cut to 60 characters with "…".
- XLSX: merged cells on or below the header row are an error (the merged value sits in the
  first cell only; the others read as blank, so a column would silently vanish).
- Counts that cannot be true together are errors: more appointed than shortlisted, more
  survey yes than respondents (both within a counts CSV), and more staff trained than in post
  in a group (training vs workforce headcount of the same organisation, across files).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from wres_utils.core import bands, ethnicity, inputchecks
from wres_utils.core.errors import Issue
from wres_utils.inputs.counts import (
    MEASURES_BY_KIND,
    UNRECOGNISED_BAND,
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
#: Above this share of rows with an unrecognised pay band, a workforce file is in error.
UNRECOGNISED_BAND_LIMIT = 0.05
_BOOL_COLUMNS = {
    "recruitment": ("shortlisted", "appointed"),
    "board": ("voting", "executive"),
}


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
    issues = _missing_columns(kind, raw, path, header_line)
    if not issues and raw.empty and kind == "workforce":
        issues = [
            Issue(
                path,
                header_line + 1,
                None,
                None,
                "at least one row of staff in post (the file has only a header)",
            )
        ]
    if issues:
        return pd.DataFrame(), quality, issues
    expected = _expected_text(kind, org_code, year)
    parsed = pd.DataFrame({"org_code": raw["org_code"].str.strip().str.upper()}, index=raw.index)
    if kind != "staff_survey":
        _parse_ethnicity(raw, parsed, quality)
    if kind == "workforce":
        issues += _parse_workforce(raw, parsed, quality, path, executives_as_vsm)
    for c in _BOOL_COLUMNS.get(kind, ()):
        parsed[c] = bands.parse_bools(raw[c])
    issues += _parse_optional_flag(kind, raw, parsed, path, header_line, executives_as_vsm)
    if kind == "staff_survey":
        issues += _parse_survey(raw, parsed, path, expected)
    issues += _schema_issues(parsed_schema(kind, org_code, year), parsed, raw, path, expected)

    # Checks across rows and columns.
    keep = np.ones(len(raw), dtype=bool)
    if kind == "workforce":
        issues += _repeated(
            raw,
            parsed[["staff_id"]],
            dup_of=parsed["staff_id"],
            path=path,
            column="staff_id",
            expected="each staff_id once per organisation",
        )
    if kind == "disciplinary" and "date_entered" in raw.columns:
        issues += inputchecks.date_issues(raw["date_entered"], path, "date_entered", year)
    if kind in ("disciplinary", "training") and "staff_id" in raw.columns:
        ids = raw["staff_id"].str.strip()
        dup = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
        quality["duplicates"] = int(dup.sum())
        keep &= ~dup
    if kind == "recruitment":
        issues += _check_recruitment(raw, parsed, path)
    if kind == "staff_survey":
        issues += _check_survey(raw, parsed, path)
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


def _missing_columns(kind: str, raw: pd.DataFrame, path: Path, header_line: int) -> list[Issue]:
    """One issue per required column the file lacks (named on the header line)."""
    required = REQUIRED[kind]
    missing = [c for c in required if c not in raw.columns]
    if kind == "staff_survey" and "yes" not in raw.columns and "percent" not in raw.columns:
        missing.append("yes or percent")
    need = ", ".join(required + (["yes or percent"] if kind == "staff_survey" else []))
    return [
        Issue(
            path,
            header_line,
            c,
            None,
            f"a {kind} file with columns {need} "
            f"(this one is missing; found {', '.join(raw.columns)})",
        )
        for c in missing
    ]


def _parse_ethnicity(raw: pd.DataFrame, parsed: pd.DataFrame, quality: dict[str, object]) -> None:
    """``group`` and ``broad`` from ``ethnic_origin``; unreadable codes count as Unknown and are
    reported in ``quality`` (never an error)."""
    eth = ethnicity.classify(raw["ethnic_origin"])
    parsed["group"] = eth["group"]
    parsed["broad"] = eth["broad"]
    unrecognised = ~eth["recognised"].to_numpy()
    quality["unknown_ethnicity"] = int((eth["group"] == ethnicity.UNKNOWN).sum())
    quality["unrecognised_ethnicity"] = int(unrecognised.sum())
    quality["unrecognised_values"] = _value_summary(raw.loc[unrecognised, "ethnic_origin"])


def _parse_workforce(
    raw: pd.DataFrame,
    parsed: pd.DataFrame,
    quality: dict[str, object],
    path: Path,
    executives_as_vsm: bool,
) -> list[Issue]:
    """``staff_id``, ``clinical`` and ``band`` of a workforce file. Unrecognised bands are kept
    as "Unrecognised" up to :data:`UNRECOGNISED_BAND_LIMIT` of the rows; above it each
    unrecognised spelling is an issue."""
    issues: list[Issue] = []
    parsed["staff_id"] = raw["staff_id"].str.strip()
    parsed["clinical"] = bands.parse_bools(raw["clinical"], clinical=True)
    band = bands.normalise_bands(raw["pay_band"])
    if executives_as_vsm and "executive_director" in raw.columns:
        # Executive Board members on another pay scale count as VSM (whatever the band
        # says, recognised or not); an unreadable flag is reported by _parse_optional_flag.
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
    return issues


def _parse_optional_flag(
    kind: str,
    raw: pd.DataFrame,
    parsed: pd.DataFrame,
    path: Path,
    header_line: int,
    executives_as_vsm: bool,
) -> list[Issue]:
    """The optional yes/no column of a kind (recruitment ``offer_accepted``, workforce
    ``executive_director``, required when params ``executives_as_vsm`` is true)."""
    flag_column = {"recruitment": "offer_accepted", "workforce": "executive_director"}.get(kind)
    issues: list[Issue] = []
    if flag_column == "executive_director" and executives_as_vsm:
        if flag_column not in raw.columns:
            issues.append(
                Issue(
                    path,
                    header_line,
                    flag_column,
                    None,
                    "an executive_director column (yes for executive Board members), because "
                    "params executives_as_vsm is true",
                )
            )
    if flag_column in raw.columns:
        text = raw[flag_column].fillna("").astype(str).str.strip()
        flag = bands.parse_bools(raw[flag_column])
        bad = ((text != "") & flag.isna()).to_numpy()
        for line in raw.index[bad]:
            issues.append(
                Issue(
                    path,
                    int(line),
                    flag_column,
                    str(raw.at[line, flag_column]),
                    bands.BOOL_EXPECTED,
                )
            )
        parsed[flag_column] = flag.fillna(False).astype(bool)
    return issues


def _survey_sources(raw: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The ``yes`` and ``percent`` columns as text (blank where the file has no such column)."""
    blank = pd.Series("", index=raw.index)
    return (
        raw["yes"] if "yes" in raw.columns else blank,
        raw["percent"] if "percent" in raw.columns else blank,
    )


def _parse_survey(
    raw: pd.DataFrame, parsed: pd.DataFrame, path: Path, expected: dict[str, str]
) -> list[Issue]:
    """The staff survey's columns; an unparseable yes/percent is an error, a blank one not."""
    parsed["survey_year"] = _whole_numbers(raw["survey_year"])
    parsed["indicator"] = _whole_numbers(raw["indicator"])
    parsed["group"] = (
        raw["group"].str.strip().str.lower().map({"white": "White", "bme": "BME"})
    ).astype("str")
    parsed["respondents"] = _whole_numbers(raw["respondents"])
    yes_raw, pct_raw = _survey_sources(raw)
    parsed["yes"] = _whole_numbers(yes_raw).where(yes_raw.str.strip() != "", pd.NA)
    parsed["percent"] = _decimals(pct_raw).where(pct_raw.str.strip() != "", pd.NA)
    issues = []
    for col, src in (("yes", yes_raw), ("percent", pct_raw)):
        unparsed = (src.str.strip() != "") & parsed[col].isna()
        for line in raw.index[unparsed.to_numpy()]:
            issues.append(Issue(path, int(line), col, str(src.at[line]), expected[col]))
    return issues


def _repeated(
    raw: pd.DataFrame,
    key: pd.DataFrame,
    dup_of: pd.Series | None,
    path: Path,
    column: str,
    expected: str,
) -> list[Issue]:
    """One issue per row whose ``key`` repeats an earlier row's (naming that row's line);
    rows whose ``dup_of`` value is blank are not compared."""
    dup = key.duplicated(keep=False).to_numpy()
    if dup_of is not None:
        dup = dup & (dup_of != "").to_numpy()
    if not dup.any():
        return []
    first = _first_lines(key, dup)
    return [
        Issue(path, int(line), column, str(raw.at[line, column]), f"{expected} (also on line {f})")
        for line, f in zip(raw.index[dup], first, strict=True)
        if line != f
    ]


def _check_recruitment(raw: pd.DataFrame, parsed: pd.DataFrame, path: Path) -> list[Issue]:
    """Appointed only if shortlisted; ``offer_accepted`` only for an offer made. Appointed
    becomes an accepted offer: a declined offer stays shortlisted, not appointed."""
    issues = []
    wrong = (parsed["appointed"].fillna(False) & ~parsed["shortlisted"].fillna(True)).to_numpy()
    for line in raw.index[wrong]:
        issues.append(
            Issue(
                path,
                int(line),
                "appointed",
                str(raw.at[line, "appointed"]),
                f"appointed only if shortlisted (shortlisted is {raw.at[line, 'shortlisted']!r} "
                "on this line)",
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
        parsed["appointed"] = parsed["appointed"] & acc
    return issues


def _check_survey(raw: pd.DataFrame, parsed: pd.DataFrame, path: Path) -> list[Issue]:
    """A value on every row, yes at most respondents, one row per indicator and group."""
    yes_raw, pct_raw = _survey_sources(raw)
    issues = []
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
    issues += _repeated(raw, key, None, path, "indicator", "one row per indicator and group")
    return issues


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
