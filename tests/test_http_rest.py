"""The REST routes against a real server: whole answers, equal to the catalogue's in process."""

from __future__ import annotations

import csv
import io
from collections import Counter
from urllib.parse import quote

import pytest

from api.answers import items, rows
from api.graph import BASE
from api.store import open_store


@pytest.fixture(scope="module")
def in_process(project, catalogue):
    store = open_store("oxigraph", project)

    def run(name: str, **params: str):
        question = catalogue[name]
        return store.select(question.render(question.bind(params)))

    return run


def test_catalogue_lists_every_question(client, catalogue):
    listed = client.get("/api/queries").json()["questions"]
    assert [q["name"] for q in listed] == list(catalogue)
    assert all(q["route"] == f"/api/queries/{q['name']}" for q in listed)


def test_every_question_is_a_route_with_the_catalogue_answer(client, catalogue, in_process, live_server):
    for name, question in catalogue.items():
        params = question.example_params()
        response = client.get(f"/api/queries/{name}", params={**params, "limit": 100_000})
        assert response.status_code == 200, (name, response.text)
        body = response.json()
        expected = rows(in_process(name, **params))
        assert body["items"] == expected, name
        assert body["total"] == len(expected)
        assert body["sparql"].count("VALUES") >= (1 if params else 0)
        # Under the configured base: the listening address, as EPKG_BASE_URL is not set.
        assert body["sparql_url"] == f"{live_server}/sparql?query={quote(body['sparql'])}"
        rerun = client.get(body["sparql_url"])
        assert rerun.status_code == 200 and len(rerun.json()["results"]["bindings"]) == len(expected), name


def _goal_items(client, year, number, **params):
    response = client.get(f"/api/minister-goals/{year}/{number}/answers", params={**params, "limit": 1000})
    assert response.status_code == 200, response.text
    return response.json()


def _key(item):
    return (item["resource"].removeprefix(BASE), item["basis"].rsplit("/", 1)[1],
            item["specificity"].rsplit("/", 1)[1])


@pytest.mark.parametrize("year,number", [("2017", "4"), ("2019", "3")])
def test_goal_answer_is_one_item_per_link_with_its_citations(client, in_process, year, number):
    body = _goal_items(client, year, number)
    expected = items(in_process("serving-goal", year=year, number=number), "link")
    assert Counter(_key(i) for i in body["items"]) == Counter(_key(i) for i in expected)
    assert body["total"] == len(expected) == len({i["link"] for i in body["items"]})
    cited = rows(in_process("serving-goal-citations", year=year, number=number))
    for item in body["items"]:
        mine = [{k: r[k] for k in ("passage", "document", "section", "quote")} for r in cited if r["link"] == item["link"]]
        assert item["citations"] == list({str(c): c for c in mine}.values()), item["link"]
        assert item["citations"], f"{item['link']} has no citation"
        assert set(item["label"]) == {"da", "en"}
    # Direct links come first.
    kinds = [i["specificity"].rsplit("/", 1)[1] for i in body["items"]]
    assert kinds == sorted(kinds, key=lambda k: k != "direct")


def test_goal_2017_4_direct_links_are_about_refugees(client):
    body = _goal_items(client, "2017", "4", specificity="direct")
    resources = {i["resource"].removeprefix(BASE) for i in body["items"]}
    municipalities = {i["municipality_name"]["da"] for i in body["items"]}
    assert municipalities == {"Slagelse Kommune", "Hedensted Kommune", "Sønderborg Kommune"}
    assert "measure/slagelse-2017/3-1-3" in resources
    assert "measure/hedensted-2017/integration-sprogundervisning" in resources
    # No sick-leave, A-kasse or company-only measure at any specificity.
    everything = {i["resource"].removeprefix(BASE) for i in _goal_items(client, "2017", "4")["items"]}
    assert not everything & {"measure/slagelse-2017/3-1-4", "measure/slagelse-2017/3-4-1"}


def test_goal_filters(client):
    all_items = _goal_items(client, "2017", "4")["items"]
    for name, values in (("basis", ("stated", "derived", "curated")), ("specificity", ("direct", "via-group"))):
        split = [_goal_items(client, "2017", "4", **{name: v})["items"] for v in values]
        assert sum(len(s) for s in split) == len(all_items)
        for value, part in zip(values, split, strict=True):
            assert all(i[name].endswith("/" + value) for i in part)
    slagelse = _goal_items(client, "2017", "4", municipality="330")["items"]
    assert slagelse and {i["municipality"] for i in slagelse} == {"330"}


def test_goal_number_without_year_is_grouped_by_year(client):
    body = client.get("/api/minister-goals/4/answers").json()
    assert [y["year"] for y in body["years"]] == ["2017", "2019"]
    assert "different goal" in body["note"]
    assert body["years"][0]["statement"] != body["years"][1]["statement"]


def test_friendly_routes(client):
    goals = client.get("/api/minister-goals", params={"year": "2019"}).json()
    assert [g["number"] for g in goals["items"]] == [1, 2, 3, 4, 5, 6, 7]
    assert set(goals["items"][0]["statement"]) == {"da", "en"}
    lineage = client.get("/api/goal-lineages/refugees-self-supporting").json()
    assert [(i["year"], i["number"]) for i in lineage["items"]] == [("2017", 4), ("2019", 3)]
    municipalities = client.get("/api/municipalities").json()
    assert {i["municipality"] for i in municipalities["items"]} == {"330", "390", "540", "766"}
    one = client.get("/api/municipalities/540").json()
    assert one["total"] == 1 and one["items"][0]["name"] == {"da": "Sønderborg Kommune", "en": "Sønderborg Municipality"}
    plan = client.get("/api/plans/vordingborg-2019").json()
    assert plan["total"] > 50
    for path, params in (("/api/measures", {"target_group": "sygedagpenge"}), ("/api/targets", {"municipality": "540"}),
                         ("/api/projects", {"active_on": "2019-06-01"}), ("/api/search", {"q": "sonderborg"}),
                         ("/api/coverage", {"year": "2017"})):
        response = client.get(path, params=params)
        assert response.status_code == 200 and response.json()["total"] > 0, path


def test_paging_and_csv(client):
    whole = client.get("/api/minister-goals").json()
    page = client.get("/api/minister-goals", params={"limit": 3, "offset": 2}).json()
    assert page["total"] == whole["total"] == 11
    assert page["items"] == whole["items"][2:5]
    response = client.get("/api/minister-goals", params={"format": "csv", "limit": 3})
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.text)))
    assert table[0][:3] == ["goal", "year", "number"] and len(table) == 4
    assert response.headers["x-total-count"] == "11"
    assert client.get("/api/minister-goals", headers={"Accept": "text/csv"}).headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize("path,params,words", [
    ("/api/minister-goals", {"year": "20x7"}, "parameter 'year'"),
    ("/api/minister-goals", {"colour": "red"}, "parameter 'colour'"),
    ("/api/minister-goals/2017/four/answers", {}, "parameter 'number'"),
    ("/api/minister-goals/2017/4/answers", {"specificity": "vague"}, "parameter 'specificity'"),
    ("/api/minister-goals/2017/4/answers", {"basis": "hearsay"}, "parameter 'basis'"),
    ("/api/queries/goal-coverage", {}, "parameter 'year'"),
    ("/api/minister-goals", {"limit": "0"}, "parameter 'limit'"),
    ("/api/minister-goals", {"offset": "-1"}, "parameter 'offset'"),
    ("/api/minister-goals", {"format": "xml"}, "parameter 'format'"),
    ("/api/search", {"q": "x" * 500}, "parameter 'text'"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, path, params, words):
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert words in response.json()["message"]


@pytest.mark.parametrize("path", ["/api/queries/no-such-question", "/api/municipalities/999",
                                  "/api/goal-lineages/nothing", "/api/plans/nowhere-2017", "/api/minister-goals/99/answers"])
def test_unknown_things_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.json()["message"]


def test_openapi_and_health(client, catalogue):
    spec = client.get("/openapi.json").json()
    operations = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"sparqlGet", "sparqlPost", "listQuestions", "goalAnswers", "health", "describeResource"} <= operations
    assert {f"/api/queries/{name}" for name in catalogue} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200
    health = client.get("/health").json()
    assert health["status"] == "ok" and "pyoxigraph" in health["store"]


def test_an_unknown_goal_is_a_404_that_names_the_goals(client):
    for path in ("/api/minister-goals/2030/4/answers", "/api/minister-goals/2017/99/answers"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["message"].endswith(
            "the goals are (year: numbers) 2017: 1, 2, 3, 4; 2019: 1, 2, 3, 4, 5, 6, 7"
        )


def test_the_old_measures_paths_redirect_to_the_answers(client):
    old = client.get("/api/minister-goals/2017/4/measures", params={"specificity": "direct"}, follow_redirects=False)
    assert old.status_code == 308
    assert old.headers["location"] == "/api/minister-goals/2017/4/answers?specificity=direct"
    assert client.get("/api/minister-goals/4/measures", follow_redirects=False).headers["location"] == (
        "/api/minister-goals/4/answers"
    )
    followed = client.get(
        "/api/minister-goals/2017/4/measures", params={"specificity": "direct"}, follow_redirects=True
    )
    assert followed.json()["items"] == client.get(
        "/api/minister-goals/2017/4/answers", params={"specificity": "direct"}
    ).json()["items"]


def test_kind_asks_for_one_kind_of_resource_only(client):
    every = client.get("/api/minister-goals/2017/4/answers", params={"limit": 1000}).json()["items"]
    measures = client.get("/api/minister-goals/2017/4/answers", params={"limit": 1000, "kind": "measure"}).json()
    measure_kinds = {BASE + "ontology#" + k for k in ("Measure", "Project", "Offer")}
    assert [i["link"] for i in measures["items"]] == [i["link"] for i in every if i["kind"] in measure_kinds]
    assert 0 < measures["total"] < len(every)
    bad = client.get("/api/minister-goals/2017/4/answers", params={"kind": "unicorn"})
    assert bad.status_code == 400 and "parameter 'kind'" in bad.json()["message"]
