"""Cases that already record a derived triple (data merged with earlier 'spinekg infer' output) get what the
SHACL-AF rules add to them, in 'spinekg query' / 'spinekg load' (add_verdicts) exactly as in 'spinekg infer'.

Regression for issue 15: four identical L4-L5 microdiscectomy records, three carrying one derived triple
each, dropped out of the case questions (Q36 returned one case, Jena over the rules four)."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from spinekg.cases import verdicts as cases_verdicts
from spinekg.namespaces import SPINEKG
from spinekg.shacl.validate import infer
from spinekg.sparql import engines, questions

S = SPINEKG
EX = "https://example.org/carried/"

RECORD = """<{ex}case-{n}> a <{s}SurgicalCase> ; <{s}hasProcedure> <{ex}proc-{n}> .
<{ex}proc-{n}> a <{s}LumbarMicrodiscectomy> ; <{s}hasSite> <{ex}site-{n}> .
<{ex}site-{n}> a <{s}DiscL4L5> .
"""
CARRIED = {  # one derived triple each on cases 2-4, as 'spinekg infer' output merged into the data leaves them
    2: f'<{EX}case-2> <{S}inRegion> "lumbar" .',
    3: f"<{EX}case-3> <{S}expectedRecovery> <{S}ShortRecovery> .",
    4: f'<{EX}case-4> <{S}backSurgeryVerdict> "yes" .',
}


def four_records(carried: dict[int, str] = CARRIED) -> Graph:
    text = "".join(RECORD.format(ex=EX, s=S, n=n) for n in range(1, 5)) + "\n".join(carried.values()) + "\n"
    return Graph().parse(data=text, format="turtle")


def _oxigraph(graph: Graph):
    engine = engines.make_engine("oxigraph")
    engine.add_ntriples(graph.serialize(format="nt"))
    return engine


def test_query_load_and_infer_derive_the_same_triples():
    graph = four_records()
    rules = set(infer(graph))
    assert set(cases_verdicts.verdict_graph(graph)) == rules
    assert cases_verdicts.verdict_ntriples(_oxigraph(graph)) == cases_verdicts.verdict_ntriples(graph)
    back = URIRef(cases_verdicts.BACK_VERDICT)
    assert sorted(str(s) for s, p, o in rules if p == back) == [f"{EX}case-1", f"{EX}case-2", f"{EX}case-3"]
    assert (URIRef(f"{EX}case-2"), URIRef(cases_verdicts.IN_REGION), Literal("lumbar")) not in rules  # already there


@pytest.mark.parametrize("kind", engines.ENGINES)
def test_q36_finds_all_four_cases_after_load(kind):
    engine = engines.make_engine(kind)
    engine.add_ntriples(four_records().serialize(format="nt"))
    assert cases_verdicts.add_verdicts(engine) == 4 * 4 - 3  # spine, back, region, recovery per case, less the 3 carried
    question = questions.find_question("36")
    rows = engines.run_question(question, engine).display()
    assert rows == [{"case": f"<{EX}case-{n}>"} for n in range(1, 5)]
    assert cases_verdicts.add_verdicts(engine) == 0


def test_a_carried_verdict_blocks_the_rules_yes_and_depends_but_not_no():
    """Contradicting carried verdicts: the rules' layer 2 ("yes") and 4 ("depends") ask for a case without
    a verdict, layer 1 ("no") does not; the derivation follows them record by record."""
    carried = {2: f'<{EX}case-2> <{S}backSurgeryVerdict> "no" .',
               3: f'<{EX}case-3> <{S}spineSurgeryVerdict> "depends" .'}
    graph = four_records(carried)
    rules = set(infer(graph))
    assert set(cases_verdicts.verdict_graph(graph)) == rules
    back, spine = URIRef(cases_verdicts.BACK_VERDICT), URIRef(cases_verdicts.SPINE_VERDICT)
    assert (URIRef(f"{EX}case-2"), back, Literal("yes")) not in rules
    assert (URIRef(f"{EX}case-3"), spine, Literal("yes")) not in rules
    assert (URIRef(f"{EX}case-1"), back, Literal("yes")) in rules
