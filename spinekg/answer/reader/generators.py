"""A stimulator's or pump's generator named as what is operated on ('spinal cord stimulator battery replacement',
'SCS generator change'): the generator lies in a pocket under the skin (ICD-10-PCS inserts a stimulator generator
into Subcutaneous Tissue and Fascia, 0JH), never in the spine, so a spinal site named before it says which
stimulator it drives, not where the operation is done (read as the spinal cord's Replacement it was spine surgery:
yes/depends), nor does an abbreviation naming the stimulator's implantation ('SCS generator replacement'). The site
is reported as the device's; a site outside the spine and the back ('vagus nerve stimulator
battery') is left as it is, as the pocket is no nearer the spine than the device it names. The other part named
apart from its device, the catheter of an implanted pump, is read with it (``device_catheters``). A *change* of such a
device ('SCS battery change', 'baclofen pump change') is its Replacement (``implant_changes``)."""
from __future__ import annotations

from .adjuncts import OBJECT_LINKS  # between a change and what it changes
from .lexicon import Lexicon

GENERATOR_WORDS = ("generator", "battery", "batteries")  # the last word of a generator's name
CATHETER = "catheter"
BETWEEN = ("unknown", "dev")  # words between the site and the generator ('stimulator', 'neurostimulator')
# The devices ICD-10-PCS's Change codes take (section 0, FY2025: every 'Change … in/on …' title, all by the external
# approach): what is taken out and put back through the skin or an opening without cutting. 'device' alone says no more.
CHANGED_WITHOUT_CUTTING = frozenset({"drainage device", "other device", "feeding device", "endotracheal airway",
                                     "tracheostomy device", "contraceptive device", "pessary", "tympanostomy tube", "device"})
CHANGE = (["root", "2"], ["op", "pcs:2"])  # the entries of 'change' (root operation Change)
REPLACEMENT = "replacement"
CHANGED = "a change of an implanted device"  # the note that says why (decide.by_tables explains it)
NAMING = ("dev", "site", "lat", "level", "region", "unknown")  # items between a change and the device it names


def generator(item) -> bool:  # type: ignore[no-untyped-def]
    """A device item naming a generator ('stimulator generator', 'battery')."""
    return item.kind == "dev" and item.words.split()[-1] in GENERATOR_WORDS


def implanted_devices(items: list, lex: Lexicon) -> None:
    """The rules of the docstring, in place."""
    generator_sites(items, lex)
    device_catheters(items)
    implant_changes(items, lex)


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
        k = at + 1  # 'battery of the spinal cord stimulator': the device's site after its generator, the device after it
        while k < len(items) and items[k].words in OBJECT_LINKS:
            k += 1
        if k > at + 1 and k + 1 < len(items) and items[k].kind == "site" and _spinal(items[k], lex) and items[k + 1].kind == "dev":
            items[k].kind = "dev"
            items[k].note = f"{items[k].words!r} names which device drives the {item.words!r}, not where it lies"


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


def implant_changes(items: list, lex: Lexicon) -> None:
    """'SCS battery change', 'baclofen pump change', 'change of IPG', 'growing rod exchange': Change takes out and puts back
    a device without cutting (ICD-10-PCS root operation 2, which takes only the devices of CHANGED_WITHOUT_CUTTING); an
    implanted generator, pump, rod or prosthesis named with it is cut down to and replaced, its Replacement (read as a
    Change, 'SCS generator change' was no operation where 'SCS generator replacement' was one). A drain, tube or
    catheter changed stays a Change."""
    for at, item in enumerate(items):
        if item.kind != "op" or not item.entries or any(e not in CHANGE for e in item.entries):
            continue
        named = _devices_named(items, at)
        if named and not all(device in CHANGED_WITHOUT_CUTTING for device in named):
            item.entries = [list(e) for e in lex.phrases[REPLACEMENT]]
            item.note = f"{CHANGED} ({named[0]}): its Replacement, as ICD-10-PCS codes it (Change takes only devices changed without cutting)"


def _devices_named(items: list, at: int) -> list[str]:
    """The devices named right before the change at ``at`` ('pump change') or after it ('change of pump', 'changed IPG')."""
    around = []
    k = at - 1
    while k >= 0 and items[k].kind in NAMING:
        around.append(items[k])
        k -= 1
    k = at + 1
    while k < len(items) and items[k].words in OBJECT_LINKS:
        k += 1
    while k < len(items) and items[k].kind in NAMING:
        around.append(items[k])
        k += 1
    return [e[1] for it in around for e in it.entries if e[0] == "dev"]
