"""The synthetic example-data generator behind ``wres example-data``.

It writes, deterministically from one seed, five WRES years (2019-2023) of record-level
extracts in the input formats of docs/data-contract.md section 1 for seven made-up organisations
(six Staffordshire and Stoke-on-Trent CCGs reporting jointly, and one trust-sized
organisation ``ZZ1``), the ``params/<year>.yaml`` files that point at them, and one
action-plan file per reporting unit and year.

Nothing here describes real people: every CSV starts with a ``# SYNTHETIC DATA`` line.
Random numbers come from :func:`numpy.random.default_rng` seeded from the seed and the
``zlib.crc32`` of the organisation code, year and file kind, so output is byte-identical
across runs and machines (never ``hash()``, which differs per process).

Planted traps for the disclosure audit: :data:`TRAP_STAFF_ID` is in :data:`TRAP_ORG`'s
workforce every year, and :data:`TRAP_ORG` has exactly two BME staff (and some White staff)
in :data:`TRAP_BAND` every year. Neither must ever appear in a published output.
"""

from __future__ import annotations

import json
from pathlib import Path

from wres_utils.core.catalogue import TITLES
from wres_utils.core.params import slugify
from wres_utils.example import DEFAULT_SEED, EXAMPLE_DIR, JOINT_GROUP_NAME, YEARS
from wres_utils.example import providers as providers_synth
from wres_utils.example.files import (
    board_csv,
    disciplinary_csv,
    recruitment_csv,
    survey_csv,
    training_csv,
    workforce_csv,
    write,
)
from wres_utils.example.organisations import (
    CCG_CODES,
    CCGS,
    KINDS,
    ORGS,
    TRAP_BAND,
    TRAP_ORG,
    TRAP_STAFF_ID,
    TRUST,
    TRUST_SURVEY_YES_YEAR,
    TRUST_YES_NO_CLINICAL_YEAR,
    seeded_rng,
    synthetic_line,
    training_collected,
)
from wres_utils.example.people import simulate_board, simulate_workforce

# --- params and action plans ----------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _extract_path(year: int, code: str, kind: str) -> str:
    return f"{EXAMPLE_DIR}/{year}/{code}/{kind}.csv"


def params_yaml(year: int, seed: int) -> str:
    lines = [
        f"# WRES {year} parameters: SYNTHETIC EXAMPLE written by `wres example-data`"
        f" (seed {seed}).",
        "# Regenerate with `wres example-data --root .`: it overwrites this file and data/example.",
        "#",
        "# Keys:",
        "#   year                    WRES year: the report published that year (data to 31 March).",
        "#   synthetic               true: the data are synthetic and every output says so.",
        "#   suppression.min_count   counts from 1 to min_count are published as [c].",
        "#   suppression.round_to    round published counts to the nearest N (e.g. 5), or null.",
        "#   labels                  group labels used in text and charts (WRES says BME).",
        "#   indicator1_denominator  all (all staff, as the national tables) or known (staff with",
        "#                           a known ethnicity) as the denominator of indicator 1.",
        "#   indicator3_basis        two_year (NHS England's guidance: this and the previous year",
        "#                           pooled) or single_year: indicator 3's headline figure.",
        "#   executives_as_vsm       count executive directors on other pay scales (workforce",
        "#                           column executive_director) in the VSM row of indicator 1.",
        "#   broad_groups            also show indicators 1-4 by the five broad ethnic groups.",
        "#   header                  the header fields of the NHS England WRES reporting template.",
        "#   publication             the unit's publication page: due_regard (statement), roles",
        "#                           (blank: employer, and commissioner where it monitors",
        "#                           providers), contact for queries, wres_url (NHS England).",
        "#   organisations           code, name and extract files by kind (paths relative to the",
        "#                           repository root). A kind that is absent is 'not collected':",
        "#                           here training for 05Q in every year and for all CCGs in 2020.",
        "#   joint_groups            organisations that publish one joint report from their summed",
        "#                           counts (never averaged ratios); its members publish through",
        "#                           it only. policy: percentages (as the seed page) or counts.",
        "#   suppression.policy      counts (counts with [c]) or percentages (docs/disclosure.md).",
        "#   member_reports          true also builds each member's report, for internal use,",
        "#                           under analyst/<year>/members/ (never published).",
        "#   action_plans            folder of action-plan files, one <unit-slug>.yaml per unit.",
        "#",
        "# CCGs were abolished on 1 July 2022 (replaced by ICBs); this example keeps the six",
        "# Staffordshire and Stoke-on-Trent CCGs in every year 2019-2023 to show five-year trends.",
        f"year: {year}",
        "synthetic: true",
        "suppression:",
        "  min_count: 7",
        "  round_to: null",
        "  policy: counts",
        "  protection_width: 3",
        "  board_public: true",
        "  survey_min_respondents: 11",
        "  survey_all_or_none_below: 30",
        "labels:",
        '  white: "White"',
        '  bme: "BME"',
        '  unknown: "Unknown"',
        "indicator1_denominator: all",
        "indicator3_basis: two_year",
        "executives_as_vsm: true",
        "broad_groups: true",
        "header:",
        f"  board_lead: {_q('Director of People (synthetic example)')}",
        f"  compiler: {_q('Equality, Diversity and Inclusion Lead (synthetic example)')}",
        f"  commissioners_sent_to: {_q('NHS England Midlands (synthetic example)')}",
        f"  publication_url: {_q(f'https://example.org/synthetic-example/wres/{year}')}",
        f"  board_sign_off: {_q(f'Board meeting of 30 September {year} (synthetic example)')}",
        "publication:",
        f"  due_regard: {_q(_DUE_REGARD)}",
        f"  contact: {_q(_CONTACT)}",
        "organisations:",
    ]
    for org in ORGS:
        lines += [f"  - code: {_q(org.code)}", f"    name: {_q(org.name)}", "    files:"]
        for kind in KINDS:
            if kind == "training" and not training_collected(org.code, year):
                continue
            lines.append(f"      {kind}: {_extract_path(year, org.code, kind)}")
    lines += [
        "joint_groups:",
        f"  - name: {_q(JOINT_GROUP_NAME)}",
        f"    members: [{', '.join(_q(c) for c in CCG_CODES)}]",
        "    policy: percentages",
        "member_reports: false",
    ]
    lines += providers_synth.params_yaml_lines(year)
    lines.append(f"action_plans: params/action-plans/{year}")
    return "\n".join(lines) + "\n"


#: The example's "Meeting due regard" statement (params publication.due_regard).
_DUE_REGARD = (
    "Due regard means that we give the WRES attention in proportion to its relevance: the "
    "Board reviews these figures every year, agrees the action plan, and checks progress "
    "against it (synthetic example)."
)


_CONTACT = "The Equality, Diversity and Inclusion team: edi@example.org (synthetic example)"


#: Action-plan phrases by key ("1".."9"): (taken, planned) options.
_ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "1": (
        (
            "Reviewed the pay-band profile with staff networks",
            "Set a target for BME representation at Band 8a and above",
        ),
        (
            "Published the workforce profile to all staff",
            "Launch a reciprocal mentoring programme for senior managers",
        ),
    ),
    "2": (
        (
            "Introduced diverse interview panels for Band 7 and above",
            "Audit shortlisting decisions twice a year",
        ),
        (
            "Trained recruiting managers in fair selection",
            "Anonymise application forms for all posts",
        ),
    ),
    "3": (
        (
            "Added a pre-formal review step before any disciplinary investigation",
            "Report cases by ethnicity to the people committee each quarter",
        ),
        (
            "Trained case managers in just culture principles",
            "Keep the two-year pooled figure under review",
        ),
    ),
    "4": (
        (
            "Advertised CPD funding to every team",
            "Monitor access to non-mandatory training by ethnicity",
        ),
        (
            "Ring-fenced places on leadership courses",
            "Record all CPD in the learning system",
        ),
    ),
    "5": (
        (
            "Promoted the zero-tolerance policy on abuse from the public",
            "Support staff who report abuse within 48 hours",
        ),
        (
            "Reviewed reports of abuse from the public with the staff network",
            "Add guidance on abuse from the public to induction",
        ),
    ),
    "6": (
        (
            "Relaunched the Freedom to Speak Up service",
            "Run civility and respect workshops for every directorate",
        ),
        (
            "Trained bystanders to challenge bullying",
            "Follow up every staff survey comment on bullying",
        ),
    ),
    "7": (
        (
            "Started a career conversations programme",
            "Track progression of staff who attend development schemes",
        ),
        (
            "Published promotion routes for every band",
            "Offer secondments and acting-up posts openly",
        ),
    ),
    "8": (
        (
            "Board members listened to staff who experienced discrimination",
            "Review the grievance process with the BME staff network",
        ),
        (
            "Introduced a reporting route for discrimination",
            "Include discrimination in every manager's objectives",
        ),
    ),
    "9": (
        (
            "Used a diverse search agency for non-executive posts",
            "Offer board shadowing to staff from under-represented groups",
        ),
        (
            "Reviewed the diversity of the Board",
            "Add board diversity to the annual governance review",
        ),
    ),
}


#: Who owns each indicator's planned actions, and how success is measured (synthetic example).
_ACTION_OWNERS: dict[str, tuple[str, str]] = {
    "1": (
        "Director of People",
        "the BME share of Bands 8a and above moves towards the workforce's",
    ),
    "2": ("Head of Recruitment", "the relative likelihood of appointment is within 0.80-1.25"),
    "3": (
        "Head of Employee Relations",
        "the relative likelihood of entering a disciplinary is within 0.80-1.25",
    ),
    "4": (
        "Head of Learning and Development",
        "the relative likelihood of accessing training is within 0.80-1.25",
    ),
    "5": (
        "Director of Nursing",
        "fewer BME staff report abuse from the public in the next staff survey",
    ),
    "6": (
        "Freedom to Speak Up Guardian",
        "the gap between BME and White staff on indicator 6 narrows",
    ),
    "7": ("Director of People", "the gap between White and BME staff on indicator 7 narrows"),
    "8": (
        "Head of Equality, Diversity and Inclusion",
        "fewer BME staff report discrimination in the next staff survey",
    ),
    "9": ("Chair", "the BME share of the Board moves towards the workforce's"),
    "self_reporting": ("Head of Workforce Information", "the self-reporting rate rises above 95%"),
}
#: The self-reporting steps (3b taken, 3c planned) of every example plan.
_SELF_REPORTING = (
    "Reminded all staff how to update their ethnicity in the staff record",
    "Ask every new starter to record their ethnicity at induction",
)


def _action_plan_yaml(unit_id: str, name: str, year: int, seed: int) -> str:
    rng = seeded_rng(seed, unit_id, year, "action-plan")
    lines = [
        f"# Action plan for {name}, WRES {year}. Edit this file; it is shown in the report.",
        f"# SYNTHETIC EXAMPLE written by `wres example-data` (seed {seed}): the text is made up",
        "# and regenerating the example overwrites it.",
        "# Each planned action names its owner, its due date (after 31 March of the year), its",
        "# measure of success and the finding of the report it answers.",
        f"unit: {_q(unit_id)}",
        f"year: {year}",
        "actions:",
    ]
    choices = {
        key: options[int(rng.integers(0, len(options)))] for key, options in _ACTIONS.items()
    }
    choices["self_reporting"] = _SELF_REPORTING
    for key, (taken, planned) in choices.items():
        owner, measure = _ACTION_OWNERS[key]
        finding = (
            "Self-reporting of ethnicity (template section 3)"
            if key == "self_reporting"
            else "Indicator 9: Board membership against the workforce"
            if key == "9"
            else TITLES[key]
        )
        lines += [
            f'  "{key}":' if key != "self_reporting" else "  self_reporting:",
            f"    taken: {_q(taken + ' (synthetic example)')}",
            f"    planned: {_q(planned + ' (synthetic example)')}",
            f"    owner: {_q(owner)}",
            f"    due: {year + 1}-03-31",
            f"    measure: {_q(measure[:1].upper() + measure[1:])}",
            f"    finding: {_q(finding)}",
        ]
    return "\n".join(lines) + "\n"


def _units() -> list[tuple[str, str, str]]:
    """(id, name, slug) of every reporting unit, as YearParams.units() makes them."""
    out = [(o.code, o.name, o.code) for o in ORGS]
    out.append((JOINT_GROUP_NAME, JOINT_GROUP_NAME, slugify(JOINT_GROUP_NAME)))
    return out


def _readme(seed: int) -> str:
    ccgs = "\n".join(f"| {o.code} | {o.name} | about {o.size} |" for o in CCGS)
    return f"""# Synthetic example data: NOT REAL PEOPLE

Every file under this folder is **synthetic**: made up by `wres example-data` (seed {seed})
from random numbers. No row describes a real person, vacancy, case or board member, and the
figures say nothing about the real organisations whose names and codes are used. Every CSV
starts with the line

    {synthetic_line(seed)}

which the loaders skip (it still counts as line 1 in error messages).

## Regenerate

    wres example-data --root .          # or: python -m wres_utils.cli example-data --root .

This rewrites `data/example/<year>/<ORG>/<kind>.csv`, `params/2019.yaml` ... `params/2023.yaml`
and `params/action-plans/<year>/<unit>.yaml` (hand edits to those are lost). Output is
byte-identical for the same seed (`--seed N` for another draw); `tests/unit/test_synthetic.py`
checks that the committed files match.

## What is here
WRES years 2019-2023 (data to 31 March), one folder per year and organisation, with the
extracts of `docs/data-contract.md` section 1: `workforce`, `recruitment`, `disciplinary`,
`training`, `staff_survey`, `board`.

| code | organisation | staff |
|---|---|---|
{ccgs}
| {TRUST.code} | {TRUST.name} | about {TRUST.size} |

The six CCGs report jointly as "{JOINT_GROUP_NAME}". CCGs were abolished on 1 July 2022
(replaced by integrated care boards); the example keeps them for every year 2019-2023 so that
five-year trends can be shown.

Built in on purpose:
- a slow year-on-year rise in the BME share (new hires are more diverse; ~10% turnover a
  year, staff ids stable for staff who stay); BME share lower in senior bands, higher among
  medical staff; 3-10% unknown ethnicity and ~0.5% unreadable values ("??", "White", "n/a",
  blank) that must be reported as data-quality issues;
- recruitment files record the offer in `appointed` and whether it was taken up in
  `offer_accepted` (about 6% of offers declined); an appointment is an accepted offer;
- workforce files mark executive directors (`executive_director`): the VSM staff, and the
  trust's medical director, paid on the consultant scale, whom `executives_as_vsm: true`
  counts in the VSM row;
- White shortlisted applicants about 1.3-1.6 times as likely to be offered a post; BME staff about
  1.5 times as likely to enter a disciplinary process (the trust; the CCGs have 0-3 cases a
  year, some years none, so the file has a header only); White staff slightly more likely to
  access non-mandatory training;
- training **not collected** (no file, absent from params) for 05Q in every year and for all
  CCGs in 2020;
- format variety: the CCG files use ESR-style headers ("Org Code", "Staff ID", "Ethnic Origin";
  05W in upper case), the trust's use data-contract names; booleans are Yes/No, Y/N or
  TRUE/FALSE by organisation; the trust writes `clinical` as Yes/No in
  {TRUST_YES_NO_CLINICAL_YEAR} (Clinical/Non-clinical otherwise) and gives survey `yes`
  counts instead of `percent` in {TRUST_SURVEY_YES_YEAR}; VSM is spelled "VSM" or
  "Very Senior Manager"; 05D's workforce file is Windows-1252 encoded and has an occupation
  with an accented character ("Médical secretary"); the rest is UTF-8;
- staff-survey question numbers of the survey year (WRES year - 1): Q13a/Q13b + Q13c/Q14/Q15b
  for the 2018-2020 surveys, Q14a/Q14b + Q14c/Q15/Q16b from 2021.

## Providers (the commissioner's view)
`<year>/providers/ZP1` ... `ZP5` are five made-up trust-sized providers that the joint group
monitors as a commissioner (`commissioners:` in params): per year either a counts table
(`counts.csv`) or the figures the provider published in the `wres check-published` format
(`published.csv`). ZP4 publishes nothing in 2021, and ZP3's published indicator 2 for 2021
has its orientation swapped (an arithmetic slip the report must flag). Written by
`wres_utils.example.providers`.

## Planted traps (for the disclosure audit)
These must never show up in anything published:
- staff id `{TRAP_STAFF_ID}` is in {TRAP_ORG}'s workforce in every year
  (`wres_utils.example.organisations.TRAP_STAFF_ID`);
  no record-level value may leave the counts boundary;
- {TRAP_ORG} (a small CCG, `TRAP_ORG`) has exactly 2 BME staff, and some White staff, in
  "{TRAP_BAND}" (`TRAP_BAND`) in every year: that count must be suppressed (`[c]`), and not
  be recoverable from totals.
"""


def write_example_data(root: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """(Re)write the synthetic example extracts, params and action plans under ``root``.

    Writes ``data/example/<year>/<ORG>/<kind>.csv`` for 2019-2023, ``data/example/README.md``,
    ``params/<year>.yaml`` and ``params/action-plans/<year>/<slug>.yaml``. The output depends
    only on ``seed`` and is byte-identical across runs. Returns the paths written, sorted.
    """
    root = Path(root)
    written: list[Path] = []
    base = root / EXAMPLE_DIR
    for org in ORGS:
        workforce = simulate_workforce(org, seed)
        board = simulate_board(org, seed)
        for year in YEARS:
            folder = base / str(year) / org.code
            staff = workforce[year]
            files = {
                "workforce": workforce_csv(org, year, staff, seed),
                "recruitment": recruitment_csv(org, year, seed),
                "disciplinary": disciplinary_csv(org, year, staff, seed),
                "staff_survey": survey_csv(org, year, staff, seed),
                "board": board_csv(org, board[year], seed),
            }
            if training_collected(org.code, year):
                files["training"] = training_csv(org, year, staff, seed)
            else:
                (folder / "training.csv").unlink(missing_ok=True)  # stale from another run
            for kind in KINDS:
                if kind in files:
                    write(folder / f"{kind}.csv", files[kind], written)
    write(base / "README.md", _readme(seed).encode("utf-8"), written)
    for year in YEARS:
        write(root / "params" / f"{year}.yaml", params_yaml(year, seed).encode(), written)
        for unit_id, name, slug in _units():
            text = _action_plan_yaml(unit_id, name, year, seed)
            plan = root / "params" / "action-plans" / str(year) / f"{slug}.yaml"
            write(plan, text.encode("utf-8"), written)
    written += providers_synth.write_provider_files(root, seed)
    return sorted(written)
