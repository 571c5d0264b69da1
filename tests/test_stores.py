"""Loading into a real Oxigraph server and the embedded store; the read-only SPARQL endpoint.

The server tests start ``oxigraph serve`` on a free 127.0.0.1 port, load the release twice through the
Graph Store Protocol, check the count is unchanged, run every competency question over the SPARQL
protocol against its expected answer, and stop the server.
"""
from __future__ import annotations

import base64
import json
import os
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

from spinekg import stores
from spinekg.release import RELEASE_DIR

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
        assert out.strip() == (f"loaded {edge_lines()} triples into graph <{graph}> at {oxigraph_server}/store in "
                               + out.split(" in ")[1].split(" s ")[0] + f" s (sent {edge_lines()}; count matches)")
        assert stores.count_over_protocol(f"{oxigraph_server}/query", graph) == edge_lines()
    assert total_triples(oxigraph_server) >= edge_lines()


@needs_oxigraph
def test_case_records_load_with_the_ontology(oxigraph_server, tmp_path, cli):
    from spinekg.cases import write_cases

    cases = write_cases(tmp_path / "cases.nt", 50, seed=3)
    case_lines = {line for line in cases.read_text(encoding="utf-8").splitlines() if line.strip()}
    graph = "https://example.org/with-cases"
    code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, str(cases))
    assert code == 0, err
    assert stores.count_over_protocol(f"{oxigraph_server}/query", graph) == edge_lines() + len(case_lines)


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
        from spinekg import sparql

        return sparql.list_questions()
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
    from spinekg.sparql import XSD_STRING, LANG_STRING, QueryResult

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
def test_every_competency_question_over_the_sparql_protocol(oxigraph_server, cli):
    questions = [q for q in _questions() if q.expected is not None]
    if not questions:
        pytest.skip("no competency questions with expected answers")
    from spinekg import sparql
    from spinekg.cases import example_cases_path

    onto, cases = "https://example.org/cq/ontology", "https://example.org/cq/cases"
    assert cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", onto)[0] == 0
    assert cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", cases, str(example_cases_path()))[0] == 0
    wrong = []
    for q in questions:
        text = _with_values(q.text, sparql.bind_params(q, {})) if q.params else q.text
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
    monkeypatch.delenv(stores.USER_VAR, raising=False)
    monkeypatch.delenv(stores.PASSWORD_VAR, raising=False)
    with pytest.raises(stores.SpinekgError) as refused:
        stores.load_endpoint(f"{fake_store}/store", [EDGES], "https://example.org/g")
    assert "HTTP 401" in refused.value.message and stores.USER_VAR in refused.value.message
    monkeypatch.setenv(stores.USER_VAR, "alice")
    monkeypatch.setenv(stores.PASSWORD_VAR, "s3cret")
    report = stores.load_endpoint(f"{fake_store}/store", [EDGES], "https://example.org/g")
    assert (report.sent, report.counted) == (edge_lines(), edge_lines())
    assert "s3cret" not in report.summary()


def test_an_incomplete_load_is_reported(fake_store, monkeypatch):
    monkeypatch.setenv(stores.USER_VAR, "alice")
    monkeypatch.setenv(stores.PASSWORD_VAR, "s3cret")
    _FakeStore.lose = 1
    with pytest.raises(stores.SpinekgError) as incomplete:
        stores.load_endpoint(f"{fake_store}/store", [EDGES], "https://example.org/g")
    assert incomplete.value.exit_code == 1
    assert incomplete.value.message == (f"load incomplete: sent {edge_lines()} distinct triples, but graph "
                                        f"<https://example.org/g> at {fake_store}/store holds {edge_lines() - 1}")


def test_query_endpoint_is_guessed_beside_the_store():
    assert stores.query_endpoint_for("http://h:1/store") == "http://h:1/query"
    assert stores.query_endpoint_for("http://h:1/ds/data") == "http://h:1/ds/query"
    assert stores.query_endpoint_for("http://h:1/sparql") == "http://h:1/sparql"


# ---- embedded store ---------------------------------------------------------------------------------

def test_embedded_store_load_twice_and_query(tmp_path, cli):
    store = tmp_path / "store"
    for _ in range(2):
        code, out, err = cli("load", "--store", str(store))
        assert code == 0, err
        assert f"loaded {edge_lines()} triples" in out
    engine = stores.store_engine(store)
    result = engine.query("PREFIX spinekg: <https://w3id.org/spinekg/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                          "ASK { spinekg:LumbarMicrodiscectomy rdfs:subClassOf spinekg:BackSurgery }")
    assert result.boolean is True


def test_bad_data_file_leaves_the_store_untouched(tmp_path, cli):
    store = tmp_path / "store"
    assert cli("load", "--store", str(store))[0] == 0
    bad = tmp_path / "bad.nt"
    bad.write_text("<a:b> <a:c> <a:d> .\n<a:b> <a:c> oops\n", encoding="utf-8")
    code, _, err = cli("load", "--store", str(store), str(bad))
    assert (code, err.strip()) == (2, f"spinekg: error: {bad}:2: not an N-Triples line (no final '.')")
    engine = stores.store_engine(store)
    count = engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0][1]
    assert int(count) == edge_lines()


@needs_oxigraph
def test_bulk_reload_into_oxigraph_replaces_the_graph(oxigraph_server, tmp_path, cli):
    from spinekg.cases import write_cases

    graph = "https://example.org/bulk"
    cases = write_cases(tmp_path / "cases.nt", 20, seed=5)
    expected = edge_lines() + len({line for line in cases.read_text(encoding="utf-8").splitlines() if line.strip()})
    for data in ([str(cases)], [str(cases)], []):
        code, out, err = cli("load", "--endpoint", f"{oxigraph_server}/store", "--graph", graph, "--bulk", *data)
        assert code == 0, err
        assert stores.count_over_protocol(f"{oxigraph_server}/query", graph) == (expected if data else edge_lines())
