"""wres check-published: recompute published figures and name the likely slip."""

from pathlib import Path

import pandas as pd
import pytest

from wres_utils import cli
from wres_utils.compute import check_published as published
from wres_utils.core.errors import InputError

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "published_example.csv"


@pytest.fixture(scope="module")
def results():
    r = published.check_published(EXAMPLE)
    notes = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)["note"]
    return r.assign(note=notes.to_numpy())


def by_note(results, note):
    sel = results[results["note"] == note]
    assert len(sel) >= 1, note
    return sel.iloc[0]


def test_correct_rows_match(results):
    ok = results[results["note"] == "correct"]
    assert len(ok) == 3 and ok["matches"].all() and (ok["likely_cause"] == "").all()
    assert by_note(results, "correct")["recomputed"] == "1.34"


@pytest.mark.parametrize(
    ("note", "cause"),
    [
        ("orientation swapped (BME vs White)", "orientation swapped"),
        ("ratio of rounded percentages (0.6% / 0.3%)", "percentages rounded to 1 decimal"),
        ("percentage instead of ratio (x100)", "a percentage instead of a ratio"),
        ("White and BME swapped", "White and BME figures swapped"),
        ("transcription: digits transposed", "digits transposed"),
        ("transcription: one digit wrong", "one digit wrong"),
    ],
)
def test_each_slip_is_named(results, note, cause):
    r = by_note(results, note)
    assert not r["matches"]
    assert cause in r["likely_cause"]
    assert " or " not in r["likely_cause"]  # one explanation, not a list of guesses


def test_match_is_within_the_rounding_of_the_published_value():
    c = {"white_shortlisted": 2641, "white_appointed": 660}
    c |= {"bme_shortlisted": 1854, "bme_appointed": 347}  # 1.3352...
    assert published.check_row("2", c, "1.34")["matches"]
    assert published.check_row("2", c, "1.3")["matches"]  # published to 1 decimal
    assert not published.check_row("2", c, "1.33")["matches"]


def test_parse_published():
    assert published.parse_published("23.1%") == (23.1, 1)
    assert published.parse_published("+3.4 pp") == (3.4, 1)
    assert published.parse_published("-13.1") == (-13.1, 1)
    with pytest.raises(ValueError):
        published.parse_published("n/a")


def test_not_calculable():
    c = {"white_headcount": 0, "white_disciplinary": 0, "bme_headcount": 10}
    r = published.check_row("3", c | {"bme_disciplinary": 1}, "1.00")
    assert r["recomputed"] == "not calculable" and not r["matches"]


def test_bad_input_names_line_and_column(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(
        "org_code,year,indicator,published_value,white_shortlisted,white_appointed\n"
        "ZZ1,2021,2,1.5,100,20\n"
        "ZZ1,2021,12,1.5,100,20\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        published.check_published(f)
    text = e.value.render()
    assert "line 2" in text and "bme_shortlisted" in text
    assert "line 3" in text and "indicator" in text


def test_cli(tmp_path, capsys):
    out = tmp_path / "results.csv"
    status = cli.main(["check-published", str(EXAMPLE), "--out", str(out)])
    assert status == 1  # some figures do not match
    text = capsys.readouterr().out
    assert "likely cause: orientation swapped" in text
    assert len(pd.read_csv(out)) == 9
    assert cli.main(["check-published", str(tmp_path / "missing.csv")]) == 2
