"""Shared fixtures: the project, its merged graph, and a SPARQL helper for tests."""

from __future__ import annotations

import functools
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from api.graph import Project, load_graph, sparql_prologue

REPO = Path(__file__).resolve().parent.parent
SHARED_SEEDS = REPO.parent / "shared" / "seeds"

# httpx's module-level calls wait 5 s by default: on a busy machine a cold worker or a dump build
# takes longer, and a test must not depend on the machine's speed. A call that names its own
# timeout keeps it (a partial's keywords are overridden by the caller's).
HTTP_WAIT = httpx.Timeout(120.0, connect=30.0)
for _name in ("get", "post", "head", "put", "patch", "delete", "options", "request", "stream"):
    setattr(httpx, _name, functools.partial(getattr(httpx, _name), timeout=HTTP_WAIT))


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


@pytest.fixture(scope="session")
def catalogue(project):
    from api.catalogue import load_catalogue

    return load_catalogue(project.queries_dir)


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory, graph):
    """A real Oxigraph SPARQL server on 127.0.0.1 with ontology + data, loaded by epkg's own loader."""
    from api.publish import replace_default_graph

    from .servers import oxigraph_server

    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        replace_default_graph(graph, f"{base}/store")
        yield f"{base}/query"


@pytest.fixture(scope="session")
def stores(project, oxigraph_endpoint):
    """Every backend, loaded with the same data: the answers must not depend on the engine."""
    from api.store import open_store

    return {
        "oxigraph": open_store("oxigraph", project),
        "rdflib": open_store("rdflib", project),
        "remote": open_store("remote", endpoint=oxigraph_endpoint),
    }


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """A real `epkg serve` (uvicorn, worker pool) on a free 127.0.0.1 port; yields its base URL.

    The time limit is 3 s so that tests of a runaway query are quick; the data is checked by
    tests/test_shapes.py and tests/test_provenance.py, so the server skips its own check.
    """
    from .servers import epkg_server

    with epkg_server(tmp_path_factory.mktemp("serve"), "--timeout", "3", "--workers", "2") as base:
        yield base


@pytest.fixture(scope="session")
def client(live_server):
    """An HTTP client of the live server (keep-alive; paths relative to its base URL)."""
    import httpx

    with httpx.Client(base_url=live_server, timeout=30) as http:
        yield http


@pytest.fixture(scope="module")
def canary():
    """A local HTTP server that counts the connections it accepts (tests/canary.py)."""
    from .canary import serve_canary

    yield from serve_canary()
