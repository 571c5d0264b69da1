"""Operative-note shorthand (reader/notes.py): words cut with a dot, 'mid-' + a site, a root-operation verb of a
non-operative procedure, a drain in a ventricle; and the procedure the guard reports when it withholds its default."""
from __future__ import annotations

import pytest

from spinekg.answer.reader.grammar import _kind, marked
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.answer.reader.cut_words import cut_word
from spinekg.api import classify
from spinekg.codes.icd10 import tables
from spinekg.errors import SpinekgError

SPINEKG = "https://w3id.org/spinekg/"


def answer(text: str) -> tuple[str, str, list[str]]:
    v = classify(text)
    return v.spine_surgery, v.back_surgery, v.regions


def test_a_word_cut_with_a_dot_opens_one_operation_word():
    lex = load_lexicon()
    assert [cut_word(lex, w, _kind) for w in ("disc", "corp", "append", "menisc")] == \
        ["discectomy", "corpectomy", "appendectomy", "meniscectomy"]
    # several word forms, none, or a word that is already an operation or abbreviation: no cut
    assert [cut_word(lex, w, _kind) for w in ("crani", "lamin", "lam", "ant", "lat", "pt", "sac", "lumb", "spine")] == [None] * 9
    assert marked("Ant. cervical disc. C5/6 w/ cage")[0] == ("ant", "cervical", "disc.", "§0", "w/", "cage")
    assert marked("cervical disc C5/6")[0] == ("cervical", "disc", "§0")  # no dot, no cut
    assert marked("C5-6 disc.")[0] == ("§0", "disc")  # a dot that ends the text ends a sentence


def test_a_cut_word_is_the_operation_only_when_no_other_is_named():
    v = classify("Ant. cervical disc. C5/6 w/ cage")
    assert (v.spine_surgery, v.back_surgery, v.regions, v.procedure["label"]) == ("yes", "no", ["cervical"], "discectomy")
    assert v.readings[0]["words"] == ["anterior", "cervical", "disc.", "c5/6", "cage"] and v.readings[0]["unused"] == []  # 'ant': word table
    v = classify("herniated disc. L4-5 microdiscectomy")
    assert (v.procedure["label"], len(v.readings)) == ("microdiscectomy", 1)
    assert answer("cervical disc. C5/6") == ("yes", "no", ["cervical"])  # an anatomy name but for the dot
    for text in ("spinal cord.", "C5-6 disc."):  # the dot ends the text: the site stays a site
        with pytest.raises(SpinekgError, match="is an anatomical site"):
            classify(text)


def test_mid_and_a_site_word_names_that_site():
    for text in ("midtarsal fusion", "midcarpal fusion", "midfoot fusion", "fusion of midtarsal joint"):
        assert answer(text) == ("no", "no", []), text
    assert classify("midtarsal fusion").explanation[1].startswith(
        "body system S (Lower Joints), body part H (Tarsal Joint, Right) is not a spine or back body part")
    assert answer("midthoracic laminectomy") == ("yes", "no", ["thoracic"])


def test_a_root_operation_verb_of_a_non_operative_procedure_is_that_procedure():
    v = classify("Insertion of epidural steroid injection L5/S1")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("no", "no", ["lumbar", "lumbosacral"])
    assert v.procedure == {"iri": SPINEKG + "EpiduralSteroidInjection", "label": "epidural steroid injection"}
    assert [r["words"] for r in v.readings] == [["insertion of epidural steroid injection", "l5/s1"]]
    assert answer("Placement of lumbar drain") == ("no", "no", ["lumbar"])
    # a non-operative word that only qualifies the object's noun is no object: 'infusion pump' is a device
    assert answer("Insertion of Infusion Pump into Back Subcutaneous Tissue and Fascia, Open Approach")[:2] == ("no", "depends")
    # an operative object stays an operation of its own
    assert answer("removal of pedicle screws")[:2] == ("yes", "depends")


def test_a_drain_in_a_ventricle_is_in_the_brain():
    for text in ("EVD placement", "placement of external ventricular drain", "ventricular catheter placement"):
        v = classify(text)
        assert (v.spine_surgery, v.back_surgery) == ("no", "no"), text
        assert v.explanation[0] == "read as: non-operative procedure at cerebral ventricle (spinekg:NonOperativeProcedure)", text
        assert not any("Ventricular Septum" in line for line in v.explanation), text
    assert any("Ventricular Septum" in line for line in classify("ventricular septal defect repair").explanation)


def test_the_guard_reports_the_procedure_kind_it_leaves():
    v = classify("midface fusion")  # 'midface': mid- + face, outside
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    v = classify("Lapidus fusion")
    assert v.procedure == {"iri": SPINEKG + "OperativeProcedure", "label": "operative procedure"}
    assert v.explanation[-2].endswith("; reported as operative procedure")
    assert classify("fusion").procedure["label"] == "spinal fusion"  # no unknown word: the default stands


def test_note_chatter_and_eponymous_spinal_osteotomies_keep_the_yes():
    for text in ("fusion pt tolerated", "laminectomy, pt tolerated well", "Smith-Petersen osteotomy", "Ponte osteotomy"):
        assert answer(text) == ("yes", "depends", []), text
    assert classify("SPO L1").procedure["label"] == "spinal osteotomy"


def test_an_insertion_word_beside_the_whole_name_of_an_implantation_is_that_procedure():
    for text in ("dorsal column stimulator placement", "placement of dorsal column stimulator"):
        v = classify(text)
        assert (v.spine_surgery, v.back_surgery, v.procedure["label"]) == ("yes", "depends", "spinal cord stimulator implantation"), text
    # a part of the name is not the name: sacral nerve stimulation is not the spinal cord stimulator; 'sacral' with no
    # structure is the lower back, as the code of a sacral nerve lead insertion says (01HR3MZ: spine depends, back yes)
    assert answer("sacral neurostimulator placement") == ("depends", "yes", [])
    assert answer("sacral neurostimulator placement")[:2] == (lambda d: (d.spine, d.back))(tables().decide_pcs("01HR3MZ"))


def test_a_spinal_procedure_named_on_sites_outside_the_spine_reports_its_kind():
    v = classify("ORIF R ankle bimalleolar fx")
    assert (v.spine_surgery, v.back_surgery, v.procedure["label"]) == ("no", "no", "operative procedure")
    assert v.explanation[0] == "not read as spinal fracture fixation: every site named is outside the spine"
    assert classify("ORIF L4 fracture").procedure["label"] == "spinal fracture fixation"


def test_coder_descriptor_punctuation():
    # 'including A, B, C' lists steps of one procedure until ';'
    v = classify("Arthrodesis, anterior interbody, including endplate preparation, discectomy, spur removal; cervical below C2")
    assert (v.spine_surgery, v.back_surgery, v.regions, len(v.readings)) == ("yes", "no", ["cervical"], 1)
    # ';' ends an indication, and a region word narrows the body parts one site word names
    v = classify("Partial removal of a posterior vertebral element (such as the spinous process, a lamina or a facet) "
                 "for a bone tumour, one segment; lumbar")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["lumbar"])
    assert [p["label"] for p in v.readings[0]["operation"]["body_parts"]] == ["Lumbar Vertebra"]


def test_a_procedure_done_before_is_reported_but_not_counted():
    v = classify("Carpal tunnel release, history of ACDF C5-6")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("no", "no", [])
    assert [r["status"] for r in v.readings] == [[], ["s/p"]]  # both readings kept, the ACDF's status says 'done before'
    assert "part 2 (history of acdf c5-6): spine surgery yes, back surgery no (done before: not counted)" in v.explanation
    assert classify("carpal tunnel release s/p ACDF").readings[1]["status"] == ["s/p"]  # 's/p' is the ACDF's, not the release's
    # only past procedures named: they are what the text names
    assert (classify("s/p ACDF C5-6").spine_surgery, classify("s/p ACDF C5-6").back_surgery) == ("yes", "no")


def test_a_lumbar_or_sacral_region_word_naming_no_structure_is_the_lower_back():
    """A root operation whose only site word is a lumbar or sacral region word is in the lower back whatever it is done on
    (the spine there or the tissue around it): back surgery yes, spine surgery depends; the explanation says so. A named
    structure, a body system or a word form's site still decides; 'cervical' alone stays open (the uterine cervix)."""
    v = classify("debridement of lumbar wound")
    assert (v.spine_surgery, v.back_surgery, v.sites) == ("depends", "yes", ["LowerBack"])
    assert "'lumbar' names no structure: somewhere in the lower back (the spine there, or the tissue around it)" in v.explanation
    assert v.readings[0]["sites"] == [{"iri": "https://w3id.org/spinekg/LowerBack", "label": "lower back"}]
    assert answer("sacral fixation") == ("depends", "yes", [])
    assert answer("sacral fracture fixation") == ("yes", "yes", ["sacral"])  # a fracture is a bone's: the sacrum (bones.py)
    assert answer("removal of hardware, L4-5") == ("yes", "yes", ["lumbar"])  # a level names the vertebrae
    assert answer("lumbar sympathectomy")[:2] == ("no", "no")  # the word form names the sympathetic trunk
    assert answer("lumbar hernia repair")[:2] == ("no", "no")
    assert answer("lumbar drain removal")[:2] == ("no", "no")  # not an operation, whatever its site
    assert answer("cervical hardware removal")[:2] == ("depends", "depends")


def test_a_device_act_word_is_the_operation_alone_and_the_device_beside_another():
    """'instrumentation', like 'plating', names an operation (the word table's operation row beside its device row) only
    when no other operation is named; beside one it is that operation's device, and the text has one reading."""
    v = classify("posterior instrumentation T10-L2")
    assert (v.spine_surgery, v.back_surgery, v.readings[0]["operation"]["root_operations"]) == \
        ("yes", "yes", [{"code": "H", "label": "Insertion"}])
    for text, procedure in (("L4-5 TLIF with pedicle screw instrumentation", "transforaminal lumbar interbody fusion"),
                            ("removal of instrumentation L4-5", "operative procedure"),
                            ("C5-6 ACDF with plating", "anterior cervical discectomy and fusion")):
        v = classify(text)
        assert [r["procedure"]["label"] for r in v.readings] == [procedure], text
        assert v.readings[0]["devices"][-1] in ("instrumentation", "plating"), text
    removal = classify("removal of instrumentation L4-5").readings[0]["operation"]["root_operations"]
    assert removal == [{"code": "P", "label": "Removal"}]
