"""A fixation construct's device that anchors in the spine (the word table's construct rows with a site: an S2AI screw
in the sacrum, pedicle screws in a vertebra) names its site only where the text names no other (the grammar's weak
sites). Beside a named site outside the spine, such as the pelvis the construct ends in ('pelvic fixation with S2AI
screws', 'fixation of ilium with S2AI screws'), the device's site was dropped or decided after the pelvis, and the
spinopelvic fixation answered no/no: the device still lies in the spine, so its site is read first, the named one
after it. Not where a level is given ('L5-S1 fusion with S2AI screws': the levels say where) or a spinal site is named."""
from __future__ import annotations

from .lexicon import Lexicon
from .placements import construct_part


def anchor_sites(clause, lex: Lexicon, weak_sites) -> None:  # type: ignore[no-untyped-def]
    """``weak_sites`` (the grammar's rule for adjective and device sites) on ``clause``, then the rule above."""
    anchors = [it for it in clause.sites if it.weak and _anchor(it, lex)]
    weak_sites(clause, lex)
    if not anchors or clause.levels:
        return
    others = [it for it in clause.sites if it not in anchors]
    if others and all(_outside(it, lex) for it in others):
        clause.sites = anchors + others


def _anchor(item, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    entries = item.entries
    return construct_part(item, lex) \
        and any(e[0] == "anat" or e[0] == "bp" and e[1] not in lex.outside for e in entries)


def _outside(item, lex: Lexicon) -> bool:  # type: ignore[no-untyped-def]
    parts = [e[1] for e in item.entries if e[0] == "bp"]  # outside the spine and the back, or with no ontology term at all
    return bool(parts) and all(p in lex.outside or lex.body_parts[p][1] is None for p in parts) \
        and not any(e[0] == "anat" for e in item.entries)
