"""Attacks on a real `epkg serve`: memory, the editor, one client hogging the workers.

Each attack gets a 4xx or a clean 503 that says what happened, the service goes on answering
other clients, and the data is the same afterwards. Clients are told apart by their address:
each simulated client connects from its own loopback address (127.0.0.0/8), as distinct
machines would. Timings are not asserted here (benchmarks/fairness.py measures them); what is
asserted is who gets an answer and what it says. The escape and SERVICE attacks are in
tests/test_http_canary.py, odd paths and slow connections in tests/test_http_odd_input.py,
the Host header in tests/test_http_base_url.py.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from .servers import epkg_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SORTED_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"  # holds it all to sort
EDITOR_CONSTRUCT = "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 120000"


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("attacked")
    env = {"EPKG_WORKER_MEMORY": "400", "EPKG_QUEUE_SECONDS": "30"}
    with epkg_server(log_dir, "--workers", "2", "--timeout", "4", env=env) as base:
        yield base, log_dir / "serve.log"


def client_at(base: str, address: str) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=base, transport=transport, timeout=120)


def triples(base: str) -> int:
    answer = httpx.get(f"{base}/sparql", params={"query": f"{COUNT} # {uuid.uuid4()}"}, timeout=60).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_a_query_past_the_memory_cap_is_a_503_and_a_fresh_worker_answers_next(attacked):
    base, log = attacked
    before = triples(base)
    health = httpx.get(f"{base}/health", timeout=30).json()["query_workers"]
    assert health["memory_cap_mb"] == 400 and health["memory_at_start_mb"] < 400
    response = httpx.get(
        f"{base}/sparql", params={"query": f"{SORTED_PRODUCT} # {uuid.uuid4()}"}, timeout=120
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json() == {
        "status": 503,
        "error": "query stopped",
        "message": "the query used more than the 400 MB a query worker may hold and was stopped; the worker "
        "was replaced. Narrow it (a LIMIT, fewer unbound patterns, no ORDER BY over a large result)",
    }
    assert triples(base) == before  # answered by a worker, the data unchanged
    assert "Traceback" not in log.read_text(errors="replace")


def test_the_editor_reads_a_large_answer_in_the_worker_and_shows_its_first_rows(attacked, project):
    from api.store import OxigraphStore

    # The same store as the server's (its named graphs, their union the default graph): which
    # triples the first 120,000 solutions give depends on the order the store finds them in.
    store = OxigraphStore.from_project(project)
    expected = store.execute(EDITOR_CONSTRUCT, "application/n-triples").decode().splitlines()
    base, _ = attacked
    text = f"{EDITOR_CONSTRUCT} # {uuid.uuid4()}"
    page = httpx.get(f"{base}/query", params={"query": text, "lang": "en"}, timeout=120)
    if page.status_code == 503:  # a slow machine: the worker was stopped at the time limit
        assert "time limit" in page.text
        return
    assert page.status_code == 200, page.text[:300]
    assert f'class="summary">{len(expected)} rows; the first 500 are shown' in page.text
    assert page.text.count("<tr>") == 500 + 1  # the header and the first 500 triples


def test_one_client_hogging_the_workers_leaves_a_worker_to_another(attacked):
    """A hog keeps 8 heavy, uncached queries in flight from one address; a bystander at another
    address asks ten trivial, uncached questions one after another. Every bystander question is
    answered; every hog query ends with its answer, the time limit's 503, a busy 503 or a 429."""
    base, log = attacked
    before = triples(base)

    async def scenario():
        hog_statuses: list[tuple[int, str]] = []
        bystander_statuses: list[int] = []
        done = asyncio.Event()

        async def hog_loop(client: httpx.AsyncClient) -> None:
            while not done.is_set():
                response = await client.get("/sparql", params={"query": f"{CARTESIAN} # {uuid.uuid4()}"})
                message = response.json().get("message", "") if response.status_code != 200 else ""
                hog_statuses.append((response.status_code, message))

        async with client_at(base, "127.0.0.66") as hog, client_at(base, "127.0.0.77") as bystander:
            hogs = [asyncio.create_task(hog_loop(hog)) for _ in range(8)]
            await asyncio.sleep(1.0)  # the hog holds its share of the workers
            for _ in range(10):
                query = f"SELECT ?x WHERE {{ BIND(1 AS ?x) }} # {uuid.uuid4()}"
                response = await bystander.get("/sparql", params={"query": query})
                bystander_statuses.append(response.status_code)
            done.set()
            await asyncio.gather(*hogs)
        return hog_statuses, bystander_statuses

    hog_statuses, bystander_statuses = asyncio.run(scenario())
    assert bystander_statuses == [200] * 10
    allowed = ("the query ran past its time limit", "the service is busy", "this client already has")
    assert all(
        status == 200 or (status in (429, 503) and message.startswith(allowed))
        for status, message in hog_statuses
    ), sorted(set(hog_statuses))
    assert any(status == 503 for status, _ in hog_statuses)  # the hog's work was really heavy
    assert triples(base) == before
    assert "Traceback" not in log.read_text(errors="replace")
