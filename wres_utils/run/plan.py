"""Plan a run and validate everything before any kernel starts: params of the year and of up to
two previous years, their extracts, action plans, the notebooks' parameters cells and one
:class:`~wres_utils.run.model.NotebookParams` per (unit, notebook).
"""

from __future__ import annotations

import ast
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
from pydantic import ValidationError

from wres_utils.core import actionplan
from wres_utils.core.errors import InputError
from wres_utils.core.params import Unit, YearParams, load_params
from wres_utils.disclosure import policy
from wres_utils.inputs import load as inputs_load
from wres_utils.run import cache
from wres_utils.run.model import (
    HISTORY_YEARS,
    PARAMETER_NAMES,
    PREPARED,
    NotebookParams,
    NotebookRun,
    RunSetupError,
    Setup,
)

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
    units = policy.build_units(params)
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
    jobs: int | None = 1,
) -> Setup:
    """Step 1: everything that can be checked before a kernel starts; raises on any problem.

    The years whose extracts must be read are read and validated in up to ``jobs`` processes
    at once (:func:`load_years_cached`; None: one per core).

    Cheap checks first (params, units, notebooks, parameters, action plans), then the
    extracts of every loaded year (inputs_load.load_year, or the aggregates an earlier run
    stored in ``store`` for exactly the same params, input bytes and code: see
    :func:`load_year_cached`).
    """
    history, files = load_history(year, params_dir, root)
    params = history[year]
    units = select_units(params, unit, files[year])
    nb_paths = check_notebooks(notebooks_dir, notebooks)
    runs = plan_runs(params, units, nb_paths)
    plans, plan_files = load_plans(params, units, action_plan_dir(params, params_dir, root))
    loaded = load_years_cached(history, root, store, jobs)
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


def _year_key(params: YearParams, root: Path) -> str | None:
    """The store key of a year's loaded extracts (None when an input file is missing)."""
    hashes = input_hashes(params, root)
    if "missing" in hashes.values():
        return None
    return cache.year_key(params.model_dump(mode="json"), hashes)


def _cached_year(loaded: Any) -> cache.CachedYear:
    """What is kept of a loaded year: aggregates only (see :func:`load_year_cached`)."""
    return cache.CachedYear(
        counts=loaded.counts,
        quality=cache.aggregates_only(getattr(loaded, "quality", None)),
        files=dict(getattr(loaded, "files", None) or {}),
        broad_counts=getattr(loaded, "broad_counts", pd.DataFrame()),
    )


def _load_in_worker(params: YearParams, root: Path, indices: Sequence[int]) -> Any:
    """Load and validate some organisations of a year in a worker process: aggregates and
    issues only (:class:`wres_utils.inputs.load.LoadedPart`), never a record."""
    return inputs_load.load_organisations(params, root, indices)


#: Below this many bytes of extracts to read, years are loaded one after the other here.
PARALLEL_LOAD_BYTES = 32 * 2**20
#: Tasks per worker when loading in parallel: a year is cut into slices of organisations so
#: that no worker is left idle while another reads the last year (3 years on 2 workers).
SLICES_PER_WORKER = 4


def _org_bytes(params: YearParams, root: Path) -> list[int]:
    """The bytes of each organisation's extract and counts files (0 when unreadable)."""
    sizes = []
    for o in params.organisations:
        total = 0
        for spec in list(o.files.values()) + ([o.counts] if o.counts is not None else []):
            try:
                total += (Path(root) / spec.path).stat().st_size
            except OSError:
                pass
        sizes.append(total)
    return sizes


def org_slices(sizes: Sequence[int], target: float) -> list[range]:
    """Consecutive slices of organisation indices of about ``target`` bytes each (at least
    one organisation per slice; an empty year gives one empty slice)."""
    slices, start, acc = [], 0, 0
    for i, n in enumerate(sizes):
        acc += n
        if acc >= target and i + 1 < len(sizes):
            slices.append(range(start, i + 1))
            start, acc = i + 1, 0
    slices.append(range(start, len(sizes)))
    return slices


def load_years_cached(
    history: dict[int, YearParams], root: Path, store: cache.Store | None, jobs: int | None = 1
) -> dict[int, Any]:
    """:func:`load_year_cached` for every year of ``history``; the years not in ``store``
    are read and validated in up to ``jobs`` worker processes at once (None: one per core),
    when they are large enough for it (:data:`PARALLEL_LOAD_BYTES`), each year cut into
    slices of organisations (:func:`org_slices`) so that every worker is kept busy.

    Errors are those of loading the years one after the other: the first failing year's
    (oldest first), with every problem of its files. A slice that fails otherwise is loaded
    again here, so that the error raised is the real one.
    """
    out: dict[int, Any] = {}
    keys: dict[int, str | None] = {}
    for y, p in history.items():
        keys[y] = _year_key(p, root) if store is not None else None
        hit = store.get(f"year{y}", keys[y]) if store is not None and keys[y] else None
        if isinstance(hit, cache.CachedYear):
            out[y] = hit
    todo = [y for y in history if y not in out]
    sizes = {y: _org_bytes(history[y], root) for y in todo}
    total = sum(sum(v) for v in sizes.values())
    workers = (jobs or os.cpu_count() or 1) if todo else 0
    if total < PARALLEL_LOAD_BYTES:
        workers = 1  # small inputs: a worker's start-up would cost more than it saves
    if workers <= 1:
        for y in todo:
            out[y] = load_year_cached(history[y], root, store)
        return dict(sorted(out.items()))
    target = total / (workers * SLICES_PER_WORKER)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {
            y: [
                (s, pool.submit(_load_in_worker, history[y], root, s))
                for s in org_slices(sizes[y], target)
            ]
            for y in todo
        }
        for y in todo:  # oldest first, as the loop above
            parts = []
            for s, future in futures[y]:
                try:
                    parts.append(future.result())
                except Exception:  # not bad input: load here to raise the real error
                    parts.append(inputs_load.load_organisations(history[y], root, s))
            try:
                value = _cached_year(inputs_load.assemble_year(parts))
            except InputError:
                for fs in futures.values():
                    for _, f in fs:
                        f.cancel()
                raise
            out[y] = value
            if store is not None and keys[y] is not None:
                store.put(f"year{y}", keys[y], value)
    return dict(sorted(out.items()))


def load_year_cached(params: YearParams, root: Path, store: cache.Store | None) -> Any:
    """``inputs_load.load_year``, or its stored aggregates when nothing it depends on changed.

    The key is the year's params, the sha256 of every input file and the package's code and
    versions (:func:`wres_utils.run.cache.year_key`): the same bytes through the same code
    validate the same way, so an earlier successful load is reused. What is returned (and
    stored) is aggregates only: the counts, the integer columns of the data-quality table,
    and the input hashes (a :class:`wres_utils.run.cache.CachedYear`). Without a store, or on a
    miss, the extracts are loaded and validated (raising :class:`InputError` as usual).
    """
    key = None
    if store is not None:
        key = _year_key(params, root)
        if key is not None:
            hit = store.get(f"year{params.year}", key)
            if isinstance(hit, cache.CachedYear):
                return hit
    result = _cached_year(inputs_load.load_year(params, root))
    if store is not None and key is not None:
        store.put(f"year{params.year}", key, result)
    return result
