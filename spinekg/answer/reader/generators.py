"""A stimulator's or pump's generator named as what is operated on ('spinal cord stimulator battery replacement',
'SCS generator change'): the generator lies in a pocket under the skin (ICD-10-PCS inserts a stimulator generator
into Subcutaneous Tissue and Fascia, 0JH), never in the spine, so a spinal site named before it says which
stimulator it drives, not where the operation is done (read as the spinal cord's Replacement it was spine surgery:
yes/depends). The site is reported as the device's; a site outside the spine and the back ('vagus nerve stimulator
battery') is left as it is, as the pocket is no nearer the spine than the device it names."""
from __future__ import annotations

from .lexicon import Lexicon

GENERATOR_WORDS = ("generator", "battery", "batteries")  # the last word of a generator's name
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
        while k >= 0 and items[k].kind == "site" and _spinal(items[k], lex):
            items[k].kind = "dev"
            items[k].note = f"{items[k].words!r} names which device drives the {item.words!r}, not where it lies"
            k -= 1


def _spinal(item, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    parts = [e[1] for e in item.entries if e[0] == "bp"]
    return bool(parts) and not all(p in lex.outside for p in parts)
