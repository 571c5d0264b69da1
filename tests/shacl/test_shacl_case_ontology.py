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
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "spinekg"))  # the user's cache directory (paths.cache_dir)
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


def test_the_key_covers_the_processs_extensions(monkeypatch):
    # an extension's terms are in the text: validating with one must not read (or write) the shipped ontology's entry
    from spinekg.answer import index as index_module

    shipped, real = case_ontology._key(), index_module.load_index()
    change = {"added": ["<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" ."], "removed": []}
    monkeypatch.setattr(index_module, "load_index", lambda *a, **k: {**real, "extension_edges": change})
    extended = case_ontology._key()
    assert extended != shipped
    change["added"] = []
    assert case_ontology._key() == shipped  # no change at all: the shipped entry


def test_approach_closure_equals_the_ontology_graphs():
    graph = ontology_graph()
    expected = {}
    for cls in graph.subjects(RDFS.subClassOf, URIRef(SPINEKG + "SurgicalApproach")):
        name = str(cls)[len(SPINEKG):]
        expected[name] = frozenset([name] + [str(a)[len(SPINEKG):] for a in graph.objects(cls, RDFS.subClassOf)
                                           if str(a).startswith(SPINEKG)])
    assert len(expected) > 5
    assert approach_ancestors() == expected
