"""Every ICD-10-PCS section and year, ICD-9-CM through the GEMs, the needle option, and the all-codes crosswalk."""
from __future__ import annotations

import csv
from collections import Counter

import pytest

from spinekg.codes.icd10 import classify_code, tables
from spinekg.codes.mappings import local, read_sssom
from spinekg.codes.reference import body_parts, gems, titles
from spinekg.codes.sections import NEW_TECHNOLOGY
from spinekg.errors import SpinekgError
from spinekg.paths import ontology_dir

NON_OPERATIVE_SECTIONS = set("123456789BCDFGH")


def reference_codes() -> dict[str, str]:
    """code → section for both reference lists (the shipped verbatim copies)."""
    found = {}
    for name in ("icd10pcs_codes_other_years.tsv", "icd10pcs_titles_other_sections.tsv"):
        with open(ontology_dir() / "reference" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                found[row["code"]] = row["section"]
    return found


def test_every_code_of_both_reference_lists_is_classified_as_its_section_says():
    t = tables()
    codes = reference_codes()
    assert len(codes) == 13849
    answers: Counter = Counter()
    for code, section in codes.items():
        d = t.decide_pcs(code)  # never raises
        assert code[0] == section
        if section in NON_OPERATIVE_SECTIONS:
            assert (d.operative, d.spine, d.back, d.procedure) == ("no", "no", "no", "NonOperativeProcedure"), code
        elif section == "0":  # other years: classified by the axes, as an FY2025 code on the same axes would be
            row = t.body_parts.get(code[1] + code[3])
            assert d.site == (local(row["object_id"]) if row else None), code
            if d.site is None or d.operative == "no":
                assert (d.spine, d.back) == ("no", "no"), code
        answers[section, code[1] if section in "0X" else "", d.spine] += 1
    # section X: the spinal body systems N (bones) and R (joints) are spine surgery wherever the body part is a
    # titled vertebra or vertebral joint; other body systems never are
    assert answers["X", "R", "no"] == 6  # knee sensors XR2G/XR2H (monitoring) and knee replacements XRRG/XRRH
    assert {k for k in answers if k[0] == "X" and k[2] == "yes"} == {("X", "R", "yes"), ("X", "N", "yes")}
    assert answers["X", "R", "yes"] == 98 - answers["X", "R", "depends"]
    for system in "29DFHKTVWXY":
        assert answers["X", system, "yes"] == 0, system
    for system in "2DFHTV":  # every titled body part lies outside the spine and back: an untitled one answers no too
        assert answers["X", system, "depends"] == 0, system
    assert answers["X", "9", "depends"] == 3  # X9H…: no title shows what body system 9's body parts are


def test_section_x_spine_codes():
    for code, (spine, back, procedure) in {
        "XRGB092": ("yes", "yes", "OperativeProcedure"),  # nanotextured interbody device, lumbar joint
        "XRG1092": ("yes", "no", "OperativeProcedure"),
        "XNS3032": ("yes", "no", "OperativeProcedure"),  # growth rod on a cervical vertebra
        "XW033E5": ("no", "no", "NonOperativeProcedure"),  # introduction into a peripheral vein
    }.items():
        v = classify_code(code)
        assert (v.spine_surgery, v.back_surgery, v.procedure["iri"].rsplit("/", 1)[1]) == (spine, back, procedure), code
    v = classify_code("XNS5032")  # a body-part value no shipped title shows
    assert (v.spine_surgery, v.back_surgery) == ("depends", "depends")
    assert v.explanation[-1].startswith("body part 5 of section-X body system N is not shown by any shipped CMS title")


def test_other_sections_name_the_section_and_the_spine_where_the_title_does():
    v = classify_code("3E0R3BZ")
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    assert v.explanation == [
        "ICD-10-PCS 3E0R3BZ: Introduction of Anesthetic Agent into Spinal Canal, Percutaneous Approach",
        "section 3 (Administration) is not the Medical and Surgical section: its procedures are not operations, so this "
        "is not an operation on the spine → not spine surgery, not back surgery",
        "the title names spinal canal (spinekg:SpinalCanal), which lies in the spine or back: a procedure on the spine or "
        "back, but not an operation",
    ]
    v = classify_code("BR00ZZZ")
    assert v.regions == ["cervical"] and v.explanation[1].startswith("section B is not the Medical and Surgical section")
    assert len(classify_code("B030ZZZ").explanation) == 2  # imaging of the head: nothing about the spine


def test_section_0_codes_of_other_years_say_so():
    v = classify_code("0SG607Z")  # coccygeal joint fusion, valid until FY2025's April update
    assert (v.spine_surgery, v.back_surgery) == ("yes", "no")
    assert v.explanation[1] == ("0SG607Z is not in the FY2025 code set; classified by its axes (body system, root "
                                "operation, body part, approach, qualifier), which the CMS tables define")
    assert "not in the FY2025 code set" not in " ".join(classify_code("0SRC0J9").explanation)
    assert classify_code("0SRC0J9").spine_surgery == "no"
    assert classify_code("061R07Y").spine_surgery == "no"  # a retired code whose body part FY2025 no longer lists


def test_new_technology_mapping_is_valid_sssom_and_cites_real_titles():
    mapping = read_sssom(ontology_dir() / "mappings" / NEW_TECHNOLOGY)
    for key in ("mapping_set_id", "license", "mapping_provider", "mapping_set_title", "subject_source", "mapping_date"):
        assert mapping.metadata[key], key
    every = titles()
    defined = body_parts()
    for row in mapping.rows:
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        cited, _, rest = row["comment"].partition(": ")
        assert rest.startswith(f'"{every[cited]}"'), row["__line__"]  # the cited code's CMS title, verbatim
        subject = local(row["subject_id"])
        if subject.startswith("body-part-X"):
            assert cited[1] + cited[3] == subject[-2:]
            target = local(row["object_id"])[-2:]
            assert defined["0", target[0], target[1]]["body_part_label"] == row["object_label"]
        else:
            assert cited[2] == subject[-1] and every[cited].startswith(row["subject_label"])


def test_icd9_codes_combine_their_gem_targets():
    v = classify_code("81.07")
    assert (v.spine_surgery, v.back_surgery, v.regions) == ("yes", "yes", ["lumbar", "lumbosacral"])
    assert v.explanation[-1] == "every mapped code gives the same answer → that answer"
    v = classify_code("8051")
    assert (v.spine_surgery, v.back_surgery) == ("yes", "depends")
    assert v.explanation[2].startswith("spine surgery yes, back surgery no: 0RB30ZZ, ")
    assert v.explanation[-1] == ("the mapped codes disagree → back surgery depends (the ICD-9-CM code does not say "
                                 "which of them was done)")
    v = classify_code("03.09")
    assert (v.spine_surgery, v.back_surgery) == ("depends", "depends")
    assert classify_code("016", system="icd9cm").spine_surgery == "no"  # 01.6: excision of skull lesion
    v = classify_code("00.16")  # NoPCS
    assert (v.spine_surgery, v.back_surgery) == ("depends", "depends")
    assert "NoPCS" in v.explanation[2]
    with pytest.raises(SpinekgError, match=r"^00\.00 is not an ICD-9-CM procedure code of the CMS GEMs"):
        classify_code("00.00")


def test_every_gem_code_is_classified():
    t = tables()
    from spinekg.codes.icd9 import decide_icd9

    spine = Counter(decide_icd9(t, code)[0].spine for code in gems())
    assert sum(spine.values()) == 3882 and spine["yes"] > 0 and spine["depends"] > 0


def test_needle_option_changes_only_the_needle_rows():
    v = classify_code("0S523ZZ")  # percutaneous destruction of a lumbar disc
    assert (v.spine_surgery, v.back_surgery) == ("no", "no")
    v = classify_code("0S523ZZ", needle=True)
    assert (v.spine_surgery, v.back_surgery) == ("yes", "yes")
    assert "(option: needle procedures count as surgery)" in v.explanation[3]
    assert classify_code("00NY3ZZ", needle=True, profile="thoracolumbar").spine_surgery == "yes"  # composes
    t = tables()
    keys = set(t.needle_operations)
    changed = 0
    for code in sorted(t.pcs_codes):
        plain, needle = t.decide_pcs(code), t.decide_pcs(code, needle=True)
        if (plain.spine, plain.back, plain.procedure) != (needle.spine, needle.back, needle.procedure):
            assert {f"{code[2]}-approach-{code[4]}-qualifier-{code[6]}", f"{code[2]}-approach-{code[4]}"} & keys, code
            changed += 1
    assert changed > 0
    with pytest.raises(SpinekgError, match="does not apply to ICD-10-CM"):
        classify_code("M48.062", needle=True)


def test_bulk_answers_every_kind_of_procedure_code_as_classify_does(tmp_path):
    pytest.importorskip("pyarrow")
    from spinekg.codes.bulk import classify_file

    values = ["0SG00A0", "0sg607z ", "XRGB092", "XNS5032", "3E0R3BZ", "BR00ZZZ", "81.07", "8051", "0309", "00.16",
              "0SRC0J9", "0SGX0ZZ", "00.00", "0S523ZZ", "9ZZZZZZ"]
    (tmp_path / "in.csv").write_text("id,code\n" + "".join(f"{n},{v}\n" for n, v in enumerate(values)), encoding="utf-8")
    for needle in (False, True):
        classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "code", system="icd10pcs", needle=needle)
        with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))[1:]
        for value, row in zip(values, rows):
            try:
                v = classify_code(value.strip(), needle=needle)
                assert row[2:6] == [v.spine_surgery, v.back_surgery, ";".join(v.regions),
                                    "spinekg:" + v.procedure["iri"].rsplit("/", 1)[1]], value
            except SpinekgError as exc:
                assert row[6] == exc.message, value


def test_all_codes_crosswalk_joins_in_duckdb_after_normalising(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    from spinekg.codes.crosswalk import write_crosswalk

    count = write_crosswalk("all", tmp_path / "xw.csv")
    assert count == 68367 + 13849 + 3882 + 3650
    (tmp_path / "claims.csv").write_text(
        "claim,proc\n1, 0sg00a0 \n2,81.07\n3,0SRC0J9\n4,3E0R3BZ\n5,XRGB092\n6,m48.062\n7,0SG607Z\n", encoding="utf-8")
    joined = duckdb.sql(f"""
        SELECT c.claim, x.code_system, x.in_fy2025, x.spine_surgery, x.back_surgery, x.lower_back_condition
        FROM read_csv('{tmp_path / 'claims.csv'}', all_varchar=true) c
        LEFT JOIN read_csv('{tmp_path / 'xw.csv'}', all_varchar=true) x
          ON x.code = upper(replace(trim(c.proc), '.', ''))
        ORDER BY c.claim""").fetchall()
    assert [list(r) for r in joined] == [
        ["1", "icd10pcs", "yes", "yes", "yes", None], ["2", "icd9cm", "no", "yes", "yes", None],
        ["3", "icd10pcs", "yes", "no", "no", None], ["4", "icd10pcs", None, "no", "no", None],
        ["5", "icd10pcs", None, "yes", "yes", None], ["6", "icd10cm", "yes", None, None, "yes"],
        ["7", "icd10pcs", "no", "yes", "no", None]]
