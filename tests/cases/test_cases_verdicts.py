"""spinekg.case_verdicts: the derived case triples equal what the SHACL-AF rules derive (spinekg.shacl.infer),
triple for triple, on the example records, on generated records with every kind of defect and on records
outside the case model; and they make case data query-ready in rdflib graphs and Oxigraph stores."""
from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from spinekg.cases import verdicts as cases_verdicts
from spinekg.sparql import engines
from spinekg.sparql import questions
from spinekg.stores import dataset
from spinekg.cases.records import example_cases_path, generate_cases, read_records
from spinekg.answer.composers import classify_procedure
from spinekg.errors import SpinekgError
from spinekg.namespaces import SPINEKG
from spinekg.shacl.validate import infer

S = SPINEKG
CASE = URIRef(S + "SurgicalCase")


def _oxigraph(graph: Graph):
    engine = engines.make_engine("oxigraph")
    engine.add_ntriples(graph.serialize(format="nt"))
    return engine


def _assert_same_as_rules(graph: Graph) -> Graph:
    """Derived here == derived by the rules, from an rdflib graph and from an Oxigraph store of it."""
    rules = infer(graph)
    mine = cases_verdicts.verdict_graph(graph)
    assert set(mine) == set(rules)
    if not any(isinstance(s, BNode) for s in rules.subjects()):  # store blank-node ids are the store's own
        assert cases_verdicts.verdict_ntriples(_oxigraph(graph)) == cases_verdicts.verdict_ntriples(graph)
    return rules


@pytest.fixture(scope="module")
def examples() -> Graph:
    return Graph().parse(example_cases_path())


def test_example_cases_equal_the_rules(examples):
    rules = _assert_same_as_rules(examples)
    assert len(set(rules.subjects())) == 21
    assert (URIRef(S + "example/case-0004"), URIRef(cases_verdicts.BACK_VERDICT), Literal("no")) in rules


def test_generated_cases_with_defects_equal_the_rules():
    """3000 records, a fifth of them broken (a site the procedure excludes, two procedures, no date, ...)."""
    graph = Graph().parse(data=generate_cases(3000, seed=3, defect_rate=0.2), format="nt")
    rules = _assert_same_as_rules(graph)
    assert len(set(rules.subjects())) == 3000


SITES = ["DiscL4L5", "DiscC5C6", "MotionSegmentT12L1", "MotionSegmentL5S1", "VertebraT8", "VertebraL1", "NerveRootS1",
         "SacroiliacJoint", "Coccyx", "LowerBackSoftTissue", "ErectorSpinae", "SpinalCord", "ThoracolumbarJunction"]


class _Records:
    def __init__(self) -> None:
        self.graph = Graph()
        self.number = 0

    def add(self, procedures: list[tuple[list[str], list[list[str]], str | None]], typed: bool = True,
            subject=None):  # type: ignore[no-untyped-def]
        self.number += 1
        case = subject if subject is not None else URIRef(f"{S}test/case-{self.number}")
        if typed:
            self.graph.add((case, RDF.type, CASE))
        for j, (kinds, sites, text) in enumerate(procedures):
            proc = URIRef(f"{S}test/case-{self.number}-procedure-{j}")
            self.graph.add((case, URIRef(S + "hasProcedure"), proc))
            for kind in kinds:
                self.graph.add((proc, RDF.type, URIRef(kind if ":" in kind else S + kind)))
            for k, site_kinds in enumerate(sites):
                site = URIRef(f"{S}test/case-{self.number}-procedure-{j}-site-{k}")
                self.graph.add((proc, URIRef(S + "hasSite"), site))
                for kind in site_kinds:
                    self.graph.add((site, RDF.type, URIRef(kind if ":" in kind else S + kind)))
            if text is not None:
                self.graph.add((proc, URIRef(S + "levelText"), Literal(text)))
        return case


def test_every_procedure_at_sites_and_records_outside_the_model(runtime_index, monkeypatch):
    """Every procedure with no site, at each of 13 sites (allowed or not) and at two sites; levels written
    as text; and records the composer cannot read, which go through the rules themselves."""
    records = _Records()
    for procedure in sorted(runtime_index["procedures"]):
        records.add([([procedure], [], None)])
        for site in SITES:
            records.add([([procedure], [[site]], None)])
        records.add([([procedure], [["DiscL4L5"], ["MotionSegmentT12L1"]], None)])
        records.add([([procedure], [["DiscC5C6"], ["Coccyx"]], None)])
    records.add([(["Laminectomy"], [], "L4-L5")])
    records.add([(["SpinalFusion"], [["DiscC5C6"]], "L2 to S1")])
    records.add([(["Laminectomy"], [], "L7")])  # an impossible level adds no site
    records.add([(["Laminectomy"], [], None), (["AnteriorCervicalDiscectomyAndFusion"], [["DiscC5C6"]], None)])
    records.add([(["LumbarPuncture"], [["DiscL4L5"]], None), (["Laminectomy"], [["VertebraL4"]], None)])
    records.add([(["Laminectomy"], [["VertebraL4"]], None)], typed=False)  # not typed as a case: no "depends"
    records.add([(["Laminectomy"], [], None)], typed=False)
    records.add([(["Laminectomy", "http://www.w3.org/2002/07/owl#NamedIndividual"],
                  [["DiscL4L5", "http://www.w3.org/2002/07/owl#NamedIndividual"]], None)])
    records.add([(["Laminectomy"], [["VertebraL4"]], None)], subject=BNode("blank-case"))
    records.add([])  # a case without a procedure
    outside = [records.add([(["Laminectomy", "Microdiscectomy"], [["DiscL4L5"]], None)]),
               records.add([(["Laminectomy"], [["DiscL4L5", "DiscC5C6"]], None)]),
               records.add([(["Laminectomy"], [[]], None)]),
               records.add([(["Laminectomy"], [["DiscL4L5"], ["http://example.org/Unknown"]], None)]),
               records.add([([], [], None)]),
               records.add([(["http://example.org/NotAProcedure"], [], None)])]
    shared = records.add([(["Laminectomy"], [["VertebraL4"]], None)])
    other = URIRef(S + "test/shares-a-procedure")
    records.graph.add((other, RDF.type, CASE))
    records.graph.add((other, URIRef(S + "hasProcedure"), URIRef(f"{S}test/case-{records.number}-procedure-0")))
    sent: list[str] = []
    real = cases_verdicts._by_the_rules
    monkeypatch.setattr(cases_verdicts, "_by_the_rules", lambda rec, cases: sent.extend(cases) or real(rec, cases))
    _assert_same_as_rules(records.graph)
    assert sorted(sent) == sorted(f"<{c}>" for c in outside + [shared, other])


def test_blank_node_cases_keep_their_identity(tmp_path):
    data = tmp_path / "cases.ttl"
    data.write_text(f"""@prefix spinekg: <{S}> .
[] a spinekg:SurgicalCase ; spinekg:hasProcedure [ a spinekg:Microdiscectomy ; spinekg:hasSite [ a spinekg:DiscC5C6 ] ] .
""", encoding="utf-8")
    for kind in engines.ENGINES:
        engine = engines.make_engine(kind)
        engine.add_file(data)
        assert cases_verdicts.add_verdicts(engine) == 4
        rows = engine.query(f"SELECT ?spine ?back ?region ?recovery WHERE {{ ?case a <{CASE}> ; "
                            f"<{cases_verdicts.SPINE_VERDICT}> ?spine ; <{cases_verdicts.BACK_VERDICT}> ?back ; <{cases_verdicts.IN_REGION}> ?region ; "
                            f"<{cases_verdicts.EXPECTED_RECOVERY}> ?recovery }}").display()
        assert rows == [{"spine": "yes", "back": "no", "region": "cervical", "recovery": "spinekg:ShortRecovery"}], kind


@pytest.mark.parametrize("kind", engines.ENGINES)
def test_added_verdicts_answer_the_case_questions(kind):
    engine = engines.make_engine(kind)
    engine.add_file(example_cases_path())
    assert cases_verdicts.add_verdicts(engine) == 84  # 62 verdicts and regions, 22 expected recoveries
    assert cases_verdicts.add_verdicts(engine) == 0  # the cases carry them now
    engine.add_file(dataset.require_release_edges())
    for question in questions.list_questions():
        if question.graph == "cases":
            assert engines.run_question(question, engine).display() == question.expected, question.name


def test_write_verdicts_file_is_sorted_and_loads_with_the_records(tmp_path):
    out = tmp_path / "verdicts.nt"
    assert cases_verdicts.write_verdicts([example_cases_path()], out) == 84
    text = out.read_text(encoding="utf-8")
    assert text.splitlines() == sorted(text.splitlines()) and text == cases_verdicts.verdict_ntriples(example_cases_path())
    engine = engines.make_engine("oxigraph")
    engine.add_file(example_cases_path())
    engine.add_file(out)
    assert cases_verdicts.add_verdicts(engine) == 0
    with pytest.raises(SpinekgError, match="no such file"):
        cases_verdicts.verdict_ntriples([tmp_path / "missing.ttl"])


PROFILES = ["thoracolumbar", "whole-site", "whole-back", "any-overlap"]


@pytest.mark.parametrize("profile", PROFILES)
def test_profile_verdicts_follow_the_profile_composer(examples, profile):
    """Back-surgery verdicts under a profile are classify_procedure's under it, record by record; carried
    (seed) back-surgery verdicts are replaced, spine verdicts and regions are kept."""
    graph = Graph()
    graph += examples
    cases_verdicts.add_verdicts(graph)  # the seed verdicts, as data merged with 'spinekg infer' output would carry
    cases_verdicts.add_verdicts(graph, profile)
    for record in read_records(examples):
        case = URIRef(f"{S}example/case-{record.case_id}")
        want = classify_procedure(record.procedure, list(record.sites), profile=profile)
        assert [str(o) for o in graph.objects(case, URIRef(cases_verdicts.BACK_VERDICT))] == [want.back_surgery], record
        assert [str(o) for o in graph.objects(case, URIRef(cases_verdicts.SPINE_VERDICT))] == [want.spine_surgery], record
        assert sorted(str(o) for o in graph.objects(case, URIRef(cases_verdicts.IN_REGION))) == sorted(want.regions), record


def test_profile_changes_the_thoracolumbar_case_and_seed_changes_nothing(examples):
    t12 = f"<{S}example/case-0004> <{cases_verdicts.BACK_VERDICT}> "
    assert t12 + '"no" .' in cases_verdicts.verdict_ntriples(examples).splitlines()
    assert t12 + '"yes" .' in cases_verdicts.verdict_ntriples(examples, "thoracolumbar").splitlines()
    assert cases_verdicts.verdict_ntriples(examples, "seed") == cases_verdicts.verdict_ntriples(examples)


def test_profile_refuses_records_outside_the_model():
    records = _Records()
    records.add([(["Laminectomy"], [["VertebraL4"]], None)])
    records.add([(["Laminectomy", "Microdiscectomy"], [["DiscL4L5"]], None)])
    with pytest.raises(SpinekgError, match=r"case record <.*test/case-2>: .* profile 'thoracolumbar'") as info:
        cases_verdicts.verdict_ntriples(records.graph, "thoracolumbar")
    assert info.value.exit_code == 2
    with pytest.raises(SpinekgError, match="unknown profile 'nope'"):
        cases_verdicts.verdict_ntriples(records.graph, "nope")


def test_add_verdicts_into_a_named_graph_of_a_store(tmp_path):
    """What a loader does: records in a named graph of an on-disk store, verdicts added to the same graph."""
    import pyoxigraph as ox

    graph = "https://example.org/cases"
    store = ox.Store(str(tmp_path / "db"))
    store.bulk_load(path=str(example_cases_path()), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    assert cases_verdicts.add_verdicts(store, graph=graph) == 84
    assert cases_verdicts.add_verdicts(store, graph=graph) == 0
    verdicts = list(store.quads_for_pattern(None, ox.NamedNode(cases_verdicts.BACK_VERDICT), None, ox.NamedNode(graph)))
    assert len(verdicts) == 21
    assert cases_verdicts.add_verdicts(store, "thoracolumbar", graph=graph) == 21  # every back verdict again, the rest kept
    assert len(list(store.quads_for_pattern(None, ox.NamedNode(cases_verdicts.BACK_VERDICT), None, None))) == 21
    t12 = ox.NamedNode(S + "example/case-0004")
    assert [q.object.value for q in store.quads_for_pattern(t12, ox.NamedNode(cases_verdicts.BACK_VERDICT), None, None)] == ["yes"]


def test_case_answers_and_refusals_do_not_share_a_memo():
    """The composer remembers answers per (procedure, sites), refusals included; the case path answers where
    the composer refuses (validation reports the site). Asked in either order, each keeps its own answer."""
    from spinekg.answer.composers import composer
    from spinekg.answer.reading import Reading
    from spinekg.cases.verdicts import _composer

    reading = Reading("AnteriorCervicalDiscectomyAndFusion", ["DiscL4L5"])
    for _ in range(2):
        with pytest.raises(SpinekgError, match="excludes L4-L5 intervertebral disc"):
            composer().verdict("ACDF L4-L5", reading)
        case = _composer(None).verdict("ACDF L4-L5", reading)
        assert (case.spine_surgery, case.back_surgery) == ("yes", "no")  # as the SHACL rules derive (test above)
