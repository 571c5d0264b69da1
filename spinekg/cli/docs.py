"""spinekg docs --out DIR: HTML documentation (pyLODE) with competency questions and profiles."""
from __future__ import annotations

import argparse

from ._options import status

NAME = "docs"
HELP = "generate HTML documentation of the ontology (pyLODE), the competency questions and the profiles"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="DIR", required=True, help="directory to write the site into")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..views.docs import generate_docs

    for path in generate_docs(Path(args.out)):
        status(f"wrote {path}")
    return 0
