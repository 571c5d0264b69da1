"""IRIs and CURIE prefixes used across the package (no rdflib import: the runtime needs only strings)."""
from __future__ import annotations

SPINEKG = "https://w3id.org/spinekg/"
OBO = "http://purl.obolibrary.org/obo/"
PART_OF = OBO + "BFO_0000050"
HAS_PART = OBO + "BFO_0000051"
DEFINITION = OBO + "IAO_0000115"
OBOINOWL = "http://www.geneontology.org/formats/oboInOwl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ONTOLOGY_IRI = SPINEKG + "spinekg.owl"
# The per-site answer of the query-ready graph ("yes" | "no" | "depends"; spinekg.edges derives it).
BACK_SURGERY_SITE = SPINEKG + "backSurgerySite"

# Where each external CURIE prefix expands to (used for skos mapping IRIs).
CURIE_PREFIXES: dict[str, str] = {
    "spinekg": SPINEKG,
    "UBERON": OBO + "UBERON_",
    "MONDO": OBO + "MONDO_",
    "DOID": OBO + "DOID_",
    "MAXO": OBO + "MAXO_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "NUCC": "http://nucc.org/provider-taxonomy/",
}

# Prefixes an xref may carry; anything else is an invented or unsupported identifier.
XREF_PREFIXES = ("UBERON", "MONDO", "DOID", "MAXO", "MESH", "NUCC")


def expand_curie(curie: str) -> str:
    """Turn ``UBERON:0001130`` or ``spinekg:BackSurgery`` into a full IRI."""
    prefix, _, local = curie.partition(":")
    if prefix not in CURIE_PREFIXES or not local:
        raise ValueError(f"not a known CURIE: {curie!r}")
    return CURIE_PREFIXES[prefix] + local


def local_name(iri: str) -> str:
    """The spinekg local name of an IRI (``BackSurgery``), or the IRI itself when foreign."""
    return iri[len(SPINEKG):] if iri.startswith(SPINEKG) else iri
