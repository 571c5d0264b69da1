"""The release as the OBO stack reads it: OAK (runoak search and ancestors), pronto, obonet and owlready2
load the shipped files and see the same hierarchy and synonyms rdflib sees in the classified release."""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from spinekg.build.release import RELEASE_DIR
from spinekg.namespaces import SPINEKG

SK = lambda name: URIRef(SPINEKG + name)  # noqa: E731
RUNOAK = Path(sys.executable).with_name("runoak")


@pytest.fixture(scope="module")
def full() -> Graph:
    return Graph().parse(RELEASE_DIR / "spinekg.ttl", format="turtle")


def named_ancestors(graph: Graph, name: str) -> set[str]:
    """Named superclasses (is_a) of a class, transitively, in the classified release."""
    return {f"spinekg:{str(o)[len(SPINEKG):]}" for o in graph.transitive_objects(SK(name), RDFS.subClassOf)
            if isinstance(o, URIRef) and str(o).startswith(SPINEKG) and o != SK(name)}


def runoak(*args: str) -> list[str]:
    proc = subprocess.run([str(RUNOAK), *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-1500:]
    return [line for line in proc.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("source", ["spinekg.obo", "spinekg.ttl", "pronto-owl"])
def test_runoak_search_finds_acdf_by_its_abbreviation(source):
    spec = f"pronto:{RELEASE_DIR / 'spinekg.owl'}" if source == "pronto-owl" else str(RELEASE_DIR / source)
    hits = runoak("-i", spec, "search", "ACDF")
    assert [h.split(" ! ")[0] for h in hits] in (["spinekg:AnteriorCervicalDiscectomyAndFusion"],
                                                [SPINEKG + "AnteriorCervicalDiscectomyAndFusion"])


def test_oak_ancestors_of_disc_l4_l5_follow_is_a_and_part_of(full):
    from oaklib import get_adapter
    from oaklib.datamodels.vocabulary import IS_A, PART_OF as OAK_PART_OF

    adapter = get_adapter(f"pronto:{RELEASE_DIR / 'spinekg.obo'}")
    assert set(adapter.ancestors("spinekg:DiscL4L5", predicates=[IS_A], reflexive=False)) == named_ancestors(full, "DiscL4L5")
    both = set(adapter.ancestors("spinekg:DiscL4L5", predicates=[IS_A, OAK_PART_OF], reflexive=False))
    assert {"spinekg:LumbarSpine", "spinekg:LowerBack", "spinekg:Spine", "spinekg:MotionSegmentL4L5",
            "spinekg:LumbarIntervertebralDisc"} <= both
    cli = {line.split("\t")[0] for line in runoak("-i", str(RELEASE_DIR / "spinekg.obo"), "ancestors", "-p", "i,p",
                                                  "spinekg:DiscL4L5")}
    assert cli - {"id"} == both | {"spinekg:DiscL4L5"}


@pytest.mark.parametrize("name", ["spinekg.obo", "spinekg.owl"])
def test_pronto_reads_every_class_with_its_inferred_superclasses(full, name):
    import pronto

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        onto = pronto.Ontology(str(RELEASE_DIR / name))
    ident = (lambda n: f"spinekg:{n}") if name.endswith(".obo") else (lambda n: SPINEKG + n)  # noqa: E731
    named = {s for s in full.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    assert len(onto.terms()) == len(named)
    micro = onto[ident("LumbarMicrodiscectomy")]
    supers = {t.id.replace(SPINEKG, "spinekg:") for t in micro.superclasses(with_self=False)}
    assert supers == named_ancestors(full, "LumbarMicrodiscectomy")
    assert "spinekg:BackSurgery" in supers and "spinekg:SpineSurgery" in supers  # HermiT's, not asserted
    acdf = onto[ident("AnteriorCervicalDiscectomyAndFusion")]
    assert ("ACDF", "EXACT") in {(s.description, s.scope) for s in acdf.synonyms}


def test_obonet_graph_matches_the_release(full):
    import obonet

    graph = obonet.read_obo(str(RELEASE_DIR / "spinekg.obo"))
    named = {s for s in full.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    assert graph.number_of_nodes() == len(named)
    is_a = {(u, v) for u, v, key in graph.edges(keys=True) if key == "is_a"}
    assert ("spinekg:LumbarMicrodiscectomy", "spinekg:Microdiscectomy") in is_a
    part_of = {(u, v) for u, v, key in graph.edges(keys=True) if key == "BFO:0000050"}
    assert ("spinekg:DiscL4L5", "spinekg:MotionSegmentL4L5") in part_of
    assert graph.nodes["spinekg:AnteriorCervicalDiscectomyAndFusion"]["name"] == "anterior cervical discectomy and fusion"


def test_owlready2_reads_the_classified_release_without_a_reasoner():
    import owlready2

    world = owlready2.World()
    world.get_ontology((RELEASE_DIR / "spinekg.owl").as_uri()).load()
    micro = world[SPINEKG + "LumbarMicrodiscectomy"]
    ancestors = {a.iri for a in micro.ancestors() if hasattr(a, "iri")}
    assert SPINEKG + "BackSurgery" in ancestors and SPINEKG + "SpineSurgery" in ancestors
    acdf = world[SPINEKG + "AnteriorCervicalDiscectomyAndFusion"]
    assert SPINEKG + "BackSurgery" not in {a.iri for a in acdf.ancestors() if hasattr(a, "iri")}
    assert "ACDF" in [str(s) for s in acdf.hasExactSynonym]


def test_obographs_json_has_the_same_nodes_and_edges_as_the_obo_file():
    import json

    import obonet

    doc = json.loads((RELEASE_DIR / "spinekg.json").read_text(encoding="utf-8"))
    graph = doc["graphs"][0]
    assert graph["meta"]["version"].endswith("/spinekg.owl") and "/releases/" in graph["meta"]["version"]
    obo = obonet.read_obo(str(RELEASE_DIR / "spinekg.obo"))
    classes = {n["id"].replace(SPINEKG, "spinekg:") for n in graph["nodes"] if n["type"] == "CLASS"}
    assert classes == set(obo.nodes)
    json_is_a = {(e["sub"].replace(SPINEKG, "spinekg:"), e["obj"].replace(SPINEKG, "spinekg:")) for e in graph["edges"] if e["pred"] == "is_a"}
    assert json_is_a == {(u, v) for u, v, key in obo.edges(keys=True) if key == "is_a"}
