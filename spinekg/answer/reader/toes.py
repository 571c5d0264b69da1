"""Claim modifiers that name toes. HCPCS Level II modifiers say which toe a foot procedure was done on: TA and T1-T4 the
left great to fifth toe, T5-T9 the right ('hammertoe correction -T1', 'bunionectomy, modifier T5'). In a text naming a toe or
a metatarsal whose every level is one of T1-T9, those 'levels' are the modifiers, not thoracic vertebrae (read as ones,
a toe amputation or a bunionectomy was spine surgery at T1-T9). Decided on the text's tokens, before the grammar reads
them: what a wording's clauses are may not depend on which levels fill them (reuse.py)."""
from __future__ import annotations

from ..levels import LevelSpan

MODIFIERS = frozenset(f"T{i}" for i in range(1, 10))  # written like the vertebrae T1-T9 ('TA' is no level)
TOE_LABEL_WORDS = ("toe", "metatars")  # in a body part's label: 'Toe Phalanx, Right', 'Metatarsal-Phalangeal Joint', '1st Toe'
MIN_STEM = 5  # a toe word opening a longer word names it too: 'bunion-ectomy'


def _toe_entries(lex, entries: list, depth: int = 0) -> bool:  # type: ignore[no-untyped-def]
    labels = []
    for kind, value in entries:
        if kind == "abbr" and depth < 1:  # 'MTP' = 'metatarsophalangeal joint'
            return _toe_entries(lex, lex.phrases.get(value) or [], depth + 1)
        if kind == "bp":
            labels.append(lex.body_parts[value][0])
        elif kind == "img":
            labels.append((lex.imaging.get(value) or [""])[0])
        elif kind == "anat":
            labels.append(value)
        else:
            return False
    return bool(labels) and all(any(w in label.lower() for w in TOE_LABEL_WORDS) for label in labels)


def _toe_word(lex, tok: str) -> bool:  # type: ignore[no-untyped-def]
    cache = lex.__dict__.setdefault("_toe_words", {})
    if tok not in cache:
        cache[tok] = tok.isalpha() and any(
            _toe_entries(lex, lex.phrases.get(tok[:end]) or []) for end in [len(tok), *range(len(tok) - 1, MIN_STEM - 1, -1)])
    return cache[tok]


def toe_levels(toks: tuple[str, ...], spans: list[LevelSpan], lexicon) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The tokens with each level placeholder of the docstring's case written back as its word ('t2'), else as they are
    (``lexicon``: gives the lexicon, asked only when every level is one of T1-T9)."""
    if not spans:
        return toks
    for span in spans:  # (a loop, not all(…): this runs for every text read)
        if span.lower is not None or span.upper not in MODIFIERS:
            return toks
    lex = lexicon()
    if not any(_toe_word(lex, tok) for tok in toks if not tok.startswith("§")):
        return toks
    return tuple(spans[int(tok[1:])].text if tok.startswith("§") else tok for tok in toks)
