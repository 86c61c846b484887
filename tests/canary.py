"""A canary: a local HTTP server that counts every connection it accepts, and the query texts
that would reach it if a server ran them as written.

Used by tests/test_http_canary.py (the running service), tests/test_guard.py (the guard against
the engines themselves) and tests/test_http_attacks.py. It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import http.server
import threading
from urllib.parse import quote


class Canary(http.server.ThreadingHTTPServer):
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


def serve_canary():
    """A started canary, stopped afterwards (conftest.py makes it the ``canary`` fixture)."""
    server = Canary()
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


def canary_url(canary: Canary) -> str:
    return f"http://127.0.0.1:{canary.server_address[1]}"


# The guard once read `"\u005C"` as an escaped quote where Oxigraph reads a finished string holding
# a backslash, and let the SERVICE after it through. The class: every escape spelling of a character
# that opens, closes or escapes a string, in every kind of string, in every query form.
ESCAPES = ("\\u005C", "\\u005c", "\\U0000005C", "\\U0000005c", "\\u0022", "\\u0027", "\\u000A", "\\u0023")
QUOTES = ('"', "'", '"""', "'''")


def escape_variants(url: str) -> dict[str, str]:
    """Texts that hide a SERVICE to ``url`` from a reader that decodes escapes unlike the engine."""
    out = {}
    for escape in ESCAPES:
        for quote_ in QUOTES:
            pattern = f"BIND({quote_}{escape}{quote_} AS ?a) SERVICE <{url}/> {{ ?x ?p ?o }} BIND({quote_}y{quote_} AS ?b)"
            kind = "double" if quote_.startswith('"') else "single"
            name = f"{escape[1:]}-in-{len(quote_)}{kind}"
            out[f"select-{name}"] = f"SELECT ?x WHERE {{ {pattern} }}"
            out[f"ask-{name}"] = f"ASK {{ {pattern} }}"
            out[f"construct-{name}"] = f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ {pattern} }}"
    return out
