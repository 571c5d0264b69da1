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
# a code after the name of its system, as free-text fields write one: 'ICD-10-PCS 0SG00A0', 'PCS: 0SG00A0', 'ICD9 81.08',
# 'ICD-10-CM code M48.062'; 'ICD-10' alone leaves the system to the code's shape
NAMED_CODE_RE = regex.compile(r"^\s*(icd[- ]?10[- ]?pcs|pcs|icd[- ]?9[- ]?cm|icd[- ]?9|icd[- ]?10[- ]?cm|icd[- ]?10)"
                              r"(?:\s+code)?\s*[:#=-]?\s*((?=[0-9a-z.]*[0-9])[0-9a-z][0-9a-z.]{1,6}[0-9a-z])\s*[.,;:]?\s*$", regex.IGNORECASE)
SYSTEM_NAMES = {"icd10pcs": "icd10pcs", "pcs": "icd10pcs", "icd9cm": "icd9cm", "icd9": "icd9cm", "icd10cm": "icd10cm",
                "icd10": None}
NAMED_CODE_LENGTH = 40  # characters: no system name and code is longer


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


def named_code(text: str) -> tuple[str, str | None] | None:
    """(code, system) for a code written after its system's name ('ICD-10-PCS 0SG00A0'; system None for 'ICD-10 …',
    left to the code's shape), else None."""
    found = NAMED_CODE_RE.match(text) if len(text) <= NAMED_CODE_LENGTH else None
    if found is None:
        return None
    return found.group(2), SYSTEM_NAMES[found.group(1).lower().replace("-", "").replace(" ", "")]


def bare_code(text: str) -> str:
    """``text`` without the blanks around it and a sentence's punctuation after it ('0SG00A0.', '81.08;'): no code ends in
    one, and pasted lists and notes add them."""
    return text.strip().rstrip(".,;:").rstrip()


def may_be_code(text: str) -> bool:
    """Cheap test before any table is loaded: could ``text`` be a code, alone or after its system's name?"""
    stripped = bare_code(text)
    return len(stripped) <= 8 and detect_system(stripped) is not None or (
        len(stripped) <= NAMED_CODE_LENGTH and stripped[:3].lower() in ("icd", "pcs"))
