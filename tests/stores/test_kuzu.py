"""``spinekg load --kuzu`` / ``spinekg.stores.kuzu``: the released property graph in Kuzu, loaded by the
release's own Kuzu script, answers the README's Cypher questions as SPARQL does on the query-ready graph."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinekg.errors import SpinekgError
from spinekg.stores.dataset import require_release_edges

kuzu = pytest.importorskip("kuzu")
README = Path(__file__).resolve().parents[2] / "README.md"
SPINEKG = "https://w3id.org/spinekg/"
PART_OF = "http://purl.obolibrary.org/obo/BFO_0000050"


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    from spinekg.stores.kuzu import load_into_kuzu

    return load_into_kuzu(require_release_edges().parent, tmp_path_factory.mktemp("kuzu") / "db")


def rows(conn, query: str) -> list:  # type: ignore[no-untyped-def]
    result, out = conn.execute(query), []
    while result.has_next():
        out.append(result.get_next())
    return out


def sparql(query: str) -> list:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(require_release_edges()), format=ox.RdfFormat.N_TRIPLES)
    return [[term.value for term in row] for row in store.query(query)]


def readme_cypher(database: str) -> str:
    lines = re.findall(rf"^{database}:\s+(MATCH .*;)$", README.read_text(encoding="utf-8"), re.M)
    assert len(lines) == 1, database
    return lines[0].rstrip(";")


def test_readme_questions_answer_in_kuzu_as_in_sparql(conn):
    # The Neo4j line is plain Cypher, so Kuzu runs it as printed too.
    sites = sorted(r[0] for r in rows(conn, readme_cypher("Neo4j")))
    expected = sorted(r[0] for r in sparql(
        f'SELECT ?l WHERE {{ ?s <{SPINEKG}backSurgerySite> "yes" ; <{PART_OF}> <{SPINEKG}LumbarSpine> ; '
        f'<http://www.w3.org/2000/01/rdf-schema#label> ?l }}'))
    assert sites == expected and "L4-L5 intervertebral disc" in sites
    wholes = [r[0] for r in rows(conn, readme_cypher("Kuzu"))]
    assert wholes == sorted(r[0] for r in sparql(
        f"SELECT ?l WHERE {{ <{SPINEKG}DiscL4L5> <{PART_OF}> ?w . ?w <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"))
    assert "lumbar region of spine" in wholes


def test_seed_claims_and_characteristics_are_in_kuzu(conn):
    claims = rows(conn, "MATCH (c:Resource)-[:CLAIM_SUBJECT]->(s:Resource) WHERE c.kinds CONTAINS 'SeedClaim' "
                        "RETURN c.iri, c.quote, c.seedSection, s.curie ORDER BY c.iri")
    expected = sparql(f"SELECT ?c ?q ?n ?s WHERE {{ ?c <{SPINEKG}claimSubject> ?s ; <{SPINEKG}quote> ?q ; "
                      f"<{SPINEKG}seedSection> ?n }} ORDER BY ?c")
    assert [(c, " ".join(q.split()), n) for c, q, n, _ in claims] == [(c, " ".join(q.split()), n) for c, q, n, _ in expected]
    transitive = rows(conn, "MATCH (p:Resource) WHERE p.kinds CONTAINS 'TransitiveProperty' RETURN p.iri ORDER BY p.iri")
    assert [r[0] for r in transitive] == sorted(r[0] for r in sparql(
        "SELECT ?p WHERE { ?p a <http://www.w3.org/2002/07/owl#TransitiveProperty> }"))


def test_an_existing_database_path_is_refused(tmp_path):
    from spinekg.stores.kuzu import load_into_kuzu

    (tmp_path / "db").mkdir()
    with pytest.raises(SpinekgError, match="already exists; give a new path"):
        load_into_kuzu(require_release_edges().parent, tmp_path / "db")
