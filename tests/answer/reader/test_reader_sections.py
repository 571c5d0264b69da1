"""Labelled sections after the first words ('Preop dx: … Procedure: …', 'Procedure: … PSH: …'): a procedure heading opens
the procedure's section, a history heading makes each of its items a procedure done before (reader/sections.py)."""
from __future__ import annotations

import pytest

from spinekg.answer.reader.sections import may_hold, sections


@pytest.mark.parametrize("spelt, expected", [
    ("preop dx: lumbar stenosis. procedure: lumbar esi.", " ; for lumbar stenosis . ;  lumbar esi."),  # the diagnosis: 'for'
    ("dx: back pain. procedure: lumbar fusion", " ; for back pain . ;  lumbar fusion"),
    ("findings: stenosis. procedure: lumbar esi.", "findings: stenosis. ;  lumbar esi."),  # another heading stays as written
    ("procedure: l4-5 esi. psh: l4-5 laminectomy 2015, r tka 2018.",
     " ;  l4-5 esi. ; history of l4-5 laminectomy 2015 ; history of r tka 2018 ."),
    ("psh: l4-5 fusion 2015. procedure: r tka", " ; history of l4-5 fusion 2015 . ;  r tka"),
    ("procedure: l4-5 laminectomy", "procedure: l4-5 laminectomy"),  # one heading opening the text: notes._HEADING_RE's
    ("psh: l4-5 fusion, acdf", "psh: l4-5 fusion, acdf"),
    ("dr smith 07:30. l4-5 decompression", "dr smith 07:30. l4-5 decompression"),  # a time is no heading
    ("diagnosis: stenosis. findings: l4-5 disc", " ; for stenosis . findings: l4-5 disc"),  # other headings: as written
    # another heading ends a plan or history section, itself as written
    ("plan: l4-5 tlif. today: l4-5 esi.", " ; plan for l4-5 tlif . today: l4-5 esi."),
    ("psh: l4-5 fusion. today: r tka", " ; history of l4-5 fusion . today: r tka"),
    ("l4-5 esi. planned procedure: l4-5 tlif", "l4-5 esi. ; plan for l4-5 tlif ."),
])
def test_sections(spelt, expected):
    assert sections(spelt) == expected


def test_only_text_with_a_colon_after_a_sentence_or_clause_is_looked_at():
    assert may_hold("a. procedure: b") and may_hold("a; hx: b") and not may_hold("procedure: l4-5 tlif")


def test_a_status_opening_a_list_is_each_procedure_s():
    from spinekg.api import classify

    readings = classify("R TKA; history of ACDF and L4-5 fusion").readings
    assert [(r["words"], r["status"]) for r in readings] == [
        (["r", "knee", "arthroplasty"], []), (["history of", "acdf"], ["s/p"]), (["history of", "l4-5", "fusion"], ["s/p"])]
    verdict = classify("L4-5 ESI; will need L4-5 fusion")
    assert (verdict.spine_surgery, verdict.back_surgery) == ("no", "no")
    assert "part 2 (will need l4-5 fusion): spine surgery yes, back surgery yes (to be done later: not counted)" in verdict.explanation
    verdict = classify("L4-5 laminectomy and fusion, R TKA")  # no status: every procedure counts
    assert [r["status"] for r in verdict.readings] == [[], [], []] and verdict.spine_surgery == "yes"


@pytest.mark.parametrize("text", ["Plan: L4-5 TLIF. Today: L4-5 epidural steroid injection.", "L4-5 ESI, TLIF planned",
                                  "L4-5 ESI; proposed L4-5 TLIF", "L4-5 ESI, TLIF booked", "L4-5 ESI; TLIF to follow",
                                  "Procedure: L4-5 ESI. Proposed operation: L4-5 TLIF"])
def test_a_procedure_planned_beside_another_is_to_be_done_later(text):
    from spinekg.api import classify

    verdict = classify(text)
    assert (verdict.spine_surgery, verdict.back_surgery) == ("no", "no")  # the injection is what is done
    assert [r["procedure"]["label"] for r in verdict.readings] == ["transforaminal lumbar interbody fusion", "epidural steroid injection"] \
        or [r["procedure"]["label"] for r in verdict.readings] == ["epidural steroid injection", "transforaminal lumbar interbody fusion"]


@pytest.mark.parametrize("text", ["planned L4-5 microdiscectomy", "Planned procedure: L4-5 TLIF", "L4-5 TLIF planned"])
def test_a_procedure_planned_alone_is_what_the_text_names(text):
    from spinekg.api import classify

    verdict = classify(text)
    assert (verdict.spine_surgery, verdict.back_surgery, verdict.regions) == ("yes", "yes", ["lumbar"]), text


def test_what_a_note_found_is_not_the_operation_done():
    """'noted', 'seen', 'identified' report a finding: not counted where another operation is named, unless an operation
    follows it in its clause (what the finding led to)."""
    from spinekg.api import classify

    verdict = classify("R TKA. Old L4-5 laminectomy noted.")
    assert (verdict.spine_surgery, verdict.back_surgery) == ("no", "no")
    assert any("(found, not done: not counted)" in line for line in verdict.explanation)
    assert (classify("L4-5 ESI; osteolysis noted").spine_surgery, classify("L4-5 ESI, hemostasis achieved").spine_surgery) == ("no", "no")
    alone = classify("L4-5 laminectomy noted")  # only findings: they are what the text names
    assert (alone.spine_surgery, alone.back_surgery) == ("yes", "yes")
    acted = classify("L4-5 ESI. Incidental durotomy noted and repaired.")  # the repair is done: counted
    assert acted.spine_surgery == "yes" and all(r["status"] == [] for r in acted.readings) and len(acted.readings) == 3


def test_a_generic_word_after_a_named_procedure_refers_to_it():
    """'the procedure', 'the operation' with no site of its own: the procedure named before (reported, not counted)."""
    from spinekg.api import classify

    for text in ("L4-5 ESI, patient tolerated procedure well", "L4-5 ESI. The patient tolerated the procedure well."):
        verdict = classify(text)
        assert (verdict.spine_surgery, verdict.back_surgery) == ("no", "no"), text
        assert any("(the procedure named before: not counted)" in line for line in verdict.explanation)
    assert classify("procedure").spine_surgery == "depends"  # alone it is what the text names


@pytest.mark.parametrize("text, expected", [
    ("L5 nerve root identified and decompressed", ("yes", "yes", ["lumbar"])),  # the verb of 'decompression'
    ("hardware removed L4-S1", ("yes", "yes", ["lumbar", "lumbosacral"])),
    ("L4-5 disc excised", ("yes", "yes", ["lumbar"])),  # 'excised', spelt 'excized' by the US-spelling rule
    ("previously fused L4-5, now R TKA", ("no", "no", [])),
])
def test_an_operation_s_past_participle_is_the_operation(text, expected):
    from spinekg.api import classify

    verdict = classify(text)
    assert (verdict.spine_surgery, verdict.back_surgery, verdict.regions) == expected


@pytest.mark.parametrize("text, words", [("Surgery - lumbar", "surgery lumbar"), ("Operation: cervical", "operation cervical"),
                                         ("Procedure - L4-5", "procedure l4-5")])
def test_a_heading_whose_section_names_only_the_site_is_the_operation(text, words):
    from spinekg.api import classify

    verdict, plain = classify(text), classify(words)
    assert verdict.input == text
    assert (verdict.spine_surgery, verdict.back_surgery, verdict.regions) == (plain.spine_surgery, plain.back_surgery, plain.regions)
    assert verdict.explanation[0] == "the heading names the operation: its section names only where"


@pytest.mark.parametrize("text, message", [("Procedure: fracture", "unknown procedure 'Procedure: fracture'"),
                                           ("Diagnosis: lumbar", "unknown procedure 'Diagnosis: lumbar'")])
def test_a_heading_before_no_site_stays_unread(text, message):
    from spinekg.api import classify
    from spinekg.errors import SpinekgError

    with pytest.raises(SpinekgError) as caught:
        classify(text)
    assert caught.value.message == message
