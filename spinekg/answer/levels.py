"""Vertebral-level notation -> anatomy terms.

Understands the ways levels are written in operative notes: ``L4-L5``, ``L4/5``, ``L4-5``, ``C5–C6``,
``L5S1``, ``T12-L1``, ``L2 to S1``, ``C3 through C7``, ``L 4-5`` (dictated), single levels (``L4``, ``S1``), ``Th12``
and the occiput
(``occiput-C2``, ``C0-C1``, and short before a range: ``O-C3``, ``Oc-C2``).
A level names a vertebra; two adjacent levels name the motion segment between them; a longer range
names every motion segment it spans. Wrong order (``L5-L4``) and impossible levels (``L7``, ``C9``)
are errors, never guesses; two adjacent levels written run together (``L45``, ``C56``: no level themselves)
are the motion segment between them (``run_together``), the one reading such a token has.
"""
from __future__ import annotations

from ..memo import remember  # functools.lru_cache without importing functools

from ..errors import SpinekgError
from . import regex
from .records import FrozenRecord

TYPE_CHECKING = False  # typing only for annotations (a cold answer does not import it)
if TYPE_CHECKING:
    import re
    from collections.abc import Iterator

# Vertebral order from the occiput (C0) to S5. Nerve roots add C8 and Co1.
VERTEBRAE = ["C0"] + [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)] \
    + [f"L{i}" for i in range(1, 6)] + [f"S{i}" for i in range(1, 6)]
ORDER = {name: i for i, name in enumerate(VERTEBRAE)}
ROOTS = [f"C{i}" for i in range(1, 9)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] \
    + [f"S{i}" for i in range(1, 6)] + ["Co1"]
# A letter, two digits and a dot before more characters is an ICD-10-CM diagnosis code's category ('C34.11', 'S12.9XXA',
# 'T45.1X5A', 'L89.154'), written beside a procedure in notes and claims: never a level (read as one, 'C34.11 - VATS
# lobectomy' was an operation at C3-4, 'S12.9XXA C2 ORIF' sacral: back surgery; 'C41.2 T10 corpectomy' an error)
_CODE = r"(?!\.[a-z0-9])"
_RUN_LEVELS_RE = regex.compile(r"([ctls])(?<!\w[ctls])([1-9])([1-9])\b" + _CODE)  # \b([ctls]…: a third slower to scan
LAST_LEVEL = {"c": 7, "t": 12, "th": 12, "l": 5, "s": 5, "co": 1}  # each letter's last vertebra: 't12' is a level, 'c12' not


def run_together(text: str) -> str:
    """Lower-case text with each run-together pair of adjacent levels hyphenated ('l45' → 'l4-5'; 'l46' stays)."""
    return _RUN_LEVELS_RE.sub(_hyphenated, text)  # a scan costs less than looking for a digit first


def _hyphenated(m: re.Match[str]) -> str:
    letter, upper, lower = m.group(1), int(m.group(2)), int(m.group(3))
    return f"{letter}{upper}-{lower}" if lower == upper + 1 and upper * 10 + lower > LAST_LEVEL[letter] else m.group(0)


# 'C4-5-6', 'L4-L5-S1', 'L3/4/5': three or more levels chained by '-' or '/' (each part may drop the letter)
_CHAIN_RE = regex.compile(r"(?<![a-z0-9])(?:co|th|[ctls])\d{1,2}(?:\s*[-/]\s*(?:co|th|[ctls])?\d{1,2}){2,}(?![a-z0-9])")
_CHAIN_PART_RE = regex.compile(r"(co|th|[ctls])?(\d{1,2})")
_CHAIN_HINT_RE = regex.compile(r"\d\s*[-/]\s*(?:co|th|[ctls])?\d{1,2}\s*[-/]\s*(?:co|th|[ctls])?\d")


def unchained(text: str) -> str:
    """Lower-case text with each chain of levels ('c4-5-6', 'l4-l5-s1', 'l3/4/5') written as the ranges between its
    neighbours ('c4-c5 c5-c6'): a chain names every segment between consecutive levels (read as one range and a
    leftover number, 'C4-5-6 ACDF' had lost C5-C6). Where a range ends on the level the next begins on, the two are a
    list ('c5-6/c6-7'), not a segment of their own."""
    # (quick tests first: this runs for every text read) a chain has two separators at least, between numbers
    if text.count("-") + text.count("/") < 2 or not _CHAIN_HINT_RE.search(text):
        return text
    return _CHAIN_RE.sub(_chain_ranges, text)


def _chain_ranges(match: re.Match[str]) -> str:
    parts, letter, lettered = [], "", []
    for given, number in _CHAIN_PART_RE.findall(match.group(0)):
        letter = given or letter
        parts.append((letter, number))
        lettered.append(bool(given))
    pairs = list(zip(parts, parts[1:]))
    if all((upper == lower) == (i % 2 == 1) for i, (upper, lower) in enumerate(pairs)) and all(lettered[::2]):
        return match.group(0)  # ranges listed end to start, each with its letter ('c5-6/c6-7'): read as written
    return " ".join(f"{a}{m}-{n if a == b else b + n}" for (a, m), (b, n) in pairs if (a, m) != (b, n))


# 'C4-5, 5-6, 6-7', 'L3-4 & 4-5', 'L4-5,5-S1', 'T12-L1, 1-2': a list whose later ranges drop the region letter, as a
# chain does with '/' (unchained), each taking the last letter before it (read as written, the later ranges were lost:
# 'C4-5, 5-6, 6-7 ACDF' was C4-C5 only); 'T11,12', a comma and no space between a level and a number, is 'T11 and T12'.
# A number counting something ('L4-5, 2 levels', '3 cages') is no level.
_COUNTED = r"(?!\s*(?:levels?|lvls?|segments?|vertebrae|cages?|screws?|rods?|x\b|times|mm|cm|hours?|hrs?))"
_LIST_HEAD = r"(?<![a-z0-9])(?:co|th|[ctls])\d{1,2}(?:\s*[-/]\s*(?:co|th|[ctls])?\d{1,2})"  # ranges with '-' or '/' ('L4/5, 5/S1')
_LIST_ITEM = r"\s*(?:,|&|\+|\band\b)\s*\d{1,2}\s*[-/]\s*(?:co|th|[ctls])?\d{1,2}(?![a-z0-9./])" + _COUNTED
_LEVEL_LIST_RE = regex.compile(f"{_LIST_HEAD}(?:{_LIST_ITEM})+")
_LIST_PART_RE = regex.compile(r"(co|th|[ctls])?(\d{1,2})")
_COMMA_PAIR_RE = regex.compile(r"(?<![a-z0-9])(co|th|[ctls])(\d{1,2}),(\d{1,2})(?![a-z0-9.,-])" + _COUNTED)


def lettered_lists(text: str) -> str:
    """Lower-case text with each list of level ranges whose later items drop the letter written with it ('c4-5, 5-6'
    → 'c4-5, c5-c6'), and 'l4,5' as 'l4 and l5' (the rule above)."""
    if "," not in text and "&" not in text and "+" not in text and " and " not in text:  # (cheap test: every text)
        return text
    text = _LEVEL_LIST_RE.sub(_lettered, text) if "-" in text or "/" in text else text
    return _COMMA_PAIR_RE.sub(_comma_pair, text) if "," in text else text


def _lettered(match: re.Match[str]) -> str:
    whole, out, letter, at = match.group(0), [], "", 0
    for part in _LIST_PART_RE.finditer(whole):
        given, number = part.group(1), part.group(2)
        letter = given or letter
        if int(number) > LAST_LEVEL[letter] or not int(number):  # a list's numbers are levels
            return whole  # not levels of that letter: left as written
        lower = "-" in (gap := whole[at:part.start()]) or "/" in gap  # a range's lower end keeps its bare number ('c5-6', 'c5/6')
        out.append(whole[at:part.start()] + (part.group(0) if given or lower else letter + number))
        at = part.end()
    return "".join(out) + whole[at:]


def _comma_pair(match: re.Match[str]) -> str:
    letter, first, second = match.group(1), int(match.group(2)), int(match.group(3))
    return f"{letter}{first} and {letter}{second}" if 0 < first < second <= LAST_LEVEL[letter] else match.group(0)


RANGES = {"C": "C1-C7 (C8 is a nerve root only)", "T": "T1-T12", "L": "L1-L5", "S": "S1-S5", "Co": "Co1"}

_LEVEL = r"(?:occiput|oc|co|th|[ctls])\s?(\d{1,2})?"
_SEPARATOR = r"\s*(?:-|/|to|through|thru|and)\s*|(?<=\d)(?=[ctls]\d)"
# 'O-C3', 'Oc-C2', 'Occ-T2': the occiput written short opens a range down the cervical or upper thoracic spine
_OCCIPUT_RANGE = r"(?:occ|oc|o)(?=\s*(?:-|/|to|through|thru)\s*(?:c|th|t) ?\d{1,2}(?![a-z0-9]))"
# 'L 4-5', 'C 5/6' (dictated): a space after the letter only where a range follows, so 'L 4' is never a level
_LOWER = r"(?:(?:co|th|[ctls]) ?)?\d{1,2}"
_SPACED = rf"[ctls] \d{{1,2}}(?=\s*(?:-|/|to|through|thru|and)\s*{_LOWER}(?![a-z0-9]))"  # the range it needs, as matched below
_PATTERN = (rf"(?<![a-z0-9])(?P<upper>(?:occiput|oc|co|th|[ctls])(?:\d\d{_CODE}|\d)|{_SPACED}|occiput|c0|{_OCCIPUT_RANGE})"
            rf"(?:(?:{_SEPARATOR})(?P<lower>{_LOWER}))?(?![a-z0-9])")


class _LevelToken:
    """The level pattern, compiled for the first text that may hold a level: every level has a digit but
    'occiput', so a text with neither never needs it. ASCII text is matched in lower case by the pattern
    without IGNORECASE, which compiles in a third of the time (~1.5 ms of a cold answer) and matches the
    same spans there (IGNORECASE adds only non-ASCII equivalents: 'ſ' for 's', 'ı' and 'İ' for 'i');
    other text by the pattern with IGNORECASE. Matches of lowered text are read back from the text itself."""

    __slots__ = ("lower", "folded")

    def __init__(self) -> None:
        self.lower: re.Pattern[str] | None = None
        self.folded: re.Pattern[str] | None = None

    def finditer(self, text: str):  # type: ignore[no-untyped-def]
        if not text.isascii():
            if self.folded is None:
                self.folded = regex.compile(_PATTERN, regex.IGNORECASE)
            return self.folded.finditer(text)
        if self.lower is None:
            if not any(map(str.isdecimal, text)) and "occ" not in text.lower():
                return iter(())  # \d matches decimal digits only; only 'occiput' has none
            self.lower = regex.compile("(?=[ctlso])" + _PATTERN)  # every level starts with one of these: ~2x faster matching
        lowered = text.lower()
        found = self.lower.finditer(lowered)
        return found if lowered == text else (_Found(text, match) for match in found)


class _Found:
    """A match in lowered ASCII text, read from the original text (same positions): what re.Match gives here."""

    __slots__ = ("text", "match")

    def __init__(self, text: str, match: re.Match[str]):
        self.text, self.match = text, match

    def group(self, name: int | str = 0) -> str | None:
        start, end = self.match.span(name)
        return None if start < 0 else self.text[start:end]

    def start(self, name: int | str = 0) -> int:
        return self.match.start(name)

    def end(self, name: int | str = 0) -> int:
        return self.match.end(name)

    def span(self, name: int | str = 0) -> tuple[int, int]:
        return self.match.span(name)


_TOKEN = _LevelToken()


def level_matches(text: str) -> Iterator[re.Match[str]]:
    """Every level expression's match in ``text`` (see _LevelToken)."""
    return _TOKEN.finditer(text)


class LevelSpan(FrozenRecord):
    """One level expression found in text: its words, and the vertebral names it spans (``lower`` None for
    a single level)."""

    FIELDS = ("text", "upper", "lower")

    def __init__(self, text: str, upper: str, lower: str | None):
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "upper", upper)
        object.__setattr__(self, "lower", lower)

    @staticmethod
    def unreadable(words: str) -> LevelSpan:
        """Never returns: the one-line error for a level expression that does not read as one on its own."""
        raise SpinekgError(f"cannot read {words.strip().upper()!r} as a vertebral level")

    @property
    def is_single(self) -> bool:
        return self.lower is None


_LISTED = regex.compile(r"\band\b")  # 'L5 and L4' names two levels, in any order; 'L5-L4' is a range written backwards
_NAME = regex.compile(r"(occiput|oc|co|th|[ctls])(\d{1,2})")


@remember(maxsize=4096)  # operative notes repeat the same few level tokens
def _canonical(token: str, context: str = "") -> str:
    token = token.strip().lower().replace(" ", "")  # 'L 4' of 'L 4-5'
    if token in ("occiput", "c0", "oc0", "occ", "oc", "o"):
        return "C0"
    match = _NAME.fullmatch(token)
    if not match:
        raise SpinekgError(f"cannot read {token.upper()!r} as a vertebral level")
    letter, number = match.group(1), int(match.group(2))
    letter = {"th": "T", "co": "Co", "oc": "C"}.get(letter, letter.upper())
    return f"{letter}{number}"


def _check(name: str, context: str, allow_root: bool) -> None:
    if name in ORDER or (allow_root and name in ROOTS):
        return
    letter = "Co" if name.startswith("Co") else name[0]
    raise SpinekgError(f"{name} is not a vertebral level (valid {letter} levels: {RANGES.get(letter, 'none')})")


def find_levels(text: str, root_context: bool = False) -> tuple[list[LevelSpan], str]:
    """Every level expression in ``text``, and the text with them removed."""
    spans, pieces, last = [], [], 0
    for match in level_matches(text):  # one pass: the spans, and the text between them
        spans.append(_span(match.group(0), match.group("upper"), match.group("lower"), root_context))
        pieces.append(text[last:match.start()])
        last = match.end()
    if not spans:
        return spans, " ".join(text.split())
    pieces.append(text[last:])
    return spans, " ".join(" ".join(pieces).split())


@remember(maxsize=4096)  # the same few level expressions recur; errors are raised anew each time
def _span(words: str, upper_raw: str, lower_raw: str | None, root_context: bool) -> LevelSpan:
    """One level expression, checked."""
    upper = _canonical(upper_raw)
    lower = None
    if lower_raw:
        if lower_raw.isdigit():
            lower_raw = upper.rstrip("0123456789") + lower_raw
        lower = _canonical(lower_raw)
    _check(upper, words, root_context and lower is None)
    if lower is not None:
        _check(lower, words, False)
        if ORDER[lower] < ORDER[upper] and _LISTED.search(words):  # 'L1 and T12 kyphoplasty': a list's order is free
            upper, lower = lower, upper
        if ORDER[lower] < ORDER[upper]:
            raise SpinekgError(f"level {words.strip().upper()} is in the wrong order; "
                               f"write the upper level first ({lower}-{upper})")
        if lower == upper:
            lower = None
    return LevelSpan(words.strip(), upper, lower)


def segment_names(span: LevelSpan) -> list[tuple[str, str]]:
    """Adjacent vertebra pairs a span covers, from top to bottom (L2 to S1 -> L2-L3 ... L5-S1)."""
    if span.lower is None:
        return []
    start, end = ORDER[span.upper], ORDER[span.lower]
    return [(VERTEBRAE[i], VERTEBRAE[i + 1]) for i in range(start, end)]
