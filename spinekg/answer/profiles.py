"""Institutional profiles: alternative definitions of back surgery, as small OWL modules.

The source document ends with a caveat: institutions draw the line between back and spine surgery
differently. A profile (``ontology/profiles/NAME.ttl``) replaces the logical definition of
``spinekg:BackSurgery``, defines ``spinekg:BackSurgerySite`` (which sites count) and states its site
rule: ``any`` (one site in the zone is enough) or ``all`` (every site must lie in it).

Each profile is reasoned with HermiT at build time into a small overlay
(``spinekg/data/profiles/NAME.json``): the three-valued answer for every anatomy term ("does this site
count?") and every procedure term, plus explanation chains. ``classify(..., profile=NAME)`` composes
from the shipped runtime index and that overlay, so answering stays Java-free. A user's own profile
file is reasoned on the fly (needs Java), or read from ``FILE.index.json`` written by
``spinekg build --profile FILE``.

The overlay build also *verifies* the profile: for every procedure at a set of representative sites,
a probe class (procedure, those sites, and nothing else: a closure axiom) is classified by HermiT in
the same run, and the composed answer must equal HermiT's. A site rule that does not match the OWL
definition is reported, never silently shipped.

Light at import (json only): rdflib, networkx and owlready2 are imported inside the build functions.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .composer import Composer
from ..errors import EXIT_ENVIRONMENT, SpinekgError
from .index import load_index
from ..namespaces import SPINEKG
from ..paths import DATA_DIR, RUNTIME_INDEX, cache_dir, ontology_dir
from .records import FrozenRecord
from .sealed import open_sealed

DEFAULT_PROFILE = "seed"
PROFILE_IRI = SPINEKG + "profiles/"
PROFILE_INDEX_DIR = DATA_DIR / "profiles"
RULES = ("any", "all")
FORMAT = 1


class Profile(FrozenRecord):
    """A profile's identity and header. ``path`` is its Turtle module."""

    FIELDS = ("name", "path", "description", "rationale", "rule", "builtin")

    def __init__(self, name: str, path: Path, description: str, rationale: str, rule: str, builtin: bool):
        for field, value in zip(self.FIELDS, (name, path, description, rationale, rule, builtin)):
            object.__setattr__(self, field, value)


# ---- finding profiles ---------------------------------------------------------------------------

def profiles_dir() -> Path:
    return ontology_dir() / "profiles"


def builtin_names() -> list[str]:
    """Built-in profile names, the default first."""
    names = sorted(p.stem for p in profiles_dir().glob("*.ttl"))
    return sorted(names, key=lambda n: (n != DEFAULT_PROFILE, n))


def is_default(spec: str | Path | None) -> bool:
    return spec is None or str(spec) == DEFAULT_PROFILE


def read_profile(path: Path, builtin: bool = False) -> Profile:
    """Read and check a profile module's header (needs rdflib)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

    from ..rdf.parse import parse_file

    graph = parse_file(path)
    headers = [h for h in graph.subjects(RDF.type, OWL.Ontology)]
    if len(headers) != 1:
        raise SpinekgError(f"{path}: a profile needs exactly one owl:Ontology header, found {len(headers)}")
    header = headers[0]

    def text(prop) -> str:  # type: ignore[no-untyped-def]
        values = sorted(str(v) for v in graph.objects(header, prop) if isinstance(v, Literal))
        return values[0] if values else ""

    name = text(RDFS.label) or path.stem
    rule = text(URIRef(SPINEKG + "siteRule")) or "any"
    if rule not in RULES:
        raise SpinekgError(f"{path}: spinekg:siteRule must be \"any\" or \"all\", not {rule!r}")
    site = URIRef(SPINEKG + "BackSurgerySite")
    if (site, OWL.equivalentClass, None) not in graph:
        raise SpinekgError(f"{path}: a profile must define spinekg:BackSurgerySite (owl:equivalentClass): "
                           f"the sites that count for back surgery; see ontology/profiles/seed.ttl")
    if (URIRef(SPINEKG + "BackSurgery"), OWL.equivalentClass, None) not in graph:
        raise SpinekgError(f"{path}: a profile must give spinekg:BackSurgery an owl:equivalentClass definition")
    return Profile(name=name, path=path, description=text(DCTERMS.description), rationale=text(URIRef(SPINEKG + "rationale")),
                   rule=rule, builtin=builtin)


def resolve(spec: str | Path | None) -> Profile:
    """A built-in profile by name, or a user's profile file by path."""
    spec = DEFAULT_PROFILE if spec is None else spec
    names = builtin_names()
    if isinstance(spec, str) and spec in names:
        return read_profile(profiles_dir() / f"{spec}.ttl", builtin=True)
    path = Path(spec)
    if path.suffix and path.is_file():
        return read_profile(path)
    if path.suffix:
        raise SpinekgError(f"{path}: no such profile file")
    raise SpinekgError(f"unknown profile {str(spec)!r}; built-in profiles: {', '.join(names)} (or give a .ttl file)")


def base_digest(path: Path = RUNTIME_INDEX) -> str:
    """Identifies the runtime index an overlay was built against (overlays go stale with it)."""
    stat = path.stat()
    return _digest_of(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _digest_of(path: Path, mtime_ns: int, size: int) -> str:
    import hashlib  # only when a digest is needed: hashlib loads OpenSSL

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def user_index_path(path: Path) -> Path:
    return path.with_name(path.name + ".index.json") if path.suffix != ".ttl" else path.with_suffix(".index.json")


def _source_digest(path: Path) -> str:
    import hashlib  # only when a digest is needed: hashlib loads OpenSSL

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def user_inputs(path: Path) -> dict:
    """What a user profile's cached overlay must have been reasoned from: the file and the runtime index."""
    return {"format": FORMAT, "source": _source_digest(path), "base": base_digest()}


def user_cache_path(path: Path) -> Path:
    """Where a user profile reasoned on the fly is cached (the user's cache directory, by content hash)."""
    return cache_dir() / "profiles" / f"{_source_digest(path)}-{base_digest()}.json"


# ---- loading overlays at run time (Java-free for built-ins) --------------------------------------

@lru_cache(maxsize=16)
def load_overlay(spec: str) -> dict:
    """The overlay for a built-in profile name or a user's profile file."""
    names = builtin_names()
    if spec in names:
        path = PROFILE_INDEX_DIR / f"{spec}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SpinekgError(f"{path}: profile index missing; run 'spinekg build'", EXIT_ENVIRONMENT) from None
        except (OSError, ValueError) as exc:
            raise SpinekgError(f"{path}: profile index unreadable ({exc})", EXIT_ENVIRONMENT) from None
    profile = resolve(spec)
    inputs = user_inputs(profile.path)
    why = ""
    for cached in (user_index_path(profile.path), user_cache_path(profile.path)):
        overlay, reason = open_sealed(cached, inputs)
        if overlay is not None:
            return overlay
        if cached.exists() and not why:
            why = f"{cached}: {reason}"
    key = f"{profile.path}#{_source_digest(profile.path)}"
    if key in _REASONED:
        return _REASONED[key]
    raise ProfileNotReasoned(f"profile {profile.path} has not been reasoned with HermiT{' (' + why + ')' if why else ''}: "
                             f"run 'spinekg build --profile {profile.path}' (needs Java), or call "
                             f"spinekg.prepare_profile() first", EXIT_ENVIRONMENT)


class ProfileNotReasoned(SpinekgError):
    """A user's profile file with no valid reasoned overlay: the answer side never starts Java itself,
    so whoever accepts the file (``spinekg.prepare_profile``, the CLI) reasons it first."""


_REASONED: dict[str, dict] = {}  # overlays reasoned in this process, by profile path and content digest


def remember_overlay(path: Path, overlay: dict) -> None:
    """Keep an overlay reasoned in this process (by ``spinekg.prepare_profile``) for ``load_overlay``."""
    _REASONED[f"{path}#{_source_digest(path)}"] = overlay
    load_overlay.cache_clear()


def profile_summaries() -> list[dict]:
    """Name, rule, description and rationale of every built-in profile (from the shipped overlays)."""
    out = []
    for name in builtin_names():
        overlay = load_overlay(name)
        out.append({key: overlay[key] for key in ("name", "rule", "description", "rationale")})
    return out


# ---- composing verdicts under a profile ---------------------------------------------------------

class ProfileComposer(Composer):
    """The base composer with the back-surgery half of every answer taken from a profile overlay.

    Spine surgery, regions, site checks and the reading of the input are unchanged: profiles only
    redefine back surgery. Sites combine by the profile's rule: ``any`` — yes if one site counts, no
    if every site is provably outside; ``all`` — yes if every site counts, no if one is provably outside.
    """

    def __init__(self, index: dict, overlay: dict):
        super().__init__(index)
        self.overlay = overlay
        self.rule = overlay["rule"]
        anchors = [self.label(a) for a in overlay["anchors"]]
        self.zone = " or ".join(anchors) if anchors else "the profile's back-surgery sites"
        self.source = f"profile {overlay['name']}: back surgery is surgery with {'every' if self.rule == 'all' else 'a'} " \
                      f"site in the {self.zone}"

    def label(self, term: str) -> str:
        labels = getattr(self, "overlay", {}).get("labels", {})
        return labels[term] if term in labels else super().label(term)

    def site(self, term: str) -> str:
        return self.overlay["anatomy"].get(term, "depends")

    def _path(self, term: str, table: str) -> str:
        return self.render_steps(term, self.overlay[table].get(term))

    def inside(self, term: str) -> str:
        return self._path(term, "inside")

    def outside(self, term: str) -> str:
        text = self._path(term, "outside")
        return f"{text}, which is outside the {self.zone}"

    def back_answer(self, procedure: str, sites: list[str]) -> str:
        """The three-valued back-surgery answer alone (what the verification compares with HermiT)."""
        info = self.procedures[procedure]
        status = self._operative(info, sites) if hasattr(self, "_operative") else info["operative"]
        if status == "no" or self.overlay["procedures"].get(procedure) == "no":
            return "no"
        if self.overlay["procedures"].get(procedure) == "yes":
            return "yes"
        values = [self.site(s) for s in sites]
        operative = status == "yes"
        if self.rule == "all":
            if any(v == "no" for v in values):
                return "no"
            return "yes" if operative and values and all(v == "yes" for v in values) else "depends"
        if operative and "yes" in values:
            return "yes"
        if operative and any(options and all(self.site(o) == "yes" for o in options)
                             for options in self.forced(procedure, sites)):
            return "yes"  # the procedure's own site requirement leaves only options that count
        return "no" if values and all(v == "no" for v in values) else "depends"

    def _compose(self, procedure: str, sites: list[str], why: list[str]) -> tuple[str, str]:
        spine_why: list[str] = []
        spine, _ = super()._compose(procedure, sites, spine_why)
        why.append(spine_why[0])
        back = self.back_answer(procedure, sites)
        name = self.label(procedure)
        if back == "yes":
            if self.overlay["procedures"].get(procedure) == "yes":
                why.append(f"{name} always counts → back surgery ({self.source})")
            elif self.rule == "all":
                why.append(f"every site lies in the {self.zone}: "
                           f"{'; '.join(self.inside(s) for s in sites)} → back surgery ({self.source})")
            else:
                site = next(s for s in sites if self.site(s) == "yes")
                why.append(f"{self.inside(site)} → back surgery ({self.source})")
        elif back == "no":
            outside = [s for s in sites if self.site(s) == "no"]
            if self.overlay["procedures"].get(procedure) == "no" and not outside:
                why.append(f"{name} is never within the {self.zone} → not back surgery ({self.source})")
            elif self.rule == "all":
                why.append(f"{self.outside(outside[0])}; under the whole-site rule one site outside is enough → "
                           f"not back surgery ({self.source})")
            else:
                reasons = "; ".join(dict.fromkeys(self.outside(s) for s in outside))
                why.append(f"{reasons} → not back surgery ({self.source})")
        else:
            undecided = [self.label(s) for s in sites if self.site(s) == "depends"]
            if undecided:
                why.append(f"{', '.join(undecided)} is not provably inside or outside the {self.zone} → depends ({self.source})")
            else:
                why.append(f"not every site is provably in the {self.zone} → depends ({self.source})")
        return spine, back

    def named_back(self, procedure: str) -> str:
        return self.overlay["procedures"].get(procedure, "depends")

    def _explain_named(self, procedure: str, spine: str, back: str, why: list[str]) -> None:
        base_why: list[str] = []
        super()._explain_named(procedure, spine, back, base_why)  # only its spine line is kept
        why.append(base_why[0])
        back = self.named_back(procedure)
        name = self.label(procedure)
        info = self.procedures[procedure]
        sites = [s[0] for s in info["sites"] if len(s) == 1]
        if back == "yes":
            inside = next((s for s in sites if self.site(s) == "yes"), None)
            where = self.inside(inside) if inside else f"the {self.zone}"
            why.append(f"{name} operates on {where} → back surgery ({self.source})")
        elif back == "no":
            outside = next((s for s in sites if self.site(s) == "no"), None)
            if outside:
                why.append(f"{name} operates on {self.outside(outside)} → not back surgery ({self.source})")
            else:
                allowed = [self.label(o) for only in info["site_only"] for o in only]
                where = " or ".join(allowed) if allowed else "sites"
                why.append(f"{name} is only performed on {where}, outside the {self.zone} → not back surgery ({self.source})")
        else:
            example = f"L4-L5 {self.terms[procedure]['label']}"
            if self.rule == "all":
                why.append(f"no level given: under the whole-site rule every site of {name} must lie in the {self.zone}, "
                           f"and its definition does not restrict its sites to it; give the levels (e.g. '{example}'), "
                           f"which are then taken as all its sites ({self.source})")
            else:
                why.append(f"no level given: {name} may or may not have a site in the {self.zone}; give the level "
                           f"(e.g. '{example}') ({self.source})")

    def verdict(self, text, reading):  # type: ignore[no-untyped-def]
        verdict = super().verdict(text, reading)
        if not reading.sites and self.procedures[reading.procedure]["operative"] != "no":
            verdict.back_surgery = self.named_back(reading.procedure)  # the explanation already says why
        return verdict


_PROFILE_COMPOSERS: dict[tuple[int, int], ProfileComposer] = {}


def profile_composer(spec: str | Path, index: dict | None = None) -> ProfileComposer:
    index = index if index is not None else load_index()
    overlay = load_overlay(str(spec))
    key = (id(index), id(overlay))
    if key not in _PROFILE_COMPOSERS:
        _PROFILE_COMPOSERS[key] = ProfileComposer(index, overlay)
    return _PROFILE_COMPOSERS[key]
