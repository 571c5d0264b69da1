"""Write the release set: the same ontology in the formats users load, in deterministic bytes.

Every file carries its own ontology IRI, ``owl:versionIRI`` and ``owl:versionInfo`` (ODK style: one
IRI per variant), and building twice, under any ``PYTHONHASHSEED``, gives identical bytes. rdflib's
RDF/XML and JSON-LD writers iterate hash-ordered sets, so those two formats are written here from
sorted, canonically-labelled triples instead.

The writer takes a (graph, classification) pair and a base name, so a profile build can write
``spinekg-<profile>*`` files from its own classification.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .edges import build_edges_graph
from ..errors import SpinekgError
from ..namespaces import ONTOLOGY_IRI, SPINEKG
from ..paths import DATA_DIR, ontology_dir
from .reasoning import Classification
from ..rdf.serialize import copy_graph, ntriples, stable_bnodes, turtle
from ..files import write_atomically

RELEASE_DIR = DATA_DIR / "release"
DCTERMS_TITLE = URIRef("http://purl.org/dc/terms/title")
DCTERMS_LICENSE = URIRef("http://purl.org/dc/terms/license")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")

# Labels for vocabulary terms that appear as nodes of the query-ready graph (owl.ttl and SKOS give
# them labels in their own documents; we repeat them so every node can be shown by name).
VOCABULARY_LABELS: dict[URIRef, str] = {
    OWL.Class: "class", OWL.ObjectProperty: "object property", OWL.AnnotationProperty: "annotation property",
    OWL.DatatypeProperty: "datatype property", OWL.NamedIndividual: "named individual", OWL.Ontology: "ontology",
    OWL.TransitiveProperty: "transitive property", OWL.SymmetricProperty: "symmetric property",
    OWL.FunctionalProperty: "functional property", OWL.Thing: "thing", OWL.Nothing: "nothing",
    OWL.Restriction: "restriction",
    SKOS.exactMatch: "has exact match", SKOS.closeMatch: "has close match", SKOS.broadMatch: "has broader match",
    SKOS.narrowMatch: "has narrower match", SKOS.related: "has related", SKOS.mappingRelation: "is in mapping relation with",
    SKOS.example: "example", SKOS.definition: "definition", SKOS.note: "note", SKOS.scopeNote: "scope note",
    SKOS.prefLabel: "preferred label", SKOS.altLabel: "alternative label",
    XSD.string: "string", XSD.boolean: "boolean", XSD.integer: "integer", XSD.decimal: "decimal",
    XSD.date: "date", XSD.dateTime: "date-time", XSD.anyURI: "any URI", RDFS.Literal: "literal",
    RDFS.label: "label", RDFS.comment: "comment", RDFS.subClassOf: "subclass of", RDFS.seeAlso: "see also",
    CC_BY: "Creative Commons Attribution 4.0 International (CC BY 4.0)",
}

CURIE_OF_PREFIX = {"UBERON": "http://purl.obolibrary.org/obo/UBERON_", "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
                   "DOID": "http://purl.obolibrary.org/obo/DOID_", "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
                   "MESH": "http://id.nlm.nih.gov/mesh/", "NUCC": "http://nucc.org/provider-taxonomy/"}


@dataclass(frozen=True)
class Variant:
    """One released graph: its file stem and the ontology IRI it is published under."""

    stem: str

    @property
    def iri(self) -> URIRef:
        return URIRef(f"{SPINEKG}{self.stem}.owl")

    def version_iri(self, version: str) -> URIRef:
        return URIRef(f"{SPINEKG}releases/{version}/{self.stem}.owl")


# ---- graph variants ---------------------------------------------------------------------------------

def version_of(graph: Graph) -> str:
    """The release version: ``owl:versionInfo`` of the ontology header (the single source of truth)."""
    versions = sorted(str(v) for v in graph.objects(URIRef(ONTOLOGY_IRI), OWL.versionInfo))
    if len(versions) != 1:
        raise SpinekgError(f"ontology header <{ONTOLOGY_IRI}> must have exactly one owl:versionInfo, found {len(versions)}")
    return versions[0]


def with_header(graph: Graph, variant: Variant, version: str, source: Graph) -> Graph:
    """Replace the ontology header of ``graph`` by ``variant``'s, copying title, licence, ... from ``source``."""
    header = URIRef(ONTOLOGY_IRI)
    for subject in list(graph.subjects(RDF.type, OWL.Ontology)):
        graph.remove((subject, None, None))
    for _, p, o in source.triples((header, None, None)):
        if p not in (OWL.versionIRI, OWL.versionInfo, OWL.imports):
            graph.add((variant.iri, p, o))
    graph.add((variant.iri, OWL.versionIRI, variant.version_iri(version)))
    graph.add((variant.iri, OWL.versionInfo, Literal(version)))
    return graph


def direct_parents(classification: Classification) -> dict[str, set[str]]:
    """The transitive reduction of HermiT's named-class hierarchy (equivalent classes kept apart)."""
    same: dict[str, set[str]] = {}
    for group in classification.equivalents:
        for name in group:
            same[name] = set(group)
    parents: dict[str, set[str]] = {}
    for name, ancestors in classification.ancestors.items():
        candidates = {a for a in ancestors if a not in same.get(name, ())}
        parents[name] = {a for a in candidates
                         if not any(a in classification.ancestors.get(b, ()) and b not in same.get(a, ())
                                    for b in candidates if b != a)}
    return parents


def inferred_graph(graph: Graph, classification: Classification) -> Graph:
    """Asserted axioms plus HermiT's direct named superclasses and proved equivalences (ROBOT ``reason`` style)."""
    result = copy_graph(graph)
    for name, parents in direct_parents(classification).items():
        for parent in parents:
            result.add((URIRef(SPINEKG + name), RDFS.subClassOf, URIRef(SPINEKG + parent)))
    for group in classification.equivalents:
        members = sorted(group)
        for other in members[1:]:
            result.add((URIRef(SPINEKG + members[0]), OWL.equivalentClass, URIRef(SPINEKG + other)))
    return result


def reference_labels(directory: Path | None = None) -> dict[URIRef, str]:
    """Labels of the external terms we cross-reference, from the shipped verified reference table."""
    from ..tsv import read_tsv

    path = (directory or ontology_dir()) / "reference" / "external_terms.tsv"
    labels: dict[URIRef, str] = {}
    for row in read_tsv(path, ("curie", "label")):
        prefix, _, local = row["curie"].partition(":")
        if prefix in CURIE_OF_PREFIX and row["label"].strip():
            labels[URIRef(CURIE_OF_PREFIX[prefix] + local)] = row["label"].strip()
    return labels


def iri_nodes(graph: Graph) -> set[URIRef]:
    """Every IRI used as a subject or object (the nodes of the graph; predicates are its edges)."""
    nodes: set[URIRef] = set()
    for s, _, o in graph:
        for node in (s, o):
            if isinstance(node, URIRef):
                nodes.add(node)
    return nodes


def unlabelled(graph: Graph) -> list[URIRef]:
    return sorted(node for node in iri_nodes(graph) if (node, RDFS.label, None) not in graph)


def fill_labels(graph: Graph, variant: Variant, version: str, source: Graph) -> None:
    """Give every node of the query-ready graph a label; fail, naming them, when one cannot be found."""
    known = dict(VOCABULARY_LABELS)
    known.update(reference_labels())
    titles = sorted(str(t) for t in source.objects(URIRef(ONTOLOGY_IRI), DCTERMS_TITLE))
    title = titles[0] if titles else "spinekg"
    known[variant.iri] = f"{title} ({variant.stem})"
    known[variant.version_iri(version)] = f"{title} ({variant.stem}) release {version}"
    missing = []
    for node in unlabelled(graph):
        if node in known:
            graph.add((node, RDFS.label, Literal(known[node], lang="en")))
        else:
            missing.append(str(node))
    if missing:
        raise SpinekgError(f"query-ready graph: no label for {len(missing)} node(s): {', '.join(missing[:5])}", 1)


def edges_release_graph(graph: Graph, classification: Classification, variant: Variant, version: str) -> Graph:
    """The query-ready graph with its own header and a label on every node."""
    edges = build_edges_graph(graph, classification)
    with_header(edges, variant, version, graph)
    fill_labels(edges, variant, version, graph)
    blank = [t for t in edges if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    if blank:
        raise SpinekgError(f"query-ready graph: {len(blank)} triple(s) with blank nodes", 4)
    return edges


_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def _prefixes(graph: Graph) -> list[tuple[str, str]]:
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


def _sorted_triples(graph: Graph) -> tuple[list[object], dict[object, list[tuple[URIRef, object]]]]:
    """Subjects (ontology header first, then IRIs, then blank nodes) and their sorted (p, o) pairs."""
    by_subject: dict[object, list[tuple[URIRef, object]]] = {}
    for s, p, o in graph:
        by_subject.setdefault(s, []).append((p, o))
    for pairs in by_subject.values():
        pairs.sort(key=lambda po: (str(po[0]), po[1].n3()))
    headers = set(graph.subjects(RDF.type, OWL.Ontology))
    subjects = sorted(by_subject, key=lambda s: (s not in headers, isinstance(s, BNode), str(s)))
    return subjects, by_subject


def _node_id(node: BNode) -> str:
    return "b" + re.sub(r"[^A-Za-z0-9_]", "_", str(node))


def rdfxml_text(graph: Graph) -> str:
    """RDF/XML with sorted subjects and properties: stable bytes, readable by owlready2, OWLAPI and Protégé."""
    graph = stable_bnodes(graph)
    prefixes = [(p, n) for p, n in _prefixes(graph) if p and p not in ("xml",)]
    prefixes = [pair for pair in prefixes if pair[0] != "rdf"] + [("rdf", str(RDF))]
    used: dict[str, str] = {"rdf": str(RDF)}
    extra: dict[str, str] = {}
    subjects, by_subject = _sorted_triples(graph)

    def qname(iri: str) -> str:
        found = _split(iri, sorted(prefixes + list(extra.items()), key=lambda x: -len(x[1])))
        if found is None:
            cut = max(iri.rfind("#"), iri.rfind("/")) + 1
            namespace = iri[:cut]
            if not _NCNAME.match(iri[cut:]):
                raise SpinekgError(f"RDF/XML: cannot write property <{iri}> as an XML name", 4)
            prefix = next((p for p, n in extra.items() if n == namespace), None) or f"ns{len(extra) + 1}"
            extra[prefix] = namespace
            found = (prefix, iri[cut:])
        used[found[0]] = dict(prefixes + list(extra.items()))[found[0]]
        return f"{found[0]}:{found[1]}"

    body: list[str] = []
    for subject in subjects:
        about = f"rdf:nodeID={quoteattr(_node_id(subject))}" if isinstance(subject, BNode) else f"rdf:about={quoteattr(str(subject))}"
        body.append(f"  <rdf:Description {about}>")
        for p, o in by_subject[subject]:
            name = qname(str(p))
            if isinstance(o, BNode):
                body.append(f"    <{name} rdf:nodeID={quoteattr(_node_id(o))}/>")
            elif isinstance(o, URIRef):
                body.append(f"    <{name} rdf:resource={quoteattr(str(o))}/>")
            else:
                attrs = ""
                if o.language:
                    attrs = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None:
                    attrs = f" rdf:datatype={quoteattr(str(o.datatype))}"
                text = escape(str(o), {"\r": "&#13;"})
                body.append(f"    <{name}{attrs}>{text}</{name}>")
        body.append("  </rdf:Description>")
    declarations = "".join(f"\n    xmlns:{p}={quoteattr(n)}" for p, n in sorted(used.items()))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f"<rdf:RDF{declarations}>\n" + "\n".join(body) + "\n</rdf:RDF>\n")


def jsonld_text(graph: Graph) -> str:
    """Flattened JSON-LD (one object per subject, sorted) with the graph's prefixes as the context."""
    graph = stable_bnodes(graph)
    prefixes = [(p, n) for p, n in _prefixes(graph) if p and p != "_"]
    used: dict[str, str] = {}

    def compact(iri: str) -> str:
        for prefix, namespace in prefixes:
            rest = iri[len(namespace):]
            if iri.startswith(namespace) and rest and not rest.startswith("//") and _NCNAME.match(rest):
                used[prefix] = namespace
                return f"{prefix}:{rest}"
        return iri

    def node_ref(node: object) -> str:
        return f"_:{_node_id(node)}" if isinstance(node, BNode) else compact(str(node))

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

    subjects, by_subject = _sorted_triples(graph)
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


# ---- the release set ------------------------------------------------------------------------------

def release_texts(graph: Graph, classification: Classification, stem: str = "spinekg") -> dict[str, str]:
    """File name -> text for the whole release set (computed in memory, so a failure writes nothing)."""
    from .property_graph import property_graph_texts

    version = version_of(graph)
    asserted = with_header(copy_graph(graph), Variant(stem), version, graph)
    inferred = with_header(inferred_graph(graph, classification), Variant(f"{stem}-inferred"), version, graph)
    edges = edges_release_graph(graph, classification, Variant(f"{stem}-edges"), version)
    texts = {
        f"{stem}-edges.nt": ntriples(edges),
        f"{stem}-edges.ttl": turtle(edges),
        f"{stem}.ttl": turtle(asserted),
        f"{stem}.nt": ntriples(asserted),
        f"{stem}.owl": rdfxml_text(asserted),
        f"{stem}.jsonld": jsonld_text(asserted),
        f"{stem}-inferred.ttl": turtle(inferred),
    }
    texts.update(property_graph_texts(edges, stem, version, graph))
    return texts


def write_release(graph: Graph, classification: Classification, out: Path = RELEASE_DIR,
                  stem: str = "spinekg") -> list[Path]:
    """Write the release set into ``out`` (each file atomically) and return the paths written."""
    texts = release_texts(graph, classification, stem)
    written = []
    for name in sorted(texts):
        path = Path(out) / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != texts[name]:
            write_atomically(path, texts[name])
        written.append(path)
    return written


RELEASE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".jsonld": "json-ld"}


def release_rdf_files(directory: Path = RELEASE_DIR) -> list[Path]:
    return sorted(p for p in Path(directory).iterdir() if p.suffix in RELEASE_FORMATS)
