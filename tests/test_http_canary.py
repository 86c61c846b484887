"""No outbound traffic: every way a query could make the server call out is refused, and none does.

A canary HTTP server on 127.0.0.1 counts every connection it accepts. Each variant below names
it (SERVICE by IRI, prefixed name, variable bound by VALUES or BIND, SILENT, inside OPTIONAL,
FILTER EXISTS, a subquery, CONSTRUCT, ASK; FROM and FROM NAMED to http and file IRIs; LOAD;
the protocol's dataset parameters), is sent by GET, form POST and direct POST, and must get a
4xx; afterwards the canary must have seen zero connections. DESCRIBE of a remote IRI is a
query the protocol tests require to answer (query_content_type_describe): it gets 200 with
what the graph says about that IRI (nothing), and still no connection.

The canary is shown to count: a direct request to it is seen (test_the_canary_counts).
"""

from __future__ import annotations

import http.server
import threading
from urllib.parse import quote

import httpx
import pytest


class _Canary(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Answer)
        self.connections = 0
        self.lock = threading.Lock()

    def verify_request(self, request, client_address) -> bool:  # type: ignore[override]
        with self.lock:
            self.connections += 1  # every accepted connection, even one that sends nothing
        return True


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"CANARY"}}]}}'
        self.send_response(200)
        self.send_header("content-type", "application/sparql-results+json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def canary():
    server = _Canary()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def variants(url: str) -> dict[str, str]:
    """Query or update texts that would reach ``url`` if the server ran them as written."""
    pattern = f"SERVICE <{url}/sparql> {{ ?s ?p ?o }}"
    return {
        "service-iri": f"SELECT * WHERE {{ {pattern} }}",
        "service-prefixed-name": f"PREFIX c: <{url}/> SELECT * WHERE {{ SERVICE c:sparql {{ ?s ?p ?o }} }}",
        "service-variable-values": f"SELECT * WHERE {{ VALUES ?svc {{ <{url}/sparql> }} SERVICE ?svc {{ ?s ?p ?o }} }}",
        "service-variable-bind": f"SELECT * WHERE {{ BIND(<{url}/sparql> AS ?svc) SERVICE ?svc {{ ?s ?p ?o }} }}",
        "service-silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-in-optional": f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ {pattern} }} }} LIMIT 1",
        "service-in-filter-exists": f"SELECT * WHERE {{ ?x ?y ?z FILTER EXISTS {{ {pattern} }} }} LIMIT 1",
        "service-in-subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {pattern} }} }} }}",
        "service-in-construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}",
        "service-in-ask": f"ASK {{ {pattern} }}",
        "service-lower-case": f"select * where {{ service <{url}/sparql> {{ ?s ?p ?o }} }}",
        "service-codepoint-escape": f"SELECT * WHERE {{ \\u0053ERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "from-http": f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "from-named-http": f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "from-file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "from-named-file": "SELECT * FROM NAMED <file:///etc/hostname> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "construct-from-http": f"CONSTRUCT {{ ?s ?p ?o }} FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "ask-from-http": f"ASK FROM <{url}/data.ttl> {{ ?s ?p ?o }}",
        "load": f"LOAD <{url}/data.ttl>",
        "load-silent-into-graph": f"LOAD SILENT <{url}/data.ttl> INTO GRAPH <{url}/g>",
    }


def requests_for(text: str) -> list[tuple[str, dict]]:
    """GET, form POST and direct POST of one text (as a query, and as an update where it is one)."""
    out = [
        ("GET query", {"method": "GET", "url": f"/sparql?query={quote(text)}"}),
        (
            "form query",
            {
                "method": "POST",
                "url": "/sparql",
                "content": f"query={quote(text)}".encode(),
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
        ),
        (
            "direct query",
            {
                "method": "POST",
                "url": "/sparql",
                "content": text.encode(),
                "headers": {"content-type": "application/sparql-query"},
            },
        ),
    ]
    if text.startswith("LOAD"):
        out += [
            ("GET update", {"method": "GET", "url": f"/sparql?update={quote(text)}"}),
            (
                "form update",
                {
                    "method": "POST",
                    "url": "/sparql",
                    "content": f"update={quote(text)}".encode(),
                    "headers": {"content-type": "application/x-www-form-urlencoded"},
                },
            ),
            (
                "direct update",
                {
                    "method": "POST",
                    "url": "/sparql",
                    "content": text.encode(),
                    "headers": {"content-type": "application/sparql-update"},
                },
            ),
        ]
    return out


def canary_url(canary: _Canary) -> str:
    return f"http://127.0.0.1:{canary.server_address[1]}"


def test_the_canary_counts(canary):
    before = canary.connections
    assert (
        httpx.get(canary_url(canary) + "/sparql").json()["results"]["bindings"][0]["s"]["value"] == "CANARY"
    )
    assert canary.connections == before + 1


def test_no_variant_reaches_the_canary(live_server, canary):
    url = canary_url(canary)
    before = canary.connections
    refused = {}
    with httpx.Client(base_url=live_server, timeout=30) as client:
        for name, text in variants(url).items():
            for how, request in requests_for(text):
                response = client.request(**request)
                refused[(name, how)] = response.status_code
                assert 400 <= response.status_code < 500, (
                    name,
                    how,
                    response.status_code,
                    response.text[:200],
                )
                body = response.json()
                assert body["status"] == response.status_code and body["message"]
        for parameter in ("default-graph-uri", "named-graph-uri"):
            for target in (f"{url}/data.ttl", "file:///etc/passwd"):
                response = client.get("/sparql", params={"query": "ASK {}", parameter: target})
                refused[(parameter, target)] = response.status_code
                assert response.status_code == 400
    assert len(refused) == 20 * 3 + 2 * 3 + 4
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
