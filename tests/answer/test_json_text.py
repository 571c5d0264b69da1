"""answer.json_text writes exactly what json.dumps(value, ensure_ascii=False, indent=2) writes: for real answers and
for every kind of JSON value, escapes and empty containers; values it does not handle itself go to json."""
from __future__ import annotations

import json

import pytest

from spinekg import classify
from spinekg.answer.json_text import dumps

EDGES = [{}, [], "", {"a": []}, {"a": {}}, {"k": [{"x": [[]]}]}, (1, 2), {"a": (3,)}, 10**30, -7, 0.1, -0.0, 1e300,
         [True, False, None], "quote \" backslash \\ slash / tab \t newline \n nul \x00 unit \x1f",
         "é ü — \u2028 \u2029 \U0001f600 \ud800", {"é": "ß", "": ""}]
LEFT_TO_JSON = [{1: "int key"}, {None: 1, True: 2}, [float("nan")], {"x": float("inf")}, [1.5, float("-inf")]]


@pytest.mark.parametrize("value", EDGES + LEFT_TO_JSON, ids=repr)
def test_dumps_is_json_dumps(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_value_json_cannot_write_fails_as_in_json():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"a": {1, 2}})


@pytest.mark.parametrize("query", ["L4-5 TLIF with pedicle screw instrumentation", "C5-C6 ACDF", "total knee arthroplasty",
                                   "Excision of Cervical Vertebral Disc, Open Approach", "0SG00A0", "M48.062",
                                   "laminectomy L4 and knee arthroscopy"])
def test_answers_are_written_as_json_writes_them(query):
    answer = classify(query).to_dict()
    assert dumps(answer) == json.dumps(answer, ensure_ascii=False, indent=2)
