"""The general reading rules of reader/words.py and the decider's 'one of several body parts' and cavity rules,
each shown on what it reads and what it must leave alone."""
from __future__ import annotations

from spinekg.answer.reader.grammar import REGIONS, _kind
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.answer.reader.text import spell
from spinekg.answer.reader.words import headless, imaging_form, joint_adjective, region_typo
from spinekg.api import classify


def test_a_lost_first_letter_is_restored_only_when_one_letter_makes_a_known_word():
    lex = load_lexicon()
    restored = {w: headless(lex, w, _kind, REGIONS) for w in ("emoval", "epair", "iopsy", "umbar", "high", "nkle", "ther", "titanium")}
    assert restored == {"emoval": "removal", "epair": "repair", "iopsy": "biopsy", "umbar": "lumbar",
                        "high": None, "nkle": None, "ther": None, "titanium": None}
    v = classify("emoval of L4-5 pedicle screws")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["lumbar"])
    assert v.explanation[0].startswith("read as: ICD-10-PCS root operation Removal (P)")
    assert v.readings[0]["words"] == ["emoval", "l4-5", "pedicle screws"]


def test_a_region_word_one_edit_away_is_that_region_and_a_real_word_is_left_alone():
    lex = load_lexicon()
    found = {w: region_typo(lex, w, REGIONS) for w in ("lumbr", "lumbra", "cervcal", "thoracc", "sacrl", "lumber", "dorsl",
                                                       "neck", "nerve", "medial", "sacrum", "cecal", "lumbar")}
    assert found == {"lumbr": "lumbar", "lumbra": "lumbar", "cervcal": "cervical", "thoracc": "thoracic", "sacrl": "sacral",
                     "lumber": "lumbar", "dorsl": "dorsal", "neck": None, "nerve": None, "medial": None, "sacrum": None,
                     "cecal": None, "lumbar": None}
    v = classify("lumbr lamnectomy")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["lumbar"])


def test_a_word_the_reference_tables_spell_is_no_typo_of_another():
    lex = load_lexicon()
    assert lex.repair("infection") is None and "infection" in lex.words  # a phrase's word: not 'injection'
    assert lex.repair("motility") is None and "motility" in lex.spelled  # the tables' word only: not 'mobility'
    assert lex.repair("medication") is None and "medication" in lex.words  # a phrase's word too ('medication management', section G): not 'meditation'
    assert lex.repair("cochlear") == "cochlea"  # a real word may still be read as its other ending
    assert lex.repair("injecton") == "injection" and lex.repair("lamnectomy") == "laminectomy"
    assert classify("Debridement of lumbar wound infection").procedure["label"] != "spinal injection"


def test_an_adjective_known_only_with_joint_names_that_joint():
    lex = load_lexicon()
    assert joint_adjective(lex, "subtalar") == (["SH", "SJ"], "'subtalar': the subtalar joint")
    assert joint_adjective(lex, "facet") is None  # a spinal joint: never read this way
    assert (classify("subtalar fusion").spine_surgery, classify("subtalar fusion").back_surgery) == ("no", "no")


def test_imaging_word_forms_are_not_operations():
    assert imaging_form("phlebography")[1] == "'phlebography': an imaging word form (-graphy, -gram), not an operation"
    assert imaging_form("program") is None
    v = classify("venography of left leg")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")


def test_one_site_word_naming_several_body_parts_means_one_of_them():
    v = classify("vertebral body tethering")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "depends", [])
    assert v.explanation[-2] == "'vertebral body' names one of these body parts, not all: spine surgery yes, back surgery depends"
    v = classify("T11-L2 vertebral body tethering")  # the levels say which vertebrae
    assert (v.spine_surgery, v.back_surgery) == ("yes", "yes")


def test_an_endoscope_named_by_its_cavity_keeps_the_index_entries_inside_it():
    v = classify("VATS lobectomy")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert v.explanation[0].endswith("see Excision, Respiratory System 0BB; see Resection, Respiratory System 0BT "
                                     "(only the entries inside the body cavity the approach enters: thoracoscopic)")
    assert (classify("lobectomy").spine_surgery, classify("lobectomy").back_surgery) == ("depends", "depends")


def test_a_shunt_from_a_brain_ventricle_names_the_brain_not_the_heart():
    v = classify("ventriculoperitoneal shunt")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert any("body part 6 (Cerebral Ventricle)" in line for line in v.explanation)
    assert not any("Ventricular Septum" in line for line in v.explanation)


def test_uk_oesophag_only_where_it_opens_a_word_part():
    assert [spell(w) for w in ("oesophagectomy", "gastro-oesophageal", "gastrooesophageal", "gastroesophageal",
                               "tracheoesophageal")] == \
        ["esophagectomy", "gastro-esophageal", "gastroesophageal", "gastroesophageal", "tracheoesophageal"]


def test_including_names_a_step_of_the_same_procedure():
    v = classify("Percutaneous vertebral augmentation, including balloon cavity forming, thoracic")
    assert (v.spine_surgery, v.back_surgery, v.regions, len(v.readings)) == ("yes", "no", ["thoracic"], 1)
