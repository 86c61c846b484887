"""Per-question latency of the catalogue on each embedded engine, measured in one run.

    python benchmarks/catalogue.py [--repeat 20]

Prints, for every question in queries/ with its example parameters, the median latency
on pyoxigraph and on rdflib and their ratio; then the load time of each store. Figures,
not assertions: run it on the machine you care about.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.catalogue import load_catalogue  # noqa: E402
from api.graph import Project  # noqa: E402
from api.store import open_store  # noqa: E402


def median_seconds(store, query: str, repeat: int) -> tuple[float, int]:
    rows = len(store.select(query).rows)  # warm-up, and the row count
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.select(query)
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    project = Project.from_settings()
    stores, loads = {}, {}
    for backend in ("oxigraph", "rdflib"):
        started = time.perf_counter()
        stores[backend] = open_store(backend, project)
        loads[backend] = time.perf_counter() - started
    catalogue = load_catalogue(project.queries_dir)
    print(f"{'question':34} {'rows':>5} {'oxigraph ms':>12} {'rdflib ms':>10} {'rdflib/oxigraph':>16}")
    ratios = []
    for question in catalogue.values():
        query = question.render(question.bind(question.example_params()))
        ox, rows = median_seconds(stores["oxigraph"], query, args.repeat)
        rd, _ = median_seconds(stores["rdflib"], query, max(3, args.repeat // 4))
        ratios.append(rd / ox)
        print(f"{question.name:34} {rows:>5} {ox * 1000:>12.2f} {rd * 1000:>10.1f} {rd / ox:>15.0f}x")
    print(f"\nmedian ratio rdflib/oxigraph: {statistics.median(ratios):.0f}x over {len(ratios)} questions")
    print("load: " + ", ".join(f"{b} {s:.2f} s" for b, s in loads.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
