"""Line breaks: a cell or a pasted note that lists one procedure per line ('L4-5 TLIF⏎C5-6 ACDF', a bulleted list).

A line break was read as a space, so each line's level ran into the procedure of the line before: 'L4-5 TLIF⏎C5-6 ACDF'
read the C5-6 level as the TLIF's. A line break now separates list entries, as ';' does, unless the lines read as one
wrapped phrase: the line before ends with a word or sign that joins ('… discectomy and⏎fusion C5-6', 'Procedure:⏎L4-5
TLIF'), the next line opens with one ('⏎with pedicle screws'), or either line holds only levels and sides ('Right L4-5⏎
TLIF', 'posterior lumbar fusion⏎L4-S1'). A bullet opening a line ('- ', '* ', '• ') is its list marker, not a dash of
the text ('- S1 jt fusion' had read the dash as a range to the S1 level). Runs of spaces are one space ('L  5-S1',
'sacro  iliac joint fusion' had lost the level and the joint)."""
from __future__ import annotations

from .. import regex
from ..levels import level_matches

_BREAKS_RE = regex.compile(r"[ \t]*[\r\n]+[ \t]*")
BULLET_SIGNS = "-*\u2022\u00b7\u25aa\u2023>"
_BULLET_RE = regex.compile(rf"^[{BULLET_SIGNS}]+[ \t]+")
LINE_STARTS = BULLET_SIGNS + " "  # a text opening with one of these may open with a bullet (a caller's quick test)
_WORD_RE = regex.compile(r"[a-z][a-z'/]*|[&+,(/:-]$|^[&+),/-]")  # words, and a joining sign ending or opening a line
_LETTERS_RE = regex.compile(r"[a-z][a-z/]*")
JOIN_AFTER = frozenset({"and", "or", "with", "w/", "of", "for", "to", "via", "the", "a", "an", "at", "from", "by", "using",
                        "including", "in", "on", "plus", "&", "+", ",", "-", "/", "(", ":"})
JOIN_BEFORE = frozenset({"and", "or", "with", "w/", "of", "for", "to", "via", "using", "including", "at", "from", "by", "in",
                         "on", "plus", "&", "+", ")", ",", "/", "-"})
SIDE_WORDS = frozenset({"left", "right", "bilateral", "bilat", "lt", "rt", "l", "r", "b/l", "and", "to"})


def line_entries(spelt: str) -> str:
    """Spelt text with its line breaks read as above, runs of spaces and tabs as one space, and a bullet opening it
    dropped (text with none of them is returned as it is)."""
    if "\n" in spelt or "\r" in spelt:
        lines = [_BULLET_RE.sub("", " ".join(line.split())) for line in _BREAKS_RE.split(spelt.strip())]
        lines = [line for line in lines if line]
        out = lines[0] if lines else ""
        for before, line in zip(lines, lines[1:]):
            out += (" " if _one_phrase(before, line) else " ; ") + line
        return out
    if "  " in spelt or "\t" in spelt:  # 'L  4-5', 'sacro  iliac': text pasted from a form or a PDF
        spelt = " ".join(spelt.split())
    first = spelt[:1]
    if first and (first in BULLET_SIGNS or first == " " and spelt.lstrip()[:1] in BULLET_SIGNS):
        return _BULLET_RE.sub("", spelt.lstrip())
    return spelt


def _one_phrase(before: str, line: str) -> bool:
    """Whether two lines read as one phrase wrapped (see above)."""
    last, first = _WORD_RE.findall(before), _WORD_RE.findall(line)
    if last and last[-1] in JOIN_AFTER or first and first[0] in JOIN_BEFORE:
        return True
    return _levels_only(before) or _levels_only(line)


def _levels_only(line: str) -> bool:
    """A line of levels and sides alone ('L4-S1', 'Right L4-5', '(C5-6)')."""
    rest = line
    for match in reversed(list(level_matches(line))):
        rest = rest[:match.start()] + " " + rest[match.end():]
    return all(word in SIDE_WORDS for word in _LETTERS_RE.findall(rest))
