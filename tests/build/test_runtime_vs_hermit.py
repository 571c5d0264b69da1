"""The runtime composition (no Java) must give HermiT's answer for every procedure at every level."""
from __future__ import annotations

from conftest import needs_java

from spinekg.build.crosscheck import compare, level_sites, representatives, runtime_answer

RANGES = [
    ["MotionSegmentT10T11", "MotionSegmentT11T12", "MotionSegmentT12L1", "MotionSegmentL1L2",
     "MotionSegmentL2L3", "MotionSegmentL3L4", "MotionSegmentL4L5", "MotionSegmentL5S1"],  # T10-S1
    ["MotionSegmentT12L1", "MotionSegmentL1L2"],  # T12-L2
    ["MotionSegmentC7T1", "MotionSegmentT1T2"],  # C7-T2
    ["DiscC5C6", "DiscC6C7"],
    ["VertebraS1", "VertebraS2"],
    ["NerveRootL5", "NerveRootS1"],
    ["MotionSegmentC0C1", "MotionSegmentC1C2"],
]


# Every whole-body site is also checked by HermiT with these: the generic operation and non-operation, and
# procedures whose own site requirements (joint, bone, nerve, soft tissue) meet body parts outside the spine.
BODY_PROCEDURES = ["OperativeProcedure", "NonOperativeProcedure", "Arthrodesis", "CervicalLymphNodeDissection"]


def whole_body(ontology_dir, runtime_index):
    """The generated whole-body sites, each with its body-system grouping class (the group it is checked in)."""
    from spinekg.build.templates import module_rows
    from spinekg.tsv import read_tsv

    groups = {row["id"] for row in read_tsv(ontology_dir / "templates" / "body_systems.tsv")}
    body = [row["id"] for row in module_rows("body", ontology_dir / "templates")]
    anatomy = runtime_index["anatomy"]
    return {site: min(groups & (set(anatomy[site]["ancestors"]) | {site}), default="") for site in body}


@needs_java
def test_every_procedure_at_every_site_agrees_with_hermit(asserted_graph, runtime_index, ontology_dir):
    """Every procedure at every spine and back anatomy term (levels, regions, structures outside the spine,
    even the complement classes) and at multi-level ranges; for the ~1,000 whole-body terms, every
    procedure at one representative per body system and signature (what the runtime reads about a site)
    and every whole-body term with BODY_PROCEDURES. One HermiT run, no disagreement allowed."""
    procedures = sorted(runtime_index["procedures"])
    body = whole_body(ontology_dir, runtime_index)
    sites = sorted(set(runtime_index["anatomy"]) - set(body))
    reps = sorted(set(representatives(runtime_index, sorted(body), body).values()))
    assert len(procedures) >= 60 and len(level_sites(runtime_index)) == 108 and len(sites) >= 200
    assert len(body) > 1000 and set(BODY_PROCEDURES) <= set(procedures) and len(reps) >= len(set(body.values()))
    cases = ([(p, [site]) for p in procedures for site in sites + reps] + [(p, r) for p in procedures for r in RANGES]
             + [(p, [site]) for p in BODY_PROCEDURES for site in sorted(set(body) - set(reps))])
    problems = compare(asserted_graph, runtime_index, cases)
    assert problems == [], "\n".join(problems[:30])


def test_whole_body_sites_answer_as_their_representative(runtime_index, ontology_dir):
    """The runtime half of the argument above: every procedure at every whole-body site gives exactly the
    answer it gives at the site's representative (which HermiT checks with every procedure)."""
    body = whole_body(ontology_dir, runtime_index)
    reps = representatives(runtime_index, sorted(body), body)
    differ = [(p, site) for p in sorted(runtime_index["procedures"]) for site, rep in sorted(reps.items())
              if site != rep and runtime_answer(p, [site], runtime_index) != runtime_answer(p, [rep], runtime_index)]
    assert differ == []


@needs_java
def test_crosscheck_detects_a_wrong_runtime_answer(asserted_graph, runtime_index):
    """The comparison is not vacuous: a corrupted index entry is caught."""
    import copy

    broken = copy.deepcopy(runtime_index)
    broken["anatomy"]["DiscC5C6"]["lower_back"] = "yes"  # a lie: C5-C6 is in the neck
    problems = compare(asserted_graph, broken, [("Microdiscectomy", ["DiscC5C6"]), ("Microdiscectomy", ["DiscL4L5"])])
    assert len(problems) == 1 and "DiscC5C6" in problems[0]
