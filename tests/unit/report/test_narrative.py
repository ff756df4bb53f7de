"""Sentences are made from disclosed display strings only."""

from pathlib import Path

import pandas as pd
import pytest

from wres_utils.compute.indicators import compute_indicators
from wres_utils.core.params import Labels, Suppression, Unit
from wres_utils.disclosure import gate as disclosure
from wres_utils.inputs.counts import normalise_dtypes
from wres_utils.report.narrative import sentence, sentences

DATA = Path(__file__).resolve().parents[2] / "data" / "handwritten_counts.csv"
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
        "0.80-1.25, the four-fifths guide this report uses (NHS England documents this range "
        "for indicator 3, not for this indicator): White applicants are favoured. The "
        "confidence interval includes 1 (equal likelihood), so the difference between White "
        "and ethnic minority applicants may be due to chance."
    )
    bb2 = sentences(table, "BB2", 2021, LABELS)
    assert "1.05 times as likely" in bb2["3"]
    assert "within 0.80-1.25, the range NHS England treats as non-adverse for this" in bb2["3"]


def _rr_rows(ind: str, rr: str, lo: str, hi: str, cls: str) -> pd.DataFrame:
    base = {
        "unit": "U",
        "year": 2021,
        "indicator": ind,
        "group": "",
        "band": "",
        "clinical": "",
        "status": "ok",
        "note": "",
        "small_numbers": "False",
    }
    return pd.DataFrame(
        [
            base | {"statistic": "relative_likelihood", "display": rr, "classification": cls},
            base | {"statistic": "ci_low", "display": lo, "classification": ""},
            base | {"statistic": "ci_high", "display": hi, "classification": ""},
        ]
    )


@pytest.mark.parametrize(
    ("ind", "rr", "lo", "hi", "cls", "chance"),
    [
        ("3", "1.10", "0.95", "1.27", "0.80-1.25", True),  # inside the range, CI includes 1
        ("3", "2.00", "1.00", "4.00", "above 1.25", True),  # the interval touches 1
        ("4", "1.60", "1.20", "2.13", "above 1.25", False),  # the interval excludes 1
        ("2", "0.70", "0.40", "1.22", "below 0.80", True),
        ("2", "1.10", "1.02", "1.19", "0.80-1.25", False),
    ],
)
def test_an_interval_that_includes_1_says_the_difference_may_be_chance(
    ind, rr, lo, hi, cls, chance
):
    s = sentence(_rr_rows(ind, rr, lo, hi, cls))
    assert ("may be due to chance" in s) is chance
    # the range is NHS England's for indicator 3 only; a four-fifths guide for 2 and 4
    assert ("NHS England treats as non-adverse for this indicator" in s) is (ind == "3")
    assert ("four-fifths guide this report uses" in s) is (ind != "3")


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


def _survey_rows(year: int, question: str, redesign: str) -> pd.DataFrame:
    base = {
        "unit": "U",
        "year": year,
        "indicator": "7",
        "band": "",
        "clinical": "",
        "statistic": "percent",
        "status": "ok",
        "note": "",
        "question": question,
        "redesign": redesign,
    }
    return pd.DataFrame(
        [base | {"group": "White", "display": "60.0%"}, base | {"group": "BME", "display": "45.0%"}]
    )


def test_a_renumbered_question_compares_and_a_changed_one_is_flagged():
    renumbered = sentence(_survey_rows(2022, "Q15", "False"))
    assert "renumbered (it was Q14 in the previous survey)" in renumbered
    assert "not like for like" not in renumbered
    changed = sentence(_survey_rows(2019, "Q14", "True"))
    assert "not like for like" in changed and "renumbered" not in changed
    same = sentence(_survey_rows(2021, "Q14", "False"))
    assert "renumbered" not in same and "not like for like" not in same


def test_indicator3_headlines_the_basis_of_the_params_and_shows_both(table):
    # AA1 disciplinary: 2021 alone BME 0/33, White 10/97 -> 0.00. Two-year pooled (cases over
    # headcounts of 2020 and 2021): BME (0 + 2) / (33 + 18) = 0.0392, White (10 + 8) /
    # (97 + 38) = 0.1333 -> 0.294 -> 0.29
    t = disclosure.disclose(compute_indicators(load_counts(), UNITS), min_count=1)
    two = sentences(t, "AA1", 2021, LABELS, indicator3_basis="two_year")["3"]
    assert two.startswith(
        "Over this year and last year together (two-year pooled, as NHS England's guidance "
        "asks), ethnic minority staff were 0.29 times as likely"
    )
    assert two.endswith("On this year's figures alone the relative likelihood was 0.00.")
    one = sentences(t, "AA1", 2021, LABELS, indicator3_basis="single_year")["3"]
    assert one.startswith("Ethnic minority staff were 0.00 times as likely")
    assert one.endswith("(two-year pooled) the relative likelihood was 0.29.")
    # no previous year (BB2): the single year, and why the two-year figure is missing
    bb2 = sentences(t, "BB2", 2021, LABELS)["3"]
    assert "1.05 times as likely" in bb2 and "needs last year's figures" in bb2


def test_sentence_of_is_the_sentences_entry(table):
    """One indicator's sentence, written alone, is the one sentences() writes for it."""
    from wres_utils.report import narrative

    unit, year = table["unit"].iloc[0], int(table["year"].max())
    every = narrative.sentences(table, unit, year)
    assert len(every) > 5
    for ind, text in every.items():
        assert narrative.sentence_of(table, unit, year, ind) == text
    assert narrative.sentence_of(table, unit, year, "no such indicator") == ""
