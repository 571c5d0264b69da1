"""The ontology triples the case shapes read come from a disk cache keyed by everything they depend on:
the cached text equals a fresh build, a second read does not build, and the approach closure the Python
check reads from it equals the one read from the ontology graph."""
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import RDFS

from spinekg.namespaces import SPINEKG
from spinekg.shacl import case_ontology
from spinekg.shacl.checks import approach_ancestors
from spinekg.shacl.shapes import ontology_graph


def test_cache_is_used_and_equals_a_fresh_build(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = case_ontology._case_ontology()[0]
    built: list[int] = []

    def build() -> str:
        built.append(1)
        return fresh

    assert case_ontology._cached_text("probe", build) == fresh
    assert case_ontology._cached_text("probe", build) == fresh
    assert built == [1]
    assert len(list((tmp_path / "spinekg").glob("probe-*.nt"))) == 1
    assert case_ontology._case_ontology_text()[0] == fresh


def test_approach_closure_equals_the_ontology_graphs():
    graph = ontology_graph()
    expected = {}
    for cls in graph.subjects(RDFS.subClassOf, URIRef(SPINEKG + "SurgicalApproach")):
        name = str(cls)[len(SPINEKG):]
        expected[name] = frozenset([name] + [str(a)[len(SPINEKG):] for a in graph.objects(cls, RDFS.subClassOf)
                                           if str(a).startswith(SPINEKG)])
    assert len(expected) > 5
    assert approach_ancestors() == expected
