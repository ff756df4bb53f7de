"""`wres indicators --counts FILE` end to end on the hand-written counts."""

from pathlib import Path

import pandas as pd

from wres_utils import cli
from wres_utils.compute.table import CONTRACT_COLUMNS

DATA = Path(__file__).resolve().parents[1] / "data" / "handwritten_counts.csv"


def test_cli_indicators_published(tmp_path):
    out = tmp_path / "tmp" / "indicators.csv"
    rc = cli.main(
        [
            "indicators",
            "--counts",
            str(DATA),
            "--out",
            str(out),
            "--joint",
            "J=AA1,BB2",
            "--published",
        ]
    )
    assert rc == 0
    t = pd.read_csv(out, dtype={"indicator": str}, keep_default_na=False)
    assert list(t.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert not {"numerator", "denominator", "members"} & set(t.columns)
    assert set(t.unit) == {"AA1", "BB2", "CC3", "J"}
    sup = t[t.status == "suppressed"]
    assert len(sup) > 0 and (sup["value"] == "").all() and (sup["display"] == "[c]").all()
    # J pools counts: (40/120)/(20/100) = 1.67
    rr = t[
        (t.unit == "J")
        & (t.year == 2021)
        & (t.indicator == "2")
        & (t.statistic == "relative_likelihood")
    ]
    assert rr["display"].tolist() == ["1.67"]


def test_cli_indicators_analyst_copy_and_bad_joint(tmp_path, capsys):
    out = tmp_path / "all.csv"
    assert (
        cli.main(["indicators", "--counts", str(DATA), "--out", str(out), "--min-count", "0"]) == 0
    )
    t = pd.read_csv(out, keep_default_na=False)
    assert "numerator" in t.columns and (t.status != "suppressed").all()
    assert (
        cli.main(["indicators", "--counts", str(DATA), "--out", str(out), "--joint", "J=AA1,ZZ9"])
        == 2
    )
    assert "ZZ9" in capsys.readouterr().err
