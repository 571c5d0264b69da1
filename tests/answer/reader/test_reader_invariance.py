"""Rewritings that change how a text looks, not what it names, never change its answer (metamorphic test over the whole
phrase table): case, a closing full stop, quotes, extra spaces, '&' for 'and', '/' for the dash of a level range, a
bullet or a list number before it, a line break after it, a level range written 'L4-L5', with an en dash or a spaced
dash, or after the words ('TLIF L4-5', 'TLIF at L4-5', 'TLIF (L4-5)'). When first run, extra spaces changed 6 answers ('L  5-S  1',
'sacro  iliac'), '&' 2, a bullet 1 and a list number 3 (reader/lines.py, grammar._match, verbs.drain_verb fixed them)."""
from __future__ import annotations

import re

from spinekg.answer.composers import composer
from spinekg.api import classify_text_query
from spinekg.errors import SpinekgError
from test_reader_memo import table_phrases

_RANGE = re.compile(r"\b([CTLS]\d)-(\d)\b")
_LETTERED = re.compile(r"(?<![-/\w])([CTLS])(\d{1,2})-(\d{1,2})(?![-/\w])")
# 'L4-5 TLIF': one level, then words only, naming one procedure (beside two, a level after them is the nearer one's)
_LEADING = re.compile(r"^([CTLS]\d{1,2}-[CTLS]?\d{1,2}) (?!.*\b(?:and|with|for|plus|then|or)\b)([A-Za-z][A-Za-z ]*)$")
REWRITINGS = {
    "upper case": str.upper,
    "title case": str.title,
    "a closing full stop": lambda t: t + ".",
    "quotes": lambda t: f'"{t}"',
    "extra spaces": lambda t: "  " + t.replace(" ", "  ") + " ",
    "'&' for 'and'": lambda t: t.replace(" and ", " & "),
    "'/' in level ranges": lambda t: _RANGE.sub(r"\1/\2", t),
    "a bullet": lambda t: "- " + t,
    "a list number": lambda t: "1. " + t,
    "a line break after it": lambda t: t + "\n",
    "the range's lower end lettered": lambda t: _LETTERED.sub(r"\1\2-\1\3", t),
    "an en dash in ranges": lambda t: _RANGE.sub("\\1\u2013\\2", t),
    "spaces around the range's dash": lambda t: _RANGE.sub(r"\1 - \2", t),
    "the level after the words": lambda t: _LEADING.sub(r"\2 \1", t),
    "the level after the words, with 'at'": lambda t: _LEADING.sub(r"\2 at \1", t),
    "the level after the words, in brackets": lambda t: _LEADING.sub(r"\2 (\1)", t),
}


def _answer(text: str, comp) -> tuple:  # type: ignore[no-untyped-def]
    try:
        v = classify_text_query(text, comp)
    except SpinekgError as exc:
        return ("error", exc.message.split(" ")[0])
    return v.spine_surgery, v.back_surgery, tuple(v.regions)


def test_rewritings_that_keep_the_words_keep_the_answer():
    comp = composer()
    changed, tried = [], 0
    for text in table_phrases():
        expected = _answer(text, comp)
        for name, rewrite in REWRITINGS.items():
            other = rewrite(text)
            if other == text:
                continue
            tried += 1
            if (got := _answer(other, comp)) != expected:
                changed.append((name, other, expected, got))
    assert tried > 11000
    assert changed == []
