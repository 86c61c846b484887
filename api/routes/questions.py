"""``/api``: the question catalogue as REST, and friendly routes over it.

Every ``queries/*.rq`` file is a route, ``GET /api/queries/{name}``, with its parameters
documented in OpenAPI from the file's header: a new question is a new route, no Python.
The friendly routes below name a question and how their path and query parameters map to
its parameters; they answer with one item per resource (``answers.items``).

Every answer carries the SPARQL it ran and a /sparql link that reruns it; JSON by default,
CSV with ``?format=csv`` or ``Accept: text/csv``; ``limit`` and ``offset`` page it, and
``total`` says how many there are.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from rdflib import Literal

from .. import answers
from ..catalogue import Question
from ..deps import get_service, public_base
from ..errors import NotFound, UserError
from ..formats import to_csv
from ..negotiation import negotiate
from ..parameters import TYPES, ParameterError, convert, scheme_values
from ..schemas import Answer as AnswerModel
from ..schemas import Catalogue, GoalNumberAnswers, error_responses
from ..service import Answer, Service
from ..store import Table

RESERVED = ("format", "limit", "offset", "timeout")
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class Friendly:
    """A friendly route: which question it asks, and where each of its parameters comes from."""

    path: str
    question: str
    summary: str
    key: str | None  # the variable whose rows merge into one item; None: one item per row
    query: dict[str, str] = field(default_factory=dict)  # route's query parameter -> question's
    path_params: dict[str, str] = field(default_factory=dict)  # path parameter -> question's
    path_prefix: dict[str, str] = field(default_factory=dict)  # path parameter -> prefix of its value
    one: bool = False  # the route names one resource: 404 when the answer is empty


FRIENDLY = (
    Friendly("/minister-goals", "minister-goals", "The minister's goals, by year", "goal", {"year": "year"}),
    Friendly(
        "/goal-lineages/{id}",
        "lineage-editions",
        "One lasting goal's yearly editions",
        "goal",
        path_params={"id": "lineage"},
        path_prefix={"id": "goal-lineage/"},
        one=True,
    ),
    Friendly("/municipalities", "municipalities", "The municipalities and their documents", "m"),
    Friendly(
        "/municipalities/{code}",
        "municipalities",
        "One municipality and its documents",
        "m",
        path_params={"code": "municipality"},
        one=True,
    ),
    Friendly(
        "/plans/{id}",
        "plan-contents",
        "What one plan, strategy or case contains",
        "resource",
        path_params={"id": "document"},
        path_prefix={"id": "plan/"},
        one=True,
    ),
    Friendly(
        "/measures",
        "measures-for-target-group",
        "Measures for a target group (and its narrower groups)",
        "measure",
        {"target_group": "group", "municipality": "municipality"},
    ),
    Friendly(
        "/targets",
        "quantified-targets",
        "Quantified targets (måltal)",
        "target",
        {"municipality": "municipality", "due_from": "due_from", "due_to": "due_to", "unit": "unit"},
    ),
    Friendly(
        "/projects",
        "projects",
        "Projects, their periods and funders",
        "project",
        {"active_on": "active_on", "funder": "funder", "partner": "partner"},
    ),
    Friendly("/search", "search", "Search labels and quotes", "resource", {"q": "text"}),
    Friendly(
        "/coverage",
        "goal-coverage",
        "Goals x municipalities: how many resources serve each",
        None,
        {"year": "year"},
    ),
)


def _operation_id(text: str) -> str:
    words = re.split(r"[^A-Za-z0-9]+", text)
    return words[0].lower() + "".join(w.capitalize() for w in words[1:] if w)


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d{1,9}", raw) or not low <= int(raw) <= high:
        raise UserError(f"parameter '{name}': a whole number from {low} to {high} is wanted, not {raw!r}")
    return int(raw)


def _wants_csv(request: Request) -> bool:
    fmt = request.query_params.get("format")
    if fmt:
        if fmt not in ("json", "csv"):
            raise UserError(f"parameter 'format': json or csv, not {fmt!r}")
        return fmt == "csv"
    return negotiate(request.headers.get("accept"), ("application/json", "text/csv")) == "text/csv"


def _timeout(request: Request) -> float | None:
    raw = request.query_params.get("timeout")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise UserError(f"parameter 'timeout': a number of seconds is wanted, not {raw!r}") from None


def _question_info(question: Question) -> dict[str, Any]:
    return {
        "name": question.name,
        "question_da": question.question_da,
        "question_en": question.question_en,
        "summary": question.summary,
        "parameters": [
            {
                "name": p.name,
                "type": p.type,
                "required": p.required,
                "example": p.example,
                "description": p.description,
                "wants": p.help,
            }
            for p in question.parameters
        ],
        "route": f"/api/queries/{question.name}",
        "example": question.example,
    }


def _openapi_parameters(question: Question, names: dict[str, str] | None = None) -> list[dict]:
    """OpenAPI query parameters from the question's header (``names``: route name -> question's)."""
    if names is None:
        names = {p.name: p.name for p in question.parameters}
    by_question = {v: k for k, v in names.items()}
    out = []
    for p in question.parameters:
        if p.name not in by_question:
            continue
        out.append(
            {
                "name": by_question[p.name],
                "in": "query",
                "required": p.required,
                "schema": {"type": "string"},
                "example": p.example,
                "description": f"{p.description} ({p.help})",
            }
        )
    return out + PAGING


PAGING = [
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["json", "csv"]},
        "example": "json",
        "description": "json (the default) or csv; instead of Accept: application/json or text/csv",
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "default": DEFAULT_LIMIT, "minimum": 1},
        "example": 10,
        "description": "At most this many items (at most the server's EPKG_MAX_ROWS)",
    },
    {
        "name": "offset",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "default": 0, "minimum": 0},
        "example": 0,
        "description": "Skip this many items first",
    },
    {
        "name": "timeout",
        "in": "query",
        "required": False,
        "schema": {"type": "number"},
        "example": 10,
        "description": "Seconds before the query is stopped (more than 0, at most the server's limit)",
    },
]


def _projected(text: str) -> list[str]:
    """The variables the outermost SELECT of a query projects, in order."""
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\b", text, re.IGNORECASE | re.DOTALL)
    if match is None:
        return []
    clause, names, depth = match.group(1), [], 0
    for token in re.finditer(r"\(|\)|\bAS\s+\?(\w+)|\?(\w+)", clause, re.IGNORECASE):
        if token.group() == "(":
            depth += 1
        elif token.group() == ")":
            depth -= 1
        elif token.group(1):
            names.append(token.group(1))
        elif depth == 0:
            names.append(token.group(2))
    return names


def _answer_example(
    question: Question, params: dict[str, str], key: str | None, base: str
) -> tuple[dict[str, Any], str]:
    """The example call's answer (JSON and CSV), abridged: one item of the shape the question's
    items have, each field shown as "…", built by the same code that builds the real items."""
    variables = tuple(_projected(question.text))
    table = Table(variables, (tuple(Literal("…") for _ in variables),))
    values = answers.items(table, key) if key else answers.rows(table)
    query = question.render(question.bind(params))
    return {
        "question": {k: v for k, v in _question_info(question).items() if k != "parameters"},
        "parameters": params,
        "total": 1,
        "limit": DEFAULT_LIMIT,
        "offset": 0,
        "items": values,
        "sparql": query,
        "sparql_url": f"{base}/sparql?query={quote(query)}",
    }, to_csv(table)


def _answer_responses(example: tuple[dict[str, Any], str], *errors: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of a route that answers with ``respond``: the answer, its errors."""
    return {
        200: {
            "model": AnswerModel,
            "description": "A page of the answer (JSON), or its rows as CSV",
            "headers": {
                "X-Total-Count": {"description": "How many there are", "schema": {"type": "integer"}}
            },
            "content": {
                "application/json": {
                    "examples": {
                        "abridged": {
                            "summary": "The example call's answer, abridged to one item of the items' shape",
                            "value": example[0],
                        }
                    }
                },
                "text/csv": {"schema": {"type": "string"}, "example": example[1]},
            },
        },
        **error_responses(*errors),
    }


def _sparql_link(request: Request, query: str) -> str:
    return f"{public_base(request)}/sparql?query={quote(query)}"


def respond(
    request: Request,
    service: Service,
    answer: Answer,
    values: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
    table: Table | None = None,
) -> Response:
    """One answer as JSON (items, paged) or CSV (the page's rows)."""
    limit = _int(request, "limit", DEFAULT_LIMIT, 1, service.settings.max_rows)
    offset = _int(request, "offset", 0, 0, 10**9)
    total = len(values)
    if _wants_csv(request):
        source = table or answer.table
        page = Table(source.variables, source.rows[offset : offset + limit])
        return Response(
            to_csv(page),
            media_type="text/csv; charset=utf-8",
            headers={"X-Total-Count": str(len(source.rows))},
        )
    body = {
        "question": {k: v for k, v in _question_info(answer.question).items() if k != "parameters"},
        "parameters": answer.parameters,
        **(extra or {}),
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": answers.page(values, limit, offset),
        "sparql": answer.query,
        "sparql_url": _sparql_link(request, answer.query),
    }
    return JSONResponse(body, headers={"X-Total-Count": str(total)})


def _question_params(request: Request, allowed: dict[str, str]) -> dict[str, str]:
    """The request's query parameters, renamed to the question's; unknown ones refused."""
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in RESERVED:
            continue
        if name not in allowed:
            known = ", ".join([*allowed, *RESERVED])
            raise ParameterError(name, f"this route has no such parameter (it takes: {known})")
        if allowed[name] in params:
            raise ParameterError(name, "given twice")
        params[allowed[name]] = value
    return params


def _question_route(question: Question) -> Callable[..., Awaitable[Response]]:
    async def handler(request: Request, service: Service = Depends(get_service)) -> Response:
        params = _question_params(request, {p.name: p.name for p in question.parameters})
        answer = await service.ask(question.name, params, _timeout(request))
        return respond(request, service, answer, answers.rows(answer.table))

    return handler


def _friendly_route(spec: Friendly) -> Callable[..., Awaitable[Response]]:
    async def handler(request: Request, service: Service = Depends(get_service)) -> Response:
        params = _question_params(request, spec.query)
        for path_name, question_name in spec.path_params.items():
            params[question_name] = spec.path_prefix.get(path_name, "") + request.path_params[path_name]
        answer = await service.ask(spec.question, params, _timeout(request))
        if spec.one and not answer.table.rows:
            what = "/".join(request.path_params.values())
            raise NotFound(f"no {spec.path.split('/')[1].rstrip('s')} '{what}' in the graph")
        values = answers.items(answer.table, spec.key) if spec.key else answers.rows(answer.table)
        return respond(request, service, answer, values)

    return handler


async def _serving_goal(
    request: Request, service: Service, year: str, number: str
) -> tuple[Answer, list[dict]]:
    """What the plans answer one goal with: one item per goal link, each with its citations."""
    params = _question_params(
        request,
        {"municipality": "municipality", "basis": "basis", "specificity": "specificity", "kind": "category"},
    )
    params.update(year=year, number=number)
    if "category" in params:  # the question's name for it; a bad value is named as the route names it
        convert("kind", "kind", params["category"])
    timeout = _timeout(request)
    answer = await service.ask("serving-goal", params, timeout)  # NotFound for a goal there is not
    cited = await service.ask(
        "serving-goal-citations",
        {k: v for k, v in params.items() if k in ("year", "number", "municipality")},
        timeout,
    )
    citations: dict[str, list[dict]] = {}
    for row in answers.rows(cited.table):
        citation = {k: row[k] for k in answers.CITATION_FIELDS if k in row}
        bucket = citations.setdefault(row["link"], [])
        if citation not in bucket:
            bucket.append(citation)
    items = answers.items(answer.table, "link")
    for item in items:
        item["citations"] = citations.get(item["link"], [])
    return answer, items


def _moved(request: Request, path: str) -> RedirectResponse:
    """A permanent redirect to ``path``, keeping the query string (an old route name)."""
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=308)


ANSWER_ERRORS = (400, 404, 406, 422, 429, 503)  # what a route that asks a question can answer


def _errors(one: bool, names: Any) -> tuple[int, ...]:
    """ANSWER_ERRORS less 404 where nothing can be missing: a route names no one resource (``one``)
    and its question takes no year (a year without minister goals is a 404, see Service.ask)."""
    return tuple(e for e in ANSWER_ERRORS if e != 404 or one or "year" in names)


QUESTION_DESCRIPTION = """{question_da}

{summary}

Parameters as in the question's header (queries/{name}.rq); a bad value is a 400 that names it.
JSON by default, CSV with `?format=csv` or `Accept: text/csv`; `limit` and `offset` page the items
and `total` says how many there are. On the command line: `{example}`"""


def _friendly_example(spec: Friendly, question: Question) -> tuple[dict[str, str], dict[str, str]]:
    """The example values of a friendly route: its path parameters, and its question's parameters."""
    examples = {p.name: p.example for p in question.parameters if p.example}
    path = {
        name: examples.get(question_name, "").removeprefix(spec.path_prefix.get(name, ""))
        for name, question_name in spec.path_params.items()
    }
    params = {q: examples[q] for q in spec.query.values() if q in examples and question.parameter(q).required}
    params.update({q: spec.path_prefix.get(n, "") + path[n] for n, q in spec.path_params.items()})
    return path, params


def _path_parameter(name: str, example: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "example": example,
        "description": description,
    }


def build_router(catalogue: dict[str, Question], base: str) -> APIRouter:
    """The /api routes of this catalogue; ``base`` is the public base URL the examples name."""
    router = APIRouter(prefix="/api")
    listed = [_question_info(q) for q in catalogue.values()][:1]

    @router.get(
        "/queries",
        operation_id="listQuestions",
        tags=["questions"],
        summary="The question catalogue: every question with its parameters",
        description="Every question of queries/*.rq: its wording in Danish and English, what one row of "
        "its answer is, its typed parameters with an example value each, and its route.",
        responses={
            200: {
                "model": Catalogue,
                "content": {"application/json": {"example": {"questions": listed}}},
            },
            **error_responses(429),
        },
    )
    async def list_questions(service: Service = Depends(get_service)) -> Response:
        return JSONResponse({"questions": [_question_info(q) for q in service.catalogue.values()]})

    for question in catalogue.values():
        router.add_api_route(
            f"/queries/{question.name}",
            _question_route(question),
            methods=["GET"],
            tags=["questions"],
            operation_id=_operation_id(question.name),
            summary=question.question_en,
            description=QUESTION_DESCRIPTION.format(**_question_info(question)),
            openapi_extra={"parameters": _openapi_parameters(question)},
            responses=_answer_responses(
                _answer_example(question, question.example_params(), None, base),
                *_errors(False, [p.name for p in question.parameters]),
            ),
        )

    serving = catalogue.get("serving-goal")
    goal_example = {"year": "2017", "number": "4"}
    serving_example = _answer_example(serving, goal_example, "link", base) if serving else ({}, "")
    for item in serving_example[0].get("items", []):  # _serving_goal adds each link's citations
        item["citations"] = [{field: "…" for field in answers.CITATION_FIELDS}]

    @router.get(
        "/minister-goals/{year}/{number}/answers",
        operation_id="goalAnswers",
        tags=["goals"],
        summary="What each municipality's plan answers goal N of year Y with: every goal link (direct first)",
        description="Every resource that serves the goal, of any kind (measures, projects, offers, focus areas, "
        "target groups, quantified targets, objectives...), one item per goal link with its basis, specificity, "
        "rationale or rule, and citations: the same links /coverage counts and plan-goal-gaps finds missing. "
        "`kind=measure` asks for measures only (projects and offers included). An unknown goal is a 404 "
        "that names the goals there are.",
        openapi_extra={
            "parameters": [
                _path_parameter("year", "2017", "The goal's year"),
                _path_parameter("number", "4", "The goal's number in that year (numbers restart every year)"),
                {
                    "name": "municipality",
                    "in": "query",
                    "schema": {"type": "string"},
                    "example": "330",
                    "description": "Only this municipality's plans (kommunekode)",
                },
                {
                    "name": "basis",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(scheme_values("basis"))},
                    "description": "Only goal links of this basis (stated in the plan, or derived)",
                },
                {
                    "name": "specificity",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(scheme_values("specificity"))},
                    "description": "Only goal links of this specificity (direct, or broader)",
                },
                {
                    "name": "kind",
                    "in": "query",
                    "schema": {"type": "string"},
                    "example": "measure",
                    "description": TYPES["kind"].help,
                },
                *PAGING,
            ]
        },
        responses=_answer_responses(serving_example, *ANSWER_ERRORS),
    )
    async def goal_answers(request: Request, service: Service = Depends(get_service)) -> Response:
        year, number = request.path_params["year"], request.path_params["number"]
        answer, items = await _serving_goal(request, service, year, number)
        return respond(request, service, answer, items)

    @router.get("/minister-goals/{year}/{number}/measures", include_in_schema=False)
    async def goal_measures_moved(year: str, number: str, request: Request) -> Response:
        return _moved(request, f"/api/minister-goals/{quote(year)}/{quote(number)}/answers")

    @router.get(
        "/minister-goals/{number}/answers",
        operation_id="goalNumberAnswersByYear",
        tags=["goals"],
        summary="Goal number N in every year, grouped by year (numbers mean different goals each year)",
        description="For each year that has a minister goal with this number: the goal, its statement, and "
        "what the plans answer it with (as /api/minister-goals/{year}/{number}/answers, every item with its "
        "citations). `municipality`, `basis`, `specificity` and `kind` filter as there. A number no year "
        "has is a 404.",
        openapi_extra={
            "parameters": [
                _path_parameter(
                    "number", "4", "A goal number; each year's goal of that number is another goal"
                ),
                {
                    "name": "municipality",
                    "in": "query",
                    "schema": {"type": "string"},
                    "example": "330",
                    "description": "Only this municipality's plans (kommunekode)",
                },
            ]
        },
        responses={
            200: {
                "model": GoalNumberAnswers,
                "content": {
                    "application/json": {
                        "examples": {
                            "abridged": {
                                "summary": "Goal 4 of 2017, abridged to one item of the items' shape",
                                "value": {
                                    "note": NUMBER_NOTE,
                                    "number": "4",
                                    "years": [
                                        {
                                            "year": "2017",
                                            "goal": "https://w3id.org/epkg/minister-goal/2017/4",
                                            "statement": {
                                                "da": "Flere flygtninge og familiesammenførte skal være "
                                                "selvforsørgende",
                                                "en": "More refugees and family-reunified persons must be "
                                                "self-supporting",
                                            },
                                            "total": 1,
                                            "items": serving_example[0].get("items", []),
                                            "sparql": serving_example[0].get("sparql", ""),
                                        }
                                    ],
                                },
                            }
                        }
                    }
                },
            },
            **error_responses(*(e for e in ANSWER_ERRORS if e != 406)),  # JSON only, no negotiation
        },
    )
    async def goal_number_answers(request: Request, service: Service = Depends(get_service)) -> Response:
        number = request.path_params["number"]
        goals = await service.ask("minister-goals", {})
        years = []
        for goal in answers.rows(goals.table):
            if str(goal["number"]) == number:
                answer, items = await _serving_goal(request, service, str(goal["year"]), number)
                years.append(
                    {
                        "year": goal["year"],
                        "goal": goal["goal"],
                        "statement": goal["statement"],
                        "total": len(items),
                        "items": items,
                        "sparql": answer.query,
                    }
                )
        if not years:
            raise NotFound(f"no year has a minister goal number {number}")
        return JSONResponse({"note": NUMBER_NOTE, "number": number, "years": years})

    @router.get("/minister-goals/{number}/measures", include_in_schema=False)
    async def goal_number_measures_moved(number: str, request: Request) -> Response:
        return _moved(request, f"/api/minister-goals/{quote(number)}/answers")

    for spec in FRIENDLY:
        if spec.question not in catalogue:
            continue  # a friendly route of a question the project does not have
        question = catalogue[spec.question]
        path_example, params_example = _friendly_example(spec, question)
        router.add_api_route(
            spec.path,
            _friendly_route(spec),
            methods=["GET"],
            tags=["resources"],
            operation_id=_operation_id(spec.path.replace("{", "by ").replace("}", "")),
            summary=spec.summary,
            description=_friendly_description(spec, question),
            openapi_extra={
                "parameters": [
                    *(
                        _path_parameter(name, path_example[name], question.parameter(q).description)
                        for name, q in spec.path_params.items()
                    ),
                    *_openapi_parameters(question, spec.query),
                ]
            },
            responses=_answer_responses(
                _answer_example(question, params_example, spec.key, base),
                *_errors(spec.one, [*spec.query.values(), *spec.path_params.values()]),
            ),
        )
    return router


NUMBER_NOTE = (
    "Goal numbers restart every year: the same number is a different goal in each year. "
    "Follow one aim across years with /api/goal-lineages/{id}."
)


def _friendly_description(spec: Friendly, question: Question) -> str:
    one = "An unknown one is a 404. " if spec.one else ""
    merged = f"one item per `{spec.key}`, its citations gathered" if spec.key else "one item per row"
    return (
        f"{question.question_en} ({question.question_da})\n\n{question.summary}\n\n"
        f"Asks the question `{question.name}` (/api/queries/{question.name}) and answers with {merged}. "
        f"{one}JSON by default, CSV with `?format=csv`; `limit` and `offset` page the items."
    )
