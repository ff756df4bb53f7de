"""Errors about bad input that the command line reports without a traceback (exit status 2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Issue:
    """One problem in one input file, precise enough for an analyst to find and fix it.

    ``line`` is the 1-based line of the file as a spreadsheet shows it (the header is line 1 of
    a CSV without preamble); for XLSX it is the sheet's row number. ``None`` when the problem
    concerns the whole file or a whole column.
    """

    file: Path
    line: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [str(self.file)]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        found = f": found {self.value!r}" if self.value is not None else ""
        return f"{', '.join(where)}{found}; expected {self.expected}"


class InputError(Exception):
    """One or more input files are invalid. Holds every issue found, not just the first."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        super().__init__(self.render())

    def render(self, limit_per_file: int = 20) -> str:
        """The issues grouped by file, at most ``limit_per_file`` each, with a count of the rest."""
        by_file: dict[Path, list[Issue]] = {}
        for i in self.issues:
            by_file.setdefault(i.file, []).append(i)
        lines = [f"{len(self.issues)} problem(s) in {len(by_file)} input file(s):"]
        for f, issues in by_file.items():
            for i in issues[:limit_per_file]:
                lines.append(f"  - {i}")
            if len(issues) > limit_per_file:
                lines.append(f"  - ... and {len(issues) - limit_per_file} more in {f}")
        return "\n".join(lines)
