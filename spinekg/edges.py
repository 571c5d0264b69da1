"""The query-ready graph: asserted annotations, the HermiT-inferred subclass closure, and direct edges
(part of, has site, treats, ...) materialised from existential restrictions, relation-graph style.

SPARQL users and graph databases then never walk OWL restriction blank nodes: ``?p spinekg:hasSite ?s``
and ``?x rdfs:subClassOf spinekg:BackSurgery`` answer directly. The graph has no blank nodes.
"""
from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .asserted import read_asserted
from .namespaces import PART_OF, SPINEKG, local_name
from .reasoning import Classification

# Properties materialised as direct edges. part_of is transitive, so its edges are closed.
EDGE_PROPERTIES = ["hasSite", "hasApproach", "hasObjective", "treats", "typicallyPerformedBy",
                   "typicalRecovery", "affects", "mayRequireSpecialty", "hasTraining", local_name(PART_OF)]


def _iri(name: str) -> URIRef:
    return URIRef(name if name.startswith("http") else SPINEKG + name)


def build_edges_graph(graph: Graph, classification: Classification) -> Graph:
    asserted = read_asserted(graph)
    edges = Graph()
    for prefix, namespace in graph.namespaces():
        edges.bind(prefix, namespace)
    for s, p, o in graph:  # everything that does not involve a blank node (labels, xrefs, claims, ...)
        if not isinstance(s, BNode) and not isinstance(o, BNode):
            edges.add((s, p, o))
    named = sorted(n for n in classification.ancestors if not n.startswith("ZoneProbe__"))
    ancestors = {n: sorted(classification.ancestors[n]) for n in named}
    for name in named:
        for ancestor in ancestors[name]:
            edges.add((_iri(name), RDFS.subClassOf, _iri(ancestor)))
    part_of = {}
    for name in named:
        for prop in EDGE_PROPERTIES:
            targets = set()
            for owner in [name] + ancestors[name]:
                for filler in asserted.some.get(owner, {}).get(prop, []):
                    if len(filler) == 1:
                        targets.add(filler[0])
            if prop == local_name(PART_OF):
                part_of[name] = targets
            else:
                for target in targets:
                    edges.add((_iri(name), _iri(prop), _iri(target)))
    # close part of over itself and over subclass links of the whole
    for name in named:
        seen, stack = set(), list(part_of.get(name, ()))
        while stack:
            whole = stack.pop()
            if whole in seen:
                continue
            seen.add(whole)
            stack.extend(part_of.get(whole, ()))
        for whole in seen:
            edges.add((_iri(name), URIRef(PART_OF), _iri(whole)))
    for prop in EDGE_PROPERTIES:
        edges.add((_iri(prop) if prop != local_name(PART_OF) else URIRef(PART_OF), RDF.type, OWL.ObjectProperty))
    return edges
