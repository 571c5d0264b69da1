"""spinekg build: reason with HermiT and write the runtime index (needs Java)."""
from __future__ import annotations

import argparse

NAME = "build"
HELP = "regenerate modules, classify with HermiT and write the runtime index (needs Java)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-generate", action="store_true", help="do not regenerate templated modules first")


def run(args: argparse.Namespace) -> int:
    from ..build import build
    from ..paths import RUNTIME_INDEX

    reasoned = build(regenerate=not args.no_generate)
    classes = len(reasoned.classification.ancestors)
    print(f"HermiT: consistent, {classes} named classes, 0 unsatisfiable; wrote {RUNTIME_INDEX}")
    return 0
