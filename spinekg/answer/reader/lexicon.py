"""The compiled lexicon (spinekg/data/lexicon.json, written by ``spinekg build``): loaded once per
process, with the word list for one-letter typo repair built only when a word is not recognised."""
from __future__ import annotations

import os
from ...memo import remember  # functools.lru_cache without importing functools

from ...errors import EXIT_ENVIRONMENT, SpinekgError
from ...paths import DATA_PATH
from ..twin import load_json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

LEXICON_PATH = os.path.join(DATA_PATH, "lexicon.json")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_TYPO_LENGTH = 7  # only long words are repaired: short ones have too many neighbours
# Sections read by key, a few entries per question: decoded a bucket at a time when first read (answer.twin.Buckets)
DEFERRED = ("phrases", "index_codes", "body_parts", "imaging", "label_words", "disorder_sites", "spelled", "section_heads",
            "index_cross_references")


class Lexicon:
    """Phrase → entries ([kind, value]), the ICD-10-PCS decision tables and the word forms."""

    def __init__(self, data: dict):
        self.phrases: dict[str, list[list[str]]] = data["phrases"]
        self.body_parts: dict[str, list] = data["body_parts"]
        self.systems: dict[str, str] = data["systems"]
        self.systems_with_sites: str = data["systems_with_sites"]
        self.root_operations: dict[str, str] = data["root_operations"]
        # the approaches each section-0 root operation's codes take (FY2025): a Change is only external ('X')
        self.root_approaches: dict[str, str] = data.get("root_approaches", {})
        self.operative: dict[str, str] = data["operative"]
        self.suffixes: dict[str, list[str]] = data["suffixes"]
        self.prefixes: dict[str, dict] = data["prefixes"]
        self.label_words: dict[str, list[str]] = data["label_words"]
        self.outside: set[str] = set(data.get("outside", ()))  # body parts provably outside the spine and the back
        self.nonoperative: set[str] = set(data.get("nonoperative", ()))  # ontology procedures that are not operations (injections, blocks)
        self.open_terms: set[str] = set(data.get("open_terms", ()))  # ontology sites that may or may not be spinal ('joint', 'bone')
        self.spinal_terms: frozenset[str] = frozenset(data.get("spinal_terms", ()))  # ontology sites in the spine
        self.spanning_terms: frozenset[str] = frozenset(data.get("spanning_terms", ()))  # … of every region ('vertebral body')
        self.index_codes: dict[str, list] = data.get("index_codes", {})
        self.disorder_sites: dict[str, list[str]] = data.get("disorder_sites", {})  # what a disorder affects (its first site)
        self.spelled: dict[str, int] = data.get("spelled", {})  # words the reference tables spell that no phrase has
        # words a phrase has beside 'left', 'right' or 'bilateral': elsewhere a side word is read alone (sides.py)
        self.side_neighbours: frozenset[str] | None = frozenset(data["side_neighbours"]) if "side_neighbours" in data else None
        self.anesthetics: frozenset[str] = frozenset(data.get("anesthetics", ()))  # the word table's neuraxial anaesthetics (flag column)
        # device values of a fusion or fixation construct (screws, rods, cage, graft: the word table's 'construct' flag)
        self.constructs: frozenset[str] = frozenset(data.get("constructs", ()))
        # one-word shorthand for one word ('fus': 'fusion', 'lumb': 'lumbar'), read as that word before phrases are matched
        self.shorthand: dict[str, str] = data.get("shorthand", {})
        self.imaging: dict[str, list] = data.get("imaging", {})  # lay site words of section B: part → [label, code, title, peers]
        # non-operative procedure names from the titles of sections 1-9, B-D, F-H: head → [section, code, title]
        self.section_heads: dict[str, list[str]] = data.get("section_heads", {})
        # coder words the index sends to an operation, and how ('casting' → 'see Immobilization'): build/lexicon_crossrefs.py
        self.index_cross_references: dict[str, str] = data.get("index_cross_references", {})
        # the most words a phrase has, as spaces + 1: a phrase the reader can match is its words joined by one
        # space (counting is a third of the cost of splitting 10,000 phrases on every cold text question)
        self.longest = data.get("longest") or max(map(str.count, self.phrases, [" "] * len(self.phrases))) + 1  # (build.lexicon stores it)
        self._words: set[str] | None = None
        self.memo: dict = {}  # what the reader derived from this lexicon alone (word runs → items), kept for reuse

    @property
    def words(self) -> set[str]:
        if self._words is None:
            self._words = {w for k in self.phrases for w in k.split() if len(w) >= MIN_TYPO_LENGTH - 1}
        return self._words

    def repair(self, word: str) -> str | None:
        """The one known word one edit (substitution, insertion, deletion, swap) away, if exactly one; for a word that
        is a word itself (of a phrase, or of the reference tables' wordings), only another ending of it ('cochlear').
        Remembered per word (a word the lexicon lacks is looked at before phrases are matched and again alone)."""
        if len(word) < MIN_TYPO_LENGTH or not word.isalpha():
            return None
        key = ("§repair", word)
        if key not in self.memo:
            self.memo[key] = self._repair(word)
        return self.memo[key]  # type: ignore[return-value]

    def _repair(self, word: str) -> str | None:
        words = self.words
        hits = sorted(w for w in one_edit(word) & words if w != word)
        if len(hits) > 1:  # 'discetomy': 'discectomy' and the word table's misspelling of it, 'disectomy', are one word
            hits = sorted({self._spelt_as(hit, hits) for hit in hits})
        if len(hits) != 1:
            return None
        if word in words or word in self.spelled:  # a word spelled right is no typo of another ('infection', 'injection'),
            return hits[0] if hits[0].startswith(word) or word.startswith(hits[0]) else None  # only its own other ending
        return hits[0]


    def _spelt_as(self, hit: str, hits: list[str]) -> str:
        """The word a known misspelling (a phrase that is only an abbreviation of one word) stands for, if among ``hits``."""
        entries = self.phrases.get(hit) or []
        return entries[0][1] if len(entries) == 1 and entries[0][0] == "abbr" and entries[0][1] in hits else hit

    def see(self, entries: list) -> list[list]:
        """The CMS index rows of a phrase's entries: [prefix, target, spine, back, operative, regions, {approach: operative}]."""
        return [[prefix, self.index_codes[prefix][5], *self.index_codes[prefix][:5]] for e in entries if e[0] == "idx"
                for prefix in e[1]["see"]]

    def stem_parts(self, stem: str) -> list[str]:
        """Body parts whose label has a word beginning with ``stem`` ('tonsill' → Tonsils), for word forms."""
        return sorted({p for word in self.stem_words(stem) for p in self.label_words[word]})

    def stem_words(self, stem: str) -> list[str]:
        """The body-part label words ``stem`` opens ('tonsill' → 'tonsils'; 'lumb' → 'lumbar', 'lumbosacral')."""
        if len(stem) < 4:
            return []
        def close(word: str) -> bool:  # 'tonsill' ~ 'tonsils', 'appendic' ~ 'appendix': all but one letter shared
            shared = next((i for i, (a, b) in enumerate(zip(stem, word)) if a != b), min(len(stem), len(word)))
            return shared >= 4 and shared >= min(len(stem), len(word)) - 1

        return sorted(word for word in self.label_words if word[:3] == stem[:3] and close(word))


def one_edit(word: str, letters: str = LETTERS) -> set[str]:
    """Every string one deletion, swap of neighbours, insertion or substitution (of ``letters``) away from ``word``
    (``word`` itself among them)."""
    found = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            found.add(head + tail[1:])
            if len(tail) > 1:
                found.add(head + tail[1] + tail[0] + tail[2:])
        for c in letters:
            found.add(head + c + tail)
            if tail:
                found.add(head + c + tail[1:])
    return found


def __getattr__(name: str) -> Path:  # LEXICON, the same place as a Path, made on first use (no pathlib on the answer path)
    if name != "LEXICON":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from pathlib import Path

    return Path(LEXICON_PATH)


def load_lexicon(path: str | Path = LEXICON_PATH) -> Lexicon:
    """The lexicon at ``path``, read once per process and place."""
    return _load_lexicon(os.fspath(path))


@remember(maxsize=2)
def _load_lexicon(path: str) -> Lexicon:
    try:
        return Lexicon(load_json(path, DEFERRED))  # entries decoded when first read (answer.twin.Deferred)
    except FileNotFoundError:
        raise SpinekgError(f"{path}: lexicon missing; run 'spinekg build' (or 'spinekg build --lexicon')", EXIT_ENVIRONMENT) from None
    except (OSError, ValueError, KeyError) as exc:
        raise SpinekgError(f"{path}: lexicon unreadable ({exc})", EXIT_ENVIRONMENT) from None
