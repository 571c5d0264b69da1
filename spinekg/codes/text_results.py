"""The result cache of a column of free-text procedure descriptions: each distinct text read once by the text reader
(on two cores when asked), its answer the code columns plus ``readings`` as JSON."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..collector import collector_paused
from ..errors import SpinekgError
from .arrow_calls import _compute, _f, _index_in, _int32s, _strings, _take
from .results import TEXT_COLUMNS, ResultCache
from .shapes import may_be_code


_JSON: Any = None
_ORJSON: Any = None


def _readings_json(readings: list[dict] | None) -> str:
    """``readings`` as compact JSON with sorted keys. orjson writes the same bytes as the standard library's encoder
    (compact separators, no ASCII escapes, sorted keys; tested on every phrase table reading) in a quarter of the time:
    encoding was a sixth of reading a bulk text. What orjson refuses (a lone surrogate from a Python caller) and a
    Python without orjson take the standard encoder: one encoder for every row (json.dumps makes one per call);
    readings hold no cycles, so it does not look for them."""
    global _JSON, _ORJSON
    if _ORJSON is None:
        try:
            import orjson

            _ORJSON = (orjson.dumps, orjson.OPT_SORT_KEYS, orjson.JSONEncodeError)
        except ImportError:
            _ORJSON = ()
    if _ORJSON:
        dumps, sort_keys, refused = _ORJSON
        try:
            return dumps(readings, option=sort_keys).decode()
        except refused:
            pass
    if _JSON is None:
        import json

        _JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, check_circular=False)
    return _JSON.encode(readings)


class TextResultCache(ResultCache):
    """Free-text procedure descriptions: each distinct text is read once by the text reader; the output adds
    ``readings`` (JSON) to the code columns."""

    def __init__(self, index: dict | None = None, profile: str | Path | None = None):
        from ..answer.profiles import is_default

        self.system, self.index, self.needle = "text", index, False
        self.profile = None if is_default(profile) else profile
        self.columns = TEXT_COLUMNS
        self.rows, self._row_ids, self._arrays, self._tables, self._codes = [], {}, None, None, None
        self.known, self.known_rids = _strings([]), _int32s([])
        self.keys, self.key_rids = self.known, self.known_rids
        self.generation, self._base, self._forget_next = 0, 0, False
        self._reader: tuple[Any, Any] | None = None

    def compute(self, value: str | None) -> tuple[str | None, ...]:
        if value is None or not value.strip():
            return (None,) * len(self.columns)  # a blank cell has no answer, and is not an error either
        if may_be_code(value):  # a code in a text column ('0SG00A0', 'ICD-10-PCS 0SG00A0') is answered as classify does
            from .icd10 import classify_code, code_query

            if found := code_query(value, self.index):
                try:
                    v = classify_code(found[0], system=found[1], index=self.index, profile=self.profile)
                except SpinekgError as exc:
                    return (None,) * (len(self.columns) - 1) + (str(exc),)
                return (v.spine_surgery, v.back_surgery, ";".join(v.regions), "spinekg:" + v.procedure["iri"].rsplit("/", 1)[1],
                        _readings_json(v.readings), None)
        if self._reader is None:  # looked up once, not per text (a bulk file has thousands)
            from ..answer.composers import composer
            from ..answer.reader import classify_any_text

            self._reader = (classify_any_text, composer(self.index, self.profile))
        read, comp = self._reader
        try:
            v = read(value, comp)
        except SpinekgError as exc:
            return (None,) * (len(self.columns) - 1) + (str(exc),)
        readings = _readings_json(v.readings)
        return (v.spine_surgery, v.back_surgery, ";".join(v.regions), "spinekg:" + v.procedure["iri"].rsplit("/", 1)[1], readings, None)

    def resolve(self, values: Any) -> Any:
        """Row ids, reading each distinct text once (exact text: no upper-casing, unlike codes)."""
        from .forked import map_forked

        rids = _take(self.known_rids, _index_in(values, self.known))
        if rids.null_count:
            missing = _f("is_null", rids)
            new = _f("filter", values, missing)
            texts = new.to_pylist()
            # texts that differ only in their levels, sides or case are read by the same process (it reuses their wording)
            # reading and the answers' rows make no cycles: collecting while the memos grow re-walks them
            # each answer's result row is made here as it comes (this process's while children read)
            with collector_paused():
                computed = map_forked(self.compute, texts, lambda: wordings(new), then=self.row)
            rids = _f("replace_with_mask", rids, missing, _int32s(computed))
        return rids


def wordings(texts: Any) -> list[str]:
    """``reuse.wording`` of each text of a string array (null: ''), by Arrow kernels: three times faster than one
    text at a time in Python, before the reading processes fork. Only a key: a text it words otherwise than
    ``wording`` (a run of apostrophes) is read the same, perhaps in the other process."""
    from ..answer.reader.reuse import side_words

    k = _compute()
    words = "|".join(sorted((w for w in side_words() if w.isalpha() and w.isascii()), key=lambda w: (-len(w), w)))
    keys = _f("replace_substring_regex", _f("utf8_lower", texts), options=k.ReplaceSubstringOptions("[^a-z']+", " "))
    padded = _f("binary_join_element_wise", _strings([" "])[0], keys, _strings([" "])[0], _strings([""])[0])
    # no leading apostrophes (with the space they leave: other spaces are single), no letter or side alone; a pattern
    # matching only where it changes something (RE2 replaces each match on its own: a match at every space cost a third)
    for pattern in (" '[ ']*", f" (?:(?:[a-z']|{words}) )+"):
        padded = _f("replace_substring_regex", padded, options=k.ReplaceSubstringOptions(pattern, " "))
    return [key or "" for key in _f("utf8_trim_whitespace", padded).to_pylist()]
