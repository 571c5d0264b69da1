"""A stimulator's or pump's generator named as what is operated on ('spinal cord stimulator battery replacement',
'SCS generator change'): the generator lies in a pocket under the skin (ICD-10-PCS inserts a stimulator generator
into Subcutaneous Tissue and Fascia, 0JH), never in the spine, so a spinal site named before it says which
stimulator it drives, not where the operation is done (read as the spinal cord's Replacement it was spine surgery:
yes/depends), nor does an abbreviation naming the stimulator's implantation ('SCS generator replacement'). The site
is reported as the device's; a site outside the spine and the back ('vagus nerve stimulator
battery') is left as it is, as the pocket is no nearer the spine than the device it names. The other part named
apart from its device, the catheter of an implanted pump, is read with it (``device_catheters``)."""
from __future__ import annotations

from .lexicon import Lexicon

GENERATOR_WORDS = ("generator", "battery", "batteries")  # the last word of a generator's name
CATHETER = "catheter"
BETWEEN = ("unknown", "dev")  # words between the site and the generator ('stimulator', 'neurostimulator')


def generator(item) -> bool:  # type: ignore[no-untyped-def]
    """A device item naming a generator ('stimulator generator', 'battery')."""
    return item.kind == "dev" and item.words.split()[-1] in GENERATOR_WORDS


def generator_sites(items: list, lex: Lexicon) -> None:
    """The rule of the docstring (in place), beside an operation: the spinal sites right before a generator, with only
    unknown words or devices between, become the generator's device words."""
    if not any(it.kind == "op" for it in items):
        return
    for at, item in enumerate(items):
        if not generator(item):
            continue
        k = at - 1
        while k >= 0 and items[k].kind in BETWEEN:
            k -= 1
        acted_on = any(it.kind == "op" for it in items[at + 1:])  # 'SCS generator replacement': the act comes after
        while k >= 0 and (items[k].kind == "site" and _spinal(items[k], lex) or acted_on and _stimulator(items[k])):
            items[k].kind = "dev"
            items[k].note = f"{items[k].words!r} names which device drives the {item.words!r}, not where it lies"
            k -= 1


def device_catheters(items: list) -> None:
    """'intrathecal baclofen pump catheter revision': a catheter named right after an implanted device ('intrathecal
    pump', a site the word table gives the device's) is that device's part, not a bedside catheter (the word table's
    non-operative 'catheter'), when an act on it follows (read as a catheter, it was no operation: no/no). So is one
    named right after a spinal site when a Revision follows ('intrathecal catheter revision'): a bedside catheter is
    replaced or removed, only an implanted device is revised (ICD-10-PCS Revision of an infusion device, 00WU)."""
    for at in range(1, len(items) - 1):
        item, before = items[at], items[at - 1]
        after = items[at + 1:]
        if item.words == CATHETER and item.kind == "op" and (
                any(e[0] == "dev" for e in before.entries) and any(it.kind == "op" for it in after)
                or before.kind == "site" and any(e[0] == "anat" for e in before.entries) and _revised(after)):
            item.kind, item.entries = "dev", [["dev", CATHETER]]
            item.note = f"the catheter of the {before.words!r}: part of the implanted device"


def _revised(after: list) -> bool:
    """The next act is a Revision (root operation W)."""
    act = next((it for it in after if it.kind == "op"), None)
    return act is not None and ["op", "pcs:W"] in act.entries


def _stimulator(item) -> bool:  # type: ignore[no-untyped-def]
    """An operation named only by an ontology procedure, as an abbreviation names one ('SCS': spinal cord stimulator
    implantation), before a generator: which stimulator, once the text names the act on the generator after it."""
    return item.kind == "op" and bool(item.entries) and all(e[0] == "proc" for e in item.entries)


def _spinal(item, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    parts = [e[1] for e in item.entries if e[0] == "bp"]
    return bool(parts) and not all(p in lex.outside for p in parts)
