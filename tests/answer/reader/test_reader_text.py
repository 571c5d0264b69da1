"""Spelling normalisation (reader/text.py): its shortcut for text with no UK form changes no text."""
from __future__ import annotations

import random

from spinekg.answer.reader import text as spelling


def plain(text: str) -> str:
    """spell() without the shortcut: every text scanned for UK forms."""
    text = text.lower().replace("(s)", "s")
    text = spelling._SPELL_RE.sub(lambda m: spelling._US[m.group(0)], text)
    return spelling._DIGRAPH_RE.sub("e", text) if "ae" in text or "oe" in text else text


def test_every_uk_form_holds_a_hint():
    assert all(any(hint in uk for hint in spelling._UK_HINTS) for uk, _ in spelling.SPELLING)


def test_spell_equals_the_plain_scan():
    rnd = random.Random(5)
    words = [uk for uk, _ in spelling.SPELLING] + ["L4-5", "tumour", "Stabilisation", "FIBRE", "laminectomy", "(s)", "of",
                                                   "paediatric", "oesophagectomy", "gastro-oesophageal", "anaemia", "centre"]
    texts = [" ".join(rnd.choice(words) + rnd.choice(["", "s", "ed", "x"]) for _ in range(rnd.randint(1, 6))) for _ in range(5000)]
    assert [spelling.spell(t) for t in texts] == [plain(t) for t in texts]
    assert spelling.spell("Lumbar Stabilisation for Tumour (Centre)") == "lumbar stabilization for tumor (center)"
