"""Odd requests against a real `epkg serve`: a clean 4xx with the JSON error, never a 500 or a
dropped connection; one log line per request, whatever the path holds; pages that only link
within the site; connections that send no complete request are closed (api/connections.py),
and a slow body on POST /sparql is a 408; no proxy header is trusted by default.

Requests go over raw sockets, so each path reaches the server byte for byte (an HTTP client would
normalise some of them). The server's request head deadline is 2 s (EPKG_REQUEST_READ_SECONDS).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import re
import socket
import threading
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
import uvicorn

from api.connections import PROTOCOLS, http_protocol

from .servers import epkg_server, free_port

READ_SECONDS = 2
GRACE = 3  # seconds past the deadline a close may take; generous, machines differ
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

# (what the client sends as the path, the status, the path as the log line shows it)
ODD_PATHS = [
    ("/%E2%82%AC", 404, "/€"),
    ("/a%00b", 400, r"/a\x00b"),
    ("/a%01b", 400, r"/a\x01b"),
    ("/a%0ab", 400, r"/a\x0ab"),
    ("/a%0d%0ab", 400, r"/a\x0d\x0ab"),
    ("/a%7fb", 400, r"/a\x7fb"),
    ("/a%1fb", 400, r"/a\x1fb"),
    ("//evil.example/x", 404, "//evil.example/x"),
    ("/..%2f..", 404, "/../.."),
    ("/" + "a" * 8192, 404, "/" + "a" * 8192),
    ("/%zz", 404, "/%zz"),
    ("/%c3%28", 404, "/\ufffd("),
    ("/a%20b%5Cc", 404, r"/a\x20b\x5cc"),
    ("/sources/a%0a", 400, r"/sources/a\x0a"),
]


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("odd")
    env = {
        "EPKG_REQUEST_READ_SECONDS": str(READ_SECONDS),
        "EPKG_CLIENT_CONCURRENCY": "2",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",  # uvicorn's own variable: never a fallback for ours
    }
    args = ("--timeout", "3", "--workers", "2", "--log-level", "info")
    with epkg_server(log_dir, *args, env=env) as base:
        yield base, log_dir / "serve.log"


# --- a raw HTTP/1.1 client ------------------------------------------------------------------


@contextlib.contextmanager
def connect(base: str):
    host, port = urlsplit(base).hostname, urlsplit(base).port
    sock = socket.create_connection((host, port), timeout=30)
    try:
        yield sock
    finally:
        sock.close()


def send_request(sock: socket.socket, target: str, headers: dict[str, str] | None = None, method="GET"):
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"the server closed the connection without an answer: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in header_lines)
    }
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection in the middle of its answer")
        body += chunk
    return int(status_line.split()[1]), headers, body[:length]


def exchange(sock: socket.socket, target: str, headers: dict[str, str] | None = None):
    send_request(sock, target, headers)
    return read_response(sock)


def closed_within(sock: socket.socket, seconds: float, drip: bytes = b"") -> float | None:
    """Seconds until the server closes ``sock`` (sending ``drip`` once a second), or None."""
    started = time.monotonic()
    sock.settimeout(1)
    while time.monotonic() - started < seconds:
        try:
            if drip:
                sock.sendall(drip)
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - started
    return None


def log_lines_with(log: Path, request_id: str) -> list[str]:
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in log.read_text("utf-8", "replace").splitlines() if request_id in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


# --- odd paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("target,status,logged", ODD_PATHS, ids=[p[:24] for p, _, _ in ODD_PATHS])
def test_an_odd_path_is_a_clean_4xx_on_a_kept_connection_and_one_log_line(odd, target, status, logged):
    base, log = odd
    request_id = uuid.uuid4().hex[:12]
    with connect(base) as sock:
        got, headers, body = exchange(sock, target, {"X-Request-Id": request_id})
        assert got == status, body[:300]
        assert headers["content-type"] == "application/json"
        error = json.loads(body)
        assert set(error) == {"status", "error", "message"} and error["status"] == status
        assert exchange(sock, "/health")[0] == 200  # the same connection answers again
    lines = log_lines_with(log, request_id)
    assert len(lines) == 1, lines
    line = rf"\S+ \S+ epkg\.http {request_id} GET {re.escape(logged)} {status} [0-9.]+ms -"
    assert re.fullmatch(line, lines[0]), lines[0][:300]
    assert "Traceback" not in log.read_text("utf-8", "replace")


@pytest.mark.parametrize("target", ["/%E2%82%AC", "/%c3%28", "/a%00b", "//evil.example/x", "/%zz"])
def test_an_odd_path_asked_as_a_page_is_a_4xx_too(odd, target):
    base, log = odd
    with connect(base) as sock:
        status, _, body = exchange(sock, target, {"Accept": "text/html"})
        assert 400 <= status < 500, body[:300]
        assert exchange(sock, "/health")[0] == 200
    assert "Traceback" not in log.read_text("utf-8", "replace")


def test_control_characters_in_the_query_string_stay_in_one_log_line(odd):
    base, log = odd
    request_id = uuid.uuid4().hex[:12]
    with connect(base) as sock:
        status, _, body = exchange(sock, "/sparql?query=ASK%0d%0a%7B%7D%0a", {"X-Request-Id": request_id})
    assert status == 200 and json.loads(body)["boolean"] is True
    lines = log_lines_with(log, request_id)
    assert len(lines) == 1
    assert re.fullmatch(
        rf"\S+ \S+ epkg\.http {request_id} GET /sparql 200 [0-9.]+ms q=sha256:[0-9a-f]{{12}}", lines[0]
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: MARK\x01x\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nUser-Agent: MARK\x0b\r\n\r\n",
        b"GE\x01T /MARK HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /MARK\nx HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
)
def test_raw_control_characters_in_a_request_head_are_refused_before_the_app(odd, raw):
    """Unescaped, they never reach the app (nor its log): the HTTP parser refuses the request."""
    base, log = odd
    marker = uuid.uuid4().hex
    with connect(base) as sock:
        sock.sendall(raw.replace(b"MARK", marker.encode()))
        status, _, _ = read_response(sock)
    assert status == 400
    time.sleep(0.3)
    assert marker not in log.read_text("utf-8", "replace")


def test_a_dataset_iri_keeps_its_link_header(odd):
    base, _ = odd
    with connect(base) as sock:
        status, headers, _ = exchange(sock, "/minister-goal/2017/4", {"Accept": "text/turtle"})
    assert status == 200
    links = headers["link"].split(", ")
    assert links[0] == '<https://w3id.org/epkg/minister-goal/2017/4>; rel="describes"'
    assert any(link.endswith('; rel="describedby"; type="text/turtle"') for link in links), links


class Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.switch: str | None = None  # the language switch's link

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if href is not None:
            self.found.append(href)
            if dict(attrs).get("class") == "lang":
                self.switch = href


@pytest.mark.parametrize(
    "target,switch",
    [
        ("//evil.example/x", "/evil.example/x?lang=en"),
        ("//evil.example/x?lang=en&q=1", "/evil.example/x?q=1"),
        ("///evil.example/x", "/evil.example/x?lang=en"),
        ("/%5C%5Cevil.example/x", "/%5C%5Cevil.example/x?lang=en"),
        ("/%2F%2Fevil.example/x", "/evil.example/x?lang=en"),
    ],
)
def test_a_page_at_an_odd_path_links_only_within_the_site(odd, target, switch):
    base, _ = odd
    with connect(base) as sock:
        status, headers, body = exchange(sock, target, {"Accept": "text/html"})
    assert status == 404 and headers["content-type"].startswith("text/html")
    parser = Hrefs()
    parser.feed(body.decode())
    assert len(parser.found) > 5  # the site's navigation, the language switch among them
    own = urlsplit(base).netloc
    for href in parser.found:
        assert not href.startswith(("//", "/\\", "\\")), href
        assert urlsplit(urljoin(base + "/page", href)).netloc == own, href
    assert parser.switch == switch  # the same page in the other language, on this site


# --- slow connections -----------------------------------------------------------------------


def test_a_request_head_sent_a_byte_at_a_time_is_closed(odd):
    base, _ = odd
    with connect(base) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        took = closed_within(sock, 30, drip=b"a")
    assert took is not None and took <= READ_SECONDS + GRACE, took


def test_an_idle_connection_is_closed(odd):
    base, _ = odd
    with connect(base) as sock:
        took = closed_within(sock, 30)
    assert took is not None and took <= READ_SECONDS + GRACE, took


def test_after_a_response_the_next_head_is_due_in_time_too(odd):
    base, _ = odd
    with connect(base) as sock:
        assert exchange(sock, "/health")[0] == 200
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        took = closed_within(sock, 30, drip=b"X")
    assert took is not None and took <= READ_SECONDS + GRACE, took


def test_a_keep_alive_client_is_served_across_requests(odd):
    base, _ = odd
    with connect(base) as sock:  # one connection, a pause shorter than the deadline between requests
        for _ in range(3):
            assert exchange(sock, "/health")[0] == 200
            time.sleep(READ_SECONDS / 4)
    with httpx.Client(timeout=30) as client:  # and a client whose idle connection was closed reconnects
        for pause in (0, READ_SECONDS + 1, 0):
            time.sleep(pause)
            assert client.get(f"{base}/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_a_request_that_takes_longer_than_the_deadline_is_answered(odd):
    """The deadline is on the request's head: a query running past it still gets its answer."""
    base, _ = odd
    query = httpx.QueryParams({"query": f"{SLOW} # {uuid.uuid4()}", "timeout": "3"})
    with connect(base) as sock:
        started = time.monotonic()
        status, _, body = exchange(sock, f"/sparql?{query}")
        took = time.monotonic() - started
        assert exchange(sock, "/health")[0] == 200
    assert status == 503 and json.loads(body)["status"] == 503  # stopped at its own time limit
    assert took > READ_SECONDS + 0.5, took


def test_a_slow_body_on_post_sparql_is_a_408(odd):
    base, _ = odd
    with connect(base) as sock:
        started = time.monotonic()
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        sock.settimeout(1)
        answer = b""
        while b"}" not in answer and time.monotonic() - started < 30:
            try:
                answer += sock.recv(65536)
            except TimeoutError:
                sock.sendall(b" ")
        took = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), answer[:200]
    assert json.loads(body)["status"] == 408
    assert took <= READ_SECONDS + GRACE, took


# --- proxies ----------------------------------------------------------------------------------


def test_by_default_no_proxy_is_trusted_so_forwarded_for_names_no_other_client(odd):
    """A client on 127.0.0.1 sending four different X-Forwarded-For is one client: with its 2
    requests in flight, the next ones get 429, whatever address they claim."""
    base, _ = odd
    claims = [{"x-forwarded-for": f"192.0.2.{n}"} for n in range(1, 5)]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = [
            pool.submit(
                httpx.post,
                f"{base}/sparql",
                content=f"{SLOW} # {uuid.uuid4()}".encode(),
                headers={"content-type": "application/sparql-query", **claim},
                params={"timeout": "2"},
                timeout=30,
            )
            for claim in claims[:2]
        ]
        time.sleep(1)  # both in flight (each runs 2 s, the second after the first)
        others = [
            httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers=c, timeout=30) for c in claims[2:]
        ]
        done = [f.result() for f in slow]
    assert [r.status_code for r in others] == [429, 429], [r.text for r in others]
    assert [r.status_code for r in done] == [503, 503]


# --- both HTTP implementations, in process ----------------------------------------------------


@pytest.mark.parametrize("http", sorted(PROTOCOLS))
def test_each_http_implementation_closes_a_slow_head_and_keeps_a_fast_client(http):
    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})

    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, http=http_protocol(2, http), lifespan="off", log_config=None
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        with connect(base) as sock:
            for _ in range(3):
                assert exchange(sock, "/")[0] == 200
                time.sleep(0.5)
            sock.sendall(b"GET / HTTP/1.1\r\n")
            took = closed_within(sock, 30, drip=b"X")
        assert took is not None and took <= 2 + GRACE, took
    finally:
        server.should_exit = True
        thread.join(30)
