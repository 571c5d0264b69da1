"""The answer path's plain records behave as the dataclasses they replace: keyword and positional
construction, defaults, equality by value, repr, and frozen hashable level spans."""
from __future__ import annotations

import pytest

from spinekg.answer.composer import Verdict
from spinekg.answer.levels import LevelSpan
from spinekg.answer.reader.grammar import Clause, Item
from spinekg.answer.reading import Reading


def test_verdict_fields_defaults_equality_and_repr():
    a = Verdict(input="x", procedure=None, regions=[], spine_surgery="no", back_surgery="no", explanation=["e"])
    b = Verdict("x", None, [], "no", "no", ["e"], [], None)
    assert a == b and a.sites == [] and a.readings is None
    assert a != Verdict("y", None, [], "no", "no", ["e"])
    assert repr(a) == ("Verdict(input='x', procedure=None, regions=[], spine_surgery='no', back_surgery='no', "
                       "explanation=['e'], sites=[], readings=None)")
    assert Verdict("x", None, [], "no", "no", []).sites is not Verdict("x", None, [], "no", "no", []).sites


def test_level_span_is_frozen_and_hashable():
    span = LevelSpan("l4-5", "L4", "L5")
    assert span == LevelSpan("l4-5", "L4", "L5") and hash(span) == hash(LevelSpan("l4-5", "L4", "L5"))
    assert not LevelSpan("l4", "L4", None).lower and LevelSpan("l4", "L4", None).is_single
    assert repr(span) == "LevelSpan(text='l4-5', upper='L4', lower='L5')"
    with pytest.raises(AttributeError):
        span.upper = "L3"  # type: ignore[misc]


def test_reading_item_and_clause_defaults():
    assert Reading("Microdiscectomy") == Reading("Microdiscectomy", [], [])
    assert Item("op", "fusion") == Item("op", "fusion", [], None, "")
    clause = Clause()
    assert clause.ops == [] and clause.inherited is False and clause.ops is not Clause().ops
    with pytest.raises(TypeError):
        Clause(colour="red")
