"""The endpoint's SPARQL 1.1 Protocol details: the dataset a query names (FROM / FROM NAMED) against the
union default graph, RDF/XML and JSON-LD graph results (SPARQLWrapper's ``format=xml``), HEAD, OPTIONS,
opt-in CORS and the service description at GET /sparql; still read-only and refusing SERVICE."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from spinekg.errors import SpinekgError
from spinekg.stores import protocol
from spinekg.stores.endpoint import make_server, serve_in_thread
from spinekg.stores.loader import load

SPINEKG = "https://w3id.org/spinekg/"
P = "PREFIX spinekg: <https://w3id.org/spinekg/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
EXTRA = "https://example.org/extra"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A store with the ontology in the default load graph and one triple in a second named graph."""
    tmp = tmp_path_factory.mktemp("protocol")
    store = tmp / "store"
    from spinekg.stores.dataset import require_release_edges

    load(require_release_edges(), [], store=store)
    extra = tmp / "extra.nt"
    extra.write_text(f'<{SPINEKG}Only> <http://www.w3.org/2000/01/rdf-schema#label> "only in extra" .\n')
    load(None, [extra], store=store, graph=EXTRA, verdicts=False)
    server = make_server(store, 0, timeout=5, workers=1, cors="http://localhost:8080")
    serve_in_thread(server)
    yield server.url
    server.shutdown()
    server.server_close()


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def select_labels(endpoint: str, query: str, **params: str) -> list[str]:
    status, _, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': query, **params}, doseq=True)}",
                           headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return sorted(row["l"]["value"] for row in json.loads(body)["results"]["bindings"])


def test_from_and_from_named_are_honoured_and_the_union_is_only_the_default(endpoint):
    both = P + "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(?s IN (spinekg:Only, spinekg:DiscL4L5)) }"
    assert select_labels(endpoint, both) == ["L4-L5 intervertebral disc", "only in extra"]
    from_extra = P + f"SELECT ?l FROM <{EXTRA}> WHERE {{ ?s rdfs:label ?l FILTER(?s IN (spinekg:Only, spinekg:DiscL4L5)) }}"
    assert select_labels(endpoint, from_extra) == ["only in extra"]
    # FROM NAMED alone: an empty default graph, the named graph reachable with GRAPH
    named = P + f"SELECT ?l FROM NAMED <{EXTRA}> WHERE {{ {{ ?s rdfs:label ?l }} UNION {{ GRAPH ?g {{ ?s rdfs:label ?l }} }} }}"
    assert select_labels(endpoint, named) == ["only in extra"]
    # the protocol's default-graph-uri wins over the query's FROM (SPARQL 1.1 Protocol 2.1.4)
    assert select_labels(endpoint, from_extra, **{"default-graph-uri": SPINEKG + "graph"}) == ["L4-L5 intervertebral disc"]
    # "FROM" inside a string or an IRI is not a dataset clause
    assert not protocol.names_dataset(P + 'SELECT * { ?s rdfs:label "FROM" ; <http://x/FROM> ?o } # FROM')
    assert protocol.names_dataset("SELECT * from <http://x/> { ?s ?p ?o }")


CONSTRUCT = P + "CONSTRUCT { spinekg:DiscL4L5 rdfs:label ?l } WHERE { spinekg:DiscL4L5 rdfs:label ?l }"


def test_graph_results_as_rdf_xml_for_format_xml_and_accept(endpoint):
    for extra, headers in (({"format": "xml"}, {}), ({}, {"Accept": "application/rdf+xml"})):
        status, head, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': CONSTRUCT, **extra})}", headers=headers)
        assert status == 200 and head["Content-Type"] == "application/rdf+xml"
        assert body.startswith("<?xml") and f'rdf:about="{SPINEKG}DiscL4L5"' in body
        assert "L4-L5 intervertebral disc</" in body
    # a SELECT with format=xml is still SPARQL Results XML
    select = P + "SELECT ?l WHERE { spinekg:DiscL4L5 rdfs:label ?l }"
    status, head, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': select, 'format': 'xml'})}")
    assert head["Content-Type"] == "application/sparql-results+xml" and "<literal xml:lang=\"en\">L4-L5" in body


def test_sparqlwrapper_construct_with_its_default_format(endpoint):
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    client = SPARQLWrapper.SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT)
    graph = client.query().convert()  # RDF/XML parsed by rdflib
    assert [str(o) for o in graph.objects()] == ["L4-L5 intervertebral disc"]


def test_graph_results_as_json_ld(endpoint):
    status, head, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': CONSTRUCT})}",
                              headers={"Accept": "application/ld+json"})
    assert status == 200 and head["Content-Type"] == "application/ld+json; charset=utf-8"
    assert json.loads(body) == [{"@id": SPINEKG + "DiscL4L5", "http://www.w3.org/2000/01/rdf-schema#label":
                                 [{"@value": "L4-L5 intervertebral disc", "@language": "en"}]}]


def test_head_options_and_cors(endpoint):
    query = urllib.parse.urlencode({"query": P + "ASK { spinekg:DiscL5S1 rdfs:label ?l }"})
    status, head, body = http(f"{endpoint}?{query}", method="HEAD")
    assert (status, body) == (200, "") and head["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    assert int(head["Content-Length"]) == len(http(f"{endpoint}?{query}")[2].encode())
    status, head, _ = http(endpoint, method="OPTIONS", headers={"Origin": "http://localhost:8080",
                                                                 "Access-Control-Request-Method": "POST"})
    assert status == 204 and head["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert head["Access-Control-Allow-Origin"] == "http://localhost:8080"
    assert head["Access-Control-Allow-Methods"] == "GET, POST, HEAD, OPTIONS"
    assert http(f"{endpoint}?{query}")[1]["Access-Control-Allow-Origin"] == "http://localhost:8080"
    assert http(endpoint, b"x", method="PUT")[0] == 405


def test_cors_is_off_by_default_and_the_origin_is_checked():
    assert protocol.cors_headers(None) == {}
    assert protocol.check_cors_origin("*") == "*"
    for bad in ("localhost", "http://localhost:8080/app", "ftp://x"):
        with pytest.raises(SpinekgError, match="--cors"):
            protocol.check_cors_origin(bad)


def test_service_description(endpoint):
    import pyoxigraph as ox

    status, head, body = http(endpoint, headers={"Accept": "text/turtle"})
    assert status == 200 and head["Content-Type"] == "text/turtle; charset=utf-8"
    graph = ox.Store()
    graph.load(body.encode(), format=ox.RdfFormat.TURTLE)
    sd = "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
    rows = graph.query(sd + "SELECT ?endpoint ?name WHERE { ?s a sd:Service ; sd:endpoint ?endpoint ; "
                            "sd:supportedLanguage sd:SPARQL11Query ; sd:feature sd:UnionDefaultGraph ; "
                            "sd:defaultDataset/sd:namedGraph/sd:name ?name } ORDER BY ?name")
    assert [(r["endpoint"].value, r["name"].value) for r in rows] == [(endpoint, EXTRA), (endpoint, SPINEKG + "graph")]
    assert http(endpoint, headers={"Accept": "application/rdf+xml"})[1]["Content-Type"] == "application/rdf+xml"
    assert protocol.service_description(endpoint, ["http://b", "http://a"]) == protocol.service_description(
        endpoint, ["http://a", "http://b"])


def test_still_read_only_and_no_service(endpoint):
    for text in ("LOAD <http://example.org/x>", "INSERT DATA { <http://a> <http://b> <http://c> }"):
        status, _, body = http(endpoint, urllib.parse.urlencode({"query": text}).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 400 and body.startswith("query syntax error")
    status, _, body = http(endpoint, b"LOAD <http://example.org/x>", {"Content-Type": "application/sparql-update"})
    assert status == 403
    status, _, body = http(f"{endpoint}?{urllib.parse.urlencode({'query': 'SELECT * { SERVICE <http://x/> { ?s ?p ?o } }'})}")
    assert (status, body.strip()) == (400, "SERVICE (federated query) is disabled on this endpoint")
