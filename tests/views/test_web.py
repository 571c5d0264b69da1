"""The page at ``spinekg serve`` over HTTP: the JSON API returns exactly the CLI's JSON, term pages say
what the ontology says (checked against the runtime index and the released graph, not against copies of
the page), search finds terms by label and synonym, and the assets are shipped in the package."""
from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from spinekg.stores.dataset import require_release_edges
from spinekg.stores.endpoint import make_server, serve_in_thread
from spinekg.stores.loader import load
from spinekg.views.terms import load_terms, search
from spinekg.views.web import mount
from spinekg.views.web.app import STATIC

SPINEKG = "https://w3id.org/spinekg/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    store = tmp_path_factory.mktemp("web") / "store"
    load(require_release_edges(), [], store=store)
    server = make_server(store, 0, timeout=5, workers=1)
    mount(server)
    serve_in_thread(server)
    yield server.url.removesuffix("sparql")
    server.shutdown()
    server.server_close()


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


@pytest.mark.parametrize("query, profile", [("L4-L5 microdiscectomy", "seed"), ("C5-C6 ACDF", "seed"),
                                            ("T12-L1 fusion", "thoracolumbar"), ("M48.062", "seed"),
                                            ("0SG00A0", "whole-back"), ("spinekg:Laminectomy", "seed")])
def test_api_classify_is_exactly_the_cli_json(site, cli, query, profile):
    code, out, err = cli("classify", query, "--format", "json", "--profile", profile)
    assert code == 0, err
    status, head, body = get(f"{site}api/classify?{urllib.parse.urlencode({'q': query, 'profile': profile})}")
    assert (status, head["Content-Type"]) == (200, "application/json; charset=utf-8")
    assert body + "\n" == out


def test_api_classify_system_is_the_clis(site, cli):
    code, out, err = cli("classify", "M4806", "--format", "json", "--system", "icd10cm")
    assert code == 0, err
    assert get(f"{site}api/classify?q=M4806&system=icd10cm")[2] + "\n" == out
    code, out, err = cli("classify", "81.07", "--format", "json")  # ICD-9-CM, through the GEMs
    assert code == 0, err
    assert get(f"{site}api/classify?q=81.07")[2] + "\n" == out
    code, out, err = cli("classify", "0S523ZZ", "--format", "json", "--needle-procedures")
    assert code == 0, err
    assert get(f"{site}api/classify?q=0S523ZZ&needle=1")[2] + "\n" == out
    assert get(f"{site}api/classify?q=0S523ZZ")[2] + "\n" != out  # the option changes this answer
    status, _, body = get(f"{site}api/classify?q=M4806&system=icd9")
    assert status == 400 and json.loads(body) == {"error": "unknown system 'icd9' (expected icd10pcs, icd10cm, icd9cm)"}


def test_api_classify_refuses_what_it_cannot_answer(site):
    for params, message in (({"q": "L4 fusion", "profile": "/etc/passwd"}, "unknown profile '/etc/passwd'"),
                            ({"q": ""}, "type a procedure, a code or a term"),
                            ({"q": "x" * 1001}, "the question is longer than 1000 characters")):
        status, _, body = get(f"{site}api/classify?{urllib.parse.urlencode(params)}")
        assert status == 400 and json.loads(body)["error"].startswith(message)


def test_ask_page_shows_both_verdicts_and_links_every_term_in_the_chain(site):
    status, head, body = get(f"{site}?{urllib.parse.urlencode({'q': 'L4-L5 microdiscectomy'})}")
    assert status == 200 and "default-src 'self'" in head["Content-Security-Policy"]
    answers = dict(re.findall(r"<b data-answer='([^']+)'>([^<]+)</b>", body))
    assert answers == {"spine surgery": "yes", "back surgery": "yes"}
    why = body.split("<ol class=why>")[1].split("</ol>")[0]
    linked = re.findall(r"<a class=term href='/term/(\w+)'>", why)
    for term in ("Microdiscectomy", "DiscL4L5", "LumbarIntervertebralDisc", "LumbarSpine", "LowerBack", "BackSurgery"):
        assert term in linked


def test_term_pages_say_what_the_index_and_the_graph_say(site):
    terms = load_terms()
    status, _, body = get(f"{site}term/DiscL4L5")
    text = html.unescape(body)
    assert status == 200 and "<h1>L4-L5 intervertebral disc</h1>" in text
    assert "The intervertebral disc between L4 and L5." in text and "L4/L5 disc" in text
    assert "<dt>Parents (is a)</dt><dd><a class=term href='/term/LumbarIntervertebralDisc'>" in text
    assert "<dt>Part of</dt><dd><a class=term href='/term/MotionSegmentL4L5'>" in text
    assert dict(re.findall(r"<b data-answer='([^']+)'>([^<]+)</b>", body)) == {
        "spinal site": "yes", "surgery here is back surgery": "yes"}
    # a procedure: its verdict, sites, approaches, specialties and recovery, from the runtime index
    status, _, body = get(f"{site}term/Microdiscectomy")
    facts = terms["Microdiscectomy"].facts
    assert dict(re.findall(r"<b data-answer='([^']+)'>([^<]+)</b>", body)) == {
        "spine surgery": facts["spine_surgery"], "back surgery": facts["back_surgery"]}
    for title, key in (("Sites", "sites"), ("Approaches", "approaches"), ("Specialties", "specialties"),
                       ("Recovery", "recovery")):
        row = body.split(f"<dt>{title}</dt><dd>")[1].split("</dd>")[0]
        assert re.findall(r"href='/term/(\w+)'", row) == facts[key] != []
    # xrefs link to their sources; back surgery lists the procedures classified under it
    body = get(f"{site}term/IntervertebralDisc")[2]
    assert "<a href='http://purl.obolibrary.org/obo/UBERON_0001066' rel=external>UBERON:0001066</a>" in body
    body = get(f"{site}term/BackSurgery")[2]
    under = re.findall(r"href='/term/(\w+)'", body.split("<dt>Procedures that are this</dt><dd>")[1].split("</dd>")[0])
    assert "LumbarMicrodiscectomy" in under and "AnteriorCervicalDiscectomyAndFusion" not in under
    assert get(f"{site}term/NoSuchThing")[0] == 404


def test_procedures_at_a_site_with_the_answer_there_agree_with_ask(site):
    from spinekg.api import classify

    for level, text, procedure in (("DiscL4L5", "L4-L5 microdiscectomy", "Microdiscectomy"),
                                   ("DiscC5C6", "C5-C6 ACDF", "AnteriorCervicalDiscectomyAndFusion"),
                                   ("DiscC5C6", "C5-C6 microdiscectomy", "Microdiscectomy")):
        body = get(f"{site}term/{level}")[2]
        row = body.split("<dt>Procedures at this site (back surgery here?)</dt><dd>")[1].split("</dd>")[0]
        listed = dict(re.findall(r"href='/term/(\w+)'>[^<]*</a> <span class='tag \w+' title='back surgery here'>(\w+)<", row))
        assert listed[procedure] == classify(text).back_surgery
    lumbar = get(f"{site}term/DiscL4L5")[2]
    assert "href='/term/AnteriorCervicalDiscectomyAndFusion'" not in lumbar.split("Procedures at this site")[1]


def test_the_hierarchy_is_the_transitive_reduction_of_the_released_closure():
    terms = load_terms()
    for term in terms.values():
        for parent in term.parents:
            assert term.id in terms[parent].children
            # no parent is an ancestor of another parent
            assert not any(parent in _ancestors(terms, other) for other in term.parents if other != parent)


def _ancestors(terms, term_id, seen=None):  # type: ignore[no-untyped-def]
    seen = set() if seen is None else seen
    for parent in terms[term_id].parents:
        if parent not in seen:
            seen.add(parent)
            _ancestors(terms, parent, seen)
    return seen


def test_search_finds_every_term_by_its_label_and_each_synonym(site):
    terms = load_terms()
    for term in terms.values():
        for name in (term.label, *term.synonyms):
            assert term.id in [t.id for t in search(terms, name)], name
    found = json.loads(get(f"{site}api/search?q=acdf")[2])
    assert found[0] == {"id": "AnteriorCervicalDiscectomyAndFusion", "iri": SPINEKG + "AnteriorCervicalDiscectomyAndFusion",
                        "label": terms["AnteriorCervicalDiscectomyAndFusion"].label, "kind": "procedure"}
    body = get(f"{site}browse?q=L4%2F5+disc")[2]
    assert "<a class=term href='/term/DiscL4L5'>" in body


def test_assets_are_shipped_and_sparql_paths_stay_the_endpoints(site):
    for name in ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css", "yasgui/LICENSE.txt", "app.css", "query.js"):
        assert (STATIC / name).is_file()
        assert get(f"{site}static/{name}")[0] == 200
    assert "MIT License" in (STATIC / "yasgui/LICENSE.txt").read_text()
    assert get(f"{site}static/../app.py")[0] == 404
    editor = get(f"{site}editor")[2]
    questions = json.loads(editor.split("<script id=questions type='application/json'>")[1].split("</script>")[0])
    assert len(questions) == 41 and questions[10]["query"].rstrip().endswith(
        "VALUES (?level) { (<https://w3id.org/spinekg/MotionSegmentT12L1>) }")
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    assert json.loads(get(f"{site}?{query}", {"Accept": "application/sparql-results+json"})[2]) == {"head": {}, "boolean": True}
