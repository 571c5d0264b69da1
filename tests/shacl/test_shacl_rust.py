"""The Rust SHACL engine (PyPI ``shacl``, spinekg.shacl.rust) gives exactly pySHACL's results on the
project's own data: generated records with every kind of defect plus every case-record file of the bad-input
corpus. Compared result for result: focus node, path (a sequence path by its members), value, source shape
(nested property shapes by their blank node in the shapes graph), constraint component, severity and
message; and through the API, the same findings, JSON and Turtle report as the reference engine."""
from __future__ import annotations

from collections import Counter

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from conftest import corpus_case_graph
from spinekg.shacl import records as shacl_records
from spinekg.shacl import rust
from spinekg.shacl import shapes as shacl_shapes
from spinekg.shacl.case_data import CaseData, term_key
from spinekg.shacl.engine import record_engine, run_pyshacl

pytest.importorskip("shacl")


def _results(report: Graph) -> Counter:
    keys: Counter = Counter()
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = tuple(Collection(report, path))
        keys[(report.value(result, SH.focusNode), path, report.value(result, SH.value),
              report.value(result, SH.sourceShape), report.value(result, SH.sourceConstraintComponent),
              report.value(result, SH.resultSeverity), report.value(result, SH.resultMessage))] += 1
    return keys


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = corpus_case_graph(400, seed=17, skip=lambda path: path.name.startswith("huge-"))
    # records stated as back surgery, at a cervical site (the SPARQL shape's finding) and a lumbar one
    ex, s = "https://w3id.org/spinekg/example/", "https://w3id.org/spinekg/"
    for number, site in enumerate(("VertebraC5", "VertebraL4", "VertebraC6")):
        case, procedure, node = (URIRef(f"{ex}stated-{number}{end}") for end in ("", "-procedure", "-site"))
        graph.add((case, RDF.type, URIRef(s + "SurgicalCase")))
        graph.add((case, URIRef(s + "caseId"), Literal(f"stated-{number}")))
        graph.add((case, URIRef(s + "backSurgeryVerdict"), Literal("yes")))
        graph.add((case, URIRef(s + "hasProcedure"), procedure))
        graph.add((procedure, RDF.type, URIRef(s + "Laminectomy")))
        graph.add((procedure, URIRef(s + "hasSite"), node))
        graph.add((node, RDF.type, URIRef(s + site)))
    return graph


def _without_blank_nodes(graph: Graph) -> Graph:
    kept = Graph()
    for triple in graph:
        if not any(isinstance(t, BNode) for t in triple) and None not in map(term_key, triple):
            kept.add(triple)
    return kept


def test_engine_results_equal_pyshacl(data):
    plain = _without_blank_nodes(data)
    ontology_text, _nodes, ontology = shacl_records._case_ontology()
    text = ontology_text + "".join(" ".join(map(term_key, t)) + " .\n" for t in plain)  # type: ignore[arg-type]
    fast = _results(rust.validate_text(text, "t"))
    working = Graph()
    for triple in ontology:
        working.add(triple)
    for triple in plain:
        working.add(triple)
    reference = _results(run_pyshacl(working, shacl_shapes.load_shapes(shacl_shapes.CASE_SHAPE_FILES),
                                     engine="pyshacl"))
    components = {str(key[4]).rsplit("#", 1)[-1] for key in reference}
    # every kind of defect the generator and the corpus make is in the comparison
    assert {"MinCountConstraintComponent", "MaxCountConstraintComponent", "PatternConstraintComponent",
            "NodeConstraintComponent", "ClassConstraintComponent", "InConstraintComponent",
            "DatatypeConstraintComponent", "QualifiedMaxCountConstraintComponent",
            "SPARQLConstraintComponent"} <= components, components
    assert any(isinstance(key[3], BNode) for key in reference)  # nested property shapes are compared too
    assert fast == reference


def test_reports_equal_through_the_api(data):
    """Small batches: some hold blank nodes (those go to the reference path), the rest to the Rust engine."""
    records = CaseData.from_graph(data)
    assert records.graph is None
    calls: list[str] = []
    original = rust.validate_text

    def counted(text: str, run: str) -> Graph:
        calls.append(run)
        return original(text, run)

    rust.validate_text = counted  # type: ignore[assignment]
    try:
        fast = shacl_records.validate_records(records, engine="rust", jobs=1, batch_triples=1000)
    finally:
        rust.validate_text = original  # type: ignore[assignment]
    reference = shacl_records.validate_records(records, engine="pyshacl", jobs=1, batch_triples=1000)
    assert len(calls) >= 2  # the Rust engine did run, on more than one batch
    assert len(reference.findings) > 150
    assert fast.to_json() == reference.to_json()
    assert fast.to_text() == reference.to_text()
    assert fast.to_turtle() == reference.to_turtle()  # sh:detail is dropped from every report (see report.py)


def test_auto_means_rust():
    assert record_engine("auto") == "rust"
    assert record_engine("pyshacl") == "pyshacl"


# ---- the fast path: one engine run, findings from its result objects (spinekg.shacl.whole) -------------

def _one_run_data(data: Graph) -> Graph:
    """The fixture without blank nodes and level text: what one Rust-engine run takes."""
    plain = _without_blank_nodes(data)
    for triple in list(plain.triples((None, URIRef("https://w3id.org/spinekg/levelText"), None))):
        plain.remove(triple)
    return plain


def _spied(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Which path each validation took: 'whole' (one run) or 'batch' (a batch given to the Rust engine)."""
    from spinekg.shacl import whole

    taken: list[str] = []
    original_whole, original_batch = whole.validate_whole, rust.validate_text

    def one_run(*args, **kwargs):  # type: ignore[no-untyped-def]
        report = original_whole(*args, **kwargs)
        taken.append("whole" if report is not None else "refused")
        return report

    def batch(text: str, run: str) -> Graph:
        taken.append("batch")
        return original_batch(text, run)

    monkeypatch.setattr(whole, "validate_whole", one_run)
    monkeypatch.setattr(rust, "validate_text", batch)
    return taken


def test_one_run_equals_pyshacl(data, monkeypatch):
    plain = _one_run_data(data)
    reference = shacl_records.validate_records(CaseData.from_graph(plain), engine="pyshacl", jobs=1)
    taken = _spied(monkeypatch)
    fast = shacl_records.validate_records(CaseData.from_graph(plain), engine="rust")
    assert taken == ["whole"]
    assert len(reference.findings) > 150
    components = {f.component for f in reference.findings}
    assert {"MinCountConstraintComponent", "MaxCountConstraintComponent", "PatternConstraintComponent",
            "NodeConstraintComponent", "ClassConstraintComponent", "InConstraintComponent",
            "DatatypeConstraintComponent", "QualifiedMaxCountConstraintComponent", "SPARQLConstraintComponent",
            f"{shacl_shapes.SHAPES}SiteRestrictionConstraintComponent"} <= components, components
    assert any(f.path and "/" in f.path for f in reference.findings)  # a sequence path is compared too
    assert fast.to_json() == reference.to_json()
    assert fast.to_text() == reference.to_text()
    assert taken == ["whole"]  # findings and text never built the report graph
    assert fast.to_turtle() == reference.to_turtle()  # built when asked for, by the batch path
    assert taken == ["whole", "batch"]


def test_one_run_from_a_file_equals_pyshacl(data, tmp_path, monkeypatch):
    """Read by oxigraph (which writes language tags in lower case), the text goes to the engine as it is."""
    from spinekg.shacl.case_files import read_case_data

    plain = _one_run_data(data)
    ex = "https://w3id.org/spinekg/example/"
    case = URIRef(f"{ex}tagged")
    plain.add((case, RDF.type, URIRef("https://w3id.org/spinekg/SurgicalCase")))
    plain.add((case, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Case tagged", lang="en-GB")))
    plain.add((case, URIRef("https://w3id.org/spinekg/hasProcedure"), Literal("a procedure", lang="en-GB")))
    path = tmp_path / "cases.nt"
    path.write_text(plain.serialize(format="nt"), encoding="utf-8")
    records = read_case_data([path])
    assert records.text is not None and records.text.startswith(shacl_records._case_ontology_text()[0])
    taken = _spied(monkeypatch)
    fast = shacl_records.validate_records(records, engine="rust")
    assert taken == ["whole"]
    reference = shacl_records.validate_records(CaseData.from_graph(plain), engine="pyshacl", jobs=1)
    assert fast.to_json() == reference.to_json()
    tagged = [f for f in fast.findings if f.focus == '"a procedure"']
    assert tagged and {(f.record, f.record_label) for f in tagged} == {(str(case), "Case tagged")}


def test_blank_nodes_and_level_text_go_to_the_batch_path(data):
    from spinekg.shacl.whole import engine_text

    assert engine_text(CaseData.from_graph(data)) is None  # the fixture holds both
    plain = _one_run_data(data)
    text, start = engine_text(CaseData.from_graph(plain))  # type: ignore[misc]
    assert text[:start] == shacl_records._case_ontology_text()[0] and text.count("\n", start) == len(plain)
    plain.add((URIRef("https://w3id.org/spinekg/example/p"), URIRef("https://w3id.org/spinekg/levelText"),
               Literal("L4-L5")))
    assert engine_text(CaseData.from_graph(plain)) is None
