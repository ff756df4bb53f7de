"""Sentences are made from disclosed display strings only."""

from pathlib import Path

import pandas as pd
import pytest

from wres_utils import disclosure
from wres_utils.counts import normalise_dtypes
from wres_utils.indicators import compute_indicators
from wres_utils.narrative import sentence, sentences
from wres_utils.params import Labels, Suppression, Unit

DATA = Path(__file__).resolve().parents[1] / "data" / "handwritten_counts.csv"
UNITS = [Unit(id=c, name=c, members=(c,)) for c in ("AA1", "BB2", "CC3")]
LABELS = Labels(bme="ethnic minority")


def load_counts() -> pd.DataFrame:
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    return normalise_dtypes(
        raw.assign(year=raw["year"].astype(int), value=raw["value"].astype(int))
    )


@pytest.fixture(scope="module")
def table():
    return disclosure.disclose(compute_indicators(load_counts(), UNITS))


def test_relative_likelihood_sentence(table):
    s = sentences(table, "AA1", 2021, LABELS)
    assert s["2"] == (
        "White applicants were 1.50 times as likely as ethnic minority applicants to be "
        "appointed from shortlisting (95% confidence interval 0.80 to 2.82). This is outside "
        "the 0.80-1.25 range that NHS England treats as non-adverse: White applicants are "
        "favoured."
    )
    bb2 = sentences(table, "BB2", 2021, LABELS)
    assert "1.05 times as likely" in bb2["3"] and "within the 0.80-1.25 range" in bb2["3"]


def test_indicator1_and_survey_sentences(table):
    s = sentences(table, "AA1", 2021, LABELS)
    assert s["1"] == (
        "Ethnic minority staff made up 23.6% of all staff. 92.9% of staff had "
        "their ethnicity recorded."
    )
    assert s["5"].startswith(
        "In the staff survey (question Q13a), 30.0% of ethnic minority "
        "staff and 25.0% of White staff"
    )
    assert "was higher than for White staff" in s["5"]


def test_suppressed_not_calculable_not_collected(table):
    # Board counts withheld when they are not public (params board_public: false).
    private = disclosure.disclose(
        compute_indicators(load_counts(), UNITS), settings=Suppression(board_public=False)
    )
    s = sentences(private, "AA1", 2021, LABELS)
    assert s["9a"].startswith(
        "The ethnic minority share of voting Board members is withheld to protect confidentiality."
    )
    assert "20.0%" not in s["9a"]  # 2 of 10: never shown
    assert "not collected" in s["4"]
    cc3 = sentences(private, "CC3", 2021, LABELS)
    assert "cannot be calculated: no ethnic minority applicants were shortlisted" in cc3["2"]
    assert "withheld" in cc3["1"]


def test_board_sentence_when_shown():
    t = disclosure.disclose(compute_indicators(load_counts(), UNITS), min_count=1)
    s = sentences(t, "AA1", 2021)
    # 2 of 10 = 20.0%; workforce 33/140 = 23.6%; difference -3.6 points
    assert s["9a"] == (
        "BME members made up 20.0% of the Board's voting members, against 23.6% "
        "of the workforce. The difference is -3.6 percentage points."
    )


def test_sentences_never_read_values(table):
    # scrambling every number behind the display strings changes no sentence
    scrambled = table.assign(value=-999.0)
    for c in ("numerator", "denominator", "numerator2", "denominator2"):
        scrambled[c] = pd.array([999] * len(table), dtype="Int64")
    for unit in ("AA1", "BB2", "CC3"):
        assert sentences(scrambled, unit, 2021) == sentences(table, unit, 2021)


def test_works_on_the_published_copy_read_back(table, tmp_path):
    pub = disclosure.published_copy(table)
    pub.to_csv(tmp_path / "i.csv", index=False)
    back = pd.read_csv(tmp_path / "i.csv", dtype={"indicator": str, "group": str}).fillna(
        {"group": "", "band": "", "clinical": ""}
    )
    assert sentences(back, "AA1", 2021, LABELS) == sentences(table, "AA1", 2021, LABELS)


def test_needs_disclosed_table():
    with pytest.raises(ValueError):
        sentences(compute_indicators(load_counts(), UNITS), "AA1", 2021)
    assert sentence(pd.DataFrame(columns=["indicator"])) == ""
