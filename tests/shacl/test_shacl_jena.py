"""Jena SHACL (Debian libapache-jena-java), an engine independent of pySHACL, gives the same results as
'spinekg validate' on the example records and on generated defective records, result by result.

The data Jena sees is what a third-party user would load: the records plus the shipped query-ready graph
(spinekg-edges.nt: the HermiT subclass closure and the class-level edges the shapes read). The three checks
spinekg evaluates in Python (LevelNotation, SiteRestriction, ApproachRestriction) are deactivated for
other engines; their results are left out of the comparison (see ontology/shapes/case-records.ttl)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from spinekg.build.release import RELEASE_DIR
from spinekg.cases.records import example_cases_path, generate_cases
from spinekg.paths import ontology_dir
from spinekg.shacl.validate import validate

SHAPES_NS = "https://w3id.org/spinekg/shapes/"
PORTABLE_MESSAGE = "The site contradicts the procedure: the procedure is not performed there."
PYTHON_ONLY = {f"https://w3id.org/spinekg/shapes/{name}" for name in ("LevelNotation", "SiteRestriction", "ApproachRestriction")}
JENA_PACKAGES = ["libapache-jena-java", "libcommons-cli-java", "libcommons-codec-java", "libcommons-compress-java",
                 "libcommons-csv-java", "libcommons-io-java", "libcommons-lang3-java", "libdexx-java", "libgoogle-gson-java",
                 "libguava-java", "libhttpclient-java", "libhttpcore-java", "libjackson2-core-java", "libjackson2-databind-java",
                 "libjackson2-annotations-java", "libjsonld-java", "libjsonp2-java", "libprotobuf-java", "libthrift-java",
                 "libtitanium-json-ld-java", "libcaffeine-java", "libslf4j-java"]


def _jars() -> list[str]:
    """The unversioned jars of Jena and its Debian dependencies, with slf4j's no-op binding only."""
    jars = []
    for package in JENA_PACKAGES:
        proc = subprocess.run(["dpkg-query", "-L", package], capture_output=True, text=True)
        for line in proc.stdout.splitlines():
            name = Path(line).name
            if line.startswith("/usr/share/java/") and line.count("/") == 4 and name.endswith(".jar") \
                    and not any(ch.isdigit() for ch in name.rsplit("-", 1)[-1][:1]):
                if "slf4j" in name and name not in ("slf4j-api.jar", "slf4j-nop.jar"):
                    continue
                jars.append(line)
    return sorted(set(jars))


@pytest.fixture(scope="module")
def jena(tmp_path_factory):
    """A function running Jena's 'shacl validate' CLI; returns the report graph."""
    if shutil.which("java") is None or shutil.which("dpkg-query") is None or not Path("/usr/share/java/jena-shacl.jar").is_file():
        pytest.skip("needs Debian's libapache-jena-java (.ci/run installs it) and Java")
    jars = _jars()
    # Debian's jena-core relocates Jena's bundled Xerces to the package 'xerces' but leaves its message
    # bundles under org/apache/jena/ext/xerces: without them every xsd datatype fails to initialise.
    # Put copies where the relocated classes look.
    fix = tmp_path_factory.mktemp("jena-xerces")
    import zipfile

    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as archive:
        for name in archive.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = fix / "xerces" / name[len("org/apache/jena/ext/xerces/"):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    classpath = ":".join(jars + [str(fix)])

    def run(data: Path, shapes: Path) -> Graph:
        proc = subprocess.run(["java", "-cp", classpath, "shacl.shacl", "validate", "--shapes", str(shapes),
                               "--data", str(data)], capture_output=True, text=True, timeout=600)
        assert proc.returncode in (0, 1) and "ValidationReport" in proc.stdout, proc.stderr[-2000:]
        return Graph().parse(data=proc.stdout, format="turtle")

    return run


def result_keys(report: Graph) -> set[tuple]:
    """Each result as (focus, path, value, component, message): blank-node shapes have no shared name across
    engines, so the shape's message (one per shape) stands for it."""
    keys = set()
    for result in report.objects(None, SH.result):
        shape = report.value(result, SH.sourceShape)
        if shape is not None and str(shape) in PYTHON_ONLY:
            continue
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        keys.add((report.value(result, SH.focusNode).n3(),
                  path.n3() if isinstance(path, URIRef) else ("complex" if path is not None else None),
                  value.n3() if value is not None and not isinstance(value, BNode) else None,
                  str(report.value(result, SH.sourceConstraintComponent)),
                  str(report.value(result, SH.resultMessage))))
    return keys


def _with_edges(records: Path, out: Path) -> Path:
    """Records (N-Triples) + the shipped query-ready graph and site groups, as one file for Jena's --data."""
    out.write_text(records.read_text(encoding="utf-8") + (RELEASE_DIR / "spinekg-edges.nt").read_text(encoding="utf-8")
                   + (RELEASE_DIR / "spinekg-site-groups.nt").read_text(encoding="utf-8"), encoding="utf-8")
    return out


SHAPES = ontology_dir() / "shapes" / "case-records.ttl"
PORTABLE = ontology_dir() / "shapes" / "case-records-portable.ttl"
SITE = "https://w3id.org/spinekg/shapes/SiteRestriction"


@pytest.fixture(scope="module")
def all_shapes(tmp_path_factory) -> Path:
    """case-records.ttl with the portable shapes, as one Turtle file (Jena's CLI takes one --shapes)."""
    path = tmp_path_factory.mktemp("shapes") / "shapes.ttl"
    path.write_text(SHAPES.read_text(encoding="utf-8") + "\n" + PORTABLE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def site_foci(report: Graph, shape: str) -> set[str]:
    return {report.value(r, SH.focusNode).n3() for r in report.objects(None, SH.result)
            if str(report.value(r, SH.sourceShape)) == shape}


def test_examples_conform_in_jena_with_the_shipped_graph(jena, all_shapes, tmp_path):
    records = tmp_path / "examples.nt"
    records.write_text(Graph().parse(example_cases_path()).serialize(format="nt"), encoding="utf-8")
    report = jena(_with_edges(records, tmp_path / "data.nt"), all_shapes)
    assert (None, SH.conforms, None) in report and result_keys(report) == set()
    assert validate(example_cases_path()).conforms


def test_generated_defective_records_give_the_same_results(jena, all_shapes, tmp_path):
    """Every core and SPARQL result, and the portable site check against spinekg's Python one."""
    records = tmp_path / "cases.nt"
    records.write_text(generate_cases(300, seed=11, defect_rate=0.3), encoding="utf-8")
    ours_report = validate(records, jobs=1).graph
    theirs_report = jena(_with_edges(records, tmp_path / "data.nt"), all_shapes)
    ours = result_keys(ours_report)
    assert len(ours) > 20  # the defects are there
    portable = SHAPES_NS + "PortableSiteRestriction"
    assert result_keys(theirs_report) - {k for k in result_keys(theirs_report) if k[4] == PORTABLE_MESSAGE} == ours
    assert site_foci(theirs_report, portable) == site_foci(ours_report, SITE) != set()


def test_portable_site_check_on_every_procedure_at_sample_sites(jena, all_shapes, tmp_path):
    """Each procedure class at a lumbar disc, a cervical disc, a sacral vertebra, a hip joint, and two sites
    at once: the portable constraint flags exactly the records spinekg's Python check flags."""
    from spinekg.answer.index import load_index

    index = load_index()
    sites = ["DiscL4L5", "DiscC5C6", "VertebraS1", "SacroiliacJoint", "SpinalCord"]
    lines = []
    n = 0
    for procedure in sorted(index["procedures"]):
        for chosen in [[s] for s in sites] + [["DiscL4L5", "DiscC5C6"]]:
            n += 1
            case, proc = f"<https://example.org/c{n}>", f"<https://example.org/p{n}>"
            lines.append(f"{case} <https://w3id.org/spinekg/hasProcedure> {proc} .")
            lines.append(f"{proc} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/spinekg/{procedure}> .")
            for k, site in enumerate(chosen):
                node = f"<https://example.org/s{n}-{k}>"
                lines.append(f"{proc} <https://w3id.org/spinekg/hasSite> {node} .")
                lines.append(f"{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/spinekg/{site}> .")
    records = tmp_path / "grid.nt"
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ours = site_foci(validate(records, jobs=1).graph, SITE)
    theirs = site_foci(jena(_with_edges(records, tmp_path / "data.nt"), all_shapes), SHAPES_NS + "PortableSiteRestriction")
    assert len(ours) > 50
    assert theirs == ours
