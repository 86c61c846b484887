"""``/sparql``: the SPARQL 1.1 Protocol, read-only.

GET ``?query=``, POST a form with ``query=``, or POST ``application/sparql-query``. SELECT
and ASK answer as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle, JSON-LD,
N-Triples or RDF/XML, chosen by ``Accept`` (q-values count) or ``?format=``; 406 when
nothing fits. ``default-graph-uri`` and ``named-graph-uri`` (and FROM, FROM NAMED in the
query) choose among the store's own named graphs; nothing is fetched, and an unknown graph
is an empty one. Updates and SERVICE are refused (400) before anything runs (see guard.py);
a query past its time limit is stopped (503).
GET without a query returns the service description.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, UTC

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from .. import pages
from ..deps import get_service, public_base
from ..errors import PayloadTooLarge, RequestTimeout, UnsupportedMediaType, UserError
from ..negotiation import by_short_name, negotiate
from ..service import Service
from ..schemas import SPARQL_DESCRIPTION, SPARQL_GET_RESPONSES, SPARQL_POST_RESPONSES
from ..store import FORM_RESULTS, RESULT_MEDIA_TYPES, ProtocolDataset

router = APIRouter(tags=["sparql"])
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = "http://www.w3.org/ns/formats/"
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/ld+json": "JSON-LD",
    "application/n-triples": "N-Triples",
    "application/rdf+xml": "RDF_XML",
}
READ_ONLY = "this endpoint is read-only: it answers queries, never updates"
QUERY_DOC = {
    "parameters": [
        {
            "name": "query",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE). Without it: the service description.",
            "example": "PREFIX epkg: <https://w3id.org/epkg/ontology#> "
            "SELECT ?goal ?statement WHERE { ?goal a epkg:MinisterGoal ; epkg:statement ?statement } LIMIT 5",
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "schema": {"type": "string"},
            "description": "Instead of Accept: json, xml, csv, tsv (SELECT/ASK); ttl, jsonld, nt, rdf (CONSTRUCT/DESCRIBE).",
        },
        {
            "name": "timeout",
            "in": "query",
            "required": False,
            "schema": {"type": "number"},
            "description": "Seconds before the query is stopped (at most the server's limit).",
        },
        {
            "name": "default-graph-uri",
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "The SPARQL Protocol's dataset: graphs whose merge is the default graph, "
            "in place of the query's FROM. Our graphs only (one per source document); nothing is fetched.",
            "example": ["https://w3id.org/epkg/graph/slagelse-2017"],
        },
        {
            "name": "named-graph-uri",
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}},
            "description": "The SPARQL Protocol's dataset: the named graphs GRAPH sees, in place of the "
            "query's FROM NAMED. Our graphs only; nothing is fetched.",
            "example": ["https://w3id.org/epkg/graph/hedensted-2017"],
        },
    ]
}


def _text_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise UserError(f"give one '{name}', not {len(values)}")
    return values[0] if values else None


def _dataset(default: list[str], named: list[str]) -> ProtocolDataset | None:
    """The protocol's dataset (``default-graph-uri``, ``named-graph-uri``), or None when not given."""
    if not default and not named:
        return None
    for name, values in (("default-graph-uri", default), ("named-graph-uri", named)):
        for value in values:
            try:
                ox.NamedNode(value)  # the IRI grammar, as the engine reads it
            except ValueError as exc:
                raise UserError(
                    f"parameter '{name}': an absolute IRI of a graph is wanted, not {value!r} ({exc})"
                ) from None
    return ProtocolDataset(tuple(dict.fromkeys(default)), tuple(dict.fromkeys(named)))


def _timeout(raw: str | None) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise UserError(f"parameter 'timeout': a number of seconds is wanted, not {raw!r}") from None


async def _answer(
    request: Request,
    service: Service,
    text: str,
    fmt: list[str],
    timeout: str | None,
    dataset: ProtocolDataset | None = None,
) -> Response:
    vetted = service.vet(text)
    offered = RESULT_MEDIA_TYPES[FORM_RESULTS[vetted.form]]
    graph = FORM_RESULTS[vetted.form] == "graph"
    if fmt:
        media_type = by_short_name(fmt, offered, graph=graph)
    else:
        media_type = negotiate(request.headers.get("accept"), offered, graph=graph)
    body, cached = await service.sparql(vetted, media_type, _timeout(timeout), dataset)
    return Response(
        body,
        media_type=_text_type(media_type),
        headers={"Vary": "Accept", "X-Cache": "hit" if cached else "miss"},
    )


def _service_description(request: Request, service: Service, accept: str | None) -> Response:
    offered = ("text/html", *RESULT_MEDIA_TYPES["graph"])
    media_type = negotiate(accept or "text/turtle", offered, graph=True)
    endpoint = f"{public_base(request)}/sparql"
    if media_type == "text/html":
        # The SPARQL page for people: an editor with the catalogue's questions as examples
        # (api/pages/sparql_page.py).
        ui = pages.make_ui(
            service, request.query_params.get("lang", "da"), request.url.path, dict(request.query_params), {}
        )
        return HTMLResponse(
            pages.sparql_editor(service, ui, pages.default_query(service)), headers={"Vary": "Accept"}
        )
    g = Graph()
    g.bind("sd", SD)
    node = URIRef(endpoint)
    g.add((node, RDF.type, SD.Service))
    g.add((node, SD.endpoint, node))
    g.add((node, SD.supportedLanguage, SD.SPARQL11Query))
    for media in (*RESULT_MEDIA_TYPES["results"], *RESULT_MEDIA_TYPES["graph"]):
        g.add((node, SD.resultFormat, URIRef(FORMATS_NS + FORMAT_IRIS[media])))
    dataset, default_graph = BNode(), BNode()
    g.add((node, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    # The dataset's own description (VoID and DCAT: counts, partitions, dumps) is one link away.
    g.add((dataset, RDFS.seeAlso, URIRef(f"{public_base(request)}/.well-known/void")))
    g.add(
        (
            node,
            DCTERMS.description,
            Literal(f"Read-only; queries stop after {service.settings.timeout:g} s.", lang="en"),
        )
    )
    started = datetime.fromtimestamp(service.started, tz=UTC).replace(microsecond=0)
    g.add((node, DCTERMS.modified, Literal(started.isoformat(), datatype=XSD.dateTime)))
    return Response(
        g.serialize(
            format={
                "text/turtle": "turtle",
                "application/ld+json": "json-ld",
                "application/n-triples": "nt",
                "application/rdf+xml": "xml",
            }[media_type],
            encoding="utf-8",
        ),
        media_type=_text_type(media_type),
        headers={"Vary": "Accept"},
    )


@router.get(
    "/sparql",
    operation_id="sparqlGet",
    summary="Run a SPARQL query (GET), or get the service description",
    description=SPARQL_DESCRIPTION + " Without a query: the service description.",
    responses=SPARQL_GET_RESPONSES,
    openapi_extra=QUERY_DOC,
)
async def sparql_get(request: Request, service: Service = Depends(get_service)) -> Response:
    params = request.query_params
    if params.getlist("update"):
        raise UserError(READ_ONLY)
    dataset = _dataset(params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))
    query = _one(params.getlist("query"), "query")
    if query is None:
        return _service_description(request, service, request.headers.get("accept"))
    return await _answer(request, service, query, params.getlist("format"), params.get("timeout"), dataset)


@router.post(
    "/sparql",
    operation_id="sparqlPost",
    summary="Run a SPARQL query (POST: a form with query=, or an application/sparql-query body)",
    description=SPARQL_DESCRIPTION + " A body of another type is a 415, too large a body a 413, "
    "one that does not arrive in time a 408.",
    responses=SPARQL_POST_RESPONSES,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
                },
            }
        }
    },
)
async def sparql_post(request: Request, service: Service = Depends(get_service)) -> Response:
    limit = service.settings.max_query_bytes * 3 + 1024  # a form's percent-encoding triples the size
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the request body is {int(declared):,} bytes; at most {limit:,} are read")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    if content_type == "application/sparql-update":
        raise UserError(READ_ONLY)
    body = b""
    seconds = service.settings.request_read_seconds
    try:
        async with asyncio.timeout(seconds):  # a body sent a byte at a time must not hold the route
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise PayloadTooLarge(f"the request body is larger than {limit:,} bytes")
    except TimeoutError:
        raise RequestTimeout(f"the request body did not arrive within {seconds:g} s") from None
    if content_type == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qs

        try:
            form = parse_qs(body.decode("utf-8", errors="strict"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise UserError("the form is not valid UTF-8") from None
        if form.get("update"):
            raise UserError(READ_ONLY)
        dataset = _dataset(
            form.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
            form.get("named-graph-uri", []) + params.getlist("named-graph-uri"),
        )
        query = _one(form.get("query", []), "query")
        if query is None:
            raise UserError("the form has no 'query' field")
        fmt = form.get("format", []) or params.getlist("format")
        timeout = _one(form.get("timeout", []), "timeout") or params.get("timeout")
        return await _answer(request, service, query, fmt, timeout, dataset)
    if content_type == "application/sparql-query":
        try:
            query = body.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            raise UserError("the query is not valid UTF-8") from None
        dataset = _dataset(params.getlist("default-graph-uri"), params.getlist("named-graph-uri"))
        return await _answer(
            request, service, query, params.getlist("format"), params.get("timeout"), dataset
        )
    raise UnsupportedMediaType(
        f"POST a query as application/sparql-query or application/x-www-form-urlencoded, not '{content_type or 'nothing'}'"
    )
