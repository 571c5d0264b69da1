"""Institutional profiles: each is reasoned with HermiT here, its shipped index must equal what HermiT
gives now, and the same procedures answer differently exactly where the profiles differ."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REPO, background_jobs, background_overlays, needs_java

from spinekg import classify
from spinekg.answer.composers import classify_procedure
from spinekg.answer.profiles import PROFILE_INDEX_DIR, builtin_names, load_overlay, resolve

EXTENSIONS = REPO / "tests" / "extensions"
PROFILES = ["seed", "any-overlap", "thoracolumbar", "whole-site", "whole-back"]

# Exact back-surgery answers, one column per profile in PROFILES order.
BACK = {
    # where the profiles differ
    "T12-L1 fusion":                  ("no", "no", "yes", "no", "yes"),
    "T10-S1 fusion":                  ("yes", "yes", "yes", "no", "yes"),
    "T6 laminectomy":                 ("no", "no", "no", "no", "yes"),
    "T12 laminectomy":                ("no", "no", "no", "no", "yes"),
    "thoracic laminectomy":           ("no", "no", "depends", "no", "yes"),
    "posterior thoracolumbar fusion": ("yes", "yes", "yes", "no", "yes"),
    "lumbar microdiscectomy":         ("yes", "yes", "yes", "depends", "yes"),
    "T12-L1 discectomy":              ("no", "no", "yes", "no", "yes"),
    # where they agree
    "C5-C6 ACDF":                     ("no", "no", "no", "no", "no"),
    "L4-L5 microdiscectomy":          ("yes", "yes", "yes", "yes", "yes"),
    "L4-S1 fusion":                   ("yes", "yes", "yes", "yes", "yes"),
    "lumbar puncture":                ("no", "no", "no", "no", "no"),
    "SI joint fusion":                ("yes", "yes", "yes", "yes", "yes"),
    "coccygectomy":                   ("no", "no", "no", "no", "no"),
    "laminectomy":                    ("depends", "depends", "depends", "depends", "depends"),
    "L1 laminectomy":                 ("yes", "yes", "yes", "yes", "yes"),
}


def test_builtin_profiles_are_the_five_documented_ones():
    assert builtin_names() == ["seed", "any-overlap", "thoracolumbar", "whole-back", "whole-site"]
    rules = {name: resolve(name).rule for name in builtin_names()}
    assert rules == {"seed": "any", "any-overlap": "any", "thoracolumbar": "any", "whole-back": "any", "whole-site": "all"}
    for name in builtin_names():
        profile = resolve(name)
        assert profile.name == name and len(profile.description) > 80 and len(profile.rationale) > 150


@pytest.mark.parametrize("query", sorted(BACK))
def test_back_surgery_answers_per_profile(query):
    got = tuple(classify(query, profile=name).back_surgery for name in PROFILES)
    assert got == BACK[query]


@pytest.mark.parametrize("query", sorted(BACK))
def test_profiles_never_change_spine_surgery_or_regions(query):
    seed = classify(query)
    for name in PROFILES[1:]:
        other = classify(query, profile=name)
        assert (other.spine_surgery, other.regions, other.procedure) == (seed.spine_surgery, seed.regions, seed.procedure)


def test_soft_tissue_of_the_back_differs_between_seed_and_whole_back():
    answers = {name: classify_procedure("OperativeProcedure", [site], profile=name).back_surgery
               for name in PROFILES for site in ["ErectorSpinae"]}
    assert answers == {"seed": "depends", "any-overlap": "depends", "thoracolumbar": "depends",
                       "whole-site": "depends", "whole-back": "yes"}
    for name in PROFILES:
        verdict = classify_procedure("OperativeProcedure", ["LowerBackSoftTissue"], profile=name)
        assert (verdict.spine_surgery, verdict.back_surgery) == ("no", "yes")


def test_default_profile_is_the_seed_and_explanations_name_the_profile():
    assert classify("T12-L1 fusion").to_dict() == classify("T12-L1 fusion", profile="seed").to_dict()
    why = classify("T12-L1 fusion", profile="thoracolumbar").explanation
    assert why[-1] == ("T12-L1 motion segment → part of thoracolumbar junction → back surgery (profile thoracolumbar: "
                       "back surgery is surgery with a site in the lower back or thoracolumbar junction)")
    why = classify("T10-S1 fusion", profile="whole-site").explanation
    assert why[-1].startswith("T10-T11 motion segment → part of thoracic region of spine → part of upper back, which is "
                              "outside the lower back; under the whole-site rule one site outside is enough")
    why = classify("T6 laminectomy", profile="thoracolumbar").explanation
    assert "part of thoracic spine above the thoracolumbar junction, which is outside" in why[-1]


def test_seed_profile_restates_classification_ttl_exactly(runtime_index):
    overlay = load_overlay("seed")
    assert overlay["anatomy"] == {t: a["lower_back"] for t, a in runtime_index["anatomy"].items()}
    assert overlay["procedures"] == {p: i["back_surgery"] for p, i in runtime_index["procedures"].items()}
    assert load_overlay("any-overlap")["anatomy"] == overlay["anatomy"]
    assert load_overlay("any-overlap")["procedures"] == overlay["procedures"]


def test_shipped_overlays_match_the_runtime_index_they_were_built_from():
    from spinekg.answer.profiles import base_digest

    for name in builtin_names():
        overlay = json.loads((PROFILE_INDEX_DIR / f"{name}.json").read_text())
        assert overlay["base"] == base_digest(), f"{name}.json is stale: run 'spinekg build'"


def test_unknown_profile_is_a_one_line_bad_input_error(cli):
    code, out, err = cli("classify", "L4-L5 microdiscectomy", "--profile", "lumbar-only")
    assert (code, out) == (2, "")
    assert err.strip() == ("spinekg: error: unknown profile 'lumbar-only'; built-in profiles: seed, any-overlap, "
                           "thoracolumbar, whole-back, whole-site (or give a .ttl file)")
    code, _, err = cli("classify", "L4-L5 microdiscectomy", "--profile", "missing.ttl")
    assert (code, err.strip()) == (2, "spinekg: error: missing.ttl: no such profile file")


def test_profiles_command_lists_every_profile_with_rationale(cli):
    code, out, _ = cli("profiles", "--format", "json")
    assert code == 0
    listed = json.loads(out)
    assert [p["name"] for p in listed] == builtin_names()
    assert all(p["rationale"] and p["description"] for p in listed)
    code, out, _ = cli("profiles")
    assert code == 0 and out.startswith("seed (default) — sites combine: any\n")
    assert "whole-site — sites combine: all" in out


def test_classify_cli_profile_option(cli):
    code, out, _ = cli("classify", "T12-L1 fusion", "--profile", "thoracolumbar", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["spine_surgery"], data["back_surgery"], data["regions"]) == ("yes", "yes", ["thoracic", "thoracolumbar"])



@pytest.mark.parametrize("profile, back", [("seed", "no"), ("thoracolumbar", "yes"), ("whole-back", "yes"),
                                           ("any-overlap", "no")])
def test_classify_cli_profile_option_on_an_icd10pcs_code(cli, profile, back):
    """0RGA0A0 fuses the T12-L1 joint: the code gets the same profile answer as the phrase 'T12-L1 fusion'."""
    code, out, _ = cli("classify", "0RGA0A0", "--profile", profile, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["spine_surgery"], data["back_surgery"], data["regions"]) == ("yes", back, ["thoracic", "thoracolumbar"])
    code, out, _ = cli("classify", "T12-L1 fusion", "--profile", profile, "--format", "json")
    assert json.loads(out)["back_surgery"] == back


# ---- reasoning every profile with HermiT ---------------------------------------------------------

@pytest.fixture(scope="module")
def fresh_overlays():
    """Every built-in profile reasoned (and verified against probe classes) by HermiT now: in a background
    process started when the tests were collected (conftest.background_overlays), so the suite's other
    tests run meanwhile."""
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java and no 'java' is on PATH")
    return {name: future.result() for name, future in background_overlays().items()}


@needs_java
@pytest.mark.parametrize("name", ["seed", "any-overlap", "thoracolumbar", "whole-back", "whole-site"])
def test_shipped_overlay_equals_hermit_now(fresh_overlays, name):
    """The shipped index is byte-identical to a fresh HermiT run, and that run verified the composer
    against HermiT on every (procedure, sites) probe."""
    fresh = json.loads(fresh_overlays[name])
    assert fresh["verified"] > 200
    assert fresh_overlays[name] == (PROFILE_INDEX_DIR / f"{name}.json").read_text(encoding="utf-8")


# A profile that redefines the lower back itself (tests/extensions/naive-thoracolumbar-profile.ttl) is
# rejected as unsatisfiable: tests/test_check.py::test_a_profile_that_redefines_the_lower_back_is_explained
# checks the classes and the axioms behind them (one HermiT run for both).


@pytest.fixture(scope="module")
def rejected_site_rule():
    """tests/extensions/mislabelled-rule-profile.ttl reasoned by HermiT in the background lane (conftest)."""
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java and no 'java' is on PATH")
    return background_jobs("rejected_site_rule")["outcome"].result()


@needs_java
def test_a_site_rule_that_disagrees_with_the_owl_definition_is_rejected(rejected_site_rule):
    assert rejected_site_rule is not None, "the profile was reasoned without an error"
    exit_code, message = rejected_site_rule
    assert exit_code == 1
    assert message.startswith("profile mislabelled-whole-site: its site rule 'any' disagrees with its OWL definition")


@pytest.fixture(scope="module")
def user_profile_built():
    """A user's profile file (a relabelled copy of thoracolumbar.ttl) built by `spinekg build --profile` in the
    background lane (conftest): (the file, the environment it was built in, (exit code, stdout, stderr))."""
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java and no 'java' is on PATH")
    jobs = background_jobs("user_profile_built")
    return jobs["profile"], jobs["env"], jobs["run"].result()


@needs_java
def test_user_profile_file_build_then_java_free_classify(user_profile_built):
    import subprocess
    import sys

    mine, build_env, (code, out, err) = user_profile_built
    assert code == 0, err
    assert out == "" and err.splitlines()[-1] == (f"spinekg: profile {mine}: reasoned and verified with HermiT; wrote "
                                                  f"{mine.parent / 'our-hospital.index.json'}")
    # Without Java on PATH, the written index answers.
    env = dict(build_env, PATH=str(Path(sys.executable).parent))
    run = subprocess.run([sys.executable, "-m", "spinekg.cli", "classify", "T12-L1 fusion", "--profile", str(mine),
                          "--format", "json"], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["back_surgery"] == "yes"
    # Edit the profile: the index is stale, and without Java that is an environment error (exit 3).
    mine.write_text(mine.read_text() + "\n# edited\n")
    run = subprocess.run([sys.executable, "-m", "spinekg.cli", "classify", "T12-L1 fusion", "--profile", str(mine)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 3 and run.stdout == ""
    assert run.stderr.startswith(f"spinekg: error: profile {mine} must be reasoned with HermiT, which needs Java")
