"""A word the reader does not know alone may make, with the operation of its clause, a name the lexicon knows.

'Rhizotomy of lumbar facet joint, radiofrequency', 'rhizotomy L4-5 RF', 'medial branch neurotomy by radiofrequency':
registries and coders write the energy or technique after the operation and its site, where clinicians write it
before ('radiofrequency rhizotomy', a needle ablation and not an operation). Read apart, 'rhizotomy' was a Division
of the nerve root (an open operation: spine surgery yes) and 'radiofrequency' an unused word. The pair is read as the
lexicon's name for it, wherever in the clause the word stands: the lexicon, not this module, says which pairs there
are (its phrase rows 'radiofrequency rhizotomy', 'RF neurotomy' …), so a new row is read in every word order."""
from __future__ import annotations

from .lexicon import Lexicon
from .lists import list_entries

OPERATION_KINDS = ("proc", "root", "op", "idx")


def technique_names(items: list, lex: Lexicon, adjuncts: tuple | list = ()) -> None:
    """Give an operation the entries of '<word> <operation>' when an unknown word of its list entry makes that phrase and
    the entry names no other operation (but ``adjuncts``: 'rhizotomy L4-5 RF with neuromonitoring', adjuncts.py); the
    word is then used (kind 'mod'), not reported as unknown."""
    if not any(it.kind == "unknown" for it in items):
        return
    for entry in list_entries(items):  # a technique word never crosses into the next list entry
        ops = [it for it in entry if it.kind == "op" and all(it is not a for a in adjuncts)]
        if len(ops) != 1:
            continue
        op = ops[0]
        for it in entry:
            if it.kind != "unknown" or it is op:
                continue
            found = lex.phrases.get(f"{it.words} {op.words}")
            if found and any(e[0] in OPERATION_KINDS for e in found) and found != op.entries:
                op.entries = [e for e in found if e[0] in OPERATION_KINDS]
                op.note = op.note or f"{op.words!r} with {it.words!r}: {it.words} {op.words}"  # (a typo's note first)
                it.kind, it.entries = "mod", [["mod", op.words]]
                break
