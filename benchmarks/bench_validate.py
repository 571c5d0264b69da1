"""Benchmark: SHACL validation of synthetic case records (spinekg.cases.generate_cases).

For each size: ``spinekg.shacl.validate`` (ontology graph built once and cached, added to each run; shapes
target only case records, so the ontology is never validated itself; engine "auto" = pyshacl-turbo when
installed, proven result-equal to pySHACL by tests/test_shacl_engines.py) and the same call with the
reference engine (engine="pyshacl"), against a plain pySHACL call over the merged graph (data + ontology
graph passed as ``ont_graph``, same shapes, pySHACL copying the data as it does by default). The ratio is
plain pySHACL / spinekg (auto). Median of --repeat runs (default 3), parse time reported separately, peak memory of the
whole process (ru_maxrss). Usage:

    .venv/bin/python benchmarks/bench_validate.py --sizes 10000 100000 --baseline-max 10000
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time

from rdflib import Graph


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-max", type=int, default=10_000,
                        help="measure the plain pySHACL baseline only up to this size (it is slower)")
    args = parser.parse_args()

    import pyshacl

    from spinekg.cases import generate_cases
    from spinekg.shacl import CASE_SHAPE_FILES, load_shapes, ontology_graph, validate

    start = time.perf_counter()
    ontology, shapes = ontology_graph(), load_shapes(CASE_SHAPE_FILES)
    print(f"ontology graph: {len(ontology)} triples, built once in {time.perf_counter() - start:.2f} s")
    from spinekg.shacl import engine_module

    print(f"engine for 'auto': {engine_module('auto').__name__}")
    print(f"{'records':>8} {'triples':>9} {'parse s':>8} {'spinekg s':>10} {'ms/record':>10} {'spinekg/pyshacl s':>18} "
          f"{'plain pyshacl s':>16} {'ratio':>6} {'conforms':>9} {'peak MB':>8}")
    for size in args.sizes:
        start = time.perf_counter()
        data = Graph().parse(data=generate_cases(size, seed=1), format="nt")
        parse = time.perf_counter() - start
        ours, report = timed(lambda: validate(data), args.repeat)
        if size <= args.baseline_max:
            reference, _ = timed(lambda: validate(data, engine="pyshacl"), args.repeat)
            reference_text = f"{reference:18.2f}"
            plain, result = timed(lambda: pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                                           advanced=True, allow_warnings=False), args.repeat)
            plain_text, ratio = f"{plain:16.2f}", f"{plain / ours:6.2f}"
            assert result[0] == report.conforms  # same verdict from both
        else:
            plain_text, ratio, reference_text = f"{'(not run)':>16}", f"{'-':>6}", f"{'(not run)':>18}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{size:>8} {len(data):>9} {parse:8.2f} {ours:10.2f} {1000 * ours / size:10.3f} {reference_text} {plain_text} {ratio} "
              f"{str(report.conforms):>9} {peak:8.0f}", flush=True)


if __name__ == "__main__":
    main()
