"""HEAD on every GET route (api/app.py ``HeadAsGet``): the GET's status and headers, no body.

- every GET operation of /openapi.json, called with its example parameters, and the paths no
  operation lists by name: entity IRIs in each format, pages, static files, /docs, /openapi.json,
  a 404, a conditional request (304);
- HEAD goes through the same limits as GET: on a server with small limits, a HEAD of an answer
  over the size limit is the GET's 422, and a client with its requests in flight gets 429 for a
  HEAD as for a GET;
- the middleware itself, in process: the inner app sees a GET, the body (in any number of
  chunks) is dropped, the request log's tag is kept.
"""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from api.app import HeadAsGet
from api.limits import QUERY_TAG

from .servers import epkg_server
from .test_openapi import example_url, operations

# Headers that differ between any two answers, HEAD or not.
PER_REQUEST = {"date", "x-request-id"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A server of its own with a long time limit: the same request must get the same answer twice."""
    with epkg_server(tmp_path_factory.mktemp("head"), "--timeout", "100", "--workers", "2") as base:
        with httpx.Client(base_url=base, timeout=200) as http:
            yield http


def same_answer(client: httpx.Client, url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """Asserts HEAD ``url`` answers as GET does (after a first GET, so both find the cache warm)."""
    client.get(url, headers=headers)
    get = client.get(url, headers=headers)
    head = client.head(url, headers=headers)
    assert head.status_code == get.status_code, (url, head.status_code, get.status_code)
    assert head.content == b"", url
    expected = {(k, v) for k, v in get.headers.multi_items() if k not in PER_REQUEST}
    got = {(k, v) for k, v in head.headers.multi_items() if k not in PER_REQUEST}
    assert got == expected, (url, got ^ expected)
    if "content-length" in get.headers:
        assert int(head.headers["content-length"]) == len(get.content), url
    return get


def test_head_answers_as_get_on_every_get_operation(client):
    spec = client.get("/openapi.json").json()
    bare, full = [], []  # with the required parameters only (/answer: a 400), and with every example
    for path, method, op in operations(spec):
        if method == "get":
            bare.append(example_url(path, op))
            full.append(example_url(path, op, every=True))
    assert len(set(bare + full)) >= 60
    for url in set(bare) - set(full):
        same_answer(client, url)
    statuses = {url: same_answer(client, url).status_code for url in full}
    assert set(statuses.values()) == {200}, {u: s for u, s in statuses.items() if s != 200}


ENTITY = "/minister-goal/2017/4"
OTHER_PATHS = [
    (ENTITY, {"Accept": "text/turtle"}, 200),
    (ENTITY, {"Accept": "application/ld+json"}, 200),
    (ENTITY, {"Accept": "application/n-triples"}, 200),
    (ENTITY, {"Accept": "application/rdf+xml"}, 200),
    (ENTITY, {"Accept": "text/html"}, 200),
    (ENTITY + "?format=ttl", {}, 200),
    ("/plan/slagelse-2017", {"Accept": "text/html"}, 200),
    ("/municipality/330", {}, 200),
    ("/nothing/here", {"Accept": "text/turtle"}, 404),
    ("/nothing/here", {"Accept": "text/html"}, 404),
    (ENTITY, {"Accept": "application/pdf"}, 406),
    ("/?lang=en", {"Accept": "text/html"}, 200),
    ("/answer?year=2017&number=4&lang=en", {}, 200),
    ("/answer", {}, 400),
    ("/years/2030", {}, 404),
    ("/sources/plan/slagelse-2017.css", {}, 200),
    ("/sparql", {"Accept": "text/html"}, 200),
    ("/sparql", {"Accept": "text/turtle"}, 200),
    ("/sparql?query=ASK%7B%7D", {"Accept": "application/sparql-results+xml"}, 200),
    ("/sparql?query=SELEC", {}, 400),
    ("/api/queries?x=1", {}, 200),
    ("/api/municipalities?format=csv", {}, 200),
    ("/api/municipalities/999", {}, 404),
    ("/docs", {}, 200),
    ("/openapi.json", {}, 200),
    ("/static/epkg.css", {}, 200),
    ("/dump", {"Accept": "application/n-triples"}, 200),
]


@pytest.mark.parametrize("url,headers,status", OTHER_PATHS, ids=[f"{u} {h}" for u, h, _ in OTHER_PATHS])
def test_head_answers_as_get_on_entities_pages_and_errors(client, url, headers, status):
    assert same_answer(client, url, headers).status_code == status


def test_head_keeps_the_link_and_etag_headers_and_conditional_requests(client):
    home = same_answer(client, "/")
    assert 'rel="describedby"' in home.headers["link"]
    dump = same_answer(client, "/dump.ttl")
    assert dump.headers["etag"] and dump.headers["content-type"].startswith("text/turtle")
    unchanged = {"If-None-Match": dump.headers["etag"]}
    assert same_answer(client, "/dump.ttl", unchanged).status_code == 304
    entity = same_answer(client, ENTITY, {"Accept": "text/turtle"})
    assert entity.headers["link"] and entity.headers["vary"]


def test_head_is_no_operation_of_its_own(client):
    spec = client.get("/openapi.json").json()
    assert all(set(methods) <= {"get", "post"} for methods in spec["paths"].values())


# --- the same limits ------------------------------------------------------------------------

MAX_BYTES = 10_000


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    env = {"EPKG_MAX_RESPONSE_BYTES": str(MAX_BYTES), "EPKG_CLIENT_CONCURRENCY": "1"}
    with epkg_server(tmp_path_factory.mktemp("head-limited"), "--workers", "1", env=env) as base:
        yield base


def test_a_head_of_an_answer_over_the_size_limit_is_the_gets_422(limited):
    with httpx.Client(base_url=limited, timeout=200) as client:
        get = same_answer(client, "/api/queries")  # about 19 kB of JSON
        assert get.status_code == 422 and get.json()["error"] == "answer too large"
        assert same_answer(client, "/health").status_code == 200  # a small answer passes


def test_a_head_is_refused_like_a_get_when_the_client_has_its_requests_in_flight(limited):
    host, port = limited.removeprefix("http://").split(":")
    # A POST whose body never comes holds this client's one slot until the read time limit.
    with socket.create_connection((host, int(port)), timeout=60) as held:
        held.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\n"
        )
        with httpx.Client(base_url=limited, timeout=200) as client:
            deadline = time.monotonic() + 60
            while (get := client.get("/sparql")).status_code != 429 and time.monotonic() < deadline:
                time.sleep(0.05)  # until the server has the held request in flight
            head = client.head("/sparql")
            assert (get.status_code, head.status_code) == (429, 429)
            assert head.headers["retry-after"] == get.headers["retry-after"] == "1"
            assert head.content == b""
            assert client.head("/health").status_code == 200  # never limited, HEAD or GET


# --- the middleware in process ----------------------------------------------------------------


def run_head(body_chunks: list[bytes], method: str = "HEAD") -> tuple[list[dict], dict]:
    seen: dict = {}
    sent: list[dict] = []

    async def inner(scope, receive, send):
        seen["method"] = scope["method"]
        scope[QUERY_TAG] = "q=example"
        headers = [(b"content-length", str(sum(map(len, body_chunks))).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i, chunk in enumerate(body_chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": i < len(body_chunks) - 1})

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/", "headers": []}
    asyncio.run(HeadAsGet(inner)(scope, receive, send))
    return sent, {**seen, "outer": scope}


def test_the_middleware_drops_the_body_in_any_number_of_chunks_and_keeps_the_rest():
    sent, seen = run_head([b"abc", b"def", b"gh"])
    assert seen["method"] == "GET" and seen["outer"]["method"] == "HEAD"
    assert seen["outer"][QUERY_TAG] == "q=example"  # the log line names what was asked
    assert sent == [
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"8")]},
        {"type": "http.response.body", "body": b"", "more_body": False},
    ]
    sent, seen = run_head([b"abc", b"def"], method="GET")
    assert seen["method"] == "GET" and [m.get("body") for m in sent[1:]] == [b"abc", b"def"]
