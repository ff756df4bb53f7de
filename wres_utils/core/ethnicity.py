"""Ethnic category codes (NHS Data Dictionary) to WRES groups and the five broad groups.

The mapping reads only the *leading code token* of a value, never its words: ESR writes
``"C3 White - Other"``, ``"N Black or Black British - African"``, ``"99 Not Known"``.
``"White"`` on its own has no readable code, so it is Unknown *and* unrecognised (reported in
the data-quality section with its count).

Codes (case-insensitive, as the leading token only):

- White: A, B, C; BME: D, E, F, G (Mixed), H, J, K, L (Asian), M, N, P (Black), R, S (Other);
  every two-character sub-code that starts with one of those letters (CA, CP, C3, LH, GC, SC...).
- Known-unknown (recognised, group Unknown): Z (not stated) and its sub-codes, 99, 9, X, blank.
- Anything else: Unknown and unrecognised.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

WHITE = "White"
BME = "BME"
UNKNOWN = "Unknown"

#: Letters of the White codes.
WHITE_LETTERS = "ABC"
#: Letters of the BME codes, by broad group.
BROAD_BY_LETTER: dict[str, str] = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    **dict.fromkeys("RS", "Other"),
}
#: Broad groups in display order.
BROAD_GROUPS: tuple[str, ...] = ("White", "Mixed", "Asian", "Black", "Other", "Unknown")
#: Codes (and sub-code letters) that mean "not stated / not known": recognised, group Unknown.
UNKNOWN_LETTERS = "ZX"
UNKNOWN_NUMERIC = ("99", "9")

# The leading token: one letter optionally followed by one letter or digit, or 99 / 9; then
# the end of the value or a separator (space, hyphen, dash, colon, semicolon, bracket); never
# "/" or "." ("n/a" is junk, not code N).
_TOKEN = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]?|99|9)(?=$|[\s\-\u2013\u2014:;(])")


def parse_code(value: object) -> str | None:
    """The Data Dictionary code at the start of ``value`` (upper case), or None if unreadable.

    Blank values give ``""`` (a known "not stated"). ``"C3 White - Other"`` -> ``"C3"``,
    ``"99 Not Known"`` -> ``"99"``, ``"White"`` -> None.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    if not text:
        return ""
    m = _TOKEN.match(text)
    if not m:
        return None
    code = m.group(1).upper()
    if code in UNKNOWN_NUMERIC:
        return code
    if code[0] in BROAD_BY_LETTER or code[0] in UNKNOWN_LETTERS:
        return code
    return None


def _classify_code(code: str | None) -> tuple[str, str, bool]:
    """(WRES group, broad group, recognised) of a parsed code."""
    if code is None:
        return UNKNOWN, UNKNOWN, False
    if code == "" or code in UNKNOWN_NUMERIC or code[0] in UNKNOWN_LETTERS:
        return UNKNOWN, UNKNOWN, True
    broad = BROAD_BY_LETTER[code[0]]
    return (WHITE if code[0] in WHITE_LETTERS else BME), broad, True


def wres_group(value: object) -> str:
    """``"White"``, ``"BME"`` or ``"Unknown"`` for one ethnic-origin value."""
    return _classify_code(parse_code(value))[0]


def broad_group(value: object) -> str:
    """``"White"``, ``"Mixed"``, ``"Asian"``, ``"Black"``, ``"Other"`` or ``"Unknown"``."""
    return _classify_code(parse_code(value))[1]


def is_recognised(value: object) -> bool:
    """True when the value is blank or has a readable code (Z, 99, 9, X included)."""
    return _classify_code(parse_code(value))[2]


def classify(values: pd.Series) -> pd.DataFrame:
    """Vectorised classification of a Series of ethnic-origin values.

    Returns a frame with the same index and columns ``code`` (str, "" blank, NA unreadable),
    ``group`` (White/BME/Unknown), ``broad`` (the five broad groups or Unknown) and
    ``recognised`` (bool). Each distinct value is parsed once, then mapped back.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = [_classify_code(parse_code(u)) for u in uniques]
    # Append the classification of a missing value at the end (index -1 -> last element).
    parsed.append(_classify_code(""))
    code_strs = [parse_code(u) for u in uniques] + [""]
    groups = np.array([p[0] for p in parsed], dtype=object)[codes]
    broads = np.array([p[1] for p in parsed], dtype=object)[codes]
    recognised = np.array([p[2] for p in parsed], dtype=bool)[codes]
    code_arr = np.array(code_strs, dtype=object)[codes]
    return pd.DataFrame(
        {
            "code": pd.array(code_arr, dtype="str"),
            "group": pd.array(groups, dtype="str"),
            "broad": pd.array(broads, dtype="str"),
            "recognised": recognised,
        },
        index=values.index,
    )


def wres_groups(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`wres_group`: (groups, recognised) Series with the input's index."""
    c = classify(values)
    return c["group"], c["recognised"]


def broad_groups(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`broad_group`: (broad groups, recognised) Series with the input's index."""
    c = classify(values)
    return c["broad"], c["recognised"]
