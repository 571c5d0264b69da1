"""Sites listed with a coordinating word (reader/lists.py): each is a site of its own, and a site listed before a
procedure named with its own site shares that procedure's head word."""
from __future__ import annotations

from spinekg.answer.reader.grammar import Grammar
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.api import classify


def clauses(text: str) -> list[tuple[list[str], list[str]]]:
    return [([op.words for op in c.ops], [s.words for s in c.sites]) for c in Grammar(load_lexicon()).clauses(text)]


def test_listed_sites_are_both_kept():
    assert clauses("Back and neck procedures") == [(["procedures"], ["back", "neck"])]
    assert clauses("back & knee procedures") == [(["procedures"], ["back", "knee"])]
    # not listed: the open site word is the other's head ('joint of cervical spine', 'back of neck') and yields to it
    assert clauses("fusion of joint of cervical spine") == [(["fusion"], ["cervical spine"])]
    assert clauses("fusion of joint and cervical spine") == [(["fusion"], ["joint", "cervical spine"])]
    assert clauses("excision of lesion of back of neck") == [(["excision"], ["neck"])]
    v = classify("Back and neck procedures except spinal fusion with CC/MCC")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("depends", "depends", [])


def test_a_site_listed_before_a_procedure_named_with_its_site_shares_its_head_word():
    assert clauses("Neck and back surgery") == [(["surgery"], ["neck"]), (["back surgery"], [])]
    assert clauses("knee and lumbar spine surgery") == [(["surgery"], ["knee"]), (["lumbar spine surgery"], [])]
    v = classify("Neck and back surgery")
    assert (v.spine_surgery, v.back_surgery, len(v.readings)) == ("depends", "yes", 2)
    assert [r["procedure"]["label"] for r in v.readings] == ["operative procedure", "back surgery"]
    # an ordinary list of operations keeps sharing the sites said once ('L4-5 laminectomy and fusion')
    assert clauses("L4-5 laminectomy and fusion")[1][0] == ["fusion"]
    v = classify("L4-5 laminectomy and fusion")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["lumbar"])
