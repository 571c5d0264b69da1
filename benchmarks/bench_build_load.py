"""Benchmark: build time (HermiT + runtime index + release set) and load time into a real Oxigraph server.

Targets: build <= 60 s including HermiT; load of the release + 100k case records into the Oxigraph server
<= 5 s (Graph Store PUT + SPARQL COUNT). Each figure is the median of >= 3 runs, with a baseline measured in
the same run: HermiT alone for the build, an rdflib parse of the same files for the load.

    .venv/bin/python benchmarks/bench_build_load.py                       # cases 10000 100000, 3 runs
    .venv/bin/python benchmarks/bench_build_load.py --sizes 1000 --runs 5 --skip-build

Needs Java (build) and the ``oxigraph`` server (``pip install oxigraph``).
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spinekg import stores  # noqa: E402
from spinekg.release import RELEASE_DIR  # noqa: E402

BUILD_TARGET_S, LOAD_TARGET_S = 60.0, 5.0


def median_s(action, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_build(runs: int) -> list[tuple[str, str, float, float, str]]:
    from spinekg import __version__
    from spinekg.build import reason
    from spinekg.ontology import load_ontology
    from spinekg.release import release_texts
    from spinekg.runtime_index import build_index, index_json

    def hermit_only() -> None:
        reason(load_ontology())

    def full_build() -> None:  # what 'spinekg build' computes, kept in memory (no package files rewritten)
        reasoned = reason(load_ontology())
        index_json(build_index(reasoned.graph, reasoned.classification, reasoned.disjoint_pairs, __version__))
        release_texts(reasoned.graph, reasoned.classification)

    baseline = median_s(hermit_only, runs)
    build = median_s(full_build, runs)
    return [("build (HermiT + index + release set)", "ontology", build, baseline,
             f"baseline: load + HermiT alone; target <= {BUILD_TARGET_S:g} s")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).is_file():
        raise SystemExit("the oxigraph server is not installed: pip install oxigraph")
    return found


def bench_load(sizes: list[int], runs: int, workdir: Path) -> list[tuple[str, str, float, float, str]]:
    from rdflib import Graph

    from spinekg.cases import write_cases

    edges = RELEASE_DIR / "spinekg-edges.nt"
    port = free_port()
    server = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(workdir / "oxigraph"),
                               "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for size in sizes:
            files = [edges]
            if size:
                files.append(write_cases(workdir / f"cases-{size}.nt", size, seed=1))
            triples = stores.payload(files)[1]

            def parse_rdflib() -> None:
                graph = Graph()
                for path in files:
                    graph.parse(path, format="nt")

            def put() -> None:
                stores.load_endpoint(f"{base}/store", files, "https://example.org/bench")

            def bulk() -> None:
                stores.load_endpoint(f"{base}/store", files, "https://example.org/bench-bulk", bulk=True)

            def embedded() -> None:
                stores.load_embedded(workdir / f"embedded-{size}", files)

            baseline = median_s(parse_rdflib, runs)
            label = f"release + {size} cases ({triples} triples)"
            rows.append(("load: Oxigraph server (GSP PUT + COUNT)", label, median_s(put, runs), baseline,
                         f"baseline: rdflib parse of the same files; target <= {LOAD_TARGET_S:g} s at 100k"))
            rows.append(("load: Oxigraph server --bulk (reload)", label, median_s(bulk, runs), baseline,
                         "DELETE + POST ?no_transaction + COUNT; runs 2-3 include deleting the old graph"))
            rows.append(("load: embedded Oxigraph store", label, median_s(embedded, runs), baseline,
                         "baseline: rdflib parse of the same files"))
    finally:
        server.terminate()
        server.wait(10)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="case records to add")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error("--runs must be >= 3 (medians of fewer runs are noise)")
    rows = [] if args.skip_build else bench_build(args.runs)
    with tempfile.TemporaryDirectory(prefix="spinekg-bench-") as tmp:
        rows += bench_load(args.sizes, args.runs, Path(tmp))
    print(f"{'what':<42} {'size':<44} {'median s':>9} {'baseline s':>11} {'ratio':>6}  note")
    for what, size, value, baseline, note in rows:
        print(f"{what:<42} {size:<44} {value:>9.2f} {baseline:>11.2f} {value / baseline:>6.2f}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
