"""spinekg build: reason a source tree with HermiT and write the runtime index (needs Java)."""
from __future__ import annotations

import argparse
import sys

from ._options import add_extension, status

NAME = "build"
HELP = ("build a source tree: regenerate modules, classify with HermiT, write the runtime index, profiles, code "
        "table and release set (needs Java)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", metavar="DIR", default=None,
                        help="source tree to build (a spinekg checkout; default: the checkout the current directory "
                             "is in, else the one this package runs from)")
    parser.add_argument("--out", metavar="DIR", default=None,
                        help="where the generated data goes: runtime-index.json, profiles/, code-table.json, release/ "
                             "(default: ./build; the checkout's spinekg/data when the package runs from that checkout). "
                             "Never the installed package")
    parser.add_argument("--no-generate", action="store_true", help="do not regenerate templated modules first")
    parser.add_argument("--profile", metavar="NAME|FILE", default=None,
                        help="only reason this profile against the current build and write its index "
                             "(a built-in name: OUT/profiles/; a FILE.ttl: FILE.index.json beside it)")
    parser.add_argument("--lexicon", action="store_true",
                        help="only recompile the text reader's lexicon from the runtime index and ontology/ (no Java)")
    add_extension(parser)


def run(args: argparse.Namespace) -> int:
    import subprocess

    from ..build.plan import child_command, plan

    chosen = plan(args.source, args.out, args.extension)
    if not chosen.in_this_process:
        argv = ["build", "--source", str(chosen.source), "--out", str(chosen.out)]
        argv += ["--no-generate"] * args.no_generate + ["--lexicon"] * args.lexicon
        argv += ["--profile", args.profile] if args.profile else []
        command, env = child_command(argv, chosen, args.extension)
        status(f"building {chosen.source} into {chosen.out}")
        return subprocess.run(command, env=env).returncode
    if args.extension:
        from ..build.extension_overlays import refuse_failing
        from pathlib import Path

        refuse_failing([Path(e) for e in args.extension])
    return _build(args, chosen.out)


def _build(args: argparse.Namespace, out) -> int:  # type: ignore[no-untyped-def]
    from ..build.pipeline import build, step
    from ..paths import RUNTIME_INDEX

    if args.lexicon:
        from ..build.lexicon import write_lexicon

        status(f"text reader lexicon: wrote {write_lexicon()}")
        return 0
    if args.profile:
        from ..build.profile_overlays import write_profile_index

        with step(f"reason profile {args.profile} with HermiT", status):
            written = write_profile_index(args.profile)
        status(f"profile {args.profile}: reasoned and verified with HermiT; wrote {written}")
        return 0
    reasoned = build(regenerate=not args.no_generate, release_dir=out / "release", notify=status)
    classes = len(reasoned.classification.ancestors)
    status(f"HermiT: consistent, {classes} named classes, 0 unsatisfiable; wrote {RUNTIME_INDEX}")
    status(f"release set written to {out / 'release'}")
    from ..answer.profiles import PROFILE_INDEX_DIR
    from ..build.profile_overlays import write_builtin_overlays

    with step("reason and verify every built-in profile with HermiT", status):
        written = write_builtin_overlays()
    status(f"profiles {', '.join(p.stem for p in written)}: reasoned and verified with HermiT; wrote {PROFILE_INDEX_DIR}")
    from ..codes.code_table import write_code_table

    with step("ICD code table for every profile", status):
        table = write_code_table()
    status(f"ICD code table for every profile: wrote {table}")
    from ..build.lexicon import write_lexicon

    with step("text reader lexicon", status):
        lexicon = write_lexicon()
    status(f"text reader lexicon: wrote {lexicon}")
    if sys.stderr:
        status(f"done: {out}")
    return 0
