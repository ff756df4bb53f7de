"""Time to build each of the four report charts and turn it into HTML (``charts.chart_html``),
on the example's largest unit (ZZ1, WRES 2021), and WeasyPrint's time for that unit's report.

    PYTHONPATH=. python benchmarks/charts_bench.py [--repeat 20] [--pdf]

Prints one line per chart: median milliseconds of building the chart from its data (the
``views.*_chart_data`` frame, made once beforehand) and of ``chart_html`` (the image and the
data table), over ``--repeat`` runs after one warm-up run, and the size of the HTML. With
``--pdf``, also times WeasyPrint printing the four charts to PDF, with their data tables and
alone (median CPU time of 7 after a warm-up).

Before/after comparisons: run the same script against another checkout of the package
(``PYTHONPATH=/path/to/other/checkout``); it only uses the four chart functions and
``chart_html``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
UNIT = "ZZ1"
YEAR = 2021


def chapter(tmp: Path):
    from wres_utils.core.params import NOTEBOOKS
    from wres_utils.report import views
    from wres_utils.run.plan import validate
    from wres_utils.run.prepare import compute_published, write_prepared

    setup = validate(YEAR, ROOT / "params", ROOT, UNIT, ROOT / "notebooks", NOTEBOOKS)
    unit = setup.units[0]
    write_prepared(setup, unit, compute_published(setup), tmp)
    return views.open_chapter(tmp / "prepared", YEAR, unit.id)


def builders(ch):
    """Chart name -> a function building the chart from its (already prepared) data."""
    from wres_utils.report import charts, views

    b = ch.labels.bme
    band = views.band_chart_data(ch)
    rl = views.likelihood_chart_data(ch, "2")
    survey = views.survey_chart_data(ch)
    board = views.board_chart_data(ch)
    return {
        "bme_share_by_band": lambda: charts.bme_share_by_band(
            band, label_bme=b, title=f"{b} staff by pay band"
        ),
        "relative_likelihood_chart": lambda: charts.relative_likelihood_chart(
            rl, title="Indicator 2", label_bme=b
        ),
        "survey_chart": lambda: charts.survey_chart(
            survey, label_white=ch.labels.white, label_bme=b
        ),
        "board_chart": lambda: charts.board_chart(board, label_bme=b),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--pdf", action="store_true")
    a = p.parse_args()
    from wres_utils.report import charts

    with tempfile.TemporaryDirectory() as tmp:
        ch = chapter(Path(tmp))
        pages = []
        for name, build in builders(ch).items():
            c = build()
            pages.append(charts.chart_html(c))
            charts.close(c)
            t_build, t_html = [], []
            for _ in range(a.repeat):
                t = time.perf_counter()
                c = build()
                t_build.append(time.perf_counter() - t)
                t = time.perf_counter()
                html = charts.chart_html(c)
                t_html.append(time.perf_counter() - t)
                charts.close(c)
            ms_b, ms_h = statistics.median(t_build) * 1000, statistics.median(t_html) * 1000
            size = len(html)
            print(f"{name:26s} build {ms_b:7.1f} ms  chart_html {ms_h:7.1f} ms  {size:7d} chars")
        if a.pdf:
            import re

            import weasyprint

            css = (ROOT / "wres_utils/templates/wres/static/wres.css").read_text()
            figures = [re.sub(r"</figure>.*", "</figure>", p, flags=re.S) for p in pages]
            for what, body in (("charts and tables", pages), ("charts alone", figures)):
                doc = f"<html><head><style>{css}</style></head><body>{''.join(body)}</body></html>"
                weasyprint.HTML(string=doc).write_pdf(Path(tmp) / "warm.pdf")  # warm-up
                times = []
                for i in range(7):
                    t = time.process_time()  # CPU: the machine may be shared
                    weasyprint.HTML(string=doc).write_pdf(Path(tmp) / f"{i}.pdf")
                    times.append(time.process_time() - t)
                ms = statistics.median(times) * 1000
                print(f"WeasyPrint, the 4 {what}: {ms:8.1f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
