"""Action plans: what a unit has done and plans to do, indicator by indicator.

One YAML file per unit and year, ``params/action-plans/<year>/<slug>.yaml`` (or the folder
named by ``action_plans`` in the year's params)::

    unit: 04Y
    year: 2021
    actions:
      "1": {taken: "...", planned: "..."}
      "7":
        taken: "..."
        planned: "..."
        owner: "Director of People"           # who answers for the planned action
        due: 2022-03-31                       # by when (a date, after the year's 31 March)
        measure: "the indicator 7 gap narrows" # how the Board will know it worked
        finding: "Indicator 7: the gap widened" # the finding of the report it answers
      "9": {taken: "...", planned: "..."}   # 9 covers 9a and 9b
      self_reporting: {taken: "...", planned: "..."}   # the template's 3b and 3c

A missing file is not an error: the report then has an empty plan and says so. ``owner``,
``due``, ``measure`` and ``finding`` are optional (a report shows "not set" for a planned
action without them); when given they are checked: ``due`` must be a real date after the
end of the reporting year (31 March).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from wres_utils.core.params import ParamsError, Unit, read_yaml

#: The keys an action plan may use: one per WRES indicator; "9" covers 9a and 9b.
ACTION_KEYS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "self_reporting")
#: The key of the steps on self-reporting (the template's 3b taken and 3c planned).
SELF_REPORTING = "self_reporting"

#: The note of an empty plan made because the file does not exist.
NO_FILE_NOTE = "no action plan file"


class Action(BaseModel):
    """Action taken and action planned for one indicator (free text, may be empty), with who
    owns the planned action, by when, how success is measured and which finding it answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    taken: str = ""
    planned: str = ""
    owner: str = ""
    due: date | None = None
    measure: str = ""
    finding: str = ""

    @field_validator("taken", "planned", "owner", "measure", "finding", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return "" if v is None else v

    @field_validator("due", mode="before")
    @classmethod
    def _due(cls, v: object) -> object:
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, str) and v.strip() == "":
            return None
        return v


class ActionPlan(BaseModel):
    """A unit's action plan for one WRES year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str | None = None
    year: int | None = None
    actions: dict[str, Action] = Field(default_factory=dict)
    #: Why the plan is empty or partial, e.g. "no action plan file"; "" otherwise.
    note: str = ""

    @field_validator("unit", mode="before")
    @classmethod
    def _unit(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v  # an org code such as 123 read by YAML

    @field_validator("actions", mode="before")
    @classmethod
    def _keys(cls, v: object) -> object:
        if v is None:
            return {}
        if not isinstance(v, dict):
            return v  # pydantic reports the type error
        out = {}
        for key, value in v.items():
            k = str(key).strip()
            if k not in ACTION_KEYS:
                raise ValueError(
                    f"unknown key {k!r}; expected some of {list(ACTION_KEYS)} "
                    "(one per indicator; 9 covers 9a and 9b; self_reporting for 3b and 3c)"
                )
            out[k] = value
        return out

    @model_validator(mode="after")
    def _due_after_year(self) -> ActionPlan:
        if self.year is None:
            return self
        end = date(self.year, 3, 31)
        late = [k for k, a in self.actions.items() if a.due is not None and a.due <= end]
        if late:
            raise ValueError(
                f"actions {late}: due must be after the end of the reporting year ({end})"
            )
        return self

    def for_indicator(self, indicator: str | int) -> Action:
        """The action for an indicator ("1".."8", "9a", "9b"); an empty one if none was given."""
        key = str(indicator).strip().lower()
        key = "9" if key in ("9a", "9b") else key
        return self.actions.get(key, Action())

    @property
    def is_empty(self) -> bool:
        """True when no indicator has any text."""
        return not any(a.taken.strip() or a.planned.strip() for a in self.actions.values())


def action_plan_path(folder: Path | str, unit: Unit) -> Path:
    """Where the action plan of ``unit`` lives in ``folder``: ``<slug>.yaml``.

    An organisation's slug is its upper-case code; a lower-case file name is accepted too.
    """
    folder = Path(folder)
    exact = folder / f"{unit.slug}.yaml"
    if exact.is_file():
        return exact
    lower = folder / f"{unit.slug.lower()}.yaml"
    return lower if lower.is_file() else exact


def _loc(loc: tuple[object, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def load_action_plan(
    path: Path | str, unit: Unit | None = None, year: int | None = None
) -> ActionPlan:
    """Read and validate an action-plan file.

    A missing file gives an empty plan with the note ``"no action plan file"``. An unreadable
    or invalid file (unknown key, wrong type) raises :class:`ParamsError` naming the file and
    the key. With ``unit`` and ``year``, the file's ``unit`` (its id, name or slug, any case)
    and ``year`` must match them.
    """
    path = Path(path)
    if not path.is_file():
        return ActionPlan(unit=unit.id if unit is not None else None, year=year, note=NO_FILE_NOTE)
    raw = read_yaml(path)  # duplicate keys, control characters: line and column named
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ParamsError(path, ["expected a mapping of keys (unit, year, actions)"])
    if "note" in raw:  # the note is the pipeline's, not the file's
        raise ParamsError(path, ["note: unknown key (expected unit, year, actions)"])
    try:
        plan = ActionPlan.model_validate(raw)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = (
                    "unknown key (expected unit, year, actions; under each action: taken, "
                    "planned, owner, due, measure, finding)"
                )
            problems.append(f"{_loc(err['loc'])}: {msg}")
        raise ParamsError(path, problems) from None
    problems = []
    if unit is not None:
        names = {unit.id.lower(), unit.name.lower(), unit.slug.lower()}
        if plan.unit is None:
            plan = plan.model_copy(update={"unit": unit.id})
        elif plan.unit.strip().lower() not in names:
            problems.append(f"unit: {plan.unit!r} does not match the unit {unit.id!r}")
    if year is not None:
        if plan.year is None:
            plan = plan.model_copy(update={"year": year})
        elif plan.year != year:
            problems.append(f"year: {plan.year} does not match the reporting year {year}")
    if problems:
        raise ParamsError(path, problems)
    if not plan.actions:
        plan = plan.model_copy(update={"note": "the action plan file has no actions"})
    return plan
