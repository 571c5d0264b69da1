"""Crosswalk export (every code with its verdict columns) and the SPARQL-queryable mapping module.

Analysts whose data lives in a warehouse classify by a plain join on the crosswalk; ontology users query
``ontology/modules/icd-mappings.ttl``, which turns the SSSOM files into triples:

* ``spinekg:<Term> spinekg:icdExactMatch|icdCloseMatch|icdBroadMatch|icdNarrowMatch <ICD IRI>`` —
  sub-properties of the SKOS mapping properties (kept apart from the verified xrefs, which only cite
  the external ontologies of ``ontology/reference/external_terms.tsv``); the direction is from the
  ontology term, so SSSOM broad/narrow matches are inverted;
* every ICD IRI carries ``skos:notation`` (its code, or the axis characters) and ``rdfs:label``.

IRI scheme: ICD-10-PCS and ICD-10-CM codes use BioPortal's ``http://purl.bioontology.org/ontology/ICD10PCS/<code>``
and ``…/ICD10CM/<dotted code>``. PCS axis values, which have no public IRIs, use
``https://w3id.org/spinekg/icd10pcs-axis/``: ``body-part-0SL`` (section, body system, body part = code
characters 1, 2, 4), ``operation-G-approach-0``, ``approach-0``, ``fusion-qualifier-J`` and
``pattern-0SG0__1`` (7-character code pattern, '_' = any value).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .icd10 import SYSTEMS, CodeTables, check_cm_profile, tables
from .icd9 import decide_icd9
from .mappings import local
from .reference import body_parts, fy2025_codes, gems, titles
from .shapes import icd9_dotted
from ..errors import SpinekgError
from ..namespaces import SPINEKG
from ..paths import ontology_dir

MODULE_IRI = SPINEKG + "modules/icd-mappings"
MODULE_FILE = "icd-mappings.ttl"
INVERSE = {"skos:broadMatch": "icdNarrowMatch", "skos:narrowMatch": "icdBroadMatch",
           "skos:exactMatch": "icdExactMatch", "skos:closeMatch": "icdCloseMatch"}
PCS_FIELDS = ["code", "code_system", "in_fy2025", "long_name", "spine_surgery", "back_surgery", "regions", "procedure",
              "procedure_label", "operative", "site", "site_label", "root_operation", "body_part", "approach",
              "ontology_version", "profile"]
CM_FIELDS = ["code", "code_undotted", "code_system", "in_fy2025", "description", "billable", "disorder", "disorder_label",
             "lower_back_condition", "regions", "treated_by", "ontology_version"]
ICD9_FIELDS = ["code", "code_dotted", "code_system", "in_fy2025", "spine_surgery", "back_surgery", "regions", "procedure",
               "operative", "mapped_codes", "gem_approximate", "gem_combination", "gem_no_map", "ontology_version", "profile"]
# --system all: one table, joined on the normalised code (upper case, trimmed, no dot)
ALL_FIELDS = ["code", "code_dotted", "code_system", "in_fy2025", "title", "spine_surgery", "back_surgery", "regions",
              "procedure", "operative", "disorder", "lower_back_condition", "ontology_version", "profile"]
CROSSWALK_SYSTEMS = (*SYSTEMS, "all")
YES_NO = {True: "yes", False: "no", None: ""}


def profile_name(profile: str | Path | None, index: dict | None = None, needle: bool = False) -> str:
    """The name a profile goes by in outputs: "seed" (the default), a built-in name, or a file's rdfs:label; with
    the needle option, "+needle" follows."""
    prof = tables(index).profile(profile)
    name = prof.overlay["name"] if prof is not None else "seed"  # type: ignore[attr-defined]
    return name + ("+needle" if needle else "")


def pcs_code_list(extra_codes: list[str] | None = None, index: dict | None = None) -> list[str]:
    """Every ICD-10-PCS code the shipped tables list (FY2025 section 0, other years, other sections), plus ``extra_codes``."""
    t = tables(index)
    return sorted(set(t.pcs_codes) | fy2025_codes() | set(titles()) | {c.strip().upper() for c in extra_codes or []})


def pcs_rows(extra_codes: list[str] | None = None, index: dict | None = None,
             profile: str | Path | None = None, needle: bool = False) -> list[dict[str, str]]:
    """One row per ICD-10-PCS code of ``pcs_code_list``; ``back_surgery`` follows ``profile`` (a built-in name or a
    profile .ttl), named in the ``profile`` column."""
    t = tables(index)
    version = t.index["version"]
    name = profile_name(profile, index, needle)
    label = t.composer.label
    every_title = titles()
    rows = []
    for code in pcs_code_list(extra_codes, index):
        d = t.decide_pcs(code, profile, needle)
        known = t.pcs_codes.get(code)
        part = body_parts().get(("0", code[1], code[3])) if code[0] == "0" else None
        rows.append({
            "code": code, "code_system": "icd10pcs", "in_fy2025": YES_NO[t.in_fy2025(code)],
            "long_name": known["long_name"] if known else every_title.get(code, ""),
            "spine_surgery": d.spine, "back_surgery": d.back, "regions": ";".join(d.regions),
            "procedure": f"spinekg:{d.procedure}", "procedure_label": label(d.procedure),
            "operative": d.operative, "site": f"spinekg:{d.site}" if d.site else "",
            "site_label": label(d.site) if d.site else "",
            "root_operation": t.root_operations[code[2]] if code[0] == "0" else "",
            "body_part": part["body_part_label"] if part else "",
            "approach": t.approach_labels[code[4]] if code[0] in "0X" else "", "ontology_version": version, "profile": name,
        })
    return rows


def icd9_rows(index: dict | None = None, profile: str | Path | None = None, needle: bool = False) -> list[dict[str, str]]:
    """One row per ICD-9-CM procedure code of the GEMs, answered through its ICD-10-PCS targets."""
    t = tables(index)
    version, name = t.index["version"], profile_name(profile, index, needle)
    rows = []
    for code in sorted(gems()):
        d, parts, flags = decide_icd9(t, code, profile, needle)
        rows.append({
            "code": code, "code_dotted": icd9_dotted(code), "code_system": "icd9cm", "in_fy2025": "no",
            "spine_surgery": d.spine, "back_surgery": d.back, "regions": ";".join(d.regions),
            "procedure": f"spinekg:{d.procedure}", "operative": d.operative,
            "mapped_codes": ";".join(p.code for p in parts),
            "gem_approximate": str(sum(f[0] == "1" for f in flags)), "gem_combination": str(sum(f[2] == "1" for f in flags)),
            "gem_no_map": "yes" if any(f[1] == "1" for f in flags) else "no", "ontology_version": version, "profile": name,
        })
    return rows


def cm_rows(index: dict | None = None) -> list[dict[str, str]]:
    """One row per ICD-10-CM code of the shipped spine table."""
    t = tables(index)
    version = t.index["version"]
    rows = []
    for code in sorted(t.cm_codes):
        c = t.decide_cm(code)
        ref = t.cm_codes[code]
        rows.append({
            "code": code, "code_undotted": code.replace(".", ""), "code_system": "icd10cm", "in_fy2025": "yes",
            "description": ref["description"], "billable": ref["is_billable"], "disorder": f"spinekg:{c['disorder']}",
            "disorder_label": t.composer.label(c["disorder"]), "lower_back_condition": c["lower_back"],
            "regions": ";".join(c["regions"]), "treated_by": ";".join(f"spinekg:{p}" for p in c["treated_by"]),
            "ontology_version": version,
        })
    return rows


def all_rows(extra_codes: list[str] | None = None, profile: str | Path | None = None,
             needle: bool = False) -> list[dict[str, str]]:
    """Every code of every system in one table, keyed by the normalised code (upper case, no dot)."""
    rows = []
    for row in pcs_rows(extra_codes, profile=profile, needle=needle):
        rows.append({**{f: row.get(f, "") for f in ALL_FIELDS}, "code_dotted": row["code"], "title": row["long_name"]})
    for row in icd9_rows(profile=profile, needle=needle):
        rows.append({**{f: row.get(f, "") for f in ALL_FIELDS}, "title": ""})
    for row in cm_rows():
        rows.append({**{f: row.get(f, "") for f in ALL_FIELDS}, "code": row["code_undotted"], "code_dotted": row["code"],
                     "title": row["description"], "profile": ""})
    return sorted(rows, key=lambda r: r["code"])


def read_code_list(path: Path) -> list[str]:
    """Codes from a text file, one a line; a bad line stops with its line number."""
    from .bulk import iter_codes_file
    from .shapes import PCS_RE

    codes = []
    try:
        for number, code in iter_codes_file(path):
            if not PCS_RE.match(code.upper()):
                raise SpinekgError(f"{path}:{number}: {code!r} is not an ICD-10-PCS code")
            codes.append(code.upper())
    except OSError as exc:
        raise SpinekgError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise SpinekgError(f"{path}: not UTF-8 text ({exc.reason})") from None
    return codes


def crosswalk_rows(system: str, extra_codes: list[str] | None = None, profile: str | Path | None = None,
                   needle: bool = False) -> tuple[list[str], list[dict[str, str]]]:
    if system not in CROSSWALK_SYSTEMS:
        raise SpinekgError(f"unknown code system {system!r} (expected {', '.join(CROSSWALK_SYSTEMS)})")
    if extra_codes and system not in ("icd10pcs", "all"):
        raise SpinekgError("--codes applies to icd10pcs (and all) only")
    if system == "icd10pcs":
        return PCS_FIELDS, pcs_rows(extra_codes, profile=profile, needle=needle)
    if system == "icd9cm":
        return ICD9_FIELDS, icd9_rows(profile=profile, needle=needle)
    if system == "all":
        return ALL_FIELDS, all_rows(extra_codes, profile, needle)
    check_cm_profile(profile, needle)
    return CM_FIELDS, cm_rows()


def write_crosswalk(system: str, out: Path, extra_codes: list[str] | None = None,
                    profile: str | Path | None = None, needle: bool = False) -> int:
    """Write the crosswalk as CSV or Parquet (by suffix), atomically; returns the number of rows."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise SpinekgError(f"{out}: write .csv or .parquet")
    fields, rows = crosswalk_rows(system, extra_codes, profile, needle)
    if suffix == ".csv":
        from ..files import write_atomically

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write_atomically(out, buffer.getvalue())
    else:
        import os
        import tempfile

        from .columns import _pyarrow
        from .outputs import _umask

        pa = _pyarrow()
        import pyarrow.parquet as pq

        table = pa.Table.from_arrays([pa.array([r[f] for r in rows], pa.string()) for f in fields], names=fields)
        from ..files import target_kind

        if target_kind(out) == "special":  # a device or FIFO is written into, never renamed over
            pq.write_table(table, str(out), compression="zstd")
            return len(rows)
        handle, temp = tempfile.mkstemp(prefix=".spinekg-", suffix=".part", dir=out.parent.resolve())
        os.close(handle)
        os.chmod(temp, 0o666 & ~_umask())
        try:
            pq.write_table(table, temp, compression="zstd")
            os.replace(temp, out)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    return len(rows)


# -- the SPARQL module -------------------------------------------------------------------------------------
def _expand(curie: str, curie_map: dict[str, str]) -> str:
    prefix, _, rest = curie.partition(":")
    return curie_map[prefix] + rest


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mapping_module_text(t: CodeTables | None = None) -> str:
    """Deterministic Turtle for ``ontology/modules/icd-mappings.ttl``, from the SSSOM files."""
    t = t or tables()
    lines = [
        "# GENERATED from ontology/mappings/*.sssom.tsv by spinekg.crosswalk.mapping_module_text; do not edit.",
        "# Regenerate: spinekg crosswalk --module",
        "@prefix : <https://w3id.org/spinekg/> .",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "",
        f"<{MODULE_IRI}> a owl:Ontology ;",
        '    rdfs:comment "ICD-10-PCS axis values and ICD-10-CM codes mapped to spinekg terms (from the SSSOM files in '
        'ontology/mappings/). Code IRIs follow BioPortal (http://purl.bioontology.org/ontology/ICD10PCS/, .../ICD10CM/); '
        'PCS axis values use https://w3id.org/spinekg/icd10pcs-axis/."@en .',
        "",
    ]
    for name, parent in (("icdExactMatch", "exactMatch"), ("icdCloseMatch", "closeMatch"),
                         ("icdBroadMatch", "broadMatch"), ("icdNarrowMatch", "narrowMatch")):
        lines.append(f":{name} a owl:AnnotationProperty ; rdfs:subPropertyOf skos:{parent} ; "
                     f"rdfs:label {_literal(name)}@en ; rdfs:comment {_literal('Mapping from a spinekg term to an ICD-10 code or ICD-10-PCS axis value (SKOS ' + parent + ' seen from the spinekg term).')}@en .")
    lines.append("")
    triples: set[str] = set()
    labels: dict[str, tuple[str, str]] = {}
    for mapping in t.sets.values():
        for row in mapping.rows:
            subject = _expand(row["subject_id"], mapping.curie_map)
            term = _expand(row["object_id"], mapping.curie_map)
            triples.add(f"<{term}> :{INVERSE[row['predicate_id']]} <{subject}> .")
            notation = local(row["subject_id"])
            if row["subject_id"].startswith("PCSAXIS:"):
                notation = notation.rsplit("-", 1)[-1] if notation.startswith(("body-part-", "approach-")) else notation
            labels[subject] = (row.get("subject_label", ""), notation)
    lines.extend(sorted(triples))
    lines.append("")
    for subject in sorted(labels):
        label, notation = labels[subject]
        lines.append(f"<{subject}> rdfs:label {_literal(label)} ; skos:notation {_literal(notation)} .")
    return "\n".join(lines) + "\n"


def module_path() -> Path:
    return ontology_dir() / "modules" / MODULE_FILE
