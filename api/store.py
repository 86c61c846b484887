"""One small interface, three backends: where SPARQL queries run.

- ``oxigraph``: pyoxigraph in process (the default: fastest, see benchmarks/);
- ``rdflib``: rdflib's own engine in process (the reference, and a fallback);
- ``remote``: any SPARQL 1.1 endpoint through SPARQLWrapper.

Every backend answers with a ``Table`` of rdflib terms, so callers and formatters never
see which engine ran. Stores are read-only here: nothing in this module updates data.

The embedded stores hold the named graphs `epkg load` gives a remote store (publish.py's
``graph_files``: one per plan file, one per other data folder, the ontology and the reference
graph), and their union is the default graph. ``FROM``, ``FROM NAMED`` and the protocol's
``default-graph-uri`` and ``named-graph-uri`` (a ``ProtocolDataset``) choose among those
graphs; a graph the store does not hold is an empty one. Nothing is ever fetched: Oxigraph
never dereferences a dataset IRI, and rdflib's loading of FROM IRIs (on by default: it would
fetch ``FROM <http://...>`` over HTTP) is switched off here, for the whole process.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .errors import AnswerTooLarge, ProjectError, ServiceError, UserError
from .graph import BASE, Project, load_files
from .guard import has_dataset_clause, names_graphs

BACKENDS = ("oxigraph", "rdflib", "remote")

# rdflib would fetch the IRI of a FROM or FROM NAMED clause naming a graph it does not hold
# (rdflib.plugins.sparql.sparql.QueryContext.load). Off: an unknown graph is an empty one.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


class StoreError(ServiceError):
    """The store could not answer (unreachable endpoint, engine error)."""

    status = 503


class QuerySyntaxError(UserError):
    """The query text is not valid SPARQL (a client error when the text is the client's)."""


class QueryEvaluationError(UserError):
    """The engine refused to evaluate a query it parsed."""


class NetworkRefused(UserError):
    """The engine tried to reach another server for a query (SERVICE, FROM) and was refused."""


def _refused(exc: OSError) -> NetworkRefused:
    return NetworkRefused(
        f"the query asks the engine to reach another server ({exc}); this endpoint never calls out "
        "(no SERVICE, FROM or LOAD)"
    )


@dataclass(frozen=True)
class ProtocolDataset:
    """The SPARQL 1.1 Protocol's dataset: ``default-graph-uri`` and ``named-graph-uri`` values.

    Given, it replaces the query's own FROM and FROM NAMED (Protocol, section 2.1.4); a default
    graph given alone leaves no named graphs, and named graphs given alone an empty default graph.
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A SELECT result: variable names and rows of rdflib terms (None where unbound)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Identifier | None, ...], ...]

    def records(self) -> list[dict[str, Identifier]]:
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows
        ]


# What a query's answer can be written as, by query form; the first is the default.
RESULT_MEDIA_TYPES: dict[str, tuple[str, ...]] = {
    "results": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "graph": ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"),
}
FORM_RESULTS = {"SELECT": "results", "ASK": "results", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


class Store(Protocol):
    backend: str
    description: str

    def select(self, query: str) -> Table:
        """A SELECT query's rows as rdflib terms."""
        ...

    def execute(self, query: str, media_type: str, dataset: ProtocolDataset | None = None) -> bytes:
        """Any read query's answer, serialised by the engine in ``media_type``
        (one of RESULT_MEDIA_TYPES for the query's form), over ``dataset`` when given."""
        ...


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
        return (
            Literal(term.value)
            if datatype == str(XSD.string)
            else Literal(term.value, datatype=URIRef(datatype))
        )
    raise StoreError(f"unexpected term from oxigraph: {term!r}")


class _Bounded:
    """A file the engine writes an answer to, refusing it once it passes ``limit`` bytes: a huge
    answer stops in the worker at the limit instead of growing until the time limit."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise AnswerTooLarge(
                f"the answer is more than {self.limit:,} bytes, more than this service sends; ask for less "
                "(a LIMIT, fewer variables, a narrower pattern) or page it (LIMIT and OFFSET)"
            )
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _serialize(result, fmt, limit: int | None) -> bytes:
    if limit is None:
        return result.serialize(format=fmt) or b""
    out = _Bounded(limit)
    result.serialize(output=out, format=fmt)
    return b"".join(out.parts)


class OxigraphStore:
    """``files`` go into the default graph; ``graphs`` (IRI, files) into named graphs, a ground
    triple into the first graph that has it (as `epkg load` does). Queries see the union of all
    as their default graph."""

    backend = "oxigraph"
    max_answer_bytes: int | None = None  # set by the worker pool from EPKG_MAX_RESPONSE_BYTES

    def __init__(self, files: Sequence[Path] = (), graphs: Sequence[tuple[str, Sequence[Path]]] = ()):
        self._store = ox.Store()  # in memory
        for path in files:
            self._load(path, ox.DefaultGraph())
        for iri, paths in graphs:
            for path in paths:
                self._load(path, ox.NamedNode(iri))
        if graphs:
            self._keep_first_copies([ox.NamedNode(iri) for iri, _ in graphs])
        self.description = f"pyoxigraph (in process, {len(self._store)} triples)"

    @classmethod
    def from_project(cls, project: Project) -> OxigraphStore:
        from .publish import graph_files

        return cls(graphs=graph_files(project))

    def _load(self, path: Path, graph: ox.NamedNode | ox.DefaultGraph) -> None:
        try:
            self._store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=graph)
        except SyntaxError as exc:
            raise ProjectError(f"{path.name} is not valid Turtle: {exc}") from None

    def _keep_first_copies(self, order: list[ox.NamedNode]) -> None:
        """A ground triple stated in files of two graphs stays in the first graph only."""
        rank = {graph: i for i, graph in enumerate(order)}
        repeated = self._store.query(
            "SELECT ?s ?p ?o (GROUP_CONCAT(STR(?g); separator=' ') AS ?graphs) "
            "WHERE { GRAPH ?g { ?s ?p ?o } FILTER (!isBlank(?s) && !isBlank(?o)) } "
            "GROUP BY ?s ?p ?o HAVING (COUNT(?g) > 1)"
        )
        assert isinstance(repeated, ox.QuerySolutions)
        for row in list(repeated):
            graphs = sorted((ox.NamedNode(g) for g in row["graphs"].value.split(" ")), key=rank.__getitem__)
            for graph in graphs[1:]:
                self._store.remove(ox.Quad(row["s"], row["p"], row["o"], graph))

    def _dataset_options(self, query: str, dataset: ProtocolDataset | None) -> dict:
        if dataset is not None:  # the protocol's dataset replaces the query's, whole
            return {
                "default_graph": [ox.NamedNode(iri) for iri in dataset.default],
                "named_graphs": [ox.NamedNode(iri) for iri in dataset.named],
            }
        if has_dataset_clause(query):  # the query's FROM / FROM NAMED choose among our graphs
            return {}
        return {"use_default_graph_as_union": True}

    def select(self, query: str) -> Table:
        with _oxigraph_errors():  # evaluation is lazy: errors come while the rows are read
            solutions = self._store.query(query, **self._dataset_options(query, None))
            if not isinstance(solutions, ox.QuerySolutions):
                raise QuerySyntaxError("only SELECT queries are answered here")
            variables = tuple(v.value for v in solutions.variables)
            rows = tuple(tuple(_from_oxigraph(solution[v]) for v in variables) for solution in solutions)
        return Table(variables, rows)

    def execute(self, query: str, media_type: str, dataset: ProtocolDataset | None = None) -> bytes:
        with _oxigraph_errors():  # evaluation is lazy: errors come while the answer is written
            # A client's relative IRIs resolve against the dataset's base (the protocol lets the
            # service define it); without one, `CONSTRUCT { <s> <p> 1 } WHERE {}` fails to parse.
            result = self._store.query(query, base_iri=BASE, **self._dataset_options(query, dataset))
            if isinstance(result, ox.QueryTriples):
                rdf_format = ox.RdfFormat.from_media_type(media_type)
                if rdf_format is None:
                    raise StoreError(f"oxigraph cannot write {media_type}")
                return _serialize(result, rdf_format, self.max_answer_bytes)
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is None:
                raise StoreError(f"oxigraph cannot write {media_type}")
            return _serialize(result, results_format, self.max_answer_bytes)


@contextmanager
def _oxigraph_errors() -> Iterator[None]:
    try:
        yield
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None
    except OSError as exc:  # a SERVICE call the guard let through, refused by the network lock
        raise _refused(exc) from None
    except ValueError as exc:  # a dataset IRI that is not an absolute IRI
        raise QueryEvaluationError(f"the engine could not evaluate the query: {exc}") from None
    except RuntimeError as exc:  # the engine's evaluation errors (e.g. SERVICE ?unbound)
        raise QueryEvaluationError(f"the engine could not evaluate the query: {exc}") from None


# --- embedded: rdflib -----------------------------------------------------


def reserialize_results(data: bytes, from_media_type: str, to_media_type: str) -> bytes:
    """SPARQL results (SELECT or ASK) re-written from one standard format to another."""
    source, target = (ox.QueryResultsFormat.from_media_type(m) for m in (from_media_type, to_media_type))
    if source is None or target is None:
        raise StoreError(f"cannot convert SPARQL results from {from_media_type} to {to_media_type}")
    return ox.parse_query_results(data, format=source).serialize(format=target) or b""


_RDFLIB_GRAPH_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


class RdflibStore:
    """A Graph, and optionally the same triples as a Dataset of named graphs whose default graph
    is their union. rdflib evaluates a query over a Dataset 15-25 % slower than over one Graph
    (measured on the catalogue's questions), so only queries that use named graphs (GRAPH, FROM,
    the protocol's dataset) run on the Dataset."""

    backend = "rdflib"

    def __init__(self, graph: Graph, dataset: Dataset | None = None):
        self._graph = graph
        self._dataset = dataset
        self.description = f"rdflib (in process, {len(graph)} triples)"

    @classmethod
    def from_files(cls, files: Sequence[Path]) -> RdflibStore:
        return cls(load_files(list(files)))

    @classmethod
    def from_project(cls, project: Project) -> RdflibStore:
        """The named graphs of `epkg load` (publish.named_graphs), their union the default graph."""
        from .publish import merged, named_graphs

        graphs = named_graphs(project)
        dataset = Dataset(default_union=True)
        for named in graphs:
            graph = dataset.graph(URIRef(named.iri))
            for triple in named.graph:
                graph.add(triple)
        return cls(merged(graphs), dataset)

    def _target(self, query: str, dataset: ProtocolDataset | None) -> Graph:
        if self._dataset is not None and (dataset is not None or names_graphs(query)):
            return self._dataset
        return self._graph

    def _prepared(self, query: str, dataset: ProtocolDataset | None):
        """The query, with the protocol's dataset in place of its own FROM clauses when given."""
        if dataset is None:
            return query
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        prepared = prepareQuery(query)
        prepared.algebra["datasetClause"] = [
            CompValue("DatasetClause", default=URIRef(iri)) for iri in dataset.default
        ] + [CompValue("DatasetClause", named=URIRef(iri)) for iri in dataset.named]
        return prepared

    def select(self, query: str) -> Table:
        with _rdflib_errors():  # evaluation is lazy: errors come while the rows are read
            result = self._target(query, None).query(query)
            if result.type != "SELECT":
                raise QuerySyntaxError("only SELECT queries are answered here")
            variables = tuple(str(v) for v in result.vars or ())
            return Table(variables, tuple(tuple(row) for row in result))  # type: ignore[arg-type]

    def execute(self, query: str, media_type: str, dataset: ProtocolDataset | None = None) -> bytes:
        with _rdflib_errors():  # evaluation is lazy: errors come while the answer is written
            result = self._target(query, dataset).query(self._prepared(query, dataset))
            if result.type in ("CONSTRUCT", "DESCRIBE"):
                assert result.graph is not None
                fmt = _RDFLIB_GRAPH_FORMATS[media_type]
                return result.graph.serialize(format=fmt, encoding="utf-8")
            as_json = result.serialize(format="json", encoding="utf-8") or b""
        if media_type == "application/sparql-results+json":
            return as_json
        # rdflib has no TSV writer: re-write its JSON with oxigraph's result serialisers.
        return reserialize_results(as_json, "application/sparql-results+json", media_type)


@contextmanager
def _rdflib_errors() -> Iterator[None]:
    try:
        yield
    except OSError as exc:  # SERVICE or FROM fetching a URL, refused by the network lock
        raise _refused(exc) from None
    except Exception as exc:  # pyparsing's ParseException and friends
        if type(exc).__name__ in ("ParseException", "ParseSyntaxException"):
            raise QuerySyntaxError(str(exc)) from None
        raise


def open_store(
    backend: str, project: Project | None = None, endpoint: str | None = None, timeout: float = 30.0
) -> Store:
    """The store named by ``backend``, loaded with the project's ontology and data."""
    if backend == "remote":
        if not endpoint:
            raise StoreError("the remote backend needs an endpoint URL (EPKG_ENDPOINT or --endpoint)")
        from .remote import RemoteStore

        return RemoteStore(endpoint, timeout=timeout)
    project = project or Project.from_settings()
    if backend == "oxigraph":
        return OxigraphStore.from_project(project)
    if backend == "rdflib":
        return RdflibStore.from_project(project)
    raise StoreError(f"unknown store backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def timed_select(store: Store, query: str) -> tuple[Table, float]:
    started = time.perf_counter()
    table = store.select(query)
    return table, time.perf_counter() - started
