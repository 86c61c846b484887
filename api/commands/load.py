"""``epkg load``: put the graph into a SPARQL server for the remote backend."""

from __future__ import annotations

import sys
import time

from ..graph import Project, load_graph
from ..publish import PublishError, replace_default_graph


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load ontology and data into a SPARQL server (Graph Store Protocol)",
        description="Replaces the default graph of a SPARQL 1.1 Graph Store (e.g. Oxigraph's "
        "http://HOST:PORT/store, Fuseki's http://HOST:PORT/DATASET/data) with ontology + data.",
    )
    parser.add_argument("graph_store", metavar="GRAPH_STORE_URL", help="the server's Graph Store Protocol URL")
    parser.set_defaults(func=run)


def run(args) -> int:
    started = time.perf_counter()
    print("loading ontology and data…", file=sys.stderr)
    graph = load_graph(Project.from_settings())
    print(f"sending {len(graph)} triples to {args.graph_store}…", file=sys.stderr)
    try:
        sent = replace_default_graph(graph, args.graph_store)
    except PublishError as exc:
        print(f"epkg load: {exc}", file=sys.stderr)
        return 2
    print(f"loaded {sent} triples in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
