"""ICD-10-PCS and ICD-10-CM codes → ontology terms → Verdict.

The code axes are mapped to ontology terms by the SSSOM files in ``ontology/mappings/`` (hand-curated;
each row's comment gives the reason). The verdict for a procedure code follows the same semantics as
for text, composed from the runtime index (HermiT closures):

* body system + body part (characters 2 and 4) → an anatomy term (``icd10pcs-body-parts.sssom.tsv``);
  its closures say whether it is spinal and whether it lies in the lower back (yes / no / depends);
* root operation + approach (characters 3 and 5, and the qualifier where it decides) → operative or
  not (``icd10pcs-root-operations.sssom.tsv``). The decisions: External (X) never cuts → not an
  operation (closed reduction, manipulation, device change). Open (0) and percutaneous endoscopic (4)
  → an operation (also open drainage or inspection with a diagnostic aim: the site is exposed).
  Percutaneous (3) → an operation, except needle procedures: Drainage (e.g. lumbar puncture),
  Destruction (needle ablation), Extraction (aspiration), Inspection, Release (adhesiolysis) and
  diagnostic Excision (needle biopsy);
* the whole code → the most specific ontology procedure class (``icd10pcs-procedures.sssom.tsv``, 7-character
  patterns); a code no pattern covers, or whose class disagrees on being an operation, gets the generic
  ``OperativeProcedure`` / ``NonOperativeProcedure``.

A spinal site with an operation is spine surgery; a lower-back site with an operation is back surgery; a
non-operative procedure is neither, whatever its site; a site whose region the code does not fix gives
``depends``; a body part outside the spine and back tables gives ``no``.

ICD-10-CM codes map to disorder classes by longest code prefix (``icd10cm.sssom.tsv``); their verdict
keeps the text keys (``procedure``, ``spine_surgery`` and ``back_surgery`` are null: a diagnosis is not a
procedure) and adds ``disorder``, ``lower_back_condition`` and ``treated_by``.

Only codes that the shipped reference tables hold are validated exactly (every section-0 code on a spine
or back body part); a section-0 code on any other body part is checked for its shape, its root operation
and its approach, and answers ``no``.
"""
from __future__ import annotations

import os
TYPE_CHECKING = False  # typing stays off the cold code path

from ..answer.composer import SEED_BACK, SEED_CAVEAT, SEED_SPINE, Composer, Verdict
from ..answer.composers import composer
from ..errors import SpinekgError
from ..namespaces import SPINEKG
from ..paths import ontology_path
from ..vocab import REGION_ORDER
from .decision import GENERIC_PROCEDURE, Decision
from .icd9 import decide_icd9, icd9_lines
from .mappings import local
from .reference import body_parts, fy2025_codes, section0_parts, titles
from .table_sources import SourceTables, checked, load_sources, remember_sources, split_off
from .sections import NewTechnology, decide_other, decide_x, other_lines, x_lines
from .shapes import SYSTEMS, bare_code, cm_shape, detect_system, named_code, pcs_shape

if TYPE_CHECKING:
    from pathlib import Path
    from ..answer.profiles import ProfileComposer

MAPPING_FILES = {
    "body_parts": "icd10pcs-body-parts.sssom.tsv",
    "whole_body": "icd10pcs-body-parts-whole-body.sssom.tsv",
    "operations": "icd10pcs-root-operations.sssom.tsv",
    "procedures": "icd10pcs-procedures.sssom.tsv",
    "approaches": "icd10pcs-approaches.sssom.tsv",
    "cm": "icd10cm.sssom.tsv",
}
NEEDLE_FILE = "icd10pcs-needle-procedures.sssom.tsv"  # the needle option: what it counts as an operation
REFERENCE_FILES = ("icd10pcs_spine_axes.tsv", "icd10pcs_root_operations.tsv", "icd10pcs_approaches.tsv",
                   "icd10pcs_spine_codes.tsv", "icd10pcs_spine_body_part_key.tsv", "icd10cm_spine.tsv")
# ICD-10-CM region hints (reference table) → spinekg region names; others decide only the lower back.
CM_REGION = {"occipito_atlanto_axial": "craniocervical", **{r: r for r in REGION_ORDER}}
CM_LOWER = {"lumbar", "lumbosacral", "sacral", "low_back", "sacroiliac"}
CM_NOT_LOWER = {"occipito_atlanto_axial", "craniocervical", "cervical", "cervicothoracic", "thoracic", "coccygeal", "pelvis"}
LEVEL_REGION = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "sacral"}


# -- tables ----------------------------------------------------------------------------------------------
class CodeTables(SourceTables):
    """The mapping files and reference tables, loaded once; the tables built from them are made on first use
    (table_sources.SourceTables)."""

    def __init__(self, directory: Path | None = None, index: dict | None = None):
        top = os.fspath(directory) if directory else ontology_path()  # strings: no pathlib on the cold code path
        self.composer = composer(index)
        self.index = self.composer.index
        mapping_paths = {name: os.path.join(top, "mappings", file) for name, file in [*MAPPING_FILES.items(), ("needle", NEEDLE_FILE)]}
        ref = os.path.join(top, "reference")
        tsv_paths = {name: os.path.join(ref, f"icd10pcs_{name}.tsv") for name in ("spine_axes", "root_operations", "approaches", "spine_codes")}
        tsv_paths["cm"] = os.path.join(ref, "icd10cm_spine.tsv")
        sets, self.rows, twin, from_twin = load_sources(mapping_paths, tsv_paths, keyed=("spine_codes", "cm"))
        self.sets, self._needle = split_off(sets, "needle")  # lazy where read from the twin (table_sources.MappingSets)
        self._new_technology: NewTechnology | None = None
        if not (from_twin and checked(twin, self.index)):  # the index-dependent check: once per twin and shipped index
            self.check(files=not from_twin)
            if twin is not None and not from_twin:  # the files passed every check: parse them once per content from now on
                remember_sources(twin, sets, self.rows)
            checked(twin, self.index, remember=True)

    def check(self, files: bool = True) -> None:
        """Every mapping names a term the ontology has and (``files``: the checks that depend only on the files,
        skipped for sources that passed them before) a code or axis value a shipped table has."""
        terms = self.index["terms"]
        for mapping in self.sets.values():
            for row in mapping.rows:
                if local(row["object_id"]) not in terms:
                    raise SpinekgError(f"{row['__line__']}: object {row['object_id']} is not an ontology term")
        if not files:
            return
        for key, row in self.body_parts.items():
            if (key[0], key[1]) not in self.axes:
                raise SpinekgError(f"{row['__line__']}: body part {key} is not in icd10pcs_spine_axes.tsv")
        for key, row in self.operations.items():
            parts = key.split("-")
            if parts[0] not in self.root_operations or parts[2] not in self.approach_labels:
                raise SpinekgError(f"{row['__line__']}: {key} names an unknown root operation or approach")
        by_part: dict[str, list[str]] = {}
        for code in self.pcs_codes:
            by_part.setdefault(code[1] + code[3], []).append(code)
        for pattern, row in self.patterns:
            if len(pattern) != 7 or "_" in (pattern[1], pattern[3]):
                raise SpinekgError(f"{row['__line__']}: pattern {pattern} must have 7 characters and fix the body system and part")
            if not any(all(p in ("_", c) for p, c in zip(pattern, code)) for code in by_part.get(pattern[1] + pattern[3], ())):
                raise SpinekgError(f"{row['__line__']}: pattern {pattern} matches no code in icd10pcs_spine_codes.tsv")
        fusion_qualifiers = {code[6] for code in self.pcs_codes if code[2] == "G"}
        for row in self.sets["approaches"].rows:
            kind, _, value = local(row["subject_id"]).rpartition("-")
            known = self.approach_labels if kind == "approach" else fusion_qualifiers if kind == "fusion-qualifier" else {}
            if value not in known:
                raise SpinekgError(f"{row['__line__']}: {row['subject_id']} is not an approach or fusion qualifier of the tables")
        for code, row in self.cm_rules.items():
            if code not in self.cm_codes:
                raise SpinekgError(f"{row['__line__']}: {code} is not in icd10cm_spine.tsv")

    # -- ICD-10-PCS -----------------------------------------------------------------------------------
    @property
    def new_technology(self) -> NewTechnology:
        if self._new_technology is None:
            self._new_technology = NewTechnology()
        return self._new_technology

    def validate_pcs(self, raw: str) -> str:
        """The code, if it can be an ICD-10-PCS code: a section PCS has; in section 0 also a root operation, an
        approach and a body part of its body system that the CMS tables define (whatever the year)."""
        code = pcs_shape(raw)
        if code[0] not in "0X":
            return code  # no axis tables for these sections: the shape and the section value are all we can check
        if code[0] == "0" and code[2] not in self.root_operations:
            raise SpinekgError(f"{code}: character 3 {code[2]!r} is not a root operation of section 0")
        if code[4] not in self.approach_labels:
            raise SpinekgError(f"{code}: character 5 {code[4]!r} is not an approach of section {code[0]}")
        if code[0] == "0" and code not in self.pcs_codes and code[1] + code[3] not in section0_parts():
            raise SpinekgError(f"{code}: body system {code[1]} has no body part {code[3]} in the CMS tables "
                               f"(ontology/reference/icd10pcs_body_parts.tsv, icd10pcs_codes_other_years.tsv)")
        return code

    def in_fy2025(self, code: str) -> bool | None:
        """Is this ICD-10-PCS code in the FY2025 code set? None where the shipped tables cannot tell (sections 2-X)."""
        if code[0] == "0":
            return code in self.pcs_codes or code in fy2025_codes()
        return None

    def operative(self, code: str, needle: bool = False) -> tuple[str, dict | None]:
        keys = (f"{code[2]}-approach-{code[4]}-qualifier-{code[6]}", f"{code[2]}-approach-{code[4]}")
        for table in (self.needle_operations, self.operations) if needle else (self.operations,):
            for key in keys:
                if key in table:
                    row = table[key]
                    return ("yes" if local(row["object_id"]) == "OperativeProcedure" else "no"), row
        return "depends", None

    def procedure_class(self, code: str, operative: str) -> str:
        generic = GENERIC_PROCEDURE.get(operative, "Procedure")
        for pattern, row in self.patterns_by_part.get(code[1] + code[3], ()):
            if all(p in ("_", c) for p, c in zip(pattern, code)):
                term = local(row["object_id"])
                own = self.index["procedures"].get(term, {}).get("operative")
                return term if own in (operative, "depends") else generic
        return generic

    def decide_pcs(self, raw: str, profile: str | Path | None = None, needle: bool = False) -> Decision:
        """What the code means; ``profile`` (a built-in name or a profile .ttl) redefines only back surgery;
        ``needle`` counts needle procedures (percutaneous destruction, drainage, …) as operations."""
        code = self.validate_pcs(raw)
        if code[0] == "X":
            return decide_x(self, code, self.profile(profile), needle)
        if code[0] != "0":
            return decide_other(self, code, self.profile(profile))
        operative, _ = self.operative(code, needle)
        row = self.body_parts.get(code[1] + code[3])
        site = local(row["object_id"]) if row else None
        procedure = self.procedure_class(code, operative)
        approach = self.approach_terms.get(f"approach-{code[4]}")
        directional = self.approach_terms.get(f"fusion-qualifier-{code[6]}") if code[2] == "G" and code[1] in "RS" else None
        spine, back, regions = self.outcome(site, operative, self.profile(profile))
        return Decision(code, site, operative, procedure, spine, back, regions, approach, directional)

    def outcome(self, site: str | None, operative: str, profile: ProfileComposer | None = None) -> tuple[str, str, list[str]]:
        """(spine surgery, back surgery, regions) of a procedure code from its site and whether it is an
        operation alone: the bulk code table is built from this, so it must not look at anything else."""
        if site is None:
            return "no", "no", []
        info = self.index["anatomy"][site]
        regions = list(info["regions"])
        if operative == "no":
            return "no", "no", regions
        spine = info["spinal"]
        back = profile.site(site) if profile is not None else info["lower_back"]
        if operative == "depends":
            spine = "depends" if spine == "yes" else spine
            back = "depends" if back == "yes" else back
        return spine, back, regions

    def profile(self, spec: str | Path | None) -> ProfileComposer | None:
        """The profile composer for ``spec`` (None for the default seed profile); unknown names fail here."""
        if spec is None or str(spec) == "seed":  # the default (answer.profiles.is_default), without importing profiles
            return None
        from ..answer.profiles import is_default, profile_composer

        return None if is_default(spec) else profile_composer(spec, self.index)

    def pcs_verdict(self, raw: str, profile: str | Path | None = None, needle: bool = False) -> Verdict:
        prof = self.profile(profile)
        d = self.decide_pcs(raw, profile, needle)
        comp = prof or self.composer
        code = d.code
        if code[0] != "0":
            why = x_lines(self, d, comp, needle) if code[0] == "X" else other_lines(self, d, comp)
            if code[0] == "X" and d.site and d.operative != "no":
                why.extend(self._site_reasons(d, prof))
            return Verdict(input=raw, procedure={"iri": SPINEKG + d.procedure, "label": comp.label(d.procedure)},
                           regions=d.regions, spine_surgery=d.spine, back_surgery=d.back, explanation=why,
                           sites=[d.site] if d.site else [])
        row = self.pcs_codes.get(code)
        part = body_parts().get(("0", code[1], code[3])) or {"body_part_label": f"body part {code[3]}",
                                                             "body_system_label": f"body system {code[1]}"}
        name = row["long_name"] if row else titles().get(code) or (
            f"{self.root_operations[code[2]]} of {part['body_part_label']} ({part['body_system_label']}), "
            f"{self.approach_labels[code[4]]} approach")
        why = [f"ICD-10-PCS {code}: {name}"]
        if not self.in_fy2025(code):
            why.append(f"{code} is not in the FY2025 code set; classified by its axes (body system, root operation, "
                       f"body part, approach, qualifier), which the CMS tables define")
        system = part["body_system_label"]
        if d.site:
            bp = self.body_parts[code[1] + code[3]]
            why.append(f"body system {code[1]} ({system}), body part {code[3]} ({part['body_part_label']}) "
                       f"→ {comp.label(d.site)} (spinekg:{d.site})" + (f"; {bp['comment']}" if bp["comment"] else ""))
        approach = f"approach {code[4]} ({self.approach_labels[code[4]]})" + (f" → {comp.label(d.approach)}" if d.approach else "")
        if d.directional:
            approach += f"; fusion qualifier {code[6]} → {comp.label(d.directional)}"
        why.append(approach)
        _, op_row = self.operative(code, needle)
        root = f"root operation {code[2]} ({self.root_operations[code[2]]})"
        if op_row:
            kind = "an operation" if d.operative == "yes" else "not an operation"
            option = " (option: needle procedures count as surgery)" if needle and op_row in self.needle_operations.values() else ""
            why.append(f"{root} by approach {code[4]} is {kind}{option}: {op_row['comment']}")
        else:
            why.append(f"{root} by approach {code[4]}: whether it is an operation is not mapped")
        proc_label = comp.label(d.procedure)
        if d.site is None:
            why.extend(self._outside_reasons(code, comp))
        elif d.operative == "no":
            why.append(f"{proc_label} is not an operation, so it is neither spine surgery nor back surgery, whatever its "
                       f"site ({comp.label(d.site)})")
        else:
            why.extend(self._site_reasons(d, prof))
        return Verdict(input=raw, procedure={"iri": SPINEKG + d.procedure, "label": proc_label},
                       regions=d.regions, spine_surgery=d.spine, back_surgery=d.back, explanation=why,
                       sites=[d.site] if d.site else [])

    def icd9_verdict(self, raw: str, profile: str | Path | None = None, needle: bool = False) -> Verdict:
        d, parts, flags = decide_icd9(self, raw, profile, needle)
        comp = self.profile(profile) or self.composer
        return Verdict(input=raw, procedure={"iri": SPINEKG + d.procedure, "label": comp.label(d.procedure)},
                       regions=d.regions, spine_surgery=d.spine, back_surgery=d.back,
                       explanation=icd9_lines(d, parts, flags), sites=sorted({p.site for p in parts if p.site}))

    def _outside_reasons(self, code: str, comp: ProfileComposer | Composer) -> list[str]:
        """Why a code on a body part outside the spine and back tables is neither: its whole-body term is
        entailed outside both ("appendix → is a structure of the gastrointestinal system → ...")."""
        row = self.whole_body.get(code[1] + code[3])
        term = local(row["object_id"]) if row else None
        if term is None or term not in self.index["anatomy"]:
            return [f"body part {code[3]} of body system {code[1]} is not a spine or back body part (see "
                    f"ontology/mappings/icd10pcs-body-parts.sssom.tsv) → not spine surgery, not back surgery"]
        system, _, part = row["subject_label"].partition(": ")
        return [f"body system {code[1]} ({system}), body part {code[3]} ({part}) → {comp.label(term)} (spinekg:{term})",
                f"{comp.chain(term, 'StructureOutsideBack')}, outside the spine and the lower back → not spine "
                f"surgery, not back surgery"]

    def _site_reasons(self, d: Decision, profile: ProfileComposer | None = None) -> list[str]:
        comp, site = profile or self.composer, d.site
        assert site is not None
        lines = []
        if d.spine == "yes":
            lines.append(f"{comp.chain(site, 'Spine')} → spine surgery ({SEED_SPINE})")
        elif d.spine == "no":
            lines.append(f"{comp.outside_reason(site, 'spine')} → not spine surgery")
        else:
            lines.append(f"{comp.label(site)} has parts inside and outside the spine, and the code does not say which "
                         f"→ spine surgery depends")
        if profile is not None:
            lines.append(self._profile_back_reason(d, profile))
        elif d.back == "yes":
            lines.append(f"{comp.chain(site, 'LowerBack')} → back surgery ({SEED_BACK})")
        elif d.back == "no":
            lines.append(f"{comp.outside_reason(site, 'back')} → not back surgery ({SEED_BACK} only)")
        else:
            lines.append(f"the code does not fix whether {comp.label(site)} lies in the lower back → back surgery "
                         f"depends ({SEED_CAVEAT})")
        return lines

    @staticmethod
    def _profile_back_reason(d: Decision, prof: ProfileComposer) -> str:
        """The back-surgery line under a profile: the site's answer in the profile's overlay."""
        site = d.site
        assert site is not None
        if d.back == "yes":
            return f"{prof.inside(site)} → back surgery ({prof.source})"
        if d.back == "no":
            return f"{prof.outside(site)} → not back surgery ({prof.source})"
        if prof.site(site) == "yes":
            return (f"{prof.label(site)} counts, but whether this root operation and approach is an operation is not "
                    f"mapped → back surgery depends ({prof.source})")
        return f"{prof.label(site)} is not provably inside or outside the {prof.zone} → back surgery depends ({prof.source})"

    # -- ICD-10-CM -------------------------------------------------------------------------------------
    def validate_cm(self, raw: str) -> str:
        code = cm_shape(raw)
        dotted = code if "." in code or len(code) == 3 else f"{code[:3]}.{code[3:]}"
        if dotted not in self.cm_codes:
            raise SpinekgError(f"{dotted} is not in the spine ICD-10-CM table (ontology/reference/icd10cm_spine.tsv, "
                               f"FY2025): only spine codes are classified")
        return dotted

    def cm_rule(self, code: str) -> dict:
        for length in range(len(code), 2, -1):
            row = self.cm_rules.get(code[:length])
            if row:
                return row
        raise SpinekgError(f"{code}: no mapping row covers it (internal: icd10cm.sssom.tsv is incomplete)", 4)

    def cm_regions(self, code: str, rule: dict, disorder: str) -> tuple[list[str], set[str]]:
        """Spinal regions, and every region token (incl. low_back, pelvis, sacroiliac) that decides the lower back."""
        row = self.cm_codes[code]
        tokens = {t for t in row["region_hint"].split("|") if t}
        if not tokens:
            import re  # only here: a cold code answer never loads re (answer.regex)

            for level in re.findall(r"\b([CTLS])\d{1,2}\b", row["level_hint"]):
                tokens.add(LEVEL_REGION[level])
        if not tokens:
            import re

            found = re.search(r"Region: ([a-z_|]+)\.", rule["comment"])
            if found:
                tokens = set(found.group(1).split("|"))
        if not tokens:
            tokens = set(self.index["disorders"].get(disorder, {}).get("regions", []))
        regions = sorted({CM_REGION[t] for t in tokens if t in CM_REGION}, key=REGION_ORDER.index)
        return regions, tokens

    def decide_cm(self, raw: str) -> dict:
        code = self.validate_cm(raw)
        rule = self.cm_rule(code)
        disorder = local(rule["object_id"])
        regions, tokens = self.cm_regions(code, rule, disorder)
        info = self.index["disorders"].get(disorder, {})
        if info.get("lower_back") == "yes" or (tokens and tokens <= CM_LOWER):
            lower = "yes"
        elif tokens and tokens <= CM_NOT_LOWER:
            lower = "no"
        else:
            lower = "depends"
        return {"code": code, "rule": rule, "disorder": disorder, "regions": regions, "tokens": tokens,
                "lower_back": lower, "treated_by": self.treatments(disorder, regions)}

    def treatments(self, disorder: str, regions: list[str]) -> list[str]:
        """Procedures that treat the disorder, without those confined to another region (no ACDF for a lumbar fracture)."""
        found = []
        for procedure in self.index["disorders"].get(disorder, {}).get("treated_by", []):
            own = self.index["procedures"].get(procedure, {}).get("regions", [])
            if not regions or not own or set(own) & set(regions):
                found.append(procedure)
        return found

    def cm_verdict(self, raw: str) -> Verdict:
        d = self.decide_cm(raw)
        comp = self.composer
        code, disorder, row = d["code"], d["disorder"], self.cm_codes[d["code"]]
        why = [f"ICD-10-CM {code}: {row['description']}" + ("" if row["is_billable"] == "Y" else " (a category, not billable)")]
        comment = d["rule"]["comment"]
        why.append(f"{d['rule']['subject_id']} → {comp.label(disorder)} (spinekg:{disorder})" + (f"; {comment}" if comment else ""))
        where = ", ".join(sorted(d["tokens"])) if d["tokens"] else "not given"
        reason = {"yes": "within the lower back (lumbar, sacral, lumbosacral, low back, sacroiliac)",
                  "no": "outside the lower back (seed: lumbar and sacral regions)",
                  "depends": "not fixed by the code, or spanning the lower back's border"}[d["lower_back"]]
        why.append(f"region: {where} → lower-back condition {d['lower_back']}: {reason}")
        why.append(f"a diagnosis is not a procedure: spine_surgery and back_surgery do not apply (null); treated_by lists "
                   f"the procedures the ontology says treat {comp.label(disorder)}")
        verdict = Verdict(input=raw, procedure=None, regions=d["regions"], spine_surgery=None,  # type: ignore[arg-type]
                          back_surgery=None, explanation=why)  # type: ignore[arg-type]
        return CodeVerdict(**verdict.__dict__, extra={
            "disorder": {"iri": SPINEKG + disorder, "label": comp.label(disorder)},
            "lower_back_condition": d["lower_back"],
            "treated_by": [{"iri": SPINEKG + p, "label": comp.label(p)} for p in d["treated_by"]],
        })


class CodeVerdict(Verdict):
    """A verdict for an ICD-10-CM code: the text keys plus disorder, lower_back_condition and treated_by."""

    FIELDS = Verdict.FIELDS + ("extra",)

    def __init__(self, *args, extra: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.extra = {} if extra is None else extra

    def to_dict(self) -> dict:
        return {**super().to_dict(), **self.extra}


_TABLES: dict[int, CodeTables] = {}


def tables(index: dict | None = None) -> CodeTables:
    comp = composer(index)
    key = id(comp.index)
    if key not in _TABLES:
        _TABLES[key] = CodeTables(index=comp.index)
    return _TABLES[key]


def looks_like_code(text: str, index: dict | None = None) -> bool:
    """Should ``classify`` treat this input as a code? PCS and ICD-9-CM shapes and dotted CM codes always; an undotted CM
    shape only when the spine table holds it (so that text such as 'L4L5' still goes to the text reader)."""
    if not isinstance(text, str):
        return False
    system = detect_system(text)
    if system in ("icd10pcs", "icd9cm"):
        return True
    if system == "icd10cm":
        code = text.strip().upper()
        if "." in code:
            return True
        dotted = code if len(code) == 3 else f"{code[:3]}.{code[3:]}"
        return dotted in tables(index).cm_codes
    return False


def code_query(text: str, index: dict | None = None) -> tuple[str, str | None] | None:
    """(code, system) when ``text`` is a code ``classify`` should answer as a code (``looks_like_code``) or a code after
    its system's name ('ICD-10-PCS 0SG00A0'; system None: from the code's shape), else None: the text reader's."""
    named = named_code(text)
    if named is not None:
        return named
    bare = bare_code(text)
    return (bare, None) if len(bare) <= 8 and looks_like_code(bare, index) else None


def classify_code(code: str, system: str | None = None, index: dict | None = None,
                  profile: str | Path | None = None, needle: bool = False) -> Verdict:
    """Classify one ICD-10-PCS (any section, any year), ICD-9-CM procedure or ICD-10-CM code (system detected from
    the shape unless given). ``profile`` (a built-in profile name or a profile .ttl) redefines back surgery and
    ``needle`` counts needle procedures as operations; neither applies to ICD-10-CM diagnoses."""
    if system is not None and system not in SYSTEMS:
        raise SpinekgError(f"unknown code system {system!r} (expected {', '.join(SYSTEMS)})")
    if not isinstance(code, str) or not code.strip():
        raise SpinekgError("empty code")
    stripped = code.strip()
    system = system or detect_system(code) or ("icd10pcs" if len(stripped) == 7 and "." not in stripped else None)
    if system is None:
        raise SpinekgError(f"{code!r} is not an ICD-10-PCS, ICD-10-CM or ICD-9-CM procedure code")
    t = tables(index)
    if system == "icd10cm":
        check_cm_profile(profile, needle)
        return t.cm_verdict(code)
    if system == "icd9cm":
        return t.icd9_verdict(code, profile, needle)
    return t.pcs_verdict(code, profile, needle)


def check_cm_profile(profile: str | Path | None, needle: bool = False) -> None:
    """A profile redefines back surgery, a procedure: asking for one with diagnosis codes is a mistake."""
    from ..answer.profiles import is_default

    if needle:
        raise SpinekgError("the needle option says which procedures are operations and does not apply to ICD-10-CM "
                           "diagnosis codes")
    if not is_default(profile):
        raise SpinekgError(f"profile {str(profile)!r}: profiles redefine back surgery (a procedure) and do not apply "
                           f"to ICD-10-CM diagnosis codes")
