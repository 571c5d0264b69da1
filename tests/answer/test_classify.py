"""Exact answers of spinekg.classify for operative phrases, names, abbreviations, CURIEs and IRIs."""
from __future__ import annotations

import json

import pytest

from spinekg import classify
from spinekg.errors import SpinekgError

EXPECTED = [
    # input, procedure, regions, spine surgery, back surgery
    ("L4-L5 microdiscectomy", "Microdiscectomy", ["lumbar"], "yes", "yes"),
    ("C5-C6 ACDF", "AnteriorCervicalDiscectomyAndFusion", ["cervical"], "yes", "no"),
    ("L4/5 decompression", "SpinalDecompression", ["lumbar"], "yes", "yes"),
    ("fusion L2 to S1", "SpinalFusion", ["lumbar", "lumbosacral"], "yes", "yes"),
    ("T12-L1 fusion", "SpinalFusion", ["thoracic", "thoracolumbar"], "yes", "no"),
    ("Th12-L1 fusion", "SpinalFusion", ["thoracic", "thoracolumbar"], "yes", "no"),
    ("S1 nerve root decompression", "NerveRootDecompression", ["sacral"], "yes", "yes"),
    ("laminectomy", "Laminectomy", [], "yes", "depends"),
    ("lumbar laminectomy", "Laminectomy", ["lumbar"], "yes", "yes"),
    ("cervical laminectomy", "Laminectomy", ["cervical"], "yes", "no"),
    ("thoracic laminectomy", "Laminectomy", ["thoracic"], "yes", "no"),
    ("C5\u2013C6 laminectomy", "Laminectomy", ["cervical"], "yes", "no"),
    ("lumbar puncture", "LumbarPuncture", ["lumbar"], "no", "no"),
    ("spinal tap", "LumbarPuncture", ["lumbar"], "no", "no"),
    ("L4-L5 lumbar puncture", "LumbarPuncture", ["lumbar"], "no", "no"),
    ("epidural steroid injection", "EpiduralSteroidInjection", [], "no", "no"),
    ("closed reduction of spinal fracture", "ClosedReductionOfSpinalFracture", [], "no", "no"),
    ("chemonucleolysis", "IntervertebralDiscChemolysis", [], "no", "no"),
    ("thoracotomy", "Thoracotomy", [], "no", "no"),
    ("cervical conization", "CervicalConization", [], "no", "no"),
    ("cervical cerclage", "CervicalCerclage", [], "no", "no"),
    ("thoracic aortic aneurysm repair", "ThoracicAorticRepair", [], "no", "no"),
    ("neck dissection", "CervicalLymphNodeDissection", [], "no", "no"),
    ("sacroiliac joint fusion", "SacroiliacJointFusion", [], "no", "yes"),
    ("SI joint fusion", "SacroiliacJointFusion", [], "no", "yes"),
    ("coccygectomy", "Coccygectomy", ["coccygeal"], "yes", "no"),
    ("T10-S1 fusion", "SpinalFusion", ["thoracic", "thoracolumbar", "lumbar", "lumbosacral"], "yes", "yes"),
    ("T4-T8 fusion", "SpinalFusion", ["thoracic"], "yes", "no"),
    ("posterior thoracolumbar fusion", "PosteriorThoracolumbarFusion", ["thoracic", "lumbar"], "yes", "yes"),
    ("XLIF", "LateralLumbarInterbodyFusion", ["lumbar"], "yes", "yes"),
    ("ALIF", "AnteriorLumbarInterbodyFusion", ["lumbar"], "yes", "yes"),
    ("TLIF", "TransforaminalLumbarInterbodyFusion", ["lumbar"], "yes", "yes"),
    ("L4-L5 and L5-S1 TLIF", "TransforaminalLumbarInterbodyFusion", ["lumbar", "lumbosacral"], "yes", "yes"),
    ("ACDF", "AnteriorCervicalDiscectomyAndFusion", ["cervical"], "yes", "no"),
    ("kyphoplasty", "Kyphoplasty", [], "yes", "depends"),
    ("L1 kyphoplasty", "Kyphoplasty", ["lumbar"], "yes", "yes"),
    ("T8 vertebroplasty", "Vertebroplasty", ["thoracic"], "yes", "no"),
    ("spinal cord stimulator implantation", "SpinalCordStimulatorImplantation", [], "yes", "depends"),
    ("tethered cord release", "SpinalCordUntethering", [], "yes", "depends"),
    ("C5 corpectomy", "Corpectomy", ["cervical"], "yes", "no"),
    ("L1 corpectomy", "Corpectomy", ["lumbar"], "yes", "yes"),
    ("C1-C2 fusion", "SpinalFusion", ["craniocervical", "cervical"], "yes", "no"),
    ("occiput-C2 fusion", "SpinalFusion", ["craniocervical", "cervical"], "yes", "no"),
    ("L5-S1 ALIF", "AnteriorLumbarInterbodyFusion", ["lumbar", "lumbosacral"], "yes", "yes"),
    ("L5S1 fusion", "SpinalFusion", ["lumbar", "lumbosacral"], "yes", "yes"),
    ("foraminotomy L5-S1", "Foraminotomy", ["lumbar", "lumbosacral"], "yes", "yes"),
    ("decompression at L3-4", "SpinalDecompression", ["lumbar"], "yes", "yes"),
    ("C6-C7 cervical disc arthroplasty", "CervicalDiscArthroplasty", ["cervical"], "yes", "no"),
    ("spine surgery", "SpineSurgery", [], "yes", "depends"),
    ("L4-L5 spine surgery", "SpineSurgery", ["lumbar"], "yes", "yes"),
    ("back surgery", "BackSurgery", [], "depends", "yes"),
    ("lumbar fusion", "LumbarSpinalFusion", ["lumbar"], "yes", "yes"),
    ("cervical fusion", "CervicalSpinalFusion", ["cervical"], "yes", "no"),
    ("spinekg:Coccygectomy", "Coccygectomy", ["coccygeal"], "yes", "no"),
    ("https://w3id.org/spinekg/LumbarMicrodiscectomy", "LumbarMicrodiscectomy", ["lumbar"], "yes", "yes"),
    ("MESH:D007796", "Laminectomy", [], "yes", "depends"),
]


@pytest.mark.parametrize("text,procedure,regions,spine,back", EXPECTED, ids=[row[0] for row in EXPECTED])
def test_classify_exact(text, procedure, regions, spine, back):
    verdict = classify(text)
    assert verdict.procedure["iri"] == f"https://w3id.org/spinekg/{procedure}"
    assert (verdict.regions, verdict.spine_surgery, verdict.back_surgery) == (regions, spine, back)


def test_explanation_chain_for_lumbar_microdiscectomy():
    why = classify("L4-L5 microdiscectomy").explanation
    assert why[0] == "read as: microdiscectomy at L4-L5 intervertebral disc (spinekg:Microdiscectomy)"
    assert why[2].startswith("L4-L5 intervertebral disc → is a lumbar intervertebral disc → part of lumbar region of spine"
                             " → part of lower back → back surgery (seed §1")


def test_no_is_explained_by_the_region_outside_the_lower_back():
    why = classify("C5-C6 ACDF").explanation
    assert "part of neck, which is outside the lower back → not back surgery" in why[2]


def test_non_operative_reason():
    why = classify("lumbar puncture").explanation
    assert why[1].startswith("lumbar puncture is not an operation")


def test_depends_says_what_would_decide():
    why = classify("laminectomy").explanation
    assert "no level given" in why[2] and "'L4-L5 laminectomy'" in why[2]


def test_depends_says_why_for_region_classes_and_bare_procedures():
    # a class defined by one site in a region may have others: not 'in every region of the spine'
    v = classify("cervical spine surgery")
    assert (v.spine_surgery, v.back_surgery) == ("yes", "depends")
    assert v.explanation[2].startswith("cervical spine surgery is any operation with a site in the cervical spinal "
                                       "structure; it may have other sites too")
    # a procedure on the spine need not be an operation: that is why, not 'where it is done'
    v = classify("lumbar spine procedure")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("depends", "depends", ["lumbar"])
    assert v.explanation[1:3] == [
        "procedure on the spine need not be an operation (an injection or a block is a procedure too) → depends",
        "procedure on the lower back need not be an operation (an injection or a block is a procedure too) → depends"]
    # an anatomy name with an operation word the exact-name pass drops is read compositionally, not refused
    v = classify("neck surgery")
    assert (v.spine_surgery, v.back_surgery) == ("depends", "no")
    with pytest.raises(SpinekgError, match="'neck' is an anatomical site"):
        classify("neck")


@pytest.mark.parametrize("text,fragment", [
    ("microdiskectomie", "unknown procedure 'microdiskectomie' (closest matches: microdiscectomy"),
    ("L5-L4 fusion", "level L5-L4 is in the wrong order; write the upper level first (L4-L5)"),
    ("L7 fusion", "L7 is not a vertebral level (valid L levels: L1-L5)"),
    ("C9 laminectomy", "C9 is not a vertebral level"),
    ("C8 fusion", "names a nerve root only; say 'C8 nerve root ...'"),
    ("L4-L5 ACDF", "anterior cervical discectomy and fusion is only performed on cervical spinal structure, which excludes L4-L5"),
    ("T4 coccygectomy", "coccygectomy is only performed on coccygeal spinal structure, which excludes T4 vertebra"),
    ("L4-L5", "is an anatomical site (L4-L5 motion segment), not a procedure"),
    ("C5-C6 back surgery", "back surgery operates on lower back structure, which cannot lie within C5-C6 motion segment"),
    ("lumbar spinal stenosis", "is a disorder (lumbar spinal stenosis), not a procedure"),
    ("", "empty input"),
    ("x" * 501, f"unknown procedure '{'x' * 80}… (501 characters)'"),  # longer than a name: read, and quoted short
    ("x" * 10_001, "10,001 characters exceeds the text-chars limit of 10000"),
])
def test_bad_input_is_one_clear_error(text, fragment):
    with pytest.raises(SpinekgError) as caught:
        classify(text)
    assert fragment in str(caught.value)
    assert caught.value.exit_code == 2


def test_cli_text_and_json(cli):
    code, out, err = cli("classify", "C5-C6 ACDF", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["input", "procedure", "regions", "spine_surgery", "back_surgery", "explanation", "readings"]
    assert data["procedure"] == {"iri": "https://w3id.org/spinekg/AnteriorCervicalDiscectomyAndFusion",
                                 "label": "anterior cervical discectomy and fusion"}
    assert (data["regions"], data["spine_surgery"], data["back_surgery"]) == (["cervical"], "yes", "no")
    code, out, _ = cli("classify", "L4-L5 microdiscectomy")
    assert code == 0
    assert "  spine surgery: yes\n  back surgery:  yes\n" in out


@pytest.mark.parametrize("args,fragment", [
    (["classify", "L5-L4 fusion"], "wrong order"),
    (["classify", "frobnication"], "unknown procedure 'frobnication'"),
    (["classify", "cervix"], "not a procedure"),
])
def test_cli_errors_are_one_line_exit_2(cli, args, fragment):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("spinekg: error: ") and fragment in err
    assert "Traceback" not in err


def test_runtime_never_loads_java_or_rdflib():
    import subprocess
    import sys

    code = ("import sys; from spinekg import classify; classify('L4-L5 microdiscectomy'); "
            "print(sorted(m for m in ('rdflib', 'owlready2', 'networkx', 'pyshacl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_ambiguous_name_lists_the_candidates(runtime_index):
    import copy

    index = copy.deepcopy(runtime_index)
    index["lexicon"]["decompression"] = ["Laminectomy", "SpinalDecompression"]
    with pytest.raises(SpinekgError) as caught:
        classify("decompression", index=index)
    assert str(caught.value) == ("'decompression' is ambiguous: it names laminectomy (spinekg:Laminectomy), "
                                 "spinal decompression (spinekg:SpinalDecompression); use the full name or the CURIE")
    assert caught.value.exit_code == 2
