"""Rewritings that change how a text looks, not what it names, never change its answer (metamorphic test over the whole
phrase table): case, a closing full stop, quotes, extra spaces, '&' for 'and', '/' for the dash of a level range, a
bullet or a list number before it, a line break after it. When first run, extra spaces changed 6 answers ('L  5-S  1',
'sacro  iliac'), '&' 2, a bullet 1 and a list number 3 (reader/lines.py, grammar._match, verbs.drain_verb fixed them)."""
from __future__ import annotations

import re

from spinekg.answer.composers import composer
from spinekg.api import classify_text_query
from spinekg.errors import SpinekgError
from test_reader_memo import table_phrases

_RANGE = re.compile(r"\b([CTLS]\d)-(\d)\b")
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
