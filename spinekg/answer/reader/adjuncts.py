"""Non-operative procedures named beside an operation ('L4-5 TLIF; drain', '… and insertion of drain', '… with
neuromonitoring'): an adjunct of the operation, which rules that hold 'where the text names no other operation' (an
implant named alone, a word cut short, an approach that is an operation's word form, a status word that is an
operation) must not count as that other operation (read as one, 'Interspinous spacer L3-4; drain' lost its insertion:
no/no, and 'SCS lead revision; drain' its revision)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

OBJECT_LINKS = {"of", "the", "a", "an"}  # between a verb and what it places ('insertion of drain')
# what joins an adjunct to the operation before it: grammar.JOINS less '/', 'then', 'followed by', a purpose's 'for'
# (which name a procedure of its own, not one beside the operation) and '(' (an aside restating it: asides.py)
JOINS = {"and", "with", "w/", "plus", "&", "+", ",", ";"}


def placing_nonoperative(items: list, at: int, nonoperative: Callable) -> bool:
    """The op at ``at`` is non-operative, or a verb whose object is ('insertion of drain')."""
    after = next((o for o in items[at + 1:] if o.words not in OBJECT_LINKS), items[at])
    return nonoperative(items[at]) or after.kind == "op" and nonoperative(after)


def operative_acts(items: list, nonoperative: Callable) -> list:
    """The operation items that may be operations: not a non-operative one ('neuromonitoring', 'drain'), nor a verb
    placing one ('insertion of drain') (``nonoperative``: an item's test)."""
    return [it for at, it in enumerate(items) if it.kind == "op" and not placing_nonoperative(items, at, nonoperative)]


def adjunct_ops(items: list, nonoperative: Callable) -> list:
    """The operation items that are adjuncts: non-operative (or placing one) and joined to an operation named before them
    ('; drain', 'with neuromonitoring', 'and insertion of drain'), not acting on it ('revision ESI', 'SCS trial')."""
    found, seen_op, joined = [], False, False
    for at, it in enumerate(items):
        if it.kind == "op":
            if seen_op and joined and placing_nonoperative(items, at, nonoperative):
                found.append(it)
                if at + 1 < len(items) and not nonoperative(it):  # the verb's object is part of the adjunct
                    found += [o for o in items[at + 1:at + 4] if o.kind == "op" and nonoperative(o)][:1]
            seen_op, joined = True, False
        elif it.words in JOINS:
            joined = True
    return found
