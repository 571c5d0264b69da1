"""Bounded resources: each hostile size ends in exit 2 with one line naming the limit, in a bounded time
and memory (the command's own peak RSS, through a small launcher), never an OOM kill, a crash or a hang; --limit raises a
limit. Also: writers never replace devices or FIFOs and never overwrite an input."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RSS_BOUND_MB = 1200  # documented in the README (Security)
NT = '<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "{}"'
XML = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{}]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description rdf:about="http://example.org/x"><rdf:value>{}</rdf:value></rdf:Description></rdf:RDF>\n')


# The peak RSS of the command alone. A process forked from this (large) test process and exec'd inherits this
# process's high-water mark into its own ru_maxrss (Linux keeps the pre-exec mm's peak), so the command runs as the
# child of a small launcher, which reports its child's peak (RUSAGE_CHILDREN) and dies the way the child died.
LAUNCHER = """import os, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)
if done.returncode < 0:
    os.kill(os.getpid(), -done.returncode)
sys.exit(done.returncode)
"""


def run(*argv: str, timeout: float = 60) -> tuple[int, str, float, float]:
    """(exit code, stderr, seconds, peak RSS in MB) of one spinekg process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, sys.executable, "-m", "spinekg.cli", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    out, err = proc.communicate()
    timer.cancel()
    peak_kb = int(out.split()[-1]) if out.split() else 0  # none if the launcher itself was killed
    return proc.returncode, err.decode(), time.monotonic() - start, peak_kb / 1024


def hostile_files(d: Path) -> dict[str, tuple[Path, str]]:
    laughs = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10 if i else "lol"}">' for i in range(10))
    files = {
        "billion-laughs.owl": (XML.format(laughs, "&l9;"), "refers to another entity"),
        "quadratic-blowup.owl": (XML.format('<!ENTITY a "%s">' % ("x" * 1000), "&a;" * 200_000), "xml-entities"),
        "deep.jsonld": ('{"@id": "http://example.org/x", "http://example.org/p": ' + "[" * 200_000 + "]" * 200_000 + "}",
                        "depth"),
        "long-literal.nt": (NT.format("x" * 50_000_000) + " .", "literal-bytes"),  # no final newline
        "long-list.ttl": ("<http://example.org/x> <http://example.org/p> (" + " 1" * 1_000_000 + " ) .\n", "list-items"),
        "long-literal.ttl": ('<http://example.org/x> <http://example.org/p> """' + "y\n" * 2_000_000 + '""" .\n',
                             "literal-bytes"),
    }
    out = {}
    for name, (text, limit) in files.items():
        (d / name).write_text(text, encoding="utf-8")
        out[name] = (d / name, limit)
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):  # type: ignore[no-untyped-def]
    return hostile_files(tmp_path_factory.mktemp("sizes"))


@pytest.mark.parametrize("name", ["billion-laughs.owl", "quadratic-blowup.owl", "deep.jsonld", "long-literal.nt",
                                  "long-list.ttl", "long-literal.ttl"])
def test_hostile_size_is_refused_naming_the_limit(files, name):
    path, limit = files[name]
    code, err, seconds, rss = run("validate", str(path))
    print(f"\n{name}: exit {code} in {seconds:.1f} s, peak RSS {rss:.0f} MB: {err.strip()[:120]}")
    assert code == 2 and err.count("\n") == 1 and limit in err and str(path) in err, err
    assert rss < RSS_BOUND_MB and seconds < 30


def test_a_limit_can_be_raised(tmp_path):
    path = tmp_path / "big-label.nt"
    path.write_text(NT.format("z" * 1_500_000) + " .\n", encoding="utf-8")
    code, err, _, _ = run("query", "36", "--data", str(path))
    assert code == 2 and "literal-bytes limit of 1000000" in err and "--limit literal-bytes=N" in err
    code, err, _, _ = run("--limit", "literal-bytes=2000000", "query", "36", "--data", str(path))
    assert code == 0, err


def test_wide_csv_header_and_endless_code_list(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n1\n", encoding="utf-8")
    code, err, seconds, rss = run("classify-file", str(wide), "--column", "c1", "--out", str(tmp_path / "o.csv"))
    assert code == 2 and "columns limit" in err and rss < RSS_BOUND_MB, err
    code, err, seconds, rss = run("crosswalk", "--system", "icd10pcs", "--codes", "/dev/zero", "--out", str(tmp_path / "x.csv"))
    assert code == 2 and "not a regular file" in err and seconds < 30, err
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "x.csv").exists()


def test_a_runaway_query_file_is_stopped(tmp_path):
    rq = tmp_path / "cartesian.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8")
    code, err, seconds, rss = run("--limit", "query-seconds=2", "query", str(rq))
    assert code == 2 and "query-seconds limit" in err and seconds < 15, err


def test_output_equal_to_input_is_refused(tmp_path):
    data = tmp_path / "same.csv"
    data.write_text("code\n0SG00A0\n", encoding="utf-8")
    os.symlink(data, tmp_path / "link.csv")
    for out in (data, tmp_path / "link.csv"):
        code, err, _, _ = run("classify-file", str(data), "--column", "code", "--out", str(out))
        assert code == 2 and "is the input file" in err, err
    assert data.read_text(encoding="utf-8") == "code\n0SG00A0\n"


def test_writers_keep_devices_and_fifos(tmp_path):
    from spinekg.files import write_atomically

    write_atomically(Path("/dev/null"), "nothing\n")
    assert Path("/dev/null").is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    write_atomically(fifo, "through the pipe\n")
    reader.join(10)
    assert got == ["through the pipe\n"] and fifo.is_fifo()


def test_stale_temp_files_of_dead_writers_are_cleaned(tmp_path):
    from spinekg.files import write_atomically

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".out.ttl.{dead.stdout.strip()}.abc123.tmp"
    stale.write_text("half", encoding="utf-8")
    alive = tmp_path / f".out.ttl.{os.getpid()}.def456.tmp"
    alive.write_text("in progress", encoding="utf-8")
    write_atomically(tmp_path / "out.ttl", "done\n")
    assert not stale.exists() and alive.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, "out.ttl"])
