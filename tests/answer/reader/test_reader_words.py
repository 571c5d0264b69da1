"""Lay site words and other vocabulary the reader takes from the reference tables (not from the phrase table)."""
from __future__ import annotations

from spinekg.api import classify
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.build.lexicon_imaging import SPINE_WORDS, TRUNK_WORDS


def test_imaging_words_come_from_wholly_outside_systems():
    lex = load_lexicon()
    img = {phrase: [e[1] for e in entries if e[0] == "img"] for phrase, entries in lex.phrases.items()
           if any(e[0] == "img" for e in entries)}
    assert img["forearm"] == ["PJ", "PK"] and img["finger"] == ["PR", "PS"] and img["toes"] == ["QP", "QQ"]
    assert img["teeth"] == ["NH", "NJ"] and img["tooth"] == ["NG"]
    assert lex.imaging["PJ"][:3] == ["Right Forearm", "BP0JZZZ", "Plain Radiography of Right Forearm"]
    for phrase, parts in img.items():  # never a spine, back or trunk word; never a system that has one
        assert not set(phrase.split()) & (SPINE_WORDS | TRUNK_WORDS | {"neck"}), phrase
        assert not {p[0] for p in parts} & {"R", "W", "3", "4", "5", "H"}, phrase
    for phrase in ("spinal arteries", "epidural veins", "lumbar arteries", "thorax", "trunk", "whole spine", "coronary artery bypass graft"):
        assert not any(e[0] == "img" for e in lex.phrases.get(phrase, [])), phrase


def test_imaging_word_decides_and_explains_its_row():
    v = classify("wide local excision of melanoma, left forearm")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("no", "no", [])
    assert any("icd10pcs_titles_other_sections.tsv, BP0JZZZ 'Plain Radiography of Right Forearm'" in line for line in v.explanation)
    assert (classify("open reduction of toe fracture").spine_surgery, classify("finger amputation").back_surgery) == ("no", "no")
    assert classify("CABG x3").readings[0]["words"] == ["coronary artery", "bypass graft"]  # not an imaging part


def test_index_devices_name_their_sites_only_when_all_are_outside():
    lex = load_lexicon()
    assert sorted(e[1] for e in lex.phrases["pacemaker"] if e[0] == "bp") == ["24", "26", "27", "2A", "2K", "2L", "J6", "J8"]
    for device in ("spacer", "bone growth stimulator", "neurostimulator lead", "tissue expander"):  # a spinal, back or generic part
        assert not any(e[0] == "bp" for e in lex.phrases.get(device, [])), device
    v = classify("dual chamber pacemaker insertion")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no") and v.readings[0]["operation"]["body_parts"][0]["label"] == "Coronary Vein"
    v = classify("L4-5 fusion and pacemaker removal")  # the device's sites never replace a site the text names
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["lumbar"])


def test_compound_word_forms_need_every_piece():
    from spinekg.answer.reader.grammar import Grammar

    g = Grammar(load_lexicon())
    assert g._word("adenotonsillectomy", 0).entries[0][1]["site"]["parts"] == ["CP", "CQ"]  # adenoids, tonsils
    assert g._word("radiocephalic", 0).weak and {"5D", "5F", "PH", "PJ"} <= {e[1] for e in g._word("radiocephalic", 0).entries}
    assert g._word("lumboperitoneal", 0).kind == "unknown"  # 'lumbo' names no body part: never read as the peritoneum alone


def test_site_words_of_the_word_table():
    lex = load_lexicon()
    assert sorted(e[1] for e in lex.phrases["thigh"] if e[0] == "bp") == ["YC", "YD"]
    assert sorted(e[1] for e in lex.phrases["hemorrhoid"] if e[0] == "bp") == ["6Y"]
    for text in ("haemorrhoidectomy", "incision and drainage of thigh abscess", "excision of perianal skin tag", "left leg fasciotomy",
                 "bunionectomy, right foot", "umbilical hernia repair with mesh"):
        v = classify(text)
        assert (v.spine_surgery, v.back_surgery) == ("no", "no"), text


def test_uk_digraphs():
    from spinekg.answer.reader.text import spell

    assert spell("Paediatric oesophagectomy for anaemia, diarrhoea, oedema") == "pediatric esophagectomy for anemia, diarrhea, edema"
    assert spell("vertebrae laminae aerobic paraesophageal intraepithelial toes") == "vertebrae laminae aerobic paraesophageal intraepithelial toes"
    assert (classify("caecectomy").spine_surgery, classify("paediatric tonsillectomy").back_surgery) == ("no", "no")


def test_device_and_disorder_sites_yield_to_named_sites():
    v = classify("removal of pedicle screws")  # the screws' vertebrae: spine, region open
    assert (v.spine_surgery, v.back_surgery, v.regions, v.readings[0]["devices"]) == ("yes", "depends", [], ["pedicle screws"])
    v = classify("T10-L2 pedicle screw fixation")  # the levels, not the device, say where
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["thoracic", "thoracolumbar", "lumbar"])
    assert [classify(t).back_surgery for t in ("repair of vertebral fracture", "open repair of lumbar vertebral fracture",
                                               "repair of hip fracture")] == ["depends", "yes", "no"]
    assert (classify("L4-5 laminectomy for spinal stenosis").regions, classify("DREZ lesioning").spine_surgery) == (["lumbar"], "yes")


def test_adjective_of_a_site_word_and_pcs_qualifier_sites():
    v = classify("Occlusion of Hemorrhoidal Plexus, Percutaneous Approach")  # 06LY3ZC: 'hemorrhoid-al' names the lower vein
    assert (v.spine_surgery, v.back_surgery) == ("no", "no") and v.readings[0]["operation"]["body_parts"][0]["code"] == "06_Y"
    v = classify("Dilation of Ductus Arteriosus, Open Approach")  # 027R0ZT: qualifier T of Pulmonary Artery, Left
    assert (v.spine_surgery, v.back_surgery) == ("no", "no") and v.readings[0]["operation"]["body_parts"][0]["code"] == "02_R"
