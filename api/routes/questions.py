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

from .. import answers
from ..catalogue import Question
from ..deps import get_service, public_base
from ..errors import NotFound, UserError
from ..formats import to_csv
from ..negotiation import negotiate
from ..parameters import TYPES, ParameterError, convert, scheme_values
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
    by_question = {v: k for k, v in (names or {p.name: p.name for p in question.parameters}).items()}
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
    out += [
        {
            "name": "format",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["json", "csv"]},
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "default": DEFAULT_LIMIT},
        },
        {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "default": 0}},
    ]
    return out


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


def build_router(catalogue: dict[str, Question]) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.get(
        "/queries",
        operation_id="listQuestions",
        tags=["questions"],
        summary="The question catalogue: every question with its parameters",
    )
    async def list_questions(service: Service = Depends(get_service)) -> dict:
        return {"questions": [_question_info(q) for q in service.catalogue.values()]}

    for question in catalogue.values():
        router.add_api_route(
            f"/queries/{question.name}",
            _question_route(question),
            methods=["GET"],
            tags=["questions"],
            operation_id=_operation_id(question.name),
            summary=question.question_en,
            description=f"{question.question_da}\n\n{question.summary}\n\nExample: `{question.example}`",
            openapi_extra={"parameters": _openapi_parameters(question)},
        )

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
                {
                    "name": "municipality",
                    "in": "query",
                    "schema": {"type": "string"},
                    "example": "330",
                    "description": "kommunekode",
                },
                {
                    "name": "basis",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(scheme_values("basis"))},
                },
                {
                    "name": "specificity",
                    "in": "query",
                    "schema": {"type": "string", "enum": list(scheme_values("specificity"))},
                },
                {
                    "name": "kind",
                    "in": "query",
                    "schema": {"type": "string"},
                    "example": "measure",
                    "description": TYPES["kind"].help,
                },
            ]
        },
    )
    async def goal_answers(
        year: str, number: str, request: Request, service: Service = Depends(get_service)
    ) -> Response:
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
    )
    async def goal_number_answers(
        number: str, request: Request, service: Service = Depends(get_service)
    ) -> Response:
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
        return JSONResponse(
            {
                "note": "Goal numbers restart every year: the same number is a different goal in each year. "
                "Follow one aim across years with /api/goal-lineages/{id}.",
                "number": number,
                "years": years,
            }
        )

    @router.get("/minister-goals/{number}/measures", include_in_schema=False)
    async def goal_number_measures_moved(number: str, request: Request) -> Response:
        return _moved(request, f"/api/minister-goals/{quote(number)}/answers")

    for spec in FRIENDLY:
        router.add_api_route(
            spec.path,
            _friendly_route(spec),
            methods=["GET"],
            tags=["resources"],
            operation_id=_operation_id(spec.path.replace("{", "by ").replace("}", "")),
            summary=spec.summary,
            openapi_extra={
                "parameters": [
                    *(
                        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                        for name in spec.path_params
                    ),
                    *_openapi_parameters(catalogue[spec.question], spec.query),
                ]
            }
            if spec.question in catalogue
            else None,
        )
    return router
