"""The OWL API (3.4.3, the version owlready2 bundles; Protégé and ROBOT read files the same way) parses every
RDF release file into the axioms rdflib sees, and the OWL files are in the OWL 2 DL profile."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from spinekg.build.release import RELEASE_DIR

# (kept in this module: a tests/interop/conftest.py would shadow tests/conftest.py for 'from conftest import')

HERE = Path(__file__).resolve().parent


def owlapi_jar() -> Path | None:
    """The OWL API 3 distribution jar that owlready2 bundles (with Pellet)."""
    import owlready2

    found = sorted(Path(owlready2.__file__).parent.glob("pellet/owlapi-distribution-*.jar"))
    return found[0] if found else None


@pytest.fixture(scope="session")
def owlapi_check(tmp_path_factory):
    """A function running tests/interop/OwlApiCheck.java over files: its output lines, split on tabs."""
    jar = owlapi_jar()
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("needs a JDK (javac and java)")
    assert jar is not None, "owlready2 ships no OWL API jar"
    classes = tmp_path_factory.mktemp("owlapi")
    subprocess.run(["javac", "-d", str(classes), "-cp", str(jar), str(HERE / "OwlApiCheck.java")], check=True,
                   capture_output=True, timeout=300)

    def run(*files: Path, profile: bool = False) -> list[list[str]]:
        args = ["java", "-cp", f"{classes}:{jar}", "OwlApiCheck"] + (["--profile"] if profile else []) + [str(f) for f in files]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return [line.split("\t") for line in proc.stdout.splitlines() if line]

    return run


# OWL API 3 has no JSON-LD parser: spinekg.jsonld is checked by rdflib, pyoxigraph (tests/build/test_release.py).
FILES = ["spinekg.owl", "spinekg.ttl", "spinekg.nt", "spinekg-base.owl", "spinekg-base.ttl", "spinekg-edges.ttl",
         "spinekg-edges.nt"]
FORMATS = {".owl": "RDFXMLOntologyFormat", ".ttl": "TurtleOntologyFormat", ".nt": "TurtleOntologyFormat"}


@pytest.fixture(scope="module")
def parsed(owlapi_check):
    """File name -> {kind: rows} from one JVM run over every file, with the OWL 2 DL profile check."""
    out: dict[str, dict[str, list[list[str]]]] = {name: {} for name in FILES}
    for row in owlapi_check(*(RELEASE_DIR / name for name in FILES), profile=True):
        out[row[1].rsplit("/", 1)[1]].setdefault(row[0], []).append(row[2:])
    return out


def rdflib_annotation_counts(graph: Graph) -> dict[str, int]:
    """Annotation assertions as rdflib sees them: triples whose predicate is a declared annotation property
    (or owl:versionInfo / rdfs:label / rdfs:comment) on an IRI subject."""
    properties = set(graph.subjects(RDF.type, OWL.AnnotationProperty)) | {OWL.versionInfo, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                                                                          URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}
    counts: dict[str, int] = {}
    for s, p, _o in graph:
        if p in properties and isinstance(s, URIRef):
            counts[str(p)] = counts.get(str(p), 0) + 1
    return counts


@pytest.mark.parametrize("name", FILES)
def test_owlapi_reads_every_annotation_and_class_rdflib_reads(parsed, name):
    rows = parsed[name]
    assert rows["FILE"][0][0] == FORMATS["." + name.rsplit(".", 1)[1]]
    graph = Graph().parse(RELEASE_DIR / name, format={"owl": "xml", "ttl": "turtle", "nt": "nt"}[name.rsplit(".", 1)[1]])
    owlapi = {prop: int(count) for prop, count in rows["ANNOTATIONS"]}
    assert owlapi == rdflib_annotation_counts(graph)
    named = {s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    assert int(rows["CLASSES"][0][0]) == len(named | ({OWL.Thing} if (None, None, OWL.Thing) in graph else set()))


@pytest.mark.parametrize("name", FILES)
def test_ontology_files_are_owl2_dl(parsed, name):
    assert parsed[name].get("VIOLATION", []) == []


def test_the_classified_release_holds_hermit_hierarchy_for_owlapi(parsed):
    """spinekg.owl is the classified release: more subclass axioms than the asserted base."""
    assert int(parsed["spinekg.owl"]["SUBCLASSOF"][0][0]) > int(parsed["spinekg-base.owl"]["SUBCLASSOF"][0][0])
