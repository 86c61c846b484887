"""HTTP against the in-process engine, per catalogue question, in one run.

For each question (its example parameters): the in-process time of pyoxigraph answering the
same SPARQL as SPARQL JSON (the engine's own serialiser), then over HTTP on a real `epkg
serve` (uvicorn, worker pool): /sparql cold (a new query text each time, so the cache
misses: a comment makes it new), /sparql repeated (answered from the cache), and the REST
route /api/queries/{name} cold and repeated. Medians; ratios to the in-process time.

    python benchmarks/http_vs_engine.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HOME = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HOME))

from api.catalogue import load_catalogue  # noqa: E402
from api.graph import Project  # noqa: E402
from api.store import open_store  # noqa: E402
from tests.servers import epkg_server  # noqa: E402

JSON = "application/sparql-results+json"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="samples per figure (default 20)")
    args = parser.parse_args()
    project = Project(home=HOME)
    catalogue = load_catalogue(project.queries_dir)
    store = open_store("oxigraph", project)
    print(f"{store.description}; {os.cpu_count()} cores; medians of {args.rounds} rounds", file=sys.stderr)
    import tempfile

    with tempfile.TemporaryDirectory() as logs, epkg_server(Path(logs), "--workers", "2") as base:
        client = httpx.Client(base_url=base, timeout=60, headers={"Accept": JSON})
        rows = []
        for name, question in catalogue.items():
            params = question.example_params()
            query = question.render(question.bind(params))
            for _ in range(3):  # warm the engine's own caches, as the server's workers are warm
                store.execute(query, JSON)
            engine = median_ms([timed(lambda: store.execute(query, JSON)) for _ in range(args.rounds)])
            cold = median_ms([
                timed(lambda i=i: client.get("/sparql", params={"query": f"{query}# {time.time_ns()} {i}"}))
                for i in range(args.rounds)
            ])
            client.get("/sparql", params={"query": query})
            repeated = median_ms([timed(lambda: client.get("/sparql", params={"query": query}))
                                  for _ in range(args.rounds)])
            client.get(f"/api/queries/{name}", params=params)
            rest = median_ms([timed(lambda: client.get(f"/api/queries/{name}", params=params))
                              for _ in range(args.rounds)])
            rows.append((name, engine, cold, repeated, rest))
        client.close()
    print(f"{'question':34} {'engine ms':>9} {'HTTP cold':>9} {'ratio':>6} {'repeated':>9} {'REST rep.':>9}")
    for name, engine, cold, repeated, rest in rows:
        print(f"{name:34} {engine:9.2f} {cold:9.2f} {cold / engine:5.2f}x {repeated:9.2f} {rest:9.2f}")
    ratios = [cold / engine for _, engine, cold, _, _ in rows]
    print(f"median ratio HTTP cold / in-process: {statistics.median(ratios):.2f}x; "
          f"repeated: median {statistics.median(r[3] for r in rows):.2f} ms, max {max(r[3] for r in rows):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
