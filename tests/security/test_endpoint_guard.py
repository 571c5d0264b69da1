"""The endpoint under a hostile browser and under load (127.0.0.1 only, a few seconds per case).

Figures are printed (pytest -s) and quoted in the README's Security section: latency p99 of cheap
queries at 1, 8, 32 and 64 concurrent clients, with two runaway queries in flight at 64; the server's
peak resident memory (parent + query processes)."""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

CHEAP = "ASK { <https://w3id.org/spinekg/DiscL5S1> ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DUMP = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 100000"  # tens of MB as JSON


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    store = tmp_path_factory.mktemp("guarded") / "store"
    load = subprocess.run([sys.executable, "-m", "spinekg.cli", "load", "--store", str(store)], capture_output=True, text=True)
    assert load.returncode == 0, load.stderr
    proc = subprocess.Popen([sys.executable, "-m", "spinekg.cli", "serve", "--store", str(store), "--port", "0",
                             "--timeout", "4", "--max-answer-bytes", "2000000", "--max-answer-rows", "10000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert "read-only at http://127.0.0.1:" in line, proc.stderr.read() if proc.poll() is not None else line
    port = int(line.split("127.0.0.1:")[1].split("/")[0])
    proc.store = store  # type: ignore[attr-defined]
    yield proc, port
    proc.terminate()
    _, err = proc.communicate(timeout=20)
    assert "Traceback" not in err, err  # no traceback for any client error or disconnect in the whole module


def request(port: int, method: str = "GET", query: str | None = CHEAP, body: bytes | None = None,
            headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:  # type: ignore[type-arg]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    path = "/sparql" + ("?" + urllib.parse.urlencode({"query": query}) if query and method == "GET" else "")
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def raw(port: int, data: bytes) -> bytes:
    """The server's whole reply to ``data`` (headers and body may arrive in separate packets)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        reply = sock.recv(4096)
        head, _, body = reply.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), None)
        while length is not None and len(body) < length:
            more = sock.recv(4096)
            if not more:
                break
            body += more
        return head + b"\r\n\r\n" + body if body or length else reply


def test_bad_options_are_one_line_errors(tmp_path, cli):
    for option, value in [("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "-1"), ("--workers", "10000"),
                          ("--workers", "0"), ("--port", "70000"), ("--max-answer-rows", "0")]:
        code, out, err = cli("serve", "--store", str(tmp_path), option, value)
        assert code == 2 and err.count("\n") == 1 and option in err, (option, err)


def test_malicious_host_is_refused(server):
    _, port = server
    assert request(port, headers={"Host": "evil.example:%d" % port})[0] == 403
    assert request(port, headers={"Host": "127.0.0.1:1"})[0] == 403
    assert request(port, headers={"Host": "localhost:%d" % port})[0] == 200
    assert request(port)[0] == 200


def test_oversize_and_lying_bodies(server):
    _, port = server
    big = raw(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                    b"Content-Length: 1000001\r\n\r\nASK {}")  # refused on the header, before any body is read
    assert big.startswith(b"HTTP/1.0 413") and b"larger than 1000000 bytes" in big
    assert raw(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: -1\r\n\r\nASK {}").startswith(b"HTTP/1.0 400")
    assert raw(port, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 6\r\nContent-Length: 900000000\r\n\r\nASK {}").startswith(b"HTTP/1.0 400")
    chunked = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert raw(port, chunked + b"FFFFF\r\n" + b" " * 2000).startswith(b"HTTP/1.0 413")
    ok = raw(port, chunked + b"6\r\nASK {}\r\n0\r\n\r\n")
    assert ok.startswith(b"HTTP/1.0 200"), ok[:200]


def test_oversize_answer_is_refused(server):
    _, port = server
    status, body = request(port, query=DUMP)
    assert status == 413 and b"larger than 2000000 bytes" in body


@pytest.mark.parametrize("fmt", ["application/sparql-results+json", "text/csv", "text/tab-separated-values",
                                 "application/sparql-results+xml"])
def test_answers_over_the_row_limit_are_refused_in_every_format(server, fmt):
    _, port = server
    rows = "SELECT ?s WHERE { ?s ?p ?o } LIMIT %d"  # narrow rows: the row limit, not the byte limit, is hit
    status, body = request(port, query=rows % 10001, headers={"Accept": fmt})
    assert status == 413 and b"more than 10000 rows" in body and b"--max-answer-rows" in body
    status, body = request(port, query=rows % 10000, headers={"Accept": fmt})
    assert status == 200


def test_rows_counted_on_tsv_give_the_same_bytes_as_a_direct_answer(server):
    """The worker counts rows on TSV and re-serializes: the JSON and XML sent are Oxigraph's own bytes."""
    import pyoxigraph as ox

    proc, port = server
    query = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) || isBlank(?s)) } ORDER BY ?s ?p ?o LIMIT 3000")
    direct = ox.Store.read_only(str(proc.store))
    for accept, fmt in (("application/sparql-results+json", ox.QueryResultsFormat.JSON),
                        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
                        ("text/csv", ox.QueryResultsFormat.CSV)):
        status, body = request(port, query=query, headers={"Accept": accept})
        assert status == 200
        assert body == direct.query(query, use_default_graph_as_union=True).serialize(format=fmt), accept


def test_disconnects_and_idle_connections_leave_no_trace(server):
    _, port = server
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /sparql?query=" + urllib.parse.quote(CHEAP).encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(60)]
    assert request(port)[0] == 200  # 60 idle connections do not block a real client
    for sock in idle:
        sock.close()


def _load(port: int, clients: int, seconds: float) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    failures: list[str] = []
    stop = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop:
            start = time.monotonic()
            try:
                status, body = request(port, timeout=20)
                if status != 200 or b"true" not in body:
                    failures.append(f"{status} {body[:80]!r}")
            except OSError as exc:  # a reset or refused connection
                failures.append(repr(exc))
            latencies.append(time.monotonic() - start)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _rss_mb(pid: int) -> float:
    """Resident memory of the server and its query processes, in MB."""
    total = 0
    children = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid)], capture_output=True, text=True).stdout.split()
    own = subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True).stdout.split()
    for value in children + own:
        total += int(value)
    return total / 1024


MEMORY_BOUND_MB = 1500  # documented in the README (Security): 4 query processes + the server, under load


@pytest.mark.parametrize("clients", [1, 8, 32])
def test_load_without_runaways(server, clients):
    proc, port = server
    latencies, failures = _load(port, clients, 2.0)
    print(f"\n{clients} clients: {len(latencies)} requests, p99 {_p99(latencies):.3f} s, failures {len(failures)}, "
          f"rss {_rss_mb(proc.pid):.0f} MB")
    assert failures == []
    assert _p99(latencies) <= 2.0


def test_64_clients_with_two_runaway_queries(server):
    proc, port = server
    runaway_results: list[tuple[int, bytes]] = []

    def runaway() -> None:
        runaway_results.append(request(port, query=RUNAWAY, timeout=30))

    runaways = [threading.Thread(target=runaway) for _ in range(2)]
    for thread in runaways:
        thread.start()
    time.sleep(0.8)  # both are past the long-running mark and hold their slots
    latencies, failures = _load(port, 64, 3.0)
    peak = _rss_mb(proc.pid)
    for thread in runaways:
        thread.join()
    print(f"\n64 clients + 2 runaway: {len(latencies)} requests, p99 {_p99(latencies):.3f} s, "
          f"failures {len(failures)}, rss {peak:.0f} MB; runaways: {[s for s, _ in runaway_results]}")
    assert failures == []
    assert _p99(latencies) <= 2.0
    assert sorted(s for s, _ in runaway_results) == [503, 503]  # stopped by the timeout (or the slow gate)
    assert peak < MEMORY_BOUND_MB
