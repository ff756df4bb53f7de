"""The catalogue: what the indicators are called and how they are summarised, defined once.

Every stage reads these names from here: indicator ids and titles, the headline statistic of
each indicator, the statuses of a figure, the symbols readers see for a figure that is not a
number (``[c]`` withheld, ``[x]`` not available) and their legend, and the orientation of
each relative likelihood. Imports nothing from wres_utils.
"""

from __future__ import annotations

import math

#: The statuses of a figure in the indicators table.
OK = "ok"
NOT_CALCULABLE = "not_calculable"
NOT_COLLECTED = "not_collected"
SUPPRESSED = "suppressed"  # the status; readers see MARKER

#: The blanks convention, defined here once (UK government statistics shorthand, GSS/ONS):
#: a figure that is not a number is shown as one of two symbols, in every table of the HTML,
#: the PDF and the published CSV (``display``), never as a dash or words.
#:
#: - ``[c]``: withheld to protect confidentiality (disclosure control);
#: - ``[x]``: not available: not collected, not calculable or not applicable.
#:
#: Why a figure is ``[x]`` (not collected, not calculable) is said in words where it matters:
#: in the ``status`` and ``note`` columns of the CSV, and in a table's note.
MARKER = "[c]"
UNAVAILABLE = "[x]"
#: What each symbol means, in words (a screen reader's expansion of the symbol).
SYMBOL_MEANINGS: dict[str, str] = {
    MARKER: "withheld to protect confidentiality",
    UNAVAILABLE: "not available",
}
#: The legend of each symbol, printed once under a table (or a section) that uses it.
LEGEND: dict[str, str] = {
    MARKER: "[c] withheld to protect confidentiality: with the other published figures it "
    "could help identify individual staff. A withheld figure may be any value, 0 included.",
    UNAVAILABLE: "[x] not available: not collected, not calculable or not applicable.",
}
#: The symbol readers see for each status of a figure that is not a number.
STATUS_SYMBOLS: dict[str, str] = {
    NOT_COLLECTED: UNAVAILABLE,
    NOT_CALCULABLE: UNAVAILABLE,
    SUPPRESSED: MARKER,
}
#: Why a figure is not a number, in words (the reason behind a symbol; the template's words).
STATUS_WORDS: dict[str, str] = {
    NOT_COLLECTED: "not collected",
    NOT_CALCULABLE: "not calculable",
    SUPPRESSED: MARKER,
}


def legend(symbols: object) -> list[str]:
    """The legend lines of the symbols found in ``symbols`` (any container of strings, or
    one string), in the order ``[c]``, ``[x]``; one line per symbol, never two."""
    found = [symbols] if isinstance(symbols, str) else list(symbols)  # type: ignore[call-overload]
    return [LEGEND[s] for s in LEGEND if any(s in str(v) for v in found)]


INDICATORS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b")
ALL_BANDS = "All"
ALL_CLINICAL = "all"

#: Headings of the indicators as the NHS England template words them (short form).
TITLES: dict[str, str] = {
    "1": "Indicator 1: staff in each pay band",
    "2": "Indicator 2: appointment from shortlisting",
    "3": "Indicator 3: entering the formal disciplinary process",
    "4": "Indicator 4: non-mandatory training and CPD",
    "5": "Indicator 5: harassment, bullying or abuse from patients, relatives or the public",
    "6": "Indicator 6: harassment, bullying or abuse from staff",
    "7": "Indicator 7: equal opportunities for career progression or promotion",
    "8": "Indicator 8: discrimination from a manager, team leader or colleague",
    "9a": "Indicator 9a: Board voting membership against the workforce",
    "9b": "Indicator 9b: Board executive membership against the workforce",
}
#: The statistic each indicator is summarised by in the one-screen summary.
HEADLINE: dict[str, tuple[str, str]] = {
    "1": ("percent", "BME"),
    "2": ("relative_likelihood", ""),
    "3": ("relative_likelihood", ""),
    "4": ("relative_likelihood", ""),
    **{i: ("percent", g) for i in ("5", "6", "7", "8") for g in ("BME",)},
    "9a": ("percentage_points", ""),
    "9b": ("percentage_points", ""),
}
#: The statistic of each indicator's headline figure.
HEADLINE_STATISTIC: dict[str, str] = {i: stat for i, (stat, _) in HEADLINE.items()}

#: Long titles, as the NHS England template words the indicators (the provider tables).
LONG_TITLES: dict[str, str] = {
    "1": "Indicator 1: BME share of the workforce, and the declaration rate",
    "2": "Indicator 2: relative likelihood of White applicants being appointed from shortlisting "
    "compared to BME applicants",
    "3": "Indicator 3: relative likelihood of BME staff entering the formal disciplinary process "
    "compared to White staff",
    "4": "Indicator 4: relative likelihood of White staff accessing non-mandatory training and "
    "CPD compared to BME staff",
    "5": "Indicator 5: % of staff experiencing harassment, bullying or abuse from patients, "
    "relatives or the public",
    "6": "Indicator 6: % of staff experiencing harassment, bullying or abuse from staff",
    "7": "Indicator 7: % of staff believing the organisation provides equal opportunities for "
    "career progression or promotion",
    "8": "Indicator 8: % of staff personally experiencing discrimination from a manager, team "
    "leader or colleague",
    "9a": "Indicator 9a: BME share of Board voting members minus BME share of the workforce",
    "9b": "Indicator 9b: BME share of Board executive members minus BME share of the workforce",
}

#: Relative likelihoods: (event measure, denominator measure, numerator group, comparator group,
#: population word, "were in the denominator" words, event words, outcome is an advantage).
RR_SPEC: dict[str, tuple[str, str, str, str, str, str, str, bool]] = {
    "2": (
        "appointed",
        "shortlisted",
        "White",
        "BME",
        "applicants",
        "were shortlisted",
        "were appointed from shortlisting",
        True,
    ),
    "3": (
        "disciplinary",
        "headcount",
        "BME",
        "White",
        "staff",
        "were in post",
        "entered the formal disciplinary process",
        False,
    ),
    "4": (
        "training",
        "headcount",
        "White",
        "BME",
        "staff",
        "were in post",
        "accessed non-mandatory training or CPD",
        True,
    ),
}


def distance_from_equal(rr: float) -> float:
    """|ln RR|: how far a relative likelihood is from 1 (equal likelihood) on the log scale.

    The range 0.80-1.25 is symmetric on this scale (0.80 = 1/1.25), so 1.25 -> 0.79 moves
    *away* from equal although |RR - 1| falls from 0.25 to 0.21. A relative likelihood of 0
    is infinitely far from equal.
    """
    return math.inf if rr <= 0 else abs(math.log(rr))
