"""Verb-first billing lines ('DRAIN SPINAL ABSCESS', 'Drain epidural abscess'): a chargemaster or claim line may open
with the act as a bare verb. 'drain' is read as the noun elsewhere (a drain left in place: not an operation); as the
text's first word, with what is drained after it, no other operation word and no tube or catheter, it is the act, Drainage."""
from __future__ import annotations

from .lexicon import Lexicon

DRAIN = "drain"
DRAINAGE = "drainage"  # the word table's Drainage row (ICD-10-PCS root operation 9)
OBJECT_KINDS = ("unknown", "site", "region")  # what is drained: 'spinal abscess', 'back', 'lumbar collection'
TUBE_WORDS = frozenset({"tube", "tubes", "catheter", "line"})  # 'DRAIN CHEST TUBE': the drain's own device, a drain placed


def drain_verb(items: list, lex: Lexicon) -> None:
    """'DRAIN SPINAL ABSCESS': the first word 'drain' followed by what it drains (a site or an unread word such as
    'abscess'), in text with no other operation word, is Drainage. 'drain placement', 'lumbar drain', 'Drain' alone
    and 'L4-5 laminectomy. Drain.' keep the noun."""
    words = [it for it in items if it.kind != "level"]
    if len(words) < 2 or words[0].kind != "op" or words[0].words != DRAIN or items[0] is not words[0]:
        return
    if any(it.kind == "op" for it in words[1:]) or words[1].kind not in OBJECT_KINDS \
            or all(it.kind == "region" for it in words[1:]) \
            or any(w in TUBE_WORDS for it in words[1:] for w in it.words.split()):  # 'drain lumbar', 'drain chest tube'
        return
    entries = lex.phrases.get(DRAINAGE)
    if entries:
        first = words[0]
        first.entries = entries
        first.note = first.note or "'drain' opening the text before what is drained: the act (Drainage), not a drain placed"
