"""Cold-process `spinekg classify` versus answering the same question with owlready2 + HermiT.

Usage: python benchmarks/bench_classify.py [--runs 5] [--cold-only] [--launcher script|module]
Prints a table: question, median wall time of each (>= 3 runs, fresh process each), and the ratio.
Target (issue 2): spinekg classify median <= 0.2 s.
Cold answer (issues 13, 17): `spinekg classify TEXT` in a new process against `python -c pass`, run
alternately in the same loop; targets median <= 0.1 s and <= 2.5x the interpreter floor.
What runs is what a user runs: the installed `spinekg` console script (pip's entry point beside this
interpreter, which imports spinekg.cli.main and calls main()), or that script's two lines where none is
installed; `--launcher module` measures `python -m spinekg.cli` instead (runpy and importlib.util on top).
Run with PYTHONDONTWRITEBYTECODE unset: otherwise every edited module is compiled again in every process.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS = [
    ("L4-L5 microdiscectomy", "Microdiscectomy", "DiscL4L5"),
    ("C5-C6 ACDF", "AnteriorCervicalDiscectomyAndFusion", "DiscC5C6"),
    ("T12-L1 fusion", "SpinalFusion", "MotionSegmentT12L1"),
]

HERMIT_SCRIPT = r"""
import sys, owlready2
path, procedure, site = sys.argv[1:4]
world = owlready2.World()
onto = world.get_ontology("file://" + path).load()
ns = onto.get_namespace("https://w3id.org/spinekg/")
with onto:
    class Question(ns[procedure]):
        pass
    W = ns[site] | world["http://purl.obolibrary.org/obo/BFO_0000050"].some(ns[site])
    Question.is_a.append(ns.hasSite.some(W))
    Question.is_a.append(ns.hasSite.only(W))
    owlready2.sync_reasoner_hermit(world, debug=0)
anc = set(Question.ancestors())
tri = lambda y, n: "yes" if ns[y] in anc else "no" if ns[n] in anc else "depends"
print(tri("SpineSurgery", "NotSpineSurgery"), tri("BackSurgery", "NotBackSurgery"))
"""


def timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, out


COLD = ["L4-L5 microdiscectomy", "L4-5 TLIF with pedicle screw instrumentation", "total knee arthroplasty",
        "Excision of Cervical Vertebral Disc, Open Approach", "0SG00A0"]


def cpu_timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and the child's CPU time (user + system): on a shared machine CPU time is the steadier figure."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = timed(cmd)[0]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


ENTRY_POINT = "import sys\nfrom spinekg.cli.main import main\nsys.exit(main())"  # what pip's console script runs


def spinekg_command(launcher: str) -> list[str]:
    """The command a user types, as argv: the console script beside the interpreter (run by it, as its shebang
    line would), else the entry point's code; ``module``: ``python -m spinekg.cli``."""
    if launcher == "module":
        return [sys.executable, "-m", "spinekg.cli"]
    script = Path(sys.executable).parent / "spinekg"
    if script.is_file() and "spinekg.cli.main" in script.read_text(encoding="utf-8", errors="replace"):
        return [sys.executable, str(script)]
    return [sys.executable, "-c", ENTRY_POINT]


def cold(runs: int, launcher: str = "script") -> None:
    """Whole-process medians, spinekg and the bare interpreter alternately (same machine load)."""
    import os
    import resource

    command = spinekg_command(launcher)
    probe = "import sys\nif len(sys.argv) > 1: del sys.path[0]\nimport spinekg\nprint(spinekg.__file__)"  # a script: no cwd on sys.path
    package = subprocess.run([sys.executable, "-c", probe, *(["script"] if launcher == "script" else [])],
                             capture_output=True, text=True, check=True).stdout.strip()  # the spinekg the command imports
    print(f"spinekg command: {' '.join(command)} (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', 'unset')}; "
          f"spinekg from {os.path.dirname(package)})")
    print(f"{'cold question':<52} {'spinekg (s)':>11} {'python -c pass (s)':>18} {'ratio':>6} "
          f"{'spinekg CPU (s)':>15} {'python CPU (s)':>14} {'CPU ratio':>9}")
    for text in COLD:
        ours, floor = [], []
        for _ in range(runs):
            ours.append(cpu_timed([*command, "classify", text, "--format", "json"]))
            floor.append(cpu_timed([sys.executable, "-c", "pass"]))
        a, b = statistics.median(w for w, _ in ours), statistics.median(w for w, _ in floor)
        ca, cb = statistics.median(c for _, c in ours), statistics.median(c for _, c in floor)
        print(f"{text:<52} {a:>11.3f} {b:>18.3f} {a / b:>5.2f}x {ca:>15.3f} {cb:>14.3f} {ca / cb:>8.2f}x")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"(median of {runs} fresh processes each, alternating; peak RSS of any child {peak:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-only", action="store_true", help="only the cold answer against python -c pass")
    parser.add_argument("--launcher", choices=["script", "module"], default="script",
                        help="the console script (default, what users run) or python -m spinekg.cli")
    args = parser.parse_args()
    runs = max(3, args.runs)
    cold(runs, args.launcher)
    if args.cold_only:
        return
    from spinekg.build.ontology import load_ontology

    with tempfile.TemporaryDirectory() as tmp:
        owl = Path(tmp) / "spinekg.owl"
        load_ontology().serialize(owl, format="xml")
        print(f"{'question':<24} {'spinekg classify (s)':>21} {'owlready2+HermiT (s)':>21} {'ratio':>7}  answers agree")
        for text, procedure, site in QUESTIONS:
            ours, theirs, answers = [], [], set()
            for _ in range(runs):
                seconds, out = timed([sys.executable, "-m", "spinekg.cli", "classify", text, "--format", "json"])
                ours.append(seconds)
                import json
                data = json.loads(out)
                answers.add(("ours", data["spine_surgery"], data["back_surgery"]))
                seconds, out = timed([sys.executable, "-c", HERMIT_SCRIPT, str(owl), procedure, site])
                theirs.append(seconds)
                answers.add(("hermit", *out.split()))
            agree = len({a[1:] for a in answers}) == 1
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"{text:<24} {a:>21.3f} {b:>21.3f} {b / a:>6.1f}x  {'yes' if agree else 'NO: ' + str(sorted(answers))}")
        print(f"(median of {runs} fresh processes each; ratio = HermiT time / spinekg time)")


if __name__ == "__main__":
    main()
