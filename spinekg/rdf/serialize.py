"""Deterministic RDF serialisation: the same graph gives the same bytes, whatever the hash seed.

One writer for every artifact (generated modules, release files, SHACL reports, inferred triples): blank
nodes get content-derived labels (:func:`stable_bnodes`), N-Triples lines are sorted, Turtle is
``longturtle`` (subjects sorted, blank nodes nested).
"""
from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

from ..errors import SpinekgError


def copy_graph(graph: Graph) -> Graph:
    """A plain copy that keeps the prefix bindings, so Turtle output keeps its readable prefixes."""
    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        result.add(triple)
    return result


def canonical(graph: Graph) -> Graph:
    """A copy with rdflib's canonical blank-node labels and the original prefix bindings (general, slow)."""
    result = Graph()
    for triple in to_canonical_graph(graph):
        result.add(triple)
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    return result


def stable_bnodes(graph: Graph) -> Graph:
    """A copy whose blank nodes are named by a hash of their content and of where they hang.

    OWL's blank nodes (restrictions, unions, lists, axioms) form trees: each is the object of at most one
    triple. For such graphs this naming is canonical (the same graph gives the same labels under any hash
    seed) and takes milliseconds, where rdflib's general canonicalisation takes ~30 s on the merged
    ontology. Any other shape falls back to rdflib's algorithm.
    """
    incoming: dict[BNode, list[tuple[object, URIRef]]] = {}
    outgoing: dict[BNode, list[tuple[URIRef, object]]] = {}
    for s, p, o in graph:
        if isinstance(o, BNode):
            incoming.setdefault(o, []).append((s, p))
        if isinstance(s, BNode):
            outgoing.setdefault(s, []).append((p, o))
    bnodes = set(incoming) | set(outgoing)
    if not bnodes:
        return copy_graph(graph)
    if any(len(incoming.get(b, ())) > 1 for b in bnodes):
        return canonical(graph)

    content: dict[BNode, str] = {}

    def content_of(node: BNode, depth: int = 0) -> str:
        if node not in content:
            if depth > 10_000:
                raise SpinekgError("blank nodes form a cycle", 4)
            parts = sorted(f"{p.n3()} {content_of(o, depth + 1) if isinstance(o, BNode) else o.n3()}"
                           for p, o in outgoing.get(node, ()))
            content[node] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return content[node]

    labels: dict[BNode, str] = {}
    taken: dict[str, int] = {}

    def label_of(node: BNode, depth: int = 0) -> str:
        if node not in labels:
            if depth > 10_000:
                raise SpinekgError("blank nodes form a cycle", 4)
            parent, predicate = incoming[node][0] if node in incoming else (None, RDF.nil)  # a root: [] a owl:AllDisjointClasses
            where = label_of(parent, depth + 1) if isinstance(parent, BNode) else parent.n3() if parent else ""
            digest = hashlib.sha256(f"{where} {predicate.n3()} {content_of(node)}".encode()).hexdigest()[:24]
            # identical twins (same parent, predicate and content) are interchangeable: number them
            count = taken.get(digest, 0)
            taken[digest] = count + 1
            labels[node] = f"b{digest}" + (f"_{count}" if count else "")
        return labels[node]

    result = Graph()
    for prefix, namespace in graph.namespaces():
        result.bind(prefix, namespace, override=True, replace=True)
    for s, p, o in graph:
        result.add((BNode(label_of(s)) if isinstance(s, BNode) else s, p,
                    BNode(label_of(o)) if isinstance(o, BNode) else o))
    return result


def turtle(graph: Graph) -> str:
    """Deterministic Turtle (``longturtle``: blank nodes nested, subjects sorted), with ``@prefix``
    directives: OWL API 3/4 (Protégé, ROBOT) do not read the SPARQL-style ``PREFIX`` that longturtle writes."""
    text = stable_bnodes(graph).serialize(format="longturtle")
    head, lines = [], text.split("\n")
    while lines and lines[0].startswith("PREFIX "):
        head.append("@prefix " + lines.pop(0)[len("PREFIX "):] + " .")
    return "\n".join(head + lines)


def ntriples(graph: Graph) -> str:
    """Sorted N-Triples with stable blank-node labels."""
    lines = stable_bnodes(graph).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


# Names used by the generators and commands.
turtle_text = turtle
ntriples_text = ntriples
