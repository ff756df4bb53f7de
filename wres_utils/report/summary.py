"""The summary a Board reads in a minute: three to five findings, then the ask of the Board.

Generated from a unit's prepared (disclosed) figures only: a figure is used when its
published ``status`` is ``ok`` (its ``value`` is the unrounded published value, rounded here
only for display with :mod:`wres_utils.core.rounding`); a withheld (``[c]``), not collected or
not calculable figure is never read, only counted. So a table whose hidden values are
scrambled gives the same text.

A finding is one indicator, in plain English: what got better or worse for BME staff this
year, whether the gap between White and BME staff widened or narrowed, whether a relative
likelihood lies outside 0.80-1.25 and how sure we can be (its confidence interval), and how
many figures are withheld. Findings are ranked: worse for BME staff first, then outside the
range or a large gap, then better; the largest change first within each rank.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from wres_utils.core import rounding
from wres_utils.core.catalogue import MARKER, OK, RR_SPEC, distance_from_equal
from wres_utils.report import views

#: Ranks of a finding, most serious first.
WORSE, OUTSIDE, BETTER, CONTEXT, CERTAINTY = 1, 2, 3, 4, 5
#: A White/BME gap on a staff survey indicator of at least this many percentage points is a
#: finding even when it did not change.
LARGE_GAP_POINTS = 5.0
#: Lower and upper limits of the range 0.80-1.25 (relative likelihoods).
RANGE = (0.80, 1.25)

#: Staff survey indicators in words: (topic, what the staff said, higher is worse).
SURVEY: dict[str, tuple[str, str, bool]] = {
    "5": (
        "harassment, bullying or abuse from patients, relatives or the public",
        "said they had experienced it",
        True,
    ),
    "6": ("harassment, bullying or abuse from staff", "said they had experienced it", True),
    "7": (
        "equal opportunities for career progression or promotion",
        "believe the organisation provides them",
        False,
    ),
    "8": (
        "discrimination from a manager, team leader or colleague",
        "said they had experienced it",
        True,
    ),
}
#: Relative likelihoods in words: (topic, verb phrase).
RR_WORDS: dict[str, tuple[str, str]] = {
    "2": ("appointment from shortlisting", "to be appointed from shortlisting"),
    "3": ("the formal disciplinary process", "to enter the formal disciplinary process"),
    "4": ("non-mandatory training and CPD", "to access non-mandatory training and CPD"),
}
BOARD_WORDS: dict[str, str] = {"9a": "voting", "9b": "executive"}


@dataclass(frozen=True)
class Finding:
    """One finding of the summary: its indicator, rank (1 most serious), size and text."""

    indicator: str
    rank: int
    size: float
    text: str
    #: A few words naming what the Board is asked to act on ("" when nothing is asked).
    topic: str = ""


def _points(x: float) -> str:
    """A difference in percentage points for a sentence: 9.2 -> "9.2 points"."""
    return f"{rounding.format_percent(abs(x))[:-1]} points"


def _value(
    ch: views.Chapter, indicator: str, year: int, group: str | None = None, stat: str | None = None
) -> float | None:
    return views.value_of_row(views.headline_row(ch, indicator, year, group, stat))


def _display(
    ch: views.Chapter, indicator: str, year: int, group: str | None = None, stat: str | None = None
) -> str:
    return views.shown_row(views.headline_row(ch, indicator, year, group, stat))


def _status(ch: views.Chapter, indicator: str, year: int, group: str | None = None) -> str:
    hit = views.headline_row(ch, indicator, year, group)
    return "" if hit is None else str(hit.get("status", ""))


def _previous(ch: views.Chapter) -> int | None:
    ys = ch.years
    return ys[-2] if len(ys) >= 2 and ys[-2] == ch.year - 1 else None


def _survey(ch: views.Chapter, ind: str) -> Finding | None:
    topic, said, higher_worse = SURVEY[ind]
    bme, white = ch.labels.bme, ch.labels.white
    y, p = ch.year, _previous(ch)
    b1, w1 = _value(ch, ind, y, "BME"), _value(ch, ind, y, "White")
    if b1 is None:
        return None
    b0 = _value(ch, ind, p, "BME") if p else None
    w0 = _value(ch, ind, p, "White") if p else None
    text = f"Indicator {ind}, {topic}: {_display(ch, ind, y, 'BME')} of {bme} staff {said}"
    if w1 is not None:
        text += f", against {_display(ch, ind, y, 'White')} of {white} staff"
    text += "."
    rank, size = CONTEXT, 0.0
    change = views.direction(b0, b1, ind)
    if change in ("better", "worse"):
        text += f" For {bme} staff this is {change} than last year ({_display(ch, ind, p, 'BME')})."
        rank = WORSE if change == "worse" else BETTER
        size = abs(b1 - b0)
    elif change == "no change":
        text += f" For {bme} staff this is no change on last year."
    if w1 is not None:
        sign = 1.0 if higher_worse else -1.0
        g1 = sign * (b1 - w1)  # > 0: worse for BME staff than for White staff
        g0 = sign * (b0 - w0) if b0 is not None and w0 is not None else None
        if g0 is not None and g0 > 0 and g1 > 0:
            moved = rounding.rounded(g1, 1) - rounding.rounded(g0, 1)
            if moved > 0.1 + 1e-9:
                text += f" The gap with {white} staff widened from {_points(g0)} to {_points(g1)}."
                rank, size = WORSE, max(size, moved)
            elif moved < -0.1 - 1e-9:
                text += f" The gap with {white} staff narrowed from {_points(g0)} to {_points(g1)}."
                rank, size = min(rank, BETTER), max(size, -moved)
            else:
                text += f" The gap with {white} staff is unchanged at {_points(g1)}."
        elif g1 > 0:
            text += f" The gap with {white} staff is {_points(g1)}."
        elif rounding.rounded(g1, 1) < 0:
            text += f" {bme} staff fare better here than {white} staff, by {_points(g1)}."
        if g1 >= LARGE_GAP_POINTS and rank > OUTSIDE:
            rank, size = OUTSIDE, g1
    if p and b0 is None and _status(ch, ind, p, "BME") == "suppressed":
        text += (
            f" Last year's figure for {bme} staff is withheld ({MARKER}), so whether it, or the "
            f"gap with {white} staff, changed cannot be said."
        )
    ask = topic if rank in (WORSE, OUTSIDE) else ""
    return Finding(ind, rank, size, text, ask)


def _relative_likelihood(ch: views.Chapter, ind: str) -> Finding | None:
    stat = views.indicator3_statistics(ch)[0] if ind == "3" else "relative_likelihood"
    y, p = ch.year, _previous(ch)
    rr = _value(ch, ind, y, stat=stat)
    if rr is None:
        return None
    topic, verb = RR_WORDS[ind]
    _, _, num_g, comp_g, pop, _, _, good = RR_SPEC[ind]
    label = {"White": ch.labels.white, "BME": ch.labels.bme}
    num, comp = label[num_g], label[comp_g]
    shown = rounding.rounded(rr, 2)
    text = (
        f"Indicator {ind}, {topic}: {num} {pop} were {_display(ch, ind, y, stat=stat)} times "
        f"as likely as {comp} {pop} {verb}"
    )
    suffix = "_2yr" if stat.endswith("_2yr") else ""
    lo = _value(ch, ind, y, stat=f"ci_low{suffix}")
    hi = _value(ch, ind, y, stat=f"ci_high{suffix}")
    if RANGE[0] <= shown <= RANGE[1]:
        text += ", within 0.80-1.25."
        rank = CONTEXT
    else:
        # Adverse to BME staff: White favoured for a good outcome (2, 4), BME more likely to
        # enter the disciplinary process (3).
        adverse = (shown > RANGE[1]) == (num_g == "White" if good else num_g == "BME")
        favoured = ch.labels.white if adverse else ch.labels.bme
        text += f", outside 0.80-1.25: {favoured} {pop} are favoured."
        rank = OUTSIDE if adverse else CONTEXT
    if lo is not None and hi is not None:
        sure = rounding.rounded(lo, 2) <= 1.0 <= rounding.rounded(hi, 2)
        text += (
            " Its confidence interval includes 1, so the difference may be chance."
            if sure
            else " Its confidence interval excludes 1, so chance alone is unlikely to explain it."
        )
    before = _value(ch, ind, p, stat=stat) if p else None
    change = views.direction(before, rr, ind)
    if change.startswith(("better", "worse")):
        text += f" Last year it was {_display(ch, ind, p, stat=stat)}: {change}."
        if change.startswith("worse") and rank == OUTSIDE:
            rank = WORSE
    size = distance_from_equal(rr)
    return Finding(ind, rank, size, text, topic if rank in (WORSE, OUTSIDE) else "")


def _board(ch: views.Chapter, ind: str) -> Finding | None:
    y, p = ch.year, _previous(ch)
    pp = _value(ch, ind, y)
    if pp is None:
        return None
    role = BOARD_WORDS[ind]
    bme = ch.labels.bme
    shown = rounding.rounded(pp, 1)
    if shown < 0:
        text = (
            f"Indicator {ind}, the Board: the {bme} share of {role} members is "
            f"{_points(pp)} below the {bme} share of the workforce."
        )
    elif shown > 0:
        text = (
            f"Indicator {ind}, the Board: the {bme} share of {role} members is "
            f"{_points(pp)} above the {bme} share of the workforce."
        )
    else:
        text = f"Indicator {ind}, the Board: {role} members match the workforce."
    before = _value(ch, ind, p) if p else None
    change = views.direction(before, pp, ind)
    rank = CONTEXT
    if change.startswith(("better", "worse")):
        text += f" Last year: {_display(ch, ind, p)} ({change})."
        if change.startswith("worse") and shown < 0:
            rank = WORSE
    if rank == CONTEXT and shown <= -LARGE_GAP_POINTS:
        rank = OUTSIDE
    ask = f"{bme} representation on the Board" if rank in (WORSE, OUTSIDE) else ""
    return Finding(ind, rank, abs(pp), text, ask)


def _workforce(ch: views.Chapter) -> Finding | None:
    y, p = ch.year, _previous(ch)
    share = _value(ch, "1", y)
    if share is None:
        return None
    text = f"{ch.labels.bme} staff are {_display(ch, '1', y)} of the workforce"
    before = _value(ch, "1", p) if p else None
    if before is not None:
        text += f" ({_display(ch, '1', p)} last year)"
    return Finding("1", CONTEXT, 0.0, text + ".")


#: The headline figures of a year, as (indicator, group) pairs: the at-a-glance table's rows.
HEADLINES: tuple[tuple[str, str | None], ...] = (
    ("1", None),
    ("2", None),
    ("3", None),
    ("4", None),
    *((i, g) for i in ("5", "6", "7", "8") for g in ("White", "BME")),
    ("9a", None),
    ("9b", None),
)


def _withheld(ch: views.Chapter) -> Finding | None:
    statuses = [_status(ch, ind, ch.year, g) for ind, g in HEADLINES]
    hidden = sum(s not in ("", OK) for s in statuses)
    if not hidden:
        return None
    withheld = sum(s == "suppressed" for s in statuses)
    text = (
        f"How sure we are: {hidden} of the {len(HEADLINES)} headline figures this year cannot "
        "be shown"
    )
    if withheld:
        text += f" ({withheld} withheld, [c], to protect confidentiality)"
    text += ", so what changed on those indicators cannot be judged from this report."
    return Finding("", CERTAINTY, float(hidden), text)


def findings(ch: views.Chapter, most: int = 5) -> list[Finding]:
    """Three to five findings, most serious first (fewer only when there is nothing to say).

    The statement of what cannot be shown, when there is one, always closes the list.
    """
    found: list[Finding] = []
    for ind in ("2", "3", "4"):
        f = _relative_likelihood(ch, ind)
        if f:
            found.append(f)
    for ind in SURVEY:
        f = _survey(ch, ind)
        if f:
            found.append(f)
    for ind in BOARD_WORDS:
        f = _board(ch, ind)
        if f:
            found.append(f)
    found.sort(key=lambda f: (f.rank, -f.size))
    certainty = _withheld(ch)
    room = most - (1 if certainty else 0)
    chosen = [f for f in found if f.rank < CONTEXT][:room]
    workforce = _workforce(ch)
    if workforce and len(chosen) < min(room, 3):
        chosen.append(workforce)
    for f in found:
        if len(chosen) >= min(room, 3):
            break
        if f not in chosen:
            chosen.append(f)
    return chosen + ([certainty] if certainty else [])


def board_ask(ch: views.Chapter, found: list[Finding] | None = None) -> str:
    """What the Board is asked to do, from the findings (one paragraph)."""
    found = findings(ch) if found is None else found
    topics = list(dict.fromkeys(f.topic for f in found if f.topic))
    text = (
        f"The Board is asked to approve this WRES {ch.year} report and its action plan for "
        "publication"
    )
    if topics:
        listed = topics[0] if len(topics) == 1 else ", ".join(topics[:-1]) + " and " + topics[-1]
        text += (
            f", and to ask for the actions on {listed} to name an owner, a date and a measure "
            "of success, reported back to the Board within the year"
        )
    return text + "."


def summary_html(ch: views.Chapter) -> str:
    """The summary as HTML: the findings as a numbered list, then the ask of the Board.

    Every sentence is escaped as text (group labels come from params), never markup.
    """
    found = findings(ch)
    items = "".join(f"<li>{html.escape(f.text)}</li>" for f in found)
    return (
        f'<ol class="wres-findings">{items}</ol>'
        '<p class="wres-ask"><strong>What the Board is asked to do.</strong> '
        f"{html.escape(board_ask(ch, found))}</p>"
    )


#: The link from a commissioning unit's report to its commissioner's view (same folder).
PROVIDERS_LINK = (
    '<p class="wres-providers-link">As commissioners, {name} monitor the WRES of the providers '
    'they fund: see <a href="providers.html">the commissioner\'s view of the providers</a>, '
    "which checks what each provider published.</p>"
)


def show_summary(ch: views.Chapter) -> None:
    """Display :func:`summary_html` in a notebook, and for a commissioning unit the link to
    its commissioner's view."""
    from IPython.display import HTML, display

    display(HTML(summary_html(ch)))
    if ch.context.get("commissioner"):
        display(HTML(PROVIDERS_LINK.format(name=html.escape(ch.unit_name))))
