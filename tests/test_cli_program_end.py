"""A plain ``spinekg classify`` ends its process as soon as its answer is out (cli._program.end_program): the
output and the exit code are the same as a normal exit, and where anything could still need the interpreter's
own exit (an exit handler, a caller that redirected the output) Python exits as usual."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import spinekg

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def program(*args: str, before: str = "") -> subprocess.CompletedProcess:
    """``python -m spinekg.cli ARGS`` (as the console script runs it), after the code ``before``."""
    script = f"import runpy, sys\n{before}\nsys.argv = ['spinekg', *{list(args)!r}]\nrunpy.run_module('spinekg.cli', run_name='__main__', alter_sys=True)"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=ENV)


TORN_DOWN = "class Mark:\n    def __del__(self):\n        print('torn down')\nmark = Mark()"  # says so at a normal exit


def test_the_answer_and_exit_code_are_those_of_a_normal_exit():
    done = program("classify", "L4-L5 microdiscectomy", "--format", "json", before=TORN_DOWN)
    expected = json.dumps(spinekg.classify("L4-L5 microdiscectomy").to_dict(), ensure_ascii=False, indent=2) + "\n"
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")  # ended at once: no 'torn down'
    bad = program("classify", "L7-L8 fusion")
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "spinekg: error: 'L7-L8 fusion': L7 is not a vertebral level (valid L levels: L1-L5)\n"


def test_exit_handlers_still_run():
    done = program("classify", "0SG00A0", before=TORN_DOWN + "\nimport atexit\natexit.register(lambda: print('handler ran'))")
    assert done.returncode == 0 and done.stdout.startswith("0SG00A0\n")
    assert done.stdout.endswith("\nhandler ran\ntorn down\n")  # a normal exit


def test_classify_file_runs_the_exit_handlers_and_ends_without_the_teardown(tmp_path):
    """classify-file closes its output before it returns: the process then runs the exit handlers (pyarrow registers
    one) and ends without tearing the interpreter down (a tenth of a million-row run); the output, the summary and
    the exit codes are those of a normal exit, to a file and to stdout."""
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("code\n0SG00A0\nbad\n0DTJ4ZZ\n", encoding="utf-8")
    handler = TORN_DOWN + "\nimport atexit\natexit.register(lambda: print('handler ran'))"
    done = program("classify-file", str(source), "--column", "code", "--out", str(out), before=handler)
    assert (done.returncode, done.stdout) == (0, "handler ran\n")  # no 'torn down'
    assert done.stderr == f"3 rows classified as icd10pcs, 1 with an error -> {out}\n"
    assert out.read_text(encoding="utf-8").splitlines()[1:] == [
        "0SG00A0,yes,yes,lumbar,spinekg:LumbarInterbodyFusion,", "bad,,,,,'bad' is not an ICD-10-PCS code: expected 7 "
        "characters from 0-9 and A-Z without I and O", "0DTJ4ZZ,no,no,,spinekg:OperativeProcedure,"]
    to_stdout = program("classify-file", str(source), "--column", "code", "--out", "-", before=handler)
    assert to_stdout.returncode == 0 and to_stdout.stdout == out.read_text(encoding="utf-8") + "handler ran\n"
    missing = program("classify-file", str(source), "--column", "nope", "--out", str(tmp_path / "x.csv"), before=handler)
    assert (missing.returncode, missing.stdout) == (2, "handler ran\n")
    assert missing.stderr == f"spinekg: error: {source}: no column 'nope' (columns: code)\n"
