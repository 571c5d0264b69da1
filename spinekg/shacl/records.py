"""Validating case records record by record: in batches, in forked worker processes when it pays.

One engine run over 100k records costs more than linear time and memory (pySHACL and pyshacl-turbo
alike). Records are independent under the case shapes (every path starts at a record's own nodes and ends
in the ontology), so the data is split into its connected parts -- a case with its procedure and sites --
and parts are validated in batches, each with the ontology triples the shapes read, in worker processes
when there are several CPUs. Findings are sorted as before, so the report does not depend on batches or
workers: the same report as one run over everything.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ..errors import EXIT_ENVIRONMENT, SpinekgError
from ..namespaces import SPINEKG
from .restrictions import HAS_APPROACH_KEY, HAS_PROCEDURE_KEY, HAS_SITE_KEY, LEVEL_TEXT_KEY, SPINEKG_KEY, _local, restriction_problems  # noqa: F401 (whole, tests)
from ..collector import collector_paused
from .case_data import TYPE_KEY, CaseData, keys_graph, quiet_terms, term_key
from .case_ontology import _case_ontology, _case_ontology_text, _shape_predicates  # noqa: F401 (tests, benchmarks)
from .checks import APPROACH_TEMPLATE, LEVEL_TEMPLATE, SITE_TEMPLATE, approach_ancestors, approach_groups, level_text_findings
from .engine import engine_module, record_engine, run_pyshacl
from .report import Finding, Report, add_python_results, closure, finding_order, index_labels, normalise, result_finding
from .shapes import CASE_SHAPE_FILES, HAS_APPROACH, HAS_SITE, LEVEL_TEXT, load_shapes

BATCH_TRIPLES = 20_000  # triples per engine run: ~10 ms of fixed cost each; larger runs cost more per record
RUST_BATCH_TRIPLES = 150_000  # the Rust engine grows linearly: only enough batches to share among workers
PARALLEL_TRIPLES = 60_000  # below this, worker processes cost more than they save
MAX_JOBS = 8


def _record_parts(data: CaseData, shared: frozenset[str], linking: frozenset[str]) -> list[list[str]] | None:
    """The subjects of each connected part of the data (a record and all that hangs on it), in reading order.

    Two nodes join when a triple links them, unless the object is a literal or an ontology node (a class, an
    approach): their triples come with every batch. Objects of ``linking`` predicates (the targets of the
    procedure shape) always join, so a procedure written as a class IRI or a literal is a focus node once,
    with all its records. None
    when the data states something about an ontology node: any record could depend on it.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        top = node
        while (up := parent.get(top)) is not None:
            top = up
        while node != top:  # path compression
            parent[node], node = top, parent[node]
        return top

    with collector_paused():
        for s, pairs in data.subjects.items():
            if s in shared:
                return None
            for p, o in pairs:
                if p not in linking and (o[0] == '"' or o in shared):
                    continue
                a, b = root(s), root(o)
                if a != b:
                    parent[b] = a
        parts: dict[str, list[str]] = {}
        for s in data.subjects:
            top = root(s)
            part = parts.get(top)
            if part is None:
                parts[top] = part = []
            part.append(s)
    return list(parts.values())


@dataclass
class _Job:
    """What every batch needs; worker processes inherit it when they fork."""

    data: CaseData
    batches: list[list[list[str]]]  # batch -> parts -> subjects
    engine: str
    index: dict
    ontology: str
    shared: frozenset[str]
    linking: frozenset[str]


_JOB: _Job | None = None


def validate_records(data: CaseData, *, index: dict | None = None, engine: str = "auto", jobs: int | None = None,
                     batch_triples: int = BATCH_TRIPLES) -> Report:
    """Validate case records with the shipped case shapes, batch by batch (see the section comment)."""
    with quiet_terms():
        return _validate_records(data, index=index, engine=engine, jobs=jobs, batch_triples=batch_triples)


def _validate_records(data: CaseData, *, index: dict | None, engine: str, jobs: int | None,
                      batch_triples: int) -> Report:
    from ..answer.index import load_index

    index = index if index is not None else load_index()
    engine = record_engine(engine)  # an unknown or missing engine is an error before any work
    if engine == "rust" and batch_triples == BATCH_TRIPLES:
        from .whole import engine_text, validate_whole

        batch_triples = RUST_BATCH_TRIPLES  # (not BATCH_TRIPLES: the report graph below takes this path)
        run, data.run = data.run, None
        text = (run.text, data.start) if run is not None else engine_text(data)  # (a run starts on such text)
        report = None if text is None else validate_whole(*text, index, lambda: validate_records(
            data, index=index, engine=engine, jobs=jobs, batch_triples=batch_triples).graph, run)
        if report is not None:
            return report
        if data.reread is not None:  # the files' own text, refused: read them as before, for the same words
            # (text that passed the as-written check holds only terms N-Triples writes: read again, it is
            # N-Triples text again, never a graph)
            return validate_records(data.reread(), index=index, engine=engine, jobs=jobs)
    ontology, shared = _case_ontology_text()
    linking = frozenset(f"<{o}>" for o in load_shapes(CASE_SHAPE_FILES).objects(None, SH.targetObjectsOf))
    approach_groups(), approach_ancestors(), _shape_bnodes(), index_labels(id(index), index)  # before forks
    parts = _record_parts(data, shared, linking)
    if parts is None:
        batches = [[list(data.subjects)]]
    else:
        batches, batch, size = [], [], 0
        for part in parts:
            batch.append(part)
            size += sum(len(data.subjects[s]) for s in part)
            if size >= batch_triples:
                batches.append(batch)
                batch, size = [], 0
        if batch or not batches:
            batches.append(batch)
    job = _Job(data, batches, engine, index, ontology, shared, linking)
    workers = _workers(jobs, len(batches), len(data))
    results = _run_batches(job, workers)
    findings = sorted((f for found, _, _ in results for f in found), key=finding_order)
    return Report(not findings, findings, _merge_reports([(nodes, triples) for _, nodes, triples in results],
                                                         conforms=not findings))


def _merge_reports(batches: list[tuple[list, list[tuple]]], conforms: bool) -> Graph:
    """One sh:ValidationReport from the results of every batch, as one run would write it.

    What results point at besides themselves (a shape's blank nodes, a path list) is described by every
    batch, each engine run copying it anew: the first description is kept, the copies are dropped.
    """
    report = Graph()
    for prefix, namespace in load_shapes(CASE_SHAPE_FILES).namespaces():
        report.bind(prefix, namespace)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    report.add((root, SH.conforms, Literal(conforms)))
    described: set = set()
    outgoing: dict = {}
    for nodes, triples in batches:
        own = set(nodes)
        by_subject: dict = {}
        for triple in triples:
            by_subject.setdefault(triple[0], []).append(triple)
        for subject, found in by_subject.items():
            if subject in own or subject not in described:
                outgoing.setdefault(subject, []).extend(found)
        described.update(subject for subject in by_subject if subject not in own)
        for node in nodes:
            report.add((root, SH.result, node))
    stack, reached = [o for o in report.objects(root, SH.result)], set()
    while stack:  # keep what the results reach: the dropped copies hang from nothing
        node = stack.pop()
        if node in reached:
            continue
        reached.add(node)
        for triple in outgoing.get(node, ()):
            report.add(triple)
            if isinstance(triple[2], BNode) and triple[2] in outgoing:
                stack.append(triple[2])
    normalise(report)
    return report


def _workers(jobs: int | None, batches: int, triples: int) -> int:
    if jobs is None:
        if triples < PARALLEL_TRIPLES:
            return 1
        import os

        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:
            jobs = os.cpu_count() or 1
        jobs = min(jobs, MAX_JOBS)
    if jobs < 1:
        raise SpinekgError(f"--jobs must be at least 1 (got {jobs})")
    return max(1, min(jobs, batches))


def _run_batches(job: _Job, workers: int) -> list[tuple[list[Finding], list, list]]:
    """Batches in this process, or in ``workers`` forked processes (results in batch order either way)."""
    global _JOB
    if workers <= 1:
        return [_validate_batch(job, number) for number in range(len(job.batches))]
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: one process
        return [_validate_batch(job, number) for number in range(len(job.batches))]
    _JOB = job
    gc.freeze()  # the data is read, never freed, by the workers: keep their collectors off its pages
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_batch_in_worker, range(len(job.batches))))
    except BrokenProcessPool:
        raise SpinekgError("a validation worker process died (out of memory?); try --jobs 1 or fewer "
                           "records per file", EXIT_ENVIRONMENT) from None
    finally:
        _JOB = None
        gc.unfreeze()


def _batch_in_worker(number: int) -> tuple[list[Finding], list, list]:
    assert _JOB is not None
    with quiet_terms():
        return _validate_batch(_JOB, number)


def _validate_batch(job: _Job, number: int) -> tuple[list[Finding], list, list]:
    """One engine run and the Python-evaluated shapes over a batch of records: (findings, results, triples)."""
    from ..answer.composers import composer

    subjects = job.data.subjects
    batch = job.batches[number]
    comp = composer(job.index)
    triples = [(s, p, o) for part in batch for s in part for p, o in subjects[s]]

    # levels written as text: read them, and add the sites they name (as validate does)
    texts = [(s, o) for s, p, o in triples if p == LEVEL_TEXT_KEY]
    level_problems: list = []
    derived: dict[str, list[str]] = {}
    extra: list[tuple[str, str, str]] = []
    if texts:
        small = keys_graph([(s, LEVEL_TEXT_KEY, o) for s, o in texts] +
                            [(s, p, o) for s in {s for s, _ in texts} for p, o in subjects[s] if p == TYPE_KEY])
        small_nodes = set(small.all_nodes())
        level_problems, sites = level_text_findings(small, job.index)
        for triple in sites:  # new site nodes named after the batch: forked workers would name them alike
            extra.append(tuple(f"_:b{number}s{t}" if isinstance(t, BNode) and t not in small_nodes else term_key(t)
                               for t in triple))  # type: ignore[arg-type]
        for procedure, node in sites.subject_objects(HAS_SITE):
            derived.setdefault(term_key(procedure), []).extend(  # type: ignore[arg-type]
                str(t)[len(SPINEKG):] for t in sites.objects(node, RDF.type))

    def values(subject: str, predicate: str) -> list[str]:
        return [o for p, o in subjects.get(subject, ()) if p == predicate]

    site_problems, approach_problems = restriction_problems(
        comp, values, {o for _, p, o in triples if p == HAS_PROCEDURE_KEY},
        {s for s, p, _ in triples if p == HAS_APPROACH_KEY}, derived)

    report = _run_engine(job, triples + extra, number)
    add_python_results(report, level_problems, LEVEL_TEXT, "LevelNotation", LEVEL_TEMPLATE)
    add_python_results(report, site_problems, None, "SiteRestriction", SITE_TEMPLATE)
    add_python_results(report, approach_problems, HAS_APPROACH, "ApproachRestriction", APPROACH_TEMPLATE)
    results = list(report.objects(None, SH.result))
    if not results:
        return [], [], []

    # the records the results are about, as rdflib graphs (the report reads labels and types from them)
    part_of: dict[str, int] = {}
    for i, part in enumerate(batch):
        for s in part:
            part_of[s] = i
            for p, o in subjects[s]:
                if p in job.linking or (o[0] != '"' and o not in job.shared):
                    part_of.setdefault(o, i)
    kept, wanted = [], set()
    for result in results:
        focus = term_key(report.value(result, SH.focusNode))
        if focus in part_of:
            wanted.add(part_of[focus])
        elif number != 0:
            continue  # a result about an ontology node: every batch finds it, the first reports it
        kept.append(result)
    data = keys_graph((s, p, o) for i in sorted(wanted) for s in batch[i] for p, o in subjects[s])
    labels = dict(index_labels(id(job.index), job.index))
    for subject, label in data.subject_objects(RDFS.label):  # terms an extension defines
        if isinstance(subject, URIRef) and str(subject).startswith(SPINEKG):
            labels.setdefault(str(subject)[len(SPINEKG):], str(label))
    findings = [result_finding(report, result, data, labels) for result in kept]
    # Blank nodes the engine made for this report get the batch number: worker processes inherit one random
    # state, so two workers can name two results alike. Data and shape blank nodes keep their names.
    keep = _shape_bnodes() | {BNode(k[2:]) for triple in triples + extra for k in (triple[0], triple[2]) if k[0] == "_"}

    def rename(node):  # type: ignore[no-untyped-def]
        return BNode(f"b{number}r{node}") if isinstance(node, BNode) and node not in keep else node

    return (findings, [rename(r) for r in kept],
            [(rename(s), p, rename(o)) for s, p, o in _result_triples(report, kept)])


def _run_engine(job: _Job, triples: list[tuple[str, str, str]], number: int) -> Graph:
    """The SHACL engine over a batch plus the ontology triples the shapes read."""
    engine = job.engine
    if engine == "rust":
        from .rust import usable, validate_text

        if not usable(triples):  # blank nodes (data, or sites read from level text): see spinekg.shacl.rust
            engine = "auto"
        else:
            return validate_text(job.ontology + "".join(f"{s} {p} {o} .\n" for s, p, o in triples), f"b{number}x")
    module = engine_module(engine)
    shapes = load_shapes(CASE_SHAPE_FILES)
    if module.__name__ == "pyshacl":
        working = Graph()
        for triple in _case_ontology()[2]:
            working.add(triple)
        return run_pyshacl(keys_graph(triples, working), shapes, engine=engine)
    try:  # N-Triples text straight into the Rust engine (a pyoxigraph Store would be dumped to text anyway,
        # and through a Store pyshacl-turbo 0.6 reads "yes" as "yes"^^xsd:string, which sh:in ( "yes" ) rejects)
        from pyshacl_turbo.rdf import Input
    except ImportError:  # another pyshacl-turbo layout: an rdflib graph, slower but the same results
        working = Graph()
        for triple in _case_ontology()[2]:
            working.add(triple)
        return run_pyshacl(keys_graph(triples, working), shapes, engine=engine)
    text = job.ontology + "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    return run_pyshacl(Input(text, "nt", None, {}, {}, preserve_ids=True), shapes, engine=engine)


@lru_cache(maxsize=1)
def _shape_bnodes() -> frozenset:
    shapes = load_shapes(CASE_SHAPE_FILES)
    return frozenset(n for triple in shapes for n in triple if isinstance(n, BNode))


def _result_triples(report: Graph, results: list) -> list[tuple]:
    """The triples of ``results`` and of the blank nodes they reach (result paths, and blank focus nodes and
    values, which the engines copy into the report), for the merged report; sh:detail is left out, as
    spinekg.shacl.report.normalise does: the same report from every engine."""
    return closure(report, results, skip=lambda p: p == SH.detail)
