"""Texts that differ only in their levels share their tokens.

A bulk file names one wording at many levels ('L4-5 TLIF', 'l3-4 tlif', 'T12-L1 TLIF'). Finding a text's tokens (spelling,
the note forms of notes.written, the levels, the tokens themselves) costs about a third of reading it, and gives the same
tokens for each: the tokens have each level as a '§n' placeholder (grammar.marked). So the first text of a *shape* (the
lower-cased text with each plain level written '§', its other words, numbers and punctuation as they are) is read in
full and remembered; a later text of that shape takes its tokens, and only its own levels are read.

Only where nothing but the levels themselves can differ in how the text is read:
- each level of the first text is a plain one ('c5-6', 't12', 'l5-s1', 'c7-t1': a region letter, a number, at most one
  dash and a lower end), read as itself alone (``_plain``: not 'l45', a run the notes split, nor 'c9', no level), that
  the reader found as one level where it was written;
- it stands alone: after the start, a space or a bracket, and before the end, a space, a bracket, ';' or ','; no number
  follows it or comes before it after punctuation or a joining word ('C4-5, 5-6', 'T11,12': lists are read by their
  numbers), no other level is joined to it by a dash or a slash ('l4-5 - l5-s1', 'c5-6/c6-7': chains), nor to a single
  one by 'and', 'to' or 'through' ('l4 and l5' is one span or two by its numbers);
- the later text's levels are plain too, each single or a range where the first text's was;
- the toe modifiers (toes.py: every level one of T1-T9 in a text naming a toe) are either in both texts or in neither.
Everything else is read in full, so an answer never depends on which text of a shape came first
(tests/answer/reader/test_level_shapes.py reads every phrase of the phrase table both ways at many levels)."""
from __future__ import annotations

from ...errors import SpinekgError
from .. import regex
from ..levels import LevelSpan
from .toes import MODIFIERS

TYPE_CHECKING = False  # typing only for annotations: importing collections.abc costs a cold answer
if TYPE_CHECKING:
    from collections.abc import Callable

# a plain level where it stands alone (see the docstring), in lower-cased text
_PLAIN_RE = regex.compile(r"(?<![^\s(])[ctl]\d{1,2}(?:-[ctls]?\d{1,2})?(?=[\s,;)]|$)")
_NUMBER_AFTER_RE = regex.compile(r"[\s,;/&+.-]*(?:(?:and|to|through|thru|or)\b[\s,;/&+.-]*)?\d")
_NUMBER_BEFORE_RE = regex.compile(r"\d[\s,;/&+.-]*(?:(?:and|to|through|thru|or)[\s,;/&+.-]*)?$")
# another level joined to it by a dash or a slash (a chain: 'l4-5 - l5-s1', 'c5-6/c6-7'), or to a single one by a word
# ('l4 and l5', 't4 to t6' are one span or two by their numbers), before or after it
_LEVELISH = r"(?:occiput|occ|oc|o|co|th|[ctls]) ?\d"
_JOINED_AFTER_RE = regex.compile(rf"\s*[-/]\s*(?:{_LEVELISH}|\d)")
_WORD_JOINED_AFTER_RE = regex.compile(rf"\s*(?:to|through|thru|and)\s+{_LEVELISH}")
_JOINED_BEFORE_RE = regex.compile(r"(?:^|[^a-z0-9])(?:occiput|occ|oc|o|co|th|[ctls]) ?\d{0,2}\s*(?:[-/]|to|through|thru|and)\s*$")
_NONE = ()  # a shape whose texts are read in full


class Shape:
    """The tokens of a shape's first text, and what a later text's levels must be like."""

    __slots__ = ("toks", "single", "toes")

    def __init__(self, toks: tuple[str, ...], single: tuple[bool, ...], toes: bool):
        self.toks, self.single, self.toes = toks, single, toes


def marked_by_shape(text: str, memo: dict,
                    slowly: Callable[[str], tuple[tuple[str, ...], list[LevelSpan]]]) -> tuple[tuple[str, ...], list[LevelSpan]]:
    """``slowly(text)`` (the tokens and levels of grammar.marked), taken from the first text of its shape where the
    docstring allows. ``memo``: the lexicon's memo (emptied with it)."""
    if not text.isascii() or "§" in text:
        return slowly(text)
    lowered = text.lower()
    words = _PLAIN_RE.findall(lowered)
    if not words:  # no plain level: nothing to share
        return slowly(text)
    key = ("§shape", _PLAIN_RE.sub("§", lowered))  # its other words, numbers and punctuation as they are
    found = memo.get(key)
    if found is None:
        toks, spans = slowly(text)
        memo[key] = _shape(lowered, toks, spans, memo, slowly) or _NONE
        return toks, spans
    if found is not _NONE:
        plain = _plain_levels(memo)
        spans = []
        for level in words:
            span = plain.get(level)
            if span is None:
                span = plain[level] = _plain(level, slowly)
            if not span:
                return slowly(text)
            spans.append(span)
        single = tuple(span.lower is None for span in spans)
        if single == found.single and _toe_modifiers(spans) == found.toes:
            return found.toks, spans
    return slowly(text)


def _shape(lowered: str, toks: tuple[str, ...], spans: list[LevelSpan], memo: dict, slowly: Callable) -> Shape | None:
    """The shape of the first text of its kind, or None where its texts must be read in full."""
    matches = list(_PLAIN_RE.finditer(lowered))
    if len(matches) != len(spans) or sum(tok[:1] == "§" for tok in toks) != len(spans):  # (toes.py wrote none back)
        return None
    ends = [0] + [m.end() for m in matches]
    starts = [m.start() for m in matches] + [len(lowered)]
    for i, (match, span) in enumerate(zip(matches, spans)):  # (a number after or before it, up to the next level or from the last)
        level, plain = match.group(0), _plain_levels(memo)
        if level not in plain:
            plain[level] = _plain(level, slowly)
        end = match.end()
        if span.text != level or not plain[level] \
                or _NUMBER_AFTER_RE.match(lowered, end, starts[i + 1]) or _NUMBER_BEFORE_RE.search(lowered, ends[i], match.start()) \
                or _JOINED_AFTER_RE.match(lowered, end) or span.lower is None and _WORD_JOINED_AFTER_RE.match(lowered, end) \
                or _JOINED_BEFORE_RE.search(lowered, ends[i], match.start()):
            return None
    return Shape(toks, tuple(s.lower is None for s in spans), _toe_modifiers(spans))


def _plain_levels(memo: dict) -> dict:
    """Level expressions met, each with its span where it is plain, else False (kept in the lexicon's memo)."""
    found = memo.get(("§plain",))
    if found is None:
        found = memo[("§plain",)] = {}
    return found


def _plain(words: str, slowly: Callable) -> LevelSpan | bool:
    """The span of a level expression read as itself alone: one level, as written (not 'l45', a run the notes split,
    nor a number past its region's last); else False."""
    try:
        toks, spans = slowly(words)
    except SpinekgError:  # not a level alone ('c9'): its texts are read in full, and the error is theirs
        return False
    return spans[0] if toks == ("§0",) and len(spans) == 1 and spans[0].text == words else False


def _toe_modifiers(spans: list[LevelSpan]) -> bool:
    """Whether every level is one toes.py may read as a toe modifier."""
    return all(span.lower is None and span.upper in MODIFIERS for span in spans)
