"""Reason a user's extension files with the ontology once (HermiT) into a cached overlay.

``--extension FILE`` on classify, classify-file, validate, query and serve comes here first: each file is
checked (``build.check``, lexical and structural rules); a file with an ERROR is refused with its report.
Then the ontology plus every extension is classified with HermiT in one run, exactly as ``spinekg build``
does, and the difference from the shipped runtime index is kept (``answer.extensions``) in the user's
cache directory, sealed with the digest of its inputs and of its own content. The next run with the same
files and the same index merges the cached overlay without Java; any mismatch rebuilds it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from ..answer.extensions import FORMAT, cache_path, diff, inputs, merge
from ..answer.index import read_index, use_index
from ..answer.sealed import open_sealed, seal
from ..errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from ..paths import RUNTIME_INDEX

Notify = Callable[[str], None]


def refuse_failing(paths: list[Path]) -> None:
    """Run the extension check's rules (no reasoner) on each file; refuse the first one with an ERROR,
    naming its ERROR rows (the report's ROBOT columns)."""
    from .check import check_extension

    for path in paths:
        report = check_extension(path, reason=False)
        errors = [r for r in report.rows if r.level == "ERROR"]
        if errors:
            rows = "; ".join(f"{r.rule} {r.subject} {r.property} {r.value}".strip() for r in errors)
            raise SpinekgError(f"{path}: extension refused, the check found {len(errors)} ERROR: {rows} "
                               f"(run 'spinekg check {path}' for the full report)", EXIT_BAD_INPUT)


def build_overlay(paths: list[Path]) -> dict:
    """Classify the ontology plus ``paths`` with HermiT (one run) and return the overlay over the shipped index."""
    from ..version import __version__
    from .ontology import load_ontology
    from .pipeline import reason
    from .runtime_index import build_index

    graph = load_ontology(extra=list(paths))
    try:
        reasoned = reason(graph)
    except SpinekgError as exc:
        names = ", ".join(str(p) for p in paths)
        raise SpinekgError(f"extension {names} refused: {exc.message} (run 'spinekg check FILE' for the axioms behind it)",
                           exc.exit_code) from None
    full = build_index(reasoned.graph, reasoned.classification, reasoned.disjoint_pairs, __version__, reasoned.within)
    base = json.loads(RUNTIME_INDEX.read_text(encoding="utf-8"))
    overlay = diff(base, json.loads(json.dumps(full)))  # compare as JSON values (tuples become lists)
    overlay["edges"] = edges_diff(reasoned)
    overlay["names"] = [Path(p).name for p in paths]
    overlay.update(inputs(list(paths)))
    return overlay


def edges_diff(reasoned) -> dict:  # type: ignore[no-untyped-def]
    """The query-ready graph with the extensions, as N-Triples lines added to and removed from the shipped
    ``spinekg-edges.nt`` (what ``query`` and ``load`` use instead of the shipped graph)."""
    from ..rdf.serialize import ntriples
    from ..paths import DATA_DIR
    from .release import Variant, edges_release_graph, version_of

    graph = edges_release_graph(reasoned.graph, reasoned.classification, Variant("spinekg-edges"), version_of(reasoned.graph))
    new = set(ntriples(graph).splitlines())
    shipped = DATA_DIR / "release" / "spinekg-edges.nt"
    if not shipped.is_file():
        raise SpinekgError(f"{shipped}: the released query-ready graph is missing; run 'spinekg build'", EXIT_ENVIRONMENT)
    old = {line for line in shipped.read_text(encoding="utf-8").splitlines() if line.strip()}
    return {"added": sorted(new - old), "removed": sorted(old - new)}


def prepare_extensions(paths: list[str | Path], notify: Notify | None = None) -> dict | None:
    """Make the extensions answerable for the rest of the process and return the merged index (None when
    no extension is given). Cached overlays are used when their inputs and content digests match;
    otherwise the files are checked and reasoned (needs Java), and the overlay is cached."""
    from .reasoning import java_available

    files = [Path(p) for p in paths]
    if not files:
        return None
    for path in files:
        if not path.is_file():
            raise SpinekgError(f"{path}: no such extension file")
    target = cache_path(files)
    overlay, why = open_sealed(target, inputs(files))
    if overlay is None:
        refuse_failing(files)
        if not java_available():
            raise SpinekgError(f"extension {', '.join(map(str, files))} must be reasoned with HermiT once, which needs "
                               f"Java, and no 'java' is on PATH ({why})", EXIT_ENVIRONMENT)
        if notify:
            first = "" if why == "not built yet" else f" (cached overlay {why})"
            notify(f"extension {', '.join(map(str, files))}: checked; reasoning it with the ontology in HermiT once{first} "
                   f"(needs Java, about half a minute); the result is cached in {target}")
        overlay = build_overlay(files)
        try:
            from ..files import write_atomically

            write_atomically(target, seal(overlay))
        except OSError as exc:
            if notify:
                notify(f"could not cache the reasoned extension ({exc.strerror or exc}); it will be reasoned again next time")
    index = merge(read_index(RUNTIME_INDEX), overlay)
    use_index(index)
    return index


__all__ = ["FORMAT", "prepare_extensions", "build_overlay", "refuse_failing"]
