"""The runtime composition (no Java) must give HermiT's answer for every procedure at every level."""
from __future__ import annotations

from conftest import needs_java

from spinekg.build.crosscheck import compare, level_sites

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


@needs_java
def test_every_procedure_at_every_site_agrees_with_hermit(asserted_graph, runtime_index):
    """Every procedure at every anatomy term (levels, regions, structures outside the spine, even the
    complement classes) and at multi-level ranges: one HermiT run, no disagreement allowed."""
    procedures = sorted(runtime_index["procedures"])
    sites = sorted(runtime_index["anatomy"])
    assert len(procedures) >= 60 and len(level_sites(runtime_index)) == 108 and len(sites) >= 200
    cases = [(p, [site]) for p in procedures for site in sites] + [(p, r) for p in procedures for r in RANGES]
    problems = compare(asserted_graph, runtime_index, cases)
    assert problems == [], "\n".join(problems[:30])


@needs_java
def test_crosscheck_detects_a_wrong_runtime_answer(asserted_graph, runtime_index):
    """The comparison is not vacuous: a corrupted index entry is caught."""
    import copy

    broken = copy.deepcopy(runtime_index)
    broken["anatomy"]["DiscC5C6"]["lower_back"] = "yes"  # a lie: C5-C6 is in the neck
    problems = compare(asserted_graph, broken, [("Microdiscectomy", ["DiscC5C6"]), ("Microdiscectomy", ["DiscL4L5"])])
    assert len(problems) == 1 and "DiscC5C6" in problems[0]
