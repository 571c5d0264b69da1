"""The operation a text says a patient comes for ('h/o L4-5 fusion - presenting for TKA', 'Hx ACDF C5-6, now for R carpal
tunnel release'). 'for' opens an indication ('fusion for spondylolisthesis'); after an operation already named, 'for'
followed by another operation with only that operation's own words between (its side, site, levels, approach, status,
words not read, 'a', 'total') names what is to be done, not why the first one was: those words are the second operation's. Read as
the first one's indication, the knee of 'TKA' (= 'total knee arthroplasty') and the carpal of the release were lost, and
the operations left without a site took the other's levels (spine surgery yes for a knee replacement)."""
from __future__ import annotations

PURPOSE = "for"  # the indication word that may name what is to be done (not 'due to', 'secondary to': a cause)
OWN_KINDS = frozenset({"lat", "site", "region", "level", "approach", "status", "unknown", "qual", "fill"})
JOINING = frozenset({"and", "or", "with", "w/", "plus", "then", "followed by"})  # a word that names a procedure apart


def purposes(items: list) -> None:
    """Make each such 'for' a joining word (kind 'fill'): the grammar starts the second operation's clause at it."""
    seen_op = False
    for at, it in enumerate(items):
        if it.kind == "op":
            seen_op = True
        if not seen_op or it.kind != "ind" or it.words != PURPOSE:
            continue
        after = at + 1
        while after < len(items) and items[after].kind in OWN_KINDS and items[after].words not in JOINING:
            after += 1
        if after < len(items) and items[after].kind == "op":
            it.kind, it.note = "fill", f"{PURPOSE!r} before an operation: what is to be done, not an indication"
