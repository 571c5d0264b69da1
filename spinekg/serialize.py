"""Deterministic RDF serialisation: the same graph gives the same bytes, whatever the hash seed."""
from __future__ import annotations

from rdflib import Graph
from rdflib.compare import to_canonical_graph


def canonical(graph: Graph) -> Graph:
    """A copy with canonical blank-node labels and the original prefix bindings."""
    result = Graph()
    for triple in to_canonical_graph(graph):
        result.add(triple)
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    return result


def turtle_text(graph: Graph) -> str:
    return canonical(graph).serialize(format="longturtle")


def ntriples_text(graph: Graph) -> str:
    lines = canonical(graph).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"
