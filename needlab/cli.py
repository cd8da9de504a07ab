"""The ``needlab`` command line.

``needlab --version``; ``needlab sample DIR`` writes the bundled sample data set;
``needlab check FILE [--codebook FILE] [--sep SEP] [--encoding ENC] [--ragged keep]`` loads a
survey and prints the load report, the codebook validation and the data-quality report, exiting
with status 1 when there are errors: structural problems of the file (rows with more fields than
the header, undecodable text, a single column whose name looks like several, Excel formulas
without values), codebook mismatches or data-quality errors;
``needlab init DIR`` starts a project: the current template notebooks in ``DIR/notebooks`` and
the sample data in ``DIR/data/sample`` (the notebooks' default ``DATA`` folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from needlab import __version__
from needlab.errors import NeedlabError

__all__ = ["STRUCTURAL", "main"]

STRUCTURAL = {
    "one_column": "only one column was read: the delimiter is probably wrong (pass --sep)",
    "formula_no_value": "formula cells without a value were read as missing",
}
"""Load-report actions that ``needlab check`` counts as errors (the file was not read as meant)."""


def _print_table(title: str, table: pd.DataFrame) -> None:
    print(f"\n== {title} ==")
    if table is None or len(table) == 0:
        print("(nothing to report)")
    else:
        with pd.option_context("display.width", 160, "display.max_colwidth", 60):
            print(table.to_string(index=False, max_rows=200))


def _check(args: argparse.Namespace) -> int:
    from needlab.io import quality, read_survey

    survey = read_survey(
        args.file,
        codebook=args.codebook,
        strict=False,
        sep=args.sep,
        encoding=args.encoding,
        ragged=args.ragged,
    )
    data = survey.data
    print(f"needlab check: {args.file}: {len(data)} rows x {data.shape[1]} columns")
    _print_table("load report", survey.load_report)
    load = survey.load_report
    structural = load[load["action"].isin(list(STRUCTURAL))]
    for action, detail in zip(structural["action"], structural["detail"], strict=True):
        print(f"structural problem: {STRUCTURAL[action]}: {detail}")
    problems = survey.codebook.validate(data)
    _print_table("codebook validation", problems)
    report = quality(survey)
    _print_table("data quality", report.table)
    # Duplicate ids and out-of-range values appear in both reports: count each finding once.
    same = {
        "duplicate_id": "duplicate_id",
        "not_in_labels": "out_of_range",
        "out_of_range": "out_of_range",
    }
    seen = {
        (c, same[p])
        for c, p in zip(problems["column"], problems["problem"], strict=True)
        if p in same
    }
    errors = report.table[report.table["severity"] == "error"]
    extra = sum((c, k) not in seen for c, k in zip(errors["column"], errors["check"], strict=True))
    n_errors = len(problems) + extra + len(structural)
    print(f"\n{n_errors} error(s) found." if n_errors else "\nNo errors found.")
    return 1 if n_errors else 0


def _sample(args: argparse.Namespace) -> int:
    from needlab.datasets import write_sample

    paths = write_sample(args.dir, seed=args.seed)
    for p in paths:
        print(p)
    return 0


def _templates() -> Path:
    """The template notebooks: packed into the wheel, or the repository's folder in a checkout."""
    here = Path(__file__).resolve().parent
    for folder in (here / "_templates" / "notebooks", here.parent / "notebooks"):
        if (folder / "CHANGELOG.md").exists():
            return folder
    raise NeedlabError(
        "the template notebooks are not installed; reinstall needlab from its wheel or repository"
    )


def _init(args: argparse.Namespace) -> int:
    import shutil

    from needlab.datasets import write_sample

    target: Path = args.dir
    nb_dir = target / "notebooks"
    src = _templates()
    names = [*sorted(p.name for p in src.glob("[0-9][0-9]_*.ipynb")), "CHANGELOG.md"]
    clashes = [n for n in names if (nb_dir / n).exists()]
    if clashes and not args.force:
        raise NeedlabError(
            f"{nb_dir} already has {', '.join(clashes[:5])}; choose an empty folder or pass --force to overwrite"
        )
    nb_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(src / name, nb_dir / name)
        print(nb_dir / name)
    for p in write_sample(target / "data" / "sample"):
        print(p)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="needlab", description="Customer-needs research toolkit.")
    parser.add_argument("--version", action="version", version=f"needlab {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="load a survey file and report problems")
    p.add_argument("file", type=Path, help="survey export: .csv, .tsv, .txt, .xlsx or .sav")
    p.add_argument("--codebook", type=Path, default=None, help="codebook YAML file")
    p.add_argument(
        "--sep", default=None, help="delimiter (one character, or '\\s+' for aligned columns)"
    )
    p.add_argument("--encoding", default=None, help="text encoding (detected by default)")
    p.add_argument(
        "--ragged",
        choices=["error", "keep"],
        default="error",
        help="rows with more fields than the header: error (default) or keep the extra fields",
    )
    p.set_defaults(func=_check)

    p = sub.add_parser("init", help="start a project in DIR: template notebooks and sample data")
    p.add_argument("dir", type=Path)
    p.add_argument(
        "--force", action="store_true", help="overwrite notebooks already in DIR/notebooks"
    )
    p.set_defaults(func=_init)

    p = sub.add_parser("sample", help="write the bundled sample data set to DIR")
    p.add_argument("dir", type=Path)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0: fine; 1: problems found, or a user error (a file that cannot be read, a folder that
    cannot be written): a one-line message on stderr, never a traceback; 2: usage error.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except NeedlabError as exc:
        print(f"needlab: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # missing file, permission denied, disk full: the user's to fix
        where = f": {exc.filename}" if exc.filename else ""
        print(f"needlab: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
