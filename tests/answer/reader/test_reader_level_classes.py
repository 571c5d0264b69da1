"""One decision serves every level of a level class (reader/level_classes.py): the answers are exactly those of
deciding each text anew, at levels of every region, junction, single and multi-level, and the decision is made
once per class, not once per level."""
from __future__ import annotations

import pytest

import spinekg.answer.reader as reader
from spinekg.answer.composers import composer
from spinekg.answer.levels import LevelSpan
from spinekg.answer.reader import classify_any_text, forget
from spinekg.answer.reader.decide import Decider
from spinekg.answer.reader.level_classes import LevelClasses, level_terms
from test_reader_memo import table_phrases, whole_answer

# pairs of levels a decision cannot tell apart (same class), and some it can
PAIRS = [("C3-4", "C5-6"), ("L1-2", "L3-4"), ("T4-5", "T8-9"), ("C3-C5", "C4-C6"), ("T3", "T7"), ("L2", "L4"),
         ("C4", "C6"), ("L1-L3", "L2-L4"), ("T5 to T9", "T6-T10"), ("c5/6", "C4-C5"), ("C6-7", "C7-T1"),
         ("L4-5", "L5-S1"), ("T11-12", "T12-L1"), ("C1-2", "C2-3"), ("S2", "S3"), ("L2-3, L3-4", "L3-4 and L4-5")]


def texts() -> list[str]:
    out = []
    for i, text in enumerate(table_phrases()):
        for pair in (PAIRS[i % len(PAIRS)], PAIRS[(i + 5) % len(PAIRS)]):
            out += [f"{level} {text}" for level in pair]
    return out + ["C1-2 fusion of the atlas", "C2-3 fusion of the atlas", "C3-4 fusion of the atlas",
                  "L4-5 fusion with L5 vertebra resection", "L3-4 fusion with L5 vertebra resection"]


def test_answers_shared_by_level_class_equal_answers_decided_anew(monkeypatch):
    phrases = texts()
    forget()
    shared = {text: whole_answer(classify_any_text, text) for text in phrases}
    with monkeypatch.context() as patch:  # every text's decision made anew
        patch.setattr(reader, "decide", lambda decider, comp, text, clause: decider.decide(text, clause))
        forget()
        plain = {text: whole_answer(classify_any_text, text) for text in phrases}
    assert shared == plain
    assert len(phrases) > 2500


def test_one_decision_per_level_class(monkeypatch):
    made = []
    original = Decider.decide
    monkeypatch.setattr(Decider, "decide", lambda self, text, clause: made.append(text) or original(self, text, clause))
    forget()
    answers = [classify_any_text(f"{level} ACDF with cage", composer()) for level in ("C3-4", "C4-5", "C5-6", "C6-7")]
    assert made == ["C3-4 ACDF with cage"]
    assert [v.readings[0]["sites"][0]["label"] for v in answers] == [
        "C3-C4 intervertebral disc", "C4-C5 intervertebral disc", "C5-C6 intervertebral disc", "C6-C7 intervertebral disc"]
    assert answers[2].explanation[0] == "read as: anterior cervical discectomy and fusion at C5-C6 intervertebral disc " \
                                        "(spinekg:AnteriorCervicalDiscectomyAndFusion)"
    made.clear()
    classify_any_text("C7-T1 ACDF with cage", composer())  # the cervicothoracic disc is another class
    assert made == ["C7-T1 ACDF with cage"]


@pytest.mark.parametrize(("first", "second", "same"), [
    (("C3", "C4"), ("C5", "C6"), True), (("L1", "L2"), ("L3", "L4"), True), (("C6", "C7"), ("C7", "T1"), False),
    (("L4", "L5"), ("L5", "S1"), False), (("C1", "C2"), ("C2", "C3"), False), (("L2", None), ("L4", None), True),
    (("L2", "L4"), ("L3", "L5"), True), (("L2", "L4"), ("L3", "L4"), False)])
def test_level_classes(first, second, same):
    classes = LevelClasses(composer())
    one, two = classes.of([LevelSpan("x", *first)]), classes.of([LevelSpan("y", *second)])
    assert (one[0] == two[0]) is same
    assert one[1] == level_terms(LevelSpan("x", *first))


def test_levels_repeated_in_one_text_keep_their_pattern():
    """'L4-5 and L4-5' names one disc twice, 'L3-4 and L4-5' two discs: never one class (renaming must be one-to-one)."""
    classes = LevelClasses(composer())
    twice = classes.of([LevelSpan("a", "L4", "L5"), LevelSpan("b", "L4", "L5")])
    two = classes.of([LevelSpan("a", "L3", "L4"), LevelSpan("b", "L4", "L5")])
    assert twice[0] != two[0]


def test_a_caller_changing_its_answer_changes_no_renamed_answer():
    forget()
    first = classify_any_text("C3-4 ACDF of the atlas", composer())  # a level site and a site named by words
    for reading in first.readings:
        for site in reading["sites"]:
            site["label"] = "spoilt"
    later = classify_any_text("C5-6 ACDF of the atlas", composer())
    assert "spoilt" not in repr(later.to_dict())
    assert [s["label"] for s in later.readings[0]["sites"]] == [s["label"] for s in reader_sites_fresh("C5-6 ACDF of the atlas")]


def reader_sites_fresh(text: str) -> list[dict]:
    forget()
    return classify_any_text(text, composer()).readings[0]["sites"]


def test_labels_are_split_as_re_split_does_and_no_pattern_is_kept_for_them(monkeypatch):
    """Renaming splits explanation lines at the level terms' labels without a regular expression: answer/regex.py
    keeps every pattern it compiles in a twin read at every cold start, and patterns made from labels grew it to 13 MB."""
    import random
    import re

    from spinekg.answer import regex as answer_regex
    from spinekg.answer.reader.level_classes import split_at_labels

    labels = ("C5-C6 intervertebral disc", "C5-C6 motion segment", "C5 vertebra", "C6 vertebra", "C5")
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(label) for label in labels) + r")(?![\w-])")
    pieces = list(labels) + [" ", "-", "x", "→", "C5-C6", "_", "é", "(", "intervertebral", "disc"]
    draw = random.Random(3)
    for _ in range(5000):
        line = "".join(draw.choice(pieces) for _ in range(draw.randint(0, 8)))
        assert split_at_labels(line, labels) == pattern.split(line), line
    classify_any_text("C3-4 ACDF", composer())  # the fixed patterns of the answer path, compiled once
    forget()
    monkeypatch.setattr(answer_regex, "_PROGRAMS", {})  # from here, any pattern compiled would be kept here
    monkeypatch.setattr(answer_regex, "_keep", lambda programs: None)  # (and not written to the user's cache)
    for level in ("C3-4", "C5-6", "T4-5", "L1-2", "L4-5", "C4-C6", "T5 to T9"):
        classify_any_text(f"{level} ACDF and fusion", composer())
    assert answer_regex._PROGRAMS == {}
