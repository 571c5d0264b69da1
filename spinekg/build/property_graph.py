"""Property-graph export of the query-ready graph, for Cypher databases (Neo4j and Kuzu).

Nodes are the IRIs of the query-ready graph (every one has a label there); relationships are its
IRI-to-IRI triples, typed by predicate (``PART_OF``, ``HAS_SITE``, ``SUBCLASS_OF``, ...), plus one
``DISJOINT_WITH`` per pair of an ``owl:AllDisjointClasses`` axiom of the asserted ontology (kept out of
the query-ready graph because it is a blank-node list). The CSV headers follow ``neo4j-admin database
import`` (``iri:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``); ``-neo4j.cypher`` loads the same
files into Neo4j with ``LOAD CSV``, ``-kuzu.cypher`` into Kuzu with ``COPY`` (their dialects differ). Part-of
edges are already transitively closed, as in the RDF graph, so one hop and ``*`` paths agree. Node
properties: curie, label, definition, versionInfo, ``seedSection`` (the seed sections a term or claim comes
from, ``;``-separated), ``quote`` (a seed claim's words) and, for anatomy, ``backSurgerySite`` ("yes" /
"no" / "depends": does surgery there count as back surgery, the seed answer of the query-ready graph).
Labels: ``Resource``, the OWL kind, ``SeedClaim`` and property characteristics (``TransitiveProperty`` ...).
"""
from __future__ import annotations

import csv
import io
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import BACK_SURGERY_SITE, CURIE_PREFIXES, DEFINITION, HAS_PART, PART_OF, SPINEKG

NODE_HEADER = ["iri:ID", "curie", "label", "definition", "versionInfo", "backSurgerySite", "seedSection", "quote", ":LABEL"]
SEED_SECTION, QUOTE, SEED_CLAIM = SPINEKG + "seedSection", SPINEKG + "quote", SPINEKG + "SeedClaim"
RELATIONSHIP_HEADER = [":START_ID", ":END_ID", ":TYPE"]

RELATIONSHIP_TYPES: dict[str, str] = {
    str(RDFS.subClassOf): "SUBCLASS_OF", str(RDFS.subPropertyOf): "SUBPROPERTY_OF",
    str(RDFS.domain): "DOMAIN", str(RDFS.range): "RANGE", str(RDFS.seeAlso): "SEE_ALSO",
    str(OWL.equivalentClass): "EQUIVALENT_TO", str(OWL.inverseOf): "INVERSE_OF", str(OWL.disjointWith): "DISJOINT_WITH",
    str(OWL.versionIRI): "VERSION_IRI", str(DCTERMS.license): "LICENSE",
    str(SKOS.exactMatch): "EXACT_MATCH", str(SKOS.closeMatch): "CLOSE_MATCH",
    str(SKOS.broadMatch): "BROAD_MATCH", str(SKOS.narrowMatch): "NARROW_MATCH",
    PART_OF: "PART_OF", HAS_PART: "HAS_PART",
}
NODE_KINDS: dict[str, str] = {
    str(OWL.Class): "Class", str(OWL.ObjectProperty): "ObjectProperty", str(OWL.AnnotationProperty): "AnnotationProperty",
    str(OWL.DatatypeProperty): "DatatypeProperty", str(OWL.NamedIndividual): "Individual", str(OWL.Ontology): "Ontology",
    SEED_CLAIM: "SeedClaim",
    **{str(OWL) + f"{kind}Property": f"{kind}Property" for kind in (
        "Transitive", "Functional", "InverseFunctional", "Symmetric", "Asymmetric", "Reflexive", "Irreflexive")},
}


def relationship_type(predicate: str) -> str:
    """``spinekg:hasSite`` -> ``HAS_SITE``; fixed names for the standard vocabularies."""
    if predicate in RELATIONSHIP_TYPES:
        return RELATIONSHIP_TYPES[predicate]
    local = re.split(r"[#/]", predicate)[-1]
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", local)
    return re.sub(r"[^A-Za-z0-9]+", "_", words).strip("_").upper()


def curie(iri: str, graph: Graph) -> str:
    for prefix, namespace in sorted(CURIE_PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    for prefix, namespace in sorted(((str(p), str(n)) for p, n in graph.namespaces() if p),
                                    key=lambda kv: (-len(kv[1]), kv[0])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _first_text(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    values = sorted((str(v) for v in graph.objects(subject, predicate) if isinstance(v, Literal)))
    return " ".join(values[0].split()) if values else ""


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def node_rows(edges: Graph) -> list[list[str]]:
    nodes = sorted({n for s, _, o in edges for n in (s, o) if isinstance(n, URIRef)}, key=str)
    rows = []
    for node in nodes:
        kinds = sorted({NODE_KINDS[str(t)] for t in edges.objects(node, RDF.type) if str(t) in NODE_KINDS})
        if str(node).startswith(SPINEKG):
            kinds.append("Spinekg")
        rows.append([str(node), curie(str(node), edges), _first_text(edges, node, RDFS.label),
                     _first_text(edges, node, URIRef(DEFINITION)), _first_text(edges, node, OWL.versionInfo),
                     _first_text(edges, node, URIRef(BACK_SURGERY_SITE)),
                     ";".join(sorted(str(v) for v in edges.objects(node, URIRef(SEED_SECTION)))),
                     _first_text(edges, node, URIRef(QUOTE)), ";".join(["Resource"] + kinds)])
    return rows


def all_disjoint_pairs(ontology: Graph) -> list[tuple[str, str]]:
    """Every pair of named classes of an ``owl:AllDisjointClasses`` axiom (each pair once, sorted)."""
    from rdflib.collection import Collection

    pairs = set()
    for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        for members in ontology.objects(axiom, OWL.members):
            named = sorted(str(m) for m in Collection(ontology, members) if isinstance(m, URIRef))
            pairs |= {(a, b) for i, a in enumerate(named) for b in named[i + 1:]}
    return sorted(pairs)


def relationship_rows(edges: Graph, disjoint: list[tuple[str, str]] = ()) -> list[list[str]]:  # type: ignore[assignment]
    rows = {(str(s), str(o), relationship_type(str(p))) for s, p, o in edges
            if isinstance(s, URIRef) and isinstance(o, URIRef) and p != RDF.type}
    asserted = {(a, b) for a, b, kind in rows if kind == "DISJOINT_WITH"}
    rows |= {(a, b, "DISJOINT_WITH") for a, b in disjoint if (b, a) not in asserted}
    return [list(row) for row in sorted(rows)]


def cypher_script(stem: str, version_iri: str, version: str, node_labels: list[str], types: list[str]) -> str:
    """A Neo4j 5 script (not Kuzu: see :func:`kuzu_script`) that loads the two CSV files with LOAD CSV."""
    nodes, rels = f"file:///{stem}-nodes.csv", f"file:///{stem}-relationships.csv"
    lines = [
        f"// {stem} property graph for Neo4j 5 (versionIRI {version_iri}, versionInfo {version}).",
        f"// Copy {stem}-nodes.csv and {stem}-relationships.csv into Neo4j's import directory, then run:",
        f"//   cypher-shell -f {stem}-neo4j.cypher",
        "// Or bulk-load an empty database with the same files:",
        f"//   neo4j-admin database import full --nodes={stem}-nodes.csv --relationships={stem}-relationships.csv neo4j",
        "CREATE CONSTRAINT spinekg_resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE;",
        f"LOAD CSV WITH HEADERS FROM '{nodes}' AS row",
        "MERGE (n:Resource {iri: row.`iri:ID`})",
        "SET n.curie = row.curie, n.label = row.label, n.definition = row.definition, n.versionInfo = row.versionInfo,",
        "    n.backSurgerySite = CASE row.backSurgerySite WHEN '' THEN null ELSE row.backSurgerySite END,",
        "    n.seedSection = CASE row.seedSection WHEN '' THEN null ELSE split(row.seedSection, ';') END,",
        "    n.quote = CASE row.quote WHEN '' THEN null ELSE row.quote END;",
    ]
    for label in node_labels:
        lines.append(f"LOAD CSV WITH HEADERS FROM '{nodes}' AS row WITH row WHERE '{label}' IN split(row.`:LABEL`, ';') "
                     f"MATCH (n:Resource {{iri: row.`iri:ID`}}) SET n:{label};")
    for rel in types:
        lines.append(f"LOAD CSV WITH HEADERS FROM '{rels}' AS row WITH row WHERE row.`:TYPE` = '{rel}' "
                     f"MATCH (a:Resource {{iri: row.`:START_ID`}}), (b:Resource {{iri: row.`:END_ID`}}) MERGE (a)-[:{rel}]->(b);")
    return "\n".join(lines) + "\n"


KUZU_COLUMNS = ("iri", "curie", "label", "definition", "versionInfo", "backSurgerySite", "seedSection", "quote", "kinds")


def kuzu_script(stem: str, version_iri: str, version: str, types: list[str]) -> str:
    """A Kuzu script (Kuzu's Cypher: a schema first, then ``COPY``) loading the two CSV files, run from
    the directory that holds them: ``kuzu DB < spinekg-kuzu.cypher`` or ``spinekg load --kuzu DB``."""
    nodes, rels = f"{stem}-nodes.csv", f"{stem}-relationships.csv"
    lines = [f"// {stem} property graph for Kuzu (versionIRI {version_iri}, versionInfo {version}).",
             f"// Run in the directory holding {nodes} and {rels}:  kuzu ./db < {stem}-kuzu.cypher",
             "CREATE NODE TABLE Resource(" + ", ".join(f"{c} STRING" for c in KUZU_COLUMNS) + ", PRIMARY KEY(iri));",
             f"COPY Resource FROM '{nodes}' (HEADER=true);"]
    for rel in types:
        lines += [f"CREATE REL TABLE {rel}(FROM Resource TO Resource);",
                  f"COPY {rel} FROM (LOAD FROM '{rels}' (HEADER=true) WHERE `:TYPE` = '{rel}' RETURN `:START_ID`, `:END_ID`);"]
    return "\n".join(lines) + "\n"


def property_graph_texts(edges: Graph, stem: str, version: str, ontology: Graph | None = None) -> dict[str, str]:
    """File name -> text for the node CSV, relationship CSV and the Neo4j and Kuzu load scripts;
    ``ontology`` (the asserted graph) adds the pairs of its multi-class disjointness axioms."""
    nodes = node_rows(edges)
    rels = relationship_rows(edges, all_disjoint_pairs(ontology) if ontology is not None else [])
    labels = sorted({label for row in nodes for label in row[-1].split(";")} - {"Resource"})
    types = sorted({row[2] for row in rels})
    version_iris = sorted(str(v) for v in edges.objects(None, OWL.versionIRI))
    return {
        f"{stem}-nodes.csv": _csv_text(NODE_HEADER, nodes),
        f"{stem}-relationships.csv": _csv_text(RELATIONSHIP_HEADER, rels),
        f"{stem}-neo4j.cypher": cypher_script(stem, version_iris[0] if version_iris else "", version, labels, types),
        f"{stem}-kuzu.cypher": kuzu_script(stem, version_iris[0] if version_iris else "", version, types),
    }
