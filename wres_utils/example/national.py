"""National-scale synthetic data for the benchmarks (``make bench``): every NHS trust, once.

The same generator as the example data (:mod:`wres_utils.example.synthetic`: the same people model,
turnover, ethnicity codes, band spellings, file formats and ``# SYNTHETIC DATA`` line), run
for :data:`N_ORGS` made-up organisations whose sizes follow a log-normal spread from
:data:`MIN_STAFF` to :data:`MAX_STAFF` staff (about :data:`TOTAL_STAFF` in all, as the NHS
in England: ~210 trusts and ~42 ICBs). Organisations of 1,000 staff or more are trust-like
(trust pay-band mix, medical staff, 40-80 disciplinary cases a year); smaller ones are
ICB/CCG-like. Recruitment is drawn here, ~:data:`APPLICATIONS_PER_STAFF` applications per
member of staff (the example's trust has a fixed 14,000-16,500), so the national total is
about 1.5 million applications a year.

Output, under ``root``: ``data/national/<year>/<code>/<kind>.csv`` and ``params/<year>.yaml``
for the WRES years 2019-2023 (``synthetic: true``; no joint groups, no action plans: a unit
without a plan file gets an empty plan with a note). Codes are ``N001`` ... ``N250``.
Deterministic for a seed (numpy generators seeded with ``zlib.crc32``, never ``hash()``).
Nothing here describes real people or real organisations.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import yaml

from wres_utils.example import files as example_files
from wres_utils.example import organisations as example_organisations
from wres_utils.example import people as example_people

#: Number of organisations (each one reporting unit).
N_ORGS = 250
#: Staff in post in the first year, all organisations together (about).
TOTAL_STAFF = 1_400_000
MIN_STAFF = 40
MAX_STAFF = 20_000
#: Applications in a year per member of staff (about): 1.5 million nationally.
APPLICATIONS_PER_STAFF = 1.07
#: Organisations at least this big are trust-like.
TRUST_SIZE = 1_000
#: Folder of the national extracts, relative to the root.
NATIONAL_DIR = "data/national"
DEFAULT_SEED = 20210331

_HEADER_STYLES = ("snake", "title", "upper")
_BOOL_STYLES = tuple(example_organisations.BOOLS)
_VSM = ("VSM", "Very Senior Manager")


def national_sizes(
    n: int = N_ORGS,
    total: int = TOTAL_STAFF,
    low: int = MIN_STAFF,
    high: int = MAX_STAFF,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """Staff numbers of ``n`` organisations summing to about ``total``.

    One in six is ICB-like: log-uniform from ``low`` to :data:`TRUST_SIZE`. The others are
    trust-like: a skewed spread from :data:`TRUST_SIZE` to ``high`` whose mean makes up the
    total. The smallest is ``low`` and the largest ``high`` exactly.
    """
    rng = example_organisations.seeded_rng(seed, "national", "sizes")
    n_small = max(1, round(n / 6)) if n > 2 else 1
    small = np.exp(rng.uniform(np.log(low), np.log(TRUST_SIZE), n_small))
    small[0] = low
    n_big = n - n_small
    if n_big <= 0:
        return np.round(small).astype(int)
    z = np.sort(rng.normal(0.0, 1.0, n_big))
    w = (z - z.min()) / (z.max() - z.min()) if n_big > 1 else np.ones(1)
    span = np.log(high / TRUST_SIZE)
    target_mean = max(TRUST_SIZE, (total - small.sum()) / n_big)
    lo_s, hi_s = 0.05, 20.0
    for _ in range(60):  # bisect the exponent that gives the target mean size
        shape = (lo_s + hi_s) / 2
        big = TRUST_SIZE * np.exp(span * w**shape)
        if big.mean() > target_mean:
            lo_s = shape
        else:
            hi_s = shape
    sizes = np.concatenate([small, big])
    return np.clip(np.round(sizes), low, high).astype(int)


def national_orgs(
    n: int = N_ORGS, total: int = TOTAL_STAFF, seed: int = DEFAULT_SEED
) -> list[example_organisations.Org]:
    """The made-up organisations, with the example generator's description of each."""
    sizes = national_sizes(n, total, seed=seed)
    rng = example_organisations.seeded_rng(seed, "national", "orgs")
    order = rng.permutation(n)  # codes do not follow size
    orgs = []
    for i, idx in enumerate(order):
        size = int(sizes[idx])
        trust = size >= TRUST_SIZE
        code = f"N{i + 1:03d}"
        kind = "NHS Trust" if trust else "ICB"
        orgs.append(
            example_organisations.Org(
                code=code,
                name=f"Synthetic {kind} {code}",
                size=size,
                bme_share=float(rng.uniform(0.05, 0.45) if trust else rng.uniform(0.04, 0.3)),
                unknown_rate=float(rng.uniform(0.02, 0.1)),
                is_trust=trust,
                header_style=_HEADER_STYLES[i % 3],
                bool_style=_BOOL_STYLES[i % len(_BOOL_STYLES)],
                vsm=_VSM[i % 2],
            )
        )
    return orgs


def recruitment_csv(org: example_organisations.Org, year: int, seed: int) -> bytes:
    """Applications of a year, as :func:`wres_utils.example.files.recruitment_csv` draws them,
    but about :data:`APPLICATIONS_PER_STAFF` per member of staff."""
    rng = example_organisations.seeded_rng(seed, org.code, year, "recruitment")
    mean = APPLICATIONS_PER_STAFF * org.size
    n = max(20, int(rng.integers(int(mean * 0.9), int(mean * 1.1) + 1)))
    p_bme = np.full(n, min(0.6, 2.0 * example_people.bme_target(org, year)))
    eth, group = example_people.draw_ethnicity(rng, p_bme, 0.03)
    p_short = np.select([group == "White", group == "BME"], [0.32, 0.26], 0.28)
    shortlisted = rng.random(n) < p_short
    ratio = float(rng.uniform(1.2, 1.7))
    p_white = 0.25 if org.is_trust else 0.30
    rates = {"White": p_white, "BME": p_white / ratio, "Unknown": p_white * 0.9}
    quota = {g: round(r * int((shortlisted & (group == g)).sum())) for g, r in rates.items()}
    appointed = example_people.choose_by_quota(rng, group, shortlisted, quota)
    vac = rng.integers(1, max(3, n // 25) + 1, n)
    yes, no = example_organisations.BOOLS[org.bool_style]
    yy = year % 100
    rows = [
        (org.code, f"A{yy:02d}{i + 1:06d}", f"V{yy:02d}-{v:05d}", e, yes if s else no)
        + (yes if a else no,)
        for i, (v, e, s, a) in enumerate(zip(vac, eth, shortlisted, appointed, strict=True))
    ]
    header = example_files.headers(
        org,
        ["org_code", "application_id", "vacancy_id", "ethnic_origin", "shortlisted", "appointed"],
    )
    return example_files.csv_bytes(seed, header, rows, "utf-8")


def _path(year: int, code: str, kind: str) -> str:
    return f"{NATIONAL_DIR}/{year}/{code}/{kind}.csv"


def _params(orgs: Sequence[example_organisations.Org], year: int, seed: int) -> str:
    raw = {
        "year": year,
        "synthetic": True,
        "suppression": {"min_count": 7, "round_to": None},
        "indicator1_denominator": "all",
        "header": {"board_lead": f"Synthetic national benchmark (seed {seed})"},
        "organisations": [
            {
                "code": o.code,
                "name": o.name,
                "files": {k: _path(year, o.code, k) for k in example_organisations.KINDS},
            }
            for o in orgs
        ],
    }
    head = (
        f"# WRES {year}: SYNTHETIC NATIONAL BENCHMARK DATA (seed {seed}), written by "
        "wres_utils.example.national for `make bench`. Not real organisations or people.\n"
    )
    return head + yaml.safe_dump(raw, sort_keys=False)


def write_national_data(
    root: Path | str,
    n_orgs: int = N_ORGS,
    total_staff: int = TOTAL_STAFF,
    seed: int = DEFAULT_SEED,
    years: Sequence[int] = example_organisations.YEARS,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    """Write the national extracts and params under ``root``; return a summary.

    The summary (also written to ``root/national.json``) gives the organisations' sizes and,
    per year, the rows of each extract. ``progress(done, total)`` is called per organisation.
    """
    root = Path(root)
    orgs = national_orgs(n_orgs, total_staff, seed)
    rows: dict[int, dict[str, int]] = {
        y: dict.fromkeys(example_organisations.KINDS, 0) for y in years
    }
    written: list[Path] = []
    for i, org in enumerate(orgs):
        workforce = example_people.simulate_workforce(org, seed)
        board = example_people.simulate_board(org, seed)
        for year in years:
            staff = workforce[year]
            files = {
                "workforce": example_files.workforce_csv(org, year, staff, seed),
                "recruitment": recruitment_csv(org, year, seed),
                "disciplinary": example_files.disciplinary_csv(org, year, staff, seed),
                "training": example_files.training_csv(org, year, staff, seed),
                "staff_survey": example_files.survey_csv(org, year, staff, seed),
                "board": example_files.board_csv(org, board[year], seed),
            }
            for kind, data in files.items():
                example_files.write(root / _path(year, org.code, kind), data, written)
                rows[year][kind] += data.count(b"\n") - 2  # the synthetic line and header
        if progress is not None:
            progress(i + 1, len(orgs))
    for year in years:
        path = root / "params" / f"{year}.yaml"
        example_files.write(path, _params(orgs, year, seed).encode("utf-8"), written)
    sizes = [o.size for o in orgs]
    summary: dict[str, object] = {
        "seed": seed,
        "organisations": len(orgs),
        "trust_like": sum(o.is_trust for o in orgs),
        "staff_first_year": int(sum(sizes)),
        "smallest": int(min(sizes)),
        "largest": int(max(sizes)),
        "median": int(np.median(sizes)),
        "rows": {str(y): r for y, r in rows.items()},
        "bytes": int(sum(p.stat().st_size for p in written)),
        "sizes": {o.code: o.size for o in orgs},
    }
    (root / "national.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary
