"""``classify(query) -> Verdict``: is this back surgery, spine surgery, both or neither, and why.

Answers are three-valued. ``yes`` and ``no`` are what HermiT entails (closures in the runtime index);
``depends`` is what it leaves open, such as a laminectomy with no level. A procedure at given levels is
composed from the closures of the procedure and of each level; a test proves the composition agrees with
HermiT on every (procedure, level) pair.
"""
from __future__ import annotations

from ..errors import SpinekgError
from ..namespaces import SPINEKG
from .reading import Reading
from .records import Record
from ..vocab import REGION_ORDER, REGION_ZONES

SEED_BACK = "seed §1: back surgery is surgery on the lower back, including the lumbar and sacral regions"
SEED_SPINE = "seed §1: spine surgery spans the entire length of the spinal column"
SEED_CAVEAT = "seed §6: the line varies between institutions"
VERDICT_MEMO = 100_000  # composed answers kept per composer before starting afresh


class Verdict(Record):
    """The answer for one input. ``to_dict`` gives exactly the documented JSON keys. ``readings``: for text
    input, one object per procedure understood."""

    FIELDS = ("input", "procedure", "regions", "spine_surgery", "back_surgery", "explanation", "sites", "readings")

    def __init__(self, input: str, procedure: dict[str, str] | None, regions: list[str], spine_surgery: str,
                 back_surgery: str, explanation: list[str], sites: list[str] | None = None,
                 readings: list[dict] | None = None):
        self.input, self.procedure, self.regions = input, procedure, regions
        self.spine_surgery, self.back_surgery, self.explanation = spine_surgery, back_surgery, explanation
        self.sites = [] if sites is None else sites
        self.readings = readings

    def to_dict(self) -> dict:
        out = {"input": self.input, "procedure": self.procedure, "regions": self.regions,
               "spine_surgery": self.spine_surgery, "back_surgery": self.back_surgery,
               "explanation": self.explanation}
        if self.readings is not None:
            out["readings"] = self.readings
        return out


class Composer:
    """Composes verdicts from the index; one instance per index."""

    def __init__(self, index: dict):
        self.index = index
        self.terms = index["terms"]
        self.anatomy = index["anatomy"]
        self.procedures = index["procedures"]
        self.disjoint = {frozenset(pair) for pair in index["zones"]["disjoint"]}
        self.closed = set(index["zones"]["closed"])
        self._verdicts: dict[tuple, Verdict | SpinekgError] = {}  # (procedure, sites) → the answer, any input
        self._compatible: dict[tuple[str, str], bool] = {}  # (site class, level site) → compatible

    def label(self, term: str) -> str:
        return self.terms[term]["label"] if term in self.terms else term

    # -- compatibility ------------------------------------------------------------------------------
    def _zones(self, term: str, within: bool) -> set[str]:
        """Zones of ``term`` itself, or (``within``) of 'the term or any part of it'."""
        entry = self.anatomy.get(term, {})
        zones = set(entry.get("within_zones", entry.get("zones", [])) if within else entry.get("zones", []))
        # a zone class counts for itself, but "within" it only when it is closed under part of
        if term in (self.closed if within else self.index["zones"]["all"]):
            zones.add(term)
        return zones

    def compatible(self, site_class: str, level_site: str) -> bool:
        """Can something be a ``site_class`` and lie within ``level_site``? (worked out once per pair: the same
        procedure sites meet the same level sites in text after text)"""
        key = (site_class, level_site)
        found = self._compatible.get(key)
        if found is None:
            left, right = self._zones(site_class, False), self._zones(level_site, True)
            found = self._compatible[key] = not any(frozenset((a, b)) in self.disjoint for a in left for b in right)
        return found

    def forced(self, procedure: str, sites: list[str]) -> list[list[str]]:
        """For each of the procedure's own site requirements (a union of classes), the options still
        possible within ``sites``: an arthrodesis (intervertebral joint or SI joint) done within the
        erector spinae can only be on the SI joint, which decides back surgery."""
        return [[option for option in required if any(self.compatible(option, site) for site in sites)]
                for required in self.procedures[procedure]["sites"]]

    def always(self, options: list[str], zone: str) -> bool:
        """Every option lies in ``zone`` (by its own classification)."""
        return bool(options) and all(zone in self._zones(option, False) for option in options)

    def _forced_into(self, forced: list[list[str]], zone: str) -> list[str]:
        """The first site requirement whose remaining options all lie in ``zone`` (empty if none)."""
        return next((options for options in forced if self.always(options, zone)), [])

    def check_sites(self, procedure: str, sites: list[str]) -> None:
        info = self.procedures[procedure]
        for site in sites:
            for allowed in info["site_only"]:
                if not any(self.compatible(option, site) for option in allowed):
                    raise SpinekgError(f"{self.label(procedure)} is only performed on "
                                       f"{' or '.join(self.label(o) for o in allowed)}, which excludes {self.label(site)}")
        for required in info["sites"]:
            if not any(self.compatible(option, site) for option in required for site in sites):
                raise SpinekgError(f"{self.label(procedure)} operates on {' or '.join(self.label(o) for o in required)}, "
                                   f"which cannot lie within {', '.join(self.label(s) for s in sites)}")

    # -- explanations -------------------------------------------------------------------------------
    def render_steps(self, term: str, steps: list[list[str]] | None) -> str:
        """'A → is a B → part of C' from [[A, 'is a'], [B, 'part of'], [C, '']] (just A when no path)."""
        if not steps:
            return self.label(term)
        text = self.label(steps[0][0])
        for (_, relation), (node, _) in zip(steps, steps[1:]):
            text += f" → {relation} {self.label(node)}"
        return text

    def chain(self, term: str, target: str) -> str:
        return self.render_steps(term, self.anatomy.get(term, {}).get("paths", {}).get(target))

    def outside_reason(self, term: str, kind: str) -> str:
        """Why a site is provably outside the lower back (kind='back') or the spine (kind='spine')."""
        targets = ["Neck", "UpperBack", "CoccygealSpine", "CraniocervicalJunction", "CervicothoracicJunction",
                   "StructureOutsideBack"] if kind == "back" else ["BackStructureOutsideSpine", "StructureOutsideBack"]
        for target in targets:
            if target in self.anatomy.get(term, {}).get("paths", {}):
                if target in ("BackStructureOutsideSpine", "StructureOutsideBack"):
                    return self.chain(term, target)
                return f"{self.chain(term, target)}, which is outside the {'lower back' if kind == 'back' else 'spine'}"
        return f"{self.label(term)} is outside the {'lower back' if kind == 'back' else 'spine'}"

    # -- verdicts -----------------------------------------------------------------------------------
    def verdict(self, text: str, reading: Reading) -> Verdict:
        """The answer for ``reading``: composed once per (procedure, sites), since only ``input`` depends on
        the words (callers get their own copy, as they add to the explanation)."""
        key = (reading.procedure, tuple(reading.sites))
        found = self._verdicts.get(key)
        if found is None:
            if len(self._verdicts) > VERDICT_MEMO:
                self._verdicts.clear()
            try:
                found = self._compose_verdict(reading.procedure, list(reading.sites))
            except SpinekgError as exc:  # kept without its traceback: its frames, up to the caller's (a bulk run's
                # tables), would stay alive with the memo, in a cycle only a full collection frees (100 MB a bulk run)
                found = SpinekgError(exc.message, exc.exit_code, exc.suggestions)
            self._verdicts[key] = found
        if isinstance(found, SpinekgError):
            raise SpinekgError(found.message, found.exit_code, found.suggestions)
        return Verdict(text, dict(found.procedure), list(found.regions), found.spine_surgery, found.back_surgery,
                       list(found.explanation), list(found.sites))

    def _compose_verdict(self, procedure: str, sites: list[str], text: str = "") -> Verdict:
        info = self.procedures[procedure]
        if sites:
            self.check_sites(procedure, sites)
        name = self.label(procedure)
        why: list[str] = []
        described = f"{name} at {', '.join(self.label(s) for s in sites)}" if sites else name
        why.append(f"read as: {described} (spinekg:{procedure})")
        operative = self._operative(info, sites)
        if operative == "no":
            why.append(f"{name} is not an operation (a non-operative procedure), so it is neither spine surgery "
                       f"nor back surgery, whatever its site")
            regions = self.regions_of(sites) if sites else info["regions"]
            return self._make(text, procedure, regions, "no", "no", why, sites)
        if sites:
            spine, back = self._compose(procedure, sites, why)
            regions = self.regions_of(sites)
        else:
            spine, back = info["spine_surgery"], info["back_surgery"]
            regions = info["regions"]
            self._explain_named(procedure, spine, back, why)
        return self._make(text, procedure, regions, spine, back, why, sites)

    def _operative(self, info: dict, sites: list[str]) -> str:
        """Operative status, sharpened by the sites: a procedure that is provably not back surgery yet
        lies in the lower back cannot be an operation (likewise for spine surgery at a spinal site)."""
        if info["operative"] != "depends":
            return info["operative"]
        if info["back_surgery"] == "no" and any(self.anatomy[s]["lower_back"] == "yes" for s in sites):
            return "no"
        if info["spine_surgery"] == "no" and any(self.anatomy[s]["spinal"] == "yes" for s in sites):
            return "no"
        return "depends"

    def regions_of(self, sites: list[str]) -> list[str]:
        found = {r for site in sites for r in self.anatomy.get(site, {}).get("regions", [])}
        return sorted(found, key=REGION_ORDER.index)

    def _compose(self, procedure: str, sites: list[str], why: list[str]) -> tuple[str, str]:
        info = self.procedures[procedure]
        spinal = [self.anatomy[s]["spinal"] for s in sites]
        lower = [self.anatomy[s]["lower_back"] for s in sites]
        operative = self._operative(info, sites) == "yes"
        forced = self.forced(procedure, sites)
        if all(v == "no" for v in spinal):
            spine = "no"
            why.append(f"{self.outside_reason(sites[0], 'spine')} → not spine surgery")
        elif info["spine_surgery"] == "no":
            spine = "no"
            why.append(f"{self.label(procedure)} is provably not spine surgery")
        elif info["spine_surgery"] == "yes" or (operative and "yes" in spinal):
            spine = "yes"
            site = next((s for s in sites if self.anatomy[s]["spinal"] == "yes"), sites[0])
            why.append(f"{self.chain(site, 'Spine')} → spine surgery ({SEED_SPINE})")
        elif operative and (options := self._forced_into(forced, "SpinalStructure")):
            spine = "yes"
            why.append(f"within {', '.join(self.label(s) for s in sites)} {self.label(procedure)} can only be on "
                       f"{' or '.join(self.label(o) for o in options)}, part of the spine → spine surgery ({SEED_SPINE})")
        elif "yes" in spinal:  # 'lumbar spine procedure': on the spine, but perhaps an injection
            spine = "depends"
            why.append(f"{self.label(procedure)} on the spine need not be an operation (an injection or a block is a "
                       f"procedure too) → depends")
        else:
            spine = "depends"
            why.append("whether this is spine surgery depends on where it is done")
        if all(v == "no" for v in lower):
            back = "no"
            reasons = "; ".join(dict.fromkeys(self.outside_reason(s, "back") for s in sites))
            why.append(f"{reasons} → not back surgery ({SEED_BACK} only)")
        elif info["back_surgery"] == "no":
            back = "no"
            why.append(f"{self.label(procedure)} is provably not back surgery")
        elif info["back_surgery"] == "yes" or (operative and "yes" in lower):
            back = "yes"
            site = next((s for s in sites if self.anatomy[s]["lower_back"] == "yes"), None)
            if site:
                why.append(f"{self.chain(site, 'LowerBack')} → back surgery ({SEED_BACK})")
            else:
                why.append(f"{self.label(procedure)} is always on the lower back → back surgery ({SEED_BACK})")
        elif operative and (options := self._forced_into(forced, "LowerBackStructure")):
            back = "yes"
            why.append(f"within {', '.join(self.label(s) for s in sites)} {self.label(procedure)} can only be on "
                       f"{' or '.join(self.label(o) for o in options)}, in the lower back → back surgery ({SEED_BACK})")
        elif "yes" in lower:
            back = "depends"
            why.append(f"{self.label(procedure)} on the lower back need not be an operation (an injection or a block is "
                       f"a procedure too) → depends")
        else:
            back = "depends"
            undecided = [self.label(s) for s in sites if self.anatomy[s]["lower_back"] == "depends"]
            why.append(f"{', '.join(undecided)} is not provably inside or outside the lower back → "
                       f"depends ({SEED_CAVEAT}; see the profiles)")
        return spine, back

    def _explain_named(self, procedure: str, spine: str, back: str, why: list[str]) -> None:
        info = self.procedures[procedure]
        name = self.label(procedure)
        sites = [s[0] for s in info["sites"] if len(s) == 1]
        site = sites[0] if sites else None
        if spine == "yes":
            spinal = next((s for s in sites if self.anatomy.get(s, {}).get("spinal") == "yes"), site)
            why.append(f"{name} operates on {self.chain(spinal, 'Spine')} → spine surgery ({SEED_SPINE})")
        elif spine == "no":
            outside = next((s for s in sites if self.anatomy.get(s, {}).get("spinal") == "no"), site)
            why.append(f"{name} operates on {self.outside_reason(outside, 'spine')} → not spine surgery")
        else:
            why.append(f"{name} may or may not be on the spine → depends")
        if back == "yes":
            inside = next((s for s in sites if self.anatomy.get(s, {}).get("lower_back") == "yes"), site)
            why.append(f"{name} operates on {self.chain(inside, 'LowerBack')} → back surgery ({SEED_BACK})")
        elif back == "no":
            allowed = [o for only in info["site_only"] for o in only]
            where = " or ".join(self.label(o) for o in allowed) if allowed else self.label(site)
            why.append(f"{name} is only performed on {where}, outside the lower back → not back surgery ({SEED_BACK} only)")
        elif site in REGION_ZONES:  # 'cervical spine surgery': defined by one site in a region, open to others
            why.append(f"{name} is any operation with a site in the {self.label(site)}; it may have other sites too (a "
                       f"fusion from C2 to the pelvis has a cervical one), so whether it is back surgery depends on them "
                       f"(give the levels; {SEED_CAVEAT})")
        else:
            where = self.label(site) if site else "its site"
            single = site in self.anatomy and {"Vertebra", "VertebralBody"} & (set(self.anatomy[site]["ancestors"]) | {site})
            example = f"{'L1' if single else 'L4-L5'} {self.terms[procedure]['label']}"
            why.append(f"no level given: {name} is performed on the {where} in every region of the spine, so whether it "
                       f"is back surgery depends on the level (add one, e.g. '{example}'; "
                       f"{SEED_CAVEAT})")

    def _make(self, text: str, procedure: str, regions: list[str], spine: str, back: str,
              why: list[str], sites: list[str]) -> Verdict:
        return Verdict(input=text, procedure={"iri": SPINEKG + procedure, "label": self.label(procedure)},
                       regions=regions, spine_surgery=spine, back_surgery=back, explanation=why, sites=sites)
