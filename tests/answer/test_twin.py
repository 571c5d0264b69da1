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


def test_deferred_sections_read_a_bucket_per_look_up_and_never_leak_partial_views(tmp_path, monkeypatch):
    import copy
    import pickle

    from spinekg.answer import twin as twin_module
    from spinekg.answer.twin import Buckets

    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(twin_module, "BUCKET_BYTES", 16)  # a few entries per bucket
    data = tmp_path / "data.json"
    content = {"a": {f"k{i}": [i, "s"] for i in range(40)} | {"z": None, "y": {"k": "v"}}, "b": [1]}
    data.write_text(json.dumps(content), encoding="utf-8")
    old = data.stat().st_mtime_ns - 10_000_000_000
    os.utime(data, ns=(old, old))
    assert load_json(data, ("a",)) == content  # from the JSON: writes the twin
    fresh = load_json(data, ("a",))["a"]
    assert type(fresh) is Buckets and fresh.count > 3 and 0 < dict.__len__(fresh) < 42  # the first key's bucket only
    assert "k7" in fresh and "q" not in fresh and 1 not in fresh and fresh["k7"] == [7, "s"]
    assert 0 < dict.__len__(fresh) < 42  # and those of k7 and q
    assert fresh.get("y") == {"k": "v"} and fresh.get("q", 0) == 0 and fresh.get("z", 1) is None
    assert list(fresh.keys()) == list(content["a"])  # the whole: every bucket, in the JSON's order
    for view in (lambda: load_json(data, ("a",))["a"],):
        for copied in (dict(view()), {**view()}, view().copy(), view() | {}, {} | view(), copy.deepcopy(view()),
                       pickle.loads(pickle.dumps(view())), dict(view().items()), json.loads(json.dumps(view()))):
            assert copied == content["a"] and type(copied) is dict and list(copied) == list(content["a"]), copied
        assert len(view()) == 42 and sorted(view()) == sorted(content["a"]) and view() == content["a"]
    edited = load_json(data, ("a",))["a"]
    edited["new"], edited["k3"] = 1, 2
    del edited["k5"]
    assert edited.pop("k9") == [9, "s"] and edited.pop("q", 5) == 5 and edited.setdefault("z", 3) is None
    assert list(edited) == [k for k in content["a"] if k not in ("k5", "k9")] + ["new"] and edited["k3"] == 2
    assert load_json(data) == content and type(load_json(data)["a"]) is dict  # no deferred sections: plain dicts


def test_a_section_read_many_times_is_read_whole_once(tmp_path, monkeypatch):
    # bulk reading looks up tens of thousands of keys: past LOAD_ALL_AFTER look-ups per bucket the rest is read
    # at once, and then no look-up works out a bucket again; the content and the JSON's order are the same
    from spinekg.answer import twin as twin_module

    monkeypatch.setenv("SPINEKG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(twin_module, "BUCKET_BYTES", 16)
    data = tmp_path / "data.json"
    content = {"a": {f"k{i}": [i] for i in range(40)}}
    data.write_text(json.dumps(content), encoding="utf-8")
    old = data.stat().st_mtime_ns - 10_000_000_000
    os.utime(data, ns=(old, old))
    load_json(data, ("a",))
    section = load_json(data, ("a",))["a"]
    limit = twin_module.LOAD_ALL_AFTER * section.count
    while section.reads <= limit:
        assert section.pending and section.get("k1") == [1]
    assert not section.pending and dict.__len__(section) == 40 and section["k39"] == [39]
    calls = []
    monkeypatch.setattr(twin_module, "bucket_of", lambda *a: calls.append(a) or 0)
    assert "k5" in section and section.get("q") is None and calls == []
    assert list(section) == list(content["a"]) and section == content["a"]
    # read whole, it looks up as the plain dict it stands for (in C), with the same answers and order
    assert type(section) is twin_module.WholeBuckets and isinstance(section, dict)
    assert section.setdefault("k2", 0) == [2] and section.pop("k3") == [3] and section.pop("q", 7) == 7
    assert list(section) == [k for k in content["a"] if k != "k3"] and dict(section.items())["k4"] == [4]


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
    codes = twinned.rows["spine_codes"]
    assert "0SG00A0" in codes and dict.__len__(codes) < len(fresh.rows["spine_codes"]) // 4  # a few buckets of codes
    assert dict(codes) == dict(fresh.rows["spine_codes"]) and list(codes) == list(fresh.rows["spine_codes"])
    names = sorted(p.name.rsplit("-", 1)[-1] for p in (tmp_path / "cache" / "twins").iterdir() if ".checked-" in p.name)
    assert len(names) == 1
