"""The worker pool: a time limit that kills, a crash that costs one call, a cache dropped on reload."""

from __future__ import annotations

import asyncio
import time

import pytest

from api import execution
from api.errors import QueryTimeout, ServiceError
from api.service import AnswerCache, Service
from api.settings import Settings


@pytest.fixture(scope="module")
def pool(project):
    workers = execution.WorkerPool(execution.StoreSpec("oxigraph", project.home), workers=1)
    workers.warm_up()
    yield workers
    workers.close()


def test_time_limit_kills_the_worker_and_the_next_call_is_served(pool):
    async def scenario():
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="time limit of 1 s"):
            await pool.call(execution._sleep, 30, timeout=1)
        stopped = time.monotonic() - started
        answer = await pool.call(
            execution._execute, "ASK { ?s ?p ?o }", "application/sparql-results+json", timeout=10
        )
        return stopped, answer

    stopped, answer = asyncio.run(scenario())
    assert stopped < 2
    assert answer == b'{"head":{},"boolean":true}'


def test_a_crash_costs_one_call(pool):
    async def scenario():
        with pytest.raises(ServiceError, match="crashed the engine"):
            await pool.call(execution._crash, timeout=10)
        return await pool.call(
            execution._execute, "ASK { ?s ?p ?o }", "application/sparql-results+json", timeout=10
        )

    assert asyncio.run(scenario()) == b'{"head":{},"boolean":true}'


def test_cache_is_bounded_and_dropped_on_reload(project):
    cache = AnswerCache(max_bytes=100)
    cache.put(("a",), "x", 20)
    cache.put(("b",), "y", 20)
    cache.put(("huge",), "z", 60)  # more than a quarter: never cached
    assert cache.get(("a",)) == "x" and cache.get(("huge",)) is None
    for i in range(10):
        cache.put((i,), i, 20)
    assert len(cache) == 5 and cache.get(("a",)) is None
    ageing = AnswerCache(max_bytes=100, max_age=0.05)
    ageing.put(("a",), "x", 10)
    assert ageing.get(("a",)) == "x"
    time.sleep(0.1)
    assert ageing.get(("a",)) is None and len(ageing) == 0

    service = Service.open(Settings(home=project.home), pool=False)
    answer = asyncio.run(service.ask("minister-goals", {"year": "2017"}))
    again = asyncio.run(service.ask("minister-goals", {"year": "2017"}))
    assert not answer.cached and again.cached and again.table == answer.table
    service.reload()
    assert not asyncio.run(service.ask("minister-goals", {"year": "2017"})).cached
    service.close()


def test_workers_end_with_a_killed_server(tmp_path):
    """A server killed outright (no chance to close its pool) leaves no worker holding the store."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from .servers import free_port, wait_until_up

    def children(pid: int) -> set[int]:
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(stat.parent.name))
        return found

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--skip-checks"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", server, seconds=60)
        workers = children(server.pid)
        assert len(workers) >= 2
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.1)
    alive = []
    for pid in workers:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":  # a zombie has ended; only its exit status waits to be read
            alive.append(pid)
            os.kill(pid, signal.SIGKILL)
    assert alive == []


def test_a_preview_holds_the_first_rows_sorted_and_the_total(project):
    from api.preview import Preview, preview
    from api.store import OxigraphStore

    store = OxigraphStore(project.content_files())
    query = (
        "CONSTRUCT { ?g <urn:n> ?n } WHERE { ?g a <https://w3id.org/epkg/ontology#MinisterGoal> ; "
        "<https://w3id.org/epkg/ontology#goalNumber> ?n }"
    )
    goal = "https://w3id.org/epkg/minister-goal/"
    number = "http://www.w3.org/2001/XMLSchema#integer"
    shown = preview(store, query, "CONSTRUCT", 3)
    assert (
        shown.variables == ("subject", "predicate", "object") and shown.total == 11
    )  # 4 goals of 2017, 7 of 2019
    assert [(s["value"], p["value"], o["value"]) for s, p, o in shown.rows] == [
        (goal + "2017/1", "urn:n", "1"),
        (goal + "2017/2", "urn:n", "2"),
        (goal + "2017/3", "urn:n", "3"),
    ]
    assert all(o == {"type": "literal", "value": o["value"], "datatype": number} for _, _, o in shown.rows)
    rows = preview(store, "SELECT ?x WHERE { VALUES ?x { 3 1 2 } }", "SELECT", 2)
    assert rows == Preview(
        ("x",),
        (
            ({"type": "literal", "value": "3", "datatype": number},),
            ({"type": "literal", "value": "1", "datatype": number},),
        ),
        3,
    )
    assert preview(store, "ASK { ?s ?p ?o }", "ASK", 2) == Preview((), (), 0, True)
