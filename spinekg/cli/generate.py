"""spinekg generate: regenerate the templated ontology modules (or check they are up to date)."""
from __future__ import annotations

import argparse

from ._options import status
import sys

NAME = "generate"
HELP = "regenerate ontology/modules/*.ttl from ontology/templates/*.tsv"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only report modules that are out of date (exit 1)")


def run(args: argparse.Namespace) -> int:
    from ..paths import ontology_dir
    from ..build.templates import generate

    stale = generate(ontology_dir(), check=args.check)
    if args.check:
        for module in stale:
            print(f"out of date: ontology/modules/{module}.ttl", file=sys.stderr)
        return 1 if stale else 0
    status(f"regenerated {len(stale)} module(s){': ' + ', '.join(stale) if stale else ''}")
    return 0
