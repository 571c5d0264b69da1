"""spinekg classify-file IN --column NAME --out OUT: classify a column of ICD codes in a CSV or Parquet file."""
from __future__ import annotations

import argparse
import importlib
import sys

from ._options import add_extension, prepare

NAME = "classify-file"
ENDS_PROGRAM = True  # its output is closed (and renamed) when it returns: the process may end without the teardown
HELP = "add spine/back surgery columns to a CSV or Parquet file of ICD-10-PCS / ICD-9-CM (or ICD-10-CM) codes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="IN", help="input .csv, .csv.gz or .parquet file, or - for CSV on stdin")
    parser.add_argument("--column", required=True, help="name of the column that holds the codes")
    parser.add_argument("--out", required=True, help="output .csv, .csv.gz or .parquet file, or - for CSV on stdout")
    parser.add_argument("--system", choices=["icd10pcs", "icd9cm", "icd10cm", "text"], default=None,
                        help="code system of the column (default: detected from the first rows); a procedure column "
                             "may mix ICD-10-PCS and ICD-9-CM codes; text: procedure descriptions")
    parser.add_argument("--profile", default="seed", metavar="NAME|FILE",
                        help="definition of back surgery: a built-in profile (see 'spinekg profiles') or a profile "
                             ".ttl file; procedures only")
    parser.add_argument("--needle-procedures", action="store_true",
                        help="count needle procedures (percutaneous destruction, drainage, release, ...) as operations, "
                             "as CMS groups some of them; composes with --profile")
    add_extension(parser)
    parser.add_argument("--in-format", choices=["csv", "parquet"], default=None, help="override the input format")
    parser.add_argument("--out-format", choices=["csv", "parquet"], default=None, help="override the output format")
    parser.add_argument("--processes", type=processes, default="auto", metavar="N|auto",
                        help="processes reading free text (--system text): 1-8, or auto (default: two when a second "
                             "core is free; Linux only, from 2,000 new texts; same output)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress line on stderr (default: only when stderr is a terminal)")


def processes(value: str) -> int | str:
    """--processes: a number 1-8 or 'auto' (argparse reports anything else as a usage error, exit 2)."""
    from ..codes.forked import check_processes

    try:
        return check_processes(int(value) if value.isdigit() else value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def hide_numpy() -> None:
    """Let pyarrow start without numpy: it imports numpy (≈0.1 s, a tenth of a million-row run) whenever numpy
    is installed, yet reading, classifying and writing files never needs it, and pyarrow supports running
    without it. Only for this command's own process (the CLI), and only before pyarrow is first imported."""
    if "pyarrow" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # 'import numpy' now raises ImportError
    try:
        importlib.import_module("pyarrow")
    except ImportError:  # pyarrow < 16 needs numpy (or pyarrow is missing, which bulk reports): import as usual
        del sys.modules["numpy"]
        for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
            del sys.modules[name]


def run(args: argparse.Namespace) -> int:
    hide_numpy()
    from ..codes.bulk import classify_file, use_jemalloc

    use_jemalloc()  # this command owns its process

    prepare(args)
    summary = classify_file(args.source, args.out, args.column, system=args.system, in_format=args.in_format,
                            out_format=args.out_format, progress=args.progress, profile=args.profile,
                            needle=args.needle_procedures, processes=args.processes)
    if args.out != "-":
        under = "" if summary.profile == "seed" else f" (profile {summary.profile})"
        print(f"{summary.rows} rows classified as {summary.system}{under}, {summary.errors} with an error -> {args.out}",
              file=sys.stderr)
    return 0
