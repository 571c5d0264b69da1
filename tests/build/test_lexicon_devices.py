"""Implants by their make (build/lexicon_devices.py): the CMS index's Device Key rows become device phrases of the
lexicon, each traced to its row of the shipped index, with the rules that keep the reader's other readings."""
from __future__ import annotations

from pathlib import Path

from spinekg.answer.reader.lexicon import load_lexicon
from spinekg.answer.reader.text import key
from spinekg.build.lexicon_devices import MARK, add_device_key
from spinekg.tsv import read_tsv

REF = Path(__file__).resolve().parents[2] / "ontology" / "reference"


def _rows(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = ["term\tcontent\tverified_from"] + [f"{term}\t{content}\ttest" for term, content in rows]
    (tmp_path / "icd10pcs_index.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_the_rules_of_what_is_taken(tmp_path):
    phrases = {"synthetic substitute": [["dev", "synthetic substitute"]], "drainage device": [["dev", "drainage device"]],
               "catheter": [["op", "spinekg:NonOperativeProcedure"]], "bone": [["bp", "P0"]], "screw": [["dev", "screw"]],
               "internal fixation device": [["dev", "internal fixation device"]], "hip joint": [["bp", "S9"]]}
    ref = _rows(tmp_path, [
        ("ZORBIX(R) Lumbar Disc System", "use Synthetic Substitute"),  # a make and its name
        ("Qwerty(tm) (Mini)(Max) plug", "use Synthetic Substitute in **0SR** use Synthetic Substitute in **0RR**"),
        ("Foley catheter", "use Drainage Device"),  # a name holding an act: read from its words
        ("Bone screw (lag)", "use Internal Fixation Device in Lower Bones"),  # words the lexicon knows
        ("Abc(R) stent", "use Synthetic Substitute"),  # a make too short to stand alone
        ("Acetabulofemoral joint", "use Hip Joint, Right"),  # the Body Part Key: no device
        ("Mixed(R) thing", "use Synthetic Substitute use Some Unknown Value"),  # a target the lexicon does not know
        ("Dialysis(R) set", "see Drainage"),  # no 'use'
    ])
    before = dict(phrases)
    add_device_key(phrases, ref)
    added = {k: v for k, v in phrases.items() if k not in before}
    device = [["dev", "synthetic substitute"]]
    assert added == {"zorbix": device, "zorbix lumbar disc system": device, "qwerty": device, "qwerty plug": device,
                     "abc stent": device}


def test_each_make_read_is_a_device_key_row_of_the_shipped_index():
    """Every phrase of the compiled lexicon that only a Device Key row can give (a word no other phrase has) is in the
    term of a shipped index row whose content names its device."""
    rows = [r for r in read_tsv(REF / "icd10pcs_index.tsv") if r["content"].startswith("use ") and MARK.search(r["term"])]
    lex = load_lexicon()
    makes = {key(MARK.split(r["term"])[0]) for r in rows}
    taken = {m: lex.phrases[m] for m in makes if m in lex.phrases and all(e[0] == "dev" for e in lex.phrases[m])}
    assert {"x-stop", "dynesys", "bryan", "barricaid", "coroent", "interstim"} <= set(taken)
    for make, entries in taken.items():
        sources = [r for r in rows if key(MARK.split(r["term"])[0]) == make]
        for _, device in entries:
            assert any(device in r["content"].lower() for r in sources), (make, device)
    assert lex.phrases["prodisc-l"] == [["dev", "synthetic substitute"]]  # a make without a trademark sign: its whole term
    assert "afx" not in lex.phrases and "foley catheter" not in lex.phrases
