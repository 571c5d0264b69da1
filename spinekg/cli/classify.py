"""spinekg classify TEXT: is it back surgery, spine surgery, both or neither, and why."""
from __future__ import annotations

from ._options import add_extension, prepare

TYPE_CHECKING = False
if TYPE_CHECKING:  # argparse only for annotations: a plain call is parsed without it (main.plain_args)
    import argparse

NAME = "classify"
HELP = "classify a procedure (IRI, CURIE, label, abbreviation or phrase such as 'L4-L5 microdiscectomy')"
# A plain call (the query, then these options as '--name value' or '--flag') is parsed by main.plain_args
# without argparse; the parser below is built from the same table, so the two cannot disagree.
POSITIONAL = "query"
CHOICES: dict[str, tuple[str, ...] | None] = {"--format": ("text", "json"), "--system": ("icd10pcs", "icd9cm", "icd10cm"),
                                               "--profile": None}  # None: any value
FLAGS = ("--needle-procedures",)
DEFAULTS = {"format": "text", "system": None, "profile": "seed", "needle_procedures": False, "extension": []}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help="what to classify, e.g. 'C5-C6 ACDF'")
    parser.add_argument("--format", choices=list(CHOICES["--format"] or ()), default=DEFAULTS["format"])
    parser.add_argument("--system", choices=list(CHOICES["--system"] or ()), default=DEFAULTS["system"],
                        help="read the query as a code of this system (default: detect ICD codes by their shape)")
    parser.add_argument("--profile", default=DEFAULTS["profile"], metavar="NAME|FILE",
                        help="definition of back surgery: a built-in profile (see 'spinekg profiles') or a profile .ttl file")
    parser.add_argument("--needle-procedures", action="store_true",
                        help="codes: count needle procedures (percutaneous destruction, drainage, release, ...) as "
                             "operations, as CMS groups some of them; composes with --profile")
    add_extension(parser)


def regions_text(verdict) -> str:  # type: ignore[no-untyped-def]
    """The spinal regions, or why there are none: no site in the spine (an SI joint fusion), or not fixed
    until a level is given (a laminectomy with no level)."""
    if verdict.regions:
        return ", ".join(verdict.regions)
    if verdict.spine_surgery == "no":
        return "none (no site in the spine)"
    return "(not fixed: give a level)"


HEADING_CHARS = 200  # a longer input (an operative note's procedure section) is shown by its beginning; JSON keeps it whole


def render_text(verdict) -> str:  # type: ignore[no-untyped-def]
    text = verdict.input
    lines = [text if len(text) <= HEADING_CHARS else f"{' '.join(text.split())[:HEADING_CHARS]}… ({len(text):,} characters)"]
    if verdict.procedure:
        lines.append(f"  procedure:     {verdict.procedure['label']} <{verdict.procedure['iri']}>")
    lines.append(f"  regions:       {regions_text(verdict)}")
    extra = getattr(verdict, "extra", None)
    if extra:  # an ICD-10-CM diagnosis: disorder, lower back, treatments instead of the surgery answers
        lines.append(f"  disorder:      {extra['disorder']['label']} <{extra['disorder']['iri']}>")
        lines.append(f"  lower back:    {extra['lower_back_condition']}")
        lines.append(f"  treated by:    {', '.join(t['label'] for t in extra['treated_by']) or '(none recorded)'}")
    else:
        lines.append(f"  spine surgery: {verdict.spine_surgery}")
        lines.append(f"  back surgery:  {verdict.back_surgery}")
    lines.append("  why:")
    lines.extend(f"    - {line}" for line in verdict.explanation)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..api import classify

    prepare(args)
    verdict = classify(args.query, system=args.system, profile=args.profile, needle=args.needle_procedures)
    if args.format == "json":
        from ..answer.json_text import dumps  # json.dumps(..., ensure_ascii=False, indent=2) without the json package

        print(dumps(verdict.to_dict()))
    else:
        print(render_text(verdict))
    return 0
