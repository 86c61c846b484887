"""The remote backend: any SPARQL 1.1 endpoint (Oxigraph server, Virtuoso, Fuseki...) through SPARQLWrapper.

What makes it safe to put behind the API:

- **Time limits.** Every request has a client-side socket timeout (the store's time limit
  plus a little grace), and the server is asked to stop on its own: Virtuoso takes the
  limit in its ``timeout`` parameter (milliseconds). Oxigraph server has no per-request
  parameter; start it with ``--timeout-s`` (docs/deploy.md). The server's software is read
  from the ``Server`` header of a first ``ASK {}``.
- **Partial answers are errors, never answers.** Virtuoso answers a query that ran out of
  time with whatever it had (HTTP 206, or 200 with an ``X-SQL-State`` header), and cuts an
  answer longer than its ``ResultSetMaxRows`` (an ``X-SPARQL-MaxRows`` header). Any of these
  raises ``StoreError``.
- **An unreachable or dying store** (refused connection, reset, a cut-off body, no answer in
  time) raises ``StoreError`` saying which endpoint and what happened.
- **Answers are checked and re-written here.** ``execute`` asks for a standard exchange
  format (SPARQL JSON results, N-Triples), parses it with pyoxigraph (a truncated or
  malformed body fails there) and writes the requested format with the same serialisers
  as the embedded store, so clients see the same bytes whichever engine answered.

Only read queries are sent: an update is refused before it leaves this process.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .guard import dataset_clause_graphs, has_dataset_clause
from .store import RESULT_MEDIA_TYPES, ProtocolDataset, QuerySyntaxError, StoreError, Table

# What we ask the server for, by the kind of answer the caller wants.
RESULTS_EXCHANGE = "application/sparql-results+json"
GRAPH_EXCHANGE = "application/n-triples"
# Seconds the client waits beyond the store's own time limit, so the server's clean
# "time limit reached" answer arrives before the socket gives up.
GRACE = 2.0
# Headers by which a server says its answer is incomplete (compared in lower case).
PARTIAL_HEADERS = ("x-sql-state", "x-sparql-maxrows")

# Graph formats as servers name them (some still use older media types for N-Triples).
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/ntriples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}


@dataclass(frozen=True)
class Dialect:
    """What we know about a server's own protocol extensions."""

    name: str
    timeout_parameter: str | None = None
    timeout_unit: float = 1.0  # the parameter's value per second

    def timeout_value(self, seconds: float) -> str:
        return str(max(1, round(seconds * self.timeout_unit)))


DIALECTS = {
    "virtuoso": Dialect("virtuoso", timeout_parameter="timeout", timeout_unit=1000.0),
    "oxigraph": Dialect("oxigraph"),  # server-wide --timeout-s only
}
GENERIC = Dialect("generic")


def dialect_of(server_header: str | None) -> Dialect:
    software = (server_header or "").lower()
    return next((d for key, d in DIALECTS.items() if software.startswith(key)), GENERIC)


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
    return (
        Literal(value) if datatype in (None, str(XSD.string)) else Literal(value, datatype=URIRef(datatype))
    )


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str  # without parameters, lower case
    server: str | None
    body: bytes
    form: str  # the query form: SELECT, ASK, CONSTRUCT or DESCRIBE


class RemoteStore:
    backend = "remote"

    def __init__(self, endpoint: str, timeout: float = 10.0):
        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"the endpoint must be an http(s) URL, not {endpoint!r}")
        if timeout <= 0:
            raise StoreError(f"the remote store's time limit must be positive, not {timeout!r}")
        self.endpoint = endpoint
        self.timeout = float(timeout)
        self.description = f"remote SPARQL endpoint {endpoint}"
        self._dialect: Dialect | None = None

    # --- the Store interface ------------------------------------------------

    def select(self, query: str) -> Table:
        answer = self._ask(query, RESULTS_EXCHANGE)
        if answer.form != "SELECT" or answer.media_type not in (
            "application/sparql-results+json",
            "application/json",
        ):
            raise QuerySyntaxError(
                f"only SELECT queries are answered here ({self.endpoint} sent {answer.media_type})"
            )
        try:
            document = json.loads(answer.body)
            variables = tuple(document["head"].get("vars", []))
            if "results" not in document:
                raise QuerySyntaxError("only SELECT queries are answered here")
            bindings = document["results"]["bindings"]
            rows = tuple(tuple(_from_json(solution.get(v)) for v in variables) for solution in bindings)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StoreError(
                f"{self.endpoint} sent an answer that is not SPARQL JSON results: {exc}"
            ) from None
        return Table(variables, rows)

    def execute(self, query: str, media_type: str, dataset: ProtocolDataset | None = None) -> bytes:
        """The answer in ``media_type``: fetched in a standard exchange format, checked by
        parsing it, and written by pyoxigraph's serialisers (as the embedded store does).
        The protocol's ``dataset`` goes to the server as its ``default-graph-uri`` and
        ``named-graph-uri`` parameters."""
        if media_type in RESULT_MEDIA_TYPES["graph"]:
            accept = f"{GRAPH_EXCHANGE}, text/turtle;q=0.9, {RESULTS_EXCHANGE};q=0.1"
        elif media_type in RESULT_MEDIA_TYPES["results"]:
            accept = f"{RESULTS_EXCHANGE}, {GRAPH_EXCHANGE};q=0.1, text/turtle;q=0.1"
        else:
            raise StoreError(f"cannot write a SPARQL answer as {media_type}")
        if dataset is None and has_dataset_clause(query):
            # The query's FROM clauses, sent as the protocol's dataset (which means the same): an
            # Oxigraph server run with --union-default-graph reads the query's own over the union.
            default, named = dataset_clause_graphs(query)
            dataset = ProtocolDataset(default, named)
        answer = self._ask(query, accept, dataset)
        graph_format = _GRAPH_FORMATS.get(answer.media_type)
        results_format = _RESULTS_FORMATS.get(answer.media_type)
        try:
            if graph_format is not None:
                if media_type not in RESULT_MEDIA_TYPES["graph"]:
                    raise QuerySyntaxError(
                        f"a graph (CONSTRUCT or DESCRIBE) cannot be written as {media_type}"
                    )
                target = ox.RdfFormat.from_media_type(media_type)
                if target is None:
                    raise StoreError(f"cannot write a graph as {media_type}")
                quads = ox.parse(answer.body, format=graph_format)
                written = ox.serialize(
                    (ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=target
                )
                return written or b""
            if results_format is not None:
                if media_type not in RESULT_MEDIA_TYPES["results"]:
                    raise QuerySyntaxError(f"a SELECT or ASK answer cannot be written as {media_type}")
                target_results = ox.QueryResultsFormat.from_media_type(media_type)
                if target_results is None:
                    raise StoreError(f"cannot write SPARQL results as {media_type}")
                body = answer.body
                if answer.form == "ASK" and results_format is ox.QueryResultsFormat.JSON:
                    body = _standard_ask(body)
                parsed = ox.parse_query_results(body, format=results_format)
                return parsed.serialize(format=target_results) or b""
        except SyntaxError as exc:  # pyoxigraph's parse errors: a cut-off or malformed body
            raise StoreError(
                f"{self.endpoint} sent an answer that does not parse as {answer.media_type}: {exc}"
            ) from None
        raise StoreError(
            f"{self.endpoint} answered in {answer.media_type or 'no declared format'}, not a SPARQL format"
        )

    # --- health ---------------------------------------------------------------

    def ping(self) -> str:
        """Asks the store ``ASK {}``; returns its software (the ``Server`` header) or raises StoreError."""
        answer = self._request(
            "ASK {}", RESULTS_EXCHANGE, timeout=min(self.timeout, 5.0) + GRACE, parameters={}
        )
        self._dialect = dialect_of(answer.server)
        return answer.server or "unknown software"

    # --- the wire ---------------------------------------------------------------

    def _ask(self, query: str, accept: str, dataset: ProtocolDataset | None = None) -> Answer:
        if self._dialect is None:
            self.ping()
        dialect = self._dialect or GENERIC
        parameters: dict[str, list[str]] = {}
        if dialect.timeout_parameter:
            parameters[dialect.timeout_parameter] = [dialect.timeout_value(self.timeout)]
        if dataset is not None:
            parameters["default-graph-uri"] = list(dataset.default)
            parameters["named-graph-uri"] = list(dataset.named)
        return self._request(query, accept, timeout=self.timeout + GRACE, parameters=parameters)

    def _request(self, query: str, accept: str, timeout: float, parameters: dict[str, list[str]]) -> Answer:
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)  # long queries; a POST of the form is standard for queries too
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(
            True
        )  # the Accept header only: no format=/output= guesses (Virtuoso answers 406)
        client.setTimeout(max(1, round(timeout)))
        client.setQuery(query)
        if client.isSparqlUpdateRequest():
            raise QuerySyntaxError("only read queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are answered here")
        client.addCustomHttpHeader("Accept", accept)
        for name, values in parameters.items():
            for value in values:
                client.addParameter(name, value)
        try:
            response = client.query().response
            status = response.status
            headers = {name.lower(): value for name, value in response.getheaders()}
            body = response.read()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(_server_message(exc)) from None
        except SPARQLWrapperException as exc:  # 401, 404, 414, 500 as SPARQLWrapper names them
            raise StoreError(f"{self.endpoint} refused the query: {_server_message(exc)}") from None
        except urllib.error.HTTPError as exc:
            raise StoreError(f"{self.endpoint} answered HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise self._unreachable(exc.reason) from None
        except TimeoutError:
            raise StoreError(
                f"the SPARQL store {self.endpoint} did not answer within {timeout:g} s (its time limit)"
            ) from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise self._unreachable(exc) from None
        partial = [f"{name}: {headers[name]}" for name in PARTIAL_HEADERS if name in headers]
        if status == 206 or partial:
            why = "; ".join(partial) or f"HTTP {status}"
            raise StoreError(
                f"{self.endpoint} sent a partial answer ({why}): it ran out of time or rows; "
                "the query was not answered"
            )
        if status != 200:
            raise StoreError(f"{self.endpoint} answered HTTP {status}, not 200")
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        return Answer(status, media_type, headers.get("server"), body, client.queryType or "")

    def _unreachable(self, reason: object) -> StoreError:
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return StoreError(f"the SPARQL store {self.endpoint} did not answer within its time limit")
        if isinstance(reason, ConnectionRefusedError):
            what = "connection refused (is the server running?)"
        elif isinstance(
            reason, (ConnectionResetError, http.client.IncompleteRead, http.client.RemoteDisconnected)
        ):
            what = f"the connection broke off mid-answer ({type(reason).__name__})"
        else:
            what = str(reason) or type(reason).__name__
        return StoreError(f"the SPARQL store {self.endpoint} did not answer: {what}")


def _standard_ask(body: bytes) -> bytes:
    """An ASK answer in standard SPARQL JSON. Virtuoso 7.2 answers ASK with a one-row table
    of a variable ``__ASK_RETVAL`` (1 or 0) instead of ``{"boolean": ...}``."""
    try:
        document = json.loads(body)
        variables = document["head"].get("vars", [])
        bindings = document["results"]["bindings"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return body  # standard, or broken: the parser says which
    if variables != ["__ASK_RETVAL"] or len(bindings) > 1:
        return body
    # No row is false (what it sends for a pattern that matches nothing); a row holds 1 or 0.
    value = bindings[0].get("__ASK_RETVAL", {}).get("value", "0").strip().lower() if bindings else "0"
    return json.dumps({"head": {}, "boolean": value in ("1", "true")}).encode()


def _server_message(exc: Exception) -> str:
    """SPARQLWrapper's message, without its boilerplate, cut to a readable length."""
    text = str(exc)
    for marker in ("Response:\n", "Response:"):
        if marker in text:
            text = text.split(marker, 1)[1]
            break
    text = text.strip().strip("b'\"").replace("\\n", " ")
    return text[:500]
