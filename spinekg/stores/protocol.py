"""SPARQL 1.1 Protocol details the endpoint honours beyond running a query: the dataset a query names
(``FROM`` / ``FROM NAMED``), result formats for graph results (RDF/XML when a client asks ``format=xml``
as SPARQLWrapper does, JSON-LD), CORS for one opted-in origin, and the service description a client gets
from ``GET /sparql`` without a query.

Kept apart from ``endpoint.py`` (the HTTP server and its worker processes) so that each can change
without the other: the endpoint calls these functions through small hooks.
"""
from __future__ import annotations

import re
import urllib.parse

from ..errors import SpinekgError

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
# Media types of graph results (CONSTRUCT / DESCRIBE), and the names a ``format=`` parameter may use.
GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "ntriples", "application/rdf+xml": "rdfxml",
               "application/ld+json": "jsonld", "application/json": "jsonld", "application/xml": "rdfxml"}
GRAPH_ALIASES = {"xml": "rdfxml", "json": "jsonld", "rdfxml": "rdfxml", "jsonld": "jsonld", "turtle": "turtle",
                 "ntriples": "ntriples", "ttl": "turtle", "nt": "ntriples"}
EXTRA_MEDIA_TYPES = {"jsonld": "application/ld+json"}
ALLOWED_METHODS = "GET, POST, HEAD, OPTIONS"

_STRIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.S)
# FROM before the WHERE clause: a dataset clause (``FROM`` cannot appear anywhere else in a query).
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.I)


def names_dataset(query: str) -> bool:
    """Whether the query has a dataset clause (``FROM`` or ``FROM NAMED``, outside strings, IRIs and
    comments). Such a query gets exactly the dataset it names; only a query without one (and without
    ``default-graph-uri`` / ``named-graph-uri``) sees every named graph as its default graph."""
    return bool(_FROM.search(_STRIP.sub(" ", query)))


def dataset_options(ox, query: str, default_graphs: list[str], named_graphs: list[str]) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """pyoxigraph ``Store.query`` options for the dataset: the protocol's graphs win over the query's
    own ``FROM`` (SPARQL 1.1 Protocol §2.1.4); with neither, the union of all graphs is the default."""
    options: dict[str, object] = {}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    if not options and not names_dataset(query):
        options["use_default_graph_as_union"] = True
    return options


def graph_formats(ox) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """Serialisers for graph results by format name."""
    return {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
            "jsonld": ox.RdfFormat.JSON_LD}


def wanted_graph_formats(format_param: str, accepted: list[str]) -> list[str]:
    """Graph result formats in order of preference: ``format=`` first (``xml`` means RDF/XML and ``json``
    JSON-LD for a graph), then the ``Accept`` header; Turtle when nothing matches."""
    first = [GRAPH_ALIASES[format_param]] if format_param in GRAPH_ALIASES else []
    return first + accepted


def check_cors_origin(origin: str | None) -> str | None:
    """The ``--cors`` value, checked: ``*`` or one ``scheme://host[:port]`` origin (no path)."""
    if origin is None or origin == "*":
        return origin
    parts = urllib.parse.urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("",) or parts.query:
        raise SpinekgError(f"--cors {origin!r}: expected '*' or an origin such as http://localhost:8080 (no path)")
    return origin


def cors_headers(origin: str | None, preflight: bool = False) -> dict[str, str]:
    """Response headers for the opted-in origin (none when CORS is off)."""
    if origin is None:
        return {}
    headers = {"Access-Control-Allow-Origin": origin}
    if origin != "*":
        headers["Vary"] = "Origin"
    if preflight:
        headers.update({"Access-Control-Allow-Methods": ALLOWED_METHODS,
                        "Access-Control-Allow-Headers": "Accept, Content-Type", "Access-Control-Max-Age": "600"})
    return headers


def service_description(endpoint_url: str, named_graphs: list[str]) -> str:
    """The SPARQL 1.1 Service Description of this endpoint as N-Triples (sorted, so byte-identical for the
    same store): read-only SPARQL 1.1 Query, the result formats, the union default graph and the named
    graphs the store holds."""
    service, dataset, default = "_:service", "_:dataset", "_:default"
    triples = [(service, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{SD}Service>"),
               (service, f"<{SD}endpoint>", f"<{endpoint_url}>"),
               (service, f"<{SD}supportedLanguage>", f"<{SD}SPARQL11Query>"),
               (service, f"<{SD}feature>", f"<{SD}UnionDefaultGraph>"),
               (service, f"<{SD}defaultDataset>", dataset),
               (dataset, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{SD}Dataset>"),
               (dataset, f"<{SD}defaultGraph>", default),
               (default, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{SD}Graph>")]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        triples.append((service, f"<{SD}resultFormat>", f"<{FORMATS}{name}>"))
    for number, graph in enumerate(sorted(named_graphs)):
        node = f"_:named{number}"
        triples += [(dataset, f"<{SD}namedGraph>", node), (node, f"<{SD}name>", f"<{graph}>"),
                    (node, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{SD}NamedGraph>")]
    return "".join(sorted(f"{s} {p} {o} .\n" for s, p, o in triples))


GRAPH_LIST_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
