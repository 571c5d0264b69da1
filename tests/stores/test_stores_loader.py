"""spinekg load into the embedded store: a first load derives the case verdicts in the store after the bulk
load (the files are parsed once); the store then holds exactly what the older way -- verdicts derived from
the files into a file of their own, loaded with them -- gives, triple for triple, and reports the same
numbers. Records outside the case model (a procedure that is an ontology class, carried verdicts) too."""
from __future__ import annotations

from pathlib import Path

import pytest

from spinekg.build.release import RELEASE_DIR
from spinekg.cases.records import generate_cases
from spinekg.cases.verdicts import write_verdicts
from spinekg.stores import embedded, loader, payload

EX = "https://w3id.org/spinekg/example/"
S = "https://w3id.org/spinekg/"
EXTRA = f"""<{EX}class-case> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{S}SurgicalCase> .
<{EX}class-case> <{S}hasProcedure> <{S}Laminectomy> .
<{EX}carried> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{S}SurgicalCase> .
<{EX}carried> <{S}hasProcedure> <{EX}carried-procedure> .
<{EX}carried> <{S}backSurgeryVerdict> "no" .
<{EX}carried-procedure> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{S}LumbarMicrodiscectomy> .
"""


def _dump(directory: Path) -> list[bytes]:
    store = embedded.open_store(directory, read_only=True)
    try:
        import pyoxigraph as ox

        text = store.dump(format=ox.RdfFormat.N_QUADS)
    finally:
        del store
    return sorted(text.splitlines())


@pytest.mark.parametrize("odd", ["", f"<{EX}odd>\t<{S}hasProcedure> <{EX}odd-procedure> .\n"])
def test_first_load_derives_in_the_store_and_equals_the_file_way(tmp_path, odd, monkeypatch):
    """Canonical lines: verdicts read from the bytes while the input loads in pieces, sent in the same bulk
    load; a line only an RDF parser reads (``odd``): derived in the store after the load. Both equal the
    file way."""
    monkeypatch.setattr(payload, "PIECE_TRIPLES", 500)  # the release and the records in many pieces
    data = tmp_path / "cases.nt"
    data.write_text(generate_cases(300, seed=4, defect_rate=0.3) + EXTRA + odd, encoding="utf-8")
    release = embedded.release_file()
    assert release.parent == RELEASE_DIR  # found without importing the build

    ours = loader.load(release, [data], store=tmp_path / "ours")
    assert ours.method == "first load"

    verdicts = tmp_path / "verdicts.nt"
    derived = write_verdicts([data], verdicts)
    reference = embedded.load_embedded(tmp_path / "reference", [release, data, verdicts])

    assert ours.derived == derived > 600
    assert (ours.sent, ours.counted) == (reference.sent, reference.counted)
    assert _dump(tmp_path / "ours") == _dump(tmp_path / "reference")

    again = loader.load(release, [data], store=tmp_path / "ours")  # a reload derives from the files
    respelled = (1, 1) if odd else (0, 0)  # a line spelled otherwise than the store writes it is re-added
    assert again.method == "diff" and (again.removed, again.added) == respelled and again.derived == derived
