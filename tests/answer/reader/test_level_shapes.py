"""Texts that differ only in their levels take the tokens of the first text of their shape (reader/level_shapes.py):
every such text gets exactly the tokens and levels (or the error) of reading it in full, whichever text of its shape
came first, and the shortcut is taken where it is meant to be."""
from __future__ import annotations

import pytest

from spinekg.answer.reader import forget
from spinekg.answer.reader import grammar
from spinekg.answer.reader.level_shapes import _PLAIN_RE
from spinekg.errors import SpinekgError
from test_reader_memo import table_phrases

# plain levels of every region and form, levels no region has ('c9', 'l6', 'T13'), runs ('l45'), toe modifiers ('t2')
LEVELS = ["c1", "C2", "c1-2", "c5-6", "C5-C6", "c7-t1", "c8", "c9", "t1", "t2", "T9", "t10", "t12", "T13", "t4-5",
          "t11-12", "T12-L1", "l1", "l5", "l6", "L4-5", "L5-S1", "l45", "c56", "t1-t2", "l5-5", "c7-c6"]
PREFIXED = ["C5-6", "t2", "T12-L1", "l4-5", "L5-S1", "c9"]
# where a level's neighbours or its own digits decide how the text is read: lists and chains of bare numbers, a comma
# pair, the pelvis, a date, a count, toes, the sacroiliac joint, levels joined by words
HAZARDS = ["C5-6, 6-7 ACDF", "ACDF C5-6,6-7", "T11,12 kyphoplasty", "C5-6/6-7 ACDF", "C4-5-6 ACDF", "L4-5 - 5-S1 TLIF",
           "T4-pelvis fusion", "T10 to pelvis PSF", "T10 to the pelvis", "removal of halo C1-2 12/03/2024", "x2 levels L4-5",
           "L4-5 TLIF x 2", "hammertoe correction T2", "toe amputation t3 and t4", "T2 bunionectomy", "L5 SI joint fusion",
           "L5-SI fusion", "S1 joint fusion", "L4 and L5 laminectomy", "L4 to L5 fusion", "C5 C6 corpectomy", "l45 tlif",
           "C5-6 and C6-7 ACDF", "T12-L1, L1-2 fusion", "(L4-5) TLIF", "TLIF (L4-5)", "L4-5; L5-S1 decompression",
           "Carbon 11 (C-11) PET", "D12 fracture T12 fixation", "C7 T1 laminectomy", "L3-4 4-5 laminectomy",
           "revision L4-5 2 rods", "T4-5 T5-6 T6-7 fusion", "L4 5 TLIF", "C 5-6 ACDF", "L4-5 - L5-S1 TLIF",
           "L3-4 - L5-S1 TLIF", "L5 and S1 nerve root block", "L4 through L5 fusion", "C5/C6 ACDF", "T10 - T12 fusion",
           "S1 and L5 block", "occ-C2 fusion", "O-C3 fusion", "L 4-5 TLIF", "C5 to T1 fusion"]


def outcome(read, text: str) -> tuple:
    try:
        toks, spans = read(text)
    except SpinekgError as exc:
        return ("error", exc.message)
    return ("read", toks, [(s.text, s.upper, s.lower) for s in spans])


def variants(text: str) -> list[str]:
    """``text`` with its first plain level, and with every one, replaced by each of LEVELS; and with a level before it."""
    lowered = text.lower()
    found = [m.span() for m in _PLAIN_RE.finditer(lowered)]
    out = [f"{level} {text}" for level in PREFIXED]
    for level in LEVELS if found else ():
        (start, end), rest = found[0], found[1:]
        out.append(text[:start] + level + text[end:])
        if rest:
            whole, last = [], 0
            for s, e in found:
                whole += [text[last:s], level]
                last = e
            out.append("".join(whole) + text[last:])
    return out


def texts() -> list[str]:
    base = table_phrases() + HAZARDS
    return [v for text in base for v in [text, *variants(text)]]


@pytest.mark.parametrize("order", ["as listed", "reversed"])
def test_a_shared_shape_reads_as_the_text_read_in_full(order):
    """Each text's tokens and levels, or its error, are those of reading it in full (``grammar._marked``), with the
    shapes remembered from whichever text of each came first."""
    listed = texts()
    listed = listed if order == "as listed" else listed[::-1]
    forget()
    differ = [(text, outcome(grammar.marked, text), outcome(grammar._marked, text)) for text in listed]
    differ = [d for d in differ if d[1] != d[2]]
    assert not differ[:5], f"{len(differ)} of {len(listed)} texts read otherwise by shape"
    assert len(listed) > 25_000


def test_the_shape_is_shared_where_only_the_levels_differ(monkeypatch):
    read = []

    def counted(text):
        read.append(text)
        return slow(text)

    slow = grammar._marked
    monkeypatch.setattr(grammar, "_marked", counted)
    forget()
    assert grammar.marked("L4-5 TLIF for stenosis")[0] == ("§0", "tlif", "for", "stenosis")
    assert "L4-5 TLIF for stenosis" in read and "l4-5" in read  # the text, and its level alone (that it is plain)
    read.clear()
    toks, spans = grammar.marked("t12-L1 tlif FOR stenosis")  # another level, another case: the same shape
    assert (toks, [(s.upper, s.lower) for s in spans]) == (("§0", "tlif", "for", "stenosis"), [("T12", "L1")])
    assert read == ["t12-l1"]  # only the new level, alone
    read.clear()
    grammar.marked("C5-6, 6-7 ACDF")  # a bare number after a level: read in full, and again each time
    grammar.marked("C4-5, 6-7 ACDF")
    grammar.marked("L4 TLIF for stenosis")  # a single level where the shape's first text had a range: read in full
    assert read[0] == "C5-6, 6-7 ACDF" and "C4-5, 6-7 ACDF" in read and "L4 TLIF for stenosis" in read
