"""Operative or not, for ICD-10-PCS root operations named in text: the code path's root-operation table (compiled into
the lexicon from ontology/mappings/icd10pcs-root-operations.sssom.tsv), over every approach the text leaves open."""
from __future__ import annotations

from .lexicon import Lexicon

DEFAULT_APPROACHES = "034"  # no approach named: open, percutaneous or endoscopic
# the ICD-10-PCS approach value Open: named beside another approach, it is the approach (a procedure converted to open is
# coded open; image guidance beside an open operation, 'open DREZ lesioning under image guidance', is no needle procedure)
OPEN = "0"


def unnamed_approaches(lex: Lexicon, root: str, approaches: str) -> str:
    """The approaches a root operation is read with when the text names none (``approaches``, the default): only those
    its codes take, else all it takes: a Change is always external ('Change Brace on Back'), a Detachment always open."""
    taken = lex.root_approaches.get(root)
    return "".join(a for a in approaches if a in taken) or taken if taken else approaches


def decide_operative(lex: Lexicon, roots: list[str], approaches: str, qualifier: str | None, named: bool = True) -> str:
    """Operative or not from the root-operation table, over every root and approach the text leaves open (``named``
    False: no approach named, see ``unnamed_approaches``)."""
    found = []
    for root in roots:
        wanted = approaches if named else unnamed_approaches(lex, root, approaches)
        usable = [a for a in wanted if f"{root}-{a}" in lex.operative] or \
                 [k.split("-")[1] for k in lex.operative if k.startswith(root + "-") and k.count("-") == 1]
        for approach in usable:
            key = f"{root}-{approach}"
            found.append(lex.operative.get(f"{key}-{qualifier}", lex.operative.get(key, "depends")) if qualifier
                         else lex.operative.get(key, "depends"))
    return "yes" if found and all(v == "yes" for v in found) else "no" if found and all(v == "no" for v in found) else "depends"
