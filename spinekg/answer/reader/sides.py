"""Side words a wording does not depend on: 'left L4-5 TLIF', 'right L4-5 TLIF' and 'bilateral L4-5 TLIF' are one
wording, read once (reuse.py) with the side put back into each text's clause, as levels are.

A side word ('left', 'right', 'bilateral') is *free* where no lexicon phrase can take it with the words beside it: the
lexicon has 'adrenal gland left', 'left atrium', 'bilateral breast', so a side word next to a word that some phrase has
next to a side word (``side_neighbours``, compiled with the lexicon) is not free; phrases skip commas, and so does the
test. A free side word reads as one laterality item whichever side it is, and the grammar reads laterality items by
their kind alone, so a wording's clauses are the same for every side. The wording is read once with each free side word
as a slot ('¶0', '¶1': never a token of text, see text._TOKEN_RE), kept only where the slot stayed a laterality item:
in the clause's words, laterality and indication (anywhere else, such as the words an 'except' leaves unused, the
side could decide, and the text is read with its own sides)."""
from __future__ import annotations

SIDES = frozenset({"left", "right", "bilateral"})


def names_a_side(text: str) -> bool:
    """Whether ``text`` has a side word of its own: no procedure name of the index has one (tests/answer/reader/
    test_reader_sides.py), so such text is never an exact name, and the reader need not look for one first."""
    return not SIDES.isdisjoint(text.lower().split())


SLOT = "\u00b6"  # '¶'

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .grammar import Clause, Item
    from .lexicon import Lexicon


def side_neighbours(phrases: Iterable[str]) -> list[str]:
    """Every word that a phrase of several words has right before or after a side word (for build.lexicon)."""
    near: set[str] = set()
    for phrase in phrases:
        words = phrase.split()
        if len(words) > 1:
            for at, word in enumerate(words):
                if word in SIDES:
                    near.update(words[max(0, at - 1):at] + words[at + 1:at + 2])
    return sorted(near)


def _beside(toks: tuple[str, ...], at: int, step: int) -> str | None:
    """The token before (step -1) or after (step 1) position ``at``, commas skipped as phrases skip them."""
    at += step
    while 0 <= at < len(toks) and toks[at] == ",":
        at += step
    return toks[at] if 0 <= at < len(toks) else None


def slotted(toks: tuple[str, ...], lex: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(the tokens with each free side word as a slot, those side words in order), or None if none is free."""
    near = lex.side_neighbours
    if near is None:  # a lexicon compiled before side neighbours were: every side word is read as written
        return None
    out, sides = list(toks), []
    for at, tok in enumerate(toks):
        if tok in SIDES and _beside(toks, at, -1) not in near and _beside(toks, at, 1) not in near:
            out[at] = f"{SLOT}{len(sides)}"
            sides.append(tok)
    return (tuple(out), tuple(sides)) if sides else None


def slot_items(items: list[Item], toks: tuple[str, ...], sided_toks: tuple[str, ...]) -> bool:
    """Put the slots of ``sided_toks`` into the laterality items their side words became when ``toks`` (the text as written)
    was read, in place; False where a side word did not become one laterality item of its own (then the text is read
    with its own sides)."""
    found = [item for item in items if item.kind == "lat" and item.words in SIDES and not item.note]
    written = [(tok, sided) for tok, sided in zip(toks, sided_toks) if tok in SIDES]
    if len(found) != len(written) or any(item.words != tok for item, (tok, _) in zip(found, written)):
        return False
    for item, (tok, sided) in zip(found, written):
        if sided != tok:
            item.words, item.entries = sided, [["lat", sided]]
    return True


def _slot(value: str) -> bool:
    """A slot on its own ('¶0'), not inside other words."""
    return value[:1] == SLOT and value[1:].isdigit()


def kept_in_place(clause: Clause) -> bool:
    """Whether every slot of ``clause`` stands alone in its words, laterality or indication (where ``fill`` puts sides
    back), and nowhere else."""
    elsewhere = any(SLOT in repr(getattr(clause, name)) for name in clause.FIELDS
                    if name not in ("words", "laterality", "indication", "levels", "inherited"))
    return not elsewhere and all(_slot(w) for w in clause.words + clause.laterality if SLOT in w) and \
        all(it.kind == "lat" and _slot(it.words) and it.entries == [["lat", it.words]] for it in clause.indication
            if SLOT in repr(it))
