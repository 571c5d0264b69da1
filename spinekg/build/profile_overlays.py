"""Reason an institutional profile with HermiT into an overlay (per-site and per-procedure back-surgery
answers with explanation chains), verified against probe classes in the same run."""
from __future__ import annotations

import json
from collections import deque
from pathlib import Path
from typing import Callable

from ..answer.composer import Composer
from ..errors import EXIT_ENVIRONMENT, EXIT_FINDINGS, SpinekgError
from ..namespaces import SPINEKG
from ..paths import RUNTIME_INDEX
from ..answer.sealed import seal
from ..answer.profiles import user_cache_path, user_inputs, FORMAT, ProfileNotReasoned, is_default, remember_overlay, PROFILE_INDEX_DIR, Profile, ProfileComposer, base_digest, builtin_names, load_overlay, resolve, user_index_path

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

    from ..rdf.parse import parse_file

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

    from ..namespaces import PART_OF

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
    from ..vocab import tri

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
    from ..vocab import tri

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

    from ..files import write_atomically

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


def prepare_profile(profile: str | Path | None, notify: Callable[[str], None] | None = None) -> None:
    """Make ``profile`` answerable: a built-in name or a reasoned file needs nothing; an unreasoned user
    file is reasoned now (needs Java, about 25 s), said on ``notify``, and cached in the user's cache
    directory so the next call is instant."""
    if is_default(profile):
        return
    try:
        load_overlay(str(profile))
    except ProfileNotReasoned:
        path = Path(str(profile))
        _require_java(resolve(path).path)  # no promise of reasoning that cannot happen
        if notify:
            notify(f"profile {path} is not reasoned yet: reasoning it with HermiT once (needs Java, about 25 s); "
                   f"the result is cached in {user_cache_path(path)}")
        overlay = reason_user_profile(path)
        try:
            write_sealed_overlay(user_cache_path(path), overlay, path)
        except OSError as exc:  # an unwritable cache costs time, never the answer
            if notify:
                notify(f"could not cache the reasoned profile ({exc.strerror or exc}); it will be reasoned again next time")


def _require_java(path: Path) -> None:
    from .reasoning import java_available

    if not java_available():
        raise SpinekgError(f"profile {path} must be reasoned with HermiT, which needs Java, and no 'java' is on "
                           f"PATH; install a JRE 11+ or run 'spinekg build --profile {path}' where Java is",
                           EXIT_ENVIRONMENT)


def reason_user_profile(path: Path) -> dict:
    """Reason a user's profile file with HermiT in this process (needs Java) and keep the overlay for the
    composers (``spinekg.prepare_profile`` calls this when no valid cached overlay exists)."""
    profile = resolve(path)
    _require_java(profile.path)
    overlay = build_overlay(profile)
    remember_overlay(profile.path, overlay)
    return overlay


def write_sealed_overlay(out: Path, overlay: dict, source: Path) -> Path:
    """Write a user profile's overlay with the digest of its inputs and of its own content (answer.sealed)."""
    from ..files import write_atomically

    sealed = dict(overlay)
    sealed.update(user_inputs(source))
    write_atomically(out, seal(sealed))
    return out


def write_user_overlay(path: Path) -> Path:
    """``spinekg build --profile FILE``: reason a user's profile once, so classify needs no Java after."""
    profile = resolve(path)
    return write_sealed_overlay(user_index_path(profile.path), build_overlay(profile), profile.path)
