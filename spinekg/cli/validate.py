"""spinekg validate DATA: check case records (or an ontology extension) with SHACL; pySHACL's exit codes."""
from __future__ import annotations

import argparse
from pathlib import Path

from ._options import add_extension, prepare

NAME = "validate"
HELP = ("validate case records or an ontology extension with the SHACL shapes "
        "(exit 0 conforms, 1 violations, 2 error)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="*", type=Path, help="RDF files (Turtle, N-Triples, RDF/XML, JSON-LD)")
    parser.add_argument("--shapes", action="append", type=Path, metavar="FILE",
                        help="SHACL shapes to use instead of the shipped case-record shapes (repeatable)")
    parser.add_argument("--ontology", action="store_true",
                        help="validate the shipped ontology itself (DATA, if given, is an extension to it)")
    parser.add_argument("--format", choices=["text", "json", "ttl"], default="text")
    parser.add_argument("--engine", choices=["auto", "pyshacl", "turbo", "rust"], default="auto",
                        help="SHACL engine for case records: the Rust shacl when installed (auto), "
                             "else pyshacl-turbo; or pySHACL (the reference)")
    add_extension(parser)
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes for large case-record files (default: one per CPU, at most 8)")


def run(args: argparse.Namespace) -> int:
    from ..errors import SpinekgError
    from ..shacl.validate import read_case_data, read_data, validate, validate_ontology

    if not args.data and not args.ontology:
        raise SpinekgError("name a data file to validate (or --ontology for the ontology itself)")
    if args.jobs is not None and not 1 <= args.jobs <= 64:
        raise SpinekgError(f"--jobs must be between 1 and 64 (got {args.jobs})")
    prepare(args)
    if args.ontology:
        report = validate_ontology(extension=args.data)
    elif args.shapes is not None:
        report = validate(read_data(args.data), shapes=args.shapes, engine=args.engine)
    else:
        data = read_case_data(args.data, args.engine)  # case-record files of any size, read fast
        if data.is_extension():
            report = validate_ontology(extension=args.data)
        else:
            report = validate(data, engine=args.engine, jobs=args.jobs)
    if args.format == "json":
        print(report.to_json())
    elif args.format == "ttl":
        print(report.to_turtle(), end="")
    else:
        print(report.to_text())
    return report.exit_code
