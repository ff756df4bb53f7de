"""Parameters of a WRES year: pydantic models, loading, and errors that name the file and key.

One YAML file per WRES year (``params/2021.yaml``). Paths inside it are relative to the
repository root (the folder that holds ``params/``). See README.md for a commented example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

#: The record-level extracts of docs/data-contract.md section 1, in pipeline order.
EXTRACTS: tuple[str, ...] = (
    "workforce",
    "recruitment",
    "disciplinary",
    "training",
    "staff_survey",
    "board",
)

#: A file name for each notebook section of the report; the order is the report's.
NOTEBOOKS: tuple[str, ...] = (
    "00_summary",
    "01_workforce",
    "02_recruitment_discipline_training",
    "03_staff_survey",
    "04_board",
    "05_data_quality",
)


#: Values echoed in error messages are cut to this many characters (with "…").
SHOWN_CHARS = 60
#: Data years a folder name may give (see :func:`other_year_folders`).
DATA_YEARS = range(2000, 2101)


def shorten(value: object, limit: int = SHOWN_CHARS) -> str:
    """``value`` as text, cut to ``limit`` characters with "…" (for error messages)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def other_year_folders(path: Path | str, allowed: set[int]) -> list[int]:
    """Years (2000-2100) named by folder components of ``path`` that are not ``allowed``.

    ``data/example/2020/workforce.csv`` with ``allowed={2021}`` gives ``[2020]``: a params
    file pointing at another year's data. Only folders count (not the file name), and only a
    folder that is exactly four digits.
    """
    out = []
    for part in Path(path).parts[:-1]:
        if re.fullmatch(r"\d{4}", part) and int(part) in DATA_YEARS and int(part) not in allowed:
            out.append(int(part))
    return out


def key_line(path: Path | str, key: str) -> int | None:
    """The line of the YAML file ``path`` where the dotted ``key`` (``organisations.0.code``)
    is written: the deepest part of the key that the file has; None if unreadable."""
    try:
        node = yaml.compose(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = None
    for part in key.split(".") if key else []:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if str(k.value) == part]
            if not found:
                break
            k, node = found[0]
            line = k.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            line = node.start_mark.line + 1
        else:
            break
    return line


class ParamsError(Exception):
    """A params file is missing, unreadable or invalid. The message names the file and key."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{self.path}: invalid parameters\n{lines}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileSpec(_Strict):
    """One extract file: a path, and for XLSX an optional sheet name."""

    path: Path
    sheet: str | None = None
    #: Column names in the file mapped onto the contract names, e.g. {"Ethnicity": "ethnic_origin"}.
    columns: dict[str, str] = Field(default_factory=dict)


class Organisation(_Strict):
    """An organisation that reports (a trust, CCG or ICB) and where its extracts are."""

    code: str
    name: str
    #: Extracts by kind (workforce, recruitment, ...). A kind that is absent is "not collected".
    files: dict[str, FileSpec] = Field(default_factory=dict)
    #: Alternatively (or as well), a hand-written counts CSV in the data-contract format.
    counts: FileSpec | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9]{2,6}", v):
            raise ValueError(f"organisation code must be 2-6 letters or digits, found {v!r}")
        return v.upper()

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("an organisation needs a name (found an empty one)")
        return v

    @field_validator("files", mode="before")
    @classmethod
    def _files(cls, v: object) -> object:
        if isinstance(v, dict):
            unknown = sorted(set(v) - set(EXTRACTS))
            if unknown:
                raise ValueError(
                    f"unknown extract kind(s) {unknown}; expected some of {list(EXTRACTS)}"
                )
            return {k: ({"path": s} if isinstance(s, str) else s) for k, s in v.items()}
        return v

    @field_validator("counts", mode="before")
    @classmethod
    def _counts(cls, v: object) -> object:
        return {"path": v} if isinstance(v, str) else v


class JointGroup(_Strict):
    """Organisations that publish one joint report from their summed counts."""

    name: str
    members: list[str]
    #: The group's publishing policy (``counts`` or ``percentages``); None: the year's
    #: ``suppression.policy``.
    policy: Literal["counts", "percentages"] | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not slugify(v):
            raise ValueError(
                f"a joint group name needs letters or digits (its folder name); found {v!r}"
            )
        return v

    @field_validator("members")
    @classmethod
    def _members(cls, v: list[str]) -> list[str]:
        if len(v) < 2:
            raise ValueError("a joint group needs at least two members")
        if len(set(v)) != len(v):
            raise ValueError("a joint group names a member twice")
        return [m.upper() for m in v]

    @property
    def slug(self) -> str:
        """The folder name of the group's reports, e.g. ``north-staffs-and-stoke-ccgs``."""
        return slugify(self.name)


class Provider(_Strict):
    """A provider a commissioner monitors, and what it published for this year (if anything).

    ``counts`` is the provider's counts table (docs/data-contract.md section 2); ``published`` the
    figures it published, in the ``wres check-published`` format. Neither means "not published".
    """

    code: str
    name: str
    url: str = ""
    counts: FileSpec | None = None
    published: FileSpec | None = None

    @field_validator("counts", "published", mode="before")
    @classmethod
    def _spec(cls, v: object) -> object:
        return {"path": v} if isinstance(v, str) else v


class Commissioner(_Strict):
    """A commissioning unit (an organisation or joint group) and the providers it monitors."""

    unit: str
    providers: list[Provider]

    @field_validator("providers")
    @classmethod
    def _unique(cls, v: list[Provider]) -> list[Provider]:
        codes = [p.code for p in v]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"provider code(s) {dupes} appear more than once")
        return v


class Suppression(_Strict):
    """Disclosure control settings (docs/methodology.md, 'Disclosure control')."""

    #: Counts from 1 to ``min_count`` are suppressed (shown as ``[c]``).
    min_count: int = Field(default=7, ge=0, le=100)
    #: Round published counts to the nearest ``round_to`` (5 in most publications), or not at all.
    round_to: int | None = Field(default=None, ge=2, le=100)
    #: What is published (docs/disclosure.md): ``counts`` (counts with [c], as NHS Digital
    #: publishes) or ``percentages`` (percentages, relative likelihoods and percentage points;
    #: counts only as totals rounded to ``round_to``, 5 when unset).
    policy: Literal["counts", "percentages"] = "counts"
    #: The reader's interval for a withheld count of 1..min_count must be at least this wide
    #: (hi - lo; 3 keeps at least four values possible). Checked by integer programming.
    protection_width: int = Field(default=3, ge=2, le=100)
    #: Board members are public office holders: indicator 9 counts are published as they are.
    board_public: bool = True
    #: A staff survey group's percentage needs at least this many respondents.
    survey_min_respondents: int = Field(default=11, ge=1, le=1000)
    #: A survey result of 0% or 100% (every respondent answered alike) is withheld for groups
    #: of fewer respondents than this.
    survey_all_or_none_below: int = Field(default=30, ge=0, le=10000)


class Labels(_Strict):
    """Group labels used in text and charts; WRES says BME, many now write 'ethnic minority'."""

    white: str = "White"
    bme: str = "BME"
    unknown: str = "Unknown"

    @field_validator("white", "bme", "unknown")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a label needs some text (found an empty one)")
        return v


class Header(_Strict):
    """The header of the NHS England WRES reporting template."""

    board_lead: str = ""
    compiler: str = ""
    commissioners_sent_to: str = ""
    publication_url: str = ""
    board_sign_off: str = ""


#: NHS England's WRES page, linked from every publication page.
NHS_ENGLAND_WRES_URL = (
    "https://www.england.nhs.uk/about/equality/equality-hub/workforce-equality-data-standards/"
    "equality-standard/"
)


class Publication(_Strict):
    """What the publication page of each unit says besides its documents (plain text)."""

    #: "Meeting due regard": how the organisation gives the WRES due regard ("" = a standard
    #: statement).
    due_regard: str = ""
    #: The organisation's roles in relation to the WRES ("" = employer, and commissioner for
    #: a unit that monitors providers).
    roles: str = ""
    #: Where to send queries about the report (a team, an e-mail address).
    contact: str = ""
    #: NHS England's WRES page.
    wres_url: str = NHS_ENGLAND_WRES_URL


class YearParams(_Strict):
    """Everything one WRES year's run needs. Loaded from ``params/<year>.yaml``."""

    year: int = Field(ge=2015, le=2100)
    #: True when the data are synthetic: every output then says so.
    synthetic: bool = False
    suppression: Suppression = Suppression()
    labels: Labels = Labels()
    indicator1_denominator: Literal["all", "known"] = "all"
    #: Indicator 3's headline figure: "two_year" (NHS England's technical guidance: this and
    #: the previous year pooled, cases over headcounts) or "single_year". Both are shown.
    indicator3_basis: Literal["two_year", "single_year"] = "two_year"
    #: Count executive Board members whose workforce record is on another pay scale (e.g. a
    #: medical director on the consultant scale) in the VSM row of indicator 1, as NHS
    #: England's row "VSM (including executive Board members)" does. Needs the optional
    #: ``executive_director`` column of the workforce extract.
    executives_as_vsm: bool = False
    #: Show indicators 1-4 by the five broad ethnic groups too.
    broad_groups: bool = False
    header: Header = Header()
    #: The publication page of each unit across years (due regard, roles, contact).
    publication: Publication = Publication()
    organisations: list[Organisation] = Field(min_length=1)
    joint_groups: list[JointGroup] = Field(default_factory=list)
    #: Folder of action-plan files (one per unit), relative to the repository root.
    action_plans: Path | None = None
    #: Commissioners' monitoring of their providers (the commissioner's view).
    commissioners: list[Commissioner] = Field(default_factory=list)
    #: Members of a joint group publish through the joint report only. True also builds each
    #: member's own report for internal use, under analyst/<year>/members/ (never reports/,
    #: never linked from an index).
    member_reports: bool = False
    #: The params file these were loaded from (set by :func:`load_params`), for messages.
    _source: Path | None = PrivateAttr(default=None)

    @property
    def source(self) -> Path | None:
        """The params file these parameters were read from, if any."""
        return self._source

    @model_validator(mode="after")
    def _consistent(self) -> YearParams:
        codes = [o.code for o in self.organisations]
        for i, c in enumerate(codes):
            if c in codes[:i]:
                first = codes.index(c)
                raise ValueError(
                    f"organisations.{i}.code: {c!r} appears more than once (also "
                    f"organisations.{first}.code): list each organisation once"
                )
        for i, g in enumerate(self.joint_groups):
            unknown = [m for m in g.members if m not in codes]
            if unknown:
                raise ValueError(
                    f"joint_groups.{i}.members: {unknown} not among the organisations {codes}"
                )
        unit_ids = codes + [g.name for g in self.joint_groups]
        for i, c in enumerate(self.commissioners):
            if c.unit not in unit_ids and c.unit.upper() not in unit_ids:
                raise ValueError(
                    f"commissioners.{i}.unit: {c.unit!r} is not an organisation code or joint "
                    f"group name of this file ({unit_ids})"
                )
        return self

    def organisation(self, code: str) -> Organisation:
        """The organisation with this code (KeyError if none)."""
        for o in self.organisations:
            if o.code == code.upper():
                return o
        raise KeyError(code)

    def published_units(self) -> list[Unit]:
        """The units whose reports are published: the joint groups, and every organisation
        that is not a member of one (members publish through their joint report)."""
        members = {m for g in self.joint_groups for m in g.members}
        return [u for u in self.units() if u.is_joint or u.id not in members]

    def internal_units(self) -> list[Unit]:
        """Members of joint groups whose own reports are built for internal use only
        (``member_reports``), outside reports/."""
        if not self.member_reports:
            return []
        published = {u.id for u in self.published_units()}
        return [u for u in self.units() if u.id not in published]

    def suppression_for(self, unit: Unit) -> Suppression:
        """The disclosure settings of ``unit``: the year's, with a joint group's own policy."""
        for g in self.joint_groups:
            if g.name == unit.id and g.policy is not None:
                return self.suppression.model_copy(update={"policy": g.policy})
        return self.suppression

    def units(self) -> list[Unit]:
        """Every reporting unit: each organisation, then each joint group."""
        out = [Unit(id=o.code, name=o.name, members=(o.code,)) for o in self.organisations]
        out += [Unit(id=g.name, name=g.name, members=tuple(g.members)) for g in self.joint_groups]
        return out


class Unit(_Strict):
    """A reporting unit: an organisation (id = its code) or a joint group (id = its name)."""

    id: str
    name: str
    members: tuple[str, ...]

    @property
    def is_joint(self) -> bool:
        return len(self.members) > 1

    @property
    def slug(self) -> str:
        """Folder name under reports/<year>/: the org code, or the slugified group name."""
        return self.id if not self.is_joint else slugify(self.id)


def slugify(text: str) -> str:
    """Lower-case, hyphen-separated, filesystem-safe form of a name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _loc(loc: tuple[object, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def load_params(
    path: Path | str, root: Path | str | None = None, check_files: bool = True
) -> YearParams:
    """Read and validate a params file.

    ``root`` is the folder paths are relative to (default: the parent of the params folder).
    With ``check_files``, every named extract must exist. Every problem raises
    :class:`ParamsError` naming the file and the key.
    """
    path = Path(path)
    root = Path(root) if root is not None else path.resolve().parent.parent
    if not path.is_file():
        raise ParamsError(path, [f"file not found (expected params/<year>.yaml at {path})"])
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ParamsError(path, ["expected a mapping of keys (year, organisations, ...)"])
    try:
        params = YearParams.model_validate(raw)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check the spelling; see README.md for the keys)"
            loc = _loc(err["loc"])
            m = None if err["loc"] else re.match(r"([A-Za-z_]\w*(?:\.\w+)*): (.*)", msg, re.S)
            if m:  # a model-level check that names its key first
                loc, msg = m.group(1), m.group(2)
            problems.append(_at(path, loc, msg))
        raise ParamsError(path, problems) from None
    if path.stem.isdigit() and int(path.stem) != params.year:
        raise ParamsError(
            path, [_at(path, "year", f"{params.year} does not match the file name {path.name}")]
        )
    wrong_year = []
    for key, spec in _data_specs(params):
        allowed = {params.year, params.year - 1} if key.endswith("staff_survey") else {params.year}
        for y in other_year_folders(spec.path, allowed):
            wrong_year.append(
                _at(
                    path,
                    key,
                    f"{shorten(spec.path.as_posix())} is in a folder of year {y}: data of "
                    f"WRES {params.year} expected (is this another year's file?)",
                )
            )
    if wrong_year:
        raise ParamsError(path, wrong_year)
    no_data = [
        _at(
            path,
            f"organisations.{i}",
            "no data: give files (workforce, recruitment, ...) or a counts file",
        )
        for i, o in enumerate(params.organisations)
        if not o.files and o.counts is None
    ]
    if no_data:
        raise ParamsError(path, no_data)
    params._source = path
    if check_files:
        missing = [
            _at(path, key, f"file not found: {spec.path} (relative to {root})")
            for key, spec in _data_specs(params)
            if not (root / spec.path).is_file()
        ]
        if missing:
            raise ParamsError(path, missing)
    return params


def read_yaml(path: Path) -> object:
    """The YAML of a params or action-plan file, checked where it enters.

    Raises :class:`ParamsError` with the line and column for: text that is not UTF-8, a
    control character (e.g. Word's vertical tab) or an escaped unpaired surrogate anywhere in
    it, invalid YAML, a key given twice in one mapping, and a date that does not exist.
    """
    from wres_utils.core import inputchecks

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ParamsError(path, [f"not UTF-8 text ({e.reason} at byte {e.start})"]) from None
    except OSError as e:
        raise ParamsError(path, [f"cannot be read ({e.strerror})"]) from None
    problem = inputchecks.raw_text_problem(text)
    if problem:
        raise ParamsError(path, [problem])
    try:
        raw = inputchecks.load_yaml(text)
    except yaml.YAMLError as e:
        raise ParamsError(path, [inputchecks.yaml_problem(e)]) from None
    except ValueError as e:  # YAML reads 2022-02-30 as a date, which does not exist
        raise ParamsError(path, [f"a date that does not exist ({e})"]) from None
    bad = inputchecks.loaded_text_problems(raw)
    if bad:
        raise ParamsError(path, [_at(path, key, msg) for key, msg in bad])
    return raw


def _at(path: Path, loc: str, msg: str) -> str:
    """``"line 7, organisations.0.code: ..."``: a problem at a key of the params file."""
    line = key_line(path, loc) if loc != "(top level)" else None
    return f"line {line}, {loc}: {msg}" if line else f"{loc}: {msg}"


def _data_specs(params: YearParams) -> list[tuple[str, FileSpec]]:
    """(key, file spec) of every data file params name, keys as in error messages."""
    out: list[tuple[str, FileSpec]] = []
    for i, o in enumerate(params.organisations):
        out += [(f"organisations.{i}.files.{k}", s) for k, s in o.files.items()]
        if o.counts is not None:
            out.append((f"organisations.{i}.counts", o.counts))
    for i, c in enumerate(params.commissioners):
        for j, prov in enumerate(c.providers):
            for k in ("counts", "published"):
                spec = getattr(prov, k)
                if spec is not None:
                    out.append((f"commissioners.{i}.providers.{j}.{k}", spec))
    return out


def resolve(root: Path, spec: FileSpec) -> Path:
    """The absolute path of an extract named in params."""
    return (Path(root) / spec.path).resolve()
