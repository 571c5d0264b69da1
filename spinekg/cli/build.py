"""spinekg build: reason with HermiT and write the runtime index (needs Java)."""
from __future__ import annotations

import argparse

NAME = "build"
HELP = "regenerate modules, classify with HermiT, write the runtime index and the release set (needs Java)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-generate", action="store_true", help="do not regenerate templated modules first")
    parser.add_argument("--out", metavar="DIR", default=None,
                        help="directory for the release set (default: the package's data/release/)")
    parser.add_argument("--profile", metavar="NAME|FILE", default=None,
                        help="only reason this profile against the current build and write its index "
                             "(a built-in name: package data; a FILE.ttl: FILE.index.json beside it)")
    parser.add_argument("--lexicon", action="store_true",
                        help="only recompile the text reader's lexicon from the runtime index and ontology/ (no Java)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..build.pipeline import build
    from ..paths import RUNTIME_INDEX
    from ..build.release import RELEASE_DIR

    if args.lexicon:
        from ..build.lexicon import write_lexicon

        print(f"text reader lexicon: wrote {write_lexicon()}")
        return 0
    if args.profile:
        from ..build.profile_overlays import write_profile_index

        print(f"profile {args.profile}: reasoned and verified with HermiT; wrote {write_profile_index(args.profile)}")
        return 0
    out = Path(args.out) if args.out else RELEASE_DIR
    reasoned = build(regenerate=not args.no_generate, release_dir=out)
    classes = len(reasoned.classification.ancestors)
    print(f"HermiT: consistent, {classes} named classes, 0 unsatisfiable; wrote {RUNTIME_INDEX}")
    print(f"release set written to {out}")
    from ..answer.profiles import PROFILE_INDEX_DIR
    from ..build.profile_overlays import write_builtin_overlays

    written = write_builtin_overlays()
    print(f"profiles {', '.join(p.stem for p in written)}: reasoned and verified with HermiT; wrote {PROFILE_INDEX_DIR}")
    from ..codes.code_table import write_code_table

    print(f"ICD code table for every profile: wrote {write_code_table()}")
    from ..build.lexicon import write_lexicon

    print(f"text reader lexicon: wrote {write_lexicon()}")
    return 0
