"""Named procedures of the CMS ICD-10-PCS index (spinekg/build/lexicon_index.py): each carries the code path's
answers over every code of its code prefixes, and the reader says which index entry read the text."""
from __future__ import annotations

import pytest

from spinekg.answer.reader.decide import alternatives
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.api import classify
from spinekg.codes.icd10 import tables
from spinekg.paths import ontology_dir
from spinekg.tsv import read_tsv


def index_entries() -> dict[str, list]:
    lex = load_lexicon()
    return {phrase: lex.see(entries) for phrase, entries in lex.phrases.items() if any(e[0] == "idx" for e in entries)}


def test_every_index_prefix_carries_the_code_paths_answers():
    t = tables()
    codes = [row["code"] for row in read_tsv(ontology_dir() / "reference" / "icd10pcs_fy2025_codes.tsv")]
    decided = {code: t.decide_pcs(code) for code in codes}
    entries = index_entries()
    assert len(entries) > 1000
    for phrase, see in entries.items():
        for prefix, _, spine, back, operative, _, by_approach in see:
            if prefix[0] != "0":
                assert (spine, back, operative) == ("no", "no", "no"), phrase  # not an operation: sections 1-9, B-D, F-H
                continue
            covered = [d for c, d in decided.items() if c.startswith(prefix)]
            assert covered, (phrase, prefix)
            assert spine == alternatives([d.spine for d in covered]), (phrase, prefix)
            assert back == alternatives([d.back for d in covered]), (phrase, prefix)
            assert operative == alternatives([d.operative for d in covered]), (phrase, prefix)
            assert by_approach == {a: alternatives([d.operative for d in covered if d.code[4] == a])
                                   for a in sorted({d.code[4] for d in covered})}, (phrase, prefix)


def test_index_entry_is_named_in_the_explanation_and_the_reading():
    verdict = classify("vasectomy")
    assert (verdict.spine_surgery, verdict.back_surgery, verdict.regions) == ("no", "no", [])
    assert verdict.explanation[:2] == [
        "read 'vasectomy' by the CMS ICD-10-PCS index entry 'Vasectomy': see Excision, Male Reproductive System 0VB",
        "0VB: every FY2025 code 0VB… decided by the code tables → spine surgery no, back surgery no; operative yes"]
    operation = verdict.readings[0]["operation"]
    assert (operation["kind"], operation["term"], operation["see"]) == (
        "index entry", "Vasectomy", [{"codes": "0VB", "target": "Excision, Male Reproductive System", "spine_surgery": "no",
                                      "back_surgery": "no"}])


@pytest.mark.parametrize("text,spine,back,regions,why", [
    # an entry in a non-operative section: no whatever the words around it
    ("cesarean section", "no", "no", [], "10D0: ICD-10-PCS section 1 is not an operation → not spine surgery, not back surgery"),
    # the entry's prefixes disagree (brain and spinal cord, lung, liver, endocrine): depends, with the reason
    ("lobectomy", "depends", "depends", [], "the index entry covers codes that decide differently, so it depends on the site: "
                                            "name it (e.g. the body part or the level)"),
    # ... and the site the text names decides it, when it is a body part of the systems the index names
    ("right thyroid lobectomy", "no", "no", [], "read 'lobectomy' by the CMS ICD-10-PCS index entry 'Lobectomy': see Excision, "
     "Central Nervous System and Cranial Nerves 00B; see Excision, Respiratory System 0BB; see Resection, Respiratory System 0BT; "
     "see Excision, Hepatobiliary System and Pancreas 0FB; see Resection, Hepatobiliary System and Pancreas 0FT; see Excision, "
     "Endocrine System 0GB; see Resection, Endocrine System 0GT"),
    # a look-alike word outside those systems does not: 'pars' (interarticularis) beside an eye operation
    ("pars plana vitrectomy", "no", "no", [], "'pars' is not a body part of the systems the index names, so it does not decide the site"),
    # the entry leaves the body part open (Excision, Lower Bones) and the word form names it: the sacrum
    ("sacrectomy", "yes", "yes", ["sacral"], "read 'sacrectomy' by the CMS ICD-10-PCS index entry 'Sacrectomy': "
     "see Excision, Lower Bones 0QB (open); its word form names 'sacr', each of whose body parts is one answer the text may mean"),
])
def test_index_readings(text, spine, back, regions, why):
    verdict = classify(text)
    assert (verdict.spine_surgery, verdict.back_surgery, verdict.regions) == (spine, back, regions)
    assert why in verdict.explanation


@pytest.mark.parametrize("text,words,unused", [
    ("TAH-BSO", ["abdominal", "hysterectomy", "bilateral", "salpingo-oophorectomy"], []),  # hyphen: part by part
    ("Roux-en-Y gastric bypass", ["gastric", "bypass"], ["roux", "en", "y"]),  # 'gastric': adjective of the stomach
    ("gastrocnemius recession", ["gastrocnemius", "recession"], []),  # Body Part Key muscle; 'Recession  see Repair see Reposition'
])
def test_words_read(text, words, unused):
    verdict = classify(text)
    assert (verdict.spine_surgery, verdict.back_surgery) == ("no", "no")
    assert [w for r in verdict.readings for w in r["words"]] == words
    assert [w for r in verdict.readings for w in r["unused"]] == unused


def test_an_operation_word_the_index_lists_by_site_is_the_root_operation_it_sends_every_site_to():
    # 'Denervation: Cranial nerve see Destruction …, Peripheral nerve see Destruction …' (one root operation): the word is
    # Destruction, composed with the site the text names; were it dropped, 'renal denervation' was 'an anatomical site'
    phrases = load_lexicon().phrases
    assert phrases["denervation"] == [["root", "5"]]
    assert phrases["suspension"] == [["root", "S"]]  # Reposition: 'Suspension: Bladder Neck, Kidney, Uterus …'
    assert "autotransplant" not in phrases  # its sites are sent to two root operations (Reposition, Reattachment): open
    assert "synovectomy" not in phrases  # read by its form (-ectomy with the combining form), as before
    assert "cell suspension technique" in phrases  # an ICD-10-PCS qualifier, not the operation
    v = classify("denervation of hip joint")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert "Destruction" in v.explanation[0]
