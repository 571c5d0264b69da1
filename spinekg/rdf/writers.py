"""RDF/XML and JSON-LD in deterministic bytes (rdflib's writers iterate hash-ordered sets).

RDF/XML is written the way the OWL API writes it, because pronto, OAK's pronto adapter, owlready2 and the
OWL API all read that form: typed node elements (``<owl:Class rdf:about=...>``, ``<owl:Ontology>`` first)
and blank nodes nested where they are used (restrictions, lists, axiom annotations) instead of
``rdf:nodeID`` references. Subjects and properties are sorted, so the bytes are stable.
"""
from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from ..errors import SpinekgError
from ..namespaces import SPINEKG
from .serialize import stable_bnodes

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def prefixes_of(graph: Graph) -> list[tuple[str, str]]:
    """Bound prefixes (the default one named ``spinekg``), longest namespace first so the most specific wins."""
    pairs = {(str(p) or ("spinekg" if str(n) == SPINEKG else ""), str(n)) for p, n in graph.namespaces() if str(n)}
    if any(n == SPINEKG for _, n in pairs):
        pairs = {(p, n) for p, n in pairs if p != "spinekg" or n == SPINEKG}
    return sorted(pairs, key=lambda pair: (-len(pair[1]), pair[0], pair[1]))


def _split(iri: str, prefixes: list[tuple[str, str]]) -> tuple[str, str] | None:
    for prefix, namespace in prefixes:
        if iri.startswith(namespace) and _NCNAME.match(iri[len(namespace):]):
            return prefix, iri[len(namespace):]
    return None


def sorted_triples(graph: Graph) -> tuple[list[object], dict[object, list[tuple[URIRef, object]]]]:
    """Subjects (ontology header first, then IRIs, then blank nodes) and their sorted (p, o) pairs."""
    by_subject: dict[object, list[tuple[URIRef, object]]] = {}
    for s, p, o in graph:
        by_subject.setdefault(s, []).append((p, o))
    for pairs in by_subject.values():
        pairs.sort(key=lambda po: (str(po[0]), po[1].n3()))
    headers = set(graph.subjects(RDF.type, OWL.Ontology))
    subjects = sorted(by_subject, key=lambda s: (s not in headers, isinstance(s, BNode), str(s)))
    return subjects, by_subject


def node_id(node: BNode) -> str:
    return "b" + re.sub(r"[^A-Za-z0-9_]", "_", str(node))


# The type that names a node element when a subject has several (the most specific OWL term first).
_TYPE_RANK = [OWL.Ontology, OWL.Class, OWL.ObjectProperty, OWL.AnnotationProperty, OWL.DatatypeProperty,
              OWL.NamedIndividual, OWL.Restriction, OWL.Axiom, OWL.AllDisjointClasses]


def rdfxml_text(graph: Graph) -> str:
    """RDF/XML with typed node elements and nested blank nodes: stable bytes for OWL API, pronto, owlready2."""
    graph = stable_bnodes(graph)
    prefixes = [(p, n) for p, n in prefixes_of(graph) if p and p not in ("xml",)]
    prefixes = [pair for pair in prefixes if pair[0] != "rdf"] + [("rdf", str(RDF))]
    used: dict[str, str] = {"rdf": str(RDF)}
    extra: dict[str, str] = {}
    subjects, by_subject = sorted_triples(graph)
    uses: dict[BNode, int] = {}
    for _s, _p, o in graph:
        if isinstance(o, BNode):
            uses[o] = uses.get(o, 0) + 1
    nested = {b for b, n in uses.items() if n == 1}

    def qname(iri: str) -> str | None:
        found = _split(iri, sorted(prefixes + list(extra.items()), key=lambda x: -len(x[1])))
        if found is None:
            cut = max(iri.rfind("#"), iri.rfind("/")) + 1
            if not _NCNAME.match(iri[cut:]):
                return None
            namespace = iri[:cut]
            prefix = next((p for p, n in extra.items() if n == namespace), None) or f"ns{len(extra) + 1}"
            extra[prefix] = namespace
            found = (prefix, iri[cut:])
        used[found[0]] = dict(prefixes + list(extra.items()))[found[0]]
        return f"{found[0]}:{found[1]}"

    def element_type(subject: object) -> URIRef | None:
        types = [o for p, o in by_subject.get(subject, ()) if p == RDF.type and isinstance(o, URIRef)]
        ranked = [t for t in _TYPE_RANK if t in types] + sorted(t for t in types if t not in _TYPE_RANK)
        return next((t for t in ranked if qname(str(t)) is not None), None)

    body: list[str] = []

    def write_node(subject: object, indent: str, attrs: str) -> None:
        kind = element_type(subject)
        tag = qname(str(kind)) if kind is not None else "rdf:Description"
        pairs = [(p, o) for p, o in by_subject.get(subject, ()) if not (p == RDF.type and o == kind)]
        if not pairs:
            body.append(f"{indent}<{tag}{attrs}/>")
            return
        body.append(f"{indent}<{tag}{attrs}>")
        for p, o in pairs:
            name = qname(str(p))
            if name is None:
                raise SpinekgError(f"RDF/XML: cannot write property <{p}> as an XML name", 4)
            inner = indent + "  "
            if isinstance(o, BNode) and o in nested:
                body.append(f"{inner}<{name}>")
                write_node(o, inner + "  ", "")
                body.append(f"{inner}</{name}>")
            elif isinstance(o, BNode):
                body.append(f"{inner}<{name} rdf:nodeID={quoteattr(node_id(o))}/>")
            elif isinstance(o, URIRef):
                body.append(f"{inner}<{name} rdf:resource={quoteattr(str(o))}/>")
            else:
                extra_attrs = ""
                if o.language:
                    extra_attrs = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None:
                    extra_attrs = f" rdf:datatype={quoteattr(str(o.datatype))}"
                text = escape(str(o), {"\r": "&#13;"})
                body.append(f"{inner}<{name}{extra_attrs}>{text}</{name}>")
        body.append(f"{indent}</{tag}>")

    for subject in subjects:
        if isinstance(subject, BNode):
            if subject in nested:
                continue
            attrs = f" rdf:nodeID={quoteattr(node_id(subject))}" if subject in uses else ""
        else:
            attrs = f" rdf:about={quoteattr(str(subject))}"
        write_node(subject, "  ", attrs)
    declarations = "".join(f"\n    xmlns:{p}={quoteattr(n)}" for p, n in sorted(used.items()))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f"<rdf:RDF{declarations}>\n" + "\n".join(body) + "\n</rdf:RDF>\n")


def jsonld_text(graph: Graph) -> str:
    """Flattened JSON-LD (one object per subject, sorted) with the graph's prefixes as the context."""
    graph = stable_bnodes(graph)
    prefixes = [(p, n) for p, n in prefixes_of(graph) if p and p != "_"]
    used: dict[str, str] = {}

    def compact(iri: str) -> str:
        for prefix, namespace in prefixes:
            rest = iri[len(namespace):]
            if iri.startswith(namespace) and rest and not rest.startswith("//") and _NCNAME.match(rest):
                used[prefix] = namespace
                return f"{prefix}:{rest}"
        return iri

    def node_ref(node: object) -> str:
        return f"_:{node_id(node)}" if isinstance(node, BNode) else compact(str(node))

    def value(o: object) -> dict[str, str]:
        if isinstance(o, (URIRef, BNode)):
            return {"@id": node_ref(o)}
        assert isinstance(o, Literal)
        item = {"@value": str(o)}
        if o.language:
            item["@language"] = o.language
        elif o.datatype is not None and o.datatype != XSD.string:
            item["@type"] = compact(str(o.datatype))
        return item

    subjects, by_subject = sorted_triples(graph)
    nodes = []
    for subject in subjects:
        node: dict[str, object] = {"@id": node_ref(subject)}
        for p, o in by_subject[subject]:
            if p == RDF.type and isinstance(o, URIRef):
                node.setdefault("@type", []).append(compact(str(o)))  # type: ignore[union-attr]
            else:
                node.setdefault(compact(str(p)), []).append(value(o))  # type: ignore[union-attr]
        nodes.append(node)
    document = {"@context": dict(sorted(used.items())), "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
