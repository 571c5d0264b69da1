"""The release set: deterministic bytes, version headers, round trips through rdflib, rapper, pyoxigraph
and owlready2, a label on every node of the query-ready graph, and the property-graph export in Kuzu."""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import sys

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from spinekg import __version__
from spinekg.namespaces import BACK_SURGERY_SITE, PART_OF, SPINEKG
from spinekg.build.release import RELEASE_DIR, release_graphs, release_texts, unlabelled
from spinekg.rdf.serialize import stable_bnodes

SK = lambda name: URIRef(SPINEKG + name)  # noqa: E731
RDF_FILES = ["spinekg.ttl", "spinekg.owl", "spinekg.jsonld", "spinekg.nt", "spinekg-base.owl", "spinekg-base.ttl",
             "spinekg-edges.ttl", "spinekg-edges.nt"]
ALL_FILES = sorted(RDF_FILES + ["spinekg.obo", "spinekg.json", "spinekg-nodes.csv", "spinekg-relationships.csv",
                                "spinekg-neo4j.cypher", "spinekg-kuzu.cypher", "spinekg-site-groups.nt"])
FORMAT = {".ttl": "turtle", ".nt": "nt", ".owl": "xml", ".jsonld": "json-ld"}


@pytest.fixture(scope="module")
def texts(reasoned):
    return release_texts(reasoned.graph, reasoned.classification)


@pytest.fixture(scope="module")
def sources(reasoned):
    """File stem -> the graph each release file must hold (spinekg: classified, -base: asserted, -edges)."""
    return release_graphs(reasoned.graph, reasoned.classification)


def triples_of(graph: Graph) -> set:
    """Triples with canonical blank-node names: equal sets <=> isomorphic graphs (tree-shaped blank nodes)."""
    return set(stable_bnodes(graph))


def parse(name: str, text: str) -> Graph:
    return Graph().parse(data=text, format=FORMAT["." + name.rsplit(".", 1)[1]])


# ---- determinism ----------------------------------------------------------------------------------

def test_release_set_has_exactly_the_documented_files(texts):
    assert sorted(texts) == ALL_FILES


def test_building_twice_gives_identical_bytes(reasoned, texts):
    assert release_texts(reasoned.graph, reasoned.classification) == texts


_HASHES = """
import hashlib, json
from spinekg.build.ontology import load_ontology
from spinekg.build.pipeline import reason
from spinekg.build.release import release_texts
r = reason(load_ontology())
print(json.dumps({k: hashlib.sha256(v.encode()).hexdigest() for k, v in release_texts(r.graph, r.classification).items()}))
"""


def test_bytes_do_not_depend_on_the_hash_seed(texts, repo):
    if shutil.which("java") is None:
        pytest.skip("needs Java")
    mine = {k: hashlib.sha256(v.encode()).hexdigest() for k, v in texts.items()}
    for seed in ("1", "4242"):
        proc = subprocess.run([sys.executable, "-c", _HASHES], capture_output=True, text=True, timeout=300,
                              cwd=repo, env={**__import__("os").environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr[-500:]
        assert json.loads(proc.stdout) == mine, f"PYTHONHASHSEED={seed}"


def test_committed_release_is_up_to_date(texts):
    """spinekg/data/release/ (shipped in the wheel) must equal a fresh build: run 'spinekg build' if not."""
    stale = [name for name, text in texts.items()
             if not (RELEASE_DIR / name).is_file() or (RELEASE_DIR / name).read_text(encoding="utf-8") != text]
    assert stale == []


def test_stable_bnodes_falls_back_to_rdflib_for_shared_blank_nodes():
    shared, other = BNode(), BNode()
    g = Graph()
    g.add((SK("A"), RDFS.subClassOf, shared))
    g.add((SK("B"), RDFS.subClassOf, shared))  # referenced twice: not a tree
    g.add((shared, RDFS.label, Literal("x")))
    g.add((other, RDF.type, OWL.AllDisjointClasses))
    relabelled = stable_bnodes(g)
    assert len(relabelled) == 4
    assert len({o for o in relabelled.objects(None, RDFS.subClassOf)}) == 1


def test_stable_bnodes_keeps_identical_twins_apart():
    g = Graph()
    for _ in range(2):  # two structurally identical restrictions on the same class
        r = BNode()
        g.add((SK("A"), RDFS.subClassOf, r))
        g.add((r, OWL.onProperty, SK("hasSite")))
    assert len(stable_bnodes(g)) == 4


# ---- headers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", RDF_FILES + ["spinekg-site-groups.nt"])
def test_every_rdf_file_has_its_version_iri_and_info(texts, name):
    graph = parse(name, texts[name])
    stem = name.rsplit(".", 1)[0]
    headers = list(graph.subjects(RDF.type, OWL.Ontology))
    assert headers == [URIRef(f"{SPINEKG}{stem}.owl")]
    assert list(graph.objects(headers[0], OWL.versionIRI)) == [URIRef(f"{SPINEKG}releases/{__version__}/{stem}.owl")]
    assert list(graph.objects(headers[0], OWL.versionInfo)) == [Literal(__version__)]


def test_property_graph_files_carry_the_version(texts):
    rows = list(csv.DictReader(texts["spinekg-nodes.csv"].splitlines()))
    ontology = [r for r in rows if "Ontology" in r[":LABEL"].split(";")]
    assert [(r["iri:ID"], r["versionInfo"]) for r in ontology] == [(SPINEKG + "spinekg-edges.owl", __version__)]
    rels = list(csv.DictReader(texts["spinekg-relationships.csv"].splitlines()))
    assert [r[":END_ID"] for r in rels if r[":TYPE"] == "VERSION_IRI"] == [f"{SPINEKG}releases/{__version__}/spinekg-edges.owl"]
    assert f"versionIRI {SPINEKG}releases/{__version__}/spinekg-edges.owl, versionInfo {__version__}" in texts["spinekg-neo4j.cypher"]


# ---- round trips ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", RDF_FILES)
def test_rdflib_parses_each_file_back_to_its_source(texts, sources, name):
    stem = name.rsplit(".", 1)[0]
    assert triples_of(parse(name, texts[name])) == triples_of(sources[stem])


@pytest.mark.parametrize("name", RDF_FILES)
def test_pyoxigraph_reads_each_file_with_the_same_triple_count(sources, name):
    ox = pytest.importorskip("pyoxigraph")
    formats = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".owl": ox.RdfFormat.RDF_XML,
               ".jsonld": ox.RdfFormat.JSON_LD}
    path = RELEASE_DIR / name
    triples = list(ox.parse(path=str(path), format=formats[path.suffix]))
    assert len(triples) == len(sources[name.rsplit(".", 1)[0]])


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) is not installed")
@pytest.mark.parametrize("name", [n for n in RDF_FILES if not n.endswith(".jsonld")])  # raptor has no JSON-LD parser
def test_rapper_parses_each_file_back_to_its_source(sources, name, tmp_path):
    syntax = {".ttl": "turtle", ".nt": "ntriples", ".owl": "rdfxml"}[RELEASE_DIR.joinpath(name).suffix]
    proc = subprocess.run(["rapper", "-q", "-i", syntax, "-o", "ntriples", str(RELEASE_DIR / name)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert triples_of(Graph().parse(data=proc.stdout, format="nt")) == triples_of(sources[name.rsplit(".", 1)[0]])


def test_owl_file_loads_in_owlready2_with_its_axioms(sources):
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((RELEASE_DIR / "spinekg.owl").as_uri()).load()
    assert onto.base_iri == SPINEKG + "spinekg.owl#"
    named = {c.iri for c in world.classes() if c.iri.startswith(SPINEKG)}
    assert named == {str(s) for s in sources["spinekg"].subjects(RDF.type, OWL.Class)
                     if isinstance(s, URIRef) and str(s).startswith(SPINEKG)}
    micro = world[SPINEKG + "LumbarMicrodiscectomy"]
    assert world[SPINEKG + "Microdiscectomy"] in micro.is_a
    assert any(getattr(r, "property", None) is world[SPINEKG + "hasSite"] and r.value is world[SPINEKG + "LumbarIntervertebralDisc"]
               for r in micro.is_a if isinstance(r, owlready2.Restriction))
    assert len(world[SPINEKG + "BackSurgery"].equivalent_to) == 1
    assert world[SPINEKG + "BackSurgery"] in micro.ancestors()  # the classified release: HermiT's hierarchy


def test_rdfxml_uses_typed_node_elements_and_turtle_the_spinekg_prefix(texts):
    """pronto and OAK's pronto adapter need <owl:Ontology> and <owl:Class> elements; OWL API 3/4 need
    '@prefix'; OAK CURIEs need the 'spinekg:' prefix rather than the empty one."""
    owl = texts["spinekg.owl"]
    assert '<owl:Ontology rdf:about="https://w3id.org/spinekg/spinekg.owl">' in owl
    assert '<owl:Class rdf:about="https://w3id.org/spinekg/DiscL4L5">' in owl
    assert "rdf:nodeID" not in owl  # blank nodes are nested where used
    for name in ("spinekg.ttl", "spinekg-base.ttl", "spinekg-edges.ttl"):
        head = [line for line in texts[name].splitlines() if line.startswith(("@prefix", "PREFIX"))]
        assert "@prefix spinekg: <https://w3id.org/spinekg/> ." in head
        assert all(line.startswith("@prefix ") and not line.startswith("@prefix : ") for line in head)


def test_abbreviations_are_omo_typed_exact_synonyms(sources):
    from spinekg.build.obo_formats import EXACT_SYNONYM, OMO_ABBREVIATION, SYNONYM_TYPE

    graph = sources["spinekg"]
    acdf = SK("AnteriorCervicalDiscectomyAndFusion")
    assert (acdf, EXACT_SYNONYM, Literal("ACDF")) in graph
    axioms = [a for a in graph.subjects(OWL.annotatedSource, acdf) if (a, OWL.annotatedTarget, Literal("ACDF")) in graph]
    assert [graph.value(a, SYNONYM_TYPE) for a in axioms] == [OMO_ABBREVIATION]
    abbreviations = set(graph.subject_objects(SK("abbreviation")))
    typed = {(graph.value(a, OWL.annotatedSource), graph.value(a, OWL.annotatedTarget))
             for a in graph.subjects(SYNONYM_TYPE, OMO_ABBREVIATION)}
    assert typed == {(s, Literal(str(o))) for s, o in abbreviations} and len(typed) > 40


def test_obo_file_header_and_acdf_stanza(texts):
    obo = texts["spinekg.obo"]
    assert obo.splitlines()[:5] == ["format-version: 1.4", f"data-version: {SPINEKG}releases/{__version__}/spinekg.owl",
                                    f"idspace: spinekg {SPINEKG}", "ontology: spinekg",
                                    'synonymtypedef: OMO:0003000 "abbreviation" EXACT']
    stanza = obo.split("id: spinekg:AnteriorCervicalDiscectomyAndFusion\n")[1].split("\n\n")[0].splitlines()
    assert 'synonym: "ACDF" EXACT OMO:0003000 []' in stanza
    assert "is_a: spinekg:CervicalSpinalFusion ! cervical spinal fusion" in stanza
    assert "relationship: spinekg:hasSite spinekg:CervicalIntervertebralDisc ! cervical intervertebral disc" in stanza


# ---- content --------------------------------------------------------------------------------------

def test_inferred_file_adds_the_hermit_hierarchy(sources):
    asserted, inferred = sources["spinekg-base"], sources["spinekg"]
    up = lambda g, name: set(g.transitive_objects(SK(name), RDFS.subClassOf))  # noqa: E731
    assert SK("BackSurgery") not in up(asserted, "LumbarMicrodiscectomy")
    assert SK("BackSurgery") in up(inferred, "LumbarMicrodiscectomy")
    assert SK("SpineSurgery") in up(inferred, "AnteriorCervicalDiscectomyAndFusion")
    assert SK("BackSurgery") not in up(inferred, "AnteriorCervicalDiscectomyAndFusion")
    body = lambda g: {t for t in g if (t[0], RDF.type, OWL.Ontology) not in g}  # noqa: E731 - headers differ by IRI
    assert body(asserted) < body(inferred)


def test_edges_graph_has_no_blank_nodes_and_a_label_on_every_node(sources):
    edges = sources["spinekg-edges"]
    assert not [t for t in edges if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    assert unlabelled(edges) == []
    label = lambda iri: {str(o) for o in edges.objects(URIRef(iri), RDFS.label)}  # noqa: E731
    assert label(PART_OF) == {"part of"}
    assert label(str(OWL.Class)) == {"class"}
    assert label("http://purl.obolibrary.org/obo/UBERON_0001130") == {"vertebral column"}
    assert (SK("DiscL4L5"), URIRef(PART_OF), SK("LumbarSpine")) in edges  # part-of closed
    assert (SK("LumbarMicrodiscectomy"), SK("hasSite"), SK("LumbarIntervertebralDisc")) in edges


# ---- property graph -------------------------------------------------------------------------------

def test_csv_headers_follow_neo4j_admin_import(texts):
    assert texts["spinekg-nodes.csv"].splitlines()[0] == ("iri:ID,curie,label,definition,versionInfo,backSurgerySite,"
                                                           "seedSection,quote,:LABEL")
    assert texts["spinekg-relationships.csv"].splitlines()[0] == ":START_ID,:END_ID,:TYPE"


def test_relationships_mirror_the_edges_graph(texts, sources):
    edges = sources["spinekg-edges"]
    rels = list(csv.DictReader(texts["spinekg-relationships.csv"].splitlines()))
    part_of = {(r[":START_ID"], r[":END_ID"]) for r in rels if r[":TYPE"] == "PART_OF"}
    assert part_of == {(str(s), str(o)) for s, o in edges.subject_objects(URIRef(PART_OF))}
    has_site = {(r[":START_ID"], r[":END_ID"]) for r in rels if r[":TYPE"] == "HAS_SITE"}
    assert has_site == {(str(s), str(o)) for s, o in edges.subject_objects(SK("hasSite"))}
    types = sorted({r[":TYPE"] for r in rels})
    for rel in types:  # the Cypher script creates every relationship type
        assert f"MERGE (a)-[:{rel}]->(b);" in texts["spinekg-neo4j.cypher"]


def test_the_export_keeps_seed_claims_sections_characteristics_and_disjointness(texts, sources, reasoned):
    from rdflib.collection import Collection

    nodes = {r["iri:ID"]: r for r in csv.DictReader(texts["spinekg-nodes.csv"].splitlines())}
    edges = sources["spinekg-edges"]
    claims = set(edges.subjects(RDF.type, SK("SeedClaim")))
    assert claims and {iri for iri, r in nodes.items() if "SeedClaim" in r[":LABEL"].split(";")} == {str(c) for c in claims}
    for claim in claims:
        assert nodes[str(claim)]["quote"] == " ".join(str(next(edges.objects(claim, SK("quote")))).split())
    for subject in set(edges.subjects(SK("seedSection"), None)):
        assert nodes[str(subject)]["seedSection"].split(";") == sorted(str(v) for v in edges.objects(subject, SK("seedSection")))
    for kind in ("Transitive", "Functional"):
        declared = {str(p) for p in edges.subjects(RDF.type, URIRef(str(OWL) + f"{kind}Property"))}
        assert declared and declared == {i for i, r in nodes.items() if f"{kind}Property" in r[":LABEL"].split(";")}
    rels = {(r[":START_ID"], r[":END_ID"]) for r in csv.DictReader(texts["spinekg-relationships.csv"].splitlines())
            if r[":TYPE"] == "DISJOINT_WITH"}
    axioms = list(reasoned.graph.subjects(RDF.type, OWL.AllDisjointClasses))
    assert axioms
    for axiom in axioms:
        members = [str(m) for m in Collection(reasoned.graph, next(reasoned.graph.objects(axiom, OWL.members)))]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                assert (a, b) in rels or (b, a) in rels, (a, b)


def test_kuzu_script_is_kuzus_dialect_and_neo4js_is_labelled(texts):
    kuzu_lines = texts["spinekg-kuzu.cypher"].splitlines()
    assert kuzu_lines[0].startswith("// spinekg property graph for Kuzu")
    assert not any("LOAD CSV" in line or "MERGE" in line for line in kuzu_lines)
    assert texts["spinekg-neo4j.cypher"].startswith("// spinekg property graph for Neo4j 5")


def test_spinekg_load_kuzu(cli, tmp_path):
    pytest.importorskip("kuzu")
    code, out, err = cli("load", "--kuzu", str(tmp_path / "db"))
    rows = texts_rows(RELEASE_DIR / "spinekg-nodes.csv")
    assert (code, out.strip()) == (0, f"loaded {len(rows)} nodes and their relationships into the Kuzu database {tmp_path / 'db'}"), err
    code, _, err = cli("load", "--kuzu", str(tmp_path / "db"))
    assert code == 2 and err.strip() == f"spinekg: error: {tmp_path / 'db'}: already exists; give a new path for the Kuzu database"


def test_kuzu_transitive_part_of_agrees_with_sparql(sources, tmp_path):
    pytest.importorskip("kuzu")
    from spinekg.stores.kuzu import load_into_kuzu

    conn = load_into_kuzu(RELEASE_DIR, tmp_path / "kuzu")
    edges = sources["spinekg-edges"]
    for whole in ("LumbarSpine", "LowerBack", "CervicalSpine"):
        result = conn.execute("MATCH (p:Resource)-[:PART_OF*1..12]->(w:Resource) WHERE w.iri = $w RETURN DISTINCT p.iri",
                              {"w": SPINEKG + whole})
        kuzu_parts = set()
        while result.has_next():
            kuzu_parts.add(result.get_next()[0])
        rows = edges.query("SELECT DISTINCT ?p WHERE { ?p <%s>+ ?w }" % PART_OF, initBindings={"w": SK(whole)})
        sparql_parts = {str(row[0]) for row in rows}
        assert kuzu_parts == sparql_parts and SPINEKG + "DiscL4L5" in (kuzu_parts if whole != "CervicalSpine" else {SPINEKG + "DiscL4L5"})
    count = conn.execute("MATCH (n:Resource) RETURN count(*)").get_next()[0]
    assert count == len(texts_rows(RELEASE_DIR / "spinekg-nodes.csv"))
    for answer in ("yes", "no", "depends"):  # the per-site back-surgery answer is a node property
        rows = edges.query("SELECT ?s WHERE { ?s <%s> ?a }" % BACK_SURGERY_SITE, initBindings={"a": Literal(answer)})
        assert kuzu_sites_of(conn, answer) == {str(row[0]) for row in rows} != set()
    assert SPINEKG + "DiscL4L5" in kuzu_sites_of(conn, "yes") and SPINEKG + "DiscC5C6" in kuzu_sites_of(conn, "no")


def kuzu_sites_of(conn, answer: str) -> set:
    result = conn.execute("MATCH (n:Resource) WHERE n.backSurgerySite = $a RETURN n.iri", {"a": answer})
    found = set()
    while result.has_next():
        found.add(result.get_next()[0])
    return found


def texts_rows(path) -> list:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_build_out_writes_the_release_set(tmp_path, cli, reasoned):
    """``write_release`` writes every file and rewrites nothing when called again."""
    from spinekg.build.release import write_release

    written = write_release(reasoned.graph, reasoned.classification, tmp_path)
    assert sorted(p.name for p in written) == ALL_FILES == sorted(p.name for p in tmp_path.iterdir())
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    write_release(reasoned.graph, reasoned.classification, tmp_path)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before
