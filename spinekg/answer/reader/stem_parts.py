"""The body parts a word form's stem names when no combining form of the tables does: a compound of two combining forms
('adeno-tonsill-ectomy'), or a lexicon phrase equal to the stem ('hemorrhoid-ectomy'). Used by the grammar's word forms."""
from __future__ import annotations

from .lexicon import Lexicon


def _piece_parts(lex: Lexicon, piece: str) -> list[str]:
    """The body parts one piece of a compound word names: a combining form's, else a label word's."""
    prefix = max((p for p in lex.prefixes if piece.startswith(p) and len(p) >= 4 and lex.prefixes[p]["parts"]), key=len, default=None)
    return lex.prefixes[prefix]["parts"] if prefix else lex.stem_parts(piece)


def compound_parts(lex: Lexicon, stem: str, head: bool = False) -> list[str]:
    """'adeno-tonsill(ectomy)', 'radio-cephal(ic)', 'ventriculo-peritone(al)': two combining forms joined by 'o', each
    naming body parts (both are sites of the word; with ``head``, the last only: words.ANCHORED); [] unless every piece
    names some, so 'lumbo-peritone(al)' is not read as the peritoneum alone."""
    for i in range(len(stem) - 4, 3, -1):
        if stem[i] == "o":
            left, right = stem[:i], stem[i + 1:]
            found = (_piece_parts(lex, left) or _piece_parts(lex, left + "o")), _piece_parts(lex, right)
            if all(found):
                return sorted(set(found[1] if head else found[0] + found[1]))
    return []


def named_parts(lex: Lexicon, stem: str) -> list[str]:
    """The body parts a lexicon phrase equal to ``stem`` (or ``stem`` + 'e') names, when it names only sites."""
    for phrase in (stem, stem + "e"):
        entries = lex.phrases.get(phrase) if len(phrase) >= 6 else None
        if entries and all(e[0] in ("bp", "anat") for e in entries) and any(e[0] == "bp" for e in entries):
            return sorted({e[1] for e in entries if e[0] == "bp"})  # 'hemorrhoid(ectomy)': its body parts
    return []
