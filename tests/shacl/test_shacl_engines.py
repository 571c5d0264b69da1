"""pyshacl-turbo (the fast engine spinekg validate uses when installed) gives exactly pySHACL's results on the
project's own data: synthetic records with every kind of defect plus every case-record file of the bad-input
corpus. Compared: focus node, path, value, source shape, constraint component and message of every result."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import SH

from conftest import corpus_case_graph
from spinekg.shacl import shapes as shacl_shapes
from spinekg.shacl import validate
from spinekg.shacl.engine import run_pyshacl

pytest.importorskip("pyshacl_turbo")
CORPUS = Path(__file__).resolve().parents[1] / "bad_inputs"


def _results(report: Graph) -> Counter:
    keys: Counter = Counter()
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        keys[(report.value(result, SH.focusNode), "complex path" if isinstance(path, BNode) else path,
              report.value(result, SH.value), report.value(result, SH.sourceShape),
              report.value(result, SH.sourceConstraintComponent), report.value(result, SH.resultMessage))] += 1
    return keys


@pytest.fixture(scope="module")
def data() -> Graph:
    return corpus_case_graph(600, seed=11)


def test_turbo_and_pyshacl_give_the_same_results(data):
    def working() -> Graph:
        graph = Graph()
        for triple in shacl_shapes.ontology_graph():
            graph.add(triple)
        for triple in data:
            graph.add(triple)
        return graph

    shapes = shacl_shapes.load_shapes(shacl_shapes.CASE_SHAPE_FILES)
    reference = _results(run_pyshacl(working(), shapes, engine="pyshacl"))
    fast = _results(run_pyshacl(working(), shapes, engine="turbo"))
    assert sum(reference.values()) > 150
    assert fast == reference


def test_reports_are_equal_through_the_api(data):
    reference = validate.validate(data, engine="pyshacl")
    fast = validate.validate(data, engine="turbo")
    assert [f.to_dict() for f in fast.findings] == [f.to_dict() for f in reference.findings]
    assert fast.conforms is reference.conforms is False


def test_rules_give_the_same_triples_on_both_engines(runtime_index):
    """The SHACL-AF rules on a sample of procedure x site cases (the full sweep is in test_shacl_rules)."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from spinekg.answer.composers import classify_procedure
    from spinekg.errors import SpinekgError
    from spinekg.namespaces import SPINEKG as S

    graph, number = Graph(), 0
    for procedure in sorted(runtime_index["procedures"]):
        for site in [None] + sorted(runtime_index["anatomy"])[::15]:
            try:
                classify_procedure(procedure, [site] if site else [])
            except SpinekgError:
                continue
            number += 1
            case, proc = URIRef(f"{S}t/c{number}"), URIRef(f"{S}t/c{number}p")
            graph.add((case, RDF.type, URIRef(S + "SurgicalCase")))
            graph.add((case, URIRef(S + "hasProcedure"), proc))
            graph.add((proc, RDF.type, URIRef(S + procedure)))
            if site:
                graph.add((proc, URIRef(S + "hasSite"), URIRef(f"{S}t/c{number}s")))
                graph.add((URIRef(f"{S}t/c{number}s"), RDF.type, URIRef(S + site)))
    reference = set(validate.infer(graph, engine="pyshacl"))
    assert len(reference) > 2000
    assert set(validate.infer(graph, engine="turbo")) == reference
