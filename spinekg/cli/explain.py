"""spinekg explain TERM: why a term is (or is not) back / spine surgery, as the reasoner's justification."""
from __future__ import annotations

import argparse
import json

NAME = "explain"
HELP = "show the axioms that make a procedure (not) back / spine surgery (Pellet justification; needs Java)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="a procedure term or phrase, e.g. 'LumbarMicrodiscectomy' or 'T12-L1 fusion'")
    parser.add_argument("--profile", default="seed", metavar="NAME|FILE",
                        help="definition of back surgery: a built-in profile (see 'spinekg profiles') or a profile .ttl file")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from ..build.explain import explain, render_text

    explanation, labels = explain(args.query, profile=args.profile)
    if args.format == "json":
        print(json.dumps(explanation.to_dict(labels), ensure_ascii=False, indent=2))
    else:
        print(render_text(explanation, labels))
    return 0
