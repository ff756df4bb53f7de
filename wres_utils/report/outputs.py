"""The files a unit publishes for a year, in ``reports/<year>/<unit>/``: each file's name, what
it is and its format, in the order a reader is given them. The ONE list behind the year's
index (:func:`wres_utils.report.render.year_index`), each unit's publication page
(:mod:`wres_utils.report.publication`) and the relative links a page may keep
(:data:`wres_utils.report.safetext.SIBLING_DOCUMENTS`).
"""

from __future__ import annotations

from pathlib import Path

REPORT = "WRES report"
ACTION_PLAN = "WRES action plan"
TEMPLATE = "WRES reporting template, filled in"
FIGURES = "Published WRES figures"
PROVIDERS = "Commissioner's view of our providers' WRES"

#: (file name, what it is, format), in order.
DOCUMENTS: tuple[tuple[str, str, str], ...] = (
    ("report.html", REPORT, "web page"),
    ("report.pdf", REPORT, "PDF"),
    ("action-plan.html", ACTION_PLAN, "web page"),
    ("action-plan.pdf", ACTION_PLAN, "PDF"),
    ("wres-return.pdf", TEMPLATE, "PDF"),
    ("wres-return.xlsx", TEMPLATE, "Excel"),
    ("indicators.csv", FIGURES, "CSV"),
    ("providers.html", PROVIDERS, "web page"),
    ("providers.pdf", PROVIDERS, "PDF"),
)
#: The names alone.
FILE_NAMES: frozenset[str] = frozenset(name for name, _, _ in DOCUMENTS)


def file_size(path: Path) -> str:
    """A file's size for a reader: ``"731 KB"``, ``"1.2 MB"`` (1 KB = 1024 bytes)."""
    kb = Path(path).stat().st_size / 1024
    return f"{kb / 1024:.1f} MB" if kb >= 1024 else f"{max(1, round(kb))} KB"


def described(path: Path, what: str, fmt: str) -> str:
    """A link's text: what the file is, its format and size: ``"WRES report (PDF, 412 KB)"``."""
    return f"{what} ({fmt}, {file_size(path)})"
