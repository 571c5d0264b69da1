"""Light constants and text normalisation shared by build and runtime (imports nothing heavy)."""
from __future__ import annotations


# Classes closed under "part of" that place a site in a region of the spine, and the region's name.
REGION_ZONES = {
    "CervicalSpineStructure": "cervical",
    "ThoracicSpineStructure": "thoracic",
    "LumbarSpineStructure": "lumbar",
    "SacralSpineStructure": "sacral",
    "CoccygealSpineStructure": "coccygeal",
    "CraniocervicalJunctionStructure": "craniocervical",
    "CervicothoracicJunctionStructure": "cervicothoracic",
    "ThoracolumbarJunctionStructure": "thoracolumbar",
    "LumbosacralJunctionStructure": "lumbosacral",
    "SacrococcygealJunctionStructure": "sacrococcygeal",
}
REGION_ORDER = ["craniocervical", "cervical", "cervicothoracic", "thoracic", "thoracolumbar", "lumbar",
                "lumbosacral", "sacral", "sacrococcygeal", "coccygeal"]
VERDICTS = ("yes", "no", "depends")


_DASHES = str.maketrans({d: "-" for d in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {"\u2019": "'", ",": " "})


def normalise(text: str) -> str:
    """Lower-case, NFKC, one kind of dash and single spaces: the key for every lexicon look-up."""
    if text.isascii():  # NFKC and the dashes leave ASCII text as it is; of _DASHES only the comma is ASCII
        return " ".join(text.lower().replace(",", " ").split()).strip(" .;:")  # str.translate costs 10x more
    import unicodedata  # only here: ASCII questions never load it

    return " ".join(unicodedata.normalize("NFKC", text).lower().translate(_DASHES).split()).strip(" .;:")


def tri(yes: bool, no: bool) -> str:
    """Three-valued answer from two entailment checks."""
    return "yes" if yes else "no" if no else "depends"
