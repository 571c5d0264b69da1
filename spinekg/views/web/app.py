"""Routes of the page at ``spinekg serve``: ``/`` (Ask), ``/browse`` and ``/term/ID`` (Browse), ``/editor``
(Query, YASGUI), the JSON API (``/api/classify``, ``/api/search``) and the shipped static files. Mounted
on the read-only SPARQL server through its ``pages`` hook; every other path (``/sparql``) stays the
endpoint's. The page's own policy (``Content-Security-Policy``) forbids loading or sending anything to
another origin, so nothing is fetched from the internet even by the bundled editor."""
from __future__ import annotations

import json
import threading
import urllib.parse
from pathlib import Path

from ...errors import SpinekgError
from ..terms import Term, load_terms, search
from . import render

STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain", ".json": "application/json"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
MAX_QUERY = 1000
# Shown under the Ask box: the README's own examples.
EXAMPLES = ["L4-L5 microdiscectomy", "C5-C6 ACDF", "T12-L1 fusion", "M48.062", "laminectomy"]


class WebApp:
    """The page's state: the term records and one lock around classification (kept serial: it is fast,
    and the answer side caches composers without locking)."""

    def __init__(self) -> None:
        from ...answer.profiles import DEFAULT_PROFILE, builtin_names

        self.terms: dict[str, Term] = load_terms()
        self.link = render.Linker(self.terms, lambda term_id: f"/term/{term_id}")
        self.profiles = [DEFAULT_PROFILE] + [p for p in builtin_names() if p != DEFAULT_PROFILE]
        self.static = {p.relative_to(STATIC).as_posix(): p for p in STATIC.rglob("*")
                       if p.is_file() and p.suffix in STATIC_TYPES}
        self.lock = threading.Lock()
        self._questions: list[dict] | None = None  # type: ignore[type-arg]

    # -- the hook -------------------------------------------------------------------------------------
    def __call__(self, handler) -> bool:  # type: ignore[no-untyped-def]
        """Serve ``handler``'s request if it is for the page; False leaves it to the SPARQL endpoint. An
        unexpected failure is one line with status 500, never a traceback on the console."""
        try:
            return self._serve(handler)
        except Exception as exc:  # noqa: BLE001 - a page must not take the server down
            handler._send(500, "text/plain", f"internal error: {type(exc).__name__}: {exc}\n"[:500].encode())
            return True

    def _serve(self, handler) -> bool:  # type: ignore[no-untyped-def]
        parts = urllib.parse.urlsplit(handler.path)
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
        path = parts.path
        if handler.command not in ("GET", "HEAD") or "query" in params or path == "/sparql":
            return False
        if path == "/":
            status, kind, body = 200, "text/html", self.ask(params)
        elif path == "/browse":
            status, kind, body = 200, "text/html", self.browse(params.get("q", ""))
        elif path.startswith("/term/"):
            status, kind, body = self.term(path[len("/term/"):])
        elif path == "/editor":
            status, kind, body = 200, "text/html", render.layout("Query", render.query_page(self.questions()), "query",
                                                                 head="<link rel=stylesheet href='/static/yasgui/yasgui.min.css'>")
        elif path == "/api/classify":
            status, kind, body = self.api_classify(params)
        elif path == "/api/search":
            found = search(self.terms, params.get("q", "")[:MAX_QUERY])
            status, kind, body = 200, "application/json", json.dumps(
                [{"id": t.id, "iri": t.iri, "label": t.label, "kind": t.kind} for t in found], ensure_ascii=False)
        elif path.startswith("/static/") and path[len("/static/"):] in self.static:
            file = self.static[path[len("/static/"):]]
            handler._send(200, STATIC_TYPES[file.suffix], file.read_bytes(), {"Cache-Control": "max-age=3600"})
            return True
        else:
            return False
        handler._send(status, kind, body.encode("utf-8"), {"Content-Security-Policy": CSP} if kind == "text/html" else {})
        return True

    # -- views ----------------------------------------------------------------------------------------
    def _classify(self, params: dict[str, str]) -> dict:  # type: ignore[type-arg]
        """The CLI's JSON for ``q`` (``system`` as ``--system``) under a built-in profile; a user's profile
        file is not reachable over HTTP (a path in a request must not make the server read files)."""
        from ...api import classify
        from ...codes.icd10 import SYSTEMS

        query = params.get("q", "").strip()
        profile = params.get("profile") or self.profiles[0]
        if not query:
            raise SpinekgError("type a procedure, a code or a term")
        if len(query) > MAX_QUERY:
            raise SpinekgError(f"the question is longer than {MAX_QUERY} characters")
        if profile not in self.profiles:
            raise SpinekgError(f"unknown profile {profile!r} (expected one of {', '.join(self.profiles)})")
        system = params.get("system") or None
        if system not in (None, *SYSTEMS):
            raise SpinekgError(f"unknown system {system!r} (expected {', '.join(SYSTEMS)})")
        needle = params.get("needle", "") in ("1", "true", "yes")  # the CLI's --needle-procedures
        with self.lock:
            return classify(query, system=system, profile=profile, needle=needle).to_dict()

    def ask(self, params: dict[str, str]) -> str:
        verdict, error = None, None
        if params.get("q", "").strip():
            try:
                verdict = self._classify(params)
            except SpinekgError as exc:
                error = str(exc)
        profile = params.get("profile") if params.get("profile") in self.profiles else self.profiles[0]
        body = render.ask_page(params.get("q", ""), self.profiles, profile, verdict, error, self.link, EXAMPLES)
        return render.layout("Ask", body, "ask")

    def api_classify(self, params: dict[str, str]) -> tuple[int, str, str]:
        try:
            return 200, "application/json", json.dumps(self._classify(params), ensure_ascii=False, indent=2)
        except SpinekgError as exc:
            return 400, "application/json", json.dumps({"error": str(exc)}, ensure_ascii=False)

    def browse(self, query: str) -> str:
        query = query[:MAX_QUERY]
        found = search(self.terms, query) if query.strip() else None
        groups: dict[str, list[Term]] = {}
        for term in sorted(self.terms.values(), key=lambda t: t.label.lower()):
            groups.setdefault(term.kind, []).append(term)
        order = list(render.KIND_TITLE)
        groups = dict(sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
        return render.layout("Browse", render.browse_page(query, found, groups, self.link), "browse")

    def term(self, term_id: str) -> tuple[int, str, str]:
        term = self.terms.get(urllib.parse.unquote(term_id))
        if term is None:
            body = f"<h1>No such term</h1><p>{render.e(term_id)} is not a spinekg term. <a href='/browse'>Browse</a></p>"
            return 404, "text/html", render.layout("Not found", body, "browse")
        return 200, "text/html", render.layout(term.label, render.term_page(term, self.link), "browse")

    def questions(self) -> list[dict]:  # type: ignore[type-arg]
        """The competency questions as the editor loads them (text with their declared defaults)."""
        if self._questions is None:
            from ...sparql.questions import list_questions

            self._questions = [{"name": q.name, "question": q.question, "query": editor_text(q)} for q in list_questions()]
        return self._questions


def editor_text(question) -> str:  # type: ignore[no-untyped-def]
    """The question's query with its declared parameter defaults bound by a trailing ``VALUES`` clause
    (SPARQL 1.1 allows one after the solution modifiers), so it runs as it is in the editor."""
    from ...sparql.questions import bind_params

    bound = bind_params(question, {})
    if not bound:
        return question.text
    cells = [f"<{t[1]}>" if t[0] == "iri" else json.dumps(t[1]) + f"^^<{t[2]}>" for t in bound.values()]
    names = " ".join(f"?{name}" for name in bound)
    return question.text.rstrip() + f"\nVALUES ({names}) {{ ({' '.join(cells)}) }}\n"


def mount(server) -> WebApp:  # type: ignore[no-untyped-def]
    """Serve the page on ``server`` (a :class:`spinekg.stores.endpoint.SparqlServer`)."""
    app = WebApp()
    server.pages = app
    return app
