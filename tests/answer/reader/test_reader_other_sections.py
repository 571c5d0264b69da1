"""The long titles of ICD-10-PCS sections that hold no operations (1-9, B-D, F-H, and X), read as text, against
their codes (../shared/reference/icd10pcs_titles_other_sections.tsv, 10,725 titles; every code of sections 1-9,
B-D and F-H answers 'not an operation'). The reader knows these sections' procedure names from the heads of the
titles (build/lexicon_sections.py), not from the titles: no title may contradict its code (a definite yes where
the code says no, or the reverse), and the agreement may not fall below what was measured when the names were
added. What is left unread is mostly rehabilitation names joined by a slash ('Coordination/Dexterity Treatment',
read as a list), a few one-off names ('Acupuncture', 'Collection of Other Fluid …': one-word names heading few
titles are left out, see build/lexicon_sections.py) and 'Laser Interstitial Thermal Therapy' (a section-0
qualifier)."""
from __future__ import annotations

from collections import Counter

from spinekg.answer.composers import composer
from spinekg.answer.reader import classify_text
from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.build.lexicon_sections import section_heads
from spinekg.codes.icd10 import tables
from spinekg.codes.reference import OTHER_SECTIONS, reference_path
from spinekg.errors import SpinekgError
from spinekg.paths import ontology_dir
from spinekg.tsv import read_tsv

AGREEMENT_FLOOR = 98.4  # % of the titles; measured 97.42 % (10,448 / 10,725) with the heads and bracketed initials (67.0 %, 7,186, before), 98.41 % (10,554) with slash-joined names (words9)
DEFINITE = {"yes", "no"}


def test_titles_of_the_other_sections_read_as_their_code(capsys):
    t, comp = tables(), composer()
    rows = sorted((r["code"], r["title"]) for r in read_tsv(reference_path(OTHER_SECTIONS)))
    assert len(rows) == 10725
    agree, contradicted, by_section = 0, {}, Counter()
    for code, title in rows:
        decided = t.decide_pcs(code)
        try:
            verdict = classify_text(title, comp)
        except SpinekgError:
            continue
        got, expected = (verdict.spine_surgery, verdict.back_surgery), (decided.spine, decided.back)
        agree += got == expected
        by_section[code[0]] += got == expected
        if any(g in DEFINITE and e in DEFINITE and g != e for g, e in zip(got, expected)):
            contradicted[code] = (title, expected, got)
    share = 100 * agree / len(rows)
    with capsys.disabled():
        print(f"\nICD-10-PCS titles of sections 1-9, B-D, F-H, X read as text: {agree}/{len(rows)} agree with their code "
              f"({share:.2f} %); {len(contradicted)} contradict")
    assert not contradicted, sorted(contradicted.items())[:5]
    assert share >= AGREEMENT_FLOOR
    assert by_section["3"] == 1486 and by_section["7"] >= 94  # every Administration title, e.g. 'Introduction of … into Spinal Canal'


def test_section_heads_are_names_of_what_is_done_not_modifiers_or_operations():
    heads = section_heads(ontology_dir())
    assert heads["introduction"][:2] == ["3", "3E00X05"]
    assert heads["osteopathic treatment"][0] == "7" and heads["electroconvulsive therapy"][0] == "G"
    assert "range of motion and joint mobility treatment" in heads  # 'of' inside the name: up to the last 'of'
    assert "assistive" not in heads and "range" not in heads and "bithermal" not in heads  # modifiers left by a comma or 'of'
    added = load_lexicon().section_heads
    assert "introduction" in added and "osteopathic treatment" in added
    # a section-0 root operation, an ontology procedure or a section-0 qualifier keeps its own reading
    assert {"removal", "drainage", "decompression", "chiropractic manipulation", "laser interstitial thermal therapy",
            "change brace", "repair nervous system"}.isdisjoint(added)
    # a one-word head heading a few titles, or held by a longer phrase, is a word findings and qualifiers use too
    assert {"collection", "delivery", "assistance", "compression"}.isdisjoint(added) and "immobilization" in added
    v = classify_text("evacuation of epidural fluid collection L4-5", composer())
    assert (v.spine_surgery, v.back_surgery) == ("yes", "yes")


def test_a_bracketed_abbreviation_inside_a_name_is_skipped_and_a_side_is_not():
    from spinekg.answer.reader.notes import bracketed_initials

    toks = ["high", "dose", "rate", "(", "hdr", ")", "brachytherapy"]
    assert bracketed_initials(toks, 3, toks[:3])
    assert bracketed_initials(["tomographic", "(", "tomo", ")", "nuclear"], 1, ["tomographic"])
    assert not bracketed_initials(["lumbar", "(", "l", ")", "tlif"], 1, ["lumbar"])  # one letter: a side
    assert not bracketed_initials(["knee", "(", "left", ")", "arthroplasty"], 1, ["knee"])
    v = classify_text("High Dose Rate (HDR) Brachytherapy of Rectum", composer())
    assert (v.spine_surgery, v.back_surgery, v.readings[0]["words"][0]) == ("no", "no", "high dose rate brachytherapy")
    v = classify_text("knee (left) arthroplasty", composer())
    assert v.readings[0]["laterality"] == ["left"]


def test_an_administration_title_is_a_non_operative_procedure_at_its_site():
    v = classify_text("Introduction of Anti-inflammatory into Spinal Canal, Percutaneous Approach", composer())
    assert (v.spine_surgery, v.back_surgery, v.procedure["label"]) == ("no", "no", "non-operative procedure")
    v = classify_text("Osteopathic Treatment of Lumbar Region using Soft Tissue", composer())
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("no", "no", ["lumbar"])
