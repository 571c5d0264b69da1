"""Words the reference tables spell, for the reader's typo repair: a word spelled as CMS spells it is a word, never a
typo of another ('infection' is not 'injection', 'medication' not 'meditation'), even where no phrase of the lexicon
uses it."""
from __future__ import annotations

import re
from pathlib import Path

from ..answer.reader.lexicon import MIN_TYPO_LENGTH
from ..tsv import read_tsv

# reference table → the column that holds its wording (diagnosis and procedure titles, index and Body Part Key terms)
SPELLING_SOURCES = {"icd10cm_spine.tsv": "description", "icd10pcs_index.tsv": "term", "icd10pcs_body_part_key.tsv": "term",
                    "icd10pcs_titles_other_sections.tsv": "title", "icd10pcs_codes_other_years.tsv": "title"}
WORD = re.compile(r"[a-z]+")


def spelled_words(ref: Path, phrases: dict) -> dict[str, int]:
    """{word: 1} for every word of at least MIN_TYPO_LENGTH letters the reference wordings spell and no phrase has
    (a phrase's own words are known to the reader already); a dict so the reader reads it a bucket at a time."""
    known = {word for phrase in phrases for word in phrase.split()}
    words = {word for name, column in SPELLING_SOURCES.items() for row in read_tsv(ref / name)
             for word in WORD.findall(row[column].lower()) if len(word) >= MIN_TYPO_LENGTH}
    return dict.fromkeys(sorted(words - known), 1)


def spaced_hyphens(phrases: dict[str, list]) -> None:
    """Give every phrase written with a hyphen between words of letters its spaced spelling too, where no phrase has it
    ('post-laminectomy syndrome' as 'post laminectomy syndrome', 'x-ray' as 'x ray'): text writes both, and the reader
    splits a hyphen the other way (reader/hyphens.py). Not where a part is one letter: alone, a letter is a side, an
    article or a region's ('L spine of scapula' is the left scapula's spine, 'a line' no 'a-line')."""
    for phrase in [p for p in phrases if "-" in p]:
        parts = [part for word in phrase.split() for part in word.split("-")]
        if all(part.isalpha() and len(part) > 1 for part in parts):
            phrases.setdefault(phrase.replace("-", " "), [list(e) for e in phrases[phrase]])
