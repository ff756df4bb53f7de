"""Pay-band spellings to indicator 1 rows, and boolean spellings."""

from __future__ import annotations

import pandas as pd
import pytest

from wres_utils.core.bands import (
    AFC_ROWS,
    BAND_ROWS,
    MEDICAL_ROWS,
    band_order,
    normalise_band,
    normalise_bands,
    parse_bool,
    parse_bools,
)


@pytest.mark.parametrize(
    ("value", "row"),
    [
        ("Band 5", "Band 5"),
        ("band 5", "Band 5"),
        ("  BAND  5 ", "Band 5"),
        ("AfC Band 5", "Band 5"),
        ("Agenda for Change Band 3", "Band 3"),
        ("Band 1", "Band 1"),
        ("Band 7", "Band 7"),
        ("Band 8a", "Band 8a"),
        ("Band 8A", "Band 8a"),
        ("Band 8 - Range A", "Band 8a"),
        ("Band 8 Range B", "Band 8b"),
        ("Band 8 - Range C", "Band 8c"),
        ("band 8d", "Band 8d"),
        ("Band 9", "Band 9"),
        ("VSM", "VSM"),
        ("Very Senior Manager", "VSM"),
        ("Under Band 1", "Under Band 1"),
        ("Consultant", "Consultants"),
        ("Consultants", "Consultants"),
        ("Specialty Doctor", "Non-consultant career grade"),
        ("Associate Specialist", "Non-consultant career grade"),
        ("Staff Grade", "Non-consultant career grade"),
        ("Foundation", "Trainee grades"),
        ("Foundation Year 1", "Trainee grades"),
        ("Foundation Year 1/2", "Trainee grades"),
        ("Specialty Registrar", "Trainee grades"),
        ("Core Trainee", "Trainee grades"),
        ("Specialty Trainee", "Trainee grades"),
        ("Other", "Other"),
        ("Medical & Dental Other", "Other"),
    ],
)
def test_spellings(value, row):
    assert normalise_band(value) == row


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "Band 8",
        "Band 10",
        "Band 0",
        "Band 5a",
        "Band 8e",
        "Grade 5",
        "5",
        "Nurse",
        "Senior",
        "band",
    ],
)
def test_unrecognised_is_none_never_guessed(value):
    assert normalise_band(value) is None


def test_rows_and_order():
    assert BAND_ROWS == AFC_ROWS + MEDICAL_ROWS
    assert AFC_ROWS[0] == "Under Band 1" and AFC_ROWS[-1] == "VSM" and len(AFC_ROWS) == 14
    assert MEDICAL_ROWS == ["Consultants", "Non-consultant career grade", "Trainee grades", "Other"]
    assert sorted(reversed(BAND_ROWS), key=band_order) == BAND_ROWS
    assert band_order("Band 8a") < band_order("Band 8b") < band_order("Band 9")
    assert band_order("Unrecognised") == len(BAND_ROWS)
    assert band_order("nonsense") > band_order("Unrecognised")


def test_vectorised_bands_keep_index_and_na():
    s = pd.Series(["Band 5", "junk", None, "Band 8 - Range A", "Band 5"], index=[3, 4, 5, 6, 7])
    out = normalise_bands(s)
    assert list(out.index) == [3, 4, 5, 6, 7]
    assert out.iloc[0] == "Band 5" and out.iloc[3] == "Band 8a" and out.iloc[4] == "Band 5"
    assert out.isna().tolist() == [False, True, True, False, False]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Y", True),
        (" TRUE ", True),
        ("1", True),
        ("t", True),
        ("No", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("1.0", True),
    ],
)
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Clinical", True),
        ("clinical", True),
        ("Non-clinical", False),
        ("non clinical", False),
        ("NON-CLINICAL", False),
        ("Nonclinical", False),
        ("yes", True),
        ("0", False),
    ],
)
def test_parse_bool_clinical(value, expected):
    assert parse_bool(value, clinical=True) is expected


@pytest.mark.parametrize("value", ["", None, "maybe", "2", "yess", "clinical"])
def test_parse_bool_invalid(value):
    with pytest.raises(ValueError, match="expected"):
        parse_bool(value)


def test_parse_bools_vectorised():
    s = pd.Series(["yes", "no", "x", "", "Clinical"], index=[5, 6, 7, 8, 9])
    plain = parse_bools(s)
    assert plain.isna().tolist() == [False, False, True, True, True]
    clin = parse_bools(s, clinical=True)
    assert clin.iloc[4] is True or bool(clin.iloc[4]) is True
    assert str(clin.dtype) == "boolean" and list(clin.index) == [5, 6, 7, 8, 9]
