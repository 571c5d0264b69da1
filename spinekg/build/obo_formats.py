"""The OBO-stack views of the release: abbreviation synonyms, OBO 1.4 text and OBO Graphs JSON.

OBO tools (pronto, obonet, OAK, ROBOT) look for synonyms in ``oboInOwl`` properties, so every
``spinekg:abbreviation`` is also written as an exact synonym whose axiom annotation types it
``OMO:0003000`` (abbreviation): ``runoak search ACDF`` then finds the term. The OBO and OBO Graphs files hold
the named classes of the classified release with their label, definition, synonyms, xrefs, the direct
named superclasses (``is_a``) and the existential restrictions on named classes (``relationship``), the
"simple" view ODK writes to ``.obo`` / ``.json``; equivalence definitions stay in the OWL files. Both are
written from sorted data, so the bytes are stable.
"""
from __future__ import annotations

import json

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ..namespaces import DEFINITION, OBO, OBOINOWL, SPINEKG

ABBREVIATION = URIRef(SPINEKG + "abbreviation")
EXACT_SYNONYM = URIRef(OBOINOWL + "hasExactSynonym")
SYNONYM_TYPE = URIRef(OBOINOWL + "hasSynonymType")
DB_XREF = URIRef(OBOINOWL + "hasDbXref")
OMO_ABBREVIATION = URIRef(OBO + "OMO_0003000")
SYNONYM_KINDS = {OBOINOWL + "hasExactSynonym": "EXACT", OBOINOWL + "hasRelatedSynonym": "RELATED",
                 OBOINOWL + "hasBroadSynonym": "BROAD", OBOINOWL + "hasNarrowSynonym": "NARROW"}


def add_abbreviation_synonyms(graph: Graph) -> Graph:
    """Give each ``spinekg:abbreviation`` an exact synonym typed OMO:0003000 (the property stays)."""
    for subject, value in sorted(graph.subject_objects(ABBREVIATION)):
        if not isinstance(subject, URIRef):
            continue
        synonym = Literal(str(value))
        graph.add((subject, EXACT_SYNONYM, synonym))
        axiom = BNode()
        for triple in ((axiom, RDF.type, OWL.Axiom), (axiom, OWL.annotatedSource, subject),
                       (axiom, OWL.annotatedProperty, EXACT_SYNONYM), (axiom, OWL.annotatedTarget, synonym),
                       (axiom, SYNONYM_TYPE, OMO_ABBREVIATION)):
            graph.add(triple)
    return graph


def curie(iri: str) -> str:
    """``spinekg:X`` / ``BFO:0000050`` / the IRI itself (OBO identifiers)."""
    if iri.startswith(SPINEKG) and "/" not in iri[len(SPINEKG):]:
        return "spinekg:" + iri[len(SPINEKG):]
    if iri.startswith(OBO) and "_" in iri[len(OBO):]:
        prefix, _, local = iri[len(OBO):].partition("_")
        return f"{prefix}:{local}"
    return iri


def _term_data(graph: Graph, cls: URIRef) -> dict:
    """Label, definition, synonyms (with types), xrefs, parents and relationships of one named class."""
    typed: dict[str, str] = {}
    for axiom in graph.subjects(OWL.annotatedSource, cls):
        if (axiom, OWL.annotatedProperty, EXACT_SYNONYM) in graph:
            for kind in graph.objects(axiom, SYNONYM_TYPE):
                typed[str(graph.value(axiom, OWL.annotatedTarget))] = str(kind)
    synonyms = sorted({(SYNONYM_KINDS[str(p)], str(o), typed.get(str(o), "") if SYNONYM_KINDS[str(p)] == "EXACT" else "")
                       for p in map(URIRef, SYNONYM_KINDS) for o in graph.objects(cls, p)})
    parents, relations = set(), set()
    for sup in graph.objects(cls, RDFS.subClassOf):
        if isinstance(sup, URIRef):
            parents.add(str(sup))
        elif (sup, RDF.type, OWL.Restriction) in graph:
            prop, filler = graph.value(sup, OWL.onProperty), graph.value(sup, OWL.someValuesFrom)
            if isinstance(prop, URIRef) and isinstance(filler, URIRef):
                relations.add((str(prop), str(filler)))
    return {
        "label": next(iter(sorted(str(o) for o in graph.objects(cls, RDFS.label))), ""),
        "definition": next(iter(sorted(str(o) for o in graph.objects(cls, URIRef(DEFINITION)))), ""),
        "synonyms": synonyms,
        "xrefs": sorted(str(o) for o in graph.objects(cls, DB_XREF)),
        "parents": sorted(parents - {str(OWL.Thing)}),
        "relations": sorted(relations),
    }


def named_classes(graph: Graph) -> list[URIRef]:
    return sorted(c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c != OWL.Thing)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _properties(graph: Graph, relation_iris: set[str]) -> list[tuple[str, str]]:
    return sorted((curie(p), next(iter(sorted(str(o) for o in graph.objects(URIRef(p), RDFS.label))), curie(p)))
                  for p in relation_iris)


def obo_text(graph: Graph, ontology_iri: str, version_iri: str, version: str) -> str:
    """OBO 1.4 flat file of the named classes (see the module docstring for what it holds)."""
    terms = [(cls, _term_data(graph, cls)) for cls in named_classes(graph)]
    labels = {str(cls): data["label"] for cls, data in terms}
    lines = ["format-version: 1.4", f"data-version: {version_iri}", "idspace: spinekg " + SPINEKG,
             f"ontology: {ontology_iri.rsplit('/', 1)[-1].removesuffix('.owl')}",
             'synonymtypedef: OMO:0003000 "abbreviation" EXACT',
             f'property_value: owl:versionInfo "{version}" xsd:string']
    for p in ("http://purl.org/dc/terms/title", "http://purl.org/dc/terms/license", "http://purl.org/dc/terms/creator"):
        for o in sorted(graph.objects(URIRef(ontology_iri), URIRef(p)), key=str):
            name = "dcterms:" + p.rsplit("/", 1)[1]
            lines.append(f"property_value: {name} {o}" if isinstance(o, URIRef) else f"property_value: {name} {_quote(str(o))} xsd:string")
    relation_iris: set[str] = set()
    for cls, data in terms:
        lines += ["", "[Term]", f"id: {curie(str(cls))}"]
        if data["label"]:
            lines.append(f"name: {data['label']}")
        if data["definition"]:
            lines.append(f"def: {_quote(data['definition'])} []")
        for kind, text, stype in data["synonyms"]:
            lines.append(f"synonym: {_quote(text)} {kind}" + (f" {curie(stype)}" if stype else "") + " []")
        lines += [f"xref: {x}" for x in data["xrefs"]]
        lines += [f"is_a: {curie(p)}" + (f" ! {labels[p]}" if labels.get(p) else "") for p in data["parents"]]
        for prop, filler in data["relations"]:
            relation_iris.add(prop)
            lines.append(f"relationship: {curie(prop)} {curie(filler)}" + (f" ! {labels[filler]}" if labels.get(filler) else ""))
    for pid, label in _properties(graph, relation_iris):
        lines += ["", "[Typedef]", f"id: {pid}", f"name: {label}"]
    return "\n".join(lines) + "\n"


def obographs_text(graph: Graph, ontology_iri: str, version_iri: str, version: str) -> str:
    """OBO Graphs JSON (nodes with meta, is_a and relationship edges), as ROBOT/ODK write ``.json``."""
    nodes, edges = [], []
    relation_iris: set[str] = set()
    for cls in named_classes(graph):
        data = _term_data(graph, cls)
        meta: dict = {}
        if data["definition"]:
            meta["definition"] = {"val": data["definition"]}
        if data["synonyms"]:
            meta["synonyms"] = [{"pred": "has" + kind.capitalize() + "Synonym", "val": text, **({"synonymType": stype} if stype else {})}
                                for kind, text, stype in data["synonyms"]]
        if data["xrefs"]:
            meta["xrefs"] = [{"val": x} for x in data["xrefs"]]
        node = {"id": str(cls), **({"lbl": data["label"]} if data["label"] else {}), "type": "CLASS", **({"meta": meta} if meta else {})}
        nodes.append(node)
        edges += [{"sub": str(cls), "pred": "is_a", "obj": p} for p in data["parents"]]
        for prop, filler in data["relations"]:
            relation_iris.add(prop)
            edges.append({"sub": str(cls), "pred": prop, "obj": filler})
    for prop in sorted(relation_iris):
        label = next(iter(sorted(str(o) for o in graph.objects(URIRef(prop), RDFS.label))), "")
        nodes.append({"id": prop, **({"lbl": label} if label else {}), "type": "PROPERTY"})
    edges.sort(key=lambda e: (e["sub"], e["pred"], e["obj"]))
    document = {"graphs": [{"id": ontology_iri, "meta": {"version": version_iri, "basicPropertyValues": [
        {"pred": str(OWL.versionInfo), "val": version}]}, "nodes": nodes, "edges": edges}]}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
