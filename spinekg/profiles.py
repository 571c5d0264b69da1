"""Institutional profiles: alternative definitions of back surgery, as small OWL modules.

The source document ends with a caveat: institutions draw the line between back and spine surgery
differently. A profile (``ontology/profiles/NAME.ttl``) replaces the logical definition of
``spinekg:BackSurgery``, defines ``spinekg:BackSurgerySite`` (which sites count) and states its site
rule: ``any`` (one site in the zone is enough) or ``all`` (every site must lie in it).

Each profile is reasoned with HermiT at build time into a small overlay
(``spinekg/data/profiles/NAME.json``): the three-valued answer for every anatomy term ("does this site
count?") and every procedure term, plus explanation chains. ``classify(..., profile=NAME)`` composes
from the shipped runtime index and that overlay, so answering stays Java-free. A user's own profile
file is reasoned on the fly (needs Java), or read from ``FILE.index.json`` written by
``spinekg build --profile FILE``.

The overlay build also *verifies* the profile: for every procedure at a set of representative sites,
a probe class (procedure, those sites, and nothing else: a closure axiom) is classified by HermiT in
the same run, and the composed answer must equal HermiT's. A site rule that does not match the OWL
definition is reported, never silently shipped.

Light at import (json only): rdflib, networkx and owlready2 are imported inside the build functions.
"""
from __future__ import annotations

import hashlib
import json
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .classify import Composer
from .errors import EXIT_ENVIRONMENT, EXIT_FINDINGS, SpinekgError
from .index import load_index
from .namespaces import SPINEKG
from .paths import DATA_DIR, RUNTIME_INDEX, ontology_dir

DEFAULT_PROFILE = "seed"
PROFILE_IRI = SPINEKG + "profiles/"
PROFILE_INDEX_DIR = DATA_DIR / "profiles"
RULES = ("any", "all")
FORMAT = 1

# Procedures the verification probes: every kind of site, both site rules' hard cases.
PROBE_PROCEDURES = ["OperativeProcedure", "Laminectomy", "SpinalFusion", "Microdiscectomy", "LumbarMicrodiscectomy",
                    "AnteriorCervicalDiscectomyAndFusion", "PosteriorThoracolumbarFusion", "LumbarInterbodyFusion",
                    "SacroiliacJointFusion", "Foraminotomy", "NerveRootDecompression", "Coccygectomy",
                    "SpinalTumourResection", "SpinalCordStimulatorImplantation", "Arthrodesis"]
# Representative site lists for the verification probes: where the profiles differ and where they agree.
PROBE_SITES: list[list[str]] = [
    ["MotionSegmentT12L1"], ["DiscT12L1"], ["MotionSegmentL4L5"], ["DiscL4L5"], ["MotionSegmentL5S1"],
    ["MotionSegmentC5C6"], ["DiscC5C6"], ["VertebraT6"], ["VertebraT12"], ["VertebraL1"], ["VertebraC5"],
    ["NerveRootT12"], ["NerveRootL5"], ["ThoracolumbarJunction"], ["ThoracicSpine"], ["LumbarSpine"],
    ["SacroiliacJoint"], ["LowerBackSoftTissue"], ["ErectorSpinae"], ["Coccyx"], ["SpinalCord"],
    ["MotionSegmentT10T11", "MotionSegmentT11T12", "MotionSegmentT12L1", "MotionSegmentL1L2", "MotionSegmentL2L3",
     "MotionSegmentL3L4", "MotionSegmentL4L5", "MotionSegmentL5S1"],
    ["MotionSegmentL4L5", "MotionSegmentL5S1"],
    ["MotionSegmentT12L1", "MotionSegmentL1L2"],
    ["MotionSegmentC7T1", "MotionSegmentT1T2"],
]


@dataclass(frozen=True)
class Profile:
    """A profile's identity and header. ``path`` is its Turtle module."""

    name: str
    path: Path
    description: str
    rationale: str
    rule: str
    builtin: bool


# ---- finding profiles ---------------------------------------------------------------------------

def profiles_dir() -> Path:
    return ontology_dir() / "profiles"


def builtin_names() -> list[str]:
    """Built-in profile names, the default first."""
    names = sorted(p.stem for p in profiles_dir().glob("*.ttl"))
    return sorted(names, key=lambda n: (n != DEFAULT_PROFILE, n))


def is_default(spec: str | Path | None) -> bool:
    return spec is None or str(spec) == DEFAULT_PROFILE


def read_profile(path: Path, builtin: bool = False) -> Profile:
    """Read and check a profile module's header (needs rdflib)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

    from .ontology import parse_file

    graph = parse_file(path)
    headers = [h for h in graph.subjects(RDF.type, OWL.Ontology)]
    if len(headers) != 1:
        raise SpinekgError(f"{path}: a profile needs exactly one owl:Ontology header, found {len(headers)}")
    header = headers[0]

    def text(prop) -> str:  # type: ignore[no-untyped-def]
        values = sorted(str(v) for v in graph.objects(header, prop) if isinstance(v, Literal))
        return values[0] if values else ""

    name = text(RDFS.label) or path.stem
    rule = text(URIRef(SPINEKG + "siteRule")) or "any"
    if rule not in RULES:
        raise SpinekgError(f"{path}: spinekg:siteRule must be \"any\" or \"all\", not {rule!r}")
    site = URIRef(SPINEKG + "BackSurgerySite")
    if (site, OWL.equivalentClass, None) not in graph:
        raise SpinekgError(f"{path}: a profile must define spinekg:BackSurgerySite (owl:equivalentClass): "
                           f"the sites that count for back surgery; see ontology/profiles/seed.ttl")
    if (URIRef(SPINEKG + "BackSurgery"), OWL.equivalentClass, None) not in graph:
        raise SpinekgError(f"{path}: a profile must give spinekg:BackSurgery an owl:equivalentClass definition")
    return Profile(name=name, path=path, description=text(DCTERMS.description), rationale=text(URIRef(SPINEKG + "rationale")),
                   rule=rule, builtin=builtin)


def resolve(spec: str | Path | None) -> Profile:
    """A built-in profile by name, or a user's profile file by path."""
    spec = DEFAULT_PROFILE if spec is None else spec
    names = builtin_names()
    if isinstance(spec, str) and spec in names:
        return read_profile(profiles_dir() / f"{spec}.ttl", builtin=True)
    path = Path(spec)
    if path.suffix and path.is_file():
        return read_profile(path)
    if path.suffix:
        raise SpinekgError(f"{path}: no such profile file")
    raise SpinekgError(f"unknown profile {str(spec)!r}; built-in profiles: {', '.join(names)} (or give a .ttl file)")


# ---- applying a profile to the ontology ---------------------------------------------------------

def _remove_tree(graph, node) -> None:  # type: ignore[no-untyped-def]
    """Remove a blank-node expression and everything only it refers to."""
    from rdflib import BNode

    for _, _, obj in list(graph.triples((node, None, None))):
        graph.remove((node, None, obj))
        if isinstance(obj, BNode) and not any(True for _ in graph.subjects(None, obj)):
            _remove_tree(graph, obj)


def apply_profile(base, profile: Profile):  # type: ignore[no-untyped-def]
    """A copy of ``base`` (rdflib Graph) with the profile merged in.

    For each term the profile names with ``spinekg:redefines`` (always ``spinekg:BackSurgery``), the
    base's owl:equivalentClass axioms are removed, and so are the base's values of every annotation
    the profile restates for it (its definition). Nothing else is removed: if a profile contradicts a
    disjointness axiom, HermiT reports the unsatisfiable classes instead of the axiom vanishing.
    """
    from rdflib import BNode, Graph, URIRef
    from rdflib.namespace import OWL, RDF

    from .ontology import parse_file

    extra = parse_file(profile.path)
    graph = Graph()
    for triple in base:
        graph.add(triple)
    for prefix, namespace in base.namespaces():
        graph.bind(prefix, namespace, override=False)
    header = next(iter(extra.subjects(RDF.type, OWL.Ontology)))
    redefined = {URIRef(SPINEKG + "BackSurgery")} | {o for o in extra.objects(header, URIRef(SPINEKG + "redefines"))
                                                     if isinstance(o, URIRef)}
    for term in redefined:
        for old in list(graph.objects(term, OWL.equivalentClass)):
            graph.remove((term, OWL.equivalentClass, old))
            if isinstance(old, BNode):
                _remove_tree(graph, old)
        for prop in set(extra.predicates(term, None)) - {OWL.equivalentClass, RDF.type}:
            graph.remove((term, prop, None))
    for triple in extra:
        if triple[0] != header:
            graph.add(triple)
    return graph


# ---- building a profile's overlay (needs Java) --------------------------------------------------

def _probe_name(procedure: str, sites: list[str]) -> str:
    return f"ProfileProbe__{procedure}__{'_'.join(sites)}"


def _add_probes(graph, pairs: list[tuple[str, list[str]]],  # type: ignore[no-untyped-def]
                names: list[str] | None = None) -> dict[str, tuple[str, list[str]]]:
    """One probe class per (procedure, sites): a subclass of the procedure with exactly those sites,
    i.e. ∃hasSite.S for each S, and ∀hasSite.(S1 ⊔ ∃partOf.S1 ⊔ ...) (every site lies within one of them)."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDF, RDFS

    from .namespaces import PART_OF

    has_site, part_of = URIRef(SPINEKG + "hasSite"), URIRef(PART_OF)

    def restriction(prop, kind, filler):  # type: ignore[no-untyped-def]
        node = BNode()
        graph.add((node, RDF.type, OWL.Restriction))
        graph.add((node, OWL.onProperty, prop))
        graph.add((node, kind, filler))
        return node

    probes = {}
    for number, (procedure, sites) in enumerate(pairs):
        name = names[number] if names else _probe_name(procedure, sites)
        node = URIRef(SPINEKG + name)
        graph.add((node, RDF.type, OWL.Class))
        graph.add((node, RDFS.subClassOf, URIRef(SPINEKG + procedure)))
        within = []
        for site in sites:
            graph.add((node, RDFS.subClassOf, restriction(has_site, OWL.someValuesFrom, URIRef(SPINEKG + site))))
            within += [URIRef(SPINEKG + site), restriction(part_of, OWL.someValuesFrom, URIRef(SPINEKG + site))]
        union = BNode()
        graph.add((union, RDF.type, OWL.Class))
        Collection(graph, (members := BNode()), within)
        graph.add((union, OWL.unionOf, members))
        graph.add((node, RDFS.subClassOf, restriction(has_site, OWL.allValuesFrom, union)))
        probes[name] = (procedure, sites)
    return probes


def _chains(links, values: dict[str, str], wanted: str) -> dict[str, list[list[str]]]:  # type: ignore[no-untyped-def]
    """For each term with value ``wanted``: the shortest is-a / part-of chain, through terms with the
    same value, to one whose links all leave the value (an anchor such as the lower back)."""
    chains: dict[str, list[list[str]]] = {}
    for start in sorted(t for t, v in values.items() if v == wanted and t in links):
        parents: dict[str, str | None] = {start: None}
        queue, end = deque([start]), None
        while queue:
            node = queue.popleft()
            nexts = sorted(n for n in links.successors(node) if values.get(n) == wanted)
            if not nexts:
                end = node
                break
            for nxt in nexts:
                if nxt not in parents:
                    parents[nxt] = node
                    queue.append(nxt)
        if end is None or end == start:
            continue
        nodes = [end]
        while parents[nodes[-1]] is not None:
            nodes.append(parents[nodes[-1]])  # type: ignore[arg-type]
        nodes.reverse()
        chains[start] = [[a, links.edges[a, b]["rel"]] for a, b in zip(nodes, nodes[1:])] + [[end, ""]]
    return chains


def base_digest(path: Path = RUNTIME_INDEX) -> str:
    """Identifies the runtime index an overlay was built against (overlays go stale with it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def fresh_index() -> tuple[dict, str]:
    """The runtime index as it is on disk now (not the per-process cache), and its digest."""
    return json.loads(RUNTIME_INDEX.read_text(encoding="utf-8")), base_digest()


def build_overlay(profile: Profile, base_graph=None, verify: bool = True) -> dict:  # type: ignore[no-untyped-def]
    """Reason the ontology under ``profile`` with HermiT (one run) and return its overlay."""
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from .asserted import read_asserted
    from .ontology import load_ontology
    from .reasoning import classify_with_hermit
    from .runtime_index import WITHIN_PREFIX, add_within_probes, part_of_graph
    from .vocab import tri

    index, digest = fresh_index()
    base_graph = base_graph if base_graph is not None else load_ontology()
    graph = apply_profile(base_graph, profile)
    base = Composer(index)
    pairs = []
    if verify:
        for procedure in PROBE_PROCEDURES:
            if procedure not in index["procedures"]:
                continue
            for sites in PROBE_SITES:
                if all(s in index["anatomy"] for s in sites):
                    try:
                        base.check_sites(procedure, sites)
                    except SpinekgError:
                        continue
                    pairs.append((procedure, sites))
    probes = _add_probes(graph, pairs)
    within_probes = add_within_probes(graph)  # a site is read as "it or any part of it", as in the runtime
    try:
        result = classify_with_hermit(graph)
    except SpinekgError as exc:
        raise SpinekgError(f"profile {profile.name} ({profile.path}): {exc.message}", exc.exit_code) from None
    unsat = sorted(result.unsatisfiable - set(probes) - set(within_probes))
    if unsat:
        raise SpinekgError(f"profile {profile.name} ({profile.path}): HermiT: unsatisfiable classes: {', '.join(unsat)} "
                           f"(run 'spinekg check {profile.path}' for the axioms behind each)", EXIT_FINDINGS)
    same: dict[str, set[str]] = {}
    for group in result.equivalents:
        for member in group:
            same.setdefault(member, set()).update(group)
    # a class's lineage: itself, its equivalents and its ancestors (HermiT may prove a term equivalent
    # to BackSurgerySite, e.g. NotLowerBackStructure ≡ NotBackSurgerySite under the seed)
    anc = {name: found | {name} | same.get(name, set()) for name, found in result.ancestors.items()}
    within = {term: anc.get(probe, set()) for probe, term in within_probes.items()}
    anatomy = {t: tri("BackSurgerySite" in within.get(t, anc.get(t, ())), "NotBackSurgerySite" in within.get(t, anc.get(t, ())))
               for t in sorted(index["anatomy"])}
    procedures = {p: tri("BackSurgery" in anc.get(p, ()), "NotBackSurgery" in anc.get(p, ()))
                  for p in sorted(index["procedures"])}
    # Values for profile-only anatomy (e.g. 'thoracic spine above the junction') feed the chains.
    values = dict(anatomy)
    for name, found in anc.items():
        if "AnatomicalEntity" in found and name not in values and not name.startswith(("ProfileProbe__", WITHIN_PREFIX)):
            values[name] = tri("BackSurgerySite" in found, "NotBackSurgerySite" in found)
    links = part_of_graph(read_asserted(graph))
    inside, outside = _chains(links, values, "yes"), _chains(links, values, "no")
    anchors = sorted({steps[-1][0] for steps in inside.values()} | {t for t in values if values[t] == "yes" and t not in inside
                                                                    and not any(values.get(n) == "yes" for n in links.successors(t))
                                                                    if t in links})
    used = {step[0] for chains in (inside, outside) for steps in chains.values() for step in steps}
    labels = {}
    for term in sorted(used | set(anchors)):
        if term not in index["terms"]:
            label = graph.value(URIRef(SPINEKG + term), RDFS.label)
            labels[term] = str(label) if label is not None else term
    overlay = {
        "format": FORMAT, "name": profile.name, "description": profile.description, "rationale": profile.rationale,
        "rule": profile.rule, "builtin": profile.builtin, "version": index.get("version", ""),
        "base": digest, "anatomy": anatomy, "procedures": procedures,
        "anchors": anchors, "inside": {t: inside[t] for t in sorted(inside) if t in anatomy},
        "outside": {t: outside[t] for t in sorted(outside) if t in anatomy}, "labels": labels,
    }
    if verify:
        overlay["verified"] = _verify(overlay, index, probes, result)
    return overlay


def _verify(overlay: dict, index: dict, probes: dict, result) -> int:  # type: ignore[no-untyped-def]
    """Composed answers must equal HermiT's on every probe; return how many were compared."""
    from .vocab import tri

    comp = ProfileComposer(index, overlay)
    mismatches = []
    for name, (procedure, sites) in sorted(probes.items()):
        found = result.ancestors.get(name, set())
        if name in result.unsatisfiable:
            continue  # no such operation (e.g. an ACDF within the erector spinae): nothing to compare
        owl = tri("BackSurgery" in found, "NotBackSurgery" in found)
        composed = comp.back_answer(procedure, sites)
        if owl != composed:
            mismatches.append(f"{procedure} at {'+'.join(sites)}: HermiT {owl}, composed {composed}")
    if mismatches:
        raise SpinekgError(f"profile {overlay['name']}: its site rule {overlay['rule']!r} disagrees with its OWL definition "
                           f"on {len(mismatches)} probe(s), e.g. {'; '.join(mismatches[:3])}", EXIT_FINDINGS)
    return len(probes)


def overlay_json(overlay: dict) -> str:
    return json.dumps(overlay, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def _build_builtin(name: str) -> str:
    return overlay_json(build_overlay(resolve(name)))


def write_builtin_overlays(names: list[str] | None = None, workers: int | None = None) -> list[Path]:
    """Reason every built-in profile (or ``names``) and write its overlay into the package data.

    One HermiT run per profile; they are independent, so they run in parallel processes (one per core),
    and nothing is written unless every profile reasons and verifies.
    """
    import os
    from concurrent.futures import ProcessPoolExecutor

    from .templates import write_atomically

    names = names or builtin_names()
    workers = workers or min(len(names), os.cpu_count() or 1)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            texts = list(pool.map(_build_builtin, names))
    else:
        texts = [_build_builtin(name) for name in names]
    written = []
    for name, text in zip(names, texts):
        path = PROFILE_INDEX_DIR / f"{name}.json"
        write_atomically(path, text)
        written.append(path)
    load_overlay.cache_clear()
    return written


def write_profile_index(spec: str | Path) -> Path:
    """``spinekg build --profile NAME|FILE``: reason one profile and write its index."""
    if str(spec) in builtin_names():
        return write_builtin_overlays([str(spec)], workers=1)[0]
    return write_user_overlay(Path(spec))


def user_index_path(path: Path) -> Path:
    return path.with_name(path.name + ".index.json") if path.suffix != ".ttl" else path.with_suffix(".index.json")


def _source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def write_user_overlay(path: Path) -> Path:
    """``spinekg build --profile FILE``: reason a user's profile once, so classify needs no Java after."""
    from .templates import write_atomically

    profile = resolve(path)
    overlay = build_overlay(profile)
    overlay["source"] = _source_digest(profile.path)
    out = user_index_path(profile.path)
    write_atomically(out, overlay_json(overlay))
    return out


# ---- loading overlays at run time (Java-free for built-ins) --------------------------------------

@lru_cache(maxsize=16)
def load_overlay(spec: str) -> dict:
    """The overlay for a built-in profile name or a user's profile file."""
    names = builtin_names()
    if spec in names:
        path = PROFILE_INDEX_DIR / f"{spec}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SpinekgError(f"{path}: profile index missing; run 'spinekg build'", EXIT_ENVIRONMENT) from None
        except (OSError, ValueError) as exc:
            raise SpinekgError(f"{path}: profile index unreadable ({exc})", EXIT_ENVIRONMENT) from None
    profile = resolve(spec)
    cached = user_index_path(profile.path)
    if cached.is_file():
        try:
            overlay = json.loads(cached.read_text(encoding="utf-8"))
        except ValueError:
            overlay = {}
        if overlay.get("source") == _source_digest(profile.path) and overlay.get("base") == base_digest():
            return overlay
    from .reasoning import java_available

    if not java_available():
        raise SpinekgError(f"profile {profile.path} must be reasoned with HermiT, which needs Java, and no 'java' is on "
                           f"PATH; install a JRE 11+ or run 'spinekg build --profile {profile.path}' where Java is",
                           EXIT_ENVIRONMENT)
    return build_overlay(profile)


def profile_summaries() -> list[dict]:
    """Name, rule, description and rationale of every built-in profile (from the shipped overlays)."""
    out = []
    for name in builtin_names():
        overlay = load_overlay(name)
        out.append({key: overlay[key] for key in ("name", "rule", "description", "rationale")})
    return out


# ---- composing verdicts under a profile ---------------------------------------------------------

class ProfileComposer(Composer):
    """The base composer with the back-surgery half of every answer taken from a profile overlay.

    Spine surgery, regions, site checks and the reading of the input are unchanged: profiles only
    redefine back surgery. Sites combine by the profile's rule: ``any`` — yes if one site counts, no
    if every site is provably outside; ``all`` — yes if every site counts, no if one is provably outside.
    """

    def __init__(self, index: dict, overlay: dict):
        super().__init__(index)
        self.overlay = overlay
        self.rule = overlay["rule"]
        anchors = [self.label(a) for a in overlay["anchors"]]
        self.zone = " or ".join(anchors) if anchors else "the profile's back-surgery sites"
        self.source = f"profile {overlay['name']}: back surgery is surgery with {'every' if self.rule == 'all' else 'a'} " \
                      f"site in the {self.zone}"

    def label(self, term: str) -> str:
        labels = getattr(self, "overlay", {}).get("labels", {})
        return labels[term] if term in labels else super().label(term)

    def site(self, term: str) -> str:
        return self.overlay["anatomy"].get(term, "depends")

    def _path(self, term: str, table: str) -> str:
        return self.render_steps(term, self.overlay[table].get(term))

    def inside(self, term: str) -> str:
        return self._path(term, "inside")

    def outside(self, term: str) -> str:
        text = self._path(term, "outside")
        return f"{text}, which is outside the {self.zone}"

    def back_answer(self, procedure: str, sites: list[str]) -> str:
        """The three-valued back-surgery answer alone (what the verification compares with HermiT)."""
        info = self.procedures[procedure]
        status = self._operative(info, sites) if hasattr(self, "_operative") else info["operative"]
        if status == "no" or self.overlay["procedures"].get(procedure) == "no":
            return "no"
        if self.overlay["procedures"].get(procedure) == "yes":
            return "yes"
        values = [self.site(s) for s in sites]
        operative = status == "yes"
        if self.rule == "all":
            if any(v == "no" for v in values):
                return "no"
            return "yes" if operative and values and all(v == "yes" for v in values) else "depends"
        if operative and "yes" in values:
            return "yes"
        if operative and any(options and all(self.site(o) == "yes" for o in options)
                             for options in self.forced(procedure, sites)):
            return "yes"  # the procedure's own site requirement leaves only options that count
        return "no" if values and all(v == "no" for v in values) else "depends"

    def _compose(self, procedure: str, sites: list[str], why: list[str]) -> tuple[str, str]:
        spine_why: list[str] = []
        spine, _ = super()._compose(procedure, sites, spine_why)
        why.append(spine_why[0])
        back = self.back_answer(procedure, sites)
        name = self.label(procedure)
        if back == "yes":
            if self.overlay["procedures"].get(procedure) == "yes":
                why.append(f"{name} always counts → back surgery ({self.source})")
            elif self.rule == "all":
                why.append(f"every site lies in the {self.zone}: "
                           f"{'; '.join(self.inside(s) for s in sites)} → back surgery ({self.source})")
            else:
                site = next(s for s in sites if self.site(s) == "yes")
                why.append(f"{self.inside(site)} → back surgery ({self.source})")
        elif back == "no":
            outside = [s for s in sites if self.site(s) == "no"]
            if self.overlay["procedures"].get(procedure) == "no" and not outside:
                why.append(f"{name} is never within the {self.zone} → not back surgery ({self.source})")
            elif self.rule == "all":
                why.append(f"{self.outside(outside[0])}; under the whole-site rule one site outside is enough → "
                           f"not back surgery ({self.source})")
            else:
                reasons = "; ".join(dict.fromkeys(self.outside(s) for s in outside))
                why.append(f"{reasons} → not back surgery ({self.source})")
        else:
            undecided = [self.label(s) for s in sites if self.site(s) == "depends"]
            if undecided:
                why.append(f"{', '.join(undecided)} is not provably inside or outside the {self.zone} → depends ({self.source})")
            else:
                why.append(f"not every site is provably in the {self.zone} → depends ({self.source})")
        return spine, back

    def named_back(self, procedure: str) -> str:
        return self.overlay["procedures"].get(procedure, "depends")

    def _explain_named(self, procedure: str, spine: str, back: str, why: list[str]) -> None:
        base_why: list[str] = []
        super()._explain_named(procedure, spine, back, base_why)  # only its spine line is kept
        why.append(base_why[0])
        back = self.named_back(procedure)
        name = self.label(procedure)
        info = self.procedures[procedure]
        sites = [s[0] for s in info["sites"] if len(s) == 1]
        if back == "yes":
            inside = next((s for s in sites if self.site(s) == "yes"), None)
            where = self.inside(inside) if inside else f"the {self.zone}"
            why.append(f"{name} operates on {where} → back surgery ({self.source})")
        elif back == "no":
            outside = next((s for s in sites if self.site(s) == "no"), None)
            if outside:
                why.append(f"{name} operates on {self.outside(outside)} → not back surgery ({self.source})")
            else:
                allowed = [self.label(o) for only in info["site_only"] for o in only]
                where = " or ".join(allowed) if allowed else "sites"
                why.append(f"{name} is only performed on {where}, outside the {self.zone} → not back surgery ({self.source})")
        else:
            example = f"L4-L5 {self.terms[procedure]['label']}"
            if self.rule == "all":
                why.append(f"no level given: under the whole-site rule every site of {name} must lie in the {self.zone}, "
                           f"and its definition does not restrict its sites to it; give the levels (e.g. '{example}'), "
                           f"which are then taken as all its sites ({self.source})")
            else:
                why.append(f"no level given: {name} may or may not have a site in the {self.zone}; give the level "
                           f"(e.g. '{example}') ({self.source})")

    def verdict(self, text, reading):  # type: ignore[no-untyped-def]
        verdict = super().verdict(text, reading)
        if not reading.sites and self.procedures[reading.procedure]["operative"] != "no":
            verdict.back_surgery = self.named_back(reading.procedure)  # the explanation already says why
        return verdict


_PROFILE_COMPOSERS: dict[tuple[int, int], ProfileComposer] = {}


def profile_composer(spec: str | Path, index: dict | None = None) -> ProfileComposer:
    index = index if index is not None else load_index()
    overlay = load_overlay(str(spec))
    key = (id(index), id(overlay))
    if key not in _PROFILE_COMPOSERS:
        _PROFILE_COMPOSERS[key] = ProfileComposer(index, overlay)
    return _PROFILE_COMPOSERS[key]
