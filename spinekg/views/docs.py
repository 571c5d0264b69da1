"""``spinekg docs --out DIR``: HTML documentation of the ontology (pyLODE) with the competency
questions and the institutional profiles, as one small static site.

pyLODE 3.3.4 is the last release that runs on Python 3.11 (3.4.1 fails on import, newer ones need 3.12);
install it with ``pip install 'spinekg[docs]'``. It has two faults on this ontology that are worked
around here, for the duration of the call only: a union nested in an intersection crashes it (it puts a
list into a set), and it orders the members of a union by hash, so the page changes from run to run.
Both live in ``pylode.utils.intersperse``, which is replaced by a version that returns one sorted
element. A third fault, an ``owl:complementOf`` member of an intersection shown as an empty box (so
``NotBackSurgery`` read "procedure and"), is worked around on a documentation copy of the graph (see
:func:`_named_complements`). The site is written to a temporary directory and moved into place, never
half-written.
"""
from __future__ import annotations

import html
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import EXIT_ENVIRONMENT, SpinekgError

PAGES = ("index.html", "terms.html", "competency-questions.html", "profiles.html")
STYLE = """
<style>
  body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; line-height: 1.5; max-width: 72rem;
         margin: 0 auto; padding: 0 1.5rem 3rem; color: #1d2330; }
  nav.spinekg { position: sticky; top: 0; background: #1d3557; padding: .6rem 1rem; margin: 0 -1.5rem 1.5rem;
                z-index: 10; }
  nav.spinekg a { color: #fff; margin-right: 1.5rem; text-decoration: none; font-weight: 600; }
  nav.spinekg a:hover { text-decoration: underline; }
  table { border-collapse: collapse; margin: 1rem 0; }
  th, td { border: 1px solid #c9d1dc; padding: .35rem .6rem; vertical-align: top; text-align: left; }
  th { background: #eef2f7; }
  code, pre { background: #f4f6f9; border-radius: 4px; }
  pre { padding: .8rem; overflow-x: auto; }
  td.yes { background: #e3f4e1; } td.no { background: #fbe4e4; } td.depends { background: #fff4d6; }
</style>
"""

# On pyLODE's own page only the navigation bar is added; its layout (fixed table of contents on the
# right) is kept, with the content kept clear of it.
INDEX_STYLE = """
<style>
  nav.spinekg { position: sticky; top: 0; background: #1d3557; padding: .6rem 1rem; z-index: 10;
                font-family: system-ui, sans-serif; }
  nav.spinekg a { color: #fff; margin-right: 1.5rem; text-decoration: none; font-weight: 600; }
  #content { margin-right: 17rem; }
  .property.entity { scroll-margin-top: 3rem; }  /* an anchor's heading is not hidden under the bar */
  #content > nav.spinekg { margin-bottom: 1rem; }
</style>
"""


def nav(current: str) -> str:
    links = [("index.html", "Ontology"), ("terms.html", "Terms"), ("competency-questions.html", "Competency questions"),
             ("profiles.html", "Profiles")]
    items = "".join(f'<a href="{href}"{" aria-current=page" if href == current else ""}>{html.escape(text)}</a>'
                    for href, text in links)
    return f'<nav class="spinekg">{items}</nav>'


def page(title: str, body: str, current: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{STYLE}</head>"
            f"<body>{nav(current)}{body}</body></html>\n")


@contextmanager
def _patched_pylode():
    """Make pyLODE's set-class rendering hashable and deterministic while we call it."""
    import pylode.utils as utils
    from dominate.tags import span

    original = utils.intersperse

    def intersperse(items, sep):  # type: ignore[no-untyped-def]
        def key(item) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
            text = item.render() if hasattr(item, "render") else str(item)
            return COMPLEMENT_MARK in text, text  # "procedure and not back surgery", negation last

        ordered = sorted(items, key=key)
        result = span()
        for number, item in enumerate(ordered):
            if number:  # a fresh separator each time: one dominate element cannot have two parents
                result.add(span(f" {sep.children[0] if getattr(sep, 'children', None) else ','} ", _class="cardinality"))
            result.add(item)
        return result

    utils.intersperse = intersperse
    try:
        yield
    finally:
        utils.intersperse = original


def ontology_html(graph) -> str:  # type: ignore[no-untyped-def]
    try:
        from pylode import OntPub
    except ImportError:
        raise SpinekgError("HTML documentation needs pyLODE: pip install 'spinekg[docs]' (pylode==3.3.4)",
                           EXIT_ENVIRONMENT) from None
    import logging

    logging.getLogger().setLevel(logging.WARNING)  # pyLODE configures the root logger at DEBUG
    shown, complements = _named_complements(docs_graph(graph))
    with _patched_pylode():
        text = OntPub(shown, sort_subjects=True).make_html(include_css=True)
    text = _blank_fillers(graph, text)
    text = _complement_links(graph, text, complements)
    text = stable_anchors(text)
    text = re.sub(r'(<div id="content"[^>]*>)', lambda m: m.group(1) + nav("index.html"), text, count=1)
    return text.replace("</head>", INDEX_STYLE + "</head>", 1)


def _expression(graph, node, fids: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """HTML for a class expression pyLODE shows only as a blank-node id (a union as a restriction filler)."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDFS

    from ..namespaces import SPINEKG

    if isinstance(node, URIRef):
        label = graph.value(node, RDFS.label)
        name = str(node)[len(SPINEKG):] if str(node).startswith(SPINEKG) else str(node)
        return f'<a href="#{html.escape(fids.get(str(node), name))}">{html.escape(str(label) if label else name)}</a>'
    for prop, word in ((OWL.unionOf, "or"), (OWL.intersectionOf, "and")):
        members = graph.value(node, prop)
        if members is not None:
            parts = sorted(_expression(graph, m, fids) for m in Collection(graph, members))
            return "(" + f' <span class="cardinality">{word}</span> '.join(parts) + ")"
    inner = graph.value(node, OWL.complementOf)
    if inner is not None:
        return f'<span class="cardinality">not</span> {_expression(graph, inner, fids)}'
    return "(class expression)" if isinstance(node, BNode) else html.escape(str(node))


COMPLEMENT_MARK = "urn:spinekg:docs:not:"


def _named_complements(graph):  # type: ignore[no-untyped-def]
    """A copy in which each ``owl:complementOf`` of a named class inside a set class is replaced by a
    marker IRI: pyLODE 3.3.4 renders such a member as an empty box, so ``NotBackSurgery`` would read
    "procedure and" with nothing after it. The markers are turned into "not <class>" afterwards."""
    from rdflib import BNode, URIRef
    from rdflib.namespace import OWL, RDF

    from ..rdf.serialize import copy_graph

    shown = copy_graph(graph)
    complements: dict[str, URIRef] = {}
    for node, target in sorted(graph.subject_objects(OWL.complementOf)):
        if not isinstance(node, BNode) or not isinstance(target, URIRef):
            continue
        cells = list(graph.subjects(RDF.first, node))
        if not cells:
            continue
        marker = URIRef(COMPLEMENT_MARK + str(target))
        complements[str(marker)] = target
        for cell in cells:
            shown.set((cell, RDF.first, marker))
    return shown, complements


def _complement_links(graph, text: str, complements: dict) -> str:  # type: ignore[no-untyped-def]
    """Replace each marker link left by :func:`_named_complements` with "not <link to the class>"."""
    if not complements:
        return text
    fids = {iri: fid for fid, iri in re.findall(r'<div class="property entity" id="([^"]+)">.*?<code>([^<]+)</code>',
                                                 text, flags=re.S)}
    pattern = re.compile(r'<a [^>]*>\s*(' + re.escape(COMPLEMENT_MARK) + r'[^<]*?)\s*</a>(\s*<sup[^>]*>[^<]*</sup>)?',
                         flags=re.S)

    def link(match: re.Match) -> str:
        target = complements.get(html.unescape(match.group(1)))
        if target is None:
            return match.group(0)
        return f'<span class="cardinality">not</span> {_expression(graph, target, fids)}'

    return pattern.sub(link, text)


def _blank_fillers(graph, text: str) -> str:  # type: ignore[no-untyped-def]
    from rdflib import BNode

    # pyLODE's fragment ids are not always the local names: read them from the page
    fids = {iri: fid for fid, iri in re.findall(r'<div class="property entity" id="([^"]+)">.*?<code>([^<]+)</code>',
                                                 text, flags=re.S)}
    return re.sub(r'<a href="(n[0-9a-f]{20,})">\1</a>', lambda m: _expression(graph, BNode(m.group(1)), fids), text)


def competency_source() -> Path | None:
    """docs/competency-questions.md: shipped in the wheel (spinekg/_shipped/docs/) or in the checkout."""
    from ..paths import shipped_dir

    try:
        source = shipped_dir("docs") / "competency-questions.md"
    except FileNotFoundError:
        return None
    return source if source.is_file() else None


_ENTITY = re.compile(r'<div class="property entity" id="([^"]+)">\s*<h3>.*?<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>', re.S)


def stable_anchors(text: str) -> str:
    """pyLODE makes an entity's anchor from its label or its local name, lower-cased or not, depending on
    the entity; here every spinekg entity's anchor becomes its IRI's local name (``#DiscL4L5``), the same
    on every release and on the terms page, and every link to it follows."""
    from ..namespaces import SPINEKG

    renames: dict[str, str] = {}
    taken = set(re.findall(r'id="([^"]+)"', text))
    for match in _ENTITY.finditer(text):
        old, iri = match.group(1), html.unescape(match.group(2))
        if iri.startswith(SPINEKG) and old != iri[len(SPINEKG):]:
            new = iri[len(SPINEKG):]
            if new not in taken:
                renames[old] = new
                taken.add(new)
    if not renames:
        return text
    pattern = re.compile(r'(id="|href="#)(' + "|".join(map(re.escape, sorted(renames, key=len, reverse=True))) + ')"')
    return pattern.sub(lambda m: f'{m.group(1)}{renames[m.group(2)]}"', text)


def docs_graph(graph):  # type: ignore[no-untyped-def]
    """What pyLODE is shown: the ontology plus, on every class, ``skos:definition`` (pyLODE ignores
    ``IAO:0000115``), ``skos:altLabel`` for each synonym, ``rdfs:seeAlso`` for each cross-reference that
    resolves, and the inferred direct parents (from the released closure), so that a class shows what
    HermiT put under it, not only its own axioms. Local file paths (``dcterms:source`` of a module file)
    are left out."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, RDFS, SKOS

    from ..namespaces import SPINEKG
    from .terms import load_terms

    shown = Graph()
    for prefix, namespace in graph.namespaces():
        shown.bind(prefix, namespace)
    for s, p, o in graph:
        if p == DCTERMS.source and isinstance(o, (URIRef, Literal)) and str(o).startswith(("file:", "/")):
            continue
        shown.add((s, p, o))
    for term in load_terms().values():
        node = URIRef(SPINEKG + term.id)
        if term.definition:
            shown.add((node, SKOS.definition, Literal(term.definition, lang="en")))
        for synonym in term.synonyms:
            shown.add((node, SKOS.altLabel, Literal(synonym, lang="en")))
        for _, url in term.xrefs:
            if url:
                shown.add((node, RDFS.seeAlso, URIRef(url)))
        for parent in term.parents:
            shown.add((node, RDFS.subClassOf, URIRef(SPINEKG + parent)))
    return shown


def terms_html() -> str:
    """Every term on one page, as the page at ``spinekg serve`` shows it (same rendering): definition,
    synonyms, cross-references, inferred parents and children, parts and the ontology's answers. Each
    section's anchor is the term's local name, so ``terms.html#DiscL4L5`` is stable across releases."""
    from .terms import load_terms
    from .web.render import KIND_TITLE, Linker, term_page

    terms = load_terms()
    link = Linker(terms, lambda term_id: f"#{term_id}")
    ordered = sorted(terms.values(), key=lambda t: (list(KIND_TITLE).index(t.kind) if t.kind in KIND_TITLE else 99,
                                                    t.label.lower()))
    index = "".join(f"<li><a href=\"#{t.id}\">{html.escape(t.label)}</a></li>" for t in ordered)
    sections = "".join(f"<section class=term id=\"{t.id}\">{term_page(t, link, ask=False).replace('<h1>', '<h2>').replace('</h1>', '</h2>')}</section>"
                       for t in ordered)
    style = ("<style>section.term{border-top:1px solid #c9d1dc;padding-top:.5rem;margin-top:1.5rem;scroll-margin-top:3rem}"
             "dl.facts{display:grid;grid-template-columns:minmax(8rem,12rem) 1fr;gap:.3rem 1rem}dl.facts dt{font-weight:600;color:#5b6b7c}"
             "dl.facts dd{margin:0}.answers{display:flex;gap:.6rem;flex-wrap:wrap}.answer{padding:.3rem .7rem;border-radius:.4rem;"
             "border:1px solid #c9d1dc}.answer span{font-size:.8rem;color:#5b6b7c;margin-right:.4rem}.answer.yes{background:#e3f4e1}"
             ".answer.no{background:#fbe4e4}.answer.depends{background:#fff4d6}.kind{color:#5b6b7c;font-size:.85rem}"
             "ul.index{columns:16rem;font-size:.9rem}</style>")
    body = (f"{style}<h1>Terms</h1><p>{len(terms)} terms with their definitions, synonyms, cross-references, the "
            f"hierarchy HermiT infers, parts, and the answers the ontology gives.</p><ul class=index>{index}</ul>{sections}")
    return page("spinekg terms", body, "terms.html")


def competency_html(source: Path | None) -> str:
    """The competency-question page: docs/competency-questions.md rendered, when present."""
    if source is None or not source.is_file():
        body = ("<h1>Competency questions</h1><p>No competency-question page was found "
                "(generate it with <code>spinekg query --docs docs/competency-questions.md</code>).</p>")
    else:
        import markdown

        body = markdown.markdown(source.read_text(encoding="utf-8"), extensions=["tables", "fenced_code", "toc"])
    return page("spinekg competency questions", body, "competency-questions.html")


DECISIVE = ["T12-L1 fusion", "T10-S1 fusion", "T6 laminectomy", "thoracic laminectomy", "lumbar microdiscectomy",
            "posterior thoracolumbar fusion", "L4-L5 microdiscectomy", "C5-C6 ACDF", "SI joint fusion", "lumbar puncture"]


def profiles_html() -> str:
    from ..api import classify
    from ..answer.profiles import builtin_names, profile_summaries

    names = builtin_names()
    parts = ["<h1>Institutional profiles</h1>",
             "<p>The source document ends: the line between back and spine surgery varies between institutions. "
             "Each profile is a small OWL module in <code>ontology/profiles/</code> that redefines "
             "<em>back surgery</em>; select one with <code>--profile NAME</code>. Spine surgery is the same "
             "under every profile.</p>",
             "<h2>Back surgery under each profile</h2><table><tr><th>procedure</th>"
             + "".join(f"<th>{html.escape(n)}</th>" for n in names) + "</tr>"]
    for query in DECISIVE:
        cells = "".join(f'<td class="{a}">{a}</td>' for a in (classify(query, profile=n).back_surgery for n in names))
        parts.append(f"<tr><td>{html.escape(query)}</td>{cells}</tr>")
    parts.append("</table>")
    for item in profile_summaries():
        parts.append(f"<h2 id=\"{item['name']}\">{html.escape(item['name'])}</h2>"
                     f"<p><strong>Sites combine:</strong> {item['rule']} "
                     f"({'every site must count' if item['rule'] == 'all' else 'one site that counts is enough'})</p>"
                     f"<p><strong>What:</strong> {html.escape(item['description'])}</p>"
                     f"<p><strong>Why:</strong> {html.escape(item['rationale'])}</p>")
    return page("spinekg profiles", "".join(parts), "profiles.html")


def generate_docs(out: Path) -> list[Path]:
    """Write the site into ``out`` (created if needed); return the pages written."""
    from ..build.ontology import load_ontology
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SpinekgError(f"{out}: exists and is not a directory")
    graph = load_ontology()
    pages = {"index.html": ontology_html(graph), "terms.html": terms_html(),
             "competency-questions.html": competency_html(competency_source()),
             "profiles.html": profiles_html()}
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".spinekg-docs-") as tmp:
        for name, text in pages.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        written = []
        for name in PAGES:
            shutil.move(str(Path(tmp) / name), str(out / name))
            written.append(out / name)
    return written
