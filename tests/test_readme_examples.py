"""Every command the README's guide prints runs as printed, in a fresh process, in a scratch directory
holding the files the examples name (claims.csv, my-cases.ttl, my.rq, ...). Where an example's comment
states the answer ("spine yes, back no", "back surgery: yes"), the output must say exactly that.

Examples that need what a unit test cannot start for a few seconds (a Graph Store server, a server
that runs until Ctrl-C, a full HermiT build, a half-minute HermiT run of an extension) are each run by
the test named in ``COVERED_ELSEWHERE``; this file checks that those tests still exist.
"""
from __future__ import annotations

import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"

# example prefix -> (test file, test function) that runs the same command
COVERED_ELSEWHERE = {
    "spinekg build": ("tests/answer/test_profiles.py", "test_user_profile_file_build_then_java_free_classify"),
    "spinekg load --endpoint": ("tests/stores/test_stores.py", "test_every_competency_question_over_the_sparql_protocol"),
    "spinekg serve": ("tests/views/test_web_browser.py", "test_ask_read_the_verdict_and_follow_a_term"),
    "spinekg classify \"interspinous spacer insertion L4-L5\" --extension": (
        "tests/build/test_extension_overlays.py", "test_reasoned_once_cached_then_used_by_every_command"),
}


def guide_examples() -> list[str]:
    """Command lines of the README's ``text`` blocks that run spinekg (or prepare its input)."""
    text = README.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```text\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.strip()
            if re.match(r"(\w+=\S+ )*spinekg |cp |python3 -m pip install '\.\[docs\]' && spinekg ", line):
                lines.append(line)
    return lines


def covered_elsewhere(line: str) -> tuple[str, str] | None:
    return next((test for prefix, test in COVERED_ELSEWHERE.items() if line.startswith(prefix)), None)


EXAMPLES = [line for line in guide_examples() if covered_elsewhere(line) is None]


def test_the_guide_has_its_examples():
    assert len(EXAMPLES) >= 35
    assert len([line for line in EXAMPLES if stated_answers(line)]) >= 5  # answers checked, not just exit codes
    assert sorted({covered_elsewhere(line) for line in guide_examples()} - {None}) == sorted(set(COVERED_ELSEWHERE.values()))


@pytest.mark.parametrize("test", sorted(set(COVERED_ELSEWHERE.values())), ids=lambda t: t[1])
def test_examples_run_elsewhere_are_still_run_there(test):
    path, function = test
    assert f"def {function}(" in (REPO / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A directory with the files the examples name, and the store 'spinekg load --store ./store' makes."""
    here = tmp_path_factory.mktemp("readme")
    claims = "id,pcs\n1,0SG00A0\n2,0RG10A0\n3,0SRC0J9\n4,\n"
    (here / "claims.csv").write_text(claims, encoding="utf-8")
    (here / "claims.csv.gz").write_bytes(gzip.compress(claims.encode("utf-8"), mtime=0))
    cases = REPO / "data" / "examples" / "cases.ttl"
    (here / "data" / "examples").mkdir(parents=True)
    for name in ("cases.ttl", "my-cases.ttl", "data/examples/cases.ttl"):
        shutil.copyfile(cases, here / name)
    from rdflib import Graph

    Graph().parse(cases).serialize(here / "big.nt", format="nt", encoding="utf-8")
    (here / "my.rq").write_text("PREFIX spinekg: <https://w3id.org/spinekg/>\nSELECT ?case WHERE { ?case "
                                "spinekg:backSurgeryVerdict \"yes\" } ORDER BY ?case\n", encoding="utf-8")
    (here / "docs").mkdir()
    shutil.copytree(REPO / "ontology" / "extensions", here / "ontology" / "extensions")
    return here


def run(line: str, cwd: Path) -> subprocess.CompletedProcess:
    words = shlex.split(line, comments=True)
    if words[:2] == ["python3", "-m"]:  # the docs extra is a test extra: run the spinekg half of the line
        words = words[words.index("&&") + 1:]
    env = dict(os.environ)
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if words[0] == "cp":
        shutil.copyfile(cwd / words[1], cwd / words[2])
        return subprocess.CompletedProcess(words, 0, "", "")
    assert words[0] == "spinekg"
    return subprocess.run([sys.executable, "-m", "spinekg.cli", *words[1:]], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def stated_answers(line: str) -> dict[str, str]:
    """The answers an example's comment states: 'spine yes, back no', 'back surgery: yes'."""
    comment = line.partition("#")[2]
    found = {}
    both = re.search(r"spine (yes|no|depends), back (yes|no|depends)", comment)
    if both:
        found = {"spine surgery": both.group(1), "back surgery": both.group(2)}
    back = re.search(r"back surgery: (yes|no|depends)", comment)
    if back:
        found["back surgery"] = back.group(1)
    return found


@pytest.mark.parametrize("line", sorted(EXAMPLES, key=lambda line: not line.startswith("spinekg load")), ids=lambda line: line[:70])
def test_guide_example_runs_as_printed(line, scratch):
    done = run(line, scratch)
    assert done.returncode == 0, (line, done.stdout[-500:], done.stderr[-500:])
    assert "Traceback" not in done.stderr
    for name, answer in stated_answers(line).items():
        assert re.search(rf"^  {name}:\s+{answer}$", done.stdout, re.M), (line, done.stdout)
