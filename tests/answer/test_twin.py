"""The marshal twin of the shipped JSON gives exactly the JSON's content, is named by the file's stat (by its
content while the file is racy, i.e. just modified), and is never needed: a corrupt twin or an unwritable
cache falls back to the JSON."""
from __future__ import annotations

import json
import os

from spinekg.answer.twin import load_json, stat_twin_file, twin_path
from spinekg.paths import DATA_DIR


def test_twin_equals_json_and_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("runtime-index.json", "lexicon.json"):
        path = DATA_DIR / name
        expected = json.loads(path.read_text(encoding="utf-8"))
        assert load_json(path) == expected  # first load: from the JSON, writes the twin
        twin = stat_twin_file(path)  # the shipped files are not racy: named by their stat
        assert twin is not None and os.path.isfile(twin) and "-s" in os.path.basename(twin)
        assert load_json(path) == expected  # second load: from the twin
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "twins").iterdir()) == ["lexicon", "runtime"]


def test_edited_json_gets_a_new_twin_and_corrupt_twins_are_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data.json"
    data.write_text('{"a": ["x", "x"], "b": 1}', encoding="utf-8")
    assert load_json(data) == {"a": ["x", "x"], "b": 1}
    first = twin_path(data, data.read_bytes())
    first.write_bytes(b"\x00not marshal")
    assert load_json(data) == {"a": ["x", "x"], "b": 1}
    data.write_text('{"a": ["y", "x"], "b": 2}', encoding="utf-8")  # same size, new content
    assert twin_path(data, data.read_bytes()) != first
    assert load_json(data) == {"a": ["y", "x"], "b": 2}


def test_twin_is_named_by_stat_once_the_file_is_not_racy(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data.json"
    data.write_text('{"a": 1}', encoding="utf-8")
    assert stat_twin_file(data) is None  # just written: racy, named by content
    assert load_json(data) == {"a": 1} and twin_path(data, data.read_bytes()).is_file()
    old = data.stat().st_mtime_ns - 10_000_000_000
    os.utime(data, ns=(old, old))
    named = stat_twin_file(data)
    assert named is not None and not os.path.exists(named)
    assert load_json(data) == {"a": 1} and os.path.isfile(named)  # written under its stat name
    data.write_text('{"a": 2}', encoding="utf-8")  # same size; the old mtime put back: the ctime still differs
    os.utime(data, ns=(old, old))
    assert stat_twin_file(data) not in (None, named)
    assert load_json(data) == {"a": 2}


def test_unwritable_cache_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(blocker / "cache"))
    data = tmp_path / "data.json"
    data.write_text('{"k": [1, 2]}', encoding="utf-8")
    assert load_json(data) == {"k": [1, 2]}
    assert load_json(data) == {"k": [1, 2]}
    assert sorted(os.listdir(tmp_path)) == ["data.json", "not-a-dir"]  # nothing half-written beside the data


def test_deferred_sections_decode_on_first_read_and_never_leak_blobs(tmp_path, monkeypatch):
    import copy
    import pickle

    from spinekg.answer.twin import Deferred

    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "data.json"
    content = {"a": {"x": [1, "s"], "y": {"k": "v"}, "z": None}, "b": [1]}
    data.write_text(json.dumps(content), encoding="utf-8")
    assert load_json(data, ("a",)) == content  # from the JSON: writes the twin
    loaded = load_json(data, ("a",))
    section = loaded["a"]
    assert type(section) is Deferred and loaded == content and section == content["a"]
    fresh = load_json(data, ("a",))["a"]
    assert "x" in fresh and "q" not in fresh and len(fresh) == 3 and list(fresh.keys()) == ["x", "y", "z"]
    assert all(type(dict.__getitem__(fresh, k)) is bytes for k in fresh)  # membership, len, keys decode nothing
    assert fresh["x"] == [1, "s"] and type(dict.__getitem__(fresh, "x")) is list  # decoded once, kept
    assert fresh.get("y") == {"k": "v"} and fresh.get("q", 0) == 0 and fresh.get("z", 1) is None
    for copied in (dict(fresh), {**fresh}, fresh.copy(), fresh | {}, {} | fresh, copy.deepcopy(fresh),
                   pickle.loads(pickle.dumps(fresh)), dict(fresh.items()), json.loads(json.dumps(fresh))):
        assert copied == content["a"] and type(copied) is dict, copied
    assert list(fresh.values()) == list(content["a"].values()) and sorted(fresh) == ["x", "y", "z"]
    assert fresh.pop("y") == {"k": "v"} and fresh.pop("q", 5) == 5 and fresh.setdefault("z", 3) is None
    assert fresh != content["a"] and repr(fresh) == repr({"x": [1, "s"], "z": None})
    assert load_json(data) == content and type(load_json(data)["a"]) is dict  # no deferred sections: plain dicts


def test_sectioned_twin_reads_each_blob_alone_and_refuses_a_truncated_file(tmp_path):
    import marshal

    from spinekg.answer.twin import read_sections, write_sections

    twin = tmp_path / "t.marshal"
    blobs = {"a": marshal.dumps([1, "x"]), "b": b"", "c": marshal.dumps({"k": "v"})}
    write_sections(twin, blobs)
    found = read_sections(twin)
    assert found is not None and sorted(found.offsets) == ["a", "b", "c"]
    assert [found.read(name) for name in ("c", "a", "b")] == [blobs["c"], blobs["a"], b""]
    twin.write_bytes(twin.read_bytes()[:-1])
    assert read_sections(twin) is None  # shorter than its header says
    twin.write_bytes(marshal.dumps({"a": 1}))
    assert read_sections(twin) is None and read_sections(tmp_path / "missing") is None  # another kind; none at all


def test_code_sources_come_from_the_sectioned_twin_lazily(tmp_path, monkeypatch):
    from spinekg.codes.icd10 import CodeTables
    from spinekg.codes.table_sources import FromSections

    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    fresh = CodeTables()  # parses the sources, checks them, writes the twin and its checked marker
    twinned = CodeTables()
    assert type(twinned.sets) is FromSections and all(v is None for v in dict.values(twinned.sets))  # nothing read yet
    assert twinned.decide_pcs("0SG00A0").procedure == fresh.decide_pcs("0SG00A0").procedure == "LumbarInterbodyFusion"
    assert dict.__getitem__(twinned.sets, "cm") is None  # a PCS code never reads the ICD-10-CM rules
    assert {k: v.rows for k, v in twinned.sets.items()} == {k: v.rows for k, v in fresh.sets.items()}
    assert dict(twinned.rows["spine_codes"]) == dict(fresh.rows["spine_codes"])
    names = sorted(p.name.rsplit("-", 1)[-1] for p in (tmp_path / "cache" / "twins").iterdir() if ".checked-" in p.name)
    assert len(names) == 1
