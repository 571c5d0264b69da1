"""Benchmark: SHACL validation of synthetic case records (spinekg.cases.generate_cases).

For each size, median of --repeat runs of:

* ``spinekg s``: ``spinekg.shacl.validate(graph)`` on an rdflib Graph already in memory -- engine "auto" =
  the Rust ``shacl`` when installed (result-equal to pySHACL, see tests/shacl/test_shacl_rust.py): records
  without blank nodes or level text are one engine run over them and the ontology triples the case shapes
  read, findings read from the engine's result objects (``spinekg.shacl.whole``); other data is validated
  record by record (``validate_records``: batches, ``--jobs`` worker processes, default one per CPU);
* ``CLI s``: ``spinekg validate FILE --format json`` in a fresh process on the same records written as
  N-Triples: start-up, reading (the file is written as oxigraph writes N-Triples, so the engine starts on
  its own text while spinekg checks that it is: ``spinekg.shacl.case_files``), validation and the report;
  its JSON must equal the API's;
* ``Rust s`` / ``Rust MB``: the anchor -- the Rust engine's own whole-graph run in a fresh process
  (``shacl.Shapes.from_file(case-records.ttl).validate_text(ontology triples + records)``), run
  alternately with the CLI; ``CLI/Rust`` is the ratio of the medians (target <= 1.5; peak target 600 MB);
* ``spinekg/pyshacl s``: the same call with the reference engine (engine="pyshacl"), up to --baseline-max;
* ``plain pyshacl s``: one plain pySHACL call over the graph with the whole ontology graph as ``ont_graph``
  (same shapes, pySHACL copying the data as it does by default), up to --baseline-max. ratio = plain / spinekg.

Peak memory (ru_maxrss, MB): ``CLI MB`` is the CLI process or its largest worker, whichever is larger (wait4
of the CLI); ``API MB`` is this process, which also holds the rdflib graph of the records (its workers are
forks that share those pages). Usage:

    .venv/bin/python benchmarks/bench_validate.py --sizes 10000 100000 --repeat 3 --baseline-max 10000
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# Started from this (large) process, a child's ru_maxrss would start at this process's size: a small
# launcher starts the CLI instead and reports the CLI's own peak (its workers included) and exit code.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    child = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


RUST = """
import sys, shacl
text = open(sys.argv[2], encoding="utf-8").read() + open(sys.argv[3], encoding="utf-8").read()
report = shacl.Shapes.from_file(sys.argv[1]).validate_text(text, format="ntriples")
print(len(report.results))
"""


def run_rust(shapes: Path, ontology: Path, path: Path, out: Path) -> tuple[float, float]:
    """(seconds, peak MB) of the Rust engine's whole-graph run in its own process (the anchor)."""
    result = subprocess.run([sys.executable, "-c", LAUNCHER, str(out), sys.executable, "-c", RUST, str(shapes),
                             str(ontology), str(path)], capture_output=True, text=True, check=True)
    elapsed, peak_kb, code = result.stdout.split()
    assert int(code) == 0, f"the Rust engine exited with {code}"
    return float(elapsed), int(peak_kb) / 1024


def run_cli(path: Path, out: Path, jobs: int | None) -> tuple[float, float]:
    """(seconds, peak MB) of one ``spinekg validate`` process; exit 0 or 1 (violations) expected."""
    command = [sys.executable, "-m", "spinekg.cli", "validate", str(path), "--format", "json"]
    command += ["--jobs", str(jobs)] if jobs else []
    result = subprocess.run([sys.executable, "-c", LAUNCHER, str(out), *command], capture_output=True, text=True,
                            check=True)
    elapsed, peak_kb, code = result.stdout.split()
    assert int(code) in (0, 1), f"spinekg validate exited with {code}"
    return float(elapsed), int(peak_kb) / 1024  # Linux reports KB




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-max", type=int, default=10_000,
                        help="measure the pySHACL engine and the plain pySHACL baseline only up to this size (slower)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU, at most 8)")
    parser.add_argument("--defect-rate", type=float, default=0.0,
                        help="share of records with one defect each (0: all records conform)")
    args = parser.parse_args()

    import pyshacl

    from spinekg.cases.records import generate_cases
    from spinekg.shacl.validate import CASE_SHAPE_FILES, engine_module, load_shapes, ontology_graph, shapes_dir, validate
    from spinekg.shacl.engine import record_engine
    from spinekg.shacl.records import _case_ontology, _workers

    start = time.perf_counter()
    ontology, shapes = ontology_graph(), load_shapes(CASE_SHAPE_FILES)
    minimal_text, _nodes, minimal = _case_ontology()
    print(f"ontology graph: {len(ontology)} triples, of which the case shapes read {len(minimal)}; "
          f"built once in {time.perf_counter() - start:.2f} s")
    print(f"engine for 'auto': {record_engine('auto')} for case records, else {engine_module('auto').__name__}; "
          f"workers for 1M triples: {_workers(args.jobs, 100, 1_000_000)}")
    print(f"{'records':>8} {'triples':>9} {'parse s':>8} {'spinekg s':>10} {'ms/record':>10} {'CLI s':>7} "
          f"{'CLI MB':>7} {'Rust s':>7} {'Rust MB':>8} {'CLI/Rust':>9} {'spinekg/pyshacl s':>18} {'plain pyshacl s':>16} {'ratio':>6} {'conforms':>9} "
          f"{'API MB':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            text = generate_cases(size, seed=1, defect_rate=args.defect_rate)
            path = Path(tmp) / f"cases-{size}.nt"
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            data = Graph().parse(data=text, format="nt")
            parse = time.perf_counter() - start
            del text
            ours, report = timed(lambda: validate(data, jobs=args.jobs), args.repeat)
            out = Path(tmp) / "report.json"
            ontology_path = Path(tmp) / "ontology.nt"
            ontology_path.write_text(minimal_text, encoding="utf-8")
            runs, anchors = [], []
            for _ in range(args.repeat):  # alternately, so a busy machine slows both alike
                anchors.append(run_rust(shapes_dir() / CASE_SHAPE_FILES[0], ontology_path, path,
                                        Path(tmp) / "rust.out"))
                runs.append(run_cli(path, out, args.jobs))
            cli_s, cli_mb = statistics.median(r[0] for r in runs), max(r[1] for r in runs)
            rust_s, rust_mb = statistics.median(r[0] for r in anchors), max(r[1] for r in anchors)
            assert out.read_text(encoding="utf-8").rstrip("\n") == report.to_json()  # type: ignore[attr-defined]
            if size <= args.baseline_max:
                reference, _ = timed(lambda: validate(data, engine="pyshacl", jobs=args.jobs), args.repeat)
                reference_text = f"{reference:18.2f}"
                plain, result = timed(lambda: pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
                                                               inference="none", advanced=True,
                                                               allow_warnings=False), args.repeat)
                plain_text, ratio = f"{plain:16.2f}", f"{plain / ours:6.2f}"
                if args.defect_rate == 0:
                    assert result[0] == report.conforms  # type: ignore[index,attr-defined]  # same verdict
            else:
                plain_text, ratio, reference_text = f"{'(not run)':>16}", f"{'-':>6}", f"{'(not run)':>18}"
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KB
            print(f"{size:>8} {len(data):>9} {parse:8.2f} {ours:10.2f} {1000 * ours / size:10.3f} {cli_s:7.2f} "
                  f"{cli_mb:7.0f} {rust_s:7.2f} {rust_mb:8.0f} {cli_s / rust_s:9.2f} {reference_text} {plain_text} {ratio} {str(report.conforms):>9} "  # type: ignore[attr-defined]
                  f"{own:7.0f}", flush=True)
            data = report = None  # free this size's graph before the next is parsed


if __name__ == "__main__":
    main()
