"""Device-only procedure lines ('O-arm navigated percutaneous pedicle screws T11-L1', 'robotic pedicle screws L4-S1'):
a theatre list may name only the implant, with how it went in. A device beside an approach word or a navigation word
names its placement (Insertion); a device beside a finding ('loose pedicle screws L4-5', 'broken rod') names no act
and stays unread, as does a bare part of a fusion or fixation construct ('Pedicle screws L4-S1': the word table's rows
flagged 'construct'): a report as often as a plan, and it does not say which operation put it in.

An implant that is a treatment of its own, named alone, is the operation that places it: 'Pacemaker', 'Interspinous
spacer L3-4', 'Spinal cord stimulator', 'Baclofen pump', 'Artificial disc C5-6', 'Hip prosthesis' (``named_implants``).
Read as written, the reader had only a site or a device and said so ('… is an anatomical site, not a procedure'), though
the text names an insertion as plainly as 'insertion of a pacemaker' does. The rule follows English noun phrases, whose
head comes last: the device must end its phrase ('dual chamber pacemaker'), with nothing after it but levels, sides, an
approach, a status, function words or an indication ('spacer L3-4 for stenosis'). Words after it make it a modifier of
something else, which is no insertion: 'pump refill', 'pacemaker check', 'stimulator reprogramming', 'rod fracture'."""
from __future__ import annotations

from .adjuncts import JOINS as ADJUNCT_JOINS, placing_nonoperative
from .lexicon import Lexicon
from .words import NONOPERATIVE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

INSERTION = "insertion"  # the word table's Insertion row (ICD-10-PCS root operation H)
HOW_WORDS = frozenset({"navigated", "navigation", "o-arm", "robot", "robotic", "robotically"})  # how it went in
FINDINGS = frozenset({"loose", "loosened", "loosening", "broken", "breakage", "failed", "failure", "malpositioned",
                      "malposition", "misplaced", "prominent", "migrated", "migration", "fractured", "backed", "backout",
                      "pullout", "infected", "painful", "retained", "cut-out", "cutout", "lucency", "halo"})


def _device(item) -> bool:
    return item.kind == "dev" or item.kind == "site" and any(e[0] == "dev" for e in item.entries)


def placed_hardware(items: list, lex: Lexicon, nonoperative: Callable) -> None:
    """Text naming a device, no operation (a non-operative one joined after it, 'and insertion of drain', is none:
    adjuncts.py) and no finding, with an approach word ('percutaneous', 'robotic') or a navigation word: an Insertion
    of that device, read as 'placement of …'."""
    if _acts_besides_adjuncts(items, nonoperative) or not any(_device(it) for it in items):
        return
    words = {w for it in items for w in it.words.split()}
    if words & FINDINGS or not (any(it.kind == "approach" for it in items) or words & HOW_WORDS):
        return
    entries = lex.phrases.get(INSERTION)
    if not entries:
        return
    at = next(i for i, it in enumerate(items) if _device(it))
    device = items[at]
    items.insert(at, type(device)("op", "placement", entries,
                                  note=f"{device.words!r} with how it went in and no other act: its placement (Insertion)"))


PLACING = ["op", "pcs:H"]  # the word table's 'placement' (ICD-10-PCS root operation H)
IMPLANT = "implant"  # the entry that marks an insertion read from an implant's name (decide.by_tables explains it)
# what may follow the device in its phrase: levels, sides, approaches, a status, punctuation and function words (the
# word table's other filler, 'fracture', 'dislocation', 'complication', names what the device has: 'rod fracture L4-5')
AFTER_HEAD = ("level", "lat", "approach", "status", "sep", "qual")
FUNCTION_WORDS = frozenset({"with", "w/", "and", "plus", "of", "the", "at", "on", "in", "into", "from", "to", "a", "an",
                            "level", "levels", "interspace", "interspaces"})
MANNER = "under "  # the word table's fillers saying how it was done ('under GA', 'under sedation'): no head after the device
ENDS = (",", ";", "+")  # punctuation that ends the phrase (a list's next item follows)


def _acts_besides_adjuncts(items: list, nonoperative: Callable) -> bool:
    """Whether the text names an operation other than a non-operative one joined after the device ('Interspinous spacer
    L3-4; drain', '… with neuromonitoring'); one before it acts on the device ('Programming of spinal cord stimulator')."""
    device = next((at for at, it in enumerate(items) if _device(it)), len(items))
    return any(it.kind == "op" and not (at > device and placing_nonoperative(items, at, nonoperative)
                                        and any(items[k].words in ADJUNCT_JOINS for k in range(device + 1, at)))
               for at, it in enumerate(items))


def named_implants(items: list, lex: Lexicon, names: Callable[[list, Lexicon], None], nonoperative: Callable) -> None:
    """Each implant that heads its phrase read as its insertion (``items`` changed in place), when no item is an
    operation (a non-operative one joined after the phrase, 'Interspinous spacer L3-4; drain', '… with neuromonitoring',
    is none); an indication ('for …', 'due to …') ends the phrase. The insertion has no words of its own (the device
    stays a device); with the words before it, it may make a named procedure (``names``: notes.implant_names, 'spinal
    cord stimulator')."""
    if _acts_besides_adjuncts(items, nonoperative) or FINDINGS & {w for it in items for w in it.words.split()}:
        return
    heads = []
    for at, item in enumerate(items):  # 'artificial disc': a device word before a site makes the site the implant
        if _device(item) and not construct_part(item, lex) or item.kind == "site" and at and items[at - 1].kind == "dev" \
                and not construct_part(items[at - 1], lex):
            end = next((k for k, it in enumerate(items[at + 1:], at + 1) if not (it.kind in AFTER_HEAD or it.kind == "fill"
                        and (it.words in FUNCTION_WORDS or it.words.startswith(MANNER) or narrative(it)) or _stage_number(items, k)
                        or _bracketed_make(items, k)) or it.words in ENDS), None)
            rest = None if end is None else items[end]
            if rest is None or rest.kind == "ind" or rest.words in ENDS or rest.kind == "op" and any(
                    items[k].words in ADJUNCT_JOINS for k in range(at + 1, end)):  # ('… and insertion of drain': no act of its own)
                heads.append(at)
    for at in reversed(heads):
        named = items[at].words if _device(items[at]) else f"{items[at - 1].words} {items[at].words}"  # ('artificial disc')
        items.insert(at + 1, type(items[at])("op", "", [PLACING, [IMPLANT, named]]))
    if heads:
        names(items, lex)


def narrative(item) -> bool:  # type: ignore[no-untyped-def]
    """A filler of the note's telling ('performed', 'day case', 'ASA', a surgeon's name: the word table's 'narrative'
    rows, theatre_columns.py), which leaves the device the head of its phrase, where 'fracture' or 'total' would not."""
    return any(e == NARRATIVE for e in item.entries)


NARRATIVE = ["fill", "narrative"]  # the entry of a narrative filler (build/lexicon.py)


# 'SNM stage 2', 'SCS 2nd stage': the number of a staged implantation's stage is the status word's, not an unread word
# after the device (which ended its phrase: the device was a site alone, 'not a procedure')
STAGE_NUMBERS = frozenset({"1", "2", "3", "i", "ii", "iii", "one", "two", "1st", "2nd", "3rd", "first", "second", "final"})


def _bracketed_make(items: list, at: int) -> bool:
    """Whether ``items[at]`` is words the reader does not know alone in brackets: the make of the device before it, as a
    theatre list gives it ('Interspinous spacer (Coflex) L3/4'), which leaves the device the head of its phrase."""
    if items[at].kind != "unknown":
        return False
    start = next((k for k in range(at - 1, -1, -1) if items[k].kind != "unknown"), -1)
    end = next((k for k in range(at + 1, len(items)) if items[k].kind != "unknown"), len(items))
    return start >= 0 and end < len(items) and items[start].words == "(" and items[end].words == ")"


def _stage_number(items: list, at: int) -> bool:
    """Whether ``items[at]`` is a stage's number, right before or after the status word 'stage'."""
    return items[at].kind == "unknown" and items[at].words in STAGE_NUMBERS and any(
        0 <= k < len(items) and items[k].kind == "status" and items[k].words == "stage" for k in (at - 1, at + 1))


def implant_named(op) -> str | None:  # type: ignore[no-untyped-def]
    """The implant an insertion was read from, if it was."""
    return next((e[1] for e in op.entries if e[0] == IMPLANT), None) if op is not None else None


def construct_part(item, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    """A part of a fusion or fixation construct (screws, rods, cage, graft: the word table's 'construct' rows)."""
    return any(e[0] == "dev" and e[1] in lex.constructs for e in item.entries)


INSERTED = (["op", "pcs:H"], ["root", "H"], ["op", "pcs:U"], ["root", "U"])  # 'implant(s)', 'graft', 'placement'


def devices_of_previous(clauses: list, implements: list) -> None:
    """'SI joint fusion with triangular titanium implants', 'ACDF with graft': a bare insertion word after 'with', naming no
    site of its own, is what the operation before it put in (a device of that clause), not a procedure of its own."""
    for clause in implements:
        at = next(i for i, c in enumerate(clauses) if c is clause)
        if at and not (clause.sites or clause.levels or clause.regions) and clause.ops and all(
                all(list(e) in INSERTED for e in op.entries) for op in clause.ops):
            before = clauses[at - 1]
            before.devices += [w for w in clause.words if w not in ("with", "w/")]
            before.words += clause.words
            before.unused += clause.unused
            clause.ops, clause.words, clause.unused = [], [], []


NEEDLE = "needle"  # the word table's approach word of a needle put in ('needle': percutaneous)


def needle_insertions(clauses: list) -> None:
    """'needle inserted at L3-4', 'a 22-gauge needle was placed into the L4-5 epidural space and … injected': an insertion
    that puts in no device but the needle it names is a puncture, the way to an injection or a sample, not an operation
    (ICD-10-PCS codes an Insertion only with a device left in; read as one, percutaneously, it was spine surgery: yes/yes).
    ``clauses`` changed in place."""
    for clause in clauses:
        if clause.devices or not any(it.words == NEEDLE for it in clause.approach):
            continue
        for op in clause.ops:
            if op.entries and all(list(e) in INSERTED for e in op.entries):
                op.entries = [list(e) for e in NONOPERATIVE]
                op.note = "a needle put in, no device left: a puncture, not an Insertion"
