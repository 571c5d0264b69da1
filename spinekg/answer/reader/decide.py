"""Clause → verdict. An ontology procedure is decided by the composer (HermiT's closures), exactly as
before; an ICD-10-PCS root operation is decided by the code path's own tables, compiled into the lexicon
from ontology/mappings/ (root operation + approach (+ qualifier) → operative; body system + body part →
anatomy term), with the code path's rule for the outcome (``outcome`` below mirrors
``spinekg.codes.icd10.CodeTables.outcome``; a test proves they agree on every section-0 code and title)."""
from __future__ import annotations

from ...errors import SpinekgError
from ..composer import SEED_BACK, SEED_SPINE, Composer, Verdict
from ...namespaces import SPINEKG
from ..reading import Reading, _has_spinal_site, _span_sites
from .grammar import MORPH_APPROACH, Clause, Item
from .spans import spanned_regions
from .placements import implant_named
from .lexicon import Lexicon
from .qualified import bare_word, withhold_bare_site, withhold_default
from .words import BACK_LANDMARKS, cavity_systems
from .operative_tables import DEFAULT_APPROACHES, OPEN, decide_operative, unnamed_approaches
from .part_reasons import part_reasons
from .generators import CHANGED
from ...vocab import REGION_ORDER

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

GENERIC = {"yes": "OperativeProcedure", "no": "NonOperativeProcedure", "depends": "Procedure"}
# The bones and joints (Upper/Lower Bones and Joints) are reached only open, percutaneously or endoscopically in the code
# tables: an approach through a natural opening to them ('transoral odontoidectomy') is the route to an incision (the
# pharynx's wall is cut to expose C2), open, as ICD-10-PCS codes it (was operative depends: spine depends); so is one
# to the vertebrae or discs a level names ('transoral excision of C2 tumour')
NATURAL_OPENINGS, BONE_SYSTEMS = ("7", "8"), "PQRS"
# Occlusion (embolisation) has code tables only for tubular body parts (arteries, veins, the vas deferens): a spinal site
# named after it ('embolisation of spinal tumour T6') is the lesion the vessels feed, reached and closed inside the
# vessels, as 'segmental artery embolisation T9' is (was yes/no: an Occlusion of the T6 vertebra)
OCCLUSION, TUBULAR_SYSTEMS = "L", "234567BDFTUV"  # the body systems of the Occlusion tables (02L-0VL)
# but a ligation or clipping is done on the lesion, through an incision: 'ligation of spinal dural AV fistula' was no/no
SURGICAL_CLOSURES = frozenset({"ligation", "clipping"})
LOWER_BACK = "LowerBack"
LOWER_BACK_REGIONS = {"LumbarSpine", "SacralSpine", "LumbosacralJunction", LOWER_BACK}
LOWER_BACK_TISSUE = "LowerBackSoftTissue"
UPPER_BACK_TISSUE, UPPER_BACK_WORDS = "UpperBackSoftTissue", "upper back"
LOWER_BACK_WORDS = ("lower back", "low back", *sorted(BACK_LANDMARKS))  # the region's words (regions.REGIONS), also in a
# site's words; and the spine there that a surface part lies over (words.region_parts: 'skin overlying the sacrum')


def combine(values: list[str]) -> str:
    """Several sites or parts: yes if any is, no if all are not, else depends."""
    return "yes" if "yes" in values else "no" if values and all(v == "no" for v in values) else "depends"


def alternatives(values: list[str]) -> str:
    """Several codes the text may mean (which one is open): yes if all are, no if none is, else depends."""
    return "yes" if values and all(v == "yes" for v in values) else "no" if values and all(v == "no" for v in values) else "depends"


def outcome(anatomy: dict, site: str | None, operative: str) -> tuple[str, str]:
    """(spine, back) of one site, by the code path's rule: no term → no/no; not an operation → no/no."""
    if site is None or operative == "no":
        return "no", "no"
    info = anatomy[site]
    spine, back = info["spinal"], info["lower_back"]
    if operative == "depends":
        spine = "depends" if spine == "yes" else spine
        back = "depends" if back == "yes" else back
    return spine, back


class Decider:
    """Decides clauses with one composer (index) and one lexicon."""

    def __init__(self, comp: Composer, lex: Lexicon):
        self.comp, self.lex, self.index = comp, lex, comp.index

    # -- sites -------------------------------------------------------------------------------------
    def anatomy_sites(self, clause: Clause, procedure: str) -> list[str]:
        rest = " ".join(clause.words)
        sites = [s for span in clause.levels for s in _span_sites(span, procedure, rest, self.index)]
        levelled, listed = bool(sites), []
        for it in clause.sites:
            named = [e[1] for e in it.entries if e[0] == "anat"][:1] or \
                [t for t in (self.lex.body_parts[e[1]][1] for e in it.entries if e[0] == "bp") if t][:1]
            named = [self.lower_back_part(t, clause) for t in named]
            spinal_regions = [r for r in clause.regions if self.index["anatomy"][r]["spinal"] == "yes"]
            if spinal_regions and not levelled:  # 'spinal disc prosthesis, cervical', 'lumbar and lumbosacral spine'
                named = [r for t in named for r in (spinal_regions if self.spans_regions(t) else [t])]
            sites += [t for t in named if not (levelled and self.spans_regions(t))]  # 'T5-T12 vertebral body': the levels say which
            listed += named if it.listed else []  # 'back and neck': a site of its own (lists.py), kept even if it decides nothing
        if not sites and clause.regions and procedure != "Procedure" and _has_spinal_site(procedure, self.index):
            sites = list(clause.regions)
        elif not sites and LOWER_BACK in clause.regions:  # 'lower back' names a site; 'lumbar' alone is an adjective
            sites = [LOWER_BACK]
        anatomy = self.index["anatomy"]
        decided = [t for t in sites if (anatomy[t]["spinal"], anatomy[t]["lower_back"]) != ("depends", "depends") or t in listed]
        spinal = [r for r in clause.regions if anatomy[r]["spinal"] == "yes"]
        if not decided and not levelled and not listed and len(spinal) == 1 and procedure != "Procedure" \
                and _has_spinal_site(procedure, self.index):  # 'fusion lumbar joint': a spinal procedure's open site ('joint')
            decided = spinal  # qualified by one spinal region word is that region's (was the bare joint: back depends)
        return list(dict.fromkeys(decided or sites))  # 'fusion of joint of cervical spine': the cervical spine's joint

    def lower_back_part(self, term: str, clause: Clause) -> str:
        """'lumbar paraspinal muscle': a back structure outside the spine that may or may not lie in the lower back, qualified
        by a lumbar or sacral region word, is the part of it in the lower back (the ontology's lower-back soft tissue)."""
        anatomy = self.index["anatomy"]
        if anatomy[term]["spinal"] == "no" and anatomy[term]["lower_back"] == "depends":
            # (or named with the lower back's own words: 'lower back skin lesion', the skin of the back the words qualify)
            if LOWER_BACK_TISSUE in anatomy and (set(clause.regions) & LOWER_BACK_REGIONS
                                                 or any(f" {w} " in f" {it.words} " for it in clause.sites for w in LOWER_BACK_WORDS)):
                return LOWER_BACK_TISSUE
            if UPPER_BACK_TISSUE in anatomy and any(UPPER_BACK_WORDS in it.words for it in clause.sites):  # 'upper back skin'
                return UPPER_BACK_TISSUE
        # 'evacuation of lumbar epidural abscess': a spinal site of every region (the spinal canal, read from a body part
        # the tables name) qualified by one spinal region word and no level is that region's part, as anatomy_sites
        # reads an ontology site (it was the whole canal: back surgery depends)
        spinal_regions = [r for r in clause.regions if self.index["anatomy"][r]["spinal"] == "yes"]
        if len(spinal_regions) == 1 and not clause.levels and self.spans_regions(term):
            return spinal_regions[0]
        return term

    def parts_of_outside(self, clause: Clause) -> list[Item]:
        """'excision of facet of patella', 'spine of scapula fracture': a spinal site named by one bare, shortened word
        (qualified.bare_word: 'facet', 'lamina', 'disc', 'spine') beside a site provably outside the spine and the back,
        with no level or region word, is a part of that site (bones have facets and spines), not a second, spinal site."""
        if clause.levels or clause.regions or not any(self.outside_item(it) for it in clause.sites):
            return clause.sites
        return [it for it in clause.sites if it.listed or self.outside_item(it)
                or not (self.spinal_term(it) and bare_word(it, self.lex, self.comp.label))]

    def listed_sites(self, clause: Clause) -> list[str]:
        """'excision of lesion of back and neck': the ontology terms of listed sites that name no ICD-10-PCS body part
        (lists.py), decided beside the body part named first."""
        return list(dict.fromkeys(e[1] for it in clause.sites if it.listed and not any(e[0] == "bp" for e in it.entries)
                                  for e in it.entries if e[0] == "anat"))

    def lower_back_region_only(self, clause: Clause) -> bool:
        """'lumbar wound debridement', 'sacral fracture fixation', 'hardware removal lumbar': a root operation whose only
        site word is a lumbar or sacral region word is done somewhere in the lower back, whatever the structure (the lumbar
        spine or the soft tissue around it): back surgery, and spine surgery depends. ('lumbar' beside a named structure
        says which part of it: lower_back_part.)"""
        return bool(clause.regions) and set(clause.regions) <= LOWER_BACK_REGIONS and not clause.sites and \
            LOWER_BACK in self.index["anatomy"]

    def spans_regions(self, term: str) -> bool:
        """A spinal term of several regions or none (vertebral body, disc): the levels beside it name which ones."""
        info = self.index["anatomy"][term]
        return info["spinal"] == "yes" and len(info["regions"]) != 1

    def pcs_parts(self, clause: Clause) -> list[str]:
        """The ICD-10-PCS body part: the first one named (later ones are targets: 'Bypass X to Y', 'Transfer X with Y');
        none when the first is an ontology term inside the spine only ('lumbar spinal canal to peritoneal cavity')."""
        first = next((it for it in clause.sites if any(e[0] == "bp" for e in it.entries) or self.spinal_term(it)), None)
        return [e[1] for e in first.entries if e[0] == "bp"] if first else []

    def in_regions(self, parts: list[str], clause: Clause) -> list[str]:
        """'spinous process …; lumbar': of the body parts one site word names, those in the regions the clause names (all
        of them when none is: the region word may qualify something else)."""
        anatomy = self.index["anatomy"]
        wanted = {r for region in clause.regions if region in anatomy for r in anatomy[region]["regions"]}
        kept = [p for p in parts if (term := self.lex.body_parts[p][1]) and wanted & set(anatomy[term]["regions"])]
        return kept if len(parts) > 1 and kept else parts

    def spinal_term(self, item: Item) -> bool:
        """An ontology site inside the spine with no ICD-10-PCS body part ('lumbar spinal canal')."""
        return any(e[0] == "anat" and self.index["anatomy"][e[1]]["spinal"] == "yes" for e in item.entries)

    def unmapped_only(self, clause: Clause) -> bool:
        """Every site named is an ICD-10-PCS body part with no ontology term (the code path's 'no')."""
        return bool(clause.sites) and not clause.levels and all(
            not any(e[0] == "anat" for e in it.entries) and all(self.lex.body_parts[e[1]][1] is None for e in it.entries if e[0] == "bp")
            for it in clause.sites)

    # -- decisions ---------------------------------------------------------------------------------
    def decide(self, text: str, clause: Clause) -> tuple[Verdict, dict]:
        clause.sites = self.parts_of_outside(clause)
        op = clause.ops[0] if clause.ops else None
        procs = [e[1] for e in op.entries if e[0] == "proc"] if op else []
        procs += [e[1][8:] for e in (op.entries if op else []) if e[0] == "op" and e[1].startswith("spinekg:")]
        roots = [e for e in (op.entries if op else []) if e[0] in ("root", "op", "morph") and not str(e[1]).startswith("spinekg:")]
        named = [e for e in (op.entries if op else []) if e[0] == "idx"]
        if named and not procs:
            return self.by_index(text, clause, op, named)  # type: ignore[arg-type]
        pcs_only_sites = not clause.levels and not clause.regions and any(
            e[0] == "bp" for it in clause.sites for e in it.entries) and (len(clause.sites) > 1 or not any(
            e[0] == "anat" for it in clause.sites for e in it.entries))
        if procs and not (roots and pcs_only_sites):
            procedure = procs[0]  # named_only: 'discectomy and ORIF of ankle': the shared ankle is not the discectomy's
            named_only = clause.inherited and not roots and self.index["procedures"][procedure]["spine_surgery"] == "yes"
            if self.unmapped_only(clause) and not named_only:  # 'ORIF R ankle': a spinal procedure's name does not make the ankle spinal
                info = self.index["procedures"][procedure]
                kind = GENERIC[info["operative"]] if info["spine_surgery"] != "no" else procedure
                verdict, reading = self.by_tables(text, clause, op, [], info["operative"], kind)
                if kind != procedure:
                    verdict.explanation.insert(0, f"not read as {self.comp.label(procedure)}: every site named is outside the spine")
                return verdict, reading
            try:
                sites = self.anatomy_sites(clause, procedure)
            except SpinekgError:
                if not clause.inherited:
                    raise  # 'C9 fusion', 'C8 fusion': the level cannot be the procedure's
                return self.decide(text, self.unshared(clause, roots))  # 'C8 nerve root decompression with neuromonitoring'
            try:
                verdict = self.comp.verdict(text, Reading(procedure, sites, [s.text for s in clause.levels]))
                kind = GENERIC[self.index["procedures"][procedure]["operative"]]  # what the guard leaves when it withholds
                withhold_default(verdict, clause, self.lex, self.index["anatomy"], self.comp.label(procedure),
                                 (SPINEKG + kind, self.comp.label(kind)), self.comp.label)
                return verdict, self.describe(clause, verdict, {"kind": "procedure"})
            except SpinekgError as exc:
                if clause.levels and self.index["procedures"][procedure]["spine_surgery"] == "no":
                    # 'repair of thoracic aorta at T6': a level beside a procedure never done on the spine marks where
                    # along its site (read as the spine's T6, it was a thoracic spinal operation: yes/no)
                    return self.decide(text, Clause(**dict(zip(clause.FIELDS, clause._values()), levels=[])))
                if clause.inherited:  # 'left SI joint fusion and L4-5 ESI': the shared level cannot be this procedure's
                    return self.decide(text, self.unshared(clause, roots))
                if clause.regions and spanned_regions(self.index, procedure, clause.regions):  # 'thoracic and thoracolumbar fusion'
                    return self.decide(text, Clause(**dict(zip(clause.FIELDS, clause._values()), regions=[])))
                if clause.levels and clause.sites:  # 'lumbar fusion L4-S1, leg pain': the levels say where, not a symptom's site
                    return self.decide(text, Clause(**dict(zip(clause.FIELDS, clause._values()), sites=[])))
                if not roots:  # the named procedure cannot lie there: decide its kind of operation at the site
                    verdict, reading = self.by_tables(text, clause, op, [], self.index["procedures"][procedure]["operative"],
                                                      GENERIC[self.index["procedures"][procedure]["operative"]])
                    verdict.explanation.insert(0, f"not read as {self.comp.label(procedure)}: {exc.message}")
                    return verdict, reading
        if roots:
            return self.by_tables(text, clause, op, roots, None, None)
        raise SpinekgError(f"{text!r}: no operation named")  # pragma: no cover - callers check first

    def unshared(self, clause: Clause, roots: list) -> Clause:
        """The clause without the sites and levels it shared from another procedure. 'decompression of fasciotomy, leg': a
        shared site outside the spine may still be a generic word's ('decompression' is also a root operation), so like an
        outside indication it leaves the spinal default open (qualified.withhold_default); a procedure's own name
        ('discectomy') has no other site."""
        own = dict(zip(clause.FIELDS, clause._values()), sites=[], levels=[], regions=[], inherited=False)
        own["indication"] = clause.indication + [it for it in clause.sites if roots and self.outside_item(it)]
        return Clause(**own)

    def by_tables(self, text: str, clause: Clause, op: Item | None, roots: list, operative: str | None,
                  procedure: str | None) -> tuple[Verdict, dict]:
        """A root operation (or a procedure on a body part the ontology has no term for) by the code tables."""
        lex, why = self.lex, []
        codes, approach, site_hint = [], None, None
        for entry in roots:
            if entry[0] == "morph":
                codes += entry[1]["roots"]
                approach = approach or entry[1]["approach"]
                site_hint = site_hint or entry[1]["site"]
            else:
                code, _, fixed = entry[1].removeprefix("pcs:").partition("@")
                code, _, qual = code.partition("+")
                codes.append(code)
                approach = approach or fixed or None
                if qual:
                    clause.qualifier.append(qual)
        codes = list(dict.fromkeys(codes))
        named = "".join(dict.fromkeys(e[1] for it in clause.approach for e in it.entries if e[0] in ("pcsappr", "wappr") and e[1]))
        approaches = (OPEN if OPEN in named else named[-1:]) if named else (approach or DEFAULT_APPROACHES)  # (see OPEN)
        hint = self.pcs_parts(clause) or (site_hint or {}).get("parts") or []
        if approaches in NATURAL_OPENINGS and (hint or clause.levels) and all(p[0] in BONE_SYSTEMS for p in hint):
            approaches = "0"  # 'transoral odontoidectomy': see BONE_SYSTEMS
        qualifier = clause.qualifier[0] if clause.qualifier else None
        if operative is None:
            operative = decide_operative(lex, codes, approaches, qualifier, bool(named or approach))
            ops = ", ".join(f"{lex.root_operations[c]} ({c})" for c in codes)
            if named or approach:
                how = f"approach {approaches}"
            else:
                only = [f"{lex.root_operations[c]} only {lex.root_approaches[c]}" for c in codes
                        if unnamed_approaches(lex, c, approaches) != approaches]
                how = f"no approach named (open, percutaneous or endoscopic: {approaches}" + \
                    (f"; as its codes take: {', '.join(only)}" if only else "") + ")"
            why.append(f"read as: ICD-10-PCS root operation {ops}, {how}"
                       + (f", qualifier {qualifier}" if qualifier else "") + f" → operative {operative} "
                       f"(ontology/mappings/icd10pcs-root-operations.sssom.tsv)")
        else:
            why.append(f"read as: {self.comp.label(procedure)} (spinekg:{procedure}), operative {operative}")
        named_parts = self.in_regions(self.pcs_parts(clause), clause)
        parts = named_parts or (site_hint["parts"] if site_hint else [])
        if clause.levels and parts and all(lex.body_parts[p][1] and self.index["anatomy"][lex.body_parts[p][1]]["spinal"] == "yes"
                                           for p in parts):
            parts = named_parts = []  # 'T5-T12 vertebral body tethering': the levels name the vertebrae
        terms: list[str | None] = [t and self.lower_back_part(t, clause) for t in (lex.body_parts[p][1] for p in parts)]
        anat = self.listed_sites(clause) if parts else self.anatomy_sites(clause, "Procedure")
        if not parts and not anat and not (site_hint and site_hint["systems"]) and self.lower_back_region_only(clause):
            anat = [LOWER_BACK]
            why.append(f"{' '.join(clause.region_words)!r} names no structure: somewhere in the lower back (the spine there, "
                       "or the tissue around it)")
        results, regions = [], set()
        why += part_reasons(parts, terms, lex, self.comp.label)
        for term in list(dict.fromkeys([t for t in terms if t] + anat)):
            regions.update(self.index["anatomy"][term]["regions"])
        results = [outcome(self.index["anatomy"], t, operative) for t in list(dict.fromkeys(terms)) + anat]
        if results and codes == [OCCLUSION] and not any(p[0] in TUBULAR_SYSTEMS for p in parts) \
                and not SURGICAL_CLOSURES & {op.words for op in clause.ops}:
            results, terms, anat = [("no", "no")], [], []  # 'embolisation of spinal tumour T6': see OCCLUSION
            why.append("an Occlusion is of a vessel (its code tables hold only tubular body parts): the site named is what "
                       "the vessels feed, embolised from inside them → not spine surgery, not back surgery")
        one_of = False
        if not results and site_hint and site_hint["systems"]:
            systems = site_hint["systems"]
            if not set(systems) & set(lex.systems_with_sites):
                results = [("no", "no")]
                why.append(f"{site_hint['label']}: body system {', '.join(f'{s} ({lex.systems[s]})' for s in systems)} has no spine or "
                           f"back body part → not spine surgery, not back surgery")
        if not results and (imaged := self.imaging_sites(clause)):
            results = [("no", "no")]
            why += imaged
        if not results:
            spine = back = "no" if operative == "no" else "depends"
            why.append("no site named: whether this is spine or back surgery depends on where it is done" if operative != "no"
                       else "not an operation, so neither spine surgery nor back surgery, whatever its site")
        else:
            # one site word naming several body parts ('vertebral body', 'bowel') means one of them: the answer holds
            # only where all agree, and no region is certain; a word form's parts ('sacr-') stay 'yes if any'
            whole = bool(site_hint) and not named_parts and site_hint["label"] in lex.label_words  # 'cord-ectomy': vocal or spinal
            n = len(set(terms))  # the named body parts' results come first, then those of sites listed beside them
            one_of = bool(named_parts or whole) and len(set(results[:n])) > 1
            pick = alternatives if one_of else combine
            spine, back = (combine([pick([r[i] for r in results[:n]])] + [r[i] for r in results[n:]]) if n and results[n:]
                           else pick([r[i] for r in results]) for i in (0, 1))
            if operative == "no":
                why.append("not an operation (decided by the root operation and approach), so neither spine surgery nor back surgery")
            for term in [t for t in dict.fromkeys(terms) if t] + anat if operative != "no" else ():  # (no: whatever its site)
                s, b = outcome(self.index["anatomy"], term, operative)
                why.append(self.site_reason(term, s, "spine") + "; " + self.site_reason(term, b, "back"))
            if one_of:
                named_by = repr(clause.sites[0].words) if named_parts else f"the word form's {site_hint['label']!r}"  # type: ignore[index]
                why.append(f"{named_by} names one of these body parts, not all: spine surgery {spine}, back surgery {back}")
        if op is not None and op.note.startswith(CHANGED):  # 'SCS battery change': why a Replacement (generators.py)
            why.insert(0, op.note)
        if implant := implant_named(op):
            why.insert(0, f"no operation named: {implant!r} names an implant, read as its insertion (a list names the implant "
                          "for the operation that places it)")
        proc = procedure or GENERIC[operative]
        verdict = Verdict(input=text, procedure={"iri": SPINEKG + proc, "label": self.comp.label(proc)},
                          regions=self.comp.regions_of(([] if one_of else [t for t in dict.fromkeys(terms) if t]) + anat),
                          spine_surgery=spine, back_surgery=back, explanation=why,
                          sites=[t for t in dict.fromkeys(terms) if t] + anat)
        withhold_bare_site(verdict, clause, lex, self.index["anatomy"], self.comp.label)
        operation = {"kind": "root operation", "root_operations": [{"code": c, "label": lex.root_operations[c]} for c in codes],
                     "approach": approaches, "qualifier": qualifier, "operative": operative,
                     "body_parts": [{"code": f"0{p[0]}_{p[1]}", "label": lex.body_parts[p][0]} for p in parts]}
        return verdict, self.describe(clause, verdict, operation)

    def by_index(self, text: str, clause: Clause, op: Item, entries: list) -> tuple[Verdict, dict]:
        """A procedure named by the CMS ICD-10-PCS index: its root operation(s) at the site the text names, else
        the code path's answers over every code of each code prefix the index gives (compiled at build time)."""
        see = self.lex.see(entries)
        cavity = cavity_systems([it.words for it in clause.approach])
        inside = [s for s in see if s[0][0] == "0" and s[0][1] in cavity]
        narrowed = bool(inside) and not clause.levels and len(inside) < len(see)
        see = inside if narrowed else see  # 'VATS lobectomy': the lung's, not the brain's
        terms = ", ".join(dict.fromkeys(e[1]["term"] for e in entries))
        read = f"read {op.words!r} by the CMS ICD-10-PCS index entry {terms!r}: " + "; ".join(
            f"see {s[1]} {s[0]}" if s[1] else s[0] for s in see)
        if narrowed:
            read += " (only the entries inside the body cavity the approach enters: " + \
                ", ".join(it.words for it in clause.approach if cavity_systems([it.words])) + ")"
        roots = [["root", r] for r in dict.fromkeys(s[0][2] for s in see if s[0][0] == "0")]
        systems = {s[0][1] for s in see if s[0][0] == "0"}
        spine, back = alternatives([s[2] for s in see]), alternatives([s[3] for s in see])
        open_ = "depends" in (spine, back)
        if roots and (clause.levels and systems & self.level_systems()  # 'carotid endarterectomy C3 level': a landmark
                      or any(e[0] == "bp" and (open_ or e[1][0] in systems) for it in clause.sites for e in it.entries)):
            verdict, reading = self.by_tables(text, clause, op, roots, None, None)  # the text names the site
            verdict.explanation.insert(0, read)
            return verdict, reading
        form = next((e for e in op.entries if e[0] == "morph"), None)
        if open_ and form is not None:  # the word form names the body part(s): each is one answer the text may mean
            decided = [self.by_tables(text, clause, op, [["morph", {**form[1], "site": {**form[1]["site"], "parts": [p]}}]],
                                      None, None) for p in form[1]["site"]["parts"]]
            s2, b2 = alternatives([v.spine_surgery for v, _ in decided]), alternatives([v.back_surgery for v, _ in decided])
            if (s2 != "depends" or spine == "depends") and (b2 != "depends" or back == "depends") and (s2, b2) != (spine, back):
                verdict, reading = decided[0] if len(decided) == 1 else self.by_tables(text, clause, op, [form], None, None)
                verdict.spine_surgery, verdict.back_surgery = reading["spine_surgery"], reading["back_surgery"] = s2, b2
                if "depends" in (s2, b2):
                    verdict.regions = reading["regions"] = []
                verdict.explanation.insert(0, read + f" (open); its word form names {form[1]['site']['label']!r}, "
                                           "each of whose body parts is one answer the text may mean")
                return verdict, reading
        if open_ and roots and not clause.levels and clause.sites and all(self.outside_item(it) for it in clause.sites):
            verdict, reading = self.by_tables(text, clause, op, roots, None, None)  # 'ostectomy, femur': wherever it is, not the spine
            verdict.explanation.insert(0, read)
            return verdict, reading
        own = [e for e in op.entries if e[0] == "op" and str(e[1]).startswith("pcs:")]
        if own and clause.sites and self.spinal_sites(clause):  # 'reduction of vertebral fracture': see spinal_sites
            verdict, reading = self.by_tables(text, clause, op, own, None, None)
            verdict.explanation.insert(0, f"{op.words!r} read as the word table's root operation: the index entry {terms!r} "
                                          "names other body systems than the spinal site named")
            return verdict, reading
        why = [read] + [f"{it.words!r} is not a body part of the systems the index names, so it does not decide the site"
                        for it in clause.sites]
        for s in see:
            if s[0][0] != "0":
                why.append(f"{s[0]}: ICD-10-PCS section {s[0][0]} is not an operation → not spine surgery, not back surgery")
            else:
                why.append(f"{s[0]}: every FY2025 code {s[0]}… decided by the code tables → spine surgery {s[2]}, back surgery "
                           f"{s[3]}; operative {self.index_operative(s, clause, op)}")
        operative = alternatives([self.index_operative(s, clause, op) for s in see])
        if "depends" in (spine, back):
            why.append("the index entry covers codes that decide differently, so it depends on the site: name it "
                       "(e.g. the body part or the level)")
        regions = sorted({r for s in see for r in s[5]}, key=REGION_ORDER.index) if "depends" not in (spine, back) else []
        if clause.levels:  # 'L2-L3 epidural blood patch': the levels say where, whatever the answer
            regions = self.comp.regions_of(self.anatomy_sites(clause, "Procedure"))
        proc = GENERIC[operative]
        verdict = Verdict(input=text, procedure={"iri": SPINEKG + proc, "label": self.comp.label(proc)}, regions=regions,
                          spine_surgery=spine, back_surgery=back, explanation=why, sites=[])
        operation = {"kind": "index entry", "term": terms, "operative": operative,
                     "see": [{"codes": s[0], "target": s[1], "spine_surgery": s[2], "back_surgery": s[3]} for s in see]}
        return verdict, self.describe(clause, verdict, operation)

    def spinal_sites(self, clause: Clause) -> bool:
        """Whether every site named is the spine's (a spinal term, or a disorder of it): a word both the word table (a
        root operation) and the index read ('reduction': the index keeps only its sub-terms of other systems,
        intussusception and mammoplasty) is the word table's there ('reduction of vertebral fracture' was no/no)."""
        return all(self.spinal_term(it) or any(e[0] == "dis" and self.index["anatomy"].get(site, {}).get("spinal") == "yes"
                                                for e in it.entries for site in self.lex.disorder_sites.get(e[1], ()))
                   for it in clause.sites)

    def level_systems(self) -> set[str]:
        """The ICD-10-PCS body systems holding a body part of the spine or the back: the only ones whose body part a
        vertebral level can name (an index entry of the arteries or the lymph nodes takes a level as a landmark)."""
        memo = self.comp._verdicts  # the composer's (one index), not the lexicon's (which serves every index)
        found = memo.get(("§level systems",))
        if found is None:
            anatomy = self.index["anatomy"]
            found = memo[("§level systems",)] = {p[0] for p, (_, term) in self.lex.body_parts.items() if term
                                                 and (anatomy[term]["spinal"], anatomy[term]["lower_back"]) != ("no", "no")}
        return found

    def outside_item(self, item: Item) -> bool:
        """A site provably outside the spine and the back whatever body system it is read in: an imaging lay word, or
        body parts and ontology terms all outside both."""
        anatomy = self.index["anatomy"]
        return bool(item.entries) and all(e[0] == "img" or e[0] == "bp" and e[1] in self.lex.outside or e[0] == "anat"
                                          and anatomy[e[1]]["spinal"] == anatomy[e[1]]["lower_back"] == "no" for e in item.entries)

    def index_operative(self, see: list, clause: Clause, op: Item) -> str:
        """Operative or not for one index prefix: at the approach the text names, else the word form's ('-scopy':
        endoscopic; other forms name an open operation, as for word forms), else over every approach."""
        named = "".join(e[1] for it in clause.approach for e in it.entries if e[0] in ("pcsappr", "wappr") and e[1])
        last = op.words.split()[-1]
        form = next((a for suffix, a in MORPH_APPROACH.items() if last.endswith(suffix)), "0")
        for approach in (named[-1:], form):
            if approach and approach in see[6]:
                return see[6][approach]
        return see[4]

    def imaging_sites(self, clause: Clause) -> list[str]:
        """Why each lay site word known only from ICD-10-PCS imaging titles ('forearm') is outside the spine and back."""
        why = []
        for it in clause.sites:
            for part in dict.fromkeys(e[1] for e in it.entries if e[0] == "img"):
                label, code, title, peers = self.lex.imaging[part]
                why.append(f"{it.words!r}: ICD-10-PCS imaging body part {label!r} of body system B{part[0]} (ontology/reference/"
                           f"icd10pcs_titles_other_sections.tsv, {code} {title!r}); every part of that system also read as a "
                           f"section-0 body part ({', '.join(peers)}) is outside the spine and the lower back, and none names "
                           f"the spine or the back → not spine surgery, not back surgery")
                break
        return why

    def site_reason(self, term: str, answer: str, kind: str) -> str:
        target = "Spine" if kind == "spine" else "LowerBack"
        what = "spine surgery" if kind == "spine" else "back surgery"
        if answer == "yes":
            return f"{self.comp.chain(term, target)} → {what} ({SEED_SPINE if kind == 'spine' else SEED_BACK})"
        if answer == "no":
            return f"{self.comp.outside_reason(term, kind)} → not {what}"
        return f"{self.comp.label(term)}: {what} depends"

    def describe(self, clause: Clause, verdict: Verdict, operation: dict) -> dict:
        """The reading object of the JSON output."""
        label = self.comp.label
        return reading_object(verdict, operation, [{"iri": SPINEKG + s, "label": label(s)} for s in verdict.sites], clause, label)

    def clause_fields(self, clause: Clause) -> dict:
        """The parts of the reading object that come from the words of the clause, not from its decision (lists of its
        own: the clause may share its lists with others, reuse.fill)."""
        found = reading_object(_NO_VERDICT, {}, [], clause, self.comp.label)  # type: ignore[arg-type]
        return {key: found[key] for key in CLAUSE_KEYS}


CLAUSE_KEYS = ("levels", "laterality", "approach", "devices", "indication", "status", "words", "unused", "shared_sites")


class _NO_VERDICT:  # the decision's parts of a reading object where only the clause's are wanted (clause_fields)
    procedure = regions = spine_surgery = back_surgery = None


def reading_object(verdict: Verdict, operation: dict, sites: list[dict], clause: Clause, label: Callable[[str], str]) -> dict:
    """The reading object: the decision's parts and the clause's own words (lists of its own), keys in one order however
    it was made (decided now, or a remembered decision given to another text: reuse.decide)."""
    return {"procedure": verdict.procedure, "operation": operation, "sites": sites,
            "levels": [s.text.upper() for s in clause.levels], "laterality": list(clause.laterality),
            "approach": [it.words for it in clause.approach], "devices": list(clause.devices),
            "indication": [{"words": it.words, **({"disorder": {"iri": SPINEKG + e[1], "label": label(e[1])}}
                                                   if (e := next((e for e in it.entries if e[0] == "dis"), None)) else {})}
                           for it in clause.indication],
            "status": list(clause.status), "regions": verdict.regions, "spine_surgery": verdict.spine_surgery,
            "back_surgery": verdict.back_surgery, "words": list(clause.words), "unused": list(clause.unused),
            "shared_sites": clause.inherited}
