"""Classifying under a profile versus the default (seed), in-process, and the one-off cost of
reasoning a user's profile file with HermiT.

Usage: python benchmarks/bench_profiles.py [--runs 5] [--queries 2000]
Prints a table: profile, number of questions, median wall time over >= 3 runs, per-question time and
the ratio to the seed (measured in the same run). A second table: building one profile overlay
(HermiT + verification probes) versus the plain HermiT classification of the ontology.
"""
from __future__ import annotations

import argparse
import statistics
import time

QUERIES = ["T12-L1 fusion", "T10-S1 fusion", "T6 laminectomy", "L4-L5 microdiscectomy", "C5-C6 ACDF",
           "lumbar puncture", "SI joint fusion", "lumbar microdiscectomy", "L4-S1 fusion", "laminectomy"]


def median_time(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--no-build", action="store_true", help="skip the HermiT table")
    args = parser.parse_args()
    runs = max(3, args.runs)
    from spinekg import classify
    from spinekg.answer.profiles import builtin_names

    queries = (QUERIES * (args.queries // len(QUERIES) + 1))[: args.queries]
    for name in builtin_names():  # warm caches (index, overlay, composer)
        classify(QUERIES[0], profile=name)
    print(f"{'profile':<14} {'questions':>9} {'median (s)':>11} {'per question (µs)':>18} {'ratio to seed':>14}")
    base = None
    for name in builtin_names():
        elapsed = median_time(lambda: [classify(q, profile=name) for q in queries], runs)
        base = base or elapsed
        print(f"{name:<14} {len(queries):>9} {elapsed:>11.3f} {elapsed / len(queries) * 1e6:>18.1f} {elapsed / base:>14.2f}")
    if args.no_build:
        return
    from spinekg.build.ontology import load_ontology
    from spinekg.build.profile_overlays import build_overlay
    from spinekg.answer.profiles import resolve
    from spinekg.build.reasoning import classify_with_hermit

    graph = load_ontology()
    plain = median_time(lambda: classify_with_hermit(graph), runs)
    print(f"\n{'build step':<44} {'median (s)':>11} {'ratio':>7}")
    print(f"{'HermiT, ontology (baseline)':<44} {plain:>11.2f} {1.0:>7.2f}")
    for name in ("thoracolumbar", "whole-site"):
        elapsed = median_time(lambda: build_overlay(resolve(name), base_graph=graph), runs)
        print(f"{'overlay ' + name + ' (HermiT + probes + verify)':<44} {elapsed:>11.2f} {elapsed / plain:>7.2f}")


if __name__ == "__main__":
    main()
