"""Vertebral-level notation."""
from __future__ import annotations

import pytest

from spinekg.errors import SpinekgError
from spinekg.answer.levels import find_levels, segment_names
from spinekg.vocab import normalise


@pytest.mark.parametrize("text,spans,rest", [
    ("L4-L5 microdiscectomy", [("L4", "L5")], "microdiscectomy"),
    ("L4/5 decompression", [("L4", "L5")], "decompression"),
    ("L4-5", [("L4", "L5")], ""),
    ("C5\u2013C6 ACDF", [("C5", "C6")], "acdf"),
    ("L5S1 fusion", [("L5", "S1")], "fusion"),
    ("fusion L2 to S1", [("L2", "S1")], "fusion"),
    ("C3 through C7 laminoplasty", [("C3", "C7")], "laminoplasty"),
    ("T12-L1 fusion", [("T12", "L1")], "fusion"),
    ("Th12-L1", [("T12", "L1")], ""),
    ("occiput-C2 fusion", [("C0", "C2")], "fusion"),
    ("occipitocervical fusion O-C3", [("C0", "C3")], "occipitocervical fusion"),  # the occiput written short opens a range
    ("Oc-C2 fusion", [("C0", "C2")], "fusion"),
    ("Occ-T2 fusion", [("C0", "T2")], "fusion"),
    ("O to C4 fusion", [("C0", "C4")], "fusion"),
    ("O fusion", [], "o fusion"),  # only before a range
    ("O-L4 fusion", [("L4", None)], "o- fusion"),  # only down the cervical or upper thoracic spine
    ("S1 nerve root decompression", [("S1", None)], "nerve root decompression"),
    ("L4-L5 and L5-S1 TLIF", [("L4", "L5"), ("L5", "S1")], "and tlif"),
    ("laminectomy L 4-5", [("L4", "L5")], "laminectomy"),  # dictated: a space after the letter before a range
    ("ACDF C 5/6", [("C5", "C6")], "acdf"),
    ("L 4-L 5 decompression", [("L4", "L5")], "decompression"),
    ("L 5 to S 1", [("L5", "S1")], ""),
    ("L 4 fusion", [], "l 4 fusion"),  # no range: 'L' may be the left side
    ("L 4-5a fusion", [], "l 4-5a fusion"),
    ("thoracic aorta repair", [], "thoracic aorta repair"),
    ("TLIF", [], "tlif"),
])
def test_notation(text, spans, rest):
    found, remainder = find_levels(normalise(text), root_context=True)
    assert [(s.upper, s.lower) for s in found] == spans
    assert remainder == rest


def test_levels_joined_by_and_may_come_in_either_order_and_a_range_may_not():
    assert [(s.text, s.upper, s.lower) for s in find_levels("l1 and t12 kyphoplasty")[0]] == [("l1 and t12", "T12", "L1")]
    assert [(s.upper, s.lower) for s in find_levels("l5 and l4")[0]] == [("L4", "L5")]
    for backwards in ("l5-l4", "l5 to l4", "l5/l4"):
        with pytest.raises(SpinekgError, match="wrong order"):
            find_levels(backwards)


def test_range_expands_to_segments():
    span = find_levels("l2 to s1")[0][0]
    assert segment_names(span) == [("L2", "L3"), ("L3", "L4"), ("L4", "L5"), ("L5", "S1")]


@pytest.mark.parametrize("text,message", [
    ("l5-l4", "level L5-L4 is in the wrong order; write the upper level first (L4-L5)"),
    ("s1-l5", "wrong order"),
    ("l7", "L7 is not a vertebral level (valid L levels: L1-L5)"),
    ("l6 fusion", "L6 is not a vertebral level"),
    ("c9", "C9 is not a vertebral level"),
    ("t13-l1", "T13 is not a vertebral level"),
    ("s6", "S6 is not a vertebral level"),
])
def test_bad_levels(text, message):
    with pytest.raises(SpinekgError, match=message.replace("(", r"\(").replace(")", r"\)")):
        find_levels(text)


def test_c8_is_a_root_only():
    assert [(s.upper, s.lower) for s in find_levels("c8", root_context=True)[0]] == [("C8", None)]
    with pytest.raises(SpinekgError):
        find_levels("c8")


def test_level_matches_fast_pattern_same_spans():
    """The case-sensitive pattern used on lower-case ASCII text finds exactly what the general pattern finds."""
    import re

    from spinekg.answer.levels import _PATTERN, level_matches

    folding = re.compile(_PATTERN, re.IGNORECASE)

    texts = ["l4-5 tlif", "acdf c5-6/c6-7", "occiput-c2 fusion", "c0-c1", "t10 to pelvis", "l2 through s1", "th12 l1",
             "l5s1", "xl4-5", "sl4", "co1 excision", "oc1", "c3 and c4", "s/p l3-4", "tl4 t4", "L4-5 TLIF", "ſ1 ı"]
    for text in texts:
        fast = [(m.span(), m.group('upper'), m.group('lower')) for m in level_matches(text)]
        assert fast == [(m.span(), m.group('upper'), m.group('lower')) for m in folding.finditer(text)], text
    assert [m.group(0) for m in level_matches("acdf c5-6/c6-7 and l4 to s1")] == ["c5-6", "c6-7", "l4 to s1"]


def test_the_lazily_compiled_level_pattern_finds_what_the_case_folding_one_finds():
    """levels._TOKEN matches ASCII text in lower case (and skips text with no digit and no 'occ'): on 20,000
    texts drawn with a fixed seed from level words, separators, case variants and the non-ASCII letters that
    IGNORECASE folds ('ſ', 'ı', 'İ'), every match has the same span and groups as the case-folding pattern's."""
    import random
    import re

    from spinekg.answer.levels import _PATTERN, _TOKEN

    folding = re.compile(_PATTERN, re.IGNORECASE)
    parts = list("ctlsCTLSoOhHiIxX0123456789-/ .,") + ["occiput", "OCCIPUT", "thru", "THROUGH", " to ", "AND", "Th",
                                                        "co", "Oc", "C0", "L4", "S1", "T12", "\u017f", "\u0131", "\u0130", "\u0663"]
    draw = random.Random(17)
    for _ in range(20_000):
        text = "".join(draw.choice(parts) for _ in range(draw.randint(1, 12)))
        expected = [(m.span(), m.group(0), m.group("upper"), m.group("lower")) for m in folding.finditer(text)]
        assert [(m.span(), m.group(0), m.group("upper"), m.group("lower")) for m in _TOKEN.finditer(text)] == expected, text
        for _, words, _, _ in expected:  # a match read alone is that one match (the reader reads each level so)
            assert [m.group(0) for m in folding.finditer(words)] == [words], (text, words)


def test_run_together_levels_are_found_as_the_plain_pattern_finds_them():
    """levels.run_together scans with the letter first (faster than a leading \\b): the same matches, Unicode included."""
    import random
    import re

    from spinekg.answer.levels import _RUN_LEVELS_RE, run_together

    plain = re.compile(r"\b([ctls])([1-9])([1-9])\b")
    rnd = random.Random(3)
    alphabet = "ctls0123456789 -abx_/\u00e9\u00df"
    for _ in range(50_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
        assert [m.span() for m in _RUN_LEVELS_RE.finditer(text)] == [m.span() for m in plain.finditer(text)], text
    assert run_together("l45 tlif, c56 acdf, t12 kypho, c12, xl45, s12 l34") == "l4-5 tlif, c5-6 acdf, t12 kypho, c1-2, xl45, s1-2 l3-4"


@pytest.mark.parametrize("text, expected", [
    ("c4-5-6 acdf", "c4-5 c5-6 acdf"),  # a chain names every segment between consecutive levels
    ("l4-l5-s1 fusion", "l4-5 l5-s1 fusion"),
    ("l3/4/5 decompression", "l3-4 l4-5 decompression"),
    ("t12-l1-l2 fixation", "t12-l1 l1-2 fixation"),
    ("c3-4-5-6 laminoplasty", "c3-4 c4-5 c5-6 laminoplasty"),
    ("c5-6/6-7 acdf", "c5-6 c6-7 acdf"),  # ranges listed end to start, the second without its letter
    ("acdf c5-6/c6-7", "acdf c5-6/c6-7"),  # ranges listed end to start, each with its letter: as written
    ("l4/5-l5/s1 tlif", "l4/5-l5/s1 tlif"),
    ("l4-5 tlif", "l4-5 tlif"),  # a range alone, a list with commas, no level: as written
    ("l2-3, 3-4 decompression", "l2-3, 3-4 decompression"),
    ("3-4-5 triangle", "3-4-5 triangle"),
])
def test_chains_of_levels_are_the_ranges_between_neighbours(text, expected):
    from spinekg.answer.levels import unchained

    assert unchained(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("c4-5, 5-6, 6-7 acdf", "c4-5, c5-6, c6-7 acdf"),  # later ranges of a list take the letter written before them
    ("l2-3, 3-4 and 4-5 decompression", "l2-3, l3-4 and l4-5 decompression"),
    ("c5-6 & 6-7 acdf", "c5-6 & c6-7 acdf"),
    ("l4-5,5-s1 fusion", "l4-5,l5-s1 fusion"),  # a lettered lower end is kept
    ("t12-l1, 1-2 fusion", "t12-l1, l1-2 fusion"),  # the last letter written: L, not T
    ("acdf c5-6, c6-7", "acdf c5-6, c6-7"),  # every item lettered: as written
    ("l4-5, 5-6 fusion", "l4-5, 5-6 fusion"),  # no L6: not levels of that letter, as written
    ("l4-5, 2-3 levels", "l4-5, 2-3 levels"),  # a count, not levels
    ("kyphoplasty t11,12", "kyphoplasty t11 and t12"),  # a comma and no space between a level and the next number
    ("acdf c5,6", "acdf c5 and c6"),
    ("l4,2 levels", "l4,2 levels"),  # a count
    ("l5,6 fusion", "l5,6 fusion"),  # no L6
    ("l4-5 tlif", "l4-5 tlif"),
    ("l4/5, 5/s1 tlif", "l4/5, l5/s1 tlif"),  # ranges written with '/' (UK notes)
    ("c4/5, 5/6, 6/7 acdf", "c4/5, c5/6, c6/7 acdf"),
    ("t12/l1, 1-2 fusion", "t12/l1, l1-2 fusion"),
    ("l4/5, 5/6", "l4/5, 5/6"),  # no L6
    ("tlif l4-5, 3/2/24", "tlif l4-5, 3/2/24"),  # a date, not a list item
])
def test_a_list_of_levels_gives_its_letter_to_the_items_that_drop_it(text, expected):
    from spinekg.answer.levels import lettered_lists

    assert lettered_lists(text) == expected
