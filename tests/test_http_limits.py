"""api/limits.py on a real server: CORS, security headers, per-client concurrency (429), answer
size (422, never a cut), and the request log (one line per request: id, status, time, query).

One server of its own with small limits: answers up to 50,000 bytes, 2 requests in flight per
client, 3 s per query, the request log at INFO. The query length and body limits (413) are in
tests/test_http_fuzz.py and tests/test_guard.py.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import re
import time
import uuid

import httpx
import pytest

from .servers import epkg_server

MAX_BYTES = 50_000
QUERY = {"content-type": "application/sparql-query"}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("limited")
    env = {
        "EPKG_MAX_RESPONSE_BYTES": str(MAX_BYTES),
        "EPKG_CLIENT_CONCURRENCY": "2",
        "EPKG_FORWARDED_ALLOW_IPS": "127.0.0.1",  # the tests act as a proxy (none is trusted by default)
    }
    with epkg_server(log_dir, "--timeout", "3", "--workers", "2", "--log-level", "info", env=env) as base:
        yield base, log_dir / "serve.log"


def test_an_answer_over_the_size_limit_is_an_error_never_a_cut(limited):
    base, _ = limited
    small = httpx.post(f"{base}/sparql", content=b"SELECT (1 AS ?x) {}", headers=QUERY)
    assert small.status_code == 200 and len(small.content) < MAX_BYTES
    big = httpx.post(f"{base}/sparql", content=b"SELECT * WHERE { ?s ?p ?o } LIMIT 1000", headers=QUERY)
    assert big.status_code == 422
    body = big.json()
    assert body["error"] == "answer too large"
    assert f"{MAX_BYTES:,}" in body["message"] and "LIMIT" in body["message"]
    # The same rows, paged under the limit, come whole.
    page = httpx.post(
        f"{base}/sparql", content=b"SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5", headers=QUERY
    )
    assert page.status_code == 200 and len(page.json()["results"]["bindings"]) == 5


@contextlib.contextmanager
def two_slow_requests(base: str, headers: dict[str, str] | None = None):
    """Keeps the limited server's 2 slots of one client busy (2 queries that run to their 2 s
    limit) while the body runs; yields the list their answers are put in when they end."""
    results: list[httpx.Response] = []
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = [
            pool.submit(
                httpx.post,
                f"{base}/sparql",
                content=f"{SLOW} # {uuid.uuid4()}".encode(),
                headers={**QUERY, **(headers or {})},
                params={"timeout": "2"},
                timeout=30,
            )
            for _ in range(2)
        ]
        time.sleep(0.5)
        yield results
        results.extend(f.result() for f in slow)


def test_a_client_over_its_concurrency_gets_429_with_retry_after(limited):
    base, _ = limited
    with two_slow_requests(base) as results:
        third = httpx.get(f"{base}/sparql", params={"query": "ASK {}"})
        health = httpx.get(f"{base}/health")
    assert third.status_code == 429
    assert third.headers["retry-after"] == "1"
    assert "2 requests in flight" in third.json()["message"]
    assert health.status_code == 200  # /health is never refused
    assert [r.status_code for r in results] == [503, 503]  # both ran to their limit
    assert (
        httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200
    )  # the slots are free again


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(limited):
    """The tests' 127.0.0.1 is a trusted proxy by default (EPKG_FORWARDED_ALLOW_IPS): its
    X-Forwarded-For names the client, so one busy client behind it does not block another."""
    base, _ = limited
    first, second = {"x-forwarded-for": "192.0.2.1"}, {"x-forwarded-for": "192.0.2.2"}
    with two_slow_requests(base, first) as results:
        same_client = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers=first)
        other_client = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers=second)
        direct = httpx.get(f"{base}/sparql", params={"query": "ASK {}"})
    assert same_client.status_code == 429 and "2 requests in flight" in same_client.json()["message"]
    assert other_client.status_code == 200 and other_client.json()["boolean"] is True
    assert direct.status_code == 200  # the proxy's own address is a client of its own
    assert [r.status_code for r in results] == [503, 503]


def test_cors_is_open_for_get_and_post_without_credentials(limited):
    base, _ = limited
    origin = {"origin": "https://example.org"}
    simple = httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, headers=origin)
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in simple.headers
    assert "X-Request-Id" in simple.headers["access-control-expose-headers"]
    preflight = httpx.options(
        f"{base}/sparql",
        headers={
            **origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert set(preflight.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
    assert "content-type" in preflight.headers["access-control-allow-headers"]
    refused = httpx.options(f"{base}/sparql", headers={**origin, "access-control-request-method": "DELETE"})
    assert refused.status_code == 400


# An entity page with a small description: this server's answers are capped at MAX_BYTES, and
# the page of a minister goal (57 KB of N-Triples with its neighbours) would be refused whole.
@pytest.mark.parametrize(
    "path,accept", [("/", "text/html"), ("/sparql", "text/html"), ("/scheme/basis/stated", "text/html")]
)
def test_html_pages_carry_security_headers(limited, path, accept):
    base, _ = limited
    response = httpx.get(f"{base}{path}", headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_docs_keep_what_swagger_ui_needs_and_data_answers_need_no_page_policy(limited):
    base, _ = limited
    docs = httpx.get(f"{base}/docs")
    policy = docs.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline';" in policy and "http" not in policy  # vendored, no CDN
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.text  # from the pip package (api/assets.py)
    bundle = httpx.get(f"{base}/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and bundle.headers["content-type"].startswith("text/javascript")
    data = httpx.get(f"{base}/sparql", params={"query": "ASK {}"})
    assert data.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in data.headers


def test_one_log_line_per_request_with_id_status_time_and_query(limited):
    base, log = limited
    query = f"ASK {{}} # {uuid.uuid4()}"
    request_id = uuid.uuid4().hex[:12]
    answer = httpx.get(f"{base}/sparql", params={"query": query}, headers={"x-request-id": request_id})
    assert answer.headers["x-request-id"] == request_id
    question = httpx.get(f"{base}/api/queries/minister-goals", params={"year": "2017"})
    generated = question.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{12}", generated)
    time.sleep(0.3)
    lines = log.read_text(errors="replace").splitlines()
    digest = hashlib.sha256(query.encode()).hexdigest()[:12]
    assert [
        line
        for line in lines
        if re.search(rf" {request_id} GET /sparql 200 [0-9.]+ms q=sha256:{digest}$", line)
    ], lines[-5:]
    assert [
        line
        for line in lines
        if re.search(rf" {generated} GET /api/queries/minister-goals 200 [0-9.]+ms q=minister-goals$", line)
    ], lines[-5:]


def test_a_rest_answer_longer_than_its_page_is_flagged(limited):
    base, _ = limited
    response = httpx.get(f"{base}/api/queries/minister-goals", params={"limit": "3"})
    body = response.json()
    assert response.status_code == 200
    assert len(body["items"]) == 3 and body["limit"] == 3 and body["offset"] == 0
    assert body["total"] == int(response.headers["x-total-count"]) > 3  # the client sees there is more
    rest = httpx.get(
        f"{base}/api/queries/minister-goals", params={"limit": "3", "offset": str(body["total"] - 1)}
    )
    assert len(rest.json()["items"]) == 1
    too_many = httpx.get(f"{base}/api/queries/minister-goals", params={"limit": "100001"})
    assert too_many.status_code == 400 and "limit" in too_many.json()["message"]


def test_a_huge_answer_is_stopped_in_the_worker_not_at_the_time_limit(limited):
    """The engine writes into a bounded buffer: a cartesian product's answer is refused as soon
    as it passes the limit (422), instead of growing in memory until the query's time limit (503)."""
    base, _ = limited
    response = httpx.post(f"{base}/sparql", content=b"SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", headers=QUERY)
    assert response.status_code == 422, response.text[:200]
    assert response.json()["error"] == "answer too large"


def test_the_size_limit_covers_rest_answers_and_spares_published_files(limited):
    base, _ = limited
    route = f"{base}/api/queries/organisation-involvement"
    # Generous: the first /dump.nt builds the dumps, which takes long on a busy machine.
    with httpx.Client(timeout=120) as client:
        rest = client.get(route, params={"limit": "100000"})
        assert rest.status_code == 422 and rest.json()["error"] == "answer too large"  # ~80 kB > 50 kB
        assert client.get(route, params={"limit": "10"}).status_code == 200
        dump = client.get(f"{base}/dump.nt")
    assert dump.status_code == 200 and len(dump.content) == int(dump.headers["content-length"]) > MAX_BYTES
