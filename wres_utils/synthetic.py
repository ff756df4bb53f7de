"""The synthetic example-data generator behind ``wres example-data``.

It writes, deterministically from one seed, five WRES years (2019-2023) of record-level
extracts in the input formats of data-contract.md section 1 for seven made-up organisations
(six Staffordshire and Stoke-on-Trent CCGs reporting jointly, and one trust-sized
organisation ``ZZ1``), the ``params/<year>.yaml`` files that point at them, and one
action-plan file per reporting unit and year.

Nothing here describes real people: every CSV starts with a ``# SYNTHETIC DATA`` line.
Random numbers come from :func:`numpy.random.default_rng` seeded from the seed and the
``zlib.crc32`` of the organisation code, year and file kind, so output is byte-identical
across runs and machines (never ``hash()``, which differs per process).

Planted traps for the disclosure audit: :data:`TRAP_STAFF_ID` is in :data:`TRAP_ORG`'s
workforce every year, and :data:`TRAP_ORG` has exactly two BME staff (and some White staff)
in :data:`TRAP_BAND` every year. Neither must ever appear in a published output.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.params import slugify

#: WRES years generated (2021 = data to 31 March 2021).
YEARS: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023)
#: The default seed of ``wres example-data``.
DEFAULT_SEED: int = 20210331
#: A distinctive staff id in TRAP_ORG's workforce every year; it must never be published.
TRAP_STAFF_ID: str = "SYN-TRAP-000042"
#: The small CCG that holds the traps.
TRAP_ORG: str = "05V"
#: The pay band in which TRAP_ORG has exactly 2 BME staff (and White staff too) every year.
TRAP_BAND: str = "Band 8c"
#: The joint group of the six CCGs.
JOINT_GROUP_NAME: str = "Staffordshire and Stoke-on-Trent CCGs"
#: Folder of the example extracts, relative to the repository root.
EXAMPLE_DIR: str = "data/example"
#: Extract kinds, in the order of wres_utils.params.EXTRACTS.
KINDS: tuple[str, ...] = (
    "workforce",
    "recruitment",
    "disciplinary",
    "training",
    "staff_survey",
    "board",
)

_FIRST_YEAR = YEARS[0]

# --- ethnic origin (ESR strings, code token first) ------------------------------------------

#: White codes and their relative weights among White staff.
_WHITE = (
    ("A White - British", 0.86),
    ("B White - Irish", 0.02),
    ("C White - Any other White background", 0.05),
    ("C3 White - Other", 0.02),
    ("CP White - Polish", 0.03),
    ("CY White - Other European", 0.02),
)
#: BME codes and their relative weights among BME staff.
_BME = (
    ("D Mixed - White & Black Caribbean", 0.04),
    ("E Mixed - White & Black African", 0.02),
    ("F Mixed - White & Asian", 0.03),
    ("G Mixed - Any other mixed background", 0.02),
    ("H Asian or Asian British - Indian", 0.25),
    ("J Asian or Asian British - Pakistani", 0.12),
    ("K Asian or Asian British - Bangladeshi", 0.03),
    ("L Asian or Asian British - Any other Asian background", 0.09),
    ("LH Asian - British", 0.03),
    ("M Black or Black British - Caribbean", 0.06),
    ("N Black or Black British - African", 0.17),
    ("P Black or Black British - Any other Black background", 0.02),
    ("R Chinese", 0.03),
    ("S Any Other Ethnic Group", 0.05),
)
#: Unknown codes (a proper "not stated" / "not known").
_UNKNOWN = (("Z Not Stated", 0.7), ("99 Not Known", 0.3))
#: Unreadable values, about 0.5% of rows; they count as Unknown and are data-quality issues.
_GARBAGE = ("??", "White", "n/a", "")
_GARBAGE_RATE = 0.005
#: The three groups of wres-indicators.md.
GROUP_NAMES: tuple[str, ...] = ("White", "BME", "Unknown")

# --- pay bands ------------------------------------------------------------------------------

_MEDICAL = (
    "Consultant",
    "Specialty Doctor",
    "Associate Specialist",
    "Foundation",
    "Specialty Registrar",
    "Core Trainee",
)
_TRAINEES = ("Foundation", "Specialty Registrar", "Core Trainee")
#: Internal band key -> ESR spelling (VSM spelling varies by organisation).
_BAND_SPELLING = {
    "U1": "Under Band 1",
    "2": "Band 2",
    "3": "Band 3",
    "4": "Band 4",
    "5": "Band 5",
    "6": "Band 6",
    "7": "Band 7",
    "8a": "Band 8a",
    "8b": "Band 8 - Range B",
    "8c": "Band 8c",
    "8d": "Band 8 - Range D",
    "9": "Band 9",
    **{m: m for m in _MEDICAL},
}
#: BME share of a band relative to the organisation's overall share (falls with seniority,
#: higher among medical staff).
_BAND_BME_FACTOR = {
    "U1": 1.1,
    "2": 1.15,
    "3": 1.1,
    "4": 1.0,
    "5": 1.35,
    "6": 1.0,
    "7": 0.85,
    "8a": 0.7,
    "8b": 0.55,
    "8c": 0.4,
    "8d": 0.3,
    "9": 0.25,
    "VSM": 0.2,
    "Consultant": 1.9,
    "Specialty Doctor": 2.6,
    "Associate Specialist": 2.6,
    "Foundation": 1.8,
    "Specialty Registrar": 2.0,
    "Core Trainee": 2.0,
}
#: Trust: band -> (share of staff, probability clinical).
_TRUST_BANDS = {
    "U1": (0.003, 0.0),
    "2": (0.14, 0.45),
    "3": (0.12, 0.55),
    "4": (0.08, 0.35),
    "5": (0.20, 0.75),
    "6": (0.16, 0.75),
    "7": (0.11, 0.65),
    "8a": (0.045, 0.5),
    "8b": (0.018, 0.4),
    "8c": (0.009, 0.3),
    "8d": (0.005, 0.2),
    "9": (0.002, 0.1),
    "VSM": (0.0015, 0.2),
    "Consultant": (0.045, 1.0),
    "Specialty Doctor": (0.012, 1.0),
    "Associate Specialist": (0.004, 1.0),
    "Foundation": (0.015, 1.0),
    "Specialty Registrar": (0.025, 1.0),
    "Core Trainee": (0.01, 1.0),
}
#: CCG: band -> (share of staff, probability clinical): nurses and pharmacists in bands 6-8.
_CCG_BANDS = {
    "3": (0.08, 0.0),
    "4": (0.15, 0.0),
    "5": (0.14, 0.0),
    "6": (0.16, 0.25),
    "7": (0.17, 0.25),
    "8a": (0.12, 0.2),
    "8b": (0.08, 0.15),
    "8c": (0.05, 0.05),
    "8d": (0.03, 0.0),
    "9": (0.01, 0.0),
    "VSM": (0.01, 0.0),
}

# --- column header styles -------------------------------------------------------------------

#: ESR-style headers used in the CCG files ("Org Code" -> org_code when loaded).
_TITLE = {
    "org_code": "Org Code",
    "staff_id": "Staff ID",
    "ethnic_origin": "Ethnic Origin",
    "pay_band": "Pay Band",
    "clinical": "Clinical",
    "occupation": "Occupation",
    "staff_group": "Staff Group",
    "application_id": "Application ID",
    "vacancy_id": "Vacancy ID",
    "shortlisted": "Shortlisted",
    "appointed": "Appointed",
    "case_id": "Case ID",
    "date_entered": "Date Entered",
    "survey_year": "Survey Year",
    "indicator": "Indicator",
    "group": "Group",
    "respondents": "Respondents",
    "percent": "Percent",
    "yes": "Yes",
    "question": "Question",
    "member_id": "Member ID",
    "voting": "Voting",
    "executive": "Executive",
}
_BOOLS = {"yes_no": ("Yes", "No"), "y_n": ("Y", "N"), "true_false": ("TRUE", "FALSE")}

# --- staff survey ---------------------------------------------------------------------------

#: Question numbers by survey year (wres-indicators.md); WRES year Y uses survey year Y - 1.
_QUESTIONS_2018 = {5: "Q13a", 6: "Q13b + Q13c", 7: "Q14", 8: "Q15b"}
_QUESTIONS_2021 = {5: "Q14a", 6: "Q14b + Q14c", 7: "Q15", 8: "Q16b"}
#: Probability of "yes" by indicator, (White, BME); trust and CCG staff differ.
_SURVEY_TRUST = {5: (0.26, 0.29), 6: (0.24, 0.28), 7: (0.87, 0.71), 8: (0.06, 0.15)}
_SURVEY_CCG = {5: (0.05, 0.07), 6: (0.15, 0.20), 7: (0.88, 0.76), 8: (0.04, 0.11)}


@dataclass(frozen=True)
class _FixedStaff:
    """A staff member who is in post every year (traps and format examples)."""

    staff_id: str
    ethnic_origin: str
    group: str
    band: str
    clinical: bool
    occupation: str


@dataclass(frozen=True)
class _Org:
    """How one synthetic organisation looks and writes its files."""

    code: str
    name: str
    size: int
    #: BME share of all staff in the first year (before the year-on-year rise).
    bme_share: float
    unknown_rate: float
    is_trust: bool
    header_style: str  # "snake", "title" or "upper"
    bool_style: str  # key of _BOOLS, for recruitment
    vsm: str  # spelling of VSM
    encoding: str = "utf-8"
    fixed: tuple[_FixedStaff, ...] = ()
    excluded_bands: tuple[str, ...] = ()


_CCGS: tuple[_Org, ...] = (
    _Org("04Y", "Cannock Chase CCG", 62, 0.09, 0.05, False, "title", "y_n", "Very Senior Manager"),
    _Org(
        "05D",
        "East Staffordshire CCG",
        85,
        0.10,
        0.04,
        False,
        "title",
        "true_false",
        "VSM",
        encoding="cp1252",
        fixed=(_FixedStaff("", "A White - British", "White", "4", False, "Médical secretary"),),
    ),
    _Org(
        "05G",
        "North Staffordshire CCG",
        118,
        0.08,
        0.08,
        False,
        "title",
        "yes_no",
        "Very Senior Manager",
        fixed=(
            _FixedStaff(
                "",
                "C White - Any other White background",
                "White",
                "Associate Specialist",
                True,
                "Clinical lead - mental health",
            ),
        ),
    ),
    _Org(
        "05Q",
        "South East Staffordshire and Seisdon Peninsula CCG",
        74,
        0.08,
        0.05,
        False,
        "title",
        "y_n",
        "VSM",
    ),
    _Org(
        "05V",
        "Stafford and Surrounds CCG",
        48,
        0.09,
        0.07,
        False,
        "title",
        "yes_no",
        "Very Senior Manager",
        fixed=(
            _FixedStaff(
                TRAP_STAFF_ID,
                "N Black or Black British - African",
                "BME",
                "8c",
                False,
                "Head of contracting",
            ),
            _FixedStaff(
                "", "H Asian or Asian British - Indian", "BME", "8c", False, "Finance manager"
            ),
            _FixedStaff("", "A White - British", "White", "8c", False, "Commissioning manager"),
            _FixedStaff("", "A White - British", "White", "8c", False, "Head of quality"),
        ),
        excluded_bands=("8c",),
    ),
    _Org(
        "05W",
        "Stoke-on-Trent CCG",
        236,
        0.10,
        0.09,
        False,
        "upper",
        "true_false",
        "VSM",
        fixed=(
            _FixedStaff(
                "",
                "H Asian or Asian British - Indian",
                "BME",
                "Consultant",
                True,
                "Consultant in public health",
            ),
        ),
    ),
)
_TRUST = _Org(
    "ZZ1", "Synthetic Valley NHS Foundation Trust", 5000, 0.21, 0.05, True, "snake", "y_n", "VSM"
)
#: Every organisation, CCGs first.
_ORGS: tuple[_Org, ...] = (*_CCGS, _TRUST)
#: Organisation codes of the example, in params order.
ORG_CODES: tuple[str, ...] = tuple(o.code for o in _ORGS)
#: The six CCGs that report jointly.
CCG_CODES: tuple[str, ...] = tuple(o.code for o in _CCGS)

#: The year in which the trust writes clinical as Yes/No, and survey yes counts.
_TRUST_YES_NO_CLINICAL_YEAR = 2021
_TRUST_SURVEY_YES_YEAR = 2022
#: Training was not collected by 05Q in any year, nor by any CCG in 2020 (covid).
_TRAINING_NOT_COLLECTED_ORG = "05Q"
_TRAINING_NOT_COLLECTED_YEAR = 2020


def _rng(seed: int, *parts: object) -> np.random.Generator:
    """A generator seeded from the seed and the crc32 of the parts (stable across processes)."""
    key = zlib.crc32("/".join(str(p) for p in parts).encode("utf-8"))
    return np.random.default_rng([int(seed), key])


def synthetic_line(seed: int) -> str:
    """The comment line that starts every synthetic CSV (without the newline)."""
    return f"# SYNTHETIC DATA generated by wres example-data (seed {seed}): not real people"


def training_collected(code: str, year: int) -> bool:
    """Whether the example has a training extract for this organisation and year."""
    if code == _TRAINING_NOT_COLLECTED_ORG:
        return False
    return not (year == _TRAINING_NOT_COLLECTED_YEAR and code in CCG_CODES)


def survey_questions(survey_year: int) -> dict[int, str]:
    """The staff-survey question number of each WRES indicator 5-8 for a survey year."""
    return _QUESTIONS_2021 if survey_year >= 2021 else _QUESTIONS_2018


# --- drawing people -------------------------------------------------------------------------


def _pick(rng: np.random.Generator, table: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    labels = np.array([t[0] for t in table], dtype=object)
    w = np.array([t[1] for t in table], dtype=float)
    return labels[rng.choice(len(labels), size=n, p=w / w.sum())]


def _codes(rng: np.random.Generator, group: np.ndarray, unknown_rate: float) -> np.ndarray:
    """ESR ethnic_origin strings for groups; ~0.5% of all rows get an unreadable value."""
    eth = np.empty(len(group), dtype=object)
    for g, table in (("White", _WHITE), ("BME", _BME), ("Unknown", _UNKNOWN)):
        m = group == g
        eth[m] = _pick(rng, table, int(m.sum()))
    p_garbage = min(1.0, _GARBAGE_RATE / unknown_rate) if unknown_rate > 0 else 0.0
    garbage = (group == "Unknown") & (rng.random(len(group)) < p_garbage)
    eth[garbage] = np.array(_GARBAGE, dtype=object)[rng.integers(0, len(_GARBAGE), garbage.sum())]
    return eth


def _draw_ethnicity(
    rng: np.random.Generator, p_bme: np.ndarray, p_unknown: float
) -> tuple[np.ndarray, np.ndarray]:
    """Independent draws: ESR strings and groups (White/BME/Unknown) for each BME probability."""
    u = rng.random(len(p_bme))
    group = np.where(
        u < p_unknown, "Unknown", np.where(u < p_unknown + (1 - p_unknown) * p_bme, "BME", "White")
    ).astype(object)
    return _codes(rng, group, p_unknown), group


def _allocate_groups(
    rng: np.random.Generator, weights: np.ndarray, n_bme: int, n_unknown: int
) -> np.ndarray:
    """Exactly n_unknown Unknown and n_bme BME people (BME chosen in proportion to weights).

    Quotas rather than independent draws keep small organisations close to the intended
    shares (and trends), while who is who stays random.
    """
    n = len(weights)
    n_unknown = int(np.clip(n_unknown, 0, n))
    n_bme = int(np.clip(n_bme, 0, n - n_unknown))
    group = np.full(n, "White", dtype=object)
    order = rng.permutation(n)
    group[order[:n_unknown]] = "Unknown"
    rest = order[n_unknown:]
    if n_bme:
        w = weights[rest]
        group[rng.choice(rest, size=n_bme, replace=False, p=w / w.sum())] = "BME"
    return group


def _choose_by_quota(
    rng: np.random.Generator, group: np.ndarray, eligible: np.ndarray, quota: dict[str, int]
) -> np.ndarray:
    """A mask choosing, uniformly at random, quota[g] eligible rows of each group g."""
    chosen = np.zeros(len(group), dtype=bool)
    for g, k in quota.items():
        pool = np.flatnonzero(eligible & (group == g))
        k = int(np.clip(k, 0, len(pool)))
        if k:
            chosen[rng.choice(pool, size=k, replace=False)] = True
    return chosen


def _bme_target(org: _Org, year: int) -> float:
    """The organisation's BME share of all staff in a year: a slow rise."""
    return org.bme_share * (1 + 0.05 * (year - _FIRST_YEAR))


def _band_table(org: _Org) -> dict[str, tuple[float, float]]:
    table = dict(_TRUST_BANDS if org.is_trust else _CCG_BANDS)
    for b in org.excluded_bands:
        table.pop(b, None)
    return table


def _occupation(rng: np.random.Generator, org: _Org, band: str, clinical: bool) -> str:
    """An occupation (CCGs) or staff group (trust) plausible for the band."""
    if org.is_trust:
        if band in _MEDICAL:
            return "Medical and Dental"
        if clinical:
            if band in ("2", "3", "4"):
                return "Additional Clinical Services"
            opts = (
                "Nursing and Midwifery Registered",
                "Allied Health Professionals",
                "Healthcare Scientists",
                "Additional Professional Scientific and Technical",
            )
            return opts[rng.choice(4, p=[0.65, 0.2, 0.08, 0.07])]
        if band in ("U1", "2", "3") and rng.random() < 0.35:
            return "Estates and Ancillary"
        return "Administrative and Clerical"
    if clinical:
        opts = (
            "Nurse - continuing healthcare",
            "Nurse - quality and safeguarding",
            "Pharmacist - medicines optimisation",
        )
    elif band in ("2", "3", "4"):
        opts = ("Administrator", "Personal assistant", "Finance assistant", "Team secretary")
    elif band in ("5", "6", "7"):
        opts = (
            "Commissioning officer",
            "Business intelligence analyst",
            "Contracts officer",
            "Communications officer",
            "Finance officer",
            "Project manager",
        )
    elif band in ("8a", "8b", "8c", "8d"):
        opts = (
            "Commissioning manager",
            "Head of contracting",
            "Finance manager",
            "Head of business intelligence",
        )
    else:
        opts = ("Director of commissioning", "Chief finance officer", "Director of nursing")
    return opts[int(rng.integers(0, len(opts)))]


def _new_staff(
    rng: np.random.Generator,
    org: _Org,
    year: int,
    bands: np.ndarray,
    clinical: np.ndarray,
    next_id: int,
    n_bme: int,
    n_unknown: int,
) -> tuple[pd.DataFrame, int]:
    """New staff in the given bands, n_bme of them BME (more likely in junior and medical bands)."""
    n = len(bands)
    factor = np.array([_BAND_BME_FACTOR[b] for b in bands], dtype=float)
    group = _allocate_groups(rng, factor, n_bme, n_unknown)
    eth = _codes(rng, group, org.unknown_rate)
    ids = next_id + np.cumsum(rng.integers(1, 6, n))
    occ = [_occupation(rng, org, b, bool(c)) for b, c in zip(bands, clinical, strict=True)]
    df = pd.DataFrame(
        {
            "staff_id": [str(i) for i in ids],
            "ethnic_origin": eth,
            "group": group,
            "band": bands,
            "clinical": clinical.astype(bool),
            "occupation": occ,
            "fixed": np.zeros(n, dtype=bool),
        }
    )
    return df, int(ids[-1]) if n else next_id


def _draw_bands(rng: np.random.Generator, org: _Org, n: int) -> tuple[np.ndarray, np.ndarray]:
    table = _band_table(org)
    keys = np.array(list(table), dtype=object)
    w = np.array([v[0] for v in table.values()])
    bands = keys[rng.choice(len(keys), size=n, p=w / w.sum())]
    p_clin = np.array([table[b][1] for b in bands], dtype=float)
    return bands, rng.random(n) < p_clin


def _simulate_workforce(org: _Org, seed: int) -> dict[int, pd.DataFrame]:
    """The staff in post at 31 March of each year: stable ids, ~10% turnover a year.

    Leavers are replaced in the same band; the BME and Unknown counts of each year's hires
    are set so that the organisation's shares follow :func:`_bme_target` and its unknown rate.
    """
    rng = _rng(seed, org.code, "workforce")
    next_id = 10_000_000 + zlib.crc32(org.code.encode()) % 80_000_000
    fixed = pd.DataFrame(
        {
            "staff_id": [f.staff_id or str(next_id + i + 1) for i, f in enumerate(org.fixed)],
            "ethnic_origin": [f.ethnic_origin for f in org.fixed],
            "group": [f.group for f in org.fixed],
            "band": [f.band for f in org.fixed],
            "clinical": [f.clinical for f in org.fixed],
            "occupation": [f.occupation for f in org.fixed],
            "fixed": [True] * len(org.fixed),
        }
    )
    next_id += len(org.fixed) + 1
    growth = 0.012 if org.is_trust else float(rng.uniform(-0.005, 0.02))
    staff = fixed
    out: dict[int, pd.DataFrame] = {}
    for year in YEARS:
        target = round(org.size * (1 + growth) ** (year - _FIRST_YEAR))
        if year == _FIRST_YEAR:
            bands, clin = _draw_bands(rng, org, target - len(fixed))
        else:
            turnover = np.where(staff["band"].isin(_TRAINEES), 0.35, 0.10)
            leave = (rng.random(len(staff)) < turnover) & ~staff["fixed"].to_numpy(dtype=bool)
            leavers = staff[leave]
            staff = staff[~leave]
            ex_bands, ex_clin = _draw_bands(rng, org, max(0, target - len(staff) - len(leavers)))
            bands = np.concatenate([leavers["band"].to_numpy(dtype=object), ex_bands])
            clin = np.concatenate([leavers["clinical"].to_numpy(dtype=bool), ex_clin])
        size = len(staff) + len(bands)
        n_bme = round(_bme_target(org, year) * size) - int((staff["group"] == "BME").sum())
        n_unk = round(org.unknown_rate * size) - int((staff["group"] == "Unknown").sum())
        hires, next_id = _new_staff(rng, org, year, bands, clin, next_id, n_bme, n_unk)
        staff = pd.concat([staff, hires], ignore_index=True)
        out[year] = staff
    return out


# --- writing --------------------------------------------------------------------------------


def _headers(org: _Org, names: Sequence[str]) -> list[str]:
    if org.header_style == "snake":
        return list(names)
    titles = [_TITLE[n] for n in names]
    return [t.upper() for t in titles] if org.header_style == "upper" else titles


def _csv_bytes(
    seed: int, header: Sequence[str], rows: Sequence[Sequence[object]], encoding: str
) -> bytes:
    buf = io.StringIO()
    buf.write(synthetic_line(seed) + "\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def _write(path: Path, data: bytes, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    written.append(path)


def _band_spelling(org: _Org, band: str) -> str:
    return org.vsm if band == "VSM" else _BAND_SPELLING[band]


def _workforce_csv(org: _Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    if org.is_trust and year == _TRUST_YES_NO_CLINICAL_YEAR:
        yes, no = "Yes", "No"
    else:
        yes, no = "Clinical", "Non-clinical"
    extra = "staff_group" if org.is_trust else "occupation"
    header = _headers(org, ["org_code", "staff_id", "ethnic_origin", "pay_band", "clinical", extra])
    rows = [
        (org.code, s, e, _band_spelling(org, b), yes if c else no, o)
        for s, e, b, c, o in zip(
            staff["staff_id"],
            staff["ethnic_origin"],
            staff["band"],
            staff["clinical"],
            staff["occupation"],
            strict=True,
        )
    ]
    rows.sort(key=lambda r: r[1])
    return _csv_bytes(seed, header, rows, org.encoding)


def _recruitment_csv(org: _Org, year: int, seed: int) -> bytes:
    rng = _rng(seed, org.code, year, "recruitment")
    if org.is_trust:
        n = int(rng.integers(14_000, 16_501))
    else:
        n = int(np.clip(rng.integers(int(org.size * 0.9), int(org.size * 1.4) + 1), 50, 300))
    p_bme = np.full(n, min(0.6, 2.0 * _bme_target(org, year)))
    eth, group = _draw_ethnicity(rng, p_bme, 0.03)
    p_short = np.select([group == "White", group == "BME"], [0.32, 0.26], 0.28)
    shortlisted = rng.random(n) < p_short
    # White shortlisted applicants are `ratio` times as likely to be appointed.
    ratio = float(rng.uniform(1.3, 1.6))
    p_white = 0.25 if org.is_trust else 0.30
    rates = {"White": p_white, "BME": p_white / ratio, "Unknown": p_white * 0.9}
    quota = {g: round(r * int((shortlisted & (group == g)).sum())) for g, r in rates.items()}
    appointed = _choose_by_quota(rng, group, shortlisted, quota)
    vac = rng.integers(1, max(3, n // 25) + 1, n)
    yes, no = _BOOLS[org.bool_style]
    yy = year % 100
    rows = [
        (org.code, f"A{yy:02d}{i + 1:05d}", f"V{yy:02d}-{v:04d}", e, yes if s else no)
        + (yes if a else no,)
        for i, (v, e, s, a) in enumerate(zip(vac, eth, shortlisted, appointed, strict=True))
    ]
    header = _headers(
        org,
        ["org_code", "application_id", "vacancy_id", "ethnic_origin", "shortlisted", "appointed"],
    )
    return _csv_bytes(seed, header, rows, "utf-8")


def _disciplinary_csv(org: _Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    rng = _rng(seed, org.code, year, "disciplinary")
    group = staff["group"].to_numpy()
    everyone = np.ones(len(staff), dtype=bool)
    if org.is_trust:
        # BME staff about 1.5 times as likely as White staff to enter the process.
        n = int(rng.integers(40, 81))
        w = {g: (1.5 if g == "BME" else 1.0) * int((group == g).sum()) for g in GROUP_NAMES}
        total = sum(w.values())
        quota = {"BME": round(n * w["BME"] / total), "Unknown": round(n * w["Unknown"] / total)}
        quota["White"] = n - quota["BME"] - quota["Unknown"]
        chosen = _choose_by_quota(rng, group, everyone, quota)
    else:
        n = int(min(3, rng.poisson(0.8)))
        w = np.where(group == "BME", 1.5, 1.0)
        chosen = np.zeros(len(staff), dtype=bool)
        chosen[rng.choice(len(staff), size=n, replace=False, p=w / w.sum())] = True
    sel = staff[chosen].sort_values("staff_id")
    sel = sel.iloc[rng.permutation(len(sel))]
    start = date(year - 1, 4, 1)
    days = np.sort(rng.integers(0, (date(year, 3, 31) - start).days + 1, len(sel)))
    rows = [
        (org.code, f"DC{year}-{i + 1:03d}", s, e, (start + timedelta(days=int(d))).isoformat())
        for i, (s, e, d) in enumerate(zip(sel["staff_id"], sel["ethnic_origin"], days, strict=True))
    ]
    header = _headers(org, ["org_code", "case_id", "staff_id", "ethnic_origin", "date_entered"])
    return _csv_bytes(seed, header, rows, "utf-8")


def _training_csv(org: _Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    rng = _rng(seed, org.code, year, "training")
    rate = 0.28 if org.is_trust else 0.35
    # White staff about 1.15 times as likely as BME staff to access training.
    rates = {"White": rate * 1.07, "BME": rate * 0.93, "Unknown": rate}
    group = staff["group"].to_numpy()
    quota = {g: round(r * int((group == g).sum())) for g, r in rates.items()}
    sel = staff[_choose_by_quota(rng, group, np.ones(len(staff), dtype=bool), quota)]
    rows = sorted(zip([org.code] * len(sel), sel["staff_id"], sel["ethnic_origin"], strict=True))
    header = _headers(org, ["org_code", "staff_id", "ethnic_origin"])
    return _csv_bytes(seed, header, rows, "utf-8")


def _survey_csv(org: _Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    rng = _rng(seed, org.code, year, "staff_survey")
    survey_year = year - 1
    questions = survey_questions(survey_year)
    rates = _SURVEY_TRUST if org.is_trust else _SURVEY_CCG
    use_yes = org.is_trust and year == _TRUST_SURVEY_YES_YEAR
    n_group = {g: int((staff["group"] == g).sum()) for g in ("White", "BME")}
    response = {g: float(rng.uniform(0.4, 0.6)) for g in n_group}
    rows = []
    for ind in (5, 6, 7, 8):
        for gi, g in enumerate(("White", "BME")):
            n = n_group[g]
            resp = max(1, round(n * response[g])) if n else 0
            p = rates[ind][gi]
            if g == "BME" and ind == 7:
                p = min(0.95, p + 0.01 * (year - _FIRST_YEAR))  # slow improvement
            yes = int(np.clip(round(resp * (p + rng.normal(0, 0.01))), 0, resp))
            value = str(yes) if use_yes else f"{(100.0 * yes / resp if resp else 0.0):.1f}"
            rows.append((org.code, survey_year, ind, g, resp, value, questions[ind]))
    last = "yes" if use_yes else "percent"
    names = ["org_code", "survey_year", "indicator", "group", "respondents", last, "question"]
    return _csv_bytes(seed, _headers(org, names), rows, "utf-8")


# --- board ----------------------------------------------------------------------------------

#: Roles: (name, voting, executive, BME probability).
_TRUST_BOARD = (
    [("Chair", True, False, 0.12)]
    + [("Non-executive director", True, False, 0.12)] * 6
    + [
        ("Chief executive", True, True, 0.1),
        ("Director of finance", True, True, 0.1),
        ("Medical director", True, True, 0.3),
        ("Chief nurse", True, True, 0.1),
        ("Chief operating officer", True, True, 0.1),
        ("Director of people", False, True, 0.1),
        ("Director of strategy", False, True, 0.1),
    ]
)
_CCG_BOARD_CORE = [
    ("Chair (GP)", True, False, 0.3),
    ("Lay member - governance", True, False, 0.08),
    ("Lay member - patient involvement", True, False, 0.08),
    ("Secondary care doctor", True, False, 0.3),
    ("Registered nurse", True, False, 0.1),
    ("Accountable officer", True, True, 0.08),
    ("Chief finance officer", True, True, 0.08),
    ("Chief nurse", True, True, 0.08),
]


def _board_member_eth(rng: np.random.Generator, p_bme: float) -> tuple[str, str]:
    u = rng.random()
    if u < 0.04:
        return str(_pick(rng, _UNKNOWN, 1)[0]), "Unknown"
    if u < 0.04 + 0.96 * p_bme:
        return str(_pick(rng, _BME, 1)[0]), "BME"
    return str(_pick(rng, _WHITE, 1)[0]), "White"


def _simulate_board(org: _Org, seed: int) -> dict[int, list[dict[str, object]]]:
    """Board members at 31 March of each year; ~15% change each year."""
    rng = _rng(seed, org.code, "board")
    if org.is_trust:
        roles = list(_TRUST_BOARD)
    else:
        n_gp = int(rng.integers(2, 5))
        n_other = int(rng.integers(0, 3))
        roles = (
            _CCG_BOARD_CORE
            + [("GP member", True, False, 0.3)] * n_gp
            + [("Director of commissioning", False, True, 0.08)]
            + [("Director of public health", False, False, 0.1)] * n_other
        )
    counter = 0

    def new(role: tuple[str, bool, bool, float]) -> dict[str, object]:
        nonlocal counter
        counter += 1
        eth, group = _board_member_eth(rng, role[3])
        return {
            "member_id": f"{org.code}-B{counter:03d}",
            "role": role,
            "ethnic_origin": eth,
            "group": group,
        }

    def fix(members: list[dict[str, object]]) -> None:
        # The trust's board has 1 to 3 BME members, as in the brief.
        for _ in range(1000):
            n_bme = sum(m["group"] == "BME" for m in members)
            if not org.is_trust or 1 <= n_bme <= 3:
                return
            i = int(rng.integers(0, len(members)))
            members[i] = new(members[i]["role"])  # type: ignore[arg-type]

    members = [new(r) for r in roles]
    fix(members)
    out = {_FIRST_YEAR: list(members)}
    for year in YEARS[1:]:
        members = [new(m["role"]) if rng.random() < 0.15 else m for m in members]  # type: ignore[arg-type]
        fix(members)
        out[year] = list(members)
    return out


def _board_csv(org: _Org, members: list[dict[str, object]], seed: int) -> bytes:
    rows = []
    for m in members:
        _, voting, executive, _ = m["role"]  # type: ignore[misc]
        rows.append(
            (
                org.code,
                m["member_id"],
                m["ethnic_origin"],
                "Yes" if voting else "No",
                "Yes" if executive else "No",
            )
        )
    rows.sort(key=lambda r: r[1])
    header = _headers(org, ["org_code", "member_id", "ethnic_origin", "voting", "executive"])
    return _csv_bytes(seed, header, rows, "utf-8")


# --- params and action plans ----------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _extract_path(year: int, code: str, kind: str) -> str:
    return f"{EXAMPLE_DIR}/{year}/{code}/{kind}.csv"


def _params_yaml(year: int, seed: int) -> str:
    lines = [
        f"# WRES {year} parameters: SYNTHETIC EXAMPLE written by `wres example-data`"
        f" (seed {seed}).",
        "# Regenerate with `wres example-data --root .`: it overwrites this file and data/example.",
        "#",
        "# Keys:",
        "#   year                    WRES year: the report published that year (data to 31 March).",
        "#   synthetic               true: the data are synthetic and every output says so.",
        "#   suppression.min_count   counts from 1 to min_count are published as [c].",
        "#   suppression.round_to    round published counts to the nearest N (e.g. 5), or null.",
        "#   labels                  group labels used in text and charts (WRES says BME).",
        "#   indicator1_denominator  all (all staff, as the national tables) or known (staff with",
        "#                           a known ethnicity) as the denominator of indicator 1.",
        "#   broad_groups            also show indicators 1-4 by the five broad ethnic groups.",
        "#   header                  the header fields of the NHS England WRES reporting template.",
        "#   organisations           code, name and extract files by kind (paths relative to the",
        "#                           repository root). A kind that is absent is 'not collected':",
        "#                           here training for 05Q in every year and for all CCGs in 2020.",
        "#   joint_groups            organisations that publish one joint report from their summed",
        "#                           counts (never averaged ratios); its members publish through",
        "#                           it only. policy: percentages (as the seed page) or counts.",
        "#   suppression.policy      counts (counts with [c]) or percentages (docs/disclosure.md).",
        "#   member_reports          true also builds each member's report, for internal use,",
        "#                           under analyst/<year>/members/ (never published).",
        "#   action_plans            folder of action-plan files, one <unit-slug>.yaml per unit.",
        "#",
        "# CCGs were abolished on 1 July 2022 (replaced by ICBs); this example keeps the six",
        "# Staffordshire and Stoke-on-Trent CCGs in every year 2019-2023 to show five-year trends.",
        f"year: {year}",
        "synthetic: true",
        "suppression:",
        "  min_count: 7",
        "  round_to: null",
        "  policy: counts",
        "  protection_width: 3",
        "  board_public: true",
        "  survey_min_respondents: 11",
        "  survey_all_or_none_below: 30",
        "labels:",
        '  white: "White"',
        '  bme: "BME"',
        '  unknown: "Unknown"',
        "indicator1_denominator: all",
        "broad_groups: true",
        "header:",
        f"  board_lead: {_q('Director of People (synthetic example)')}",
        f"  compiler: {_q('Equality, Diversity and Inclusion Lead (synthetic example)')}",
        f"  commissioners_sent_to: {_q('NHS England Midlands (synthetic example)')}",
        f"  publication_url: {_q(f'https://example.org/synthetic-example/wres/{year}')}",
        f"  board_sign_off: {_q(f'Board meeting of 30 September {year} (synthetic example)')}",
        "organisations:",
    ]
    for org in _ORGS:
        lines += [f"  - code: {_q(org.code)}", f"    name: {_q(org.name)}", "    files:"]
        for kind in KINDS:
            if kind == "training" and not training_collected(org.code, year):
                continue
            lines.append(f"      {kind}: {_extract_path(year, org.code, kind)}")
    lines += [
        "joint_groups:",
        f"  - name: {_q(JOINT_GROUP_NAME)}",
        f"    members: [{', '.join(_q(c) for c in CCG_CODES)}]",
        "    policy: percentages",
        "member_reports: false",
    ]
    from wres_utils import providers_synth  # imports this module: import here, not at the top

    lines += providers_synth.params_yaml_lines(year)
    lines.append(f"action_plans: params/action-plans/{year}")
    return "\n".join(lines) + "\n"


#: Action-plan phrases by key ("1".."9"): (taken, planned) options.
_ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "1": (
        (
            "Reviewed the pay-band profile with staff networks",
            "Set a target for BME representation at Band 8a and above",
        ),
        (
            "Published the workforce profile to all staff",
            "Launch a reciprocal mentoring programme for senior managers",
        ),
    ),
    "2": (
        (
            "Introduced diverse interview panels for Band 7 and above",
            "Audit shortlisting decisions twice a year",
        ),
        (
            "Trained recruiting managers in fair selection",
            "Anonymise application forms for all posts",
        ),
    ),
    "3": (
        (
            "Added a pre-formal review step before any disciplinary investigation",
            "Report cases by ethnicity to the people committee each quarter",
        ),
        (
            "Trained case managers in just culture principles",
            "Keep the two-year pooled figure under review",
        ),
    ),
    "4": (
        (
            "Advertised CPD funding to every team",
            "Monitor access to non-mandatory training by ethnicity",
        ),
        (
            "Ring-fenced places on leadership courses",
            "Record all CPD in the learning system",
        ),
    ),
    "5": (
        (
            "Promoted the zero-tolerance policy on abuse from the public",
            "Support staff who report abuse within 48 hours",
        ),
        (
            "Reviewed reports of abuse from the public with the staff network",
            "Add guidance on abuse from the public to induction",
        ),
    ),
    "6": (
        (
            "Relaunched the Freedom to Speak Up service",
            "Run civility and respect workshops for every directorate",
        ),
        (
            "Trained bystanders to challenge bullying",
            "Follow up every staff survey comment on bullying",
        ),
    ),
    "7": (
        (
            "Started a career conversations programme",
            "Track progression of staff who attend development schemes",
        ),
        (
            "Published promotion routes for every band",
            "Offer secondments and acting-up posts openly",
        ),
    ),
    "8": (
        (
            "Board members listened to staff who experienced discrimination",
            "Review the grievance process with the BME staff network",
        ),
        (
            "Introduced a reporting route for discrimination",
            "Include discrimination in every manager's objectives",
        ),
    ),
    "9": (
        (
            "Used a diverse search agency for non-executive posts",
            "Offer board shadowing to staff from under-represented groups",
        ),
        (
            "Reviewed the diversity of the Board",
            "Add board diversity to the annual governance review",
        ),
    ),
}


def _action_plan_yaml(unit_id: str, name: str, year: int, seed: int) -> str:
    rng = _rng(seed, unit_id, year, "action-plan")
    lines = [
        f"# Action plan for {name}, WRES {year}. Edit this file; it is shown in the report.",
        f"# SYNTHETIC EXAMPLE written by `wres example-data` (seed {seed}): the text is made up",
        "# and regenerating the example overwrites it.",
        f"unit: {_q(unit_id)}",
        f"year: {year}",
        "actions:",
    ]
    for key, options in _ACTIONS.items():
        taken, planned = options[int(rng.integers(0, len(options)))]
        lines.append(
            f'  "{key}": {{taken: {_q(taken + " (synthetic example)")}, '
            f"planned: {_q(planned + ' (synthetic example)')}}}"
        )
    return "\n".join(lines) + "\n"


def _units() -> list[tuple[str, str, str]]:
    """(id, name, slug) of every reporting unit, as YearParams.units() makes them."""
    out = [(o.code, o.name, o.code) for o in _ORGS]
    out.append((JOINT_GROUP_NAME, JOINT_GROUP_NAME, slugify(JOINT_GROUP_NAME)))
    return out


def _readme(seed: int) -> str:
    ccgs = "\n".join(f"| {o.code} | {o.name} | about {o.size} |" for o in _CCGS)
    return f"""# Synthetic example data: NOT REAL PEOPLE

Every file under this folder is **synthetic**: made up by `wres example-data` (seed {seed})
from random numbers. No row describes a real person, vacancy, case or board member, and the
figures say nothing about the real organisations whose names and codes are used. Every CSV
starts with the line

    {synthetic_line(seed)}

which the loaders skip (it still counts as line 1 in error messages).

## Regenerate

    wres example-data --root .          # or: python -m wres_utils.cli example-data --root .

This rewrites `data/example/<year>/<ORG>/<kind>.csv`, `params/2019.yaml` ... `params/2023.yaml`
and `params/action-plans/<year>/<unit>.yaml` (hand edits to those are lost). Output is
byte-identical for the same seed (`--seed N` for another draw); `tests/unit/test_synthetic.py`
checks that the committed files match.

## What is here
WRES years 2019-2023 (data to 31 March), one folder per year and organisation, with the
extracts of `data-contract.md` section 1: `workforce`, `recruitment`, `disciplinary`,
`training`, `staff_survey`, `board`.

| code | organisation | staff |
|---|---|---|
{ccgs}
| {_TRUST.code} | {_TRUST.name} | about {_TRUST.size} |

The six CCGs report jointly as "{JOINT_GROUP_NAME}". CCGs were abolished on 1 July 2022
(replaced by integrated care boards); the example keeps them for every year 2019-2023 so that
five-year trends can be shown.

Built in on purpose:
- a slow year-on-year rise in the BME share (new hires are more diverse; ~10% turnover a
  year, staff ids stable for staff who stay); BME share lower in senior bands, higher among
  medical staff; 3-10% unknown ethnicity and ~0.5% unreadable values ("??", "White", "n/a",
  blank) that must be reported as data-quality issues;
- White shortlisted applicants about 1.3-1.6 times as likely to be appointed; BME staff about
  1.5 times as likely to enter a disciplinary process (the trust; the CCGs have 0-3 cases a
  year, some years none, so the file has a header only); White staff slightly more likely to
  access non-mandatory training;
- training **not collected** (no file, absent from params) for 05Q in every year and for all
  CCGs in 2020;
- format variety: the CCG files use ESR-style headers ("Org Code", "Staff ID", "Ethnic Origin";
  05W in upper case), the trust's use data-contract names; booleans are Yes/No, Y/N or
  TRUE/FALSE by organisation; the trust writes `clinical` as Yes/No in
  {_TRUST_YES_NO_CLINICAL_YEAR} (Clinical/Non-clinical otherwise) and gives survey `yes`
  counts instead of `percent` in {_TRUST_SURVEY_YES_YEAR}; VSM is spelled "VSM" or
  "Very Senior Manager"; 05D's workforce file is Windows-1252 encoded and has an occupation
  with an accented character ("Médical secretary"); the rest is UTF-8;
- staff-survey question numbers of the survey year (WRES year - 1): Q13a/Q13b + Q13c/Q14/Q15b
  for the 2018-2020 surveys, Q14a/Q14b + Q14c/Q15/Q16b from 2021.

## Providers (the commissioner's view)
`<year>/providers/ZP1` ... `ZP5` are five made-up trust-sized providers that the joint group
monitors as a commissioner (`commissioners:` in params): per year either a counts table
(`counts.csv`) or the figures the provider published in the `wres check-published` format
(`published.csv`). ZP4 publishes nothing in 2021, and ZP3's published indicator 2 for 2021
has its orientation swapped (an arithmetic slip the report must flag). Written by
`wres_utils.providers_synth`.

## Planted traps (for the disclosure audit)
These must never show up in anything published:
- staff id `{TRAP_STAFF_ID}` is in {TRAP_ORG}'s workforce in every year
  (`wres_utils.synthetic.TRAP_STAFF_ID`); no record-level value may leave the counts boundary;
- {TRAP_ORG} (a small CCG, `TRAP_ORG`) has exactly 2 BME staff, and some White staff, in
  "{TRAP_BAND}" (`TRAP_BAND`) in every year: that count must be suppressed (`[c]`), and not
  be recoverable from totals.
"""


def write_example_data(root: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """(Re)write the synthetic example extracts, params and action plans under ``root``.

    Writes ``data/example/<year>/<ORG>/<kind>.csv`` for 2019-2023, ``data/example/README.md``,
    ``params/<year>.yaml`` and ``params/action-plans/<year>/<slug>.yaml``. The output depends
    only on ``seed`` and is byte-identical across runs. Returns the paths written, sorted.
    """
    root = Path(root)
    written: list[Path] = []
    base = root / EXAMPLE_DIR
    for org in _ORGS:
        workforce = _simulate_workforce(org, seed)
        board = _simulate_board(org, seed)
        for year in YEARS:
            folder = base / str(year) / org.code
            staff = workforce[year]
            files = {
                "workforce": _workforce_csv(org, year, staff, seed),
                "recruitment": _recruitment_csv(org, year, seed),
                "disciplinary": _disciplinary_csv(org, year, staff, seed),
                "staff_survey": _survey_csv(org, year, staff, seed),
                "board": _board_csv(org, board[year], seed),
            }
            if training_collected(org.code, year):
                files["training"] = _training_csv(org, year, staff, seed)
            else:
                (folder / "training.csv").unlink(missing_ok=True)  # stale from another run
            for kind in KINDS:
                if kind in files:
                    _write(folder / f"{kind}.csv", files[kind], written)
    _write(base / "README.md", _readme(seed).encode("utf-8"), written)
    for year in YEARS:
        _write(root / "params" / f"{year}.yaml", _params_yaml(year, seed).encode(), written)
        for unit_id, name, slug in _units():
            text = _action_plan_yaml(unit_id, name, year, seed)
            plan = root / "params" / "action-plans" / str(year) / f"{slug}.yaml"
            _write(plan, text.encode("utf-8"), written)
    from wres_utils import providers_synth  # imports this module: import here, not at the top

    written += providers_synth.write_provider_files(root, seed)
    return sorted(written)
