"""The compositional text reader: any operation on any part of the body, as clinicians, coders and
registries write it. ``read_text`` gives the clauses; ``classify_text`` the combined verdict with one
reading per procedure named (see grammar.py for the forms understood, decide.py for how each is decided)."""
from __future__ import annotations

from ...errors import SpinekgError
from ...namespaces import SPINEKG
from ..composer import Composer, Verdict
from ..reading import cannot_be_a_name, read_known
from .decide import Decider
from .grammar import Clause, Grammar, marked
from .lexicon import load_lexicon
from .notes import elsewhere
from .sections import heading_as_words
from .reuse import clauses as reused_clauses, decide, own
from .sides import names_a_side
from .spans import spanned_regions
from ...vocab import REGION_ORDER

COMBINED_ORDER = ("yes", "depends", "no")


def forget() -> None:
    """Drop everything the reader remembered between questions (word runs, level expressions, level sites,
    composed answers), so the next question is read from scratch: for benchmarks and for the tests that
    prove remembering changes no answer."""
    from .. import composers, levels, profiles, reading
    from . import grammar

    load_lexicon().memo.clear()
    reading._MEANINGS.clear()
    levels._span.cache_clear()
    levels._canonical.cache_clear()
    grammar._span.cache_clear()
    for comp in list(composers._COMPOSERS.values()) + list(profiles._PROFILE_COMPOSERS.values()):
        comp._verdicts.clear()
        comp._compatible.clear()


def read_text(text: str) -> list[Clause]:
    return [own(clause) for clause in reused_clauses(Grammar(load_lexicon()), *marked(text))]  # the caller's to change


def _combine(values: list[str]) -> str:
    return "yes" if "yes" in values else "no" if all(v == "no" for v in values) else "depends"


def _only_names(text: str, clauses: list[Clause], comp: Composer) -> SpinekgError:
    """The message when no operation is named: a site, a disorder, or nothing recognised."""
    from ..reading import suggestions

    for clause in clauses:
        for it in clause.indication + clause.sites:  # a disorder named is the more specific message
            entry = next((e for e in it.entries if e[0] in ("anat", "dis")), None)
            if entry:
                kind = "an anatomical site" if entry[0] == "anat" else "a disorder"
                return SpinekgError(f"{text!r} is {kind} ({comp.label(entry[1])}), not a procedure; name an operation, "
                                    f"e.g. 'L4-L5 microdiscectomy'")
            bp = next((e for e in it.entries if e[0] in ("bp", "img")), None)
            if bp:
                return SpinekgError(f"{text!r} is an anatomical site ({it.words}), not a "
                                    f"procedure; name an operation, e.g. 'L4-L5 microdiscectomy'")
        if clause.levels:
            return SpinekgError(f"{text!r} gives a level but no procedure; e.g. '{clause.levels[0].text} fusion'")
    devices = [d for clause in clauses for d in clause.devices]
    if devices:  # 'Bone graft', 'Pedicle screws': a part of a construct says not which operation put it in
        return SpinekgError(f"{text!r} names a device ({devices[0]}), not a procedure; name the operation, e.g. "
                            f"'L4-L5 fusion with {devices[0]}'")
    return SpinekgError(f"unknown procedure {text.strip()!r}", suggestions=suggestions(text, comp.index))


def classify_text(text: str, comp: Composer) -> Verdict:
    """The verdict for free text: each procedure decided on its own, then combined (spine surgery if any
    operative part is; back surgery likewise; depends where the parts leave it open; regions the union)."""
    lex = load_lexicon()
    clauses = reused_clauses(Grammar(lex), *marked(text))
    decided = [c for c in clauses if c.ops]
    if not decided:
        if any(c.sites or c.regions or c.levels for c in clauses) and (words := heading_as_words(text)) is not None \
                and (found := _headed(text, words, comp)) is not None:
            return found  # 'Surgery - lumbar': the heading's noun is the operation of the site (sections.heading_as_words)
        raise _only_names(text, clauses, comp)
    decider = Decider(comp, lex)
    unused = [w for c in clauses for w in c.unused]
    repaired = clauses[0].repaired if len(clauses) == 1 else [r for c in clauses for r in c.repaired]
    typos = "; read ".join(["", *repaired]) if repaired else ""  # "'lamnectomy' as 'laminectomy'" (spelling.py)
    if len(decided) == 1:  # one procedure (most texts): its verdict is the text's
        verdict, reading = decide(decider, comp, text, decided[0])
        verdict.readings = [reading]
        verdict.explanation.append(f"words used: {', '.join(reading['words'])}" + (f"; not used: {', '.join(unused)}" if unused else "") + typos)
        return verdict
    results = [decide(decider, comp, text, clause) for clause in decided]
    # 'carpal tunnel release, history of ACDF', 'L4-5 ESI, will need L4-5 fusion': a procedure done before or to be done
    # later is reported, but the text's operation is the other
    before = [elsewhere(clause) for clause in decided]
    before = [None] * len(before) if all(before) else before  # only such procedures: they are what it names
    counted = [result for result, done in zip(results, before) if not done]
    spine = _combine([v.spine_surgery for v, _ in counted])
    back = _combine([v.back_surgery for v, _ in counted])
    main = next((v for v, _ in counted if v.spine_surgery == spine and v.back_surgery == back), counted[0][0])
    # (beside another part, not the regions a part that is no operation took from it: 'cervical polypectomy with drain'
    # has no cervical spine, whatever the drain shared)
    borrowed = [reading["shared_sites"] and v.spine_surgery == v.back_surgery == "no" for v, reading in counted]
    regions = sorted({r for (v, _), skip in zip(counted, borrowed) if not (skip and not all(borrowed)) for r in v.regions},
                     key=REGION_ORDER.index)
    why = [f"{len(results)} procedures named; spine surgery if any part is, back surgery likewise:"]
    for number, ((v, r), done) in enumerate(zip(results, before), 1):
        why.append(f"part {number} ({' '.join(r['words'])}): spine surgery {v.spine_surgery}, back surgery {v.back_surgery}"
                   + (f" ({done}: not counted)" if done else ""))
        why.extend(f"  {line}" for line in v.explanation)
    verdict = Verdict(input=text, procedure=main.procedure, regions=regions, spine_surgery=spine,
                      back_surgery=back, explanation=why, sites=[s for v, _ in counted for s in v.sites])
    verdict.readings = [r for _, r in results]
    words = [w for _, r in results for w in r["words"]]
    verdict.explanation.append(f"words used: {', '.join(words)}" + (f"; not used: {', '.join(unused)}" if unused else "") + typos)
    return verdict


def _headed(text: str, words: str, comp: Composer) -> Verdict | None:
    """The verdict of ``text`` read from ``words``, its heading as words, or None where they name no operation either."""
    try:
        verdict = classify_text(words, comp)
    except SpinekgError:
        return None
    verdict.input = text
    verdict.explanation.insert(0, "the heading names the operation: its section names only where")
    return verdict


NAME_LIMIT = 500  # characters: no procedure name is longer (reading.read_known refuses longer text)
QUOTED = 80  # characters of a long text that its error quotes


def classify_any_text(query: str, comp: Composer) -> Verdict:
    """Text: an exact ontology name (with levels) is read directly, as before; anything else compositionally. Text
    longer than any name (a registry's free-text field, an operative note's procedure section) is read compositionally
    only, up to the text-chars limit (reading takes linear time); its errors quote its beginning, not all of it."""
    if len(query) > NAME_LIMIT:
        from ...rdf import limits

        if len(query) > limits.get("text-chars"):
            raise limits.exceeded("text", "text-chars", f"{len(query):,} characters")
        try:
            return classify_text(query, comp)
        except SpinekgError as exc:
            quoted = next((q for q in (query, query.strip(), repr(query)[1:-1], repr(query.strip())[1:-1]) if q in exc.message), None)
            if quoted is None:
                raise
            short = f"{' '.join(query.split())[:QUOTED]}… ({len(query):,} characters)"
            raise SpinekgError(exc.message.replace(quoted, short), exc.exit_code, suggestions=exc.suggestions) from None
    if names_a_side(query) or cannot_be_a_name(query, comp.index):  # a bulk run: no need to look for the levels twice
        try:
            return classify_text(query, comp)
        except SpinekgError:
            read_known(query, comp.index)  # its error about the levels, where it has one, as when it reads first
            raise
    reading = read_known(query, comp.index)[0]
    if reading is None:  # not an exact name: read compositionally
        return classify_text(query, comp)
    try:
        verdict = comp.verdict(query, reading)
    except SpinekgError:
        if not (partly_fits(comp, reading) or comp.index["procedures"][reading.procedure]["spine_surgery"] == "no"
                or spanned_regions(comp.index, reading.procedure, reading.sites)):  # 'thoracic and thoracolumbar fusion'
            raise  # 'L4-L5 ACDF': no level of it can be the procedure's ('thoracotomy T6': the level is a landmark, decide.py)
        return classify_text(query, comp)  # 'posterior cervical fusion C3-T2': read as the words say, like '… for myelopathy'
    verdict.readings = [{"procedure": verdict.procedure, "operation": {"kind": "procedure"},
                         "sites": [{"iri": SPINEKG + s, "label": comp.label(s)} for s in verdict.sites],
                         "levels": [level.upper() for level in reading.levels], "regions": verdict.regions,
                         "spine_surgery": verdict.spine_surgery, "back_surgery": verdict.back_surgery,
                         "words": [" ".join(query.split())], "unused": []}]
    return verdict


def partly_fits(comp: Composer, reading) -> bool:  # type: ignore[no-untyped-def]
    """Some of the levels of an exact procedure name can be its site, others not: a posterior cervical fusion from C3
    to T2, an ACDF at C7-T2, a TLIF at T12-L1 reach past the procedure's region, as constructs often do (the exact-name
    path refused them as impossible, though with any other word the compositional reader answered)."""
    allowed = comp.procedures[reading.procedure]["site_only"]
    fits = lambda site: all(any(comp.compatible(o, site) for o in options) for options in allowed)  # noqa: E731
    # 'TLIF T12-L1': one motion segment of the thoracolumbar junction, whose lower vertebra (L1) the procedure's region
    # holds and whose upper one (T12) it does not
    ends = [fits(v) for level in reading.levels for end in level.replace("/", "-").split("-")  # 'T12-L1', 'T12/L1'
            if (v := f"Vertebra{end.upper()}") in comp.index["anatomy"]]
    return len(reading.sites) > 1 and any(fits(site) for site in reading.sites) or any(ends) and not all(ends)
