"""The result table of a code column: each distinct code answered once (code table, Arrow rules, then Python), its
answer a row of a small table that every file row points to."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import SpinekgError
from .arrow_calls import _compute, _concat, _f, _index_in, _int32s, _lines, _pyarrow, _strings, _take, _tri_codes


PCS_COLUMNS = ("spine_surgery", "back_surgery", "regions", "procedure", "error")
CM_COLUMNS = ("disorder", "lower_back_condition", "regions", "treated_by", "error")
TEXT_COLUMNS = ("spine_surgery", "back_surgery", "regions", "procedure", "readings", "error")
# The cache forgets what it learnt beyond these (a wrong column of millions of distinct values stays bounded)
CACHE_KEYS = 2_000_000  # distinct values (real code lists have < 100,000)
CACHE_ROWS = 200_000  # distinct answers beyond the code table's (each bad value has its own error message)
PCS_SHAPE = "^0[0-9A-HJ-NP-Z]{6}$"  # a section-0 code (codes.PCS_RE, section 0)
TRI = {"y": "yes", "n": "no", "d": "depends"}
TRI_ORDER = ("yes", "no", "depends")  # code_table.TRI_ORDER: y, n, d → 0, 1, 2


def output_columns(system: str) -> tuple[str, ...]:
    # ICD-9-CM procedures answer as ICD-10-PCS codes do
    return CM_COLUMNS if system == "icd10cm" else TEXT_COLUMNS if system == "text" else PCS_COLUMNS


class ResultCache:
    """code → row of the result table, for one code system, profile and needle option; each distinct code is resolved
    once. A procedure column (``icd10pcs`` or ``icd9cm``) may mix both procedure systems: each value is answered in
    the system its shape says (ICD-9-CM: NN.N, NN.NN or 3-4 digits), as claims spanning October 2015 do."""

    def __init__(self, system: str, index: dict | None = None, profile: str | Path | None = None, needle: bool = False):
        from .icd10 import SYSTEMS, check_cm_profile
        from .code_table import code_table
        from ..answer.profiles import DEFAULT_PROFILE, is_default

        if system not in SYSTEMS:
            raise SpinekgError(f"unknown code system {system!r} (expected {', '.join(SYSTEMS)})")
        if system == "icd10cm":
            check_cm_profile(profile, needle)
        self.system, self.index, self.needle = system, index, needle
        self.profile = None if is_default(profile) else profile
        self.columns = output_columns(system)
        self.rows: list[tuple[str | None, ...]] = []
        self.generation = 0  # changes whenever the result table does
        self._row_ids: dict[tuple[str | None, ...], int] = {}
        self._arrays: list[Any] | None = None
        self._codes: list[Any] | None = None  # _answer_codes
        self._tables: Any = None
        table = code_table(index, self.profile, needle)
        if system != "icd10cm":
            self._pcs_rules(table["pcs"], DEFAULT_PROFILE if self.profile is None else str(self.profile))
        else:
            cm = table["cm"]
            keys, rids = [], []
            for code, result in zip(cm["codes"], cm["code_results"]):
                row = self.row(tuple(cm["results"][result]) + (None,))
                keys.append(code)
                rids.append(row)
                if "." in code:  # the undotted spelling (M48062) is the same code
                    keys.append(code.replace(".", ""))
                    rids.append(row)
            self.known, self.known_rids = _strings(keys), _int32s(rids)
        self.keys, self.key_rids = self.known, self.known_rids  # grows with every new distinct value
        self._base = len(self.rows)  # the code table's answers; later rows are learnt
        self._forget_next = False

    def _pcs_rules(self, pcs: dict, name: str) -> None:
        pa = _pyarrow()
        results = pcs["results"]
        self.known = _lines(pcs["codes"])
        # each code's row: its result (spine, regions, procedure) with its back-surgery answer under this profile,
        # numbered result * 3 + answer and mapped to result rows with one take (no Python loop over the codes)
        back = _tri_codes(pcs["back"][name])
        combined = _f("add", _f("multiply", _int32s(pcs["code_results"]), _int32s([3])[0]),
                      _f("cast", back, options=_compute().CastOptions(pa.int32())))
        row_of = [0] * (3 * len(results))
        for key in _f("unique", combined).to_pylist():
            r = results[key // 3]
            row_of[key] = self.row((r[0], TRI_ORDER[key % 3], r[1], r[2], None))
        self.known_rids = _take(_int32s(row_of), combined)
        flat = []
        for slot, answers in enumerate(pcs["part_results"]):
            for op, result in enumerate(answers):
                r = results[result]
                flat.append(self.row((r[0], TRI[pcs["part_back"][name][slot][op]], r[1], r[2], None)))
        self.part_rids = _int32s(flat)
        self.parts = _strings(pcs["parts"])  # any other body part: null, answered (or refused) in Python
        self.strict = _strings(pcs["strict_parts"])
        ops = pcs["operations"]
        self.op_keys = _strings([r + a + q for r in ops["root_operations"] for a in ops["approaches"]
                                 for q in ops["qualifiers"]])
        self.op_index = _tri_codes(ops["operative"])
        self.three, self.empty = _int32s([3])[0], _strings([""])[0]

    def row(self, values: tuple[str | None, ...]) -> int:
        """The id of a result row (added if new)."""
        found = self._row_ids.get(values)
        if found is None:
            found = self._row_ids[values] = len(self.rows)
            self.rows.append(values)
            self._arrays = None
            self.generation += 1
        return found

    def arrays(self) -> list[Any]:
        """The result table as one string array per output column."""
        if self._arrays is None:
            self._arrays = [_strings([r[i] for r in self.rows]) for i in range(len(self.columns))]
        return self._arrays

    @property
    def tables(self) -> Any:
        if self._tables is None:
            from .icd10 import tables

            self._tables = tables(self.index)
        return self._tables

    def compute(self, value: str | None) -> tuple[str | None, ...]:
        """The answer for one value, in Python (what the code table does not cover: bad codes, mostly)."""
        from .icd9 import decide_icd9
        from .shapes import ICD9_DOTTED, ICD9_UNDOTTED, cm_shape, pcs_shape

        if value is None or not value.strip():
            return (None,) * len(self.columns)  # a blank cell has no answer, and is not an error either
        try:
            if self.system != "icd10cm":
                stripped = value.strip()
                if self.system == "icd9cm" or ICD9_DOTTED.match(stripped) or ICD9_UNDOTTED.match(stripped):
                    d, _, _ = decide_icd9(self.tables, value, self.profile, self.needle)
                else:
                    pcs_shape(value)  # wrong shapes and sections fail without loading the tables
                    d = self.tables.decide_pcs(value, self.profile, self.needle)
                return (d.spine, d.back, ";".join(d.regions), f"spinekg:{d.procedure}", None)
            cm_shape(value)
            c = self.tables.decide_cm(value)
            return (f"spinekg:{c['disorder']}", c["lower_back"], ";".join(c["regions"]),
                    ";".join(f"spinekg:{p}" for p in c["treated_by"]), None)
        except SpinekgError as exc:
            return (None,) * (len(self.columns) - 1) + (str(exc),)

    def lookup(self, value: str | None) -> tuple[str | None, ...]:
        """The output cells for one value (the same answer as a file row holding it)."""
        return self.rows[self.resolve(_strings([value])).to_pylist()[0]]

    def resolve(self, values: Any) -> Any:
        """Result row ids for distinct values not seen before (a string array; nulls allowed)."""
        norm = _f("utf8_upper", _f("utf8_trim_whitespace", values))
        rids = _take(self.known_rids, _index_in(norm, self.known))
        if self.system != "icd10cm" and rids.null_count:
            rids = _f("coalesce", rids, self._by_rule(norm))
        if rids.null_count:
            missing = _f("is_null", rids)
            computed = [self.row(self.compute(v)) for v in _f("filter", values, missing).to_pylist()]
            rids = _f("replace_with_mask", rids, missing, _int32s(computed))
        return rids

    def _by_rule(self, norm: Any) -> Any:
        """Row ids of section-0 codes on a body part that is not strictly validated (null elsewhere)."""
        pa, k = _pyarrow(), _compute()

        def chars(*at: int) -> Any:
            return _f("binary_join_element_wise", *(_f("utf8_slice_codeunits", norm, options=k.SliceOptions(i, i + 1))
                                                    for i in at), self.empty)

        part = chars(1, 3)
        slot = _index_in(part, self.parts)
        op = _take(self.op_index, _index_in(chars(2, 4, 6), self.op_keys))
        rids = _take(self.part_rids, _f("add", _f("multiply", slot, self.three), op))
        shaped = _f("match_substring_regex", norm, options=k.MatchSubstringOptions(PCS_SHAPE))
        strict = _f("is_in", part, options=k.SetLookupOptions(self.strict))
        return _f("if_else", _f("and_kleene", shaped, _f("invert", strict)), rids, pa.nulls(len(rids), pa.int32()))

    def classify(self, column: Any, dictionary: bool = False) -> dict[str, Any]:
        """Result arrays for a string array: a hash look-up per row in the cache of values seen so far; the
        values never seen before are resolved once, together. ``dictionary``: each as a DictionaryArray
        (see :meth:`dictionaries`) instead of a copy of its answer per row."""
        rids = self.row_ids(column)
        if dictionary:
            return self.dictionaries(rids)
        return {name: _take(values, rids) for name, values in zip(self.columns, self.arrays())}

    def dictionaries(self, rids: Any) -> dict[str, Any]:
        """Result columns for these result rows as dictionary arrays: each column's distinct non-null answers among
        them, once, in order of first appearance, and an index per row (null where the answer is). A million rows of
        free text carry 20,000 readings instead of a million copies (800 MB), and a Parquet writer stores the
        dictionary as its dictionary page instead of hashing every row's text to find it again. Only integers are
        hashed here: each answer was numbered once, when its result row was made (:meth:`_answer_codes`)."""
        pa = _pyarrow()
        used = _f("unique", rids)
        out = {}
        for name, (codes, distinct) in zip(self.columns, self._answer_codes()):
            kept = _f("unique", _take(codes, used))  # these rows' answers, in order of first appearance
            kept = _f("filter", kept, _f("not_equal", kept, self._no_answer))  # (-1: none)
            out[name] = pa.DictionaryArray.from_arrays(_take(_index_in(codes, kept), rids), _take(distinct, kept))
        return out

    def _answer_codes(self) -> list[tuple[Any, Any]]:
        """For each output column: (every result row's number among the column's distinct answers, -1 where it has
        none; those answers). Rows added since the last call are numbered in Python (a dictionary look-up per cell:
        cheaper than hashing a column of readings in Arrow again for every change of the result table)."""
        state = self._codes
        if state is None or state[0] > len(self.rows):  # (forgotten since)
            # each column's answers numbered from 0 in order of first appearance; None (no answer) is -1
            state = self._codes = [0, [{None: -1} for _ in self.columns], [[] for _ in self.columns], None]
            self._no_answer = _int32s([-1])[0]
        done, numbers, codes, arrays = state
        if done < len(self.rows) or arrays is None:
            new = self.rows[done:]
            arrays = []
            for at, (number, column_codes) in enumerate(zip(numbers, codes)):
                cells = [row[at] for row in new]
                before = len(number)
                for value in dict.fromkeys(cells):  # the new rows' distinct answers, once each (C loops elsewhere)
                    if value not in number:
                        number[value] = len(number) - 1
                column_codes.extend(map(number.__getitem__, cells))
                distinct = state[3][at][1] if state[3] is not None else _strings([])
                if len(number) > before:
                    distinct = _concat([distinct, _strings(list(number)[before:])])
                arrays.append((_int32s(column_codes), distinct))
            state[0], state[3] = len(self.rows), arrays
        return state[3]

    def row_ids(self, column: Any) -> Any:
        """The result row of every value of a string array, or of a dictionary array of strings (the values its rows
        use looked up, not every row's string; unused ones are not answered): rows learnt here stay valid until the next
        call."""
        pa = _pyarrow()
        if pa.types.is_dictionary(column.type):
            used = _f("unique", column.indices)  # (a null index among them: a null value, answered as one)
            return _take(self.row_ids(_take(column.dictionary, used)), _index_in(column.indices, used))
        if self._forget_next:
            self.forget()
        rids = _take(self.key_rids, _index_in(column, self.keys))
        if rids.null_count:  # values not seen before (and nulls, the first time)
            everything = rids.null_count == len(rids)  # (a first batch of text: nothing seen yet)
            missing = None if everything else _f("is_null", rids)
            # their distinct values and each row's place among them, in one hash pass
            encoded = _f("dictionary_encode", column if everything else _f("filter", column, missing),
                         options=_compute().DictionaryEncodeOptions("encode"))
            new = encoded.dictionary
            new_rids = self.resolve(new)
            self.keys = pa.concat_arrays([self.keys, new])
            self.key_rids = pa.concat_arrays([self.key_rids, new_rids])
            found = _take(new_rids, encoded.indices)
            rids = found if everything else _f("replace_with_mask", rids, missing, found)
        if len(self.keys) - len(self.known) > CACHE_KEYS or len(self.rows) - self._base > CACHE_ROWS:
            self._forget_next = True  # at the next call: this call's row ids stay valid until then
        return rids

    def forget(self) -> None:
        """Back to the code table alone: drop every value and answer learnt since."""
        for values in self.rows[self._base:]:
            del self._row_ids[values]
        del self.rows[self._base:]
        self._arrays = self._codes = None
        self._forget_next = False
        self.generation += 1
        self.keys, self.key_rids = self.known, self.known_rids
