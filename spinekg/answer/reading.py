"""Turn user input (an IRI, CURIE, label, synonym, abbreviation or operative phrase) into a procedure
and its sites. Region words such as 'cervical' count as the spine only next to a spinal procedure, so
the uterine cervix, cervical lymph nodes and the thoracic aorta are never read as the spine."""
from __future__ import annotations


from ..errors import SpinekgError
from .levels import LevelSpan, find_levels, lettered_lists, run_together, segment_names, unchained
from .records import Record
from ..vocab import normalise

FILLER = {"at", "level", "levels", "of", "the", "on", "in", "from", "a", "an", "and", "with", "spine", "surgery", "procedure", "operation", "for"}
# Region words usable as a site before a spinal procedure ("lumbar laminectomy").
REGION_WORDS = {
    "cervical": "CervicalSpine", "neck": "CervicalSpine", "thoracic": "ThoracicSpine", "dorsal": "ThoracicSpine",
    "lumbar": "LumbarSpine", "low back": "LowerBack", "lower back": "LowerBack", "sacral": "SacralSpine",
    "coccygeal": "CoccygealSpine", "lumbosacral": "LumbosacralJunction", "thoracolumbar": "ThoracolumbarJunction",
    "cervicothoracic": "CervicothoracicJunction", "craniocervical": "CraniocervicalJunction",
    "occipitocervical": "CraniocervicalJunction", "sacrococcygeal": "SacrococcygealJunction",
}
ROOT_WORDS = ("root", "radicul")


class Reading(Record):
    """What the input was understood to mean: the procedure, explicit sites (from levels or region words)
    and the level expressions as written."""

    FIELDS = ("procedure", "sites", "levels")

    def __init__(self, procedure: str, sites: list[str] | None = None, levels: list[str] | None = None):
        self.procedure = procedure
        self.sites = [] if sites is None else sites
        self.levels = [] if levels is None else levels


def lookup(phrase: str, index: dict) -> list[str]:
    return index["lexicon"].get(normalise(phrase), [])


def suggestions(phrase: str, index: dict, kinds: tuple[str, ...] = ("procedure",)) -> list[str]:
    """Labels of the closest procedure names, for the error message."""
    import difflib  # only for an error message

    keys = [k for k, ids in index["lexicon"].items() if any(index["terms"][i]["kind"] in kinds for i in ids)]
    close = difflib.get_close_matches(normalise(phrase), keys, n=5, cutoff=0.6)
    labels: list[str] = []
    for key in close:
        for term in index["lexicon"][key]:
            label = index["terms"][term]["label"]
            if index["terms"][term]["kind"] in kinds and label not in labels:
                labels.append(label)
    return labels[:3]


def _single_procedure(phrase: str, ids: list[str], index: dict) -> str | None:
    procedures = [i for i in ids if index["terms"][i]["kind"] == "procedure"]
    if len(procedures) > 1:
        labels = ", ".join(f"{index['terms'][i]['label']} (spinekg:{i})" for i in procedures)
        raise SpinekgError(f"{phrase!r} is ambiguous: it names {labels}; use the full name or the CURIE")
    return procedures[0] if procedures else None


def _not_a_procedure(text: str, ids: list[str], index: dict) -> SpinekgError:
    term = index["terms"][ids[0]]
    kind = "anatomical site" if term["kind"] == "anatomy" else term["kind"]
    return SpinekgError(f"{text!r} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} "
                        f"({term['label']}), not a procedure; name an operation, e.g. 'L4-L5 microdiscectomy'")


def _span_sites(span: LevelSpan, procedure: str, rest: str, index: dict) -> list[str]:
    """Anatomy terms for one level expression, specialised to the procedure's own kind of site (worked out
    once per index, level, procedure and mention of a root)."""
    memo = _memo(index)
    key = (span.upper, span.lower, procedure, any(word in rest for word in ROOT_WORDS))
    if key not in memo:
        memo[key] = _sites_of(span, procedure, key[3], index)
    return list(memo[key])


VERTEBRAL_BODY = "VertebralBody"  # a procedure on vertebral bodies (corpectomy, vertebroplasty, kyphoplasty): a range
# names the vertebrae it spans ('T11-L1 vertebroplasty': T11, T12 and L1, the last a lumbar vertebra), where a disc or
# fusion procedure's range names the motion segments between them (T12-L1 counts as thoracic: README, hard cases)


def _sites_of(span: LevelSpan, procedure: str, root_named: bool, index: dict) -> list[str]:
    anatomy = index["anatomy"]
    site_kinds = {name for site in index["procedures"][procedure]["sites"] for name in site}
    if span.is_single:
        wants_root = root_named or "SpinalNerveRoot" in site_kinds
        root, vertebra = f"NerveRoot{span.upper}", f"Vertebra{span.upper}"
        if wants_root and root in anatomy:
            return [root]
        if vertebra in anatomy:
            return [vertebra]
        raise SpinekgError(f"{span.text!r} names a nerve root only; say '{span.upper} nerve root ...'")
    sites = []
    pairs = segment_names(span)
    vertebrae = [f"Vertebra{name}" for name in [pairs[0][0]] + [lower for _, lower in pairs]] if pairs else []
    if VERTEBRAL_BODY in site_kinds and vertebrae and all(v in anatomy for v in vertebrae):
        return vertebrae  # 'T12-L1 corpectomy', 'T11-L1 vertebroplasty': each vertebral body of the range, not its discs
    for upper, lower in pairs:
        pair = f"{upper}{lower}"
        disc, segment = f"Disc{pair}", f"MotionSegment{pair}"
        if disc in anatomy and _is_within(disc, site_kinds, index):
            sites.append(disc)
        elif segment in anatomy:
            sites.append(segment)
        else:  # fused sacral segments: name the vertebrae
            sites.extend(v for v in (f"Vertebra{upper}", f"Vertebra{lower}") if v in anatomy and v not in sites)
    return sites


def _is_within(anatomy_term: str, site_kinds: set[str], index: dict) -> bool:
    """True when ``anatomy_term`` is one of the procedure's kinds of site (its disc, say)."""
    lineage = set(index["anatomy"][anatomy_term]["ancestors"]) | {anatomy_term}
    return bool(site_kinds & lineage)


def _has_spinal_site(procedure: str, index: dict) -> bool:
    """A procedure a region word may localise: none of its own sites is provably outside the spine."""
    anatomy = index["anatomy"]
    return all(anatomy.get(name, {}).get("spinal") != "no"
               for site in index["procedures"][procedure]["sites"] for name in site)


BY_LENGTH = sorted(REGION_WORDS.items(), key=lambda item: -len(item[0]))
_MEANINGS: dict[int, tuple[dict, dict]] = {}  # id(index) → (index, {words without levels: meaning})


def _memo(index: dict) -> dict:
    """What this module worked out from ``index`` alone (kept while the same index object is used)."""
    held = _MEANINGS.get(id(index))
    if held is None or held[0] is not index:
        if len(_MEANINGS) > 8:
            _MEANINGS.clear()
        held = _MEANINGS[id(index)] = (index, {})
    if len(held[1]) > 200_000:
        held[1].clear()
    return held[1]


def _meaning(rest: str, index: dict) -> tuple:
    """What the words left after the levels name, remembered per index (they repeat across levels):
    (words without filler, ids of the words as written, ids of those words, (procedure, region site) named
    after a region word, or (ids,) when that name is ambiguous, or None)."""
    memo = _memo(index)
    if rest in memo:
        return memo[rest]
    written_ids = lookup(rest, index)  # the phrase as written first ("spine surgery" is not filler here)
    words = " ".join(w for w in rest.split() if w not in FILLER)
    ids = written_ids or lookup(words, index)
    found = None
    if not ids:
        for word, site in BY_LENGTH:
            if words.startswith(word + " "):
                named = lookup(words[len(word):], index)
                procedures = [i for i in named if index["terms"][i]["kind"] == "procedure"]
                if len(procedures) > 1:
                    found = (named,)
                    break
                if procedures and _has_spinal_site(procedures[0], index):
                    found = (procedures[0], site)
                    break
    memo[rest] = (words, written_ids, ids, found)
    return memo[rest]


_NAME_WORDS: dict[int, tuple[dict, int, frozenset[str]]] = {}  # id(index) → (index, lexicon size, words of its names)
# words that may belong to a level expression (levels.py): the occiput written short, a dictated 'L 4-5', separators
LEVEL_WORDS = frozenset({"occ", "oc", "o", "c", "t", "l", "s", "th", "co", "to", "through", "thru", "and"})


def cannot_be_a_name(text: str, index: dict) -> bool:
    """True when ``read_known`` surely finds no name in ``text`` (it can only raise a level error then): a word of it is in
    no name of the index, is no filler or region word, and cannot be part of a level. Known only once the index's whole
    lexicon is in memory (a bulk run reads it whole; one question reads a few of its buckets): otherwise False. It saves
    a bulk reader looking for levels twice in text the compositional reader reads anyway."""
    lexicon = index["lexicon"]
    if getattr(lexicon, "pending", None) or len(text) > 500:
        return False
    held = _NAME_WORDS.get(id(index))
    if held is None or held[0] is not index or held[1] != len(lexicon):
        if len(_NAME_WORDS) > 8:
            _NAME_WORDS.clear()
        words = frozenset(w for key in lexicon for w in key.split()) | FILLER | {w for r in REGION_WORDS for w in r.split()}
        held = _NAME_WORDS[id(index)] = (index, len(lexicon), words)
    words = text.lower().replace(",", " ").split() if text.isascii() else normalise(text).split()  # normalise's words
    for word in set(words).difference(held[2]):  # most words are known: only the others are looked at in Python
        if word not in LEVEL_WORDS and (bare := word.strip(".;:")) and bare not in held[2] and "occiput" not in word \
                and not any(map(str.isdigit, bare)):
            return True
    return False


def read(text: str, index: dict, suggest: bool = True) -> Reading:
    """Understand ``text`` or raise a SpinekgError with the closest matches (``suggest=False``: without them,
    for a caller that reads the text another way next)."""
    reading, rest = read_known(text, index)
    if reading is None:
        raise SpinekgError(f"unknown procedure {text.strip()!r}", suggestions=suggestions(rest, index) if suggest else None)
    return reading


def read_known(text: str, index: dict) -> tuple[Reading | None, str]:
    """``read`` without the 'unknown procedure' error: (None, the words left after the levels) instead, for a
    caller that then reads the text another way (raising and catching that error costs as much as a look-up)."""
    if not text or not text.strip():
        raise SpinekgError("empty input: name a procedure, e.g. 'L4-L5 microdiscectomy'")
    if len(text) > 500:
        raise SpinekgError(f"input of {len(text)} characters is too long for a procedure name (limit 500)")
    phrase = normalise(text)
    whole = index["lexicon"].get(phrase, []) if phrase.isascii() else lookup(phrase, index)  # ASCII keys stay as they are
    if whole:
        found = _single_procedure(text, whole, index)
        if found:
            return Reading(found), phrase
        if "." in text:  # 'cervical disc. C5/6': a word cut with a dot may name an operation (reader/cut_words.py)
            return None, phrase
        raise _not_a_procedure(text, whole, index)
    if ":" in phrase:  # 'Procedure: spine surgery': a heading, which the reader drops (read here, 'procedure:' was the name)
        return None, phrase
    if unchained(phrase) != phrase or lettered_lists(phrase) != phrase:  # 'C4-5-6 ACDF', 'C4-5, 5-6 ACDF': the reader
        # reads level chains and lists that drop their letter (levels.unchained, lettered_lists)
        return None, phrase
    try:
        spans, rest = find_levels(phrase, root_context=True)
    except SpinekgError as exc:
        if run_together(phrase) != phrase:  # 'L45 microdiscectomy': the reader reads 'l45' as L4-5 (levels.run_together)
            return None, phrase
        raise SpinekgError(f"{text.strip()!r}: {exc.message}") from None
    rest, written_ids, ids, found = _meaning(rest, index)
    if not rest and not written_ids:
        if spans:
            raise SpinekgError(f"{text!r} gives a level but no procedure; e.g. '{spans[0].text} fusion'")
        return None, phrase  # 'surgery on spine', 'operation of spine': words the names drop; the reader reads them
    procedure, region_site = None, None
    if ids:
        procedure = _single_procedure(text, ids, index)
        if procedure is None:
            if "." in text or not written_ids:  # as above; or 'neck surgery': a site and a word the reader reads as an operation
                return None, rest
            raise _not_a_procedure(rest, ids, index)
    elif found:
        if len(found) == 1:  # an ambiguous name after a region word: the error names the input
            _single_procedure(text, found[0], index)
        procedure, region_site = found
    if procedure is None:
        return None, rest
    sites = [site for span in spans for site in _span_sites(span, procedure, rest, index)]
    if region_site and not sites:
        sites = [region_site]
    return Reading(procedure, list(dict.fromkeys(sites)), [s.text for s in spans]), rest
