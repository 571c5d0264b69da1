"""Text normalisation shared by the lexicon compiler and the reader, so both sides of every look-up see
the same key: lower case, NFKC, one kind of dash, US spelling, punctuation as separate tokens."""
from __future__ import annotations

from .. import regex

# UK → US spelling, applied to word parts (tumour → tumor, stabilisation → stabilization, oesophagus → esophagus).
SPELLING = (("tumour", "tumor"), ("oesophag", "esophag"), ("haemorrh", "hemorrh"), ("haema", "hema"), ("haem", "hem"),
            ("anaesth", "anesth"), ("orthopaed", "orthoped"), ("paediat", "pediat"), ("foet", "fet"), ("oedem", "edem"),
            ("caesar", "cesar"), ("coeliac", "celiac"), ("ischaem", "ischem"), ("isation", "ization"), ("ising", "izing"),
            ("ised", "ized"), ("stabilis", "stabiliz"), ("colour", "color"), ("fibre", "fiber"), ("centre", "center"),
            ("litre", "liter"), ("leucocyt", "leukocyt"), ("aluminium", "aluminum"), ("manoeuvr", "maneuver"))
# 'oesophag' is UK only where it opens a word part: after another letter than 'o' it is a combining vowel plus the US
# word ('gastr-o-esophageal', 'trache-o-esophageal'), left as it is.
_SPELL_RE = regex.compile("|".join(r"(?<![a-np-z])oesophag" if uk == "oesophag" else regex.escape(uk) for uk, _ in SPELLING))
_US = dict(SPELLING)
# Every UK form above holds one of these: text holding none needs no regular-expression scan (tests/answer/reader/test_reader_text.py)
_UK_HINTS = ("our", "oe", "ae", "isa", "isi", "ise", "abilis", "tre", "bre", "leuc", "alumin")
# General UK digraphs: 'ae' inside a word (anaemia, gynaecology, caecum, praevia; not 'vertebrae', 'aerobic', nor after
# para-/intra-/extra-/supra-/infra-/ultra-/contra-/retro-: 'paraesophageal'), 'oe' opening a word before a consonant
# (oedema, oestrogen) and 'oe' before 'a' after a consonant (diarrhoea, dyspnoea, apnoea) are written 'e'.
_DIGRAPH_RE = regex.compile(r"(?<=[a-z])(?<!par)(?<!intr)(?<!extr)(?<!supr)(?<!infr)(?<!ultr)(?<!contr)(?<!retr)ae(?=[a-z])"
                         r"|\boe(?=[bcdfghjklmnpqrstvwxz])|(?<=[bcdfghjklmnpqrstvwxz])oe(?=a)")
_DASHES = str.maketrans({d: "-" for d in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {"\u2019": "'"})
# Separators kept as tokens: they decide how procedures are joined ("/", ",", "&", "+", "(", ")").
_TOKEN_RE = regex.compile(r"§\d+|s/p|w/o|w/|b/l|d/t|2/2|i&d|[a-z0-9][a-z0-9'&.-]*[a-z0-9]|[a-z0-9]|[/,&+;()]")


def spell(text: str) -> str:
    """Lower-cased text in US spelling."""
    if text.isascii():  # NFKC and the dashes leave ASCII text as it is
        text = text.lower().replace("(s)", "s")
    else:
        import unicodedata  # only here: ASCII text never loads it

        text = unicodedata.normalize("NFKC", text).lower().translate(_DASHES).replace("(s)", "s")
    if any(map(text.__contains__, _UK_HINTS)):  # a scan costs most texts (US spelling, no UK form) about 1 µs
        text = _SPELL_RE.sub(lambda m: _US[m.group(0)], text)
    return _DIGRAPH_RE.sub("e", text) if "ae" in text or "oe" in text else text


def tokens(text: str) -> list[str]:
    """Words and joining punctuation of already-spelt text ('acdf c5-6/c6-7' → ['acdf', 'c5-6', '/', 'c6-7'])."""
    return _TOKEN_RE.findall(text)


def key(text: str) -> str:
    """The look-up key of a phrase: its tokens without punctuation, joined by single spaces."""
    return " ".join(t for t in tokens(spell(text)) if t not in "/,&+;()")
