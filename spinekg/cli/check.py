"""spinekg check EXT.ttl: ROBOT-style report on a researcher's extension, and what it changes."""
from __future__ import annotations

import argparse
import json

NAME = "check"
HELP = "check an extension module (ERROR/WARN/INFO report, HermiT) and show how it changes the classification"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("extension", help="the extension module (Turtle), e.g. based on ontology/extensions/TEMPLATE.ttl")
    parser.add_argument("--format", choices=["text", "tsv", "json"], default="text",
                        help="text (default), tsv (ROBOT report columns) or json")
    parser.add_argument("--no-reason", action="store_true", help="skip HermiT (lexical and structural rules only)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..build.check import check_extension, render_text, render_tsv, to_dict

    report = check_extension(Path(args.extension), reason=not args.no_reason)
    if args.format == "json":
        print(json.dumps(to_dict(report), ensure_ascii=False, indent=2))
    elif args.format == "tsv":
        print(render_tsv(report))
    else:
        print(render_text(report))
    return report.exit_code
