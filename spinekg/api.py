"""The public entry points that span the answer side and the code systems: ``classify`` sends codes to
``spinekg.codes`` and everything else to the text reader, and ``prepare_profile`` is the one place where
a user's profile file may be reasoned with HermiT (the Java-free answer side only ever loads overlays)."""
from __future__ import annotations

from .answer.composer import Verdict
from .answer.composers import composer
from .errors import SpinekgError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: pathlib and typing stay off the cold answer path
    from collections.abc import Callable
    from pathlib import Path


def prepare_profile(profile: str | Path | None, notify: Callable[[str], None] | None = None) -> None:
    """Make ``profile`` answerable before answering: a built-in name or a reasoned file needs nothing;
    an unreasoned user file is reasoned now with HermiT (needs Java, said on ``notify``) and cached in
    the user's cache directory."""
    if profile is None or str(profile) == "seed":  # the default profile (answer.profiles.DEFAULT_PROFILE): nothing to do
        return
    from .answer.profiles import is_default

    if not is_default(profile):
        from .build.profile_overlays import prepare_profile as reason_if_needed

        reason_if_needed(profile, notify)


def prepare_extensions(paths: list[str | Path], notify: Callable[[str], None] | None = None) -> dict | None:
    """Use the user's extension files (OWL modules on top of the ontology) for the rest of the process:
    each is checked, then all are reasoned with HermiT once (needs Java; cached by content in the user's
    cache directory, so later runs are Java-free), and merged into the runtime index. Returns that index."""
    if not paths:
        return None
    from .build.extension_overlays import prepare_extensions as reason_and_merge

    return reason_and_merge(list(paths), notify)


def classify(query: str, index: dict | None = None, system: str | None = None, profile: str | None = None,
             needle: bool = False) -> Verdict:
    """Classify a procedure given as an IRI, CURIE, label, synonym, abbreviation or operative phrase, or an
    ICD-10-PCS / ICD-10-CM code (detected from its shape, or forced with ``system``; see ``spinekg.codes``).
    ``profile``: a built-in profile name ("seed", the default; see ``spinekg profiles``) or a profile .ttl file.
    ``needle``: count needle procedures as operations (codes only; composes with ``profile``)."""
    if not isinstance(query, str):
        raise SpinekgError(f"expected text, got {type(query).__name__}")
    prepare_profile(profile)
    # text never loads the code tables: a code has at most 8 characters, or follows its system's name ('ICD-10-PCS …')
    if system is not None:
        from .codes.icd10 import classify_code

        return classify_code(query, system=system, index=index, profile=profile, needle=needle)
    if _may_be_code(query):
        from .codes.icd10 import classify_code, code_query

        if found := code_query(query, index):
            return classify_code(found[0], system=found[1], index=index, profile=profile, needle=needle)
    if needle:
        raise SpinekgError("the needle option applies to procedure codes only")
    comp = composer(index, profile)
    return classify_text_query(query, comp)


def _may_be_code(query: str) -> bool:
    """Short text only: longer text never imports the shapes module."""
    stripped = query.strip().rstrip(".,;:")  # (codes.shapes.bare_code, without importing it)
    if len(stripped) > 8 and stripped[:3].lower() not in ("icd", "pcs"):
        return False
    from .codes.shapes import may_be_code

    return may_be_code(query)


_READ_TEXT: list = []  # the reader's entry point, imported on the first text question (an import per call costs 1 µs)


def classify_text_query(query: str, comp) -> Verdict:  # type: ignore[no-untyped-def]
    """Text: an exact ontology name (with levels) is read directly; anything else by the compositional reader."""
    if not _READ_TEXT:
        from .answer.reader import classify_any_text

        _READ_TEXT.append(classify_any_text)
    return _READ_TEXT[0](query, comp)
