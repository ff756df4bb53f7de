"""The indicators table's shape: its columns (the data contract's and the helpers the
disclosure gate needs), the statistics, the report order and what each indicator needs
from the counts table.
"""

from __future__ import annotations

from wres_utils.core import bands

#: The columns of docs/data-contract.md section 3, in order.
CONTRACT_COLUMNS: list[str] = [
    "unit",
    "year",
    "indicator",
    "group",
    "band",
    "clinical",
    "statistic",
    "value",
    "status",
    "note",
    "display",
]
#: Machine-readable flags that are published too (blanked where a row is suppressed).
EXTRA_COLUMNS: list[str] = ["classification", "small_numbers", "question", "redesign"]
#: Analyst-only columns used by disclosure control; never published.
HELPER_COLUMNS: list[str] = [
    "numerator",
    "denominator",
    "numerator2",
    "denominator2",
    "members",
    "basis",
]
#: Every column of the table returned by :func:`compute_indicators`.
COLUMNS: list[str] = CONTRACT_COLUMNS + EXTRA_COLUMNS + HELPER_COLUMNS
COUNT_HELPERS: list[str] = HELPER_COLUMNS[:4]

BANDS = bands.INDICATOR1_ROWS
CLINICAL_ORDER: tuple[str, ...] = ("clinical", "non-clinical")
GROUP_ORDER: tuple[str, ...] = ("White", "BME", "Unknown", "")
STATISTICS: tuple[str, ...] = (
    "count",
    "denominator",
    "percent",
    "rate",
    "declaration_rate",
    "relative_likelihood",
    "ci_low",
    "ci_high",
    "relative_likelihood_2yr",
    "ci_low_2yr",
    "ci_high_2yr",
    "workforce_percent",
    "percentage_points",
)
GROUPS = ["White", "BME", "Unknown"]

#: What each indicator needs, as (measure, indicator, board_role) keys of the counts table.
REQUIRES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "1": (("headcount", "", ""),),
    "2": (("shortlisted", "", ""), ("appointed", "", "")),
    "3": (("disciplinary", "", ""), ("headcount", "", "")),
    "4": (("training", "", ""), ("headcount", "", "")),
    **{i: (("survey_respondents", i, ""), ("survey_yes", i, "")) for i in ("5", "6", "7", "8")},
    "9a": (("board", "", "voting"),),
    "9b": (("board", "", "executive"),),
}
MEASURE_WORDS = {
    "headcount": "workforce headcount",
    "shortlisted": "shortlisting",
    "appointed": "appointments",
    "disciplinary": "disciplinary cases",
    "training": "non-mandatory training and CPD",
    "survey_respondents": "staff survey respondents",
    "survey_yes": "staff survey results",
    "board": "board membership",
}

SURVEY_WORDS = {
    "5": "experiencing harassment, bullying or abuse from patients, relatives or the public",
    "6": "experiencing harassment, bullying or abuse from staff",
    "7": "believing the organisation provides equal opportunities for career progression",
    "8": "personally experiencing discrimination at work from a manager or colleague",
}
BOARD_ROLE = {"9a": "voting", "9b": "executive"}
