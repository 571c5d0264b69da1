"""HermiT over the shipped ontology: consistent, nothing unsatisfiable, no unintended equivalences,
the intended hierarchy, and a shipped runtime index that is exactly what a fresh build produces."""
from __future__ import annotations

from conftest import needs_java


@needs_java
def test_consistent_no_unsatisfiable_no_equivalences(reasoned):
    assert reasoned.classification.unsatisfiable == set()
    assert reasoned.classification.equivalents == []


@needs_java
def test_inferred_hierarchy_places_key_procedures(reasoned):
    anc = reasoned.classification.ancestors
    assert {"BackSurgery", "SpineSurgery", "LumbarSpineSurgery"} <= anc["LumbarMicrodiscectomy"]
    acdf = anc["AnteriorCervicalDiscectomyAndFusion"]
    assert {"SpineSurgery", "CervicalSpineSurgery", "NotBackSurgery"} <= acdf and "BackSurgery" not in acdf
    assert {"BackSurgery", "NotSpineSurgery"} <= anc["SacroiliacJointFusion"]
    assert {"SpineSurgery", "NotBackSurgery"} <= anc["Coccygectomy"]
    assert {"NotSpineSurgery", "NotBackSurgery"} <= anc["LumbarPuncture"]
    assert {"NotSpineSurgery", "NotBackSurgery"} <= anc["Thoracotomy"]
    laminectomy = anc["Laminectomy"]
    assert "SpineSurgery" in laminectomy and not {"BackSurgery", "NotBackSurgery"} & laminectomy
    assert {"EndoscopicSpineSurgery", "MinimallyInvasiveSpineSurgery"} <= anc["EndoscopicDiscectomy"]
    assert "MinimallyInvasiveSpineSurgery" in anc["Microdiscectomy"]
    assert "OpenSpineSurgery" not in anc["TransforaminalLumbarInterbodyFusion"]  # open or MIS: not decided
    assert "SpineSurgeon" in anc["OrthopaedicSpineSurgeon"]
    assert "LowerBackCondition" in anc["LumbarSpinalStenosis"] and "LowerBackCondition" not in anc["CervicalSpinalStenosis"]


@needs_java
def test_anatomy_zones(reasoned):
    anc = reasoned.classification.ancestors
    assert {"LumbarSpineStructure", "LowerBackStructure", "SpinalStructure"} <= anc["DiscL4L5"]
    assert {"LumbarSpineStructure", "LumbosacralJunctionStructure", "LowerBackStructure"} <= anc["DiscL5S1"]
    assert {"ThoracicSpineStructure", "ThoracolumbarJunctionStructure", "NotLowerBackStructure"} <= anc["MotionSegmentT12L1"]
    assert {"LowerBackStructure", "NonSpinalStructure"} <= anc["SacroiliacJoint"]
    assert {"NonSpinalStructure", "NotLowerBackStructure"} <= anc["UterineCervix"]


@needs_java
def test_shipped_runtime_index_is_up_to_date(reasoned, tmp_path):
    from spinekg import __version__
    from spinekg.paths import RUNTIME_INDEX
    from spinekg.build.runtime_index import build_index, index_json

    fresh = index_json(build_index(reasoned.graph, reasoned.classification, reasoned.disjoint_pairs, __version__,
                                   reasoned.within))
    assert fresh == RUNTIME_INDEX.read_text(encoding="utf-8"), "run `spinekg build` and commit spinekg/data/"


@needs_java
def test_zone_disjointness_found_by_hermit(reasoned):
    pairs = {frozenset(p) for p in reasoned.disjoint_pairs}
    assert frozenset(("CervicalSpineStructure", "LowerBackStructure")) in pairs
    assert frozenset(("SpinalStructure", "BackStructureOutsideSpine")) in pairs
    assert frozenset(("LumbarSpineStructure", "LowerBackStructure")) not in pairs
    assert frozenset(("ThoracolumbarJunctionStructure", "LowerBackStructure")) not in pairs
