"""The vocabulary, shape files and ontology graph every SHACL run in spinekg shares.

Why the ontology graph is built here and not loaded from a release file: validation must run without Java.
The graph is the query-ready edges graph (``spinekg.edges``) computed from the asserted ontology and a
subclass closure made of the asserted parents plus what HermiT entailed at build time (the runtime index
keeps it). A test proves it equal to the edges graph of a fresh HermiT run for every class a case record
can use. Record-wise validation gives each engine run only the part of it the case shapes read
(``spinekg.shacl_records``): it is never validated itself, the case shapes target records.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ..namespaces import SPINEKG
from ..paths import ontology_dir

SHAPES = URIRef(SPINEKG + "shapes/")
CASE = URIRef(SPINEKG + "SurgicalCase")
HAS_PROCEDURE = URIRef(SPINEKG + "hasProcedure")
HAS_SITE = URIRef(SPINEKG + "hasSite")
LEVEL_TEXT = URIRef(SPINEKG + "levelText")
HAS_APPROACH = URIRef(SPINEKG + "hasApproach")
CASE_ID = URIRef(SPINEKG + "caseId")
DERIVED = (URIRef(SPINEKG + "spineSurgeryVerdict"), URIRef(SPINEKG + "backSurgeryVerdict"),
           URIRef(SPINEKG + "inRegion"), URIRef(SPINEKG + "expectedRecovery"))
CASE_SHAPE_FILES = ("case-records.ttl",)
QUALITY_SHAPE_FILES = ("ontology-quality.ttl",)
RULE_FILES = ("rules.ttl",)


def shapes_dir() -> Path:
    return ontology_dir() / "shapes"


def index_classification(graph: Graph, index: dict | None = None):  # type: ignore[no-untyped-def]
    """Subclass closure without Java: asserted named parents plus the HermiT entailments kept in the index."""
    from ..build.asserted import read_asserted
    from ..answer.index import load_index
    from ..build.reasoning import Classification

    index = index if index is not None else load_index()
    asserted = read_asserted(graph)
    names = {str(s)[len(SPINEKG):] for s in graph.subjects(RDF.type, OWL.Class)
             if isinstance(s, URIRef) and str(s).startswith(SPINEKG)}
    ancestors: dict[str, set[str]] = {}
    for name in sorted(names):
        found = set(asserted.superclasses(name))
        found |= set(index["anatomy"].get(name, {}).get("ancestors", []))
        found |= set(index["procedures"].get(name, {}).get("classes", []))
        for ancestor in list(found):
            found |= set(asserted.superclasses(ancestor))
        found.discard(name)
        ancestors[name] = found
    return Classification(ancestors=ancestors, unsatisfiable=set())


@lru_cache(maxsize=1)
def _shipped_ontology_graph() -> Graph:
    from ..build.edges import build_edges_graph
    from ..build.ontology import load_ontology

    graph = load_ontology()
    return build_edges_graph(graph, index_classification(graph))


_EXTENDED: dict[int, Graph] = {}


def ontology_graph() -> Graph:
    """The query-ready graph of the shipped ontology (cached; do not mutate), with the triples that the
    process's extensions add or remove (``spinekg.prepare_extensions``), so their terms are known."""
    from ..answer.index import load_index

    change = load_index().get("extension_edges")
    if not change:
        return _shipped_ontology_graph()
    key = id(change)
    if key not in _EXTENDED:
        graph = Graph()
        for triple in _shipped_ontology_graph():
            graph.add(triple)
        for triple in Graph().parse(data="\n".join(change["removed"]) + "\n", format="nt"):
            graph.remove(triple)
        graph.parse(data="\n".join(change["added"]) + "\n", format="nt")
        _EXTENDED.clear()
        _EXTENDED[key] = graph
    return _EXTENDED[key]


@lru_cache(maxsize=8)
def load_shapes(names: tuple[str, ...]) -> Graph:
    from ..rdf.parse import parse_file

    graph = Graph()
    for name in names:
        parse_file(shapes_dir() / name, graph)
    return graph
