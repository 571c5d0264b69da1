"""Dates in procedure text ('removal of halo 12/03/2024', 'L4-5 TLIF on 2024-03-12'): a theatre list or a registry
field may carry the day of the operation. A date names nothing the reader reads; read as numbers and slashes it broke
the phrase before it ('Pacemaker 12/03/2024' was 'an anatomical site', the implant no longer ending its phrase, and
'removal of halo 12/03/2024' depends/depends). Only whole numeric dates are dropped (day, month and year, or ISO): a
level always has its letter ('L4/5'), and two numbers ('2/2', secondary to) are no date."""
from __future__ import annotations

from .. import regex

_DATE_RE = regex.compile(r"(?<![\w/.-])(?:\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?![\w/-]|\.\d)")  # (a full stop may end the sentence)


_HINT_RE = regex.compile(r"\d[/.-]\d\d?[/.-]\d")  # a number between two separators, digits either side


def may_hold(spelt: str) -> bool:
    """Whether ``spelt`` may hold a date: two separators of one kind (counted in C, the cheapest test), then digits
    around two separators ('L4-5, L5-S1' has the separators, not the digits)."""
    return (spelt.count("/") > 1 or spelt.count("-") > 1 or spelt.count(".") > 1) and _HINT_RE.search(spelt) is not None


def undated(spelt: str) -> str:
    """``spelt`` without its numeric dates."""
    return _DATE_RE.sub(" ", spelt)
