"""kill -9 at any moment of a writing command leaves the output either absent or complete, never half-written."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest



def _killed_at(args: list[str], delay: float) -> int | None:
    proc = subprocess.Popen([sys.executable, "-m", "spinekg.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
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
