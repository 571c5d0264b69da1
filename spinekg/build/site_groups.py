"""The site rules of case records as plain triples, so SHACL engines other than spinekg's can check them.

Whether a procedure may be recorded at a site is decided by the runtime composer (``check_sites``): every site
must lie within one option of each "only performed on" group of the procedure class, and some site must
lie within one option of each site group the class requires. The decision per (group, anatomy term) is
precomputed here from the runtime index and shipped as ``spinekg-site-groups.nt``:

- ``<procedure> spinekg:siteOnlyGroup <group>`` and ``<procedure> spinekg:siteRequirementGroup <group>``;
- ``<group> spinekg:admitsSite <anatomy class>`` when a site of that class satisfies the group;
- the group ``site-groups/any`` admits every anatomy term and is a site-only group of every procedure, so it
  also marks what spinekg knows as a procedure or an anatomy term.

``ontology/shapes/case-records-portable.ttl`` reads these triples in a SPARQL-based constraint that gives
the results of spinekg's Python-evaluated ``SiteRestriction`` (tests/shacl/test_shacl_jena.py).
"""
from __future__ import annotations

from ..namespaces import SPINEKG

GROUPS = SPINEKG + "site-groups/"
ANY = GROUPS + "any"


def group_iri(options: tuple[str, ...]) -> str:
    return GROUPS + "-".join(options)


def site_group_lines(index: dict | None = None) -> list[str]:
    """Sorted N-Triples lines of the site groups of every procedure in the runtime index."""
    from ..answer.composers import composer

    comp = composer(index)
    anatomy = sorted(comp.anatomy)
    lines = {f"<{ANY}> <{SPINEKG}admitsSite> <{SPINEKG}{a}> ." for a in anatomy}
    groups: set[tuple[str, ...]] = set()
    for procedure in sorted(comp.procedures):
        info = comp.procedures[procedure]
        lines.add(f"<{SPINEKG}{procedure}> <{SPINEKG}siteOnlyGroup> <{ANY}> .")
        for key, predicate in (("site_only", "siteOnlyGroup"), ("sites", "siteRequirementGroup")):
            for options in info.get(key, ()):
                group = tuple(sorted(options))
                groups.add(group)
                lines.add(f"<{SPINEKG}{procedure}> <{SPINEKG}{predicate}> <{group_iri(group)}> .")
    for group in groups:
        for site in anatomy:
            if any(comp.compatible(option, site) for option in group):
                lines.add(f"<{group_iri(group)}> <{SPINEKG}admitsSite> <{SPINEKG}{site}> .")
    return sorted(lines)


def site_groups_text(version: str, index: dict | None = None) -> str:
    """The N-Triples file, with its own ontology header (IRI, versionIRI, versionInfo) like every release file."""
    iri = f"{SPINEKG}spinekg-site-groups.owl"
    owl = "http://www.w3.org/2002/07/owl#"
    header = [f"<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{owl}Ontology> .",
              f"<{iri}> <{owl}versionIRI> <{SPINEKG}releases/{version}/spinekg-site-groups.owl> .",
              f'<{iri}> <{owl}versionInfo> "{version}" .']
    return "\n".join(sorted(header + site_group_lines(index))) + "\n"
