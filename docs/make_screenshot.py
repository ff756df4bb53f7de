"""Make docs/report-screenshot.png, the README's picture: the first screen of a built report.

Usage (from the repository root, after `make report YEAR=2021`):
    .venv/bin/python docs/make_screenshot.py [PATH/TO/report.html]

It opens the report in headless Chromium with the project's accessibility checker (which also
checks the page) and keeps its 1280x800 screenshot.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from wres_utils.checks import a11y

DEFAULT = Path("reports/2021/staffordshire-and-stoke-on-trent-ccgs/report.html")
OUT = Path(__file__).resolve().parent / "report-screenshot.png"


def main(argv: list[str]) -> int:
    page = Path(argv[0]) if argv else DEFAULT
    if not page.is_file():
        print(f"{page} not found: run `make report YEAR=2021` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        (result,) = a11y.check_pages([page], Path(tmp))
        print(a11y.format_results([result]))
        shutil.copyfile(result.screenshot, OUT)
    print(f"wrote {OUT}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
