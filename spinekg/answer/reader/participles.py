"""A past participle before the operation it describes is that operation's adjective, not an operation of its own.

``words.participle`` reads a participle as the operation it is the verb of, because narrative notes put the verb after
what was done ('nerve root decompressed', 'durotomy repaired', 'L4-5 fracture fixed'). Before another operation word
of its list entry, with only words the reader does not know between them, it describes that operation instead, as an
English adjective stands before its noun: 'Radiofrequency controlled thermal denervation of spinal facet joint' (the
wording of a UK classification) had read 'controlled' as the root operation Control, an open operation on the facet
joint (yes/yes), beside the needle denervation the text names (no/no). A known word between them (a site, a level,
'and', a comma) keeps both operations: 'decompressed and fused', 'excised, then fused'."""
from __future__ import annotations

from .lists import list_entries
from .words import VERB_NOTE


def adjective_participles(items: list) -> None:
    """Make each participle read as an operation an unknown word (in place) where the next known word of its list entry
    is an operation."""
    for entry in list_entries(items):
        for at, item in enumerate(entry):
            if item.kind != "op" or VERB_NOTE not in item.note:
                continue
            following = next((it for it in entry[at + 1:] if it.kind != "unknown"), None)
            if following is not None and following.kind == "op":
                item.kind, item.entries, item.note = "unknown", [], ""
