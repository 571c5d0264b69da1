"""spinekg profiles: the institutional definitions of back surgery that --profile can select."""
from __future__ import annotations

import argparse
import json
import textwrap

NAME = "profiles"
HELP = "list the institutional profiles (alternative definitions of back surgery) with their rationale"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from ..answer.profiles import DEFAULT_PROFILE, profile_summaries

    summaries = profile_summaries()
    if args.format == "json":
        print(json.dumps(summaries, ensure_ascii=False, indent=2))
        return 0
    for item in summaries:
        default = " (default)" if item["name"] == DEFAULT_PROFILE else ""
        print(f"{item['name']}{default} — sites combine: {item['rule']}")
        for label, text in (("what", item["description"]), ("why", item["rationale"])):
            print(textwrap.fill(text, width=100, initial_indent=f"  {label + ':':<6}", subsequent_indent=" " * 8))
        print()
    print("Use one with --profile NAME (or --profile FILE.ttl for your own; see ontology/profiles/seed.ttl).")
    return 0
