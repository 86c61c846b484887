"""What the HTTP API answers, as OpenAPI sees it: pydantic models of the JSON answers, and the
``responses`` of each route's errors.

The models document; the routes build their answers themselves (api/routes/questions.py,
health.py) and tests/test_openapi.py checks live answers against these schemas, so the two
cannot drift apart unnoticed. Every error a client can get is one JSON shape, ``ErrorBody``: what
the exception handlers in api/app.py and the middleware in api/limits.py send. A page (HTML) says
a 4xx in HTML instead (api/routes/pages.py ``error_page``); its 5xx, and every refusal of the
middleware, stay JSON.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    """Every error answer: the status again, a short title, and what was wrong in words."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": 400,
                    "error": "bad request",
                    "message": "parameter 'year': a year is wanted, e.g. 2017, not 'next'",
                }
            ]
        }
    )

    status: int = Field(description="The HTTP status, the same as the response's")
    error: str = Field(description="A short title: bad request, not found, not acceptable, …")
    message: str = Field(description="What was wrong and what is wanted, for a person to read")


ERRORS: dict[int, tuple[str, str, str]] = {  # status: (when, title, an example message)
    400: (
        "Bad input: a parameter, the query or the path; the message names it",
        "bad request",
        "parameter 'year': a year is wanted, e.g. 2017, not 'next'",
    ),
    404: (
        "Nothing of that name: the message says what there is",
        "not found",
        "no municipality '999' in the graph",
    ),
    406: (
        "No format offered here fits Accept or ?format=; the message lists the formats offered",
        "not acceptable",
        "format 'pdf' is not offered here; offered: text/turtle, application/ld+json",
    ),
    408: (
        "The request body did not arrive in time (EPKG_REQUEST_READ_SECONDS)",
        "request timeout",
        "the request body did not arrive within 15 s",
    ),
    413: (
        "The request is too large: the body, the query text, or its VALUES block",
        "request too large",
        "the request body is 3,000,000 bytes; at most 197,632 are read",
    ),
    415: (
        "A POST body of a type the endpoint does not read",
        "unsupported media type",
        "POST a query as application/sparql-query or application/x-www-form-urlencoded, not 'text/plain'",
    ),
    422: (
        "The answer is larger than the service sends (EPKG_MAX_RESPONSE_BYTES): refused whole, never cut",
        "answer too large",
        "the answer is 40,000,000 bytes, more than the 33,554,432 this service sends; ask for less",
    ),
    429: (
        "This client already has EPKG_CLIENT_CONCURRENCY requests in flight; try again after Retry-After",
        "too many requests",
        "this client already has 8 requests in flight; wait for one to finish",
    ),
    503: (
        "A query ran past its time limit or its memory cap and was stopped, every worker is busy and "
        "the queue full (Retry-After), or the store does not answer",
        "query stopped",
        "the query ran past its time limit of 30 s and was stopped",
    ),
}
HTML_EXAMPLE = '<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">'
# What any route but /health can be refused with by the middleware (api/limits.py).
EVERY_ROUTE = (429,)


ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


def components() -> dict[str, dict[str, Any]]:
    """The schemas ``error_responses`` refers to, for the document's components (app.py). By
    reference rather than as a response ``model``: FastAPI would file a model's schema under an
    HTML route's media type."""
    return {"ErrorBody": ErrorBody.model_json_schema()}


def error_responses(*statuses: int, html: tuple[int, ...] = ()) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, each with the ``ErrorBody`` shape; the
    statuses in ``html`` may be an HTML page too (a page route's 4xx)."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, *html}):
        when, title, message = ERRORS[status]
        content: dict[str, Any] = {}
        if status in statuses:
            content["application/json"] = {
                "schema": ERROR_REF,
                "example": {"status": status, "error": title, "message": message},
            }
        if status in html:
            content["text/html"] = {"schema": {"type": "string"}, "example": HTML_EXAMPLE}
        response: dict[str, Any] = {"description": when, "content": content}
        if status in (429, 503):
            response["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before asking again",
                    "schema": {"type": "integer"},
                }
            }
        out[status] = response
    return out


# --- the REST answers -------------------------------------------------------------------------


class Labels(BaseModel):
    """A label in Danish and English (a variable ``x`` with a sibling ``x_en``)."""

    da: str | None
    en: str | None


# One field of an item: IRIs and other literals as strings, numbers as numbers, booleans,
# null where the variable is unbound, or a Danish/English pair.
Value = str | int | float | bool | Labels | None


class Citation(BaseModel):
    """Where a fact is written: the passage, its document and section, and the quoted words."""

    passage: str | None = None
    document: str | None = None
    section: str | None = None
    quote: str | None = None


class ParameterInfo(BaseModel):
    name: str = Field(description="The parameter's name (a query parameter of the question's route)")
    type: str = Field(description="Its type: year, integer, kommunekode, a scheme's name, …")
    required: bool
    example: str | None = Field(description="A value that answers")
    description: str
    wants: str = Field(description="What a value of this type looks like")


class QuestionRef(BaseModel):
    name: str = Field(description="The question's name: its file queries/{name}.rq")
    question_da: str
    question_en: str
    summary: str = Field(description="What one row of the answer is")
    route: str = Field(description="Its REST route, /api/queries/{name}")
    example: str = Field(description="An example call on the command line (epkg query …)")


class QuestionInfo(QuestionRef):
    parameters: list[ParameterInfo]


class Catalogue(BaseModel):
    """The question catalogue: every question with its parameters."""

    questions: list[QuestionInfo]


class Answer(BaseModel):
    """A question's answer: a page of its items, how many there are, and the SPARQL that ran."""

    question: QuestionRef
    parameters: dict[str, str] = Field(description="The question's parameters as given (by its names)")
    total: int = Field(description="How many items there are in all (also in X-Total-Count)")
    limit: int = Field(description="At most this many items on this page")
    offset: int = Field(description="Items skipped before this page")
    items: list[dict[str, Value | list[Citation]]] = Field(
        description="One object per row (question routes) or per resource (friendly routes, their "
        "citations gathered in a list); a variable unbound in a row is null"
    )
    sparql: str = Field(description="The SPARQL that ran, parameters bound")
    sparql_url: str = Field(description="A /sparql link that runs it again")


class GoalYear(BaseModel):
    year: str = Field(description="The year of the goal with this number")
    goal: str = Field(description="The goal's IRI")
    statement: Labels
    total: int
    items: list[dict[str, Value | list[Citation]]]
    sparql: str


class GoalNumberAnswers(BaseModel):
    """One goal number in every year that has it: each year's goal and what answers it."""

    note: str
    number: str
    years: list[GoalYear]


class CacheStatus(BaseModel):
    answers: int = Field(description="Answers kept")
    hits: int
    misses: int


class Health(BaseModel):
    """Whether the service is up, and on what store; on a remote store whether it answers."""

    status: str = Field(description="ok, or 'store unavailable' (a 503)")
    store: str
    backend: str = Field(description="oxigraph, rdflib or remote")
    questions: int = Field(description="Questions in the catalogue")
    uptime_seconds: float
    cache: CacheStatus
    query_workers: dict[str, Any] = Field(description="The worker pool's limits and queue")
    store_software: str | None = Field(None, description="The remote store's software (remote only)")
    message: str | None = Field(None, description="Why the remote store did not answer (503 only)")


# --- the routes of shared files: /sparql and the dataset's IRIs --------------------------------

_TEXT = {"schema": {"type": "string"}}
SELECT_EXAMPLE = {
    "head": {"vars": ["goal", "statement"]},
    "results": {
        "bindings": [
            {
                "goal": {"type": "uri", "value": "https://w3id.org/epkg/minister-goal/2017/1"},
                "statement": {
                    "type": "literal",
                    "xml:lang": "da",
                    "value": "Virksomhederne skal sikres den nødvendige og kvalificerede arbejdskraft",
                },
            }
        ]
    },
}
SERVICE_EXAMPLE = (
    "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\n"
    "<http://127.0.0.1:8000/sparql> a sd:Service ;\n"
    "    sd:endpoint <http://127.0.0.1:8000/sparql> ;\n"
    "    sd:supportedLanguage sd:SPARQL11Query .\n"
)


def _sparql_responses(*errors: int, page: bool) -> dict[int | str, dict[str, Any]]:
    content: dict[str, Any] = {
        "application/sparql-results+json": {
            "schema": {"type": "object"},
            "examples": {
                "select": {"summary": "A SELECT's answer, abridged to one row", "value": SELECT_EXAMPLE}
            },
        },
        "application/sparql-results+xml": _TEXT,
        "text/csv": _TEXT,
        "text/tab-separated-values": _TEXT,
        "text/turtle": {**_TEXT, "example": SERVICE_EXAMPLE},
        "application/ld+json": {"schema": {"type": ["object", "array"]}},
        "application/n-triples": _TEXT,
        "application/rdf+xml": _TEXT,
    }
    if page:
        content["text/html"] = {**_TEXT, "example": HTML_EXAMPLE}
    return {
        200: {
            "description": "SELECT and ASK: SPARQL results (JSON, XML, CSV, TSV); CONSTRUCT and DESCRIBE: "
            "RDF (Turtle, JSON-LD, N-Triples, RDF/XML)"
            + ("; without a query, the service description (RDF, or a page for a browser)" if page else ""),
            "content": content,
        },
        **error_responses(*errors),
    }


SPARQL_GET_RESPONSES = _sparql_responses(400, 406, 413, 422, 429, 503, page=True)
SPARQL_POST_RESPONSES = _sparql_responses(400, 406, 408, 413, 415, 422, 429, 503, page=False)
SPARQL_DESCRIPTION = (
    "The SPARQL 1.1 Protocol, read-only. The answer's format by Accept (q-values count) or `?format=`: "
    "SELECT and ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle, JSON-LD, "
    "N-Triples or RDF/XML; a 406 when none fits. Updates and SERVICE are refused (400) before anything "
    "runs, as are a query too long or with too large a VALUES block (413); a query past its time limit "
    "is stopped (503); an answer larger than the service sends is a 422, never cut."
)
RESOURCE_EXAMPLE = (
    "<https://w3id.org/epkg/minister-goal/2017/4> a <https://w3id.org/epkg/ontology#MinisterGoal> .\n"
)
RESOURCE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The resource's description in the format asked for",
        "content": {
            "text/turtle": {**_TEXT, "example": RESOURCE_EXAMPLE},
            "application/ld+json": {"schema": {"type": ["object", "array"]}},
            "application/n-triples": _TEXT,
            "application/rdf+xml": _TEXT,
            "text/html": {**_TEXT, "example": HTML_EXAMPLE},
        },
    },
    **error_responses(400, 404, 406, 422, 429, 503, html=(404,)),
}
RESOURCE_DESCRIPTION = (
    "Every IRI `https://w3id.org/epkg/{path}` of the dataset is served at `/{path}` (200 at the path "
    "itself; w3id.org does the redirect): an HTML page for a browser, else Turtle, JSON-LD, N-Triples "
    "or RDF/XML by Accept (Turtle for */*), or `?format=html|ttl|jsonld|nt|rdf`, with `Vary: Accept` "
    "and `Link` headers. A path that names nothing in the graph is a 404 (an HTML page for a browser)."
)
RESOURCE_PARAMETERS = {
    "parameters": [
        {
            "name": "path",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "example": "minister-goal/2017/4",
            "description": "The IRI's path under https://w3id.org/epkg/",
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["html", "ttl", "jsonld", "nt", "rdf"]},
            "example": "ttl",
            "description": "Instead of Accept",
        },
    ]
}


def path_parameters(path: dict[str, tuple[str, str]] | None) -> list[dict[str, Any]]:
    """OpenAPI path parameters from ``{name: (example, description)}``."""
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "example": example,
            "description": words,
        }
        for name, (example, words) in (path or {}).items()
    ]
