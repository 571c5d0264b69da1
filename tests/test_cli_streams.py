"""Every command: results on stdout, status on stderr (so `spinekg CMD > result` holds only the result)."""
from __future__ import annotations

import shutil

import pytest

from conftest import REPO

CASES = str(REPO / "data" / "examples" / "cases.ttl")


def test_commands_that_write_files_print_nothing_on_stdout(cli, tmp_path):
    runs = [
        ("infer", CASES, "--out", str(tmp_path / "d.ttl")),
        ("load", "--store", str(tmp_path / "store")),
        ("classify-file", "-", "--column", "code", "--out", str(tmp_path / "o.csv")),
        ("crosswalk", "--system", "icd10pcs", "--out", str(tmp_path / "x.csv")),
        ("query", "--docs", str(tmp_path / "cq.md")),
        ("generate", "--check"),
    ]
    if shutil.which("dot"):
        runs.append(("draw", "anatomy", "--out", str(tmp_path / "a.svg")))
    for args in runs:
        code, out, err = cli(*args, stdin="code\n0SG00A0\n" if args[1] == "-" else None)
        assert code == 0, (args, err)
        assert out == "", args
        if args[0] != "generate":
            assert err.strip(), args  # and it says what it wrote, on stderr
    assert (tmp_path / "d.ttl").stat().st_size > 0 and (tmp_path / "cq.md").stat().st_size > 0


def test_commands_with_a_result_print_it_on_stdout_and_status_on_stderr(cli):
    code, out, err = cli("classify", "SI joint fusion")
    assert (code, err) == (0, "")
    assert out.splitlines()[2] == "  regions:       none (no site in the spine)"
    assert cli("classify", "laminectomy")[1].splitlines()[2] == "  regions:       (not fixed: give a level)"
    code, out, err = cli("query", "36", "--format", "csv")
    assert code == 0 and out.startswith(out.splitlines()[0] + "\n") and "spinekg:" not in out
    assert err == ("spinekg: no --data given: this case question runs over the shipped example cases "
                   "(data/examples/cases.ttl); give --data FILE for your own records\n")
    code, out, err = cli("query", "36", "--format", "csv", "--data", CASES)
    assert (code, err) == (0, "")
    for args in (("validate", CASES), ("profiles",), ("query", "--list"),
                 ("check", str(REPO / "tests" / "extensions" / "good-extension.ttl"), "--no-reason")):
        code, out, err = cli(*args)
        assert (code, err) == (0, ""), args
        assert out.strip(), args


@pytest.mark.skipif(shutil.which("dot") is not None, reason="graphviz is installed: nothing falls back")
def test_draw_says_when_it_falls_back_to_matplotlib(cli, tmp_path):
    code, out, err = cli("draw", "anatomy", "--root", "LumbarSpine", "--out", str(tmp_path / "a.png"))
    assert code == 0 and out == ""
    assert err.startswith("spinekg: graphviz 'dot' is not on PATH, so this was drawn with matplotlib")
