"""``spinekg load`` as a Python call: the release and case records into a store, made query-ready.

Why a module of its own: loading case records means loading their derived verdicts too
(:mod:`spinekg.cases.verdicts`), and where those go depends on the records and the store. A first load
into an empty graph of the embedded store (the common case) reads the records from the N-Triples bytes it
is about to send (:mod:`spinekg.cases.nt_records`) and sends their verdicts in the same bulk load: the
files are parsed once, by the store, nothing is read back, and the count check includes the verdicts.
When a line needs a real RDF parser, the verdicts are derived in the store after the bulk load (the
records are read back from it). A reload derives them from the files first (which also rejects bad input
before the store is touched) and sends them with the files, so a reload that changes nothing writes
nothing. A case that is a blank node cannot be named by a separate file: the embedded store always gets
its verdicts in the store; a Graph Store server cannot (a blank node sent later is a new node), so such
data is refused before anything is sent.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from . import embedded
from . import graph_store
from . import replace
from ..errors import EXIT_BAD_INPUT, SpinekgError
from .payload import Deferred, Payload


def load(ontology: Path | None, data: list[Path], *, store: Path | None = None, endpoint: str | None = None,
         graph: str = replace.DEFAULT_GRAPH, query_endpoint: str | None = None, bulk: bool = False,
         verdicts: bool = True) -> replace.LoadReport:
    """Replace ``graph`` in the embedded store at ``store`` (default: :func:`stores.default_store_dir`) or
    at the Graph Store ``endpoint`` with ``ontology`` (None: leave it out) plus the ``data`` files and,
    with ``verdicts``, the derived verdicts of their case records. ``report.derived`` says how many."""
    replace.check_graph_iri(graph)
    files = ([Path(ontology)] if ontology is not None else []) + [Path(f) for f in data]
    if not files:
        raise SpinekgError("nothing to load: give data files or an ontology", EXIT_BAD_INPUT)
    data = [Path(f) for f in data]
    if endpoint:
        return _load_endpoint(files, data, endpoint, graph, query_endpoint, bulk, verdicts)
    return _load_embedded(files, data, Path(store) if store is not None else embedded.default_store_dir(),
                          graph, verdicts)


def _load_embedded(files: list[Path], data: list[Path], directory: Path, graph: str,
                   verdicts: bool) -> replace.LoadReport:
    """The embedded store: verdicts read from the payload's bytes go into the same bulk load; else (a
    line only an RDF parser reads) from the files on a reload, or in the store after a first load."""
    from ..cases.verdicts import BlankNodeCases, add_verdicts, verdict_lines_from_ntriples, write_verdicts

    derived: list[int] = []
    in_store: list[bool] = []
    empty = verdicts and bool(data) and embedded.graph_is_empty(directory, graph)
    with tempfile.TemporaryDirectory(prefix="spinekg-load-") as tmp:
        if verdicts and data and not empty:  # a reload: from the files first (bad input is refused here)
            try:
                derived.append(write_verdicts(data, Path(tmp) / "case-verdicts.nt"))
            except BlankNodeCases:
                in_store.append(True)
            if sum(derived):
                files = files + [Path(tmp) / "case-verdicts.nt"]

        def before_load(payload: Payload) -> Payload:
            def make() -> bytes:  # runs while the input is bulk-loaded (Payload.pieces)
                lines = verdict_lines_from_ntriples(payload.body, ordered=False)
                if lines is None:  # a line only an RDF parser reads: in the store, after the load
                    in_store.append(True)
                    return b""
                derived.append(len(lines))
                return "".join(f"{line}\n" for line in lines).encode()

            return payload.with_extra(Deferred(make))

        def after_load(opened) -> int:  # type: ignore[no-untyped-def]
            if not in_store:
                return 0
            derived.append(add_verdicts(opened, graph=graph))
            return derived[-1]

        report = embedded.load_embedded(directory, files, graph, after_load, before_load if empty else None)
    report.derived = sum(derived)
    return report


def _load_endpoint(files: list[Path], data: list[Path], endpoint: str, graph: str, query_endpoint: str | None,
                   bulk: bool, verdicts: bool) -> replace.LoadReport:
    """A Graph Store server: the verdicts go as a file of their own; blank-node cases are refused."""
    from ..cases.verdicts import BlankNodeCases, write_verdicts

    with tempfile.TemporaryDirectory(prefix="spinekg-load-") as tmp:
        derived = 0
        if verdicts and data:
            try:
                derived = write_verdicts(data, Path(tmp) / "case-verdicts.nt")
            except BlankNodeCases as blank:
                where = str(data[0]) if len(data) == 1 else f"{len(data)} files"
                raise SpinekgError(f"{where}: {blank.count} case record(s) are blank nodes, and a Graph Store "
                                   f"server cannot be sent their derived verdicts (a blank node sent later is a "
                                   f"new node); give the cases IRIs, load with --no-verdicts, or load into an "
                                   f"embedded store (--store)", EXIT_BAD_INPUT) from None
            if derived:
                files = files + [Path(tmp) / "case-verdicts.nt"]
        report = graph_store.load_endpoint(endpoint, files, graph, query_endpoint, bulk)
    report.derived = derived
    return report
