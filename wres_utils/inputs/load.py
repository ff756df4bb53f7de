"""Loading a WRES year (:func:`load_year`): every extract (or hand-written counts file) of every
organisation read, validated and turned into counts, with the data-quality table; all issues of
all files collected before anything stops.

- A hand-written counts file may sit beside extracts, but may not repeat a measure an
  extract of the same organisation gives.
- A params file pointing at another year's data: a folder of the path named after another
  year is caught by :func:`wres_utils.core.params.load_params`; here, by content, a counts file
  whose every row has another ``year`` or a staff survey file whose every row has another
  ``survey_year``: the first such issue also names the params file, line and key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from wres_utils.core.errors import InputError, Issue
from wres_utils.core.params import FileSpec, YearParams, key_line
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
from wres_utils.inputs.read import cap_values, parse_bytes
from wres_utils.inputs.validate import validate_extract

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
    raw, header_line = parse_bytes(raw_bytes, path, spec.sheet, spec.columns)
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


@dataclass
class LoadedPart:
    """What :func:`load_organisations` keeps of some organisations' inputs: aggregates and
    issues only (no record-level row), so that a part can cross a process boundary."""

    issues: list[Issue] = field(default_factory=list)
    counts: list[pd.DataFrame] = field(default_factory=list)
    broad: list[pd.DataFrame] = field(default_factory=list)
    quality_rows: list[dict[str, object]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


def load_year(params: YearParams, root: Path) -> LoadedYear:
    """Load and validate every input of a year and turn the records into counts.

    Every organisation's extracts (and hand-written counts CSV, if params give ``counts:``) are
    read and checked; ALL issues of ALL files are collected and raised together as
    :class:`InputError`. A kind absent from params is not collected (no rows for its measures).
    Record-level rows do not leave this function: only counts and data-quality figures do.
    The same as :func:`assemble_year` of :func:`load_organisations` parts covering every
    organisation in order (which is how a run loads a large year in several processes).
    """
    return assemble_year([load_organisations(params, root, range(len(params.organisations)))])


def load_organisations(params: YearParams, root: Path, indices: Sequence[int]) -> LoadedPart:
    """Read, validate and count the inputs of ``params.organisations[i]`` for ``i`` in
    ``indices``; issues are collected, never raised (see :func:`assemble_year`)."""
    root = Path(root)
    part = LoadedPart()
    issues, parts, broad_parts = part.issues, part.counts, part.broad
    quality_rows, files = part.quality_rows, part.files
    for i_org in indices:
        org = params.organisations[i_org]
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
                raw, header_line = parse_bytes(raw_bytes, path, spec.sheet, spec.columns)
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
            # Tidied once for the whole year (assemble_year), not file by file.
            org_counts = records_to_counts(kind, records, org.code, params.year, tidy=False)
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
    return part


def assemble_year(loaded: Sequence[LoadedPart]) -> LoadedYear:
    """One year from its :class:`LoadedPart` s (in organisation order): raises
    :class:`InputError` with every issue of every part, or returns the :class:`LoadedYear`."""
    issues = [i for p in loaded for i in p.issues]
    if issues:
        raise InputError(cap_values(issues))
    parts = [c for p in loaded for c in p.counts]
    quality_rows = [q for p in loaded for q in p.quality_rows]
    files = {k: v for p in loaded for k, v in p.files.items()}
    counts = normalise_dtypes(pd.concat(parts, ignore_index=True)) if parts else empty_counts()
    counts = sort_counts(counts)[COUNT_COLUMNS]
    quality = pd.DataFrame(quality_rows, columns=QUALITY_COLUMNS)
    broad_parts = [b for p in loaded for b in p.broad if not b.empty]
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
