"""--extension FILE: a checked extension is reasoned with HermiT once, cached sealed in the user's cache
directory, and then answers by text and term (classify, validate, infer, query) without Java."""
from __future__ import annotations

import json
import os

import pytest

from conftest import REPO, needs_java

SPACER = REPO / "ontology" / "extensions" / "interspinous-spacer.ttl"

L4L5 = """interspinous spacer insertion L4-L5
  procedure:     interspinous spacer insertion <https://w3id.org/spinekg/InterspinousSpacerInsertion>
  regions:       lumbar
  spine surgery: yes
  back surgery:  yes
  why:
    - read as: interspinous spacer insertion at L4-L5 motion segment (spinekg:InterspinousSpacerInsertion)
    - L4-L5 motion segment → part of lumbar region of spine → part of spine → spine surgery (seed §1: spine surgery spans the entire length of the spinal column)
    - L4-L5 motion segment → part of lumbar region of spine → part of lower back → back surgery (seed §1: back surgery is surgery on the lower back, including the lumbar and sacral regions)
"""

CASE = """@prefix ex: <https://example.org/> .
@prefix spinekg: <https://w3id.org/spinekg/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:case-9001 a spinekg:SurgicalCase ; spinekg:caseId "9001" ; spinekg:caseDate "2024-05-01"^^xsd:date ;
    spinekg:surgeonSpecialty spinekg:Neurosurgeon ; spinekg:hasProcedure ex:p .
ex:p a spinekg:InterspinousSpacerInsertion ; spinekg:hasSite ex:s .
ex:s a spinekg:MotionSegmentL4L5 .
"""


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))  # the CLI child processes inherit it
    return tmp_path / "cache"


def test_an_extension_that_fails_the_check_is_refused_with_its_report(cli, fresh_cache):
    broken = REPO / "tests" / "extensions" / "broken-extension.ttl"
    code, out, err = cli("classify", "laminectomy", "--extension", str(broken))
    assert (code, out) == (2, "")
    assert err.startswith(f"spinekg: error: {broken}: extension refused, the check found 7 ERROR: duplicate_label "
                          f"spinekg:SecondLaminectomy rdfs:label 'laminectomy' is also the label of spinekg:Laminectomy; ")
    assert err.rstrip().endswith(f"(run 'spinekg check {broken}' for the full report)") and err.count("\n") == 1
    assert not (fresh_cache / "extensions").exists()  # nothing reasoned, nothing cached (a regex twin may be: answer/regex.py)


def test_an_extension_with_a_profile_is_refused(cli, fresh_cache):
    code, out, err = cli("classify", "L4-L5 laminectomy", "--extension", str(SPACER), "--profile", "thoracolumbar")
    assert (code, out) == (2, "")
    assert err.startswith("spinekg: error: --extension cannot be combined with --profile yet")


@needs_java
def test_reasoned_once_cached_then_used_by_every_command(cli, fresh_cache, tmp_path):
    code, out, err = cli("classify", "interspinous spacer insertion L4-L5", "--extension", str(SPACER))
    assert code == 0, err
    assert out == L4L5
    cached = sorted((fresh_cache / "extensions").glob("*.json"))
    assert len(cached) == 1
    assert err == (f"spinekg: extension {SPACER}: checked; reasoning it with the ontology in HermiT once (needs Java, "
                   f"about half a minute); the result is cached in {cached[0]}\n")
    # From the cache: no Java needed, nothing said, the same answer; and the term and a cervical level.
    env_path = os.environ["PATH"]
    os.environ["PATH"] = os.path.dirname(os.sys.executable)  # no java on PATH for the children
    try:
        assert cli("classify", "interspinous spacer insertion L4-L5", "--extension", str(SPACER)) == (0, L4L5, "")
        code, out, err = cli("classify", "spinekg:InterspinousSpacerInsertion", "--extension", str(SPACER), "--format", "json")
        assert (code, err, json.loads(out)["spine_surgery"], json.loads(out)["back_surgery"]) == (0, "", "yes", "depends")
        code, out, err = cli("classify", "C5-C6 interspinous process spacer insertion", "--extension", str(SPACER),
                             "--format", "json")
        assert (code, json.loads(out)["regions"], json.loads(out)["back_surgery"]) == (0, ["cervical"], "no")
        # Case records that use the new procedure validate, derive verdicts and are queried with it.
        (tmp_path / "case.ttl").write_text(CASE, encoding="utf-8")
        code, out, err = cli("validate", str(tmp_path / "case.ttl"))
        assert code == 1 and "Unknown term" in out  # without the extension the term is unknown
        assert cli("validate", str(tmp_path / "case.ttl"), "--extension", str(SPACER))[:2] == (0, "conforms: no violations\n")
        code, _, err = cli("infer", str(tmp_path / "case.ttl"), "--out", str(tmp_path / "d.nt"), "--extension", str(SPACER))
        assert code == 0 and err == f"spinekg: wrote 3 derived triples for 1 case records to {tmp_path / 'd.nt'}\n"
        assert '<https://example.org/case-9001> <https://w3id.org/spinekg/backSurgeryVerdict> "yes" .' in \
            (tmp_path / "d.nt").read_text(encoding="utf-8")
        (tmp_path / "q.rq").write_text("PREFIX spinekg: <https://w3id.org/spinekg/>\n"
                                       "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                                       "SELECT ?p WHERE { ?p rdfs:subClassOf spinekg:SpineSurgery ; "
                                       "spinekg:hasSite spinekg:InterspinousLigament }\n", encoding="utf-8")
        assert cli("query", str(tmp_path / "q.rq"), "--format", "csv")[1] == "p\n"
        assert cli("query", str(tmp_path / "q.rq"), "--format", "csv", "--extension", str(SPACER))[1] == \
            "p\nspinekg:InterspinousSpacerInsertion\n"
    finally:
        os.environ["PATH"] = env_path
    # A tampered cache is rebuilt, not trusted; so is an edited extension.
    cached[0].write_text(cached[0].read_text(encoding="utf-8").replace('"yes"', '"no"'), encoding="utf-8")
    code, out, err = cli("classify", "interspinous spacer insertion L4-L5", "--extension", str(SPACER))
    assert (code, out) == (0, L4L5)
    assert "(cached overlay its content does not match its digest (edited or damaged))" in err
