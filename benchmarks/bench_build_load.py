"""Benchmark: build time (HermiT + runtime index + release set) and load time into Oxigraph.

Targets: build <= 60 s including HermiT; load of the release + 100k case records into the Oxigraph server
<= 5 s (``spinekg load --bulk``: replace the graph, then a SPARQL COUNT proves it). The first load goes into
a fresh server, like the floor's fresh store; rows for a new graph in a server already holding others and
for reloads (the graph is read back and compared, so nothing is rewritten) are shown beside it.
Each figure is the median of >= 3 runs, with a baseline measured in the same run: HermiT alone for the
build; for loads, Oxigraph's own bulk loader writing the same files into a fresh store (``oxigraph load``
for the server, ``pyoxigraph.Store.bulk_load`` for the embedded store) -- the practical floor. Server rows
also give the server's CPU seconds (from /proc), which a busy machine inflates far less than wall time.
A second table splits each load into its steps (read input, count, bulk load, read back, delete, ...).

    .venv/bin/python benchmarks/bench_build_load.py                       # cases 10000 100000, 3 runs
    .venv/bin/python benchmarks/bench_build_load.py --sizes 100000 --skip-build
    .venv/bin/python benchmarks/bench_build_load.py --sizes 100000 --skip-build --replace --put

``--cli-pair`` times instead, in fresh processes and alternately, ``spinekg load --store`` of the release +
N generated cases (their verdicts derived) against ``oxigraph load`` of the same final content (release,
cases and the verdict file) into a fresh store, with each process's peak memory, and checks both stores
hold the same quads (target: time ratio <= 1.0, memory ratio <= 1.2):

    .venv/bin/python benchmarks/bench_build_load.py --cli-pair --sizes 100000

``--replace`` adds the worst-case reload (every run swaps in a different 100k case set, so about half
the triples are deleted and re-added); ``--put`` adds the atomic Graph Store PUT (minutes per run).
Needs Java (build) and the ``oxigraph`` server (``pip install oxigraph``).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spinekg.stores import embedded
from spinekg.stores import graph_store
from spinekg.stores import payload
from spinekg.stores import replace
from spinekg.build.release import RELEASE_DIR  # noqa: E402

BUILD_TARGET_S, LOAD_TARGET_S = 60.0, 5.0


@dataclass
class Row:
    what: str
    size: str
    seconds: float
    baseline: float
    note: str
    cpu: float | None = None  # CPU seconds of the process doing the work (see the note)
    phases: dict[str, float] = field(default_factory=dict)


def median_s(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_build(runs: int) -> list[Row]:
    from spinekg import __version__
    from spinekg.build.pipeline import reason
    from spinekg.build.ontology import load_ontology
    from spinekg.build.release import release_texts
    from spinekg.build.runtime_index import build_index, index_json

    def hermit_only() -> None:
        reason(load_ontology())

    def full_build() -> None:  # what 'spinekg build' computes, kept in memory (no package files rewritten)
        reasoned = reason(load_ontology())
        index_json(build_index(reasoned.graph, reasoned.classification, reasoned.disjoint_pairs, __version__))
        release_texts(reasoned.graph, reasoned.classification)

    baseline = median_s(hermit_only, runs)
    build = median_s(full_build, runs)
    return [Row("build (HermiT + index + release set)", "ontology", build, baseline,
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


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds so far: of process ``pid`` (Linux /proc), of this process (None)."""
    if pid is None:
        return time.process_time()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Loads:
    """Repeated loads of one kind: wall time, CPU seconds of the process doing the work, and the
    report's step times, per run."""

    def __init__(self, what: str, note: str, cpu_of: Callable[[], float | None]):
        self.what, self.note, self.cpu_of = what, note, cpu_of
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.phases: list[dict[str, float]] = []

    def run(self, load: Callable[[], object], cleanup: Callable[[], object] | None = None) -> None:
        cpu = self.cpu_of()
        start = time.perf_counter()
        report = load()
        self.walls.append(time.perf_counter() - start)
        after = self.cpu_of()
        if cpu is not None and after is not None:
            self.cpus.append(after - cpu)
        if isinstance(report, replace.LoadReport):
            self.phases.append(report.phases)
        if cleanup:
            cleanup()

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    def row(self, size: str, baseline: float) -> Row:
        names = list(dict.fromkeys(name for phases in self.phases for name in phases))
        medians = {name: statistics.median(p.get(name, 0.0) for p in self.phases) for name in names}
        return Row(self.what, size, self.median, baseline, self.note,
                   statistics.median(self.cpus) if self.cpus else None, medians)


def start_server(location: Path) -> tuple[subprocess.Popen, str]:  # type: ignore[type-arg]
    port = free_port()
    server = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1)
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the oxigraph server did not come up")


def bench_load(sizes: list[int], runs: int, workdir: Path, replace: bool, put: bool) -> list[Row]:
    """Every kind of load once per round, ``runs`` rounds: each median then comes from the same stretch
    of time as its baseline's (a shared machine's load drifts)."""
    import pyoxigraph as ox

    from spinekg.cases.records import write_cases

    edges = RELEASE_DIR / "spinekg-edges.nt"
    server, base = start_server(workdir / "oxigraph")
    rows = []
    fresh = iter(range(1_000_000))
    store_url = f"{base}/store"
    floor_graph = ox.NamedNode("https://example.org/floor")
    try:
        for size in sizes:
            cases = [write_cases(workdir / f"cases-{size}-{seed}.nt", size, seed=seed) for seed in (1, 2)] if size else []
            files = [edges] + cases[:1]
            label = f"release + {size} cases ({payload.read_payload(files).count} triples)"

            def cli_floor() -> None:  # Oxigraph's own bulk loader, same files, fresh store
                subprocess.run([oxigraph_binary(), "load", "--location", str(workdir / f"floor-{next(fresh)}"),
                                "--graph", floor_graph.value, *[a for f in files for a in ("--file", str(f))]],
                               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

            def py_floor() -> None:  # pyoxigraph's bulk loader reading the same files, fresh store
                store = ox.Store(str(workdir / f"floor-{next(fresh)}"))
                for path in files:
                    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=floor_graph)
                store.flush()
                del store

            def server_cpu() -> float | None:
                return cpu_seconds(server.pid)

            def own_cpu() -> float | None:
                return cpu_seconds(None)

            server_floor = Loads("floor: oxigraph load (CLI, fresh store)", "baseline of the server rows; cpu: the CLI",
                                 children_cpu)
            serving: dict[str, int] = {}
            fresh_first = Loads("server --bulk: first load", f"fresh server (started untimed); parallel bulk POSTs + "
                                f"COUNT; target <= {LOAD_TARGET_S:g} s at 100k; cpu: the server",
                                lambda: cpu_seconds(serving["pid"]) if serving else None)
            first = Loads("server --bulk: new graph beside others", "empty graph in a server already holding the "
                          "graphs of the earlier rows (a million triples each); cpu: the server", server_cpu)
            again = Loads("server --bulk: reload, same data", "read back in parallel slices + compare: nothing to "
                          "delete or add + COUNT", server_cpu)
            swap = Loads("server --bulk: reload, other case set", "worst case: read back, DELETE DATA the stale "
                         "half, bulk-load the rest", server_cpu)
            atomic = Loads("server: Graph Store PUT (atomic)", "one transaction, triple by triple", server_cpu)
            embedded_floor = Loads("floor: pyoxigraph bulk_load (fresh store)", "baseline of the embedded rows; "
                                   "cpu: this process", own_cpu)
            embedded_first = Loads("embedded: first load", "parallel bulk_load + COUNT", own_cpu)
            embedded_again = Loads("embedded: reload, same data", "dump + compare: nothing written + COUNT", own_cpu)
            embedded_swap = Loads("embedded: reload, other case set", "worst case: dump, DELETE DATA the stale "
                                  "half, bulk-load the rest", own_cpu)
            graph, directory = "https://example.org/reload", workdir / f"reload-{size}"
            graph_store.load_endpoint(store_url, files, graph, bulk=True)  # what the reloads replace
            embedded.load_embedded(directory, files)

            def drop_floors() -> None:
                for path in workdir.glob("floor-*"):
                    shutil.rmtree(path, ignore_errors=True)

            def first_load_into_a_fresh_server() -> None:
                location = workdir / f"fresh-{next(fresh)}"
                fresh_server, fresh_base = start_server(location)
                serving["pid"] = fresh_server.pid
                try:
                    fresh_first.run(lambda: graph_store.load_endpoint(f"{fresh_base}/store", files,
                                                                 "https://example.org/first", bulk=True))
                finally:
                    fresh_server.terminate()
                    fresh_server.wait(30)
                    serving.clear()
                    shutil.rmtree(location, ignore_errors=True)

            for run in range(runs):
                other = [edges, cases[1]] if cases else files  # the reloads alternate between files and other
                server_floor.run(cli_floor, drop_floors)
                first_load_into_a_fresh_server()
                first.run(lambda: graph_store.load_endpoint(store_url, files, f"https://example.org/first-{next(fresh)}",
                                                       bulk=True))
                again.run(lambda: graph_store.load_endpoint(store_url, files if run % 2 == 0 or not replace else other,
                                                       graph, bulk=True))
                if replace and cases:
                    swap.run(lambda: graph_store.load_endpoint(store_url, files if run % 2 else other, graph, bulk=True))
                if put:
                    atomic.run(lambda: graph_store.load_endpoint(store_url, files, "https://example.org/put"))
                embedded_floor.run(py_floor, drop_floors)
                embedded_first.run(lambda: embedded.load_embedded(workdir / f"floor-{next(fresh)}", files), drop_floors)
                embedded_again.run(lambda: embedded.load_embedded(directory, files if run % 2 == 0 or not replace else other))
                if replace and cases:
                    embedded_swap.run(lambda: embedded.load_embedded(directory, files if run % 2 else other))
            kinds = [server_floor, fresh_first, first, again]
            kinds += ([swap] if replace and cases else []) + ([atomic] if put else [])
            rows += [kind.row(label, server_floor.median) for kind in kinds]
            kinds = [embedded_floor, embedded_first, embedded_again] + ([embedded_swap] if replace and cases else [])
            rows += [kind.row(label, embedded_floor.median) for kind in kinds]
    finally:
        server.terminate()
        server.wait(30)
    return rows


LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def timed_process(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one process, started by a small launcher (so its peak is its own)."""
    result = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True, check=True)
    elapsed, peak_kb, code = result.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"{command[:3]} exited with {code}")
    return float(elapsed), int(peak_kb) / 1024


def bench_cli_pair(sizes: list[int], runs: int, workdir: Path) -> None:
    """spinekg load (verdicts derived) against oxigraph load of the same final content, alternately."""

    from spinekg.cases.records import generate_cases
    from spinekg.cases.verdicts import write_verdicts

    release = embedded.release_file()
    print(f"{'cases':>7} {'spinekg s':>10} {'oxigraph s':>11} {'ratio':>6} {'spinekg MB':>11} {'oxigraph MB':>12} "
          f"{'ratio':>6} {'same quads':>11}")
    for size in sizes:
        data = workdir / f"cases-{size}.nt"
        data.write_text(generate_cases(size, seed=1), encoding="utf-8")
        verdicts = workdir / f"verdicts-{size}.nt"
        write_verdicts([data], verdicts)
        ours, theirs = [], []
        for run in range(runs):
            mine, floor = workdir / f"spinekg-{size}-{run}", workdir / f"oxigraph-{size}-{run}"
            ours.append(timed_process([sys.executable, "-m", "spinekg.cli", "load", "--store", str(mine),
                                       "--ontology", str(release), str(data)]))
            theirs.append(timed_process([oxigraph_binary(), "load", "--location", str(floor), "--file",
                                         str(release), "--file", str(data), "--file", str(verdicts),
                                         "--graph", replace.DEFAULT_GRAPH]))
        same = _quads(mine) == _quads(floor)
        for path in workdir.glob(f"*-{size}-*"):
            shutil.rmtree(path, ignore_errors=True)
        s_ours, s_theirs = statistics.median(r[0] for r in ours), statistics.median(r[0] for r in theirs)
        m_ours, m_theirs = max(r[1] for r in ours), max(r[1] for r in theirs)
        print(f"{size:>7} {s_ours:>10.2f} {s_theirs:>11.2f} {s_ours / s_theirs:>6.2f} {m_ours:>11.0f} "
              f"{m_theirs:>12.0f} {m_ours / m_theirs:>6.2f} {str(same):>11}", flush=True)


def _quads(directory: Path) -> int:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(directory))
    try:
        return hash(tuple(sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())))
    finally:
        del store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="case records to add")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--replace", action="store_true", help="also time reloads that swap in another case set")
    parser.add_argument("--put", action="store_true", help="also time the atomic Graph Store PUT (slow)")
    parser.add_argument("--cli-pair", action="store_true",
                        help="only: spinekg load against oxigraph load of the same final content (processes)")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error("--runs must be >= 3 (medians of fewer runs are noise)")
    if args.cli_pair:
        with tempfile.TemporaryDirectory(prefix="spinekg-bench-") as tmp:
            bench_cli_pair(args.sizes, args.runs, Path(tmp))
        return 0
    rows = [] if args.skip_build else bench_build(args.runs)
    with tempfile.TemporaryDirectory(prefix="spinekg-bench-") as tmp:
        rows += bench_load(args.sizes, args.runs, Path(tmp), args.replace, args.put)
    print(f"{'what':<42} {'size':<44} {'median s':>9} {'baseline s':>11} {'ratio':>6} {'cpu s':>7}  note")
    for row in rows:
        cpu = f"{row.cpu:7.2f}" if row.cpu is not None else f"{'':7}"
        print(f"{row.what:<42} {row.size:<44} {row.seconds:>9.2f} {row.baseline:>11.2f} "
              f"{row.seconds / row.baseline:>6.2f} {cpu}  {row.note}")
    print("\nsteps (median s per run):")
    for row in rows:
        if row.phases:
            steps = ", ".join(f"{name} {value:.2f}" for name, value in row.phases.items())
            print(f"  {row.what:<42} {row.size:<44} {steps}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
