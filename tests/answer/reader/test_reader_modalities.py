"""reader/modalities.py: a technique word written after the operation reads as the lexicon's name for the pair."""
from __future__ import annotations

import pytest

from spinekg.api import classify


def _answer(text: str) -> tuple[str, str, list[str], str]:
    v = classify(text)
    return v.spine_surgery, v.back_surgery, v.regions, v.procedure["iri"].rsplit("/", 1)[1]


@pytest.mark.parametrize("text", [
    "rhizotomy L4-5, radiofrequency",
    "rhizotomy L4-5 by radiofrequency",
    "rhizotomy L4-5 RF",
    "neurotomy L4-5 (radiofrequency)",
    "denervation L4-5 using RF",
])
def test_a_technique_after_the_operation_reads_as_before_it(text: str) -> None:
    # cross-check: the same answer as the lexicon's own phrase, written in the clinicians' order
    assert _answer(text) == _answer("radiofrequency rhizotomy L4-5") == ("no", "no", ["lumbar"], "NonOperativeProcedure")
    assert "rf" in " ".join(classify(text).readings[0]["words"]).replace("radiofrequency", "rf")  # the word is used


def test_without_the_technique_word_the_operation_is_read_as_written() -> None:
    assert _answer("rhizotomy L4-5")[:3] == ("yes", "yes", ["lumbar"])  # an open Division of the nerve root


def test_a_technique_word_stays_in_its_own_list_entry() -> None:
    # the RF ablation is the second entry's; the first entry's rhizotomy is not made one
    v = classify("rhizotomy L4-5; RF ablation L3")
    assert [(r["spine_surgery"], r["back_surgery"]) for r in v.readings] == [("yes", "yes"), ("no", "no")]


def test_a_word_that_makes_no_known_name_with_the_operation_stays_unused() -> None:
    v = classify("rhizotomy L4-5 frobnicated")
    assert (v.spine_surgery, v.back_surgery) == ("yes", "yes")
    assert v.readings[0]["unused"] == ["frobnicated"]
