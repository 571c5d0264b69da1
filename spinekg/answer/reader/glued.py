"""Words a hurried note runs together ('L4-5lami', 'L45lami', 'C5-6,C6-7ACDF', 'L3-4XLIF', 'lumbarfusion'): typed without
the space, the level or the region word and the operation word after it were one unknown token (not understood, or
a level with no procedure). A level followed by three or more letters, and a spinal region word followed by a word the
lexicon knows (the whole token not one itself: 'lumbarpuncture' is a glued name the tables spell), are written apart.
So is a count run into the operation word before it ('CABGx2', 'ACDFx2': not understood), when that word is a phrase
of the lexicon ('CABG x2' was read). Two words joined by '&' with no space ('incision&drainage', a chargemaster's
'LAMINECTOMY&FUSION') are written apart, unless the lexicon has the token ('i&d', 't&a')."""
from __future__ import annotations

from .. import regex
from .regions import REGIONS

# a level, a range or two levels run together ('l4-5', 'l5s1', 'l45') right before a word of 3+ letters ('lami', 'acdf');
# 's2ai' (S2 alar-iliac) and 't1w' (an MRI weighting) have fewer letters and stay as they are
_LEVEL_WORD_RE = regex.compile(r"(?<![a-z0-9])([ctls]\d{1,2}(?:[-/]?[ctls]?\d{1,2})?)(?=[a-z]{3,}(?![a-z0-9]))")
_REGION_WORDS = sorted((r for r in REGIONS if " " not in r and len(r) >= 6 and r != "dorsal"), key=len, reverse=True)
_DIGIT_WORD_RE = regex.compile(r"\d[a-z]{3}")  # what every glued level has: a digit right before three letters
_REGION_WORD_RE = regex.compile(r"\b(" + "|".join(_REGION_WORDS) + r")([a-z]{4,})\b")
_GLUED_REGION_RE = regex.compile("(?:" + "|".join(_REGION_WORDS) + ")[a-z]")  # a quick test before the one above
_GLUED_COUNT_RE = regex.compile(r"\b([a-z][a-z&]{2,})x(\d{1,2})\b")  # 'cabgx3'
_COUNT_HINT_RE = regex.compile(r"[a-z]x\d")  # its quick test
# two words joined by '&' with no space ('incision&drainage', 'laminectomy&fusion'): the token is one unknown word where
# the lexicon has no such name ('i&d', 't&a' are names: their letters are single)
_AMPERSAND_RE = regex.compile(r"\b([a-z]{3,})&([a-z]{3,})\b")


def apart(spelt: str, lexicon) -> str:  # type: ignore[no-untyped-def]
    """Spelt text with the run-together words of the docstring written apart (``lexicon``: gives the lexicon, asked
    only when a region word is run into another)."""
    # (cheap tests first: this runs for every text read)
    if _DIGIT_WORD_RE.search(spelt):
        spelt = _LEVEL_WORD_RE.sub(lambda m: m[1] + " ", spelt)  # a function: a template would import re (answer.regex)
    if _GLUED_REGION_RE.search(spelt) and (glued := list(_REGION_WORD_RE.finditer(spelt))):
        phrases = lexicon().phrases
        for m in reversed(glued):
            if m[0] not in phrases and m[2] in phrases:
                spelt = f"{spelt[:m.start()]}{m[1]} {m[2]}{spelt[m.end():]}"
    if "&" in spelt:
        phrases = lexicon().phrases
        spelt = _AMPERSAND_RE.sub(lambda m: m[0] if m[0] in phrases else f"{m[1]} & {m[2]}", spelt)
    if _COUNT_HINT_RE.search(spelt):
        phrases = lexicon().phrases
        spelt = _GLUED_COUNT_RE.sub(lambda m: f"{m[1]} x{m[2]}" if m[1] in phrases else m[0], spelt)
    return spelt
