"""The longest lexicon phrase at a position of a run of words: the reader's one look-up of the lexicon's phrases."""
from __future__ import annotations

from .hyphens import hyphens_apart
from .lexicon import Lexicon
from .cut_words import cut_entries
from .notes import bracketed_initials
from .regions import REGIONS
from .words import singular_phrase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

SEPARATORS = {"/", ",", "&", "+", ";", "(", ")"}


def longest_phrase(lex: Lexicon, toks: list[str], start: int, kind_of: Callable) -> tuple[int, str, list] | None:
    """(tokens used, phrase, entries) of the longest lexicon phrase starting at ``start`` (commas and a bracketed
    abbreviation inside it are skipped), or None; ``kind_of``: entries → item kind."""
    if toks[start][-1] == "." and (cut := cut_entries(lex, toks[start], kind_of)):  # 'disc.': a word cut short
        return 1, toks[start], cut[1]
    words, ends = [], []
    hyphenated = False
    j = start
    while j < len(toks) and len(words) < lex.longest:
        tok = toks[j]
        if words and (tok in ",/" or tok == "(" and bracketed_initials(toks, j, words)):  # 'High Dose Rate (HDR)', 'Motor/Nerve'
            j += 3 if tok == "(" else 1
            continue
        tok = "and" if tok == "&" and words else tok  # 'Subcutaneous Tissue & Fascia', 'incise & drain'
        if tok in SEPARATORS or tok.startswith("§") or tok[-1] == ".":
            break
        hyphenated = hyphenated or "-" in tok
        words.append(tok)
        ends.append(j + 1)
        j += 1
    found = _longest(lex, words, ends, start)
    if hyphenated:  # 'patient-controlled analgesia': a phrase read across a hyphen, where that is the longer phrase
        split = hyphens_apart(lex, words, ends)
        if split and (longer := _longest(lex, *split, start)) and (found is None or longer[0] > found[0]):
            return longer
    if found is not None:
        return found
    if words and words[0] in REGIONS:
        return 1, words[0], [["region", REGIONS[words[0]]]]
    return None


def _longest(lex: Lexicon, words: list[str], ends: list, start: int) -> tuple[int, str, list] | None:
    """The longest phrase of ``words`` that ends where a token ends (``ends``: None inside a token split apart)."""
    for n in range(len(words), 0, -1):
        if ends[n - 1] is None:
            continue
        phrase = " ".join(words[:n])
        if found := phrase if phrase in lex.phrases else n > 1 and singular_phrase(lex.phrases, phrase):
            return ends[n - 1] - start, phrase, lex.phrases[found]  # (a last word's plural: words.singular_phrase)
        if n == 2 and phrase in REGIONS:
            return 2, phrase, [["region", REGIONS[phrase]]]
    return None
