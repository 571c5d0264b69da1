"""Columns of a theatre list or registry export that run into the procedure text: the surgeon ('L4-5 TLIF by Mr Smith',
'ACDF C5-6 (consultant: Dr Jones)', 'Prof. Brown') and the patient's ASA grade ('ASA 2', 'ASA grade III'); and the
booking that opens an entry ('Booked for …', ``booking``); a number beside a narrative word, a duration, a volume or
a record number ('120 min', 'EBL 200 mL', 'MRN 123456').

The name after a title and the grade's number are words the reader does not know, and an unknown word beside an
operation that is spinal only by default may name its site (qualified.py): 'laminectomy by Mr Smith' was
depends/depends, and an implant named alone with one after it was no longer the head of its phrase ('Interspinous
spacer L3-4 by Mr Smith' gave a level but no procedure). A title with the one word after it (and 'by' before it), and
'ASA' with its grade, are read as the word table's narrative filler words: reported nowhere, deciding nothing."""
from __future__ import annotations

from .placements import NARRATIVE, narrative
from .purposes import PURPOSE

TITLES = frozenset({"mr", "mrs", "miss", "dr", "prof", "professor"})
NAME_KINDS = frozenset({"unknown", "site", "region", "dis", "fill"})  # a surname may be a word the reader knows ('Dr Hand')
ASA = ("asa", "asa grade")  # the word table's narrative fillers the grade follows
GRADES = frozenset({"1", "2", "3", "4", "5", "6", "i", "ii", "iii", "iv", "v", "vi", "1e", "2e", "3e", "4e", "5e"})


def theatre_columns(items: list) -> None:
    """Make each surgeon's name (with its title, and 'by' before it) and each ASA grade narrative fillers, and an opening
    booking filler words (in place)."""
    for at, item in enumerate(items[:-1]):
        after = items[at + 1]
        if item.kind == "unknown" and item.words.rstrip(".") in TITLES and after.kind in NAME_KINDS and after.words.isalpha() \
                and " " not in after.words:
            named = [item, after] + ([items[at - 1]] if at and items[at - 1].words == "by" and items[at - 1].kind == "unknown" else [])
            _narrative(named, f"{item.words} {after.words}: a person's name")
        elif item.words in ASA and after.kind == "unknown" and after.words in GRADES:
            _narrative([after], f"{item.words} {after.words}: the patient's ASA grade")
        elif _number(item) and _narrative_word(after) or _narrative_word(item) and _number(after):  # '120 min', 'MRN 123456'
            number = item if _number(item) else after
            _narrative([number], f"{item.words} {after.words}: a quantity or a record number, not the procedure's")
    booking(items)


def _number(item) -> bool:  # type: ignore[no-untyped-def]
    return item.kind == "unknown" and item.words.replace(".", "", 1).isdigit()


def _narrative_word(item) -> bool:  # type: ignore[no-untyped-def]
    """A narrative filler of the word table ('min', 'ml', 'mrn'), not one made here (a grade, a name)."""
    return item.kind == "fill" and narrative(item) and not item.note


def _narrative(items: list, note: str) -> None:
    for item in items:
        item.kind, item.entries, item.note = "fill", [list(NARRATIVE)], note


# the word table's statuses of a procedure to be done later that book it, followed by 'for': 'Booked for …', 'Listed for …'
# (not 'will need', 'candidate for', 'planned', 'proposed': those say what is to be done beside what is done today, 'L4-5
# ESI today; will need L4-5 fusion', whose fusion is not counted)
BOOKING_WORDS = frozenset({"booked", "listed", "scheduled"})


def booking(items: list) -> None:
    """A text that opens with a booking ('Booked for …', 'Listed for …', 'Scheduled for …') is a theatre list's entry: what it
    names is the procedure booked, all of it, so the status and its 'for' are the entry's heading (filler words), not
    a status of the first procedure alone (which left it uncounted beside the rest of its own description: 'Booked for
    Laminotomy (partial), with release of nerve root(s); 1 level, lumbar' was depends/depends). Later in a text a status
    keeps its place ('L4-5 ESI today. Booked for L4-5 TLIF'). Run before the rules
    that look at the words before a verb or an epidural ('Booked for Drain epidural abscess', 'Booked for Labor epidural')."""
    first = items[0] if items else None
    if first is None or first.kind != "status" or first.words.removesuffix(f" {PURPOSE}") not in BOOKING_WORDS:
        return
    heading = items[:1] if first.words.endswith(f" {PURPOSE}") else items[:2] if len(items) > 1 and items[1].words == PURPOSE else []
    for it in heading:
        it.kind, it.note = "fill", f"{first.words!r} opens a booking: the text names the procedure booked"
