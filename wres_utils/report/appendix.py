"""The appendix of every report: data quality (rows read and kept per extract), the
indicators without a figure this year and why, and how the figures are made (methods), from
a chapter's prepared (already disclosed) figures.
"""

from __future__ import annotations

import pandas as pd

from wres_utils.core.catalogue import MARKER, STATUS_WORDS
from wres_utils.report.views import Chapter, indicator3_statistics


def quality_table(ch: Chapter) -> pd.DataFrame:
    """What was read: per organisation and extract, the (disclosed) data-quality counts."""
    q = ch.quality
    if q.empty:
        return pd.DataFrame(columns=["Organisation", "Extract"])
    names = {
        "org_code": "Organisation",
        "kind": "Extract",
        "rows_read": "Rows read",
        "rows_kept": "Rows kept",
        "unknown_ethnicity": "Unknown ethnicity",
        "unrecognised_ethnicity": "Unrecognised ethnic codes",
        "unrecognised_band": "Unrecognised pay bands",
        "duplicates": "Duplicates",
    }
    cols = [c for c in names if c in q.columns]
    return q[cols].rename(columns=names).astype(str).reset_index(drop=True)


def collected_table(ch: Chapter) -> pd.DataFrame:
    """Which indicators were not collected (or not calculable) this year, with the reason."""
    d = ch.indicators[
        (ch.indicators["year"] == ch.year)
        & (ch.indicators["status"].isin(["not_collected", "not_calculable"]))
    ]
    d = d.drop_duplicates(subset=["indicator", "status", "note"])
    rows = [
        {
            "Indicator": r.indicator,
            "Status": STATUS_WORDS.get(r.status, r.status),
            "Reason": str(r.note or ""),
        }
        for r in d.itertuples()
    ]
    from wres_utils.disclosure.protect import WITHHELD_REASON, headline

    gone = {r["Indicator"] for r in rows}
    _, withheld = headline(ch.indicators, str(ch.context["unit"]["id"]), ch.year)
    for label in withheld:
        if label.split(" ")[0] in gone:
            continue
        rows.append({"Indicator": label, "Status": MARKER, "Reason": WITHHELD_REASON})
    return pd.DataFrame(rows, columns=["Indicator", "Status", "Reason"])


def _headline_words(ch: Chapter) -> str:
    """ "12 of the 14 headline figures (...)": what this report publishes for its year."""
    from wres_utils.disclosure.protect import HEADLINE_CELLS, headline

    shown, missing = headline(ch.indicators, str(ch.context["unit"]["id"]), ch.year)
    text = (
        f"{shown} of the {len(HEADLINE_CELLS)} headline figures of {ch.year} (indicator 1 BME "
        "share; relative likelihoods 2, 3 and 4; indicators 5 to 8 for White and BME staff; 9a "
        "and 9b)"
    )
    if missing:
        text += f"; not published: {', '.join(missing)}"
    return text


def methods_table(ch: Chapter) -> pd.DataFrame:
    """Definitions and methods used in this report."""
    sup = ch.context.get("suppression", {})
    k = sup.get("min_count", 7)
    rounding = sup.get("round_to")
    denom = ch.context.get("denominator", "all")
    rows = [
        (
            "Indicator 1 denominator",
            "all staff, including those of unknown ethnicity (as the national tables)"
            if denom == "all"
            else "staff whose ethnicity is known",
        ),
        (
            "Blank figures",
            "[c] withheld to protect confidentiality; [x] not available: not collected, not "
            "calculable or not applicable (the appendix lists the indicators without a figure "
            "and why)",
        ),
        (
            "Disclosure control",
            "[c] means withheld to protect confidentiality, whatever the reason, and may hide "
            f"any value, 0 included: no count from 1 to {k} is published, and no figure is "
            "published from which a reader holding every published report could narrow such a "
            "count to a few values (checked by integer programming; see docs/disclosure.md)"
            + (
                "; counts are published only as totals, rounded"
                if sup.get("policy") == "percentages"
                else ""
            )
            + (f"; published counts are rounded to the nearest {rounding}" if rounding else ""),
        ),
        ("Headline figures published", _headline_words(ch)),
        (
            "Range 0.80-1.25",
            "NHS England documents 0.80-1.25 as the non-adverse range for indicator 3 (its 2019 "
            "target); for indicators 2 and 4 the same range is a four-fifths guide used by this "
            "report, not NHS England's. Each relative likelihood is classed below 0.80, "
            "0.80-1.25 or above 1.25 as displayed (rounded half up)",
        ),
        (
            "Confidence intervals",
            "95% intervals by the Katz log method (with the Haldane-Anscombe correction, 0.5 "
            "added to each cell, when an event count is 0); NOT NHS England methodology, shown "
            "to convey uncertainty. Where an interval includes 1 the text says the difference "
            "may be due to chance",
        ),
        (
            "Small numbers",
            "a relative likelihood is flagged when either group has fewer than 10 events",
        ),
        (
            "Indicator 2",
            "appointed means an accepted offer: a shortlisted applicant offered a post who "
            "declined it is counted as shortlisted, not appointed (as NHS England's data)",
        ),
        (
            "Indicator 3",
            "the headline is the "
            + (
                "single-year figure"
                if indicator3_statistics(ch)[0] == "relative_likelihood"
                else "two-year figure of NHS England's guidance: cases of this and the previous "
                "year over the two years' headcounts, for each group"
            )
            + "; the other figure is shown beside it",
        ),
        (
            "Change on last year",
            "the amount (the difference in percentage points; for a relative likelihood the two "
            "figures), worked out before rounding, then better or worse for the staff "
            "concerned; relative likelihoods are judged by their distance from 1 on the log "
            "scale (0.80 and 1.25 are equally far); a change no larger than the last decimal "
            "shown is no change",
        ),
        (
            "Rounding",
            "figures are computed from unrounded counts and rounded only for display, halves "
            "up as the template's Excel does (6.25% shows 6.3%, 1.125 shows 1.13)",
        ),
        (
            "Unknown ethnicity",
            "staff whose ethnicity is not stated, not known or unreadable are left out of every "
            "comparison, but counted and shown",
        ),
        (
            "Joint reports",
            "the members' counts are added up first and the indicators computed from the sums; "
            "ratios and percentages are never averaged",
        ),
        (
            "Survey year",
            f"indicators 5-8 of WRES {ch.year} come from the {ch.year - 1} NHS Staff Survey",
        ),
    ]
    return pd.DataFrame(rows, columns=["Topic", "Method"])
