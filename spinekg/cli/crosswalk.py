"""spinekg crosswalk --system all|icd10pcs|icd9cm|icd10cm --out FILE: every code with its verdict, for warehouse joins."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "crosswalk"
HELP = "write every ICD-10-PCS, ICD-9-CM and ICD-10-CM code with its verdict columns (CSV or Parquet) for plain joins"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--system", choices=["all", "icd10pcs", "icd9cm", "icd10cm"],
                        help="code system to export; 'all': every system in one table keyed by the code without its dot")
    parser.add_argument("--out", type=Path, help="output file: .csv or .parquet")
    parser.add_argument("--codes", type=Path, default=None,
                        help="icd10pcs/all: also include these ICD-10-PCS codes (text file, one a line)")
    parser.add_argument("--profile", default="seed", metavar="NAME|FILE",
                        help="icd10pcs only: definition of back surgery, a built-in profile (see 'spinekg profiles') "
                             "or a profile .ttl file; named in the 'profile' column")
    parser.add_argument("--needle-procedures", action="store_true",
                        help="count needle procedures (percutaneous destruction, drainage, release, ...) as operations, "
                             "as CMS groups some of them; composes with --profile")
    parser.add_argument("--module", action="store_true",
                        help="instead, regenerate ontology/modules/icd-mappings.ttl from ontology/mappings/*.sssom.tsv "
                             "and the bulk code table spinekg/data/code-table.json")


def run(args: argparse.Namespace) -> int:
    from ..errors import SpinekgError

    if args.module:
        from ..codes.code_table import write_code_table
        from ..codes.crosswalk import mapping_module_text, module_path
        from ..files import write_atomically

        write_atomically(module_path(), mapping_module_text())
        print(f"wrote {module_path()}", file=sys.stderr)
        print(f"wrote {write_code_table()}", file=sys.stderr)
        return 0
    if not args.system or not args.out:
        raise SpinekgError("crosswalk needs --system and --out (or --module)")
    from ..api import prepare_profile
    from ..codes.crosswalk import read_code_list, write_crosswalk

    from ..files import refuse_overwriting_input

    refuse_overwriting_input(args.out, [p for p in (args.codes, args.profile) if p])
    prepare_profile(args.profile)
    extra = read_code_list(args.codes) if args.codes else None
    count = write_crosswalk(args.system, args.out, extra, profile=args.profile, needle=args.needle_procedures)
    print(f"{count} {args.system} codes -> {args.out}", file=sys.stderr)
    return 0
