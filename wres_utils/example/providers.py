"""Synthetic providers for the commissioner's view (issue 8): five made-up trusts, 2019-2023.

The example's commissioner is the joint group of the six Staffordshire and Stoke-on-Trent
CCGs (:data:`wres_utils.example.JOINT_GROUP_NAME`).
It monitors five trust-sized providers,
``ZP1`` .. ``ZP5``, of different sizes and profiles. For each WRES year a provider has either
a counts CSV (data-contract.md section 2, read by :func:`wres_utils.inputs.counts.read_counts_csv`)
or a published-figures CSV (:data:`PUBLISHED_COLUMNS`, the ``wres check-published``
input: per indicator the figure the provider published and the counts behind it), or
nothing (it did not publish). Planted on purpose:

- ``ZP4`` did not publish for WRES :data:`UNPUBLISHED_YEAR` (no file for that year);
- ``ZP3`` publishes figures (not counts) every year, and in :data:`SLIP_YEAR` its published
  indicator 2 has the orientation swapped (BME vs White instead of White vs BME);
- ``ZP1``: White applicants far more likely to be appointed every year (indicator 2 above 1.25
  two years running); ``ZP2``: indicator 3 worsening year on year; ``ZP5``: a small trust with
  a declaration rate below 90% that never collected training data (indicator 4 left blank).

Output is deterministic: random numbers come from :func:`numpy.random.default_rng` seeded
with the seed and the ``zlib.crc32`` of the provider code, year and measure (never
``hash()``). Every CSV starts with a ``# SYNTHETIC DATA`` line. Counts are generated directly
(there are no records behind them).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from wres_utils.compute import check_published as published_format
from wres_utils.example import DEFAULT_SEED, EXAMPLE_DIR, JOINT_GROUP_NAME, YEARS

#: The year in which ZP4 published nothing.
UNPUBLISHED_YEAR = 2021
UNPUBLISHED_PROVIDER = "ZP4"
#: The year and provider whose published indicator 2 has its orientation swapped.
SLIP_YEAR = 2021
SLIP_PROVIDER = "ZP3"
SLIP_INDICATOR = "2"

# The check-published format (one definition, in wres_utils.compute.check_published).
_NEEDS = published_format.NEEDS
_COUNT_FIELDS = published_format.COUNT_FIELDS
PUBLISHED_COLUMNS = published_format.PUBLISHED_COLUMNS

#: Trust pay bands: band -> (share of staff, probability clinical, BME factor).
_BANDS: dict[str, tuple[float, float, float]] = {
    "Band 2": (0.14, 0.45, 1.15),
    "Band 3": (0.12, 0.55, 1.1),
    "Band 4": (0.08, 0.35, 1.0),
    "Band 5": (0.21, 0.75, 1.35),
    "Band 6": (0.16, 0.75, 1.0),
    "Band 7": (0.11, 0.65, 0.85),
    "Band 8a": (0.045, 0.5, 0.7),
    "Band 8b": (0.02, 0.4, 0.55),
    "Band 8c": (0.01, 0.3, 0.4),
    "Band 8d": (0.006, 0.2, 0.3),
    "Band 9": (0.003, 0.1, 0.25),
    "VSM": (0.002, 0.2, 0.2),
    "Consultants": (0.045, 1.0, 1.9),
    "Non-consultant career grade": (0.016, 1.0, 2.6),
    "Trainee grades": (0.05, 1.0, 2.0),
}
#: Staff survey "yes" probabilities by indicator: (White, BME).
_SURVEY = {"5": (0.26, 0.29), "6": (0.24, 0.28), "7": (0.87, 0.72), "8": (0.06, 0.15)}


@dataclass(frozen=True)
class SynthProvider:
    """One synthetic provider and its profile over the years 2019-2023."""

    code: str
    name: str
    size: int
    bme_share: float
    unknown_rate: float
    #: Target relative likelihoods per year (2019..2023), for indicators 2, 3 and 4.
    rr2: tuple[float, ...]
    rr3: tuple[float, ...]
    rr4: tuple[float, ...]
    #: Board: (voting members, executive members, BME voting, BME executive).
    board: tuple[int, int, int, int]
    #: "counts" or "published": the kind of file the provider gives every year.
    gives: str = "counts"
    training_collected: bool = True

    @property
    def url(self) -> str:
        return f"https://example.org/synthetic-provider/{self.code.lower()}/wres"


#: The five providers the example commissioner monitors.
PROVIDERS: tuple[SynthProvider, ...] = (
    SynthProvider(
        "ZP1",
        "Synthetic Northfield Acute Hospitals NHS Trust",
        8200,
        0.24,
        0.04,
        rr2=(1.62, 1.58, 1.55, 1.50, 1.46),
        rr3=(1.35, 1.30, 1.28, 1.20, 1.15),
        rr4=(1.05, 1.04, 1.06, 1.03, 1.02),
        board=(14, 8, 2, 1),
    ),
    SynthProvider(
        "ZP2",
        "Synthetic Riverside Community Health NHS Trust",
        4100,
        0.18,
        0.05,
        rr2=(1.30, 1.24, 1.18, 1.15, 1.12),
        rr3=(1.05, 1.25, 1.55, 1.85, 2.10),
        rr4=(1.10, 1.08, 1.12, 1.09, 1.07),
        board=(12, 7, 3, 2),
    ),
    SynthProvider(
        "ZP3",
        "Synthetic Hillcrest Mental Health NHS Foundation Trust",
        3300,
        0.20,
        0.06,
        rr2=(1.45, 1.40, 1.38, 1.30, 1.25),
        rr3=(1.60, 1.55, 1.50, 1.45, 1.40),
        rr4=(0.98, 1.00, 0.97, 1.01, 0.99),
        board=(13, 7, 2, 1),
        gives="published",
    ),
    SynthProvider(
        "ZP4",
        "Synthetic Moorland Ambulance Service NHS Trust",
        2200,
        0.07,
        0.05,
        rr2=(1.20, 1.18, 1.15, 1.12, 1.10),
        rr3=(1.10, 1.05, 1.00, 1.02, 0.98),
        rr4=(1.25, 1.22, 1.20, 1.18, 1.15),
        board=(11, 6, 0, 0),
    ),
    SynthProvider(
        "ZP5",
        "Synthetic Lakeside Specialist Children's NHS Trust",
        900,
        0.15,
        0.14,
        rr2=(1.10, 1.35, 1.40, 1.20, 1.15),
        rr3=(1.00, 1.00, 1.00, 1.00, 1.00),
        rr4=(1.00, 1.00, 1.00, 1.00, 1.00),
        board=(10, 6, 1, 1),
        training_collected=False,
    ),
)
PROVIDER_CODES: tuple[str, ...] = tuple(p.code for p in PROVIDERS)


def seeded_rng(seed: int, *parts: object) -> np.random.Generator:
    key = zlib.crc32("/".join(str(p) for p in parts).encode("utf-8"))
    return np.random.default_rng([int(seed), key])


def synthetic_line(seed: int) -> str:
    """The first line of every synthetic provider CSV (without the newline)."""
    return (
        f"# SYNTHETIC DATA generated by wres example-data (seed {seed}): "
        "made-up providers, not real organisations or people"
    )


def file_kind(provider: SynthProvider, year: int) -> str | None:
    """What the provider gives for a year: "counts", "published", or None (not published)."""
    if provider.code == UNPUBLISHED_PROVIDER and year == UNPUBLISHED_YEAR:
        return None
    return provider.gives


def file_path(provider: SynthProvider, year: int) -> str | None:
    """The provider's file for a year, relative to the repository root (None if none)."""
    kind = file_kind(provider, year)
    if kind is None:
        return None
    return f"{EXAMPLE_DIR}/{year}/providers/{provider.code}/{kind}.csv"


# ------------------------------------------------------------------------------ counts


def _year_index(year: int) -> int:
    return YEARS.index(year) if year in YEARS else max(0, min(len(YEARS) - 1, year - YEARS[0]))


def provider_counts(provider: SynthProvider, year: int, seed: int = DEFAULT_SEED) -> list[tuple]:
    """The provider's counts for a year as rows (org_code, year, measure, group, band,
    clinical, indicator, board_role, value), in a stable order."""
    t = _year_index(year)
    rows: list[tuple] = []
    code = provider.code
    rng = seeded_rng(seed, code, year, "headcount")
    n = int(round(provider.size * (1.0 + 0.02 * t)))
    share = provider.bme_share * (1 + 0.04 * t)
    unknown = provider.unknown_rate
    bands = list(_BANDS)
    shares = np.array([_BANDS[b][0] for b in bands])
    per_band = rng.multinomial(n, shares / shares.sum())
    totals = {"White": 0, "BME": 0, "Unknown": 0}
    for b, nb in zip(bands, per_band, strict=True):
        _, p_clin, factor = _BANDS[b]
        p_unknown = unknown
        p_bme = min(0.9, share * factor) * (1 - unknown)
        g = rng.multinomial(int(nb), [1 - p_unknown - p_bme, p_bme, p_unknown])
        for grp, k in zip(("White", "BME", "Unknown"), g, strict=True):
            clin = int(rng.binomial(int(k), p_clin))
            totals[grp] += int(k)
            rows.append((code, year, "headcount", grp, b, "clinical", "", "", clin))
            rows.append((code, year, "headcount", grp, b, "non-clinical", "", "", int(k) - clin))
    # Indicator 2: shortlisted and appointed.
    rng = seeded_rng(seed, code, year, "recruitment")
    short_total = int(n * 0.30)
    p_bme_short = min(0.8, share * 1.6)
    s_unknown = int(rng.binomial(short_total, 0.03))
    s_bme = int(rng.binomial(short_total - s_unknown, p_bme_short))
    s_white = short_total - s_unknown - s_bme
    p_white = 0.28
    p_bme = p_white / provider.rr2[t]
    short = {"White": s_white, "BME": s_bme, "Unknown": s_unknown}
    app = {
        "White": int(rng.binomial(s_white, p_white)),
        "BME": int(rng.binomial(s_bme, p_bme)),
        "Unknown": int(rng.binomial(s_unknown, p_white)),
    }
    for grp in ("White", "BME", "Unknown"):
        rows.append((code, year, "shortlisted", grp, "", "", "", "", short[grp]))
        rows.append((code, year, "appointed", grp, "", "", "", "", app[grp]))
    # Indicator 3: disciplinary (a White rate of 1.2%).
    rng = seeded_rng(seed, code, year, "disciplinary")
    r_white = 0.012
    rates = {"White": r_white, "BME": r_white * provider.rr3[t], "Unknown": r_white}
    for grp in ("White", "BME", "Unknown"):
        k = int(rng.binomial(totals[grp], min(0.5, rates[grp])))
        rows.append((code, year, "disciplinary", grp, "", "", "", "", k))
    # Indicator 4: training (not collected by some providers).
    if provider.training_collected:
        rng = seeded_rng(seed, code, year, "training")
        t_white = 0.45
        rates = {"White": t_white, "BME": t_white / provider.rr4[t], "Unknown": 0.40}
        for grp in ("White", "BME", "Unknown"):
            k = int(rng.binomial(totals[grp], min(0.95, rates[grp])))
            rows.append((code, year, "training", grp, "", "", "", "", k))
    # Indicators 5-8: the staff survey of the year before (respondents and yes, by group).
    rng = seeded_rng(seed, code, year, "survey")
    offset = (zlib.crc32(code.encode()) % 7 - 3) / 100.0
    for ind, (pw, pb) in _SURVEY.items():
        for grp, p in (("White", pw), ("BME", pb)):
            resp = int(rng.binomial(totals[grp], 0.45))
            drift = -0.005 * t if ind != "7" else 0.004 * t
            yes = int(rng.binomial(resp, float(np.clip(p + offset + drift, 0.01, 0.99))))
            rows.append((code, year, "survey_respondents", grp, "", "", ind, "", resp))
            rows.append((code, year, "survey_yes", grp, "", "", ind, "", yes))
    # Indicator 9: the Board.
    voting, executive, bme_voting, bme_exec = provider.board
    bump = 1 if t >= 3 and provider.code in ("ZP2", "ZP3") else 0
    for role, total, bme in (
        ("voting", voting, bme_voting + bump),
        ("executive", executive, bme_exec),
    ):
        rows.append((code, year, "board", "BME", "", "", "", role, bme))
        rows.append((code, year, "board", "White", "", "", "", role, total - bme))
        rows.append((code, year, "board", "Unknown", "", "", "", role, 0))
    return rows


def _csv(rows: list[tuple], header: tuple[str, ...], seed: int) -> bytes:
    lines = [synthetic_line(seed), ",".join(header)]
    for r in rows:
        lines.append(",".join(_field(v) for v in r))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _field(v: object) -> str:
    s = str(v)
    return f'"{s}"' if ("," in s or '"' in s) else s


COUNT_HEADER = (
    "org_code",
    "year",
    "measure",
    "group",
    "band",
    "clinical",
    "indicator",
    "board_role",
    "value",
)


def counts_csv(provider: SynthProvider, year: int, seed: int = DEFAULT_SEED) -> bytes:
    """The provider's counts CSV (docs/data-contract.md section 2) for a year."""
    return _csv(provider_counts(provider, year, seed), COUNT_HEADER, seed)


# ------------------------------------------------------------------------------ published


def _sum(rows: list[tuple], measure: str, group: str, indicator: str = "", role: str = "") -> int:
    return sum(
        r[8]
        for r in rows
        if r[2] == measure
        and (group == "" or r[3] == group)
        and (indicator == "" or r[6] == indicator)
        and (role == "" or r[7] == role)
    )


def published_rows(provider: SynthProvider, year: int, seed: int = DEFAULT_SEED) -> list[tuple]:
    """The provider's published figures for a year in the :data:`PUBLISHED_COLUMNS` format.

    The figures are computed from its counts and written as published (relative likelihoods
    2 dp, percentages 1 dp with "%", percentage points 1 dp with "pp"), each row with the
    counts behind it; except for the planted slip.
    """
    rows = provider_counts(provider, year, seed)
    code = provider.code

    def c(field: str, ind: str) -> int:
        grp, _, measure = field.partition("_")
        group = {"white": "White", "bme": "BME", "unknown": "Unknown"}[grp]
        if measure.startswith("survey_"):
            return _sum(rows, measure, group, indicator=ind)
        if measure == "board":
            return _sum(rows, "board", group, role="voting" if ind == "9a" else "executive")
        return _sum(rows, measure, group)

    out: list[tuple] = []
    total = _sum(rows, "headcount", "")
    bme_share = 100.0 * _sum(rows, "headcount", "BME") / total
    specs = {
        "2": ("appointed", "shortlisted", True),
        "3": ("disciplinary", "headcount", False),
        "4": ("training", "headcount", True),
    }
    for ind, need in _NEEDS.items():
        if ind in specs and not any(r[2] == specs[ind][0] for r in rows):
            continue  # not collected: no row
        if ind == "1":
            value, group = f"{bme_share:.1f}%", "BME"
        elif ind in specs:
            event, base, white_on_top = specs[ind]
            rw = _sum(rows, event, "White") / _sum(rows, base, "White")
            rb = _sum(rows, event, "BME") / _sum(rows, base, "BME")
            rr = rw / rb if white_on_top else rb / rw
            if code == SLIP_PROVIDER and year == SLIP_YEAR and ind == SLIP_INDICATOR:
                rr = 1.0 / rr  # the planted slip: BME vs White instead of White vs BME
            value, group = f"{rr:.2f}", ""
        elif ind in ("5", "6", "7", "8"):
            yes = _sum(rows, "survey_yes", "BME", indicator=ind)
            resp = _sum(rows, "survey_respondents", "BME", indicator=ind)
            value, group = f"{100.0 * yes / resp:.1f}%", "BME"
        else:
            role = "voting" if ind == "9a" else "executive"
            share = (
                100.0 * _sum(rows, "board", "BME", role=role) / _sum(rows, "board", "", role=role)
            )
            value, group = f"{share - bme_share:+.1f} pp", ""
        counts = [str(c(f, ind)) if f in need else "" for f in _COUNT_FIELDS]
        out.append((code, year, ind, group, value, *counts))
    return out


def published_csv(provider: SynthProvider, year: int, seed: int = DEFAULT_SEED) -> bytes:
    """The provider's published-figures CSV (check-published format) for a year."""
    return _csv(published_rows(provider, year, seed), PUBLISHED_COLUMNS, seed)


# ------------------------------------------------------------------------------ files, params


def write_provider_files(root: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """(Re)write ``data/example/<year>/providers/<code>/{counts,published}.csv`` under ``root``.

    Byte-identical for the same seed; a stale file of another kind is removed. Returns the
    paths written, sorted.
    """
    root = Path(root)
    written: list[Path] = []
    for year in YEARS:
        for p in PROVIDERS:
            folder = root / EXAMPLE_DIR / str(year) / "providers" / p.code
            kind = file_kind(p, year)
            for other in ("counts", "published"):
                if other != kind:
                    (folder / f"{other}.csv").unlink(missing_ok=True)
            if kind is None:
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                continue
            data = counts_csv(p, year, seed) if kind == "counts" else published_csv(p, year, seed)
            path = folder / f"{kind}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            written.append(path)
    return sorted(written)


def params_fragment(year: int) -> dict:
    """The ``commissioners`` entry of ``params/<year>.yaml`` for the example (a dict to merge).

    The commissioner is the joint group of the six CCGs; a provider without a file for the
    year is listed without ``counts``/``published`` (it did not publish).
    """
    providers = []
    for p in PROVIDERS:
        entry: dict[str, str] = {"code": p.code, "name": p.name, "url": p.url}
        path = file_path(p, year)
        if path is not None:
            entry[file_kind(p, year) or "counts"] = path
        providers.append(entry)
    return {"commissioners": [{"unit": JOINT_GROUP_NAME, "providers": providers}]}


def params_yaml_lines(year: int) -> list[str]:
    """:func:`params_fragment` as YAML lines, for the text that ``synthetic.params_yaml``
    writes (JSON-quoted scalars, like the rest of that file)."""
    import json

    frag = params_fragment(year)["commissioners"][0]
    lines = [
        "# commissioners: the providers a commissioning unit monitors (the commissioner's view,",
        "# reports/<year>/<unit>/providers.html). Per provider and year either `counts` (the",
        "# counts table) or `published` (the check-published format); neither = not published.",
        "commissioners:",
        f"  - unit: {json.dumps(frag['unit'])}",
        "    providers:",
    ]
    for p in frag["providers"]:
        lines.append(f"      - code: {json.dumps(p['code'])}")
        for key in ("name", "url", "counts", "published"):
            if key in p:
                lines.append(f"        {key}: {json.dumps(p[key], ensure_ascii=False)}")
    return lines
