"""The example's extracts written as ESR-like CSV files (one spelling of the columns per
organisation, as real extracts vary), each starting with the SYNTHETIC marker line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from wres_utils.example.organisations import (
    BAND_SPELLING,
    BOOLS,
    FIRST_YEAR,
    GROUP_NAMES,
    SURVEY_CCG,
    SURVEY_TRUST,
    TITLE,
    TRUST_SURVEY_YES_YEAR,
    TRUST_YES_NO_CLINICAL_YEAR,
    Org,
    seeded_rng,
    survey_questions,
    synthetic_line,
)
from wres_utils.example.people import bme_target, choose_by_quota, draw_ethnicity

# --- writing --------------------------------------------------------------------------------


def headers(org: Org, names: Sequence[str]) -> list[str]:
    if org.header_style == "snake":
        return list(names)
    titles = [TITLE[n] for n in names]
    return [t.upper() for t in titles] if org.header_style == "upper" else titles


def csv_bytes(
    seed: int, header: Sequence[str], rows: Sequence[Sequence[object]], encoding: str
) -> bytes:
    buf = io.StringIO()
    buf.write(synthetic_line(seed) + "\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def write(path: Path, data: bytes, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    written.append(path)


def _band_spelling(org: Org, band: str) -> str:
    return org.vsm if band == "VSM" else BAND_SPELLING[band]


def workforce_csv(org: Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    if org.is_trust and year == TRUST_YES_NO_CLINICAL_YEAR:
        yes, no = "Yes", "No"
    else:
        yes, no = "Clinical", "Non-clinical"
    extra = "staff_group" if org.is_trust else "occupation"
    header = headers(
        org,
        ["org_code", "staff_id", "ethnic_origin", "pay_band", "clinical", extra]
        + ["executive_director"],
    )
    # Executive directors: the VSM staff, and in the trust its medical director, who is paid
    # on the consultant scale (the lowest staff id among consultants): no random draw, so
    # the other columns are as before. params executives_as_vsm counts them all as VSM.
    band = staff["band"].to_numpy()
    executive = band == "VSM"
    consultants = np.flatnonzero(band == "Consultant")
    if org.is_trust and consultants.size:
        ids = staff["staff_id"].to_numpy()
        executive[consultants[np.argmin(ids[consultants])]] = True
    ex_yes, ex_no = BOOLS[org.bool_style]
    rows = [
        (org.code, s, e, _band_spelling(org, b), yes if c else no, o, ex_yes if x else ex_no)
        for s, e, b, c, o, x in zip(
            staff["staff_id"],
            staff["ethnic_origin"],
            staff["band"],
            staff["clinical"],
            staff["occupation"],
            executive,
            strict=True,
        )
    ]
    rows.sort(key=lambda r: r[1])
    return csv_bytes(seed, header, rows, org.encoding)


def recruitment_csv(org: Org, year: int, seed: int) -> bytes:
    rng = seeded_rng(seed, org.code, year, "recruitment")
    if org.is_trust:
        n = int(rng.integers(14_000, 16_501))
    else:
        n = int(np.clip(rng.integers(int(org.size * 0.9), int(org.size * 1.4) + 1), 50, 300))
    p_bme = np.full(n, min(0.6, 2.0 * bme_target(org, year)))
    eth, group = draw_ethnicity(rng, p_bme, 0.03)
    p_short = np.select([group == "White", group == "BME"], [0.32, 0.26], 0.28)
    shortlisted = rng.random(n) < p_short
    # White shortlisted applicants are `ratio` times as likely to be appointed.
    ratio = float(rng.uniform(1.3, 1.6))
    p_white = 0.25 if org.is_trust else 0.30
    rates = {"White": p_white, "BME": p_white / ratio, "Unknown": p_white * 0.9}
    quota = {g: round(r * int((shortlisted & (group == g)).sum())) for g, r in rates.items()}
    appointed = choose_by_quota(rng, group, shortlisted, quota)
    vac = rng.integers(1, max(3, n // 25) + 1, n)
    # About 6% of offers are declined (a stream of its own, so the draws above are as
    # before): `appointed` here records the offer, `offer_accepted` whether it was taken up.
    declined = appointed & (seeded_rng(seed, org.code, year, "offers").random(n) < 0.06)
    yes, no = BOOLS[org.bool_style]
    yy = year % 100
    rows = [
        (org.code, f"A{yy:02d}{i + 1:05d}", f"V{yy:02d}-{v:04d}", e, yes if s else no)
        + (yes if a else no, (no if d else yes) if a else "")
        for i, (v, e, s, a, d) in enumerate(
            zip(vac, eth, shortlisted, appointed, declined, strict=True)
        )
    ]
    header = headers(
        org,
        [
            "org_code",
            "application_id",
            "vacancy_id",
            "ethnic_origin",
            "shortlisted",
            "appointed",
            "offer_accepted",
        ],
    )
    return csv_bytes(seed, header, rows, "utf-8")


def disciplinary_csv(org: Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    rng = seeded_rng(seed, org.code, year, "disciplinary")
    group = staff["group"].to_numpy()
    everyone = np.ones(len(staff), dtype=bool)
    if org.is_trust:
        # BME staff about 1.5 times as likely as White staff to enter the process.
        n = int(rng.integers(40, 81))
        w = {g: (1.5 if g == "BME" else 1.0) * int((group == g).sum()) for g in GROUP_NAMES}
        total = sum(w.values())
        quota = {"BME": round(n * w["BME"] / total), "Unknown": round(n * w["Unknown"] / total)}
        quota["White"] = n - quota["BME"] - quota["Unknown"]
        chosen = choose_by_quota(rng, group, everyone, quota)
    else:
        n = int(min(3, rng.poisson(0.8)))
        w = np.where(group == "BME", 1.5, 1.0)
        chosen = np.zeros(len(staff), dtype=bool)
        chosen[rng.choice(len(staff), size=n, replace=False, p=w / w.sum())] = True
    sel = staff[chosen].sort_values("staff_id")
    sel = sel.iloc[rng.permutation(len(sel))]
    start = date(year - 1, 4, 1)
    days = np.sort(rng.integers(0, (date(year, 3, 31) - start).days + 1, len(sel)))
    rows = [
        (org.code, f"DC{year}-{i + 1:03d}", s, e, (start + timedelta(days=int(d))).isoformat())
        for i, (s, e, d) in enumerate(zip(sel["staff_id"], sel["ethnic_origin"], days, strict=True))
    ]
    header = headers(org, ["org_code", "case_id", "staff_id", "ethnic_origin", "date_entered"])
    return csv_bytes(seed, header, rows, "utf-8")


def training_csv(org: Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    rng = seeded_rng(seed, org.code, year, "training")
    rate = 0.28 if org.is_trust else 0.35
    # White staff about 1.15 times as likely as BME staff to access training.
    rates = {"White": rate * 1.07, "BME": rate * 0.93, "Unknown": rate}
    group = staff["group"].to_numpy()
    quota = {g: round(r * int((group == g).sum())) for g, r in rates.items()}
    sel = staff[choose_by_quota(rng, group, np.ones(len(staff), dtype=bool), quota)]
    rows = sorted(zip([org.code] * len(sel), sel["staff_id"], sel["ethnic_origin"], strict=True))
    header = headers(org, ["org_code", "staff_id", "ethnic_origin"])
    return csv_bytes(seed, header, rows, "utf-8")


def survey_csv(org: Org, year: int, staff: pd.DataFrame, seed: int) -> bytes:
    rng = seeded_rng(seed, org.code, year, "staff_survey")
    survey_year = year - 1
    questions = survey_questions(survey_year)
    rates = SURVEY_TRUST if org.is_trust else SURVEY_CCG
    use_yes = org.is_trust and year == TRUST_SURVEY_YES_YEAR
    n_group = {g: int((staff["group"] == g).sum()) for g in ("White", "BME")}
    response = {g: float(rng.uniform(0.4, 0.6)) for g in n_group}
    rows = []
    for ind in (5, 6, 7, 8):
        for gi, g in enumerate(("White", "BME")):
            n = n_group[g]
            resp = max(1, round(n * response[g])) if n else 0
            p = rates[ind][gi]
            if g == "BME" and ind == 7:
                p = min(0.95, p + 0.01 * (year - FIRST_YEAR))  # slow improvement
            yes = int(np.clip(round(resp * (p + rng.normal(0, 0.01))), 0, resp))
            value = str(yes) if use_yes else f"{(100.0 * yes / resp if resp else 0.0):.1f}"
            rows.append((org.code, survey_year, ind, g, resp, value, questions[ind]))
    last = "yes" if use_yes else "percent"
    names = ["org_code", "survey_year", "indicator", "group", "respondents", last, "question"]
    return csv_bytes(seed, headers(org, names), rows, "utf-8")


def board_csv(org: Org, members: list[dict[str, object]], seed: int) -> bytes:
    rows = []
    for m in members:
        _, voting, executive, _ = m["role"]  # type: ignore[misc]
        rows.append(
            (
                org.code,
                m["member_id"],
                m["ethnic_origin"],
                "Yes" if voting else "No",
                "Yes" if executive else "No",
            )
        )
    rows.sort(key=lambda r: r[1])
    header = headers(org, ["org_code", "member_id", "ethnic_origin", "voting", "executive"])
    return csv_bytes(seed, header, rows, "utf-8")
