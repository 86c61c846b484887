"""One client saturating `epkg serve`: what everyone else sees meanwhile.

    python benchmarks/fairness.py [--duration 60] [--workers 2] [--timeout 10] [--attackers 1] [--json]

It starts its own server with the service's defaults (``--workers`` 2 query workers, ``--timeout``
10 s, a client may have 8 requests in flight and hold all workers but one, 64 queries may wait
5 s each for a worker), then for ``--duration`` seconds, each client from its own loopback address
(all of 127.0.0.0/8 is loopback on Linux, so the server sees three clients):

1. an attacker (127.0.0.66) keeps 8 heavy queries in flight, each text fresh (a new comment, so
   the answer cache misses), the kinds in turn (benchmarks/load.py's ``HEAVY``): a cartesian COUNT
   (runs into the time limit), an ORDER BY over a cartesian product and a string grown by nested
   REPLACE (both pass the worker's memory cap), and the /query editor over a 120,000-triple
   CONSTRUCT (answered);
2. a bystander (127.0.0.77) posts ``SELECT ?x WHERE { BIND(1 AS ?x) }`` (fresh) to /sparql, one
   after another, 100 ms apart;
3. /health is probed every 100 ms from 127.0.0.88;
4. the resident memory of the server and every process under it (the query workers) is sampled
   every 0.25 s, on a thread of its own.

It prints the bystander's requests, p50/p99/max latency and statuses (all should be 200), /health's
p50/p99/max and the longest queue it reported, the attacker's outcomes by status and message (time
limit, memory cap, busy; 429; 200) in all and per query, and the peak resident memory of the process
tree and of the server process alone (``--json``: one JSON object). Nothing is asserted. The
targets: the bystander's p99 at most 1000 ms, /health's at most 100 ms.

``--attackers N`` runs the attacker from N addresses at once (127.0.0.66, .67, ...; 8 in flight
from each), as one person with several addresses would: the service's shares are per address.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME))

from benchmarks.load import (  # noqa: E402
    ATTACKER_IN_FLIGHT,
    address_client,
    attacker_loop,
    descendants,
    outcome_totals,
    percentile,
    report,
    rss_kb,
)
from tests.servers import epkg_process  # noqa: E402

ATTACKERS = [f"127.0.0.{n}" for n in range(66, 76)]  # the first is benchmarks/load.py's ATTACKER
BYSTANDER = "127.0.0.77"
PROBER = "127.0.0.88"
BYSTANDER_QUERY = "SELECT ?x WHERE { BIND(1 AS ?x) }"
PAUSE = 0.1  # seconds between the bystander's requests, and between /health probes
MEMORY_EVERY = 0.25  # seconds between memory samples


@dataclass
class Figures:
    bystander: list[float] = field(default_factory=list)  # seconds per request
    bystander_status: Counter = field(default_factory=Counter)
    health: list[float] = field(default_factory=list)
    health_status: Counter = field(default_factory=Counter)
    waiting_max: int = 0  # the longest queue for the workers /health reported
    attacker: dict[str, Counter] = field(default_factory=dict)  # by heavy query, outcome -> count
    rss_tree_peak_kb: int = 0
    rss_server_peak_kb: int = 0
    rss_samples: int = 0


@dataclass
class MemorySampler:
    """Samples the resident memory of ``pid`` and its descendants on a thread, until stopped."""

    pid: int
    figures: Figures
    stopped: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stopped.is_set():
            tree = rss_kb({self.pid} | descendants(self.pid))
            server = rss_kb({self.pid})
            self.figures.rss_tree_peak_kb = max(self.figures.rss_tree_peak_kb, tree)
            self.figures.rss_server_peak_kb = max(self.figures.rss_server_peak_kb, server)
            self.figures.rss_samples += 1
            self.stopped.wait(MEMORY_EVERY)


def server(workers: int, timeout: float, log_dir: Path):
    """`epkg serve` on a free port with the service's own limits (nothing raised)."""
    args = ("--workers", str(workers), "--timeout", str(timeout))
    return epkg_process(log_dir, *args, seconds=90)


async def bystander_loop(client: httpx.AsyncClient, until: float, figures: Figures) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.post(
                "/sparql",
                content=f"{BYSTANDER_QUERY}\n# {uuid.uuid4()}".encode(),
                headers={
                    "content-type": "application/sparql-query",
                    "accept": "application/sparql-results+json",
                },
            )
            status = str(response.status_code)
        except httpx.HTTPError as exc:
            status = f"dropped: {type(exc).__name__}"
        figures.bystander.append(time.perf_counter() - started)
        figures.bystander_status[status] += 1
        await asyncio.sleep(PAUSE)


async def health_loop(client: httpx.AsyncClient, until: float, figures: Figures) -> None:
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.get("/health")
            status = str(response.status_code)
            if response.status_code == 200:
                waiting = response.json().get("query_workers", {}).get("waiting", 0)
                figures.waiting_max = max(figures.waiting_max, waiting)
        except httpx.HTTPError as exc:
            status = f"dropped: {type(exc).__name__}"
        figures.health.append(time.perf_counter() - started)
        figures.health_status[status] += 1
        await asyncio.sleep(PAUSE)


async def saturate(base: str, duration: float, attackers: int, figures: Figures) -> None:
    until = time.monotonic() + duration
    async with contextlib.AsyncExitStack() as stack:
        bystander = await stack.enter_async_context(address_client(BYSTANDER, base, 2))
        prober = await stack.enter_async_context(address_client(PROBER, base, 2))
        tasks = [bystander_loop(bystander, until, figures), health_loop(prober, until, figures)]
        for address in ATTACKERS[:attackers]:
            attacker = await stack.enter_async_context(address_client(address, base, ATTACKER_IN_FLIGHT + 2))
            tasks.append(attacker_loop(attacker, until, figures.attacker))
        await asyncio.gather(*tasks)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="the server's query workers (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="the server's time limit per query (default 10)"
    )
    parser.add_argument(
        "--attackers",
        type=int,
        default=1,
        choices=range(1, len(ATTACKERS) + 1),
        metavar="N",
        help="attacking addresses, 8 heavy queries in flight from each (default 1)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    figures = Figures()
    with (
        tempfile.TemporaryDirectory() as tmp,
        server(args.workers, args.timeout, Path(tmp)) as (base, process),
    ):
        httpx.get(f"{base}/dataset", timeout=120)  # the published pages are built at start: wait for them
        sampler = MemorySampler(process.pid, figures)
        thread = threading.Thread(target=sampler.run, name="memory", daemon=True)
        thread.start()
        started = time.monotonic()
        try:
            asyncio.run(saturate(base, args.duration, args.attackers, figures))
        finally:
            sampler.stopped.set()
            thread.join()
        elapsed = time.monotonic() - started
    result = {
        "duration_s": round(elapsed, 1),
        "workers": args.workers,
        "timeout_s": args.timeout,
        "attackers": args.attackers,
        "bystander_requests": len(figures.bystander),
        "bystander_p50_ms": ms(percentile(figures.bystander, 0.5)),
        "bystander_p99_ms": ms(percentile(figures.bystander, 0.99)),
        "bystander_max_ms": ms(max(figures.bystander, default=float("nan"))),
        "bystander_statuses": dict(sorted(figures.bystander_status.items())),
        "health_probes": len(figures.health),
        "health_p50_ms": ms(percentile(figures.health, 0.5)),
        "health_p99_ms": ms(percentile(figures.health, 0.99)),
        "health_max_ms": ms(max(figures.health, default=float("nan"))),
        "health_statuses": dict(sorted(figures.health_status.items())),
        "waiting_max": figures.waiting_max,
        "attacker_requests": sum(sum(c.values()) for c in figures.attacker.values()),
        "attacker": outcome_totals(figures.attacker),
        "attacker_by_query": {name: dict(sorted(c.items())) for name, c in sorted(figures.attacker.items())},
        "rss_peak_tree_mb": round(figures.rss_tree_peak_kb / 1024, 1),
        "rss_peak_server_mb": round(figures.rss_server_peak_kb / 1024, 1),
        "memory_samples": figures.rss_samples,
    }
    report(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
