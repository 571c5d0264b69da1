"""ICD-10-PCS beyond the FY2025 section-0 set: section X (New Technology) through its section-0 counterparts, and
the sections that are not operations (1-9, B-D, F-H).

* **Section X** keeps the section-0 meaning of the approach (character 5); its body parts and root operations are
  mapped to section-0 ones in ``ontology/mappings/icd10pcs-new-technology.sssom.tsv`` (each row cites a CMS title).
  A section-X code is answered as the section-0 code with those values would be: its site is whatever the body-parts
  mapping gives the counterpart body part, its being an operation is what the root-operations mapping says of the
  counterpart root operation and approach; its procedure class is the generic one (operative or not). A body-part value no title shows is unknown: ``depends`` in a body system
  whose titled body parts include the spine or back, ``no`` in one whose titled body parts are all elsewhere.
* **Sections 1-9, B-D, F-H** are imaging, administration, monitoring, therapies and the like: never an operation,
  so never spine or back surgery. Where the CMS title names a part of the spine or back (an epidural injection
  into the spinal canal, an X-ray of the lumbar spine) the answer says so: it is a procedure *on* the spine that
  is not an operation. The title's anatomy is read with the ontology's own lexicon (words and phrases → terms).
"""
from __future__ import annotations

from ..memo import remember  # functools.lru_cache without importing functools

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing and pathlib stay off the cold code path
    from pathlib import Path
    from typing import Any

from ..answer import regex  # re's patterns without importing re on a cold answer
from ..errors import SpinekgError
from ..paths import ontology_dir
from ..vocab import REGION_ORDER
from .decision import GENERIC_PROCEDURE, Decision
from .mappings import MappingSet, local, read_sssom
from .reference import body_parts, sections, titles

NEW_TECHNOLOGY = "icd10pcs-new-technology.sssom.tsv"
WORD = regex.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@remember(maxsize=4)
def new_technology(directory: Path | None = None) -> MappingSet:
    return read_sssom((directory or ontology_dir()) / "mappings" / NEW_TECHNOLOGY)


class NewTechnology:
    """The section-X mapping: body part XBP → section-0 body system + body part; root operation → section-0 root
    operation, or None when it is not an operation (Introduction, Monitoring, …)."""

    def __init__(self, directory: Path | None = None):
        mapping = new_technology(directory)
        defined = body_parts(directory)
        self.parts: dict[str, tuple[str, dict]] = {}
        self.operations: dict[str, tuple[str | None, dict]] = {}
        for row in mapping.rows:
            subject, target = local(row["subject_id"]), local(row["object_id"])
            if subject.startswith("body-part-X") and target.startswith("body-part-0"):
                counterpart = target[len("body-part-0"):]
                if ("0", counterpart[0], counterpart[1]) not in defined:
                    raise SpinekgError(f"{row['__line__']}: {row['object_id']} is not a section-0 body part of "
                                       f"icd10pcs_body_parts.tsv")
                self.parts[subject[len("body-part-X"):]] = (counterpart, row)
            elif subject.startswith("root-operation-X"):
                value = subject[len("root-operation-X"):]
                if target.startswith("root-operation-0"):
                    self.operations[value] = (target[len("root-operation-0"):], row)
                elif target == "NonOperativeProcedure":
                    self.operations[value] = (None, row)
                else:
                    raise SpinekgError(f"{row['__line__']}: {row['object_id']}: expected a section-0 root operation "
                                       f"or spinekg:NonOperativeProcedure")
            else:
                raise SpinekgError(f"{row['__line__']}: {row['subject_id']}: expected a section-X body part or root operation")


def decide_x(t: Any, code: str, profile: Any, needle: bool) -> Any:
    """The Decision for a section-X code (``t`` is the CodeTables, ``profile`` its profile composer or None)."""
    nt = t.new_technology
    op, op_row = nt.operations.get(code[2], (code[2], None))
    part = nt.parts.get(code[1] + code[3])
    counterpart = f"0{part[0][0]}{op or 'Z'}{part[0][1]}{code[4]}ZZ" if part else None
    if op_row is not None and op is None:
        operative = "no"
    elif op_row is None:
        operative = "depends"
    else:
        operative, _ = t.operative(f"00{op}0{code[4]}0Z", needle)
    notes = []
    if part:
        row = t.body_parts.get(part[0])
        site = local(row["object_id"]) if row else None
        spine, back, regions = t.outcome(site, operative, profile)
        # the generic class: section-0 procedure classes are curated on section-0 devices and qualifiers, whose
        # values section X redefines (a growth rod is no fracture fixation)
        procedure = GENERIC_PROCEDURE.get(operative, "Procedure")
    else:
        site, regions = None, []
        procedure = GENERIC_PROCEDURE.get(operative, "Procedure")
        spinal = _system_reaches_spine(t, code[1])
        spine = back = "no" if operative == "no" or not spinal else "depends"
        notes.append(f"body part {code[3]} of section-X body system {code[1]} is not shown by any shipped CMS title, so "
                     f"its site is unknown; " + ("this body system holds spine or back body parts → "
                                                  f"{'not an operation' if operative == 'no' else 'depends'}" if spinal
                                                  else "every titled body part of this body system lies outside the spine and back → no"))
    return Decision(code, site, operative, procedure, spine, back, regions, t.approach_terms.get(f"approach-{code[4]}"),
                    None, notes, counterpart)


def _system_reaches_spine(t: Any, system: str) -> bool:
    """Does any mapped body part of this section-X body system lie (possibly) in the spine or back? An unmapped
    body system (no titled code at all) is unknown, so it may."""
    parts = [p for key, (p, _) in t.new_technology.parts.items() if key[0] == system]
    if not parts:
        return True
    for part in parts:
        row = t.body_parts.get(part)
        if row:
            info = t.index["anatomy"][local(row["object_id"])]
            if info["spinal"] != "no" or info["lower_back"] != "no":
                return True
    return False


def decide_other(t: Any, code: str, profile: Any) -> Any:
    """The Decision for a code of a section that holds no operations (1-9, B-D, F-H)."""
    found = title_sites(t, titles().get(code, ""))
    regions: list[str] = []
    for site in found:
        regions.extend(r for r in t.index["anatomy"][site]["regions"] if r not in regions)
    regions.sort(key=REGION_ORDER.index)
    return Decision(code, found[0] if found else None, "no", "NonOperativeProcedure", "no", "no", regions, None, None,
                    [], None)


def title_sites(t: Any, title: str) -> list[str]:
    """Spine or back anatomy terms a CMS title names (the ontology lexicon's longest phrases, left to right)."""
    if not title:
        return []
    words = WORD.findall(title.lower())
    lexicon, anatomy = t.index["lexicon"], t.index["anatomy"]
    found: list[str] = []
    start = 0
    while start < len(words):
        for size in range(min(5, len(words) - start), 0, -1):
            terms = lexicon.get(" ".join(words[start:start + size]), [])
            hits = [term for term in terms if term in anatomy and _in_spine_or_back(anatomy, term)]
            if hits:
                found.extend(h for h in hits if h not in found)
                start += size
                break
        else:
            start += 1
    return found


def _in_spine_or_back(anatomy: dict, term: str) -> bool:
    info = anatomy[term]
    return info["spinal"] == "yes" or info["lower_back"] == "yes" or term == "Back" or "Back" in info["ancestors"]


def section_name(section: str) -> str:
    row = sections().get(section)
    return f"section {section} ({row['label']})" if row else f"section {section}"


def other_lines(t: Any, d: Any, comp: Any) -> list[str]:
    """Explanation lines for a code of a non-operative section."""
    code = d.code
    title = titles().get(code, "")
    lines = [f"ICD-10-PCS {code}: {title}" if title else f"ICD-10-PCS {code} (no CMS title in the shipped tables)",
             f"{section_name(code[0])} is not the Medical and Surgical section: its procedures are not operations, so "
             f"this is not an operation on the spine → not spine surgery, not back surgery"]
    if d.site:
        lines.append(f"the title names {comp.label(d.site)} (spinekg:{d.site}), which lies in the spine or back: a "
                     f"procedure on the spine or back, but not an operation")
    return lines


def x_lines(t: Any, d: Any, comp: Any, needle: bool = False) -> list[str]:
    """Explanation lines for a section-X code, before the site reasons."""
    code = d.code
    title = titles().get(code, "")
    nt = t.new_technology
    lines = [f"ICD-10-PCS {code}: {title}" if title else f"ICD-10-PCS {code} (no CMS title in the shipped tables)",
             f"{section_name('X')}: classified by its body system, root operation and body part, mapped to section 0 "
             f"(ontology/mappings/{NEW_TECHNOLOGY})"]
    part = nt.parts.get(code[1] + code[3])
    if part:
        lines.append(f"body part {code[1]}{code[3]} → section-0 body part {part[0]} ({part[1]['object_label']})"
                     + (f" → {comp.label(d.site)} (spinekg:{d.site})" if d.site else
                        " (not a spine or back body part in ontology/mappings/icd10pcs-body-parts.sssom.tsv)"))
    op, op_row = nt.operations.get(code[2], (code[2], None))
    if op_row is None:
        lines.append(f"root operation {code[2]} of section X is not shown by any shipped CMS title → whether it is an "
                     f"operation depends")
    elif op is None:
        lines.append(f"root operation {code[2]} ({op_row['subject_label']}) is not an operation: {op_row['comment']}")
    else:
        _, row = t.operative(f"00{op}0{code[4]}0Z", needle)
        lines.append(f"root operation {code[2]} → section-0 root operation {op} ({t.root_operations[op]}) by approach "
                     f"{code[4]} ({t.approach_labels[code[4]]}): " + (row["comment"] if row else "not mapped"))
    lines.extend(d.notes)
    return lines
