"""The ``spinekg`` command: parse arguments, call the Python API, print. Nothing else lives here.

Exit codes: 0 success; 1 findings (violations, ERROR-level checks, inconsistent ontology);
2 bad input (unknown or ambiguous term, malformed file or level); 3 environment (Java or an optional
package missing); 4 internal error. Errors are one line on stderr, never a traceback.
"""
from __future__ import annotations

import sys

from ..errors import SpinekgError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace

# Every other module in spinekg.cli defines NAME, HELP, add_arguments(parser) and run(args) -> int; the
# modules are found by name, so adding a command never touches this file. Heavy imports stay in run().
EXIT_INTERNAL = 4
# Commands whose plain calls skip argparse (its import and parser building are a third of a cold answer's
# own time): each also declares POSITIONAL, CHOICES (option -> allowed values or None), FLAGS, DEFAULTS.
PLAIN = ("classify",)


def command_modules() -> list[str]:
    """The command modules beside this one (a directory listing: pkgutil would import inspect, and with it
    ast and dis, into every cold command)."""
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    return sorted(name[:-3] for name in os.listdir(here)
                  if name.endswith(".py") and not name.startswith("_") and name != "main.py")


def chosen_command(argv: list[str], names: list[str]) -> str | None:
    """The command module ``argv`` names (its first word that is not an option), if it is one of ``names``."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--limit":
            skip = True
        elif not word.startswith("-"):
            module = word.replace("-", "_")
            return module if module in names else None
    return None


def plain_args(argv: list[str]) -> SimpleNamespace | None:
    """What argparse would make of a plain call of a PLAIN command (the command, one positional, options
    as '--name value' with an allowed value, flags), without argparse; None for anything else (help,
    '--name=value', abbreviations, global options, errors, extensions), which argparse then parses."""
    if not argv or argv[0] not in PLAIN:
        return None
    SimpleNamespace = type(sys.implementation)  # types.SimpleNamespace is this type: no import of types
    module = __import__(f"spinekg.cli.{argv[0]}", fromlist=["run"])  # importlib would bring warnings along
    values = {"limit": [], "command": module.NAME, **{k: list(v) if isinstance(v, list) else v for k, v in module.DEFAULTS.items()}}
    positional: str | None = None
    words = iter(argv[1:])
    for word in words:
        if word in module.FLAGS:
            values[word[2:].replace("-", "_")] = True
        elif word in module.CHOICES:
            value, allowed = next(words, None), module.CHOICES[word]
            if value is None or value.startswith("-") or (allowed is not None and value not in allowed):
                return None
            values[word[2:].replace("-", "_")] = value
        elif word.startswith("-") or positional is not None:
            return None
        else:
            positional = word
    if positional is None:
        return None
    return SimpleNamespace(**values, **{module.POSITIONAL: positional}, run=module.run)


def make_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given ``argv`` that names a command, only that command's part (a cold
    ``spinekg classify`` then never imports or builds the other fourteen)."""
    import argparse
    import importlib

    from ..version import __version__

    parser = argparse.ArgumentParser(prog="spinekg", description="Is it back surgery or spine surgery? "
                                     "An OWL knowledge graph of the human spine.")
    parser.add_argument("--version", action="version", version=f"spinekg {__version__}")
    parser.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                        help="raise or lower an input limit for this run (README, 'Security'; repeatable), "
                             "e.g. --limit triples=20000000")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = command_modules()
    chosen = chosen_command(argv, names) if argv is not None else None
    for module_name in [chosen] if chosen else names:
        module = importlib.import_module(f"spinekg.cli.{module_name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
        if getattr(module, "ENDS_PROGRAM", False):  # (cli/_program.end_program)
            command.set_defaults(ends_program=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = plain_args(words)
    if args is None:
        parser = make_parser(words)
        args = parser.parse_args(words)
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return 2
        if not getattr(args, "ends_program", False):
            return run(args)
    from ..collector import collector_paused

    with collector_paused():  # a plain question's objects live until it ends: collecting cycles meanwhile is wasted time
        code = run(args)
        if argv is None:  # the program's own arguments: end the process here (_program: unless it is not the program
            # alone), still paused (a collection of what the command made, as its end allocates, took 40 ms of a bulk run);
            # a command that ends the program (its files closed when it returns) runs the exit handlers itself
            program = __import__("spinekg.cli._program", fromlist=["end_program"])
            program.end_program(code, run_handlers=getattr(args, "ends_program", False))
    return code


def run(args: argparse.Namespace | SimpleNamespace) -> int:
    """Run the parsed command; errors become one line on stderr and their exit code."""
    try:
        if args.limit or "spinekg.rdf.limits" in sys.modules:  # no --limit and none set before: nothing to clear
            from ..rdf import limits

            limits.configure(args.limit)
        return int(args.run(args) or 0)
    except SpinekgError as exc:
        print(f"spinekg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("spinekg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: one line, never a traceback
        print(f"spinekg: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
