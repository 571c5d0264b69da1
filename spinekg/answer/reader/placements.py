"""Device-only procedure lines ('O-arm navigated percutaneous pedicle screws T11-L1', 'robotic pedicle screws L4-S1'):
a theatre list may name only the implant, with how it went in. A device beside an approach word or a navigation word
names its placement (Insertion); a device beside a finding ('loose pedicle screws L4-5', 'broken rod') names no act
and stays unread, as does a bare device with a level ('Pedicle screws L4-S1'): a report as often as a plan."""
from __future__ import annotations

from .lexicon import Lexicon

INSERTION = "insertion"  # the word table's Insertion row (ICD-10-PCS root operation H)
HOW_WORDS = frozenset({"navigated", "navigation", "o-arm", "robot", "robotic", "robotically"})  # how it went in
FINDINGS = frozenset({"loose", "loosened", "loosening", "broken", "breakage", "failed", "failure", "malpositioned",
                      "malposition", "misplaced", "prominent", "migrated", "migration", "fractured", "backed", "backout",
                      "pullout", "infected", "painful", "retained", "cut-out", "cutout", "lucency", "halo"})


def _device(item) -> bool:
    return item.kind == "dev" or item.kind == "site" and any(e[0] == "dev" for e in item.entries)


def placed_hardware(items: list, lex: Lexicon) -> None:
    """Text naming a device, no operation and no finding, with an approach word ('percutaneous', 'robotic') or a
    navigation word: an Insertion of that device, read as 'placement of …'."""
    if any(it.kind == "op" for it in items) or not any(_device(it) for it in items):
        return
    words = {w for it in items for w in it.words.split()}
    if words & FINDINGS or not (any(it.kind == "approach" for it in items) or words & HOW_WORDS):
        return
    entries = lex.phrases.get(INSERTION)
    if not entries:
        return
    at = next(i for i, it in enumerate(items) if _device(it))
    device = items[at]
    items.insert(at, type(device)("op", "placement", entries,
                                  note=f"{device.words!r} with how it went in and no other act: its placement (Insertion)"))
