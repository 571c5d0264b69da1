"""An approach written as a blank node gets one message that shows the expected form, on every engine."""
from __future__ import annotations

import pytest

RECORD = """@prefix ex: <https://example.org/> .
@prefix spinekg: <https://w3id.org/spinekg/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:case-1 a spinekg:SurgicalCase ; spinekg:caseId "1" ; spinekg:caseDate "2024-05-01"^^xsd:date ;
    spinekg:surgeonSpecialty spinekg:Neurosurgeon ; spinekg:hasProcedure ex:p .
ex:p a spinekg:LumbarMicrodiscectomy ; spinekg:hasSite [ a spinekg:DiscL4L5 ] ; spinekg:hasApproach APPROACH .
"""
FORM = ("An approach is written as the approach class itself, such as spinekg:hasApproach spinekg:OpenApproach, "
        "not as a blank node ([ a spinekg:OpenApproach ]) or a literal.")


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
def test_a_blank_node_approach_gets_one_message(cli, tmp_path, engine):
    pytest.importorskip("pyshacl_turbo") if engine == "turbo" else None
    (tmp_path / "bn.ttl").write_text(RECORD.replace("APPROACH", "[ a spinekg:ExternalApproach ]"), encoding="utf-8")
    code, out, err = cli("validate", str(tmp_path / "bn.ttl"), "--engine", engine, "--format", "json")
    import json

    results = json.loads(out)["results"] if code == 1 else None
    assert code == 1, err
    assert [r["message"] for r in results] == [FORM]
    (tmp_path / "ok.ttl").write_text(RECORD.replace("APPROACH", "spinekg:MinimallyInvasiveApproach"), encoding="utf-8")
    assert cli("validate", str(tmp_path / "ok.ttl"), "--engine", engine)[:2] == (0, "conforms: no violations\n")
