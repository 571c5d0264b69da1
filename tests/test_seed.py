"""Every statement of the source document is represented as a claim, and each claim is borne out by
the ontology's own axioms (checked over the query-ready graph and HermiT's classification)."""
from __future__ import annotations

import pytest
from conftest import SHARED, needs_java
from rdflib import URIRef
from rdflib.namespace import RDF

SK = "https://w3id.org/spinekg/"
PREFIXES = f"PREFIX sk: <{SK}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def claims(graph):
    result = []
    for claim in graph.subjects(RDF.type, URIRef(SK + "SeedClaim")):
        def value(prop):
            return graph.value(claim, URIRef(SK + prop))
        objects = sorted(str(o)[len(SK):] for o in graph.objects(claim, URIRef(SK + "claimObject")))
        result.append((str(claim)[len(SK):], str(value("seedSection")), str(value("claimSubject"))[len(SK):],
                       str(value("claimPredicate"))[len(SK):], objects, str(value("quote"))))
    return sorted(result)


def test_every_section_has_claims_quoting_the_source(asserted_graph):
    found = claims(asserted_graph)
    assert {c[1] for c in found} == {"0", "1", "2", "3", "4", "5", "6"}
    seed_file = SHARED / "seed" / "back-vs-spine-surgery.txt"
    if seed_file.exists():
        text = " ".join(seed_file.read_text(encoding="utf-8").split())
        for claim in found:
            assert " ".join(claim[5].split()) in text, f"{claim[0]} does not quote the source exactly"


SEED_TERMS = {  # the terms each section of the source names, which must exist as classes
    "1": ["LowerBack", "LumbarSpine", "SacralSpine", "CervicalSpine", "ThoracicSpine", "DegenerativeDiscDisease",
          "SpinalStenosis", "HerniatedDisc", "LowBackPain", "SpinalCordInjury", "SpinalTumour", "SpinalInfection",
          "SpinalDeformity", "Scoliosis", "SpinalInjury"],
    "2": ["Microdiscectomy", "EndoscopicSpineSurgery", "OpenSpineSurgery", "MinimallyInvasiveApproach", "OpenApproach",
          "VertebralBoneRemoval", "SpinalRealignment", "SpinalStabilisationProcedure"],
    "3": ["PainRelief", "FunctionalImprovement", "NeurologicalFunctionRestoration", "DeformityCorrection",
          "SpinalStabilisation", "InstabilityOrInjuryManagement"],
    "4": ["OrthopaedicSurgeon", "Neurosurgeon", "SpineFellowshipTraining", "PediatricNeurosurgeon", "VascularNeurosurgeon",
          "OrthopaedicSpineSurgeon", "InterventionalPainSpecialist"],
    "5": ["ShortRecovery", "ExtendedRecovery", "VariableRecovery"],
}


@pytest.mark.parametrize("section", sorted(SEED_TERMS))
def test_seed_terms_exist_with_the_section_annotation(asserted_graph, section):
    for term in SEED_TERMS[section]:
        sections = {str(s) for s in asserted_graph.objects(URIRef(SK + term), URIRef(SK + "seedSection"))}
        assert section in sections, f"{term} lacks seedSection {section}"


def _ask(graph, body: str) -> bool:
    return bool(graph.query(PREFIXES + "ASK { " + body + " }").askAnswer)


def _kind_of(obj: str) -> str:
    return f"{{ ?o rdfs:subClassOf sk:{obj} }} UNION {{ VALUES ?o {{ sk:{obj} }} }}"


@needs_java
def test_each_claim_is_borne_out(edges_graph, reasoned):
    anc = reasoned.classification.ancestors
    unsupported = []
    for name, _section, subject, predicate, objects, _quote in claims(edges_graph):
        for obj in objects:
            if predicate in ("treats", "hasObjective", "typicallyPerformedBy", "typicalRecovery", "hasApproach"):
                ok = _ask(edges_graph, f"?p rdfs:subClassOf sk:{subject} ; sk:{predicate} ?o . {_kind_of(obj)}")
            elif predicate == "hasSite":
                zone = {"BackSurgery": "LowerBackStructure", "SpineSurgery": "SpinalStructure"}[subject]
                ok = zone in anc.get(obj, set())
            elif predicate == "typicalTechnique":
                ok = _ask(edges_graph, f"?p rdfs:subClassOf sk:{subject} . {{ ?p rdfs:subClassOf sk:{obj} }} UNION {{ VALUES ?p {{ sk:{obj} }} }}")
            elif predicate == "mayRequireSpecialty":
                ok = _ask(edges_graph, f"?d sk:mayRequireSpecialty ?o . {_kind_of(obj)} ?p rdfs:subClassOf sk:{subject} ; sk:treats ?t ."
                          " ?t rdfs:subClassOf* ?d .")
            elif predicate == "overlapsWith":
                ok = all(_ask(edges_graph, f"?p rdfs:subClassOf sk:{a} , sk:{b} .") for a, b in
                         [("BackSurgery", "SpineSurgery"), ("SpineSurgery", "NotBackSurgery"), ("BackSurgery", "NotSpineSurgery")])
            elif predicate == "isA":
                ok = obj in anc[subject]
            elif predicate == "hasTraining":
                ok = _ask(edges_graph, f"sk:{subject} sk:hasTraining sk:{obj} .")
            elif predicate in ("definitionVariesBetween", "consult"):
                ok = (URIRef(SK + obj), None, None) in edges_graph
            else:
                ok = False
            if not ok:
                unsupported.append(f"{name}: {subject} {predicate} {obj}")
    assert unsupported == []
