"""Loading into a real Oxigraph server and the embedded store; the read-only SPARQL endpoint.

The server tests start ``oxigraph serve`` on a free 127.0.0.1 port, load the release twice through the
Graph Store Protocol, check the count is unchanged, run every competency question over the SPARQL
protocol against its expected answer, and stop the server.
"""
from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from spinekg import errors
from spinekg.stores import embedded
from spinekg.stores import graph_store
from spinekg.stores import payload
from spinekg.stores import replace
from spinekg.build.release import RELEASE_DIR

EDGES = RELEASE_DIR / "spinekg-edges.nt"


def edge_lines() -> int:
    """Triples in the shipped query-ready graph, read when a test runs (the release may be rebuilt)."""
    return sum(1 for line in EDGES.read_text(encoding="utf-8").splitlines() if line.strip())

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
needs_oxigraph = pytest.mark.skipif(not Path(OXIGRAPH).is_file(), reason="oxigraph server not installed (pip install oxigraph)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/query")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def select(query_url: str, query: str, default_graph: str | None = None) -> dict:
    params = {"query": query}
    if default_graph:
        params["default-graph-uri"] = default_graph
    request = urllib.request.Request(query_url, data=urllib.parse.urlencode(params).encode(),
                                     headers={"Accept": "application/sparql-results+json",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def total_triples(base: str) -> int:
    return int(select(f"{base}/query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
               ["results"]["bindings"][0]["n"]["value"])


# ---- Graph Store Protocol into a real Oxigraph server ----------------------------------------------

@needs_oxigraph
def test_loading_twice_replaces_the_graph(oxigraph_server, cli):
    graph = "https://example.org/spinekg-release"
    for _ in range(2):
        code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph)
        assert code == 0, err
        assert out == ""  # status on stderr, results on stdout: load has no result to print
        assert err.strip() == (f"spinekg: loaded {edge_lines()} triples into graph <{graph}> at {oxigraph_server}/store in "
                               + err.split(" in ")[1].split(" s ")[0] + f" s (sent {edge_lines()}; count matches)")
        assert graph_store.count_over_protocol(f"{oxigraph_server}/query", graph) == edge_lines()
    assert total_triples(oxigraph_server) >= edge_lines()


@needs_oxigraph
def test_case_records_load_with_the_ontology(oxigraph_server, tmp_path, cli):
    from spinekg.cases.records import write_cases

    cases = write_cases(tmp_path / "cases.nt", 50, seed=3)
    case_lines = {line for line in cases.read_text(encoding="utf-8").splitlines() if line.strip()}
    graph = "https://example.org/with-cases"
    from spinekg.cases.verdicts import verdict_ntriples

    verdicts = {line for line in verdict_ntriples([cases]).splitlines() if line.strip()}
    assert len(verdicts) >= 100  # a spine and a back verdict per case, plus regions
    code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, str(cases))
    assert code == 0, err
    assert err.startswith(f"spinekg: derived {len(verdicts)} case-verdict triples for the records in 1 file(s)\n")
    assert graph_store.count_over_protocol(f"{oxigraph_server}/query", graph) == edge_lines() + len(case_lines) + len(verdicts)
    code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, "--no-verdicts", str(cases))
    assert code == 0, err
    assert graph_store.count_over_protocol(f"{oxigraph_server}/query", graph) == edge_lines() + len(case_lines)


@needs_oxigraph
def test_http_errors_are_one_line_with_the_status(oxigraph_server, cli):
    code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/no-such-service", "--graph", "https://example.org/g")
    assert code == 3 and out == ""
    assert err.strip().startswith(f"spinekg: error: PUT {oxigraph_server}/no-such-service?graph=") and "HTTP 404" in err
    assert len(err.strip().splitlines()) == 1


def test_unreachable_endpoint_and_bad_arguments(cli):
    port = free_port()
    code, _, err = cli("load", "--endpoint", f"http://127.0.0.1:{port}/store", "--graph", "https://example.org/g")
    assert code == 3 and "cannot connect" in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("load", "--endpoint", "ftp://example.org/store", "--graph", "https://example.org/g")
    assert (code, err.strip()) == (2, "spinekg: error: --endpoint 'ftp://example.org/store' is not an http(s) URL")
    code, _, err = cli("load", "--endpoint", "http://u:p@127.0.0.1:1/store", "--graph", "https://example.org/g")
    assert code == 2 and "do not put credentials in the URL" in err and "u:p" not in err
    code, _, err = cli("load", "--store", "/tmp/x", "--graph", "not an iri")
    assert (code, err.strip()) == (2, "spinekg: error: --graph 'not an iri' is not an absolute IRI")


def _questions():
    try:
        from spinekg.sparql import questions as sparql_questions

        return sparql_questions.list_questions()
    except Exception:  # the question set lives in another module; without it these tests do not apply
        return []


def _with_values(text: str, bindings: dict) -> str:
    """Pre-bind parameters over the protocol: a VALUES block as the first element of the outer group."""
    def n3(term):
        return f"<{term[1]}>" if term[0] == "iri" else json.dumps(term[1]) + (f"^^<{term[2]}>" if term[2] else "")

    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("#") and "{" in line:
            at = line.index("{") + 1
            values = " ".join(f"VALUES ?{name} {{ {n3(term)} }}" for name, term in bindings.items())
            lines[i] = line[:at] + " " + values + " " + line[at:]
            return "\n".join(lines)
    raise AssertionError("no group in query")


def _result(raw: dict):
    from spinekg.sparql.results import XSD_STRING, LANG_STRING, QueryResult

    if "boolean" in raw:
        return QueryResult("ASK", boolean=raw["boolean"])

    def term(value):
        if value is None:
            return None
        if value["type"] == "uri":
            return ("iri", value["value"])
        if value["type"] == "bnode":
            return ("bnode", "")
        lang = value.get("xml:lang", "")
        return ("literal", value["value"], value.get("datatype", LANG_STRING if lang else XSD_STRING), lang.lower())

    variables = raw["head"]["vars"]
    return QueryResult("SELECT", variables, [tuple(term(row.get(v)) for v in variables) for row in raw["results"]["bindings"]])


@needs_oxigraph
def test_every_competency_question_over_the_sparql_protocol(oxigraph_server, tmp_path, cli):
    questions = [q for q in _questions() if q.expected is not None]
    if not questions:
        pytest.skip("no competency questions with expected answers")
    from spinekg.cases.records import example_cases_path
    from spinekg.sparql import questions as sparql_questions

    onto, cases = "https://example.org/cq/ontology", "https://example.org/cq/cases"
    records = [str(example_cases_path())]  # spinekg load adds their derived verdicts: a query-ready case graph
    assert cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", onto)[0] == 0
    assert cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", cases, *records)[0] == 0
    wrong = []
    for q in questions:
        text = _with_values(q.text, sparql_questions.bind_params(q, {})) if q.params else q.text
        params = {"query": text, "default-graph-uri": cases if q.graph == "cases" else onto}
        request = urllib.request.Request(f"{oxigraph_server}/query", data=urllib.parse.urlencode(params).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = _result(json.loads(response.read())).display()
        if answer != q.expected:
            wrong.append(q.name)
    assert wrong == [] and len(questions) >= 5


# ---- credentials: basic auth against a stand-in Graph Store server -------------------------------

class _FakeStore(BaseHTTPRequestHandler):
    """Accepts PUT ?graph= and a COUNT query; demands Basic auth alice:s3cret; can under-report."""

    graphs: dict[str, int] = {}
    lose = 0

    def log_message(self, *args):  # noqa: D401
        pass

    def _authorised(self) -> bool:
        expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        return True

    def do_PUT(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self._authorised():
            return
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        type(self).graphs[graph] = len({line for line in body.splitlines() if line.strip()}) - type(self).lose
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if not self._authorised():
            return
        query = urllib.parse.parse_qs(body)["query"][0]
        graph = query.split("GRAPH <", 1)[1].split(">", 1)[0]
        answer = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
            {"n": {"type": "literal", "value": str(type(self).graphs.get(graph, 0))}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture()
def fake_store():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        _FakeStore.lose = 0


def test_credentials_come_from_the_environment(fake_store, monkeypatch):
    monkeypatch.delenv(graph_store.USER_VAR, raising=False)
    monkeypatch.delenv(graph_store.PASSWORD_VAR, raising=False)
    with pytest.raises(errors.SpinekgError) as refused:
        graph_store.load_endpoint(f"{fake_store}/store", [EDGES], "https://example.org/g")
    assert "HTTP 401" in refused.value.message and graph_store.USER_VAR in refused.value.message
    monkeypatch.setenv(graph_store.USER_VAR, "alice")
    monkeypatch.setenv(graph_store.PASSWORD_VAR, "s3cret")
    report = graph_store.load_endpoint(f"{fake_store}/store", [EDGES], "https://example.org/g")
    assert (report.sent, report.counted) == (edge_lines(), edge_lines())
    assert "s3cret" not in report.summary()


def test_an_incomplete_load_is_reported(fake_store, monkeypatch):
    monkeypatch.setenv(graph_store.USER_VAR, "alice")
    monkeypatch.setenv(graph_store.PASSWORD_VAR, "s3cret")
    _FakeStore.lose = 1
    with pytest.raises(errors.SpinekgError) as incomplete:
        graph_store.load_endpoint(f"{fake_store}/store", [EDGES], "https://example.org/g")
    assert incomplete.value.exit_code == 1
    assert incomplete.value.message == (f"load incomplete: sent {edge_lines()} distinct triples, but graph "
                                        f"<https://example.org/g> at {fake_store}/store holds {edge_lines() - 1}")


def test_query_endpoint_is_guessed_beside_the_store():
    assert graph_store.query_endpoint_for("http://h:1/store") == "http://h:1/query"
    assert graph_store.query_endpoint_for("http://h:1/ds/data") == "http://h:1/ds/query"
    assert graph_store.query_endpoint_for("http://h:1/sparql") == "http://h:1/sparql"


# ---- embedded store ---------------------------------------------------------------------------------

def test_embedded_store_load_twice_and_query(tmp_path, cli):
    store = tmp_path / "store"
    for _ in range(2):
        code, out, err = cli("load", "--store", str(store))
        assert code == 0, err
        assert f"spinekg: loaded {edge_lines()} triples" in err
    engine = embedded.store_engine(store)
    result = engine.query("PREFIX spinekg: <https://w3id.org/spinekg/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                          "ASK { spinekg:LumbarMicrodiscectomy rdfs:subClassOf spinekg:BackSurgery }")
    assert result.boolean is True


def test_bad_data_file_leaves_the_store_untouched(tmp_path, cli):
    store = tmp_path / "store"
    assert cli("load", "--store", str(store))[0] == 0
    bad = tmp_path / "bad.nt"
    bad.write_text("<a:b> <a:c> <a:d> .\n<a:b> <a:c> oops\n", encoding="utf-8")
    code, _, err = cli("load", "--store", str(store), str(bad))
    assert (code, err.strip()) == (2, f"spinekg: error: {bad}: cannot parse as RDF: Parser error at line 2 between "
                                      "columns 13 and 17: The object of a triple must be an IRI, a blank node or a "
                                      "literal (bad.nt, line 2)")
    code, _, err = cli("load", "--store", str(store), "--no-verdicts", str(bad))
    assert (code, err.strip()) == (2, f"spinekg: error: {bad}:2: not an N-Triples line (no final '.')")
    engine = embedded.store_engine(store)
    count = engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0][1]
    assert int(count) == edge_lines()


@needs_oxigraph
def test_bulk_reload_into_oxigraph_replaces_the_graph(oxigraph_server, tmp_path, cli):
    from spinekg.cases.records import write_cases

    graph = "https://example.org/bulk"
    cases = write_cases(tmp_path / "cases.nt", 20, seed=5)
    expected = edge_lines() + len({line for line in cases.read_text(encoding="utf-8").splitlines() if line.strip()})
    for data in ([str(cases)], [str(cases)], []):
        code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, "--bulk",
                             "--no-verdicts", *data)
        assert code == 0, err
        assert graph_store.count_over_protocol(f"{oxigraph_server}/query", graph) == (expected if data else edge_lines())


# ---- reading the input fast, and replacing a graph without deleting what stays -------------------

def test_canonical_ntriples_are_sent_as_read_and_duplicates_count_once(tmp_path):
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    a.write_bytes(b"<x:a> <x:p> <x:b> .\n<x:a> <x:p> \"1\" .\n")
    b.write_bytes(b"<x:a> <x:p> <x:b> .\n<x:c> <x:p> _:n1 .")  # repeats a line; no final newline
    data = payload.read_payload([a, b])
    assert data.body == a.read_bytes() + b.read_bytes() + b"\n"
    assert data.count == 3 and data.blank_nodes
    assert payload.payload([a]) == (a.read_bytes(), 2)
    gaps = tmp_path / "gaps.nt"
    gaps.write_bytes(b"<x:a> <x:p> <x:b> .\n\n\n_:n <x:p> <x:b> .\n")
    assert payload.ntriples_lines(gaps) == [b"<x:a> <x:p> <x:b> .", b"_:n <x:p> <x:b> ."]
    assert payload.read_payload([gaps]).body == gaps.read_bytes()


def test_count_check_collects_the_lines_only_when_the_count_needs_them(tmp_path):
    body = b"<x:a> <x:p> <x:b> .\n" * 2 + b"<x:c> <x:p> <x:d> .\n"
    data = payload.Payload(body, 3, False)
    assert data.sent(3, into_empty=True) == 3 and data._lines is None  # 3 stored of 3 sent: all distinct
    assert data.sent(2, into_empty=True) == 2 and data._lines == {body[:19], body[-20:-1]}  # a repeat explains it
    assert payload.Payload(body, 3, False).sent(3, into_empty=False) == 2  # after a diff: always the distinct lines
    repeated = tmp_path / "repeated.nt"
    repeated.write_bytes(body)
    report = embedded.load_embedded(tmp_path / "store", [repeated], "https://example.org/g")
    assert (report.method, report.sent, report.counted) == ("first load", 2, 2)


def test_irregular_ntriples_lines_are_cleaned_or_refused(tmp_path):
    messy = tmp_path / "messy.nt"
    messy.write_bytes(b"# comment.\r\n\r\n  <x:a> <x:p> <x:b> .  \r\n\t<x:a> <x:p> <x:b> .\n")
    data = payload.read_payload([messy])
    assert (data.body, data.count) == (b"<x:a> <x:p> <x:b> .\n" * 2, 1)  # the store keeps one copy
    bad = tmp_path / "bad.nt"
    bad.write_bytes(b"<x:a> <x:p> <x:b> .\n\n# fine\n<x:a> <x:p> oops\n")
    with pytest.raises(errors.SpinekgError) as refused:
        payload.read_payload([bad])
    assert refused.value.message == f"{bad}:4: not an N-Triples line (no final '.')"


def test_large_bodies_are_cut_at_line_boundaries(monkeypatch):
    lines = [f"<x:s{i}> <x:p> \"{i}\" .".encode() for i in range(1000)]
    body = b"\n".join(lines) + b"\n"
    monkeypatch.setattr(payload, "PART_MIN_TRIPLES", 100)
    parts = payload._cut(body, len(lines), most=3)
    assert len(parts) == 3 and b"".join(parts) == body and all(p.endswith(b".\n") for p in parts)
    assert payload._cut(body, len(lines), most=1) == [body]
    monkeypatch.setattr(payload, "PART_MIN_TRIPLES", 600)
    assert payload._cut(body, len(lines), most=4) == [body]  # parts would be too small to be worth it
    assert payload.Payload(body, len(lines), blank_nodes=True).parts() == [body]  # labels are per document


class _Graph:
    """A stand-in for one graph of a store: a set of canonical lines, and a log of what was asked."""

    def __init__(self, lines=()):
        self.lines = set(lines)
        self.calls: list[str] = []

    def access(self, can_delete: bool = True) -> replace._Store:
        def count():
            self.calls.append("count")
            return len(self.lines)

        def dump(count):
            self.calls.append("dump")
            return [b"\n".join(sorted(self.lines)) + b"\n"]

        def bulk(body: bytes):
            self.calls.append("bulk")
            self.lines |= {line for line in body.split(b"\n") if line}

        def delete(lines):
            self.calls.append("delete")
            self.lines -= set(lines)

        def clear():
            self.calls.append("clear")
            self.lines.clear()

        return replace._Store(count=count, bulk=bulk, dump=dump, delete=delete if can_delete else None, clear=clear)


def _payload(lines) -> payload.Payload:
    lines = list(lines)
    return payload.Payload(b"\n".join(lines) + b"\n", len(lines), any(b"_:" in line for line in lines))


def _t(i: int, o: str = "o") -> bytes:
    return f"<x:s{i}> <x:p> <x:{o}> .".encode()


@pytest.mark.parametrize("stored, new, method, calls, removed, added", [
    ([], range(5), "first load", ["count", "bulk"], 0, 5),  # nothing to read back or delete
    (range(5), range(5), "diff", ["count", "dump"], 0, 0),  # the same data again: nothing written
    (range(3), range(5), "diff", ["count", "dump", "bulk"], 0, 2),
    ([0, 1, 9], range(5), "diff", ["count", "dump", "delete", "bulk"], 1, 3),  # delete first, then add
    (range(8), range(5), "diff", ["count", "dump", "delete"], 3, 0),
])
def test_replace_deletes_only_what_must_go(stored, new, method, calls, removed, added):
    graph = _Graph(map(_t, stored))
    data = _payload(map(_t, new))
    assert replace._replace(data, graph.access(), replace._Clock()) == (method, removed, added)
    assert graph.calls == calls and graph.lines == data.lines


def test_replace_clears_when_lines_cannot_be_matched():
    graph = _Graph(map(_t, range(4)))
    assert replace._replace(_payload(map(_t, range(5, 7))), graph.access(can_delete=False), replace._Clock())[0] == "full replace"
    assert graph.lines == set(map(_t, range(5, 7))) and graph.calls == ["count", "clear", "bulk"]
    blank = _payload([b"_:b <x:p> <x:o> ."])
    graph = _Graph(map(_t, range(4)))
    assert replace._replace(blank, graph.access(), replace._Clock())[0] == "full replace"
    assert graph.lines == blank.lines
    graph = _Graph([b"_:stored <x:p> <x:o> ."])  # blank nodes in the store: cannot be deleted line by line
    assert replace._replace(_payload(map(_t, range(2))), graph.access(), replace._Clock())[0] == "full replace"
    assert graph.lines == set(map(_t, range(2)))


def _embedded_count(store: Path, graph: str) -> int:
    opened = embedded.open_store(store, read_only=True)
    try:
        return int(next(iter(opened.query(replace._count_query(graph))))["n"].value)
    finally:
        del opened


def _has(store: Path, graph: str, line: bytes) -> bool:
    opened = embedded.open_store(store, read_only=True)
    try:
        return bool(opened.query(f"ASK {{ GRAPH <{graph}> {{ {line.decode()[:-1]} }} }}"))
    finally:
        del opened


def _distinct(*files: Path) -> set[bytes]:
    return {line for f in files for line in f.read_bytes().splitlines() if line.strip()}


def _reload_steps(tmp_path):
    """(files, method) for a first load and four reloads: same, other cases, fewer, more."""
    from spinekg.cases.records import write_cases

    a = write_cases(tmp_path / "a.nt", 60, seed=1)
    b = write_cases(tmp_path / "b.nt", 60, seed=2)
    gone, new = sorted(_distinct(a) - _distinct(b))[0], sorted(_distinct(b) - _distinct(a))[0]
    steps = [([EDGES, a], "first load"), ([EDGES, a], "diff"), ([EDGES, b], "diff"), ([EDGES], "diff"),
             ([EDGES, b], "diff")]
    return steps, gone, new


def _check_reloads(load, count, steps) -> None:
    before: set[bytes] = set()
    for files, method in steps:
        report = load(files)
        lines = _distinct(*files)
        # removed/added are exact line differences: the store writes these files' lines the same way
        assert (report.method, report.sent, report.counted) == (method, len(lines), len(lines))
        assert (report.removed, report.added) == (len(before - lines), len(lines - before))
        assert count() == len(lines)
        before = lines


def test_embedded_reloads_replace_without_duplicates(tmp_path, monkeypatch):
    monkeypatch.setattr(payload, "PART_MIN_TRIPLES", 100)  # small inputs still go in parallel parts
    store, graph = tmp_path / "store", "https://example.org/replace"
    steps, gone, new = _reload_steps(tmp_path)
    _check_reloads(lambda files: embedded.load_embedded(store, files, graph), lambda: _embedded_count(store, graph), steps)
    assert _has(store, graph, new) and not _has(store, graph, gone)


def test_embedded_reload_keeps_a_triple_spelled_differently(tmp_path):
    spelled = tmp_path / "spelled.nt"
    spelled.write_bytes(b'<x:a> <x:p> "v"^^<http://www.w3.org/2001/XMLSchema#string> .\n<x:a> <x:q> "W"@EN .\n')
    store, graph = tmp_path / "store", "https://example.org/spelled"
    assert embedded.load_embedded(store, [spelled], graph).method == "first load"
    report = embedded.load_embedded(store, [spelled], graph)  # the store writes "v" and @en: lines differ
    assert (report.method, report.counted, report.removed, report.added) == ("diff", 2, 2, 2)
    assert _embedded_count(store, graph) == 2


def test_embedded_blank_nodes_are_replaced_not_doubled(tmp_path):
    blank = tmp_path / "blank.nt"
    blank.write_bytes(b"_:n <x:p> <x:o> .\n_:n <x:q> \"1\" .\n")
    store, graph = tmp_path / "store", "https://example.org/blank"
    methods = [embedded.load_embedded(store, [blank], graph).method for _ in range(2)]
    assert methods == ["first load", "full replace"] and _embedded_count(store, graph) == 2


BLANK_CASES = """@prefix spinekg: <https://w3id.org/spinekg/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
[] a spinekg:SurgicalCase ; spinekg:caseId "b1" ; spinekg:caseDate "2024-01-01"^^xsd:date ;
   spinekg:hasProcedure [ a spinekg:LumbarMicrodiscectomy ; spinekg:hasSite [ a spinekg:DiscL4L5 ] ] .
[] a spinekg:SurgicalCase ; spinekg:caseId "b2" ; spinekg:caseDate "2024-01-02"^^xsd:date ;
   spinekg:hasProcedure [ a spinekg:AnteriorCervicalDiscectomyAndFusion ; spinekg:hasSite [ a spinekg:DiscC5C6 ] ] .
"""


def test_blank_node_cases_get_their_verdicts_in_the_embedded_store(tmp_path, cli):
    """A separate verdict file cannot name a blank-node case, so the embedded store gets the verdicts in
    place after the records; the count check includes them, and a reload does not double them."""
    from spinekg.stores import dataset

    cases = tmp_path / "blank-cases.ttl"
    cases.write_text(BLANK_CASES, encoding="utf-8")
    store = tmp_path / "store"
    # 2 cases: spine + back verdicts, one region and one or two recoveries each (ACDF: short)
    derived = 2 * 3 + 1 + 1
    for _ in range(2):
        code, out, err = cli("load", "--store", str(store), str(cases))
        assert code == 0, err
        assert err.splitlines()[0] == f"spinekg: derived {derived} case-verdict triples for the records in 1 file(s)"
        assert f"loaded {edge_lines() + 14 + derived} triples" in err and "count matches" in err
    engine = dataset.store_engine(store, "cases")
    answers = engine.query("PREFIX spinekg: <https://w3id.org/spinekg/> SELECT ?id ?back WHERE { "
                           "?case spinekg:caseId ?id ; spinekg:backSurgeryVerdict ?back } ORDER BY ?id").display()
    assert answers == [{"id": "b1", "back": "yes"}, {"id": "b2", "back": "no"}]


def test_blank_node_cases_are_refused_by_a_graph_store_server_before_sending(tmp_path, cli):
    cases = tmp_path / "blank-cases.ttl"
    cases.write_text(BLANK_CASES, encoding="utf-8")
    port = free_port()  # nothing listens there: the refusal comes before any request
    code, out, err = cli("load", "--endpoint", f"http://127.0.0.1:{port}/store", str(cases))
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith(f"spinekg: error: {cases}: 2 case record(s) are blank nodes, and a Graph Store server "
                          f"cannot be sent their derived verdicts")
    code, out, err = cli("load", "--endpoint", f"http://127.0.0.1:{port}/store", "--no-verdicts", str(cases))
    assert code == 3 and "cannot connect" in err  # without verdicts the load itself is attempted


def test_embedded_input_rejected_half_way_leaves_an_empty_graph(tmp_path, cli):
    store, graph = tmp_path / "store", "https://example.org/rejected"
    assert cli("load", "--store", str(store), "--graph", graph)[0] == 0
    bad = tmp_path / "bad.nt"
    bad.write_bytes(b"<x:a> <x:p> <x:b> .\n<x:a> <x:p> <not an iri> .\n")
    code, out, err = cli("load", "--store", str(store), "--graph", graph, str(bad))  # read for its verdicts first
    assert code == 2 and out == "" and err.startswith(f"spinekg: error: {bad}: cannot parse as RDF: ")
    assert _embedded_count(store, graph) == edge_lines()  # rejected before the store was touched
    code, out, err = cli("load", "--store", str(store), "--graph", graph, "--no-verdicts", str(bad))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("spinekg: error: input is not valid N-Triples: ")
    assert err.strip().endswith(f"(graph <{graph}> was left empty)")
    assert _embedded_count(store, graph) == 0


@needs_oxigraph
def test_bulk_reloads_into_oxigraph_delete_only_what_must_go(oxigraph_server, tmp_path, monkeypatch):
    monkeypatch.setattr(payload, "PART_MIN_TRIPLES", 100)  # parallel POSTs and parallel read-back slices
    graph, query = "https://example.org/bulk-paths", f"{oxigraph_server}/query"
    steps, gone, new = _reload_steps(tmp_path)
    _check_reloads(lambda files: graph_store.load_endpoint(f"{oxigraph_server}/store", files, graph, bulk=True),
                   lambda: graph_store.count_over_protocol(query, graph), steps)
    ask = graph_store.sparql_select
    assert ask(query, f"SELECT * WHERE {{ GRAPH <{graph}> {{ {new.decode()[:-1]} }} }}")["results"]["bindings"]
    assert not ask(query, f"SELECT * WHERE {{ GRAPH <{graph}> {{ {gone.decode()[:-1]} }} }}")["results"]["bindings"]


@needs_oxigraph
def test_slices_that_do_not_add_up_are_read_again_in_one_go(oxigraph_server, tmp_path, monkeypatch):
    from spinekg.cases.records import write_cases

    graph = "https://example.org/bulk-slices"
    files = [EDGES, write_cases(tmp_path / "a.nt", 30, seed=1)]
    graph_store.load_endpoint(f"{oxigraph_server}/store", files, graph, bulk=True)
    monkeypatch.setattr(payload, "PART_MIN_TRIPLES", 100)
    real = replace._slice_query
    monkeypatch.setattr(graph_store, "_slice_query", lambda g, offset, limit: real(g, 0, limit))  # overlapping slices
    report = graph_store.load_endpoint(f"{oxigraph_server}/store", [EDGES], graph, bulk=True)
    assert (report.method, report.added, report.counted) == ("diff", 0, edge_lines())
    assert report.removed == len(_distinct(*files)) - edge_lines()


@needs_oxigraph
def test_bulk_input_rejected_by_the_server_leaves_an_empty_graph(oxigraph_server, tmp_path, cli):
    graph = "https://example.org/bulk-rejected"
    assert cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, "--bulk")[0] == 0
    bad = tmp_path / "bad.nt"
    bad.write_bytes(b"<x:a> <x:p> <x:b> .\n<x:a> <x:p> <not an iri> .\n")
    code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, "--bulk",
                         "--no-verdicts", str(bad))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "HTTP 400" in err and err.strip().endswith(f"(graph <{graph}> was left empty)")
    assert graph_store.count_over_protocol(f"{oxigraph_server}/query", graph) == 0


@needs_oxigraph
def test_put_rejected_by_the_server_is_bad_input_and_changes_nothing(oxigraph_server, tmp_path, cli):
    graph = "https://example.org/put-rejected"
    assert cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph)[0] == 0
    bad = tmp_path / "bad.nt"
    bad.write_bytes(b"<x:a> <x:p> <x:b> .\n<x:a> <x:p> <not an iri> .\n")
    code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, "--no-verdicts", str(bad))
    assert code == 2 and out == "" and "HTTP 400" in err and len(err.strip().splitlines()) == 1
    assert graph_store.count_over_protocol(f"{oxigraph_server}/query", graph) == edge_lines()  # one transaction


def test_update_endpoint_is_guessed_beside_the_store():
    assert graph_store.update_endpoint_for("http://h:1/store") == "http://h:1/update"
    assert graph_store.update_endpoint_for("http://h:1/ds/data") == "http://h:1/ds/update"
    assert graph_store.update_endpoint_for("http://h:1/sparql") is None
