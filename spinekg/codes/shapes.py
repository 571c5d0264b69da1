"""The shapes of procedure and diagnosis codes (no tables needed): what could be a code of which system, and the
one-line error for what cannot."""
from __future__ import annotations

from ..answer import regex  # re's patterns without importing re on a cold answer
from ..errors import SpinekgError

SYSTEMS = ("icd10pcs", "icd10cm", "icd9cm")
PCS_RE = regex.compile(r"^[0-9A-HJ-NP-Z]{7}$")
PCS_SECTIONS = "0123456789BCDFGHX"  # the section values (character 1) ICD-10-PCS has
CM_RE = regex.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")
ICD9_DOTTED = regex.compile(r"^[0-9]{2}\.[0-9]{1,2}$")  # ICD-9-CM volume 3: two digits, a dot, one or two digits
ICD9_UNDOTTED = regex.compile(r"^[0-9]{3,4}$")


def pcs_shape(raw: str) -> str:
    """The code upper-cased, if it has the shape of an ICD-10-PCS code of a section PCS has."""
    code = raw.strip().upper()
    if not PCS_RE.match(code):
        raise SpinekgError(f"{raw!r} is not an ICD-10-PCS code: expected 7 characters from 0-9 and A-Z without I and O")
    if code[0] not in PCS_SECTIONS:
        raise SpinekgError(f"{code}: character 1 {code[0]!r} is not an ICD-10-PCS section (sections are "
                           f"{', '.join(PCS_SECTIONS)})")
    return code


def cm_shape(raw: str) -> str:
    """The code upper-cased, if it has the shape of an ICD-10-CM code."""
    code = raw.strip().upper()
    if not CM_RE.match(code):
        raise SpinekgError(f"{raw!r} is not an ICD-10-CM code: expected a letter, two characters and up to "
                           f"four more after a dot (e.g. M48.062)")
    return code


def icd9_shape(raw: str) -> str:
    """The ICD-9-CM procedure code without its dot (81.07 → 8107), if it has the shape of one."""
    code = raw.strip()
    if ICD9_DOTTED.match(code):
        return code.replace(".", "")
    if ICD9_UNDOTTED.match(code):
        return code
    raise SpinekgError(f"{raw!r} is not an ICD-9-CM procedure code: expected two digits, a dot and one or two "
                       f"digits (e.g. 81.07), or the same without the dot")


def icd9_dotted(code: str) -> str:
    return f"{code[:2]}.{code[2:]}"


def detect_system(text: str) -> str | None:
    """``icd10pcs``, ``icd10cm``, ``icd9cm`` or None, from the shape alone (PCS: 7 characters starting with a
    section value and holding a digit; ICD-9-CM: NN.N, NN.NN or four digits)."""
    code = text.strip().upper()
    if PCS_RE.match(code) and code[0] in PCS_SECTIONS and any(c.isdigit() for c in code):
        return "icd10pcs"
    if CM_RE.match(code):
        return "icd10cm"
    if ICD9_DOTTED.match(code) or (len(code) == 4 and code.isdigit()):
        return "icd9cm"
    return None
