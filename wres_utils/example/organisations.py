"""The made-up organisations of the example: the six CCGs and the trust, their pay-band and
ethnicity mixes, column spellings, staff survey rates and Boards' roles, and the seeded
random streams (zlib.crc32, never hash()) every draw comes from.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from wres_utils.example import YEARS

#: A distinctive staff id in TRAP_ORG's workforce every year; it must never be published.
TRAP_STAFF_ID: str = "SYN-TRAP-000042"
#: The small CCG that holds the traps.
TRAP_ORG: str = "05V"
#: The pay band in which TRAP_ORG has exactly 2 BME staff (and White staff too) every year.
TRAP_BAND: str = "Band 8c"
#: Extract kinds, in the order of wres_utils.core.params.EXTRACTS.
KINDS: tuple[str, ...] = (
    "workforce",
    "recruitment",
    "disciplinary",
    "training",
    "staff_survey",
    "board",
)

FIRST_YEAR = YEARS[0]

# --- ethnic origin (ESR strings, code token first) ------------------------------------------

#: White codes and their relative weights among White staff.
WHITE = (
    ("A White - British", 0.86),
    ("B White - Irish", 0.02),
    ("C White - Any other White background", 0.05),
    ("C3 White - Other", 0.02),
    ("CP White - Polish", 0.03),
    ("CY White - Other European", 0.02),
)
#: BME codes and their relative weights among BME staff.
BME = (
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
UNKNOWN = (("Z Not Stated", 0.7), ("99 Not Known", 0.3))
#: Unreadable values, about 0.5% of rows; they count as Unknown and are data-quality issues.
GARBAGE = ("??", "White", "n/a", "")
GARBAGE_RATE = 0.005
#: The three groups of docs/methodology.md.
GROUP_NAMES: tuple[str, ...] = ("White", "BME", "Unknown")

# --- pay bands ------------------------------------------------------------------------------

MEDICAL = (
    "Consultant",
    "Specialty Doctor",
    "Associate Specialist",
    "Foundation",
    "Specialty Registrar",
    "Core Trainee",
)
TRAINEES = ("Foundation", "Specialty Registrar", "Core Trainee")
#: Internal band key -> ESR spelling (VSM spelling varies by organisation).
BAND_SPELLING = {
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
    **{m: m for m in MEDICAL},
}
#: BME share of a band relative to the organisation's overall share (falls with seniority,
#: higher among medical staff).
BAND_BME_FACTOR = {
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
TRUST_BANDS = {
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
CCG_BANDS = {
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
TITLE = {
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
    "offer_accepted": "Offer Accepted",
    "executive_director": "Executive Director",
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
BOOLS = {"yes_no": ("Yes", "No"), "y_n": ("Y", "N"), "true_false": ("TRUE", "FALSE")}

# --- staff survey ---------------------------------------------------------------------------

#: Question numbers by survey year (docs/methodology.md); WRES year Y uses survey year Y - 1.
_QUESTIONS_2018 = {5: "Q13a", 6: "Q13b + Q13c", 7: "Q14", 8: "Q15b"}
_QUESTIONS_2021 = {5: "Q14a", 6: "Q14b + Q14c", 7: "Q15", 8: "Q16b"}
#: Probability of "yes" by indicator, (White, BME); trust and CCG staff differ.
SURVEY_TRUST = {5: (0.26, 0.29), 6: (0.24, 0.28), 7: (0.87, 0.71), 8: (0.06, 0.15)}
SURVEY_CCG = {5: (0.05, 0.07), 6: (0.15, 0.20), 7: (0.88, 0.76), 8: (0.04, 0.11)}


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
class Org:
    """How one synthetic organisation looks and writes its files."""

    code: str
    name: str
    size: int
    #: BME share of all staff in the first year (before the year-on-year rise).
    bme_share: float
    unknown_rate: float
    is_trust: bool
    header_style: str  # "snake", "title" or "upper"
    bool_style: str  # key of BOOLS, for recruitment
    vsm: str  # spelling of VSM
    encoding: str = "utf-8"
    fixed: tuple[_FixedStaff, ...] = ()
    excluded_bands: tuple[str, ...] = ()


CCGS: tuple[Org, ...] = (
    Org("04Y", "Cannock Chase CCG", 62, 0.09, 0.05, False, "title", "y_n", "Very Senior Manager"),
    Org(
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
    Org(
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
    Org(
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
    Org(
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
    Org(
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
TRUST = Org(
    "ZZ1", "Synthetic Valley NHS Foundation Trust", 5000, 0.21, 0.05, True, "snake", "y_n", "VSM"
)
#: Every organisation, CCGs first.
ORGS: tuple[Org, ...] = (*CCGS, TRUST)
#: Organisation codes of the example, in params order.
ORG_CODES: tuple[str, ...] = tuple(o.code for o in ORGS)
#: The six CCGs that report jointly.
CCG_CODES: tuple[str, ...] = tuple(o.code for o in CCGS)

#: The year in which the trust writes clinical as Yes/No, and survey yes counts.
TRUST_YES_NO_CLINICAL_YEAR = 2021
TRUST_SURVEY_YES_YEAR = 2022
#: Training was not collected by 05Q in any year, nor by any CCG in 2020 (covid).
_TRAINING_NOT_COLLECTED_ORG = "05Q"
_TRAINING_NOT_COLLECTED_YEAR = 2020


def seeded_rng(seed: int, *parts: object) -> np.random.Generator:
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


# --- board ----------------------------------------------------------------------------------

#: Roles: (name, voting, executive, BME probability).
TRUST_BOARD = (
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
CCG_BOARD_CORE = [
    ("Chair (GP)", True, False, 0.3),
    ("Lay member - governance", True, False, 0.08),
    ("Lay member - patient involvement", True, False, 0.08),
    ("Secondary care doctor", True, False, 0.3),
    ("Registered nurse", True, False, 0.1),
    ("Accountable officer", True, True, 0.08),
    ("Chief finance officer", True, True, 0.08),
    ("Chief nurse", True, True, 0.08),
]
