"""Shared fixtures. HermiT runs once per session; tests that need it skip only when Java is missing."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_REFERENCE = SHARED / "reference"

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java and no 'java' is on PATH")

# Reasoning every built-in profile with HermiT (tests/answer/test_profiles.py) is the suite's longest job and
# uses one core; the rest of the suite mostly uses one too. So when those tests are collected, the profiles
# are reasoned in one background process from the start, and the tests that read them run last.
_BACKGROUND: dict = {}  # type: ignore[type-arg]
BACKGROUND_FIXTURE = "fresh_overlays"


def pytest_collection_modifyitems(session, config, items):  # type: ignore[no-untyped-def]
    wanted = [item for item in items if BACKGROUND_FIXTURE in getattr(item, "fixturenames", ())]
    if wanted and shutil.which("java") is not None:
        background_overlays(workers=1)
        items[:] = [item for item in items if item not in wanted] + wanted


def background_overlays(workers: int = 2) -> dict:  # type: ignore[type-arg]
    """Futures of every built-in profile's overlay JSON, reasoned by HermiT now (started once per session)."""
    if "overlays" not in _BACKGROUND:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from spinekg.answer.profiles import builtin_names
        from spinekg.build.profile_overlays import _build_builtin

        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        _BACKGROUND["pool"] = pool
        _BACKGROUND["overlays"] = {name: pool.submit(_build_builtin, name) for name in builtin_names()}
    return _BACKGROUND["overlays"]


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    pool = _BACKGROUND.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Reasoned user files (profiles, extensions) are cached in a directory of this session, never the
    user's own ~/.cache (child processes inherit the variable)."""
    import os

    os.environ["SPINEKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("spinekg-cache"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def ontology_dir() -> Path:
    return REPO / "ontology"


@pytest.fixture(scope="session")
def asserted_graph(ontology_dir):
    """The merged asserted ontology (rdflib Graph). Do not mutate: copy first."""
    from spinekg.build.ontology import load_ontology

    return load_ontology(ontology_dir)


@pytest.fixture(scope="session")
def reasoned(asserted_graph):
    """HermiT's classification of the shipped ontology (with zone-disjointness probes)."""
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java and no 'java' is on PATH")
    from spinekg.build.pipeline import reason

    return reason(asserted_graph)


@pytest.fixture(scope="session")
def edges_graph(reasoned):
    """The query-ready graph: annotations + inferred subclass closure + direct edges, no blank nodes."""
    from spinekg.build.edges import build_edges_graph

    return build_edges_graph(reasoned.graph, reasoned.classification)


@pytest.fixture(scope="session")
def runtime_index():
    from spinekg.answer.index import load_index

    return load_index()


def run_cli(*args: str, stdin: str | None = None, timeout: int = 120):
    """Run the installed CLI in a fresh process: (exit code, stdout, stderr)."""
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "spinekg.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="session")
def cli():
    return run_cli


def corpus_case_graph(records: int, seed: int, skip=lambda path: False):  # type: ignore[no-untyped-def]
    """Generated records with defects plus every readable case-record file of the bad-input corpus (not
    the ontology extensions): the data the SHACL engine and record-wise tests compare answers on."""
    from rdflib import Graph

    from spinekg.shacl import input
    from spinekg.cases.records import generate_records, records_to_ntriples

    graph = Graph().parse(data=records_to_ntriples(generate_records(records, seed=seed, defect_rate=0.3)), format="nt")
    for path in sorted((Path(__file__).parent / "bad_inputs").glob("*.ttl")):
        if skip(path):
            continue
        try:
            extra = input.read_data([path])
        except Exception:
            continue  # unreadable on purpose
        if not input.is_extension(extra):
            graph += extra
    return graph
