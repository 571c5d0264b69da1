"""spinekg explain: the reasoner's justification, cross-checked with the runtime answer."""
from __future__ import annotations

import json

from conftest import needs_java

from spinekg.build.explain import order_as_chain, parse_explanations, readable

PELLET_OUTPUT = """Axiom: LumbarMicrodiscectomy subClassOf BackSurgery

Explanation(s): 
1)   Discectomy subClassOf OperativeProcedure
     LowerBackStructure equivalentTo LowerBack
                                     or BFO_0000050 some LowerBack
     LumbarMicrodiscectomy subClassOf hasSite some LumbarIntervertebralDisc
     BackSurgery equivalentTo OperativeProcedure
                              and hasSite some LowerBackStructure
     LumbarMicrodiscectomy subClassOf Discectomy
"""


def test_parse_pellet_output_joins_continuation_lines():
    (found,) = parse_explanations(PELLET_OUTPUT)
    assert found.axioms == [
        "Discectomy subClassOf OperativeProcedure",
        "LowerBackStructure equivalentTo LowerBack or BFO_0000050 some LowerBack",
        "LumbarMicrodiscectomy subClassOf hasSite some LumbarIntervertebralDisc",
        "BackSurgery equivalentTo OperativeProcedure and hasSite some LowerBackStructure",
        "LumbarMicrodiscectomy subClassOf Discectomy",
    ]
    assert parse_explanations("Axiom: A subClassOf B\n\nExplanation: AXIOM IS NOT ENTAILED!\n") is None


def test_chain_starts_at_the_term_and_labels_replace_names():
    (found,) = parse_explanations(PELLET_OUTPUT)
    chain = order_as_chain(found.axioms, "LumbarMicrodiscectomy")
    assert chain[:2] == ["LumbarMicrodiscectomy subClassOf hasSite some LumbarIntervertebralDisc",
                         "LumbarMicrodiscectomy subClassOf Discectomy"]
    assert sorted(chain) == sorted(found.axioms)
    assert readable("LowerBackStructure equivalentTo LowerBack or BFO_0000050 some LowerBack",
                    {"LowerBackStructure": "lower back structure", "LowerBack": "lower back"}) == \
        "'lower back structure' equivalentTo 'lower back' or 'part of' some 'lower back'"


@needs_java
def test_explain_level_phrase_back_and_spine(cli):
    code, out, err = cli("explain", "L4-L5 microdiscectomy", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["read_as"] == "microdiscectomy at L4-L5 intervertebral disc (spinekg:Microdiscectomy)"
    spine, back = data["answers"]
    assert (spine["question"], spine["answer"], spine["entailed"]) == ("SpineSurgery", "yes", "SpineSurgery")
    assert (back["question"], back["answer"], back["entailed"]) == ("BackSurgery", "yes", "BackSurgery")
    assert back["axioms"][0:2] == ["'the case' subClassOf 'has site' some 'L4-L5 intervertebral disc'",
                                   "'the case' subClassOf 'microdiscectomy'"]
    assert "'back surgery' equivalentTo 'operative procedure' and 'has site' some 'lower back structure'" in back["axioms"]
    assert "'lumbar region of spine' subClassOf 'part of' some 'lower back'" in back["axioms"]


@needs_java
def test_explain_no_and_depends(cli):
    code, out, _ = cli("explain", "ACDF", "--format", "json")
    assert code == 0
    back = json.loads(out)["answers"][1]
    assert (back["answer"], back["entailed"]) == ("no", "NotBackSurgery")
    assert "'lower back structure' disjointWith 'neck structure'" in back["axioms"]
    assert "'anterior cervical discectomy and fusion' subClassOf 'has site' only 'cervical spinal structure'" in back["axioms"]
    code, out, _ = cli("explain", "laminectomy")
    assert code == 0
    assert "  back surgery: depends — neither 'back surgery' nor its complement is entailed" in out


@needs_java
def test_explain_under_a_profile_uses_the_profile_definition(cli):
    code, out, _ = cli("explain", "T12-L1 fusion", "--profile", "thoracolumbar", "--format", "json")
    assert code == 0
    data = json.loads(out)
    back = data["answers"][1]
    assert (data["profile"], back["answer"]) == ("thoracolumbar", "yes")
    assert "'site that counts for back surgery' equivalentTo 'lower back structure' or " \
           "'thoracolumbar junction spinal structure'" in back["axioms"]
    assert "'T12-L1 motion segment' subClassOf 'part of' some 'thoracolumbar junction'" in back["axioms"]


def test_explain_without_java_is_an_environment_error(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    run = subprocess.run([sys.executable, "-m", "spinekg.cli", "explain", "ACDF"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert (run.returncode, run.stdout) == (3, "")
    assert run.stderr.startswith("spinekg: error: explanations come from the Pellet reasoner, which needs Java")
