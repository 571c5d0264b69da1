"""classify-file --system text throughput: N rows drawn from D distinct descriptions (each read once).

Usage: python benchmarks/bench_bulk_text.py [--rows 1000000] [--distinct 20000] [--runs 3]
Target (issue 13): >= 1,000,000 rows/s on 1 M rows with 20,000 distinct phrases. Prints the median of
fresh caches (every distinct text read again each run), with peak RSS of this process and of the forked child
that reads part of the distinct texts on the second core when one is free (SPINEKG_NO_FORK=1: never, =0: always).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import pyarrow as pa

    from bench_reader import phrases
    from spinekg.answer.reader import forget
    from spinekg.codes import columns

    texts = phrases(args.distinct)
    column = pa.array([texts[(i * 7919) % len(texts)] for i in range(args.rows)], type=pa.string())
    times = []
    for _ in range(max(3, args.runs)):
        columns._CACHES.clear()
        forget()  # nothing remembered from the previous run
        start = time.perf_counter()
        columns.classify_arrow(column, "text")
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the forked reader (codes/forked.py), if any
    print(f"{'rows':>9} {'distinct':>8} {'median (s)':>10} {'rows/s':>10} {'peak RSS (MB)':>13} {'child peak RSS (MB)':>19}")
    print(f"{args.rows:>9} {len(texts):>8} {median:>10.2f} {args.rows / median:>10.0f} {peak:>13.0f} {child:>19.0f}")


if __name__ == "__main__":
    main()
