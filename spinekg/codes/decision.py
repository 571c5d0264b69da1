"""What a procedure code means before any text is written: shared by the code systems and the bulk code table."""
from __future__ import annotations

from dataclasses import dataclass, field

GENERIC_PROCEDURE = {"yes": "OperativeProcedure", "no": "NonOperativeProcedure"}  # else "Procedure"


@dataclass
class Decision:
    """The answer parts of one code (the bulk path uses only this). ``counterpart``: the section-0 code a
    section-X code is answered as; ``notes``: facts the explanation must state (e.g. not in the FY2025 set)."""

    code: str
    site: str | None
    operative: str  # yes / no / depends
    procedure: str
    spine: str
    back: str
    regions: list[str]
    approach: str | None = None
    directional: str | None = None
    notes: list[str] = field(default_factory=list)
    counterpart: str | None = None


def combine(values: list[str]) -> str:
    """One three-valued answer for several: the common one, else depends."""
    return values[0] if values and all(v == values[0] for v in values) else "depends"
