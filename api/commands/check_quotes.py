"""``epkg check-quotes``: every passage's quote must stand in its source text."""

from __future__ import annotations

from ..graph import EPKG, Project, load_graph
from ..provenance import check_passages, sha256_of


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "check-quotes", help="check every passage quote against its source text and the source checksums"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    project = Project.from_settings()
    graph = load_graph(project)
    failures = 0
    for document, name in sorted(graph.subject_objects(EPKG.sourceFile)):
        path = project.sources_dir / str(name)
        expected = str(graph.value(document, EPKG.sha256))
        if not path.is_file() or sha256_of(path) != expected:
            print(f"{name}: missing or changed (SHA-256 should be {expected})")
            failures += 1
    checked, problems = check_passages(graph, project.sources_dir)
    for problem in problems:
        print(problem)
    print(f"{checked} passages checked, {len(problems)} quotes not found, {failures} source files changed")
    return 1 if problems or failures else 0
