"""Options and output helpers the command modules share: ``--extension``, and status lines on stderr
(results go to stdout, everything about the run — progress, what was cached, summaries — to stderr)."""
from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse


def status(message: str) -> None:
    """One status line on stderr, so stdout holds only the command's result."""
    print(f"spinekg: {message}", file=sys.stderr, flush=True)


def add_extension(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--extension", action="append", default=[], metavar="FILE",
                        help="an extension module (Turtle) to use on top of the ontology; repeatable. Checked, "
                             "reasoned with HermiT once (needs Java; cached in the user's cache directory)")


def prepare(args: argparse.Namespace) -> None:
    """Activate the command's extensions and make its profile answerable (each said on stderr when slow)."""
    from ..api import prepare_extensions, prepare_profile
    from ..errors import SpinekgError

    extensions = getattr(args, "extension", None) or []
    profile = getattr(args, "profile", None)
    if extensions and profile not in (None, "seed"):
        raise SpinekgError("--extension cannot be combined with --profile yet: the profile was reasoned without the "
                           "extension, so its answers for the new terms would not be HermiT's")
    prepare_extensions(extensions, status)
    if profile is not None:
        prepare_profile(profile, status)
