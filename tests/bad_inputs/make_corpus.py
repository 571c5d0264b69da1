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

with open("cases.yaml", "w") as f:
    f.write("# Bad-input corpus: each file, the command run on it, the expected exit code and a fragment of the\n"
            "# expected message (stdout for violations, stderr for errors). tests/test_shacl_bad_inputs.py runs them all.\n")
    yaml.safe_dump(cases, f, sort_keys=False, allow_unicode=True, width=200)
print(len(cases))
