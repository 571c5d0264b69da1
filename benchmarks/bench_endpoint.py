"""Benchmark: the read-only endpoint of ``spinekg serve`` under 1, 8 and 32 concurrent clients sending the
competency questions over the ontology + N synthetic case records, beside ``oxigraph serve-read-only`` on
the same on-disk store, measured in the same run. Target: at 8 clients, at least half of Oxigraph's
throughput (the issue's "within 2x").

    .venv/bin/python benchmarks/bench_endpoint.py                       # 100000 cases, 20 s per point, 3 runs
    .venv/bin/python benchmarks/bench_endpoint.py --cases 10000 --duration 5 --runs 1 --clients 1 8

Each client loops over the 41 competency questions (parameter defaults bound with a trailing VALUES
clause, as the page's editor loads them), starting at a different question, each request a new HTTP
connection with ``Accept: application/sparql-results+json``; the full body is read. A point is the
requests completed in ``--duration`` seconds: throughput (requests/s) and p50 / p99 latency. The median of
``--runs`` runs is reported; servers alternate within a run so that load from other users of the machine
falls on both. Both servers see every graph as the default graph (``--union-default-graph``).
"""
from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spinekg.cases.records import write_cases  # noqa: E402
from spinekg.sparql.questions import list_questions  # noqa: E402
from spinekg.stores.dataset import require_release_edges  # noqa: E402
from spinekg.stores.endpoint import make_server, serve_in_thread  # noqa: E402
from spinekg.stores.loader import load  # noqa: E402
from spinekg.views.web.app import editor_text  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(port: int, path: str, query: str) -> float:
    """One request; its latency in seconds (the whole body read). Raises on a non-200 answer."""
    body = urllib.parse.urlencode({"query": query})
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                          "Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
    finally:
        conn.close()
    return time.perf_counter() - start


def load_point(port: int, path: str, queries: list[str], clients: int,
               duration: float) -> tuple[float, float, float, float]:
    """(requests/s, p50 ms, p99 ms, failed requests) for ``clients`` threads over ``duration`` seconds. A
    failed request (refused or reset connection, non-200) is counted, not retried, and not in the rates."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + duration
    errors: list[str] = []

    def client(number: int) -> None:
        mine, position = [], number
        while time.perf_counter() < stop:
            try:
                mine.append(ask(port, path, queries[position % len(queries)]))
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
            position += 1
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        print(f"  {len(errors)} failed request(s) on port {port} at {clients} clients, e.g. {errors[0]}", flush=True)
    latencies.sort()
    p = lambda q: 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")  # noqa: E731
    return len(latencies) / elapsed, p(0.50), p(0.99), float(len(errors))


def start_oxigraph(store: Path, port: int) -> subprocess.Popen:  # type: ignore[type-arg]
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph", "--timeout-s", "120"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            ask(port, "/query", "ASK { }")
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph serve-read-only did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per point (default 20)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--workers", type=int, default=2, help="query processes of spinekg serve (default 2)")
    args = parser.parse_args()

    queries = [editor_text(q) for q in list_questions()]
    with tempfile.TemporaryDirectory(prefix="spinekg-bench-endpoint-") as tmp:
        store = Path(tmp) / "store"
        cases = write_cases(Path(tmp) / "cases.nt", args.cases, seed=1)
        report = load(require_release_edges(), [cases], store=store)
        print(f"store: ontology + {args.cases} cases, {report.counted} triples; {len(queries)} questions; "
              f"{args.duration:g} s per point, median of {args.runs} run(s)")
        ours = make_server(store, 0, timeout=120, workers=args.workers)
        serve_in_thread(ours)
        our_port = ours.server_address[1]
        oxi_port = free_port()
        oxigraph = start_oxigraph(store, oxi_port)
        try:
            for server, port, path in (("spinekg", our_port, "/sparql"), ("oxigraph", oxi_port, "/query")):
                for query in queries:  # warm up, and prove both answer every question
                    ask(port, path, query)
            results: dict[tuple[str, int], list[tuple[float, float, float, float]]] = {}
            for _ in range(args.runs):
                for clients in args.clients:
                    for server, port, path in (("spinekg", our_port, "/sparql"), ("oxigraph", oxi_port, "/query")):
                        results.setdefault((server, clients), []).append(
                            load_point(port, path, queries, clients, args.duration))
        finally:
            oxigraph.terminate()
            oxigraph.wait(10)
            ours.shutdown()
            ours.server_close()
    print(f"{'clients':>7} {'server':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>7} {'ratio':>7}")
    for clients in args.clients:
        medians = {}
        for server in ("spinekg", "oxigraph"):
            points = results[(server, clients)]
            medians[server] = tuple(statistics.median(p[i] for p in points) for i in range(4))
        for server in ("spinekg", "oxigraph"):
            rps, p50, p99, failed = medians[server]
            ratio = rps / medians["oxigraph"][0]
            print(f"{clients:>7} {server:>9} {rps:>8.1f} {p50:>8.1f} {p99:>8.1f} {failed:>7.0f} {ratio:>7.2f}")
    print("ratio: throughput / Oxigraph's at the same client count (target at 8 clients: >= 0.50); "
          "failed: median count of refused/reset requests per point")


if __name__ == "__main__":
    main()
