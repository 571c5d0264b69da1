"""A lexicon phrase written with a hyphen between two of its words: 'patient-controlled analgesia', 'sacro-iliac joint
fusion', 'post-laminectomy syndrome'. The text's hyphenated token is one word to the phrase matcher, so the phrase
('patient controlled analgesia') was never found, and the token, read apart, gave its words alone ('controlled': the
root operation Control). The matcher tries the words with each such token split at its hyphens, and keeps that reading
only when it matches a longer phrase than the words as written ('x-ray', 'roux-en-y', written so in the lexicon, stay
whole)."""
from __future__ import annotations

from .lexicon import Lexicon


def hyphens_apart(lex: Lexicon, words: list[str], ends: list) -> tuple[list[str], list] | None:
    """``words`` with each hyphenated word the lexicon does not know split at its hyphens, and their ends (None for the
    parts a phrase cannot end on, inside the token); None when no word splits."""
    if not any("-" in word for word in words):
        return None
    split_words: list[str] = []
    split_ends: list = []
    for word, end in zip(words, ends):
        parts = word.split("-")
        if len(parts) == 1 or word in lex.phrases or not all(parts):
            split_words.append(word)
            split_ends.append(end)
            continue
        split_words += parts
        split_ends += [None] * (len(parts) - 1) + [end]
    return (split_words, split_ends) if len(split_words) > len(words) else None
