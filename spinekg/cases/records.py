"""Surgical case records: the instance-data model, the shipped example set and a synthetic generator.

A case record is deliberately small (the vocabulary is declared in ``ontology/modules/cases.ttl``)::

    ex:case-0001 a spinekg:SurgicalCase ; rdfs:label "case 0001" ; spinekg:caseId "0001" ;
        spinekg:caseDate "2024-05-01"^^xsd:date ;          # exactly one
        spinekg:hasProcedure ex:case-0001-procedure ;      # exactly one
        spinekg:surgeonSpecialty spinekg:Neurosurgeon ;    # 0..1, a Specialist class (punned)
        spinekg:diagnosisCode "M48.062" .                  # 0..n ICD-10-CM codes
    ex:case-0001-procedure a spinekg:Microdiscectomy ;     # exactly one procedure class
        spinekg:hasSite ex:case-0001-site-1 .              # 0..n sites (levels)
    ex:case-0001-site-1 a spinekg:DiscL4L5 .

The procedure and its sites are individuals typed with ontology classes, so a DL reasoner would classify
the procedure exactly as the defined classes say, and SPARQL over the query-ready graph answers with
``rdf:type/rdfs:subClassOf*``.

The *query-ready case graph* is the records plus their derived verdicts, just as the ontology's query-ready
graph is asserted + inferred axioms: per case ``spinekg:spineSurgeryVerdict`` and
``spinekg:backSurgeryVerdict`` ("yes" / "no" / "depends"), ``spinekg:inRegion`` ("lumbar", ...) and
``spinekg:expectedRecovery`` (the typical recovery of the procedure class), exactly what the SHACL-AF rules
in ``ontology/shapes/rules.ttl`` derive (``spinekg infer``). Records never need to carry them: wherever case
data is loaded for competency questions (``spinekg query --data``, ``--docs``, the benchmarks)
:func:`spinekg.case_verdicts.add_verdicts` adds them, unless a case already carries them; a store for
``spinekg query --store`` must be loaded with them (:func:`spinekg.case_verdicts.write_verdicts` or
``spinekg infer`` output). The generator writes N-Triples by string building (100k records in about a
second) and is deterministic for a seed. Every generated record is a combination the ontology allows
(checked with :func:`spinekg.classify.classify_procedure`), unless ``defect_rate`` asks for broken ones,
which SHACL validation must then find.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from ..errors import SpinekgError
from ..namespaces import SPINEKG

EX = SPINEKG + "example/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
CASE_PROPERTIES = ("caseId", "caseDate", "hasProcedure", "surgeonSpecialty", "diagnosisCode")

# Kinds of deliberately broken records (only with defect_rate > 0). Each breaks exactly one rule of the model.
DEFECTS = (
    "incompatible-site",   # a cervical ACDF at the L4-L5 disc: the procedure's site restriction excludes it
    "missing-date",        # no spinekg:caseDate
    "two-procedures",      # a second spinekg:hasProcedure
    "not-a-specialist",    # spinekg:surgeonSpecialty is an anatomy class, not a Specialist
    "bad-diagnosis-code",  # a diagnosis code that is not ICD-10-CM shaped
)


@dataclass(frozen=True)
class CaseRecord:
    """One case: local names of spinekg classes, ISO date, ICD-10-CM codes; ``defect`` names a DEFECTS kind."""

    case_id: str
    date: str
    procedure: str
    sites: tuple[str, ...] = ()
    specialty: str | None = None
    diagnoses: tuple[str, ...] = ()
    defect: str | None = None

    @property
    def iri(self) -> str:
        return f"{EX}case-{self.case_id}"


# ---- what the generator draws from -------------------------------------------------------------
LUMBAR_DISCS = [("L1", "L2", 1), ("L2", "L3", 2), ("L3", "L4", 4), ("L4", "L5", 10), ("L5", "S1", 8)]
CERVICAL_DISCS = [("C3", "C4", 1), ("C4", "C5", 3), ("C5", "C6", 8), ("C6", "C7", 5)]
THORACOLUMBAR = [("T10", "T11", 1), ("T11", "T12", 2), ("T12", "L1", 3), ("L1", "L2", 2)]
THORACIC_VERTEBRAE = [(f"T{i}", None, 1) for i in range(1, 13)]
FRACTURE_VERTEBRAE = [("T11", None, 2), ("T12", None, 5), ("L1", None, 5), ("L2", None, 3), ("L3", None, 1)]
LUMBAR_VERTEBRAE = [(f"L{i}", None, w) for i, w in zip(range(1, 6), (1, 2, 4, 6, 4))]
LUMBAR_ROOTS = [("L4", None, 2), ("L5", None, 4), ("S1", None, 3)]
CERVICAL_LAMINOPLASTY = [(f"C{i}", None, 1) for i in range(3, 7)]

SURGEONS = ("Neurosurgeon", "OrthopaedicSurgeon", "OrthopaedicSpineSurgeon")

# (procedure, weight, site kind, level pool, max levels, specialties, ICD-10-CM codes)
PROFILES = [
    ("LumbarMicrodiscectomy", 20, "disc", LUMBAR_DISCS, 1, SURGEONS, ("M51.16", "M51.17", "M51.26", "M51.27", "M54.16", "M54.17")),
    ("EndoscopicDiscectomy", 4, "disc", LUMBAR_DISCS, 1, ("Neurosurgeon", "OrthopaedicSpineSurgeon"), ("M51.26", "M51.27")),
    ("Laminectomy", 10, "vertebra", LUMBAR_VERTEBRAE, 2, SURGEONS, ("M48.061", "M48.062")),
    ("Laminotomy", 4, "segment", LUMBAR_DISCS, 1, SURGEONS, ("M48.061", "M51.26")),
    ("Foraminotomy", 3, "root", LUMBAR_ROOTS, 1, SURGEONS, ("M54.16", "M54.17")),
    ("TransforaminalLumbarInterbodyFusion", 12, "segment", LUMBAR_DISCS, 2, ("OrthopaedicSpineSurgeon", "Neurosurgeon"), ("M43.16", "M43.17", "M48.062", "M51.36")),
    ("LateralLumbarInterbodyFusion", 3, "segment", LUMBAR_DISCS[:4], 2, ("OrthopaedicSpineSurgeon", "Neurosurgeon"), ("M43.16", "M48.062")),
    ("LumbarDiscArthroplasty", 2, "disc", LUMBAR_DISCS[3:], 1, ("OrthopaedicSpineSurgeon",), ("M51.36",)),
    ("AnteriorCervicalDiscectomyAndFusion", 12, "disc", CERVICAL_DISCS, 2, ("OrthopaedicSpineSurgeon", "Neurosurgeon"), ("M50.121", "M50.122", "M50.123", "M48.02")),
    ("CervicalDiscArthroplasty", 3, "disc", CERVICAL_DISCS, 1, ("OrthopaedicSpineSurgeon", "Neurosurgeon"), ("M50.122", "M50.123")),
    ("Laminoplasty", 2, "vertebra", CERVICAL_LAMINOPLASTY, 2, ("OrthopaedicSpineSurgeon", "Neurosurgeon"), ("M48.02",)),
    ("PosteriorThoracolumbarFusion", 3, "segment", THORACOLUMBAR, 3, ("OrthopaedicSpineSurgeon",), ("M41.125", "M41.126", "M40.15")),
    ("DeformityCorrectionSurgery", 2, "segment", THORACOLUMBAR, 3, ("PediatricOrthopaedicSurgeon", "PediatricNeurosurgeon", "OrthopaedicSpineSurgeon"), ("M41.124", "M41.125")),
    ("Kyphoplasty", 5, "vertebra", FRACTURE_VERTEBRAE, 1, ("InterventionalPainSpecialist", "Neuroradiologist", "OrthopaedicSpineSurgeon"), ()),
    ("SpinalFractureFixation", 3, "vertebra", FRACTURE_VERTEBRAE, 1, ("OrthopaedicSpineSurgeon", "Neurosurgeon"), ()),
    ("SpinalCordTumourResection", 1, "vertebra", THORACIC_VERTEBRAE, 1, ("Neurosurgeon",), ("D33.4", "C72.0")),
    ("SacroiliacJointFusion", 2, "fixed", [("SacroiliacJoint", None, 1)], 1, ("OrthopaedicSpineSurgeon", "Neurosurgeon"), ("M46.1",)),
    ("Coccygectomy", 1, "fixed", [("Coccyx", None, 1)], 1, ("OrthopaedicSurgeon",), ("M53.3",)),
    ("SpinalCordStimulatorImplantation", 2, "vertebra", [("T8", None, 1), ("T9", None, 2), ("T10", None, 1)], 1, ("InterventionalPainSpecialist", "Neurosurgeon"), ("M54.16",)),
    ("EpiduralSteroidInjection", 6, "segment", LUMBAR_DISCS, 1, ("InterventionalPainSpecialist",), ("M54.16", "M54.17", "M48.061")),
    ("LumbarPuncture", 1, "segment", LUMBAR_DISCS[2:4], 1, (), ()),
    ("SpinalManipulation", 2, "none", [], 0, ("Chiropractor",), ("M54.50",)),
]

# Every ICD-10-CM code a record can carry; each is in ontology/reference/icd10cm_case_codes.tsv (test-checked).
DIAGNOSIS_CODES = sorted({code for profile in PROFILES for code in profile[6]})
FIRST_DAY = date(2020, 1, 1)
DAYS = 5 * 365


def site_class(kind: str, upper: str, lower: str | None) -> str:
    """The anatomy class for one level drawn from a pool."""
    if kind == "disc":
        return f"Disc{upper}{lower}"
    if kind == "segment":
        return f"MotionSegment{upper}{lower}"
    if kind == "vertebra":
        return f"Vertebra{upper}"
    if kind == "root":
        return f"NerveRoot{upper}"
    return upper


@lru_cache(maxsize=1)
def _site_choices() -> list[tuple[str, int, list[list[str]], list[int], tuple[str, ...], tuple[str, ...]]]:
    """For each profile: every allowed site list (1..max adjacent levels) with weights, checked against the
    runtime index, so the generator never writes a combination the ontology excludes."""
    from ..answer.composers import classify_procedure

    choices = []
    for procedure, weight, kind, pool, most, specialties, codes in PROFILES:
        options: list[list[str]] = []
        weights: list[int] = []
        if kind == "none":
            options, weights = [[]], [1]
        for start in range(len(pool)):
            for count in range(1, most + 1):
                window = pool[start:start + count]
                if len(window) < count:
                    continue
                sites = [site_class(kind, u, l) for u, l, _ in window]
                try:
                    classify_procedure(procedure, sites)
                except SpinekgError:  # the ontology excludes this combination: never generate it
                    continue
                options.append(sites)
                weights.append(window[0][2] * (4 if count == 1 else 1))
        if not options:
            raise SpinekgError(f"case generator: no allowed sites for {procedure}", 4)
        choices.append((procedure, weight, options, weights, specialties, codes))
    return choices


def generate_records(n: int, seed: int = 0, defect_rate: float = 0.0) -> list[CaseRecord]:
    """``n`` synthetic records; ``defect_rate`` (0..1) of them break one model rule each (see DEFECTS)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)
    choices = _site_choices()
    profile_weights = [c[1] for c in choices]
    width = max(4, len(str(n)))
    records = []
    for number in range(1, n + 1):
        procedure, _, options, weights, specialties, codes = rng.choices(choices, profile_weights)[0]
        sites = rng.choices(options, weights)[0]
        specialty = rng.choice(specialties) if specialties and rng.random() < 0.9 else None
        diagnoses = tuple(sorted(set(rng.sample(codes, min(len(codes), rng.choice((0, 1, 1, 1, 2)))))))
        day = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
        defect = DEFECTS[rng.randrange(len(DEFECTS))] if defect_rate and rng.random() < defect_rate else None
        if defect == "incompatible-site":
            procedure, sites = "AnteriorCervicalDiscectomyAndFusion", ["DiscL4L5"]
        records.append(CaseRecord(str(number).zfill(width), day, procedure, tuple(sites), specialty, diagnoses, defect))
    return records


def records_to_ntriples(records: list[CaseRecord]) -> str:
    """N-Triples text for ``records`` (defects are written as the record's defect kind says)."""
    lines: list[str] = []
    add = lines.append
    for r in records:
        case = f"<{r.iri}>"
        proc = f"<{r.iri}-procedure>"
        add(f"{case} <{RDF_TYPE}> <{SPINEKG}SurgicalCase> .")
        add(f'{case} <{RDFS_LABEL}> "case {r.case_id}" .')
        add(f'{case} <{SPINEKG}caseId> "{r.case_id}" .')
        if r.defect != "missing-date":
            add(f'{case} <{SPINEKG}caseDate> "{r.date}"^^<{XSD_DATE}> .')
        add(f"{case} <{SPINEKG}hasProcedure> {proc} .")
        if r.defect == "not-a-specialist":
            add(f"{case} <{SPINEKG}surgeonSpecialty> <{SPINEKG}LumbarSpine> .")
        elif r.specialty:
            add(f"{case} <{SPINEKG}surgeonSpecialty> <{SPINEKG}{r.specialty}> .")
        for code in r.diagnoses:
            add(f'{case} <{SPINEKG}diagnosisCode> "{code}" .')
        if r.defect == "bad-diagnosis-code":
            add(f'{case} <{SPINEKG}diagnosisCode> "not-a-code" .')
        add(f"{proc} <{RDF_TYPE}> <{SPINEKG}{r.procedure}> .")
        for i, site in enumerate(r.sites, 1):
            add(f"{proc} <{SPINEKG}hasSite> <{r.iri}-site-{i}> .")
            add(f"<{r.iri}-site-{i}> <{RDF_TYPE}> <{SPINEKG}{site}> .")
        if r.defect == "two-procedures":
            add(f"{case} <{SPINEKG}hasProcedure> <{r.iri}-procedure-2> .")
            add(f"<{r.iri}-procedure-2> <{RDF_TYPE}> <{SPINEKG}Laminectomy> .")
    return "\n".join(lines) + ("\n" if lines else "")


def generate_cases(n: int, seed: int = 0, defect_rate: float = 0.0) -> str:
    """N-Triples text of ``n`` synthetic case records, byte-identical for the same arguments."""
    return records_to_ntriples(generate_records(n, seed, defect_rate))


def write_cases(path: Path | str, n: int, seed: int = 0, defect_rate: float = 0.0) -> Path:
    """Write synthetic records as N-Triples (temp file + rename: never half-written)."""
    from ..files import write_atomically

    path = Path(path)
    write_atomically(path, generate_cases(n, seed, defect_rate))
    return path


def example_cases_path() -> Path:
    """The shipped example dataset (``data/examples/cases.ttl``), from a checkout or an installed wheel."""
    from ..paths import shipped_dir

    return shipped_dir("data") / "examples" / "cases.ttl"


def read_records(graph) -> list[CaseRecord]:  # type: ignore[no-untyped-def]
    """Case records back from an rdflib graph (for cross-checks): first value wins where several exist."""
    from rdflib import RDF, URIRef

    sk = lambda name: URIRef(SPINEKG + name)  # noqa: E731
    out = []
    for case in sorted(graph.subjects(RDF.type, sk("SurgicalCase")), key=str):
        proc = next(iter(sorted(graph.objects(case, sk("hasProcedure")), key=str)), None)
        proc_class = next((str(t)[len(SPINEKG):] for t in sorted(graph.objects(proc, RDF.type), key=str)
                           if str(t).startswith(SPINEKG)), "") if proc is not None else ""
        sites = tuple(sorted(str(t)[len(SPINEKG):] for s in graph.objects(proc, sk("hasSite"))
                             for t in graph.objects(s, RDF.type) if str(t).startswith(SPINEKG))) if proc is not None else ()
        specialty = next((str(o)[len(SPINEKG):] for o in graph.objects(case, sk("surgeonSpecialty"))), None)
        out.append(CaseRecord(
            case_id=str(next(iter(graph.objects(case, sk("caseId"))), "")),
            date=str(next(iter(graph.objects(case, sk("caseDate"))), "")),
            procedure=proc_class, sites=sites, specialty=specialty,
            diagnoses=tuple(sorted(str(o) for o in graph.objects(case, sk("diagnosisCode"))))))
    return out
