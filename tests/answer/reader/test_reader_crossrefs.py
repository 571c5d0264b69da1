"""Coder words of the ICD-10-PCS index that name no code, only the operation they mean ('Casting  see Immobilization'):
spinekg/build/lexicon_crossrefs.py compiles them into the lexicon, each traced to its index row."""
from __future__ import annotations

import pytest

from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.answer.reader.text import key
from spinekg.api import classify
from spinekg.errors import SpinekgError
from spinekg.paths import ontology_dir
from spinekg.tsv import read_tsv


def index_rows() -> dict[str, str]:
    return {row["term"]: row["content"].strip() for row in read_tsv(ontology_dir() / "reference" / "icd10pcs_index.tsv")}


def test_every_term_added_is_an_index_cross_reference_and_reads_as_where_it_is_sent():
    lex, rows = load_lexicon(), index_rows()
    added = dict(lex.index_cross_references)
    assert 45 <= len(added) <= 80  # 53 when written: the index's code-less cross-references the reader did not read
    by_key = {}
    for term, content in rows.items():
        by_key.setdefault(key(term.split(" (")[0]), set()).add(content)
    for term, content in added.items():
        assert content in by_key[term] and content.startswith("see ") and "**" not in content, term
        entries = lex.phrases[term]
        assert entries and all(e[0] in ("op", "root", "abbr") for e in entries), term
    assert added["casting"] == "see Immobilization" and lex.phrases["casting"] == [["op", "spinekg:NonOperativeProcedure"]]
    assert added["application"] == "see Introduction of substance in or on"
    assert lex.phrases["clipping aneurysm"] == [["root", "L"], ["root", "V"]]  # Occlusion, Restriction: both operations
    assert lex.phrases["dismembered pyeloplasty"] == [["abbr", "repair of kidney pelvis"]]  # one operation on one part


def test_terms_the_index_leaves_open_or_that_name_products_are_not_added():
    lex = load_lexicon()
    added = lex.index_cross_references
    assert "cannulation" not in added  # see Bypass, Dilation, Drainage (operations) and Irrigation (not one)
    assert "punch biopsy" not in added  # see Excision with qualifier Diagnostic: the qualifier decides whether it is one
    assert not any("autolitt" in term or "neuroblate" in term for term in added)  # trademarked products
    assert "biopsy" not in added and "amputation" not in added  # already read (word table; one-word root operations)


@pytest.mark.parametrize("text, expected", [
    ("Application of halo", ("no", "no", [])),  # Application: see Introduction of substance in or on (section 3)
    ("Application of splint to forearm", ("no", "no", [])),
    ("Casting of forearm", ("no", "no", [])),
    ("Flushing of intrathecal catheter", ("no", "no", [])),
    ("Washing of lumbar wound", ("no", "no", ["lumbar"])),
    ("Instillation of antibiotic into disc space", ("no", "no", [])),
    ("Dismembered pyeloplasty", ("no", "no", [])),  # see Repair, Kidney Pelvis
    ("Myocardial bridge release", ("no", "no", [])),  # see Release, Artery, Coronary
    ("L4-5 PLF with application of bone graft", ("yes", "yes", ["lumbar"])),  # the fusion decides
])
def test_cross_referenced_words_read_as_the_operation_the_index_names(text, expected):
    v = classify(text)
    assert (v.spine_surgery, v.back_surgery, v.regions) == expected


def test_a_cross_referenced_word_alone_is_understood_not_unknown():
    for text in ("Casting", "Alimentation", "Hyperalimentation", "Autotransfusion", "Electroshock therapy"):
        v = classify(text)
        assert (v.spine_surgery, v.back_surgery) == ("no", "no"), text
    with pytest.raises(SpinekgError, match="unknown procedure 'Cannulation'"):
        classify("Cannulation")
