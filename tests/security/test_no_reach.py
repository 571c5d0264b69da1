"""No file handed to spinekg makes it open a connection or read another file.

Every command that reads a file runs over every hostile file (JSON-LD remote, file: and relative
contexts, @import, scoped contexts; RDF/XML external entities, external DTDs, parameter entities;
owl:imports of http:/file: IRIs in Turtle, RDF/XML, N-Triples and JSON-LD; SERVICE and FROM in query
files) in ONE process traced by strace (-f: forked query processes and Java too), while a canary
listener on 127.0.0.1 counts connections. Witnesses: (1) strace shows no connect() to an inet address
and no open of the canary file, (2) an audit hook (sys.addaudithook) in the process saw neither,
(3) the listener accepted nothing. Each run ends with a documented exit code and one stderr line."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .hostile import reaching_files, reaching_queries

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STRACE = shutil.which("strace")


def _strace_works() -> bool:
    if not STRACE:
        return False
    probe = subprocess.run([STRACE, "-f", "-qq", "-e", "trace=openat", "-o", os.devnull, "true"], capture_output=True)
    return probe.returncode == 0


def _commands(directory: Path, canary) -> list[list[str]]:  # type: ignore[no-untyped-def]
    commands = []
    out = directory / "out"
    out.mkdir()
    for name, text in reaching_files(directory, canary.port, canary.file).items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        commands += [["validate", str(path)], ["infer", str(path), "--out", str(out / "x.ttl")],
                     ["query", "36", "--data", str(path)],
                     ["load", "--store", str(out / f"store-{name}"), str(path)],
                     ["classify", "acdf c5-c6", "--profile", str(path)], ["check", "--no-reason", str(path)]]
    for name, text in reaching_queries(canary.port, canary.file).items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        commands += [["query", str(path)], ["query", str(path), "--engine", "rdflib"]]
    return commands


@pytest.fixture(scope="module")
def traced(canary, tmp_path_factory):  # type: ignore[no-untyped-def]
    directory = tmp_path_factory.mktemp("hostile")
    commands = _commands(directory, canary)
    (directory / "commands.json").write_text(json.dumps(commands))
    results = directory / "results.json"
    driver = [sys.executable, str(HERE / "driver.py"), str(directory / "commands.json"), str(results), str(canary.file)]
    trace = directory / "strace.log"
    prefix = [STRACE, "-f", "-qq", "-e", "trace=open,openat,openat2,connect", "-o", str(trace)] if _strace_works() else []
    env = dict(os.environ, PYTHONPATH=str(ROOT), SPINEKG_LIMITS="query-seconds=20")
    proc = subprocess.run(prefix + driver, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(results.read_text()), (trace.read_text() if prefix else None)


def test_strace_is_used_when_available(traced):
    if STRACE:
        assert traced[1] is not None, "strace is installed but could not trace (ptrace refused?)"


def test_no_connection_reached_the_canary_listener(traced, canary):
    assert canary.connections == []


def test_strace_saw_no_inet_connect_and_no_canary_open(traced, canary):
    trace = traced[1]
    if trace is None:
        pytest.skip("strace unavailable: the audit hook and the listener are the witnesses")
    assert "marker-0" in trace  # the trace covers the runs
    connects = [line for line in trace.splitlines() if "connect(" in line and re.search(r"AF_INET6?\b", line)]
    assert connects == []
    opens = [line for line in trace.splitlines() if canary.file.name in line]
    assert opens == []


def test_audit_hook_saw_no_open_and_no_connect(traced):
    seen = [(r["argv"], r["seen"]) for r in traced[0] if r["seen"]]
    assert seen == []


def test_every_run_ends_in_a_documented_exit_code_and_one_line(traced):
    for result in traced[0]:
        assert result["code"] in (0, 1, 2), result
        assert "Traceback" not in result["stderr"], result
        if result["code"] == 2:
            assert result["stderr"].count("\n") == 1 and result["stderr"].startswith("spinekg: error: "), result


def test_hostile_references_are_refused_by_name(traced, canary):
    by_file: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for result in traced[0]:
        name = next((Path(a).name for a in result["argv"] if Path(a).suffix in (".jsonld", ".owl", ".ttl", ".nt", ".rq")), None)
        by_file.setdefault(name, []).append(result)
    for name in ["ctx-http.jsonld", "ctx-file.jsonld", "ctx-list.jsonld", "ctx-scoped.jsonld", "ctx-nested-node.jsonld",
                 "ctx-relative.jsonld"]:
        assert all(r["code"] == 2 and "@context" in r["stderr"] for r in by_file[name]), by_file[name]
    assert all("@import" in r["stderr"] for r in by_file["ctx-import.jsonld"])
    for name in ["xxe-file.owl", "xxe-http.owl"]:
        assert all("external entity" in r["stderr"] for r in by_file[name])
    for name in ["imports-http.owl", "imports-http.ttl", "imports-file.ttl", "imports-http.nt", "imports-http.jsonld"]:
        assert all(r["code"] == 2 and "owl:imports" in r["stderr"] for r in by_file[name]), by_file[name]
    for name in ["service-http.rq", "service-file.rq", "service-escaped.rq", "service-silent.rq", "service-var.rq"]:
        assert all(r["code"] == 2 and "SERVICE" in r["stderr"] for r in by_file[name])
    assert all(r["code"] == 0 for r in by_file["from-file.rq"])  # FROM names a graph; nothing is loaded
