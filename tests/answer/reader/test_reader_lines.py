"""reader/lines.py: line breaks, runs of spaces and bullets; '&' inside a phrase (grammar._match); 'drain' opening a list
entry (verbs.drain_verb). Each case is checked against the same text written on one line with ';' or single spaces
(two writings of one list, cross-checked), besides its exact answer."""
from __future__ import annotations

import pytest

from spinekg.api import classify
from spinekg.errors import SpinekgError


def _answer(text: str) -> tuple:
    try:
        v = classify(text)
    except SpinekgError as exc:
        return ("error", exc.message)
    return v.spine_surgery, v.back_surgery, tuple(v.regions), tuple(tuple(r["words"]) for r in v.readings)


@pytest.mark.parametrize("text, one_line", [
    ("L4-5 TLIF\nC5-6 ACDF", "L4-5 TLIF; C5-6 ACDF"),  # the C5-6 level had been read as the TLIF's
    ("L4-5 laminectomy\r\nL4-5 posterolateral fusion", "L4-5 laminectomy; L4-5 posterolateral fusion"),
    ("- L4-5 TLIF\n- C5-6 ACDF\n- R TKA", "L4-5 TLIF; C5-6 ACDF; R TKA"),
    ("Procedure:\nL4-5 TLIF\nHistory:\nACDF", "Procedure: L4-5 TLIF; History: ACDF"),
    ("Right\tL4-5\nTLIF", "Right L4-5 TLIF"),  # a line of levels and sides belongs to the next
    ("posterior lumbar fusion\nL4-S1", "posterior lumbar fusion L4-S1"),  # ... and to the line before
    ("Posterior lumbar interbody fusion with\npedicle screws L4-5", "Posterior lumbar interbody fusion with pedicle screws L4-5"),
    ("  left  L  5-S  1  microdiscectomy ", "left L 5-S 1 microdiscectomy"),
    ("  sacro  iliac  joint  fusion ", "sacro iliac joint fusion"),
    ("- S1 jt fusion bilat", "S1 jt fusion bilat"),  # the bullet had been read as a range's dash
    ("Incise & drain lumbar abscess", "Incise and drain lumbar abscess"),
    ("1. Drain epidural abscess", "Drain epidural abscess"),  # a list entry opens with the verb, as the text did
])
def test_a_list_written_over_lines_reads_as_on_one_line(text: str, one_line: str) -> None:
    got, expected = _answer(text), _answer(one_line)
    assert got[:3] == expected[:3]
    assert len(got[3]) == len(expected[3])


def test_exact_answers():
    assert _answer("L4-5 TLIF\nC5-6 ACDF")[:4] == ("yes", "yes", ("cervical", "lumbar"), (("l4-5", "tlif"), ("c5-6", "acdf")))
    assert _answer("Procedure:\nL4-5 TLIF\nHistory:\nACDF")[:3] == ("yes", "yes", ("lumbar",))  # the ACDF was done before
    assert _answer("- S1 jt fusion bilat")[:3] == ("no", "yes", ())  # the sacroiliac joint, not the S1 level
    assert _answer("1. Drain epidural abscess")[:3] == ("depends", "depends", ())  # Drainage, not a drain placed (no/no)
    assert _answer("Excision of Back Subcutaneous Tissue & Fascia, Open Approach")[:2] == ("no", "depends")
    # the exact-name path reports the words on one line too
    assert _answer("Anterior cervical discectomy and\nfusion C5-6")[3] == (("Anterior cervical discectomy and fusion C5-6",),)
