"""The answer path (classify of text, a code, the CLI) never imports a heavy library: a fresh interpreter
answers, then reports which of the forbidden modules it loaded."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FORBIDDEN = ("rdflib", "owlready2", "networkx", "pyshacl", "pyarrow", "pandas")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("query", ["L4-5 TLIF with pedicle screws", "total knee arthroplasty",
                                   "Excision of Cervical Vertebral Disc, Open Approach", "0SG00A0", "M48.062"])
def test_answer_path_imports_no_heavy_library(query):
    out = cold_answer(query, f"m.split('.')[0] in {FORBIDDEN!r}")
    assert out.split()[0] == "0" and out.strip().endswith("[]"), out


def cold_answer(query: str, which: str) -> str:
    """'exit-code [modules]' of a fresh process answering ``query`` on the command line, listing the loaded
    modules ``m`` for which the expression ``which`` holds."""
    script = ("import sys\nfrom spinekg.cli.main import main\n"
              f"sys.argv = ['spinekg', 'classify', {query!r}, '--format', 'json']\n"
              "import io\nsys.stdout, real = io.StringIO(), sys.stdout\ncode = main()\nsys.stdout = real\n"  # (contextlib loads functools)
              f"print(code, sorted(m for m in sys.modules if {which}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True).stdout


SLOW_STDLIB = ("argparse", "typing", "dataclasses", "inspect", "ast")  # each costs a cold answer milliseconds


@pytest.mark.parametrize("query, allowed", [("L4-5 TLIF with pedicle screws", []), ("L4-L5 microdiscectomy", []),
                                            ("total knee arthroplasty", []), ("0SG00A0", []),
                                            ("M48.062", ["json", "pathlib"])])
def test_a_plain_cold_answer_skips_slow_standard_modules(query, allowed):
    """Text, exact terms and a section-0 procedure code answer without pathlib (paths.*_PATH strings, the code
    tables' sources by string paths) and write their JSON without the json package (answer.json_text); a diagnosis
    code still checks its profile through pathlib and json. No path imports argparse (main.plain_args), typing
    or dataclasses (answer.records)."""
    out = cold_answer(query, f"m in {SLOW_STDLIB + ('pathlib', 'json')!r}")
    assert out.split(" ", 1) == ["0", f"{sorted(allowed)!r}\n"], out


@pytest.mark.parametrize("query", ["L4-5 TLIF with pedicle screws", "total knee arthroplasty",
                                   "Excision of Cervical Vertebral Disc, Open Approach", "0SG00A0"])
def test_a_plain_cold_answer_never_imports_re_or_functools(query):
    """Text and section-0 codes match with patterns built from the programs kept in the cache (answer.regex):
    once the cache holds them (after the first answer), no process imports re, nor the enum it loads; memos are
    memo.remember, not functools.lru_cache (functools loads collections, operator, reprlib); ASCII text never
    loads unicodedata."""
    cold_answer(query, "False")  # the first answer keeps any program the cache lacks
    out = cold_answer(query, "m.split('.')[0] in ('re', 'enum', 'functools', 'collections', 'operator', 'unicodedata')")
    assert out == "0 []\n", out
