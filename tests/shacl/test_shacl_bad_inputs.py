"""The bad-input corpus (tests/bad_inputs/cases.yaml): every file gives its documented exit code and message,
one line on stderr for errors, and never a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
CASES = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))


def test_corpus_is_large_and_complete():
    assert len(CASES) >= 250
    assert {case["command"] for case in CASES} >= set(COMMANDS)
    listed = {case["file"] for case in CASES}
    on_disk = {path.name for path in CORPUS.iterdir() if path.name not in ("cases.yaml", "make_corpus.py")}
    assert listed == on_disk


COMMANDS = {  # every command that reads a file the user hands it
    "validate": lambda path, tmp: ["validate", path],
    "infer": lambda path, tmp: ["infer", path, "--out", str(tmp / "out.ttl")],
    "query-data": lambda path, tmp: ["query", "36", "--data", path],
    "query-file": lambda path, tmp: ["query", path],
    "query-file-rdflib": lambda path, tmp: ["query", path, "--engine", "rdflib"],
    "load": lambda path, tmp: ["load", "--store", str(tmp / "out.ttl"), path],
    "profile": lambda path, tmp: ["classify", "acdf c5-c6", "--profile", path],
    "check": lambda path, tmp: ["check", "--no-reason", path],
    "classify-file": lambda path, tmp: ["classify-file", path, "--column", "code", "--out", str(tmp / "out.csv")],
    "crosswalk-codes": lambda path, tmp: ["crosswalk", "--system", "icd10pcs", "--codes", path, "--out", str(tmp / "out.csv")],
}


def _run(case: dict, tmp_path: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    from spinekg.cli.main import main

    path = str(CORPUS / case["file"])
    monkeypatch.setenv("SPINEKG_LIMITS", ",".join(f"{k}={v}" for k, v in (case.get("limits") or {}).items()))
    code = main(COMMANDS[case["command"]](path, tmp_path))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_bad_input(case, tmp_path, capsys, monkeypatch):
    code, out, err = _run(case, tmp_path, capsys, monkeypatch)
    assert "Traceback" not in err and "Traceback" not in out
    assert code == case["exit"], (out, err)
    if code == 2:
        assert err.startswith("spinekg: error: ") and err.count("\n") == 1, err
        assert case["file"] in err  # the error names the file
        assert case["message"] in err
        assert not (tmp_path / "out.ttl").exists()  # never half-written output
    else:
        assert case["message"] in out, out
        assert err == ""


@pytest.mark.parametrize("name", ["utf16.ttl", "syntax-missing-dot.ttl", "level-wrong-order.ttl"])
def test_bad_input_in_a_fresh_process_has_no_traceback(cli, name):
    case = next(c for c in CASES if c["file"] == name)
    code, out, err = cli("validate", str(CORPUS / name))
    assert "Traceback" not in err
    assert code == case["exit"]
    assert case["message"] in (err if code == 2 else out)
