"""Words cut short with a dot before more words ('disc.', 'corp.', 'Ant. cervical disc. C5/6 w/ cage'): shorthand for the
one operation word each opens as a word form ('disc' + '-ectomy'), where the text names no other operation; beside
another one the word itself ('disc. herniation, L4-5 microdiscectomy'); at the text's end the dot ends a sentence
('spinal cord.'). Kept apart from notes.py (near its size limit)."""
from __future__ import annotations

from .. import regex
from .adjuncts import operative_acts
from .lexicon import Lexicon
from .text import _TOKEN_RE

MIN_CUT = 3  # letters of a cut word: 'disc.', 'corp.', 'append.'
_CUT_RE = regex.compile(r"\.(?=\s+\S)")  # more words follow: a dot that ends the text ends a sentence ('spinal cord.')


def dotted_tokens(spelt: str, lexicon, kind_of) -> tuple[str, ...]:
    """The tokens of spelt text; a word cut with a dot that opens exactly one operation word keeps its dot ('disc.').
    ``lexicon``: gives the lexicon, asked only when the text has a dot."""
    if "." not in spelt:
        return tuple(_TOKEN_RE.findall(spelt))
    lex, out, ends = lexicon(), [], []
    for match in _TOKEN_RE.finditer(spelt):
        tok = match.group(0)
        dotted = tok.isalpha() and _CUT_RE.match(spelt, match.end())
        if dotted and cut_word(lex, tok, kind_of):
            tok += "."
        elif dotted and _operation_word(lex, tok, kind_of):
            ends.append(len(out))
        out.append(tok)
    for at in reversed(ends):  # 'L4-5 laminectomy. Drain.': the sentence ends one procedure before the next begins
        if at + 1 < len(out) and _operation_word(lex, out[at + 1], kind_of):
            out.insert(at + 1, ";")  # (read as one, the second, not an operation, decided both: no/no)
    return tuple(out)


def _operation_word(lex: Lexicon, word: str, kind_of) -> bool:
    return word in lex.phrases and kind_of(lex.phrases[word]) == "op"


def cut_word(lex: Lexicon, word: str, kind_of) -> str | None:
    """The one operation word ``word`` opens as a word form (word + '-ectomy', '-otomy', …): cut where a suffix begins.
    (Any operation word it begins would be too many: 'sac.' → 'sacrectomy', 'lumb.' → the glued name 'lumbarpuncture'.)"""
    if len(word) < MIN_CUT or word in lex.phrases and kind_of(lex.phrases[word]) in ("op", "abbr"):
        return None
    cache = lex.__dict__.setdefault("_cut", {})
    if word not in cache:
        forms = sorted({word + link + s for s in lex.suffixes for link in ("", "o")
                        if _operation_word(lex, word + link + s, kind_of)})
        cache[word] = forms[0] if len(forms) == 1 else None
    return cache[word]


def cut_entries(lex: Lexicon, tok: str, kind_of) -> tuple[str, list] | None:
    """(operation word, entries) of a dotted token."""
    word = cut_word(lex, tok[:-1], kind_of) if tok.endswith(".") else None
    return (word, lex.phrases[word]) if word else None


def settle_cuts(items: list, lex: Lexicon, reread, kind_of, nonoperative) -> None:
    """Cut words read as operations stay so only where the text names no other operation (a non-operative one, or a
    verb placing it, is none: 'Ant. cervical disc. C5/6 and insertion of drain'); else each is the word itself
    (``reread``: the items of a word)."""
    cuts = [it for it in items if it.kind == "op" and it.words.endswith(".")]
    if not cuts:
        return
    if len(cuts) > 1 or [it for it in operative_acts(items, nonoperative) if all(it is not c for c in cuts)]:
        for cut in cuts:
            at = next(k for k, it in enumerate(items) if it is cut)
            items[at:at + 1] = reread(cut.words[:-1])
        return
    cuts[0].note = f"{cuts[0].words!r}: a word cut short, read as {cut_word(lex, cuts[0].words[:-1], kind_of)!r} (no other operation named)"

