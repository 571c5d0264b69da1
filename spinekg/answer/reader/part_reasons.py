"""The explanation's line for each ICD-10-PCS body part a root operation was read at: the ontology term it maps to, or
outside the spine and the back. Many parts of one system all outside ('anastomosis' beside 'hemicolectomy': the 29 body
parts of the gastrointestinal system) get one line, not one each."""
from __future__ import annotations

from .lexicon import Lexicon

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

MANY_PARTS = 8  # more body parts of one system than this, all outside the spine and back, are explained in one line
MAPPINGS = "ontology/mappings/icd10pcs-body-parts.sssom.tsv"


def part_reasons(parts: list[str], terms: list[str | None], lex: Lexicon, label: Callable[[str], str]) -> list[str]:
    """One line per body part (``terms``: the ontology term of each, None outside the spine and back), in order."""
    outside: dict[str, list[str]] = {}
    for part, term in zip(parts, terms):
        if term is None:
            outside.setdefault(part[0], []).append(part)
    why = []
    for part, term in zip(parts, terms):
        name, system = lex.body_parts[part][0], lex.systems[part[0]]
        if term is None and len(outside[part[0]]) > MANY_PARTS:
            if part == outside[part[0]][0]:  # (the first of them: the line says all)
                last = outside[part[0]][-1]
                why.append(f"body system {part[0]} ({system}), its {len(outside[part[0]])} body parts {part[1]} ({name}) to "
                           f"{last[1]} ({lex.body_parts[last][0]}): none is a spine or back body part (see {MAPPINGS}) → not "
                           f"spine surgery, not back surgery")
        elif term is None:
            why.append(f"body system {part[0]} ({system}), body part {part[1]} ({name}) is not a spine or back body "
                       f"part (see {MAPPINGS}) → not spine surgery, not back surgery")
        else:
            why.append(f"body system {part[0]} ({system}), body part {part[1]} ({name}) → {label(term)} (spinekg:{term})")
    return why
