"""Simulated people: staff in post year by year (joiners, leavers, band moves), their ethnic
origin, occupation and band, and the Board members; all drawn from seeded streams.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from wres_utils.example import YEARS
from wres_utils.example.organisations import (
    BAND_BME_FACTOR,
    BME,
    CCG_BANDS,
    CCG_BOARD_CORE,
    FIRST_YEAR,
    GARBAGE,
    GARBAGE_RATE,
    MEDICAL,
    TRAINEES,
    TRUST_BANDS,
    TRUST_BOARD,
    UNKNOWN,
    WHITE,
    Org,
    seeded_rng,
)

# --- drawing people -------------------------------------------------------------------------


def _pick(rng: np.random.Generator, table: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    labels = np.array([t[0] for t in table], dtype=object)
    w = np.array([t[1] for t in table], dtype=float)
    return labels[rng.choice(len(labels), size=n, p=w / w.sum())]


def _codes(rng: np.random.Generator, group: np.ndarray, unknown_rate: float) -> np.ndarray:
    """ESR ethnic_origin strings for groups; ~0.5% of all rows get an unreadable value."""
    eth = np.empty(len(group), dtype=object)
    for g, table in (("White", WHITE), ("BME", BME), ("Unknown", UNKNOWN)):
        m = group == g
        eth[m] = _pick(rng, table, int(m.sum()))
    p_garbage = min(1.0, GARBAGE_RATE / unknown_rate) if unknown_rate > 0 else 0.0
    garbage = (group == "Unknown") & (rng.random(len(group)) < p_garbage)
    eth[garbage] = np.array(GARBAGE, dtype=object)[rng.integers(0, len(GARBAGE), garbage.sum())]
    return eth


def draw_ethnicity(
    rng: np.random.Generator, p_bme: np.ndarray, p_unknown: float
) -> tuple[np.ndarray, np.ndarray]:
    """Independent draws: ESR strings and groups (White/BME/Unknown) for each BME probability."""
    u = rng.random(len(p_bme))
    group = np.where(
        u < p_unknown, "Unknown", np.where(u < p_unknown + (1 - p_unknown) * p_bme, "BME", "White")
    ).astype(object)
    return _codes(rng, group, p_unknown), group


def _allocate_groups(
    rng: np.random.Generator, weights: np.ndarray, n_bme: int, n_unknown: int
) -> np.ndarray:
    """Exactly n_unknown Unknown and n_bme BME people (BME chosen in proportion to weights).

    Quotas rather than independent draws keep small organisations close to the intended
    shares (and trends), while who is who stays random.
    """
    n = len(weights)
    n_unknown = int(np.clip(n_unknown, 0, n))
    n_bme = int(np.clip(n_bme, 0, n - n_unknown))
    group = np.full(n, "White", dtype=object)
    order = rng.permutation(n)
    group[order[:n_unknown]] = "Unknown"
    rest = order[n_unknown:]
    if n_bme:
        w = weights[rest]
        group[rng.choice(rest, size=n_bme, replace=False, p=w / w.sum())] = "BME"
    return group


def choose_by_quota(
    rng: np.random.Generator, group: np.ndarray, eligible: np.ndarray, quota: dict[str, int]
) -> np.ndarray:
    """A mask choosing, uniformly at random, quota[g] eligible rows of each group g."""
    chosen = np.zeros(len(group), dtype=bool)
    for g, k in quota.items():
        pool = np.flatnonzero(eligible & (group == g))
        k = int(np.clip(k, 0, len(pool)))
        if k:
            chosen[rng.choice(pool, size=k, replace=False)] = True
    return chosen


def bme_target(org: Org, year: int) -> float:
    """The organisation's BME share of all staff in a year: a slow rise."""
    return org.bme_share * (1 + 0.05 * (year - FIRST_YEAR))


def _band_table(org: Org) -> dict[str, tuple[float, float]]:
    table = dict(TRUST_BANDS if org.is_trust else CCG_BANDS)
    for b in org.excluded_bands:
        table.pop(b, None)
    return table


def _occupation(rng: np.random.Generator, org: Org, band: str, clinical: bool) -> str:
    """An occupation (CCGs) or staff group (trust) plausible for the band."""
    if org.is_trust:
        if band in MEDICAL:
            return "Medical and Dental"
        if clinical:
            if band in ("2", "3", "4"):
                return "Additional Clinical Services"
            opts = (
                "Nursing and Midwifery Registered",
                "Allied Health Professionals",
                "Healthcare Scientists",
                "Additional Professional Scientific and Technical",
            )
            return opts[rng.choice(4, p=[0.65, 0.2, 0.08, 0.07])]
        if band in ("U1", "2", "3") and rng.random() < 0.35:
            return "Estates and Ancillary"
        return "Administrative and Clerical"
    if clinical:
        opts = (
            "Nurse - continuing healthcare",
            "Nurse - quality and safeguarding",
            "Pharmacist - medicines optimisation",
        )
    elif band in ("2", "3", "4"):
        opts = ("Administrator", "Personal assistant", "Finance assistant", "Team secretary")
    elif band in ("5", "6", "7"):
        opts = (
            "Commissioning officer",
            "Business intelligence analyst",
            "Contracts officer",
            "Communications officer",
            "Finance officer",
            "Project manager",
        )
    elif band in ("8a", "8b", "8c", "8d"):
        opts = (
            "Commissioning manager",
            "Head of contracting",
            "Finance manager",
            "Head of business intelligence",
        )
    else:
        opts = ("Director of commissioning", "Chief finance officer", "Director of nursing")
    return opts[int(rng.integers(0, len(opts)))]


def _new_staff(
    rng: np.random.Generator,
    org: Org,
    year: int,
    bands: np.ndarray,
    clinical: np.ndarray,
    next_id: int,
    n_bme: int,
    n_unknown: int,
) -> tuple[pd.DataFrame, int]:
    """New staff in the given bands, n_bme of them BME (more likely in junior and medical bands)."""
    n = len(bands)
    factor = np.array([BAND_BME_FACTOR[b] for b in bands], dtype=float)
    group = _allocate_groups(rng, factor, n_bme, n_unknown)
    eth = _codes(rng, group, org.unknown_rate)
    ids = next_id + np.cumsum(rng.integers(1, 6, n))
    occ = [_occupation(rng, org, b, bool(c)) for b, c in zip(bands, clinical, strict=True)]
    df = pd.DataFrame(
        {
            "staff_id": [str(i) for i in ids],
            "ethnic_origin": eth,
            "group": group,
            "band": bands,
            "clinical": clinical.astype(bool),
            "occupation": occ,
            "fixed": np.zeros(n, dtype=bool),
        }
    )
    return df, int(ids[-1]) if n else next_id


def _draw_bands(rng: np.random.Generator, org: Org, n: int) -> tuple[np.ndarray, np.ndarray]:
    table = _band_table(org)
    keys = np.array(list(table), dtype=object)
    w = np.array([v[0] for v in table.values()])
    bands = keys[rng.choice(len(keys), size=n, p=w / w.sum())]
    p_clin = np.array([table[b][1] for b in bands], dtype=float)
    return bands, rng.random(n) < p_clin


def simulate_workforce(org: Org, seed: int) -> dict[int, pd.DataFrame]:
    """The staff in post at 31 March of each year: stable ids, ~10% turnover a year.

    Leavers are replaced in the same band; the BME and Unknown counts of each year's hires
    are set so that the organisation's shares follow :func:`bme_target` and its unknown rate.
    """
    rng = seeded_rng(seed, org.code, "workforce")
    next_id = 10_000_000 + zlib.crc32(org.code.encode()) % 80_000_000
    fixed = pd.DataFrame(
        {
            "staff_id": [f.staff_id or str(next_id + i + 1) for i, f in enumerate(org.fixed)],
            "ethnic_origin": [f.ethnic_origin for f in org.fixed],
            "group": [f.group for f in org.fixed],
            "band": [f.band for f in org.fixed],
            "clinical": [f.clinical for f in org.fixed],
            "occupation": [f.occupation for f in org.fixed],
            "fixed": [True] * len(org.fixed),
        }
    )
    next_id += len(org.fixed) + 1
    growth = 0.012 if org.is_trust else float(rng.uniform(-0.005, 0.02))
    staff = fixed
    out: dict[int, pd.DataFrame] = {}
    for year in YEARS:
        target = round(org.size * (1 + growth) ** (year - FIRST_YEAR))
        if year == FIRST_YEAR:
            bands, clin = _draw_bands(rng, org, target - len(fixed))
        else:
            turnover = np.where(staff["band"].isin(TRAINEES), 0.35, 0.10)
            leave = (rng.random(len(staff)) < turnover) & ~staff["fixed"].to_numpy(dtype=bool)
            leavers = staff[leave]
            staff = staff[~leave]
            ex_bands, ex_clin = _draw_bands(rng, org, max(0, target - len(staff) - len(leavers)))
            bands = np.concatenate([leavers["band"].to_numpy(dtype=object), ex_bands])
            clin = np.concatenate([leavers["clinical"].to_numpy(dtype=bool), ex_clin])
        size = len(staff) + len(bands)
        n_bme = round(bme_target(org, year) * size) - int((staff["group"] == "BME").sum())
        n_unk = round(org.unknown_rate * size) - int((staff["group"] == "Unknown").sum())
        hires, next_id = _new_staff(rng, org, year, bands, clin, next_id, n_bme, n_unk)
        staff = pd.concat([staff, hires], ignore_index=True)
        out[year] = staff
    return out


def _board_member_eth(rng: np.random.Generator, p_bme: float) -> tuple[str, str]:
    u = rng.random()
    if u < 0.04:
        return str(_pick(rng, UNKNOWN, 1)[0]), "Unknown"
    if u < 0.04 + 0.96 * p_bme:
        return str(_pick(rng, BME, 1)[0]), "BME"
    return str(_pick(rng, WHITE, 1)[0]), "White"


def simulate_board(org: Org, seed: int) -> dict[int, list[dict[str, object]]]:
    """Board members at 31 March of each year; ~15% change each year."""
    rng = seeded_rng(seed, org.code, "board")
    if org.is_trust:
        roles = list(TRUST_BOARD)
    else:
        n_gp = int(rng.integers(2, 5))
        n_other = int(rng.integers(0, 3))
        roles = (
            CCG_BOARD_CORE
            + [("GP member", True, False, 0.3)] * n_gp
            + [("Director of commissioning", False, True, 0.08)]
            + [("Director of public health", False, False, 0.1)] * n_other
        )
    counter = 0

    def new(role: tuple[str, bool, bool, float]) -> dict[str, object]:
        nonlocal counter
        counter += 1
        eth, group = _board_member_eth(rng, role[3])
        return {
            "member_id": f"{org.code}-B{counter:03d}",
            "role": role,
            "ethnic_origin": eth,
            "group": group,
        }

    def fix(members: list[dict[str, object]]) -> None:
        # The trust's board has 1 to 3 BME members, as in the brief.
        for _ in range(1000):
            n_bme = sum(m["group"] == "BME" for m in members)
            if not org.is_trust or 1 <= n_bme <= 3:
                return
            i = int(rng.integers(0, len(members)))
            members[i] = new(members[i]["role"])  # type: ignore[arg-type]

    members = [new(r) for r in roles]
    fix(members)
    out = {FIRST_YEAR: list(members)}
    for year in YEARS[1:]:
        members = [new(m["role"]) if rng.random() < 0.15 else m for m in members]  # type: ignore[arg-type]
        fix(members)
        out[year] = list(members)
    return out
