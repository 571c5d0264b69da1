"""SHACL shapes and the spinekg.shacl API: the shipped ontology conforms, the example and synthetic case
records conform, each kind of defect is found with its message, and the CLI formats and exit codes."""
from __future__ import annotations

import json

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from conftest import needs_java
from spinekg.shacl import shapes as shacl_shapes
from spinekg.shacl import validate
from spinekg.namespaces import SPINEKG


def test_shipped_ontology_conforms_to_quality_shapes():
    report = validate.validate_ontology()
    assert [f.to_dict() for f in report.findings] == []
    assert report.conforms and report.exit_code == 0


@needs_java
def test_shipped_ontology_conforms_with_hermit_closure(reasoned):
    report = validate.validate_ontology(classification=reasoned.classification, graph=reasoned.graph)
    assert report.findings == []


@needs_java
def test_ontology_graph_equals_hermit_edges_for_case_terms(edges_graph, runtime_index):
    """The Java-free ontology graph has exactly HermiT's superclasses and edges for every class a case record
    can use (procedures, anatomy, approaches, specialists)."""
    ours = shacl_shapes.ontology_graph()
    usable = {name for name, term in runtime_index["terms"].items()
              if term["kind"] in ("procedure", "anatomy", "specialist", "approach", "quality")}
    assert len(usable) > 250
    for name in sorted(usable):
        node = URIRef(SPINEKG + name)
        for prop in (RDFS.subClassOf, URIRef(SPINEKG + "hasSite"), URIRef(SPINEKG + "hasApproach"),
                     URIRef("http://purl.obolibrary.org/obo/BFO_0000050")):
            assert set(ours.objects(node, prop)) == set(edges_graph.objects(node, prop)), (name, prop)


def test_example_cases_conform(repo):
    report = validate.validate(repo / "data" / "examples" / "cases.ttl")
    assert report.findings == [] and report.conforms


def test_synthetic_cases_conform():
    from spinekg.cases.records import generate_cases

    data = Graph().parse(data=generate_cases(300, seed=7), format="nt")
    assert validate.validate(data).findings == []


def test_every_generated_defect_is_found_with_its_message():
    from spinekg.cases.records import generate_records, records_to_ntriples

    records = generate_records(400, seed=3, defect_rate=0.2)
    data = Graph().parse(data=records_to_ntriples(records), format="nt")
    report = validate.validate(data)
    flagged = {f.record for f in report.findings}
    broken = {r.iri for r in records if r.defect}
    assert len(broken) > 40
    assert flagged == broken  # every broken record, and only those
    expected = {
        "incompatible-site": "The site contradicts the procedure: anterior cervical discectomy and fusion",
        "missing-date": "exactly one date of surgery",
        "two-procedures": "exactly one procedure (spinekg:hasProcedure)",
        "not-a-specialist": "must be one kind of specialist of spinekg",
        "bad-diagnosis-code": "must be an ICD-10-CM code",
    }
    for record in records:
        if record.defect:
            messages = [f.message for f in report.findings if f.record == record.iri]
            assert any(expected[record.defect] in m for m in messages), (record.defect, messages)


def test_report_groups_by_record_with_label_property_value_and_message(repo):
    report = validate.validate(repo / "tests" / "bad_inputs" / "level-wrong-order.ttl")
    text = report.to_text()
    assert text.splitlines()[:4] == [
        "1 violation in 1 record", "",
        "bad case <https://w3id.org/spinekg/example/bad>",
        '  - spinekg:levelText = "L5-L4"',
    ]
    assert "wrong order; write the upper level first (L4-L5)" in text


def test_json_and_turtle_reports_are_machine_readable(cli, repo):
    path = str(repo / "tests" / "bad_inputs" / "unknown-site-term.ttl")
    code, out, err = cli("validate", path, "--format", "json")
    assert code == 1 and err == ""
    data = json.loads(out)
    assert data["conforms"] is False and data["violations"] == 2
    values = sorted(r["value"] for r in data["results"])
    assert values[0] == "<https://w3id.org/spinekg/example/bad-site-1> a spinekg:DiscL4L6"
    assert values[1] == "spinekg:DiscL4L6"
    assert {r["record_label"] for r in data["results"]} == {"bad case"}
    code, out, err = cli("validate", path, "--format", "ttl")
    assert code == 1
    graph = Graph().parse(data=out, format="turtle")
    assert len(set(graph.subjects(RDF.type, SH.ValidationResult))) == 2
    assert (None, SH.conforms, None) in graph


def test_cli_validate_exit_codes(cli, repo):
    assert cli("validate", str(repo / "data" / "examples" / "cases.ttl"))[:2] == (0, "conforms: no violations\n")
    assert cli("validate", str(repo / "tests" / "bad_inputs" / "missing-date.ttl"))[0] == 1
    code, out, err = cli("validate", str(repo / "no-such-file.ttl"))
    assert code == 2 and "no-such-file.ttl: no such file" in err and "Traceback" not in err


def test_cli_validate_ontology_and_extension(cli, repo):
    assert cli("validate", "--ontology")[:2] == (0, "conforms: no violations\n")
    code, out, _ = cli("validate", str(repo / "tests" / "bad_inputs" / "extension-cyclic-part-of.ttl"))
    assert code == 1
    assert "spinekg:WidgetA (widget a)" in out and "spinekg:WidgetB (widget b)" in out
    assert out.count("Cyclic part-of") == 2


def test_user_shapes(tmp_path, repo):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix spinekg: <https://w3id.org/spinekg/> .
        <urn:s> a sh:NodeShape ; sh:targetClass spinekg:SurgicalCase ;
            sh:property [ sh:path spinekg:surgeonSpecialty ; sh:minCount 1 ; sh:message "specialty required" ] .""")
    report = validate.validate(repo / "data" / "examples" / "cases.ttl", shapes=[shapes])
    assert report.findings and {f.message for f in report.findings} == {"specialty required"}


def test_infer_cli_writes_only_derived_triples(cli, repo, tmp_path):
    out = tmp_path / "derived.nt"
    code, stdout, err = cli("infer", str(repo / "data" / "examples" / "cases.ttl"), "--out", str(out))
    graph = Graph().parse(out, format="nt")
    assert (code, stdout) == (0, "")  # the status line goes to stderr, as for every command
    assert err == f"spinekg: wrote {len(graph)} derived triples for 21 case records to {out}\n"
    predicates = {str(p) for p in graph.predicates()}
    assert predicates == {SPINEKG + "spineSurgeryVerdict", SPINEKG + "backSurgeryVerdict", SPINEKG + "inRegion",
                          SPINEKG + "expectedRecovery"}
    case1 = URIRef(SPINEKG + "example/case-0001")
    assert {(str(p)[len(SPINEKG):], str(o)) for p, o in graph.predicate_objects(case1)} == {
        ("spineSurgeryVerdict", "yes"), ("backSurgeryVerdict", "yes"), ("inRegion", "lumbar"),
        ("expectedRecovery", SPINEKG + "ShortRecovery")}
    assert isinstance(graph.value(case1, URIRef(SPINEKG + "expectedRecovery")), URIRef)
    assert out.read_bytes() == out.read_bytes()  # written once, atomically
    code2, _, _ = cli("infer", str(repo / "data" / "examples" / "cases.ttl"), "--out", str(tmp_path / "again.nt"))
    assert code2 == 0 and (tmp_path / "again.nt").read_bytes() == out.read_bytes()  # deterministic


def test_infer_refuses_to_write_in_place(cli, tmp_path, repo):
    data = tmp_path / "cases.ttl"
    data.write_bytes((repo / "data" / "examples" / "cases.ttl").read_bytes())
    before = data.read_bytes()
    code, _, err = cli("infer", str(data), "--out", str(data))
    assert code == 2 and "never writes in place" in err
    assert data.read_bytes() == before


def test_rules_agree_with_classify_on_example_cases(repo):
    from spinekg.cases.records import read_records
    from spinekg.answer.composers import classify_procedure

    path = repo / "data" / "examples" / "cases.ttl"
    derived = validate.infer(path)
    records = read_records(Graph().parse(path))
    assert len(records) >= 20
    for record in records:
        verdict = classify_procedure(record.procedure, list(record.sites))
        case = URIRef(record.iri)
        assert str(derived.value(case, URIRef(SPINEKG + "spineSurgeryVerdict"))) == verdict.spine_surgery
        assert str(derived.value(case, URIRef(SPINEKG + "backSurgeryVerdict"))) == verdict.back_surgery
        assert sorted(str(o) for o in derived.objects(case, URIRef(SPINEKG + "inRegion"))) == sorted(verdict.regions)
