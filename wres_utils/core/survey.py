"""NHS Staff Survey question numbers behind WRES indicators 5-8, kept as data.

WRES year Y uses the survey run in the autumn of year Y-1 (WRES 2021 uses the 2020 survey).
The questions were renumbered by the survey redesigns of 2018 and 2021 (survey years).
"""

from __future__ import annotations

#: Survey years from which a new question set applies (the 2018 and 2021 redesigns).
REDESIGN_YEARS: tuple[int, ...] = (2018, 2021)

#: First survey year covered by the table.
FIRST_SURVEY_YEAR = 2015

#: indicator -> ((first survey year of the period, question), ...), latest period last.
QUESTIONS: dict[str, tuple[tuple[int, str], ...]] = {
    "5": ((2015, "KF25"), (2018, "Q13a"), (2021, "Q14a")),
    "6": ((2015, "KF26"), (2018, "Q13b + Q13c"), (2021, "Q14b + Q14c")),
    "7": ((2015, "KF21"), (2018, "Q14"), (2021, "Q15")),
    "8": ((2015, "Q17b"), (2018, "Q15b"), (2021, "Q16b")),
}


def survey_year_for(wres_year: int) -> int:
    """The staff survey year that a WRES year uses (the autumn before): ``wres_year - 1``."""
    return int(wres_year) - 1


def question_for(indicator: str | int, survey_year: int) -> str:
    """The survey question (e.g. ``"Q14a"``) used for WRES ``indicator`` (5-8) in ``survey_year``.

    Raises ValueError for an indicator other than 5-8 or a survey year before 2015.
    """
    key = str(indicator)
    if key not in QUESTIONS:
        raise ValueError(f"indicator {indicator!r} is not a staff survey indicator (5, 6, 7, 8)")
    if survey_year < FIRST_SURVEY_YEAR:
        raise ValueError(f"no question numbers recorded for survey year {survey_year}")
    found = ""
    for first, question in QUESTIONS[key]:
        if survey_year >= first:
            found = question
    return found


def redesign_between(y1: int, y2: int) -> bool:
    """True when a survey redesign falls between survey years ``y1`` and ``y2`` (either order).

    A redesign in year R separates R-1 from R: ``redesign_between(2017, 2018)`` is True,
    ``redesign_between(2018, 2020)`` is False.
    """
    lo, hi = sorted((int(y1), int(y2)))
    return any(lo < r <= hi for r in REDESIGN_YEARS)
