"""Why is a term (not) back / spine surgery? The reasoner's own justification, as a chain of axioms.

The runtime explanation of ``classify`` is composed from closures (Java-free). This module asks a
reasoner for the *justification*: the minimal set of ontology axioms that entails the answer. It runs
Pellet's ``explain`` from the jars bundled in the installed owlready2 wheel (never copied into this
project) on the merged ontology, which needs Java and takes about two seconds per question.

A phrase with levels ("L4-L5 microdiscectomy") is explained through a probe class: the procedure with
exactly those sites (∃hasSite.S for each, and ∀hasSite over them and their parts), the same closed
reading the runtime composer and the profile verification use.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EXIT_ENVIRONMENT, EXIT_FINDINGS, SpinekgError
from ..namespaces import PART_OF, SPINEKG

PROBE = "ExplainedCase"
PELLET_TIMEOUT = 300
RELATION_NAMES = {PART_OF.rsplit("/", 1)[1]: "part of", "BFO_0000051": "has part"}


@dataclass
class Justification:
    """One minimal set of axioms (Pellet's Manchester-like text, one string per axiom)."""

    axioms: list[str] = field(default_factory=list)


@dataclass
class Answer:
    """The explanation of one question: does ``subject`` fall under ``kind`` (SpineSurgery/BackSurgery)?"""

    kind: str
    answer: str  # yes / no / depends, as entailed
    target: str | None  # the class whose subsumption is justified (BackSurgery or NotBackSurgery), None for depends
    justification: Justification | None


# ---- running Pellet -----------------------------------------------------------------------------

def pellet_classpath() -> str:
    """The classpath of owlready2's bundled Pellet (``<owlready2>/pellet/*``)."""
    import owlready2

    folder = Path(owlready2.__file__).resolve().parent / "pellet"
    if not any(folder.glob("pellet-*.jar")):
        raise SpinekgError(f"{folder}: owlready2's bundled Pellet jars are missing", EXIT_ENVIRONMENT)
    return str(folder / "*")


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise SpinekgError("explanations come from the Pellet reasoner, which needs Java, and no 'java' is on PATH "
                           "(install a JRE 11+); 'spinekg classify' explains without Java", EXIT_ENVIRONMENT)
    return java


def _pellet_command(owl: Path, mode: list[str], method: str) -> list[str]:
    return [_java(), "-Xmx2g", "-cp", pellet_classpath(), "pellet.Pellet", "explain", "-m", method, *mode, str(owl)]


def run_pellet(owl: Path, modes: list[list[str]]) -> list[str]:
    """Run one Pellet explain per mode, in parallel; return each stdout. Falls back from the fast
    glass-box method to black-box when Pellet's glass-box pruning crashes (it does on some unions)."""
    procs = [subprocess.Popen(_pellet_command(owl, mode, "glass"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for mode in modes]
    outputs = []
    for mode, proc in zip(modes, procs):
        try:
            out, err = proc.communicate(timeout=PELLET_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise SpinekgError(f"Pellet explain {' '.join(mode)} took longer than {PELLET_TIMEOUT} s", EXIT_ENVIRONMENT) from None
        if proc.returncode != 0 or "Exception in thread" in err:
            retry = subprocess.run(_pellet_command(owl, mode, "black"), capture_output=True, text=True,
                                   timeout=PELLET_TIMEOUT)
            if retry.returncode != 0 or "Exception in thread" in retry.stderr:
                detail = " ".join(retry.stderr.split())[:300]
                raise SpinekgError(f"Pellet explain {' '.join(mode)} failed: {detail}", EXIT_ENVIRONMENT)
            out = retry.stdout
        outputs.append(out)
    return outputs


def parse_explanations(text: str) -> list[Justification] | None:
    """Pellet's explain output → justifications; None when it says the axiom is not entailed."""
    if "NOT ENTAILED" in text:
        return None
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Explanation")), None)
    if start is None:
        return []
    found: list[Justification] = []
    indent = 0
    for line in lines[start + 1:]:
        if not line.strip():
            continue
        match = re.match(r"^(\d+\))(\s+)(.*)$", line)
        if match:
            found.append(Justification())
            indent = len(match.group(1)) + len(match.group(2))
            found[-1].axioms.append(match.group(3).strip())
            continue
        if not found:
            continue
        body = line[indent:] if len(line) - len(line.lstrip()) <= indent else None
        if body is not None and not body.startswith(" "):
            found[-1].axioms.append(line.strip())
        else:
            found[-1].axioms[-1] += " " + line.strip()
    return found


# ---- rendering ----------------------------------------------------------------------------------

def order_as_chain(axioms: list[str], start: str) -> list[str]:
    """Order a justification so it reads from ``start`` outwards: axioms about the start first, then
    those about the classes they mention, breadth first; the rest (transitivity, ...) last."""
    def subject(axiom: str) -> str:
        return axiom.split(" ", 1)[0]

    ordered: list[str] = []
    seen = {start}
    queue = deque([start])
    remaining = list(axioms)
    while queue:
        name = queue.popleft()
        for axiom in [a for a in remaining if subject(a) == name]:
            remaining.remove(axiom)
            ordered.append(axiom)
            for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", axiom):
                if token not in seen:
                    seen.add(token)
                    queue.append(token)
    # axioms whose subject is not reachable from the start (e.g. 'X disjointWith Y' on the way back)
    progress = True
    while remaining and progress:
        progress = False
        for axiom in list(remaining):
            if any(token in seen for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", axiom)) and not axiom.startswith("Transitive"):
                remaining.remove(axiom)
                ordered.append(axiom)
                seen.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", axiom))
                progress = True
    return ordered + sorted(remaining)


def readable(axiom: str, labels: dict[str, str]) -> str:
    """Replace local names by 'labels' and relation IRIs by their names."""
    def swap(match: re.Match) -> str:
        token = match.group(0)
        if token in RELATION_NAMES:
            return f"'{RELATION_NAMES[token]}'"
        if token in labels:
            return f"'{labels[token]}'"
        return token

    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", swap, axiom)


# ---- the question -------------------------------------------------------------------------------

def _labels(graph) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from rdflib import Literal
    from rdflib.namespace import RDFS

    labels = {}
    for subject, label in graph.subject_objects(RDFS.label):
        if str(subject).startswith(SPINEKG) and isinstance(label, Literal):
            labels.setdefault(str(subject)[len(SPINEKG):], str(label))
    labels[PROBE] = "the case"
    return labels


def add_case_probe(graph, procedure: str, sites: list[str]) -> None:  # type: ignore[no-untyped-def]
    """The explained case: ``procedure`` done at ``sites`` and nowhere else."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from .profile_overlays import _add_probes

    _add_probes(graph, [(procedure, sites)], names=[PROBE])
    graph.add((URIRef(SPINEKG + PROBE), RDFS.label, Literal("the case")))


@dataclass
class Explanation:
    query: str
    subject: str  # local name of the explained class (a term or the probe)
    described: str
    profile: str
    answers: list[Answer]

    def to_dict(self, labels: dict[str, str]) -> dict:
        return {"input": self.query, "read_as": self.described, "profile": self.profile,
                "answers": [{"question": a.kind, "answer": a.answer, "entailed": a.target,
                             "axioms": [readable(x, labels) for x in (a.justification.axioms if a.justification else [])]}
                            for a in self.answers]}


def explain(query: str, profile: str | None = None) -> tuple[Explanation, dict[str, str]]:
    """Explain why ``query`` is or is not spine surgery and back surgery (needs Java)."""
    from ..answer.composers import composer
    from .ontology import load_ontology
    from .profile_overlays import apply_profile, prepare_profile
    from ..answer.profiles import is_default, resolve
    from ..answer.reading import read

    _java()
    prepare_profile(profile)
    comp = composer(None, profile)
    reading = read(query, comp.index)
    verdict = comp.verdict(query, reading)
    graph = load_ontology()
    if not is_default(profile):
        graph = apply_profile(graph, resolve(profile))
    subject = reading.procedure
    if reading.sites:
        add_case_probe(graph, reading.procedure, reading.sites)
        subject = PROBE
    described = verdict.explanation[0].removeprefix("read as: ") if verdict.explanation else reading.procedure
    questions = [("SpineSurgery", verdict.spine_surgery), ("BackSurgery", verdict.back_surgery)]
    targets = [(kind, answer, kind if answer == "yes" else f"Not{kind}" if answer == "no" else None)
               for kind, answer in questions]
    labels = _labels(graph)
    with tempfile.TemporaryDirectory(prefix="spinekg-explain-") as tmp:
        owl = Path(tmp) / "spinekg.owl"
        graph.serialize(owl, format="xml")
        modes = [["--subclass", f"{SPINEKG}{subject},{SPINEKG}{target}"] for _, _, target in targets if target]
        outputs = iter(run_pellet(owl, modes)) if modes else iter(())
        answers = []
        for kind, answer, target in targets:
            if target is None:
                answers.append(Answer(kind, answer, None, None))
                continue
            found = parse_explanations(next(outputs))
            if not found:
                raise SpinekgError(f"Pellet does not entail {subject} ⊑ {target}, but the runtime index says "
                                   f"{kind} = {answer}: rebuild with 'spinekg build'", EXIT_FINDINGS)
            answers.append(Answer(kind, answer, target, Justification(order_as_chain(found[0].axioms, subject))))
    return Explanation(query, subject, described, str(profile or "seed"), answers), labels


QUESTION_NAMES = {"SpineSurgery": "spine surgery", "BackSurgery": "back surgery"}


def render_text(explanation: Explanation, labels: dict[str, str]) -> str:
    lines = [explanation.query, f"  read as: {explanation.described}", f"  profile: {explanation.profile}"]
    for answer in explanation.answers:
        name = QUESTION_NAMES[answer.kind]
        if answer.justification is None:
            lines.append(f"  {name}: depends — neither '{name}' nor its complement is entailed, so no axioms "
                         f"prove an answer (give a level, or see 'spinekg classify' for what is missing)")
            continue
        target = labels.get(answer.target or "", answer.target)
        lines.append(f"  {name}: {answer.answer} — HermiT/Pellet entail: {labels.get(explanation.subject, explanation.subject)} "
                     f"⊑ '{target}', because ({len(answer.justification.axioms)} axioms):")
        lines.extend(f"    {i}. {readable(axiom, labels)}" for i, axiom in enumerate(answer.justification.axioms, 1))
    return "\n".join(lines)
