"""'Thoracic epidural', 'labour epidural', 'T8-9 epidural': an anaesthetist's list names the epidural anaesthetic (or
analgesia) by its route alone. Elsewhere 'epidural' is an adjective of what is operated on ('epidural abscess',
'evacuation of epidural haematoma'), so it is read as the anaesthetic only where nothing else in its list entry is an
operation or a structure: the entry holds 'epidural' and at most regions, levels, sides and the words of ANALGESIA_WORDS
(before its purpose, 'for ...').
Unread, such an entry was not understood ('unknown procedure'); read, it is the word table's non-operative 'epidural
anesthetic' row, whose levels stay its own (notes.anesthetic)."""
from __future__ import annotations

from .lexicon import Lexicon
from .lists import list_entries

EPIDURAL = "epidural"
ANESTHETIC_ROW = "epidural anesthetic"  # the word table's row (flag 'anesthetic')
NOTE = "'epidural' named alone in a list entry: the epidural anaesthetic or analgesia, not an operation"
# what may stand beside it in its entry: whom or what it is for, and how it runs
ANALGESIA_WORDS = frozenset({"labour", "labor", "obstetric", "continuous", "catheter", "analgesia", "high", "low", "mid"})
BESIDE_KINDS = ("region", "level", "lat", "fill")
ENTRY_ENDS = frozenset({",", ";", "+", "/", "&"})
BRACKETS = frozenset({"(", ")"})  # around a side or a name beside it ('Labor epidural (R)', '… (Dr Jones)')


def epidural_anesthetics(items: list, lex: Lexicon) -> None:
    """Mark each list entry that is 'epidural' alone (see the module's docstring) as the epidural anaesthetic."""
    if not any(it.words == EPIDURAL for it in items):
        return
    entries = lex.phrases.get(ANESTHETIC_ROW)
    if not entries:
        return
    for entry in list_entries(items, ENTRY_ENDS):
        purpose = next((k for k, it in enumerate(entry) if it.kind == "ind"), len(entry))
        entry = entry[:purpose]  # 'thoracic epidural for post-op pain': what it is for is no operation
        found = [it for it in entry if it.words == EPIDURAL and it.kind in ("unknown", "site")]
        if len(found) == 1 and all(it is found[0] or it.kind in BESIDE_KINDS or it.words in ANALGESIA_WORDS
                                   or it.words in BRACKETS for it in entry):
            found[0].kind, found[0].entries, found[0].note = "op", entries, NOTE
