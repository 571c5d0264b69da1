"""A bulk run skips looking for an exact ontology name in text with a word no name has (reading.cannot_be_a_name):
read_known would find none there, and every answer and error stays as when both readings are tried."""
from __future__ import annotations

import pytest

import spinekg.answer.reader as reader
from spinekg.answer.composers import composer
from spinekg.answer.levels import find_levels
from spinekg.answer.reader import forget
from spinekg.answer.reading import cannot_be_a_name, read_known
from spinekg.errors import SpinekgError
from spinekg.vocab import normalise
from test_reader_memo import whole_answer
from test_reader_reuse import texts


def procedure_names() -> list[str]:
    """Every name of every procedure in the index, bare and at levels, with and without a side."""
    index = composer().index
    names = [key for key, ids in index["lexicon"].items() if any(index["terms"][i]["kind"] == "procedure" for i in ids)]
    return names + [f"L4-5 {name}" for name in names] + [f"left C5-6 {name}" for name in names] + \
        [f"{before}{name.upper()}{after}" for name in names[::5] for before, after in ((". ", ";"), (": ", " ."), ("", ",. "))]


@pytest.fixture(scope="module")
def index() -> dict:
    found = composer().index
    list(found["lexicon"])  # the whole lexicon in memory, as after the first few hundred texts of a bulk run
    return found


def test_a_word_in_no_name_means_read_known_finds_no_name(index):
    skipped = kept = 0
    for text in texts() + procedure_names():
        if not cannot_be_a_name(text, index):
            kept += 1
            continue
        skipped += 1
        try:
            assert read_known(text, index)[0] is None, text
        except SpinekgError:  # only a level it cannot read, which the reader reports too
            with pytest.raises(SpinekgError):
                find_levels(normalise(text), root_context=True)
    assert skipped > 1500 and kept > 1000  # most table wordings are skipped; no procedure name at any level is
    assert not any(cannot_be_a_name(name, index) for name in procedure_names())


def test_answers_and_errors_are_those_of_trying_both_readings(index, monkeypatch):
    phrases = texts() + procedure_names()[::7]
    forget()
    checked = {text: whole_answer(reader.classify_any_text, text) for text in phrases}
    with monkeypatch.context() as patch:
        patch.setattr(reader, "cannot_be_a_name", lambda text, index: False)
        forget()
        both = {text: whole_answer(reader.classify_any_text, text) for text in phrases}
    assert checked == both
    assert sum(answer.startswith("error") for answer in both.values()) >= 20


def test_one_question_does_not_read_the_whole_lexicon():
    """A lexicon still read bucket by bucket (one question, a cold start) is never read whole for this check."""

    class Partial(dict):
        pending = {3}

    index = {"lexicon": Partial({"laminectomy": ["Laminectomy"]})}
    assert not cannot_be_a_name("left L4-5 frobnication", index)
    assert cannot_be_a_name("left L4-5 frobnication", {"lexicon": {"laminectomy": ["Laminectomy"]}})
    assert not cannot_be_a_name("L4-5 laminectomy", {"lexicon": {"laminectomy": ["Laminectomy"]}})
    assert not cannot_be_a_name("occiput-C2 laminectomy", {"lexicon": {"laminectomy": ["Laminectomy"]}})
    for text in (". laminectomy ;", "; laminectomy.", "laminectomy, .", "L 4-5 laminectomy"):  # what normalise drops or levels take
        assert not cannot_be_a_name(text, {"lexicon": {"laminectomy": ["Laminectomy"]}}), text
