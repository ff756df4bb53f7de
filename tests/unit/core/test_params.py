"""Params files: validated by pydantic; every error names the params file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from wres_utils.core.params import ParamsError, load_params, slugify

GOOD = """
year: 2021
synthetic: true
organisations:
  - code: 05G
    name: North Staffordshire CCG
    files:
      workforce: data/05G/workforce.csv
  - code: 05W
    name: Stoke-on-Trent CCG
    files:
      workforce: data/05W/workforce.csv
joint_groups:
  - name: North Staffs and Stoke CCGs
    members: [05G, 05W]
"""


def _write(tmp_path: Path, text: str, name: str = "2021.yaml") -> Path:
    (tmp_path / "params").mkdir(exist_ok=True)
    for org in ("05G", "05W"):
        (tmp_path / "data" / org).mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / org / "workforce.csv").write_text("org_code\n")
    p = tmp_path / "params" / name
    p.write_text(text)
    return p


def test_good_params_load_and_list_units(tmp_path):
    params = load_params(_write(tmp_path, GOOD))
    units = params.units()
    assert [u.id for u in units] == ["05G", "05W", "North Staffs and Stoke CCGs"]
    assert units[2].is_joint and units[2].members == ("05G", "05W")
    assert units[2].slug == "north-staffs-and-stoke-ccgs"
    assert units[0].slug == "05G"
    assert params.suppression.min_count == 7  # the default k
    assert params.labels.bme == "BME"
    assert params.indicator1_denominator == "all"


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (GOOD.replace("synthetic: true", "synthetc: true"), "synthetc", "unknown key"),
        (
            GOOD.replace("members: [05G, 05W]", "members: [05G, 99Q]"),
            "joint_groups.0.members",
            "99Q",
        ),
        (
            GOOD.replace("workforce: data/05W/", "workforce: data/nowhere/"),
            "organisations.1.files.workforce",
            "file not found",
        ),
        (
            GOOD.replace("files:\n      workforce: data/05G", "files:\n      workfarce: data/05G"),
            "organisations.0.files",
            "unknown extract kind",
        ),
        (GOOD + "indicator1_denominator: some\n", "indicator1_denominator", "'all' or 'known'"),
        (GOOD + "suppression: {min_count: -1}\n", "suppression.min_count", "greater than or equal"),
        (GOOD.replace("year: 2021", "year: 2020"), "year", "does not match"),
        ("year: [2021\n", "line", "not valid YAML"),
        ("- just a list\n", "mapping", "expected a mapping"),
    ],
)
def test_bad_params_name_file_and_key(tmp_path, text, key, words):
    path = _write(tmp_path, text)
    with pytest.raises(ParamsError) as e:
        load_params(path)
    message = str(e.value)
    assert str(path) in message
    assert key in message
    assert words in message


def test_missing_params_file(tmp_path):
    with pytest.raises(ParamsError, match="file not found"):
        load_params(tmp_path / "params" / "2031.yaml")


def test_slugify():
    assert (
        slugify("Staffordshire and Stoke-on-Trent CCGs") == "staffordshire-and-stoke-on-trent-ccgs"
    )


COMMISSIONER = """
commissioners:
  - unit: North Staffs and Stoke CCGs
    providers:
      - {code: RX1, name: Provider One, url: "https://x.org/1", counts: data/05G/workforce.csv}
      - {code: RX2, name: Provider Two}
"""


def test_commissioner_providers(tmp_path):
    params = load_params(_write(tmp_path, GOOD + COMMISSIONER))
    (c,) = params.commissioners
    assert [p.code for p in c.providers] == ["RX1", "RX2"]
    assert c.providers[1].counts is None and c.providers[1].published is None


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("unit: North Staffs and Stoke CCGs", "unit: Nowhere CCG"), "commissioners.0.unit"),
        (
            ("counts: data/05G/workforce.csv", "counts: data/none.csv"),
            "commissioners.0.providers.0.counts",
        ),
        (("code: RX2", "code: RX1"), "appear more than once"),
    ],
)
def test_bad_commissioner(tmp_path, change, key):
    path = _write(tmp_path, GOOD + COMMISSIONER.replace(*change))
    with pytest.raises(ParamsError, match=key.replace(".", r"\.")):
        load_params(path)
