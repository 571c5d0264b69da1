"""networkx views of the query-ready graph, and drawings of them (graphviz ``dot``, or matplotlib when asked
or when dot is missing — the command says so).

Views read the released ``spinekg-edges.nt`` (no Java, no OWL): the part-of and subclass edges there are
transitively closed, so each view keeps only the direct links (transitive reduction) to stay readable.
Every node carries ``label`` (rdfs:label) and ``iri``; node keys are spinekg local names.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import networkx as nx

from ..errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, SpinekgError
from ..namespaces import PART_OF, SPINEKG

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SUBCLASS_OF, LABEL = RDFS + "subClassOf", RDFS + "label"
HAS_SITE = SPINEKG + "hasSite"
REGIONS = ["CervicalSpine", "ThoracicSpine", "LumbarSpine", "SacralSpine", "CoccygealSpine"]
VIEWS = {
    "anatomy": "anatomy part-of tree (whole -> direct part)",
    "procedures": "procedure hierarchy (superclass -> direct subclass, with the defined classes)",
    "sites": "procedure -> site -> spinal region",
}


class Edges:
    """The query-ready graph as plain dictionaries of local names (fast and enough for the views)."""

    def __init__(self, triples: list[tuple[str, str, str]]):
        self.labels: dict[str, str] = {}
        self.out: dict[str, dict[str, set[str]]] = {}
        for s, p, o in triples:
            if p == LABEL:
                self.labels.setdefault(_name(s), o)
            elif o.startswith("http"):
                self.out.setdefault(p, {}).setdefault(_name(s), set()).add(_name(o))

    def targets(self, predicate: str, node: str) -> set[str]:
        return self.out.get(predicate, {}).get(node, set())

    def subclasses(self, ancestor: str) -> set[str]:
        return {n for n, parents in self.out.get(SUBCLASS_OF, {}).items() if ancestor in parents}

    def label(self, node: str) -> str:
        return self.labels.get(node, node)


def _name(iri: str) -> str:
    return iri[len(SPINEKG):] if iri.startswith(SPINEKG) else iri


def load_edges(path: Path | None = None) -> Edges:
    """Read ``spinekg-edges.nt`` (default: the shipped release) with a tiny N-Triples reader."""
    import re

    from ..stores.embedded import release_file

    path = Path(path) if path else release_file("spinekg-edges.nt")
    pattern = re.compile(r'^<([^>]*)> <([^>]*)> (?:<([^>]*)>|"((?:[^"\\]|\\.)*)"(?:@[\w-]+|\^\^<[^>]*>)?) \.$')
    triples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = pattern.match(line.strip())
        if not match:
            raise SpinekgError(f"{path}:{number}: not a simple N-Triples line", EXIT_BAD_INPUT)
        s, p, iri, text = match.groups()
        obj = iri if iri is not None else text.encode().decode("unicode_escape") if "\\" in text else text
        triples.append((s, p, obj))
    return Edges(triples)


def _with_labels(graph: nx.DiGraph, edges: Edges) -> nx.DiGraph:
    for node in graph.nodes:
        graph.nodes[node]["label"] = edges.label(node)
        graph.nodes[node]["iri"] = SPINEKG + node if not node.startswith("http") else node
    return graph


def _reduced(pairs: set[tuple[str, str]], nodes: set[str]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted(pairs))
    reduced = nx.transitive_reduction(graph) if nx.is_directed_acyclic_graph(graph) else graph
    result = nx.DiGraph()
    result.add_nodes_from(sorted(reduced.nodes))
    result.add_edges_from(sorted(reduced.edges))
    return result


_LEVEL = re.compile(r"(Co|C|T|L|S)(\d+)")
_REGION_RANK = {"C": 0, "T": 1, "L": 2, "S": 3, "Co": 4}


def anatomical_key(name: str) -> tuple:  # type: ignore[type-arg]
    """Sort key that puts levels in anatomical order (C1 … C7, T1 … T12, L1 … L5, S1 …, Co1), not text order
    (T1, T10, T11, T12, T2 …): the name without its level tokens, then the levels as (region, number)."""
    levels = tuple((_REGION_RANK[region], int(number)) for region, number in _LEVEL.findall(name))
    return _LEVEL.sub("", name), levels, name


def anatomy_tree(edges: Edges, root: str = "Spine", tree: bool = True) -> nx.DiGraph:
    """Whole -> direct part, for ``root`` and everything part of it (part-of is closed in the release).
    With ``tree``, each part is drawn once, under its most specific direct whole (the one with the fewest
    parts: L4 under the lumbar spine rather than the whole vertebral column), so the view is a hierarchy."""
    part_of = edges.out.get(PART_OF, {})
    members = {n for n, wholes in part_of.items() if root in wholes} | {root}
    pairs = {(whole, part) for part in members for whole in part_of.get(part, ()) if whole in members}
    reduced = _reduced(pairs, members)
    if tree:
        size = {node: len(nx.descendants(reduced, node)) for node in reduced.nodes}
        for node in list(reduced.nodes):
            wholes = sorted(reduced.predecessors(node), key=lambda w: (size[w], anatomical_key(w)))
            for extra in wholes[1:]:
                reduced.remove_edge(extra, node)
    return _with_labels(reduced, edges)


def procedure_hierarchy(edges: Edges, root: str = "Procedure") -> nx.DiGraph:
    """Superclass -> direct subclass among the procedures (HermiT-inferred, so BackSurgery appears)."""
    members = edges.subclasses(root) | {root}
    pairs = {(parent, child) for child in members for parent in edges.targets(SUBCLASS_OF, child) if parent in members}
    return _with_labels(_reduced(pairs, members), edges)


def procedure_sites(edges: Edges) -> nx.DiGraph:
    """Tripartite view: operative procedure -> its most specific sites -> the spinal region(s) each site is part of."""
    graph = nx.DiGraph()
    procedures = sorted(edges.subclasses("OperativeProcedure"))
    for procedure in procedures:
        sites = edges.targets(HAS_SITE, procedure)
        # sites are inherited from superclasses: keep the most specific (drop a site another one is a kind or part of)
        broader = {b for t in sites for b in edges.targets(SUBCLASS_OF, t) | edges.targets(PART_OF, t) if b != t}
        for site in sorted(sites - broader):
            graph.add_node(procedure, kind="procedure")
            graph.add_node(site, kind="region" if site in REGIONS else "site")
            graph.add_edge(procedure, site, relation="has site")
            if site in REGIONS:
                continue
            for region in sorted(edges.targets(PART_OF, site) & set(REGIONS)):
                graph.add_node(region, kind="region")
                graph.add_edge(site, region, relation="part of")
    return _with_labels(graph, edges)


def view(name: str, edges: Edges | None = None, root: str | None = None) -> nx.DiGraph:
    edges = edges or load_edges()
    if name == "anatomy":
        return anatomy_tree(edges, root or "Spine")
    if name == "procedures":
        return procedure_hierarchy(edges, root or "Procedure")
    if name == "sites":
        return procedure_sites(edges)
    raise SpinekgError(f"unknown view {name!r} (choose {', '.join(VIEWS)})", EXIT_BAD_INPUT)


# ---- drawing ---------------------------------------------------------------------------------------

KIND_COLOURS = {"procedure": "#cfe2f3", "site": "#fff2cc", "region": "#d9ead3"}


def to_dot(graph: nx.DiGraph, title: str) -> str:
    """Deterministic DOT text: left-to-right layers, labelled boxes, coloured by kind."""
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph spinekg {", "  rankdir=LR; ranksep=0.5; nodesep=0.08; fontname=Helvetica; ordering=out;",
             f"  label={quote(title)}; labelloc=t; fontsize=20;",
             '  node [shape=box, style="rounded,filled", fillcolor="#eeeeee", fontname=Helvetica, fontsize=11, height=0.25];',
             '  edge [color="#777777", arrowsize=0.5];']
    for node in sorted(graph.nodes, key=anatomical_key):
        data = graph.nodes[node]
        colour = KIND_COLOURS.get(data.get("kind", ""), "#eeeeee")
        lines.append(f"  {quote(node)} [label={quote(data.get('label', node))}, fillcolor={quote(colour)}];")
    for a, b in sorted(graph.edges, key=lambda e: (anatomical_key(e[0]), anatomical_key(e[1]))):
        lines.append(f"  {quote(a)} -> {quote(b)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def draw(graph: nx.DiGraph, out: Path, title: str, engine: str = "auto") -> str:
    """Render ``graph`` to ``out`` (.svg or .png); returns the engine used (``dot`` or ``matplotlib``)."""
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise SpinekgError(f"{out}: the drawing must be .svg or .png", EXIT_BAD_INPUT)
    if not graph.number_of_nodes():
        raise SpinekgError("nothing to draw: the view is empty", EXIT_BAD_INPUT)
    if engine in ("auto", "dot") and shutil.which("dot"):
        _draw_dot(graph, out, fmt, title)
        return "dot"
    if engine == "dot":
        raise SpinekgError("graphviz 'dot' is not on PATH (apt-get install graphviz), or use --engine matplotlib",
                           EXIT_ENVIRONMENT)
    _draw_matplotlib(graph, out, fmt, title)
    return "matplotlib"


def _draw_dot(graph: nx.DiGraph, out: Path, fmt: str, title: str) -> None:
    import tempfile

    options = ["-Gdpi=110"] if fmt == "png" else []
    from ..files import target_kind

    if target_kind(out) == "special":  # a device or FIFO is written into, never renamed over
        proc = subprocess.run(["dot", f"-T{fmt}", *options, "-o", str(out)], input=to_dot(graph, title),
                              text=True, capture_output=True, timeout=120)
        if proc.returncode != 0:
            raise SpinekgError(f"graphviz dot failed: {' '.join(proc.stderr.split())[:200]}", EXIT_ENVIRONMENT)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        proc = subprocess.run(["dot", f"-T{fmt}", *options, "-o", str(tmp_path)], input=to_dot(graph, title),
                              text=True, capture_output=True, timeout=120)
        if proc.returncode != 0:
            raise SpinekgError(f"graphviz dot failed: {' '.join(proc.stderr.split())[:200]}", EXIT_ENVIRONMENT)
        tmp_path.replace(out)
    finally:
        tmp_path.unlink(missing_ok=True)


def _layers(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Left-to-right layered positions (longest path from the sources), rows sorted by label."""
    depth: dict[str, int] = {}
    for node in nx.topological_sort(graph) if nx.is_directed_acyclic_graph(graph) else sorted(graph.nodes):
        depth[node] = max((depth.get(p, 0) + 1 for p in graph.predecessors(node)), default=0)
    columns: dict[int, list[str]] = {}
    for node, level in depth.items():
        columns.setdefault(level, []).append(node)
    positions = {}
    for level, nodes in columns.items():
        for row, node in enumerate(sorted(nodes, key=anatomical_key)):
            positions[node] = (level * 3.0, -row)
    return positions


def _draw_matplotlib(graph: nx.DiGraph, out: Path, fmt: str, title: str) -> None:
    try:
        import matplotlib
    except ImportError:
        raise SpinekgError("drawing needs graphviz 'dot' (apt-get install graphviz) or matplotlib "
                           "(pip install matplotlib)", EXIT_ENVIRONMENT) from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    positions = _layers(graph)
    rows = max(1, max(-y for _, y in positions.values()) + 1)
    columns = max(1, max(x for x, _ in positions.values()) / 3.0 + 1)
    figure, axes = plt.subplots(figsize=(4 + 3.2 * columns, max(4, 0.28 * rows)))
    nx.draw_networkx_edges(graph, positions, ax=axes, edge_color="#999999", arrows=True, arrowsize=6, width=0.6)
    for node, (x, y) in positions.items():
        colour = KIND_COLOURS.get(graph.nodes[node].get("kind", ""), "#eeeeee")
        axes.text(x, y, graph.nodes[node].get("label", node), fontsize=8, ha="center", va="center",
                  bbox={"boxstyle": "round,pad=0.2", "fc": colour, "ec": "#888888"})
    axes.set_title(title)
    axes.axis("off")
    tmp = out.with_name(f".{out.name}.tmp.{fmt}")
    figure.savefig(tmp, format=fmt, bbox_inches="tight", dpi=110, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(figure)
    tmp.replace(out)
