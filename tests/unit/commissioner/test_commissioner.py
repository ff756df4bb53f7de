"""The commissioner's view: synthetic providers, published-figures input, checks and rules."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from wres_utils.commissioner import compare as cm_compare
from wres_utils.commissioner import inputs as cm_inputs
from wres_utils.commissioner import prepare as cm_prepare
from wres_utils.commissioner import rules as cm_rules
from wres_utils.commissioner import view as cm_view
from wres_utils.core.errors import InputError
from wres_utils.core.params import Commissioner, Labels, Suppression, YearParams
from wres_utils.example import providers as ps
from wres_utils.inputs.counts import read_counts_csv
from wres_utils.run import commissioner as cm_build
from wres_utils.run.model import PARAMETER_NAMES
from wres_utils.run.plan import parameters_cell

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "notebooks" / "commissioner" / "10_providers.ipynb"


# ------------------------------------------------------------------ synthetic providers


def test_provider_files_are_deterministic_and_match_the_committed_example(tmp_path):
    written = ps.write_provider_files(tmp_path)
    assert len(written) == 5 * 5 - 1  # five providers, five years, ZP4 silent in 2021
    again = {p: p.read_bytes() for p in written}
    ps.write_provider_files(tmp_path)
    for p, data in again.items():
        assert p.read_bytes() == data
        committed = ROOT / p.relative_to(tmp_path)
        assert committed.read_bytes() == data, f"{committed} differs from the generator"
        assert data.startswith(b"# SYNTHETIC DATA")


def test_planted_cases():
    zp4 = next(p for p in ps.PROVIDERS if p.code == ps.UNPUBLISHED_PROVIDER)
    assert ps.file_path(zp4, ps.UNPUBLISHED_YEAR) is None
    assert ps.file_path(zp4, ps.UNPUBLISHED_YEAR - 1) is not None
    zp3 = next(p for p in ps.PROVIDERS if p.code == ps.SLIP_PROVIDER)
    rows = {r[2]: r for r in ps.published_rows(zp3, ps.SLIP_YEAR)}
    cols = ps.PUBLISHED_COLUMNS
    r = dict(zip(cols, rows["2"], strict=True))
    a, n1 = int(r["white_appointed"]), int(r["white_shortlisted"])
    c, n2 = int(r["bme_appointed"]), int(r["bme_shortlisted"])
    true_rr = (a / n1) / (c / n2)
    assert float(r["published_value"]) == pytest.approx(1 / true_rr, abs=0.005)
    assert abs(float(r["published_value"]) - true_rr) > 0.1


def test_counts_files_read_as_counts_tables():
    for p in ps.PROVIDERS:
        path = ps.file_path(p, 2021)
        if path and path.endswith("counts.csv"):
            c = read_counts_csv(ROOT / path)
            assert set(c["org_code"]) == {p.code} and set(c["year"]) == {2021}
            assert "headcount" in set(c["measure"])


def test_params_fragment_validates_and_points_at_committed_files():
    for year in ps.YEARS:
        frag = ps.params_fragment(year)
        (c,) = [Commissioner.model_validate(x) for x in frag["commissioners"]]
        assert [p.code for p in c.providers] == list(ps.PROVIDER_CODES)
        for p in c.providers:
            for spec in (p.counts, p.published):
                if spec is not None:
                    assert (ROOT / spec.path).is_file()
        text = "\n".join(ps.params_yaml_lines(year))
        assert yaml.safe_load(text) == frag


# ------------------------------------------------------------------ published figures

HEADER = "org_code,year,indicator,group,published_value," + ",".join(cm_inputs.COUNT_FIELDS)


def _line(code, year, ind, group, value, **counts):
    vals = [str(counts.get(c, "")) for c in cm_inputs.COUNT_FIELDS]
    return ",".join([code, str(year), ind, group, value, *vals])


def _published_file(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "published.csv"
    path.write_text("# SYNTHETIC DATA test\n" + HEADER + "\n" + "\n".join(lines) + "\n")
    return path


HC = {"white_headcount": 800, "bme_headcount": 150, "unknown_headcount": 50}


def test_read_published_and_counts(tmp_path):
    path = _published_file(
        tmp_path,
        [
            _line("XP1", 2021, "1", "BME", "15.0%", **HC),
            _line(
                "XP1",
                2021,
                "2",
                "",
                "1.50",
                white_shortlisted=300,
                white_appointed=90,
                bme_shortlisted=100,
                bme_appointed=20,
            ),
            _line("XP1", 2021, "3", "", "", **HC, white_disciplinary=8, bme_disciplinary=3),
        ],
    )
    fig = cm_inputs.read_published(path)
    assert list(fig["indicator"]) == ["1", "2", "3"]
    assert fig.loc[0, "published"] == 15.0 and fig.loc[1, "published_text"] == "1.50"
    assert np.isnan(fig.loc[2, "published"]) and fig.loc[2, "published_text"] == ""
    counts = cm_inputs.published_to_counts(fig)
    hc = counts[counts["measure"] == "headcount"].set_index("group")["value"]
    assert hc.to_dict() == {"White": 800, "BME": 150, "Unknown": 50}
    short = counts[counts["measure"] == "shortlisted"].set_index("group")["value"]
    assert short["White"] == 300 and short["BME"] == 100 and short["Unknown"] == 0
    assert not counts.duplicated(cm_inputs.COUNT_COLUMNS[:-1]).any()


def test_read_published_reports_every_problem(tmp_path):
    path = _published_file(
        tmp_path,
        [_line("XP1", 2021, "12", "", "x", **HC), _line("XP1", 2021, "1", "BME", "1", **HC)],
    )
    with pytest.raises(InputError) as e:
        cm_inputs.read_published(path)
    text = str(e.value)
    assert "indicator" in text and "published_value" in text and "line 3" in text


def test_parse_figure_and_rounding():
    assert cm_inputs.parse_figure("+3.4 pp") == (3.4, 1)
    assert cm_inputs.parse_figure("23.1%") == (23.1, 1)
    assert cm_compare.matches_within_rounding("1.52", 1.5249)
    assert not cm_compare.matches_within_rounding("1.52", 1.5251)
    with pytest.raises(ValueError):
        cm_inputs.parse_figure("n/a")


# ------------------------------------------------------------------ rules on handmade data


def _row(unit, year, ind, stat, value, display, status="ok", group="", **extra):
    band, clinical = ("All", "all") if ind == "1" else ("", "")
    return {
        "unit": unit,
        "year": year,
        "indicator": ind,
        "group": group,
        "band": band,
        "clinical": clinical,
        "statistic": stat,
        "value": value,
        "status": status,
        "note": extra.pop("note", ""),
        "display": display,
        "classification": extra.pop("classification", ""),
        "small_numbers": pd.NA,
        "question": "",
        "redesign": extra.pop("redesign", ""),
    }


def _providers(sources: dict[str, dict[int, str]]) -> list[cm_inputs.ProviderYear]:
    return [
        cm_inputs.ProviderYear(code, f"Provider {code}", "", y, src)
        for code, by_year in sources.items()
        for y, src in by_year.items()
    ]


RULES = cm_rules.load_rules()
EMPTY_CHECKS = pd.DataFrame(columns=cm_compare.CHECK_COLUMNS)


def _findings(rows, sources, checks=EMPTY_CHECKS, labels=None):
    table = pd.DataFrame(rows)
    return cm_rules.evaluate_rules(RULES, 2021, _providers(sources), table, checks, labels)


def test_shipped_rules_load():
    ids = [r.id for r in RULES.rules]
    assert len(ids) == len(set(ids)) >= 6
    assert {r.check for r in RULES.rules} == set(cm_rules.CHECKS)
    assert set(RULES.measures) == set(cm_inputs.PUBLISHED_INDICATORS)


def test_bad_rules_file_is_refused(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        yaml.safe_dump(
            {"measures": {}, "rules": [{"id": "x", "check": "nope", "title": "", "text": ""}]}
        )
    )
    with pytest.raises(ValueError, match="figure|check"):
        cm_rules.load_rules(bad)


def test_not_published_is_the_only_finding_of_a_silent_provider():
    rows = [_row("A", 2020, "2", "relative_likelihood", 1.5, "1.50")]
    f = _findings(rows, {"A": {2020: "counts", 2021: "not_published"}})
    assert list(f["rule"]) == ["not_published"]
    assert "WRES 2021" in f.iloc[0]["finding"] and "not published" in f.iloc[0]["figure"]


def test_outside_range_two_years_running_and_worsening():
    rows = [
        _row("A", 2020, "2", "relative_likelihood", 1.40, "1.40"),
        _row("A", 2021, "2", "relative_likelihood", 1.55, "1.55"),
        _row("B", 2020, "2", "relative_likelihood", 1.30, "1.30"),
        _row("B", 2021, "2", "relative_likelihood", 1.20, "1.20"),
        _row("C", 2020, "3", "relative_likelihood", np.nan, "[c]", status="suppressed"),
        _row("C", 2021, "3", "relative_likelihood", 2.00, "2.00"),
    ]
    both = {2020: "counts", 2021: "counts"}
    f = _findings(rows, {"A": both, "B": both, "C": both})
    a = f[f["code"] == "A"]
    assert set(a["rule"]) == {"outside_range_two_years", "worsening_trend"}
    assert all("1.40 in WRES 2020, 1.55 in WRES 2021" in s for s in a["figure"])
    assert f[f["code"] == "B"].empty  # back inside the range, and closer to 1
    assert f[f["code"] == "C"].empty  # a withheld figure never triggers a rule


def test_worsening_respects_direction_and_threshold():
    rows = [
        _row("A", 2020, "7", "percent", 70.0, "70.0%", group="BME"),
        _row("A", 2021, "7", "percent", 67.9, "67.9%", group="BME"),  # lower is worse
        _row("B", 2020, "5", "percent", 30.0, "30.0%", group="BME"),
        _row("B", 2021, "5", "percent", 30.9, "30.9%", group="BME"),  # +0.9 < min_change 1
        _row("C", 2020, "3", "relative_likelihood", 0.80, "0.80"),
        _row("C", 2021, "3", "relative_likelihood", 0.60, "0.60"),  # further from 1
    ]
    both = {2020: "counts", 2021: "counts"}
    f = _findings(rows, {"A": both, "B": both, "C": both})
    assert list(f["code"]) == ["A", "C"]
    assert set(f["rule"]) == {"worsening_trend"}


def test_low_declaration_rate_and_blank_indicators():
    rows = [
        _row("A", 2021, "1", "declaration_rate", 89.94, "89.9%"),
        _row("B", 2021, "1", "declaration_rate", 89.96, "90.0%"),
        _row(
            "B",
            2021,
            "4",
            "relative_likelihood",
            np.nan,
            "not collected",
            status="not_collected",
            note="non-mandatory training and CPD not collected for 2021",
        ),
    ]
    f = _findings(rows, {"A": {2021: "counts"}, "B": {2021: "counts"}})
    assert list(zip(f["code"], f["rule"], strict=True)) == [
        ("A", "low_declaration_rate"),
        ("B", "blank_indicator"),
    ]
    assert "89.9%" in f.iloc[0]["finding"] and "89.9%" in f.iloc[0]["figure"]
    assert "training" in f.iloc[1]["finding"]


def test_arithmetic_errors_cite_both_figures_and_the_cause():
    checks = pd.DataFrame(
        [
            ["A", 2021, "2", "", "0.77", "1.30", "does not match", "orientation swapped"],
            ["A", 2021, "3", "", "[c]", "[c]", "[c]", ""],
            ["A", 2020, "4", "", "1.10", "1.20", "does not match", "transcription"],
        ],
        columns=cm_compare.CHECK_COLUMNS,
    )
    f = _findings([], {"A": {2020: "published", 2021: "published"}}, checks)
    assert list(f["rule"]) == ["arithmetic_error"]
    assert "0.77" in f.iloc[0]["finding"] and "1.30" in f.iloc[0]["finding"]
    assert "orientation swapped" in f.iloc[0]["finding"]
    assert "published 0.77, recomputed 1.30" in f.iloc[0]["figure"]


def test_group_labels_come_from_params():
    rows = [
        _row("A", 2020, "3", "relative_likelihood", 1.5, "1.50"),
        _row("A", 2021, "3", "relative_likelihood", 1.9, "1.90"),
    ]
    labels = Labels(bme="ethnic minority", white="White")
    f = _findings(rows, {"A": {2020: "counts", 2021: "counts"}}, labels=labels)
    assert f["finding"].str.contains("ethnic minority staff").all()
    assert not f["finding"].str.contains(r"\bBME\b").any()


# ------------------------------------------------------------------ compute, check, views


def _example_prepared(tmp_path: Path, min_count: int = 7) -> tuple[Path, YearParams]:
    hist = {}
    for y in (2020, 2021):
        raw = yaml.safe_load((ROOT / "params" / f"{y}.yaml").read_text())
        raw.update(ps.params_fragment(y))
        # Board counts not public here, so that indicator 9a shows what disclosure withholds.
        raw["suppression"] = Suppression(min_count=min_count, board_public=False).model_dump()
        hist[y] = YearParams.model_validate(raw)
    p = hist[2021]
    cm_prepare.prepare(2021, p, p.commissioners[0], hist, ROOT, tmp_path)
    return tmp_path / cm_inputs.PREPARED, p


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder, p = _example_prepared(tmp_path_factory.mktemp("prep"))
    return folder, p


def test_prepared_folder_holds_only_disclosed_aggregates(prepared):
    folder, _ = prepared
    ind = pd.read_csv(folder / "indicators.csv", dtype=str, keep_default_na=False)
    assert not set(ind.columns) & {"numerator", "denominator", "members", "basis"}
    assert (ind.loc[ind["status"] == "suppressed", "value"] == "").all()
    assert (ind.loc[ind["status"] == "suppressed", "display"] == "[c]").all()
    assert (ind["status"] == "suppressed").any()  # small boards are withheld
    assert sorted(p.name for p in folder.iterdir()) == [
        "benchmarks.csv",
        "checks.csv",
        "context.json",
        "findings.csv",
        "indicators.csv",
    ]


def test_example_findings(prepared):
    folder, p = prepared
    v = cm_view.open_view(folder, 2021, p.commissioners[0].unit)
    f = v.findings
    assert set(f["code"]) == set(ps.PROVIDER_CODES)
    assert f[f["code"] == "ZP4"]["rule"].tolist() == ["not_published"]
    slip = f[(f["code"] == "ZP3") & (f["rule"] == "arithmetic_error")]
    assert len(slip) == 1 and "orientation swapped" in slip.iloc[0]["finding"]
    assert "indicator 2" in slip.iloc[0]["finding"].lower()
    assert "low_declaration_rate" in set(f[f["code"] == "ZP5"]["rule"])
    assert "blank_indicator" in set(f[f["code"] == "ZP5"]["rule"])
    assert (f["figure"].str.len() > 0).all()


def test_views_are_display_strings_and_name_every_provider(prepared):
    from wres_utils.report import tables

    folder, p = prepared
    v = cm_view.open_view(folder, 2021, p.commissioners[0].unit)
    for caption, df in cm_view.report_tables(v).items():
        html = tables.html_table(df, caption)  # raises on an unformatted number
        assert html.count("<caption") == 1 and '<th scope="row"' in html
    overview = cm_view.overview_table(v)
    assert len(overview) == 5
    assert overview.loc[3, "WRES 2021"] == "not published"
    t2 = cm_view.indicator_table(v, "2")
    assert t2.iloc[-1]["Provider"].startswith("England")
    assert t2.loc[3, "WRES 2021"] == "[x]"  # not published: the overview and note say so
    mism = cm_view.mismatch_table(v)
    assert mism["Provider"].str.contains("ZP3").all() and len(mism) == 1
    assert not any(re.fullmatch(r"[1-7]", str(x)) for x in mism.to_numpy()[:, 1:].ravel())
    gaps = cm_view.gaps_table(v)
    assert "everything: not published" in set(gaps["Missing"])


def test_small_multiples_chart_has_alt_text_and_data(prepared):
    import xml.etree.ElementTree as ET

    from wres_utils.report import charts

    NS = "{http://www.w3.org/2000/svg}"  # noqa: N806

    folder, p = prepared
    v = cm_view.open_view(folder, 2021, p.commissioners[0].unit)
    chart = cm_view.likelihood_chart(v)
    try:
        for code in ps.PROVIDER_CODES:
            assert code in chart.alt_text
        assert "95% CI" in chart.alt_text
        assert len(chart.data) == 5
        root = ET.fromstring(chart.svg)
        texts = ["".join(t.itertext()) for t in root.iter(f"{NS}text")]
        assert [t for t in texts if t.startswith("Indicator ")] == [
            "Indicator 2",
            "Indicator 3",
            "Indicator 4",
        ]
        assert all(code in texts for code in ps.PROVIDER_CODES)  # one row each
        # withheld or missing figures are labelled gaps, never points on the line at 1
        n_points = len([e for e in root.iter() if e.get("class") == "point"])
        n_gaps = len([e for e in root.iter() if e.get("class") == "gap"])
        assert n_points + n_gaps == 3 * len(ps.PROVIDER_CODES)
        assert len([e for e in root.iter() if e.get("class") == "band"]) == 3
    finally:
        charts.close(chart)


def test_no_suppression_shows_what_disclosure_withheld(tmp_path, prepared):
    folder, p = prepared
    raw_folder, _ = _example_prepared(tmp_path, min_count=0)
    disclosed = cm_view.open_view(folder, 2021, p.commissioners[0].unit)
    raw = cm_view.open_view(raw_folder, 2021, p.commissioners[0].unit)
    a = cm_view.indicator_table(disclosed, "9a").to_numpy()
    b = cm_view.indicator_table(raw, "9a").to_numpy()
    assert (a == "[c]").any() and not (b == "[c]").any()


# ------------------------------------------------------------------ build edge, notebook


def test_build_without_the_unit_folder_fails_cleanly(tmp_path):
    raw = yaml.safe_load((ROOT / "params" / "2021.yaml").read_text())
    raw.update(ps.params_fragment(2021))
    p = YearParams.model_validate(raw)
    failures = cm_build.build(2021, p, ROOT, tmp_path / "reports", {})
    assert len(failures) == 1
    assert failures[0].stage == "publish" and "does not exist" in failures[0].evalue
    assert not (tmp_path / "reports" / "2021").exists()


FORBIDDEN = [
    (r"^\s*def |^\s*class |lambda", "defines logic"),
    (r"import (pandas|numpy)|from (pandas|numpy)", "imports a data library"),
    (r"\.(groupby|pivot|merge|sum|mean|query|apply)\(", "computes on data"),
    (r"\[\s*['\"]value['\"]\s*\]", "reads raw values"),
    (r"[^*]\*\s*100|/\s*\w+\[", "does arithmetic"),
]


def test_commissioner_notebook_is_stripped_literal_and_thin():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert set(parameters_cell(NOTEBOOK)) == set(PARAMETER_NAMES)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None
        if "parameters" in cell.metadata.get("tags", []):
            continue
        for pattern, why in FORBIDDEN:
            assert not re.search(pattern, cell.source, re.M), f"{why}: {cell.source}"
    assert NOTEBOOK.parent.name == "commissioner"  # not run as a unit chapter


# ------------------------------------------------------------------ ranking, gaps and asks


def test_white_bme_gap_is_raised_with_its_threshold():
    rows = [
        _row("ZP2", 2021, "8", "percent", 13.1, "13.1%", group="BME"),
        _row("ZP2", 2021, "8", "percent", 3.9, "3.9%", group="White"),
        _row("ZP2", 2021, "6", "percent", 10.0, "10.0%", group="BME"),
        _row("ZP2", 2021, "6", "percent", 8.0, "8.0%", group="White"),
    ]
    f = _findings(rows, {"ZP2": {2021: "published"}})
    gap = f[f["rule"] == "white_bme_gap"]
    assert list(gap["indicator"]) == ["8"]  # 6 differs by 2.0 points: under the threshold
    assert "by 9.2 percentage points (threshold 5)" in gap["finding"].iloc[0]
    assert gap["figure"].iloc[0] == "Indicator 8, WRES 2021: BME 13.1%, White 3.9%"
    assert gap["ask"].iloc[0] and gap["owner"].iloc[0] and gap["due"].iloc[0] == "31 December 2021"


def test_findings_ranked_and_one_per_indicator():
    rows = [
        _row("ZP1", y, "2", "relative_likelihood", v, d)
        for y, v, d in ((2020, 1.5, "1.50"), (2021, 2.0, "2.00"))
    ] + [_row("ZP1", 2021, "1", "count", 640, "640")]
    f = _findings(
        rows, {"ZP1": {2020: "published", 2021: "published"}, "ZP9": {2021: "not_published"}}
    )
    assert sorted(f[f["code"] == "ZP1"]["rule"]) == ["outside_range_two_years", "worsening_trend"]
    assert (
        "by at least 0.1 on the log scale" in f[f["rule"] == "worsening_trend"]["finding"].iloc[0]
    )
    view = cm_view.ProvidersView(
        context={
            "year": 2021,
            "years": [2020, 2021],
            "unit": {"name": "C"},
            "synthetic": True,
            "providers": [{"code": "ZP1", "name": "One"}, {"code": "ZP9", "name": "Nine"}],
            "received": [
                {"code": "ZP1", "year": 2021, "source": "published"},
                {"code": "ZP9", "year": 2021, "source": "not_published"},
            ],
        },
        indicators=pd.DataFrame(rows),
        checks=EMPTY_CHECKS,
        findings=f,
        benchmarks=pd.DataFrame(),
    )
    t = cm_view.compliance_table(view)
    # not publishing (severity 1) first; ZP1's two findings on indicator 2 merged in one row
    assert list(t["Provider"]) == ["Nine (ZP9; headcount [x])", "One (ZP1; 640 staff)"]
    assert "Also: Indicator 2 got worse" in t["Finding"].iloc[1]
    assert t["Due"].iloc[0] == "31 October 2021"
    assert cm_view.overview_table(view)["Staff (headcount)"].tolist() == ["640", "[x]"]
