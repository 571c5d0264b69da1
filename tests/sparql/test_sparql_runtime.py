"""``spinekg query --profile`` (answers under an institutional definition of back surgery), ``--store``
(an on-disk Oxigraph store made by ``spinekg load``) and ``--data`` (case records made query-ready with
their derived verdicts). Runs on the released query-ready graph: no Java."""
from __future__ import annotations

import json

import pytest

from spinekg import namespaces
from spinekg.sparql import engines as sparql_engines
from spinekg.sparql import questions
from spinekg.stores import dataset
from spinekg.sparql.results import XSD_STRING, display_term
from spinekg.cases.verdicts import write_verdicts
from spinekg.cases.records import example_cases_path, generate_records, records_to_ntriples
from spinekg.answer.composers import classify_procedure
from spinekg.errors import SpinekgError
from spinekg.answer.profiles import load_overlay

pytestmark = pytest.mark.skipif(dataset.release_edges_path() is None, reason="no release files built yet (spinekg build)")

BY_NUMBER = {q.number: q for q in questions.list_questions()}
TL_SURGERY = {"procedure": "spinekg:ThoracolumbarJunctionSurgery", "label": "thoracolumbar junction surgery"}


_ENGINES: dict = {}  # (kind, graph, profile) -> runtime engine over the released files (questions only read)


def answer(number: str, kind: str, profile: str | None = None, data=None, params=None):  # type: ignore[no-untyped-def]
    question = BY_NUMBER[number]
    if data is not None:
        engine = dataset.runtime_engine(kind, question.graph, data, profile)
    else:
        key = (kind, question.graph, profile)
        engine = _ENGINES.get(key) or _ENGINES.setdefault(key, dataset.runtime_engine(kind, question.graph, None, profile))
    return sparql_engines.run_question(question, engine, params).display()


def cases(*numbers: str) -> list[dict[str, str]]:
    return [{"case": f"ex:case-{n}"} for n in numbers]


# ---- profiles -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", sparql_engines.ENGINES)
def test_default_and_seed_profiles_answer_every_question_as_expected(kind):
    """Every question on the engine ``runtime_engine`` builds for its graph, built once per graph and
    profile: questions only read (SELECT/ASK), and an rdflib engine takes about 2 s to build, so one
    per question made this test 40 times slower without asserting anything more."""
    for profile in (None, "seed"):
        engines = {graph: dataset.runtime_engine(kind, graph, None, profile) for graph in questions.GRAPHS}
        for question in BY_NUMBER.values():
            got = sparql_engines.run_question(question, engines[question.graph]).display()
            assert got == question.expected, (profile, question.name)


def test_seed_profile_graph_is_the_released_graph():
    released = {line for line in dataset.require_release_edges().read_text(encoding="utf-8").splitlines() if line.strip()}
    assert set(dataset.profile_ontology_ntriples("seed").splitlines()) == released


@pytest.mark.parametrize("kind", sparql_engines.ENGINES)
def test_thoracolumbar_profile_changes_ontology_and_case_answers(kind):
    """Under 'thoracolumbar' the T12-L1 level counts: thoracolumbar junction surgery is always back surgery
    (question 04 gains it, 34 loses it) and the T12-L1 laminectomy (case 0004) becomes a back surgery."""
    seed_04 = BY_NUMBER["04"].expected
    assert answer("04", kind, "thoracolumbar") == sorted(seed_04 + [TL_SURGERY], key=lambda row: row["procedure"])
    assert answer("34", kind, "thoracolumbar") == [row for row in BY_NUMBER["34"].expected if row != TL_SURGERY]
    assert TL_SURGERY in BY_NUMBER["34"].expected
    assert answer("36", kind, "thoracolumbar") == cases("0001", "0003", "0004", "0005", "0006", "0011", "0012", "0019", "0021")
    assert answer("37", kind, "thoracolumbar") == cases("0002", "0007", "0010", "0013", "0017", "0018")
    assert answer("41", kind, "thoracolumbar") == [{"from": "2024-01-01", "year": 2024, "cases": 9}]


@pytest.mark.parametrize("kind", sparql_engines.ENGINES)
def test_whole_site_profile_changes_case_answers(kind):
    """Under 'whole-site' every site must lie in the lower back: the T10-S1 fusion (case 0011) is not back surgery."""
    assert answer("36", kind, "whole-site") == cases("0001", "0003", "0005", "0006", "0012", "0019", "0021")
    assert answer("37", kind, "whole-site") == cases("0002", "0004", "0007", "0010", "0011", "0013", "0017", "0018")
    assert {"procedure": "spinekg:LumbarMicrodiscectomy", "label": "lumbar microdiscectomy"} not in answer("04", kind, "whole-site")


@pytest.mark.parametrize("profile", ["thoracolumbar", "whole-site", "whole-back"])
def test_profile_answers_match_the_profile_overlay_and_composer(profile):
    """Source check: question 04 lists the procedures the profile's HermiT overlay makes back surgery;
    question 36 the example records classify_procedure calls back surgery under the profile."""
    overlay = load_overlay(profile)
    assert {row["procedure"] for row in answer("04", "oxigraph", profile)} == {
        f"spinekg:{name}" for name, value in overlay["procedures"].items() if value == "yes"} - {"spinekg:BackSurgery"}
    from rdflib import Graph

    from spinekg.cases.records import read_records

    records = read_records(Graph().parse(example_cases_path()))
    assert answer("36", "oxigraph", profile) == cases(*sorted(
        r.case_id for r in records if classify_procedure(r.procedure, list(r.sites), profile=profile).back_surgery == "yes"))


def test_cli_profile(cli):
    code, out, err = cli("query", "36", "--profile", "thoracolumbar", "--format", "csv")
    assert (code, err) == (0, "spinekg: no --data given: this case question runs over the shipped example cases "
                              "(data/examples/cases.ttl); give --data FILE for your own records\n")
    assert out.splitlines() == ["case"] + [row["case"] for row in
                                           cases("0001", "0003", "0004", "0005", "0006", "0011", "0012", "0019", "0021")]
    code, out, err = cli("query", "04", "--profile", "nope")
    assert (code, out) == (2, "") and err.startswith("spinekg: error: unknown profile 'nope'") and len(err.splitlines()) == 1
    code, _, err = cli("query", "04", "--profile", "missing-profile.ttl")
    assert code == 2 and "missing-profile.ttl: no such profile file" in err


# ---- the site-level questions (06, 08) under a profile: spinekg:backSurgerySite ---------------------------
PROFILES = ["seed", "any-overlap", "thoracolumbar", "whole-site", "whole-back"]
# (question, procedure, site) -> the exact ASK answer, one column per profile in PROFILES order.
SITE_ASKS = {
    # where the profiles differ
    ("08", "SpinalFusion", "MotionSegmentT12L1"):   (False, False, True, False, True),
    ("06", "Discectomy", "DiscT12L1"):              (False, False, True, False, True),
    ("08", "Laminectomy", "VertebraT6"):            (False, False, False, False, True),
    ("06", "Discectomy", "DiscT6T7"):               (False, False, False, False, True),
    # where they agree
    ("06", "AnteriorCervicalDiscectomyAndFusion", "DiscC5C6"): (False,) * 5,
    ("08", "Microdiscectomy", "DiscL4L5"):          (True,) * 5,
    ("08", "SpinalFusion", "MotionSegmentL5S1"):    (True,) * 5,
}


@pytest.fixture(scope="module")
def profile_engines():
    """(engine kind, profile) -> an engine over the released graph under that profile."""
    return {(kind, profile): dataset.runtime_engine(kind, "ontology", None, profile)
            for kind in sparql_engines.ENGINES for profile in PROFILES}


@pytest.mark.parametrize("kind", sparql_engines.ENGINES)
@pytest.mark.parametrize("case", sorted(SITE_ASKS), ids=lambda case: "-".join(case))
def test_site_questions_follow_the_profile(case, kind, profile_engines):
    """Exact answers per profile, on both engines, and each is the runtime composer's answer (source check)."""
    number, procedure, site = case
    params = {"procedure": f"spinekg:{procedure}", "site": f"spinekg:{site}"}
    got = tuple(sparql_engines.run_question(BY_NUMBER[number], profile_engines[(kind, p)], params).boolean for p in PROFILES)
    assert got == SITE_ASKS[case]
    composed = tuple(classify_procedure(procedure, [site], profile=p).back_surgery == "yes" for p in PROFILES)
    assert got == composed


def test_site_questions_equal_the_composer_on_every_pair_and_profile(profile_engines):
    """Source check of 06 and 08 (the same ASK): for every (procedure, anatomy term) the ontology allows,
    under every built-in profile, ASK == classify_procedure(procedure, [site], profile).back_surgery == 'yes'."""
    from spinekg.answer.index import load_index

    index = load_index()
    question = BY_NUMBER["08"]
    assert question.text.split("PREFIX", 1)[1] == BY_NUMBER["06"].text.split("PREFIX", 1)[1]
    for profile in PROFILES:
        engine, tried, disagree = profile_engines[("oxigraph", profile)], 0, []
        for procedure in sorted(index["procedures"]):
            for site in sorted(index["anatomy"]):
                try:
                    composed = classify_procedure(procedure, [site], profile=profile).back_surgery == "yes"
                except SpinekgError:
                    continue  # the ontology excludes this combination
                params = {"procedure": f"spinekg:{procedure}", "site": f"spinekg:{site}"}
                if sparql_engines.run_question(question, engine, params).boolean != composed:
                    disagree.append((procedure, site))
                tried += 1
        assert tried > 10000 and disagree == [], (profile, disagree[:5])


def _site_values(lines) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """spinekg:backSurgerySite values by anatomy term, from N-Triples lines (one value per term)."""
    values: dict[str, str] = {}
    for line in lines:
        subject, predicate, rest = line.split(None, 2)
        if predicate == f"<{namespaces.BACK_SURGERY_SITE}>":
            name = subject[1:-1].removeprefix(namespaces.SPINEKG)
            assert name not in values, name
            values[name] = rest.rsplit(".", 1)[0].strip().strip('"')
    return values


def test_released_site_answers_are_the_seed_overlays():
    """Every anatomy term's released spinekg:backSurgerySite is the seed overlay's answer (HermiT under
    the seed profile): the graph edges.py derives and the profile the runtime composes from cannot drift."""
    released = dataset.require_release_edges().read_text(encoding="utf-8").splitlines()
    assert _site_values(released) == load_overlay("seed")["anatomy"]


@pytest.mark.parametrize("profile", PROFILES)
def test_profile_graph_carries_the_overlays_site_answers(profile):
    """Under a profile every anatomy term has exactly one value, the profile overlay's."""
    lines = dataset.profile_ontology_ntriples(profile).splitlines()
    assert _site_values(lines) == load_overlay(profile)["anatomy"]


def test_cli_profile_site_question(cli):
    params = ["--param", "procedure=spinekg:SpinalFusion", "--param", "site=spinekg:MotionSegmentT12L1"]
    for profile, expected in (("seed", "false\n"), ("thoracolumbar", "true\n")):
        for engine in sparql_engines.ENGINES:
            code, out, err = cli("query", "08", "--profile", profile, "--engine", engine, *params)
            assert (code, out, err) == (0, expected, ""), (profile, engine)


# ---- --data: case records made query-ready ----------------------------------------------------------------
@pytest.mark.parametrize("kind", sparql_engines.ENGINES)
def test_data_files_get_their_derived_verdicts(kind, tmp_path):
    records = generate_records(300, seed=4)
    path = tmp_path / "cases.nt"
    path.write_text(records_to_ntriples(records), encoding="utf-8")
    back = sorted(r.case_id for r in records if classify_procedure(r.procedure, list(r.sites)).back_surgery == "yes")
    assert [row["case"].rsplit("case-", 1)[1] for row in answer("36", kind, data=[path])] == back


# ---- --store: an on-disk Oxigraph store made by spinekg load ----------------------------------------------
@pytest.fixture(scope="module")
def store(tmp_path_factory, cli):
    """Release + example cases, loaded with 'spinekg load --store' (which adds their derived verdicts)."""
    directory = tmp_path_factory.mktemp("store")
    code, out, err = cli("load", "--store", str(directory / "db"), str(example_cases_path()))
    assert code == 0, err
    assert err.startswith("spinekg: derived 84 case-verdict triples for the records in 1 file(s)\n")
    return directory / "db"


def test_loading_the_verdicts_file_again_adds_nothing(tmp_path, cli):
    """A verdicts file written by write_verdicts (or spinekg infer) next to the records is the same triples."""
    verdicts = tmp_path / "example-verdicts.nt"
    assert write_verdicts([example_cases_path()], verdicts) == 84
    db = tmp_path / "db"
    counts = []
    for extra in ([], [str(verdicts)]):
        code, out, err = cli("load", "--store", str(db), str(example_cases_path()), *extra)
        assert code == 0, err
        assert out == ""  # status lines go to stderr
        counts.append(err.splitlines()[-1].split()[2])
    assert counts[0] == counts[1]


def test_every_question_answers_as_expected_from_the_store(store):
    engines = {graph: dataset.store_engine(store, graph) for graph in questions.GRAPHS}
    for question in BY_NUMBER.values():
        assert sparql_engines.run_question(question, engines[question.graph]).display() == question.expected, question.name


def test_cli_store(store, cli):
    code, out, err = cli("query", "37", "--store", str(store), "--format", "json")
    assert (code, err) == (0, "")
    answer = json.loads(out)  # SPARQL 1.1 Query Results JSON, read back into the questions' display form
    variables = answer["head"]["vars"]

    def term(cell):  # type: ignore[no-untyped-def]
        if cell is None:
            return None
        if cell["type"] == "uri":
            return ("iri", cell["value"])
        return ("literal", cell["value"], cell.get("datatype", XSD_STRING), cell.get("xml:lang", ""))

    rows = [{v: display_term(term(b.get(v))) for v in variables} for b in answer["results"]["bindings"]]
    assert rows == BY_NUMBER["37"].expected
    code, out, _ = cli("query", "41", "--store", str(store), "--param", "from=2023-01-01", "--format", "csv")
    assert (code, out) == (0, "from,year,cases\n2023-01-01,2024,8\n")


def test_store_errors(store, tmp_path, cli):
    missing = tmp_path / "nowhere"
    code, out, err = cli("query", "36", "--store", str(missing))
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith(f"spinekg: error: {missing}: no Oxigraph store here")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = cli("query", "04", "--store", str(empty))
    assert code == 2 and f"{empty}: no Oxigraph store here" in err
    code, _, err = cli("query", "36", "--store", str(store), "--data", str(example_cases_path()))
    assert code == 2 and "--store and --data cannot be combined" in err
    code, _, err = cli("query", "36", "--store", str(store), "--profile", "thoracolumbar")
    assert code == 2 and "--profile cannot be combined with --store" in err


def test_store_without_verdicts_or_cases_is_refused(tmp_path, cli):
    """Case records loaded without their derived verdicts: case questions say what to load; ontology
    questions still run. Without case records at all: case questions say so."""
    bare = tmp_path / "bare"
    assert cli("load", "--store", str(bare), "--no-verdicts", str(example_cases_path()))[0] == 0
    with pytest.raises(SpinekgError, match=r"carry no derived verdicts .*without --no-verdicts") as info:
        dataset.store_engine(bare, "cases")
    assert info.value.exit_code == 2
    assert sparql_engines.run_question(BY_NUMBER["04"], dataset.store_engine(bare, "ontology")).display() == BY_NUMBER["04"].expected
    code, out, err = cli("query", "36", "--store", str(bare))
    assert (code, out) == (2, "") and "carry no derived verdicts" in err and len(err.splitlines()) == 1
    ontology_only = tmp_path / "ontology-only"
    assert cli("load", "--store", str(ontology_only))[0] == 0
    with pytest.raises(SpinekgError, match="the store holds no case records"):
        dataset.store_engine(ontology_only, "cases")


def test_store_loaded_before_expected_recovery_is_refused(tmp_path):
    """Verdicts but no spinekg:expectedRecovery (a store an older spinekg filled): reload, says the error."""
    from spinekg.stores import embedded
    from spinekg.cases.case_graph import EXPECTED_RECOVERY
    from spinekg.cases.verdicts import write_verdicts

    verdicts = tmp_path / "verdicts.nt"
    write_verdicts([example_cases_path()], verdicts)
    older = tmp_path / "older.nt"
    older.write_text("".join(line + "\n" for line in verdicts.read_text(encoding="utf-8").splitlines()
                             if EXPECTED_RECOVERY not in line), encoding="utf-8")
    store = tmp_path / "store"
    embedded.load_embedded(store, [embedded.release_file(), example_cases_path(), older])
    with pytest.raises(SpinekgError, match=r"carry no spinekg:expectedRecovery .*load them again") as info:
        dataset.store_engine(store, "cases")
    assert info.value.exit_code == 2
    embedded.load_embedded(store, [embedded.release_file(), example_cases_path(), verdicts])
    engine = dataset.store_engine(store, "cases")
    assert sparql_engines.run_question(BY_NUMBER["32"], engine).display() == BY_NUMBER["32"].expected
