"""An operation word that is spinal only by default ('fusion', 'decompression') never gives a definite 'yes' when an
unknown word may name its site elsewhere (reader/qualified.py); and the word rules that keep 'cordectomy' and
'vocal' from being read as spinal (reader/words.py)."""
from __future__ import annotations

from spinekg.answer.reader.grammar import Grammar
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.api import classify


def answer(text: str) -> tuple[str, str, list[str]]:
    v = classify(text)
    return v.spine_surgery, v.back_surgery, v.regions


def test_a_spinal_default_with_an_unknown_qualifier_depends_and_says_why():
    for text in ("Lapidus fusion", "talonavicular fusion", "microvascular decompression"):
        assert answer(text) == ("depends", "depends", []), text
    v = classify("Lapidus fusion")
    assert v.explanation[-2] == ("spinal fusion is spine surgery only by default: no level, spinal region or spinal site is named, and "
                                 "'lapidus' (not a word the reader knows) may name its site → depends "
                                 "(name the level or the site); reported as operative procedure")
    assert v.readings[0]["unused"] == ["lapidus"]
    # the guard decided no spinal procedure: the verdict and the reading name only its kind
    assert v.procedure == v.readings[0]["procedure"] == {"iri": "https://w3id.org/spinekg/OperativeProcedure", "label": "operative procedure"}
    assert v.explanation[0] == "read as: spinal fusion (spinekg:SpinalFusion)"  # what was considered, and why it was left


def test_spinal_evidence_keeps_the_yes():
    assert answer("fusion") == ("yes", "depends", [])  # nothing says otherwise
    assert answer("L4-5 Lapidus fusion") == ("yes", "yes", ["lumbar"])  # a level puts it on the spine
    assert classify("L4-5 Lapidus fusion").procedure["label"] == "spinal fusion"
    assert answer("Other cervical fusion of the anterior column, anterior technique") == ("yes", "no", ["cervical"])
    assert answer("lumbar decompression for chronic pain") == ("yes", "yes", ["lumbar"])  # the indication never names the site
    assert answer("spinal fusion, Lapidus") == ("yes", "depends", [])  # the name says spinal


def test_a_word_form_naming_body_parts_is_not_a_typo():
    g = Grammar(load_lexicon())
    item = g._word("cordectomy", 0)
    assert item.note == "'cordectomy': -ectomy (Excision/Resection) of the cord"
    assert g._word("corpectomi", 0).note == "read 'corpectomi' as 'corpectomy'"  # a typo still repaired
    assert answer("cordectomy") == ("depends", "depends", [])  # vocal, spinal or spermatic cord: one of them
    # 'sacr-' is no word: its parts stay 'yes if any'; the region adjectives it opens ('sacral', 'sacrococcygeal') name
    # no structure of it (region_forms.py): the sacrum and the SI joints, as the phrase table says (was a listed gap)
    assert answer("sacroplasty") == ("yes", "yes", ["sacral"])


def test_an_unknown_word_and_a_word_forms_stem_that_make_a_body_part_name_it():
    v = classify("vocal cordectomy")  # 'vocal' + 'cord' = 'vocal cord'
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert [p["label"] for p in v.readings[0]["operation"]["body_parts"]] == ["Vocal Cord, Right", "Vocal Cord, Left"]
    for text in ("recurrent discectomy", "proximal fusion", "dural repair"):  # words that only open body-part names: never sites
        assert answer(text)[0] != "no", text


def test_a_generic_site_beside_an_adjective_site_is_that_site():
    for text in ("fusion of metatarsophalangeal (mtp) joint", "subtalar (talocalcaneal) joint decompression",
                 "interphalangeal (ip) joint laminectomy"):
        assert answer(text)[:2] == ("no", "no"), text
    assert answer("fusion of joint of cervical spine") == ("yes", "no", ["cervical"])  # a spinal site still decides


def test_an_operation_with_no_site_is_done_where_its_outside_indication_is():
    v = classify("drainage for liver abscess")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert v.readings[0]["operation"]["body_parts"] == [{"code": "0F_0", "label": "Liver"}]
    assert answer("release for carpal tunnel syndrome")[:2] == ("no", "no")  # a root operation: done where the indication is
    # an ontology procedure keeps its own site: the symptom's site only leaves its spinal default open
    for text in ("decompression for carpal tunnel syndrome", "decompression for leg pain"):
        assert answer(text) == ("depends", "depends", []), text
    # 'epidural' names the intracranial or the spinal epidural space (the Body Part Key's 'Epidural space, spinal'):
    # no site outside the spine, so the laminectomy keeps its spinal default
    assert answer("laminectomy for epidural abscess") == ("yes", "depends", [])
    assert classify("decompression for leg pain").explanation[-2].endswith(
        "and the indication's 'leg' (outside the spine) may name its site → depends (name the level or the site); reported as operative procedure")
    assert answer("lumbar decompression for leg pain") == ("yes", "yes", ["lumbar"])
    assert answer("laminectomy for spinal stenosis") == ("yes", "depends", [])  # a spinal indication never becomes the site
    assert answer("fusion for lumbar stenosis") == ("yes", "depends", [])


def test_abbreviations_the_index_spells_out_and_neurosurgery_shorthand():
    from spinekg.build.lexicon_abbrev import index_abbreviations
    from spinekg.paths import ontology_dir

    found = index_abbreviations(ontology_dir() / "reference")
    assert (found["mtp"], found["acl"], found["picc"]) == ("metatarsophalangeal joint", "anterior cruciate ligament",
                                                          "peripherally inserted central catheter")
    assert "rx" not in found and "otw" not in found  # letters not taken from the words before them
    lex = load_lexicon()
    assert lex.phrases["mtp"] == [["abbr", "metatarsophalangeal joint"]] and lex.phrases["evd"] == [["abbr", "external ventricular drain"]]
    assert answer("MTP fusion") == ("no", "no", [])
    assert answer("EVD insertion") == ("no", "no", []) and answer("LP shunt") == ("yes", "yes", ["lumbar"])


def test_abbreviations_the_index_writes_before_their_spelling_out():
    """'EMG (electromyogram)': the short form first; 'EMG' was not understood, 'EMG NCS lower limb' a site alone."""
    from spinekg.build.lexicon_abbrev import index_abbreviations
    from spinekg.paths import ontology_dir

    found = index_abbreviations(ontology_dir() / "reference")
    assert (found["emg"], found["ekg"], found["cpap"]) == ("electromyogram", "electrocardiogram",
                                                          "continuous positive airway pressure")
    assert found["peg"] == "percutaneous endoscopic gastrostomy tube"  # spelt out both ways: the first form's stays
    assert load_lexicon().phrases["continuous positive airway pressure"][0][0] == "idx"  # its index term's entry
    for text in ("EMG", "EKG", "ERCP", "CPAP", "VEP"):
        assert answer(text) == ("no", "no", []), text


def test_an_open_index_entry_at_a_site_outside_the_spine_and_back_is_not_spine_surgery():
    v = classify("total ostectomy, femur")  # 'femur': a lay imaging word, outside whatever system the index names
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert v.explanation[0].startswith("read 'ostectomy' by the CMS ICD-10-PCS index entry 'Ostectomy'")
    assert answer("ostectomy")[:2] == ("depends", "depends") and answer("sacral ostectomy")[:2] == ("depends", "depends")


def test_a_bare_shortened_site_word_beside_an_unknown_word_is_no_spinal_evidence():
    """'spine' and 'lamina' name parts of other bones too ('ischial spine', 'lamina papyracea'): one such bare word beside a
    word the reader does not know leaves the site open, for a named procedure and for a root operation alike; a word
    that is its site's whole name ('sacrum'), a phrase, a level or a region word still decides."""
    v = classify("ischial spine osteotomy")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("depends", "depends", [])
    assert v.explanation[-2] == ("spinal osteotomy is spine surgery only by default: only the bare word 'spine' names a spinal "
                                 "site, and 'ischial' (not a word the reader knows) may name its site → depends (name the level "
                                 "or the site); reported as operative procedure")
    v = classify("lamina papyracea repair")
    assert (v.spine_surgery, v.back_surgery) == ("depends", "depends")
    assert v.explanation[-2] == ("only the bare word 'lamina' names a spinal site, and 'papyracea' (not a word the reader knows) "
                                 "may name another structure of that name → depends (name the level or the region)")
    assert answer("repair of lamina") == ("yes", "depends", [])  # no unknown word: the spine's lamina
    assert answer("ischial spine osteotomy L4") == ("yes", "yes", ["lumbar"])  # a level decides
    assert answer("lumbar spine osteotomy, ischial") == ("yes", "yes", ["lumbar"])  # a phrase decides
    assert answer("Extirpation of Matter from Sacrum, Open Approach") == ("yes", "yes", ["sacral"])  # the bone's whole name
    assert answer("open anterolateral cordotomy") == ("yes", "depends", [])  # a word form's site is no bare site word
