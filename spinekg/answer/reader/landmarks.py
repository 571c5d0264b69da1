"""A lesion named by where it lies on the surface: 'excision of lipoma over the sacrum', 'cyst over L4 spinous
process', 'sebaceous cyst overlying the lumbar spine'. The bone or level after 'over' is a landmark for the skin and
the tissue above it, not what is operated on (read as the site, 'lipoma over the sacrum' was an Excision of the
sacrum: spine surgery yes). A spinal landmark is kept as its region where it names one ('the lumbar spine', 'the
sacrum': the region, the spine there or the tissue around it) and is otherwise reported, never deciding (a level:
'over L4'); a landmark outside the spine and the back ('over the scapula') stays the site, as the tissue over it is
no nearer the spine."""
from __future__ import annotations

from .lexicon import Lexicon
from .regions import REGIONS

OVER = ("over", "overlying")
LESION_KINDS = ("unknown", "dis")  # the lesion before 'over' ('lipoma', 'cyst', 'abscess'): a word the reader does not read as a site
LANDMARK_KINDS = ("site", "level", "fill")


def surface_landmarks(items: list, lex: Lexicon) -> None:
    """The rule of the docstring, on a text's items (in place), beside an operation."""
    if not any(it.kind == "op" for it in items):
        return
    regions = set(REGIONS.values())
    for at in range(1, len(items)):
        if items[at].words not in OVER or items[at - 1].kind not in LESION_KINDS:
            continue
        run = []
        for item in items[at + 1:]:
            if item.kind not in LANDMARK_KINDS:
                break
            run.append(item)
        if not any(_spinal(it, lex) for it in run):
            continue
        for item in (it for it in run if it.kind in ("site", "level")):
            region = _region(item, lex, regions)
            item.kind, item.span = ("region", None) if region else ("fill", None)
            item.entries = [["region", region]] if region else []
            item.note = f"{item.words!r}: where the {items[at - 1].words} lies on the surface, not what is operated on"


def _region(item, lex: Lexicon, regions: set[str]) -> str | None:  # type: ignore[no-untyped-def]
    """The spinal region a site landmark lies in: a region term's ('the lumbar spine'), or the region word opening a
    word of every body part's label ('sacrum': sacral, 'coccyx': coccygeal); else None. A level is only reported
    (the reader reads a wording once whatever its levels: reuse.py)."""
    if item.kind == "level":
        return None
    region = next((e[1] for e in item.entries if e[0] == "anat" and e[1] in regions), None)
    labels = [lex.body_parts[e[1]][0].lower().split() for e in item.entries if e[0] == "bp"]
    named = {w for w in REGIONS if " " not in w and labels and all(any(x[:4] == w[:4] for x in label) for label in labels)}
    return region or (REGIONS[min(named, key=len)] if named else None)  # 'sacr-' opens sacral and sacrococcygeal: the region


def _spinal(item, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    if item.kind == "level":
        return True
    parts = [e[1] for e in item.entries if e[0] == "bp"]
    return item.kind == "site" and (not parts or not all(p in lex.outside for p in parts))
