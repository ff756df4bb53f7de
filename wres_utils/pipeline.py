"""The execution pipeline behind ``wres run``: every unit x every notebook, atomically.

1. Validate everything before any kernel starts: the year's params and those of up to two
   previous years (for trends), their extracts, the action plans, the notebooks' ``parameters``
   cells and a :class:`NotebookParams` for every (unit, notebook). Any problem raises
   :class:`~wres_utils.params.ParamsError` or :class:`~wres_utils.errors.InputError`
   (the CLI prints it and exits 2).
2. Compute once: counts of all loaded years -> indicators for the units -> disclosure. Each
   unit gets a ``prepared/`` folder of AGGREGATES ONLY (the published copy of its indicators,
   disclosed data-quality counts, its action plan, a context file). Record-level data never
   go there.
3. Run the notebooks with papermill in a thread pool (``jobs`` workers; each notebook has its
   own kernel process), or with ``scheduler`` on the workers of a Dask distributed cluster
   (:mod:`wres_utils.distributed`), then render each unit's HTML and PDF.
4. Each unit is built in ``reports/.tmp/<year>/<slug>-XXXX`` and moved to
   ``reports/<year>/<slug>`` only when all of it succeeded; a failing unit leaves its previous
   report untouched. Then ``reports/<year>/index.html`` and ``reports/<year>/run.log``.
   ``prepared/`` is deleted before the move: it is working material, not an output.

Layout of a unit's folder::

    reports/<year>/<slug>/notebooks/NN_name.ipynb, NN_name.html
    reports/<year>/<slug>/report.html, report.pdf, indicators.csv (the published copy)

Why threads, and not papermill's ``cwd=``: papermill implements ``cwd`` with ``os.chdir``,
which is process-wide and so unsafe with several notebooks running at once. The kernel's
working directory is set instead through nbclient's ``resources["metadata"]["path"]``, which
starts each kernel process in its own unit folder without touching this process's cwd.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import nbformat
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wres_utils import actionplan, cache, runlog
from wres_utils.counts import measures_present, normalise_dtypes
from wres_utils.params import NOTEBOOKS, ParamsError, Unit, YearParams, load_params, resolve

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


# --------------------------------------------------------------------------------------------
# The other stages, imported when used (so a test may stand in for them in sys.modules).


def _stage(name: str) -> Any:
    return importlib.import_module(f"wres_utils.{name}")


# --------------------------------------------------------------------------------------------
# 1. Validation


def load_history(
    year: int, params_dir: Path, root: Path, history: int = HISTORY_YEARS
) -> tuple[dict[int, YearParams], dict[int, Path]]:
    """Params of ``year`` and of each of the ``history`` previous years whose file exists.

    Returns ``({year: params}, {year: file})``, oldest first. The year's own file must exist.
    """
    params_dir = Path(params_dir)
    out: dict[int, YearParams] = {}
    files: dict[int, Path] = {}
    for y in range(year - history, year + 1):
        path = params_dir / f"{y}.yaml"
        if y != year and not path.is_file():
            continue
        out[y] = load_params(path, root=root)
        files[y] = path
    return out, files


def select_units(params: YearParams, unit: str | None, params_file: Path | str) -> list[Unit]:
    """All of the year's units, or the one named by ``unit``.

    ``unit`` may be an organisation code, or a joint group's name or slug (any case).
    Raises :class:`RunSetupError` when no unit matches, or when two units share a folder name.
    """
    units = _stage("publishing").build_units(params)
    seen: dict[str, str] = {}
    for u in units:
        key = u.slug.lower()
        if key in seen:
            raise RunSetupError(
                params_file,
                [f"units {seen[key]!r} and {u.id!r} would share the report folder {u.slug!r}"],
            )
        seen[key] = u.id
    if unit is None:
        return units
    wanted = unit.strip().lower()
    for u in units:
        if wanted in {u.id.lower(), u.slug.lower()} or (u.is_joint and wanted == u.name.lower()):
            return [u]
    listing = ", ".join(f"{u.id!r}" + (f" (slug {u.slug!r})" if u.is_joint else "") for u in units)
    raise RunSetupError(
        params_file,
        [f"--unit {unit!r}: no such organisation code or joint group; the units are {listing}"],
        what="unknown unit",
    )


def parameters_cell(path: Path) -> dict[str, Any]:
    """The names and literal values of a notebook's ``parameters`` cell.

    Raises :class:`RunSetupError` when the notebook is missing or unreadable, has no (or more
    than one) code cell tagged ``parameters``, or that cell holds anything but
    ``name = literal`` assignments.
    """
    path = Path(path)
    if not path.is_file():
        raise RunSetupError(path, ["notebook not found"], what="notebook problem")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # nbformat raises several kinds
        raise RunSetupError(
            path, [f"not a readable notebook ({e})"], what="notebook problem"
        ) from None
    cells = [
        (i, c)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])
    ]
    if len(cells) != 1:
        found = "none" if not cells else f"{len(cells)} (cells {[i for i, _ in cells]})"
        raise RunSetupError(
            path,
            [f"expected exactly one code cell tagged 'parameters', found {found}"],
            what="notebook problem",
        )
    index, cell = cells[0]
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as e:
        raise RunSetupError(
            path, [f"cell {index} (parameters), line {e.lineno}: {e.msg}"], what="notebook problem"
        ) from None
    values: dict[str, Any] = {}
    problems = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            problems.append(f"cell {index} (parameters), line {stmt.lineno}: not `name = literal`")
            continue
        if not isinstance(target, ast.Name):
            problems.append(f"cell {index} (parameters), line {stmt.lineno}: not `name = literal`")
            continue
        try:
            values[target.id] = ast.literal_eval(value)
        except ValueError:
            problems.append(
                f"cell {index} (parameters), line {stmt.lineno}: {target.id} is not a literal"
            )
    if problems:
        raise RunSetupError(path, problems, what="notebook problem")
    return values


def check_notebooks(notebooks_dir: Path, names: Sequence[str]) -> list[Path]:
    """The notebook files, in order, each with a parameters cell defining every parameter."""
    if not names:
        raise RunSetupError(notebooks_dir, ["no notebooks to run"], what="notebook problem")
    paths = []
    for name in names:
        path = Path(notebooks_dir) / f"{name}.ipynb"
        defined = parameters_cell(path)
        missing = [p for p in PARAMETER_NAMES if p not in defined]
        if missing:
            raise RunSetupError(
                path,
                [
                    f"the parameters cell does not define {missing} (it must define "
                    f"{list(PARAMETER_NAMES)})"
                ],
                what="notebook problem",
            )
        paths.append(path)
    return paths


def plan_runs(
    params: YearParams, units: Sequence[Unit], notebooks: Sequence[Path]
) -> list[NotebookRun]:
    """A validated :class:`NotebookRun` for every unit x notebook (unit-major order).

    Raises :class:`RunSetupError` naming the unit and notebook when parameters are invalid.
    """
    runs, problems = [], []
    for u in units:
        for nb in notebooks:
            try:
                p = NotebookParams(
                    year=params.year,
                    unit=u.id,
                    unit_name=u.name,
                    unit_slug=u.slug,
                    prepared_dir=PREPARED,
                    synthetic=params.synthetic,
                )
            except ValidationError as e:
                for err in e.errors():
                    loc = ".".join(str(x) for x in err["loc"])
                    problems.append(
                        f"unit {u.id!r}, notebook {nb.name}: parameter {loc}: {err['msg']} "
                        f"(found {err.get('input')!r})"
                    )
                continue
            runs.append(NotebookRun(unit=u, notebook=nb.stem, source=nb, params=p))
    if problems:
        raise RunSetupError(
            f"params/{params.year}.yaml", sorted(set(problems)), what="invalid notebook parameters"
        )
    return runs


def action_plan_dir(params: YearParams, params_dir: Path, root: Path) -> Path:
    """The folder of the year's action plans: ``action_plans`` from params, or
    ``<params_dir>/action-plans/<year>``."""
    if params.action_plans is not None:
        return Path(root) / params.action_plans
    return Path(params_dir) / "action-plans" / str(params.year)


def load_plans(
    params: YearParams, units: Sequence[Unit], folder: Path
) -> tuple[dict[str, actionplan.ActionPlan], dict[str, Path]]:
    """Each unit's action plan (empty, with a note, when its file is missing), by slug."""
    plans, files = {}, {}
    for u in units:
        path = actionplan.action_plan_path(folder, u)
        plans[u.slug] = actionplan.load_action_plan(path, unit=u, year=params.year)
        files[u.slug] = path
    return plans, files


def validate(
    year: int,
    params_dir: Path,
    root: Path,
    unit: str | None,
    notebooks_dir: Path,
    notebooks: Sequence[str],
    store: cache.Store | None = None,
) -> Setup:
    """Step 1: everything that can be checked before a kernel starts; raises on any problem.

    Cheap checks first (params, units, notebooks, parameters, action plans), then the
    extracts of every loaded year (extracts.load_year, or the aggregates an earlier run
    stored in ``store`` for exactly the same params, input bytes and code: see
    :func:`load_year_cached`).
    """
    history, files = load_history(year, params_dir, root)
    params = history[year]
    units = select_units(params, unit, files[year])
    nb_paths = check_notebooks(notebooks_dir, notebooks)
    runs = plan_runs(params, units, nb_paths)
    plans, plan_files = load_plans(params, units, action_plan_dir(params, params_dir, root))
    loaded = {y: load_year_cached(p, root, store) for y, p in history.items()}
    return Setup(
        year=year,
        root=root,
        params=params,
        history=history,
        params_files=files,
        units=units,
        runs=runs,
        notebooks=nb_paths,
        plans=plans,
        plan_files=plan_files,
        loaded=loaded,
    )


def input_hashes(params: YearParams, root: Path) -> dict[str, str]:
    """``{path as in params: sha256}`` of every extract and counts file a year's params name."""
    out: dict[str, str] = {}
    for o in params.organisations:
        specs = list(o.files.values()) + ([o.counts] if o.counts is not None else [])
        for spec in specs:
            key = spec.path.as_posix()
            if key not in out:
                path = Path(root) / spec.path
                out[key] = cache.file_digest(path) if path.is_file() else "missing"
    return out


def load_year_cached(params: YearParams, root: Path, store: cache.Store | None) -> Any:
    """``extracts.load_year``, or its stored aggregates when nothing it depends on changed.

    The key is the year's params, the sha256 of every input file and the package's code and
    versions (:func:`wres_utils.cache.year_key`): the same bytes through the same code
    validate the same way, so an earlier successful load is reused. What is returned (and
    stored) is aggregates only: the counts, the integer columns of the data-quality table,
    and the input hashes (a :class:`wres_utils.cache.CachedYear`). Without a store, or on a
    miss, the extracts are loaded and validated (raising :class:`InputError` as usual).
    """
    key = None
    if store is not None:
        hashes = input_hashes(params, root)
        if "missing" not in hashes.values():
            key = cache.year_key(params.model_dump(mode="json"), hashes)
            hit = store.get(f"year{params.year}", key)
            if isinstance(hit, cache.CachedYear):
                return hit
    loaded = _stage("extracts").load_year(params, root)
    result = cache.CachedYear(
        counts=loaded.counts,
        quality=cache.aggregates_only(getattr(loaded, "quality", None)),
        files=dict(getattr(loaded, "files", None) or {}),
        broad_counts=getattr(loaded, "broad_counts", pd.DataFrame()),
    )
    if store is not None and key is not None:
        store.put(f"year{params.year}", key, result)
    return result


# --------------------------------------------------------------------------------------------
# 2. Compute once, then write each unit's prepared folder (aggregates only)


def _as_frame(obj: Any) -> pd.DataFrame:
    """The data-quality table of ``load_year`` (a DataFrame; None gives an empty one)."""
    if obj is None:
        return pd.DataFrame()
    return obj.copy() if isinstance(obj, pd.DataFrame) else pd.DataFrame(obj)


#: Columns of the data-quality table that identify a row; the other columns published are
#: its whole-number count columns. Text columns (totals, unrecognised values) are not passed
#: on: they embed counts and raw values that disclosure control cannot check.
QUALITY_ID_COLUMNS: tuple[str, ...] = ("org_code", "kind")


def unit_quality(
    quality: Any, unit: Unit, min_count: int, round_to: int | None
) -> tuple[pd.DataFrame, str]:
    """The unit's data-quality counts, through ``disclosure.disclose_frame``; and a note.

    Keeps the rows of the unit's member organisations, the :data:`QUALITY_ID_COLUMNS` and the
    integer count columns (as display strings, ``[c]`` for small counts). When the disclosure
    module has no ``disclose_frame``, the counts are withheld (an empty table and a note).
    """
    frame = _as_frame(quality)
    if "org_code" in frame.columns:
        frame = frame[frame["org_code"].astype(str).isin(list(unit.members))]
    ids = [c for c in QUALITY_ID_COLUMNS if c in frame.columns]
    counts = [
        c
        for c in frame.columns
        if c not in ids
        and pd.api.types.is_integer_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    frame = frame[ids + counts].reset_index(drop=True)
    disclose_frame = getattr(_stage("disclosure"), "disclose_frame", None)
    if disclose_frame is None:
        note = "data-quality counts withheld: no disclosure control available for them"
        return frame[ids].iloc[0:0], note
    return disclose_frame(frame, counts, min_count=min_count, round_to=round_to), ""


def all_counts(setup: Setup) -> pd.DataFrame:
    """The counts of every loaded year, in one table."""
    return normalise_dtypes(
        pd.concat([ly.counts for ly in setup.loaded.values()], ignore_index=True)
    )


def compute_published(setup: Setup, store: cache.Store | None = None) -> pd.DataFrame:
    """Counts of all loaded years -> indicators of the units -> disclosure -> published copy.

    Only the published copy (display strings, statuses, and the values of cells that are not
    suppressed) ever leaves this function. With a ``store``, the published copy of an earlier
    run with the same counts, units, settings and code is reused.
    """
    p = setup.params
    counts = all_counts(setup)
    key = None
    if store is not None:
        key = cache.digest(
            {
                "counts": cache.frame_digest(counts),
                "units": [u.model_dump(mode="json") for u in p.units()],
                "denominator": p.indicator1_denominator,
                "suppression": p.suppression.model_dump(mode="json"),
                "code": cache.code_fingerprint(),
                "versions": cache.environment(),
            }
        )
        hit = store.get("published", key)
        if isinstance(hit, pd.DataFrame):
            return hit
    # Every unit of the year, even when only some are rebuilt (--unit): disclosure control
    # protects the units' tables together (a joint group against its members), so computing
    # fewer units would publish cells that the full run withholds.
    published = _compute_published(p, counts, _stage("publishing").build_units(p))
    if store is not None and key is not None:
        store.put("published", key, published)
    return published


def compute_broad_published(setup: Setup, published: pd.DataFrame) -> pd.DataFrame:
    """The published copy of the broad-groups view (empty unless params.broad_groups).

    Disclosed against the published WRES table (its statuses), by the disclosure module.
    """
    p = setup.params
    if not p.broad_groups:
        return pd.DataFrame()
    frames = [getattr(ly, "broad_counts", None) for ly in setup.loaded.values()]
    frames = [f for f in frames if f is not None and not f.empty]
    if not frames:
        return pd.DataFrame()
    broad_counts = normalise_dtypes(pd.concat(frames, ignore_index=True))
    disclosure = _stage("disclosure")
    table = _stage("broad").compute_broad(broad_counts, _stage("publishing").build_units(p))
    disclosed = disclosure.disclose_breakdown(
        published, table, min_count=p.suppression.min_count, round_to=p.suppression.round_to
    )
    broad_published = disclosure.published_copy(disclosed)
    check_published(broad_published)
    return broad_published


def _compute_published(p: YearParams, counts: pd.DataFrame, units: list[Unit]) -> pd.DataFrame:
    publishing = _stage("publishing")
    disclosed = publishing.disclose_year(p, counts, units)
    rounding = {u.id: publishing.rounding(p, u) for u in units}
    published = _stage("disclosure").published_copy(disclosed, round_to=rounding)
    check_published(published)
    return published


#: Columns of the indicators table that identify a row (numbers in them are not counts).
_KEY_COLUMNS = ("unit", "year", "indicator", "group", "band", "clinical", "statistic")


def check_published(published: pd.DataFrame) -> None:
    """Refuse a published copy that still holds a number in a suppressed row.

    Not a second disclosure gate (disclosure.published_copy is the one), a tripwire: in rows
    whose status is ``suppressed``, every numeric column other than the row keys (``value``,
    numerators, denominators, ...) must be empty. Raises RuntimeError naming the columns.
    """
    if "status" not in published.columns:
        raise RuntimeError("the published indicators table has no 'status' column")
    rows = published[published["status"].astype(str) == "suppressed"]
    leaks = [
        c
        for c in rows.columns
        if c not in _KEY_COLUMNS
        and pd.api.types.is_numeric_dtype(rows[c])
        and not pd.api.types.is_bool_dtype(rows[c])
        and rows[c].notna().any()
    ]
    if leaks:
        raise RuntimeError(
            f"the published copy still holds numbers in suppressed rows (columns {leaks}); "
            "nothing was written. Fix disclosure.published_copy."
        )


def unit_rows(published: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """The published indicator rows of one unit."""
    return published[published["unit"].astype(str) == unit.id].reset_index(drop=True)


def unit_context(setup: Setup, unit: Unit, quality_note: str = "") -> dict[str, Any]:
    """What a notebook needs to know about its unit and the run, beyond the tables."""
    p = setup.params
    names = {o.code: o.name for o in p.organisations}
    collected = {}
    for y, ly in sorted(setup.loaded.items()):
        measures: set[str] = set()
        for m in unit.members:
            measures |= measures_present(ly.counts, m, y)
        collected[str(y)] = sorted(measures)
    return {
        "year": p.year,
        "unit": {
            "id": unit.id,
            "name": unit.name,
            "slug": unit.slug,
            "is_joint": unit.is_joint,
            "members": [{"code": m, "name": names.get(m, m)} for m in unit.members],
        },
        "synthetic": p.synthetic,
        "header": p.header.model_dump(mode="json"),
        "labels": p.labels.model_dump(mode="json"),
        "denominator": p.indicator1_denominator,
        "broad_groups": p.broad_groups,
        "suppression": p.suppression.model_dump(mode="json"),
        "years": sorted(setup.loaded),
        "previous_years": sorted(y for y in setup.loaded if y < p.year),
        "measures_collected": collected,
        "notebooks": [nb.stem for nb in setup.notebooks],
        "quality_note": quality_note,
        "action_plan_note": setup.plans[unit.slug].note,
    }


def commissioner_inputs(setup: Setup, unit: Unit) -> dict[str, str]:
    """The sha256 of every provider file a commissioning unit reads (this year and the
    history), so that a change to one rebuilds the unit and its providers report."""
    out: dict[str, str] = {}
    for y, p in sorted(setup.history.items()):
        for c in p.commissioners:
            if c.unit not in (unit.id, unit.slug):
                continue
            for prov in c.providers:
                for spec in (prov.counts, prov.published):
                    if spec is not None:
                        path = resolve(setup.root, spec)
                        out[f"{y}/{prov.code}/{spec.path.as_posix()}"] = runlog.sha256_file(path)
    return out


def write_prepared(
    setup: Setup,
    unit: Unit,
    published: pd.DataFrame,
    folder: Path,
    broad: pd.DataFrame | None = None,
) -> Path:
    """Write ``folder/prepared/``: indicators.csv, quality.csv, action_plan.json, context.json,
    and broad.csv when the broad-groups view is on.

    Aggregates only: the published copy of the unit's indicators and disclosed quality counts.
    """
    prepared = Path(folder) / PREPARED
    prepared.mkdir(parents=True, exist_ok=True)
    p = setup.params
    unit_rows(published, unit).to_csv(prepared / "indicators.csv", index=False)
    if broad is not None and not broad.empty:
        unit_rows(broad, unit).to_csv(prepared / "broad.csv", index=False)
    inputs = commissioner_inputs(setup, unit)
    if inputs:
        (prepared / "providers.json").write_text(json.dumps(inputs, indent=2), encoding="utf-8")
    quality, note = unit_quality(
        getattr(setup.loaded[p.year], "quality", None),
        unit,
        p.suppression.min_count,
        _stage("publishing").rounding(p, unit),
    )
    quality.to_csv(prepared / "quality.csv", index=False)
    plan = setup.plans[unit.slug].model_dump(mode="json")
    (prepared / "action_plan.json").write_text(json.dumps(plan, indent=2), encoding="utf-8")
    context = unit_context(setup, unit, note)
    (prepared / "context.json").write_text(json.dumps(context, indent=2), encoding="utf-8")
    return prepared


# --------------------------------------------------------------------------------------------
# 3. Execute


def _running_cell_source(executed: Path | None) -> str | None:
    """The source of the cell that was running when execution stopped without a cell error
    (a dead kernel): the last code cell papermill started, in the notebook it wrote."""
    if executed is None or not Path(executed).is_file():
        return None
    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:
        return None
    started = [
        c
        for c in nb.cells
        if c.cell_type == "code" and (c.metadata.get("papermill") or {}).get("start_time")
    ]
    return started[-1].source if started else None


def _failure_from(run: NotebookRun, exc: BaseException, executed: Path | None = None) -> Failure:
    cell_index = getattr(exc, "cell_index", None)
    source = getattr(exc, "source", None)
    if source is None and cell_index is None:
        source = _running_cell_source(executed)
    if source is not None:
        # papermill counts the cells of the executed notebook (with the injected parameters
        # cell); name the cell of the notebook file instead.
        try:
            nb = nbformat.read(run.source, as_version=4)
            matches = [i for i, c in enumerate(nb.cells) if c.source == source]
            if matches:
                cell_index = matches[0]
        except Exception:  # keep papermill's index
            pass
    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    if evalue is None:
        evalue = str(exc).strip().splitlines()[-1] if str(exc).strip() else ""
    return Failure(
        unit=run.unit.id,
        slug=run.unit.slug,
        stage=run.notebook,
        ename=str(ename),
        evalue=str(evalue),
        cell_index=cell_index,
        exec_count=getattr(exc, "exec_count", None),
        cell_source=source,
    )


def _tidy_papermill_metadata(path: Path, input_path: str, output_path: str) -> None:
    """Replace the absolute (temporary) paths papermill records by stable relative ones."""
    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill")
    if pm is not None:
        pm["input_path"] = input_path
        pm["output_path"] = output_path
        nbformat.write(nb, path)


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return Path(path).name


#: Modules imported by each pre-started kernel while it boots (see :class:`KernelStarter`).
PRELOAD: tuple[str, ...] = (
    "pandas",
    "matplotlib.pyplot",
    "seaborn",
    "IPython.display",
    "wres_utils.charts",
    "wres_utils.tables",
    "wres_utils.views",
)
#: Lines a kernel writes to its own stderr that are not worth showing (TCP on localhost, the
#: interrupt jupyter_client sends before any shutdown, the kernel's connection banner).
KERNEL_NOISE: tuple[str, ...] = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
    "To connect another client to this kernel",
    "--existing kernel-",
    "NOTE: When using the `ipython kernel` entry point",
)
#: Name under which the engine for pre-started kernels is registered with papermill.
ENGINE_NAME = "wres-prestarted"


def _register_engine() -> str:
    """Register (once) a papermill engine that runs a notebook on a kernel started ahead.

    It is papermill's own nbclient engine (same parameter injection, cell metadata, error
    cells and :class:`~papermill.exceptions.PapermillExecutionError`), given the kernel
    manager ``km`` of a kernel that is already booting or ready. The kernel is killed as soon
    as the notebook is done (``shutdown_kernel="immediate"``: every output has been received
    by then, and the graceful path costs an interrupt and a wait per notebook).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE_NAME in papermill_engines._engines:
        return ENGINE_NAME

    class PrestartedEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            km = kwargs.pop("km")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                shutdown_kernel="immediate",
            )
            client = PapermillNotebookClient(nb_man, km=km, **final)
            return client.execute(cleanup_kc=True)

    papermill_engines.register(ENGINE_NAME, PrestartedEngine)
    return ENGINE_NAME


class KernelStarter:
    """Starts a fresh kernel for a given notebook run, ahead of the run.

    Each notebook still gets its own new kernel process (no state is shared between
    notebooks); what is hidden is the start-up: the process is spawned (about 0.05 s) while
    the previous notebook of the same worker still runs, and it imports :data:`PRELOAD`
    (IPython's ``exec_lines``: no name is left in the user namespace, the execution count
    stays at 0) before the notebook's first cell arrives. The kernel starts in the unit's
    build folder, as papermill would start it; its stdout and stderr go to a log file
    (``log_dir``) instead of the terminal: :meth:`messages` returns what it wrote, minus
    :data:`KERNEL_NOISE`.
    """

    def __init__(
        self,
        log_dir: Path,
        kernel_name: str = "python3",
        preload: Sequence[str] = PRELOAD,
    ):
        self.log_dir = Path(log_dir)
        self.kernel_name = kernel_name
        self.preload = tuple(preload)
        self._ipc_dirs: list[Path] = []

    def cleanup(self) -> None:
        """Remove the kernels' socket folders (after every kernel has stopped)."""
        for d in self._ipc_dirs:
            shutil.rmtree(d, ignore_errors=True)
        self._ipc_dirs.clear()

    def log_path(self, run: NotebookRun) -> Path:
        """The file a run's kernel writes its stdout and stderr to."""
        return self.log_dir / f"{run.unit.slug}--{run.notebook}.log"

    def start(self, run: NotebookRun, cwd: Path) -> Any:
        """Spawn the kernel for ``run`` in ``cwd``; returns its (async) kernel manager."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.log_dir.mkdir(parents=True, exist_ok=True)
        args = ["--HistoryManager.hist_file=:memory:"]
        if self.preload:
            names = ", ".join(repr(m) for m in self.preload)
            lines = [f"for _wres_m in ({names},): __import__(_wres_m)", "del _wres_m"]
            args.append("--IPKernelApp.exec_lines=" + json.dumps(lines))
        # IPC (Unix sockets in a private folder), not TCP: no port to race for with other
        # kernels starting at the same moment (a TCP port picked, then taken by another
        # process before the kernel binds it, leaves a kernel that never answers).
        ipc = Path(tempfile.mkdtemp(prefix="wres-k-"))
        self._ipc_dirs.append(ipc)
        km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc", ip=str(ipc / "k"))
        with open(self.log_path(run), "ab") as log:
            run_sync(km.start_kernel)(
                cwd=str(Path(cwd).resolve()), extra_arguments=args, stdout=log, stderr=log
            )
        return km

    @staticmethod
    def stop(km: Any) -> None:
        """Kill a kernel that is still running (e.g. one started for a skipped notebook)."""
        from jupyter_core.utils import run_sync

        try:
            if km is not None and km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass

    def messages(self, run: NotebookRun) -> list[str]:
        """What the run's kernel wrote to its stdout/stderr, without :data:`KERNEL_NOISE`."""
        try:
            text = self.log_path(run).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return [
            line
            for line in text.splitlines()
            if line.strip() and not any(n in line for n in KERNEL_NOISE)
        ]


def execute_notebook(
    run: NotebookRun,
    build_dir: Path,
    root: Path,
    published_as: str,
    cell_timeout: int | None = 600,
    km: Any = None,
) -> None:
    """Execute one notebook with papermill into ``build_dir/notebooks/<name>.ipynb``.

    The kernel starts in ``build_dir`` (where ``prepared/`` is); with ``km``, the notebook
    runs on that kernel, already started there by :class:`KernelStarter`. Raises what
    papermill raises.
    """
    import papermill

    out = Path(build_dir) / "notebooks" / f"{run.notebook}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    extra: dict[str, Any] = {}
    if km is not None:
        extra = {"engine_name": _register_engine(), "km": km}
    papermill.execute_notebook(
        str(Path(run.source).resolve()),
        str(out.resolve()),
        parameters=run.params.model_dump(),
        kernel_name="python3",
        language="python",
        progress_bar=False,
        cwd=None,  # see the module docstring: the kernel's cwd comes from resources
        execution_timeout=cell_timeout,
        resources={"metadata": {"path": str(Path(build_dir).resolve())}},
        **extra,
    )
    _tidy_papermill_metadata(out, _rel(run.source, root), published_as)


def published_as(run: NotebookRun, year: int) -> str:
    """The path a run's executed notebook is recorded under (relative to the reports folder)."""
    return f"{year}/{run.unit.slug}/notebooks/{run.notebook}.ipynb"


def run_notebook(
    run: NotebookRun,
    build_dir: Path,
    root: Path,
    year: int,
    cell_timeout: int | None = 600,
    km: Any = None,
    start_error: BaseException | None = None,
    starter: KernelStarter | None = None,
) -> RunResult:
    """Execute one notebook (:func:`execute_notebook`) and return its :class:`RunResult`.

    Never raises for a notebook's own failure: the error becomes the result's
    :class:`Failure` (unit, notebook, cell). ``start_error`` is an error met while starting
    the run's kernel ahead (reported as this run's failure). The kernel ``km`` is always
    stopped. Used by the local pool and, on each worker, by the distributed engine.
    """
    t = time.perf_counter()
    try:
        if start_error is not None:
            raise start_error
        execute_notebook(
            run, build_dir, root, published_as(run, year), cell_timeout=cell_timeout, km=km
        )
    except Exception as e:
        failure = _failure_from(run, e, Path(build_dir) / "notebooks" / f"{run.notebook}.ipynb")
        if starter is not None and failure.ename == "DeadKernelError":
            tail = starter.messages(run)[-3:]
            if tail:
                failure = Failure(
                    **{**asdict(failure), "evalue": f"{failure.evalue} ({' | '.join(tail)})"}
                )
        return RunResult(run, "failed", time.perf_counter() - t, failure)
    finally:
        KernelStarter.stop(km)
    return RunResult(run, "ok", time.perf_counter() - t)


def execute_all(
    runs: Sequence[NotebookRun],
    build_dirs: dict[str, Path],
    jobs: int,
    on_unit_done: Callable[[str, list[RunResult]], None],
    root: Path,
    year: int,
    progress: bool = True,
    cell_timeout: int | None = 600,
    starter: KernelStarter | None = None,
    client: Any = None,
) -> list[RunResult]:
    """Run every notebook on ``jobs`` worker threads, with a progress bar on stderr.

    Each worker takes the next run from the queue; with a ``starter``, it also takes the run
    after that and starts its kernel before executing the current one, so each kernel boots
    while the previous notebook runs (:class:`KernelStarter`). When a unit's notebooks have
    all finished, ``on_unit_done(slug, results)`` is called in this thread (so rendering and
    publishing are serial). Once a notebook of a unit fails, the unit's notebooks not yet
    started are skipped (their kernels, if started, are killed).

    With a Dask ``client`` (``distributed.Client``), the notebooks run on the cluster's
    workers instead, one task per notebook, with the same results and failure handling
    (:func:`wres_utils.distributed.execute_all`); ``jobs`` is then not used.
    """
    if client is not None:
        return _stage("distributed").execute_all(
            client,
            runs,
            build_dirs,
            on_unit_done,
            root,
            year,
            progress=progress,
            cell_timeout=cell_timeout,
            prestart=starter is not None,
        )
    from tqdm import tqdm

    pending: dict[str, int] = {}
    for r in runs:
        pending[r.unit.slug] = pending.get(r.unit.slug, 0) + 1
    by_unit: dict[str, list[RunResult]] = {s: [] for s in pending}
    order = {r.notebook: i for i, r in enumerate(runs)}
    failed: set[str] = set()
    lock = threading.Lock()
    todo = iter(list(runs))
    stop = threading.Event()
    done_q: queue.Queue[RunResult | BaseException] = queue.Queue()

    def take() -> NotebookRun | None:
        with lock:
            return None if stop.is_set() else next(todo, None)

    def start(run: NotebookRun | None) -> tuple[Any, BaseException | None]:
        if run is None or starter is None:
            return None, None
        with lock:
            if run.unit.slug in failed:
                return None, None
        try:
            return starter.start(run, build_dirs[run.unit.slug]), None
        except Exception as e:  # reported as this run's failure
            return None, e

    def execute(run: NotebookRun, km: Any, start_error: BaseException | None) -> RunResult:
        slug = run.unit.slug
        with lock:
            skip = slug in failed
        if skip:
            KernelStarter.stop(km)
            return RunResult(run, "skipped", 0.0)
        res = run_notebook(
            run, build_dirs[slug], root, year, cell_timeout, km, start_error, starter
        )
        if res.status == "failed":
            with lock:
                failed.add(slug)
        return res

    def worker() -> None:
        nxt = take()
        nxt_km, nxt_err = start(nxt)
        try:
            while nxt is not None:
                cur, km, err = nxt, nxt_km, nxt_err
                nxt_km, nxt_err = None, None
                nxt = take()
                nxt_km, nxt_err = start(nxt)  # boots while `cur` runs
                try:
                    res = execute(cur, km, err)
                    if starter is not None and res.status != "skipped":
                        res.messages = starter.messages(cur)
                    done_q.put(res)
                except BaseException as e:  # a bug here: let the main thread raise it
                    done_q.put(e)
                    return
        finally:
            KernelStarter.stop(nxt_km)

    n_workers = max(1, min(jobs, len(runs)))
    threads = [
        threading.Thread(target=worker, name=f"wres-nb-{i}", daemon=True) for i in range(n_workers)
    ]
    results: list[RunResult] = []
    with tqdm(
        total=len(runs),
        desc=f"WRES {year}",
        unit="notebook",
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    ) as bar:
        for th in threads:
            th.start()
        try:
            for _ in range(len(runs)):
                res = done_q.get()
                if isinstance(res, BaseException):
                    raise res
                results.append(res)
                bar.update(1)
                slug = res.run.unit.slug
                by_unit[slug].append(res)
                pending[slug] -= 1
                if pending[slug] == 0:
                    done = sorted(by_unit[slug], key=lambda x: order[x.run.notebook])
                    on_unit_done(slug, done)
        except BaseException:
            stop.set()
            with lock:
                failed.update(pending)  # what is still queued is skipped
            for th in threads:
                th.join()
            raise
    for th in threads:
        th.join()
    return results


# --------------------------------------------------------------------------------------------
# 4. Render and publish, atomically


def section_title(notebook: str) -> str:
    """``02_recruitment_discipline_training`` -> ``Recruitment discipline training``."""
    words = notebook.split("_", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def render_unit(
    setup: Setup, unit: Unit, build_dir: Path, published: pd.DataFrame, render_pdf: bool = True
) -> None:
    """Render the unit's notebooks to HTML, then report.html (and report.pdf); write the
    unit's published indicators.csv; remove prepared/."""
    render = _stage("render")
    p = setup.params
    title = f"WRES {p.year}: {unit.name}"
    nb_paths = []
    for nb in setup.notebooks:
        ipynb = build_dir / "notebooks" / f"{nb.stem}.ipynb"
        render.notebook_to_html(
            ipynb, ipynb.with_suffix(".html"), f"{title} - {section_title(nb.stem)}", p.synthetic
        )
        nb_paths.append(ipynb)
    render.report_html(nb_paths, build_dir / "report.html", title, p.synthetic)
    if render_pdf:
        render.report_pdf(build_dir / "report.html", build_dir / "report.pdf", title)
    rows = unit_rows(published, unit)
    # Text cells starting with = + - @ are escaped (CSV injection); numbers stay numbers.
    _stage("safe_csv").write_csv(rows, build_dir / "indicators.csv")
    _stage("workbook").write_return(
        build_dir / "wres-return.xlsx", rows, unit_context(setup, unit), setup.plans[unit.slug]
    )
    shutil.rmtree(build_dir / PREPARED, ignore_errors=True)


def publish_unit(build_dir: Path, final_dir: Path) -> None:
    """Move a finished unit folder into place, replacing the old one without ever leaving a
    mixture: move the old folder aside, move the new one in, then delete the old."""
    final_dir.parent.mkdir(parents=True, exist_ok=True)
    aside = build_dir.with_name(build_dir.name + ".old")
    had_old = final_dir.exists()
    if had_old:
        os.rename(final_dir, aside)
    try:
        os.rename(build_dir, final_dir)
    except BaseException:
        if had_old:
            os.rename(aside, final_dir)
        raise
    if had_old:
        shutil.rmtree(aside, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_if_empty(*folders: Path) -> None:
    for f in folders:
        try:
            f.rmdir()
        except OSError:
            pass


def input_events(setup: Setup) -> list[dict[str, Any]]:
    """The run log's ``input`` events: params, extracts, action plans and notebooks.

    Extracts are recorded with the sha256 that ``load_year`` computed from the very bytes it
    read (``LoadedYear.files``) when it gives them; other files are hashed here.
    """
    to_hash: list[tuple[str, Path]] = []
    events: list[dict[str, Any]] = []
    for y, path in sorted(setup.params_files.items()):
        to_hash.append(("params", path))
        as_loaded = getattr(setup.loaded.get(y), "files", None) or {}
        for o in setup.history[y].organisations:
            specs = [(kind, spec) for kind, spec in o.files.items()]
            if o.counts is not None:
                specs.append(("counts", o.counts))
            for kind, spec in specs:
                key = spec.path.as_posix()
                if key in as_loaded:
                    events.append(
                        {
                            "event": "input",
                            "kind": f"{y}/{o.code}/{kind}",
                            "path": key,
                            "sha256": as_loaded[key],
                        }
                    )
                else:
                    to_hash.append((f"{y}/{o.code}/{kind}", resolve(setup.root, spec)))
    for slug, path in sorted(setup.plan_files.items()):
        if path.is_file():
            to_hash.append((f"action_plan/{slug}", path))
    for nb in setup.notebooks:
        to_hash.append(("notebook", nb))
    return runlog.input_records(to_hash, setup.root) + events


def summary_text(
    year: int,
    n_units: int,
    failures: Sequence[Failure],
    seconds: float,
    up_to_date: Sequence[str] = (),
) -> str:
    """The end-of-run summary: what was built, what was up to date (not re-executed), and
    each failure by unit, notebook and cell."""
    failed_units = sorted({f.unit for f in failures if f.stage != "index"})
    ok = n_units - len(failed_units)
    if not failures:
        built = ok - len(up_to_date)
        fresh = ""
        if up_to_date:
            fresh = f", {len(up_to_date)} up to date (not re-executed: {', '.join(up_to_date)})"
        return f"wres run {year}: built {built} unit(s){fresh} in {seconds:.1f} s."
    fresh = f" ({len(up_to_date)} of them up to date, not re-executed)" if up_to_date else ""
    lines = [
        f"wres run {year}: {ok} of {n_units} unit(s) built{fresh}; {len(failures)} failure(s) "
        "(a failed unit's previous report, if any, is left as it was):"
    ]
    lines += [f"  - {f.describe()}" for f in failures]
    return "\n".join(lines)


def expected_outputs(notebooks: Sequence[Path], render_pdf: bool = True) -> list[str]:
    """The files a published unit folder must hold (paths relative to it)."""
    out = []
    for nb in notebooks:
        out += [f"notebooks/{Path(nb).stem}.ipynb", f"notebooks/{Path(nb).stem}.html"]
    out += ["report.html", "indicators.csv", "wres-return.xlsx"]
    out += ["report.pdf"] if render_pdf else []
    return out


def build_key(
    setup: Setup, unit: Unit, build_dir: Path, counts: pd.DataFrame, render_pdf: bool
) -> cache.BuildKey:
    """The unit's build key: its notebooks, parameters, prepared inputs, counts, the options
    that change outputs, and the package's code and versions (:func:`cache.unit_key`)."""
    members = counts[counts["org_code"].astype(str).isin(list(unit.members))]
    return cache.unit_key(
        notebooks=setup.notebooks,
        parameters=[r.params.model_dump() for r in setup.runs if r.unit.slug == unit.slug],
        prepared_dir=Path(build_dir) / PREPARED,
        counts=members.reset_index(drop=True),
        options={"pdf": render_pdf, "kernel": "python3"},
    )


def run_year(
    year: int,
    params_dir: Path | str,
    reports_dir: Path | str,
    unit: str | None = None,
    jobs: int | None = None,
    *,
    notebooks_dir: Path | str | None = None,
    notebooks: Sequence[str] = NOTEBOOKS,
    render_pdf: bool = True,
    root: Path | str | None = None,
    progress: bool = True,
    cell_timeout: int | None = 600,
    force: bool = False,
    prestart: bool = True,
    scheduler: str | None = None,
) -> int:
    """Build every unit's reports for ``year`` (``wres run``); return the exit status.

    0 when every unit and the index were built, 1 when anything failed (the other units are
    still built; the summary on stderr names unit, notebook and cell). Bad input raises
    :class:`ParamsError` / :class:`InputError` before any kernel starts (the CLI exits 2).

    ``root`` defaults to the parent of ``params_dir``; ``notebooks_dir`` to ``root/notebooks``;
    ``notebooks`` are the notebook names (without ``.ipynb``) in report order.

    Incremental: a unit whose published folder holds a ``.build-key`` equal to its key now
    (:func:`wres_utils.cache.unit_key`) and all its outputs is "up to date": none of its
    notebooks runs, its folder is left as it is. Loaded years and the published indicators
    are reused from ``reports/.cache`` when their inputs are unchanged. ``force`` rebuilds
    every unit and recomputes everything. ``prestart`` starts each notebook's kernel ahead
    of time (:class:`KernelStarter`); without it papermill starts each kernel itself.

    ``scheduler``: the address of a Dask distributed scheduler (``tcp://host:8786``). The
    notebooks then run on its workers (:mod:`wres_utils.distributed`), which must see the
    reports folder on a shared filesystem; rendering and publishing stay in this process.
    The connection is made first: a bad address raises :class:`RunSetupError` (exit 2)
    before any unit is touched. Without it, the local pool (``jobs`` threads) runs them.
    """
    if scheduler is None:
        return _run_year(
            year,
            params_dir,
            reports_dir,
            unit,
            jobs,
            notebooks_dir=notebooks_dir,
            notebooks=notebooks,
            render_pdf=render_pdf,
            root=root,
            progress=progress,
            cell_timeout=cell_timeout,
            force=force,
            prestart=prestart,
        )
    client = _stage("distributed").connect(scheduler, where=Path(params_dir) / f"{year}.yaml")
    try:
        return _run_year(
            year,
            params_dir,
            reports_dir,
            unit,
            jobs,
            notebooks_dir=notebooks_dir,
            notebooks=notebooks,
            render_pdf=render_pdf,
            root=root,
            progress=progress,
            cell_timeout=cell_timeout,
            force=force,
            prestart=prestart,
            client=client,
            scheduler=scheduler,
        )
    finally:
        client.close()


def _run_year(
    year: int,
    params_dir: Path | str,
    reports_dir: Path | str,
    unit: str | None = None,
    jobs: int | None = None,
    *,
    notebooks_dir: Path | str | None = None,
    notebooks: Sequence[str] = NOTEBOOKS,
    render_pdf: bool = True,
    root: Path | str | None = None,
    progress: bool = True,
    cell_timeout: int | None = 600,
    force: bool = False,
    prestart: bool = True,
    client: Any = None,
    scheduler: str | None = None,
) -> int:
    """:func:`run_year`, with ``client`` connected to ``scheduler`` (or None: local pool)."""
    started = runlog.utc_now()
    t0 = time.perf_counter()
    params_dir = Path(params_dir)
    reports_dir = Path(reports_dir)
    root = Path(root) if root is not None else params_dir.resolve().parent
    notebooks_dir = Path(notebooks_dir) if notebooks_dir is not None else root / "notebooks"
    if jobs is not None and jobs < 1:
        raise RunSetupError(
            params_dir / f"{year}.yaml", [f"--jobs must be 1 or more, found {jobs}"]
        )

    # 1. Validate (raises before any kernel starts).
    # With force, nothing stored is reused, but what is recomputed is stored for next time.
    # Beside reports/, not in it: the store holds unsuppressed counts (the analyst's copy), and
    # reports/ is what gets published.
    store = cache.Store(reports_dir.resolve().parent / cache.STORE_DIR, reuse=not force)
    setup = validate(year, params_dir, root, unit, notebooks_dir, list(notebooks), store)
    params = setup.params
    log = runlog.RunLog()
    run_event = log.add("run", year=year, unit_filter=unit, started=started)
    for y, p in sorted(setup.history.items()):
        log.add(
            "params",
            year=y,
            file=_rel(setup.params_files[y], root),
            params=p.model_dump(mode="json"),
        )
    log.add("versions", **runlog.package_versions())
    log.add("git", **runlog.git_state(root))
    log.extend(input_events(setup))

    # 2. Compute once; prepare each unit's build folder.
    published = compute_published(setup, store)
    broad_published = compute_broad_published(setup, published)
    year_dir = reports_dir / str(year)
    tmp_root = reports_dir / TMP_DIR
    tmp_year = tmp_root / str(year)
    tmp_year.mkdir(parents=True, exist_ok=True)
    mode = 0o777 & ~_umask()
    build_dirs: dict[str, Path] = {}
    keys: dict[str, cache.BuildKey] = {}
    publishing = _stage("publishing")

    def final_dir(u: Unit) -> Path:
        # Internal member reports (params member_reports) never go under reports/.
        if publishing.is_internal(params, u):
            return publishing.internal_dir(reports_dir, year) / u.slug
        return year_dir / u.slug

    for u in setup.units:
        shown, withheld = _stage("gate").headline(published, u.id, year)
        log.add(
            "disclosure",
            unit=u.id,
            headline_published=shown,
            headline_cells=len(_stage("gate").HEADLINE_CELLS),
            headline_withheld=withheld,
            internal=publishing.is_internal(params, u),
        )
    fresh: list[str] = []  # units up to date: not executed
    failures: list[Failure] = []
    units_by_slug = {u.slug: u for u in setup.units}
    counts = all_counts(setup)
    outputs = expected_outputs(setup.notebooks, render_pdf)
    kernel_logs: Path | None = None
    starter: KernelStarter | None = None
    try:
        for u in setup.units:
            build = Path(tempfile.mkdtemp(prefix=f"{u.slug}-", dir=tmp_year))
            os.chmod(build, mode)
            build_dirs[u.slug] = build
            write_prepared(setup, u, published, build, broad_published)
            keys[u.slug] = build_key(setup, u, build, counts, render_pdf)
            if not force and cache.up_to_date(final_dir(u), keys[u.slug], outputs):
                fresh.append(u.slug)
                shutil.rmtree(build_dirs.pop(u.slug), ignore_errors=True)
                log.add("unit", unit=u.id, slug=u.slug, status="up to date")
        runs = [r for r in setup.runs if r.unit.slug in build_dirs]
        setup_seconds = time.perf_counter() - t0

        # 3 and 4. Execute; as each unit finishes, render and publish it.
        def on_unit_done(slug: str, results: list[RunResult]) -> None:
            u = units_by_slug[slug]
            t = time.perf_counter()
            for r in results:
                log.add(
                    "notebook",
                    unit=u.id,
                    slug=slug,
                    notebook=r.run.notebook,
                    status=r.status,
                    seconds=round(r.seconds, 3),
                )
                if r.messages:
                    log.add("kernel_output", unit=u.id, notebook=r.run.notebook, lines=r.messages)
                    shown = "\n".join(f"    {line}" for line in r.messages[-20:])
                    print(
                        f"wres run {year}: the kernel of unit {u.id!r}, notebook "
                        f"{r.run.notebook}.ipynb wrote (outside the notebook):\n{shown}",
                        file=sys.stderr,
                    )
            unit_failures = [r.failure for r in results if r.failure is not None]
            stage = "render"
            try:
                if not unit_failures:
                    render_unit(setup, u, build_dirs[slug], published, render_pdf=render_pdf)
                    cache.write_build_key(build_dirs[slug], keys[slug])
                    stage = "publish"
                    publish_unit(build_dirs[slug], final_dir(u))
            except Exception as e:
                unit_failures.append(Failure(u.id, slug, stage, type(e).__name__, str(e)))
            finally:
                shutil.rmtree(build_dirs[slug], ignore_errors=True)
            failures.extend(unit_failures)
            for f in unit_failures:
                log.add("failure", **asdict(f))
            log.add(
                "unit",
                unit=u.id,
                slug=slug,
                status="failed" if unit_failures else "ok",
                notebook_seconds=round(sum(r.seconds for r in results), 3),
                render_seconds=round(time.perf_counter() - t, 3),
            )

        if prestart and runs:
            kernel_logs = Path(tempfile.mkdtemp(prefix=".kernels-", dir=tmp_year))
            starter = KernelStarter(kernel_logs)
        if runs:
            execute_all(
                runs,
                build_dirs,
                jobs or os.cpu_count() or 1,
                on_unit_done,
                root,
                year,
                progress=progress,
                cell_timeout=cell_timeout,
                starter=starter,
                client=client,
            )
        execute_seconds = time.perf_counter() - t0 - setup_seconds
        # The commissioner's view of its providers, in the commissioning unit's folder.
        if params.commissioners:
            # Units rebuilt now; an up-to-date unit's providers report is up to date too (the
            # providers' files are part of its key, through prepared/providers.json).
            failed = {f.slug for f in failures}
            built = [u.slug for u in setup.units if u.slug not in failed and u.slug not in fresh]
            for f in _stage("commissioner").build(
                year,
                params,
                root,
                reports_dir,
                setup.history,
                render_pdf=render_pdf,
                cell_timeout=cell_timeout,
                units=built,
            ):
                failures.append(f)
                log.add("failure", **asdict(f))
    finally:
        for build in build_dirs.values():
            shutil.rmtree(build, ignore_errors=True)
        if kernel_logs is not None:
            shutil.rmtree(kernel_logs, ignore_errors=True)
        if starter is not None:
            starter.cleanup()
        # A "<slug>-XXXX.old" left here means an old report could not be moved back: kept.
        _remove_if_empty(tmp_year, tmp_root)

    # The year's index lists every unit of the year (units not rebuilt keep their reports).
    year_dir.mkdir(parents=True, exist_ok=True)
    try:
        _stage("render").year_index(
            year_dir, [(u.slug, u.name) for u in params.published_units()], params.synthetic
        )
    except Exception as e:
        f = Failure("(all)", "", "index", type(e).__name__, str(e))
        failures.append(f)
        log.add("failure", **asdict(f))

    seconds = time.perf_counter() - t0
    status = EXIT_FAILED if failures else EXIT_OK
    run_event.update(
        finished=runlog.utc_now(),
        seconds=round(seconds, 3),
        status=status,
        jobs=jobs or os.cpu_count() or 1,
        engine="local" if client is None else "dask",
        scheduler=scheduler,
        units=[u.slug for u in setup.units],
        notebooks=[nb.stem for nb in setup.notebooks],
        failed_units=sorted({f.slug for f in failures if f.slug}),
        up_to_date=fresh,
        notebooks_executed=len(runs),
        force=force,
        setup_seconds=round(setup_seconds, 3),
        execute_seconds=round(execute_seconds, 3),
    )
    log.write(year_dir / "run.log")
    text = summary_text(year, len(setup.units), failures, seconds, fresh)
    print(text, file=sys.stderr if failures else sys.stdout)
    return status
