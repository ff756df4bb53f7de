"""Plain-English sentences about the indicators, made ONLY from disclosed display strings.

The functions here read ``display``, ``status``, ``statistic``, ``group``, ``question``,
``redesign``, ``classification``, ``small_numbers`` and ``note`` of a table that has passed
:func:`wres_utils.disclosure.gate.disclose`; they never read ``value`` or the count columns, so a
sentence can never carry a number that the tables withhold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from wres_utils.core import survey
from wres_utils.core.catalogue import ALL_BANDS, ALL_CLINICAL, NOT_COLLECTED, OK, RR_SPEC
from wres_utils.core.params import Labels
from wres_utils.report.records import Record, first, records

_SURVEY_PHRASES = {
    "5": "said they had experienced harassment, bullying or abuse from patients, relatives or "
    "the public in the last 12 months",
    "6": "said they had experienced harassment, bullying or abuse from staff in the last 12 months",
    "7": "believed the organisation provides equal opportunities for career progression or "
    "promotion",
    "8": "said they had personally experienced discrimination at work from a manager, team "
    "leader or other colleagues in the last 12 months",
}
_RR_TOPIC = {
    "2": "appointment from shortlisting",
    "3": "entry into the formal disciplinary process",
    "4": "access to non-mandatory training and CPD",
}
_RR_VERB = {
    "2": "to be appointed from shortlisting",
    "3": "to enter the formal disciplinary process",
    "4": "to access non-mandatory training and CPD",
}
_BOARD = {"9a": "voting", "9b": "executive"}
#: Whose range 0.80-1.25 is: NHS England's for indicator 3 (the "non-adverse" range of its
#: 2019 target); for indicators 2 and 4 a four-fifths guide used by this report.
RANGE_WORDS: dict[str, str] = {
    "3": "the range NHS England treats as non-adverse for this indicator",
    "guide": (
        "the four-fifths guide this report uses (NHS England documents this range for "
        "indicator 3, not for this indicator)"
    ),
}
WITHHELD = "is withheld to protect confidentiality"


def _label(group: str, labels: Labels) -> str:
    return {"White": labels.white, "BME": labels.bme, "Unknown": labels.unknown}.get(group, group)


def _pick(
    rows: list[Record],
    statistic: str,
    group: str | None = None,
    band: str | None = None,
    clinical: str | None = None,
) -> Record | None:
    where = {"group": group, "band": band, "clinical": clinical}
    return first(rows, statistic=statistic, **{c: v for c, v in where.items() if v is not None})


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _truthy(x: object) -> bool:
    """True for True/"True"/1 as read back from a CSV; False for blanks and NA."""
    return str(x).strip().lower() in ("true", "1", "1.0")


def _text(x: object) -> str:
    return "" if x is None or (isinstance(x, float) and x != x) else str(x)


def _reason(row: Record, labels: Labels | None = None) -> str:
    note = _text(row.get("note", "")).removeprefix("not calculable: ").rstrip(".")
    if labels is not None:
        note = re.sub(r"\bBME\b", labels.bme, note)
        note = re.sub(r"\bWhite\b", labels.white, note)
    return note


def _num(display: str) -> float:
    return float(display.replace("%", "").replace(" pp", "").replace(",", ""))


def _not_ok(row: Record, what: str, labels: Labels | None = None) -> str:
    """A sentence for a row that is not ok (suppressed, not collected, not calculable)."""
    if row["status"] == "suppressed" or _text(row.get("display")) == "[c]":
        return f"{_cap(what)} {WITHHELD}."
    if row["status"] == NOT_COLLECTED:
        return f"{_cap(what)} is not available: {_reason(row, labels)}."
    return f"{_cap(what)} cannot be calculated: {_reason(row, labels)}."


def _sentence1(rows: list[Record], labels: Labels) -> str:
    bme = _pick(rows, "percent", "BME", ALL_BANDS, ALL_CLINICAL)
    decl = _pick(rows, "declaration_rate")
    if bme is None:
        head = _pick(rows, "percent")
        return _not_ok(head, "the workforce breakdown") if head is not None else ""
    known = "staff of known ethnicity" in _text(bme.get("note")) or bme.get("basis") == "known"
    basis = "of staff of known ethnicity" if known else "of all staff"
    out = []
    if bme["status"] == OK:
        out.append(_cap(f"{labels.bme} staff made up {bme['display']} {basis}."))
    else:
        out.append(_not_ok(bme, f"the {labels.bme} share of the workforce"))
    if decl is not None:
        if decl["status"] == OK:
            out.append(f"{decl['display']} of staff had their ethnicity recorded.")
        else:
            out.append(_not_ok(decl, "the share of staff with a recorded ethnicity"))
    return " ".join(out)


def _sentence3(rows: list[Record], labels: Labels, basis: str) -> str:
    """Indicator 3: the headline figure of ``basis`` in full, then the other figure."""
    two = _pick(rows, "relative_likelihood_2yr")
    if basis == "single_year" or two is None:
        text = _sentence_rr("3", rows, labels)
        if two is None:
            if basis != "single_year" and text:
                text += (
                    " The two-year figure (this and the previous year pooled), which NHS "
                    "England's guidance asks for, needs last year's figures, which are not "
                    "available."
                )
            return text
        other = _other3(two, "Over this year and last year together (two-year pooled)")
        return f"{text} {other}".strip()
    text = _sentence_rr("3", rows, labels, suffix="_2yr")
    one = _pick(rows, "relative_likelihood")
    if one is not None:
        text += " " + _other3(one, "On this year's figures alone")
    return text.strip()


def _other3(row: Record, lead: str) -> str:
    if row["status"] == OK:
        return f"{lead} the relative likelihood was {row['display']}."
    if row["status"] == "suppressed" or _text(row.get("display")) == "[c]":
        return f"{lead} the relative likelihood {WITHHELD}."
    return ""


def _sentence_rr(ind: str, rows: list[Record], labels: Labels, suffix: str = "") -> str:
    _, _, num_g, comp_g, pop, _, _, good = RR_SPEC[ind]
    rr = _pick(rows, f"relative_likelihood{suffix}")
    if rr is None:
        return ""
    what = f"the relative likelihood of {_RR_TOPIC[ind]}"
    if suffix:
        what += " over this year and last year together"
    if rr["status"] != OK:
        return _not_ok(rr, what, labels)
    num, comp = _label(num_g, labels), _label(comp_g, labels)
    core = f"{num} {pop} were {rr['display']} times as likely as {comp} {pop} {_RR_VERB[ind]}"
    text = _cap(core)
    if suffix:
        text = (
            "Over this year and last year together (two-year pooled, as NHS England's "
            f"guidance asks), {core}"
        )
    lo, hi = _pick(rows, f"ci_low{suffix}"), _pick(rows, f"ci_high{suffix}")
    includes_one = False
    if lo is not None and hi is not None and lo["status"] == OK and hi["status"] == OK:
        text += f" (95% confidence interval {lo['display']} to {hi['display']})"
        includes_one = _num(lo["display"]) <= 1.0 <= _num(hi["display"])
    text += "."
    cls = _text(rr.get("classification", ""))
    if not cls:
        v = _num(rr["display"])
        cls = "below 0.80" if v < 0.80 else ("above 1.25" if v > 1.25 else "0.80-1.25")
    where = RANGE_WORDS["3" if ind == "3" else "guide"]
    if cls == "0.80-1.25":
        text += f" This is within 0.80-1.25, {where}."
    else:
        more, less = (num, comp) if cls == "above 1.25" else (comp, num)
        favoured = more if good else less
        text += f" This is outside 0.80-1.25, {where}: {favoured} {pop} are favoured."
    if includes_one:
        text += (
            " The confidence interval includes 1 (equal likelihood), so the difference between "
            f"{num} and {comp} {pop} may be due to chance."
        )
    if _truthy(rr.get("small_numbers")):
        text += (
            " Fewer than 10 people in one group had this outcome, so the figure can change "
            "a lot from year to year."
        )
    return text


def _sentence_survey(ind: str, rows: list[Record], labels: Labels) -> str:
    w, b = _pick(rows, "percent", "White"), _pick(rows, "percent", "BME")
    if w is None or b is None:
        head = _pick(rows, "percent")
        return _not_ok(head, "this staff survey result") if head is not None else ""
    q = _text(w.get("question", ""))
    where = f"In the staff survey (question {q})" if q else "In the staff survey"
    wl, bl = _label("White", labels), _label("BME", labels)
    phrase = _SURVEY_PHRASES[ind]
    if w["status"] == OK and b["status"] == OK:
        bv, wv = _num(b["display"]), _num(w["display"])
        cmp = "higher than" if bv > wv else ("lower than" if bv < wv else "the same as")
        text = (
            f"{where}, {b['display']} of {bl} staff and {w['display']} of {wl} staff "
            f"{phrase}; the figure for {bl} staff was {cmp} for {wl} staff."
        )
    else:
        parts = []
        for row, lab in ((b, bl), (w, wl)):
            if row["status"] == OK:
                parts.append(f"{where}, {row['display']} of {lab} staff {phrase}.")
            else:
                parts.append(_not_ok(row, f"the figure for {lab} staff", labels))
        text = " ".join(parts)
    if _truthy(w.get("redesign")):
        text += (
            " The survey question changed since the previous year, so the "
            "comparison with last year is not like for like."
        )
    elif q and str(w.get("year", "")).strip().isdigit():
        sy = int(w["year"]) - 1
        if survey.renumbered_between(ind, sy - 1, sy):
            text += (
                f" The question was renumbered (it was {survey.question_for(ind, sy - 1)} in "
                "the previous survey) but its wording did not change, so the figures compare "
                "with last year's."
            )
    return text


def _sentence_board(ind: str, rows: list[Record], labels: Labels) -> str:
    role = _BOARD[ind]
    pp = _pick(rows, "percentage_points")
    board = _pick(rows, "percent", "BME")
    wf = _pick(rows, "workforce_percent", "BME")
    if board is None:
        return (
            _not_ok(pp, f"the {labels.bme} share of {role} Board members") if pp is not None else ""
        )
    if board["status"] != OK:
        text = _not_ok(board, f"the {labels.bme} share of {role} Board members")
        if wf is not None and wf["status"] == OK:
            text += " " + _cap(f"{labels.bme} staff made up {wf['display']} of the workforce.")
        return text
    text = _cap(f"{labels.bme} members made up {board['display']} of the Board's {role} members")
    if wf is not None and wf["status"] == OK:
        text += f", against {wf['display']} of the workforce"
    text += "."
    if pp is not None:
        if pp["status"] == OK:
            diff = pp["display"].replace(" pp", " percentage points")
            text += f" The difference is {diff}."
        else:
            text += " " + _not_ok(pp, "the difference", labels)
    return text


def sentence(
    rows: pd.DataFrame | pd.Series | Sequence[Record],
    labels: Labels | None = None,
    indicator3_basis: str = "two_year",
) -> str:
    """The plain-English sentence(s) for one indicator of one unit and year.

    ``rows`` are the disclosed rows of that indicator (or a single row for the simplest
    cases), as a table or as records (:mod:`wres_utils.report.records`). Suppressed figures
    give a sentence saying they are withheld to protect confidentiality (one meaning,
    whatever the cause); not calculable and not collected give the reason. Indicator 3 leads
    with the figure of ``indicator3_basis`` ("two_year" pooled, or "single_year") and gives
    the other.
    """
    labels = labels or Labels()
    if isinstance(rows, pd.Series):
        rows = rows.to_frame().T
    rows = records(rows) if isinstance(rows, pd.DataFrame) else list(rows)
    if not rows:
        return ""
    ind = str(rows[0]["indicator"])
    if ind == "1":
        return _sentence1(rows, labels)
    if ind == "3":
        return _sentence3(rows, labels, indicator3_basis)
    if ind in RR_SPEC:
        return _sentence_rr(ind, rows, labels)
    if ind in _SURVEY_PHRASES:
        return _sentence_survey(ind, rows, labels)
    if ind in _BOARD:
        return _sentence_board(ind, rows, labels)
    return ""


def sentences(
    table: pd.DataFrame,
    unit: str,
    year: int,
    labels: Labels | None = None,
    indicator3_basis: str = "two_year",
) -> dict[str, str]:
    """``{indicator: sentence}`` for one unit and year of a disclosed indicators table."""
    sel = _unit_year(table, unit, year)
    return {
        str(ind): sentence(rows, labels, indicator3_basis)
        for ind, rows in sel.groupby("indicator", sort=False)
    }


def sentence_of(
    table: pd.DataFrame,
    unit: str,
    year: int,
    indicator: str,
    labels: Labels | None = None,
    indicator3_basis: str = "two_year",
) -> str:
    """``sentences(...)[indicator]`` ("" when the indicator has no row), without writing the
    other indicators' sentences."""
    sel = _unit_year(table, unit, year)
    rows = sel[sel["indicator"].astype(str) == str(indicator)]
    return sentence(rows, labels, indicator3_basis) if not rows.empty else ""


def check_disclosed(table: pd.DataFrame) -> None:
    """Refuse a table that has not passed disclosure control (no display strings)."""
    if "display" not in table.columns or (table["display"].astype(str) == "").all():
        raise ValueError("sentences need a disclosed table: call disclosure.disclose() first")


def _unit_year(table: pd.DataFrame, unit: str, year: int) -> pd.DataFrame:
    """The rows of one unit and year of a disclosed table (refuses an undisclosed one)."""
    check_disclosed(table)
    return table[(table["unit"] == unit) & (table["year"] == int(year))]
