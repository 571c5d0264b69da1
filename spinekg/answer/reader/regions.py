"""The region words of the text reader, apart so that the grammar and the theatre-list rules (notes.py) share them."""

# Region words that localise a spinal procedure ('lumbar laminectomy'); never a site on their own.
REGIONS = {"cervical": "CervicalSpine", "neck": "CervicalSpine", "thoracic": "ThoracicSpine", "dorsal": "ThoracicSpine",
           "lumbar": "LumbarSpine", "sacral": "SacralSpine", "coccygeal": "CoccygealSpine",
           "lumbosacral": "LumbosacralJunction", "thoracolumbar": "ThoracolumbarJunction",
           "cervicothoracic": "CervicothoracicJunction", "craniocervical": "CraniocervicalJunction",
           "occipitocervical": "CraniocervicalJunction", "sacrococcygeal": "SacrococcygealJunction",
           "low back": "LowerBack", "lower back": "LowerBack"}
# Words that name the spine itself, left to the levels by the grammar (qualified.py, dorsal.py); and adjectives of the
# spaces between vertebrae, which only the spine has ('interlaminar discectomy': unknown, it might have named another site)
SPINAL_WORDS = {"spinal", "spine", "vertebral", "intraspinal", "paraspinal", "intervertebral", "interlaminar", "translaminar",
                "interspinous", "intertransverse", "interbody", "foraminal", "extraforaminal"}
# Words of relative position, which name no body part alone: the tables' 'Upper Joint' named by 'upper' made 'upper
# thoracic laminectomy' and 'lower lumbar fusion' operations on a limb's joints (no/no), where they say which part of the
# region (build.lexicon's joint variants, words.joint_adjective)
POSITIONS = frozenset({"upper", "lower"})
