"""Staff survey question numbers kept as data, and the redesign flags."""

import pytest

from wres_utils.core import survey


@pytest.mark.parametrize(
    "ind, year, q",
    [
        ("5", 2015, "KF25"),
        ("5", 2017, "KF25"),
        ("5", 2018, "Q13a"),
        ("5", 2021, "Q14a"),
        ("6", 2019, "Q13b + Q13c"),
        ("6", 2022, "Q14b + Q14c"),
        (7, 2016, "KF21"),
        ("7", 2020, "Q14"),
        ("7", 2023, "Q15"),
        ("8", 2015, "Q17b"),
        ("8", 2018, "Q15b"),
        ("8", 2021, "Q16b"),
    ],
)
def test_question_for(ind, year, q):
    assert survey.question_for(ind, year) == q


def test_wres_year_uses_previous_survey():
    # WRES 2021 uses the 2020 survey: Q13a for indicator 5
    assert survey.survey_year_for(2021) == 2020
    assert survey.question_for("5", survey.survey_year_for(2021)) == "Q13a"


def test_question_for_rejects_unknown():
    with pytest.raises(ValueError):
        survey.question_for("3", 2020)
    with pytest.raises(ValueError):
        survey.question_for("5", 2014)


def test_redesign_between():
    assert survey.redesign_between(2017, 2018)
    assert survey.redesign_between(2020, 2021)
    assert survey.redesign_between(2021, 2016)
    assert not survey.redesign_between(2018, 2020)
    assert not survey.redesign_between(2021, 2023)


def test_renumbered_is_not_changed():
    # 2021: every WRES question was renumbered with its wording kept: comparable
    for ind in ("5", "6", "7", "8"):
        assert survey.change_between(ind, 2020, 2021) == "renumbered"
        assert not survey.wording_changed_between(ind, 2020, 2021)
        assert survey.renumbered_between(ind, 2020, 2021)
    # 2018: indicators 5-7 moved from key findings to the questions' own results: changed
    for ind in ("5", "6", "7"):
        assert survey.wording_changed_between(ind, 2017, 2018)
    assert survey.change_between("8", 2017, 2018) == "renumbered"  # Q17b -> Q15b
    assert survey.change_between("5", 2018, 2020) == ""
    assert survey.change_between("5", 2016, 2022) == "changed"  # the worse of the two
