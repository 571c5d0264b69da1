"""A bracket after an operation that names another operation and no site ('Percutaneous disc decompression (nucleoplasty)
L4-5', 'TLIF (transforaminal lumbar interbody fusion) L4-5', 'vertebral body resection (corpectomy), thoracic') restates
it, as an aside: the levels or the region right after the bracket are those of the operation before it as much as the
bracket's. Read in order they were the bracket's alone, and the operation before it had none ('… (nucleoplasty) L4-5'
was back depends where '… L4-5' is yes). They are read before the bracket; the bracket's operation, which names no
site, then shares them as any clause naming none shares the text's (grammar.clauses_of), and its clause begins at the
bracket ('(' joins: the approach inside it is its own, 'percutaneous' of 'Racz', expanded to 'percutaneous
adhesiolysis')."""
from __future__ import annotations

PLACES = ("site", "level", "region")  # what the bracket may not name for it to be an aside
FOLLOWING = ("level", "region")  # what, right after it (or after a comma), is the operation's before it too


def levels_before_asides(items: list) -> None:
    """The levels after each aside of the docstring moved before it (``items`` changed in place)."""
    close = len(items) - 1
    while close > 0:
        if items[close].words == ")":
            opened = next((k for k in range(close - 1, -1, -1) if items[k].words in ("(", ")")), -1)
            inside = items[opened + 1:close]
            end = close + 1
            while end < len(items) and (items[end].kind in FOLLOWING or items[end].words == "," and end + 1 < len(items)
                                        and items[end + 1].kind in FOLLOWING):  # ('… (corpectomy), thoracic')
                end += 1
            if opened > 0 and items[opened].words == "(" and end > close + 1 and any(it.kind == "op" for it in inside) \
                    and not any(it.kind in PLACES for it in inside) and any(it.kind == "op" for it in items[:opened]):
                items[opened:end] = items[close + 1:end] + items[opened:close + 1]
                close = opened
        close -= 1
