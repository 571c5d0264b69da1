"""CSV to CSV keeps every input record byte for byte and appends the result cells, quoted only where needed."""
from __future__ import annotations

import csv
import io

import pytest

pytest.importorskip("pyarrow")

from spinekg.codes import bulk  # noqa: E402
from spinekg.codes.bulk import classify_file  # noqa: E402

RESULT = ",spine_surgery,back_surgery,regions,procedure,error"


def run(tmp_path, text: bytes, **kwargs) -> bytes:
    (tmp_path / "in.csv").write_bytes(text)
    classify_file(str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "code", **kwargs)
    return (tmp_path / "out.csv").read_bytes()


def test_records_are_kept_as_they_were(tmp_path):
    text = (b'claim_id,code,"amount",note\n'
            b'007,0SG00A0,12.50,"quoted, with a comma"\n'
            b'8,"0RG10A0",3,"a ""quote"" inside"\n'
            b'9,bad,,plain\n')
    assert run(tmp_path, text).decode() == (
        'claim_id,code,"amount",note' + RESULT + "\n"
        '007,0SG00A0,12.50,"quoted, with a comma",yes,yes,lumbar,spinekg:LumbarInterbodyFusion,\n'
        '8,"0RG10A0",3,"a ""quote"" inside",yes,no,cervical,spinekg:CervicalSpinalFusion,\n'
        "9,bad,,plain,,,,,'bad' is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O\n")
    assert run(tmp_path, b"code\n0SGX0ZZ\n").decode().splitlines()[1] == (  # a comma in the message: quoted
        '0SGX0ZZ,,,,,"0SGX0ZZ: body system S has no body part X in the CMS tables '
        '(ontology/reference/icd10pcs_body_parts.tsv, icd10pcs_codes_other_years.tsv)"')


def test_quoted_line_breaks_blank_lines_crlf_and_small_blocks(tmp_path, monkeypatch):
    records = [f'{n},{code},"line one\nline two"' if n % 7 == 0 else f"{n},{code},x"
               for n, code in enumerate(["0SG00A0", "009U3ZX", "81.07", "XRGB092", "3E0R3BZ"] * 400)]
    plain = ("id,code,note\n" + "\n".join(records) + "\n\n").encode()
    expected = run(tmp_path, plain)
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 1 << 10)  # records cut at every block's end
    assert run(tmp_path, plain) == expected
    rows = list(csv.reader(io.StringIO(expected.decode())))
    assert len(rows) == 2001 and rows[1] == ["0", "0SG00A0", "line one\nline two", "yes", "yes", "lumbar",
                                             "spinekg:LumbarInterbodyFusion", ""]
    assert expected.startswith(b"id,code,note" + RESULT.encode() + b"\n0,0SG00A0,\"line one\nline two\",yes")
    crlf = plain.replace(b"\n", b"\r\n")
    assert run(tmp_path, crlf) == expected.replace(b"\n", b"\r\n").replace(b"line one\r\nline two", b"line one\r\nline two")
    one_line = plain.replace(b"line one\nline two", b"one line")
    kept = list(csv.reader(io.StringIO(run(tmp_path, one_line).decode())))
    monkeypatch.setattr(bulk, "KEEP_LINES", False)  # the Arrow writer gives the same cells, re-rendered
    assert list(csv.reader(io.StringIO(run(tmp_path, one_line).decode()))) == kept


def test_an_unbalanced_quote_is_located(tmp_path):
    from spinekg.errors import SpinekgError

    with pytest.raises(SpinekgError) as caught:
        run(tmp_path, b'id,code\n1,0SG00A0\n2,"0SG00A0\n3,0SG00A0\n')
    assert caught.value.message.startswith(f"{tmp_path / 'in.csv'}:3: ")
    assert [p.name for p in tmp_path.iterdir()] == ["in.csv"]
