"""Write the release set: the same ontology in the formats users load, in deterministic bytes.

Every file carries its own ontology IRI, ``owl:versionIRI`` and ``owl:versionInfo`` (ODK style: one
IRI per variant), and building twice, under any ``PYTHONHASHSEED``, gives identical bytes. rdflib's
RDF/XML and JSON-LD writers iterate hash-ordered sets, so those two formats are written here from
sorted, canonically-labelled triples instead.

The writer takes a (graph, classification) pair and a base name, so a profile build can write
``spinekg-<profile>*`` files from its own classification.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from .edges import build_edges_graph
from .obo_formats import add_abbreviation_synonyms, obo_text, obographs_text
from .site_groups import site_groups_text
from ..errors import SpinekgError
from ..namespaces import ONTOLOGY_IRI, SPINEKG
from ..paths import DATA_DIR, ontology_dir
from .reasoning import Classification
from ..rdf.serialize import copy_graph, ntriples, turtle
from ..rdf.writers import jsonld_text, rdfxml_text
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
    graph.bind("spinekg", SPINEKG, override=True, replace=True)  # '@prefix spinekg:', not the empty prefix (OAK CURIEs)
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


# ---- the release set ------------------------------------------------------------------------------

def release_graphs(graph: Graph, classification: Classification, stem: str = "spinekg") -> dict[str, Graph]:
    """The released graphs by variant stem, named as ODK names them: ``spinekg`` the classified full
    release (asserted + HermiT's direct superclasses and equivalences), ``spinekg-base`` the asserted
    axioms, ``spinekg-edges`` the query-ready simple graph (named edges, no blank nodes)."""
    version = version_of(graph)
    source = add_abbreviation_synonyms(copy_graph(graph))
    return {
        stem: with_header(inferred_graph(source, classification), Variant(stem), version, graph),
        f"{stem}-base": with_header(source, Variant(f"{stem}-base"), version, graph),
        f"{stem}-edges": edges_release_graph(graph, classification, Variant(f"{stem}-edges"), version),
    }


def release_texts(graph: Graph, classification: Classification, stem: str = "spinekg") -> dict[str, str]:
    """File name -> text for the whole release set (computed in memory, so a failure writes nothing)."""
    from .property_graph import property_graph_texts

    version = version_of(graph)
    graphs = release_graphs(graph, classification, stem)
    full, base, edges = graphs[stem], graphs[f"{stem}-base"], graphs[f"{stem}-edges"]
    full_iri, full_version = str(Variant(stem).iri), str(Variant(stem).version_iri(version))
    texts = {
        f"{stem}-edges.nt": ntriples(edges),
        f"{stem}-edges.ttl": turtle(edges),
        f"{stem}.owl": rdfxml_text(full),
        f"{stem}.ttl": turtle(full),
        f"{stem}.nt": ntriples(full),
        f"{stem}.jsonld": jsonld_text(full),
        f"{stem}.obo": obo_text(full, full_iri, full_version, version),
        f"{stem}.json": obographs_text(full, full_iri, full_version, version),
        f"{stem}-base.owl": rdfxml_text(base),
        f"{stem}-base.ttl": turtle(base),
        f"{stem}-site-groups.nt": site_groups_text(version),
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


RELEASE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".jsonld": "json-ld"}  # the RDF files (not .obo/.json)


def release_rdf_files(directory: Path = RELEASE_DIR) -> list[Path]:
    return sorted(p for p in Path(directory).iterdir() if p.suffix in RELEASE_FORMATS)
