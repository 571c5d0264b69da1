"""``spinekg load`` as a Python call: the release and case records into a store, made query-ready.

Why a module of its own: loading case records means loading their derived verdicts too
(:mod:`spinekg.case_verdicts`), and where those go depends on the records and the store. A first load into
an empty graph of the embedded store (the common case) derives them in the store, right after the bulk
load: the records are read back from the store, so the files are parsed once and never held twice (no
temporary store), and the count check includes the verdicts. A reload derives them from the files first
and sends them with the files, so a reload that changes nothing writes nothing. A case that is a blank node
cannot be named by a separate file: the embedded store always gets its verdicts in the store; a Graph Store
server cannot (a blank node sent later is a new node), so such data is refused before anything is sent.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from . import embedded
from . import graph_store
from . import replace
from ..errors import EXIT_BAD_INPUT, SpinekgError


def load(ontology: Path | None, data: list[Path], *, store: Path | None = None, endpoint: str | None = None,
         graph: str = replace.DEFAULT_GRAPH, query_endpoint: str | None = None, bulk: bool = False,
         verdicts: bool = True) -> replace.LoadReport:
    """Replace ``graph`` in the embedded store at ``store`` (default: :func:`stores.default_store_dir`) or
    at the Graph Store ``endpoint`` with ``ontology`` (None: leave it out) plus the ``data`` files and,
    with ``verdicts``, the derived verdicts of their case records. ``report.derived`` says how many."""
    from ..cases.verdicts import BlankNodeCases, add_verdicts, write_verdicts

    replace.check_graph_iri(graph)
    files = ([Path(ontology)] if ontology is not None else []) + [Path(f) for f in data]
    if not files:
        raise SpinekgError("nothing to load: give data files or an ontology", EXIT_BAD_INPUT)
    directory = Path(store) if store is not None else embedded.default_store_dir()
    with tempfile.TemporaryDirectory(prefix="spinekg-load-") as tmp:
        derived, blank_cases = 0, False
        if verdicts and data and not endpoint and embedded.graph_is_empty(directory, graph):
            blank_cases = True  # derived in the store after the bulk load (see the module docstring)
        elif verdicts and data:
            try:
                derived = write_verdicts(data, Path(tmp) / "case-verdicts.nt")
            except BlankNodeCases as blank:
                if endpoint:
                    where = str(data[0]) if len(data) == 1 else f"{len(data)} files"
                    raise SpinekgError(f"{where}: {blank.count} case record(s) are blank nodes, and a Graph Store "
                                       f"server cannot be sent their derived verdicts (a blank node sent later is a "
                                       f"new node); give the cases IRIs, load with --no-verdicts, or load into an "
                                       f"embedded store (--store)", EXIT_BAD_INPUT) from None
                blank_cases = True
            if derived:
                files.append(Path(tmp) / "case-verdicts.nt")
        added: list[int] = []

        def add_in_store(opened) -> int:  # type: ignore[no-untyped-def]
            added.append(add_verdicts(opened, graph=graph))
            return added[-1]

        if endpoint:
            report = graph_store.load_endpoint(endpoint, files, graph, query_endpoint, bulk)
        else:
            report = embedded.load_embedded(directory, files, graph, add_in_store if blank_cases else None)
    report.derived = sum(added) if blank_cases else derived
    return report
