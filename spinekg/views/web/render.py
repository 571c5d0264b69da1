"""HTML for the page at ``spinekg serve``: Ask (a verdict with its reasons), Browse (term pages and
search) and Query (YASGUI). Server-rendered, so every view works without JavaScript except the SPARQL
editor; every term shown is a link to its page. The static docs render term pages with the same code."""
from __future__ import annotations

import html
import json
import re
from typing import Callable

from ...namespaces import SPINEKG
from ..terms import Term

ANSWER_CLASS = {"yes": "yes", "no": "no", "depends": "depends", None: "na"}
KIND_TITLE = {"procedure": "Procedures", "anatomy": "Anatomy", "disorder": "Disorders", "approach": "Approaches",
              "specialist": "Specialists", "objective": "Objectives", "recovery": "Recovery",
              "training": "Training", "other": "Other classes"}
e = html.escape


def layout(title: str, body: str, active: str, base: str = "/", static: str = "/static/", head: str = "",
           nav: bool = True) -> str:
    """The page chrome: a header with the three views; ``base``/``static`` let the docs use relative links."""
    links = [("ask", base, "Ask"), ("browse", f"{base}browse", "Browse"), ("query", f"{base}query", "Query")]
    menu = "".join(f"<a href='{href}'{' aria-current=page class=active' if key == active else ''}>{name}</a>"
                   for key, href, name in links) if nav else ""
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            f"<title>{e(title)} · spinekg</title><link rel=icon href='data:,'><link rel=stylesheet href='{static}app.css'>{head}</head>"
            f"<body><header><a class=brand href='{base}'>spinekg</a><nav>{menu}</nav></header>"
            f"<main>{body}</main><footer>spinekg — an OWL knowledge graph of the human spine. "
            "Read-only; nothing on this page is fetched from the internet.</footer></body></html>")


def answer(value: str | None, what: str) -> str:
    return (f"<div class='answer {ANSWER_CLASS.get(value, 'na')}'><span>{e(what)}</span>"
            f"<b data-answer='{e(what)}'>{e(value or 'n/a')}</b></div>")


class Linker:
    """Turns term ids, IRIs, CURIEs and labels in running text into links to term pages."""

    def __init__(self, terms: dict[str, Term], href: Callable[[str], str]):
        self.terms, self.href = terms, href
        by_label: dict[str, str] = {}
        for term in terms.values():
            by_label.setdefault(term.label.lower(), term.id)
        self.by_label = by_label
        labels = sorted(by_label, key=len, reverse=True)
        self._text = re.compile(r"spinekg:([A-Za-z0-9_]+)|(?<![\w-])(" + "|".join(map(re.escape, labels)) + r")(?![\w-])",
                                re.I)

    def term(self, term_id: str, text: str | None = None) -> str:
        if term_id.startswith(SPINEKG):
            term_id = term_id[len(SPINEKG):]
        if term_id not in self.terms:
            return e(text or term_id)
        return f"<a class=term href='{self.href(term_id)}'>{e(text or self.terms[term_id].label)}</a>"

    def terms_list(self, ids: list[str]) -> str:
        return ", ".join(self.term(t) for t in ids) if ids else "<span class=muted>none recorded</span>"

    def text(self, line: str) -> str:
        """Escape ``line`` and link every CURIE and every known label in it (longest label first)."""
        out, last = [], 0
        for match in self._text.finditer(line):
            out.append(e(line[last:match.start()]))
            if match.group(1):
                out.append(self.term(match.group(1), match.group(0)))
            else:
                out.append(self.term(self.by_label[match.group(2).lower()], match.group(2)))
            last = match.end()
        out.append(e(line[last:]))
        return "".join(out)


def ask_page(query: str, profiles: list[str], profile: str, verdict: dict | None, error: str | None,  # type: ignore[type-arg]
             link: Linker, examples: list[str]) -> str:
    options = "".join(f"<option value='{e(p)}'{' selected' if p == profile else ''}>{e(p)}</option>" for p in profiles)
    body = [f"<h1>Is it back surgery?</h1><p class=lead>Type an operation in words (“L4-L5 microdiscectomy”), "
            "an ICD-10-PCS, ICD-9-CM or ICD-10-CM code, or an ontology term. The answer comes with its reasons.</p>"
            "<form class=ask method=get action='/'><label for=q class=sr>Procedure, code or term</label>"
            f"<input id=q name=q value='{e(query)}' placeholder='e.g. C5-C6 ACDF' autofocus required>"
            f"<span class=profile><label for=profile>definition</label> <select id=profile name=profile>{options}</select></span>"
            "<button type=submit>Ask</button></form>",
            "<p class=examples>Try: " + " · ".join(f"<a href='/?q={e(_url(x))}'>{e(x)}</a>" for x in examples) + "</p>"]
    if error:
        body.append(f"<p class=error role=alert>{e(error)}</p>")
    if verdict is not None:
        body.append(verdict_html(verdict, link, profile))
    return "".join(body)


def verdict_html(v: dict, link: Linker, profile: str) -> str:  # type: ignore[type-arg]
    parts = ["<section class=verdict aria-live=polite>", f"<h2>{e(v['input'])}</h2>"]
    if "disorder" in v:  # an ICD-10-CM diagnosis
        parts.append(f"<p>A diagnosis: {link.term(v['disorder']['iri'], v['disorder']['label'])}</p>"
                     f"<div class=answers>{answer(v['lower_back_condition'], 'lower-back condition')}</div>"
                     f"<p>Treated by: {link.terms_list([t['iri'] for t in v['treated_by']])}</p>")
    else:
        parts.append(f"<div class=answers>{answer(v['spine_surgery'], 'spine surgery')}"
                     f"{answer(v['back_surgery'], 'back surgery')}</div>")
        if v.get("procedure"):
            parts.append(f"<p>Procedure: {link.term(v['procedure']['iri'], v['procedure']['label'])}</p>")
    regions = ", ".join(e(r) for r in v["regions"]) or "<span class=muted>not fixed</span>"
    parts.append(f"<p>Regions: {regions}</p><h3>Why</h3><ol class=why>")
    parts += [f"<li>{link.text(line)}</li>" for line in v["explanation"]]
    query = json.dumps(v["input"])[1:-1]
    parts.append(f"</ol><p class=muted>Definition of back surgery: {e(profile)}. "
                 f"<a href='/api/classify?q={e(_url(query))}&amp;profile={e(_url(profile))}'>This answer as JSON</a>"
                 "</p></section>")
    return "".join(parts)


def _url(text: str) -> str:
    import urllib.parse

    return urllib.parse.quote(text, safe="")


def term_page(term: Term, link: Linker, ask: bool = True) -> str:
    f = term.facts
    rows = [f"<p class=kind>{e(term.kind)} · <code>{e(term.iri)}</code></p>", f"<h1>{e(term.label)}</h1>",
            f"<p class=definition>{e(term.definition) or '<span class=muted>no definition</span>'}</p>"]
    if "back_surgery" in f:
        rows.append(f"<div class=answers>{answer(f['spine_surgery'], 'spine surgery')}"
                    f"{answer(f['back_surgery'], 'back surgery')}</div>")
    elif "lower_back" in f:
        rows.append(f"<div class=answers>{answer(f['spinal'], 'spinal site')}"
                    f"{answer(f['lower_back'], 'surgery here is back surgery')}</div>")
    elif "lower_back_condition" in f:
        rows.append(f"<div class=answers>{answer(f['lower_back_condition'], 'lower-back condition')}</div>")
    facts = [("Synonyms", ", ".join(e(s) for s in term.synonyms)),
             ("Abbreviations", ", ".join(e(a) for a in term.abbreviations)),
             ("Cross-references", ", ".join(f"<a href='{e(url)}' rel=external>{e(x)}</a>" if url else e(x)
                                            for x, url in term.xrefs)),
             ("Mappings", ", ".join(f"{e(kind)} match <a href='{e(iri)}' rel=external>{e(iri)}</a>"
                                    for kind, iri in term.matches)),
             ("Seed sections", ", ".join(f"§{e(s)}" for s in term.seed)),
             ("Parents (is a)", link.terms_list(term.parents)), ("Children", _opt(link, term.children)),
             ("Part of", _opt(link, term.part_of)), ("Parts", _opt(link, term.parts))]
    if f.get("regions"):
        facts.append(("Regions", ", ".join(e(r) for r in f["regions"])))
    for key, title in (("procedures_under", "Procedures that are this"), ("sites", "Sites"),
                       ("approaches", "Approaches"), ("specialties", "Specialties"), ("recovery", "Recovery"),
                       ("objectives", "Objectives"), ("treats", "Treats"), ("procedures_here", "Procedures at this site (back surgery here?)"),
                       ("affects", "Affects"), ("treated_by", "Treated by"), ("may_require", "May require")):
        if key == "procedures_here" and key in f:  # each with its back-surgery answer at this site
            facts.append((title, ", ".join(f"{link.term(p)} <span class='tag {ANSWER_CLASS.get(back, 'na')}' "
                                           f"title='back surgery here'>{e(back)}</span>" for p, back in f[key])
                          or "<span class=muted>none recorded</span>"))
        elif key in f:
            facts.append((title, link.terms_list(f[key])))
    rows.append("<dl class=facts>" + "".join(f"<dt>{t}</dt><dd>{v}</dd>" for t, v in facts if v) + "</dl>")
    if ask and term.kind in ("procedure", "anatomy"):
        rows.append(f"<p><a href='/?q={e(_url(term.label))}'>Ask about “{e(term.label)}”</a></p>")
    return "".join(rows)


def _opt(link: Linker, ids: list[str]) -> str:
    return ", ".join(link.term(t) for t in ids)


def browse_page(query: str, found: list[Term] | None, groups: dict[str, list[Term]], link: Linker) -> str:
    body = ["<h1>Browse the terms</h1><form class=ask method=get action='/browse'>"
            "<label for=s class=sr>Search by label or synonym</label>"
            f"<input id=s name=q value='{e(query)}' placeholder='label or synonym, e.g. slipped disc'>"
            "<button type=submit>Search</button></form>"]
    if found is not None:
        body.append(f"<p>{len(found)} term(s) match “{e(query)}”.</p><ul class=results>")
        body += [f"<li>{link.term(t.id)} <span class=kind>{e(t.kind)}</span>"
                 f"<br><span class=muted>{e(t.definition[:160])}</span></li>" for t in found]
        body.append("</ul>")
    for kind, terms in groups.items():
        body.append(f"<details><summary>{e(KIND_TITLE.get(kind, kind))} ({len(terms)})</summary><p class=cloud>"
                    + " · ".join(link.term(t.id) for t in terms) + "</p></details>")
    return "".join(body)


def query_page(questions: list[dict]) -> str:  # type: ignore[type-arg]
    options = "".join(f"<option value='{i}'>{e(q['name'])}: {e(q['question'])}</option>" for i, q in enumerate(questions))
    data = json.dumps(questions).replace("</", "<\\/")
    return ("<h1>Query with SPARQL</h1><p class=lead>A competency question is loaded in the editor; pick another "
            "or write your own. Queries run read-only at <code>/sparql</code>.</p>"
            f"<label for=cq>Competency question</label> <select id=cq>{options}</select>"
            f"<div id=yasgui></div><script id=questions type='application/json'>{data}</script>"
            "<script src='/static/yasgui/yasgui.min.js'></script><script src='/static/query.js'></script>")
