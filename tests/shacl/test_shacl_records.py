"""Record-wise validation (spinekg.shacl.validate_records): splitting the data by record, batching, worker
processes, oxigraph reading and the minimal ontology graph change nothing in the report -- the same findings,
text, JSON and Turtle as one engine run over all the data plus the whole ontology graph. And approach
requirements that are unions ("open or minimally invasive") are checked, with exact messages."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from conftest import corpus_case_graph
from spinekg.shacl import case_data, case_files
from spinekg.shacl import records as shacl_records
from spinekg.shacl import report as shacl_report
from spinekg.shacl import shapes
from spinekg.shacl import validate
from spinekg.namespaces import SPINEKG
from spinekg.shacl.case_data import key_term, term_key
from spinekg.shacl.records import _case_ontology, _record_parts

CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"
S = SPINEKG
EX = SPINEKG + "example/"


def _one_run(data: Graph) -> shacl_report.Report:
    """The reference: one engine run over the data and the whole ontology graph."""
    return validate._validate_graph(data, shapes.load_shapes(shapes.CASE_SHAPE_FILES), with_ontology=True,
                                 case_checks=True, index=None, engine="auto")


@pytest.fixture(scope="module")
def data() -> Graph:
    """Synthetic records with every kind of defect, every case-record file of the corpus, and records that
    share nodes: two cases whose procedure is a class IRI, and a blank-node record."""
    # megabyte literals are slow to decode from any engine's report: they are tested one by one
    graph = corpus_case_graph(500, seed=5, skip=lambda path: path.name.startswith("huge-"))
    for number in (1, 2):
        case = URIRef(f"{EX}shared-{number}")
        graph.add((case, RDF.type, URIRef(S + "SurgicalCase")))
        graph.add((case, URIRef(S + "caseId"), Literal(f"shared-{number}")))
        graph.add((case, URIRef(S + "hasProcedure"), URIRef(S + "Laminectomy")))
    for number in range(12):  # blank-node records whose levels are text: sites made in several workers
        case, procedure = BNode(f"blankcase{number}"), BNode(f"blankprocedure{number}")
        graph.add((case, RDF.type, URIRef(S + "SurgicalCase")))
        graph.add((case, RDFS.label, Literal(f"blank case {number}")))
        graph.add((case, URIRef(S + "hasProcedure"), procedure))
        graph.add((procedure, RDF.type, URIRef(S + "LumbarMicrodiscectomy")))
        graph.add((procedure, URIRef(S + "levelText"), Literal(["C5-C6", "L4-L5", "L5-L4"][number % 3])))
    return graph


def test_record_wise_equals_one_run(data):
    reference = _one_run(data)
    assert len(reference.findings) > 150
    ours = validate.validate(data)
    assert [f.to_dict() for f in ours.findings] == [f.to_dict() for f in reference.findings]
    assert ours.to_text() == reference.to_text()
    assert ours.to_turtle() == reference.to_turtle()


def test_batches_and_workers_do_not_change_the_report(data):
    records = case_data.CaseData.from_graph(data)
    one = shacl_records.validate_records(records, jobs=1)
    many = shacl_records.validate_records(records, jobs=2, batch_triples=30)
    assert len(_record_parts(records, _case_ontology()[1],
                             frozenset([f"<{S}hasProcedure>"])) or []) > 500
    assert many.to_json() == one.to_json()
    assert many.to_turtle() == one.to_turtle()
    assert many.exit_code == one.exit_code == 1


def test_both_engines_agree_record_wise(data):
    pytest.importorskip("pyshacl_turbo")
    records = case_data.CaseData.from_graph(data)
    fast = shacl_records.validate_records(records, engine="turbo", batch_triples=2000)
    reference = shacl_records.validate_records(records, engine="pyshacl", batch_triples=2000)
    assert fast.to_json() == reference.to_json()


def test_a_file_and_its_graph_give_the_same_report(tmp_path, data):
    path = tmp_path / "cases.nt"
    path.write_text(data.serialize(format="nt"), encoding="utf-8")
    from_file = validate.validate(path)
    assert from_file.to_json() == validate.validate(data).to_json()
    assert case_files.read_case_data([path]).triples == len(data)


def test_data_about_an_ontology_term_is_validated_in_one_part():
    graph = Graph().parse(CORPUS / "two-procedures.ttl")
    graph.add((URIRef(S + "Laminectomy"), RDFS.comment, Literal("said by the data")))
    records = case_data.CaseData.from_graph(graph)
    assert _record_parts(records, _case_ontology()[1], frozenset()) is None
    assert validate.validate(graph).to_json() == _one_run(graph).to_json()


def test_a_graph_n_triples_cannot_write_is_validated_as_a_graph():
    graph = Graph().parse(CORPUS / "missing-date.ttl")
    graph.add((URIRef(EX + "bad"), RDFS.seeAlso, URIRef("relative/iri")))
    records = case_data.CaseData.from_graph(graph)
    assert records.graph is graph and records.subjects == {}
    assert [f.message for f in validate.validate(graph, engine="pyshacl").findings] == [
        "A case record needs exactly one date of surgery (spinekg:caseDate), a valid calendar date written "
        "YYYY-MM-DD and typed xsd:date."]


def test_terms_round_trip_through_n_triples():
    from rdflib.namespace import XSD

    for term in (URIRef("urn:x"), BNode("b1"), Literal('a"b\\c\nd\re'), Literal("x", lang="en-GB"),
                 Literal("2024-02-30", datatype=XSD.date), Literal(42)):
        assert key_term(term_key(term)) == term
    assert term_key(URIRef("no scheme")) is None and term_key(BNode("a b")) is None


def test_the_minimal_ontology_keeps_what_the_shapes_read():
    text, nodes, graph = _case_ontology()
    predicates = {p for _, p, _ in graph}
    # only what the shapes read: no definitions, synonyms, xrefs (the subclass closure is most of it)
    assert predicates == {RDF.type, RDFS.subClassOf, RDFS.label, URIRef(S + "hasApproach"), URIRef(S + "hasSite")}
    full = shapes.ontology_graph()
    assert len(graph) == len([t for t in full if t[1] in predicates]) < len(full)
    assert f"<{S}OpenApproach>" in nodes and text.count("\n") == len(graph)


@pytest.mark.parametrize("fmt", ["text", "json", "ttl"])
def test_an_ill_typed_literal_leaves_stderr_empty(cli, fmt):
    """rdflib logs a traceback when it makes the literal "2024-02-30"^^xsd:date; the report names it instead."""
    code, out, err = cli("validate", str(CORPUS / "impossible-date.ttl"), "--format", fmt)
    assert (code, err) == (1, "") and "2024-02-30" in out


def test_cli_jobs(cli, repo):
    path = str(CORPUS / "missing-date.ttl")
    assert cli("validate", path, "--jobs", "2")[0] == 1
    code, out, err = cli("validate", path, "--jobs", "0")
    assert code == 2 and err == "spinekg: error: --jobs must be between 1 and 64 (got 0)\n"


# ---- approach unions -------------------------------------------------------------------------------

def _case(procedure: str, site: str, approach: str) -> Graph:
    graph = Graph()
    case, proc, place = URIRef(EX + "c"), URIRef(EX + "c-procedure"), URIRef(EX + "c-site")
    graph.add((case, RDF.type, URIRef(S + "SurgicalCase")))
    graph.add((case, RDFS.label, Literal("case c")))
    graph.add((case, URIRef(S + "caseId"), Literal("c")))
    graph.add((case, URIRef(S + "caseDate"), Literal("2024-05-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))))
    graph.add((case, URIRef(S + "hasProcedure"), proc))
    graph.add((proc, RDF.type, URIRef(S + procedure)))
    graph.add((proc, URIRef(S + "hasSite"), place))
    graph.add((place, RDF.type, URIRef(S + site)))
    graph.add((proc, URIRef(S + "hasApproach"), URIRef(S + approach)))
    return graph


INVASIVENESS = "open, minimally invasive (endoscopic, percutaneous) and external approaches exclude one another"
DIRECTION = ("anterior (from the front), posterior (from the back) and lateral (from the side) approaches exclude "
             "one another")


@pytest.mark.parametrize("procedure,site,approach,expected", [
    ("Discectomy", "DiscL4L5", "ExternalApproach",
     "discectomy is performed through a minimally invasive approach or an open approach, which excludes the "
     f"recorded external approach; {INVASIVENESS}"),
    ("SacroiliacJointFusion", "SacroiliacJoint", "AnteriorApproach",
     "sacroiliac joint fusion is performed through a lateral approach or a posterior approach, which excludes "
     f"the recorded anterior approach; {DIRECTION}"),
    ("SpinalCordStimulatorImplantation", "EpiduralSpace", "ExternalApproach",
     "spinal cord stimulator implantation is performed through an open approach or a percutaneous approach, "
     f"which excludes the recorded external approach; {INVASIVENESS}"),
])
def test_an_approach_outside_the_union_of_the_type_is_reported(procedure, site, approach, expected):
    graph = _case(procedure, site, approach)
    for report in (validate.validate(graph), _one_run(graph), validate.validate(graph, engine="pyshacl")):
        assert [f.to_dict() for f in report.findings] == [{
            "record": EX + "c", "record_label": "case c", "focus": f"<{EX}c-procedure>",
            "path": "spinekg:hasApproach", "value": f"spinekg:{approach} ({shacl_label(approach)})",
            "message": f"The recorded approach contradicts the procedure: {expected}.", "severity": "Violation",
            "shape": str(shapes.SHAPES) + "ApproachRestriction",
            "component": str(shapes.SHAPES) + "ApproachRestrictionConstraintComponent"}]


def shacl_label(name: str) -> str:
    from spinekg.answer.index import load_index

    return load_index()["terms"][name]["label"]


@pytest.mark.parametrize("procedure,site,approach", [
    ("Discectomy", "DiscL4L5", "EndoscopicApproach"),  # endoscopic is minimally invasive: an option
    ("SacroiliacJointFusion", "SacroiliacJoint", "LateralApproach"),
    ("SpinalCordStimulatorImplantation", "EpiduralSpace", "EndoscopicApproach"),  # percutaneous is minimally invasive
    ("TransforaminalLumbarInterbodyFusion", "MotionSegmentL4L5", "OpenApproach"),
])
def test_an_approach_inside_the_union_conforms(procedure, site, approach):
    assert validate.validate(_case(procedure, site, approach)).findings == []


def test_a_contradiction_the_shapes_report_is_not_reported_twice():
    report = validate.validate(Graph().parse(CORPUS / "open-microdiscectomy.ttl"))
    assert [f.shape for f in report.findings] == [None]  # InvasivenessApproachShape's anonymous property shape
    assert [f.message for f in report.findings] == [
        "The recorded approach contradicts the procedure: open, minimally invasive (endoscopic, percutaneous) "
        "and external approaches exclude one another, and this procedure (as recorded, or by its type) would be "
        "more than one of them."]


def test_cli_reports_the_union_contradiction(cli):
    code, out, err = cli("validate", str(CORPUS / "external-approach-discectomy.ttl"), "--format", "json")
    assert code == 1 and err == ""
    result = json.loads(out)["results"]
    assert [(r["path"], r["value"], r["message"]) for r in result] == [(
        "spinekg:hasApproach", "spinekg:ExternalApproach (external approach)",
        "The recorded approach contradicts the procedure: discectomy is performed through a minimally invasive "
        f"approach or an open approach, which excludes the recorded external approach; {INVASIVENESS}.")]
