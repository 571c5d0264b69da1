"""One-letter typos repaired before phrases are matched, so that a mistyped word of a longer phrase still makes it.

The reader repaired a word only when nothing else read it, and only into a word that is a phrase by itself: a typo in a
word that is part of a longer name was lost with the name. 'medial branch radiofreqency neurotomy' lost 'radiofrequency
neurotomy' (a needle ablation, not an operation) and read an open neurotomy, yes; 'lumbar sympathectmy' was not
understood; 'spinal accessory nerve' with 'acessory' read 'spinal' as the spine. Of the one-letter typos in the phrase
table's long words that are one edit from exactly one known word, 13 % changed the row's answer so (1 % now:
tests/answer/reader/test_reader_spelling.py). Now a word that is no word of the lexicon is repaired first, by the same
rule as before (one edit from exactly one known word, lexicon.repair), and phrases are matched on the repaired words.
A word cut short inside its suffix, as claims fields cut descriptions ('LUMBAR LAMINECT'), is completed the same way
(``completed``). The items carry the repaired words, which the rules after them compare with their word lists
('rhiztoomy L4-5 RF' must make the lexicon's 'RF rhizotomy', modalities.py), and a note of the words as written, which
the explanation gives: read 'rhiztoomy' as 'rhizotomy'."""
from __future__ import annotations

from .lexicon import MIN_TYPO_LENGTH, Lexicon
from .words import own_form, participle

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def respelled(toks: list[str], lex: Lexicon, kind_of: Callable, word_form: Callable) -> dict[int, str]:
    """Position → repaired word, for each token that is no word of the lexicon, the reference tables or a phrase, that
    no other rule reads (a past participle, a word form naming body parts of its own: 'cordectomy' is no 'corpectomy'),
    and that is one edit from exactly one known word or the cut form of exactly one operation word."""
    words, spelled, phrases = lex.words, lex.spelled, lex.phrases
    found: dict[int, str] = {}
    for at, tok in enumerate(toks):
        if len(tok) < MIN_TYPO_LENGTH or tok in words or tok in spelled or tok in phrases or not tok.isalpha():
            continue
        fixed = lex.repair(tok) or completed(tok, lex, kind_of)
        if fixed and not participle(lex, tok, kind_of) and not own_form(word_form(tok), fixed):
            found[at] = fixed
    return found


def completed(tok: str, lex: Lexicon, kind_of: Callable) -> str | None:
    """The one operation word a word cut short inside its suffix stands for ('laminect' → 'laminectomy', 'cholecystect',
    'foraminot', 'vertebropl'): claims and registry systems cut descriptions to a field's width ('LUMBAR LAMINECT',
    'LAP CHOLECYSTECT' were not understood). Two letters of the suffix at least; none if several words fit."""
    found = set()
    for suffix in lex.suffixes:
        for cut in range(2, len(suffix)):
            if tok.endswith(suffix[:cut]):
                word = tok[:-cut] + suffix
                if word in lex.phrases and kind_of(lex.phrases[word]) == "op":
                    found.add(word)
    return found.pop() if len(found) == 1 else None


def as_written(phrase: str, repaired: dict[str, str]) -> str:
    """A phrase matched on repaired words, with the words as the text wrote them (``repaired``: repaired → written)."""
    return " ".join(repaired.get(word, word) for word in phrase.split())


def shorthand_only(note: str, shorthand: dict[str, str]) -> bool:
    """Whether a note "read 'x y' as 'x z'" changed only shorthand words ('fus' → 'fusion'): no typo, so no reason to
    look for one (which builds the set of every phrase word: a cold answer's cost)."""
    written, _, read = note.partition("' as '")
    written, read = written.removeprefix("read '").split(), read.split("'")[0].split()
    return len(written) == len(read) and all(w == r or shorthand.get(w) == r for w, r in zip(written, read))
