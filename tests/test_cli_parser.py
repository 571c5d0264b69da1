"""The command line builds only the part of the parser a call needs (a cold 'spinekg classify' imports
one command module, not fifteen), and nothing a user sees changes: help lists every command, an unknown
command is named among the choices, global options may come first."""
from __future__ import annotations

from spinekg.cli.main import chosen_command, command_modules, make_parser


def subcommands(parser) -> list[str]:  # type: ignore[no-untyped-def]
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_a_named_command_gets_only_its_own_parser():
    assert subcommands(make_parser(["classify", "L4-L5 microdiscectomy"])) == ["classify"]
    assert subcommands(make_parser(["--limit", "triples=10", "classify-file", "x.csv"])) == ["classify-file"]
    assert chosen_command(["--limit=triples=10", "query", "36"], command_modules()) == "query"


def test_help_and_unknown_commands_get_every_command(cli):
    everything = subcommands(make_parser())
    assert len(everything) == len(command_modules()) == 15
    assert subcommands(make_parser(["--help"])) == everything
    assert subcommands(make_parser(["bogus"])) == everything
    code, out, _ = cli("--help")
    assert code == 0 and all(name in out for name in everything)
    code, out, err = cli("bogus")
    assert (code, out) == (2, "") and "invalid choice: 'bogus'" in err and "'classify-file'" in err
