"""spinekg infer DATA --out FILE: write the triples the SHACL-AF rules derive (verdicts and regions)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ._options import add_extension, prepare, status

NAME = "infer"
HELP = ("derive spinekg:spineSurgeryVerdict, spinekg:backSurgeryVerdict, spinekg:inRegion and "
        "spinekg:expectedRecovery for case records "
        "with the SHACL-AF rules, into a new file")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="+", type=Path, help="RDF files with case records")
    parser.add_argument("--out", required=True, type=Path, help="output file (.ttl or .nt); never one of DATA")
    parser.add_argument("--engine", choices=["auto", "pyshacl", "turbo"], default="auto",
                        help="SHACL engine: pyshacl-turbo when installed (auto), or pySHACL")
    add_extension(parser)


def run(args: argparse.Namespace) -> int:
    from ..errors import SpinekgError
    from ..rdf.serialize import ntriples_text, turtle_text
    from ..shacl.validate import infer
    from ..files import write_atomically

    from ..files import refuse_overwriting_input

    out = args.out
    for path in args.data:
        if path.resolve() == out.resolve():
            raise SpinekgError(f"--out {out} is the input file; spinekg infer never writes in place")
    refuse_overwriting_input(out, args.data)  # also through a link or another path
    if out.exists() and out.is_dir():
        raise SpinekgError(f"--out {out} is a directory")
    if not out.parent.exists():
        raise SpinekgError(f"--out {out}: directory {out.parent} does not exist")
    prepare(args)
    derived = infer(args.data, engine=args.engine)
    text = ntriples_text(derived) if out.suffix.lower() == ".nt" else turtle_text(derived)
    write_atomically(out, text)
    cases = len(set(derived.subjects()))
    status(f"wrote {len(derived)} derived triples for {cases} case records to {out}")
    return 0
