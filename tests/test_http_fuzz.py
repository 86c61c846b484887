"""No 5xx for anything a client can send, and no stack trace or server path in any error.

Three sources of requests, all against a real server (the ``live_server`` fixture: 2 workers,
a 3 s time limit):

- schemathesis: every operation of /openapi.json, with parameters generated from the schema;
- hypothesis: the parameters of every question route (/api/queries/{name}) and friendly
  route, from strategies that start at the documented examples and mutate them (unicode,
  surrogates, control characters, huge and signed numbers, unknown parameters, repeats);
- a corpus of malformed and pathological SPARQL: bad UTF-8 and lone surrogates, megabyte
  queries, 3,000-deep nesting, a 200,000-row VALUES, operator and UNION chains long enough to
  overflow the engine's stack (they once crashed the worker: a 500), cartesian products,
  ``(p|^p)*`` over cycles, catastrophic REGEX. Where the answer is deterministic it is compared
  whole with the same query run in process.

One status in the 5xx range is by design: a query stopped at its time limit answers 503 with
"time limit" in its message (api/errors.py QueryTimeout). It is counted separately, never
accepted for a request that does not run a query past its limit. Anything else >= 500 fails.
Counts are printed at the end (run with -s to see them).
"""

from __future__ import annotations

import collections
import json
import os
import re
import socket
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from api.store import open_store

HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEAKS = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\.py\"|site-packages|/usr/lib/python|"
    + re.escape(HOME)
)
COUNTS: collections.Counter[str] = collections.Counter()
QUERY = {"content-type": "application/sparql-query"}

try:
    import schemathesis
    from schemathesis.checks import not_a_server_error
except ImportError:  # pragma: no cover - the test extra installs it
    schemathesis = None


def clean(response: httpx.Response | object, label: str) -> int:
    """Asserts the response is no server error (but a query's time limit) and leaks nothing."""
    status = response.status_code  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert not LEAKS.search(text), f"{label}: the body shows server internals: {text[:300]}"
    if status == 503 and "time limit" in text:
        COUNTS["stopped at the time limit (503)"] += 1
        return status
    assert status < 500, f"{label}: {status} {text[:300]}"
    if status >= 400:
        content_type = response.headers.get("content-type", "")  # type: ignore[attr-defined]
        if isinstance(content_type, list):  # schemathesis's responses hold lists of values
            content_type = content_type[0] if content_type else ""
        if content_type.startswith("application/json") and text:  # HEAD answers have no body
            body = json.loads(text)
            assert body["status"] == status and body["message"], (label, body)
    return status


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def local(project):
    return open_store("oxigraph", project)


# --- schemathesis ---------------------------------------------------------------------------

FUZZ = settings(
    max_examples=int(os.environ.get("EPKG_FUZZ_EXAMPLES", "15")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def _fuzz_operation(operation, live_server: str, failures: list[str]) -> None:
    @FUZZ
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(base_url=live_server, timeout=60)
        COUNTS["schemathesis cases"] += 1
        try:
            if clean(response, operation.label) < 500:  # a query stopped at its time limit is by design
                case.validate_response(response, checks=[not_a_server_error])
        except AssertionError as exc:
            failures.append(f"{operation.label}: {exc}")
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis's failures are exception groups
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:300]}")

    run()


def test_schemathesis_every_operation(live_server):
    if schemathesis is None:
        if os.environ.get("CI"):
            pytest.fail("schemathesis is not installed (pip install -e '.[test]')")
        pytest.skip("schemathesis is not installed")
    schema = schemathesis.openapi.from_url(f"{live_server}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    failures = []
    for operation in operations:
        _fuzz_operation(operation, live_server, failures)
    COUNTS["schemathesis operations"] = len(operations)
    assert len(operations) >= 30  # the schema lists every route (a lost router would show)
    assert not failures, "\n".join(failures[:20])


# --- hypothesis: every REST route's parameters ----------------------------------------------

NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "+1",
        "1e309",
        "NaN",
        "9" * 40,
        "2017\x00",
        "\ud800",
        "\udfff",
        "é" * 300,
        "<script>",
        "' OR 1=1 --",
        '" } ; DROP ALL ; #',
        "../../etc/passwd",
        "%00",
        "\u202e",
        "🙂",
        "a" * 5000,
        "2017-02-30",
        "https://w3id.org/epkg/minister-goal/2017/4",
        "<https://w3id.org/epkg/x>",
        "?x",
        "}",
        "{",
        "\\u0053ERVICE",
    ]
)


def values_for(example: str) -> st.SearchStrategy[str]:
    mutated = st.builds(lambda a, b: a + b, st.just(example), st.text(max_size=20))
    return st.one_of(
        st.just(example), NASTY, mutated, st.text(max_size=60), st.integers(-(10**12), 10**12).map(str)
    )


@st.composite
def route_params(draw, parameters: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, example in parameters:
        if draw(st.booleans()) or draw(st.booleans()):
            out.append((name, draw(values_for(example))))
    for reserved in ("format", "limit", "offset", "timeout"):
        if draw(st.integers(0, 5)) == 0:
            out.append(
                (reserved, draw(st.one_of(NASTY, st.sampled_from(["json", "csv", "1", "0", "100000"]))))
            )
    if draw(st.integers(0, 6)) == 0:
        out.append((draw(st.text(min_size=1, max_size=10)), draw(st.text(max_size=10))))
    if out and draw(st.integers(0, 8)) == 0:
        out.append(out[0])  # a parameter given twice
    return out


def rest_routes(client: httpx.Client) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every question route with its parameters and examples, and the friendly routes with theirs."""
    from api.routes.questions import FRIENDLY

    questions = client.get("/api/queries").json()["questions"]
    examples = {q["name"]: {p["name"]: p["example"] or "" for p in q["parameters"]} for q in questions}
    routes = [(f"/api/queries/{q['name']}", list(examples[q["name"]].items())) for q in questions]
    for spec in FRIENDLY:
        params = [
            (route_name, examples.get(spec.question, {}).get(name, ""))
            for route_name, name in spec.query.items()
        ]
        path = spec.path
        for path_name, name in spec.path_params.items():
            example = (
                examples.get(spec.question, {})
                .get(name, "x")
                .removeprefix(spec.path_prefix.get(path_name, ""))
            )
            path = path.replace("{" + path_name + "}", quote(example, safe=""))
        routes.append((path, params))
    routes.append(
        (
            "/api/minister-goals/2017/4/answers",
            [("municipality", "330"), ("basis", "stated"), ("specificity", "direct")],
        )
    )
    routes.append(("/api/minister-goals/4/answers", [("municipality", "330")]))
    return routes


def _fuzz_route(client: httpx.Client, path: str, parameters: list[tuple[str, str]]) -> None:
    @FUZZ
    @given(params=route_params(parameters))
    def run(params):
        encoded = "&".join(
            f"{quote(k.encode('utf-8', 'surrogatepass'), safe='')}="
            f"{quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
            for k, v in params
        )
        response = client.get(f"{path}?{encoded}" if encoded else path)
        COUNTS["hypothesis REST cases"] += 1
        clean(response, f"{path}?{encoded}"[:200])

    run()


def test_hypothesis_every_rest_route(client):
    routes = rest_routes(client)
    assert len(routes) >= 20
    for path, parameters in routes:
        _fuzz_route(client, path, parameters)
    COUNTS["hypothesis REST routes"] = len(routes)


# --- the SPARQL corpus ----------------------------------------------------------------------

NEST = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000
BIG_VALUES = (
    "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(i) for i in range(200_000)) + " } }"
)
FITTING_VALUES = (
    "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { " + " ".join(str(i) for i in range(9_999)) + " } }"
)
MEGABYTE = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 1_000_000
MEGABYTE_STRING = 'SELECT * WHERE { ?s ?p "' + "y" * 1_000_000 + '" }'
CYCLES = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (skos:broader|^skos:broader)* ?o }"
)
ANY_CYCLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|^<urn:p>|!<urn:q>)* ?o } "
REGEX_EVIL = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "^(a+)+$") }'
REGEX_LONG = (
    'SELECT ?m WHERE { BIND(CONCAT("' + "a" * 5000 + '", "!") AS ?x) '
    'BIND(REGEX(?x, "^(a|aa)*(a|aa)*(a|aa)*$") AS ?m) }'
)
REGEX_BROKEN = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "(((") }'
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHAIN_PLUS = "SELECT (" + "+".join(["1"] * 7_000) + " AS ?x) WHERE {}"
CHAIN_UNION = "SELECT * WHERE { " + " UNION ".join(["{}"] * 9_000) + " }"
CHAIN_AND = "SELECT * WHERE { BIND(true AS ?t) FILTER(" + " && ".join(["?t"] * 9_500) + ") }"
CHAIN_OPTIONAL = "SELECT * WHERE { " + " ".join(["OPTIONAL{}"] * 9_000) + " }"

# (name, request, allowed statuses, compare the answer with the in-process engine)
CORPUS: list[tuple[str, dict, set[int], str | None]] = [
    (
        "bad utf-8 direct",
        {"method": "POST", "content": b"SELECT * WHERE { ?s ?p \xff\xfe }", "headers": QUERY},
        {400},
        None,
    ),
    (
        "bad utf-8 form",
        {
            "method": "POST",
            "content": b"query=SELECT%20%2A%20%7B%7D%FF%FE",
            "headers": {"content-type": "application/x-www-form-urlencoded"},
        },
        {400},
        None,
    ),
    ("bad utf-8 GET", {"method": "GET", "url": "/sparql?query=SELECT%20%2A%20%7B%7D%FF"}, {400}, None),
    (
        "lone surrogate bytes direct",
        {"method": "POST", "content": b"ASK { \xed\xa0\x80 }", "headers": QUERY},
        {400},
        None,
    ),
    (
        "lone surrogate escape",
        {"method": "POST", "content": b'ASK { FILTER("\\uD800" = "x") }', "headers": QUERY},
        {400},
        None,
    ),
    ("lone surrogate GET", {"method": "GET", "url": "/sparql?query=ASK%20%7B%7D%ED%A0%80"}, {400}, None),
    ("NUL", {"method": "POST", "content": b"ASK {}\x00", "headers": QUERY}, {400}, None),
    ("empty", {"method": "POST", "content": b"", "headers": QUERY}, {400}, None),
    (
        "utf-16 with BOM",
        {"method": "POST", "content": "ASK {}".encode("utf-16"), "headers": QUERY},
        {400},
        None,
    ),
    (
        "megabyte comment direct",
        {"method": "POST", "content": MEGABYTE.encode(), "headers": QUERY},
        {413},
        None,
    ),
    (
        "megabyte string form",
        {
            "method": "POST",
            "content": ("query=" + quote(MEGABYTE_STRING)).encode(),
            "headers": {"content-type": "application/x-www-form-urlencoded"},
        },
        {413},
        None,
    ),
    ("3,000-deep nesting", {"method": "POST", "content": NEST.encode(), "headers": QUERY}, {400}, None),
    ("200,000-row VALUES", {"method": "POST", "content": BIG_VALUES.encode(), "headers": QUERY}, {413}, None),
    (
        "9,999-row VALUES",
        {"method": "POST", "content": FITTING_VALUES.encode(), "headers": QUERY},
        {200},
        FITTING_VALUES,
    ),
    (
        "(p|^p)* over skos cycles",
        {"method": "POST", "content": CYCLES.encode(), "headers": QUERY},
        {200},
        CYCLES,
    ),
    (
        "(p|^p|!q)* over everything",
        {"method": "POST", "content": ANY_CYCLES.encode(), "headers": QUERY},
        {200, 503},
        None,
    ),
    (
        "catastrophic REGEX over literals",
        {"method": "POST", "content": REGEX_EVIL.encode(), "headers": QUERY},
        {200},
        REGEX_EVIL,
    ),
    (
        "catastrophic REGEX on 5,000 a's",
        {"method": "POST", "content": REGEX_LONG.encode(), "headers": QUERY},
        {200},
        REGEX_LONG,
    ),
    (
        "invalid REGEX",
        {"method": "POST", "content": REGEX_BROKEN.encode(), "headers": QUERY},
        {200},
        REGEX_BROKEN,
    ),
    (
        "cartesian product",
        {"method": "POST", "content": CARTESIAN.encode(), "headers": QUERY},
        {503, 422},
        None,
    ),
    (
        "cartesian count",
        {"method": "POST", "content": CARTESIAN_COUNT.encode(), "headers": QUERY},
        {503},
        None,
    ),
    ("7,000 x +1", {"method": "POST", "content": CHAIN_PLUS.encode(), "headers": QUERY}, {200, 503}, None),
    (
        "9,000 x UNION",
        {"method": "POST", "content": CHAIN_UNION.encode(), "headers": QUERY},
        {200, 503},
        None,
    ),
    ("9,500 x &&", {"method": "POST", "content": CHAIN_AND.encode(), "headers": QUERY}, {200, 503}, None),
    (
        "9,000 x OPTIONAL",
        {"method": "POST", "content": CHAIN_OPTIONAL.encode(), "headers": QUERY},
        {200, 503},
        None,
    ),
    ("timeout nan", {"method": "GET", "url": "/sparql?query=ASK%7B%7D&timeout=nan"}, {400}, None),
    ("timeout 1e309", {"method": "GET", "url": "/sparql?query=ASK%7B%7D&timeout=1e309"}, {400}, None),
    ("timeout -1", {"method": "GET", "url": "/sparql?query=ASK%7B%7D&timeout=-1"}, {400}, None),
    (
        "format path",
        {"method": "GET", "url": "/sparql?query=ASK%7B%7D&format=..%2F..%2Fetc%2Fpasswd"},
        {406},
        None,
    ),
    (
        "accept garbage",
        {"method": "GET", "url": "/sparql?query=ASK%7B%7D", "headers": {"accept": "*/*;q=abc, ;;;, text/"}},
        {200, 406},
        None,
    ),
    (
        "content-type garbage",
        {"method": "POST", "content": b"ASK {}", "headers": {"content-type": ";;;/"}},
        {415},
        None,
    ),
]


def _sorted_bindings(body: bytes) -> list:
    answer = json.loads(body)
    return sorted(json.dumps(b, sort_keys=True) for b in answer["results"]["bindings"])


def raw(base: str, head: str, body: bytes = b"") -> int | None:
    """Sends what httpx would not (a megabyte request line, a false Content-Length); the status,
    or None when the HTTP server closes the connection without an answer."""
    host, port = base.removeprefix("http://").split(":")
    data = b""
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        try:
            sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    if not data:
        return None
    assert not LEAKS.search(data.decode("utf-8", "replace"))
    return int(data.split(b" ")[1])


def test_a_megabyte_request_line_is_refused_by_the_http_server(live_server):
    status = raw(live_server, f"GET /sparql?query={quote(MEGABYTE)} HTTP/1.1\nHost: x\nConnection: close\n")
    COUNTS[f"megabyte request line: {status or 'connection closed'}"] += 1
    assert status is None or 400 <= status < 500
    assert httpx.get(f"{live_server}/health").status_code == 200


def test_a_false_content_length_gets_413_at_once(live_server):
    head = (
        "POST /sparql HTTP/1.1\nHost: x\nContent-Type: application/sparql-query\n"
        "Content-Length: 99999999999\nConnection: close\n"
    )
    assert raw(live_server, head, b"ASK {}") == 413
    COUNTS["SPARQL corpus cases"] += 1


@pytest.mark.parametrize("name,request_args,allowed,compare", CORPUS, ids=[c[0] for c in CORPUS])
def test_pathological_sparql(client, local, name, request_args, allowed, compare):
    response = client.request(**{"url": "/sparql", **request_args})
    COUNTS["SPARQL corpus cases"] += 1
    status = clean(response, name)
    assert status in allowed, (name, status, response.text[:300])
    if compare and status == 200:
        expected = local.execute(compare, "application/sparql-results+json")
        assert _sorted_bindings(response.content) == _sorted_bindings(expected)
    assert client.get("/health").status_code == 200


def test_the_service_still_answers_after_the_corpus(client, local):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # after the corpus"
    response = client.post("/sparql", content=query.encode(), headers=QUERY)
    assert response.status_code == 200
    assert _sorted_bindings(response.content) == _sorted_bindings(
        local.execute(query, "application/sparql-results+json")
    )


@pytest.fixture(scope="module", autouse=True)
def figures():
    """Prints the case counts at the end of the module (pytest -s shows them)."""
    yield
    print("\nfuzz figures:", dict(COUNTS))
