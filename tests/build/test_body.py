"""The whole body: every ICD-10-PCS body part has one anatomy term, generated from the reference copy,
provably outside the spine and the back unless a curated spine or back term already stands for it."""
from __future__ import annotations

import pytest
from conftest import SHARED_REFERENCE

from spinekg.build.body_templates import laterality_base, readable, term_id
from spinekg.codes.mappings import local, read_sssom
from spinekg.tsv import read_tsv

TRAPS = {  # look-alikes a reader meets in real text: term -> the label it is matched by
    "UterineCervix": "uterine cervix", "CervicalLymphNode": "cervical lymph node", "ThoracicAorta": "thoracic aorta",
    "ThoracicDuct": "thoracic duct", "LumbarSympatheticNerve": "lumbar sympathetic nerve",
    "LumbarPlexus": "lumbar plexus", "NeckVertebralArtery": "vertebral artery",
}


def _mappings(ontology_dir):
    curated = read_sssom(ontology_dir / "mappings" / "icd10pcs-body-parts.sssom.tsv").rows
    whole = read_sssom(ontology_dir / "mappings" / "icd10pcs-body-parts-whole-body.sssom.tsv").rows
    return ({local(r["subject_id"]): local(r["object_id"]) for r in curated},
            {local(r["subject_id"]): local(r["object_id"]) for r in whole})


def test_every_pcs_body_part_maps_to_one_term(ontology_dir, runtime_index):
    parts = read_tsv(ontology_dir / "reference" / "icd10pcs_body_parts.tsv")
    keys = {f"body-part-{r['section']}{r['body_system_code']}{r['body_part_code']}" for r in parts}
    curated, whole = _mappings(ontology_dir)
    assert len(parts) == 850 and len(keys) == 850
    assert set(curated) & set(whole) == set() and set(curated) | set(whole) == keys
    assert len(curated) == 63 and len(whole) == 787
    assert all(term in runtime_index["anatomy"] for term in list(curated.values()) + list(whole.values()))


def test_whole_body_terms_are_entailed_outside_the_spine_and_the_lower_back(ontology_dir, runtime_index):
    """What the code path answers for these body parts ("no", "no") is what HermiT entails for their terms."""
    _, whole = _mappings(ontology_dir)
    anatomy = runtime_index["anatomy"]
    wrong = sorted(t for t in set(whole.values()) if (anatomy[t]["spinal"], anatomy[t]["lower_back"]) != ("no", "no"))
    assert wrong == []
    assert {"OutsideSpineStructure", "OutsideBackStructure"} <= set(anatomy["Appendix"]["within_zones"])


def test_reference_copies_are_verbatim_and_complete(ontology_dir):
    shared_parts = SHARED_REFERENCE / "icd10pcs_body_parts.tsv"
    if not shared_parts.exists():
        pytest.skip("../shared/reference is not beside this checkout")
    ref = ontology_dir / "reference"
    assert (ref / "icd10pcs_body_parts.tsv").read_bytes() == shared_parts.read_bytes()
    index_lines = (SHARED_REFERENCE / "icd10pcs_index.tsv").read_text(encoding="utf-8").split("\n")
    key_lines = (ref / "icd10pcs_body_part_key.tsv").read_text(encoding="utf-8").split("\n")
    assert key_lines[0] == index_lines[0] and set(key_lines[1:-1]) <= set(index_lines)
    labels = {r["body_part_label"] for r in read_tsv(shared_parts)}
    # every index "use" entry whose targets are all body parts is in the copy, and nothing else
    uses = [(line, line.split("\t")[1].removeprefix("(continued) ")) for line in index_lines[1:] if line]
    anatomical = [line for line, use in uses if use.startswith("use ")
                  and all(t.strip() in labels for t in use[4:].split(" use "))]
    assert key_lines[1:-1] == anatomical and len(anatomical) == 1116


def test_laterality_terms(runtime_index):
    anatomy, terms = runtime_index["anatomy"], runtime_index["terms"]
    assert terms["RightKneeJoint"]["label"] == "right knee joint"
    assert "Knee Joint, Right" in terms["RightKneeJoint"]["synonyms"]
    assert "KneeJoint" in anatomy["RightKneeJoint"]["ancestors"] and "KneeJoint" in anatomy["LeftKneeJoint"]["ancestors"]
    assert terms["KneeJoint"]["label"] == "knee joint" and "pcs_body_parts" not in terms["KneeJoint"]
    assert "Kidney" in anatomy["RightKidney"]["ancestors"] and terms["Kidney"]["pcs_body_parts"] == ["0T5"]
    assert "CervicalLymphNode" in anatomy["RightNeckLymphatic"]["ancestors"]
    assert terms["Appendix"]["pcs_body_parts"] == ["0DJ"]
    assert terms["SacroiliacJoint"]["pcs_body_parts"] == ["0S7", "0S8"]


def test_body_part_key_names_are_related_synonyms(runtime_index):
    terms = runtime_index["terms"]
    assert terms["Appendix"]["related_synonyms"] == ["Appendiceal orifice", "Vermiform appendix"]
    assert "Medial meniscus" in terms["KneeJoint"]["related_synonyms"]  # keyed to both sides: the side-free term
    assert "related_synonyms" not in terms["RightKneeJoint"]
    assert "Psoas muscle" in terms["HipMuscle"]["related_synonyms"]  # only a '(continued)' entry in the index
    # names that are already a spine or back term's label stay with that term
    assert not any("Cervical lymph node" in t.get("related_synonyms", []) for t in terms.values())


def test_traps_are_named_terms_outside_both(runtime_index):
    for term, label in TRAPS.items():
        info = runtime_index["anatomy"][term]
        assert (runtime_index["terms"][term]["label"], info["spinal"], info["lower_back"]) == (label, "no", "no")
    assert "lumbar sympathetic trunk" in runtime_index["terms"]["LumbarSympatheticNerve"]["synonyms"]
    # a CMS label that is already a spine or back name stays unambiguous (0W6 'Neck' is soft tissue of neck)
    assert runtime_index["lexicon"]["neck"] == ["Neck"] and runtime_index["lexicon"]["cervix"] == ["UterineCervix"]
    assert runtime_index["terms"]["UterineCervix"]["pcs_body_parts"] == ["0UC"]


@pytest.mark.parametrize("label, expected, base", [
    ("Knee Joint, Right", "right knee joint", "Knee Joint"),
    ("Skin, Right Hand", "skin of right hand", "Skin, Hand"),
    ("Liver, Right Lobe", "right lobe of liver", None),
    ("Esophagus, Upper", "upper esophagus", None),
    ("Kidneys, Bilateral", "bilateral kidneys", None),
    ("Coronary Artery, Two Arteries", "coronary artery, two arteries", None),
    ("Tongue, Palate, Pharynx Muscle", "tongue, palate, pharynx muscle", None),
])
def test_label_rules(label, expected, base):
    assert (readable(label), laterality_base(label)) == (expected, base)


def test_term_ids_are_readable():
    assert (term_id("right knee joint"), term_id("4th toe")) == ("RightKneeJoint", "BodyPart4thToe")
