"""Word forms: participles before an operation, phrases across a hyphen, 'spinal' before a root operation, and codes
written inside a text field. Each rule is checked against the plain wording it must read the same as."""
from __future__ import annotations

import pytest

from spinekg import SpinekgError
from spinekg.api import classify
from spinekg.answer.reader.grammar import _kind
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.codes.shapes import named_code

from answers import answer


def test_a_participle_before_an_operation_describes_it():
    # a UK classification's wording: 'controlled' was the root operation Control, an open operation (yes/yes)
    text = "Radiofrequency controlled thermal denervation of spinal facet joint of lumbar vertebra"
    v = classify(text)
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("no", "no", ["lumbar"])
    assert len(v.readings) == 1 and "controlled" in v.explanation[-1].split("not used: ")[1]
    assert answer(text) == answer("radiofrequency denervation of lumbar facet joint")
    # after what it was done to, or joined by 'and', a participle is still the operation done
    assert answer("L4-5 decompressed and fused") == ("yes", "yes", ("lumbar",))
    assert len(classify("L4-5 decompressed and fused").readings) == 2
    assert answer("nerve root decompressed L5") == answer("nerve root decompression L5")


@pytest.mark.parametrize("participle, noun", [("fixed", "fixation"), ("stabilized", "stabilization"),
                                              ("explored", "exploration"), ("implanted", "implantation")])
def test_participles_of_nouns_in_ation(participle: str, noun: str):
    # 'fixed L4-5 fracture' was 'a level but no procedure'; 'implanted' fits 'implant' and 'implantation', one operation
    assert answer(f"L4-5 fracture {participle}") == answer(f"{noun} of L4-5 fracture")
    assert answer(f"L4-5 fracture {participle}")[0] != "error"
    assert participle in classify(f"L4-5 fracture {participle}").readings[0]["words"]  # the word that named the operation


def test_patient_controlled_analgesia_is_no_operation():
    for text in ("patient controlled analgesia", "patient-controlled analgesia", "PCA pump insertion"):
        assert answer(text) == ("no", "no", ()), text
    assert answer("PCEA L2-3") == ("no", "no", ("lumbar",))


def verdict(text: str) -> tuple:
    """The answer, or only that there is none (an error message quotes the words as written)."""
    found = answer(text)
    return found[:1] if found[0] == "error" else found


def test_a_phrase_reads_the_same_with_its_hyphen_or_a_space():
    """Every lexicon phrase written with a hyphen between words of two letters or more: the text with a space instead
    reads the same (lexicon_spelling.spaced_hyphens), and a text that hyphenates two words of a spaced phrase reads the
    same as the phrase (reader/hyphens.py)."""
    lex = load_lexicon()
    hyphenated = [p for p in lex.phrases if "-" in p and all(part.isalpha() and len(part) > 1
                                                             for word in p.split() for part in word.split("-"))]
    assert len(hyphenated) > 50
    changed = [p for p in hyphenated if verdict(p) != verdict(p.replace("-", " "))]
    assert changed == []
    spaced = [p for p in lex.phrases if p.count(" ") == 1 and p.replace(" ", "-") not in lex.phrases
              and all(w.isalpha() and len(w) > 2 for w in p.split()) and _kind(lex.phrases[p]) == "op"]
    assert len(spaced) > 200
    changed = [p for p in spaced if verdict(p) != verdict(p.replace(" ", "-"))]
    assert changed == []
    assert answer("post laminectomy syndrome SCS") == answer("post-laminectomy syndrome SCS")
    assert answer("L spine of scapula ORIF") == ("no", "no", ())  # a letter alone is the side: 'l-spine' is not spaced


def test_spinal_before_a_root_operation_is_its_site():
    """'spinal W' reads as 'W of spine' for every root-operation word W of the lexicon (one with no site of its own);
    before a procedure that names its own site, 'spinal' decides nothing ('spinal thoracotomy')."""
    lex = load_lexicon()
    roots = sorted(p for p, entries in lex.phrases.items() if " " not in p and p.isalpha() and f"spinal {p}" not in lex.phrases
                   and _kind(entries) == "op" and all(e[0] in ("op", "root", "status") for e in entries))
    assert len(roots) > 100
    changed = [w for w in roots if answer(f"spinal {w}") != answer(f"{w} of spine")]
    assert changed == []
    assert answer("spinal fixation") == ("yes", "depends", ())  # was depends/depends, 'spinal' unused
    assert answer("Removal of spinal fixation device") == answer("removal of spinal hardware") == ("yes", "depends", ())
    assert answer("lumbar spinal fixation") == ("yes", "yes", ("lumbar",))
    assert answer("spinal thoracotomy") == answer("thoracotomy") == ("no", "no", ())
    assert answer("spinal ALIF") == answer("ALIF")


@pytest.mark.parametrize("text, code, system", [
    ("ICD-10-PCS 0SG00A0", "0SG00A0", "icd10pcs"), ("PCS: 0SG00A0", "0SG00A0", "icd10pcs"),
    ("icd10pcs 0DTJ4ZZ", "0DTJ4ZZ", "icd10pcs"), ("ICD-9-CM 81.08", "81.08", "icd9cm"), ("icd9 8108", "8108", "icd9cm"),
    ("ICD-10-CM code M48.062", "M48.062", "icd10cm"), ("ICD-10 0SG00A0", "0SG00A0", None)])
def test_a_code_after_its_system_name(text: str, code: str, system: str | None):
    assert named_code(text) == (code, system)
    assert classify(text).to_dict() | {"input": None} == classify(code).to_dict() | {"input": None}


def test_system_names_without_a_code_are_text():
    for text in ("ICD-10-PCS", "icd-10 pcs", "PCS code", "ICD-10-PCS 0SG00A0 lumbar fusion"):
        assert named_code(text) is None, text
    with pytest.raises(SpinekgError, match="unknown procedure 'ICD-10-PCS'"):
        classify("ICD-10-PCS")
    with pytest.raises(SpinekgError, match="is not an ICD-10-PCS code"):
        classify("PCS 81.08")  # the system named decides, not the shape


@pytest.mark.parametrize("operation", ["excision", "biopsy", "drainage", "evacuation", "resection", "open biopsy"])
@pytest.mark.parametrize("lesion", ["lesion", "cyst", "abscess", "haematoma", "mass"])
def test_spinal_before_a_lesion_word_is_its_site(operation: str, lesion: str):
    # 'excision of spinal lesion' was depends/depends: 'lesion' unknown, so 'spinal' might have named another structure
    assert answer(f"{operation} of spinal {lesion}") == answer(f"{operation} of spine")
    assert lesion.replace("haematoma", "hematoma") in classify(f"{operation} of spinal {lesion}").readings[0]["words"]


def test_words_like_their_stem_are_not_of_it():
    # '-oid' is 'like': 'Intradural dermoid excision' had read the dermoid as skin (no/no); the thyroid is still the gland
    assert answer("Intradural dermoid excision") == answer("dermoid excision") == ("depends", "depends", ())
    assert answer("thyroid lobectomy") == ("no", "no", ())
    assert classify("thyroid lobectomy").readings[0]["words"] == ["thyroid", "lobectomy"]


def test_an_approach_word_form_beside_a_status_operation_is_the_operation():
    # 'revision' is a root operation and a status: beside it 'costotransversectomy' stayed an approach (depends/depends)
    assert answer("Revision costotransversectomy") == answer("costotransversectomy") == ("yes", "no", ("thoracic",))


def test_a_region_word_a_procedure_name_spans_is_covered_by_it():
    # the thoracolumbar fusion spans the thoracic and lumbar regions: 'thoracic' beside it had refused it (an error)
    assert answer("thoracic and thoracolumbar fusion") == answer("thoracolumbar fusion") == ("yes", "yes", ("thoracic", "lumbar"))
    assert answer("thoracic and thoracolumbar fusion of the anterior column, anterior technique") == ("yes", "yes", ("thoracic", "lumbar"))
    assert answer("cervical thoracolumbar fusion")[0] == "error"  # a region it does not span still refuses it


def test_an_operation_word_on_a_site_is_read_when_the_names_drop_every_word():
    # the exact-name path drops 'surgery', 'on' and 'spine' alike: 'Operation on spine' was "no procedure named"
    for text in ("Operation on spine", "surgery of spine", "surgery on spine"):
        assert answer(text) == answer("spine surgery") == ("yes", "depends", ()), text
    assert answer("of the")[0] == "error"
    # a heading's colon: the exact-name path had read 'procedure:' as the name Procedure (depends/depends)
    assert answer("Procedure: spine surgery") == answer("Procedure: Operation on spine") == ("yes", "depends", ())


def test_one_word_shorthand_reads_as_its_word_inside_phrases():
    """Every phrase-table row holding a word the lexicon has one-word shorthand for ('fusion': 'fus', 'lumbar': 'lumb'),
    rewritten with the shorthand, reads the same (build/lexicon_abbrev.word_shorthand): expanded apart, the shorthand
    joined no phrase ('thoracolumbar fus' was yes/depends, 'lumb plexus block' the lumbar region, 'thor duct ligation'
    depends/depends, 'epidural steroid inj' after 'insertion of' an operation)."""
    import csv
    import re
    from pathlib import Path

    lex = load_lexicon()
    by_word = {word: token for token, word in sorted(lex.shorthand.items()) if word.isalpha()}
    assert {"fus", "lumb", "thor", "inj", "rem", "rev", "vert"} <= set(lex.shorthand)
    with open(Path(__file__).parent / "phrases.tsv", encoding="utf-8") as handle:
        rows = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    tried, changed = 0, []
    for text in rows:
        for word, token in by_word.items():
            if not re.search(rf"(?<![\w-]){word}(?![\w.-])", text, re.I):
                continue
            written = re.sub(rf"(?<![\w-]){word}(?![\w.-])", token, text, flags=re.I)
            tried += 1
            if verdict(written) != verdict(text):
                changed.append((written, verdict(text), verdict(written)))
    assert tried > 300
    assert changed == []
    v = classify("thoracolumbar fus")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["thoracic", "lumbar"])
    assert v.explanation[-1].endswith("read 'thoracolumbar fus' as 'thoracolumbar fusion'")


def test_shorthand_alone_never_builds_the_typo_vocabulary():
    from spinekg.answer.reader import forget

    lex = load_lexicon()
    forget()
    lex._words = None
    classify("L4-5 fus")
    assert lex._words is None  # 'fus' read as 'fusion' is no typo: the set of every phrase word is not built


@pytest.mark.parametrize("text", ["  0SG00A0  ", "\t0SG00A0", " ICD-10-PCS 0SG00A0 ", "0SG00A0.", "0SG00A0 ;", "ICD-10-PCS 0SG00A0.",
                                  "PCS: 0SG00A0,"])
def test_a_code_with_blanks_or_a_sentence_s_punctuation_around_it_is_a_code(text: str):
    assert classify(text).to_dict() | {"input": None} == classify("0SG00A0").to_dict() | {"input": None}


@pytest.mark.parametrize("text, code", [("81.08.", "81.08"), ("ICD-9-CM 81.08;", "81.08"), ("M48.062.", "M48.062")])
def test_a_dotted_code_with_a_full_stop_after_it_is_the_code(text: str, code: str):
    assert classify(text).to_dict() | {"input": None} == classify(code).to_dict() | {"input": None}
