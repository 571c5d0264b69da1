"""Build pipeline: templates -> merged ontology -> HermiT -> runtime index (and release files).

``spinekg build`` is the only step that needs Java. Its outputs are deterministic and committed, so an
installed package answers questions without a reasoner.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from rdflib import Graph

from ..version import __version__
from ..errors import SpinekgError
from .ontology import load_ontology
from ..paths import RUNTIME_INDEX, ontology_dir
from .reasoning import Classification, classify_with_hermit
from .runtime_index import add_within_probes, add_zone_pair_tests, build_index, index_json
from .templates import generate
from ..files import write_atomically


@dataclass
class Reasoned:
    graph: Graph
    classification: Classification
    disjoint_pairs: list[tuple[str, str]]
    within: dict[str, set[str]] = field(default_factory=dict)  # anatomy class -> what "it or any part of it" entails


def reason(graph: Graph) -> Reasoned:
    """Classify ``graph`` with HermiT, and find which zones are disjoint, in one reasoner run."""
    probed = Graph()
    for triple in graph:
        probed.add(triple)
    probes = add_zone_pair_tests(probed)
    within_probes = add_within_probes(probed)
    result = classify_with_hermit(probed)
    disjoint = sorted(pair for name, pair in probes.items() if name in result.unsatisfiable)
    within = {anatomy: result.ancestors.get(name, set()) for name, anatomy in within_probes.items()}
    result.unsatisfiable -= set(probes) | set(within_probes)
    for name in list(probes) + list(within_probes):
        result.ancestors.pop(name, None)
    for found in result.ancestors.values():
        found.difference_update(within_probes)
    probe_names = set(probes) | set(within_probes)
    result.equivalents = [group - probe_names for group in result.equivalents if len(group - probe_names) > 1]
    problems = sorted(result.unsatisfiable)
    if problems:
        raise SpinekgError(f"HermiT: unsatisfiable classes: {', '.join(problems)}", 1)
    return Reasoned(graph, result, disjoint, within)


def build_runtime_index(directory: Path | None = None, out: Path = RUNTIME_INDEX) -> Reasoned:
    directory = directory or ontology_dir()
    reasoned = reason(load_ontology(directory))
    index = build_index(reasoned.graph, reasoned.classification, reasoned.disjoint_pairs, __version__, reasoned.within)
    write_atomically(out, index_json(index))
    return reasoned


@contextmanager
def step(name: str, notify: Callable[[str], None] | None) -> Iterator[None]:
    """Say a build step on ``notify`` as it starts, and how long it took when that was over a second."""
    start = time.monotonic()
    if notify:
        notify(f"build: {name} ...")
    yield
    took = time.monotonic() - start
    if notify and took > 1:
        notify(f"build: {name} done ({took:.1f} s)")


def build(directory: Path | None = None, regenerate: bool = True, release_dir: Path | None = None,
          notify: Callable[[str], None] | None = None) -> Reasoned:
    """Regenerate templated modules (when building a source tree), reason, write the index and the release set."""
    from .release import RELEASE_DIR, write_release

    directory = directory or ontology_dir()
    if regenerate and (directory / "templates").is_dir():
        with step(f"regenerate modules from {directory / 'templates'}", notify):
            generate(directory)
    with step("classify with HermiT and write the runtime index", notify):
        reasoned = build_runtime_index(directory)
    with step("write the release set", notify):
        write_release(reasoned.graph, reasoned.classification, release_dir or RELEASE_DIR)
    return reasoned
