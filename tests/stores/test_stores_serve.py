"""``spinekg serve``: a read-only SPARQL 1.1 Protocol endpoint (SPARQLWrapper, browser, no update, no
SERVICE, a query timeout that really stops the query)."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from spinekg.stores.endpoint import uses_service

SPINEKG = "https://w3id.org/spinekg/"
PREFIXES = "PREFIX spinekg: <https://w3id.org/spinekg/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    store = tmp_path_factory.mktemp("served") / "store"
    load = subprocess.run([sys.executable, "-m", "spinekg.cli", "load", "--store", str(store)], capture_output=True, text=True)
    assert load.returncode == 0, load.stderr
    proc = subprocess.Popen([sys.executable, "-m", "spinekg.cli", "serve", "--store", str(store), "--port", "0",
                             "--timeout", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert "read-only at http://127.0.0.1:" in line, proc.stderr.read() if proc.poll() is not None else line
        yield line.split(" at ")[1].split()[0]
    finally:
        proc.terminate()
        proc.wait(20)


def http(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode()


def test_binds_loopback_only(endpoint):
    assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/sparql")


def test_sparqlwrapper_get_and_post(endpoint):
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    for method in (SPARQLWrapper.GET, SPARQLWrapper.POST):
        client = SPARQLWrapper.SPARQLWrapper(endpoint)
        client.setMethod(method)
        client.setReturnFormat(SPARQLWrapper.JSON)
        client.setQuery(PREFIXES + "SELECT ?label WHERE { spinekg:LumbarMicrodiscectomy rdfs:label ?label }")
        rows = client.query().convert()["results"]["bindings"]
        assert [r["label"]["value"] for r in rows] == ["lumbar microdiscectomy"]
        client.setQuery(PREFIXES + "ASK { spinekg:AnteriorCervicalDiscectomyAndFusion rdfs:subClassOf spinekg:BackSurgery }")
        assert client.query().convert()["boolean"] is False


def test_content_negotiation(endpoint):
    query = urllib.parse.urlencode({"query": PREFIXES + "SELECT ?l WHERE { spinekg:DiscL4L5 rdfs:label ?l }"})
    status, kind, body = http(f"{endpoint}?{query}", headers={"Accept": "text/csv"})
    assert (status, kind, body) == (200, "text/csv; charset=utf-8", "l\r\nL4-L5 intervertebral disc\r\n")
    construct = urllib.parse.urlencode({"query": PREFIXES + "CONSTRUCT { spinekg:DiscL4L5 rdfs:label ?l } WHERE { spinekg:DiscL4L5 rdfs:label ?l }"})
    status, kind, body = http(f"{endpoint}?{construct}", headers={"Accept": "application/n-triples"})
    assert status == 200 and kind == "application/n-triples"
    assert body.strip() == f'<{SPINEKG}DiscL4L5> <http://www.w3.org/2000/01/rdf-schema#label> "L4-L5 intervertebral disc"@en .'


def test_browser_gets_a_form_and_an_html_table(endpoint):
    status, kind, body = http(endpoint, headers={"Accept": "text/html"})  # "/" is the page (tests/views/test_web.py)
    assert status == 200 and kind.startswith("text/html") and "<textarea name='query'" in body
    query = urllib.parse.urlencode({"query": PREFIXES + "SELECT ?l WHERE { spinekg:DiscL4L5 rdfs:label ?l }"})
    status, kind, body = http(f"{endpoint}?{query}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert status == 200 and "<td>L4-L5 intervertebral disc</td>" in body and "1 row(s)" in body


def test_updates_are_refused(endpoint):
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    assert http(endpoint, form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert http(endpoint, b"DROP ALL", {"Content-Type": "application/sparql-update"})[0] == 403
    status, _, body = http(endpoint, urllib.parse.urlencode({"query": "DROP ALL"}).encode(),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and body.startswith("query syntax error")
    request = urllib.request.Request(endpoint, data=b"x", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405
    count = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert int(json.loads(http(f"{endpoint}?{count}")[2])["results"]["bindings"][0]["n"]["value"]) > 1000


def test_service_is_refused_and_never_contacted(endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    port = listener.getsockname()[1]
    query = urllib.parse.urlencode({"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"})
    status, _, body = http(f"{endpoint}?{query}")
    assert (status, body.strip()) == (400, "SERVICE (federated query) is disabled on this endpoint")
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_service_detection_ignores_strings_iris_and_comments():
    assert uses_service("SELECT * { service <http://x/> { ?s ?p ?o } }")
    assert uses_service("SELECT * {?a ?b ?c FILTER(?a<3)SERVICE<http://x/>{?s ?p ?o}}")
    assert not uses_service('SELECT * { ?s rdfs:label "SERVICE" } # SERVICE here')
    assert not uses_service("SELECT ?service { ?service a <http://x/SERVICE> . ?x ex:SERVICE ?y }")


def test_a_slow_query_is_stopped_and_the_endpoint_recovers(endpoint):
    slow = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    start = time.time()
    status, _, body = http(f"{endpoint}?{slow}")
    assert (status, body.strip()) == (503, "query exceeded the 2 s timeout and was stopped")
    assert time.time() - start < 10
    ask = urllib.parse.urlencode({"query": PREFIXES + "ASK { spinekg:DiscL5S1 rdfs:label ?l }"})
    assert json.loads(http(f"{endpoint}?{ask}")[2])["boolean"] is True


def test_serve_without_a_store_is_a_one_line_error(tmp_path, cli):
    code, out, err = cli("serve", "--store", str(tmp_path / "none"), "--port", "0")
    assert code == 2 and err.strip() == (f"spinekg: error: {tmp_path / 'none'}: no Oxigraph store here; "
                                         f"create one with 'spinekg load --store {tmp_path / 'none'}'")
