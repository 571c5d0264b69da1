"""The compiled lexicon: regenerable with identical bytes, and its decision tables are the code path's."""
from __future__ import annotations

from spinekg.answer.reader.decide import outcome
from spinekg.answer.reader.lexicon import LEXICON, load_lexicon
from spinekg.build.lexicon import write_lexicon
from spinekg.codes.icd10 import tables
from spinekg.codes.mappings import local


def test_lexicon_is_deterministic_and_current(tmp_path):
    out = write_lexicon(tmp_path / "lexicon.json")
    assert out.read_bytes() == write_lexicon(tmp_path / "again.json").read_bytes()
    assert out.read_bytes() == LEXICON.read_bytes(), "spinekg/data/lexicon.json is stale: run 'spinekg build'"


def test_decision_tables_are_the_code_paths():
    lex, t = load_lexicon(), tables()
    assert {key.replace("-approach", "").replace("-qualifier", ""): ("yes" if local(row["object_id"]) == "OperativeProcedure" else "no")
            for key, row in t.operations.items()} == lex.operative
    assert {part: row for part, row in ((k, local(r["object_id"])) for k, r in t.body_parts.items())} == \
        {part: term for part, (_, term) in lex.body_parts.items() if term}
    anatomy = t.index["anatomy"]
    for term in list(anatomy) + [None]:
        for operative in ("yes", "no", "depends"):
            assert outcome(anatomy, term, operative) == t.outcome(term, operative)[:2]
