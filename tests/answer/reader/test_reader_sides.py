"""A wording is read once for every side it is written with (reader/sides.py), where the side word stands alone."""
from __future__ import annotations

from spinekg.answer.composers import composer
from spinekg.answer.reader import classify_any_text, forget
from spinekg.answer.reader.grammar import Grammar, marked
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.answer.reader.sides import side_neighbours, slotted


def test_side_neighbours_are_the_words_phrases_have_beside_a_side():
    phrases = ["adrenal gland left", "left colon", "bilateral breast", "acetabular surface right hip joint", "knee", "left"]
    assert side_neighbours(phrases) == ["breast", "colon", "gland", "hip", "surface"]


def test_only_side_words_no_phrase_can_take_are_slots():
    lex = load_lexicon()
    assert slotted(marked("left L4-5 TLIF")[0], lex) == (("\u00b60", "§0", "tlif"), ("left",))
    assert slotted(marked("L4-5 TLIF, right and bilateral foraminotomy")[0], lex) == (
        ("§0", "tlif", ",", "\u00b60", "and", "\u00b61", "foraminotomy"), ("right", "bilateral"))
    for text in ("left adrenal gland excision", "excision of adrenal gland, left", "bilateral breast reduction", "left atrium ablation"):
        assert slotted(marked(text)[0], lex) is None, text
    assert slotted(marked("(R) L4-5 TLIF")[0], lex) is None  # other ways of writing a side are read as written


def test_one_reading_serves_every_side(monkeypatch):
    read = []
    clauses_of = Grammar.clauses_of
    monkeypatch.setattr(Grammar, "clauses_of", lambda self, items: read.append(1) or clauses_of(self, items))
    forget()
    answers = {side: classify_any_text(f"{side} L4-5 TLIF with pedicle screws", composer()) for side in ("left", "right", "bilateral")}
    assert len(read) == 1
    assert [a.readings[0]["laterality"] for a in answers.values()] == [["left"], ["right"], ["bilateral"]]
    assert [a.readings[0]["words"][0] for a in answers.values()] == ["left", "right", "bilateral"]
    assert {(a.spine_surgery, a.back_surgery) for a in answers.values()} == {("yes", "yes")}


def test_a_slot_is_kept_only_where_fill_puts_the_side_back():
    from spinekg.answer.reader.grammar import Clause, Item
    from spinekg.answer.reader.sides import kept_in_place

    lat = Item("lat", "\u00b60", [["lat", "\u00b60"]])
    assert kept_in_place(Clause(words=["\u00b60", "tlif"], laterality=["\u00b60"], indication=[lat]))
    assert not kept_in_place(Clause(words=["tlif"], unused=["\u00b60"]))  # 'except left': the side might decide
    assert not kept_in_place(Clause(words=["\u00b60 tlif"]))  # inside other words
    assert not kept_in_place(Clause(words=["\u00b60"], indication=[Item("site", "\u00b60 knee")]))


def test_no_procedure_name_has_a_side_word():
    """What sides.names_a_side relies on to skip the exact-name look-up: no procedure name of the index has a side word
    (anatomy names do: 'adrenal gland left'), so text with one is read compositionally, as it always was."""
    from spinekg.answer.reader.sides import SIDES, names_a_side

    comp = composer()
    lexicon, terms = comp.index["lexicon"], comp.index["terms"]
    sided = [key for key in lexicon if not SIDES.isdisjoint(key.split())]
    assert sided and not [key for key in sided if any(terms[i]["kind"] == "procedure" for i in lexicon[key])]
    assert names_a_side("Left L4-5 TLIF") and names_a_side("L4-5 TLIF (RIGHT )") is False and not names_a_side("L4-5 TLIF")


def test_side_texts_answer_as_through_the_exact_name_look_up():
    """The same verdicts and errors whether the exact-name look-up runs first or not (names_a_side skips it)."""
    from spinekg.answer.reading import read_known
    from spinekg.answer.reader import classify_text
    from spinekg.errors import SpinekgError

    comp = composer()
    for text in ("left C5-6 ACDF", "right L4-5 microdiscectomy", "left L6 laminectomy", "bilateral L4-L9 fusion",
                 "left 1st toe", "right L4-L5 ACDF", "left cervical laminoplasty"):
        def by(path):
            try:
                verdict = path()
                return verdict.spine_surgery, verdict.back_surgery, verdict.regions
            except SpinekgError as exc:
                return exc.message
        def looked_up():
            reading = read_known(text, comp.index)[0]
            return comp.verdict(text, reading) if reading else classify_text(text, comp)
        assert by(lambda: classify_any_text(text, comp)) == by(looked_up), text
