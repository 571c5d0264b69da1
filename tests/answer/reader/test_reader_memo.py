"""What the reader remembers between questions (word runs between levels, level expressions, level sites,
(procedure, sites) answers, level-free meanings) changes no answer: every phrase of the table, at other
levels, sides and case, read with nothing remembered equals the same phrase read after all the others."""
from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from spinekg.answer.composers import composer
from spinekg.answer.reader import forget
from spinekg.api import classify_text_query
from spinekg.errors import SpinekgError

HERE = Path(__file__).parent
LEVELS = ["C5-6", "T12-L1", "L4-5", "L5-S1", "L5 to sacrum", "C4", "L7", "L5-L4"]
SIDES = ["", "left ", "BILATERAL "]


def table_phrases() -> list[str]:
    """The texts of the phrase table (test_reader_reuse varies them too)."""
    with open(HERE / "phrases.tsv", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle, delimiter="\t")]


def texts() -> list[str]:
    base = table_phrases()
    varied = [f"{SIDES[i % 3]}{LEVELS[i % len(LEVELS)]} {text}" for i, text in enumerate(base)]
    return base + varied + [text.upper() for text in base[::5]]


def whole_answer(classify: Callable, text: str) -> str:
    """Everything ``classify(text, composer)`` answers (JSON, sites, or the error), as one comparable string."""
    try:
        verdict = classify(text, composer())
    except SpinekgError as exc:
        return f"error {exc.exit_code}: {exc}"
    return json.dumps(verdict.to_dict(), ensure_ascii=False, sort_keys=True) + f" sites={verdict.sites}"


def answer(text: str) -> str:
    return whole_answer(classify_text_query, text)


def test_remembering_changes_no_answer():
    phrases = texts()
    fresh = {}
    for text in phrases:
        forget()
        fresh[text] = answer(text)
    forget()
    warm = {text: answer(text) for text in phrases}
    again = {text: answer(text) for text in reversed(phrases)}
    assert warm == fresh
    assert again == fresh
    assert sum(a.startswith("error") for a in fresh.values()) >= 10  # the errors (L7, L5-L4, sites) are compared too


def test_remembered_answers_are_copies():
    forget()
    first = classify_text_query("L4-5 microdiscectomy", composer())
    first.explanation.append("changed by the caller")
    first.regions.append("cervical")
    second = classify_text_query("L4-L5 microdiscectomy", composer())
    assert "changed by the caller" not in second.explanation and second.regions == ["lumbar"]
    assert second.input == "L4-L5 microdiscectomy"


def test_a_remembered_word_run_keeps_every_attribute_of_its_items():
    """The memo stores each item by its FIELDS: an attribute an item sets but FIELDS does not name (as 'weak'
    once was) would be lost on the second reading of the same words."""
    from spinekg.answer.reader.grammar import Grammar, Item
    from spinekg.answer.reader.lexicon import load_lexicon

    grammar = Grammar(load_lexicon())
    seen = 0
    for text in texts():
        for item in grammar._read_run(text.lower().split(), 0):
            assert vars(Item(*item._values())) == vars(item), (text, item)
            seen += 1
    assert seen > 2000


def test_remembered_readings_share_nothing_with_callers():
    """A caller may change any list or dict of an answer (the readings' sites, operation, indication): the reader's
    memo keeps its own copy, so the next text of the same wording, levels or level class is answered unchanged."""
    def spoil(text: str) -> None:
        verdict = classify_text_query(text, composer())
        for reading in verdict.readings:
            for site in reading["sites"]:
                site["label"] = "spoilt"
            reading["sites"].append({"iri": "x", "label": "spoilt"})
            for value in reading["operation"].values():
                if isinstance(value, list):
                    value.append("spoilt")
                    for item in value:
                        if isinstance(item, dict):
                            item["label"] = "spoilt"
            reading["operation"]["kind"] = "spoilt"

    texts = ["Excision of Cervical Vertebral Disc, Open Approach", "L4-5 microdiscectomy", "C5-6 ACDF with cage",
             "Left L4-5 hemilaminotomy and discectomy for HNP"]
    forget()
    fresh = {text: answer(text) for text in texts}
    for text in texts:
        forget()
        spoil(text)  # the miss: what the memo keeps was made from this answer
        spoil(text)  # a hit
        assert answer(text) == fresh[text]
        assert "spoilt" not in answer(text.replace("C5-6", "C3-4").replace("L4-5", "L2-3"))


def test_remembered_errors_keep_no_frames_alive():
    """The composer remembers the errors it answers ('ACDF at L4-5'), without their tracebacks: a traceback's frames
    reach back to the caller's (a bulk run's tables), and a memo holding them made a cycle that only a full collection
    freed, 100 MB a million-row run. Reading such texts in bulk leaves no garbage for the collector."""
    import gc

    import pyarrow as pa

    from spinekg.codes import columns

    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        refused = ["L4-5 ACDF", "ACDF L3-4 and L4-5", "lumbar spinal fusion C3-4", "L4-5 TLIF", "L9 fusion", "frobnication"]
        columns.classify_arrow(pa.array(refused, pa.string()), "text", processes=1)
        columns._CACHES.clear()
        forget()
        gc.collect()
        kinds = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert "frame" not in kinds and "traceback" not in kinds, kinds
