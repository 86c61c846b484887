"""One small interface, three backends: where SPARQL queries run.

- ``oxigraph``: pyoxigraph in process (the default: fastest, see benchmarks/);
- ``rdflib``: rdflib's own engine in process (the reference, and a fallback);
- ``remote``: any SPARQL 1.1 endpoint through SPARQLWrapper.

Every backend answers with a ``Table`` of rdflib terms, so callers and formatters never
see which engine ran. Stores are read-only here: nothing in this module updates data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .graph import Project, load_files

BACKENDS = ("oxigraph", "rdflib", "remote")


class StoreError(RuntimeError):
    """The store could not answer (unreachable endpoint, engine error)."""


class QuerySyntaxError(ValueError):
    """The query text is not valid SPARQL (a client error when the text is the client's)."""


@dataclass(frozen=True)
class Table:
    """A SELECT result: variable names and rows of rdflib terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Identifier | None, ...], ...]

    def records(self) -> list[dict[str, Identifier]]:
        return [{v: t for v, t in zip(self.variables, row) if t is not None} for row in self.rows]


class Store(Protocol):
    backend: str
    description: str

    def select(self, query: str) -> Table: ...


# --- embedded: pyoxigraph -------------------------------------------------

def _from_oxigraph(term) -> Identifier | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib writes plain strings without a datatype; keep the two engines' terms equal.
        return Literal(term.value) if datatype == str(XSD.string) else Literal(term.value, datatype=URIRef(datatype))
    raise StoreError(f"unexpected term from oxigraph: {term!r}")


class OxigraphStore:
    backend = "oxigraph"

    def __init__(self, files: Sequence[Path]):
        self._store = ox.Store()  # in memory
        for path in files:
            self._store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        self.description = f"pyoxigraph (in process, {len(self._store)} triples)"

    def select(self, query: str) -> Table:
        try:
            solutions = self._store.query(query)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise QuerySyntaxError("only SELECT queries are answered here")
        variables = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(_from_oxigraph(solution[v]) for v in variables) for solution in solutions)
        return Table(variables, rows)


# --- embedded: rdflib -----------------------------------------------------

class RdflibStore:
    backend = "rdflib"

    def __init__(self, graph: Graph):
        self._graph = graph
        self.description = f"rdflib (in process, {len(graph)} triples)"

    @classmethod
    def from_files(cls, files: Sequence[Path]) -> "RdflibStore":
        return cls(load_files(list(files)))

    def select(self, query: str) -> Table:
        try:
            result = self._graph.query(query)
        except Exception as exc:  # pyparsing's ParseException and friends
            if type(exc).__name__ in ("ParseException", "ParseSyntaxException"):
                raise QuerySyntaxError(str(exc)) from None
            raise
        if result.type != "SELECT":
            raise QuerySyntaxError("only SELECT queries are answered here")
        variables = tuple(str(v) for v in result.vars)
        return Table(variables, tuple(tuple(row) for row in result))


# --- remote: any SPARQL 1.1 endpoint --------------------------------------

def _from_json(binding: dict | None) -> Identifier | None:
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value) if datatype in (None, str(XSD.string)) else Literal(value, datatype=URIRef(datatype))


class RemoteStore:
    backend = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"the endpoint must be an http(s) URL, not {endpoint!r}")
        self._client = SPARQLWrapper(endpoint)
        self._client.setReturnFormat(JSON)
        self._client.setMethod(POST)  # long queries; POST is standard for queries too
        self._client.setTimeout(int(timeout))
        self.endpoint = endpoint
        self.description = f"remote SPARQL endpoint {endpoint}"

    def select(self, query: str) -> Table:
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

        self._client.setQuery(query)
        try:
            answer = self._client.queryAndConvert()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(str(exc)) from None
        except Exception as exc:  # URLError, timeouts, HTTP errors
            raise StoreError(f"{self.endpoint} did not answer: {exc}") from exc
        variables = tuple(answer["head"].get("vars", []))
        rows = tuple(
            tuple(_from_json(solution.get(v)) for v in variables) for solution in answer["results"]["bindings"]
        )
        return Table(variables, rows)


def open_store(backend: str, project: Project | None = None, endpoint: str | None = None, timeout: float = 30.0) -> Store:
    """The store named by ``backend``, loaded with the project's ontology and data."""
    if backend == "remote":
        if not endpoint:
            raise StoreError("the remote backend needs an endpoint URL (EPKG_ENDPOINT or --endpoint)")
        return RemoteStore(endpoint, timeout=timeout)
    project = project or Project.from_settings()
    if backend == "oxigraph":
        return OxigraphStore(project.content_files())
    if backend == "rdflib":
        return RdflibStore.from_files(project.content_files())
    raise StoreError(f"unknown store backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def timed_select(store: Store, query: str) -> tuple[Table, float]:
    started = time.perf_counter()
    table = store.select(query)
    return table, time.perf_counter() - started
