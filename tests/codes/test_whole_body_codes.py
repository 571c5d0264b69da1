"""A code on a body part outside the spine and back tables names its whole-body term and the chain that
puts it outside both; its verdict stays "no", "no" (what HermiT entails for the term)."""
from __future__ import annotations

import pytest

from spinekg.codes.icd10 import classify_code, tables

CHAIN_END = "outside the spine and the lower back → not spine surgery, not back surgery"


def test_appendectomy_names_the_appendix_and_its_chain():
    v = classify_code("0DTJ4ZZ")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert v.explanation[-2:] == [
        "body system D (Gastrointestinal System), body part J (Appendix) → appendix (spinekg:Appendix)",
        "appendix → is a structure of the gastrointestinal system → is a structure outside the back, " + CHAIN_END,
    ]


@pytest.mark.parametrize("code, line", [
    ("0SRC0JZ", "right knee joint → is a knee joint → is a structure outside the back, "),  # total knee replacement
    ("0UTC0ZZ", "uterine cervix → is a structure outside the back, "),  # look-alike: the cervix
    ("07T10ZZ", "right neck lymphatic → is a cervical lymph node → is a structure outside the back, "),
])
def test_whole_body_codes_explain_with_their_term(code, line):
    v = classify_code(code)
    assert (v.spine_surgery, v.back_surgery, v.explanation[-1]) == ("no", "no", line + CHAIN_END)


def test_every_section_0_body_part_has_a_term_or_a_spine_mapping():
    t = tables()
    assert len(t.body_parts) + len(t.whole_body) == 847 and not set(t.body_parts) & set(t.whole_body)
    anatomy = t.index["anatomy"]
    assert all((anatomy[row["object_id"].split(":")[1]]["spinal"], anatomy[row["object_id"].split(":")[1]]["lower_back"])
               == ("no", "no") for row in t.whole_body.values())
