"""Indicators 5 to 8: the staff survey's percentages for White and BME staff, with the
question asked and whether it changed from the year before.
"""

from __future__ import annotations

import pandas as pd

from wres_utils.compute.pooling import base_rows, groups_wide, ratio
from wres_utils.compute.table import SURVEY_WORDS
from wres_utils.core import survey
from wres_utils.core.catalogue import (
    OK,
)


def survey_indicators(pooled: pd.DataFrame, keys: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    out: list[pd.DataFrame] = []
    idx = ["unit", "year"]
    for ind in ("5", "6", "7", "8"):
        k = keys[ind]
        if k.empty:
            continue
        sub = pooled[pooled["ind"] == ind]
        resp = groups_wide(sub[sub["measure"] == "survey_respondents"], k, idx)
        yes = groups_wide(sub[sub["measure"] == "survey_yes"], k, idx)
        sy = k["year"].to_numpy() - 1
        questions, redesign = [], []
        for y in sy:
            try:
                questions.append(survey.question_for(ind, int(y)))
            except ValueError:
                questions.append("")
            if int(y) - 1 >= survey.FIRST_SURVEY_YEAR:
                redesign.append(survey.wording_changed_between(ind, int(y) - 1, int(y)))
            else:
                redesign.append(False)
        extra = dict(question=questions, redesign=pd.array(redesign, dtype="boolean"))
        for g in ("White", "BME"):
            q_text = [
                f"staff survey {y}" + (f", {q}" if q else "")
                for y, q in zip(sy, questions, strict=True)
            ]
            out.append(
                base_rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="count",
                    value=yes[g].astype(float),
                    status=OK,
                    numerator=yes[g],
                    note=[f"{g} respondents answering yes ({t})" for t in q_text],
                    **extra,
                )
            )
            out.append(
                base_rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="denominator",
                    value=resp[g].astype(float),
                    status=OK,
                    numerator=resp[g],
                    note=[f"{g} respondents ({t})" for t in q_text],
                    **extra,
                )
            )
            val, st = ratio(yes[g], resp[g], 100.0)
            notes = []
            for i, t in enumerate(q_text):
                if st[i] != OK:
                    notes.append(f"not calculable: no {g} respondents ({t})")
                    continue
                n = f"% of {g} staff {SURVEY_WORDS[ind]} ({t})"
                if redesign[i]:
                    n += (
                        f"; the question changed between the {sy[i] - 1} and {sy[i]} surveys, "
                        "so the comparison with the previous year is not like for like"
                    )
                elif questions[i] and survey.renumbered_between(ind, sy[i] - 1, sy[i]):
                    n += (
                        f"; renumbered from {survey.question_for(ind, int(sy[i]) - 1)} in the "
                        f"{sy[i]} survey with the same wording, so the comparison holds"
                    )
                notes.append(n)
            out.append(
                base_rows(
                    k,
                    indicator=ind,
                    group=g,
                    statistic="percent",
                    value=val,
                    status=st,
                    note=notes,
                    numerator=yes[g],
                    denominator=resp[g],
                    **extra,
                )
            )
    return out
