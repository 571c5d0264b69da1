"""N-Triples files taken as they are written (spinekg.shacl.case_files.as_oxigraph_writes): the engine starts on
the file's own text, so the check that oxigraph would write that text the same must never say yes wrongly,
and every report must equal the one from the files read through oxigraph (itself equal to pySHACL's,
tests/shacl/test_shacl_rust.py)."""
from __future__ import annotations

import json

import pytest
from rdflib import BNode, Graph, URIRef

from conftest import corpus_case_graph
from spinekg.errors import SpinekgError
from spinekg.shacl import case_files
from spinekg.shacl.case_data import term_key
from spinekg.shacl.case_files import as_oxigraph_writes, read_case_data
from spinekg.shacl.records import validate_records

pytest.importorskip("shacl")
ox = pytest.importorskip("pyoxigraph")

S, P, O = "<http://ex.org/s>", "<http://ex.org/p>", "<http://ex.org/o>"
LINES = {  # N-Triples text -> whether oxigraph writes it exactly so
    f"{S} {P} {O} .\n": True,
    f'{S} {P} "plain é \u2028 text" .\n': True,
    f'{S} {P} "12"^^<http://www.w3.org/2001/XMLSchema#integer> .\n': True,
    f'{S} {P} "x"@en-gb .\n': True,
    f"{S} {P} {O} .\n{S} {P} {O} .\n": True,  # a duplicate stays, as oxigraph streams it
    "": True,
    f"{S}\t{P} {O} .\n": False,
    f"{S} {P}  {O} .\n": False,
    f"{S} {P} {O}.\n": False,
    f"{S}{P}{O} .\n": False,
    f" {S} {P} {O} .\n": False,
    f"{S} {P} {O} .\r\n": False,
    f"{S} {P} {O} .": False,  # (read_case_data adds the last newline, as oxigraph ends its text)
    f"{S} {P} {O} .\n\n": False,
    f"# a comment\n{S} {P} {O} .\n": False,
    f"{S} {P} {O} . # a comment .\n": False,
    f"{S} {P} {O} .#c .\n": False,
    f'{S} {P} "\\u0041" .\n': False,
    f'{S} {P} "a\\"b" .\n': False,
    f'{S} {P} "tab\there" .\n': False,
    f'{S} {P} "del\x7f" .\n': False,
    f'{S} {P} "x"^^<http://www.w3.org/2001/XMLSchema#string> .\n': False,
    f'{S} {P} "x"@en-GB .\n': False,
    f'{S} {P} "x"@en--ltr .\n': False,
    f"_:b0 {P} {O} .\n": False,
    f"{S} {P} _:b0 .\n": False,
    f"<s> {P} {O} .\n": False,
    f"<http://ex.org/\\u0073> {P} {O} .\n": False,
    f"\ufeff{S} {P} {O} .\n": False,
}


def _oxigraph_writes(text: str) -> str | None:
    try:
        return ox.serialize(ox.parse(text, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES).decode()
    except (SyntaxError, ValueError):
        return None


@pytest.mark.parametrize("text", list(LINES))
def test_as_written_only_when_oxigraph_writes_it_the_same(text):
    assert as_oxigraph_writes(text) is LINES[text]
    if LINES[text]:
        assert (_oxigraph_writes(text) or "") == text


def test_an_iri_oxigraph_refuses_is_refused_by_the_engine_too(tmp_path):
    """The check reads IRIs loosely (``%zz``); the engine reads them as oxigraph does and refuses the text, so
    the files are read as before (rdflib, since oxigraph refuses them) and the error is the one it always was."""
    text = f"<http://ex.org/%zz> {P} {O} .\n"
    assert as_oxigraph_writes(text) and _oxigraph_writes(text) is None
    path = tmp_path / "bad-iri.nt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpinekgError) as before:
        validate_records(read_case_data([path]))
    with pytest.raises(SpinekgError) as after:
        validate_records(read_case_data([path], "auto"))
    assert str(after.value) == str(before.value) and "Invalid IRI percent encoding '%zz'" in str(before.value)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Graph, str]:
    """Generated records with every defect kind and the corpus's case records, as oxigraph writes them
    (no blank nodes, no level text: what one engine run takes)."""
    graph = corpus_case_graph(300, seed=23, skip=lambda path: path.name.startswith("huge-"))
    level_text = URIRef("https://w3id.org/spinekg/levelText")
    lines = sorted(" ".join(keys) + " .\n" for keys in (tuple(map(term_key, t)) for t in graph)
                   if None not in keys and not any(isinstance(t, BNode) for t in keys) and keys[1] != f"<{level_text}>"
                   and not any(k.startswith("_:") for k in keys))  # type: ignore[union-attr]
    text = _oxigraph_writes("".join(lines))
    assert text
    kept = [line for line in text.splitlines(keepends=True) if as_oxigraph_writes(line)]
    assert len(kept) > len(lines) - 20  # only literals oxigraph writes with escapes ("\n") are left out
    return graph, "".join(kept)


def _reports(paths) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(report read through oxigraph, report taken as written) as JSON."""
    return validate_records(read_case_data(paths)).to_json(), validate_records(read_case_data(paths, "auto")).to_json()


def test_a_file_as_written_starts_the_engine_and_reports_the_same(written, tmp_path):
    _, text = written
    path = tmp_path / "cases.nt"
    path.write_text(text, encoding="utf-8")
    data = read_case_data([path], "auto")
    assert data.run is not None and data.run.text is data.text and data.reread is not None
    assert data.triples == text.count("\n") == len(read_case_data([path]))
    before, after = _reports([path])
    assert after == before and '"violations": 0' not in before
    fast = validate_records(read_case_data([path], "auto"))
    assert fast.to_text() == validate_records(read_case_data([path])).to_text()
    assert fast.to_turtle() == validate_records(read_case_data([path])).to_turtle()  # (built by the batch path)
    components = {r["component"].rsplit("/", 1)[-1] for r in json.loads(before)["results"]}
    assert {f"{c}ConstraintComponent" for c in ("MinCount", "MaxCount", "Pattern", "Class", "In", "Datatype",
                                                "SiteRestriction")} <= components, components


@pytest.mark.parametrize("change", ["tabs", "comment", "crlf", "escape", "no-last-newline"])
def test_a_file_written_otherwise_is_read_through_oxigraph_and_reports_the_same(written, tmp_path, change):
    _, text = written
    lines = text.splitlines(keepends=True)
    changed = {
        "tabs": lambda: "".join(lines[:-1]) + lines[-1].replace(" ", "\t", 1),
        "comment": lambda: "# records\n" + text,
        "crlf": lambda: text.replace("\n", "\r\n"),
        "escape": lambda: "".join(lines[:-1]) + lines[-1].replace("<http", "<\\u0068ttp", 1),
        "no-last-newline": lambda: text[:-1],
    }[change]()
    path, reference = tmp_path / "changed.nt", tmp_path / "reference.nt"
    path.write_text(changed, encoding="utf-8", newline="")
    reference.write_text(text, encoding="utf-8")
    data = read_case_data([path], "auto")
    assert (data.run is None) == (change != "no-last-newline")  # (the last newline is added, as oxigraph does)
    before, after = _reports([path])
    assert after == before == validate_records(read_case_data([reference])).to_json()


def test_several_files_as_written_report_as_one(written, tmp_path):
    _, text = written
    lines = text.splitlines(keepends=True)
    half = len(lines) // 2
    first, second, whole = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "all.nt"
    first.write_text("".join(lines[:half]), encoding="utf-8")
    second.write_text("".join(lines[half:]), encoding="utf-8")
    whole.write_text(text, encoding="utf-8")
    assert read_case_data([first, second], "auto").run is not None
    before, after = _reports([first, second])
    assert after == before == validate_records(read_case_data([whole])).to_json()


def test_the_engine_is_started_only_for_the_rust_engine(written, tmp_path):
    _, text = written
    path = tmp_path / "cases.nt"
    path.write_text(text, encoding="utf-8")
    assert read_case_data([path], "pyshacl").run is None
    level = tmp_path / "level.nt"
    level.write_text(f"{S} <https://w3id.org/spinekg/levelText> \"L4-L5\" .\n" + text, encoding="utf-8")
    assert read_case_data([level], "auto").run is None  # level text: the batch path's data


def test_an_extension_in_n_triples_drops_the_run(tmp_path):
    path = tmp_path / "extension.nt"
    path.write_text("<https://w3id.org/spinekg/MyThing> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                    "<http://www.w3.org/2002/07/owl#Class> .\n", encoding="utf-8")
    data = read_case_data([path], "auto")
    assert data.run is not None
    assert data.is_extension() and data.run is None


def test_the_sample_check_keeps_the_engine_from_starting(written, tmp_path, monkeypatch):
    """A file visibly not written as oxigraph writes it (in its first lines) never starts the engine."""
    from spinekg.shacl import whole

    started: list[str] = []
    monkeypatch.setattr(whole.EngineRun, "__init__", lambda self, text: started.append(text))
    _, text = written
    path = tmp_path / "tabs.nt"
    path.write_text(text.replace(" ", "\t", 1), encoding="utf-8")
    assert case_files._read_as_written([path], "auto") is None and started == []


def test_a_triple_written_twice_is_one_as_in_a_graph(tmp_path):
    """A site typed with a procedure class, the line written twice: the value shows its type once, as
    pySHACL's report over the graph does (the one-run reader keeps sets of values, not lists of lines)."""
    from spinekg.shacl.validate import validate

    ex, s = "https://w3id.org/spinekg/example/", "https://w3id.org/spinekg/"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [f"<{ex}c1> {rdf_type} <{s}SurgicalCase> .\n", f'<{ex}c1> <{s}caseId> "c1" .\n',
             f"<{ex}c1> <{s}hasProcedure> <{ex}c1-p> .\n", f"<{ex}c1-p> {rdf_type} <{s}LumbarMicrodiscectomy> .\n",
             f"<{ex}c1-p> <{s}hasSite> <{ex}c1-s> .\n"] + [f"<{ex}c1-s> {rdf_type} <{s}LumbarMicrodiscectomy> .\n"] * 2
    path = tmp_path / "twice.nt"
    path.write_text("".join(lines), encoding="utf-8")
    assert read_case_data([path], "auto").run is not None
    fast = validate(path)
    assert fast.to_json() == validate(Graph().parse(path), engine="pyshacl").to_json()
    shown = [f.value for f in fast.findings if f.value and f.value.startswith(f"<{ex}c1-s>")]
    assert shown and all(v.count("LumbarMicrodiscectomy (") == 1 for v in shown)
