"""The catalogue on the embedded store and on two real SPARQL servers, measured in one run.

    python benchmarks/backends.py [--repeat 10] [--skip-virtuoso] [--skip-checks]
    EPKG_HOME=/tmp/epkg-1m python benchmarks/backends.py   # a grown graph (benchmarks/scale.py)

Starts an Oxigraph server (``oxigraph serve --union-default-graph``, in memory) and Virtuoso
(``virtuoso-t`` with its own virtuoso.ini and database in a temporary folder) on 127.0.0.1,
loads both with `epkg load`'s code (one named graph per source document), and prints:

- load time and resident memory per store (the embedded store's is this process's growth);
- per-question median latency on each backend (through RemoteStore, i.e. SPARQLWrapper over
  HTTP, for the servers), and whether each server's rows equal the embedded store's;
- what a client sees when the store goes away mid-query (SIGKILL) or freezes (SIGSTOP):
  the error and how long it took.

Figures, not assertions: run it on the machine you care about. The servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.catalogue import load_catalogue  # noqa: E402
from api.graph import Project  # noqa: E402
from api.publish import load, named_graphs, validate_project  # noqa: E402
from api.remote import RemoteStore  # noqa: E402
from api.store import open_store  # noqa: E402
from tests.servers import oxigraph_process, virtuoso_process  # noqa: E402

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # minutes on any engine
# Minutes on Virtuoso, which it does not refuse as too costly: the FILTER makes it look at every
# pair (a bare COUNT of the product it computes from counts, in well under a second).
HEAVY_VIRTUOSO = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER (STR(?c) < STR(?f)) }"


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median_ms(store, query: str, repeat: int) -> tuple[float, tuple]:
    rows = store.select(query).rows  # warm-up, and the answer
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.select(query)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, rows


def goes_away(server, query: str, how: str, timeout: float) -> str:
    """Runs ``query``, then kills (or freezes) the server; returns what the client saw, and when."""
    store = RemoteStore(server.query_endpoint, timeout=timeout)
    store.ping()
    outcome: dict = {}

    def run() -> None:
        try:
            store.select(query)
            outcome["error"] = "an answer (!)"
        except Exception as exc:
            outcome["error"] = f"{type(exc).__name__}: {exc}"
        outcome["at"] = time.monotonic()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    time.sleep(1.0)
    hit = time.monotonic()
    if how == "killed":
        server.kill()
    else:
        server.process.send_signal(signal.SIGSTOP)
    thread.join(timeout + 30)
    if how != "killed":
        server.process.send_signal(signal.SIGCONT)
    if "at" not in outcome:
        return "no answer and no error (hung)"
    return f"{outcome['at'] - hit:5.1f} s after it was {how}: {outcome['error']}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--skip-virtuoso", action="store_true")
    parser.add_argument(
        "--skip-checks",
        action="store_true",
        help="no SHACL validation (hours on a grown graph; the data is the same)",
    )
    args = parser.parse_args()
    project = Project.from_settings()
    catalogue = load_catalogue(project.queries_dir)

    started = time.perf_counter()
    graphs = named_graphs(project)
    parse = time.perf_counter() - started
    started = time.perf_counter()
    if not args.skip_checks:
        validate_project(project, graphs)
    checked = (
        "skipped" if args.skip_checks else f"{time.perf_counter() - started:.2f} s (once, before any load)"
    )
    print(
        f"read {sum(len(g.graph) for g in graphs):,} triples in {len(graphs)} named graphs: {parse:.2f} s; SHACL validation {checked}\n"
    )

    before = rss_mb()
    started = time.perf_counter()
    stores = {"embedded": open_store("oxigraph", project)}
    loads = {"embedded": (time.perf_counter() - started, rss_mb() - before)}

    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        servers = {"oxigraph": stack.enter_context(oxigraph_process(None, union_default_graph=True))}
        if not args.skip_virtuoso:
            servers["virtuoso"] = stack.enter_context(virtuoso_process(folder / "virtuoso"))
        for name, server in servers.items():
            idle = rss_mb(server.process.pid)
            report = load(
                project, server.query_endpoint, server.graph_store, server.user, server.password, check=False
            )
            loads[name] = (report.seconds["send"] + report.seconds["verify"], rss_mb(server.process.pid))
            stores[name] = RemoteStore(server.query_endpoint, timeout=60)
            print(f"{name}: idle {idle:.0f} MB")

        print(f"\n{'store':10} {'load s':>7} {'memory MB':>10}")
        for name, (seconds, memory) in loads.items():
            what = "RSS growth of this process" if name == "embedded" else "server RSS after load"
            print(f"{name:10} {seconds:>7.2f} {memory:>10.0f}   ({what})")

        names = list(stores)
        print(f"\n{'question':32} {'rows':>5} " + " ".join(f"{n + ' ms':>13}" for n in names) + "  same rows")
        totals = dict.fromkeys(names, 0.0)
        for question in catalogue.values():
            query = question.render(question.bind(question.example_params()))
            figures, answers = {}, {}
            for name, store in stores.items():
                try:
                    figures[name], answers[name] = median_ms(store, query, args.repeat)
                    totals[name] += figures[name]
                except Exception as exc:  # a server's error is a figure too
                    figures[name], answers[name] = float("nan"), (f"{type(exc).__name__}",)
            reference = sorted(map(repr, answers["embedded"]))
            same = [n for n in names[1:] if sorted(map(repr, answers[n])) == reference]
            differ = [n for n in names[1:] if n not in same]
            print(
                f"{question.name:32} {len(answers['embedded']):>5} "
                + " ".join(f"{figures[n]:>13.2f}" for n in names)
                + ("  all" if not differ else f"  differs: {', '.join(differ)}")
            )
        print(f"{'sum of medians':32} {'':>5} " + " ".join(f"{totals[n]:>13.1f}" for n in names))

        print("\nthe store goes away mid-query (RemoteStore time limit 30 s):")
        print(f"  oxigraph killed:  {goes_away(servers['oxigraph'], HEAVY, 'killed', 30)}")
        if "virtuoso" in servers:
            print(f"  virtuoso killed:  {goes_away(servers['virtuoso'], HEAVY_VIRTUOSO, 'killed', 30)}")
        with oxigraph_process(None, union_default_graph=True) as frozen:
            load(project, frozen.query_endpoint, frozen.graph_store, check=False)
            print(f"  oxigraph frozen:  {goes_away(frozen, HEAVY, 'frozen', 5)}  (time limit 5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
