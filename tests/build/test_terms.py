"""Every spinekg term: one label, one definition; unique labels; complete ontology header."""
from __future__ import annotations

from collections import Counter

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from spinekg.namespaces import DEFINITION, ONTOLOGY_IRI, SPINEKG


def spinekg_classes(graph):
    return sorted(s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef) and str(s).startswith(SPINEKG))


def test_one_label_and_one_definition(asserted_graph):
    classes = spinekg_classes(asserted_graph)
    assert len(classes) >= 380
    no_label = [c for c in classes if len(list(asserted_graph.objects(c, RDFS.label))) != 1]
    no_definition = [c for c in classes if len(list(asserted_graph.objects(c, URIRef(DEFINITION)))) != 1]
    assert no_label == [] and no_definition == []


def test_labels_are_unique_and_trimmed(asserted_graph):
    labels = [str(asserted_graph.value(c, RDFS.label)) for c in spinekg_classes(asserted_graph)]
    assert [label for label, n in Counter(labels).items() if n > 1] == []
    assert [label for label in labels if label != label.strip() or "  " in label] == []


def test_header_complete(asserted_graph):
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in asserted_graph
    for prop in (OWL.versionIRI, OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert asserted_graph.value(onto, prop) is not None, prop
    assert str(asserted_graph.value(onto, OWL.versionInfo)) in str(asserted_graph.value(onto, OWL.versionIRI))


def test_abbreviations_resolve(runtime_index):
    expected = {"acdf": "AnteriorCervicalDiscectomyAndFusion", "tlif": "TransforaminalLumbarInterbodyFusion",
                "plif": "PosteriorLumbarInterbodyFusion", "alif": "AnteriorLumbarInterbodyFusion",
                "llif": "LateralLumbarInterbodyFusion", "xlif": "LateralLumbarInterbodyFusion",
                "scs": "SpinalCordStimulatorImplantation", "lp": "LumbarPuncture", "ddd": "DegenerativeDiscDisease"}
    for abbreviation, term in expected.items():
        assert runtime_index["lexicon"][abbreviation] == [term]
