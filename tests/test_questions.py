"""Every question of the catalogue, with its expected answer on the shipped data.

Answers are checked on the embedded default store; tests/test_catalogue.py checks that
rdflib and a real Oxigraph server give the same rows for every question.
"""

from __future__ import annotations

import pytest

from api.graph import BASE
from api.store import open_store


@pytest.fixture(scope="module")
def ask_question(project, catalogue):
    store = open_store("oxigraph", project)

    def run(name: str, **params: str) -> list[dict[str, str]]:
        question = catalogue[name]
        table = store.select(question.render(question.bind(params)))
        return [{k: str(v).removeprefix(BASE) for k, v in row.items()} for row in table.records()]

    return run


def column(rows, name) -> list[str]:
    return [row.get(name, "") for row in rows]


SLAGELSE_SECTION_3 = {f"measure/slagelse-2017/3-{s}-{b}" for s, n in ((1, 4), (2, 3), (3, 3), (4, 3)) for b in range(1, n + 1)}


def test_measures_serving_2017_goal_4_in_slagelse(ask_question):
    rows = ask_question("measures-serving-goal", year="2017", number="4", municipality="330")
    # Every measure for "Borgere tæt på arbejdsmarkedet", whose table row names the refugee goal.
    assert set(column(rows, "measure")) == SLAGELSE_SECTION_3
    assert set(column(rows, "basis")) == {"scheme/basis/derived"}
    assert set(column(rows, "rule")) == {"rule/measure-of-mapped-target-group"}
    assert all(row["quote"] and row["document"] == "plan/slagelse-2017" for row in rows)
    # The 3.1 bullet on an earlier company-oriented effort for refugees is among them.
    refugee_rows = [r for r in rows if r["measure"] == "measure/slagelse-2017/3-1-2"]
    assert any("flygtninge" in r["quote"] for r in refugee_rows)


def test_measures_serving_2019_goal_5_is_the_stated_control_group(ask_question):
    rows = ask_question("measures-serving-goal", year="2019", number="5")
    assert {(r["measure"], r["basis"]) for r in rows} == {("measure/vordingborg-2019/4-kontrolgruppe", "scheme/basis/stated")}
    assert "kontrolgruppen" in rows[0]["quote"]


def test_goal_4_means_different_goals_in_2017_and_2019(ask_question):
    in_2017 = {r["measure"].split("/")[1] for r in ask_question("measures-serving-goal", year="2017", number="4")}
    in_2019 = {r["measure"].split("/")[1] for r in ask_question("measures-serving-goal", year="2019", number="4")}
    assert in_2017 == {"slagelse-2017", "hedensted-2017"}
    assert in_2019 == {"vordingborg-2019"}


def test_filter_by_basis(ask_question):
    curated = ask_question("measures-serving-goal", year="2017", number="1", basis="curated")
    assert {r["measure"].split("/")[1] for r in curated} == {"hedensted-2017", "sonderborg-2016-2018"}
    assert all(r["rationale"] for r in curated)


def test_the_2017_coverage_matrix(ask_question):
    rows = ask_question("goal-coverage", year="2017")
    matrix = {(r["number"], r["municipality"]): (r["measures"], r["stated"], r["derived"], r["curated"]) for r in rows}
    assert matrix == {
        ("1", "330"): ("12", "0", "12", "0"), ("1", "540"): ("3", "0", "0", "3"), ("1", "766"): ("14", "0", "10", "4"),
        ("2", "330"): ("13", "0", "13", "0"), ("2", "540"): ("2", "0", "0", "2"), ("2", "766"): ("7", "0", "7", "0"),
        ("3", "330"): ("24", "0", "24", "0"), ("3", "540"): ("1", "0", "0", "1"), ("3", "766"): ("12", "0", "9", "3"),
        ("4", "330"): ("13", "0", "13", "0"), ("4", "540"): ("0", "0", "0", "0"), ("4", "766"): ("6", "0", "6", "0"),
    }


def test_the_2019_coverage_matrix_has_every_goal_served_in_vordingborg(ask_question):
    rows = ask_question("goal-coverage", year="2019")
    assert [(r["number"], r["municipality"], r["measures"], r["stated"]) for r in rows] == [
        ("1", "390", "13", "0"), ("2", "390", "17", "0"), ("3", "390", "9", "0"), ("4", "390", "13", "0"),
        ("5", "390", "1", "1"), ("6", "390", "24", "0"), ("7", "390", "6", "0"),
    ]


def test_plan_goal_gaps(ask_question):
    assert [(r["plan"], r["number"]) for r in ask_question("plan-goal-gaps", year="2017")] == [
        ("plan/sonderborg-2016-2018", "4"),
    ]
    assert ask_question("plan-goal-gaps", year="2019") == []


def test_one_goal_across_years(ask_question):
    rows = ask_question("goal-lineage", year="2019", number="3")
    assert [(r["edition_year"], r["edition_number"], r.get("continues", "")) for r in rows] == [
        ("2017", "4", ""), ("2019", "3", "minister-goal/2017/4"),
    ]
    assert rows[0]["statement"] == "Flere flygtninge og familiesammenførte skal være selvforsørgende"
    assert rows[1]["continuity"] == "scheme/continuity/continued"
    # The same lineage is found from the other end.
    assert column(ask_question("goal-lineage", year="2017", number="4"), "edition_number") == ["4", "3"]


def test_measures_for_a_target_group_include_narrower_and_mapped_groups(ask_question):
    rows = ask_question("measures-for-target-group", group="sygedagpenge", municipality="390")
    assert {r["measure"] for r in rows} == {
        "measure/vordingborg-2019/5-1-sygedagpenge-afklaring-og-virksomhedsrettede-tilbud",
        "measure/vordingborg-2019/5-1-sygedagpenge-refusion",
        "measure/vordingborg-2019/5-1-sygedagpenge-rehabiliteringsteam",
        "measure/vordingborg-2019/5-1-sygedagpengeopfoelgning",
        "measure/vordingborg-2019/7-4-ressourceforloeb-og-jobafklaring",
        "project/vordingborg-2019/borgere-paa-sygedagpenge",
        "project/vordingborg-2019/kulturstyrke",
        "project/vordingborg-2019/mentor-og-virksomhedskonsulent-forsoeg",
        "project/vordingborg-2019/stuegang",
        "project/vordingborg-2019/team-tidlig-indsats",
    }
    # Sick people in general is broader than sickness benefit: Hedensted's sick-leave offers count there.
    broader = {r["measure"] for r in ask_question("measures-for-target-group", group="sygemeldte", municipality="766")}
    assert "offer/hedensted-2017/fastholdelsesteamet" in broader or any("hedensted-2017" in m for m in broader)


def test_sonderborg_targets_due_by_the_end_of_q2_2016(ask_question):
    rows = ask_question("quantified-targets", municipality="540", due_to="2016-06-30")
    assert {r["target"] for r in rows} == {
        "target/sonderborg-2016-2018/ressourceforloeb-2",
        "target/sonderborg-2016-2018/uddannelseshjaelp-6",
        "target/sonderborg-2016-2018/kontanthjaelp-4",
        "target/sonderborg-2016-2018/ledighedsydelse-og-fleksjob-3",
        "target/sonderborg-2016-2018/ledighedsydelse-og-fleksjob-3-fleksjob",
        "target/sonderborg-2016-2018/ledighedsydelse-og-fleksjob-3-praktikpladser",
        "target/sonderborg-2016-2018/uddannelseshjaelp-3",
    }
    assert all(r["deadline"] <= "2016-06-30" for r in rows)


def test_targets_by_unit_and_deadline_range(ask_question):
    rows = ask_question("quantified-targets", municipality="390", due_from="2020-01-01", due_to="2020-12-31")
    assert rows and all(r["deadline"].startswith("2020") for r in rows)
    percent = ask_question("quantified-targets", municipality="766", unit="percent")
    assert percent and all(r["target_unit"] == "scheme/unit/percent" for r in percent)


def test_projects_active_on_1_june_2019_and_their_funders(ask_question):
    rows = ask_question("projects", active_on="2019-06-01")
    assert {(r["project"], r.get("funded_by", "")) for r in rows} == {
        ("project/vordingborg-2019/ansvar-for-eget-liv", "organisation/ap-moller-fonden"),
        ("project/vordingborg-2019/arbejdskraft-til-storstromsbroen", ""),
        ("project/vordingborg-2019/borgere-paa-sygedagpenge", "municipality/390"),
        ("project/vordingborg-2019/jobparate-borgere-paa-kontanthjaelp", "municipality/390"),
        ("project/vordingborg-2019/kulturstyrke", "organisation/sundhedsstyrelsen"),
        ("project/vordingborg-2019/unge-paa-uddannelseshjaelp", "municipality/390"),
    }
    # Kulturstyrke ended on 30 June 2019.
    assert "project/vordingborg-2019/kulturstyrke" not in column(ask_question("projects", active_on="2019-07-01"), "project")


def test_projects_by_funder_and_by_partner(ask_question):
    assert column(ask_question("projects", funder="organisation/sundhedsstyrelsen"), "project") == [
        "project/vordingborg-2019/kulturstyrke"]
    assert column(ask_question("projects", partner="municipality/376"), "project") == [
        "project/vordingborg-2019/arbejdskraft-til-storstromsbroen"]


def test_everything_a_plan_contains_by_section(ask_question):
    rows = ask_question("plan-contents", document="plan/slagelse-2017")
    kinds = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    assert kinds["measure"] == 49
    assert kinds["main track"] == 4
    sections = [r.get("section", "") for r in rows if r["kind"] == "measure"]
    assert sections == sorted(sections) and sections[0] == "2.1" and sections[-1] == "5.4"


def test_text_search_is_case_and_accent_insensitive(ask_question):
    found = set(column(ask_question("search", text="sonderborg"), "resource"))
    assert "municipality/540" in found and "plan/sonderborg-2016-2018" in found
    assert set(column(ask_question("search", text="SØNDERBORG"), "resource")) == found
    nyttejob = set(column(ask_question("search", text="nyttejob"), "resource"))
    assert "measure/slagelse-2015-jobfokus/nyttejob" in nyttejob
    assert ask_question("search", text="no such words in any plan") == []


def test_provenance_of_a_goal_lists_its_passages(ask_question):
    rows = ask_question("provenance", resource="minister-goal/2019/7")
    assert {(r["role"], r["passage"]) for r in rows} == {
        ("cited by the resource", "passage/vordingborg-2019/sec4-goal-7"),
        ("cited by the resource", "passage/vordingborg-2019/bilag4-seventh-goal"),
        ("cited for its number", "passage/vordingborg-2019/bilag4-seventh-goal"),
        ("cited for its number", "passage/vordingborg-2019/sec4-disability-initiative"),
    }
    assert all(r["document"] == "plan/vordingborg-2019" and r["quote"] for r in rows)


def test_provenance_of_a_stated_goal_link_is_shown_with_the_measure(ask_question):
    rows = ask_question("provenance", resource="measure/vordingborg-2019/4-kontrolgruppe")
    assert "cited by its goal link" in column(rows, "role")


def test_organisations_and_what_they_take_part_in(ask_question):
    rows = ask_question("organisation-involvement", organisation="organisation/a-kasser")
    assert {(r["role"].rsplit("#", 1)[-1], r["thing"]) for r in rows} == {
        ("partner", "measure/hedensted-2017/samarbejdsaftaler-a-kasser"),
        ("partner", "measure/slagelse-2017/3-4-1"),
        ("partner", "measure/vordingborg-2019/5-1-arbejdsmarkedsparate-faelles-samtaler"),
    }
    funders = {r["organisation"] for r in ask_question("organisation-involvement") if r["role"].endswith("#funder")}
    assert {"organisation/ap-moller-fonden", "organisation/sundhedsstyrelsen"} <= funders


def test_two_municipalities_side_by_side_on_2017_goal_2(ask_question):
    rows = ask_question("compare-municipalities-on-goal", year="2017", number="2", first="330", second="766")
    totals = {r["municipality"]: r["total"] for r in rows}
    assert totals == {"330": "13", "766": "7"}
    assert {r["measure"] for r in rows if r["municipality"] == "330"} == {
        m.replace("/3-", "/4-") for m in SLAGELSE_SECTION_3}
