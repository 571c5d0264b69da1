"""Text longer than any procedure name (a registry's free-text field, an operative note's procedure section) is read
compositionally, up to the text-chars limit; its errors quote its beginning, not all of it."""
from __future__ import annotations

import pytest

from spinekg.answer.reader import NAME_LIMIT
from spinekg.api import classify
from spinekg.errors import SpinekgError

NOTE = ("PROCEDURE PERFORMED: 1. L4-5 laminectomy with bilateral foraminotomies. 2. L4-5 transforaminal lumbar interbody "
        "fusion with PEEK cage. 3. Posterior spinal instrumentation L4-5 with pedicle screws. 4. Posterolateral arthrodesis "
        "L4-5 with local autograft and allograft. 5. Use of intraoperative neuromonitoring and fluoroscopy. 6. Closure of "
        "the lumbar wound in layers over a subfascial drain, with skin staples and a sterile dressing applied at the end. "
        "Estimated blood loss 250 mL; no complications; the patient went to recovery in stable condition.")


def test_a_procedure_section_longer_than_a_name_is_read():
    assert len(NOTE) > NAME_LIMIT
    verdict = classify(NOTE)
    assert (verdict.spine_surgery, verdict.back_surgery, verdict.regions) == ("yes", "yes", ["lumbar"])
    assert [(r["words"][:2], r["spine_surgery"], r["back_surgery"]) for r in verdict.readings] == [
        (["l4-5", "laminectomy"], "yes", "yes"), (["bilateral", "foraminotomies"], "yes", "yes"),
        (["l4-5", "transforaminal lumbar interbody fusion"], "yes", "yes"), (["posterolateral", "arthrodesis"], "yes", "yes"),
        (["neuromonitoring"], "no", "no"), (["fluoroscopy"], "no", "no"), (["closure", "lumbar"], "depends", "yes"), (["drain", "skin"], "no", "no"),
        (["dressing", "condition"], "no", "no")]


def test_a_long_text_s_error_quotes_its_beginning():
    text = "qwerty zxcvb\n" * 60
    with pytest.raises(SpinekgError) as caught:
        classify(text)
    assert caught.value.message == "unknown procedure 'qwerty zxcvb qwerty zxcvb qwerty zxcvb qwerty zxcvb qwerty zxcvb " \
                                   "qwerty zxcvb qw… (780 characters)'"


def test_text_past_the_limit_is_refused_in_one_line(monkeypatch):
    with pytest.raises(SpinekgError) as caught:
        classify("L4-5 laminectomy. " * 1000)
    assert caught.value.message == ("text: 18,000 characters exceeds the text-chars limit of 10000 "
                                    "(raise it with 'spinekg --limit text-chars=N')")
    monkeypatch.setenv("SPINEKG_LIMITS", "text-chars=20000")
    assert classify("L4-5 laminectomy. " * 1000).regions == ["lumbar"]


def test_the_command_shows_a_long_text_by_its_beginning(cli):
    code, out, err = cli("classify", NOTE)
    assert code == 0 and out.splitlines()[0] == f"{NOTE[:200]}… ({len(NOTE)} characters)"
    assert out.splitlines()[1:4] == ["  procedure:     laminectomy <https://w3id.org/spinekg/Laminectomy>",
                                     "  regions:       lumbar", "  spine surgery: yes"]
    code, out, err = cli("classify", "L4-5 laminectomy. " * 1000)
    assert (code, out, err.strip()) == (2, "", "spinekg: error: text: 18,000 characters exceeds the text-chars limit of "
                                                "10000 (raise it with 'spinekg --limit text-chars=N')")
