"""`epkg serve --endpoint`: the same API answering from a real SPARQL server.

Three real `epkg serve` processes on 127.0.0.1: one on the embedded store, one on an Oxigraph
server and one on Virtuoso (both loaded by `epkg load`'s code, one named graph per document).
The REST routes, /sparql and /health must answer from the servers as they do embedded; a dead
store must be a 503 with a message, never a hang or a 500.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from api.publish import load
from api.routes.questions import FRIENDLY

from .canary import canary_url, escape_variants, variants
from .servers import epkg_server, oxigraph_process, virtuoso_process

GOAL_LINEAGE = (
    "PREFIX epkg: <https://w3id.org/epkg/ontology#> "
    "SELECT ?goal ?year ?number WHERE { ?goal a epkg:MinisterGoal ; epkg:goalYear ?year ; epkg:goalNumber ?number } "
    "ORDER BY ?year ?number"
)
GOAL_GRAPH = (
    "PREFIX epkg: <https://w3id.org/epkg/ontology#> "
    'CONSTRUCT { ?goal ?p ?o } WHERE { ?goal a epkg:MinisterGoal ; epkg:goalYear "2017"^^<http://www.w3.org/2001/XMLSchema#gYear> ; ?p ?o }'
)


@pytest.fixture(scope="module")
def oxigraph_store(project):
    with oxigraph_process(None, union_default_graph=True) as server:
        load(project, server.query_endpoint, server.graph_store, check=False)
        yield server


@pytest.fixture(scope="module")
def virtuoso_store(project, tmp_path_factory):
    with virtuoso_process(tmp_path_factory.mktemp("virtuoso-serve")) as server:
        load(project, server.query_endpoint, server.graph_store, user="dba", password="dba", check=False)
        yield server


@pytest.fixture(scope="module")
def services(tmp_path_factory, oxigraph_store, virtuoso_store):
    """Base URLs of epkg serve: embedded, on the Oxigraph server, on Virtuoso (two workers each)."""
    logs = {name: tmp_path_factory.mktemp(f"serve-{name}") for name in ("embedded", "oxigraph", "virtuoso")}
    with (
        epkg_server(logs["embedded"], "--workers", "2") as embedded,
        epkg_server(
            logs["oxigraph"], "--workers", "2", "--endpoint", oxigraph_store.query_endpoint
        ) as oxigraph,
        epkg_server(
            logs["virtuoso"], "--workers", "2", "--endpoint", virtuoso_store.query_endpoint
        ) as virtuoso,
    ):
        yield {"embedded": embedded, "oxigraph": oxigraph, "virtuoso": virtuoso}


def get(base: str, path: str, **params) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=60)


def items_of(response: httpx.Response) -> list[str]:
    """The answer's items as sorted JSON text; for a route grouped by year, each year's items."""
    assert response.status_code == 200, response.text
    body = response.json()
    if "years" in body:
        return [
            f"{year['year']} {item}"
            for year in body["years"]
            for item in sorted(json.dumps(i, sort_keys=True) for i in year["items"])
        ]
    return sorted(json.dumps(item, sort_keys=True) for item in body["items"])


def test_health_names_the_remote_store(services, oxigraph_store, virtuoso_store):
    for name, endpoint in (
        ("oxigraph", oxigraph_store.query_endpoint),
        ("virtuoso", virtuoso_store.query_endpoint),
    ):
        health = get(services[name], "/health")
        assert health.status_code == 200
        assert health.json()["backend"] == "remote"
        assert endpoint in health.json()["store"]
    assert get(services["embedded"], "/health").json()["backend"] == "oxigraph"


def test_every_question_route_answers_from_the_servers_as_embedded(services, catalogue):
    for name, question in catalogue.items():
        params = {**question.example_params(), "limit": 100_000}
        expected = items_of(get(services["embedded"], f"/api/queries/{name}", **params))
        # plan-goal-gaps: every shipped plan answers every goal of its years, so it is compared empty.
        assert expected or name == "plan-goal-gaps", name
        assert items_of(get(services["oxigraph"], f"/api/queries/{name}", **params)) == expected, name
        assert items_of(get(services["virtuoso"], f"/api/queries/{name}", **params)) == expected, name


def friendly_requests(catalogue) -> list[tuple[str, dict[str, str]]]:
    """Every friendly route, with its question's example values in its path and query."""
    requests = []
    for route in FRIENDLY:
        example = catalogue[route.question].example_params()
        path = route.path
        for name, parameter in route.path_params.items():
            path = path.replace(
                f"{{{name}}}", example[parameter].removeprefix(route.path_prefix.get(name, ""))
            )
        requests.append(("/api" + path, {r: example[q] for r, q in route.query.items() if q in example}))
    for year, number, municipality in (("2017", "4", "766"), ("2019", "3", "390"), ("2017", "2", "330")):
        path = f"/api/minister-goals/{year}/{number}/answers"
        requests += [(path, {}), (path, {"specificity": "direct", "municipality": municipality})]
    requests.append(("/api/minister-goals/4/answers", {}))
    return requests


def test_every_friendly_route_answers_from_both_servers_as_embedded(services, catalogue):
    requests = friendly_requests(catalogue)
    assert len(requests) == len(FRIENDLY) + 7
    for path, params in requests:
        expected = items_of(get(services["embedded"], path, **params, limit=1000))
        assert expected, (path, params)
        for server in ("oxigraph", "virtuoso"):
            assert items_of(get(services[server], path, **params, limit=1000)) == expected, (
                server,
                path,
                params,
            )


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "text/csv", "application/sparql-results+xml"]
)
def test_sparql_select_is_the_same_bytes_from_every_store(services, accept):
    answers = {
        name: httpx.post(
            base + "/sparql", data={"query": GOAL_LINEAGE}, headers={"Accept": accept}, timeout=60
        )
        for name, base in services.items()
    }
    assert {name: a.status_code for name, a in answers.items()} == dict.fromkeys(services, 200)
    assert answers["oxigraph"].content == answers["embedded"].content
    assert answers["virtuoso"].content == answers["embedded"].content


def test_sparql_construct_and_ask_are_the_same_from_every_store(services):
    graphs = {}
    for name, base in services.items():
        response = httpx.get(
            base + "/sparql", params={"query": GOAL_GRAPH}, headers={"Accept": "text/turtle"}
        )
        assert response.status_code == 200, response.text
        graphs[name] = Graph().parse(data=response.text, format="turtle")
        ask = httpx.get(
            base + "/sparql",
            params={"query": "ASK { <https://w3id.org/epkg/minister-goal/2019/7> ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert ask.json() == {"head": {}, "boolean": True}, name
    assert len(graphs["embedded"]) > 30
    assert isomorphic(graphs["oxigraph"], graphs["embedded"])
    assert isomorphic(graphs["virtuoso"], graphs["embedded"])


def test_the_guard_applies_unchanged_on_a_remote_store(services):
    for base in (services["oxigraph"], services["virtuoso"]):
        update = httpx.post(base + "/sparql", data={"update": "DROP ALL"}, timeout=30)
        assert 400 <= update.status_code < 500
        service_call = httpx.get(
            base + "/sparql",
            params={"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"},
        )
        assert service_call.status_code == 400 and "SERVICE" in service_call.text


def test_no_escape_trick_reaches_out_through_a_remote_store(services, canary):
    """On a remote store the guard is the only layer (docs/deploy.md): the escape class is refused."""
    url = canary_url(canary)
    before = canary.connections
    for base in (services["oxigraph"], services["virtuoso"]):
        for name, text in escape_variants(url).items():
            response = httpx.get(base + "/sparql", params={"query": text}, timeout=30)
            assert response.status_code == 400, (base, name, response.text[:200])
    assert canary.connections == before


def test_what_the_stores_themselves_do_with_service_and_from(oxigraph_store, virtuoso_store, canary):
    """Sent straight to the stores, bypassing epkg: Virtuoso as Debian installs it lets its anonymous
    SPARQL user neither call SERVICE nor fetch FROM (no SPARQL_SELECT_FED or SPARQL_SPONGE role),
    while the Oxigraph server calls out for SERVICE and has no setting against it, which is why
    docs/deploy.md runs it without a route out."""
    url = canary_url(canary)
    calls = {name: text for name, text in variants(url).items() if not name.startswith("load")}
    before = canary.connections
    for text in calls.values():
        httpx.get(virtuoso_store.query_endpoint, params={"query": text}, timeout=30)
    assert canary.connections == before
    httpx.get(oxigraph_store.query_endpoint, params={"query": calls["service-iri"]}, timeout=30)
    assert canary.connections == before + 1


@pytest.fixture(scope="module")
def dead_store_service(project, tmp_path_factory):
    """epkg serve on an Oxigraph server that answered once and then died (SIGKILL)."""
    with oxigraph_process(None, union_default_graph=True) as store:
        load(project, store.query_endpoint, store.graph_store, check=False)
        logs = tmp_path_factory.mktemp("serve-dead-store")
        with epkg_server(logs, "--workers", "1", "--endpoint", store.query_endpoint) as base:
            alive = get(base, "/api/queries/goal-lineage", year="2019", number="3")
            assert alive.status_code == 200 and alive.json()["total"] == 2
            store.kill()
            yield base, store.query_endpoint


def test_a_dead_store_is_a_503_with_a_message(dead_store_service):
    base, endpoint = dead_store_service
    started = time.monotonic()
    # Not the question just asked: its answer may be cached.
    dead = get(base, "/api/queries/goal-lineage", year="2017", number="4")
    assert time.monotonic() - started < 10
    assert dead.status_code == 503, dead.text
    assert dead.headers.get("retry-after") == "1"
    assert (
        dead.json()["message"]
        == f"the SPARQL store {endpoint} did not answer: connection refused (is the server running?)"
    )
    sparql = httpx.post(base + "/sparql", data={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert sparql.status_code == 503 and "did not answer" in sparql.json()["message"]


def test_health_says_the_store_is_dead(dead_store_service):
    base, endpoint = dead_store_service
    health = get(base, "/health")
    assert health.status_code == 503, health.text
    assert endpoint in health.text and "did not answer" in health.text


def test_a_runaway_query_on_virtuoso_stops_at_the_time_limit_and_the_workers_go_on(virtuoso_store, tmp_path):
    # Minutes of work: the FILTER makes Virtuoso look at every pair (a bare COUNT of a product it may
    # compute from counts, in milliseconds).
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER (STR(?c) < STR(?f)) }"
    with epkg_server(
        tmp_path, "--workers", "2", "--timeout", "2", "--endpoint", virtuoso_store.query_endpoint
    ) as base:
        started = time.monotonic()
        stopped = httpx.post(base + "/sparql", data={"query": runaway}, timeout=30)
        assert time.monotonic() - started < 2 + 5
        assert stopped.status_code == 503, stopped.text
        # The pool's limit or Virtuoso's (the same 2 s, passed in its timeout parameter) stops it.
        message = stopped.json()["message"]
        assert "time limit" in message or "partial answer (x-sql-state: S1TAT)" in message, message
        after = get(base, "/api/queries/goal-lineage", year="2019", number="3")
        assert after.status_code == 200 and after.json()["total"] == 2


@pytest.mark.parametrize(
    "path", ["minister-goal/2017/4", "measure/slagelse-2017/3-1-2", "plan/vordingborg-2019"]
)
def test_a_resource_is_described_the_same_from_every_store(services, path):
    graphs = {}
    for name, base in services.items():
        response = httpx.get(f"{base}/{path}", headers={"Accept": "text/turtle"}, timeout=60)
        assert response.status_code == 200, (name, response.text)
        graphs[name] = Graph().parse(data=response.text, format="turtle")
    assert len(graphs["embedded"]) > 10
    assert isomorphic(graphs["oxigraph"], graphs["embedded"])
    assert isomorphic(graphs["virtuoso"], graphs["embedded"])
