"""The issue's example phrases, with exact answers and readings."""
from __future__ import annotations

import json

import pytest

from spinekg.api import classify
from spinekg.errors import SpinekgError

S = "https://w3id.org/spinekg/"


def sites(reading: dict) -> list[str]:
    return [s["iri"][len(S):] for s in reading["sites"]]


@pytest.mark.parametrize("text,spine,back,regions,readings", [
    ("lumbar laminectomy for spinal stenosis", "yes", "yes", ["lumbar"], [("Laminectomy", ["LumbarSpine"])]),
    ("L4-5 TLIF with pedicle screw instrumentation", "yes", "yes", ["lumbar"],
     [("TransforaminalLumbarInterbodyFusion", ["DiscL4L5"])]),
    ("ACDF C5-6/C6-7", "yes", "no", ["cervical"], [("AnteriorCervicalDiscectomyAndFusion", ["DiscC5C6", "DiscC6C7"])]),
    ("ACDF C5-6, C6-7", "yes", "no", ["cervical"], [("AnteriorCervicalDiscectomyAndFusion", ["DiscC5C6", "DiscC6C7"])]),
    ("Left L5-S1 hemilaminotomy and discectomy", "yes", "yes", ["lumbar", "lumbosacral"],
     [("Laminotomy", ["MotionSegmentL5S1"]), ("Discectomy", ["DiscL5S1"])]),
    ("Excision of Cervical Vertebral Disc, Open Approach", "yes", "no", ["cervical"], [("OperativeProcedure", ["CervicalIntervertebralDisc"])]),
    ("Lumbar and lumbosacral fusion of the anterior column, anterior technique", "yes", "yes", ["lumbar", "lumbosacral"],
     [("SpinalFusion", ["LumbarSpine", "LumbosacralJunction"])]),
    ("total knee arthroplasty", "no", "no", [], [("OperativeProcedure", [])]),
    ("appendectomy", "no", "no", [], [("OperativeProcedure", [])]),
    ("lap appy", "no", "no", [], [("OperativeProcedure", [])]),
    ("revision L4-5 decompression with fusion", "yes", "yes", ["lumbar"],
     [("SpinalDecompression", ["MotionSegmentL4L5"]), ("SpinalFusion", ["MotionSegmentL4L5"])]),
    ("C5-6 ACDF and L4-5 microdiscectomy", "yes", "yes", ["cervical", "lumbar"],
     [("AnteriorCervicalDiscectomyAndFusion", ["DiscC5C6"]), ("Microdiscectomy", ["DiscL4L5"])]),
    ("SI joint injection", "no", "no", [], [("NonOperativeProcedure", ["SacroiliacJoint"])]),
    ("microdiscetomy", "yes", "depends", [], [("Microdiscectomy", [])]),
])
def test_issue_examples(text, spine, back, regions, readings):
    verdict = classify(text)
    assert (verdict.spine_surgery, verdict.back_surgery, verdict.regions) == (spine, back, regions)
    got = [(r["procedure"]["iri"][len(S):], sites(r)) for r in verdict.readings]
    assert got == readings


def test_reading_records_words_levels_laterality_devices_status_indication():
    left = classify("Left L5-S1 hemilaminotomy and discectomy").readings
    assert (left[0]["laterality"], left[0]["levels"], left[0]["words"]) == (["left"], ["L5-S1"], ["left", "l5-s1", "hemilaminotomy"])
    assert (left[1]["words"], left[1]["shared_sites"]) == (["discectomy"], True)
    tlif = classify("L4-5 TLIF with pedicle screw instrumentation").readings[0]
    assert tlif["devices"] == ["pedicle screw", "instrumentation"]
    revision = classify("revision L4-5 decompression with fusion").readings[0]
    assert revision["status"] == ["revision"]
    stenosis = classify("lumbar laminectomy for spinal stenosis")
    assert stenosis.readings[0]["indication"] == [{"words": "spinal stenosis", "disorder": {"iri": S + "SpinalStenosis", "label": "spinal stenosis"}}]
    assert stenosis.explanation[-1] == "words used: lumbar, laminectomy, for, spinal stenosis"
    title = classify("Excision of Cervical Vertebral Disc, Open Approach").readings[0]["operation"]
    assert title == {"kind": "root operation", "root_operations": [{"code": "B", "label": "Excision"}], "approach": "0",
                     "qualifier": None, "operative": "yes", "body_parts": [{"code": "0R_3", "label": "Cervical Vertebral Disc"}]}


def test_title_and_code_agree():
    text, code = classify("Excision of Cervical Vertebral Disc, Open Approach"), classify("0RB30ZZ")
    assert (text.spine_surgery, text.back_surgery, text.regions) == (code.spine_surgery, code.back_surgery, code.regions)


@pytest.mark.parametrize("text,message", [
    ("knee", "'knee' is an anatomical site (knee), not a procedure"),
    ("frobnication", "unknown procedure 'frobnication'"),
    ("spinal stenosis of the lumbar spine", "is a disorder (spinal stenosis), not a procedure"),
])
def test_only_site_or_disorder_or_nothing(text, message):
    with pytest.raises(SpinekgError) as caught:
        classify(text)
    assert message in str(caught.value) and caught.value.exit_code == 2


def test_cli_json_has_readings(cli):
    code, out, _ = cli("classify", "L4-5 laminectomy and fusion", "--format", "json")
    data = json.loads(out)
    assert code == 0 and list(data) == ["input", "procedure", "regions", "spine_surgery", "back_surgery", "explanation", "readings"]
    assert [r["procedure"]["label"] for r in data["readings"]] == ["laminectomy", "spinal fusion"]
