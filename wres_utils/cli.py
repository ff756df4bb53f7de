"""The ``wres`` command. It holds no logic: it parses arguments and calls the package.

Bad input (params or extracts) ends with exit status 2 and a message that names the file,
line and column, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from wres_utils.core.errors import InputError
from wres_utils.core.params import JointGroup, ParamsError, Suppression, load_params

EXIT_BAD_INPUT = 2


def _params_path(args: argparse.Namespace) -> Path:
    return Path(args.params_dir) / f"{args.year}.yaml"


def _root(args: argparse.Namespace) -> Path:
    return Path(args.params_dir).resolve().parent


def cmd_example_data(args: argparse.Namespace) -> int:
    from wres_utils.example import synthetic as example_synthetic

    written = example_synthetic.write_example_data(Path(args.root), seed=args.seed)
    print(f"Wrote {len(written)} synthetic files under {args.root} (seed {args.seed}).")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from wres_utils.inputs import load as inputs_load
    from wres_utils.run.plan import action_plan_dir, load_history, load_plans

    params = load_params(_params_path(args))
    # Everything `run` reads before a kernel starts: the two previous years' params and
    # extracts (for the trends) and every unit's action plan.
    history, _ = load_history(args.year, Path(args.params_dir), _root(args))
    folder = action_plan_dir(params, Path(args.params_dir), _root(args))
    load_plans(params, params.units(), folder)
    loaded = inputs_load.load_year(params, _root(args))
    for y, p in history.items():
        if y != args.year:
            inputs_load.load_year(p, _root(args))
    print(inputs_load.format_summary(loaded))
    return 0


def cmd_counts(args: argparse.Namespace) -> int:
    from wres_utils.inputs import load as inputs_load

    params = load_params(_params_path(args))
    loaded = inputs_load.load_year(params, _root(args))
    # Not under reports/ (what gets published): the counts table is the analyst's copy.
    out = Path(args.out or f"analyst/{args.year}/counts.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    loaded.counts.to_csv(out, index=False)
    print(inputs_load.format_summary(loaded))
    print(f"Wrote the counts table ({len(loaded.counts)} rows) to {out}.")
    return 0


def _parse_joint(values: Sequence[str]) -> list[tuple[str, list[str]]]:
    out = []
    for v in values:
        name, sep, members = v.partition("=")
        if not sep or not name.strip() or not members.strip():
            raise InputError([])  # replaced below with a clearer message
        out.append((name.strip(), [m.strip().upper() for m in members.split(",") if m.strip()]))
    return out


def _option_problem(model: type, **values: object) -> str | None:
    """The message of ``model(**values)``'s validation error (a params model), or None."""
    from pydantic import ValidationError

    try:
        model(**values)
    except ValidationError as e:
        return "; ".join(
            f"{'.'.join(map(str, err['loc']))}: {err['msg'].removeprefix('Value error, ')}"
            for err in e.errors()
        )
    return None


def cmd_submission(args: argparse.Namespace) -> int:
    from wres_utils.run.submission import write_submissions

    # Not under reports/: the submission copy holds the actual counts (never published).
    written = write_submissions(
        args.year, Path(args.params_dir), Path(args.out_dir), unit=args.unit
    )
    for path in written:
        print(f"Wrote {path} (NOT FOR PUBLICATION: unsuppressed counts).")
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    from wres_utils.core.params import Unit
    from wres_utils.disclosure import gate, recipe
    from wres_utils.inputs import counts as counts_mod
    from wres_utils.inputs import load as inputs_load

    if args.counts:
        counts = counts_mod.read_counts_csv(Path(args.counts))
        codes = sorted(counts["org_code"].unique())
        units = [Unit(id=c, name=c, members=(c,)) for c in codes]
        for v in args.joint:
            name, sep, members = v.partition("=")
            member_list = [m.strip().upper() for m in members.split(",") if m.strip()]
            if not sep or not name.strip() or len(member_list) < 2:
                print(f"--joint {v!r}: expected NAME=ORG1,ORG2[,...]", file=sys.stderr)
                return EXIT_BAD_INPUT
            problem = _option_problem(JointGroup, name=name.strip(), members=member_list)
            if problem:  # the same checks as joint_groups in params (each member once, ...)
                print(f"--joint {v!r}: {problem}", file=sys.stderr)
                return EXIT_BAD_INPUT
            unknown = [m for m in member_list if m not in codes]
            if unknown:
                print(
                    f"--joint {v!r}: {unknown} not in {args.counts} (has {codes})", file=sys.stderr
                )
                return EXIT_BAD_INPUT
            units.append(Unit(id=name.strip(), name=name.strip(), members=tuple(member_list)))
        denominator = args.denominator or "all"
        min_count = 7 if args.min_count is None else args.min_count
        round_to = None
    elif args.year:
        params = load_params(_params_path(args))
        counts = inputs_load.load_year(params, _root(args)).counts
        units = params.units()
        denominator = args.denominator or params.indicator1_denominator
        min_count = params.suppression.min_count if args.min_count is None else args.min_count
        round_to = params.suppression.round_to
    else:
        print("wres indicators: give --counts FILE or --year YEAR", file=sys.stderr)
        return EXIT_BAD_INPUT
    problem = _option_problem(Suppression, min_count=min_count)
    if problem:  # the same range as suppression.min_count in params
        print(f"--min-count {min_count}: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out)
    if out.is_dir() or args.out.endswith(("/", "\\")):
        print(f"--out {args.out}: a folder; expected the CSV file to write", file=sys.stderr)
        return EXIT_BAD_INPUT
    table = recipe.disclose_indicators(
        counts, units, min_count=min_count, round_to=round_to, denominator=denominator
    )
    if args.published:
        table = gate.published_copy(table)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    print(f"Wrote {len(table)} indicator rows for {len(units)} unit(s) to {out}.")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from wres_utils.run.runner import run_year

    return run_year(
        year=args.year,
        params_dir=Path(args.params_dir),
        reports_dir=Path(args.reports_dir),
        unit=args.unit,
        jobs=args.jobs,
        force=args.force,
        scheduler=args.scheduler,
    )


def cmd_check_published(args: argparse.Namespace) -> int:
    from wres_utils.compute import check_published as published

    results = published.check_published(Path(args.file))
    print(published.format_results(results))
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        results.to_csv(out, index=False)
        print(f"Wrote the results to {out}.")
    return 0 if results["matches"].astype(bool).all() else 1


def cmd_audit(args: argparse.Namespace) -> int:
    from wres_utils.checks import audit

    try:
        report = audit.audit_year(Path(args.year_dir), Path(args.params_dir))
    except ValueError as e:
        print(f"wres audit: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(report.format(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wres", description="NHS Workforce Race Equality Standard reporting pipeline."
    )
    sub = p.add_subparsers(dest="command", required=True)

    def year_args(sp: argparse.ArgumentParser, required: bool = True) -> None:
        sp.add_argument("--year", type=int, required=required, help="WRES year, e.g. 2021")
        sp.add_argument("--params-dir", default="params", help="folder of <year>.yaml files")

    sp = sub.add_parser("example-data", help="(re)generate the synthetic example data and params")
    sp.add_argument(
        "--root", default=".", help="repository root to write data/example and params into"
    )
    sp.add_argument("--seed", type=int, default=20210331)
    sp.set_defaults(func=cmd_example_data)

    sp = sub.add_parser("validate", help="load and validate a year's extracts; print a summary")
    year_args(sp)
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("counts", help="validate a year's extracts and write the counts table")
    year_args(sp)
    sp.add_argument("--out", help="CSV to write (default analyst/<year>/counts.csv)")
    sp.set_defaults(func=cmd_counts)

    sp = sub.add_parser(
        "submission",
        help="write each unit's submission copy for NHS England (unsuppressed counts) to "
        "analyst/<year>/<unit>/wres-submission.xlsx; never published",
    )
    year_args(sp)
    sp.add_argument("--unit", help="only this unit (org code or joint group name)")
    sp.add_argument("--out-dir", default="analyst", help="folder to write into (not reports/)")
    sp.set_defaults(func=cmd_submission)

    sp = sub.add_parser("indicators", help="compute the indicators table from counts")
    year_args(sp, required=False)
    sp.add_argument("--counts", help="a counts CSV (data contract section 2)")
    sp.add_argument("--out", required=True, help="indicators CSV to write")
    sp.add_argument(
        "--joint",
        action="append",
        default=[],
        metavar="NAME=ORG1,ORG2",
        help="a joint group reporting from its members' summed counts (repeatable)",
    )
    sp.add_argument("--denominator", choices=["all", "known"], help="indicator 1 denominator")
    sp.add_argument("--min-count", type=int, help="suppress counts from 1 to K (default 7)")
    sp.add_argument(
        "--published",
        action="store_true",
        help="the published copy: drop value wherever the status is suppressed",
    )
    sp.set_defaults(func=cmd_indicators)

    sp = sub.add_parser(
        "check-published",
        help="recompute published WRES figures from their counts and explain mismatches",
    )
    sp.add_argument("file", help="CSV of counts and published values (see README.md)")
    sp.add_argument("--out", help="CSV to write the results to")
    sp.set_defaults(func=cmd_check_published)

    sp = sub.add_parser(
        "audit",
        help="disclosure audit of a year's published outputs (exit 1 when anything leaks)",
    )
    sp.add_argument("year_dir", metavar="REPORTS_YEAR_DIR", help="e.g. reports/2021")
    sp.add_argument("--params-dir", default="params", help="folder of <year>.yaml files")
    sp.set_defaults(func=cmd_audit)

    sp = sub.add_parser("run", help="build every unit's notebooks and reports for a year")
    year_args(sp)
    sp.add_argument("--unit", help="only this unit (org code or joint group name)")
    sp.add_argument("--reports-dir", default="reports")
    sp.add_argument(
        "--jobs", type=int, default=None, help="parallel notebook runs (default: cores)"
    )
    sp.add_argument(
        "--force",
        action="store_true",
        help="rebuild every unit, even those whose inputs, notebooks and code are unchanged",
    )
    sp.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the notebooks on a Dask distributed cluster (e.g. tcp://host:8786); its "
        "workers must share the project's filesystem (default: a local pool of --jobs)",
    )
    sp.set_defaults(func=cmd_run)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wres`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ParamsError as e:
        print(f"wres: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as e:
        print(f"wres: {e.render()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:  # a folder that cannot be written, a path that is a folder, ...
        where = f"{e.filename}: " if e.filename else ""
        print(f"wres: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
