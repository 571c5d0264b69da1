"""classify-file --system text throughput: N rows drawn from D distinct descriptions (each read once).

Usage: python benchmarks/bench_bulk_text.py [--rows 1000000] [--distinct 20000] [--runs 3] [--parquet-only]
Target (issue 13): >= 1,000,000 rows/s on 1 M rows with 20,000 distinct phrases. Prints the median of
fresh caches (every distinct text read again each run; Arrow's jemalloc pool, as the command takes), with peak RSS
of this process and of the forked child that reads part of the distinct texts on the second core when one is free
(processes='auto', as the command's default --processes auto; SPINEKG_NO_FORK=1: never, =0: always).
Baseline in the same run, alternated with the file-to-file run: the I/O floor, the same one-column CSV read and
written by pyarrow with one extra constant column (what any tool that adds a column pays); the file-to-file run is
``classify-file --system text`` in process (codes.bulk.classify_file), fresh caches each run too. A second
baseline, the output floor, writes the same output with a reader that costs nothing: pyarrow reads the CSV, looks
each row's text up among the distinct texts, gathers their answers (made before timing) and writes the CSV. The
readings JSON makes the output about 40 times the input, so writing it bounds CSV-to-CSV throughput. Parquet to
Parquet is timed too (fresh caches), beside pyarrow reading the same Parquet file and writing it with one constant
column more: Parquet keeps each distinct answer once, in a dictionary page.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--parquet-only", action="store_true",
                        help="time only Parquet to Parquet and its floor, in a process holding nothing else (the CSV "
                             "steps' tables, 800 MB, make forking the second reader and its page faults cost more)")
    args = parser.parse_args()
    if args.parquet_only:
        parquet_only(args)
        return
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    from bench_reader import phrases
    from spinekg.answer.reader import forget
    from spinekg.codes import columns
    from spinekg.codes.bulk import classify_file, use_jemalloc

    use_jemalloc()  # the allocator the classify-file command takes for its process (cli/classify_file.py), for every step
    texts = phrases(args.distinct)
    column = pa.array([texts[(i * 7919) % len(texts)] for i in range(args.rows)], type=pa.string())
    import pyarrow.compute as pc

    distinct = pa.array(texts, type=pa.string())
    answers = columns.classify_arrow(distinct, "text", processes=1)  # every distinct text's output cells, read before timing
    import pyarrow.parquet as pq

    times, dictionaries, files, floors, outputs, parquets, parquet_floors = [], [], [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        source, out, floor_out = (os.path.join(tmp, name) for name in ("in.csv", "out.csv", "floor.csv"))
        pq_source, pq_out, pq_floor = (os.path.join(tmp, name) for name in ("in.parquet", "out.parquet", "floor.parquet"))
        pa_csv.write_csv(pa.table({"text": column}), source)
        pq.write_table(pa.table({"text": column}), pq_source, compression="zstd")
        for _ in range(max(3, args.runs)):
            # the output floor: a reader that costs nothing, the same output: read the CSV, look each row's text up
            # among the distinct ones, gather the answers already made and write them (what writing these bytes costs)
            timed(outputs, lambda: output_floor_run(pa_csv, pc, source, floor_out, distinct, answers))
            fresh(columns, forget)
            timed(times, lambda: columns.classify_arrow(column, "text", processes="auto"))
            fresh(columns, forget)
            timed(dictionaries, lambda: columns.classify_arrow(column, "text", processes="auto", dictionary=True))
            fresh(columns, forget)
            timed(files, lambda: classify_file(source, out, "text", system="text", progress=False, processes="auto"))
            timed(floors, lambda: pa_csv.write_csv(with_extra(pa, pa_csv.read_csv(source)), floor_out))
            fresh(columns, forget)
            timed(parquets, lambda: classify_file(pq_source, pq_out, "text", system="text", progress=False, processes="auto"))
            timed(parquet_floors, lambda: pq.write_table(with_extra(pa, pq.read_table(pq_source)), pq_floor, compression="zstd"))
        size, pq_size = os.path.getsize(out), os.path.getsize(pq_out)
    median, file_median, floor = statistics.median(times), statistics.median(files), statistics.median(floors)
    output_floor = statistics.median(outputs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the forked reader (codes/forked.py), if any
    print(f"{'rows':>9} {'distinct':>8} {'median (s)':>10} {'rows/s':>10} {'peak RSS (MB)':>13} {'child peak RSS (MB)':>19} "
          f"{'CSV->CSV (s)':>12} {'CSV rows/s':>10} {'pyarrow I/O floor (s)':>21} {'ratio':>6} {'output floor (s)':>16} {'ratio':>6}")
    print(f"{args.rows:>9} {len(texts):>8} {median:>10.2f} {args.rows / median:>10.0f} {peak:>13.0f} {child:>19.0f} "
          f"{file_median:>12.2f} {args.rows / file_median:>10.0f} {floor:>21.2f} {file_median / floor:>5.2f}x "
          f"{output_floor:>16.2f} {file_median / output_floor:>5.2f}x")
    pq_median, pq_floor_median = statistics.median(parquets), statistics.median(parquet_floors)
    dict_median = statistics.median(dictionaries)
    print(f"{'Parquet->Parquet (s)':>20} {'Parquet rows/s':>14} {'MB out':>6} {'pyarrow Parquet floor (s)':>25} {'ratio':>6} "
          f"{'in memory, dictionary (s)':>25} {'rows/s':>10}")
    print(f"{pq_median:>20.2f} {args.rows / pq_median:>14.0f} {pq_size / 2 ** 20:>6.1f} {pq_floor_median:>25.2f} "
          f"{pq_median / pq_floor_median:>5.2f}x {dict_median:>25.2f} {args.rows / dict_median:>10.0f}")
    print(f"(median of {len(times)} runs each, alternated; median: classify_arrow on the column in memory (plain "
          "strings: a copy of each answer per row; 'dictionary': dictionary=True, each distinct answer once); CSV->CSV: "
          f"classify-file --system text, {size / 2 ** 20:.0f} MB out; pyarrow I/O floor: pyarrow reads the CSV and writes "
          "it with one constant column more; output floor: pyarrow reads the CSV, gathers the answers of the distinct "
          "texts, made before timing, and writes the same output: what a reader costing nothing would take; "
          "Parquet->Parquet: classify-file on the same column as zstd Parquet; its floor: pyarrow reads it and writes it "
          "with one constant column more)")


def parquet_only(args) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bench_reader import phrases
    from spinekg.answer.reader import forget
    from spinekg.codes import columns
    from spinekg.codes.bulk import classify_file, use_jemalloc

    use_jemalloc()  # the allocator the classify-file command takes for its process (cli/classify_file.py); the floor's too
    texts = phrases(args.distinct)
    table = pa.table({"text": pa.array([texts[(i * 7919) % len(texts)] for i in range(args.rows)], type=pa.string())})
    parquets, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        source, out, floor_out = (os.path.join(tmp, name) for name in ("in.parquet", "out.parquet", "floor.parquet"))
        pq.write_table(table, source, compression="zstd")
        del table
        classify_file(source, out, "text", system="text", progress=False, processes=1)  # imports and the lexicon, untimed
        for _ in range(max(3, args.runs)):
            fresh(columns, forget)
            timed(parquets, lambda: classify_file(source, out, "text", system="text", progress=False, processes="auto"))
            timed(floors, lambda: pq.write_table(with_extra(pa, pq.read_table(source)), floor_out, compression="zstd"))
        size = os.path.getsize(out)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        cli_run(source, out)  # its bytecode written, untimed
        commands = [cli_run(source, out) for _ in range(max(3, args.runs))]
    median, floor = statistics.median(parquets), statistics.median(floors)
    command = statistics.median(t for t, _ in commands)
    print(f"{'rows':>9} {'distinct':>8} {'Parquet->Parquet (s)':>20} {'rows/s':>10} {'runs (s)':>28} {'MB out':>6} "
          f"{'peak RSS (MB)':>13} {'child peak RSS (MB)':>19} {'pyarrow Parquet floor (s)':>25} {'ratio':>6}")
    print(f"{args.rows:>9} {len(texts):>8} {median:>20.2f} {args.rows / median:>10.0f} "
          f"{' '.join(f'{t:.2f}' for t in parquets):>28} {size / 2 ** 20:>6.1f} {peak:>13.0f} {child:>19.0f} {floor:>25.2f} "
          f"{median / floor:>5.2f}x")
    print(f"{'command (s)':>20} {'rows/s':>10} {'runs (s)':>28} {'peak RSS (MB)':>13}")
    print(f"{command:>20.2f} {args.rows / command:>10.0f} {' '.join(f'{t:.2f}' for t, _ in commands):>28} "
          f"{max(m for _, m in commands):>13.0f}")
    print(f"(median of {len(parquets)} runs, alternated with the floor; classify-file --system text, zstd Parquet in and out, "
          "fresh caches each run, Arrow's jemalloc pool as the command takes; floor: pyarrow reads the file and writes it "
          "with one constant column more; command: `spinekg classify-file` in a fresh process each run, its start-up "
          "(Python, pyarrow, the lexicon: about 0.1 s) and its forked reader included, bytecode cached as an installed "
          "package's is, peak RSS of the command's own process)")


def cli_run(source: str, out: str) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``spinekg classify-file`` on ``source`` in a new process, as a user runs it."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "spinekg.cli", "classify-file", source, "--column", "text", "--system",
                             "text", "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"spinekg classify-file failed (status {status})")
    return elapsed, usage.ru_maxrss / 1024


def timed(into: list, action) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    into.append(time.perf_counter() - start)


def with_extra(pa, table):  # type: ignore[no-untyped-def]
    """The table with one constant column more: what any tool that adds a column writes."""
    return table.append_column("extra", pa.array(["x"] * table.num_rows, type=pa.string()))


def output_floor_run(pa_csv, pc, source, out, distinct, answers) -> None:  # type: ignore[no-untyped-def]
    table = pa_csv.read_csv(source)
    rows = pc.index_in(table.column("text"), value_set=distinct)
    for name, values in answers.items():
        table = table.append_column(name, pc.take(values, rows))
    pa_csv.write_csv(table, out)


def fresh(columns, forget) -> None:  # type: ignore[no-untyped-def]
    """Nothing remembered from the previous run: every distinct text is read again."""
    columns._CACHES.clear()
    forget()

if __name__ == "__main__":
    main()
