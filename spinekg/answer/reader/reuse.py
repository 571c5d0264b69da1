"""What the reader reuses between texts that differ only in their levels, sides or case.

Bulk text repeats one wording at many levels ('L4-5 TLIF', 'L5-S1 TLIF', 'left L3-4 TLIF'). The clauses of a
text depend on its words, not on what its levels are: they are worked out once per wording (levels as '§n'
placeholders, side words standing alone as '¶n': sides.py) and filled with each text's own levels and sides.
A clause's decision depends only on its operation,
sites, regions, approach, qualifier, the levels' vertebrae and whether they are shared from another procedure
(not on how the levels are written, the side, devices, status or indication): it is made once per such
signature and copied, with the words of the text itself put back into its reading. Errors are never remembered (their messages name the text)."""
from __future__ import annotations


TYPE_CHECKING = False  # typing only for annotations: importing it costs a cold answer ~4 ms

import marshal

from .. import regex
from ..composer import Verdict
from ..levels import LevelSpan
from ..reading import ROOT_WORDS
from .grammar import MEMO_LIMIT, Clause, Item
from .level_classes import LevelClasses, Renaming
from .decide import reading_object
from .qualified import SPINAL_WORDS, open_words
from .sides import SIDES, SLOT, kept_in_place, slot_items, slotted

if TYPE_CHECKING:
    from ..composer import Composer
    from .decide import Decider
    from .grammar import Grammar

LIST_FIELDS = tuple(name for name in Clause.FIELDS if name != "inherited")
_WORD = regex.compile(r"[a-z][a-z']+")


def wording(text: str) -> str:
    """A key shared by texts read from the same remembered wordings and decisions (see above): their words of two
    letters or more, lower-cased, without digits (levels) or laterality words. A bulk reader split across processes
    keeps texts of one key together, so that each process reuses what they share."""
    sides = side_words()
    return " ".join(w for w in _WORD.findall(text.lower()) if w not in sides)


def side_words() -> set[str]:
    """The lexicon's one-word laterality phrases ('left', 'bilat', 'rt' …)."""
    from .lexicon import load_lexicon

    lex = load_lexicon()
    sides = lex.memo.get(("§laterality",))
    if sides is None:
        sides = lex.memo[("§laterality",)] = {k for k, v in lex.phrases.items() if " " not in k and v and all(e[0] == "lat" for e in v)}
    return sides  # type: ignore[return-value]


class Template:
    """One wording's clause with '§n' placeholders, and what its decision depends on."""

    __slots__ = ("clause", "signature", "lists", "level_slots", "word_slots", "unused_slots", "side_slots", "indication_slots")

    def __init__(self, clause: Clause):
        self.clause = clause
        self.lists = tuple(getattr(clause, name) for name in LIST_FIELDS)
        # where each text's own levels and sides go (positions in the clause's lists): worked out once per wording
        # (position, level number, 'pelvis' words or '') for a level, (position, -1, side number) for a side: parsed once
        self.level_slots = [(i, *_parsed(s.text)) for i, s in enumerate(clause.levels) if s.text.startswith("§")]  # or in a word
        self.word_slots = [(i, *_parsed(w)) for i, w in enumerate(clause.words) if w.startswith(("§", SLOT))]
        self.unused_slots = [(i, *_parsed(w)) for i, w in enumerate(clause.unused) if w.startswith(("§", SLOT))]  # ('except L4-5')
        self.side_slots = [(i, int(v[1:])) for i, v in enumerate(clause.laterality) if v.startswith(SLOT)]
        self.indication_slots = [i for i, it in enumerate(clause.indication) if it.words.startswith(SLOT) and it.kind == "lat"
                                 or it.kind == "level" and it.span and it.words.startswith("§")]
        rest = " ".join(clause.words)
        self.signature = repr((clause.ops[0]._values() if clause.ops else None, [it._values() for it in clause.sites],
                               clause.regions, [it._values() for it in clause.approach], clause.qualifier,
                               any(word in rest for word in ROOT_WORDS), open_words(clause), sorted(SPINAL_WORDS & set(clause.unused)),
                               [it._values() for it in clause.indication if it.kind == "site"]))


def clauses(grammar: Grammar, toks: tuple[str, ...], spans: list[LevelSpan]) -> list[Clause]:
    """The clauses of a marked text (``grammar.marked``), read once per wording and filled with its levels and sides."""
    # 'T4 to pelvis' joins the level to the pelvis only for a single level: the wording alone does not say
    shape = tuple(span.is_single for span in spans) if "to" in toks else ()
    lex = grammar.lex
    found = lex.memo.get(("clauses", toks, shape))
    if found is None:
        found = _templates(grammar, toks, spans, shape)
    templates, sides, side_values = found
    return [fill(t, spans, sides, side_values) for t in templates]


def _templates(grammar: Grammar, toks: tuple[str, ...], spans: list[LevelSpan], shape: tuple) -> tuple:
    """(templates, side words, their laterality values) of a wording, remembered: read with its levels as slots and its
    free side words as slots too (sides.py: one reading serves every side), unless a side did not stay a laterality item."""
    lex = grammar.lex
    memo = lex.memo
    if len(memo) > MEMO_LIMIT:
        memo.clear()
    slots = [LevelSpan(f"§{k}", f"§{k}", None if span.is_single else f"§{k}") for k, span in enumerate(spans)]
    sided = slotted(toks, lex) if not SIDES.isdisjoint(toks) else None
    if sided is not None:
        sided_toks, sides = sided
        templates = memo.get(("sided", sided_toks, shape))
        if templates is None:
            items = grammar.marked_items(toks, slots)
            read = grammar.clauses_of(items) if slot_items(items, toks, sided_toks) else []
            templates = memo[("sided", sided_toks, shape)] = [Template(c) for c in read] if all(map(kept_in_place, read)) else []
        if templates:  # empty: a side did not stay a laterality item, read as written below
            values = {side: next(e[1] for e in lex.phrases[side] if e[0] == "lat") for side in sides}
            found = memo[("clauses", toks, shape)] = (templates, sides, values)
            return found
    found = memo[("clauses", toks, shape)] = ([Template(c) for c in grammar.clauses_of(grammar.marked_items(toks, slots))], (), None)
    return found


def _real(slot: str, spans: list[LevelSpan]) -> LevelSpan:
    """The text's own span for a placeholder ('§0', or '§0 to pelvis': see Grammar.marked_items)."""
    number, _, pelvis = slot[1:].partition(" to ")
    return _span(int(number), pelvis, spans)


def _span(number: int, pelvis: str, spans: list[LevelSpan]) -> LevelSpan:
    span = spans[number]
    return LevelSpan(f"{span.text} to {pelvis}", span.upper, "S1") if pelvis and span.upper != "S1" else span


def _parsed(slot: str) -> tuple[int, int | str]:
    """A placeholder's (level number, words after 'to') or (-1, side number): what ``fill`` puts in its place."""
    if slot[0] != "§":
        return -1, int(slot[1:])
    number, _, pelvis = slot[1:].partition(" to ")
    return int(number), pelvis


def _word(number: int, other: int | str, spans: list[LevelSpan], sides: tuple[str, ...]) -> str:
    """The text's own words for a placeholder among a clause's words (``_parsed``)."""
    if number < 0:
        return sides[other]  # type: ignore[index]
    return _span(number, other, spans).text if other else spans[number].text  # type: ignore[arg-type]


def fill(template: Template, spans: list[LevelSpan], sides: tuple[str, ...] = (), side_values: dict | None = None) -> Clause:
    """A clause with the text's levels and sides in place of the slots. It shares its other lists with the template: a
    decision made on it (which adds to them) first gives it its own (``own``), and what a reading takes is copied."""
    clause = Clause.__new__(Clause)
    values = clause.__dict__
    values.update(zip(LIST_FIELDS, template.lists))
    values["inherited"] = template.clause.inherited
    values["signature"] = template.signature
    if template.level_slots:
        levels = values["levels"] = list(values["levels"])
        for at, number, pelvis in template.level_slots:
            levels[at] = _span(number, pelvis, spans)
    if template.word_slots:
        words = values["words"] = list(values["words"])
        for at, number, other in template.word_slots:
            words[at] = _word(number, other, spans, sides)
    if template.unused_slots:
        unused = values["unused"] = list(values["unused"])
        for at, number, other in template.unused_slots:
            unused[at] = _word(number, other, spans, sides)
    if template.side_slots:
        laterality = values["laterality"] = list(values["laterality"])
        for at, number in template.side_slots:
            laterality[at] = side_values[sides[number]]  # type: ignore[index]
    if template.indication_slots:
        indication = values["indication"] = list(values["indication"])
        for at in template.indication_slots:
            slot = indication[at].words
            if slot[0] == "§":
                indication[at] = Item("level", (span := _real(slot, spans)).text, span=span)
            else:
                side = sides[int(slot[1:])]
                indication[at] = Item("lat", side, [["lat", side_values[side]]])  # type: ignore[index]
    return clause


def own(clause: Clause) -> Clause:
    """``clause`` with lists of its own, shared with no template (before a decision or a caller changes them)."""
    values = clause.__dict__
    values.update((name, list(values[name])) for name in LIST_FIELDS)
    return clause


def decide(decider: Decider, comp: Composer, text: str, clause: Clause) -> tuple[Verdict, dict]:
    """``decider.decide``, made once per decision signature and level class (levels a decision cannot tell apart:
    level_classes.py), kept with the composer's own answers (so that ``forget`` and a composer copy with its own
    memo drop it too)."""
    signature = getattr(clause, "signature", None)
    if signature is None:
        return decider.decide(text, own(clause))
    memo = comp._verdicts
    levels = clause.levels
    exact = ((levels[0].upper, levels[0].lower),) if len(levels) == 1 else tuple((s.upper, s.lower) for s in levels)  # as written
    if levels:
        classes = memo.get(("§level classes",))
        if classes is None:
            classes = memo[("§level classes",)] = LevelClasses(comp)  # type: ignore[assignment]
        level_class, names, labels = classes.of(levels, exact)  # type: ignore[union-attr]
        shared = classes.renamable(signature, names)  # type: ignore[union-attr]
        levels_key = level_class if shared else exact
    else:
        shared, names, labels, levels_key = False, (), (), exact
    # whether the levels are the clause's own or shared from another procedure decides too (Decider.decide's retries)
    key = ("§reader", signature, clause.inherited, levels_key)
    found = memo.get(key)
    if found is None and shared:  # a decision that changed its clause is kept by the levels as written (below)
        found = memo.get(("§reader", signature, clause.inherited, exact))
    if found is None:
        verdict, reading = decider.decide(text, own(clause))
        # a decision made again on a changed clause ('left SI joint fusion and L4-5 ESI' drops the shared level)
        # keeps what it changed: the same for every text of this signature
        changed = {k: v for k, v in decider.clause_fields(clause).items() if reading[k] != v}
        if shared and changed:  # what it changed may name the levels: decided as written
            key = ("§reader", signature, clause.inherited, exact)
        # renamed for another level of its class when one is read (half the decisions of a bulk run never are): the
        # levels it was made at, and the Renaming once made
        renaming = [names, labels, None] if shared and not changed else None
        # the caller may change what it gets: the memo keeps its own as one marshal blob (a deep copy in one C call, and
        # bytes, which the cyclic collector never scans: a bulk run keeps thousands of decisions, each some thirty lists
        # and dicts that made its full collections several times longer)
        memo[key] = (marshal.dumps(((verdict.procedure, verdict.regions, verdict.spine_surgery, verdict.back_surgery,
                                     verdict.explanation, verdict.sites), reading["operation"], reading["sites"],
                                    {k: reading[k] for k in changed})), renaming)
        return verdict, reading
    blob, renaming = found  # type: ignore[misc]
    (procedure, regions, spine, back, explanation, verdict_sites), operation, sites, changed = marshal.loads(blob)
    if renaming is not None and renaming[0] != names:  # the decision's level terms renamed to this text's
        if renaming[2] is None:
            renaming[2] = Renaming(explanation, verdict_sites, sites, renaming[0], renaming[1])
        explanation, verdict_sites, sites = renaming[2].renamed(names, labels)
    verdict = Verdict(text, procedure, regions, spine, back, explanation, verdict_sites)
    reading = reading_object(verdict, operation, sites, clause, comp.label)  # with this text's own words
    if changed:
        reading.update(changed)
    return verdict, reading
