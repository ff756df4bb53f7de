"""Action plans: params/action-plans/<year>/<slug>.yaml, validated; a missing file is empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from wres_utils.core.actionplan import (
    ACTION_KEYS,
    NO_FILE_NOTE,
    Action,
    action_plan_path,
    load_action_plan,
)
from wres_utils.core.params import ParamsError, Unit

GOOD = """
unit: 04Y
year: 2021
actions:
  "1": {taken: "Reviewed ESR coverage", planned: "Self-service campaign"}
  3: {taken: "Audit of formal cases"}
  "9": {planned: "Board development programme"}
"""

ORG = Unit(id="04Y", name="Cannock Chase CCG", members=("04Y",))
JOINT = Unit(id="North and South", name="North and South", members=("04Y", "05G"))


def _write(tmp_path: Path, text: str, name: str = "04Y.yaml") -> Path:
    path = tmp_path / "action-plans" / "2021" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_good_plan_loads_with_string_keys(tmp_path):
    plan = load_action_plan(_write(tmp_path, GOOD), unit=ORG, year=2021)
    assert (plan.unit, plan.year, plan.note) == ("04Y", 2021, "")
    assert sorted(plan.actions) == ["1", "3", "9"]  # YAML's int 3 becomes "3"
    assert plan.actions["3"] == Action(taken="Audit of formal cases", planned="")
    assert plan.for_indicator("9b").planned == "Board development programme"
    assert plan.for_indicator("9a") == plan.actions["9"]
    assert plan.for_indicator(5) == Action()  # none given: empty
    assert not plan.is_empty
    assert plan.model_dump(mode="json")["actions"]["1"]["planned"] == "Self-service campaign"


def test_missing_file_is_an_empty_plan_with_a_note(tmp_path):
    plan = load_action_plan(tmp_path / "nowhere" / "04Y.yaml", unit=ORG, year=2021)
    assert plan.actions == {} and plan.note == NO_FILE_NOTE == "no action plan file"
    assert (plan.unit, plan.year) == ("04Y", 2021) and plan.is_empty
    assert load_action_plan(tmp_path / "x.yaml").note == NO_FILE_NOTE


def test_empty_file_is_an_empty_plan(tmp_path):
    plan = load_action_plan(_write(tmp_path, ""), unit=ORG, year=2021)
    assert plan.actions == {} and "no actions" in plan.note


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (GOOD.replace('"9": {', '"10": {'), ["actions", "'10'"]),
        (GOOD.replace('"9": {', '"9a": {'), ["actions", "'9a'", "9 covers 9a and 9b"]),
        (GOOD.replace('taken: "Audit', 'done: "Audit'), ["actions.3.done", "unknown key"]),
        (GOOD + "owner: someone\n", ["owner", "unknown key"]),
        (GOOD + "note: mine\n", ["note", "unknown key"]),
        (GOOD.replace("unit: 04Y", "unit: 05G"), ["unit", "'05G'", "does not match"]),
        (GOOD.replace("year: 2021", "year: 2020"), ["year", "2020", "does not match"]),
        (GOOD.replace('"1": {taken', '"1": [taken'), ["line", "not valid YAML"]),
        ("- a list\n", ["expected a mapping"]),
        (GOOD.replace("year: 2021", "year: soon"), ["year"]),
    ],
)
def test_bad_plans_name_file_and_key(tmp_path, text, words):
    path = _write(tmp_path, text)
    with pytest.raises(ParamsError) as e:
        load_action_plan(path, unit=ORG, year=2021)
    message = str(e.value)
    assert str(path) in message
    for w in words:
        assert w in message


def test_joint_group_plan_by_slug_and_name(tmp_path):
    text = "unit: North and South\nyear: 2021\nactions: {'2': {taken: a}}\n"
    path = _write(tmp_path, text, "north-and-south.yaml")
    assert action_plan_path(path.parent, JOINT) == path
    assert load_action_plan(path, unit=JOINT, year=2021).actions["2"].taken == "a"
    by_slug = _write(tmp_path, text.replace("North and South", "north-and-south"), "x.yaml")
    assert load_action_plan(by_slug, unit=JOINT).unit == "north-and-south"


def test_plan_path_accepts_lower_case_org_file(tmp_path):
    lower = _write(tmp_path, GOOD, "04y.yaml")
    assert action_plan_path(lower.parent, ORG) == lower
    assert action_plan_path(tmp_path / "none", ORG) == tmp_path / "none" / "04Y.yaml"


def test_keys_are_one_per_indicator():
    assert ACTION_KEYS == (*(str(i) for i in range(1, 10)), "self_reporting")


def test_owner_due_measure_and_finding_are_validated(tmp_path):
    text = (
        'unit: "04Y"\nyear: 2021\nactions:\n'
        '  "7": {planned: "Open secondments", owner: "Director of People", due: 2022-03-31,\n'
        '        measure: "The indicator 7 gap narrows", finding: "Indicator 7 gap widened"}\n'
        '  self_reporting: {taken: "Reminded staff", planned: "Update records"}\n'
    )
    plan = load_action_plan(_write(tmp_path, text, "a.yaml"), unit=ORG, year=2021)
    a = plan.for_indicator("7")
    assert (a.owner, a.due.isoformat(), a.measure, a.finding) == (
        "Director of People",
        "2022-03-31",
        "The indicator 7 gap narrows",
        "Indicator 7 gap widened",
    )
    assert plan.actions["self_reporting"].planned == "Update records"
    for bad, words in (
        ("due: 2021-03-31", "due must be after the end of the reporting year"),
        ("due: 2022-02-30", "due"),
        ("due: soon", "due"),
        ("deadline: 2022-01-01", "unknown key"),
    ):
        broken = text.replace("due: 2022-03-31", bad)
        with pytest.raises(ParamsError) as e:
            load_action_plan(_write(tmp_path, broken, "b.yaml"), unit=ORG, year=2021)
        assert words in str(e.value), bad
