"""Cross-references: collect every external ID the ontology uses and check it against the verified
reference table shipped in ``ontology/reference/external_terms.tsv`` (a subset of the project's
``shared/reference`` rows, provenance columns kept). Invented identifiers cannot get in."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ..errors import SpinekgError
from ..namespaces import CURIE_PREFIXES, OBOINOWL, XREF_PREFIXES
from ..tsv import read_tsv

REFERENCE_FILE = "external_terms.tsv"
MAPPING_PROPERTIES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)


def iri_to_curie(iri: str) -> str | None:
    for prefix in XREF_PREFIXES:
        base = CURIE_PREFIXES[prefix]
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return None


def used_xrefs(graph: Graph) -> dict[str, set[str]]:
    """CURIE -> the spinekg terms that cite it (oboInOwl:hasDbXref literals and skos mapping IRIs)."""
    used: dict[str, set[str]] = {}
    for subject, value in graph.subject_objects(URIRef(OBOINOWL + "hasDbXref")):
        used.setdefault(str(value), set()).add(str(subject))
    for prop in MAPPING_PROPERTIES:
        for subject, value in graph.subject_objects(prop):
            curie = iri_to_curie(str(value))
            used.setdefault(curie or str(value), set()).add(str(subject))
    return used


def reference_rows(path: Path) -> dict[str, dict[str, str]]:
    rows = read_tsv(path, ("curie", "label", "kind", "source_ontology", "verified_from"))
    return {row["curie"]: row for row in rows}


def unverified(graph: Graph, reference: Path) -> list[str]:
    """Every xref the ontology uses that the shipped reference table does not hold."""
    known = reference_rows(reference)
    return sorted(f"{curie} (used by {', '.join(sorted(users))})" for curie, users in used_xrefs(graph).items()
                  if curie not in known)


def write_reference_subset(graph: Graph, shared_table: Path, out: Path) -> int:
    """Copy the shared rows the ontology uses, byte for byte, in the shared file's order."""
    lines = shared_table.read_text(encoding="utf-8").split("\n")
    used = used_xrefs(graph)
    kept = [lines[0]] + [line for line in lines[1:] if line and line.split("\t", 1)[0] in used]
    missing = sorted(set(used) - {line.split("\t", 1)[0] for line in kept[1:]})
    if missing:
        raise SpinekgError(f"{shared_table}: no verified row for {', '.join(missing)}")
    from ..files import write_atomically

    write_atomically(out, "\n".join(kept) + "\n")
    return len(kept) - 1
