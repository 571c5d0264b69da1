"""Build the runtime index: everything ``classify`` needs, computed once from HermiT's classification.

The index is a small JSON file shipped in the package. Answering a question then needs no Java, no
rdflib and no reasoning: only dictionary look-ups over closures that a test proves agree with HermiT.
"""
from __future__ import annotations

import json
from collections import defaultdict

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .asserted import Asserted, read_asserted
from ..namespaces import OBOINOWL, PART_OF, SPINEKG, local_name
from .reasoning import Classification

from ..vocab import REGION_ORDER, REGION_ZONES, normalise, tri

CLOSED_ZONES = sorted(list(REGION_ZONES) + ["SpinalStructure", "LowerBackStructure", "NeckStructure", "UpperBackStructure",
                                             "OutsideSpineStructure", "OutsideBackStructure", "OutsideLowerBackStructure",
                                             "OutsideLowerBackZone"])
# Zones that are not closed under part of, but still decide disjointness for a procedure's own sites.
OPEN_ZONES = ["NonSpinalStructure", "NotLowerBackStructure", "BackStructureOutsideSpine", "StructureOutsideBack"]
ZONES = CLOSED_ZONES + OPEN_ZONES

KINDS = [("AnatomicalEntity", "anatomy"), ("Procedure", "procedure"), ("Disorder", "disorder"),
         ("Specialist", "specialist"), ("SurgicalApproach", "approach"), ("SurgicalObjective", "objective"),
         ("RecoveryProfile", "recovery"), ("Training", "training")]
# Targets an explanation path may lead to, with the phrase that ends the chain.
PATH_TARGETS = ["Spine", "LowerBack", "Neck", "UpperBack", "CoccygealSpine", "BackStructureOutsideSpine",
                "StructureOutsideBack", "CervicalSpine", "ThoracicSpine", "LumbarSpine", "SacralSpine",
                "CraniocervicalJunction", "CervicothoracicJunction", "ThoracolumbarJunction",
                "LumbosacralJunction", "SacrococcygealJunction"]


def _literals(graph: Graph, subject: URIRef, prop: URIRef) -> list[str]:
    return sorted(str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal))


PCS_BODY_PART = SPINEKG + "icd10pcs-axis/body-part-"
PCS_MATCHES = [URIRef(SPINEKG + p) for p in ("icdExactMatch", "icdCloseMatch")]


def pcs_body_parts(graph: Graph, subject: URIRef) -> list[str]:
    """The ICD-10-PCS body parts (section, body system, body part: '0DJ') a term stands for, from the
    mapping module (the SSSOM files as triples)."""
    return sorted(str(o)[len(PCS_BODY_PART):] for p in PCS_MATCHES for o in graph.objects(subject, p)
                  if str(o).startswith(PCS_BODY_PART))


def zone_pairs_to_test() -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(ZONES) for b in ZONES[i + 1:]]


def add_zone_pair_tests(graph: Graph) -> dict[str, tuple[str, str]]:
    """Add one probe class per zone pair (subclass of both); HermiT finds it unsatisfiable iff they are disjoint."""
    probes = {}
    for a, b in zone_pairs_to_test():
        name = f"ZoneProbe__{a}__{b}"
        node = URIRef(SPINEKG + name)
        graph.add((node, RDF.type, OWL.Class))
        graph.add((node, RDFS.subClassOf, URIRef(SPINEKG + a)))
        graph.add((node, RDFS.subClassOf, URIRef(SPINEKG + b)))
        probes[name] = (a, b)
    return probes


WITHIN_PREFIX = "WithinProbe__"


def part_or_whole(graph: Graph, name: str):  # type: ignore[no-untyped-def]
    """Add the class expression 'name ⊔ ∃partOf.name' (the term or any part of it); return its node."""
    from rdflib import BNode
    from rdflib.collection import Collection

    part = BNode()
    graph.add((part, RDF.type, OWL.Restriction))
    graph.add((part, OWL.onProperty, URIRef(PART_OF)))
    graph.add((part, OWL.someValuesFrom, URIRef(SPINEKG + name)))
    union, members = BNode(), BNode()
    Collection(graph, members, [URIRef(SPINEKG + name), part])
    graph.add((union, RDF.type, OWL.Class))
    graph.add((union, OWL.unionOf, members))
    return union


def add_within_probes(graph: Graph) -> dict[str, str]:
    """For every anatomy class A add a probe equivalent to 'A or any part of A' (how a site is read:
    'at L4-L5' includes the L4-L5 disc). HermiT's superclasses of the probe are exactly what the runtime
    may conclude about a procedure done anywhere within A."""
    from rdflib import BNode
    from rdflib.collection import Collection

    asserted = read_asserted(graph)
    anatomy = ["AnatomicalEntity"] + [name for name in sorted(asserted.parents)
                                      if "AnatomicalEntity" in asserted.superclasses(name)
                                      and not name.startswith(("ZoneProbe__", WITHIN_PREFIX))]
    probes = {}
    for name in anatomy:
        probe = URIRef(SPINEKG + WITHIN_PREFIX + name)
        union = part_or_whole(graph, name)
        # a site is an anatomical entity (the range of hasSite), so the probe is one too
        both, conjuncts = BNode(), BNode()
        Collection(graph, conjuncts, [URIRef(SPINEKG + "AnatomicalEntity"), union])
        graph.add((both, RDF.type, OWL.Class))
        graph.add((both, OWL.intersectionOf, conjuncts))
        graph.add((probe, RDF.type, OWL.Class))
        graph.add((probe, OWL.equivalentClass, both))
        probes[WITHIN_PREFIX + name] = name
    return probes


def part_of_graph(asserted: Asserted) -> nx.DiGraph:
    """Directed graph of asserted 'is a' and 'part of' links between named classes."""
    graph = nx.DiGraph()
    for cls, parents in asserted.parents.items():
        for parent in parents:
            graph.add_edge(cls, parent, rel="is a")
    for cls, props in asserted.some.items():
        for filler in props.get(local_name(PART_OF), []):
            if len(filler) == 1:
                graph.add_edge(cls, filler[0], rel="part of")
    return graph


def explanation_paths(links: nx.DiGraph, cls: str) -> dict[str, list[list[str]]]:
    """Shortest chain of [term, relation-to-next] steps from ``cls`` to each reachable target."""
    paths = {}
    if cls not in links:
        return paths
    for target in PATH_TARGETS:
        if target == cls or target not in links or not nx.has_path(links, cls, target):
            continue
        nodes = nx.shortest_path(links, cls, target)
        paths[target] = [[a, links.edges[a, b]["rel"]] for a, b in zip(nodes, nodes[1:])] + [[target, ""]]
    return paths


def build_index(graph: Graph, classification: Classification, disjoint_pairs: list[tuple[str, str]],
                version: str, within: dict[str, set[str]] | None = None) -> dict:
    """``within``: for each anatomy class, HermiT's superclasses of 'it or any part of it' (see
    add_within_probes); site answers use them, so a site means the site or anything within it."""
    asserted = read_asserted(graph)
    links = part_of_graph(asserted)
    anc = classification.ancestors
    disjoint = {frozenset(p) for p in disjoint_pairs}

    def zones_of(cls: str, allowed: list[str]) -> list[str]:
        return sorted(z for z in allowed if z == cls or z in anc.get(cls, set()))

    terms: dict[str, dict] = {}
    lexicon: dict[str, set[str]] = defaultdict(set)
    for subject in sorted(set(graph.subjects(RDF.type, OWL.Class)), key=str):
        if not isinstance(subject, URIRef) or not str(subject).startswith(SPINEKG):
            continue
        name = local_name(str(subject))
        if name.startswith("ZoneProbe__"):
            continue
        labels = _literals(graph, subject, RDFS.label)
        if not labels:
            continue
        lineage = anc.get(name, set()) | {name}
        kind = next((k for root, k in KINDS if root in lineage), "other")
        synonyms = _literals(graph, subject, URIRef(OBOINOWL + "hasExactSynonym"))
        abbreviations = _literals(graph, subject, URIRef(SPINEKG + "abbreviation"))
        xrefs = _literals(graph, subject, URIRef(OBOINOWL + "hasDbXref"))
        # no definitions: nothing at answer time reads them (they are in the ontology and the release), and
        # a thousand whole-body definitions would slow every cold start
        terms[name] = {"label": labels[0], "kind": kind,
                       "synonyms": synonyms, "abbreviations": abbreviations, "xrefs": xrefs,
                       "seed": _literals(graph, subject, URIRef(SPINEKG + "seedSection"))}
        # optional keys, present only when non-empty (the whole body would otherwise fill the index with
        # empty lists): CMS Body Part Key names, and the ICD-10-PCS body parts the term stands for
        related = _literals(graph, subject, URIRef(OBOINOWL + "hasRelatedSynonym"))
        if related:
            terms[name]["related_synonyms"] = related
        pcs = pcs_body_parts(graph, subject)
        if pcs:
            terms[name]["pcs_body_parts"] = pcs
        for phrase in labels + synonyms + abbreviations + xrefs + [name, f"spinekg:{name}", str(subject)]:
            lexicon[normalise(phrase)].add(name)

    anatomy = {}
    for name, term in terms.items():
        if term["kind"] != "anatomy":
            continue
        zones = zones_of(name, ZONES)
        inside = sorted(z for z in ZONES if z in (within or {}).get(name, set())) if within is not None else zones
        anatomy[name] = {
            "ancestors": sorted(a for a in anc.get(name, set()) if a in terms or a in ZONES),
            "zones": zones,
            "within_zones": inside,
            "spinal": tri("SpinalStructure" in inside, "NonSpinalStructure" in inside),
            "lower_back": tri("LowerBackStructure" in inside, "NotLowerBackStructure" in inside),
            "regions": [r for z, r in REGION_ZONES.items() if z in inside],
            "paths": explanation_paths(links, name),
        }

    procedures = {}
    for name, term in terms.items():
        if term["kind"] != "procedure":
            continue
        lineage = anc.get(name, set()) | {name}
        sites = asserted.inherited("some", name, "hasSite")
        procedures[name] = {
            "operative": tri("OperativeProcedure" in lineage, "NonOperativeProcedure" in lineage),
            "spine_surgery": tri("SpineSurgery" in lineage, "NotSpineSurgery" in lineage),
            "back_surgery": tri("BackSurgery" in lineage, "NotBackSurgery" in lineage),
            "sites": [list(s) for s in sites],
            "site_only": [list(s) for s in asserted.inherited("only", name, "hasSite")],
            "regions": sorted({r for site in sites if len(site) == 1 for r in anatomy.get(site[0], {}).get("regions", [])},
                              key=REGION_ORDER.index),
            "classes": sorted(c for c in lineage if c.endswith("Surgery") or c in ("OperativeProcedure", "NonOperativeProcedure")),
            "approaches": [list(a) for a in asserted.inherited("some", name, "hasApproach")],
            "objectives": [a[0] for a in asserted.inherited("some", name, "hasObjective") if len(a) == 1],
            "treats": [a[0] for a in asserted.inherited("some", name, "treats") if len(a) == 1],
            "performed_by": [a[0] for a in asserted.inherited("some", name, "typicallyPerformedBy") if len(a) == 1],
            "recovery": [a[0] for a in asserted.inherited("some", name, "typicalRecovery") if len(a) == 1],
        }

    disorders = {}
    for name, term in terms.items():
        if term["kind"] != "disorder":
            continue
        lineage = anc.get(name, set()) | {name}
        affects = asserted.inherited("some", name, "affects")
        regions = {r for site in affects if len(site) == 1 for r in anatomy.get(site[0], {}).get("regions", [])}
        disorders[name] = {
            "affects": [list(a) for a in affects],
            "lower_back": "yes" if "LowerBackCondition" in lineage else "depends",
            "regions": sorted(regions, key=REGION_ORDER.index),
            "treated_by": sorted(p for p, info in procedures.items() if set(info["treats"]) & lineage),
            "may_require": [a[0] for a in asserted.inherited("some", name, "mayRequireSpecialty") if len(a) == 1],
        }

    return {
        "format": 1,
        "version": version,
        "terms": terms,
        "lexicon": {key: sorted(ids) for key, ids in sorted(lexicon.items())},
        "anatomy": anatomy,
        "procedures": procedures,
        "disorders": disorders,
        "zones": {"closed": CLOSED_ZONES, "all": ZONES, "regions": REGION_ZONES,
                  "disjoint": sorted(sorted(p) for p in disjoint)},
    }


def index_json(index: dict) -> str:
    """Deterministic JSON text."""
    return json.dumps(index, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
