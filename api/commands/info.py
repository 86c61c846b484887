"""``epkg info``: what the graph holds, counted."""

from __future__ import annotations

import time

from ..graph import Project, load_graph
from ..stats import graph_statistics


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("info", help="load ontology and data and print what they hold")
    parser.set_defaults(func=run)


def run(args) -> int:
    project = Project.from_settings()
    started = time.perf_counter()
    files = project.content_files()
    graph = load_graph(project)
    elapsed = time.perf_counter() - started
    print(f"{len(files)} files from {project.home}, loaded in {elapsed:.2f} s")
    for label, value in graph_statistics(graph):
        print(f"  {label:<34} {value}")
    return 0
