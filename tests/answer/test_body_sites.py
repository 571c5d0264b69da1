"""Exact answers at whole-body sites: an operation anywhere outside the spine and the back is neither,
and the explanation shows the chain HermiT entailed it by."""
from __future__ import annotations

import pytest

from spinekg.answer.composers import classify_procedure

SEED = "(seed §1: back surgery is surgery on the lower back, including the lumbar and sacral regions only)"


def test_appendix_is_neither_with_its_chain():
    v = classify_procedure("OperativeProcedure", ["Appendix"])
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("no", "no", [])
    chain = "appendix → is a structure of the gastrointestinal system → is a structure outside the back"
    assert v.explanation[1:] == [f"{chain} → not spine surgery", f"{chain} → not back surgery {SEED}"]


def test_a_sided_body_part_explains_through_its_side_free_term():
    v = classify_procedure("OperativeProcedure", ["RightKneeJoint"])
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert v.explanation[1] == ("right knee joint → is a knee joint → is a structure outside the back → "
                                "not spine surgery")


@pytest.mark.parametrize("site", ["UterineCervix", "CervicalLymphNode", "RightNeckLymphatic", "ThoracicAorta",
                                  "ThoracicDuct", "LumbarSympatheticNerve", "LumbarPlexus", "NeckVertebralArtery",
                                  "PelvicBone", "NeckSoftTissue", "IntracranialDuraMater"])
def test_traps_and_neighbours_of_the_spine_are_neither(site):
    v = classify_procedure("OperativeProcedure", [site])
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")


def test_a_non_operative_procedure_at_a_whole_body_site_is_neither():
    v = classify_procedure("NonOperativeProcedure", ["Appendix"])
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
