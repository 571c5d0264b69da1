"""Extension overlays and sealed caches at run time (Java-free): merging, digests, tampering."""
from __future__ import annotations

import json

import pytest

from spinekg.answer.extensions import diff, merge
from spinekg.answer.sealed import open_sealed, seal


def small_index() -> dict:
    return {"format": 1, "version": "x", "zones": {}, "terms": {"A": {"label": "a"}, "B": {"label": "b"}},
            "lexicon": {"a": ["A"], "b": ["B"]}, "anatomy": {"A": {"zones": []}}, "procedures": {"B": {"sites": []}},
            "disorders": {}}


def test_merging_an_overlay_gives_back_the_full_index():
    base = small_index()
    full = json.loads(json.dumps(base))
    full["terms"]["C"] = {"label": "c"}
    full["lexicon"]["c"] = ["C"]
    full["lexicon"]["a"] = ["A", "C"]  # a shared synonym
    full["procedures"]["C"] = {"sites": [["A"]]}
    del full["anatomy"]["A"]
    overlay = diff(base, full)
    assert overlay["changed"]["lexicon"] == {"a": ["A", "C"], "c": ["C"]}
    assert overlay["removed"] == {"terms": [], "lexicon": [], "anatomy": ["A"], "procedures": [], "disorders": []}
    merged = merge(base, overlay)
    for section in ("terms", "lexicon", "anatomy", "procedures", "disorders"):
        assert merged[section] == full[section]
    assert base == small_index()  # the shipped index is never changed in place


def test_a_sealed_cache_is_trusted_only_when_inputs_and_content_match(tmp_path):
    path = tmp_path / "overlay.json"
    path.write_text(seal({"sources": "s1", "base": "b1", "answer": "no"}), encoding="utf-8")
    obj, why = open_sealed(path, {"sources": "s1", "base": "b1"})
    assert (obj["answer"], why) == ("no", "")
    assert open_sealed(path, {"sources": "s2", "base": "b1"}) == (None, "stale (sources changed)")
    path.write_text(path.read_text(encoding="utf-8").replace('"no"', '"yes"'), encoding="utf-8")
    assert open_sealed(path, {"sources": "s1", "base": "b1"}) == (
        None, "its content does not match its digest (edited or damaged)")
    assert open_sealed(tmp_path / "none.json", {}) == (None, "not built yet")
    path.write_text("{", encoding="utf-8")
    assert open_sealed(path, {}) == (None, "unreadable (JSONDecodeError)")


def test_a_tampered_profile_index_is_not_trusted(tmp_path, repo):
    """Editing a reasoned profile's FILE.index.json (to flip an answer) makes it untrusted: the profile
    counts as not reasoned (exit 3 without Java), and the message says why."""
    from spinekg.answer.profiles import PROFILE_INDEX_DIR, ProfileNotReasoned, load_overlay, user_index_path, user_inputs

    mine = tmp_path / "our-hospital.ttl"
    mine.write_text((repo / "ontology" / "profiles" / "thoracolumbar.ttl").read_text(encoding="utf-8").replace(
        'rdfs:label "thoracolumbar"@en', 'rdfs:label "our-hospital"@en'), encoding="utf-8")
    overlay = json.loads((PROFILE_INDEX_DIR / "thoracolumbar.json").read_text(encoding="utf-8"))
    overlay.update(name="our-hospital", builtin=False, **user_inputs(mine))
    user_index_path(mine).write_text(seal(overlay), encoding="utf-8")
    assert load_overlay(str(mine))["procedures"]["AnteriorCervicalDiscectomyAndFusion"] == "no"
    load_overlay.cache_clear()
    text = user_index_path(mine).read_text(encoding="utf-8")
    flipped = text.replace('"AnteriorCervicalDiscectomyAndFusion":"no"', '"AnteriorCervicalDiscectomyAndFusion":"yes"')
    assert flipped != text
    user_index_path(mine).write_text(flipped, encoding="utf-8")
    with pytest.raises(ProfileNotReasoned) as caught:
        load_overlay(str(mine))
    assert caught.value.exit_code == 3
    assert "its content does not match its digest (edited or damaged)" in caught.value.message
    load_overlay.cache_clear()
