"""Sites listed with a coordinating word: 'back and neck procedures', 'neck/back surgery', 'back & knee'.

A site word that may or may not be spinal ('back', 'joint') beside another site is usually the head of that one
('metatarsophalangeal (MTP) joint'), so words.specific_sites drops it. Joined to the other site by 'and', 'or',
'&', '+' or '/', it is a site of its own: both are where the procedure is done, and dropping one gave a definite
wrong answer ('Back and neck procedures except spinal fusion', an MS-DRG title, answered back surgery 'no')."""
from __future__ import annotations

COORDINATORS = {"and", "or", "&", "+", "/", "and/or"}
ENTRY_END = frozenset({";"})  # what ends one entry of a list of procedures


def list_entries(items: list, ends: frozenset[str] = ENTRY_END) -> list[list]:
    """The items of each list entry, split at the separator items whose words are in ``ends`` (dropped); each entry is a
    slice, so its items are the text's own (a rule may change them in place)."""
    cuts = [k for k, it in enumerate(items) if it.kind == "sep" and it.words in ends]
    return [items[start + 1:end] for start, end in zip([-1, *cuts], [*cuts, len(items)])]


def mark_listed(items: list, lex, kind_of) -> None:
    """Set ``listed`` on each site item joined to another site item by one coordinating word; give a site listed
    before a procedure named with its own site that procedure's head word (``kind_of``: entries → item kind)."""
    for at in range(len(items) - 3, -1, -1):
        head = shared_head(items[at:at + 3], lex, kind_of)
        if head is not None:
            items.insert(at + 1, head)
    for before, join, after in zip(items, items[1:], items[2:]):
        if before.kind == "site" and after.kind == "site" and join.kind in ("sep", "fill") and join.words in COORDINATORS:
            before.listed = after.listed = True


def shared_head(three: list, lex, kind_of):
    """The operation item a site shares with 'site <and> <site words> <head>' ('neck and back surgery': 'surgery'), else None."""
    site, join, op = three
    if site.kind != "site" or join.words not in COORDINATORS or join.kind not in ("sep", "fill") or op.kind != "op":
        return None
    words = op.words.split()
    for cut in range(len(words) - 1, 0, -1):
        named, head = lex.phrases.get(" ".join(words[:cut])), lex.phrases.get(" ".join(words[cut:]))
        if named and head and kind_of(named) == "site" and kind_of(head) == "op":
            op.listed = True  # it names its own site: it takes no other clause's
            return type(op)("op", " ".join(words[cut:]), head, note=f"the head word of {op.words!r}, shared by {site.words!r}")
    return None
