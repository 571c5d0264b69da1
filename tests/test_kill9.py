"""kill -9 at any moment of a writing command leaves the output either absent or complete, never half-written."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import needs_java


def _killed_at(args: list[str], delay: float) -> int | None:
    """kill -9 ``spinekg ARGS`` and every process it started (its process group) after ``delay`` seconds."""
    import os

    proc = subprocess.Popen([sys.executable, "-m", "spinekg.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    return proc.wait(timeout=60)


@pytest.mark.parametrize("command", ["classify-file", "infer"])
def test_output_is_absent_or_whole_after_kill_9(tmp_path, command):
    if command == "classify-file":
        source = tmp_path / "in.csv"
        source.write_text("code\n" + "0SG00A0\n009U3ZX\nbad\n" * 200_000, encoding="utf-8")
        args = ["classify-file", str(source), "--column", "code", "--out"]
        name = "out.csv"
    else:
        from spinekg.cases.records import write_cases

        source = write_cases(tmp_path / "cases.nt", 3000, seed=5)
        args = ["infer", str(source), "--out"]
        name = "out.nt"
    reference = tmp_path / f"reference-{name}"
    assert subprocess.run([sys.executable, "-m", "spinekg.cli", *args, str(reference)], capture_output=True,
                          timeout=600).returncode == 0
    whole = reference.read_bytes()
    for number, delay in enumerate((0.3, 0.8, 1.5, 2.5, 4.0)):
        out = tmp_path / f"{number}-{name}"
        _killed_at([*args, str(out)], delay)
        assert not out.exists() or out.read_bytes() == whole, (command, delay)


def test_a_store_killed_mid_load_stays_readable_and_a_reload_repairs_it(tmp_path):
    from spinekg.cases.records import write_cases
    from spinekg.stores import embedded

    cases = write_cases(tmp_path / "cases.nt", 20000, seed=7)
    store = tmp_path / "store"
    args = ["load", "--store", str(store), str(cases)]
    for delay in (1.0, 2.5, 4.0):
        _killed_at(args, delay)
        if store.exists():
            engine = embedded.store_engine(store)  # opens, and answers a query
            assert engine.query("ASK { ?s ?p ?o }").boolean in (True, False)
            del engine
    done = subprocess.run([sys.executable, "-m", "spinekg.cli", *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "count matches" in done.stderr


def _whole_or_absent(out, shipped) -> list[str]:  # type: ignore[no-untyped-def]
    """Files under ``out`` that differ from the shipped (complete, committed) build; a killed writer's
    temp files (``.NAME.PID.XXXX.tmp``) are not outputs and are removed by the next write."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.is_file() and not p.name.endswith(".tmp") and p.read_bytes() != (shipped / p.relative_to(out)).read_bytes())


def _killed_after(args: list[str], line: str, delay: float) -> list[str]:
    """Run ``spinekg ARGS`` in its own process group, wait for a status line starting with ``line``, then
    kill -9 the whole group ``delay`` seconds later (the build runs in a child process); its stderr so far."""
    import os

    proc = subprocess.Popen([sys.executable, "-m", "spinekg.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen = []
    for status in proc.stderr:  # type: ignore[union-attr]
        seen.append(status)
        if status.startswith(line):
            break
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return seen


@needs_java
def test_build_killed_while_writing_leaves_only_whole_files(tmp_path, repo):
    """kill -9 during the release writers: every file the build has written so far equals the committed
    build (a build is deterministic), none is half-written."""
    out = tmp_path / "out"
    seen = _killed_after(["build", "--source", str(repo), "--out", str(out), "--no-generate"],
                         "spinekg: build: write the release set", 1.5)
    assert any("write the release set" in s for s in seen), seen
    assert (out / "runtime-index.json").is_file()  # written before the release step began
    assert _whole_or_absent(out, repo / "spinekg" / "data") == []


def test_lexicon_build_killed_at_any_moment_leaves_it_absent_or_whole(tmp_path, repo):
    out = tmp_path / "out"
    shutil.copyfile(repo / "spinekg" / "data" / "runtime-index.json", (out.mkdir() or out) / "runtime-index.json")
    for delay in (0.5, 1.5, 3.0):
        _killed_at(["build", "--lexicon", "--source", str(repo), "--out", str(out)], delay)
        assert _whole_or_absent(out, repo / "spinekg" / "data") == [], delay
