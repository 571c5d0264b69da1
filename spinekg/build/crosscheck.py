"""Prove the runtime composition equals HermiT: for a procedure P at level sites S1..Sn, HermiT
classifies a probe class  Q ⊑ P ⊓ ∃hasSite.W(S1) ⊓ … ⊓ ∀hasSite.(W(S1) ⊔ …)  where W(S) = S ⊔ ∃partOf.S
("a P done within S and nowhere else"), and the answer must match ``classify_procedure(P, [S...])``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from ..errors import SpinekgError
from ..namespaces import SPINEKG
from .reasoning import Classification
from .runtime_index import part_or_whole

# Names the level template generates: VertebraL4, DiscL4L5, MotionSegmentC0C1, NerveRootCo1.
LEVEL_NAME = re.compile(r"(Vertebra|NerveRoot)(C|T|L|S|Co)\d{1,2}|(Disc|MotionSegment)([CTLS]\d{1,2}){2}")


def level_sites(index: dict) -> list[str]:
    """Every level structure a phrase such as 'L4-L5' or 'S1 nerve root' can resolve to."""
    return sorted(name for name in index["anatomy"] if LEVEL_NAME.fullmatch(name))


def add_probe(graph: Graph, name: str, procedure: str, sites: list[str]) -> None:
    probe = URIRef(SPINEKG + name)
    graph.add((probe, RDF.type, OWL.Class))
    graph.add((probe, RDFS.subClassOf, URIRef(SPINEKG + procedure)))
    has_site = URIRef(SPINEKG + "hasSite")
    for site in sites:
        some = BNode()
        graph.add((some, RDF.type, OWL.Restriction))
        graph.add((some, OWL.onProperty, has_site))
        graph.add((some, OWL.someValuesFrom, part_or_whole(graph, site)))
        graph.add((probe, RDFS.subClassOf, some))
    only, union, members = BNode(), BNode(), BNode()
    Collection(graph, members, [part_or_whole(graph, site) for site in sites])
    graph.add((union, RDF.type, OWL.Class))
    graph.add((union, OWL.unionOf, members))
    graph.add((only, RDF.type, OWL.Restriction))
    graph.add((only, OWL.onProperty, has_site))
    graph.add((only, OWL.allValuesFrom, union))
    graph.add((probe, RDFS.subClassOf, only))


@dataclass(frozen=True)
class Answer:
    satisfiable: bool
    spine_surgery: str
    back_surgery: str


def hermit_answer(classification: Classification, probe: str) -> Answer:
    if probe in classification.unsatisfiable:
        return Answer(False, "", "")
    anc = classification.ancestors.get(probe, set())

    def tri(yes: str, no: str) -> str:
        return "yes" if yes in anc else "no" if no in anc else "depends"

    return Answer(True, tri("SpineSurgery", "NotSpineSurgery"), tri("BackSurgery", "NotBackSurgery"))


def runtime_answer(procedure: str, sites: list[str], index: dict) -> Answer:
    from ..answer.composers import classify_procedure

    try:
        verdict = classify_procedure(procedure, sites, index=index)
    except SpinekgError:
        return Answer(False, "", "")
    return Answer(True, verdict.spine_surgery, verdict.back_surgery)


def compare(graph: Graph, index: dict, cases: list[tuple[str, list[str]]]) -> list[str]:
    """Run HermiT once over all probes; return a line per disagreement (empty when they agree)."""
    from .reasoning import classify_with_hermit

    probed = Graph()
    for triple in graph:
        probed.add(triple)
    names = []
    for number, (procedure, sites) in enumerate(cases):
        name = f"Probe{number}"
        add_probe(probed, name, procedure, sites)
        names.append(name)
    classification = classify_with_hermit(probed)
    problems = []
    for name, (procedure, sites) in zip(names, cases):
        owl, runtime = hermit_answer(classification, name), runtime_answer(procedure, sites, index)
        if owl != runtime:
            problems.append(f"{procedure} at {'+'.join(sites)}: HermiT {owl}, runtime {runtime}")
    return problems


def site_signature(index: dict, site: str) -> str:
    """Everything the runtime composer reads about a site: its zones, its zones 'within', its answers and
    regions, and those of its ancestors that some procedure names as a site. Two sites with the same
    signature get the same runtime answer for every procedure (tests check it, pair by pair)."""
    import json

    named = {c for info in index["procedures"].values() for key in ("sites", "site_only") for u in info[key] for c in u}
    entry = index["anatomy"][site]
    return json.dumps([entry["zones"], entry["within_zones"], entry["spinal"], entry["lower_back"], entry["regions"],
                       sorted(a for a in entry["ancestors"] if a in named)])


def representatives(index: dict, sites: list[str], group_of: dict[str, str]) -> dict[str, str]:
    """For each site, the first site (by name) with its signature in its group (e.g. its body system): HermiT
    checks every procedure at the representatives, and every site with a few procedures."""
    first: dict[tuple[str, str], str] = {}
    chosen = {}
    for site in sorted(sites):
        key = (group_of.get(site, ""), site_signature(index, site))
        chosen[site] = first.setdefault(key, site)
    return chosen
