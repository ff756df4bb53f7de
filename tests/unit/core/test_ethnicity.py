"""Ethnic category codes to WRES groups: every Data Dictionary code, ESR strings, junk."""

from __future__ import annotations

import pandas as pd
import pytest

from wres_utils.core.ethnicity import (
    BROAD_BY_LETTER,
    broad_group,
    broad_groups,
    classify,
    is_recognised,
    parse_code,
    wres_group,
    wres_groups,
)

WHITE = list("ABC")
BME = list("DEFGHJKLMNPRS")
BROAD = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    **dict.fromkeys("RS", "Other"),
}
SUBCODE_SECOND = ["A", "P", "Y", "3", "C", "H", "1", "z"]


@pytest.mark.parametrize("letter", WHITE + BME)
def test_every_letter_code_maps_to_its_groups(letter):
    expected = "White" if letter in WHITE else "BME"
    for value in (letter, letter.lower(), f"{letter} Some words", f" {letter} - words "):
        assert parse_code(value) == letter
        assert wres_group(value) == expected
        assert broad_group(value) == BROAD[letter]
        assert is_recognised(value)


@pytest.mark.parametrize("letter", WHITE + BME)
@pytest.mark.parametrize("second", SUBCODE_SECOND)
def test_every_subcode_follows_its_letter(letter, second):
    code = f"{letter}{second}"
    value = f"{code} Description - words"
    assert parse_code(value) == code.upper()
    assert wres_group(value) == ("White" if letter in WHITE else "BME")
    assert broad_group(value) == BROAD[letter]


def test_broad_table_matches_the_spec():
    assert BROAD_BY_LETTER == BROAD


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        None,
        float("nan"),
        pd.NA,
        "Z",
        "Z Not Stated",
        "z not stated",
        "ZZ Not stated",
        "99",
        "99 Not Known",
        "9",
        "9 Not known",
        "X",
        "X Not known",
    ],
)
def test_known_unknowns_are_unknown_and_recognised(value):
    assert wres_group(value) == "Unknown"
    assert broad_group(value) == "Unknown"
    assert is_recognised(value)


@pytest.mark.parametrize(
    "value",
    [
        "White",
        "white british",
        "Black",
        "Asian",
        "BME",
        "Not stated",
        "??",
        "I Foo",
        "O",
        "Q",
        "T1 Foo",
        "U",
        "V",
        "W",
        "Y",
        "98 Not known",
        "999",
        "ABC",
        "1",
        "-",
        "A1B2",
    ],
)
def test_unreadable_values_are_unknown_and_unrecognised(value):
    assert parse_code(value) is None
    assert wres_group(value) == "Unknown"
    assert broad_group(value) == "Unknown"
    assert not is_recognised(value)


@pytest.mark.parametrize(
    ("value", "code", "group", "broad"),
    [
        ("A White - British", "A", "White", "White"),
        ("C3 White - Other", "C3", "White", "White"),
        ("CP Polish", "CP", "White", "White"),
        ("CY Other White European", "CY", "White", "White"),
        ("N Black or Black British - African", "N", "BME", "Black"),
        ("LH Asian British", "LH", "BME", "Asian"),
        ("GC Mixed - Black and White", "GC", "BME", "Mixed"),
        ("SC Filipino", "SC", "BME", "Other"),
        ("R Chinese", "R", "BME", "Other"),
        ("Z Not Stated", "Z", "Unknown", "Unknown"),
        ("99 Not Known", "99", "Unknown", "Unknown"),
        ("CA-English", "CA", "White", "White"),
        ("c3 white - other", "C3", "White", "White"),
    ],
)
def test_esr_strings(value, code, group, broad):
    assert parse_code(value) == code
    assert wres_group(value) == group
    assert broad_group(value) == broad


def test_words_never_decide():
    # "A" at the start is the code; the words after it are ignored even when contradictory.
    assert wres_group("A Black British") == "White"
    assert wres_group("N White") == "BME"
    # A word that merely starts with a code letter is not a code.
    assert parse_code("Asian or Asian British") is None
    assert parse_code("Mixed") is None


def test_vectorised_versions_agree_with_scalar_and_keep_the_index():
    values = pd.Series(
        ["A White - British", "N Black", "", None, "White", "99 Not Known", "N Black", "??"],
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    c = classify(values)
    assert list(c.index) == list(values.index)
    assert list(c["group"]) == [wres_group(v) for v in values]
    assert list(c["broad"]) == [broad_group(v) for v in values]
    assert list(c["recognised"]) == [True, True, True, True, False, True, True, False]
    groups, recognised = wres_groups(values)
    assert list(groups) == [
        "White",
        "BME",
        "Unknown",
        "Unknown",
        "Unknown",
        "Unknown",
        "BME",
        "Unknown",
    ]
    assert recognised.sum() == 6
    broads, _ = broad_groups(values)
    assert broads.iloc[1] == "Black"


def test_vectorised_on_an_empty_series():
    c = classify(pd.Series([], dtype="str"))
    assert c.empty and list(c.columns) == ["code", "group", "broad", "recognised"]


@pytest.mark.parametrize("junk", ["n/a", "N/A", "N.", "n.k.", "A/B", "C.3"])
def test_abbreviations_are_not_read_as_codes(junk):
    """'n/a' is junk, not code N (Black African): a code is followed by a space, dash or end."""
    assert wres_group(junk) == "Unknown"
    assert not is_recognised(junk)
