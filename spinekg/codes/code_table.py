"""The precomputed code table: every ICD-10-PCS code's answer under every built-in profile, written at
build time and checked against a digest of its inputs, so bulk files need no index or composer."""
from __future__ import annotations

from pathlib import Path

from ..paths import ontology_dir
from .decision import GENERIC_PROCEDURE, combine
from .icd10 import MAPPING_FILES, NEEDLE_FILE, REFERENCE_FILES, tables
from .reference import FILES as BODY_WIDE_FILES, fy2025_codes, gems, section0_parts, titles
from .sections import NEW_TECHNOLOGY
from .shapes import icd9_dotted
from .mappings import local


# -- the bulk code table ---------------------------------------------------------------------------------------
# Bulk classification (spinekg.bulk) never classifies a code one by one when it can help it: it looks codes up
# in this table with Arrow kernels. It holds every shipped code's answer, and the rule for every other
# section-0 code, whose answer depends only on its body part and on whether its root operation, approach and
# qualifier make it an operation. Built from the same decisions as ``decide_pcs`` (``outcome``), shipped as
# spinekg/data/code-table.json, and used only while its digest matches its inputs (else rebuilt in memory).
CODE_TABLE_FORMAT = 3  # 3: every FY2025 section-0 code listed; codes as one "\n"-joined string
PCS_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # the 34 values of a PCS character
TRI_CHAR = {"yes": "y", "no": "n", "depends": "d"}
TRI_ORDER = ("yes", "no", "depends")


def code_table_path() -> Path:
    from ..paths import DATA_DIR

    return DATA_DIR / "code-table.json"


def code_table_inputs() -> list[Path]:
    """Every file the code table is computed from (this module included: it holds the decisions)."""
    from ..paths import RUNTIME_INDEX
    from ..answer.profiles import PROFILE_INDEX_DIR, builtin_names

    directory = ontology_dir()
    from . import decision, icd9, icd10, mappings, sections, shapes

    modules = [icd10, mappings, decision, icd9, sections, shapes]
    return ([RUNTIME_INDEX] + [Path(m.__file__) for m in modules] + [Path(__file__)]
            + [directory / "mappings" / f for f in [*MAPPING_FILES.values(), NEEDLE_FILE, NEW_TECHNOLOGY]]
            + [directory / "reference" / f for f in [*REFERENCE_FILES, *BODY_WIDE_FILES]]
            + [PROFILE_INDEX_DIR / f"{name}.json" for name in builtin_names()])


def code_table_digest() -> str:
    import hashlib

    paths = code_table_inputs()
    digest = hashlib.sha256(f"format {CODE_TABLE_FORMAT}\n".encode())
    for path, content in zip(paths, _content_digests(paths)):
        digest.update(f"{path.name}\n{content}\n".encode())
    return digest.hexdigest()[:16]


def _content_digests(paths: list[Path]) -> list[str]:
    """The sha256 of each file's bytes ("(missing)" for an unreadable one), remembered in the user's cache by the
    file's size, times and inode (as git and make trust them): every bulk run checks that the shipped table is
    current, and need not read its 18 MB of inputs to do so."""
    import hashlib
    import json

    from ..files import write_atomically
    from ..paths import cache_dir

    memo_path = cache_dir() / "code-table-inputs.json"
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    if not isinstance(memo, dict):
        memo = {}
    found, changed = [], False
    for path in paths:
        try:
            stat = path.stat()
            key = f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"
            entry = memo.get(str(path))
            if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == key):
                entry = memo[str(path)] = [key, hashlib.sha256(path.read_bytes()).hexdigest()]
                changed = True
            found.append(entry[1])
        except OSError:
            found.append("(missing)")
    if changed:
        try:
            write_atomically(memo_path, json.dumps(memo, sort_keys=True, indent=0) + "\n")
        except OSError:  # a read-only home: hash the inputs on every run instead
            pass
    return found


def build_code_table(index: dict | None = None, profiles: list[str] | None = None, needle: bool = False) -> dict:
    """The code table for ``index`` (default: the shipped one), ``profiles`` (default: every built-in) and the needle
    option. Explicit codes: every FY2025 section-0 code, every other-year and other-section ICD-10-PCS code of the
    reference lists, and every ICD-9-CM code of the GEMs (dotted and undotted), so a real claims file's codes are
    all looked up, none resolved at run time; a rule covers the rest of section 0 (codes valid by their axes)."""
    from ..answer.profiles import DEFAULT_PROFILE, builtin_names

    t = tables(index)
    names = list(profiles) if profiles is not None else builtin_names()
    if DEFAULT_PROFILE not in names:
        names.insert(0, DEFAULT_PROFILE)
    profs = {name: t.profile(name) for name in names}
    results: dict[tuple[str, str, str], int] = {}

    def result(spine: str, regions: list[str], procedure: str) -> int:
        return results.setdefault((spine, ";".join(regions), f"spinekg:{procedure}"), len(results))

    decided: dict[str, tuple[object, dict[str, str]]] = {}

    def decide(code: str) -> tuple[object, dict[str, str]]:
        """(default decision, back surgery by profile) of one ICD-10-PCS code, once."""
        if code not in decided:
            d = t.decide_pcs(code, None, needle)
            back = {name: d.back if name == DEFAULT_PROFILE or d.site is None else t.outcome(d.site, d.operative, profs[name])[1]
                    for name in names}
            decided[code] = (d, back)
        return decided[code]

    pcs_codes = sorted(set(t.pcs_codes) | fy2025_codes() | set(titles()))
    codes: list[str] = []
    code_results: list[int] = []
    back: dict[str, list[str]] = {name: [] for name in names}
    for code in pcs_codes:
        d, by_profile = decide(code)
        codes.append(code)
        code_results.append(result(d.spine, d.regions, d.procedure))  # type: ignore[attr-defined]
        for name in names:
            back[name].append(TRI_CHAR[by_profile[name]])
    for code, entries in sorted(gems().items()):
        mapped = list(dict.fromkeys(pcs for pcs, _ in entries if pcs != "NoPCS"))
        parts = [decide(pcs) for pcs in mapped]
        if parts:
            from ..vocab import REGION_ORDER

            regions = sorted({r for d, _ in parts for r in d.regions}, key=REGION_ORDER.index)  # type: ignore[attr-defined]
            operative = combine([d.operative for d, _ in parts])  # type: ignore[attr-defined]
            procs = {d.procedure for d, _ in parts}  # type: ignore[attr-defined]
            procedure = procs.pop() if len(procs) == 1 else GENERIC_PROCEDURE.get(operative, "Procedure")
            rid = result(combine([d.spine for d, _ in parts]), regions, procedure)  # type: ignore[attr-defined]
            backs = {name: combine([b[name] for _, b in parts]) for name in names}
        else:  # NoPCS only
            rid, backs = result("depends", [], "Procedure"), {name: "depends" for name in names}
        for spelling in (code, icd9_dotted(code)):
            codes.append(spelling)
            code_results.append(rid)
            for name in names:
                back[name].append(TRI_CHAR[backs[name]])
    # a code whose body part has no procedure pattern and whose validity rests on its axes alone: its answer is
    # outcome(site of the part or None, operative); other mapped parts are "strict" (explicit codes, else Python)
    strict = sorted({p for p in t.patterns_by_part}
                    | {b + p for (b, p), row in t.axes.items() if row["spine_relevance"] != "keyword_match_not_spine"})
    parts = sorted(section0_parts() - set(strict))
    part_results: list[list[int]] = []
    part_back: dict[str, list[str]] = {name: [] for name in names}
    for part in parts:
        row = t.body_parts.get(part)
        site = local(row["object_id"]) if row else None
        part_results.append([result(*_spine_regions(t.outcome(site, op)), GENERIC_PROCEDURE.get(op, "Procedure"))
                             for op in TRI_ORDER])
        for name in names:
            part_back[name].append("".join(TRI_CHAR[t.outcome(site, op, profs[name])[1]] for op in TRI_ORDER))
    roots, approaches = "".join(sorted(t.root_operations)), "".join(sorted(t.approach_labels))
    operative = "".join(TRI_CHAR[t.operative(f"00{r}0{a}0{q}", needle)[0]] for r in roots for a in approaches for q in PCS_CHARS)
    cm_results: dict[tuple[str, str, str, str], int] = {}
    cm_codes, cm_code_results = sorted(t.cm_codes), []
    for code in cm_codes:
        c = t.decide_cm(code)
        key = (f"spinekg:{c['disorder']}", c["lower_back"], ";".join(c["regions"]),
               ";".join(f"spinekg:{p}" for p in c["treated_by"]))
        cm_code_results.append(cm_results.setdefault(key, len(cm_results)))
    return {
        "format": CODE_TABLE_FORMAT, "digest": code_table_digest() if index is None and not needle else "",
        "version": t.index["version"], "profiles": names, "needle": needle,
        "pcs": {"results": [list(k) for k in results], "codes": "\n".join(codes), "code_results": code_results,
                "back": {name: "".join(v) for name, v in back.items()},
                "operations": {"root_operations": roots, "approaches": approaches, "qualifiers": PCS_CHARS,
                               "operative": operative},
                "parts": parts, "part_results": part_results, "part_back": part_back, "strict_parts": strict},
        "cm": {"results": [list(k) for k in cm_results], "codes": cm_codes, "code_results": cm_code_results},
    }


def _spine_regions(outcome: tuple[str, str, list[str]]) -> tuple[str, list[str]]:
    return outcome[0], outcome[2]


def code_table_json(table: dict) -> str:
    import json

    return json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def write_code_table() -> Path:
    """Regenerate spinekg/data/code-table.json (``spinekg crosswalk --module``; also run by ``spinekg build``)."""
    from ..files import write_atomically

    path = code_table_path()
    write_atomically(path, code_table_json(build_code_table()))
    return path


_CODE_TABLES: dict[tuple[int, str], dict] = {}


def code_table(index: dict | None = None, profile: str | Path | None = None, needle: bool = False) -> dict:
    """A code table that covers ``profile``: the shipped one while it is current, else one built now (a
    user's profile file, a custom index, or inputs edited since the last ``spinekg crosswalk --module``)."""
    import json

    from ..answer.profiles import DEFAULT_PROFILE, is_default

    name = DEFAULT_PROFILE if is_default(profile) else str(profile)
    key = (id(index) if index is not None else 0, name + ("+needle" if needle else ""))
    if key in _CODE_TABLES:
        return _CODE_TABLES[key]
    table = None
    if index is None and not needle:
        shipped = _CODE_TABLES.get((0, ""))
        if shipped is None:
            try:
                shipped = json.loads(code_table_path().read_text(encoding="utf-8"))
            except (OSError, ValueError):
                shipped = {}
            if shipped.get("format") != CODE_TABLE_FORMAT or shipped.get("digest") != code_table_digest():
                shipped = {}
            _CODE_TABLES[(0, "")] = shipped
        if name in shipped.get("profiles", ()):
            table = shipped
    if table is None:
        if name != DEFAULT_PROFILE:
            tables(index).profile(profile)  # an unknown profile fails here, with its one-line message
        table = build_code_table(index, [name], needle)
    _CODE_TABLES[key] = table
    return table

