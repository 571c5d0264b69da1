"""Adjectives that name the spinal bones by what follows them.

- A region adjective before 'fracture' ('lumbar fracture fixation', 'sacral fracture fixation', 'cervical burst
  fracture'): a fracture is the break of a bone, and the one bone a region adjective names is that region's vertebra
  (the sacrum, the coccyx). Read as the region alone it left the spine open: 'lumbar fracture fixation' was
  depends/yes, 'thoracic fracture fixation' depends/depends ('lumbar spine fracture' was already yes/yes). A junction's
  adjective names the junction ('thoracolumbar fracture fixation' was depends/depends: now spine yes, back as the
  junction is, depends).
- 'spinal' (or another adjective of SPINE_ADJECTIVES: 'intervertebral cage insertion', 'vertebral fixation') right
  before an operation word ('spinal fixation', 'spinal excision', 'spinal debridement'), which the
  lexicon does not know as one phrase: the spine is the site, as 'spine fixation' and 'fixation of spine' read ('spinal'
  was an unused word, the site open: depends/depends). Only before a root operation, which names no site: a procedure
  names its own ('spinal thoracotomy' is no spine surgery, 'spinal ALIF' keeps its lumbar region).
- 'spinal' before a word for a lesion that the lexicon does not know ('excision of spinal lesion', 'drainage of spinal
  abscess', 'evacuation of spinal haematoma'): the lesion is in the spine, as 'excision of spinal tumour' reads (was
  depends/depends).
- 'spinal' right before a fixation device or implant ('removal of spinal hardware', 'spinal rod removal', 'interspinous
  spacer'; the device word may be an operation too, 'spinal instrumentation'): the device is in the spine, as 'spine
  hardware' reads; 'spinal' was an unused word and the removal's site open (depends/depends). So is a wound ('washout of
  infected spinal wound'): the wound of an operation on the spine.
- 'pedicle' beside a flap or graft is the flap's stalk of tissue ('pedicle or flap graft'), not the vertebra's.
Words that may stand between the adjective and 'fracture' are the fracture's kind ('burst', 'compression',
'osteoporotic'), words the reader does not know; a known site or operation between them ends the rule, and so does a
bone named after 'fracture of' ('cervical fracture of the femur': the femoral neck's)."""
from __future__ import annotations

from .lexicon import Lexicon
from .regions import SPINAL_WORDS

FRACTURE_WORDS = ("fracture", "fractures", "fx")
# the bone each region adjective names before 'fracture' (lexicon phrases of the vertebrae)
REGION_BONES = {"cervical": "cervical vertebra", "thoracic": "thoracic vertebra", "lumbar": "lumbar vertebra", "sacral": "sacrum", "coccygeal": "coccyx",
                # a junction's fracture is of the vertebrae that meet there ('thoracolumbar burst fracture': T11-L2)
                "thoracolumbar": "thoracolumbar junction", "cervicothoracic": "cervicothoracic junction",
                "lumbosacral": "lumbosacral junction"}
KIND_WORDS = 2  # at most this many unknown words between the adjective and 'fracture' ('burst', 'osteoporotic compression')
FIXATION_DEVICES = {"hardware", "instrumentation", "screw", "pedicle screw", "rod", "plate", "cage", "spacer", "device"}
SPINE = "spine"  # the lexicon phrase 'spinal' names before a device
# adjectives that, like 'spinal', name the spine (or a space only it has) before an operation word, a lesion or a device:
# 'intervertebral cage insertion', 'vertebral fixation' ('paraspinal' is beside it: the back's muscles)
SPINE_ADJECTIVES = frozenset(SPINAL_WORDS - {"spine", "paraspinal", "foraminal", "extraforaminal"})
# what a lesion is called where the text does not say what it is (US spelling: text.spell); 'spinal tumour' is a phrase
LESION_WORDS = frozenset({"lesion", "lesions", "cyst", "cysts", "mass", "masses", "abscess", "hematoma", "collection",
                          "neoplasm", "nodule", "growth"})


def spinal_bones(items: list, lex: Lexicon) -> None:
    """The rules of the docstring, on a text's items (in place)."""
    flap_pedicles(items, lex)
    for at, item in enumerate(items):
        if item.kind == "region" and item.words in REGION_BONES:
            nxt = next((j for j in range(at + 1, min(at + 2 + KIND_WORDS, len(items))) if items[j].kind != "unknown"), None)
            if nxt is not None and items[nxt].words in FRACTURE_WORDS and not _of_bone(items, nxt + 1):
                bone = REGION_BONES[item.words]
                item.kind, item.entries = "site", [list(e) for e in lex.phrases[bone]]
                item.note = f"{item.words!r} before a fracture: the {bone} (a fracture is a bone's)"
        elif item.kind == "unknown" and item.words in SPINE_ADJECTIVES and at + 1 < len(items):
            after = items[at + 1]
            why = _spinal_before(after)
            if why:
                item.kind, item.entries, item.note = "site", [list(e) for e in lex.phrases[SPINE]], why
                if after.kind == "unknown":  # a lesion word: used, it says what was done there, not where
                    after.kind, after.entries = "mod", [["mod", "spinal"]]


def _spinal_before(after) -> str:  # type: ignore[no-untyped-def]
    """Why 'spinal' right before ``after`` names the spine (see the docstring), or '' where it does not."""
    if after.kind in ("dev", "op") and any(e[0] == "dev" and e[1] in FIXATION_DEVICES for e in after.entries):
        return "a spinal adjective before a fixation device: the device is in the spine"
    if after.kind == "op" and all(e[0] in ("op", "root", "status") for e in after.entries):  # no site of its own
        return "a spinal adjective before an operation: its site, as in 'spine fixation'"
    if after.kind == "unknown" and after.words in LESION_WORDS:
        return f"a {after.words} of the spine"
    if after.words == WOUND:  # 'washout of infected spinal wound'
        return "a spinal wound: the wound of an operation on the spine"
    return ""


WOUND = "wound"  # the word table's filler: where it is, the words beside it say


FLAP_WORDS = frozenset({"flap", "flaps", "graft", "grafts"})
PEDICLE = "pedicle"


def flap_pedicles(items: list, lex: Lexicon) -> None:
    """'pedicle' beside a flap or graft ('pedicle flap', 'pedicle or flap graft', ICD-9-CM's 'Pedicle grafts or flaps')
    is the flap's stalk of living tissue, not the vertebra's pedicle: a word not read (the vertebral pedicle had made a
    skin flap spine surgery, yes/depends)."""
    pedicle = lex.phrases.get(PEDICLE)
    for at, item in enumerate(items):
        if item.kind == "site" and item.entries == pedicle:  # (also as repaired: 'edicle')
            near = [it.words for it in items[max(0, at - 2):at + 3] if it is not item and it.words not in ("or", "and")]
            if FLAP_WORDS.intersection(near):
                item.kind, item.entries, item.note = "unknown", [], "a flap's pedicle, not the vertebra's"


def _of_bone(items: list, at: int) -> bool:
    """'of' (and 'the') at ``at`` before a site: the fracture's bone is named there."""
    if at >= len(items) or items[at].words != "of":
        return False
    at += 1 + (at + 1 < len(items) and items[at + 1].words == "the")
    return at < len(items) and items[at].kind == "site"
