"""No outbound traffic: every way a query could make the server call out is refused or answered
locally, and none calls out.

A canary HTTP server on 127.0.0.1 counts every connection it accepts. Each variant below names
it (SERVICE by IRI, prefixed name, variable bound by VALUES or BIND, SILENT, inside OPTIONAL,
FILTER EXISTS, a subquery, CONSTRUCT, ASK; FROM and FROM NAMED to http and file IRIs; LOAD;
the protocol's dataset parameters) and is sent by GET, form POST and direct POST. SERVICE and
LOAD must get a 4xx. FROM, FROM NAMED, ``default-graph-uri`` and ``named-graph-uri`` choose
among the store's own graphs: the canary's IRI is no graph of ours, so it names an empty graph
and the answer is empty (200). Afterwards the canary must have seen zero connections, on the
embedded Oxigraph store and on the rdflib store (whose engine fetches FROM IRIs unless told not
to: tests/test_named_graphs.py shows it would). DESCRIBE of a remote IRI is a query the protocol
tests require to answer (query_content_type_describe): it gets 200 with what the graph says
about that IRI (nothing), and still no connection.

The canary is shown to count: a direct request to it is seen (test_the_canary_counts).
"""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest

from .canary import canary_url, escape_variants, requests_for, variants
from .servers import epkg_server

# The variants that name a dataset (FROM, FROM NAMED): answered from our own graphs, empty.
DATASET_VARIANTS = (
    "from-http",
    "from-named-http",
    "from-file",
    "from-named-file",
    "construct-from-http",
    "ask-from-http",
)


def empty_answer(response: httpx.Response) -> bool:
    """Whether a 200 answer is empty: no rows, false, or no triples."""
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/sparql-results+json":
        body = response.json()
        return body.get("boolean") is False or body.get("results", {}).get("bindings") == []
    assert media_type == "text/turtle", media_type
    return response.text.strip() == ""


@pytest.fixture(scope="module")
def rdflib_server(tmp_path_factory):
    """`epkg serve --store rdflib`: rdflib's engine in the workers."""
    with epkg_server(tmp_path_factory.mktemp("rdflib"), "--workers", "1", "--store", "rdflib") as base:
        yield base


def test_the_canary_counts(canary):
    before = canary.connections
    assert (
        httpx.get(canary_url(canary) + "/sparql").json()["results"]["bindings"][0]["s"]["value"] == "CANARY"
    )
    assert canary.connections == before + 1


@pytest.mark.parametrize("server", ["oxigraph", "rdflib"])
def test_no_variant_reaches_the_canary(server, request, canary):
    base = request.getfixturevalue("live_server" if server == "oxigraph" else "rdflib_server")
    url = canary_url(canary)
    before = canary.connections
    outcomes = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, text in variants(url).items():
            for how, sent in requests_for(text):
                response = client.request(**sent)
                outcomes[(name, how)] = response.status_code
                if name in DATASET_VARIANTS:
                    assert response.status_code == 200, (name, how, response.text[:200])
                    assert empty_answer(response), (name, how, response.text[:200])
                    continue
                assert 400 <= response.status_code < 500, (name, how, response.status_code, response.text[:200])
                body = response.json()
                assert body["status"] == response.status_code and body["message"]
        for parameter in ("default-graph-uri", "named-graph-uri"):
            for target in (f"{url}/data.ttl", "file:///etc/passwd"):
                pattern = "?s ?p ?o" if parameter == "default-graph-uri" else "GRAPH ?g { ?s ?p ?o }"
                query = f"SELECT * WHERE {{ {pattern} }}"
                for how, sent in requests_for(query):
                    joiner = "&" if "?" in sent["url"] else "?"
                    sent = {**sent, "url": sent["url"] + joiner + urlencode({parameter: target})}
                    response = client.request(**sent)
                    outcomes[(parameter, target, how)] = response.status_code
                    assert response.status_code == 200, (parameter, target, how, response.text[:200])
                    assert response.json()["results"]["bindings"] == [], (parameter, target, how)
    assert len(outcomes) == 20 * 3 + 2 * 3 + 2 * 2 * 3
    assert sorted(k for k, v in outcomes.items() if v == 200) == sorted(
        [(n, how) for n in DATASET_VARIANTS for how in ("GET query", "form query", "direct query")]
        + [k for k in outcomes if len(k) == 3]
    )
    assert canary.connections == before, f"{canary.connections - before} connections reached the canary"


@pytest.mark.parametrize("how", ["GET", "form", "direct"])
def test_describe_of_a_remote_iri_answers_locally(live_server, canary, how):
    url = canary_url(canary)
    before = canary.connections
    text = f"DESCRIBE <{url}/thing>"
    request = dict(requests_for(text))[f"{how} query"]
    with httpx.Client(base_url=live_server, timeout=30) as client:
        response = client.request(
            **request,
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.text.strip() == ""  # the graph says nothing about it, and nothing was fetched
    assert canary.connections == before


def test_a_canary_hit_would_be_seen_through_the_engine(canary):
    """The engine itself does call out for SERVICE (why the guard must refuse it): the canary sees it."""
    import pyoxigraph as ox

    url = canary_url(canary)
    before = canary.connections
    store = ox.Store()
    try:
        list(store.query(f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"))
    except (OSError, SyntaxError, RuntimeError, ValueError):
        pass  # whatever the engine makes of the canary's answer, the connection was made
    assert canary.connections > before


def test_no_escape_trick_reaches_the_canary(live_server, canary):
    """The class of the `"\\u005C"` bypass, by GET, form and direct POST on /sparql and on the editor."""
    url = canary_url(canary)
    before = canary.connections
    statuses = {}
    with httpx.Client(base_url=live_server, timeout=60) as client:
        for name, text in escape_variants(url).items():
            for how, request in requests_for(text):
                statuses[(name, how)] = client.request(**request).status_code
            statuses[(name, "editor")] = client.get("/query", params={"query": text}).status_code
    assert len(statuses) == 96 * 4
    assert {status for status in statuses.values()} == {400}, {k: v for k, v in statuses.items() if v != 400}
    assert canary.connections == before, f"{canary.connections - before} connections reached the canary"


@pytest.fixture(scope="module")
def unguarded(tmp_path_factory):
    """A server whose guard lets SERVICE, FROM and LOAD through (a test-only setting): only the
    workers' network lock stands between a query and the network."""
    log_dir = tmp_path_factory.mktemp("unguarded")
    with epkg_server(log_dir, "--workers", "2", env={"EPKG_UNSAFE_SKIP_GUARD": "1"}) as base:
        yield base, log_dir / "serve.log"


# What the engine makes of each variant when the guard lets it through: "lock" is the worker's
# network lock refusing the connection (a 400 that says so); Oxigraph reads FROM as a choice among
# its own graphs (none by those names: an empty answer), answers SERVICE SILENT and a failed EXISTS
# with nothing, and cannot parse an escaped keyword or an update as a query.
UNGUARDED = {
    "service-iri": "lock",
    "service-prefixed-name": "lock",
    "service-variable-values": "evaluation",
    "service-variable-bind": "evaluation",
    "service-silent": 200,
    "service-in-optional": "lock",
    "service-in-filter-exists": 200,
    "service-in-subquery": "lock",
    "service-in-construct": "lock",
    "service-in-ask": "lock",
    "service-lower-case": "lock",
    "service-codepoint-escape": "syntax",
    "from-http": 200,
    "from-named-http": 200,
    "from-file": 200,
    "from-named-file": 200,
    "construct-from-http": 200,
    "ask-from-http": 200,
    "load": "not a query",
    "load-silent-into-graph": "not a query",
}
MESSAGES = {
    "lock": "the query asks the engine to reach another server (Permission denied (os error 13))",
    "evaluation": "the engine could not evaluate the query",
    "syntax": "error at 1:",
    "not a query": "not a SPARQL query",
}


def test_with_the_guard_off_the_workers_still_reach_nothing(unguarded, canary):
    base, log = unguarded
    url = canary_url(canary)
    before = canary.connections
    outcomes = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        health = client.get("/health").json()
        assert health["query_workers"]["network_lock"] == "seccomp: no sockets but Unix ones"
        for name, text in variants(url).items():
            for how, request in requests_for(text):
                if "update" in how:
                    continue  # refused by the route before any guard
                response = client.request(**request)
                if response.status_code == 200:
                    outcomes[(name, how)] = 200
                else:
                    message = response.json()["message"]
                    kind = next((k for k, start in MESSAGES.items() if message.startswith(start)), message)
                    outcomes[(name, how)] = (
                        kind if response.status_code == 400 else (response.status_code, kind)
                    )
        ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})  # the workers still answer
        assert ask.status_code == 200 and ask.json() == {"head": {}, "boolean": True}
    assert canary.connections == before, f"{canary.connections - before} connections reached the canary"
    expected = {(name, how): UNGUARDED[name] for name, how in outcomes}
    assert outcomes == expected
    assert len(outcomes) == 20 * 3
    assert "Traceback" not in log.read_text(errors="replace")
