"""The optional view by the five broad ethnic groups (params ``broad_groups``): each group
against White staff, from the prepared (already disclosed) figures of a chapter.

The notebooks of indicators 1 to 4 show it after the WRES figures (:func:`show_broad_intro`,
:func:`show_broad`); disclosure of these figures is ``disclosure.disclose_breakdown``'s.
"""

from __future__ import annotations

import pandas as pd

from wres_utils.core.catalogue import STATUS_WORDS, UNAVAILABLE
from wres_utils.report.records import Record, first, matching
from wres_utils.report.views import (
    UNROUNDED_NOTE,
    Chapter,
    band_key,
    interval,
    shown_row,
)

#: The broad groups in the order the tables show them.
BROAD_GROUPS: tuple[str, ...] = ("Asian", "Black", "Mixed", "Other", "White", "Unknown")
BROAD_INTRO = (
    "The WRES compares White staff with all {bme} staff together, which can hide very "
    "different experiences. These tables break the figures down by the five broad ethnic "
    "groups of the NHS ethnic category codes, and compare each group with White staff by the "
    "same method as the WRES figures (a relative likelihood above 1 always means White staff "
    "are favoured). The groups are small, so much is withheld ([c]) to protect individual "
    "staff, particularly in small organisations: that is disclosure control working, not "
    "missing data."
)
BROAD_OFF = (
    "Figures by broad ethnic group are not part of this report (params: broad_groups is off)."
)


def has_broad(ch: Chapter) -> bool:
    """True when the chapter has figures by broad ethnic group."""
    return not ch.broad.empty


def broad_intro(ch: Chapter) -> str:
    """The sentence(s) that introduce the broad-group tables (or say there are none)."""
    from wres_utils.report.safetext import escape_markdown

    return BROAD_INTRO.format(bme=escape_markdown(ch.labels.bme)) if has_broad(ch) else BROAD_OFF


def show_broad_intro(ch: Chapter) -> None:
    """Display :func:`broad_intro` as cleaned HTML."""
    from wres_utils.report import safetext

    safetext.show_markdown(broad_intro(ch))


def broad_table(ch: Chapter, indicator: str) -> pd.DataFrame:
    """Indicator 1-4 figures of this year by broad ethnic group (display strings).

    "1": the percentage of each group in the whole workforce (disclosure control keeps the
    broad view at whole-workforce level: see disclosure.disclose_breakdown). "2"-"4": each
    group's rate, its relative likelihood against White (oriented as the WRES figure), the 95%
    interval and the four-fifths class.
    """
    d = ch.records(indicator, ch.year, broad=True)
    if not d:
        return pd.DataFrame()
    if indicator == "1":
        return _broad_bands(d)
    out = []
    nc = first(d, status="not_collected")
    if nc is not None:
        return pd.DataFrame([{"Figure": UNAVAILABLE, "Reason": _not_collected(nc)}])
    for g in BROAD_GROUPS[:-1]:
        rows = matching(d, group=g)
        lo = shown_row(first(rows, statistic="ci_low"))
        hi = shown_row(first(rows, statistic="ci_high"))
        ci = interval(lo, hi)
        rl = first(rows, statistic="relative_likelihood")
        cls = str(rl.get("classification", "") or "") if rl is not None else ""
        white = g == "White"
        out.append(
            {
                "Ethnic group": g,
                "Rate": shown_row(first(rows, statistic="rate")),
                "Relative likelihood (against White)": "reference" if white else shown_row(rl),
                "95% CI": UNAVAILABLE if white else ci,
                "Four-fifths range": UNAVAILABLE if white or cls in ("", "nan") else cls,
            }
        )
    return pd.DataFrame(out)


def _not_collected(nc: Record | None) -> str:
    """The reason a figure is [x]: "not collected", with the note of the first such row."""
    note = str(nc["note"] or "").strip() if nc is not None else ""
    return f"{STATUS_WORDS['not_collected']}: {note}" if note else STATUS_WORDS["not_collected"]


def _broad_bands(d: tuple[Record, ...]) -> pd.DataFrame:
    by_key: dict[tuple[str, str], list[Record]] = {}  # (clinical, band), as they first appear
    for r in matching(d, statistic="percent"):
        by_key.setdefault((r["clinical"], r["band"]), []).append(r)
    if not by_key:
        nc = first(d, status="not_collected")
        return pd.DataFrame([{"Figure": UNAVAILABLE, "Reason": _not_collected(nc)}])
    clin_rank = {"all": 0, "non-clinical": 1, "clinical": 2}
    keys = sorted(by_key, key=lambda k: (clin_rank.get(k[0], 3), k[1] != "All", band_key(k[1])))
    out = []
    for clinical, band in keys:
        if clinical == "all":
            label = "Whole workforce"
        elif band == "All":
            label = f"All {clinical} staff"
        else:
            label = f"{band} ({clinical})"
        row = {"Staff": label}
        for g in BROAD_GROUPS:
            row[f"{g} %"] = shown_row(first(by_key[(clinical, band)], group=g))
        out.append(row)
    return pd.DataFrame(out)


def show_broad(ch: Chapter, indicator: str, caption: str) -> None:
    """Display the broad-group table of an indicator, or a sentence when there is none."""
    from IPython.display import HTML, display

    from wres_utils.report import tables
    from wres_utils.report.safetext import text_html

    table = broad_table(ch, indicator)
    if table.empty:
        display(HTML(text_html(BROAD_OFF if not has_broad(ch) else "No figures for this year.")))
        return
    tables.show_table(table, caption=caption, note=UNROUNDED_NOTE)
