"""A bounded load test of `epkg serve` on 127.0.0.1: many clients, hostile queries, checked answers.

    python benchmarks/load.py [--duration 60] [--clients 32] [--pathological 4] [--workers 6]
                              [--timeout 5] [--client-workers N] [--attacker] [--json]

It starts its own server (a free port; ``--workers`` query workers, ``--timeout`` seconds per
query). The ordinary clients all come from 127.0.0.1, so the server sees them as one client: its
limit of requests in flight is raised (EPKG_CLIENT_CONCURRENCY=10000), and so is the share of the
query workers one client may hold (EPKG_CLIENT_WORKERS, ``--client-workers``): all of them by
default, since the service's own default (all but one) would leave these 32 clients a worker fewer
than earlier runs had. With ``--attacker`` the default share is a third of the workers (2 of 6):
three clients want them (the ordinary ones, the hostile queries, the attacker), and the service
hands a freed worker to the waiting clients in turn, so a client whose queries run for seconds
soon holds its whole share; with all six, the attacker and the hostile queries take every worker
and the ordinary clients are refused "busy" (177 of 423 requests in one 30 s run). Then:

1. measures the time from a runaway query's limit to its worker's end: a cartesian product with
   ``timeout=1`` while the server's worker processes are watched in /proc (three rounds);
2. runs ``--clients`` clients for ``--duration`` seconds, each asking in a loop: every catalogue
   question's REST route (/api/queries/{name}, its example parameters) and two friendly routes,
   and SPARQL (SELECT, ASK, CONSTRUCT; half of them with a fresh comment so the answer cache
   misses). Every answer is checked whole against the same question or query answered in this
   process (the façade inline, the same engine): a different answer is a wrong answer;
3. meanwhile keeps ``--pathological`` hostile queries running at all times from their own address
   (127.0.0.2, ``HOSTILE``; cartesian products, a ``(p|^p|!q)*`` closure, a stack-deep operator
   chain, a REGEX over every literal): each must end with its answer, the time limit's 503 or,
   when its client already holds its share of the workers, a "busy" 503; nothing else;
4. with ``--attacker``, one more client from its own address (127.0.0.66, ``ATTACKER``) keeps
   8 heavy queries in flight (``HEAVY``: a cartesian COUNT, an ORDER BY over a cartesian product,
   a string grown by nested REPLACE, the /query editor over a large CONSTRUCT; each text fresh),
   as benchmarks/fairness.py does; its outcomes are counted by status and message (``outcome``);
5. probes /health every 100 ms, and samples the resident memory of the server and its workers;
6. counts the served graph's triples before and after (a fresh query each time, so no cached
   answer): the load must leave the data as it was.

It prints requests, throughput, p50/p99 latency, errors, wrong answers, the pathological and
attacker outcomes, /health p50/p99, peak resident memory and the triple counts (``--json``: one
JSON object instead). Nothing is asserted here; tests/test_http_load.py runs it short and checks
its figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME))

from api import answers, execution  # noqa: E402
from api.graph import sparql_prologue  # noqa: E402
from api.service import Service  # noqa: E402
from api.settings import Settings  # noqa: E402
from tests.servers import epkg_process  # noqa: E402

PROLOGUE = sparql_prologue()
SPARQL = {
    "goals-2019": PROLOGUE + "SELECT ?goal ?number ?statement WHERE { ?goal a epkg:MinisterGoal ; "
    'epkg:goalYear "2019"^^xsd:gYear ; epkg:goalNumber ?number ; epkg:statement ?statement . '
    'FILTER (lang(?statement) = "da") } ORDER BY ?number',
    "ask-goal": PROLOGUE + "ASK { <https://w3id.org/epkg/minister-goal/2017/4> a epkg:MinisterGoal }",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "types": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
    "construct-goals": PROLOGUE
    + 'CONSTRUCT { ?g epkg:goalNumber ?n } WHERE { ?g epkg:goalYear "2017"^^xsd:gYear ; '
    "epkg:goalNumber ?n }",
}
PATHOLOGICAL = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "closure": "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|^<urn:p>|!<urn:q>)* ?o }",
    "chain": "SELECT (" + "+".join(["1"] * 7_000) + " AS ?x) WHERE {}",
    "regex": 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "^(a+)+$|(x|xx)*y") }',
}
# How a hostile query may end (by ``outcome``): its answer, its time limit, or a refusal while
# its client already holds its share of the workers and the wait for one runs out.
PATHOLOGICAL_OUTCOMES = {
    "200": "answered",
    "503 time limit": "stopped at the limit",
    "503 busy": "refused, busy",
}
HOSTILE = "127.0.0.2"  # the hostile queries' own client address
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


# --- the server and its processes ---------------------------------------------------------------


@contextlib.contextmanager
def server(
    workers: int, timeout: float, log_dir: Path, client_workers: int | None = None, queue_seconds: float | None = None
):
    """`epkg serve` on a free port, without the per-client limit of requests in flight (the
    ordinary clients here share one address), ``client_workers`` (default: all) for one client and
    ``queue_seconds`` (default: the service's) of waiting for a worker."""
    args = ("--workers", str(workers), "--timeout", str(timeout))
    env = {"EPKG_CLIENT_CONCURRENCY": "10000", "EPKG_CLIENT_WORKERS": str(client_workers or workers)}
    if queue_seconds is not None:
        env["EPKG_QUEUE_SECONDS"] = str(queue_seconds)
    with epkg_process(log_dir, *args, env=env, seconds=90) as running:
        yield running


def descendants(pid: int) -> set[int]:
    """The process ids under ``pid`` (from /proc, every level)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent has ended its work)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def rss_kb(pids: set[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def runaway_to_worker_end(base: str, pid: int, limit: float = 1.0) -> dict[str, float]:
    """Sends a runaway query with ``timeout=limit``; ms from its limit to its response, and to
    its worker's end (the worker process that vanishes, watched every 2 ms)."""
    before = {p for p in descendants(pid) if alive(p)}
    response: dict[str, Any] = {}

    def ask() -> None:
        r = httpx.get(
            f"{base}/sparql",
            params={"query": f"{RUNAWAY} # {uuid.uuid4()}", "timeout": str(limit)},
            timeout=60,
        )
        response.update(status=r.status_code, at=time.monotonic())

    started = time.monotonic()
    thread = threading.Thread(target=ask)
    thread.start()
    ended = None
    while time.monotonic() - started < limit + 20:
        gone = [p for p in before if not alive(p)]
        if gone:
            ended = time.monotonic()
            break
        time.sleep(0.002)
    thread.join()
    deadline = started + limit
    return {
        "status": float(response.get("status", 0)),
        "response_after_limit_ms": round((response["at"] - deadline) * 1000, 1) if "at" in response else -1,
        "worker_end_after_limit_ms": round((ended - deadline) * 1000, 1) if ended else -1,
    }


# --- expected answers ---------------------------------------------------------------------------


@dataclass
class Probe:
    name: str
    method: str
    url: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expected: Any = None
    kind: str = "rest"  # rest (items), results (SPARQL JSON bindings), graph (N-Triples lines)
    fresh: bool = False  # add a new comment each time: the answer cache misses
    verified: set[int] = field(default_factory=set)  # hashes of bodies already found equal to expected


def normalised(kind: str, body: bytes) -> Any:
    if kind == "rest":
        return sorted(json.dumps(item, sort_keys=True) for item in json.loads(body)["items"])
    if kind == "results":
        data = json.loads(body)
        if "boolean" in data:
            return data["boolean"]
        return sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])
    return sorted(line for line in body.decode().splitlines() if line.strip())


def probes(settings: Settings) -> list[Probe]:
    """The requests the clients send, each with its answer computed in this process."""
    service = Service.open(settings, pool=False)
    out = []
    try:
        for question in service.catalogue.values():
            params = question.example_params()
            answer = asyncio.run(service.ask(question.name, params))
            rows = json.loads(json.dumps(answers.rows(answer.table)))
            url = f"/api/queries/{question.name}?" + urlencode({**params, "limit": settings.max_rows})
            out.append(
                Probe(
                    question.name,
                    "GET",
                    url,
                    expected=normalised("rest", json.dumps({"items": rows}).encode()),
                )
            )
        for url, name, params, key in (
            ("/api/minister-goals?year=2019", "minister-goals", {"year": "2019"}, "goal"),
            ("/api/municipalities", "municipalities", {}, "m"),
        ):
            answer = asyncio.run(service.ask(name, params))
            items = json.loads(json.dumps(answers.items(answer.table, key)))
            out.append(
                Probe(
                    url,
                    "GET",
                    url + ("&" if "?" in url else "?") + "limit=1000",
                    expected=normalised("rest", json.dumps({"items": items}).encode()),
                )
            )
        store = service.executor  # inline: runs in this process
        for name, query in SPARQL.items():
            graph = name.startswith("construct")
            media_type = "application/n-triples" if graph else "application/sparql-results+json"
            body = asyncio.run(store.call(execution._execute, query, media_type, timeout=60))
            kind = "graph" if graph else "results"
            for fresh in (False, True):
                out.append(
                    Probe(
                        f"sparql {name}{' fresh' if fresh else ''}",
                        "POST",
                        "/sparql",
                        query.encode(),
                        {"content-type": "application/sparql-query", "accept": media_type},
                        normalised(kind, body),
                        kind,
                        fresh,
                    )
                )
    finally:
        service.close()
    return out


# --- one client saturating the service (also benchmarks/fairness.py) ---------------------------

ATTACKER = "127.0.0.66"  # a loopback address of its own: the server sees another client
ATTACKER_IN_FLIGHT = 8  # the service's default limit of requests in flight per client
_TEN_TIMES = '"^(.*)$", "$1$1$1$1$1$1$1$1$1$1", "s"'  # REPLACE's arguments: the whole string, ten times
# The heavy queries, by name: (route, query). Measured in process on the shipped graph (pyoxigraph,
# 2 GB watched like a worker's cap): cartesian streams a count in ~60 MB for far longer than any
# time limit; order-by must hold the product to sort it and passes 2 GB in ~5 s; replace repeats
# every IRI and literal 1,000 times and GROUP_CONCAT keeps them all: 2 GB in ~4 s (with
# STRLEN(...) ORDER BY ... LIMIT 1 instead, or REPLACE on the empty pattern, it stays under 100 MB
# or grows too slowly to reach any cap within the time limit); editor makes the /query page read
# and sort a 120,000-triple (14 MB) answer in the worker, and is answered.
HEAVY: dict[str, tuple[str, str]] = {
    "cartesian": ("/sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"),
    "order-by": ("/sparql", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"),
    "replace": (
        "/sparql",
        f"SELECT (STRLEN(GROUP_CONCAT(REPLACE(REPLACE(REPLACE(STR(?o), {_TEN_TIMES}), {_TEN_TIMES}), "
        f"{_TEN_TIMES}))) AS ?n) WHERE {{ ?s ?p ?o FILTER (!isBlank(?o)) }}",
    ),
    "editor": ("/query", "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 120000"),
}
# What a heavy query may end with: its answer, the per-client limit, or a 503 that says why
# (tests/test_http_load.py asserts it).
ATTACKER_OUTCOMES = ("200", "429", "503 time limit", "503 memory cap", "503 busy")
_ERROR_SECTION = re.compile(r'<section class="error"[^>]*>.*?<p>(.*?)</p>', re.S)  # the /query page's


def address_client(address: str, base: str, connections: int) -> httpx.AsyncClient:
    """An HTTP client whose connections come from ``address`` (any of 127.0.0.0/8 on Linux)."""
    return httpx.AsyncClient(
        base_url=base,
        timeout=120,
        # Idle connections are dropped before uvicorn's 5 s keep-alive closes them (see load()); the
        # limits go to the transport: a client given a transport ignores its own.
        transport=httpx.AsyncHTTPTransport(
            local_address=address, limits=httpx.Limits(max_connections=connections, keepalive_expiry=2.0)
        ),
    )


def error_message(response: httpx.Response) -> str:
    """The message of an error answer: the JSON body's, or the /query page's error section."""
    with contextlib.suppress(ValueError, KeyError, TypeError):
        return str(response.json()["message"])
    found = _ERROR_SECTION.search(response.text)
    return html.unescape(found.group(1)) if found else response.text[:200]


def outcome(response: httpx.Response) -> str:
    """``200``, ``429``, or the status and what the message says: time limit, memory cap, busy."""
    status = response.status_code
    if status in (200, 429):
        return str(status)
    message = error_message(response)
    for words, kind in (
        ("time limit", "time limit"),  # "the query ran past its time limit of N s and was stopped"
        ("a query worker may hold", "memory cap"),  # "... used more than the N MB a query worker may hold"
        ("busy", "busy"),  # "the service is busy: ..."
    ):
        if words in message.lower():
            return f"{status} {kind}"
    return f"{status} other: {' '.join(message.split())[:100]}"


async def heavy_request(client: httpx.AsyncClient, name: str) -> httpx.Response:
    """One heavy query, its text made new by a comment so that no cached answer serves it."""
    route, query = HEAVY[name]
    text = f"{query}\n# {uuid.uuid4()}"
    if route == "/query":
        return await client.get("/query", params={"query": text, "lang": "en"})  # the English page names the error
    return await client.post(
        "/sparql", content=text.encode(), headers={"content-type": "application/sparql-query"}
    )


async def attacker_loop(
    client: httpx.AsyncClient, until: float, outcomes: dict[str, Counter], in_flight: int = ATTACKER_IN_FLIGHT
) -> None:
    """Keeps ``in_flight`` heavy queries running until ``until``; counts each one's outcome in
    ``outcomes[name]`` (a dropped connection is ``dropped: <error>``). Each of the ``in_flight``
    loops cycles through the kinds from its own start: with one shared cycle, the refusals of a
    full queue (all at once, ``queue_seconds`` after they came) fall into step with it and the
    same kinds always reach the worker."""
    names = list(HEAVY)

    async def one_at_a_time(start: int) -> None:
        kinds = itertools.islice(itertools.cycle(names), start, None)
        while time.monotonic() < until:
            name = next(kinds)
            try:
                result = outcome(await heavy_request(client, name))
            except httpx.HTTPError as exc:
                result = f"dropped: {type(exc).__name__}"
            outcomes.setdefault(name, Counter())[result] += 1

    await asyncio.gather(*(one_at_a_time(i % len(names)) for i in range(in_flight)))


def outcome_totals(outcomes: dict[str, Counter]) -> dict[str, int]:
    return dict(sorted(sum(outcomes.values(), Counter()).items()))


def triples(base: str) -> int:
    """The served graph's triple count, by a fresh query (a cached answer would prove nothing)."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}\n# {uuid.uuid4()}"
    response = httpx.post(
        f"{base}/sparql",
        content=query.encode(),
        headers={"content-type": "application/sparql-query", "accept": "application/sparql-results+json"},
        timeout=120,
    )
    response.raise_for_status()
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    pathological: dict[str, int] = field(default_factory=dict)
    attacker: dict[str, Counter] = field(default_factory=dict)  # by heavy query, outcome -> count
    rss_peak_kb: int = 0
    rss_samples: list[int] = field(default_factory=list)


async def client_loop(
    client: httpx.AsyncClient, todo: list[Probe], until: float, figures: Figures, rng: random.Random
) -> None:
    while time.monotonic() < until:
        probe = rng.choice(todo)
        body = probe.body
        if probe.fresh and body is not None:
            body = body + f"\n# {uuid.uuid4()}".encode()
        started = time.monotonic()
        try:
            response = await client.request(probe.method, probe.url, content=body, headers=probe.headers)
        except httpx.HTTPError as exc:
            figures.errors.append(f"{probe.name}: {type(exc).__name__}")
            continue
        figures.latencies.append(time.monotonic() - started)
        if response.status_code != 200:
            figures.errors.append(f"{probe.name}: {response.status_code} {response.text[:120]}")
        elif hash(response.content) not in probe.verified:  # each distinct body is checked whole once
            if normalised(probe.kind, response.content) == probe.expected:
                probe.verified.add(hash(response.content))
            else:
                figures.wrong.append(probe.name)


async def pathological_loop(
    client: httpx.AsyncClient, name: str, query: str, until: float, figures: Figures
) -> None:
    while time.monotonic() < until:
        try:
            response = await client.post(
                "/sparql",
                content=f"{query}\n# {uuid.uuid4()}".encode(),
                headers={"content-type": "application/sparql-query"},
            )
        except httpx.HTTPError as exc:
            figures.errors.append(f"pathological {name}: {type(exc).__name__}")
            continue
        ended = PATHOLOGICAL_OUTCOMES.get(outcome(response))
        if ended is None:
            ended = f"{response.status_code}"
            figures.errors.append(f"pathological {name}: {response.status_code} {response.text[:120]}")
        key = f"{name}: {ended}"
        figures.pathological[key] = figures.pathological.get(key, 0) + 1


async def health_loop(client: httpx.AsyncClient, until: float, figures: Figures) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            response = await client.get("/health")
            if response.status_code != 200:
                figures.errors.append(f"/health: {response.status_code}")
        except httpx.HTTPError as exc:
            figures.errors.append(f"/health: {type(exc).__name__}")
        figures.health.append(time.monotonic() - started)
        await asyncio.sleep(0.1)


async def memory_loop(pid: int, until: float, figures: Figures) -> None:
    while time.monotonic() < until:
        rss = rss_kb({pid} | descendants(pid))
        figures.rss_samples.append(rss)
        figures.rss_peak_kb = max(figures.rss_peak_kb, rss)
        await asyncio.sleep(1.0)


async def load(base: str, pid: int, todo: list[Probe], args: argparse.Namespace) -> Figures:
    figures = Figures()
    until = time.monotonic() + args.duration
    # Idle connections are dropped by the client before uvicorn's 5 s keep-alive closes them: with
    # both at 5 s, a request sent on a connection the server is closing fails (RemoteProtocolError).
    limits = httpx.Limits(max_connections=args.clients + 4, keepalive_expiry=2.0)
    rng = random.Random(13)
    async with (
        httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client,
        address_client(HOSTILE, base, args.pathological + 2) as hostile,
        address_client(ATTACKER, base, ATTACKER_IN_FLIGHT + 2) as attacker,
    ):
        tasks = [
            client_loop(client, todo, until, figures, random.Random(rng.random()))
            for _ in range(args.clients)
        ]
        names = list(PATHOLOGICAL)
        tasks += [
            pathological_loop(
                hostile, names[i % len(names)], PATHOLOGICAL[names[i % len(names)]], until, figures
            )
            for i in range(args.pathological)
        ]
        tasks += [health_loop(client, until, figures), memory_loop(pid, until, figures)]
        if args.attacker:
            tasks.append(attacker_loop(attacker, until, figures.attacker))
        await asyncio.gather(*tasks)
    return figures


def client_share(args: argparse.Namespace) -> int:
    """EPKG_CLIENT_WORKERS for the run: ``--client-workers``; else all the workers, or with
    ``--attacker`` a third of them (the ordinary, the hostile and the attacking client)."""
    if args.client_workers:
        return args.client_workers
    return max(1, args.workers // 3) if args.attacker else args.workers


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--pathological", type=int, default=4, help="hostile queries kept running at all times"
    )
    parser.add_argument("--workers", type=int, default=6, help="the server's query workers (default 6)")
    parser.add_argument(
        "--timeout", type=float, default=5.0, help="the server's time limit per query (default 5)"
    )
    parser.add_argument(
        "--client-workers",
        type=int,
        default=None,
        help="the query workers one client may hold (EPKG_CLIENT_WORKERS; default: all, a third with --attacker)",
    )
    parser.add_argument(
        "--attacker",
        action="store_true",
        help=f"one more client ({ATTACKER}) keeping {ATTACKER_IN_FLIGHT} heavy queries in flight",
    )
    parser.add_argument(
        "--queue-seconds",
        type=float,
        default=None,
        help="how long a query may wait for a worker (EPKG_QUEUE_SECONDS; default: the service's, 5 s)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    settings = Settings(workers=args.workers, timeout=args.timeout)
    todo = probes(settings)
    with (
        tempfile.TemporaryDirectory() as tmp,
        server(args.workers, args.timeout, Path(tmp), client_share(args), args.queue_seconds) as (base, process),
    ):
        httpx.get(f"{base}/dataset", timeout=120)  # the published pages are built at start: wait for them
        triples_before = triples(base)
        runaway = [runaway_to_worker_end(base, process.pid) for _ in range(3)]
        time.sleep(1.0)  # the pool replaces the killed workers
        started = time.monotonic()
        figures = asyncio.run(load(base, process.pid, todo, args))
        elapsed = time.monotonic() - started
        rss_end = rss_kb({process.pid} | descendants(process.pid))
        triples_after = triples(base)
    result = {
        "duration_s": round(elapsed, 1),
        "clients": args.clients,
        "pathological_running": args.pathological,
        "workers": args.workers,
        "client_workers": client_share(args),
        "timeout_s": args.timeout,
        "requests": len(figures.latencies),
        "requests_per_s": round(len(figures.latencies) / elapsed, 1),
        "p50_ms": round(percentile(figures.latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(figures.latencies, 0.99) * 1000, 1),
        "errors": len(figures.errors),
        "error_examples": sorted(set(figures.errors))[:5],
        "wrong_answers": len(figures.wrong),
        "wrong_examples": sorted(set(figures.wrong))[:5],
        "pathological": dict(sorted(figures.pathological.items())),
        "attacker": outcome_totals(figures.attacker) if args.attacker else None,
        "attacker_by_query": {name: dict(sorted(c.items())) for name, c in sorted(figures.attacker.items())}
        if args.attacker
        else None,
        "health_probes": len(figures.health),
        "health_p50_ms": round(percentile(figures.health, 0.5) * 1000, 1),
        "health_p99_ms": round(percentile(figures.health, 0.99) * 1000, 1),
        "rss_peak_mb": round(figures.rss_peak_kb / 1024, 1),
        "rss_median_mb": round(statistics.median(figures.rss_samples) / 1024, 1)
        if figures.rss_samples
        else None,
        "rss_end_mb": round(rss_end / 1024, 1),
        "runaway_limit_to_response_ms": [r["response_after_limit_ms"] for r in runaway],
        "runaway_limit_to_worker_end_ms": [r["worker_end_after_limit_ms"] for r in runaway],
        "runaway_status": [int(r["status"]) for r in runaway],
        "distinct_requests": len(todo),
        "triples_before": triples_before,
        "triples_after": triples_after,
    }
    report(result, args.json)
    return 0


def report(result: dict[str, Any], as_json: bool) -> None:
    """The figures: one JSON object, or one aligned line each."""
    if as_json:
        print(json.dumps(result))
        return
    width = max(map(len, result)) + 2
    for key, value in result.items():
        print(f"{key:{width}} {value}")


if __name__ == "__main__":
    sys.exit(main())
