"""Levels that a decision cannot tell apart, so that one decision serves them all.

A clause's decision uses its levels only through the anatomy terms they may name (a single level: its nerve root
or vertebra; a range: each segment's disc, motion segment and two vertebrae; see ``reading._sites_of``). Terms
such as the C3-C4 and the C5-C6 intervertebral disc have the same ancestors, zones, regions and paths but for
their own name: every answer about one is the answer about the other with the name and label swapped. Levels
whose terms pair up that way, position by position, are one *level class*; a decision made at one of them is
renamed for the others (``Renaming``) instead of made again, which is what bulk text at many levels needs."""
from __future__ import annotations

from itertools import count

from ...namespaces import SPINEKG
from ..levels import LevelSpan, segment_names

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..composer import Composer


def level_terms(span: LevelSpan) -> tuple[str, ...]:
    """Every anatomy term name the span may name, in a fixed order (present in the index or not)."""
    if span.is_single:
        return (f"NerveRoot{span.upper}", f"Vertebra{span.upper}")
    return tuple(name for upper, lower in segment_names(span)
                 for name in (f"Disc{upper}{lower}", f"MotionSegment{upper}{lower}", f"Vertebra{upper}", f"Vertebra{lower}"))


# Class numbers are never reused, by any LevelClasses: a decision kept under a number (in a composer's memo, which may
# be emptied and given a new LevelClasses while a decision is being made) can only ever mean the class it was made for.
_NUMBERS = count()


class LevelClasses:
    """The level classes of one composer's index (shapes worked out once per term, classes once per levels)."""

    def __init__(self, comp: Composer):
        self.comp = comp
        self.anatomy = comp.index["anatomy"]
        zones = comp.index["zones"]
        procedures = comp.index["procedures"]
        # terms that are themselves a zone or a procedure's kind of site are decided by name: never renamed
        self.named = set(zones["all"]) | set(zones["closed"]) | {t for pair in zones["disjoint"] for t in pair} | {
            t for info in procedures.values() for group in info["sites"] + info["site_only"] for t in group}
        self.shapes: dict[str, object] = {}
        self.classes: dict[tuple, tuple] = {}
        self.numbers: dict[tuple, int] = {}  # each class as a number (cheap to hash at every look-up; a nested tuple is not)
        self.free: dict[tuple[str, tuple[str, ...]], bool] = {}

    def shape(self, term: str) -> object:
        """What a decision can see of ``term`` other than its name: its index entry with its own name blanked."""
        found = self.shapes.get(term)
        if found is None:
            if term in self.named or term in ("Disc", "Vertebra", "NerveRoot", "MotionSegment"):
                found = ("§named", term)
            elif term not in self.anatomy:
                found = ("§absent",)
            else:
                entry = self.anatomy[term]
                found = (repr(entry).replace(repr(term), "'§'"), self.comp.terms[term]["kind"] if term in self.comp.terms else None)
            self.shapes[term] = found
        return found

    def of(self, spans: list[LevelSpan], key: tuple | None = None) -> tuple:
        """(class number, term names, their labels: None for a name not in the index) of the spans (``key``: their
        (upper, lower) names, if the caller has them); the class also records which names repeat, so that renaming one
        level class member into another is one-to-one."""
        if key is None:
            key = tuple((s.upper, s.lower) for s in spans)
        found = self.classes.get(key)
        if found is not None:
            return found
        names = tuple(n for s in spans for n in level_terms(s))
        first: dict[str, int] = {}
        pattern = tuple(first.setdefault(n, i) for i, n in enumerate(names))
        terms = self.comp.terms
        labels = tuple(terms[n]["label"] if n in terms else None for n in names)
        shaped = (tuple(s.is_single for s in spans), pattern, tuple(self.shape(n) for n in names))
        number = self.numbers.get(shaped)
        if number is None:
            if len(self.numbers) > 50_000:
                self.numbers.clear()
            number = self.numbers[shaped] = next(_NUMBERS)
        found = (number, names, labels)
        if len(self.classes) > 50_000:
            self.classes.clear()
        self.classes[key] = found
        return found

    def renamable(self, signature: str, names: tuple[str, ...]) -> bool:
        """Whether no level term of ``names`` is named by the words too ('C1-2 fusion of the atlas'): such a term would be
        renamed with the level (worked out once per decision signature and levels)."""
        key = (signature, names)
        found = self.free.get(key)
        if found is None:
            if len(self.free) > 50_000:
                self.free.clear()
            found = self.free[key] = not any(name in signature for name in names)
        return found


def split_at_labels(line: str, labels: tuple[str, ...]) -> list[str]:
    """``line`` split at whole-word occurrences of ``labels`` (the first listed wins where two start at one place), each
    label kept between the pieces: what ``re.split`` with one group gives. Not a regular expression: answer/regex.py
    keeps every pattern it compiles in a twin read at every cold start, which is for the modules' fixed patterns,
    never for patterns made from the index's labels (thousands of them made that twin 13 MB)."""
    labels = tuple(label for label in labels if label in line)  # most lines name none: one C-level scan each
    if not labels:
        return [line]
    parts, last = [], 0
    while True:
        found = None
        for label in labels:
            at = line.find(label, last)
            while at >= 0 and not _whole_word(line, at, at + len(label)):
                at = line.find(label, at + 1)
            if at >= 0 and (found is None or at < found[0]):
                found = (at, label)
        if found is None:
            parts.append(line[last:])
            return parts
        at, label = found
        parts += [line[last:at], label]
        last = at + len(label)


def _whole_word(line: str, start: int, end: int) -> bool:
    """No word character or hyphen touches line[start:end] (the regular expression's (?<![\\w-]) and (?![\\w-]))."""
    return not (start and (line[start - 1].isalnum() or line[start - 1] in "_-")) and \
        not (end < len(line) and (line[end].isalnum() or line[end] in "_-"))


class Renaming:
    """A decision made at some levels, ready to be renamed to other levels of the same class: each explanation line
    split at the labels of the level terms, the sites as term positions."""

    __slots__ = ("names", "lines", "sites", "reading_sites", "made")

    def __init__(self, explanation: list[str], verdict_sites: list[str], reading_sites: list[dict],
                 names: tuple[str, ...], labels: tuple[str | None, ...]):
        self.names = names
        present = {n: i for i, n in reversed(list(enumerate(names))) if labels[i] is not None}
        positions = {labels[i]: i for i in present.values()}
        whole = "\n".join(explanation)
        positions = {label: i for label, i in positions.items() if label in whole}  # most labels are in no line
        if positions:
            ordered = tuple(sorted(positions, key=len, reverse=True))  # the longest label where two start at one place
            self.lines = [line if len(parts := split_at_labels(line, ordered)) == 1 else
                          [positions[p] if k % 2 else p for k, p in enumerate(parts)] for line in explanation]
        else:
            self.lines = list(explanation)
        self.sites = [present.get(s, s) for s in verdict_sites]
        self.reading_sites = [present.get(s["iri"][len(SPINEKG):], dict(s)) if s["iri"].startswith(SPINEKG) else dict(s)
                              for s in reading_sites]  # copies: the caller may change the reading it got
        self.made: dict[tuple[str, ...], tuple] = {}  # names → what ``renamed`` gives for them (a class has few members)

    def renamed(self, names: tuple[str, ...], labels: tuple[str | None, ...]) -> tuple[list[str], list[str], list[dict]]:
        """The explanation, the verdict's sites and the reading's sites with the level terms ``names`` (same class) in
        place of the ones the decision was made at: lists of the caller's own."""
        made = self.made.get(names)
        if made is None:
            if len(self.made) > 64:
                self.made.clear()
            made = self.made[names] = (
                [line if isinstance(line, str) else "".join(p if isinstance(p, str) else labels[p] for p in line)  # type: ignore[misc]
                 for line in self.lines],
                [names[s] if isinstance(s, int) else s for s in self.sites],
                [{"iri": SPINEKG + names[s], "label": labels[s]} if isinstance(s, int) else s for s in self.reading_sites])
        explanation, sites, reading_sites = made
        return list(explanation), list(sites), [dict(s) for s in reading_sites]  # the caller may change what it got
