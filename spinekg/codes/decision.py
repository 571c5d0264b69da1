"""What a procedure code means before any text is written: shared by the code systems and the bulk code table."""
from __future__ import annotations

from ..answer.records import Record

GENERIC_PROCEDURE = {"yes": "OperativeProcedure", "no": "NonOperativeProcedure"}  # else "Procedure"


class Decision(Record):
    """The answer parts of one code (the bulk path uses only this). ``counterpart``: the section-0 code a
    section-X code is answered as; ``notes``: facts the explanation must state (e.g. not in the FY2025 set).
    A Record, as a dataclass would be, without importing dataclasses on the cold code path."""

    FIELDS = ("code", "site", "operative", "procedure", "spine", "back", "regions", "approach", "directional",
              "notes", "counterpart")

    def __init__(self, code: str, site: str | None, operative: str, procedure: str, spine: str, back: str,
                 regions: list[str], approach: str | None = None, directional: str | None = None,
                 notes: list[str] | None = None, counterpart: str | None = None):
        self.code, self.site, self.operative, self.procedure = code, site, operative, procedure  # operative: yes / no / depends
        self.spine, self.back, self.regions = spine, back, regions
        self.approach, self.directional = approach, directional
        self.notes = [] if notes is None else notes
        self.counterpart = counterpart


def combine(values: list[str]) -> str:
    """One three-valued answer for several: the common one, else depends."""
    return values[0] if values and all(v == values[0] for v in values) else "depends"
