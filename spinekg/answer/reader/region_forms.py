"""Word forms whose combining form shares its letters with a spinal region's adjective.

A word form's stem is matched against the words of the body parts' labels ('tonsill-ectomy' → Tonsils). The region
adjectives ('lumbar', 'cervical', 'thoracic', 'sacral') are such words ('Lumbar Vertebra', 'Cervical Nerve'), so
'lumb-otomy' was read as a Division of the lumbar vertebrae, discs, cord and nerves: a lumbar spinal operation
(yes/yes). But a combining form names an organ or a region, never every structure its adjective qualifies:
'lumb/o' is the loin ('lumbotomy': the lumbar body wall cut into, to reach the kidney), 'cervic/o' the neck or the
uterine cervix, 'thorac/o' the chest, 'sacr/o' the sacrum. So the region adjectives among the stem's words are left
out: the other words it opens name the site ('cervic-' → cervix, 'sacr-' → sacrum and the sacroiliac joint), and
a stem that opens only region adjectives names the region, as the region word alone does ('lumbotomy' as 'lumbar
incision': somewhere in the lower back, spine open).

An incision word form that names no site of its own after 'via' or 'through' is how the operation named before it
was reached ('pyeloplasty via dorsal lumbotomy'), as 'via flank incision' is (notes.approach_incisions).

'Dorsal' (or 'ventral') right before such a form that names another region is the side of the body wall cut into
('dorsal lumbotomy': the posterior lumbotomy), not the thoracic spine as 'dorsal' alone reads ('dorsal lumbotomy'
was depends/depends: thoracic and lumbar together)."""
from __future__ import annotations

from .lexicon import Lexicon
from .regions import REGIONS

INCISION_SUFFIXES = ("otomy",)  # cutting into: an approach when it names no site of its own
SIDE_WORDS = ("dorsal", "ventral")  # before a region's combining form: which side of the body wall


def region_forms(items: list, lex: Lexicon) -> None:
    """The rule of the docstring, on a text's items (in place): a word form's region adjectives are not its sites."""
    for at in range(len(items) - 1, -1, -1):
        item = items[at]
        if item.kind != "op" or not item.entries or any(e[0] != "morph" for e in item.entries):
            continue
        form = item.entries[0][1]
        site = form["site"]
        if not site or form["prefix"] or not site["parts"]:
            continue
        words = lex.stem_words(site["label"])
        regional = [w for w in words if w in REGIONS]
        if not regional:
            continue
        parts = sorted({p for w in words if w not in REGIONS for p in lex.label_words[w]})
        kept = {**site, "parts": parts, "systems": "".join(sorted({p[0] for p in parts}))} if parts else None
        item.entries = [["morph", {**e[1], "site": kept}] for e in item.entries]
        if kept is None:
            region = min(regional, key=len)  # 'lumb-' opens 'lumbar' and 'lumbosacral': the region itself
            items.insert(at, type(item)("region", region, [["region", REGIONS[region]]],
                                        note=f"{item.words!r}: '{site['label']}-' names the {region} region, no structure"))
            _side_word(items, at - 1, region)


def _side_word(items: list, at: int, region: str) -> None:
    """'dorsal' right before a combining form's region (at ``at``): the side cut into (see the docstring), in place."""
    if at >= 0 and items[at].kind == "region" and items[at].words in SIDE_WORDS and items[at].words != region:
        side = items[at]
        side.kind, side.entries = "approach", [["wappr", ""]]
        side.note = f"{side.words!r} before the {region} region's combining form: the side cut into, not a region"


def incision_form(item) -> bool:  # type: ignore[no-untyped-def]
    """An '-otomy' word form naming no site of its own ('lumbotomy' once its region is apart): an incision."""
    forms = [e[1] for e in item.entries if e[0] == "morph"] if item.kind == "op" else []
    return bool(forms) and len(forms) == len(item.entries) and all(
        f["suffix"] in INCISION_SUFFIXES and not (f["site"] or {}).get("parts") for f in forms)
