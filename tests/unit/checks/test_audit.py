"""The disclosure audit's checks, on small handmade outputs."""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
import pytest

from wres_utils import cli
from wres_utils.checks import audit
from wres_utils.checks import expect as checks_expect
from wres_utils.checks import findings as checks_findings
from wres_utils.checks import published_csv as checks_published_csv
from wres_utils.checks import scan as checks_scan
from wres_utils.compute.indicators import compute_indicators
from wres_utils.core.params import Unit
from wres_utils.disclosure import attack
from wres_utils.disclosure import gate as disclosure
from wres_utils.inputs.counts import normalise_dtypes
from wres_utils.report import charts, svg, tables

# ------------------------------------------------------------------------------ identifiers


def test_short_and_small_numeric_identifiers_are_not_searched():
    assert checks_scan.is_distinctive("SYN-TRAP-000042")
    assert checks_scan.is_distinctive("62329207")
    assert checks_scan.is_distinctive("A2100001")
    assert not checks_scan.is_distinctive("1234")  # too short
    assert not checks_scan.is_distinctive("B12")
    assert not checks_scan.is_distinctive("123456")  # digits only, shorter than 7


def test_scanner_finds_whole_tokens_only():
    s = checks_scan.IdentifierScanner(["SYN-TRAP-000042", "62329207", "05V-B002", "12"])
    assert s.ids == {"SYN-TRAP-000042", "62329207", "05V-B002"}
    assert s.find("staff SYN-TRAP-000042.") == ["SYN-TRAP-000042"]
    assert s.find("id=SYN-TRAP-000042-x and (05V-B002)") == ["05V-B002", "SYN-TRAP-000042"]
    assert s.find('<td>62329207</td> "62329207"') == ["62329207"]
    assert s.find("1623292070 and 62329207.5 is a number") == ["62329207"]
    assert s.find("1623292070, SYN-TRAP-0000421, XSYN-TRAP-000042") == []
    assert s.find("12 staff") == []


def test_scanner_without_identifiers_finds_nothing():
    assert checks_scan.IdentifierScanner([]).find("anything 62329207") == []


# ------------------------------------------------------------------------------ parsing


def _table_html(df: pd.DataFrame, caption: str) -> str:
    return tables.html_table(df, caption)


def test_parse_html_reads_tables_figures_and_text_without_images():
    df = pd.DataFrame({"Pay band": ["Band 5", "Band 8c"], "BME %": ["12.0%", "[c]"]})
    page = (
        "<html><body><p>Some <strong>text</strong>.</p>"
        + _table_html(df, "Clinical staff by pay band, 31 March 2021")
        + '<figure><img src="data:image/png;base64,iVBORw0KGgo62329207AAAA=" alt="A chart.">'
        "<figcaption>My chart</figcaption></figure></body></html>"
    )
    tabs, figs, text = checks_scan.parse_html(page)
    (t,) = tabs
    assert t.caption == "Clinical staff by pay band, 31 March 2021"
    assert t.columns == ["Pay band", "BME %"]
    assert t.rows == [["Band 5", "12.0%"], ["Band 8c", "[c]"]]
    assert figs == [checks_scan.Figure("My chart", "A chart.")]
    assert "Some text." in text
    assert "62329207" not in checks_scan.strip_data_uris(page)


def test_parse_html_drops_only_a_symbols_spoken_words():
    """The hidden words after [c] are not visible text; other hidden text is still scanned."""
    cell = '<td><span class="wres-vh">{}</span></td>'
    page = (
        "<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr>"
        + cell.format(" (withheld to protect confidentiality)")
        + cell.format("secret 3 staff")
        + "</tr></tbody></table>"
    )
    (t,), _, text = checks_scan.parse_html(page)
    assert t.rows == [["", "secret 3 staff"]]
    assert "withheld" not in text and "secret 3 staff" in text


def _board_chart(display: str, value: float = 12.5):
    df = pd.DataFrame(
        {"role": ["voting", "executive"], "value": [value, np.nan], "display": [display, "[c]"]}
    )
    return charts.board_chart(df, title="Board")


def test_parse_html_reads_the_text_of_svg_charts():
    chart = _board_chart("12.5%")
    tabs, figs, _ = checks_scan.parse_html(charts.chart_html(chart))
    (fig,) = figs
    assert fig.caption == "Board" and fig.alt == chart.alt_text
    assert "12.5%" in fig.text and "[c]" in fig.text and "Voting Board members" in fig.text
    bad = '<figure><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x"></figure>'
    assert checks_scan.parse_html(bad)[1][0].text == (checks_scan.UNREADABLE_SVG,)
    entity = "<!DOCTYPE s [<!ENTITY e 'x'>]><svg xmlns='http://www.w3.org/2000/svg'/>"
    assert checks_scan.svg_uri_text(svg.data_uri(entity)) == (checks_scan.UNREADABLE_SVG,)


def test_the_audit_reads_svg_chart_text_for_identifiers(tmp_path):
    year = tmp_path / "2021"
    (year / "AA1").mkdir(parents=True)
    leak = charts.chart_html(_board_chart("SYN-TRAP-000042"))  # a label that is an identifier
    unreadable = '<figure><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x"></figure>'
    (year / "AA1" / "report.html").write_text(_page(leak + unreadable))
    rep = audit.audit_outputs(year, identifiers=["SYN-TRAP-000042"])
    found = {(f.kind, f.location) for f in rep.findings}
    assert ("identifier", "chart 'Board'") in found, rep.format()
    assert ("unreadable", "chart ''") in found, rep.format()


def test_the_audit_compares_svg_chart_text_with_the_disclosed_chart(tmp_path):
    auditor = audit._Auditor(tmp_path, None, 3, [])
    disclosed = _board_chart("12.5%")
    same = tuple(svg.svg_text(disclosed.svg))
    auditor.compare_chart_text(tmp_path / "r.html", "chart", same, disclosed)
    assert auditor.report.findings == []
    # the published chart draws a figure that the disclosed chart withholds
    df = pd.DataFrame(
        {"role": ["voting", "executive"], "value": [12.5, 2.0], "display": ["12.5%", "2.0%"]}
    )
    leaked = tuple(svg.svg_text(charts.board_chart(df, title="Board").svg))
    auditor.compare_chart_text(tmp_path / "r.html", "chart", leaked, disclosed)
    (f,) = auditor.report.findings
    assert f.kind == "suppressed_shown" and "'2.0%'" in f.detail


def test_markdown_to_text():
    assert checks_scan.markdown_to_text("**BME** staff were  1.5 times\nas likely.") == (
        "BME staff were 1.5 times as likely."
    )


# ------------------------------------------------------------------------------ table checks


DISCLOSED = pd.DataFrame(
    {
        "Pay band": ["Band 5", "Band 8c", "All bands"],
        "BME %": ["12.0%", "[c]", "10.0%"],
        "Staff": ["50", "[c]", "60"],
        "Change": ["up", "–", "down"],
    }
)
RAW = pd.DataFrame(
    {
        "Pay band": ["Band 5", "Band 8c", "All bands"],
        "BME %": ["12.0%", "50.0%", "10.0%"],
        "Staff": ["50", "4", "60"],
        "Change": ["up", "down", "down"],
    }
)


def _published(df: pd.DataFrame) -> checks_scan.Table:
    (t,) = checks_scan.parse_html(_table_html(df, "T"))[0]
    return t


def test_compare_table_accepts_the_disclosed_table():
    assert checks_scan.compare_table(_published(DISCLOSED), DISCLOSED, RAW) == []


def test_compare_table_flags_every_suppressed_cell_shown():
    found = checks_scan.compare_table(_published(RAW), DISCLOSED, RAW)
    assert [(loc, kind) for loc, kind, _ in found] == [
        ("row 'Band 8c', column 'BME %'", "suppressed_shown"),
        ("row 'Band 8c', column 'Staff'", "suppressed_shown"),
        # the direction of change of a suppressed figure tells something about it too
        ("row 'Band 8c', column 'Change'", "suppressed_shown"),
    ]
    assert "'50.0%' (the unsuppressed figure)" in found[0][2]


def test_compare_table_reports_other_differences_as_mismatch():
    other = DISCLOSED.copy()
    other.loc[0, "BME %"] = "13.0%"
    other.loc[1, "Staff"] = "5"  # not the raw figure, still a figure where [c] belongs
    found = checks_scan.compare_table(_published(other), DISCLOSED, RAW)
    kinds = {loc: kind for loc, kind, _ in found}
    assert kinds == {
        "row 'Band 5', column 'BME %'": "mismatch",
        "row 'Band 8c', column 'Staff'": "suppressed_shown",
    }


def test_compare_table_reports_a_different_shape():
    found = checks_scan.compare_table(_published(DISCLOSED.iloc[:2]), DISCLOSED, RAW)
    assert found and found[0][1] == "mismatch" and "shape" in found[0][2]


def test_small_count_cells_skip_row_headers_and_other_figures():
    t = checks_scan.Table(
        "t", ["Indicator", "A", "B"], [["3", "3", "12.5%"], ["4", "1,234", "[c]"]]
    )
    assert checks_scan.small_count_cells(t, 7) == [(0, 1, "3")]
    assert checks_scan.small_count_cells(t, 2) == []


def test_records_heuristics():
    assert "records" in checks_scan.records_problem(["Staff ID", "Ethnic Origin"], 3)
    assert "counts table" in checks_scan.records_problem(["org_code", "measure", "value"], 3)
    assert "analyst" in checks_scan.records_problem(["unit", "statistic", "numerator"], 3)
    assert "201 rows" in checks_scan.records_problem(["a", "b"], 201)
    assert checks_scan.records_problem(["Pay band", "BME %", "Staff"], 20) is None
    frame = pd.DataFrame({"staff_id": ["62329207", "62329208"], "band": ["Band 5", "Band 6"]})
    assert "staff_id" in checks_scan.plain_text_records(repr(frame))
    big = pd.DataFrame({"x": np.arange(500)})
    assert "500 rows" in checks_scan.plain_text_records(repr(big))
    assert checks_scan.plain_text_records("<IPython.core.display.HTML object>") is None


# ------------------------------------------------------------------------------ indicators


def _year_table() -> pd.DataFrame:
    """An indicators table of one small organisation: a band with 2 BME staff."""
    cells = {
        ("Band 5", "clinical", "White"): 30,
        ("Band 5", "clinical", "BME"): 12,
        ("Band 5", "clinical", "Unknown"): 9,
        ("Band 8c", "clinical", "White"): 11,
        ("Band 8c", "clinical", "BME"): 2,
        ("Band 8c", "clinical", "Unknown"): 10,
        ("Band 6", "non-clinical", "White"): 40,
        ("Band 6", "non-clinical", "BME"): 15,
        ("Band 6", "non-clinical", "Unknown"): 8,
    }
    rows = [("AA1", 2021, "headcount", g, b, c, "", "", n) for (b, c, g), n in cells.items()]
    counts = normalise_dtypes(
        pd.DataFrame(
            rows,
            columns=[
                "org_code",
                "year",
                "measure",
                "group",
                "band",
                "clinical",
                "indicator",
                "board_role",
                "value",
            ],
        )
    )
    return compute_indicators(counts, [Unit(id="AA1", name="AA1", members=("AA1",))])


def _cell(t: pd.DataFrame, **where: str) -> pd.Series:
    sel = np.ones(len(t), dtype=bool)
    for c, v in where.items():
        sel &= (t[c].astype(str) == v).to_numpy()
    return sel


def test_published_indicators_pass_and_unsuppressed_ones_fail():
    table = _year_table()
    analyst = disclosure.disclose(table, min_count=7)
    trap = _cell(analyst, band="Band 8c", group="BME", statistic="count")
    assert analyst.loc[trap, "status"].tolist() == ["suppressed"]

    published = checks_expect._as_published_csv(disclosure.published_copy(analyst))
    assert checks_published_csv.check_indicators_csv(published, analyst) == []

    leaky = checks_expect._as_published_csv(
        disclosure.published_copy(disclosure.disclose(table, min_count=0))
    )
    found = checks_published_csv.check_indicators_csv(leaky, analyst)
    assert found and {k for _, k, _ in found} == {"suppressed_shown"}
    trap_hits = [
        (loc, d)
        for loc, _, d in found
        if "band Band 8c" in loc and "group BME" in loc and "statistic count" in loc
    ]
    assert len(trap_hits) == 1 and "raw value 2" in trap_hits[0][1]


def test_helper_columns_in_a_published_csv_are_records():
    analyst = disclosure.disclose(_year_table(), min_count=7)
    found = checks_published_csv.check_indicators_csv(analyst, analyst)
    assert ("columns", "records") in {(loc, k) for loc, k, _ in found}


def test_a_suppressed_count_recoverable_from_published_totals_is_found():
    analyst = disclosure.disclose(_year_table(), min_count=7)
    published = disclosure.published_copy(analyst)
    assert not attack.attack(analyst, published, 7)["exposed"].any()
    # Publish every cell that only secondary suppression withheld: the band's 2 BME staff
    # can then be worked out by subtraction from the published band total.
    raw = disclosure.disclose(_year_table(), min_count=0)
    value = raw["value"].to_numpy(dtype=float, na_value=np.nan)
    counts = raw["statistic"].isin(["count", "denominator"]).to_numpy()
    secondary = (
        (analyst["status"] == "suppressed").to_numpy() & counts & ~((value >= 1) & (value <= 7))
    )
    assert secondary.any()
    weak = analyst.copy()
    weak.loc[secondary, "status"] = "ok"
    weak.loc[secondary, "display"] = raw.loc[secondary, "display"]
    rec = attack.attack(analyst, disclosure.published_copy(weak), 7)
    exposed = rec[rec["exposed"]]
    hits = exposed[(exposed["band"] == "Band 8c") & (exposed["group"] == "BME")]
    assert [(int(r.lo), int(r.hi)) for r in hits.itertuples()] == [(2, 2)]


# ------------------------------------------------------------------------------ files


def _notebook(outputs: list[dict], source: str = "x = 1") -> dict:
    return {
        "cells": [{"cell_type": "code", "source": source, "metadata": {}, "outputs": outputs}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _page(body: str) -> str:
    """A minimal page as the package writes them: with its Content-Security-Policy."""
    from wres_utils.report.safetext import content_security_policy

    csp = content_security_policy()
    return (
        f'<html><head><meta http-equiv="Content-Security-Policy" content="{csp}"></head>'
        f"<body>{body}</body></html>"
    )


def test_generic_checks_over_a_folder_of_outputs(tmp_path):
    year = tmp_path / "2021"
    (year / "AA1" / "notebooks").mkdir(parents=True)
    records = pd.DataFrame({"staff_id": ["62329207"], "ethnic_origin": ["A White"]})
    nb = _notebook(
        [
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "metadata": {},
                "data": {"text/plain": repr(records)},
            },
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {
                    "text/html": _table_html(
                        pd.DataFrame({"Band": ["Band 8c"], "BME staff": ["2"]}), "Counts"
                    ),
                    "image/png": "U1lOLVRSQVAtMDAwMDQy",
                },
            },
        ]
    )
    (year / "AA1" / "notebooks" / "01.ipynb").write_text(json.dumps(nb))
    (year / "AA1" / "report.html").write_text(_page("<p>All fine.</p>"))
    wb = openpyxl.Workbook()
    wb.active.append(["Member ID", "Role"])
    wb.active.append(["05V-B002", "voting"])
    wb.save(year / "AA1" / "return.xlsx")
    (year / "notes.txt").write_text("contact SYN-TRAP-000042")

    rep = audit.audit_outputs(year, identifiers=["62329207", "05V-B002", "SYN-TRAP-000042"])

    assert not rep.ok
    got = {(f.file, f.kind) for f in rep.findings}
    assert got == {
        ("AA1/notebooks/01.ipynb", "identifier"),
        ("AA1/notebooks/01.ipynb", "records"),
        ("AA1/notebooks/01.ipynb", "small_count"),
        ("AA1/return.xlsx", "identifier"),
        ("AA1/return.xlsx", "records"),
        ("notes.txt", "identifier"),
    }, rep.format()
    (small,) = rep.of_kind("small_count")
    assert small.location == "cell 0, output 1, table 'Counts', row 'Band 8c', column 'BME staff'"
    assert sorted(rep.files) == [
        "AA1/notebooks/01.ipynb",
        "AA1/report.html",
        "AA1/return.xlsx",
        "notes.txt",
    ]
    text = rep.format()
    assert text.startswith(f"wres audit {year}: ") and "ERROR identifier" in text


def test_a_clean_folder_passes(tmp_path):
    year = tmp_path / "2021"
    year.mkdir()
    (year / "index.html").write_text(_page("<p>Reports for 2021.</p>"))
    rep = audit.audit_outputs(year, identifiers=["62329207"])
    assert rep.ok and rep.findings == [] and rep.files == ["index.html"]


def test_threshold_zero_is_a_finding(tmp_path):
    year = tmp_path / "2021"
    year.mkdir()
    rep = audit.audit_outputs(year, min_count=0)
    assert [f.kind for f in rep.findings] == ["suppression"] and not rep.ok


def test_report_ok_ignores_warnings():
    rep = checks_findings.AuditReport(year_dir=checks_findings.Path("reports/2021"))
    rep.findings.append(checks_findings.Finding("a.html", "", "mismatch", "differs"))
    assert rep.ok and rep.warnings and not rep.errors
    rep.findings.append(checks_findings.Finding("a.html", "", "identifier", "x"))
    assert not rep.ok


# ------------------------------------------------------------------------------ the command


@pytest.mark.parametrize("name", ["does-not-exist", "not-a-year"])
def test_cli_bad_folder_exits_2(tmp_path, capsys, name):
    folder = tmp_path / name
    if name == "not-a-year":
        folder.mkdir()
    assert cli.main(["audit", str(folder), "--params-dir", str(tmp_path)]) == 2
    assert "wres audit" in capsys.readouterr().err


def test_cli_missing_params_exits_2(tmp_path, capsys):
    (tmp_path / "2021").mkdir()
    status = cli.main(["audit", str(tmp_path / "2021"), "--params-dir", str(tmp_path / "p")])
    assert status == 2
    assert "2021.yaml" in capsys.readouterr().err
