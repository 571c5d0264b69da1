"""classify-file --system text: a column of procedure descriptions, each distinct text read once, the code
columns plus readings (JSON), the same answers as classify."""
from __future__ import annotations

import csv
import json

from spinekg.api import classify


def test_classify_file_text(tmp_path, cli):
    texts = ["L4-5 TLIF with pedicle screw instrumentation", "total knee arthroplasty", "ACDF C5-6, C6-7",
             "frobnication", "L4-5 TLIF with pedicle screw instrumentation", ""]
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "description"])
        writer.writerows([[i, t] for i, t in enumerate(texts)])
    code, stdout, stderr = cli("classify-file", str(source), "--column", "description", "--system", "text", "--out", str(out))
    assert code == 0 and "6 rows classified as text, 1 with an error" in stdout + stderr
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "description", "spine_surgery", "back_surgery", "regions", "procedure", "readings", "error"]
    for row in rows[:3]:
        verdict = classify(row["description"])
        assert (row["spine_surgery"], row["back_surgery"], row["regions"]) == (verdict.spine_surgery, verdict.back_surgery,
                                                                               ";".join(verdict.regions))
        assert json.loads(row["readings"]) == json.loads(json.dumps(verdict.readings))
    assert rows[0] == {**rows[4], "id": "0"}
    assert (rows[3]["spine_surgery"], rows[3]["error"]) == ("", "unknown procedure 'frobnication'")
    assert rows[5] == {"id": "5", "description": "", **dict.fromkeys(list(rows[0])[2:], "")}  # blank: no answer, no error
