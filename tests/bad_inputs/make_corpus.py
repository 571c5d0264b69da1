"""Writes the bad-input corpus and its manifest cases.yaml (run from this directory: python make_corpus.py)."""
import yaml
H = """@prefix ex: <https://w3id.org/spinekg/example/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix spinekg: <https://w3id.org/spinekg/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
"""
def case(body_case="", proc="spinekg:LumbarMicrodiscectomy", proc_extra="spinekg:hasSite ex:bad-site-1 ;", site="spinekg:DiscL4L5", date='"2024-05-01"^^xsd:date', cid='"bad"', label='"bad case"', extra=""):
    parts = ["ex:bad a spinekg:SurgicalCase ;"]
    if label is not None: parts.append(f"    rdfs:label {label} ;")
    if cid is not None: parts.append(f"    spinekg:caseId {cid} ;")
    if date is not None: parts.append(f"    spinekg:caseDate {date} ;")
    parts.append(body_case)
    parts.append("    spinekg:hasProcedure ex:bad-procedure .")
    parts.append(f"ex:bad-procedure a {proc} ; {proc_extra} .".replace("; .", "."))
    if site: parts.append(f"ex:bad-site-1 a {site} .")
    return H + "\n".join(p for p in parts if p) + "\n" + extra

cases = []
def add(name, content, code, message, kind="validate"):
    mode = "wb" if isinstance(content, bytes) else "w"
    with open(name, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
        f.write(content)
    cases.append({"file": name, "command": kind, "exit": code, "message": message})

# --- files that cannot be read (exit 2) ---
add("empty.ttl", "", 2, "the file is empty")
add("only-prefixes.ttl", H, 2, "contains no RDF triples")
add("only-comments.ttl", "# nothing here\n# at all\n", 2, "contains no RDF triples")
add("syntax-missing-dot.ttl", H + 'ex:bad a spinekg:SurgicalCase ;\n spinekg:caseId "1"\nex:other a spinekg:SurgicalCase .\n', 2, "cannot parse as RDF")
add("syntax-unclosed-string.ttl", H + 'ex:bad spinekg:caseId "never closed .\n', 2, "cannot parse as RDF")
add("syntax-undefined-prefix.ttl", 'ex:bad a spinekg:SurgicalCase .\n', 2, "cannot parse as RDF")
add("syntax-bad-iri.ttl", H + '<http://exa mple.org/x> a spinekg:SurgicalCase .\n', 2, "invalid IRI")
add("syntax-bad-ntriples.nt", '<https://w3id.org/spinekg/example/bad> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> .\n', 2, "cannot parse as RDF")
add("syntax-broken-rdfxml.owl", '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description rdf:about="x">\n</rdf:RDF>\n', 2, "cannot parse as RDF")
add("syntax-broken-jsonld.jsonld", '{"@context": {"x": "http://example.org/"}, "@id": ', 2, "cannot parse as RDF")
add("not-rdf-csv.ttl", "case_id,date,procedure\n1,2024-05-01,microdiscectomy\n", 2, "cannot parse as RDF")
add("latin1-bytes.ttl", (H + 'ex:bad a spinekg:SurgicalCase ;\n  rdfs:label "Patient M\xfcller" ; spinekg:caseId "1" .\n').encode("latin-1"), 2, "not UTF-8 text")
add("utf16.ttl", (H + 'ex:bad a spinekg:SurgicalCase .\n').encode("utf-16"), 2, "UTF-16")
add("utf16-no-bom.ttl", (H + 'ex:bad a spinekg:SurgicalCase .\n').encode("utf-16-le"), 2, "binary or UTF-16/32 data")
add("binary-gzip.ttl", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00", 2, "binary or UTF-16/32 data")
add("nul-bytes.ttl", b"\x00\x00\x00\x00" + H.encode(), 2, "binary or UTF-16/32 data")
# --- records that parse but violate the model (exit 1) ---
add("missing-date.ttl", case(date=None), 1, "exactly one date of surgery")
add("two-dates.ttl", case(date='"2024-05-01"^^xsd:date, "2024-05-02"^^xsd:date'), 1, "exactly one date of surgery")
add("impossible-date.ttl", case(date='"2024-02-30"^^xsd:date'), 1, "a valid calendar date")
add("date-as-string.ttl", case(date='"01/05/2024"'), 1, "typed xsd:date")
add("date-wrong-datatype.ttl", case(date='"2024-05-01T10:00:00"^^xsd:dateTime'), 1, "typed xsd:date")
add("missing-case-id.ttl", case(cid=None), 1, "exactly one case identifier")
add("two-case-ids.ttl", case(cid='"1", "2"'), 1, "exactly one case identifier")
add("case-id-integer.ttl", case(cid='42'), 1, "exactly one case identifier")
add("huge-case-id.ttl", case(cid='"' + "9" * 200000 + '"'), 1, "exactly one case identifier")
add("huge-label.ttl", case(label='"' + "x" * 1000000 + '"'), 1, "at most one label")
add("missing-procedure.ttl", H + 'ex:bad a spinekg:SurgicalCase ; spinekg:caseId "1" ; spinekg:caseDate "2024-05-01"^^xsd:date .\n', 1, "exactly one procedure")
add("two-procedures.ttl", case(extra='ex:bad spinekg:hasProcedure ex:bad-procedure-2 .\nex:bad-procedure-2 a spinekg:Laminectomy .\n'), 1, "exactly one procedure")
add("procedure-literal.ttl", H + 'ex:bad a spinekg:SurgicalCase ; spinekg:caseId "1" ; spinekg:caseDate "2024-05-01"^^xsd:date ; spinekg:hasProcedure "microdiscectomy" .\n', 1, "exactly one procedure")
add("procedure-untyped.ttl", case(proc="owl:Thing"), 1, "exactly one procedure of spinekg")
add("procedure-two-classes.ttl", case(proc="spinekg:LumbarMicrodiscectomy, spinekg:Laminectomy"), 1, "exactly one procedure of spinekg")
add("procedure-typed-back-surgery-too.ttl", case(proc="spinekg:LumbarMicrodiscectomy, spinekg:BackSurgery"), 1, "exactly one procedure of spinekg")
add("procedure-is-anatomy.ttl", case(proc="spinekg:DiscL4L5"), 1, "exactly one procedure of spinekg")
add("unknown-procedure-term.ttl", case(proc="spinekg:MicroDiscectomyy"), 1, "Unknown term: the procedure type")
add("unknown-site-term.ttl", case(site="spinekg:DiscL4L6"), 1, "Unknown term: the site type")
add("site-not-anatomy.ttl", case(site="spinekg:Neurosurgeon"), 1, "A site must be an anatomical structure")
add("site-untyped.ttl", case(site=None), 1, "A site must be an anatomical structure")
add("site-literal.ttl", case(proc_extra='spinekg:hasSite "L4-L5" ;', site=None), 1, "A site must be an anatomical structure")
add("specialty-not-specialist.ttl", case(body_case="    spinekg:surgeonSpecialty spinekg:LumbarSpine ;"), 1, "must be one kind of specialist")
add("specialty-unknown.ttl", case(body_case="    spinekg:surgeonSpecialty spinekg:Neurosurgeom ;"), 1, "Unknown term: the surgeon specialty")
add("specialty-two.ttl", case(body_case="    spinekg:surgeonSpecialty spinekg:Neurosurgeon, spinekg:OrthopaedicSurgeon ;"), 1, "must be one kind of specialist")
add("diagnosis-code-malformed.ttl", case(body_case='    spinekg:diagnosisCode "not-a-code" ;'), 1, "ICD-10-CM code")
add("diagnosis-code-no-dot.ttl", case(body_case='    spinekg:diagnosisCode "M48062" ;'), 1, "ICD-10-CM code")
add("diagnosis-code-integer.ttl", case(body_case='    spinekg:diagnosisCode 4806 ;'), 1, "ICD-10-CM code")
add("level-wrong-order.ttl", case(proc="spinekg:Microdiscectomy", proc_extra='spinekg:levelText "L5-L4" ;', site=None), 1, "wrong order")
add("level-l7.ttl", case(proc="spinekg:Laminectomy", proc_extra='spinekg:levelText "L7" ;', site=None), 1, "L7 is not a vertebral level")
add("level-c9.ttl", case(proc="spinekg:Laminectomy", proc_extra='spinekg:levelText "C9" ;', site=None), 1, "C9 is not a vertebral level")
add("level-t13-range.ttl", case(proc="spinekg:SpinalFusion", proc_extra='spinekg:levelText "T12-T13" ;', site=None), 1, "T13 is not a vertebral level")
add("level-no-level.ttl", case(proc="spinekg:Laminectomy", proc_extra='spinekg:levelText "lower lumbar" ;', site=None), 1, "no vertebral level found")
add("level-not-string.ttl", case(proc="spinekg:Laminectomy", proc_extra='spinekg:levelText 45 ;', site=None), 1, "spinekg:levelText")
add("back-surgery-at-cervical-site.ttl", case(proc="spinekg:LumbarMicrodiscectomy", site="spinekg:DiscC5C6"), 1, "lumbar microdiscectomy operates on lumbar intervertebral disc, which cannot lie within C5-C6")
add("asserted-back-verdict-cervical.ttl", case(proc="spinekg:Laminectomy", site="spinekg:VertebraC5", body_case='    spinekg:backSurgeryVerdict "yes" ;'), 1, "no site of its procedure is in the lower back")
add("verdict-not-three-valued.ttl", case(body_case='    spinekg:spineSurgeryVerdict "maybe" ;'), 1, "\"yes\", \"no\" or \"depends\"")
add("recovery-not-a-recovery-profile.ttl", case(body_case='    spinekg:expectedRecovery spinekg:Neurosurgeon ;'), 1, "must be a recovery profile of spinekg")
add("endoscopic-open-fusion.ttl", case(proc="spinekg:PosteriorLumbarInterbodyFusion", site="spinekg:MotionSegmentL4L5", proc_extra="spinekg:hasSite ex:bad-site-1 ; spinekg:hasApproach spinekg:EndoscopicApproach ;"), 1, "open, minimally invasive (endoscopic, percutaneous) and external approaches exclude one another")
add("open-microdiscectomy.ttl", case(proc="spinekg:Microdiscectomy", proc_extra="spinekg:hasSite ex:bad-site-1 ; spinekg:hasApproach spinekg:OpenApproach ;"), 1, "open, minimally invasive (endoscopic, percutaneous) and external approaches exclude one another")
add("anterior-approach-laminectomy.ttl", case(proc="spinekg:Laminectomy", site="spinekg:VertebraL4", proc_extra="spinekg:hasSite ex:bad-site-1 ; spinekg:hasApproach spinekg:AnteriorApproach ;"), 1, "anterior (from the front), posterior (from the back) and lateral (from the side) approaches exclude one another")
add("external-approach-discectomy.ttl", case(proc="spinekg:Discectomy", proc_extra="spinekg:hasSite ex:bad-site-1 ; spinekg:hasApproach spinekg:ExternalApproach ;"), 1, "discectomy is performed through a minimally invasive approach or an open approach, which excludes the recorded external approach")
add("anterior-approach-si-joint-fusion.ttl", case(proc="spinekg:SacroiliacJointFusion", site="spinekg:SacroiliacJoint", proc_extra="spinekg:hasSite ex:bad-site-1 ; spinekg:hasApproach spinekg:AnteriorApproach ;"), 1, "sacroiliac joint fusion is performed through a lateral approach or a posterior approach, which excludes the recorded anterior approach")
add("approach-not-an-approach.ttl", case(proc_extra="spinekg:hasSite ex:bad-site-1 ; spinekg:hasApproach spinekg:DiscL4L5 ;"), 1, "must be an approach of spinekg")
add("approach-unknown.ttl", case(proc_extra="spinekg:hasSite ex:bad-site-1 ; spinekg:hasApproach spinekg:RoboticApproach ;"), 1, "Unknown term: the approach")
add("incompatible-site-acdf-lumbar.ttl", case(proc="spinekg:AnteriorCervicalDiscectomyAndFusion", site="spinekg:DiscL4L5"), 1, "The site contradicts the procedure: anterior cervical discectomy and fusion")
# --- extensions ---
add("extension-cyclic-part-of.ttl", H + """spinekg:WidgetA a owl:Class ; rdfs:label "widget a"@en ; obo:IAO_0000115 "A test structure that is part of widget b."@en ;
    rdfs:subClassOf spinekg:AnatomicalStructure , [ a owl:Restriction ; owl:onProperty obo:BFO_0000050 ; owl:someValuesFrom spinekg:WidgetB ] .
spinekg:WidgetB a owl:Class ; rdfs:label "widget b"@en ; obo:IAO_0000115 "A test structure that is part of widget a."@en ;
    rdfs:subClassOf spinekg:AnatomicalStructure , [ a owl:Restriction ; owl:onProperty obo:BFO_0000050 ; owl:someValuesFrom spinekg:WidgetA ] .
""", 1, "Cyclic part-of")
add("extension-missing-definition.ttl", H + 'spinekg:NewThing a owl:Class ; rdfs:label "new thing"@en ; rdfs:subClassOf spinekg:AnatomicalStructure .\n', 1, "exactly one textual definition")
add("extension-two-labels.ttl", H + 'spinekg:NewThing a owl:Class ; rdfs:label "new thing"@en, "another name"@en ; obo:IAO_0000115 "A new thing for the test corpus."@en ; rdfs:subClassOf spinekg:AnatomicalStructure .\n', 1, "exactly one label")
add("extension-bad-xref.ttl", H + '@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .\nspinekg:NewThing a owl:Class ; rdfs:label "new thing"@en ; obo:IAO_0000115 "A new thing for the test corpus."@en ; oboInOwl:hasDbXref "SNOMEDCT:123456" ; rdfs:subClassOf spinekg:AnatomicalStructure .\n', 1, "well-formed CURIE of a known prefix")
add("extension-procedure-without-site.ttl", H + 'spinekg:NewOperation a owl:Class ; rdfs:label "new operation"@en ; obo:IAO_0000115 "An operation with neither site nor approach."@en ; rdfs:subClassOf spinekg:OperativeProcedure .\n', 1, "A procedure needs a site")
# --- infer ---
add("infer-syntax-error.ttl", H + 'ex:bad a spinekg:SurgicalCase , .\n', 2, "cannot parse as RDF", kind="infer")
add("infer-empty.nt", "", 2, "the file is empty", kind="infer")

# --- hostile files, for every command that reads a file (issue 18/19): each refused with exit 2 and one line ---
def add_limited(name, content, message, kind, limits):
    add(name, content, 2, message, kind)
    cases[-1]["limits"] = limits

PORT, CANARY = 9, "file:///nonexistent/spinekg-canary.txt"  # nothing listens on port 9; the canary never exists
REACH = {
    "ctx-http.jsonld": ('{"@context": "http://127.0.0.1:%d/ctx", "@id": "http://example.org/x"}' % PORT, "@context"),
    "ctx-file.jsonld": ('{"@context": "%s", "@id": "http://example.org/x"}' % CANARY, "@context"),
    "ctx-relative.jsonld": ('{"@context": "context.jsonld", "@id": "http://example.org/x"}', "@context"),
    "ctx-list.jsonld": ('{"@context": [{"a": "http://example.org/a"}, "%s"], "@id": "http://example.org/x"}' % CANARY, "@context"),
    "ctx-import.jsonld": ('{"@context": {"@version": 1.1, "@import": "%s"}, "@id": "http://example.org/x"}' % CANARY, "@import"),
    "ctx-scoped.jsonld": ('{"@context": {"p": {"@id": "http://example.org/p", "@context": "%s"}}, "@id": "http://example.org/x"}' % CANARY, "@context"),
    "xxe-file.owl": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "%s">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://example.org/x"><rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>\n' % CANARY, "external entity"),
    "xxe-http.owl": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e PUBLIC "-//x" "http://127.0.0.1:%d/e">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://example.org/x"><rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>\n' % PORT, "external entity"),
    "dtd-external.owl": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "%s">\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n' % CANARY, "external DTD"),
    "param-entity.owl": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY %% p SYSTEM "%s"> %%p;]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n' % CANARY, "parameter entity"),
    "laughs.owl": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://example.org/x"><rdf:value>&b;</rdf:value></rdf:Description></rdf:RDF>\n', "refers to another entity"),
    "imports-http.ttl": (H + "<http://example.org/o> a owl:Ontology ; owl:imports <http://127.0.0.1:%d/o> .\n" % PORT, "owl:imports"),
    "imports-file.ttl": (H + "<http://example.org/o> a owl:Ontology ; owl:imports <%s> .\n" % CANARY, "owl:imports"),
    "imports-http.nt": ("<http://example.org/o> <http://www.w3.org/2002/07/owl#imports> <http://127.0.0.1:%d/o> .\n" % PORT, "owl:imports"),
    "imports-http.jsonld": ('{"@id": "http://example.org/o", "http://www.w3.org/2002/07/owl#imports": {"@id": "http://127.0.0.1:%d/o"}}' % PORT, "owl:imports"),
    "imports-file.owl": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="http://www.w3.org/2002/07/owl#"><owl:Ontology rdf:about="http://example.org/o"><owl:imports rdf:resource="%s"/></owl:Ontology></rdf:RDF>\n' % CANARY, "owl:imports"),
    "imports-other.ttl": (H + "<http://example.org/o> a owl:Ontology ; owl:imports <http://purl.obolibrary.org/obo/uberon.owl> .\n", "owl:imports"),
}
NT_LABEL = '<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "%s" .\n'
SIZES = {  # small files over lowered limits: the mechanism, not the machine, is what is tested here
    "literal.nt": (NT_LABEL % ("x" * 300), "literal-bytes", {"literal-bytes": 200}),
    "literal-no-newline.nt": ((NT_LABEL % ("x" * 300)).rstrip("\n"), "literal-bytes", {"literal-bytes": 200}),
    "literal.ttl": (H + 'ex:x rdfs:label """%s""" .\n' % ("y\n" * 200), "literal-bytes", {"literal-bytes": 200}),
    "literal.jsonld": ('{"@id": "http://example.org/x", "http://example.org/p": "%s"}' % ("z" * 300), "literal-bytes", {"literal-bytes": 200}),
    "literal.owl": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://example.org/x"><rdf:value>%s</rdf:value></rdf:Description></rdf:RDF>\n' % ("w" * 300), "literal-bytes", {"literal-bytes": 200}),
    "list.ttl": (H + "ex:x ex:p (%s) .\n" % (" 1" * 60), "list-items", {"list-items": 50}),
    "list.jsonld": ('{"@id": "http://example.org/x", "http://example.org/p": {"@list": [%s]}}' % ", ".join(["1"] * 60), "list-items", {"list-items": 50}),
    "triples.ttl": (H + "".join("ex:x%d a ex:Thing .\n" % i for i in range(60)), "triples", {"triples": 50}),
    "triples.nt": ("".join("<http://example.org/x%d> <http://example.org/p> <http://example.org/y> .\n" % i for i in range(60)), "triples", {"triples": 50}),
    "depth.jsonld": ('{"@id": "http://example.org/x", "http://example.org/p": ' + "[" * 30 + "1" + "]" * 30 + "}", "depth", {"depth": 20}),
    "entities.owl": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [%s]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n' % "".join('<!ENTITY e%d "v">' % i for i in range(10)), "xml-entities", {"xml-entities": 5}),
    "blowup.owl": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "%s">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://example.org/x"><rdf:value>%s</rdf:value></rdf:Description></rdf:RDF>\n' % ("x" * 1000, "&a;" * 2000), "xml-entities", {}),
    "file-size.ttl": (H + "ex:x a ex:Thing .\n", "file-bytes", {"file-bytes": 100}),
}
RDF_COMMANDS = ["validate", "infer", "query-data", "load", "profile", "check"]
for name, (content, message) in REACH.items():
    stem, suffix = name.rsplit(".", 1)
    for command in RDF_COMMANDS:
        add(f"reach-{stem}.{command}.{suffix}", content, 2, message, command)
for name, (content, message, limits) in SIZES.items():
    stem, suffix = name.rsplit(".", 1)
    for command in RDF_COMMANDS:
        add_limited(f"limit-{stem}.{command}.{suffix}", content, message, command, limits)
# files that are not RDF at all, in each syntax, for each command
for suffix, content, message in [("ttl", b"\x00\x01\x02\xff\xfe", None), ("nt", b"\xff\xfe<\x00x\x00>\x00", None),
                                 ("owl", b"<?xml version='1.0'?><rdf:RDF", "cannot parse as RDF"),
                                 ("jsonld", b'{"@id": [1, 2', "cannot parse as RDF"),
                                 ("jsonld", b"\xef\xbb\xbf[[[[", "cannot parse as RDF")]:
    for command in ["query-data", "load", "profile", "check"]:
        # Oxigraph (query, load) reports the syntax, rdflib (profile, check) the encoding: both one line, exit 2
        said = message or ("not UTF-8 text" if command in ("profile", "check") else "cannot parse as RDF")
        add(f"garbage-{len([c for c in cases if c['file'].startswith('garbage-')])}.{command}.{suffix}", content, 2, said, command)
# query files
SPARQL = {
    "service-http": "SELECT * WHERE { SERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }" % PORT,
    "service-file": "SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }" % CANARY,
    "service-escaped": "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }" % PORT,
    "service-lower": "select * where { service <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }" % PORT,
    "service-silent": "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:%d/> { ?s ?p ?o } }" % PORT,
    "service-variable": "SELECT * WHERE { BIND(<%s> AS ?e) SERVICE ?e { ?s ?p ?o } }" % CANARY,
    "service-nested": "SELECT * WHERE { { OPTIONAL { SERVICE <http://127.0.0.1:%d/> { ?s ?p ?o } } } }" % PORT,
    "service-ask": "ASK { SERVICE <http://127.0.0.1:%d/> { ?s ?p ?o } }" % PORT,
}
for name, text in SPARQL.items():
    add(f"query-{name}.rq", text + "\n", 2, "SERVICE (federated query) is refused", "query-file")
    add(f"query-{name}-rdflib.rq", text + "\n", 2, "SERVICE (federated query) is refused", "query-file-rdflib")
for name, content, message in [("syntax", "SELECT * WHERE { ?s ?p }\n", "query"), ("empty", "", "query"),
                               ("binary", b"\x00\xff\xfe\x00", "not UTF-8"), ("update", "DROP ALL\n", "query"),
                               ("unclosed-string", 'SELECT * WHERE { ?s ?p "x }\n', "query")]:
    add(f"query-bad-{name}.rq", content, 2, message, "query-file")
add_limited("query-too-long.rq", "SELECT * WHERE { ?s ?p ?o }" + " " * 200 + "\n", "query-bytes", "query-file", {"query-bytes": 100})
add_limited("query-too-many-rows.rq", "SELECT * WHERE { ?s ?p ?o }\n", "query-rows", "query-file", {"query-rows": 10})
# tables: CSV and Parquet for classify-file, code lists for crosswalk --codes
add_limited("csv-wide.classify-file.csv", ",".join("c%d" % i for i in range(50)) + "\n" + ",".join("x" * 50) + "\n", "columns limit", "classify-file", {"columns": 20})
add("csv-no-column.classify-file.csv", "id,other\n1,0SG00A0\n", 2, "no column 'code'", "classify-file")
add("csv-latin1.classify-file.csv", "code\n0SG00A0\nM\xfcller\n".encode("latin-1"), 2, "invalid UTF8 data", "classify-file")
add("csv-empty.classify-file.csv", "", 2, "empty file", "classify-file")
add("csv-binary.classify-file.csv", b"\x00\x00\x00\n\xff", 2, "classify-file", "classify-file")
add("parquet-garbage.classify-file.parquet", b"PAR1 this is not parquet", 2, "cannot read as Parquet", "classify-file")
add("parquet-empty.classify-file.parquet", b"", 2, "cannot read as Parquet", "classify-file")
add_limited("codes-long-line.crosswalk.txt", "0SG00A0\n" + "X" * 500 + "\n", "line-bytes", "crosswalk-codes", {"line-bytes": 100})
add("codes-not-pcs.crosswalk.txt", "0SG00A0\nnot a code\n", 2, "is not an ICD-10-PCS code", "crosswalk-codes")
add("codes-latin1.crosswalk.txt", "0SG00A0\nM\xfcller\n".encode("latin-1"), 2, "not UTF-8", "crosswalk-codes")

with open("cases.yaml", "w") as f:
    f.write("# Bad-input corpus: each file, the command run on it, the expected exit code and a fragment of the\n"
            "# expected message (stdout for violations, stderr for errors). tests/test_shacl_bad_inputs.py runs them all.\n")
    yaml.safe_dump(cases, f, sort_keys=False, allow_unicode=True, width=200)
print(len(cases))
