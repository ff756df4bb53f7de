"""NHS Staff Survey question numbers behind WRES indicators 5-8, kept as data.

WRES year Y uses the survey run in the autumn of year Y-1 (WRES 2021 uses the 2020 survey).
The survey was redesigned in 2018 and 2021 (survey years). A redesign can do two different
things to a WRES question, and the reports treat them differently:

- **renumbered**: the same question with the same wording under a new number (all four in
  2021: Q13a -> Q14a, Q13b + Q13c -> Q14b + Q14c, Q14 -> Q15, Q15b -> Q16b; indicator 8 in
  2018: Q17b -> Q15b). The figures compare over time: the report names both numbers and
  raises no flag.
- **changed**: what is measured changed (indicators 5-7 in 2018: the WRES took the
  survey's key findings KF25, KF26 and KF21 up to the 2017 survey, and the questions' own
  results from 2018). The comparison across it is flagged as not like for like.

docs/methodology.md ("Staff survey questions") gives the map and the reasons.
"""

from __future__ import annotations

from typing import Literal

#: Survey years from which a new question set applies (the 2018 and 2021 redesigns).
REDESIGN_YEARS: tuple[int, ...] = (2018, 2021)

#: First survey year covered by the table.
FIRST_SURVEY_YEAR = 2015

RENUMBERED = "renumbered"
CHANGED = "changed"
Change = Literal["", "renumbered", "changed"]

#: indicator -> ((first survey year of the period, question, how it differs from the
#: previous period), ...), latest period last.
PERIODS: dict[str, tuple[tuple[int, str, Change], ...]] = {
    "5": ((2015, "KF25", ""), (2018, "Q13a", CHANGED), (2021, "Q14a", RENUMBERED)),
    "6": ((2015, "KF26", ""), (2018, "Q13b + Q13c", CHANGED), (2021, "Q14b + Q14c", RENUMBERED)),
    "7": ((2015, "KF21", ""), (2018, "Q14", CHANGED), (2021, "Q15", RENUMBERED)),
    "8": ((2015, "Q17b", ""), (2018, "Q15b", RENUMBERED), (2021, "Q16b", RENUMBERED)),
}
#: indicator -> ((first survey year of the period, question), ...), latest period last.
QUESTIONS: dict[str, tuple[tuple[int, str], ...]] = {
    k: tuple((y, q) for y, q, _ in v) for k, v in PERIODS.items()
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


def change_between(indicator: str | int, y1: int, y2: int) -> Change:
    """What happened to an indicator's question between survey years ``y1`` and ``y2``.

    "changed" if any redesign between them changed the measure; else "renumbered" if any
    renumbered it (same wording); else "". E.g. ``change_between("7", 2020, 2021)`` ->
    "renumbered"; ``change_between("7", 2017, 2018)`` -> "changed".
    """
    key = str(indicator)
    if key not in PERIODS:
        raise ValueError(f"indicator {indicator!r} is not a staff survey indicator (5, 6, 7, 8)")
    lo, hi = sorted((int(y1), int(y2)))
    kinds = {kind for first, _, kind in PERIODS[key] if lo < first <= hi and kind}
    if CHANGED in kinds:
        return CHANGED
    return RENUMBERED if RENUMBERED in kinds else ""


def wording_changed_between(indicator: str | int, y1: int, y2: int) -> bool:
    """True when the comparison of survey years ``y1`` and ``y2`` is not like for like."""
    return change_between(indicator, y1, y2) == CHANGED


def renumbered_between(indicator: str | int, y1: int, y2: int) -> bool:
    """True when the question was only renumbered (same wording) between the two years."""
    return change_between(indicator, y1, y2) == RENUMBERED


def redesign_between(y1: int, y2: int) -> bool:
    """True when a survey redesign (renumbering or change) falls between survey years.

    A redesign in year R separates R-1 from R: ``redesign_between(2017, 2018)`` is True,
    ``redesign_between(2018, 2020)`` is False. Whether the comparison still holds is
    :func:`wording_changed_between`.
    """
    lo, hi = sorted((int(y1), int(y2)))
    return any(lo < r <= hi for r in REDESIGN_YEARS)
