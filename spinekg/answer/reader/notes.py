"""Operative-note shorthand, kept apart from the grammar (grammar.py is near its size limit).

- A word cut short with a dot before more words ('disc.', 'corp.'): see cut_words.py.
- 'mid-' before a site word names the middle of that site: 'midtarsal', 'midcarpal' (the joints between the rows
  of tarsal or carpal bones), 'midfoot', 'midthoracic'.
- A root-operation verb whose object is a non-operative procedure ('insertion of epidural steroid injection',
  'placement of lumbar drain') names what is done: one non-operative procedure, not an operation beside it.
- A non-operative procedure, a word or two naming its device and an insertion word are that procedure ('SCS trial lead
  placement T8').
- A drain, shunt, catheter or reservoir in a 'ventricle' drains cerebrospinal fluid: the brain's ventricle, not
  the heart's ('external ventricular drain', 'ventricular catheter placement').
- Theatre-list writing (``written``, before levels are found): an initialism written with dots is the abbreviation
  ('A.C.D.F.', 'L.P.', 'I.&D.'); a region letter spaced from 'spine' is the region ('C spine' as 'C-spine'); two
  adjacent levels run together that are no level themselves are that motion segment ('L45', 'C56' as 'L4-5', 'C5-6'),
  and a level or region word run into the next word is written apart (glued.py: 'L4-5lami', 'lumbarfusion'); an
  operative note's heading before its colon ('Procedure performed:', a history's 'Hx:') is dropped, the items of a
  numbered list ('1. … 2. …') are procedures apart, and two combining forms written apart by a hyphen ('sacro-iliac')
  are the joined word.
- A spinal or epidural anaesthetic (the word table's non-operative anaesthetic rows) keeps its level to itself: it is
  not shared with the operation done under it ('L3-4 spinal anaesthetic, TKR' is no knee replacement at L3-4).
- A level right beside a rib ('ORIF T8 rib', 'rib T4 fracture') says which rib (ribs are numbered as the thoracic
  vertebrae they meet), not a spinal site.
- A site named as where a graft comes from ('L4-5 fusion with iliac crest bone graft', 'with rib autograft',
  'with autograft from the iliac crest') is the graft's source, reported as a device, not the operation's site."""
from __future__ import annotations

from .. import regex
from ..levels import LAST_LEVEL, lettered_lists, run_together, unchained
from .dorsal import dorsal_levels, may_hold
from .sections import HISTORY_HEADINGS, PROCEDURE_NOUNS, dashed_headings, may_hold as may_hold_sections, sections
from .lexicon import Lexicon, load_lexicon
from .regions import REGIONS
from .adjuncts import OBJECT_LINKS as ADJUNCT_OBJECT_LINKS
from .cut_words import settle_cuts
from .glued import apart
from .placements import named_implants, placed_hardware
from .region_forms import incision_form, region_forms
from .generators import implanted_devices
from .landmarks import surface_landmarks
from .bones import spinal_bones
from .theatre_columns import theatre_columns
from .purposes import acted_findings, now_before, purposes, spread_status
from .verbs import drain_verb, making_verbs
from .lines import LINE_STARTS, line_entries
from .dates import may_hold as may_hold_dates, undated
from .epidurals import NOTE as EPIDURAL_NOTE, epidural_anesthetics

MID = "mid"
CSF_DEVICES = ("drain", "shunt", "catheter", "reservoir")  # what is placed in a ventricle to drain cerebrospinal fluid
VENTRICLE_WORDS = {"ventricular", "ventricle", "ventricles", "intraventricular"}
BRAIN_VENTRICLE = "cerebral ventricle"  # the lexicon's phrase for the brain's ventricles (ICD-10-PCS 00 6)
OBJECT_LINKS = ADJUNCT_OBJECT_LINKS | {"other"}  # ("replacement of other cast": a determiner too)
NOUN_KINDS = ("unknown", "dev", "site", "op")  # a word after the object that makes it a qualifier, not the head
MODIFIERS = ("fill", "site", "region", "approach", "lat", "level", "unknown")  # words that may qualify the object


_INITIALISM_RE = regex.compile(r"(?<![\w.])[a-z]\.(?:&?[a-z]\.)+(?:[a-z](?![\w.]))?")  # 'a.c.d.f.', 'i.&d.', 'l.p'
# 'T-12', 'L.4-5', 'L.5-S.1', 'L-4': a dot or dash typed between a level's letter and its number is no separator (read
# as a lone letter and a number, 'T-12 kyphoplasty' had no level: back depends). Only where the number is one of the
# letter's levels: 'Carbon 11 (C-11)' is an isotope, left as written.
_SPLIT_LEVEL_RE = regex.compile(r"(?<![\w.])(th|[ctlsd])[.-](\d{1,2})(?![\d.])")
_LEVEL_LAST = {**LAST_LEVEL, "c": 8, "d": 12}  # the vertebrae's, with C8 (a nerve root) and the dorsal ones


def _joined_level(m) -> str:  # type: ignore[no-untyped-def]
    return m[1] + m[2] if 0 < int(m[2]) <= _LEVEL_LAST[m[1]] else m[0]
# its quick test: a scan for the separator (a C search, about a third of what twelve substring tests cost a text)
_SPLIT_LEVEL_HINT_RE = regex.compile(r"[.-](?<=[ctlsdh][.-])\d")
_SPACED_REGION_RE = regex.compile(r"\b([ctl]) +spine\b(?! +of\b)")  # not 'L spine of scapula' (a left one)


def written(spelt: str) -> str:
    """Spelt text with the theatre-list forms of the docstring rewritten; text without them is returned as it is."""
    if "\n" in spelt or "  " in spelt or spelt[:1] in LINE_STARTS or "\t" in spelt or "\r" in spelt:
        spelt = line_entries(spelt)  # one procedure per line, runs of spaces, bullets (lines.py)
    if may_hold_dates(spelt):  # 'removal of halo 12/03/2024' (dates.py)
        spelt = undated(spelt)
    if " - " in spelt:  # 'Region - cervical; Procedure - laminoplasty': headings with a dash for their colon (sections.py)
        spelt = dashed_headings(spelt)
    if ":" in spelt:
        if may_hold_sections(spelt):  # 'Preop dx: … Procedure: …', 'PSH: … . Procedure: …' (sections.py)
            spelt = sections(spelt)
        spelt = _HEADING_RE.sub(" ", spelt)
    if "." in spelt or ")" in spelt:
        spelt = _NUMBERED_RE.sub(" ; ", spelt)
    if "o-" in spelt or "o " in spelt:
        spelt = _COMBINING_RE.sub(_joined, spelt)
    if "." in spelt:
        spelt = _INITIALISM_RE.sub(lambda m: m.group(0).replace(".", ""), spelt)
    if _SPLIT_LEVEL_HINT_RE.search(spelt):
        spelt = _SPLIT_LEVEL_RE.sub(_joined_level, spelt)
    if "spine" in spelt:
        spelt = _SPACED_REGION_RE.sub(r"\1-spine", spelt)
    if "l5" in spelt and "si" in spelt:  # (a plain cold answer compiles no pattern it does not need)
        spelt = _L5_SI_RE.sub(r"\1s1", spelt)
    if "s1 j" in spelt:
        spelt = _S1_JOINT_RE.sub("si", spelt)
    if " - " in spelt:
        spelt = _SPACED_DASH_RE.sub(" , ", spelt)
    if may_hold(spelt):  # 'D12', 'D11-D12': dorsal vertebrae (dorsal.py)
        spelt = dorsal_levels(spelt)
    return lettered_lists(unchained(run_together(apart(spelt, load_lexicon))))


# 'L5-SI', 'L5/SI': the letter I typed for the digit 1 at the one level that ends at S1 (read as L5 and the sacroiliac
# joint, the level lost its lower end: lumbar only); 'L5 and SI joint fusion' keeps its joint
_L5_SI_RE = regex.compile(r"\b(l5 ?[-/] ?)si\b(?! joint| jt)")
# 'S1 joint', 'S1 jt': the digit 1 typed for the letter I of the sacroiliac joint. No joint is S1's alone (the sacrum meets
# L5 at the L5-S1 level, written with L5 before it): read as the S1 vertebra, 'R S1 joint fusion' was spine surgery
_S1_JOINT_RE = regex.compile(r"(?<![-/\w])(?<![-/] )(?<!\d )s1(?= (?:joints?|jts?)\b)")
# A dash with a space either side between words ('R TKR - ACDF', 'CANCELLED - L4-5 laminectomy - pt unwell') separates the
# entries of a theatre list as a comma does (read as nothing, 'replacement' and 'ACDF' were one procedure, at the knee:
# no/no); beside a digit or before a level it may be a range ('L4 - L5', 'occiput - C2', 'Photons 1 - 10 MeV'), kept
_SPACED_DASH_RE = regex.compile(r"(?<=[a-z)]) - (?=[a-z(])(?!(?:[ctls]|th|co|oc|occ) ?\d)")


# A history heading ('Hx:', 'PSH:', 'Past surgical history:') says every item after it was done before, which is what a
# list of only such items names anyway: dropped, like a procedure heading ('hx' alone is a status word: the word table;
# its heading words are sections.HISTORY_HEADINGS, which also reads a history section after the first words).
# An operative note's heading before its colon ('Procedure performed:', 'Operations:') names no procedure of its own (read
# as one, 'Procedures' took the levels after it); the items of a numbered list ('1. L4-5 laminectomy 2. posterior fusion',
# '1) …') are procedures apart, as after ';' (the numbers were unused words and the items ran together).
# A discharge summary's or registry's rank before the heading ('Principal procedure:', 'Secondary procedures:') is the
# heading's ('Secondary procedure: intraoperative neuromonitoring' read 'procedure' as an operation: depends/depends).
_HEADING_RE = regex.compile(r"^\W*(?:\d{1,2}[.)] ?)?(?:(?:(?:name|title)s? of )?(?:(?:principal|primary|secondary|other|additional|main|planned|proposed|intended|scheduled|operative|surgical) )?"
                            rf"(?:{PROCEDURE_NOUNS}|op)" r"(?: ?(?:#|no\.?) ?\d{1,2}| \d{1,2})?"  # 'Proc:', 'Procedure #1:'
                            r"(?: (?:performed|done|undertaken|planned|proposed|name|title)s?)?|" + HISTORY_HEADINGS + ") ?:")
_NUMBERED_RE = regex.compile(r"(?:^|(?<=[\s;:,]))(?:\d{1,2}[.)]|\(\d{1,2}\)|(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])(?=\s+[a-z])")
# Two combining forms written apart by a hyphen ('sacro-iliac', 'thoraco-lumbar', 'atlanto-axial'), or by a space after a
# form that is no word ('sacro iliac'), are the one word the tables spell joined, when it is one (a lexicon word or a
# spinal region word): read apart, 'sacro' and 'iliac' were unknown or the wrong region ('thoraco-lumbar fusion' was
# lumbar only, 'sacro-iliac fusion' and 'sacro iliac joint fusion' depends/depends).
# (the second word is looked at, not taken: in 'redo sacro iliac', 'sacro iliac' is tried after 'redo sacro')
_COMBINING_RE = regex.compile(r"\b([a-z]{3,}o)([- ])(?=([a-z]{3,})\b)")


def _joined(match) -> str:  # type: ignore[no-untyped-def]
    word, phrases = match[1] + match[3], load_lexicon().phrases
    apart = match[2] == " " and (match[1] in phrases or match[1] in REGIONS)  # 'halo vest': 'halo' is a word of its own
    return match[1] if not apart and (word in REGIONS or word in phrases) else match[0]


def bracketed_initials(toks: list[str] | tuple[str, ...], at: int, words: list[str]) -> bool:
    """Whether ``toks[at]`` opens '( abbreviation )' of the words before it, inside a name: 'High Dose Rate (HDR)
    Brachytherapy', 'Positron Emission Tomographic (PET) Imaging' (their initials), 'Tomographic (Tomo) Nuclear
    Medicine Imaging' (a word's beginning). One letter is never one: '(L)' is a side."""
    if at + 2 >= len(toks) or toks[at + 2] != ")" or len(abbreviation := toks[at + 1]) < 2 or not abbreviation.isalpha():
        return False
    if len(abbreviation) >= 3 and words[-1].startswith(abbreviation):
        return True
    return len(abbreviation) <= len(words) and "".join(w[0] for w in words[-len(abbreviation):]) == abbreviation


def shorthand(items: list, lex: Lexicon, reread, kind_of, nonoperative) -> None:
    """The rules above that need a text's items (``reread``: the items of one word; ``nonoperative``: an item's test)."""
    settle_cuts(items, lex, reread, kind_of, nonoperative)
    theatre_columns(items)  # 'by Mr Smith', 'ASA 2', 'Booked for': before the rules that look at the words around an implant
    verb_objects(items, lex, nonoperative)
    making_verbs(items)  # 'creation of colostomy' (verbs.py)
    placed_devices(items)
    brain_ventricles(items, lex)
    implant_names(items, lex)
    numbered_ribs(items, lex)
    graft_sources(items)
    surface_landmarks(items, lex)
    spinal_bones(items, lex)
    region_forms(items, lex)
    approach_incisions(items)
    excluded(items)
    drain_verb(items, lex, nonoperative)
    epidural_anesthetics(items, lex)  # 'thoracic epidural', 'labour epidural' (epidurals.py)
    placed_hardware(items, lex, nonoperative)
    named_implants(items, lex, implant_names, nonoperative)  # 'Pacemaker', 'Interspinous spacer L3-4': an implant named alone
    implanted_devices(items, lex)  # a generator's site, a pump's catheter, a change that is a Replacement (generators.py)
    purposes(items)
    acted_findings(items)
    now_before(items)
    spread_status(items, PAST | LATER)


PAST = {"s/p"}  # statuses of a procedure done before ('s/p', 'history of', 'prior', 'previous'): reported, not this operation
LATER = {"later"}  # statuses of a procedure to be done later ('will need', 'consider', 'candidate for', a plan): likewise
FOUND = {"found"}  # statuses of what a note found ('old L4-5 laminectomy noted', 'osteolysis seen'): likewise


# words before an operation that say where or how ('s/p lumbar discectomy'), with its side and filler words ('s/p left L4-5
# level fusion': 'level' had kept the status from the fusion, counted as done today)
NAMING_BEFORE = ("level", "region", "approach", "lat", "fill")


def status_start(items: list, before: int, after: int) -> int:
    """Where the clause of the operation at ``after`` begins when no joining word comes first: at the status words
    right before it ('carpal tunnel release s/p ACDF': 's/p' is the ACDF's, not the release's), with the levels, region
    and approach words between them ('TKR s/p L4-5 fusion': 's/p L4-5' is the fusion's; given to the knee's clause,
    the fusion was counted as this operation)."""
    start = after
    while start - 1 > before and items[start - 1].kind in NAMING_BEFORE:
        start -= 1
    if not (start - 1 > before and items[start - 1].kind == "status"):
        return after  # levels with no status before them stay where the grammar puts them
    while start - 1 > before and items[start - 1].kind == "status":
        start -= 1
    return start


def elsewhere(clause) -> str | None:  # type: ignore[no-untyped-def]
    """Why a procedure the text names is not the operation the text is about, where it is not: done before ('history
    of ACDF', 's/p L4-5 fusion'), to be done later ('will need L4-5 fusion', 'consider ACDF', a plan's items), found
    ('old laminectomy noted'), or a generic word for a procedure the text names ('the procedure': ``anaphoric``)."""
    status = set(clause.status)
    if PAST & status or LATER & status or FOUND & status:
        return "done before" if PAST & status else "to be done later" if LATER & status else "found, not done"
    return "the procedure named before" if anaphoric(clause) else None


GENERIC_NAMES = {"Procedure", "OperativeProcedure", ""}  # what 'procedure', 'operation', 'surgery' name on their own


def anaphoric(clause) -> bool:  # type: ignore[no-untyped-def]
    """A generic word ('the procedure', 'the operation') with no site, level or region of its own refers to the procedure
    the text named before it, as an operative note's closing words do ('L4-5 ESI, patient tolerated the procedure well'
    was a second procedure at L4-5: depends/depends)."""
    return bool(clause.ops) and (clause.inherited or not (clause.sites or clause.levels or clause.regions)) and all(
        e[0] in ("proc", "op", "fill") and e[1].removeprefix("spinekg:") in GENERIC_NAMES for op in clause.ops
        for e in op.entries)


EXCLUSION_ENDS = {"with", "w/", "without", ";"}


def excluded(items: list) -> None:
    """'Spinal fusion except cervical with MCC' (an MS-DRG title): what 'except', 'excluding' or 'other than' names, up
    to 'with', 'without' or ';', is left out of the procedure: its words are reported as unused and never decide (that
    fusion is in the spine's other regions, not the cervical)."""
    excluding = False
    for it in items:
        if it.kind == "excl":
            excluding = True
        elif excluding and it.words in EXCLUSION_ENDS:
            excluding = False
        elif excluding and it.kind != "sep":
            it.kind = "excl"


def mid_site(lex: Lexicon, word: str, regions: dict, kind_of) -> tuple[list, str] | None:
    """(entries, note) for 'mid' + a site word: the joint of an adjective that has one ('midtarsal' → tarsal joint),
    else the site or region itself ('midfoot' → foot, 'midthoracic' → thoracic)."""
    rest = word[len(MID):]
    if not word.startswith(MID) or len(rest) < 4 or not rest.isalpha():
        return None
    if rest in regions:
        return [["region", regions[rest]]], f"{word!r}: the middle of the {rest} region"
    joint = lex.phrases.get(rest + " joint") if rest.endswith(("al", "ar")) else None
    for phrase, entries in ((rest + " joint", joint), (rest, lex.phrases.get(rest))):
        if entries and kind_of(entries) == "site":
            return entries, f"{word!r}: mid- + {rest!r}, the {phrase}"
    return None


def verb_objects(items: list, lex: Lexicon, nonoperative) -> None:
    """'insertion of (the transforaminal) epidural steroid injection': a root-operation verb (no procedure of its own)
    whose object, after 'of' and any words that qualify it, is a non-operative procedure is that procedure."""
    i = 0
    while i + 2 < len(items):
        verb, link = items[i], items[i + 1]
        j = i + 2
        while j < len(items) and items[j].kind in MODIFIERS and not (items[j].kind == "fill" and items[j].words not in OBJECT_LINKS):
            j += 1
        head = j + 1 >= len(items) or items[j + 1].kind not in NOUN_KINDS  # 'infusion pump': 'infusion' only qualifies a noun
        if verb.kind == "op" and link.words == "of" and j < len(items) and items[j].kind == "op" and _is_verb(verb) and head \
                and (nonoperative(items[j]) or any(e[0] in ("proc", "op") and e[1].removeprefix("spinekg:") in lex.nonoperative
                                                   for e in items[j].entries)):  # (a word-table row names it 'spinekg:…')
            obj = items[j]
            obj.words = f"{verb.words} of {obj.words}"
            obj.note = obj.note or f"{verb.words!r} of a non-operative procedure names what is done, not an operation"
            items[i:i + 2] = []
        i += 1


def nonoperative(item) -> bool:
    """An operation word the lexicon reads as not an operation ('drain', 'trial', 'block')."""
    return any(e == ["op", "spinekg:NonOperativeProcedure"] for e in item.entries)


def opens_expansion(before, item) -> bool:  # type: ignore[no-untyped-def]
    """An operation word that opens an abbreviation's expansion written after another operation ('cervical fusion
    CRPP'): the abbreviation names a whole procedure of its own, so the two are not merged into one (merged, the
    non-operative 'closed reduction' decided for the fusion: no/no). A bare word still qualifies ('SCS trial')."""
    return " = " in item.note and item.note != before.note


PLACING = (["root", "H"], ["op", "pcs:H"])  # ICD-10-PCS Insertion: 'placement', 'insertion', 'implant'
DEVICE_WORDS = 2  # words naming what a non-operative procedure places ('trial lead', 'drain catheter'), at most


def second_roles(ops: list) -> None:
    """Words that name an operation only when no other does: a status word beside another operation is a status
    ('revision lumbar fusion'); a device's act word ('instrumentation', 'plating': the word table's operation row beside
    its device row) beside an operation that is no such word is its device ('TLIF with instrumentation', 'removal of
    instrumentation'), where alone it is the operation ('posterior instrumentation T10-pelvis')."""
    for it in ops:  # (not a status word merged with the operation word before it: 'shunt revision', grammar._merge_adjacent_ops)
        if len(ops) > 1 and any(e[0] == "status" for e in it.entries) and " " not in it.words:
            it.kind = "status"
        elif any(e[0] == "dev" for e in it.entries) and any(
                other.kind == "op" and not any(e[0] in ("dev", "status") for e in other.entries) for other in ops):
            it.kind = "dev"


def placed_devices(items: list) -> None:
    """'SCS trial lead placement T8', 'halo pin insertion': a non-operative procedure, a word or two naming its device
    and an insertion word are one procedure, the non-operative one (adjacent, 'SCS trial' and 'drain placement' already
    are: grammar._merge_adjacent_ops). Read apart, the insertion was an operation at the level: yes/no for a trial."""
    at = 0
    while at < len(items):
        first = items[at]
        last = at + 1
        while last < len(items) and last - at <= DEVICE_WORDS and items[last].kind in ("unknown", "dev"):
            last += 1
        verb = items[last] if at + 1 < last < len(items) else None
        if first.kind == "op" and nonoperative(first) and verb is not None and verb.kind == "op" and _is_verb(verb) \
                and any(list(e) in PLACING for e in verb.entries):
            first.words = " ".join(it.words for it in items[at:last + 1])
            first.note = first.note or f"{first.words!r}: the device of a non-operative procedure placed, not an operation"
            items[at + 1:last + 1] = []
        at += 1


def _is_verb(item) -> bool:
    """An ICD-10-PCS root operation word ('insertion', 'placement', 'removal'), not a named procedure."""
    return bool(item.entries) and all(e[0] == "root" or e[0] == "op" and str(e[1]).startswith("pcs:") for e in item.entries)


def brain_ventricles(items: list, lex: Lexicon) -> None:
    """'external ventricular drain': beside a drain, shunt, catheter or reservoir, a ventricle word is the brain's."""
    if not any(it.kind == "op" and any(d in it.words for d in CSF_DEVICES) for it in items):
        return
    entries = lex.phrases.get(BRAIN_VENTRICLE)
    for it in items:
        if it.kind == "site" and it.words in VENTRICLE_WORDS and entries:
            it.entries, it.weak = entries, False
            it.note = f"{it.words!r} beside a drain, shunt or catheter: the brain's ventricle (cerebrospinal fluid), not the heart's"


IMPLANTING = "H"  # ICD-10-PCS Insertion: 'placement', 'insertion', 'implant' say what an 'implantation' says
NAMING_KINDS = ("unknown", "region", "site", "dev")  # the words a device's name may be read as on their own


def implant_names(items: list, lex: Lexicon) -> None:
    """'dorsal column stimulator placement', 'placement of dorsal column stimulator': an insertion word beside words that,
    with 'implantation', make a named procedure ('dorsal column stimulator implantation') is that procedure."""
    for at, verb in enumerate(items):
        if verb.kind != "op" or not any(e[0] == "root" and e[1] == IMPLANTING or e == ["op", "pcs:" + IMPLANTING] for e in verb.entries):
            continue
        first = at  # the whole name before the verb, or after 'of': a part of it ('sacral neurostimulator') is not the name
        while first and items[first - 1].kind in NAMING_KINDS:
            first -= 1
        runs = [(first, at)]
        if at + 2 < len(items) and items[at + 1].words == "of":
            last = at + 2
            while last < len(items) and items[last].kind in NAMING_KINDS:
                last += 1
            runs.append((at + 2, last))
        for first, last in runs:
            if last > first:
                name = " ".join(it.words for it in items[first:last])
                entries = lex.phrases.get(name + " implantation", [])
                if entries and all(e[0] == "proc" for e in entries):
                    lo, hi = min(first, at), max(last, at + 1)
                    items[lo:hi] = [type(verb)("op", " ".join(it.words for it in items[lo:hi] if it.words), entries,
                                               note=f"{name!r} with {verb.words!r}: {name} implantation")]
                    return


def numbered_ribs(items: list, lex: Lexicon) -> None:
    """A level item next to a site naming only rib body parts (ICD-10-PCS 'Ribs, …') numbers the rib: a word, no site."""
    def ribs(item) -> bool:  # type: ignore[no-untyped-def]
        parts = [e[1] for e in item.entries if e[0] == "bp"]
        return item.kind == "site" and bool(parts) and all(lex.body_parts[p][0].startswith("Ribs") for p in parts)

    for at, item in enumerate(items):
        if item.kind == "level" and any(ribs(n) for n in items[max(at - 1, 0):at] + items[at + 1:at + 2]):
            item.kind, item.span, item.note = "fill", None, f"{item.words!r} numbers the rib beside it, not a vertebra"


APPROACH_LINKS = {"via", "through", "thru"}  # 'nephrectomy via flank incision', 'through a midline incision'
INCISIONS = {"incision", "incisions", "approach"}


def approach_incisions(items: list) -> None:
    """'Nephrectomy via flank incision', 'cholecystectomy through a subcostal incision': the incision after 'via' or
    'through' is how the operation named before was reached, not a second operation; the sites before it are where
    the incision was made, not the operation's (they read 'flank incision' as an open Drainage of the flank)."""
    first_op = next((at for at, it in enumerate(items) if it.kind == "op"), None)
    if first_op is None:
        return
    for at in range(first_op + 1, len(items)):
        if items[at].words not in APPROACH_LINKS:
            continue
        run = items[at + 1:at + 5]
        end = next((k for k, it in enumerate(run) if it.words in INCISIONS or incision_form(it)), None)  # 'via lumbotomy'
        if end is None or not all(it.kind in ("site", "unknown", "fill", "region", "lat", "approach") for it in run[:end]):
            continue
        for item in [it for it in [items[at]] + run[:end + 1] if it.kind != "approach"]:  # 'via open approach' stays open
            item.kind, item.entries = "approach", [["wappr", ""]]
            item.note = f"{item.words!r}: how the operation was reached, not what it operated on"


def anesthetic(clause, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    """A clause whose operations are all a neuraxial anaesthetic (the word table's rows flagged 'anesthetic'): its
    levels and sites are not shared with others."""
    return bool(clause.ops) and all(op.words in lex.anesthetics or op.note == EPIDURAL_NOTE for op in clause.ops)


GRAFT_LINKS = {"with", "w/", "using", "plus", "and"}  # words that add a graft to an operation named before


def graft_sources(items: list) -> None:
    """The rule of the docstring: after 'with' (or another link), a site followed by a graft word (skipping unknown
    words: 'fibular strut allograft', 'iliac crest cancellous bone graft'), or a site after 'from' that follows a graft
    word, is where the graft was taken: a device's source, never the operation's site. Only beside an operation named
    before: 'iliac crest bone graft harvest' alone is an operation on the iliac crest."""
    def graft(item) -> bool:  # type: ignore[no-untyped-def]
        return item.kind in ("dev", "op", "unknown") and any(w.endswith("graft") for w in item.words.split())

    first_op = next((at for at, it in enumerate(items) if it.kind == "op" and not graft(it)), None)
    if first_op is None:
        return
    for at in range(first_op + 1, len(items)):
        item = items[at]
        if item.kind != "site":
            continue
        before = items[max(first_op + 1, at - 3):at]
        after = items[at + 1:at + 4]
        ahead = next((it for it in after if it.kind != "unknown" or graft(it)), None)
        linked = any(it.words in GRAFT_LINKS for it in before) and ahead is not None and graft(ahead)
        sourced = bool(before) and before[-1].words == "from" and any(graft(it) for it in before[:-1])
        if linked or sourced:
            item.kind, item.note = "dev", f"{item.words!r}: where the graft was taken, not the operation's site"
