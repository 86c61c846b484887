"""Shared fixtures: the project, its merged graph, and a SPARQL helper for tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from api.graph import Project, load_graph, sparql_prologue

REPO = Path(__file__).resolve().parent.parent
SHARED_SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(home=REPO)


@pytest.fixture(scope="session")
def graph(project: Project) -> Graph:
    """Ontology + data merged, loaded once per test session. Do not modify it."""
    return load_graph(project)


def select(graph: Graph, query: str, **bindings) -> list[dict[str, str]]:
    """Runs a SELECT with the project's prefixes; rows as {variable: str(value)}.

    Keyword arguments are bound as initial bindings (rdflib terms), never pasted.
    """
    result = graph.query(sparql_prologue() + query, initBindings=bindings or None)
    names = [str(v) for v in result.vars]
    return [
        {name: str(row[i]) for i, name in enumerate(names) if row[i] is not None}
        for row in result
    ]


def ask(graph: Graph, query: str, **bindings) -> bool:
    return bool(graph.query(sparql_prologue() + query, initBindings=bindings or None).askAnswer)
