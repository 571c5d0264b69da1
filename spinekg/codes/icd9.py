"""ICD-9-CM volume 3 procedure codes (claims before October 2015) through the CMS General Equivalence Mappings.

Each ICD-9-CM code is answered through the ICD-10-PCS codes the GEMs map it to (``ontology/reference/
icd9cm_to_icd10pcs_gems.tsv``, rows copied verbatim), each classified as any ICD-10-PCS code is (any section, any
year). All mapped codes agree → that answer; they disagree → ``depends``, and the explanation lists the mapped codes
under each answer. The GEMs' limits are stated, never hidden: most entries are *approximate* (the two code sets do
not say the same thing); *combination* entries need several ICD-10-PCS codes together (one per choice list of a
scenario), and each is answered here on its own; *NoPCS* entries have no ICD-10-PCS counterpart, so the mapping
cannot answer (``depends``).
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing stays off the cold code path
    from typing import Any

from ..errors import SpinekgError
from ..vocab import REGION_ORDER
from .decision import GENERIC_PROCEDURE, Decision, combine
from .reference import GEMS, gems
from .shapes import icd9_dotted, icd9_shape

FLAG_NAMES = ("approximate", "no_map", "combination", "scenario", "choice_list")


def validate_icd9(raw: str) -> str:
    """The code without its dot, if the GEMs hold it."""
    code = icd9_shape(raw)
    if code not in gems():
        raise SpinekgError(f"{icd9_dotted(code)} is not an ICD-9-CM procedure code of the CMS GEMs "
                           f"(ontology/reference/{GEMS})")
    return code


def targets(code: str) -> tuple[list[str], list[str]]:
    """(distinct mapped ICD-10-PCS codes in GEM order, the GEM flag strings of every entry)."""
    found: list[str] = []
    flags = []
    for pcs, flag in gems()[code]:
        flags.append(flag)
        if pcs != "NoPCS" and pcs not in found:
            found.append(pcs)
    return found, flags


def decide_icd9(t: Any, raw: str, profile: Any = None, needle: bool = False) -> tuple[Decision, list[Decision], list[str]]:
    """(the combined Decision, one Decision per mapped code, the GEM flag strings)."""
    code = validate_icd9(raw)
    mapped, flags = targets(code)
    parts = [t.decide_pcs(pcs, profile, needle) for pcs in mapped]
    if not parts:
        return Decision(code, None, "depends", "Procedure", "depends", "depends", []), parts, flags
    regions = sorted({r for d in parts for r in d.regions}, key=REGION_ORDER.index)
    procedures = {d.procedure for d in parts}
    operative = combine([d.operative for d in parts])
    procedure = procedures.pop() if len(procedures) == 1 else GENERIC_PROCEDURE.get(operative, "Procedure")
    sites = {d.site for d in parts}
    site = sites.pop() if len(sites) == 1 else None
    return (Decision(code, site, operative, procedure, combine([d.spine for d in parts]),
                     combine([d.back for d in parts]), regions), parts, flags)


def flag_lines(flags: list[str]) -> list[str]:
    """What the GEM flags say about the mapping's limits."""
    count = {name: sum(f[i] == "1" for f in flags) for i, name in enumerate(FLAG_NAMES)}
    lines = []
    if count["approximate"]:
        lines.append(f"{count['approximate']} of {len(flags)} GEM entries are approximate: the ICD-10-PCS code does "
                     f"not say exactly what the ICD-9-CM code says")
    if count["combination"]:
        lines.append(f"{count['combination']} GEM entries are combination entries: the ICD-9-CM code needs several "
                     f"ICD-10-PCS codes together (one from each choice list of a scenario); each is answered on its own here")
    if count["no_map"]:
        lines.append("the GEMs map it to NoPCS: ICD-10-PCS has no counterpart, so the mapping cannot answer → spine "
                     "surgery and back surgery depend")
    return lines


def icd9_lines(d: Decision, parts: list[Decision], flags: list[str]) -> list[str]:
    """The explanation of an ICD-9-CM answer: the mapping, its limits, and the mapped codes by answer."""
    lines = [f"ICD-9-CM {icd9_dotted(d.code)} (procedure, volume 3) → {len(parts)} ICD-10-PCS code"
             f"{'' if len(parts) == 1 else 's'} by the CMS General Equivalence Mappings (ontology/reference/{GEMS})"]
    lines.extend(flag_lines(flags))
    groups: dict[tuple[str, str], list[str]] = {}
    for part in parts:
        groups.setdefault((part.spine, part.back), []).append(part.code)
    for (spine, back), codes in groups.items():
        lines.append(f"spine surgery {spine}, back surgery {back}: {', '.join(codes)}")
    if len(groups) == 1 and parts:
        lines.append("every mapped code gives the same answer → that answer")
    elif parts:
        lines.append("the mapped codes disagree → " + ", ".join(
            f"{kind} surgery depends" for kind, values in (("spine", {s for s, _ in groups}), ("back", {b for _, b in groups}))
            if len(values) > 1) + " (the ICD-9-CM code does not say which of them was done)")
    return lines
