"""spinekg classify-file IN --column NAME --out OUT: classify a column of ICD codes in a CSV or Parquet file."""
from __future__ import annotations

import argparse
import sys

NAME = "classify-file"
HELP = "add spine/back surgery columns to a CSV or Parquet file of ICD-10-PCS (or ICD-10-CM) codes"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="IN", help="input .csv or .parquet file, or - for CSV on stdin")
    parser.add_argument("--column", required=True, help="name of the column that holds the codes")
    parser.add_argument("--out", required=True, help="output .csv or .parquet file, or - for CSV on stdout")
    parser.add_argument("--system", choices=["icd10pcs", "icd10cm"], default=None,
                        help="code system of the column (default: detected from the first rows)")
    parser.add_argument("--in-format", choices=["csv", "parquet"], default=None, help="override the input format")
    parser.add_argument("--out-format", choices=["csv", "parquet"], default=None, help="override the output format")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress line on stderr (default: only when stderr is a terminal)")


def run(args: argparse.Namespace) -> int:
    from ..bulk import classify_file

    summary = classify_file(args.source, args.out, args.column, system=args.system, in_format=args.in_format,
                            out_format=args.out_format, progress=args.progress)
    if args.out != "-":
        print(f"{summary.rows} rows classified as {summary.system}, {summary.errors} with an error -> {args.out}",
              file=sys.stderr)
    return 0
