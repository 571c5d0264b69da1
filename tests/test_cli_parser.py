"""The command line builds only the part of the parser a call needs (a cold 'spinekg classify' imports
one command module, not fifteen), and nothing a user sees changes: help lists every command, an unknown
command is named among the choices, global options may come first."""
from __future__ import annotations

from spinekg.cli.main import chosen_command, command_modules, make_parser, plain_args


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


PLAIN_CALLS = [
    ["classify", "L4-L5 microdiscectomy"],
    ["classify", "0SG00A0", "--format", "json"],
    ["classify", "--format", "text", "M48.062", "--system", "icd10cm"],
    ["classify", "0SG00A0", "--needle-procedures", "--profile", "broad", "--format", "json", "--format", "text"],
    ["classify", "", "--profile", ""],
]
OTHER_CALLS = [  # argparse's own business: help, errors, '=' forms, abbreviations, globals, extensions, two queries
    ["classify"], ["classify", "--help"], ["classify", "x", "--format", "xml"], ["classify", "x", "--format"],
    ["classify", "x", "--format=json"], ["classify", "x", "--form", "json"], ["classify", "x", "y"],
    ["classify", "-1"], ["classify", "x", "--profile", "-p"], ["classify", "x", "--extension", "e.ttl"],
    ["--limit", "triples=10", "classify", "x"], ["classify", "x", "--", "y"], ["query", "36"], [],
]


def test_plain_classify_calls_skip_argparse_with_the_same_arguments():
    for argv in PLAIN_CALLS:
        fast = vars(plain_args(argv))
        slow = vars(make_parser(argv).parse_args(argv))
        assert fast == slow, argv
    assert all(plain_args(argv) is None for argv in OTHER_CALLS)


def test_plain_calls_answer_byte_for_byte_as_through_argparse(capsys, monkeypatch):
    import sys

    cli_main = sys.modules["spinekg.cli.main"]

    calls = [["classify", "C5-C6 ACDF", "--format", "json"], ["classify", "appendectomy"], ["classify", "xyzzy"],
             ["classify", "0SG00A0", "--needle-procedures"], ["classify", "x", "--profile", "no-such-profile"]]
    fast = []
    for argv in calls:
        fast.append((cli_main.main(argv), *capsys.readouterr()))
    monkeypatch.setattr(cli_main, "plain_args", lambda argv: None)
    for argv, expected in zip(calls, fast):
        assert (cli_main.main(argv), *capsys.readouterr()) == expected, argv
    assert [code for code, _, _ in fast] == [0, 0, 2, 0, 2]
    import gc

    assert gc.isenabled()  # a plain call pauses the cyclic GC only while it runs


def test_a_plain_cold_classify_never_imports_argparse():
    import subprocess
    import sys

    script = "import sys\nfrom spinekg.cli.main import main\nmain()\nprint(sorted({'argparse', 'typing'} & set(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", script, "classify", "L4-5 TLIF", "--format", "json"],
                         capture_output=True, text=True, check=True)
    assert run.stdout.splitlines()[-1] == "[]"
