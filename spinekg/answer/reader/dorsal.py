"""Dorsal vertebrae: 'D12', 'D11-D12', 'D12-L1', 'D4-6', as much of Europe and South Asia numbers the thoracic spine.

'D' with a number has other meanings in surgical text: the parts of the duodenum ('biopsy of D2'), the extent of a
lymph node dissection ('D2 gastrectomy'), fluids ('D50'). So a D level is read as a T level only where the text says it
means the spine: a range to another level ('D11-D12', 'D12-L1', 'D4-6'), another vertebral level in the text
('fixation D12 L1'), or a word that names the spine, a vertebra or its parts, a spinal fracture or deformity, or an
operation done only on the spine ('D12 burst fracture fixation', 'D4 corpectomy', 'dorsal spine decompression
D6-D8'); and no word of the other meanings ('D1/D2 lymphadenectomy'). Anything else stays as written.
"""
from __future__ import annotations

from .. import regex
from .regions import SPINAL_WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from re import Match

# words naming the spine, a vertebra or its parts, a vertebral fracture, or an operation done only on the spine
DORSAL_CONTEXT = SPINAL_WORDS | {
    "dorsal", "dorsolumbar", "vertebra", "vertebrae", "pedicle", "pedicles", "lamina", "facet", "disc", "disk",
    "fracture", "burst", "wedge", "kyphosis", "scoliosis", "corpectomy", "vertebrectomy", "laminectomy", "laminotomy",
    "hemilaminectomy", "laminoplasty", "discectomy", "microdiscectomy", "kyphoplasty", "vertebroplasty", "costotransversectomy",
}
# words of the other meanings of a D and a number: the duodenum's parts, a lymph node dissection's extent
OTHER_MEANINGS = {"duodenum", "duodenal", "gastrectomy", "lymphadenectomy", "lymph", "node", "nodes", "nodal", "dissection",
                  "esophagectomy", "oesophagectomy", "endoscopy", "egd", "ogd", "dextrose"}
_LEVEL = r"(?<![a-z0-9&])d(1[0-2]|[1-9])(?![0-9a-z&])"
_DORSAL_RE = regex.compile(rf"{_LEVEL}(?:\s*(?:-|/|to)\s*(?P<lower>(?:d|t|l)?(?:1[0-2]|[1-9]))(?![0-9a-z]))?")
_WORD_RE = regex.compile(r"[a-z]+")
_D_DIGIT_RE = regex.compile(r"d[1-9]")
_VERTEBRAL_RE = regex.compile(r"(?<![a-z0-9])(?:c[1-7]|t(?:1[0-2]|[1-9])|l[1-5]|s[1-5])(?![0-9a-z])")


def may_hold(spelt: str) -> bool:
    """Whether ``spelt`` (lower case) may hold a D level: a cheap test, so that most texts compile no pattern."""
    return "d" in spelt and _D_DIGIT_RE.search(spelt) is not None


def dorsal_levels(spelt: str) -> str:
    """``spelt`` with its D levels written as T levels where it names the spine (see above); else as it is."""
    found = list(_DORSAL_RE.finditer(spelt))
    if not found:
        return spelt
    words = set(_WORD_RE.findall(spelt))
    if not OTHER_MEANINGS.isdisjoint(words):
        return spelt
    if not any(m.group("lower") for m in found) and DORSAL_CONTEXT.isdisjoint(words) and not _VERTEBRAL_RE.search(spelt):
        return spelt
    return _DORSAL_RE.sub(_thoracic, spelt)


def _thoracic(match: Match[str]) -> str:
    text = match.group(0)
    lower = match.group("lower")
    start = text.rfind(lower) if lower else len(text)
    head, tail = text[:start], text[start:]
    return "t" + head[1:] + ("t" + tail[1:] if tail.startswith("d") else tail)
