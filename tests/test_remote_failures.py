"""The remote store when things go wrong: an absent, dying or frozen server, a server that
answers only part of a query (Virtuoso's time and row limits), and queries it must not send.

Every failure is a ``StoreError`` (HTTP 503) or ``QuerySyntaxError`` (400) with a message that
names the endpoint and what happened, and none waits past the store's time limit. The servers
are started here on 127.0.0.1 and loaded by epkg's loader; some are killed on purpose.
"""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.parse
import urllib.request

import pytest

from api.publish import load
from api.remote import GRACE, RemoteStore
from api.store import QuerySyntaxError, StoreError

from .servers import free_port, oxigraph_process, virtuoso_process

# Work enough for minutes on either server: every pair (or triple) of the graph's 18k triples.
# The FILTER makes every pair be looked at: a bare COUNT of a product may be computed from counts.
PAIRS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER (STR(?c) < STR(?f)) }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
EVERY_TRIPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def virtuoso(project, tmp_path_factory):
    """Virtuoso with its stock limits: 10,000 rows per answer (ResultSetMaxRows)."""
    with virtuoso_process(tmp_path_factory.mktemp("virtuoso-limits"), max_rows=10_000) as server:
        load(project, server.query_endpoint, server.graph_store, user="dba", password="dba", check=False)
        yield server


def run_in_thread(function):
    """Starts ``function`` in a thread; returns a dict that gets 'error' or 'result' and 'seconds'."""
    outcome: dict = {}

    def target():
        started = time.monotonic()
        try:
            outcome["result"] = function()
        except Exception as exc:  # what the caller would see
            outcome["error"] = exc
        outcome["finished"] = time.monotonic()
        outcome["seconds"] = outcome["finished"] - started

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


# --- no server, a dying server, a frozen server -------------------------------------------


def test_an_absent_store_is_a_store_error_at_once():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=10)
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"did not answer: connection refused \(is the server running\?\)"):
        store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    assert time.monotonic() - started < 2


def test_a_url_that_is_not_an_endpoint_is_a_store_error(project):
    with oxigraph_process(None) as server:
        store = RemoteStore(server.base + "/no-such-endpoint", timeout=5)
        with pytest.raises(StoreError, match="no-such-endpoint"):
            store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_a_store_killed_mid_query_is_a_store_error_long_before_the_time_limit(kind, project, tmp_path):
    limit = 60.0
    starter = (
        oxigraph_process(None, union_default_graph=True) if kind == "oxigraph" else virtuoso_process(tmp_path)
    )
    with starter as server:
        load(
            project,
            server.query_endpoint,
            server.graph_store,
            user=server.user,
            password=server.password,
            check=False,
        )
        store = RemoteStore(server.query_endpoint, timeout=limit)
        store.ping()
        thread, outcome = run_in_thread(lambda: store.select(PAIRS if kind == "virtuoso" else TRIPLES))
        time.sleep(1.5)  # the query is running
        assert "finished" not in outcome, outcome
        killed = time.monotonic()
        server.kill()
        thread.join(limit + GRACE + 5)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), StoreError), outcome
    message = str(outcome["error"])
    assert server.query_endpoint in message and "did not answer" in message
    assert outcome["finished"] - killed < 5, (
        f"the error came {outcome['finished'] - killed:.1f} s after the kill"
    )


def test_a_frozen_store_is_a_store_error_at_its_time_limit(project):
    with oxigraph_process(None, union_default_graph=True) as server:
        store = RemoteStore(server.query_endpoint, timeout=2)
        store.ping()
        server.process.send_signal(signal.SIGSTOP)  # alive, connected, silent
        try:
            started = time.monotonic()
            with pytest.raises(StoreError, match=r"did not answer within 4 s \(its time limit\)"):
                store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
            waited = time.monotonic() - started
        finally:
            server.process.send_signal(signal.SIGCONT)
    assert 2 <= waited < 2 + GRACE + 2


# --- partial answers: Virtuoso's time limit and row limit ----------------------------------


def raw_virtuoso(endpoint: str, query: str, **parameters: str):
    """What Virtuoso sends a plain client: status, headers, body."""
    data = urllib.parse.urlencode({"query": query, **parameters}).encode()
    request = urllib.request.Request(
        endpoint, data=data, headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def test_virtuoso_stopped_by_its_time_limit_is_an_error_not_an_answer(virtuoso):
    # The danger: a plain client gets HTTP 200 and a well-formed answer that is wrong.
    status, headers, body = raw_virtuoso(virtuoso.query_endpoint, PAIRS, timeout="1000")
    assert status in (200, 206) and headers.get("x-sql-state")
    assert json.loads(body)["results"]["bindings"] != [{"n": {"value": str(18_000**2)}}]
    # epkg passes its time limit in Virtuoso's own parameter, and refuses what comes back.
    store = RemoteStore(virtuoso.query_endpoint, timeout=1)
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"sent a partial answer \(x-sql-state: S1TAT\).*not answered"):
        store.select(PAIRS)
    assert time.monotonic() - started < 1 + GRACE
    with pytest.raises(StoreError, match="partial answer"):
        store.execute(PAIRS, "text/csv")


def test_virtuoso_cut_at_its_row_limit_is_an_error_not_an_answer(virtuoso):
    status, headers, body = raw_virtuoso(virtuoso.query_endpoint, EVERY_TRIPLE)
    assert status == 200 and headers.get("x-sparql-maxrows") == "10000"
    assert len(json.loads(body)["results"]["bindings"]) == 10_000  # of more than 18,000
    store = RemoteStore(virtuoso.query_endpoint, timeout=30)
    with pytest.raises(StoreError, match=r"partial answer \(x-sparql-maxrows: 10000\)"):
        store.select(EVERY_TRIPLE)
    for media_type in ("application/sparql-results+json", "text/tab-separated-values"):
        with pytest.raises(StoreError, match="partial answer"):
            store.execute(EVERY_TRIPLE, media_type)
    # Under the limit the answer is whole and is returned.
    assert len(store.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 9999").rows) == 9999


def test_virtuoso_refusing_a_query_it_estimates_too_costly_is_a_store_error(virtuoso):
    with pytest.raises(
        StoreError, match=r"refused the query: Virtuoso 42000 Error The estimated execution time"
    ):
        RemoteStore(virtuoso.query_endpoint, timeout=5).select(TRIPLES)


# --- what is never sent, and bad queries ---------------------------------------------------


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_an_update_is_refused_before_it_is_sent_and_bad_syntax_is_a_client_error(kind, virtuoso):
    if kind == "virtuoso":
        endpoint = virtuoso.query_endpoint
        store = RemoteStore(endpoint, timeout=5)
        check(store)
    else:
        with oxigraph_process(None, union_default_graph=True) as server:
            check(RemoteStore(server.query_endpoint, timeout=5))


def check(store: RemoteStore) -> None:
    triple = "<urn:example:s> <urn:example:p> <urn:example:o>"
    for update in (f"INSERT DATA {{ {triple} }}", "DROP ALL", "CLEAR DEFAULT", "LOAD <http://example.org/x>"):
        with pytest.raises(QuerySyntaxError, match="only read queries"):
            store.select(update)
        with pytest.raises(QuerySyntaxError, match="only read queries"):
            store.execute(update, "application/sparql-results+json")
    assert store.execute(f"ASK {{ {triple} }}", "text/csv").strip() == b"false"
    with pytest.raises(QuerySyntaxError):
        store.select("SELECT ?x WHERE { ?x ")
    with pytest.raises(QuerySyntaxError, match="only SELECT"):
        store.select("ASK { ?s ?p ?o }")
