"""Content the runtime index must not contradict (found by a newcomer; guarded in general here)."""
from __future__ import annotations


def test_no_procedure_has_both_a_short_and_an_extended_recovery(runtime_index):
    both = sorted(p for p, info in runtime_index["procedures"].items()
                  if {"ShortRecovery", "ExtendedRecovery"} <= set(info["recovery"]))
    assert both == []
    assert runtime_index["procedures"]["AnteriorCervicalDiscectomyAndFusion"]["recovery"] == ["ShortRecovery"]
    assert runtime_index["procedures"]["TransforaminalLumbarInterbodyFusion"]["recovery"] == ["ExtendedRecovery"]


def test_lumbar_stenosis_is_treated_by_decompressions_not_by_abscess_evacuation(runtime_index):
    treated_by = runtime_index["disorders"]["LumbarSpinalStenosis"]["treated_by"]
    assert "EpiduralAbscessEvacuation" not in treated_by
    assert {"Laminectomy", "Laminotomy", "Foraminotomy", "NerveRootDecompression", "LumbarSpinalFusion"} <= set(treated_by)
    assert "EpiduralAbscessEvacuation" in runtime_index["disorders"]["SpinalEpiduralAbscess"]["treated_by"]
