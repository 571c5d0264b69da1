"""spinekg check: ROBOT-style report on good and broken extensions, and the classification changes."""
from __future__ import annotations

import json

from conftest import REPO, needs_java

EXT = REPO / "tests" / "extensions"


def rows(report):
    return {(r.level, r.rule, r.subject) for r in report.rows}


def test_broken_extension_lexical_and_structural_rules_without_reasoning():
    from spinekg.build.check import check_extension

    report = check_extension(EXT / "broken-extension.ttl", reason=False)
    assert rows(report) == {
        ("ERROR", "missing_label", "spinekg:UnlabelledProcedure"),
        ("ERROR", "duplicate_label", "spinekg:SecondLaminectomy"),
        ("ERROR", "multiple_labels", "spinekg:SecondLaminectomy"),
        ("ERROR", "invalid_xref", "spinekg:BadlyReferencedFusion"),
        ("ERROR", "unknown_xref", "spinekg:BadlyReferencedFusion"),
        ("ERROR", "undeclared_term", "spinekg:LumbarSpien"),
        ("ERROR", "part_of_cycle", "spinekg:PartA"),
        ("WARN", "label_whitespace", "spinekg:SecondLaminectomy"),
        ("WARN", "missing_definition", "spinekg:SecondLaminectomy"),
        ("WARN", "dangling_term", "spinekg:FloatingTerm"),
        ("WARN", "procedure_without_site", "spinekg:BadlyReferencedFusion"),
        ("INFO", "procedure_without_approach", "spinekg:UnlabelledProcedure"),
    }
    values = {r.rule: r.value for r in report.rows}
    assert values["undeclared_term"].endswith("did you mean spinekg:LumbarSpine?")
    assert values["part_of_cycle"] == "spinekg:PartA → part of spinekg:PartB → part of spinekg:PartA"
    assert values["unknown_xref"].startswith("UBERON:9999999 is not in ontology/reference/external_terms.tsv")
    assert report.exit_code == 1


def test_the_unedited_template_warns_about_every_placeholder():
    """Copied and never filled in, the template must not pass silently: each placeholder is a WARN."""
    from spinekg.build.check import check_extension

    report = check_extension(REPO / "ontology" / "extensions" / "TEMPLATE.ttl", reason=False)
    assert [(r.level, r.rule, r.subject, r.property) for r in report.rows] == [
        ("WARN", "template_placeholder", "spinekg:MyNewProcedure", "IAO:0000115"),
        ("WARN", "template_placeholder", "spinekg:MyNewProcedure", "oboInOwl:hasExactSynonym"),
        ("WARN", "template_placeholder", "spinekg:MyNewProcedure", "rdf:type"),
        ("WARN", "template_placeholder", "spinekg:MyNewProcedure", "rdfs:label"),
        ("WARN", "template_placeholder", "spinekg:extensions/my-extension", "rdf:type"),
        ("WARN", "template_placeholder", "spinekg:extensions/my-extension", "rdfs:comment"),
        ("WARN", "template_placeholder", "spinekg:extensions/my-extension", "rdfs:label"),
    ]
    assert report.exit_code == 0  # a WARN: the file is usable, the text is not yet yours


def test_a_filled_in_copy_keeps_only_a_gap_left_in_its_definition(tmp_path):
    from spinekg.build.check import check_extension

    text = (REPO / "ontology" / "extensions" / "TEMPLATE.ttl").read_text(encoding="utf-8")
    for old, new in (("my-extension", "spacer"), ("my extension", "spacer"), ("What this extension adds and why.", "Spacers."),
                     ("MyNewProcedure", "SpacerInsertion"), ("my new procedure", "spacer insertion"),
                     ("another name for it", "spacer implantation"),
                     ("(one sentence that says what it is and where).", "between two spinous processes.")):
        text = text.replace(old, new)
    (tmp_path / "spacer.ttl").write_text(text, encoding="utf-8")
    report = check_extension(tmp_path / "spacer.ttl", reason=False)
    assert [(r.rule, r.subject, r.value) for r in report.rows] == [
        ("template_placeholder", "spinekg:SpacerInsertion",
         "'An operation that ... between two spinous processes.' still has the template's '...' gap")]
    assert check_extension(REPO / "tests" / "extensions" / "good-extension.ttl", reason=False).rows == []


def test_unreadable_and_missing_files_exit_2(cli, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <\n")
    code, out, err = cli("check", str(bad))
    assert (code, out) == (2, "") and err.startswith(f"spinekg: error: {bad}: cannot parse as RDF")
    code, _, err = cli("check", str(tmp_path / "none.ttl"))
    assert (code, err.strip()) == (2, f"spinekg: error: {tmp_path / 'none.ttl'}: no such file")


@needs_java
def test_good_extension_passes_and_lists_new_classifications(cli):
    code, out, err = cli("check", str(EXT / "good-extension.ttl"))
    assert code == 0, err
    assert out.splitlines()[1:] == [
        "0 ERROR, 0 WARN, 0 INFO",
        "classification changes (HermiT, compared with the shipped index):",
        "  + spinekg:ObliqueLumbarInterbodyFusion (oblique lumbar interbody fusion): spine surgery yes",
        "  + spinekg:ObliqueLumbarInterbodyFusion (oblique lumbar interbody fusion): back surgery yes",
        "  + spinekg:SacroiliacJointDenervation (sacroiliac joint radiofrequency denervation): spine surgery no",
        "  + spinekg:SacroiliacJointDenervation (sacroiliac joint radiofrequency denervation): back surgery no",
        "  + spinekg:ThoracicEndoscopicDiscectomy (thoracic endoscopic discectomy): spine surgery yes",
        "  + spinekg:ThoracicEndoscopicDiscectomy (thoracic endoscopic discectomy): back surgery no",
    ]


@needs_java
def test_unsatisfiable_class_is_an_error_with_the_axioms_behind_it(cli):
    code, out, _ = cli("check", str(EXT / "unsatisfiable-extension.ttl"), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert [(r["level"], r["rule"], r["subject"]) for r in data["rows"]] == [
        ("ERROR", "unsatisfiable_class", "spinekg:ContradictoryDiscectomy")]
    axioms = data["explanations"]["ContradictoryDiscectomy"]
    assert "'contradictory discectomy' subClassOf 'has site' only 'lumbar spinal structure'" in axioms
    assert "'contradictory discectomy' subClassOf 'has site' some 'thoracic intervertebral disc'" in axioms
    assert any(a.startswith("DisjointClasses(") and "'thoracic spinal structure'" in a for a in axioms)
    assert data["changes"] == []


@needs_java
def test_a_profile_that_redefines_the_lower_back_is_explained(cli):
    code, out, _ = cli("check", str(EXT / "naive-thoracolumbar-profile.ttl"), "--format", "json")
    assert code == 1
    data = json.loads(out)
    unsat = sorted(r["subject"] for r in data["rows"] if r["rule"] == "unsatisfiable_class")
    assert unsat == ["spinekg:DiscT12L1", "spinekg:MotionSegmentT12L1"]
    assert "'lower back structure' disjointWith 'upper back structure'" in data["explanations"]["MotionSegmentT12L1"]


@needs_java
def test_checking_a_builtin_profile_shows_what_it_changes():
    from spinekg.build.check import check_extension

    report = check_extension(REPO / "ontology" / "profiles" / "whole-site.ttl")
    assert report.exit_code == 0
    changed = {(c.term, c.before, c.after) for c in report.changes if c.question == "back surgery"}
    assert ("PosteriorThoracolumbarFusion", "yes", "no") in changed
    assert ("LumbarMicrodiscectomy", "yes", "depends") in changed
