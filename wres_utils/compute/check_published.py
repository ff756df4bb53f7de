"""Check the figures an organisation published against its own counts (``wres check-published``).

Input: a CSV (or XLSX) with one row per published figure. Columns (names matched case- and
space-insensitively):

- ``org_code``, ``year``, ``indicator`` (1, 2, 3, 4, 5, 6, 7, 8, 9a or 9b), ``published_value``
  (as printed: ``1.52``, ``23.1%``, ``+3.4 pp``);
- ``group`` for indicators 1 and 5-8: whose percentage was published (White or BME; default
  BME);
- the counts the indicator needs, named ``<group>_<measure>`` like the counts table:

  ====== =====================================================================================
  1      white_headcount, bme_headcount, unknown_headcount  (% of all staff)
  2      white_shortlisted, white_appointed, bme_shortlisted, bme_appointed
  3      white_headcount, white_disciplinary, bme_headcount, bme_disciplinary
  4      white_headcount, white_training, bme_headcount, bme_training
  5-8    white_survey_respondents, white_survey_yes, bme_survey_respondents, bme_survey_yes
  9a, 9b white_board, bme_board, unknown_board (members of that role), and white_headcount,
         bme_headcount, unknown_headcount (the workforce)
  ====== =====================================================================================

  Columns an indicator does not need may be left blank.

For each row the figure is recomputed from the unrounded counts (indicators.py's formulas and
orientation) and compared with the published value *within the rounding of the published
value* (a figure published with 2 decimals matches when it is within 0.005). When it does not
match, each hypothesis below is tested the same way and those that reproduce the published
value are named: orientation swapped (1/x, i.e. White and BME rates swapped); computed from
percentages rounded to 1 or 0 decimals; a percentage instead of a ratio (x100); a proportion
instead of a percentage (/100); White and BME figures swapped; the wrong denominator
(indicator 1: staff of known ethnicity); sign reversed (indicator 9); decimal point misplaced
(x10, /10); transcription (two adjacent digits transposed, or one digit wrong).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.core import rounding
from wres_utils.core.catalogue import RR_SPEC
from wres_utils.core.errors import InputError, Issue

#: The count columns each indicator needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "1": ("white_headcount", "bme_headcount", "unknown_headcount"),
    "2": ("white_shortlisted", "white_appointed", "bme_shortlisted", "bme_appointed"),
    "3": ("white_headcount", "white_disciplinary", "bme_headcount", "bme_disciplinary"),
    "4": ("white_headcount", "white_training", "bme_headcount", "bme_training"),
    **{
        i: (
            "white_survey_respondents",
            "white_survey_yes",
            "bme_survey_respondents",
            "bme_survey_yes",
        )
        for i in ("5", "6", "7", "8")
    },
    **{
        i: (
            "white_board",
            "bme_board",
            "unknown_board",
            "white_headcount",
            "bme_headcount",
            "unknown_headcount",
        )
        for i in ("9a", "9b")
    },
}
REQUIRED: tuple[str, ...] = ("org_code", "year", "indicator", "published_value")
#: Every count column of the format, in the order the example files write them.
COUNT_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(c for cols in NEEDS.values() for c in cols))
#: Columns of a published-figures CSV in the order the example files write them.
PUBLISHED_COLUMNS: tuple[str, ...] = (
    "org_code",
    "year",
    "indicator",
    "group",
    "published_value",
    *COUNT_FIELDS,
)
#: Columns of the result.
RESULT_COLUMNS: list[str] = [
    "line",
    "org_code",
    "year",
    "indicator",
    "group",
    "recomputed_value",
    "recomputed",
    "published",
    "matches",
    "likely_cause",
    "hypotheses_tested",
]
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
UNEXPLAINED = "no tested hypothesis reproduces the published value"


def parse_published(text: str) -> tuple[float, int]:
    """(value, decimals) of a published figure such as ``"1.52"``, ``"23.1%"``, ``"+3.4 pp"``.

    Raises ValueError when it is not a number.
    """
    s = str(text).strip().lower().replace(",", "").replace("\u2212", "-")
    for suffix in ("percentage points", "pp", "%", "times", "x"):
        s = s.removesuffix(suffix).strip()
    if not _NUMBER.match(s):
        raise ValueError(f"not a number: {text!r}")
    decimals = len(s.split(".", 1)[1]) if "." in s else 0
    return float(s), decimals


def _fmt(value: float, decimals: int) -> str:
    return f"{rounding.round_half_up(value, decimals):.{decimals}f}"


def _close(candidate: float | None, published: float, decimals: int) -> bool:
    if candidate is None or not np.isfinite(candidate):
        return False
    return abs(candidate - published) <= 0.5 * 10.0**-decimals + 1e-9


def _transcription(expected: float, published: float, decimals: int) -> str:
    """'digits transposed' / 'one digit wrong' when the published string is such a slip."""
    exp = _fmt(abs(expected), decimals).replace(".", "")
    pub = _fmt(abs(published), decimals).replace(".", "")
    if len(exp) != len(pub) or exp == pub:
        return ""
    diff = [i for i, (a, b) in enumerate(zip(exp, pub, strict=True)) if a != b]
    if (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and (exp[diff[0]], exp[diff[1]]) == (pub[diff[1]], pub[diff[0]])
    ):
        return "transcription: two adjacent digits transposed"
    if len(diff) == 1:
        return "transcription: one digit wrong"
    return ""


def _rate(n: float, d: float) -> float | None:
    return n / d if d > 0 else None


def _recompute(ind: str, c: dict[str, float], group: str) -> tuple[float | None, str, dict]:
    """(value, reason if not calculable, {hypothesis: candidate value})."""
    g, o = ("bme", "white") if group == "BME" else ("white", "bme")
    hyp: dict[str, float | None] = {}
    if ind == "1":
        total = c["white_headcount"] + c["bme_headcount"] + c["unknown_headcount"]
        if total <= 0:
            return None, "no staff", hyp
        v = c[f"{g}_headcount"] / total * 100
        hyp["White and BME figures swapped"] = c[f"{o}_headcount"] / total * 100
        known = c["white_headcount"] + c["bme_headcount"]
        if known > 0:
            hyp["denominator of staff of known ethnicity instead of all staff"] = (
                c[f"{g}_headcount"] / known * 100
            )
        hyp["a proportion (0-1) instead of a percentage"] = v / 100
        return v, "", hyp
    if ind in RR_SPEC:
        ev, den, num_g, _, *_ = RR_SPEC[ind]
        top, bottom = ("white", "bme") if num_g == "White" else ("bme", "white")
        rt = _rate(c[f"{top}_{ev}"], c[f"{top}_{den}"])
        rb = _rate(c[f"{bottom}_{ev}"], c[f"{bottom}_{den}"])
        if rt is None or rb is None:
            return None, "a group has no one in the denominator", hyp
        if rb == 0:
            return None, "the comparator group's rate is 0", hyp
        v = rt / rb
        if rt > 0:
            hyp["orientation swapped (1/x: White and BME rates swapped)"] = rb / rt
        for d in (1, 0):
            pt, pb = rounding.rounded(rt * 100, d), rounding.rounded(rb * 100, d)
            if pb > 0:
                hyp[f"computed from percentages rounded to {d} decimal(s)"] = pt / pb
        hyp["a percentage instead of a ratio (x100)"] = v * 100
        return v, "", hyp
    if ind in ("5", "6", "7", "8"):
        resp = c[f"{g}_survey_respondents"]
        if resp <= 0:
            return None, f"no {group} respondents", hyp
        v = c[f"{g}_survey_yes"] / resp * 100
        if c[f"{o}_survey_respondents"] > 0:
            hyp["White and BME figures swapped"] = (
                c[f"{o}_survey_yes"] / c[f"{o}_survey_respondents"] * 100
            )
        hyp["a proportion (0-1) instead of a percentage"] = v / 100
        return v, "", hyp
    # 9a / 9b: BME share of the Board role minus BME share of the workforce.
    board = c["white_board"] + c["bme_board"] + c["unknown_board"]
    staff = c["white_headcount"] + c["bme_headcount"] + c["unknown_headcount"]
    if board <= 0 or staff <= 0:
        return None, "no Board members or no staff", hyp
    b, w = c["bme_board"] / board * 100, c["bme_headcount"] / staff * 100
    v = b - w
    hyp["sign reversed (workforce minus Board)"] = -v
    hyp["White and BME figures swapped"] = (
        c["white_board"] / board * 100 - c["white_headcount"] / staff * 100
    )
    for d in (1, 0):
        hyp[f"computed from percentages rounded to {d} decimal(s)"] = rounding.rounded(
            b, d
        ) - rounding.rounded(w, d)
    hyp["proportions (0-1) instead of percentages"] = v / 100
    return v, "", hyp


def _display_decimals(ind: str) -> int:
    return 2 if ind in RR_SPEC else 1


def check_row(
    ind: str, counts: dict[str, float], published: str, group: str = "BME"
) -> dict[str, object]:
    """Recompute one published figure and test the hypotheses (see the module docstring)."""
    value, reason, hyp = _recompute(ind, counts, group)
    pub, dec = parse_published(published)
    if value is None:
        return {
            "recomputed_value": np.nan,
            "recomputed": "not calculable",
            "matches": False,
            "likely_cause": f"the figure cannot be calculated from these counts ({reason})",
            "hypotheses_tested": "",
        }
    tests: dict[str, Callable[[], bool]] = {
        name: (lambda c=cand: _close(c, pub, dec)) for name, cand in hyp.items()
    }
    tests["decimal point misplaced (x10 or /10)"] = lambda: (
        _close(value * 10, pub, dec) or _close(value / 10, pub, dec)
    )
    matches = _close(value, pub, dec)
    causes: list[str] = []
    if not matches:
        causes = [name for name, test in tests.items() if test()]
        slip = _transcription(value, pub, dec)
        if slip:
            causes.append(slip)
    tested = list(tests) + ["transcription (digits transposed, one digit wrong)"]
    return {
        "recomputed_value": value,
        "recomputed": _fmt(value, _display_decimals(ind)),
        "matches": matches,
        "likely_cause": "" if matches else (" or ".join(causes) if causes else UNEXPLAINED),
        "hypotheses_tested": "; ".join(tested),
    }


def check_published(path: Path) -> pd.DataFrame:
    """Check every row of a published-figures CSV; one result row per input row.

    Raises :class:`~wres_utils.core.errors.InputError` (naming file, line and column) when a
    required column is missing, an indicator is unknown, a needed count is not a whole number
    >= 0, or a published value is not a number. See the module docstring for the columns.
    """
    from wres_utils.inputs.read import read_table

    path = Path(path)
    raw, header_line = read_table(path)
    issues: list[Issue] = []
    for col in REQUIRED:
        if col not in raw.columns:
            issues.append(
                Issue(path, header_line, col, None, f"the columns {', '.join(REQUIRED)}, ...")
            )
    if issues:
        raise InputError(issues)
    rows: list[dict[str, object]] = []
    for line, r in raw.iterrows():
        ind = str(r["indicator"]).strip().lower().removesuffix(".0")
        if ind not in NEEDS:
            issues.append(Issue(path, int(line), "indicator", r["indicator"], "1 to 8, 9a or 9b"))
            continue
        counts: dict[str, float] = {}
        for col in NEEDS[ind]:
            text = str(r[col]).strip() if col in raw.columns else None
            if text is None or not re.fullmatch(r"[0-9]+", text or ""):
                issues.append(
                    Issue(path, int(line), col, text, f"a whole number >= 0 (for indicator {ind})")
                )
                continue
            counts[col] = float(text)
        group = "BME"
        if "group" in raw.columns and str(r["group"]).strip():
            g = str(r["group"]).strip().lower()
            if g not in ("white", "bme"):
                issues.append(Issue(path, int(line), "group", r["group"], "White or BME"))
                continue
            group = "White" if g == "white" else "BME"
        try:
            parse_published(r["published_value"])
        except ValueError:
            issues.append(
                Issue(path, int(line), "published_value", r["published_value"], "a number")
            )
            continue
        if len(counts) < len(NEEDS[ind]):
            continue
        result = check_row(ind, counts, str(r["published_value"]).strip(), group)
        rows.append(
            {
                "line": int(line),
                "org_code": str(r["org_code"]).strip().upper(),
                "year": str(r["year"]).strip(),
                "indicator": ind,
                "group": group if ind in ("1", "5", "6", "7", "8") else "",
                "published": str(r["published_value"]).strip(),
                **result,
            }
        )
    if issues:
        raise InputError(issues)
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def format_results(results: pd.DataFrame) -> str:
    """A readable report: one line per figure, then the likely cause of each mismatch."""
    lines = []
    for r in results.itertuples(index=False):
        who = f"{r.org_code} {r.year} indicator {r.indicator}"
        who += f" ({r.group})" if r.group else ""
        verdict = "matches" if r.matches else "DOES NOT MATCH"
        lines.append(
            f"{who}: recomputed {r.recomputed}, published {r.published}: {verdict}"
            + ("" if r.matches else f"\n    likely cause: {r.likely_cause}")
        )
    n_bad = int((~results["matches"].astype(bool)).sum()) if len(results) else 0
    lines.append(f"{len(results)} figure(s) checked, {n_bad} do not match.")
    return "\n".join(lines)
