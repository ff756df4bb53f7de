"""Pay bands (ESR spellings) to the rows of WRES indicator 1, and boolean spellings.

Indicator 1 rows are Agenda for Change bands (Under Band 1, Band 1-7, 8a-8d, 9, VSM) and the
medical & dental rows (Consultants, Non-consultant career grade, Trainee grades, Other).
A spelling that is not recognised gives None: it is reported with its count, never guessed
(see :mod:`wres_utils.inputs.validate` for the threshold above which it becomes an error).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Agenda for Change rows of indicator 1, in order.
AFC_ROWS: list[str] = [
    "Under Band 1",
    *(f"Band {i}" for i in range(1, 8)),
    "Band 8a",
    "Band 8b",
    "Band 8c",
    "Band 8d",
    "Band 9",
    "VSM",
]
#: Medical and dental rows of indicator 1, in order.
MEDICAL_ROWS: list[str] = [
    "Consultants",
    "Non-consultant career grade",
    "Trainee grades",
    "Other",
]
#: Every indicator 1 row, in display order (AfC bands, then medical & dental).
BAND_ROWS: list[str] = AFC_ROWS + MEDICAL_ROWS
#: The band of records whose pay band was not recognised (kept in counts, reported).
UNRECOGNISED_BAND = "Unrecognised"

_AFC = re.compile(
    r"^(?:(?:nhs )?(?:afc|agenda for change|review body) )?(?:pay )?"
    r"band ([0-9])(?: (?:range )?([a-d]))?$"
)

_MEDICAL_SPELLINGS: dict[str, str] = {
    # Consultants
    "consultant": "Consultants",
    "consultants": "Consultants",
    # Non-consultant career grade
    "specialty doctor": "Non-consultant career grade",
    "speciality doctor": "Non-consultant career grade",
    "specialty doctors": "Non-consultant career grade",
    "associate specialist": "Non-consultant career grade",
    "associate specialists": "Non-consultant career grade",
    "specialist": "Non-consultant career grade",
    "staff grade": "Non-consultant career grade",
    "non consultant career grade": "Non-consultant career grade",
    "non consultant career grades": "Non-consultant career grade",
    "nccg": "Non-consultant career grade",
    "sas doctor": "Non-consultant career grade",
    # Trainee grades
    "trainee grades": "Trainee grades",
    "trainee grade": "Trainee grades",
    "trainee": "Trainee grades",
    "foundation": "Trainee grades",
    "foundation year 1": "Trainee grades",
    "foundation year 2": "Trainee grades",
    "foundation year 1 2": "Trainee grades",
    "foundation year": "Trainee grades",
    "fy1": "Trainee grades",
    "fy2": "Trainee grades",
    "f1": "Trainee grades",
    "f2": "Trainee grades",
    "specialty registrar": "Trainee grades",
    "speciality registrar": "Trainee grades",
    "specialty registrars": "Trainee grades",
    "registrar": "Trainee grades",
    "specialty trainee": "Trainee grades",
    "speciality trainee": "Trainee grades",
    "core trainee": "Trainee grades",
    "core training": "Trainee grades",
    "specialty training": "Trainee grades",
    # Other medical & dental
    "other": "Other",
    "medical other": "Other",
    "other medical": "Other",
    "other medical and dental": "Other",
    "medical and dental other": "Other",
    "clinical assistant": "Other",
    "hospital practitioner": "Other",
}
_VSM = {"vsm", "very senior manager", "very senior managers"}
_UNDER_1 = {"under band 1", "below band 1", "under afc band 1"}


def _key(value: str) -> str:
    """Lower case, '&' -> 'and', punctuation to spaces, single spaces."""
    text = value.strip().lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def normalise_band(value: object) -> str | None:
    """The indicator 1 row of one pay-band spelling, or None if not recognised.

    ``"Band 8 - Range A"`` -> ``"Band 8a"``, ``"AfC Band 5"`` -> ``"Band 5"``, ``"Very Senior
    Manager"`` -> ``"VSM"``, ``"Specialty Doctor"`` -> ``"Non-consultant career grade"``.
    ``"Band 8"`` without a range is ambiguous and not recognised.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    key = _key(str(value))
    if not key:
        return None
    if key in _VSM:
        return "VSM"
    if key in _UNDER_1:
        return "Under Band 1"
    # "band 8a" and "band 8 a" both reach here as digits and letters; glue "8a" apart first.
    key_afc = re.sub(r"^(.*band )([0-9])([a-d])$", r"\1\2 \3", key)
    m = _AFC.match(key_afc)
    if m:
        number, letter = int(m.group(1)), m.group(2)
        if number == 8:
            return f"Band 8{letter}" if letter else None
        if letter or not 1 <= number <= 9 or number == 8:
            return None
        return f"Band {number}"
    return _MEDICAL_SPELLINGS.get(key)


def normalise_bands(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalise_band` (NA where unrecognised), same index as ``values``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [normalise_band(u) for u in uniques] + [None]
    arr = np.array(mapped, dtype=object)[codes]
    return pd.Series(pd.array(arr, dtype="str"), index=values.index)


def band_order(label: str) -> int:
    """Sort key of an indicator 1 row: its position in :data:`BAND_ROWS`.

    ``"Unrecognised"`` sorts after every row; any other label after that.
    """
    try:
        return BAND_ROWS.index(label)
    except ValueError:
        return len(BAND_ROWS) + (0 if label == UNRECOGNISED_BAND else 1)


_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}
_CLINICAL_TRUE = {"clinical"}
_CLINICAL_FALSE = {"non clinical", "nonclinical", "not clinical"}

#: How the accepted spellings are described in error messages.
BOOL_EXPECTED = "yes/no, y/n, true/false or 1/0"
CLINICAL_EXPECTED = "Clinical/Non-clinical, yes/no, y/n, true/false or 1/0"


def parse_bool(value: object, clinical: bool = False) -> bool:
    """Read a boolean spelling (case- and space-insensitive); ValueError if invalid.

    With ``clinical=True`` (the ``clinical`` column), ``Clinical`` / ``Non-clinical`` are
    accepted too. Blank is invalid.
    """
    result = _parse_bool_or_none(value, clinical)
    if result is None:
        expected = CLINICAL_EXPECTED if clinical else BOOL_EXPECTED
        raise ValueError(f"expected {expected}, found {value!r}")
    return result


def _parse_bool_or_none(value: object, clinical: bool) -> bool | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    raw = str(value).strip().lower()
    key = " ".join(re.sub(r"[-_]+", " ", raw).split())
    if key.endswith(".0") and key[:-2] in ("0", "1"):  # 1.0 / 0.0 from a spreadsheet
        key = key[:-2]
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    if clinical:
        if key in _CLINICAL_TRUE:
            return True
        if key in _CLINICAL_FALSE or key.replace(" ", "") in _CLINICAL_FALSE:
            return False
    return None


def parse_bools(values: pd.Series, clinical: bool = False) -> pd.Series:
    """Vectorised :func:`parse_bool`: a nullable boolean Series, NA where invalid or blank."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [_parse_bool_or_none(u, clinical) for u in uniques] + [None]
    arr = np.array(mapped, dtype=object)[codes]
    return pd.Series(pd.array(arr, dtype="boolean"), index=values.index)


#: Indicator 1 rows in report order ("Unrecognised" = a band the loader could not map).
INDICATOR1_ROWS: tuple[str, ...] = (*BAND_ROWS, UNRECOGNISED_BAND)
