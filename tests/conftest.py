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

# Reasoning with HermiT (every built-in profile, a user's profile file, a profile that must be rejected) is the
# suite's longest work and uses one core; the rest of the suite mostly uses one too. So when a test that needs
# such a result is collected, its job starts in one background process (a lane: jobs run one after another),
# and the tests that read the results run last. Each fixture below names the jobs it waits for.
_BACKGROUND: dict = {}  # type: ignore[type-arg]
BACKGROUND_FIXTURES = ("fresh_overlays", "rejected_site_rule", "user_profile_built")


@pytest.hookimpl(trylast=True)  # after -k/-m deselection: start only what the selected tests need
def pytest_collection_modifyitems(session, config, items):  # type: ignore[no-untyped-def]
    wanted = [item for item in items if set(getattr(item, "fixturenames", ())) & set(BACKGROUND_FIXTURES)]
    if wanted and shutil.which("java") is not None and not config.option.collectonly:
        for fixture in BACKGROUND_FIXTURES:
            if any(fixture in item.fixturenames for item in wanted):
                background_jobs(fixture)
        items[:] = [item for item in items if item not in wanted] + wanted


def _lane():  # type: ignore[no-untyped-def]
    if "pool" not in _BACKGROUND:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _BACKGROUND["pool"] = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _BACKGROUND["pool"]


def _scratch() -> Path:
    """A directory for the background jobs' files (the tmp_path fixtures do not exist yet at collection)."""
    if "scratch" not in _BACKGROUND:
        import tempfile

        _BACKGROUND["scratch"] = Path(tempfile.mkdtemp(prefix="spinekg-background-"))
    return _BACKGROUND["scratch"]


def background_jobs(fixture: str) -> dict:  # type: ignore[type-arg]
    """The futures of one fixture's background jobs, submitted once per session."""
    if fixture not in _BACKGROUND:
        pool = _lane()
        if fixture == "fresh_overlays":
            from spinekg.answer.profiles import builtin_names
            from spinekg.build.profile_overlays import _build_builtin

            _BACKGROUND[fixture] = {name: pool.submit(_build_builtin, name) for name in builtin_names()}
        elif fixture == "rejected_site_rule":
            path = REPO / "tests" / "extensions" / "mislabelled-rule-profile.ttl"
            _BACKGROUND[fixture] = {"outcome": pool.submit(_profile_outcome, str(path))}
        elif fixture == "user_profile_built":
            import os

            directory = _scratch() / "user-profile"
            (directory / "cache").mkdir(parents=True)
            mine = directory / "our-hospital.ttl"
            mine.write_text((REPO / "ontology" / "profiles" / "thoracolumbar.ttl").read_text().replace(
                'rdfs:label "thoracolumbar"@en', 'rdfs:label "our-hospital"@en'))
            env = dict(os.environ, SPINEKG_CACHE_DIR=str(directory / "cache"))
            _BACKGROUND[fixture] = {"profile": mine, "env": env,
                                    "run": pool.submit(_run_cli_in, ["build", "--profile", str(mine)], env)}
    return _BACKGROUND[fixture]


def _profile_outcome(path: str) -> tuple[int, str] | None:
    """Reason a profile file: None if it builds, else the error's (exit code, message)."""
    from spinekg import SpinekgError
    from spinekg.answer.profiles import resolve
    from spinekg.build.profile_overlays import build_overlay

    try:
        build_overlay(resolve(Path(path)))
    except SpinekgError as exc:
        return exc.exit_code, exc.message
    return None


def _run_cli_in(args: list[str], env: dict) -> tuple[int, str, str]:  # type: ignore[type-arg]
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "spinekg.cli", *args], capture_output=True, text=True, env=env,
                          timeout=900)
    return proc.returncode, proc.stdout, proc.stderr


def background_overlays() -> dict:  # type: ignore[type-arg]
    """Futures of every built-in profile's overlay JSON, reasoned by HermiT in the background lane."""
    return background_jobs("fresh_overlays")


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    pool = _BACKGROUND.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
    scratch = _BACKGROUND.pop("scratch", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


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
