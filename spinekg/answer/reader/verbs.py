"""Verb-first billing lines ('DRAIN SPINAL ABSCESS', 'Drain epidural abscess'): a chargemaster or claim line may open
with the act as a bare verb. 'drain' is read as the noun elsewhere (a drain left in place: not an operation); as the
first word of the text or of a list entry, with what is drained after it, no other operation word and no tube or catheter,
it is the act, Drainage."""
from __future__ import annotations

from .adjuncts import adjunct_ops
from .lexicon import Lexicon
from .lists import list_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

DRAIN = "drain"
DRAINAGE = "drainage"  # the word table's Drainage row (ICD-10-PCS root operation 9)
OBJECT_KINDS = ("unknown", "site", "region")  # what is drained: 'spinal abscess', 'back', 'lumbar collection'
BEFORE_VERB = ("lat", "status", "fill")  # a side, a status ('redo', 'urgent') or a filler word may open the entry before it
TUBE_WORDS = frozenset({"tube", "tubes", "catheter", "line"})  # 'DRAIN CHEST TUBE': the drain's own device, a drain placed


def drain_verb(items: list, lex: Lexicon, nonoperative: Callable) -> None:
    """'DRAIN SPINAL ABSCESS': the first word 'drain' followed by what it drains (a site or an unread word such as
    'abscess'), in text with no other operation word, is Drainage. 'drain placement', 'lumbar drain', 'Drain' alone
    and 'L4-5 laminectomy. Drain.' keep the noun. Each entry of a list is such a text ('1. Drain epidural abscess',
    '…; drain back abscess': after ';' or a list number, the noun had been read, no/no where the text alone said depends)."""
    adjuncts = adjunct_ops(items, nonoperative)  # ('DRAIN SPINAL ABSCESS with neuromonitoring': no other act)
    for entry in list_entries(items):
        _drain_entry(entry, lex, adjuncts)


def _drain_entry(items: list, lex: Lexicon, adjuncts: list) -> None:
    at = next((i for i, it in enumerate(items) if it.kind not in BEFORE_VERB), len(items))  # 'Left drain …', 'Redo drain …'
    items = items[at:]
    words = [it for it in items if it.kind != "level"]
    if len(words) < 2 or words[0].kind != "op" or words[0].words != DRAIN or items[0] is not words[0]:
        return
    if any(it.kind == "op" and all(it is not a for a in adjuncts) for it in words[1:]) or words[1].kind not in OBJECT_KINDS \
            or all(it.kind == "region" for it in words[1:]) \
            or any(w in TUBE_WORDS for it in words[1:] for w in it.words.split()):  # 'drain lumbar', 'drain chest tube'
        return
    entries = lex.phrases.get(DRAINAGE)
    if entries:
        first = words[0]
        first.entries = entries
        first.note = first.note or "'drain' opening the text before what is drained: the act (Drainage), not a drain placed"


# 'creation of colostomy', 'formation of end ileostomy', 'stoma formation' aside: a verb of making (a Creation or Bypass
# root-operation word, no procedure of its own) whose object, after 'of', is a named operation (an index entry such as
# 'colostomy', a word form, an ontology procedure) names that operation's act again: one procedure. Read as two, the
# verb had no site of its own ('creation of colostomy' was depends/depends).
MAKING = frozenset({"creation", "formation", "fashioning", "construction"})
# 'removal of cervical cerclage': a removal before an ontology procedure's name undoes that procedure where it was done,
# so the procedure names the site (read as two, the removal had none: depends/depends)
UNDOING = frozenset({"removal"})
NAMED = ("idx", "morph", "proc")  # entries of an operation named by its own word, not a bare root-operation word
BETWEEN = ("fill", "lat", "unknown", "approach")  # 'formation of (an) end colostomy', 'creation of left loop ileostomy'


def making_verbs(items: list) -> None:
    """Drop each verb of making (see above) before 'of' and the operation it makes (``items`` changed in place)."""
    if not any(it.words in MAKING or it.words in UNDOING for it in items):
        return
    for at in range(len(items) - 2, -1, -1):
        verb = items[at]
        if verb.kind != "op" or verb.words not in MAKING | UNDOING or items[at + 1].words != "of":
            continue
        j = at + 2
        while j < len(items) and items[j].kind in BETWEEN and items[j].words not in (",", ";"):
            j += 1
        named = NAMED if verb.words in MAKING else ("proc",)
        if j < len(items) and items[j].kind == "op" and any(e[0] in named for e in items[j].entries):
            del items[at:at + 2]
