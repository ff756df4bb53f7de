"""What the audit reports: one finding (kind, file, where, what), and the report of a year
(errors and warnings, printed and summed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: Columns of the extracts whose values identify a record (data-contract.md section 1).
ID_COLUMNS: tuple[str, ...] = ("staff_id", "application_id", "vacancy_id", "case_id", "member_id")
#: Column names that only a table of records has (after lower-casing, spaces to ``_``).
RECORD_COLUMNS: frozenset[str] = frozenset(
    {
        *ID_COLUMNS,
        "ethnic_origin",
        "shortlisted",
        "appointed",
        "date_entered",
        "occupation",
    }
)
#: Analyst-only columns of the indicators table (never published).
HELPER_COLUMNS: frozenset[str] = frozenset(
    {"numerator", "denominator", "numerator2", "denominator2", "members", "basis"}
)
#: Identifiers shorter than this are not searched for (they would match ordinary words).
MIN_ID_LENGTH = 5
#: Identifiers made only of digits must be at least this long to be searched for.
MIN_NUMERIC_ID_LENGTH = 7
#: A table with more rows than this is treated as a table of records.
MAX_TABLE_ROWS = 200
#: Findings of these kinds make the audit fail.
ERROR_KINDS: frozenset[str] = frozenset(
    {
        "identifier",
        "suppressed_shown",
        "small_count",
        "recoverable",
        "records",
        "suppression",
        "live_content",
        "attachment",
        "members_published",
        "attribute",
    }
)
KEYS = ["unit", "year", "indicator", "group", "band", "clinical", "statistic"]
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
BINARY_MIME = ("image/png", "image/jpeg", "image/gif", "application/pdf")
PANDAS_SHAPE = re.compile(r"\[(\d[\d,]*) rows x (\d+) columns\]")


# ------------------------------------------------------------------------------ findings


@dataclass(frozen=True)
class Finding:
    """One problem found in one published file."""

    file: str
    location: str
    kind: str
    detail: str

    @property
    def is_error(self) -> bool:
        """Whether the finding makes the audit fail (see :data:`ERROR_KINDS`)."""
        return self.kind in ERROR_KINDS

    def describe(self) -> str:
        """One line: ``ERROR suppressed_shown 05V/indicators.csv, row 12: ...``."""
        level = "ERROR" if self.is_error else "warning"
        where = f"{self.file}, {self.location}" if self.location else self.file
        return f"{level} {self.kind} {where}: {self.detail}"


@dataclass
class AuditReport:
    """What the audit found in one year folder."""

    year_dir: Path
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    def of_kind(self, kind: str) -> list[Finding]:
        """The findings of one kind."""
        return [f for f in self.findings if f.kind == kind]

    def format(self, max_warnings: int = 20) -> str:
        """The report as text: a verdict line, every error, the first warnings, the notes."""
        verdict = "no disclosure problem found" if self.ok else f"{len(self.errors)} leak(s)"
        lines = [
            f"wres audit {self.year_dir}: {verdict} in {len(self.files)} file(s); "
            f"{len(self.warnings)} warning(s)."
        ]
        lines += [f"  {f.describe()}" for f in self.errors]
        lines += [f"  {f.describe()}" for f in self.warnings[:max_warnings]]
        if len(self.warnings) > max_warnings:
            lines.append(f"  ... and {len(self.warnings) - max_warnings} more warning(s)")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)
