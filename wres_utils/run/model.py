"""What a run is made of: the notebook parameters (validated), one notebook run, a failure,
the validated setup of a year, and the run's constants.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from wres_utils.core import actionplan
from wres_utils.core.params import ParamsError, Unit, YearParams

#: How many previous years are loaded for trends (year-1 and year-2, when their params exist).
HISTORY_YEARS = 2
#: Name of the folder of aggregates the notebooks read, inside a unit's build folder.
PREPARED = "prepared"
#: Folder under the reports folder where units are built before being moved into place.
TMP_DIR = ".tmp"
EXIT_OK = 0
EXIT_FAILED = 1

#: The names a notebook's ``parameters`` cell must define (the fields of NotebookParams).
_SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]*$"


class RunSetupError(ParamsError):
    """Something a run needs is missing or wrong (a notebook, a unit, a setting).

    A :class:`ParamsError`, so the CLI reports it without a traceback and exits 2.
    """

    def __init__(self, path: Path | str, problems: list[str], what: str = "cannot run"):
        super().__init__(path, problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        self._message = f"{self.path}: {what}\n{lines}"

    def __str__(self) -> str:
        return self._message


class NotebookParams(BaseModel):
    """The parameters papermill injects into every notebook (literals only).

    A notebook's ``parameters`` cell must assign each of these names a literal default.
    ``prepared_dir`` is relative to the kernel's working directory (the unit's build folder),
    so no temporary path appears in a published notebook.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    year: int = Field(ge=2015, le=2100)
    #: The unit's id: an organisation code or a joint group's name.
    unit: str = Field(min_length=1)
    unit_name: str = Field(min_length=1)
    #: The unit's folder name under reports/<year>/.
    unit_slug: str = Field(pattern=_SLUG_PATTERN)
    prepared_dir: str = Field(min_length=1)
    synthetic: bool

    @field_validator("prepared_dir")
    @classmethod
    def _relative(cls, v: str) -> str:
        p = PurePosixPath(v)
        if p.is_absolute() or ".." in p.parts:
            raise ValueError(f"must be a relative path inside the unit folder, found {v!r}")
        return v


#: The names every notebook's parameters cell must define.
PARAMETER_NAMES: tuple[str, ...] = tuple(NotebookParams.model_fields)


@dataclass(frozen=True)
class NotebookRun:
    """One notebook to execute for one unit."""

    unit: Unit
    notebook: str
    source: Path
    params: NotebookParams


@dataclass(frozen=True)
class Failure:
    """Why a unit was not published: the stage (a notebook, or render/publish) and the error."""

    unit: str
    slug: str
    stage: str
    ename: str
    evalue: str
    cell_index: int | None = None
    exec_count: int | None = None
    cell_source: str | None = None

    def describe(self) -> str:
        """One line for the run summary, e.g. ``unit 05G, notebook 01_workforce.ipynb, cell 3``."""
        where = f"unit {self.unit!r}"
        if self.stage in ("render", "publish", "index", "prepare"):
            where += f", {self.stage}"
        else:
            where += f", notebook {self.stage}.ipynb"
        if self.cell_index is not None:
            where += f", cell {self.cell_index}"
            if self.exec_count is not None:
                where += f" (In [{self.exec_count}])"
            if self.cell_source:
                first = self.cell_source.strip().splitlines()[0] if self.cell_source.strip() else ""
                where += f" `{first[:60]}`"
        return f"{where}: {self.ename}: {self.evalue}".rstrip(": ")


@dataclass
class RunResult:
    """The outcome of one notebook run."""

    run: NotebookRun
    status: str  # ok, failed, skipped
    seconds: float
    failure: Failure | None = None
    #: What the notebook's kernel process wrote to its stdout/stderr (noise removed).
    messages: list[str] = field(default_factory=list)


@dataclass
class Setup:
    """Everything validated before any kernel starts."""

    year: int
    root: Path
    params: YearParams
    history: dict[int, YearParams]
    params_files: dict[int, Path]
    units: list[Unit]
    runs: list[NotebookRun]
    notebooks: list[Path]
    plans: dict[str, actionplan.ActionPlan]
    plan_files: dict[str, Path]
    loaded: dict[int, Any]


class UnitCollector:
    """Collects notebook results as they finish, in any order, and hands each unit's results
    (in notebook order) to ``on_unit_done`` as soon as the unit's last notebook is in.

    One definition for the local pool and the Dask engine, with the progress bar they show.
    """

    def __init__(
        self,
        runs: Sequence[NotebookRun],
        on_unit_done: Callable[[str, list[RunResult]], None],
    ) -> None:
        self.pending: dict[str, int] = {}
        for r in runs:
            self.pending[r.unit.slug] = self.pending.get(r.unit.slug, 0) + 1
        self.by_unit: dict[str, list[RunResult]] = {s: [] for s in self.pending}
        self.order = {r.notebook: i for i, r in enumerate(runs)}
        self.on_unit_done = on_unit_done
        self.results: list[RunResult] = []

    def add(self, res: RunResult) -> None:
        """Record one result; call ``on_unit_done`` when it completes its unit."""
        self.results.append(res)
        slug = res.run.unit.slug
        self.by_unit[slug].append(res)
        self.pending[slug] -= 1
        if self.pending[slug] == 0:
            done = sorted(self.by_unit[slug], key=lambda x: self.order[x.run.notebook])
            self.on_unit_done(slug, done)


def progress_bar(total: int, label: str, enabled: bool) -> Any:
    """The run's progress bar on stderr (a tqdm), one tick per notebook."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=label,
        unit="notebook",
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
    )
