"""The counts table: the boundary after which no record-level data exist.

Long/tidy, one row per org_code x year x measure x group x band x clinical x indicator x
board_role, with a whole-number ``value`` (docs/data-contract.md section 2). String columns use
"" for blank; ``year`` and ``value`` are integers.

A measure with no rows at all for an organisation and year is *not collected*; a measure that
is present has explicit rows (zero rows included) for White, BME and Unknown.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: Columns of the counts table, in order.
COUNT_COLUMNS: list[str] = [
    "org_code",
    "year",
    "measure",
    "group",
    "band",
    "clinical",
    "indicator",
    "board_role",
    "value",
]
#: The key columns (everything but value).
KEY_COLUMNS: list[str] = COUNT_COLUMNS[:-1]
#: Allowed values of ``measure``.
MEASURES: tuple[str, ...] = (
    "headcount",
    "shortlisted",
    "appointed",
    "disciplinary",
    "training",
    "survey_respondents",
    "survey_yes",
    "board",
)
#: Allowed values of ``group``.
GROUPS: tuple[str, ...] = ("White", "BME", "Unknown")
#: Allowed values of ``clinical`` (headcount rows only).
CLINICAL: tuple[str, ...] = ("clinical", "non-clinical")
#: Allowed values of ``board_role`` (board rows only).
BOARD_ROLES: tuple[str, ...] = ("voting", "executive", "all")
#: Allowed values of ``indicator`` (survey rows only).
SURVEY_INDICATORS: tuple[str, ...] = ("5", "6", "7", "8")


def empty_counts() -> pd.DataFrame:
    """A counts table with no rows and the right dtypes."""
    return normalise_dtypes(pd.DataFrame({c: [] for c in COUNT_COLUMNS}))


def normalise_dtypes(counts: pd.DataFrame) -> pd.DataFrame:
    """Return ``counts`` with the canonical column order and dtypes (str keys, int year/value)."""
    out = counts.reindex(columns=COUNT_COLUMNS).copy()
    for c in KEY_COLUMNS:
        if c != "year":
            out[c] = out[c].astype(object).where(out[c].notna(), "").astype(str)
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("int64")
    return out.reset_index(drop=True)


def measures_present(counts: pd.DataFrame, org_code: str, year: int) -> set[str]:
    """The measures collected for one organisation and year (present, even if all zero)."""
    sel = counts[(counts["org_code"] == org_code) & (counts["year"] == year)]
    return set(sel["measure"].unique())


def pool_counts(
    counts: pd.DataFrame, members: Iterable[str], unit: str, measures: Iterable[str] | None = None
) -> pd.DataFrame:
    """Sum the counts of ``members`` into one unit called ``unit`` (org_code becomes ``unit``).

    This is how joint reports are made: counts first, then indicators (never averaged
    ratios). With ``measures``, only those measures are kept. Years are kept apart.
    """
    members = list(members)
    sel = counts[counts["org_code"].isin(members)]
    if measures is not None:
        sel = sel[sel["measure"].isin(list(measures))]
    if sel.empty:
        return empty_counts()
    keys = [c for c in KEY_COLUMNS if c != "org_code"]
    out = sel.groupby(keys, as_index=False, sort=True)["value"].sum()
    out.insert(0, "org_code", unit)
    return normalise_dtypes(out)


# --------------------------------------------------------------------------------------------
# Records -> counts, hand-written counts CSVs, reconciliation.
# --------------------------------------------------------------------------------------------

#: The measures each record-level extract produces.
MEASURES_BY_KIND: dict[str, tuple[str, ...]] = {
    "workforce": ("headcount",),
    "recruitment": ("shortlisted", "appointed"),
    "disciplinary": ("disciplinary",),
    "training": ("training",),
    "staff_survey": ("survey_respondents", "survey_yes"),
    "board": ("board",),
}
#: Band label of headcount rows whose pay band was not recognised (see wres_utils.inputs.validate).
UNRECOGNISED_BAND = "Unrecognised"


def _clinical_labels(values: pd.Series) -> pd.Series:
    """``clinical``/``non-clinical`` from booleans or from those labels (any case)."""
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "clinical", False: "non-clinical"}).astype(str)
    return values.astype(str).str.strip().str.lower()


def _rows(
    org_code: str, year: int, measure: str, frame: pd.DataFrame, keys: list[str]
) -> pd.DataFrame:
    """Counts of ``frame`` by group x ``keys``, completed with zero rows for the three groups."""
    if keys:
        combos = frame[keys].drop_duplicates()
    else:
        combos = pd.DataFrame(index=[0])
    full = combos.merge(pd.DataFrame({"group": list(GROUPS)}), how="cross")
    if len(frame):
        n = frame.groupby(["group", *keys], sort=False, observed=True).size()
        n = n.rename("value").reset_index()
        full = full.merge(n, on=["group", *keys], how="left")
    else:
        full["value"] = 0
    full["value"] = full["value"].fillna(0).astype("int64")
    full["org_code"] = org_code
    full["year"] = int(year)
    full["measure"] = measure
    return full


def records_to_counts(
    kind: str, records: pd.DataFrame, org_code: str, year: int, tidy: bool = True
) -> pd.DataFrame:
    """The counts table rows (data-contract section 2) of one organisation's validated records.

    ``records`` are the rows of one extract *after* validation (:mod:`wres_utils.inputs.validate`),
    with a ``group`` column (White/BME/Unknown; if absent, ``ethnic_origin`` is classified) and:

    - workforce: ``band`` (an indicator 1 row or "Unrecognised") and ``clinical`` (bool or
      clinical/non-clinical) -> ``headcount`` by group x band x clinical;
    - recruitment: ``shortlisted``, ``appointed`` (bool) -> ``shortlisted``, ``appointed``;
    - disciplinary, training: one row per staff member -> ``disciplinary`` / ``training``;
    - staff_survey: ``indicator`` (5-8), ``respondents`` and ``yes`` (whole numbers; the
      caller derives ``yes`` from ``percent``, see :mod:`wres_utils.inputs.validate`) ->
      ``survey_respondents``, ``survey_yes`` by group x indicator;
    - board: ``voting``, ``executive`` (bool) -> ``board`` by group x board_role (voting,
      executive, all).

    A present measure always has rows for White, BME and Unknown (zeros included), for every
    band x clinical (headcount), indicator (survey) and board role seen, so that "present but
    zero" differs from "not collected". No record leaves this function.

    ``tidy``: in the canonical column order, dtypes and row order (:func:`normalise_dtypes`,
    :func:`sort_counts`); without it, for a caller that concatenates many organisations' rows
    and tidies them once (:func:`wres_utils.inputs.load.assemble_year`: the same rows).
    """
    if kind not in MEASURES_BY_KIND:
        raise ValueError(f"unknown extract kind {kind!r}; expected one of {list(MEASURES_BY_KIND)}")
    org_code = str(org_code).upper()
    rec = records
    if "group" not in rec.columns:
        from wres_utils.core.ethnicity import classify

        rec = rec.assign(group=classify(rec["ethnic_origin"])["group"])
    rec = rec.assign(group=rec["group"].astype(str))
    parts: list[pd.DataFrame] = []
    if kind == "workforce":
        frame = pd.DataFrame(
            {
                "group": rec["group"],
                "band": rec["band"].astype(str),
                "clinical": _clinical_labels(rec["clinical"]),
            }
        )
        parts.append(_rows(org_code, year, "headcount", frame, ["band", "clinical"]))
    elif kind == "recruitment":
        for measure in ("shortlisted", "appointed"):
            mask = rec[measure].astype(bool).to_numpy()
            parts.append(_rows(org_code, year, measure, rec.loc[mask, ["group"]], []))
    elif kind in ("disciplinary", "training"):
        parts.append(_rows(org_code, year, kind, rec[["group"]], []))
    elif kind == "staff_survey":
        for measure, col in (("survey_respondents", "respondents"), ("survey_yes", "yes")):
            sel = pd.DataFrame(
                {
                    "group": rec["group"],
                    "indicator": rec["indicator"].astype(str),
                    "n": rec[col].astype("int64"),
                }
            )
            combos = sel[["indicator"]].drop_duplicates()
            full = combos.merge(pd.DataFrame({"group": list(GROUPS)}), how="cross")
            sums = sel.groupby(["group", "indicator"], as_index=False)["n"].sum()
            full = full.merge(sums, on=["group", "indicator"], how="left")
            full["value"] = full.pop("n").fillna(0).astype("int64")
            full["org_code"], full["year"], full["measure"] = org_code, int(year), measure
            parts.append(full)
    elif kind == "board":
        roles = {
            "voting": rec["voting"].astype(bool).to_numpy(),
            "executive": rec["executive"].astype(bool).to_numpy(),
            "all": slice(None),
        }
        for role, mask in roles.items():
            part = _rows(org_code, year, "board", rec.loc[mask, ["group"]], [])
            part["board_role"] = role
            parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    for c in KEY_COLUMNS:  # blank key columns as "" (not NaN) before normalise_dtypes
        if c not in out.columns:
            out[c] = ""
        elif out[c].isna().any():
            out[c] = out[c].astype(object).where(out[c].notna(), "")
    return sort_counts(normalise_dtypes(out)) if tidy else out


def sort_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts table in a stable order (org, year, measure, band, clinical, ..., group)."""
    from wres_utils.core.bands import band_order

    key = counts.assign(
        _m=counts["measure"].map({m: i for i, m in enumerate(MEASURES)}).fillna(99),
        _g=counts["group"].map({g: i for i, g in enumerate(GROUPS)}).fillna(99),
        _b=counts["band"].map(lambda b: -1 if b == "" else band_order(b)),
        _r=counts["board_role"].map({r: i for i, r in enumerate(BOARD_ROLES)}).fillna(-1),
    )
    key = key.sort_values(
        ["org_code", "year", "_m", "_b", "clinical", "indicator", "_r", "_g"], kind="stable"
    )
    return key[COUNT_COLUMNS].reset_index(drop=True)


def _allowed_keys(measure: str) -> dict[str, tuple[str, ...] | None]:
    """For each of band/clinical/indicator/board_role: allowed values (None = must be blank)."""
    from wres_utils.core.bands import BAND_ROWS

    return {
        "band": (*BAND_ROWS, UNRECOGNISED_BAND) if measure == "headcount" else None,
        "clinical": CLINICAL if measure == "headcount" else None,
        "indicator": SURVEY_INDICATORS if measure.startswith("survey_") else None,
        "board_role": BOARD_ROLES if measure == "board" else None,
    }


def validate_counts_frame(raw: pd.DataFrame, path, header_line: int) -> tuple[pd.DataFrame, list]:
    """Validate a counts table read by :func:`wres_utils.inputs.read.read_table`.

    ``raw`` holds strings indexed by file line number. Returns (counts, issues); counts are
    canonical (group, band and clinical spellings normalised) and completed with zero rows for
    White, BME and Unknown wherever a group is missing for a key seen.
    """
    import numpy as np

    from wres_utils.core.bands import normalise_bands
    from wres_utils.core.errors import Issue

    issues: list[Issue] = []
    cols = list(raw.columns)
    missing = [c for c in COUNT_COLUMNS if c not in cols]
    extra = [c for c in cols if c not in COUNT_COLUMNS]
    expected_cols = f"exactly the columns {', '.join(COUNT_COLUMNS)}"
    for c in missing:
        issues.append(Issue(path, header_line, c, None, f"{expected_cols} (this one is missing)"))
    for c in extra:
        issues.append(Issue(path, header_line, c, c, f"{expected_cols} (unknown column)"))
    if missing:
        return empty_counts(), issues
    df = raw[COUNT_COLUMNS].apply(lambda s: s.astype(str).str.strip())
    lines = df.index.to_numpy()

    def bad(mask: np.ndarray, column: str, expected: str) -> None:
        for line, value in zip(lines[mask], raw[column].to_numpy()[mask], strict=True):
            issues.append(Issue(path, int(line), column, str(value), expected))

    org_ok = df["org_code"].str.fullmatch(r"[A-Za-z0-9]{2,6}").to_numpy(dtype=bool)
    bad(~org_ok, "org_code", "an organisation code of 2-6 letters or digits")
    year_ok = df["year"].str.fullmatch(r"[0-9]{4}").to_numpy(dtype=bool)
    bad(~year_ok, "year", "a WRES year such as 2021")
    measure_ok = df["measure"].isin(MEASURES).to_numpy()
    bad(~measure_ok, "measure", f"one of {', '.join(MEASURES)}")
    group_map = {g.lower(): g for g in GROUPS}
    group = df["group"].str.lower().map(group_map)
    bad(group.isna().to_numpy(), "group", f"one of {', '.join(GROUPS)}")
    value_ok = df["value"].str.fullmatch(r"[0-9]+").to_numpy(dtype=bool)
    bad(~value_ok, "value", "a whole number >= 0")
    # Canonical spellings of the key columns.
    band = normalise_bands(df["band"])
    band = band.mask(df["band"].str.lower() == UNRECOGNISED_BAND.lower(), UNRECOGNISED_BAND)
    band = band.fillna(df["band"])  # blank stays blank; an unknown spelling fails below
    clinical = df["clinical"].str.lower().str.replace(r"[\s_]+", "-", regex=True)
    clinical = clinical.replace({"nonclinical": "non-clinical"})
    indicator = df["indicator"].str.replace(r"\.0$", "", regex=True)
    role = df["board_role"].str.lower()
    keys = {"band": band, "clinical": clinical, "indicator": indicator, "board_role": role}
    for measure in MEASURES:
        sel = (df["measure"] == measure).to_numpy()
        if not sel.any():
            continue
        for col, allowed in _allowed_keys(measure).items():
            vals = keys[col]
            if allowed is None:
                wrong = sel & (vals != "").to_numpy()
                bad(wrong, col, f"blank for measure {measure}")
            else:
                wrong = sel & ~vals.isin(allowed).to_numpy()
                bad(wrong, col, f"for measure {measure}, one of {', '.join(allowed)}")
    if issues:
        return empty_counts(), issues
    out = pd.DataFrame(
        {
            "org_code": df["org_code"].str.upper(),
            "year": df["year"].astype("int64"),
            "measure": df["measure"],
            "group": group,
            **keys,
            "value": df["value"].astype("int64"),
        },
        index=df.index,
    )
    dup = out.duplicated(KEY_COLUMNS, keep=False).to_numpy()
    if dup.any():
        first_line = out[dup].reset_index().groupby(KEY_COLUMNS)["index"].transform("min")
        for line, first in zip(lines[dup], first_line.to_numpy(), strict=True):
            if line != first:
                key = out.loc[line, KEY_COLUMNS[2:]]
                issues.append(
                    Issue(
                        path,
                        int(line),
                        "measure",
                        ", ".join(str(v) for v in key.tolist() if v != ""),
                        f"each key ({', '.join(KEY_COLUMNS)}) once (same key as line {first}: "
                        "remove one of the two rows)",
                    )
                )
        return empty_counts(), issues
    issues += _inconsistent(out, path)
    if issues:
        return empty_counts(), issues
    return complete_groups(normalise_dtypes(out)), issues


#: Pairs of measures where the first can never exceed the second, and the keys they share.
CONSISTENCY: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("appointed", "shortlisted", ("org_code", "year", "group"), "only shortlisted applicants"),
    (
        "survey_yes",
        "survey_respondents",
        ("org_code", "year", "group", "indicator"),
        "yes among the respondents",
    ),
    ("training", "headcount", ("org_code", "year", "group"), "training counts staff in post"),
)


def _inconsistent(out: pd.DataFrame, path) -> list:
    """Issues for counts that cannot be true together (see :data:`CONSISTENCY`).

    ``out`` is a validated counts frame indexed by file line. The smaller measure's row is
    named (column ``value``), with the larger measure's total and its first line. Checked only
    where the larger measure is present for that organisation and year (absent = not
    collected); a missing row of a present measure counts as 0.
    """
    from wres_utils.core.errors import Issue

    issues = []
    for small, big, keys, why in CONSISTENCY:
        s = out[out["measure"] == small]
        b = out[out["measure"] == big]
        if s.empty or b.empty:
            continue
        k = list(keys)
        b_total = b.groupby(k)["value"].sum()
        b_line = b.assign(_line=b.index).groupby(k)["_line"].min()
        present = set(zip(b["org_code"], b["year"], strict=True))
        if small == "training":  # one training row per group; headcount per band x clinical
            s = (
                s.assign(_line=s.index)
                .groupby(k, as_index=False)
                .agg(value=("value", "sum"), _line=("_line", "min"))
            )
            s.index = s.pop("_line").to_numpy()
        for line, row in s.iterrows():
            if (row["org_code"], row["year"]) not in present:
                continue
            key = tuple(row[c] for c in k)
            total = int(b_total.get(key, 0))
            if int(row["value"]) > total:
                where = f", line {int(b_line[key])}" if key in b_line.index else ", no row"
                label = " ".join(str(row[c]) for c in k[2:])
                issues.append(
                    Issue(
                        path,
                        int(line),
                        "value",
                        str(row["value"]),
                        f"at most {big} for {label} ({total}{where}): {why}",
                    )
                )
    issues.sort(key=lambda i: i.line)
    return issues


def complete_groups(counts: pd.DataFrame) -> pd.DataFrame:
    """Add zero rows so that every key seen has a row for White, BME and Unknown."""
    if counts.empty:
        return counts
    keys = [c for c in KEY_COLUMNS if c != "group"]
    combos = counts[keys].drop_duplicates()
    full = combos.merge(pd.DataFrame({"group": list(GROUPS)}), how="cross")
    full = full.merge(counts, on=KEY_COLUMNS, how="left")
    full["value"] = full["value"].fillna(0).astype("int64")
    return sort_counts(normalise_dtypes(full))


def read_counts_csv(path) -> pd.DataFrame:
    """Read and validate a hand-written counts CSV (or XLSX) in the data-contract format.

    Columns must be exactly the contract's (names matched case- and space-insensitively);
    measure, group, band, clinical, indicator and board_role must be allowed for the row's
    measure (band spellings are normalised, e.g. "band 8 - range a" -> "Band 8a"); value a
    whole number >= 0; each key once. Every problem becomes an Issue naming the line and column,
    and all of them are raised together as :class:`~wres_utils.core.errors.InputError`.
    Missing White/BME/Unknown rows of a key seen are added as zeros.
    """
    from pathlib import Path

    from wres_utils.core.errors import InputError
    from wres_utils.inputs.read import read_table

    path = Path(path)
    raw, header_line = read_table(path)
    counts, issues = validate_counts_frame(raw, path, header_line)
    if issues:
        from wres_utils.inputs.read import cap_values

        raise InputError(cap_values(issues))
    return counts


def reconcile(counts: pd.DataFrame, quality: pd.DataFrame) -> list[str]:
    """Check that the counts add up to the records kept, file by file.

    ``quality`` is :attr:`wres_utils.inputs.load.LoadedYear.quality`; its ``totals``
    column holds
    what the validated records of each file add up to (e.g. ``"shortlisted=40; appointed=9"``;
    for workforce ``headcount``, for board ``board`` = every member, and so on).
    Returns the discrepancies in words; an empty list means everything reconciles.
    """
    problems: list[str] = []
    for q in quality.itertuples(index=False):
        totals = str(getattr(q, "totals", "") or "")
        if not totals:
            continue
        sel = counts[(counts["org_code"] == q.org_code)]
        for part in totals.split(";"):
            measure, _, expected = part.strip().partition("=")
            rows = sel[sel["measure"] == measure]
            if measure == "board":
                rows = rows[rows["board_role"] == "all"]
            got = int(rows["value"].sum())
            if got != int(expected):
                problems.append(
                    f"{q.org_code} {q.kind} ({q.file}): {measure} adds up to {got} in the counts "
                    f"but the file has {expected}"
                )
        if q.kind == "workforce" and "headcount=" not in totals:
            problems.append(f"{q.org_code} workforce ({q.file}): no headcount total recorded")
    return problems


# --------------------------------------------------------------------------------------------
# Broad ethnic groups (indicators 1-4 by the five broad groups; see wres_utils/broad.py).
# --------------------------------------------------------------------------------------------

#: Group values of the broad counts table: the five broad groups (from the first letter of the
#: ethnic category code, see ethnicity.BROAD_BY_LETTER) and Unknown.
BROAD_COUNT_GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "Other", "White", "Unknown")
#: The extract kinds that give broad counts, and the measures they give.
BROAD_MEASURES_BY_KIND: dict[str, tuple[str, ...]] = {
    "workforce": ("headcount",),
    "recruitment": ("shortlisted", "appointed"),
    "disciplinary": ("disciplinary",),
    "training": ("training",),
}


def _broad_rows(
    org_code: str, year: int, measure: str, frame: pd.DataFrame, keys: list[str]
) -> pd.DataFrame:
    """Counts of ``frame`` by broad group x ``keys``, with zero rows for every broad group."""
    combos = frame[keys].drop_duplicates() if keys else pd.DataFrame(index=[0])
    full = combos.merge(pd.DataFrame({"group": list(BROAD_COUNT_GROUPS)}), how="cross")
    if len(frame):
        n = frame.groupby(["group", *keys], sort=False).size().rename("value").reset_index()
        full = full.merge(n, on=["group", *keys], how="left")
    else:
        full["value"] = 0
    full["value"] = full["value"].fillna(0).astype("int64")
    full["org_code"], full["year"], full["measure"] = org_code, int(year), measure
    return full


def records_to_broad_counts(
    kind: str, records: pd.DataFrame, org_code: str, year: int
) -> pd.DataFrame:
    """The broad counts of one organisation's validated records (same columns as the counts
    table, ``group`` in :data:`BROAD_COUNT_GROUPS`).

    ``records`` as for :func:`records_to_counts`, with a ``broad`` column (the broad group; if
    absent, ``ethnic_origin`` is classified). Only workforce (headcount by band x clinical),
    recruitment, disciplinary and training give broad counts; other kinds give no rows.
    No record leaves this function.
    """
    if kind not in BROAD_MEASURES_BY_KIND:
        return empty_counts()
    org_code = str(org_code).upper()
    rec = records
    if "broad" not in rec.columns:
        from wres_utils.core.ethnicity import classify

        rec = rec.assign(broad=classify(rec["ethnic_origin"])["broad"])
    group = rec["broad"].astype(str)
    parts: list[pd.DataFrame] = []
    if kind == "workforce":
        frame = pd.DataFrame(
            {
                "group": group,
                "band": rec["band"].astype(str),
                "clinical": _clinical_labels(rec["clinical"]),
            }
        )
        parts.append(_broad_rows(org_code, year, "headcount", frame, ["band", "clinical"]))
    elif kind == "recruitment":
        for measure in ("shortlisted", "appointed"):
            mask = rec[measure].astype(bool).to_numpy()
            frame = pd.DataFrame({"group": group[mask]})
            parts.append(_broad_rows(org_code, year, measure, frame, []))
    else:
        parts.append(_broad_rows(org_code, year, kind, pd.DataFrame({"group": group}), []))
    out = pd.concat(parts, ignore_index=True)
    for c in KEY_COLUMNS:
        if c not in out.columns:
            out[c] = ""
    out = normalise_dtypes(out)
    order = {g: i for i, g in enumerate(BROAD_COUNT_GROUPS)}
    return (
        out.assign(_g=out["group"].map(order))
        .sort_values(["org_code", "year", "measure", "band", "clinical", "_g"], kind="stable")
        .drop(columns="_g")
        .reset_index(drop=True)
    )
