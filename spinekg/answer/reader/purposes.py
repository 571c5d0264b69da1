"""The operation a text says a patient comes for ('h/o L4-5 fusion - presenting for TKA', 'Hx ACDF C5-6, now for R carpal
tunnel release'). 'for' opens an indication ('fusion for spondylolisthesis'); after an operation already named, 'for'
followed by another operation with only that operation's own words between (its side, site, levels, approach, status,
words not read, 'a', 'total') names what is to be done, not why the first one was: those words are the second operation's. Read as
the first one's indication, the knee of 'TKA' (= 'total knee arthroplasty') and the carpal of the release were lost, and
the operations left without a site took the other's levels (spine surgery yes for a knee replacement).

Likewise 'now' before an operation ('L4-5 fusion 2015, now R TKA', 'ACDF (2010), now for lap chole') names the operation
of the text, and the operations named before it as done before, as 's/p' would (both were counted: spine yes)."""
from __future__ import annotations

NOW = "now"
PURPOSE = "for"  # the indication word that may name what is to be done (not 'due to', 'secondary to': a cause)
OWN_KINDS = frozenset({"lat", "site", "region", "level", "approach", "status", "unknown", "qual", "fill", "dev"})
JOINING = frozenset({"and", "or", "with", "w/", "plus", "then", "followed by"})  # a word that names a procedure apart


def purposes(items: list) -> None:
    """Make each such 'for' a joining word (kind 'fill'): the grammar starts the second operation's clause at it. Before
    any operation ('Booked for cervical laminectomy', 'Listed for L4-5 TLIF', 'Admitted for ACDF C5-6') 'for' is no
    indication either, since there is no operation for it to give the reason of: read as one, 'cervical' was the
    indication's word and the region was lost (yes/depends)."""
    for at, it in enumerate(items):
        if it.kind != "ind" or it.words != PURPOSE:
            continue
        if _names_operation(items, at):
            it.kind, it.note = "fill", f"{PURPOSE!r} before an operation: what is to be done, not an indication"
            if at and items[at - 1].kind == "status":  # 'L4-5 ESI today. Booked for L4-5 TLIF': the status is the TLIF's
                items[at - 1], items[at] = it, items[at - 1]  # (the clause starts at 'for': the ESI had taken 'booked')


SITE_KINDS = frozenset({"site", "region", "level", "lat"})  # what 'and' may join inside an operation's own words


def _names_operation(items: list, at: int) -> bool:
    """Whether only an operation's own words (and 'for') lie between ``at`` and the next operation; 'and' or 'or' between
    two of its sites counts as its own ('for lumbar and lumbosacral fusion')."""
    after = at + 1
    while after < len(items) and ((items[after].kind in OWN_KINDS or items[after].words == PURPOSE)
                                  and items[after].words not in JOINING or _joins_sites(items, after)):
        after += 1
    return after < len(items) and items[after].kind == "op"


def _joins_sites(items: list, at: int) -> bool:
    return items[at].words in ("and", "or") and 0 < at < len(items) - 1 and items[at - 1].kind in SITE_KINDS \
        and items[at + 1].kind in SITE_KINDS


def now_before(items: list) -> None:
    """Give each operation before a 'now' that names the text's operation the status of one done before ('s/p')."""
    at = next((k for k, it in enumerate(items) if it.words == NOW and it.kind in ("unknown", "fill") and _names_operation(items, k)), None)
    if at is None:
        return
    for k in range(at - 1, -1, -1):
        if items[k].kind == "op" and not (k and items[k - 1].kind == "status"):
            items.insert(k, type(items[k])("status", NOW, [["status", "s/p"]], note=f"{NOW!r} names a later operation: this one was done before"))


LIST_JOINS = frozenset({"and", "or", "vs", "versus", "&", "+", "/"})  # words joining the procedures of one list
NAMING = frozenset({"lat", "site", "region", "level", "approach", "qual", "fill", "unknown"})  # an operation's own words before it
# (with words not read: 'Proposed ACDF C5-6 and right carpal tunnel release', whose 'tunnel' had kept the release from the list)


def spread_status(items: list, statuses: set[str]) -> None:
    """A status of ``statuses`` (done before, to be done later) opening a list of procedures joined by 'and', 'or' or
    'vs' is each one's ('history of ACDF and L4-5 fusion', 'considering ACDF vs arthroplasty'): given to the first alone,
    the others were counted as the text's operation ('R TKA; history of ACDF and L4-5 fusion' was yes/yes). The list
    ends at ',' or ';' or another status."""
    opening = None
    at = 0
    while at < len(items):
        it = items[at]
        if it.kind == "status":
            opening = it if any(e[0] == "status" and e[1] in statuses for e in it.entries) else None
        elif it.kind == "sep" and it.words in (",", ";"):
            opening = None
        elif opening is not None and it.kind == "op":
            start = at
            while start - 1 >= 0 and items[start - 1].kind in NAMING and items[start - 1].words not in LIST_JOINS:
                start -= 1
            if start - 1 >= 0 and items[start - 1].words in LIST_JOINS:
                items.insert(start, type(it)("status", opening.words, [list(e) for e in opening.entries if e[0] == "status"],
                                            note=f"{opening.words!r} opens the list this procedure is in"))
                at += 1
        at += 1


FINDING = "found"  # the word table's status of what a note found ('noted', 'seen', 'identified')
CLAUSE_ENDS = (",", ";")


def acted_findings(items: list) -> None:
    """A finding followed in its clause by an operation is what the operation was done for ('durotomy noted and repaired',
    'nerve root identified and decompressed'): no status of the clause (as one, it left the repair uncounted)."""
    for at, it in enumerate(items):
        if it.kind == "status" and any(e[0] == "status" and e[1] == FINDING for e in it.entries):
            for later in items[at + 1:]:
                if later.kind == "sep" and later.words in CLAUSE_ENDS:
                    break
                if later.kind == "op":
                    it.kind = "fill"
                    break
