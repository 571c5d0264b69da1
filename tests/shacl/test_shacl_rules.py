"""The SHACL-AF rules (ontology/shapes/rules.ttl) against the OWL answers.

One case record for every procedure of the ontology, with no site and with each anatomy term the ontology
allows for it (spinekg.classify.classify_procedure, proven equal to HermiT by test_runtime_vs_hermit), and
also for levels written as text. The rules must give the same spine/back verdicts and regions everywhere.
"""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from conftest import needs_java
from spinekg.answer.composers import classify_procedure
from spinekg.errors import SpinekgError
from spinekg.namespaces import SPINEKG

S = SPINEKG
CASE = URIRef(S + "SurgicalCase")


def _case(graph: Graph, number: int, procedure: str, sites: list[str], level_text: str | None = None) -> URIRef:
    case = URIRef(f"{S}test/case-{number}")
    proc = URIRef(f"{S}test/case-{number}-procedure")
    graph.add((case, RDF.type, CASE))
    graph.add((case, URIRef(S + "hasProcedure"), proc))
    graph.add((proc, RDF.type, URIRef(S + procedure)))
    for i, site in enumerate(sites, 1):
        node = URIRef(f"{S}test/case-{number}-site-{i}")
        graph.add((proc, URIRef(S + "hasSite"), node))
        graph.add((node, RDF.type, URIRef(S + site)))
    if level_text:
        graph.add((proc, URIRef(S + "levelText"), Literal(level_text)))
    return case


def _answers(derived: Graph, case: URIRef) -> tuple[str | None, str | None, list[str]]:
    spine = [str(o) for o in derived.objects(case, URIRef(S + "spineSurgeryVerdict"))]
    back = [str(o) for o in derived.objects(case, URIRef(S + "backSurgeryVerdict"))]
    assert len(spine) == 1 and len(back) == 1, (case, spine, back)
    return spine[0], back[0], sorted(str(o) for o in derived.objects(case, URIRef(S + "inRegion")))


@pytest.fixture(scope="module")
def every_combination(runtime_index):
    """(graph, {case: expected verdict}) for every procedure alone and at every site it allows."""
    from spinekg.shacl.validate import infer

    graph, expected = Graph(), {}
    number = 0
    for procedure in sorted(runtime_index["procedures"]):
        for site in [None] + sorted(runtime_index["anatomy"]):
            sites = [site] if site else []
            try:
                verdict = classify_procedure(procedure, sites)
            except SpinekgError:
                continue  # a combination the ontology excludes (e.g. a cervical fusion at L4-L5)
            number += 1
            expected[_case(graph, number, procedure, sites)] = verdict
    return infer(graph), expected


def test_rules_cover_every_procedure_and_site(every_combination, runtime_index):
    derived, expected = every_combination
    procedures = {v.procedure["iri"] for v in expected.values()}
    assert len(procedures) == len(runtime_index["procedures"])
    assert len(expected) > 5000  # every procedure x every allowed anatomy term, plus the bare procedures


def test_rules_agree_with_owl_answers_everywhere(every_combination):
    derived, expected = every_combination
    disagreements = []
    for case, verdict in expected.items():
        got = _answers(derived, case)
        want = (verdict.spine_surgery, verdict.back_surgery, sorted(verdict.regions))
        if got != want:
            disagreements.append((verdict.procedure["iri"], verdict.sites, got, want))
    assert disagreements[:20] == []


@needs_java
def test_rules_agree_with_hermit_on_procedure_classes(every_combination, reasoned):
    """Without a site, the verdict is HermiT's own subsumption of the procedure class."""
    derived, expected = every_combination
    ancestors = reasoned.classification.ancestors

    def tri(name: str, yes: str, no: str) -> str:
        lineage = ancestors[name] | {name}
        return "yes" if yes in lineage else "no" if no in lineage else "depends"

    checked = 0
    for case, verdict in expected.items():
        if verdict.sites:
            continue
        name = verdict.procedure["iri"][len(S):]
        operative_no = "NonOperativeProcedure" in ancestors[name] | {name}
        spine, back, _ = _answers(derived, case)
        assert spine == ("no" if operative_no else tri(name, "SpineSurgery", "NotSpineSurgery")), name
        assert back == ("no" if operative_no else tri(name, "BackSurgery", "NotBackSurgery")), name
        checked += 1
    assert checked == len({v.procedure["iri"] for v in expected.values()})


@needs_java
def test_rules_agree_with_hermit_on_sites(every_combination, reasoned):
    """At a site, an operation's verdict follows HermiT's zones of 'the site or any part of it'."""
    derived, expected = every_combination
    ancestors = reasoned.classification.ancestors
    checked = 0
    for case, verdict in expected.items():
        if len(verdict.sites) != 1:
            continue
        name, site = verdict.procedure["iri"][len(S):], verdict.sites[0]
        lineage, zones = ancestors[name] | {name}, reasoned.within[site]
        if "OperativeProcedure" not in lineage or "SpineSurgery" in lineage or "BackSurgery" in lineage:
            continue
        spine, back, _ = _answers(derived, case)
        if "SpinalStructure" in zones:
            assert spine == "yes", (name, site)
        if "NonSpinalStructure" in zones:
            assert spine == "no", (name, site)
        if "LowerBackStructure" in zones:
            assert back == "yes", (name, site)
        if "NotLowerBackStructure" in zones:
            assert back == "no", (name, site)
        checked += 1
    assert checked >= 500


@pytest.mark.parametrize("procedure, text, spine, back, regions", [
    ("Microdiscectomy", "L4-L5", "yes", "yes", ["lumbar"]),
    ("Microdiscectomy", "C5-C6", "yes", "no", ["cervical"]),
    ("Laminectomy", "L4", "yes", "yes", ["lumbar"]),
    ("Laminectomy", "T12-L1", "yes", "no", ["thoracic", "thoracolumbar"]),
    ("SpinalFusion", "L5-S1", "yes", "yes", ["lumbar", "lumbosacral"]),
    ("SpinalFusion", "L2 to S1", "yes", "yes", ["lumbar", "lumbosacral"]),
    ("Laminectomy", "L7", "yes", "depends", []),  # an impossible level adds no site (validate reports it)
])
def test_rules_read_text_levels_like_classify(procedure, text, spine, back, regions):
    from spinekg.shacl.validate import infer

    graph = Graph()
    case = _case(graph, 1, procedure, [], level_text=text)
    assert _answers(infer(graph), case) == (spine, back, regions)
    if text != "L7":
        from spinekg.api import classify

        label_query = f"{text} {procedure}"
        verdict = classify(label_query.replace("SpinalFusion", "fusion").replace("Microdiscectomy", "microdiscectomy")
                           .replace("Laminectomy", "laminectomy"))
        assert (verdict.spine_surgery, verdict.back_surgery, sorted(verdict.regions)) == (spine, back, regions)
