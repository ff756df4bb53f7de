"""Make the README's picture and the reading screenshots under docs/screenshots/.

Usage (from the repository root, after `make report YEAR=2021`):
    .venv/bin/python docs/make_screenshot.py [REPORTS_YEAR_DIR]

- docs/report-screenshot.png: the first screen of the 2021 joint report at 1280x800, taken by
  the project's accessibility checker (which also checks the page: axe-core in Chromium);
- docs/screenshots/<unit>-<view>.png for the joint report and ZZ1's: the first screen at
  1280 px, the summary at 390 px (a phone) and at 200% zoom, and the at-a-glance table at
  390 px (a11y/screenshot.mjs, headless Chromium).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from wres_utils.checks import a11y

DOCS = Path(__file__).resolve().parent
DEFAULT = Path("reports/2021")
JOINT = "staffordshire-and-stoke-on-trent-ccgs"
UNITS = {"joint": JOINT, "zz1": "ZZ1"}
OUT = DOCS / "report-screenshot.png"
SHOTS_DIR = DOCS / "screenshots"
#: (name, width, height, zoom, anchor): what each screenshot shows.
VIEWS: tuple[tuple[str, int, int, int, str | None], ...] = (
    ("1280", 1280, 800, 1, None),
    ("390-summary", 390, 844, 1, "#what-this-report-finds"),
    ("390-at-a-glance", 390, 844, 1, "#the-nine-indicators-at-a-glance"),
    ("zoom200-summary", 1280, 800, 2, "#what-this-report-finds"),
)


def shots(year_dir: Path) -> list[dict[str, object]]:
    """The screenshots to take of the year's built reports."""
    out = []
    for short, slug in UNITS.items():
        page = year_dir / slug / "report.html"
        if not page.is_file():
            continue
        for name, width, height, zoom, anchor in VIEWS:
            out.append(
                {
                    "path": str(page.resolve()),
                    "out": str(SHOTS_DIR / f"{short}-{name}.png"),
                    "width": width,
                    "height": height,
                    "zoom": zoom,
                    "anchor": anchor,
                }
            )
    return out


def main(argv: list[str]) -> int:
    year_dir = Path(argv[0]) if argv else DEFAULT
    page = year_dir / JOINT / "report.html"
    if not page.is_file():
        print(f"{page} not found: run `make report YEAR=2021` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        (result,) = a11y.check_pages([page], Path(tmp))
        print(a11y.format_results([result]))
        shutil.copyfile(result.screenshot, OUT)
        print(f"wrote {OUT}")
        SHOTS_DIR.mkdir(exist_ok=True)
        spec = Path(tmp) / "shots.json"
        spec.write_text(
            json.dumps({"executablePath": str(a11y.CHROMIUM), "shots": shots(year_dir)}),
            encoding="utf-8",
        )
        done = subprocess.run(
            ["node", str(a11y.A11Y_DIR / "screenshot.mjs"), str(spec)],
            cwd=a11y.A11Y_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        for path in json.loads(done.stdout):
            print(f"wrote {Path(path).relative_to(DOCS.parent)}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
