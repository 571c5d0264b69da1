"""``spinekg query --format json`` is the W3C SPARQL 1.1 Query Results JSON Format: every competency
question's answer equals Oxigraph's own JSON serialisation of the same query (a second implementation
of the format), and the rdflib engine gives the same document."""
from __future__ import annotations

import json

import pytest

from spinekg.sparql.questions import bind_params, list_questions
from spinekg.sparql.results import results_json
from spinekg.stores import dataset

QUESTIONS = [q for q in list_questions() if not q.params]


@pytest.fixture(scope="module")
def engines():
    if dataset.release_edges_path() is None:
        pytest.skip("no release files built yet")
    return {(kind, graph): dataset.runtime_engine(kind, graph) for kind in ("oxigraph", "rdflib")
            for graph in ("ontology", "cases")}


def canonical(document: dict) -> list:
    """Rows as sorted JSON (row order is compared by the question tests; blank-node labels are local)."""
    if "boolean" in document:
        return [document["boolean"]]
    rows = []
    for binding in document["results"]["bindings"]:
        rows.append(json.dumps({k: ({"type": "bnode"} if v["type"] == "bnode" else v) for k, v in binding.items()},
                               sort_keys=True))
    return [document["head"]["vars"], sorted(rows)]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.number)
def test_every_answer_equals_oxigraphs_own_json(engines, question):
    import pyoxigraph as ox

    engine = engines[("oxigraph", question.graph)]
    ours = results_json(engine.query(question.text, bind_params(question, {})))
    theirs = json.loads(engine.store.query(question.text).serialize(format=ox.QueryResultsFormat.JSON))
    assert canonical(ours) == canonical(theirs)
    assert canonical(results_json(engines[("rdflib", question.graph)].query(question.text))) == canonical(ours)


def test_cli_prints_the_format(cli):
    if dataset.release_edges_path() is None:
        pytest.skip("no release files built yet")
    code, out, _ = cli("query", "08", "--format", "json")
    assert (code, json.loads(out)) == (0, {"head": {}, "boolean": True})
    code, out, _ = cli("query", "11", "--format", "json")
    assert code == 0 and json.loads(out)["results"]["bindings"][0] == {
        "level": {"type": "uri", "value": "https://w3id.org/spinekg/MotionSegmentT12L1"},
        "region": {"type": "uri", "value": "https://w3id.org/spinekg/ThoracicSpine"},
        "inLowerBack": {"type": "literal", "value": "false", "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}
