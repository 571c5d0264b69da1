"""The look-up key (vocab.normalise): its fast path for ASCII text gives what the general path gives."""
from __future__ import annotations

import random
import string
import unicodedata

from spinekg.vocab import _DASHES, normalise


def general(text: str) -> str:
    """The general path, for every text: NFKC, lower case, one kind of dash, commas as spaces, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().translate(_DASHES).split()).strip(" .;:")


def test_ascii_fast_path_equals_the_general_path():
    rnd = random.Random(13)
    alphabet = string.printable + "\u2013\u2014\u2019\u00e9\u00a0\ufb01"
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(20_000)]
    texts += ["L4-5, TLIF.", "  Excision of Cervical Vertebral Disc, Open Approach ;", ",,,", "ACDF C5\u20136"]
    assert [normalise(t) for t in texts] == [general(t) for t in texts]
    assert normalise("  Excision of Cervical Vertebral Disc, Open Approach ;") == "excision of cervical vertebral disc open approach"
    assert normalise("ACDF C5\u20136") == "acdf c5-6"
