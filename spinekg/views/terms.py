"""One record per ontology term for people to read: label, definition, synonyms, cross-references with
links to their sources, the inferred hierarchy (direct parents and children), parts and what it is part
of, and the answers the ontology gives about it. The web page's Browse view and the static HTML docs both
render these records, so what a person sees in either is the same.

Built Java-free from two shipped files: the runtime index (labels, synonyms, answers) and the released
query-ready graph (definitions, the inferred ``subClassOf`` and ``part of`` closures, site and match
edges), reduced here to direct links so that a page lists parents, not every ancestor. Definitions come
from the graph because the runtime index leaves them out (nothing answering a question reads them, and a
thousand whole-body definitions would slow every cold start).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..namespaces import SPINEKG

SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
PART_OF = "http://purl.obolibrary.org/obo/BFO_0000050"
HAS_SITE = SPINEKG + "hasSite"
DEFINITION = "http://purl.obolibrary.org/obo/IAO_0000115"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MATCHES = {SKOS + "exactMatch": "exact", SKOS + "closeMatch": "close", SKOS + "broadMatch": "broad",
           SKOS + "narrowMatch": "narrow"}
# Where a cross-reference prefix resolves (OBO Foundry PURLs and MeSH RDF); others are shown as text.
XREF_BASES = {"UBERON": "http://purl.obolibrary.org/obo/UBERON_", "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
              "DOID": "http://purl.obolibrary.org/obo/DOID_", "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
              "MESH": "https://id.nlm.nih.gov/mesh/"}


@dataclass
class Term:
    """What a page says about one term; links are term ids (local names under the spinekg namespace)."""

    id: str
    label: str
    kind: str
    definition: str
    synonyms: list[str]
    abbreviations: list[str]
    xrefs: list[tuple[str, str | None]]
    matches: list[tuple[str, str]]
    seed: list[str]
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # type: ignore[type-arg]

    @property
    def iri(self) -> str:
        return SPINEKG + self.id


def xref_link(xref: str) -> str | None:
    prefix, _, local = xref.partition(":")
    base = XREF_BASES.get(prefix.upper())
    return base + local if base and local else None


def _direct(closure: dict[str, set[str]]) -> dict[str, list[str]]:
    """Transitive reduction of a closure: the links not implied by another link."""
    direct = {}
    for term, above in closure.items():
        above = above - {term}
        direct[term] = sorted(p for p in above if not any(p in closure.get(q, ()) and q != p for q in above))
    return direct


def _edges(path: Path) -> tuple[dict[str, dict[str, set[str]]], dict[str, list[tuple[str, str]]], dict[str, str]]:
    """Closures by predicate between spinekg terms, the skos matches (term → (kind, IRI)) and the
    definitions (term → text)."""
    import pyoxigraph as ox

    closures: dict[str, dict[str, set[str]]] = {SUBCLASS: {}, PART_OF: {}, HAS_SITE: {}}
    matches: dict[str, list[tuple[str, str]]] = {}
    definitions: dict[str, str] = {}
    with open(path, "rb") as handle:
        for triple in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES):
            s, p, o = triple.subject, triple.predicate.value, triple.object
            if not isinstance(s, ox.NamedNode) or not s.value.startswith(SPINEKG):
                continue
            if p == DEFINITION and isinstance(o, ox.Literal):
                definitions.setdefault(s.value[len(SPINEKG):], o.value)
                continue
            if not isinstance(o, ox.NamedNode):
                continue
            local = s.value[len(SPINEKG):]
            if p in closures and o.value.startswith(SPINEKG):
                closures[p].setdefault(local, set()).add(o.value[len(SPINEKG):])
            elif p in MATCHES:
                matches.setdefault(local, []).append((MATCHES[p], o.value))
    return closures, matches, definitions


@functools.lru_cache(maxsize=2)
def load_terms(edges: Path | None = None, index_path: Path | None = None) -> dict[str, Term]:
    """Every term of the runtime index, with its links and answers (cached: the files do not change)."""
    from ..answer.index import load_index
    from ..stores.dataset import require_release_edges

    index = load_index(index_path) if index_path else load_index()
    closures, matches, definitions = _edges(edges or require_release_edges())
    known = set(index["terms"])
    sub = {t: above & known for t, above in closures[SUBCLASS].items() if t in known}
    part = {t: above & known for t, above in closures[PART_OF].items() if t in known}
    parents, part_of = _direct(sub), _direct(part)
    terms = {}
    for term_id, entry in index["terms"].items():
        terms[term_id] = Term(
            id=term_id, label=entry["label"], kind=entry["kind"], definition=definitions.get(term_id, ""),
            synonyms=sorted(entry.get("synonyms", [])), abbreviations=sorted(entry.get("abbreviations", [])),
            xrefs=[(x, xref_link(x)) for x in sorted(entry.get("xrefs", []))],
            matches=sorted(matches.get(term_id, [])), seed=list(entry.get("seed", [])),
            parents=parents.get(term_id, []), part_of=part_of.get(term_id, []))
    for term_id, above in parents.items():
        for parent in above:
            terms[parent].children.append(term_id)
    for term_id, wholes in part_of.items():
        for whole in wholes:
            terms[whole].parts.append(term_id)
    sites = closures[HAS_SITE]
    for term_id, term in terms.items():
        term.children.sort()
        term.parts.sort()
        term.facts = _facts(index, term_id, sites, sub)
    return terms


def _facts(index: dict, term_id: str, sites: dict[str, set[str]], sub: dict[str, set[str]]) -> dict:  # type: ignore[type-arg]
    """The answers the ontology gives about a term, by kind."""
    facts: dict[str, object] = {}
    if term_id in index["procedures"]:
        p = index["procedures"][term_id]
        flat = lambda groups: sorted({t for group in groups for t in group})  # noqa: E731
        facts.update(spine_surgery=p["spine_surgery"], back_surgery=p["back_surgery"], operative=p["operative"],
                     regions=p["regions"], sites=flat(p["sites"]), approaches=flat(p["approaches"]),
                     specialties=sorted(p["performed_by"]), recovery=sorted(p["recovery"]),
                     objectives=sorted(p["objectives"]), treats=sorted(p.get("treats", [])),
                     procedures_under=sorted(t for t, above in sub.items()
                                             if term_id in above and t != term_id and t in index["procedures"]))
    if term_id in index["anatomy"]:
        a = index["anatomy"][term_id]
        facts.update(spinal=a["spinal"], lower_back=a["lower_back"], regions=a["regions"],
                     procedures_here=procedures_at(index, term_id))
    if term_id in index["disorders"]:
        d = index["disorders"][term_id]
        facts.update(lower_back_condition=d["lower_back"], regions=d["regions"],
                     affects=sorted({t for group in d["affects"] for t in group}),
                     treated_by=sorted(d["treated_by"]), may_require=sorted(d["may_require"]))
    return facts


def procedures_at(index: dict, site: str) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    """(procedure, back-surgery answer there) for every procedure whose own site requirements can be met
    within ``site``, as the composer decides it for "PROCEDURE at SITE" (zones and disjointness, the same
    rule that answers a question typed on the Ask page)."""
    from ..answer.composers import composer
    from ..errors import SpinekgError

    comp = composer(index)
    found = []
    for procedure in sorted(index["procedures"]):
        if not index["procedures"][procedure]["sites"]:  # "procedure", "not back surgery": no site of its own
            continue
        try:
            comp.check_sites(procedure, [site])
        except SpinekgError:
            continue
        found.append((procedure, comp._compose(procedure, [site], [])[1]))
    return found


def search(terms: dict[str, Term], text: str, limit: int = 50) -> list[Term]:
    """Terms whose label, synonym or abbreviation contains ``text`` (case-insensitive): exact matches
    first, then names that start with it, then the rest, each by label."""
    needle = " ".join(text.lower().split())
    if not needle:
        return []
    ranked = []
    for term in terms.values():
        names = [term.label.lower(), *(s.lower() for s in term.synonyms), *(a.lower() for a in term.abbreviations),
                 term.id.lower()]
        if needle in names:
            rank = 0
        elif any(n.startswith(needle) for n in names):
            rank = 1
        elif any(needle in n for n in names):
            rank = 2
        else:
            continue
        ranked.append((rank, term.label.lower(), term.id))
    return [terms[t] for _, _, t in sorted(ranked)[:limit]]
