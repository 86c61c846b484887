"""The FastAPI application: one router per resource, errors mapped to statuses in one place.

``create_app()`` builds the app; the service (store, worker pool, cache) opens when the app
starts and closes when it stops. ``epkg serve`` runs it with uvicorn.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__, assets, limits
from .catalogue import load_catalogue
from .deps import base_url
from .errors import EpkgError
from .graph import Project
from . import schemas as api_schemas
from .routes import dataset, health, index, pages, questions, resources, sparql
from .service import Service
from .settings import Settings, get_settings

log = logging.getLogger("epkg.http")

DESCRIPTION = """
The Danish employment-policy knowledge graph: the employment minister's yearly goals and four
municipalities' employment plans (Slagelse, Vordingborg, Sønderborg, Hedensted) as linked data.

- **/sparql**: a read-only SPARQL 1.1 endpoint (GET, POST form, POST `application/sparql-query`).
- **/api/queries**: the question catalogue; every question is a route, `/api/queries/{name}`.
- **/api/minister-goals, /api/municipalities, …**: friendly routes, one item per resource, each with
  its citations (document, section, quote), the SPARQL it ran, and a /sparql link that reruns it.
- **/{path}**: every IRI `https://w3id.org/epkg/{path}` of the dataset, in Turtle, JSON-LD,
  N-Triples, RDF/XML or HTML by `Accept` (or `?format=ttl|jsonld|nt|rdf|html`).

Minister goal numbers restart every year: goal 4 is the refugee goal in 2017 and the cash-benefit
goal in 2019, so every goal route takes the year.
"""


def error_body(status: int, title: str, message: str) -> dict:
    return {"status": status, "error": title, "message": message}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EpkgError)
    async def epkg_error(request: Request, exc: EpkgError) -> Response:
        headers = {"Retry-After": "1"} if exc.status in (429, 503) else None
        if exc.status == 408:  # the rest of a slow request is not worth reading
            headers = {"Connection": "close"}
        return JSONResponse(error_body(exc.status, exc.title, exc.message), exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"parameter '{where}': {error.get('msg', 'invalid')}")
        return JSONResponse(error_body(400, "bad request", "; ".join(problems) or "bad request"), 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; see /docs for the routes"
        return JSONResponse(
            error_body(exc.status_code, "error", message),
            exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", printable(request.method), printable(request.url.path))
        return JSONResponse(
            error_body(500, "server error", "the server failed to answer; the error is logged"), 500
        )


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What could end a log line or shift its fields: controls, Unicode line breaks, space, backslash.
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f\\\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` for one field of a log line: controls, spaces, backslash as ``\\xNN`` (``\\uNNNN``)."""
    return _UNPRINTABLE.sub(_escape, text)


class RequestLog:
    """ASGI middleware: one log line per request (id, method, path, status, milliseconds, and the
    question's name or the query's hash), and the id in an ``X-Request-Id`` response header. A
    client's own X-Request-Id is kept when it is a plain token. Every field is ``printable``, so a
    request can never forge a line. A path with a control character (%00-%1F, %7F) is a 400 here:
    no route has one, and header values built from it would be invalid."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:12]
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            if _CONTROL.search(scope["path"]):
                message = "the path has a control character (%00-%1F or %7F); no resource has one"
                await limits.send_error(send_with_id, 400, "bad request", message)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "%s %s %s %d %.1fms %s",
                printable(request_id),
                printable(scope["method"]),
                printable(scope["path"]),
                status,
                (time.perf_counter() - started) * 1000,
                printable(str(scope.get(limits.QUERY_TAG, "-"))),
            )


class HeadAsGet:
    """ASGI middleware: ``HEAD`` on any path is its ``GET`` without the body (RFC 9110, 9.3.2).

    The request goes on as a GET through everything inside (CORS, the per-client limit, the
    answer-size limit, the routes, the query workers' admission), so a HEAD gets the very status
    and headers (Content-Type, Content-Length, ETag, Link, …) a GET would, and costs what the GET
    costs; only the body is dropped here. Routes declare GET alone, so OpenAPI lists no HEAD
    operations. The request log (outside) still says HEAD."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        as_get = {**scope, "method": "GET"}  # a copy: the server still knows the request is a HEAD

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            await self.app(as_get, receive, without_body)
        finally:
            if limits.QUERY_TAG in as_get:  # for the log line
                scope[limits.QUERY_TAG] = as_get[limits.QUERY_TAG]


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's OpenAPI document, built once, less two things it adds that are not true here:
    the empty ``application/json`` schema of a route that answers with a Response of its own
    (its responses say what it sends), and the 422 of FastAPI's parameter validation (this
    service answers a bad parameter with a 400, see ``install_error_handlers``). A parameter
    documented twice, from the handler's signature and in the route's ``openapi_extra`` (which
    adds its description and example), is one parameter."""
    if app.openapi_schema is None:
        spec = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        for path in spec["paths"].values():
            for operation in path.values():
                merged: dict[tuple[str, str], dict[str, Any]] = {}
                for parameter in operation.get("parameters", []):
                    merged.setdefault((parameter["name"], parameter["in"]), {}).update(parameter)
                if merged:
                    operation["parameters"] = list(merged.values())
                responses = operation.get("responses", {})
                for response in responses.values():
                    content = response.get("content")
                    if content and content.get("application/json") == {"schema": {}}:
                        del content["application/json"]
                        if not content:
                            del response["content"]
                if "HTTPValidationError" in json.dumps(responses.get("422", {})):
                    del responses["422"]
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        schemas.update(api_schemas.components())
        app.openapi_schema = spec
    return app.openapi_schema


def create_app(settings: Settings | None = None, service: Service | None = None) -> FastAPI:
    """The app. With ``service`` given, it serves that (tests); else it opens a worker pool."""
    settings = settings or get_settings()
    catalogue = load_catalogue(Project.from_settings(settings).queries_dir)  # routes per question

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = service or Service.open(settings, pool=True)
        try:
            yield
        finally:
            if service is None:
                app.state.service.close()

    app = FastAPI(
        title="Danish employment-policy knowledge graph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below, with Swagger UI from /static (api/assets.py) rather than a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    limits.install(app, settings)  # CORS, security headers, per-client and answer-size limits
    app.add_middleware(HeadAsGet)  # outside the limits: a HEAD is refused or admitted as its GET
    app.add_middleware(RequestLog)  # outermost: it times everything, refusals included

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title}: the HTTP API",
            swagger_js_url=f"{assets.SWAGGER_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets.SWAGGER_URL}/swagger-ui.css",
            swagger_favicon_url=f"{assets.SWAGGER_URL}/favicon.png",
        )

    assets.mount(app, settings)  # Swagger UI and YASGUI, as pip and npm installed them
    app.include_router(health.router)
    app.include_router(index.router)
    app.include_router(sparql.router)
    app.include_router(questions.build_router(catalogue, base_url(settings)))
    app.include_router(pages.router)
    dataset.install(app)  # VoID/DCAT, dumps, ontology and shapes docs, Link headers on /
    app.include_router(resources.router)  # last: it answers every other path of the dataset
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    return app
