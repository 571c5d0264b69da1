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
