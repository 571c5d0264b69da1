"""The labelled sections of an operative note or a summary ('Preop dx: … Procedure: … PSH: …').

A heading alone opening the text is the theatre-list rule's (notes._HEADING_RE). Where a heading follows a sentence or
a clause ('. Procedure:', '; PSH:'), each heading opens a section, the first one's too, and is read for what it says
the section holds:
- a procedure heading ('Procedure:', 'Operation performed:') names nothing itself: it is dropped, the section ending
  what came before as ';' does (read as a word, 'procedure' became the operation of the diagnosis before it: 'Preop dx:
  lumbar stenosis. Procedure: lumbar ESI' was depends/depends);
- a history heading ('PSH:', 'Past surgical history:', 'Hx:') says each item after it was done before: each is read
  as after 'history of' (reported, and not counted where the text names another operation: 'Procedure: L4-5 ESI.
  History: L4-5 laminectomy 2015' was yes/yes);
- a plan heading ('Plan:', 'Planned:', 'Proposed procedure:', 'Recommendations:') says each item is to be done later:
  read as after 'plan for' (likewise);
- a diagnosis heading ('Dx:', 'Pre-op diagnosis:', 'Indications:', 'Reason for surgery:') says each item is why the
  operation is done: read as after 'for', the indication, which is reported and never decides ('Dx: back pain. Procedure:
  lumbar fusion' read 'back pain' as the fusion's site, the back, and lost the lumbar region).
Other headings (findings, 'Today:' …) stay as they are written, and end the section before them ('Plan: L4-5
TLIF. Today: L4-5 ESI' read the injection as planned too: yes/yes)."""
from __future__ import annotations

from .. import regex

PROCEDURE_NOUNS = r"(?:procedures?|procs?|operations?|surger(?:y|ies))"  # a procedure heading's noun (also notes._HEADING_RE's)
_PROCEDURE = (rf"(?:(?:(?:name|title)s? of )?(?:(?:operative|surgical) )?{PROCEDURE_NOUNS}"
              r"(?: (?:performed|done|undertaken|name|title)s?)?)")  # 'Proc:', 'Operative procedure:'
HISTORY_HEADINGS = r"(?:past )?(?:surgical |medical )?(?:history|hx)|pmh|psh|pshx"  # also notes._HEADING_RE's
_HISTORY = rf"(?:{HISTORY_HEADINGS}|previous surger(?:y|ies)|prior surger(?:y|ies))"
# after a sentence's or a clause's end; the heading's words, then its colon (never a time's: '07:30')
_PLAN = r"(?:(?:planned|proposed|intended|scheduled) (?:procedures?|operations?|surger(?:y|ies))|(?:future )?plans?|planned|recommendations?)"
# a diagnosis or indication heading ('Dx:', 'Pre-op diagnosis:', 'Indications:', 'Reason for surgery:')
_DIAGNOSIS = (r"(?:(?:pre|post)[- ]?op(?:erative)?\.? )?(?:dx|diagnos[ie]s|indications?)"
              r"|reasons? for (?:surgery|operation|procedure|referral)|(?:presenting )?complaints?")
# any other heading of one to three words after a sentence's end ('Today:', 'Findings:')
_OTHER = r"(?<=[.;])\s*(?P<other>[a-z][a-z/-]*(?: [a-z/-]+){0,2})"
_SECTION_RE = regex.compile(rf"(?:(?:^\W*|(?<=[.;])\s*)(?:(?P<procedure>{_PROCEDURE})|(?P<history>{_HISTORY})|(?P<plan>{_PLAN})"
                            rf"|(?P<diagnosis>{_DIAGNOSIS}))|{_OTHER})"
                            r" ?:(?!\d)")
_ITEM_STATUS = {"history": "history of", "plan": "plan for", "diagnosis": "for"}
_ITEM_END_RE = regex.compile(r"[,;]")


# A heading written with a spaced dash for its colon ('Region - cervical; Procedure - laminoplasty', a form's fields
# pasted as text): the dash became a list's comma (notes._SPACED_DASH_RE), so 'procedure' was read as an operation of its
# own and the region stayed in its clause (yes/depends). At the text's start or after '.' or ';', the known headings only.
_FIELDS = r"(?:regions?|levels?|sides?|sites?|laterality|approach|diagnos[ie]s|dx|indications?)"
_DASHED_RE = regex.compile(rf"(?:^\W*|(?<=[.;])\s*)(?:{_PROCEDURE}|{_HISTORY}|{_PLAN}|{_FIELDS}) - ")


# (after a list's number or numeral, as notes._HEADING_RE and notes._NUMBERED_RE read them)
_NOUN_HEADING_RE = regex.compile(rf"\W*(?:(?:\d{{1,2}}|[ivx]{{1,4}})[.)] ?|\(\d{{1,2}}\) ?)?({PROCEDURE_NOUNS})(?: ?:| - )(?!\d)")


def heading_as_words(text: str) -> str | None:
    """Text opening with a procedure heading whose section names no operation ('Surgery - lumbar', 'Operation: cervical',
    a form's field pasted as text) with the heading as words ('Surgery lumbar'): the heading's noun is then the operation
    (dropped as a heading, only the region was left: 'unknown procedure'). None if it opens with no such heading."""
    lowered = " ".join(text.lower().split())
    found = _NOUN_HEADING_RE.match(lowered)
    return None if found is None else f"{found[1]} {lowered[found.end():]}"


def dashed_headings(spelt: str) -> str:
    """``spelt`` with each dashed heading (see above) written with its colon."""
    return _DASHED_RE.sub(lambda m: m[0][:-3] + ": ", spelt)


def may_hold(spelt: str) -> bool:
    """Whether ``spelt`` may hold a section heading after its first words (a cheap test before any pattern)."""
    return ":" in spelt and ("." in spelt or ";" in spelt)


def sections(spelt: str) -> str:
    """``spelt`` (lower case) with the headings after its first words read as the docstring says."""
    found = list(_SECTION_RE.finditer(spelt))
    if not any(match.lastgroup != "other" for match in found) or len(found) == 1 and found[0].start() == 0:
        return spelt  # none to read (other headings stay as written), or one opening the text: notes._HEADING_RE's
    out, last = [], 0
    for at, match in enumerate(found):
        out.append(spelt[last:match.start()])
        end = found[at + 1].start() if at + 1 < len(found) else len(spelt)
        body = spelt[match.end():end]
        status = _ITEM_STATUS.get(match.lastgroup or "")
        if match.lastgroup == "other":  # as written, the heading with it
            out.append(match.group(0))
            out.append(body)
            last = end
            continue
        if status:
            items = [item for item in _ITEM_END_RE.split(body.rstrip(" .")) if item.strip()]
            body = " ; ".join(f"{status} {item.strip()}" for item in items) + " ."
        out.append(" ; " + body)
        last = end
    return "".join(out)
