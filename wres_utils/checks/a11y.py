"""Accessibility checks of rendered pages in a real browser (headless Chromium + axe-core).

:func:`check_pages` runs ``a11y/axe_check.mjs`` (node, ``playwright-core`` driving Debian's
``/usr/bin/chromium``) ONCE for a list of local HTML files: one browser, one page after another,
nothing loaded from the network (every request that is not ``file:`` or ``data:`` is blocked and
reported), axe-core injected from ``a11y/node_modules`` (never a CDN). For each page:

- axe-core with the WCAG 2.0/2.1/2.2 A and AA rules (tags :data:`AXE_TAGS`);
- our own DOM checks: ``<html lang="en-GB">``, exactly one ``<h1>`` and it is the first heading,
  heading levels never skip (h2 -> h4), every ``<img>`` has alt text that is not empty, not a
  file name and not a placeholder word ("image", "chart", ...), every ``<table>`` has ``<th>``
  cells, and the table of contents (``nav[aria-label="Contents"]``): its links point to ids
  that exist and every one is reached by pressing Tab from the top of the page;
- a screenshot of the first screen (1280 x 800) for reviewers.

Chromium and the node packages are installed by ``make`` (``mk/a11y.mk``); when they are
missing, :func:`check_pages` raises :class:`A11yToolMissing` saying how to install them.

Command line: ``python -m wres_utils.checks.a11y PATH...`` checks every ``*.html`` file under each
folder (or the files given), saves each page's screenshot as ``<unit>/screenshots/<stem>.png``
(``<unit>`` being the folder of ``report.html``), prints :func:`format_results` and exits 1
when a page is not :attr:`PageResult.ok`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The folder holding the node script, package.json and package-lock.json.
A11Y_DIR = Path(__file__).resolve().parents[2] / "a11y"
SCRIPT = A11Y_DIR / "axe_check.mjs"
#: Written by ``make`` after ``npm ci`` in :data:`A11Y_DIR`.
NODE_STAMP = A11Y_DIR / "node_modules" / ".installed"
#: Debian's Chromium (override with the environment variable ``WRES_CHROMIUM``).
CHROMIUM = Path(os.environ.get("WRES_CHROMIUM", "/usr/bin/chromium"))
#: The axe-core rule tags run: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
#: axe impacts that fail a page.
BLOCKING_IMPACTS: frozenset[str] = frozenset({"serious", "critical"})
SCREENSHOT_FOLDER = "screenshots"


class A11yToolMissing(RuntimeError):
    """Chromium, node or the node packages needed by the checks are not installed."""


@dataclass(frozen=True)
class Violation:
    """One axe-core rule that failed on a page."""

    id: str
    impact: str
    help: str
    nodes: int
    targets: tuple[str, ...] = ()
    help_url: str = ""

    @property
    def blocking(self) -> bool:
        """True for a serious or critical violation (these fail the page)."""
        return self.impact in BLOCKING_IMPACTS


@dataclass(frozen=True)
class PageResult:
    """The checks of one page: axe violations, our DOM problems, the screenshot."""

    path: Path
    violations: tuple[Violation, ...] = ()
    dom_problems: tuple[str, ...] = ()
    screenshot: Path | None = None
    toc_links: int = 0

    @property
    def serious(self) -> tuple[Violation, ...]:
        """The serious and critical axe violations."""
        return tuple(v for v in self.violations if v.blocking)

    @property
    def others(self) -> tuple[Violation, ...]:
        """The moderate and minor axe violations (reported, not failing)."""
        return tuple(v for v in self.violations if not v.blocking)

    @property
    def ok(self) -> bool:
        """No serious or critical axe violation and no DOM problem."""
        return not self.serious and not self.dom_problems


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise A11yToolMissing(
            "node is not installed: run `make a11y-deps` (apt-get install nodejs npm)"
        )
    return node


def check_tools() -> None:
    """Raise :class:`A11yToolMissing` with a clear message if a tool is not installed."""
    if not CHROMIUM.exists():
        raise A11yToolMissing(
            f"Chromium not found at {CHROMIUM}: run `make a11y-deps` "
            "(apt-get install chromium), or set WRES_CHROMIUM"
        )
    _node()
    for package in ("playwright-core", "axe-core"):
        if not (A11Y_DIR / "node_modules" / package / "package.json").exists():
            raise A11yToolMissing(
                f"{A11Y_DIR / 'node_modules' / package} is missing: run `make a11y-deps` "
                "(npm ci --ignore-scripts in a11y/)"
            )


def _violation(v: dict) -> Violation:
    return Violation(
        id=str(v["id"]),
        impact=str(v.get("impact") or "unknown"),
        help=str(v.get("help", "")),
        nodes=int(v.get("nodes", 0)),
        targets=tuple(str(t) for t in v.get("targets", [])),
        help_url=str(v.get("helpUrl", "")),
    )


def _run(
    pages: Sequence[tuple[Path, Path | None]], timeout: float | None = None, width: int = 1280
) -> list[PageResult]:
    """Run the node script once for ``(html, screenshot or None)`` pairs."""
    if not pages:
        return []
    check_tools()
    specs = []
    for html_path, shot in pages:
        html_path = Path(html_path).resolve()
        if not html_path.is_file():
            raise FileNotFoundError(f"no such page: {html_path}")
        if shot is not None:
            shot = Path(shot).resolve()
            shot.parent.mkdir(parents=True, exist_ok=True)
        specs.append({"path": str(html_path), "screenshot": str(shot) if shot else None})
    raw = run_script(
        SCRIPT,
        {
            "tags": list(AXE_TAGS),
            "pages": specs,
            "viewport": {"width": width, "height": 800 if width >= 1024 else 844},
        },
        timeout if timeout is not None else 60 + 15 * len(specs),
    )
    results = []
    for page in raw:
        problems = list(page.get("domProblems", []))
        if page.get("error"):
            problems.insert(0, f"the page could not be checked: {page['error']}")
        results.append(
            PageResult(
                path=Path(page["path"]),
                violations=tuple(_violation(v) for v in page.get("violations", [])),
                dom_problems=tuple(problems),
                screenshot=Path(page["screenshot"]) if page.get("screenshot") else None,
                toc_links=int(page.get("tocLinks", 0)),
            )
        )
    return results


def run_script(script: Path, payload: dict, timeout: float = 180) -> object:
    """Run one of the browser scripts of ``a11y/`` (``node SCRIPT INPUT.json``) in headless
    Chromium and return the JSON it writes; ``payload`` is its input, to which the path of
    Chromium is added (``executablePath``).

    Raises:
        A11yToolMissing: Chromium, node or ``a11y/node_modules`` is missing.
        RuntimeError: the script failed.
    """
    check_tools()
    with tempfile.TemporaryDirectory(prefix="wres-a11y-") as tmp:
        spec_file = Path(tmp) / "input.json"
        spec_file.write_text(
            json.dumps({"executablePath": str(CHROMIUM), **payload}), encoding="utf-8"
        )
        env = {**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1", "HOME": tmp}
        proc = subprocess.run(
            [_node(), str(script), str(spec_file)],
            capture_output=True,
            text=True,
            cwd=A11Y_DIR,
            env=env,
            timeout=timeout,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"{Path(script).name} failed:\n{proc.stderr.strip()[-3000:]}")
    return json.loads(proc.stdout)


def check_pages(
    html_paths: list[Path], screenshot_dir: Path | None, width: int = 1280
) -> list[PageResult]:
    """Check local HTML pages in ONE headless Chromium with axe-core and our DOM checks.

    Args:
        html_paths: the pages (``report.html``, notebook HTML, ...), checked in this order.
        screenshot_dir: where to save each page's first screen as ``<stem>.png``
            (1280 x 800); ``None``: no screenshots.
        width: the browser window's width in CSS pixels (390: a phone, where the tables
            reflow).

    Returns:
        one :class:`PageResult` per page, in the order given.

    Raises:
        A11yToolMissing: Chromium, node or ``a11y/node_modules`` is missing.
        RuntimeError: the browser could not be run.
    """
    pages = [
        (Path(p), Path(screenshot_dir) / f"{Path(p).stem}.png" if screenshot_dir else None)
        for p in html_paths
    ]
    return _run(pages, width=width)


def _unit_dir(page: Path) -> Path:
    """The report folder a page belongs to (its notebooks/ sub-folder belongs to it too)."""
    return page.parent.parent if page.parent.name == "notebooks" else page.parent


def check_tree(paths: Sequence[Path]) -> list[PageResult]:
    """Check every ``*.html`` under the given folders (and the given files) in one browser.

    Screenshots are saved as ``<unit>/screenshots/<stem>.png``, where ``<unit>`` is the folder
    of the page (of its parent, for pages under ``notebooks/``).
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(f for f in sorted(p.rglob("*.html")) if SCREENSHOT_FOLDER not in f.parts)
        else:
            files.append(p)
    return _run([(f, _unit_dir(f) / SCREENSHOT_FOLDER / f"{f.stem}.png") for f in files])


def format_results(results: Sequence[PageResult]) -> str:
    """A plain-text summary of the results, one block per page, then a total line."""
    lines = []
    for r in results:
        lines.append(f"{'ok  ' if r.ok else 'FAIL'} {r.path}")
        for v in r.serious:
            where = f" ({', '.join(v.targets)})" if v.targets else ""
            lines.append(f"     axe {v.impact}: {v.id}: {v.help} [{v.nodes} element(s)]{where}")
        for p in r.dom_problems:
            lines.append(f"     {p}")
        for v in r.others:
            lines.append(f"     (axe {v.impact}, not failing) {v.id}: {v.help} [{v.nodes}]")
        if r.screenshot:
            lines.append(f"     screenshot: {r.screenshot}")
    failed = sum(not r.ok for r in results)
    lines.append(f"{len(results)} page(s) checked, {failed} with problems")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m wres_utils.checks.a11y PATH...``: check pages; exit 1 if any fails, 2 if none."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m wres_utils.checks.a11y FOLDER_OR_HTML...", file=sys.stderr)
        return 2
    try:
        results = check_tree([Path(a) for a in args])
    except A11yToolMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not results:
        print(f"error: no HTML page found under {' '.join(args)}", file=sys.stderr)
        return 2
    print(format_results(results))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
