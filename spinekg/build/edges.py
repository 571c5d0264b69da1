"""The query-ready graph: asserted annotations, the HermiT-inferred subclass closure, and direct edges
(part of, has site, treats, ...) materialised from existential restrictions, relation-graph style.

SPARQL users and graph databases then never walk OWL restriction blank nodes: ``?p spinekg:hasSite ?s``
and ``?x rdfs:subClassOf spinekg:BackSurgery`` answer directly. The graph has no blank nodes.

Every anatomy class also gets ``spinekg:backSurgerySite "yes"|"no"|"depends"``: does surgery at this site
(or anywhere within it) count as back surgery? It is a literal-valued annotation, not a class axiom, so the
ontology gains no false anatomy (T12-L1 stays outside the lower back) and a profile can swap the value
(``spinekg.sparql.profile_ontology_ntriples``), as it swaps the procedures' back-surgery edges.
"""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .asserted import read_asserted
from ..namespaces import BACK_SURGERY_SITE, PART_OF, SPINEKG, local_name
from .reasoning import Classification
from ..vocab import tri

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
    add_site_answers(edges, named, classification)
    return edges


def site_answer(lineage: set[str]) -> str:
    """The seed answer for a site from its classes (itself and HermiT's superclasses). Both zones are
    closed under part of, so the answer also holds for any part of the site, which is how the runtime
    reads a site ("at L4-L5" includes the L4-L5 disc): yes within the lower back, no within the zone
    provably outside it (the class the SHACL rules test too), else depends."""
    return tri("LowerBackStructure" in lineage, "OutsideLowerBackZone" in lineage)


def add_site_answers(edges: Graph, named: list[str], classification: Classification) -> None:
    """``<anatomy class> spinekg:backSurgerySite "yes"|"no"|"depends"`` for every anatomy class, so that
    SPARQL can read the per-site answer and a profile can replace it with its own overlay's answer."""
    prop = URIRef(BACK_SURGERY_SITE)  # declared in ontology/modules/classification.ttl
    for name in named:
        lineage = classification.ancestors[name] | {name}
        if "AnatomicalEntity" in lineage:
            edges.add((_iri(name), prop, Literal(site_answer(lineage))))
