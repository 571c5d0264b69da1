"""Hostile files that try to make spinekg reach the network or another file, built per run around a canary
listener port and a canary file path (both on this machine only)."""
from __future__ import annotations

from pathlib import Path

H = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix spinekg: <https://w3id.org/spinekg/> .\n"
CASE = ('<https://w3id.org/spinekg/example/x> a <https://w3id.org/spinekg/SurgicalCase> ;\n'
        '  <https://w3id.org/spinekg/caseId> "x" .\n')


def reaching_files(directory: Path, port: int, canary: Path) -> dict[str, str]:
    """name -> content: every way a data file could name a URL or a file for a parser to dereference."""
    url, local = f"http://127.0.0.1:{port}", canary.as_uri()
    entity = '<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{}">]>'
    xml = ('<?xml version="1.0"?>\n{}\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns:owl="http://www.w3.org/2002/07/owl#">\n<rdf:Description rdf:about="http://example.org/x">'
           '<rdf:value>{}</rdf:value></rdf:Description>\n{}</rdf:RDF>\n')
    files = {
        "ctx-http.jsonld": f'{{"@context": "{url}/ctx", "@id": "http://example.org/x", "name": "x"}}',
        "ctx-file.jsonld": f'{{"@context": "{local}", "@id": "http://example.org/x", "name": "x"}}',
        "ctx-list.jsonld": f'{{"@context": [{{"a": "http://example.org/a"}}, "{url}/ctx"], "@id": "http://example.org/x"}}',
        "ctx-import.jsonld": f'{{"@context": {{"@version": 1.1, "@import": "{url}/ctx"}}, "@id": "http://example.org/x"}}',
        "ctx-scoped.jsonld": (f'{{"@context": {{"p": {{"@id": "http://example.org/p", "@context": "{local}"}}}}, '
                              f'"@id": "http://example.org/x", "p": {{"@id": "http://example.org/y"}}}}'),
        "ctx-nested-node.jsonld": (f'{{"@context": {{"p": "http://example.org/p"}}, "@id": "http://example.org/x", '
                                   f'"p": {{"@context": "{url}/inner", "@id": "http://example.org/y"}}}}'),
        "ctx-relative.jsonld": f'{{"@context": "{canary.name}", "@id": "http://example.org/x"}}',
        "xxe-file.owl": xml.format(entity.format(local), "&e;", ""),
        "xxe-http.owl": xml.format(entity.format(url + "/e"), "&e;", ""),
        "dtd-external.owl": xml.format(f'<!DOCTYPE rdf:RDF SYSTEM "{url}/dtd">', "x", ""),
        "dtd-public.owl": xml.format(f'<!DOCTYPE rdf:RDF PUBLIC "-//x//x" "{local}">', "x", ""),
        "param-entity.owl": xml.format(f'<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{url}/p"> %p;]>', "x", ""),
        "imports-http.owl": xml.format("", "x", f'<owl:Ontology rdf:about="http://example.org/o"><owl:imports '
                                                f'rdf:resource="{url}/onto"/></owl:Ontology>\n'),
        "imports-http.ttl": H + f"<http://example.org/o> a owl:Ontology ; owl:imports <{url}/onto> .\n" + CASE,
        "imports-file.ttl": H + f"<http://example.org/o> a owl:Ontology ; owl:imports <{local}> .\n" + CASE,
        "imports-http.nt": (f"<http://example.org/o> <http://www.w3.org/2002/07/owl#imports> <{url}/onto> .\n"),
        "imports-http.jsonld": (f'{{"@id": "http://example.org/o", "@type": "http://www.w3.org/2002/07/owl#Ontology", '
                                f'"http://www.w3.org/2002/07/owl#imports": {{"@id": "{url}/onto"}}}}'),
        "imports-main.ttl": H + "<http://example.org/o> a owl:Ontology ; owl:imports <https://w3id.org/spinekg/spinekg.owl> .\n" + CASE,
        "base-http.ttl": f"@base <{url}/> .\n<x> a <https://w3id.org/spinekg/SurgicalCase> ; <https://w3id.org/spinekg/caseId> \"x\" .\n",
        "see-also.ttl": H + f"<https://w3id.org/spinekg/example/x> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{url}/more>, <{local}> .\n" + CASE,
    }
    return files


def reaching_queries(port: int, canary: Path) -> dict[str, str]:
    url, local = f"http://127.0.0.1:{port}", canary.as_uri()
    return {
        "service-http.rq": f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-file.rq": f"SELECT * WHERE {{ SERVICE <{local}> {{ ?s ?p ?o }} }}",
        "service-escaped.rq": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-silent.rq": f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-var.rq": f"SELECT * WHERE {{ BIND(<{url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "from-file.rq": f"SELECT * FROM <{local}> WHERE {{ ?s ?p ?o }} LIMIT 1",
        "from-http.rq": f"SELECT * FROM NAMED <{url}/g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
    }
