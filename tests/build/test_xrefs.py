"""Every external ID is verified against the reference table the project ships."""
from __future__ import annotations

import pytest
from conftest import SHARED_REFERENCE

from spinekg.build.xrefs import reference_rows, unverified, used_xrefs


def test_every_xref_is_in_the_shipped_reference(asserted_graph, ontology_dir):
    assert unverified(asserted_graph, ontology_dir / "reference" / "external_terms.tsv") == []
    assert len(used_xrefs(asserted_graph)) >= 200


def test_shipped_reference_rows_are_verbatim_copies_of_shared(ontology_dir):
    shared = SHARED_REFERENCE / "external_terms.tsv"
    if not shared.exists():
        pytest.skip("../shared/reference is not beside this checkout")
    shipped_lines = (ontology_dir / "reference" / "external_terms.tsv").read_text(encoding="utf-8").splitlines()
    shared_lines = set(shared.read_text(encoding="utf-8").splitlines())
    assert all(line in shared_lines for line in shipped_lines)


def test_no_licensed_terminologies(asserted_graph):
    text = asserted_graph.serialize(format="nt")
    for forbidden in ("SNOMEDCT", "SCTID", "snomed.info", "CPT:", "ama-assn.org"):
        assert forbidden not in text


def test_known_reference_warnings_respected(ontology_dir):
    rows = reference_rows(ontology_dir / "reference" / "external_terms.tsv")
    assert "NUCC:207XX0004X" not in rows  # foot and ankle surgery, often mislabelled as spine
    assert "MONDO:0006728" not in rows  # obsolete discitis
    assert "UBERON:0006070" not in rows  # stale coccygeal vertebra id
    assert rows["NUCC:207XS0117X"]["label"] == "Orthopaedic Surgery, Orthopaedic Surgery of the Spine"


def test_detects_an_invented_identifier(asserted_graph, ontology_dir):
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    for triple in asserted_graph.triples((URIRef("https://w3id.org/spinekg/Laminectomy"), None, None)):
        graph.add(triple)
    graph.add((URIRef("https://w3id.org/spinekg/Laminectomy"),
               URIRef("http://www.geneontology.org/formats/oboInOwl#hasDbXref"), Literal("MAXO:9999999")))
    problems = unverified(graph, ontology_dir / "reference" / "external_terms.tsv")
    assert problems == ["MAXO:9999999 (used by https://w3id.org/spinekg/Laminectomy)"]
