"""An operation word whose ontology procedure is spinal by default ('fusion' is a spinal fusion, 'decompression' a
spinal decompression) says 'spine surgery' only while nothing in its clause says where else it may be.

'midtarsal fusion', 'Lapidus fusion', 'microvascular decompression': the word before the operation is one the
reader does not know, and a word qualifying an operation is most often its site. A definite 'yes' there would be
the worst error for a claims analyst (spine surgery on a foot), so when the clause gives no spinal evidence
(no level, no spinal region word, no site inside the spine) and keeps an unknown content word outside its
indication, the default is not applied: spine (and back) surgery 'depends', and the explanation names the word.

A spinal site named by one bare, shortened word is no evidence beside such an unknown word either: 'lamina' (the
ontology's 'lamina of vertebra'), 'pedicle', 'disc' and 'spine' itself name parts of other bones and organs too, and
the unknown word is most often what says which ('ischial spine osteotomy', 'anterior superior iliac spine ORIF',
'lamina papyracea repair'). A word that is its site's whole name ('sacrum', 'coccyx'), a phrase ('lumbar spine',
'vertebral lamina'), a level or a region word still decides."""
from __future__ import annotations

from .regions import SPINAL_WORDS  # left to the levels by the grammar; they name the spine

MIN_LETTERS = 3  # shorter unknown words are shorthand the reader skips ("pt", "hx"); three letters may be a joint ("PIP", "DIP")

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..composer import Verdict
    from .grammar import Clause, Item
    from .lexicon import Lexicon


def open_words(clause: Clause) -> tuple[str, ...]:
    """The unknown content words of the clause outside its indication ('for chronic …' never names the site)."""
    said = {w for it in clause.indication for w in it.words.split()}
    return tuple(w for w in clause.unused if len(w) >= MIN_LETTERS and w.isalpha() and w not in said and w not in SPINAL_WORDS)


def outside_indication(clause: Clause, lex: Lexicon) -> tuple[str, ...]:
    """Indication words naming only body parts outside the spine and back ('for carpal tunnel syndrome'): the symptom's
    site may be the operation's ('carpal tunnel decompression') or not ('decompression for leg pain'), so it leaves it open."""
    return tuple(it.words for it in clause.indication if it.kind == "site" and (parts := [e[1] for e in it.entries if e[0] == "bp"])
                 and all(p in lex.outside for p in parts))


SITE_ADJECTIVE_ENDINGS = ("al", "ar", "ic", "id", "ous")  # 'atlantoaxial', 'odontoid', 'interspinous': they say which structure


def bare_word(item: Item, lex: Lexicon, label: Callable[[str], str]) -> bool:
    """One noun that is a shortened name of its site ('lamina': lamina of vertebra), or 'spine' (a bony process of many
    bones): see above. An adjective ('atlantoaxial') is not one: it is what says which structure, never the part other
    bones have."""
    word = item.words.strip()
    if " " in word:
        return False
    if word in SPINAL_WORDS:
        return True
    if word.endswith(SITE_ADJECTIVE_ENDINGS):  # 'atlantoaxial', 'odontoid': an adjective is no part another bone also has
        return False
    names = [label(v) if k == "anat" else lex.body_parts[v][0] if k == "bp" else word for k, v in item.entries]
    # shortened: a word of a longer name ('lamina' of 'lamina of vertebra'); a lay name of another structure ('syrinx':
    # the spinal cord) is no shortening, and names its site ('syrinx to pleura shunt' lost the cord beside the pleura)
    return any(name.lower() != word and word in name.lower() for name in names)


def spinal_evidence(clause: Clause, lex: Lexicon, anatomy: dict, label: Callable[[str], str] | None = None) -> bool:
    """A level, a spinal region word, or a site inside the spine: the text itself puts the operation on the spine
    (with ``label``, a term's label: a site named by one bare, shortened word does not count, see above)."""
    if clause.levels or SPINAL_WORDS & set(clause.unused) or any(anatomy[r]["spinal"] == "yes" for r in clause.regions if r in anatomy):
        return True
    for it in clause.sites:
        if label is not None and bare_word(it, lex, label):
            continue
        for kind, value in it.entries:
            term = value if kind == "anat" else lex.body_parts[value][1] if kind == "bp" else None
            if term and term in anatomy and anatomy[term]["spinal"] == "yes":
                return True
    return False


def withhold_default(verdict: Verdict, clause: Clause, lex: Lexicon, anatomy: dict, name: str, generic: tuple[str, str],
                     label: Callable[[str], str]) -> None:
    """Turn a 'yes' that only the procedure's spinal default gives into 'depends' when an unknown word may name the site;
    the procedure is then reported as its kind (``generic``: IRI, label), which claims no site: the spinal name was not decided."""
    unknown, indicated = open_words(clause), outside_indication(clause, lex)
    if verdict.spine_surgery != "yes" or not (unknown or indicated):
        return
    named = {w for it in clause.ops for w in it.words.split()}  # 'spinal fusion', 'cervical fusion': the name says where
    if named & SPINAL_WORDS or spinal_evidence(clause, lex, anatomy, label if unknown else None):
        return
    if verdict.regions and not (unknown and bare_site_regions(clause, lex, label)):
        return
    _leave_open(verdict)
    verdict.procedure = {"iri": generic[0], "label": generic[1]}
    bare = [it.words for it in clause.sites if bare_word(it, lex, label)]
    why = ([f"{', '.join(map(repr, unknown))} (not a word the reader knows)"] if unknown else []) + \
        ([f"the indication's {', '.join(map(repr, indicated))} (outside the spine)"] if indicated else [])
    named_by = f"only the bare word {', '.join(map(repr, bare))} names a spinal site" if bare and unknown else \
        "no level, spinal region or spinal site is named"
    verdict.explanation.append(f"{name} is spine surgery only by default: {named_by}, and "
                               f"{' and '.join(why)} may name its site → depends (name the level or the site); reported as {generic[1]}")


def bare_site_regions(clause: Clause, lex: Lexicon, label: Callable[[str], str]) -> bool:
    """The verdict's regions come only from sites named by one bare, shortened word (no level or region word gave them)."""
    return not clause.levels and not clause.regions and bool(clause.sites) and all(bare_word(it, lex, label) for it in clause.sites)


def withhold_bare_site(verdict: Verdict, clause: Clause, lex: Lexicon, anatomy: dict, label: Callable[[str], str]) -> None:
    """A root operation whose only spinal site is one bare word beside an unknown word ('lamina papyracea repair'): the
    word may be another bone's or organ's part of that name, so spine (and back) surgery 'depends'."""
    unknown = open_words(clause)
    if verdict.spine_surgery != "yes" or not unknown or not any(bare_word(it, lex, label) for it in clause.sites) \
            or spinal_evidence(clause, lex, anatomy, label):
        return
    _leave_open(verdict)
    bare = ", ".join(repr(it.words) for it in clause.sites if bare_word(it, lex, label))
    verdict.explanation.append(f"only the bare word {bare} names a spinal site, and {', '.join(map(repr, unknown))} (not a word "
                               f"the reader knows) may name another structure of that name → depends (name the level or the region)")


def _leave_open(verdict: Verdict) -> None:
    """A withheld 'yes': spine surgery, and back surgery where it said yes, depend; no region is certain."""
    verdict.spine_surgery = "depends"
    if verdict.back_surgery == "yes":
        verdict.back_surgery = "depends"
    verdict.regions = []
