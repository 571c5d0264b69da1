"""Text → clauses: one clause per procedure named, each with the words that named its operation, its sites
and levels, approach, laterality, devices, indication and status, and the words left unused.

The grammar is small on purpose: phrases are matched longest first against the compiled lexicon (one-letter
typos in long words repaired, abbreviations expanded and read again, word forms such as '-ectomy' split
into a root operation and a combining form); a clause starts at each operation word; words after 'for',
'due to', 'secondary to' are the indication until the next operation; a clause that names no site takes
the sites said once for the whole text ('L4-5 laminectomy and fusion')."""
from __future__ import annotations

from ...memo import remember  # functools.lru_cache without importing functools

from .. import regex
from ..levels import LevelSpan, find_levels, level_matches
from ..records import Record
from .lexicon import MIN_TYPO_LENGTH, Lexicon, load_lexicon
from .level_shapes import marked_by_shape
from .stem_parts import compound_parts, named_parts
from .lists import mark_listed
from .placements import devices_of_previous, needle_insertions
from .modalities import technique_names
from .participles import adjective_participles
from .phrase_match import SEPARATORS, longest_phrase
from .spelling import as_written, respelled, shorthand_only
from .anchors import anchor_sites
from .purposes import PURPOSE
from .adjuncts import adjunct_ops, operative_acts
from .asides import levels_before_asides
from .cut_words import dotted_tokens
from .notes import anesthetic, mid_site, written, nonoperative as _nonoperative, opens_expansion, second_roles, shorthand, status_start
from .regions import REGIONS, SPINAL_WORDS  # region words (regions.py); build/lexicon*.py import them from here
from .text import spell
from .toes import toe_levels
from .words import VERB_NOTE, region_site_words, slash_forms, participle, headless, region_typo, imaging_form, joint_adjective, own_form, specific_sites, indicated_sites, form_sites, vessel_levels, hung, ANCHORED

PELVIS = {"pelvis", "ilium", "iliac", "sacrum", "sacropelvic"}
LEVEL_TO_PELVIS = regex.compile(r"(§\d+\s*)-(?=(?:" + "|".join(sorted(PELVIS)) + r")\b)")
WORD_PREFIXES = ("hemi", "micro", "mini", "re")  # 'hemilaminotomy' is a laminotomy; 'redo' handled as status
MORPH_APPROACH = {"scopy": "48", "centesis": "3"}  # other word forms name an open operation
MEMO_LIMIT = 200_000  # distinct word runs remembered per lexicon before starting afresh
ADJECTIVE_ENDINGS = ("ary", "eal", "ial", "ic", "al", "ar", "id", "ous")  # longest first within each family
RESEMBLING = "oid"  # 'like' its stem, not of it (a dermoid cyst is no skin), unless its organ's name has the word ('thyroid')
TOP_PROCEDURES = {"Procedure", "OperativeProcedure"}  # 'Whipple procedure', 'Nissen surgery': the word names no kind of operation
REPAIRED = "read '"  # the note of an item read from a typo: "read 'lamnectomy' as 'laminectomy'"
_TYPO_RE = regex.compile(r"read ('[^']*' as '[^']*')")
KIND_ORDER = ("op", "site", "dis", "approach", "lat", "dev", "status", "qual", "ind", "fill")


class Item(Record):
    """One recognised phrase (or level, or unused word) of the input."""

    FIELDS = ("kind", "words", "entries", "span", "note", "weak", "listed")

    def __init__(self, kind: str, words: str, entries: list | None = None, span: LevelSpan | None = None, note: str = "",
                 weak: bool = False, listed: bool = False):
        self.kind, self.words, self.entries, self.span, self.note = kind, words, [] if entries is None else entries, span, note
        self.weak, self.listed = weak, listed  # weak: an adjective site ('gastric'); listed: 'back and neck' (see lists.py)


class Clause(Record):
    """The words of one procedure, sorted by role (ops, sites and approach are Items; levels LevelSpans)."""

    FIELDS = ("ops", "sites", "levels", "regions", "approach", "laterality", "devices", "status", "indication",
              "qualifier", "words", "unused", "region_words", "repaired", "inherited")  # repaired: "'lamnectomy' as 'laminectomy'"

    def __init__(self, **given: object):
        for name in self.FIELDS[:-1]:
            setattr(self, name, given.pop(name) if name in given else [])
        self.inherited = bool(given.pop("inherited", False))
        if given:
            raise TypeError(f"Clause() got unexpected fields {sorted(given)}")


def _kind(entries: list) -> str:
    kinds = {e[0] for e in entries}
    if kinds & {"proc", "root", "op", "idx"}:
        return "op"
    if kinds & {"anat", "bp", "img"}:
        return "site"
    if "region" in kinds:
        return "region"
    for name, members in (("dis", {"dis"}), ("approach", {"appr", "pcsappr", "wappr"}), ("lat", {"lat"}), ("dev", {"dev"}),
                          ("status", {"status"}), ("qual", {"qual"}), ("ind", {"ind"}), ("excl", {"excl"}), ("fill", {"fill"})):
        if kinds & members:
            return name
    return "abbr" if "abbr" in kinds else "unknown"


@remember(maxsize=4096)  # notes repeat the same level expressions; errors are not cached
def _span(words: str) -> LevelSpan:
    found = find_levels(words, root_context=True)[0]  # a level read alone is itself (tests/answer/test_levels.py)
    return found[0] if found else LevelSpan.unreadable(words)


def _levels(spelt: str) -> tuple[str, list[LevelSpan]]:
    """The text with each level expression replaced by '§n', and the spans (errors name the level)."""
    spans: list[LevelSpan] = []
    pieces, last = [], 0
    for match in level_matches(spelt):
        pieces += [spelt[last:match.start()], f" §{len(spans)} "]
        spans.append(_span(match.group(0)))
        last = match.end()
    pieces.append(spelt[last:])
    return "".join(pieces), spans


def marked(text: str) -> tuple[tuple[str, ...], list[LevelSpan]]:
    """The tokens of the spelt text with each level expression as '§n', and the spans. A '§' the user typed
    is read as a space, so that it is never taken for a level. Texts differing only in their levels share the tokens
    of the first read (level_shapes.py)."""
    return marked_by_shape(text, load_lexicon().memo, _marked)


def _marked(text: str) -> tuple[tuple[str, ...], list[LevelSpan]]:
    spelt, spans = _levels(written(spell(text).replace("§", " ")))
    spelt = LEVEL_TO_PELVIS.sub(lambda m: m[1] + " to ", spelt) if spans and "-" in spelt else spelt  # 'T4-pelvis' is 'T4 to pelvis'
    return toe_levels(dotted_tokens(spelt, load_lexicon, _kind), spans, load_lexicon), spans  # toes.py: '-T2' names a toe


class Grammar:
    """Reads text into clauses with one lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon

    def items(self, text: str, depth: int = 0) -> list[Item]:
        toks, spans = marked(text)
        return self.marked_items(toks, spans, depth)

    def marked_items(self, toks: tuple[str, ...], spans: list[LevelSpan], depth: int = 0) -> list[Item]:
        """The items of text already split into tokens with its levels as '§n' (see ``marked``)."""
        out: list[Item] = []
        i = run = 0
        while i < len(toks):
            tok = toks[i]
            if tok.startswith("§"):
                out += self._run(tuple(toks[run:i]), depth)
                span = spans[int(tok[1:])]
                nxt = [t for t in toks[i + 1:i + 4] if t != "the"][:2]  # 'T10 to the pelvis'
                if len(nxt) == 2 and nxt[0] == "to" and nxt[1] in PELVIS and span.is_single:
                    span = LevelSpan(f"{span.text} to {nxt[1]}", span.upper, "S1") if span.upper != "S1" else span
                    i += 2 + (toks[i + 2] == "the")
                out.append(Item("level", span.text, span=span))
                i += 1
                run = i
                continue
            i += 1
        return out + self._run(tuple(toks[run:]), depth)

    def _run(self, toks: tuple[str, ...], depth: int) -> list[Item]:
        """The items of the words between two level expressions (phrases never span a level), read once per
        distinct run and lexicon: operative notes repeat the same wording at different levels."""
        if not toks:
            return []
        memo = self.lex.memo
        found = memo.get((toks, depth))
        if found is None:
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            found = memo[(toks, depth)] = tuple(it._values() for it in self._read_run(list(toks), depth))  # every field
        return [Item(*spec) for spec in found]

    def _read_run(self, toks: list[str], depth: int) -> list[Item]:
        """The items of a run, one-word shorthand read as its word ('fus' as 'fusion'); read again on repaired words
        (spelling.py) where a word was unknown or repaired alone."""
        short = {at: self.lex.shorthand[tok] for at, tok in enumerate(toks) if tok in self.lex.shorthand}
        first = self._read_spelt(toks, short, depth)
        if any(it.kind == "unknown" and len(it.words) >= MIN_TYPO_LENGTH or it.note.startswith(REPAIRED)
               and not shorthand_only(it.note, self.lex.shorthand) for it in first):
            fixes = respelled(toks, self.lex, _kind, self._word_form)  # (a cold answer with known words never needs them)
            if fixes:
                return self._read_spelt(toks, {**short, **fixes}, depth)
        return first

    def _read_spelt(self, toks: list[str], fixes: dict[int, str], depth: int) -> list[Item]:
        out: list[Item] = []
        i = 0
        typed = {fixed: toks[at] for at, fixed in fixes.items()}  # repaired word → the word as the text wrote it
        spelt = [fixes.get(at, tok) for at, tok in enumerate(toks)] if fixes else toks
        while i < len(toks):
            tok = toks[i]
            if tok in SEPARATORS:
                out.append(Item("sep", tok))
                i += 1
                continue
            matched = self._match(spelt, i)
            if matched:
                n_tokens, phrase, entries = matched
                i += n_tokens
                kind = _kind(entries)
                if kind == "abbr" and depth < 2:
                    expansion = next(e[1] for e in entries if e[0] == "abbr")
                    for item in self.items(expansion, depth + 1):
                        item.note = item.note or f"{phrase} = {expansion}"
                        out.append(item)
                    continue
                device = kind == "site" and any(e[0] == "dev" for e in entries)  # 'pacemaker': its sites, if no other is named
                item = self._open_index_entry(phrase, entries) or Item(kind, phrase, entries, weak=device)
                if typed and (shown := as_written(phrase, typed)) != phrase:  # the rules after read the words repaired
                    item.note = f"read {shown!r} as {phrase!r}" + (f"; {item.note}" if item.note else "")
                out.append(item)
                continue
            word = self._word(spelt[i], depth) if i in fixes else None  # 'costotransversecomy': read by its form once repaired
            if word is None or word.kind == "unknown" and spelt[i] not in SPINAL_WORDS:  # ('intervetebral': says spinal, qualified.py)
                word = self._word(tok, depth)
            elif i in fixes:
                word.note = f"read {tok!r} as {spelt[i]!r}" + (f"; {word.note}" if word.note else "")
            if word.kind == "unknown" and "-" in tok and depth < 2:  # 'below-knee', 'femoral-popliteal', 'TAH-BSO'
                out += self.items(tok.replace("-", " "), depth + 1)
            else:
                out.append(word)
            i += 1
        return out

    def _match(self, toks: list[str], start: int) -> tuple[int, str, list] | None:
        return longest_phrase(self.lex, toks, start, _kind)

    def _open_index_entry(self, phrase: str, entries: list) -> Item | None:
        """An index entry whose codes leave the answer open ('sacrectomy': Excision, Lower Bones) also carries the
        word form of its last word restricted to the index's body systems ('sacr-' → sacrum); the decider uses it
        when it decides more."""
        if not any(e[0] == "idx" for e in entries):
            return None
        see = self.lex.see(entries)
        if not see or all(s[2] != "depends" and s[3] != "depends" and s[2:4] == see[0][2:4] for s in see):
            return None
        form = self._word_form(phrase.split()[-1])
        site = form.entries[0][1]["site"] if form else None
        systems = {s[0][1] for s in see if s[0][0] == "0"}
        parts = [p for p in (site or {}).get("parts", []) if p[0] in systems]
        if form is None or not parts:
            return None
        morph = ["morph", {**form.entries[0][1], "site": {**site, "parts": parts, "systems": "".join(sorted({p[0] for p in parts}))}}]
        return Item("op", phrase, entries + [morph], note=form.note)

    def _word(self, word: str, depth: int) -> Item:
        """An unmatched word: a one-letter typo, a prefixed known word, a word form, or unused."""
        lex = self.lex
        if verb := participle(lex, word, _kind):  # 'decompressed', 'excised': the operation done (words.py)
            return Item("op", word, lex.phrases[verb], note=f"{word!r}{VERB_NOTE}{verb!r}")
        fixed = lex.repair(word)
        if fixed and fixed in lex.phrases and not own_form(self._word_form(word), fixed):  # 'cordectomy' is no 'corpectomy'
            entries = lex.phrases[fixed]
            if _kind(entries) == "abbr" and depth < 2:
                entries = [e for e in entries if e[0] != "abbr"] or entries
            return Item(_kind(entries), word, entries, note=f"read {word!r} as {fixed!r}")
        if fixed := headless(lex, word, _kind, REGIONS) or region_typo(lex, word, REGIONS):  # 'emoval', 'umbar', 'lumbr'
            entries = [["region", REGIONS[fixed]]] if fixed in REGIONS else lex.phrases.get(fixed) or self._adjective(fixed).entries
            return Item(_kind(entries), word, entries, note=f"read {word!r} as {fixed!r} (a letter missing or mistyped)")
        if found := mid_site(lex, word, REGIONS, _kind):  # 'midtarsal': the tarsal joint
            return Item(_kind(found[0]), word, found[0], note=found[1])
        for prefix in WORD_PREFIXES:
            rest = word[len(prefix):].removeprefix("-")  # 'micro-discectomy' as 'microdiscectomy'
            if word.startswith(prefix) and len(rest) >= 5 and rest in lex.phrases and _kind(lex.phrases[rest]) == "op":
                return Item("op", word, lex.phrases[rest], note=f"{word!r} is a kind of {rest!r}")
        if word.endswith("s") and len(word) > 4:  # plurals: 'blocks', 'injections', 'osteotomies'
            for singular in (word[:-3] + "y" if word.endswith("ies") else None, word[:-1], word[:-2] if word.endswith("es") else None):
                if singular and singular in lex.phrases:
                    entries = lex.phrases[singular]
                    return Item(_kind(entries), word, entries, note=f"{word!r}: plural of {singular!r}")
        found = None if (form := self._word_form(word) or self._adjective(word)) else imaging_form(word)
        return form or (Item(_kind(found[0]), word, found[0], note=found[1]) if found else Item("unknown", word))

    def _adjective(self, word: str) -> Item | None:
        """'gastric', 'aortic', 'carotid', 'axillary': an adjective of a body-part word names that body part, when every
        body part it may name lies outside the spine and the back ('spinal', 'epidural' are left to the levels)."""
        cache = self.lex.__dict__.setdefault("_adjectives", {})  # unknown words recur: decide each once per process
        if word not in cache:
            cache[word] = self._adjective_parts(word) or joint_adjective(self.lex, word)
        found = cache[word]
        return Item("site", word, [["bp", p] for p in found[0]], note=found[1], weak=True) if found else None

    def _adjective_parts(self, word: str) -> tuple[list[str], str] | None:
        lex = self.lex
        for ending in ADJECTIVE_ENDINGS:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 4 and stem.isalpha():
                prefix = max((p for p in lex.prefixes if stem.startswith(p) and len(p) >= 4 and lex.prefixes[p]["parts"]),
                             key=len, default=None)
                parts = lex.prefixes[prefix]["parts"] if prefix else \
                    lex.stem_parts(stem) or named_parts(lex, stem) or compound_parts(lex, stem)  # 'hemorrhoid-al'
                label = lex.prefixes[prefix]["label"] if prefix else ", ".join(lex.body_parts[p][0] for p in parts[:3]) if parts else ""
                if word.endswith(RESEMBLING) and word not in label.lower():  # 'thyroid' (gland) names it, 'dermoid' is skin-like
                    return None
                if parts and all(p in lex.outside for p in parts):  # only outside the spine and back
                    return parts, f"{word!r}: adjective of {label}"
        return None

    def _word_form(self, word: str) -> Item | None:
        """'-ectomy', '-plasty', …: the root operation(s) of the suffix and the body part of the combining form."""
        lex = self.lex
        for suffix, roots in sorted(lex.suffixes.items(), key=lambda s: -len(s[0])):
            stem = word[: -len(suffix)] if word.endswith(suffix) else None
            if stem is None:
                continue
            for prefix in WORD_PREFIXES[:3]:
                if stem.startswith(prefix) and len(stem) > len(prefix) + 2:
                    stem = stem[len(prefix):]
            stem = stem.rstrip("o") if len(stem) > 4 else stem  # 'salpingo-oophor', 'gastro'
            whole = named_parts(lex, stem)  # the whole stem names a body part: 'odontoid-ectomy', 'costotransvers(e)-ectomy'
            prefix = None if whole else max((p for p in lex.prefixes if stem.startswith(p) and len(p) >= 3), key=len, default=None)
            site = {"label": stem, "parts": whole, "systems": "".join(sorted({p[0] for p in whole}))} if whole \
                else lex.prefixes[prefix] if prefix else None
            if site is None and (parts := hung(lex, lex.stem_parts(stem) or compound_parts(lex, stem, suffix in ANCHORED), suffix)):
                site = {"label": stem, "parts": parts, "systems": "".join(sorted({p[0] for p in parts}))}
            entry = ["morph", {"roots": roots, "suffix": suffix, "approach": MORPH_APPROACH.get(suffix, "0"),
                               "prefix": prefix, "site": site}]
            return Item("op", word, [entry], note=f"{word!r}: -{suffix} ({'/'.join(lex.root_operations[r] for r in roots)})"
                        + (f" of the {site['label']}" if site else ""))
        return None

    def clauses(self, text: str) -> list[Clause]:
        """The clauses of ``text``, read from scratch (``reuse.clauses`` reads each wording once, whatever its levels)."""
        return self.clauses_of(self.items(text))

    def clauses_of(self, items: list[Item]) -> list[Clause]:
        """The clauses of a text's items."""
        # 'T7 costotransversectomy': an approach that is an operation's word form, where no other operation is named but a
        # status word that is an operation too ('Revision costotransversectomy') or a non-operative one ('… with neuromonitoring')
        if not any(not any(e[0] == "status" for e in it.entries) for it in operative_acts(items, _nonoperative)):
            for it in items:
                form = self._word_form(it.words) if it.kind == "approach" else None
                if form is not None:
                    it.kind, it.entries, it.note = "op", form.entries, form.note
        form_sites(items, self.lex)  # 'vocal cordectomy': 'vocal' + 'cord' is the vocal cord
        shorthand(items, self.lex, lambda word: self._run((word,), 0), _kind, _nonoperative)  # 'disc.', 'insertion of ESI', EVD
        adjective_participles(items)  # 'radiofrequency controlled thermal denervation': 'controlled' is no Control
        adjuncts = adjunct_ops(items, _nonoperative)  # ('SCS lead revision; drain': the drain makes no status word of 'revision')
        technique_names(items, self.lex, adjuncts)  # 'rhizotomy L4-5, radiofrequency': the lexicon's 'radiofrequency rhizotomy'
        _merge_adjacent_ops(items)
        second_roles([it for it in items if it.kind == "op" and all(it is not a for a in adjuncts)])  # 'revision lumbar fusion'
        slash_forms(items, self.lex, _kind)
        mark_listed(items, self.lex, _kind)  # 'back and neck procedures': two sites, neither the head of the other
        levels_before_asides(items)  # 'Percutaneous disc decompression (nucleoplasty) L4-5' (asides.py)
        starts = _clause_starts(items)
        clauses: list[Clause] = [Clause()]
        in_indication = False
        implements: list[Clause] = []
        for position, it in enumerate(items):
            current, in_indication = clauses[-1], in_indication and it.words != ";"  # '…; lumbar': ';' ends an indication
            if position in starts:
                current = Clause()
                clauses.append(current)
                in_indication = False
                if it.words in ("with", "w/"):
                    implements.append(current)
            if it.kind == "op":
                in_indication = False
                current.ops.append(it)
            elif it.kind == "ind":
                in_indication = True
            elif in_indication and it.kind in ("site", "level", "region", "dis", "unknown", "lat"):
                current.indication.append(it)
            elif it.kind == "site":
                current.sites.append(it)
                if any(e[0] == "dev" for e in it.entries):  # 'pedicle screw', 'pacemaker': a device that names its site
                    current.devices.append(it.words)
            elif it.kind == "level":
                current.levels.append(it.span)  # type: ignore[arg-type]
            elif it.kind == "region":
                current.regions.append(it.entries[0][1])
                current.region_words.append(it.words)
            elif it.kind == "approach":
                current.approach.append(it)
            elif it.kind == "lat":
                current.laterality.append(it.entries[0][1] if it.entries else it.words)
            elif it.kind == "dev":
                current.devices.append(it.words)
            elif it.kind == "status":
                current.status.append(next((e[1] for e in it.entries if e[0] == "status"), it.words))
            elif it.kind == "qual":
                current.qualifier.append(it.entries[0][1])
            elif it.kind == "dis":
                current.indication.append(it)
                affected = [t for e in it.entries if e[0] == "dis" for t in self.lex.disorder_sites.get(e[1], [])]
                if affected:  # 'repair of vertebral fracture': the object's site, used only where no other is named
                    current.sites.append(Item("site", it.words, [["anat", t] for t in affected], note=f"the site of {it.words}", weak=True))
            if it.kind not in ("sep", "fill") and it.words:  # (an insertion read from an implant's name has none: placements.py)
                (current.unused if it.kind in ("unknown", "excl") else current.words).append(it.words)
            if it.note.startswith(REPAIRED) and (typo := _TYPO_RE.match(it.note)):  # a typo read as a known word (spelling.py)
                current.repaired.append(typo[1])  # the explanation says so
        devices_of_previous(clauses, implements)
        needle_insertions(clauses)  # 'needle inserted at L3-4' (placements.py)
        clauses = [c for c in clauses if c.ops or c.words or c.unused] or [Clause()]
        if len(clauses) > 1 and not clauses[0].ops:  # words before the first operation belong to it
            first = clauses.pop(0)
            _merge(clauses[0], first)
        for clause in clauses:
            anchor_sites(clause, self.lex, _weak_sites)  # 'pelvic fixation with S2AI screws' (anchors.py)
            region_site_words(clause, self.lex)  # 'fusion of neck vertebrae' (words.py)
            if not (clause.levels or clause.sites):  # 'cord decompression for metastatic tumour, T6': a level is never the indication
                clause.levels = [it.span for it in clause.indication if it.kind == "level"]
                clause.indication = [it for it in clause.indication if it.kind != "level"]
        shared = next((c for c in clauses if (c.sites or c.levels or c.regions) and not anesthetic(c, self.lex)), None)
        implied = [] if shared is not None else _implied_sites(clauses, self.lex)
        for clause in clauses:
            whole = all(_spanning(it, self.lex) for it in clause.sites)  # ('placement of interbody cage': the text's levels)
            if shared is not None and clause is not shared and not (clause.sites and not (shared.levels and whole) or clause.levels
                                                                    or clause.regions or any(op.listed for op in clause.ops)):
                clause.sites, clause.levels, clause.regions = list(shared.sites), list(shared.levels), list(shared.regions)
                clause.inherited = True
            elif implied and not (clause.sites or clause.levels or clause.regions) and clause is not implied[0]:
                clause.sites, clause.inherited = [implied[1]], True
        return clauses


def _spanning(site: Item, lex: Lexicon) -> bool:
    """A site of the spine in every region ('spine', 'vertebral body'), which another part's levels may say where."""
    anat = [e[1] for e in site.entries if e[0] == "anat"]
    return bool(anat) and all(t in lex.spanning_terms for t in anat)


def _implied_sites(clauses: list[Clause], lex: Lexicon) -> list:
    """(clause, site) where no clause names a site but one's operation word names it ('EGD with biopsy': the
    oesophagus of 'esophagogastroduodenoscopy'), so the other clauses share it; else []. An index entry that gives only a
    body system ('Hemicolectomy': see Resection, Gastrointestinal System 0DT) names its body parts when none is in the
    spine or the back ('right hemicolectomy and primary anastomosis': the anastomosis is the bowel's, not somewhere open)."""
    for clause in clauses:
        for op in clause.ops:
            parts = next((e[1]["site"]["parts"] for e in op.entries if e[0] == "morph" and (e[1]["site"] or {}).get("parts")), None) \
                or list(dict.fromkeys(prefix[1] + prefix[3] for e in op.entries if e[0] == "idx" for prefix in e[1]["see"]
                                      if prefix[0] == "0" and len(prefix) >= 4))  # the index's body part: 'Ureteroscopy' 0TJ9
            systems = {prefix[1] for e in op.entries if e[0] == "idx" for prefix in e[1]["see"] if prefix[0] == "0"}
            if not parts and len(systems) == 1:
                within = [p for p in lex.body_parts if p[0] in systems]
                parts = within if within and all(p in lex.outside for p in within) else []
            if parts:
                return [clause, Item("site", op.words, [["bp", p] for p in parts], note="named by the operation word")]
    return []


def _weak_sites(clause: Clause, lex: Lexicon) -> None:
    """Adjective sites yield to any other site or level; beside a region word ('thoracic aortic', 'thoracic epidural')
    they keep only the body parts whose label has that word, else they are dropped."""
    clause.sites = clause.sites if vessel_levels(clause, lex) else specific_sites(indicated_sites(clause, lex), lex, clause.region_words)
    if any(not it.weak for it in clause.sites) or clause.levels:
        clause.sites = [it for it in clause.sites if not it.weak]
        return
    for it in [it for it in clause.sites if it.weak and clause.region_words]:
        entries = [e for e in it.entries if e[0] != "bp" or all(w in lex.body_parts[e[1]][0].lower() for w in clause.region_words)]
        if entries:
            it.entries = entries
        else:
            clause.sites.remove(it)


JOINS = {"and", "with", "w/", "plus", ",", ";", "&", "+", "/", "followed by", "then", PURPOSE, "("}  # PURPOSE: purposes.py; '(': asides.py


def _clause_starts(items: list[Item]) -> set[int]:
    """Where each clause after the first begins: after the last joining word between two operations
    ('C5-6 ACDF and L4-5 microdiscectomy': 'L4-5' belongs to the second), else at the operation."""
    ops = [i for i, it in enumerate(items) if it.kind == "op"]
    starts, listing = set(), False
    for before, after in zip(ops, ops[1:]):
        between = [items[i].words for i in range(before + 1, after)]
        listing = "including" in between or listing and ";" not in between  # until ';': 'including A, B, C'
        if listing:
            continue  # 'vertebral augmentation, including balloon cavity forming': a step of the same procedure
        joins = [i for i in range(before + 1, after) if items[i].kind in ("sep", "fill") and items[i].words in JOINS]
        starts.add(joins[-1] if joins else status_start(items, before, after))  # 's/p ACDF': the status is the ACDF's
    return starts


def _merge_adjacent_ops(items: list[Item]) -> None:
    """'drain placement', 'SCS trial', 'pacemaker insertion': two operation words with nothing between them
    name one procedure; a non-operative word decides ('trial'), else the named procedure before a generic verb."""
    i = 0
    while i + 1 < len(items):
        a, b = items[i], items[i + 1]
        generic = lambda it: not any(e[0] == "idx" or e[0] == "proc" and e[1] not in TOP_PROCEDURES for e in it.entries)  # noqa: E731
        if a.kind == "op" and b.kind == "op" and (generic(a) or generic(b) or _nonoperative(a) or _nonoperative(b)) and not opens_expansion(a, b):
            top = lambda it: any(e[0] == "proc" and e[1] in TOP_PROCEDURES for e in it.entries)  # noqa: E731
            keep = b if _nonoperative(b) and not _nonoperative(a) else a if not generic(a) or _nonoperative(a) or top(b) else b
            keep.words = f"{a.words} {b.words}"
            items[i:i + 2] = [keep]
            continue
        i += 1


def _merge(into: Clause, other: Clause) -> None:
    for name in ("sites", "levels", "regions", "approach", "laterality", "devices", "status", "indication", "qualifier", "words", "unused", "repaired"):
        setattr(into, name, getattr(other, name) + getattr(into, name))
