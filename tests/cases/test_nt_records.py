"""The byte reader of case records (spinekg.cases.nt_records, what a first ``spinekg load`` derives verdicts
from) reads exactly what the store reader reads from a store holding the same triples, and declines
(None) every line it would need that is not canonical, so the load falls back to the store."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from spinekg.cases.case_graph import read_records
from spinekg.cases.nt_records import records_from_ntriples
from spinekg.cases.records import generate_cases
from spinekg.cases.verdicts import derive, verdict_lines_from_ntriples, verdict_ntriples
from spinekg.stores import embedded

EX, S = "https://w3id.org/spinekg/example/", "https://w3id.org/spinekg/"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
EXTRA = f"""<{EX}class-case> <{TYPE}> <{S}SurgicalCase> .
<{EX}class-case> <{S}hasProcedure> <{S}Laminectomy> .
<{EX}carried> <{TYPE}> <{S}SurgicalCase> .
<{EX}carried> <{S}hasProcedure> <{EX}carried-procedure> .
<{EX}carried> <{S}backSurgeryVerdict> "no" .
<{EX}carried> <{S}expectedRecovery> <{S}ShortRecovery> .
<{EX}carried-procedure> <{TYPE}> <{S}LumbarMicrodiscectomy> .
<{EX}carried-procedure> <{TYPE}> <http://www.w3.org/2002/07/owl#NamedIndividual> .
<{EX}texted> <{S}hasProcedure> <{EX}texted-procedure> .
<{EX}texted-procedure> <{TYPE}> <{S}LumbarMicrodiscectomy> .
<{EX}texted-procedure> <{S}levelText> "L4-L5" .
<{EX}texted-procedure> <{S}levelText> "L4-L5" .
<{EX}texted-procedure> <{S}levelText> <{S}DiscL4L5> .
<{EX}shared-a> <{S}hasProcedure> <{EX}shared-procedure> .
<{EX}shared-b> <{S}hasProcedure> <{EX}shared-procedure> .
<{EX}shared-procedure> <{TYPE}> <{S}Laminectomy> .
<{EX}note> <http://www.w3.org/2000/01/rdf-schema#comment> "see <{S}hasProcedure> and <{TYPE}>" .
<{S}hasProcedure> <http://www.w3.org/2000/01/rdf-schema#label> "has procedure" .
<{EX}x> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{S}hasSite> .
"""


def _body() -> bytes:
    return embedded.release_file().read_bytes() + (generate_cases(400, seed=7, defect_rate=0.3) + EXTRA).encode()


def _normal(rec):  # type: ignore[no-untyped-def]
    """Records without the order and repeats neither reader promises (the derivation reads none)."""
    return ({k: sorted(v) for k, v in rec.procedures.items()}, {k: sorted(v) for k, v in rec.sites.items()},
            {k: sorted(set(v)) for k, v in rec.types.items()}, {k: sorted(v) for k, v in rec.texts.items()},
            rec.cases, rec.carried)


def test_bytes_read_what_the_store_reads():
    body = _body()
    store = ox.Store()
    store.bulk_load(body, format=ox.RdfFormat.N_TRIPLES)
    ours, theirs = records_from_ntriples(body), read_records(store)
    assert ours is not None and _normal(ours) == _normal(theirs)
    assert len(ours.cases) == 402 and len(ours.texts) == 1 and len(ours.carried) == 1
    assert sorted(derive(ours)) == sorted(derive(theirs))
    lines = verdict_lines_from_ntriples(body)
    assert lines is not None and "\n".join(lines) + "\n" == verdict_ntriples(store)


@pytest.mark.parametrize("line", [
    f"<{EX}c>\t<{S}hasProcedure> <{EX}p> .",  # other spacing
    f"<{EX}c>  <{S}hasProcedure> <{EX}p> .",
    f"<{EX}c><{S}hasProcedure><{EX}p>.",
    f"_:c <{S}hasProcedure> <{EX}p> .",  # a blank node
    f"<{EX}c> <{S}hasProcedure> _:p .",
    f"<{EX}c> <{S}hasProcedure> \"p\" .",  # a literal where a node should be
    f"<{EX}p> <{S}levelText> \"L4\\u002DL5\" .",  # an escape
    f"<{EX}p> <{S}levelText> \"L4-L5\"@en .",  # not a plain string
    f"<{EX}c> <{S}backSurgeryVerdict> \"no\"^^<http://www.w3.org/2001/XMLSchema#string> .",
    f"<{EX}c> <{TYPE}> <{S}SurgicalCase> . # a comment",
    f"<{EX}c> <{S}hasSite> <{EX}s> .\r",
])
def test_lines_only_a_parser_reads_are_declined(line):
    assert records_from_ntriples(_body() + line.encode() + b"\n") is None
    assert verdict_lines_from_ntriples(line.encode() + b"\n") is None
