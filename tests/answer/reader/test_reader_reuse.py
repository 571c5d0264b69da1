"""Reading a wording once and reusing it for other levels, sides and case (reader/reuse.py) gives exactly the
answers of reading every text from scratch: the clauses (every field, levels included) and the whole verdict
with its readings, errors included."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import spinekg.answer.reader as reader
from spinekg.answer.composers import composer
from spinekg.answer.reader import classify_any_text, forget, read_text
from spinekg.answer.reader.grammar import Grammar
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.errors import SpinekgError
from test_reader_memo import table_phrases, whole_answer  # same phrase table, same comparable answers

HERE = Path(__file__).parent
LEVELS = ["C5-6", "L4-5", "L4-L5", "L5-S1", "T4", "T4-T5", "L5 to sacrum", "C4", "L7", "L5-L4", "C5-6/C6-7", "L3-S1"]
SIDES = ["", "left ", "BILATERAL ", "(R) "]
# levels joined to the pelvis (single levels only), levels in an indication, inherited levels, a typed '§'
SHAPES = ["T4-pelvis fusion", "T10 to pelvis PSF", "S1 to pelvis fixation", "L4-S1 to pelvis fusion", "L5-pelvis fusion",
          "L4-5 laminectomy for L4-5 stenosis", "L4-5 laminectomy and fusion", "C8 root decompression",
          "L4-5 ACDF and L5 nerve root block", "§0 laminectomy", "L4-5 §1 fusion", "lami/disc L4-5 and L5-S1",
          "xT2-T4 fusion", "d/tT2-T4T10L3-4MISLAMINOTOMYtumour,LLIFocciput"]  # levels found inside a glued word


# side words anywhere: beside words a phrase takes with a side ('adrenal gland, left'), in an indication, excluded,
# glued, joined, twice (sides.py reads a wording once for every side where the side stands alone)
SIDED = ["L4-5 TLIF, left", "left adrenal gland excision", "excision of adrenal gland, left", "adrenal gland left, excision",
         "right knee arthroscopy and left L4-5 laminotomy", "bilateral L4-5 laminotomies for left foraminal stenosis",
         "lumbar fusion except left", "left-sided L4-5 microdiscectomy", "left and right L5 foraminotomy", "left colectomy",
         "right hemicolectomy", "left, L4-5 hemilaminotomy", "L5-S1 left microdiscectomy with right foraminotomy",
         "left total knee arthroplasty, right", "revision left L4-5 TLIF", "s/p left L4-5 TLIF, now right carpal tunnel release",
         "left lower lobe lobectomy", "right upper quadrant drain", "left L5 nerve root block", "bilateral breast reduction"]


def texts() -> list[str]:
    base = table_phrases() + SIDED + [t.replace("left", "right").replace("bilateral", "left") for t in SIDED]
    varied = [f"{SIDES[i % len(SIDES)]}{LEVELS[(i // len(SIDES)) % len(LEVELS)]} {text}" for i, text in enumerate(base * 3)]
    return base + varied + [text.upper() for text in varied[::4]] + SHAPES


def answer(text: str) -> str:
    return whole_answer(classify_any_text, text)


def test_reused_clauses_equal_clauses_read_from_scratch():
    grammar = Grammar(load_lexicon())
    forget()
    compared = 0
    for text in texts():
        try:
            plain = grammar.clauses(text)
        except SpinekgError as exc:
            with pytest.raises(SpinekgError) as again:
                read_text(text)
            assert again.value.message == exc.message
            continue
        assert read_text(text) == plain, text
        compared += 1
    assert compared > 1500


def test_reused_answers_equal_answers_read_from_scratch(monkeypatch):
    phrases = texts()
    forget()
    reused = {text: answer(text) for text in phrases}
    with monkeypatch.context() as patch:  # the plain path: every text's clauses and decisions made anew
        patch.setattr(reader, "reused_clauses", lambda grammar, toks, spans: grammar.clauses_of(grammar.marked_items(toks, spans)))
        patch.setattr(reader, "decide", lambda decider, comp, text, clause: decider.decide(text, clause))
        forget()
        plain = {text: answer(text) for text in phrases}
    assert reused == plain
    assert sum(a.startswith("error") for a in plain.values()) >= 20
    typed = json.loads(reused["§0 laminectomy"].rsplit(" sites=", 1)[0])  # a laminectomy, no longer an IndexError
    assert (typed["readings"][0]["words"], typed["readings"][0]["unused"]) == (["laminectomy"], ["0"])


def spoil(value: object) -> None:
    """Change every list and dict inside ``value`` in place, as a careless caller might."""
    if isinstance(value, list):
        for item in value:
            spoil(item)
        value.append("spoilt")
    elif isinstance(value, dict):
        for item in value.values():
            spoil(item)
        value["spoilt"] = True


def test_a_caller_changing_its_answer_or_clauses_changes_no_later_answer():
    """Clauses filled from one wording share its lists until a decision or a caller needs its own (reuse.fill, own)."""
    wordings = ["left L4-5 TLIF with pedicle screws for spondylolisthesis", "L4-5 laminectomy and fusion", "(R) C5-6 ACDF",
                "right total knee arthroplasty with cement", "lumbar laminectomy, bilateral"]
    forget()
    fresh = {text: answer(text) for text in wordings}
    forget()
    for text in wordings:  # the wordings remembered, then every answer and clause of them changed by the caller
        classify_any_text(text, composer())
        verdict = classify_any_text(text, composer())  # from what was remembered
        spoil(verdict.readings)
        spoil(verdict.explanation)
        for clause in read_text(text):
            for name in clause.FIELDS[:-1]:
                spoil(getattr(clause, name))
    assert {text: answer(text) for text in wordings} == fresh


def test_unused_words_hold_the_text_s_own_levels_and_sides():
    """Words a clause leaves unused ('except L5-S1 fusion') are the text's own, not the wording's '§n' or '¶n' slots."""
    from spinekg.api import classify

    for text, unused in (("L4-5 ESI; except L5-S1 fusion with cage", ["except", "l5-s1", "fusion"]),
                         ("L3-4 ESI; except L4-5 fusion with cage", ["except", "l4-5", "fusion"]),
                         ("left L4-5 laminectomy except right side", ["except", "right", "side"]),
                         ("right L4-5 laminectomy except left side", ["except", "left", "side"])):
        readings = classify(text).readings
        assert readings[0]["unused"] == unused, text
        assert all("§" not in w and "¶" not in w for r in readings for w in r["unused"] + r["words"])


def test_a_remembered_decision_gives_the_same_json_text_as_a_new_one():
    """Byte-identical answers, keys in the same order, whether a decision is made for the text or remembered from
    another text of its wording (the readings of remembered decisions had 'sites' and 'operation' last)."""
    texts = [f"{level} {wording}" for wording, levels in (("TLIF with pedicle screws", ("L4-5", "L3-4", "L2-3")),
                                                           ("laminectomy and fusion", ("L4-5", "L3-4", "C5-6", "T11-12")),
                                                           ("left ACDF", ("C5-6", "C3-4", "C6-7"))) for level in levels]
    as_printed = lambda text: json.dumps(classify_any_text(text, composer()).to_dict(), ensure_ascii=False)  # noqa: E731
    fresh = {}
    for text in texts:
        forget()
        fresh[text] = as_printed(text)
    forget()
    assert {text: as_printed(text) for text in texts} == fresh
    assert list(json.loads(fresh["C3-4 left ACDF"])["readings"][0])[:3] == ["procedure", "operation", "sites"]
