"""The dataset as a linked-data publication: its description, dumps, vocabulary documents and policy.

- ``/.well-known/void`` and ``/dataset``: the VoID + DCAT description (api/dataset/), in
  Turtle, JSON-LD, N-Triples or RDF/XML by ``Accept`` (or ``?format=``), HTML for browsers;
- ``/dump`` (by ``Accept``) and ``/dump.{ttl,nt,jsonld,rdf,trig,nq}``: the whole graph with its
  description; TriG and N-Quads with one named graph per source document;
- ``/graph/{name}`` and ``/graph/{name}.{ext}``: one named graph (a VoID subset);
- ``/ontology`` (and its version IRI) and ``/shapes``: HTML documentation for browsers (pyLODE
  for the ontology, a template for the shapes, both generated when the service starts), the
  RDF by ``Accept``; every ``…/ontology#Term`` and ``…/shapes#rule`` resolves here;
- ``/context.jsonld``: the JSON-LD context the JSON-LD dump uses; ``/uri-policy``, ``/changelog``.

The home page carries ``Link`` headers (``rel="describedby"`` to the VoID, the SPARQL endpoint,
the dump, the context), so a client that starts at ``/`` finds everything. ``install(app)``
adds this router and that header; it goes before the catch-all resources router.

Every URL written here (Link headers, the description's and the dumps' download URLs) is under
the configured public base (api/deps.py ``base_url``), never the request's Host: the content
depends on nothing a client sends but the format, so each document is built once.

Building the description and the dumps takes seconds of rdflib, which holds the GIL: it runs in
one separate process (started with the app, which starts building the docs at once), and each
result is kept; a request awaits what it needs, and the event loop never waits.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import json
import logging
import multiprocessing
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import Enum
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from ..dataset import (
    BY_MEDIA_TYPE,
    CHANGELOG,
    DATASET,
    DUMP_FORMATS,
    GRAPH_MEDIA_TYPES,
    SHORT_FORMATS,
    TEMPLATES,
    DumpFormat,
    dump_format,
    init_builder,
    markdown_html,
    task,
)
from ..deps import base_url
from ..errors import NotAcceptable, NotFound, ServiceError
from ..graph import BASE, Project
from ..negotiation import SHORT_NAMES, negotiate
from ..settings import Settings, get_settings

log = logging.getLogger("epkg.http")
GRAPH_TYPES = GRAPH_MEDIA_TYPES
DUMP_TYPES = tuple(f.media_type for f in DUMP_FORMATS)
COMMON = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}
OPEN_API_TAG: list[str | Enum] = ["dataset"]
STARTUP_TASKS = (
    ("versions",),
    ("graph-names",),
    ("context",),
    ("ontology.html",),
    ("shapes.html",),
    ("counts",),
)


class Publishing:
    """One per app: a builder process for one project and public base URL, and every result it
    has built, kept by task."""

    def __init__(self, home: Path, base: str):
        self.home, self.base = home, base
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_builder,
            initargs=(str(home), base),
        )
        # Keyed by task and format only, never by anything a client names freely (the base is the
        # builder's): bound = STARTUP_TASKS + dataset.html + a void per graph type + a dump per
        # format + a graph per named graph and type (names checked first) + ontology and shapes per
        # type; 57 entries today (8 graphs, 4 types), the six dumps (about 16 MB) the largest.
        self._built: dict[tuple[str, ...], concurrent.futures.Future] = {}

    def build(self, *key: str) -> concurrent.futures.Future:
        if key not in self._built:
            self._built[key] = self._pool.submit(task, *key)
        return self._built[key]

    async def get(self, *key: str) -> Any:
        try:
            return await asyncio.wrap_future(self.build(*key))
        except concurrent.futures.process.BrokenProcessPool:
            self._built.clear()
            raise ServiceError("the publication builder stopped; ask again") from None
        except Exception:
            self._built.pop(key, None)  # a failure is not kept: the next request tries again
            raise

    def warm_up(self, dumps: bool = False) -> None:
        """Starts building the docs, versions and counts; with ``dumps`` (a deployment: EPKG_BASE_URL
        set), every dump and the description too, so the first client does not wait."""
        for key in STARTUP_TASKS:
            self.build(*key)
        if dumps:
            for f in DUMP_FORMATS:
                self.build("dump", f.ext)
            self.build("void", "text/turtle")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _settings(app: FastAPI) -> Settings:
    service = getattr(app.state, "service", None)
    return service.settings if service else get_settings()


def _new_publishing(app: FastAPI) -> Publishing:
    settings = _settings(app)
    base = base_url(settings)  # a bad EPKG_BASE_URL stops the start here (ConfigError)
    return Publishing(Project.from_settings(settings).home, base)


def publishing(request: Request) -> Publishing:
    state = request.app.state
    if getattr(state, "publishing", None) is None:
        state.publishing = _new_publishing(request.app)
    return state.publishing


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.publishing = _new_publishing(app)
    settings = _settings(app)
    if settings.base_url is None and settings.host in ("0.0.0.0", "::", ""):
        log.warning(
            "EPKG_BASE_URL is not set: links name %s; set it to the URL clients use",
            app.state.publishing.base,
        )
    app.state.publishing.warm_up(dumps=settings.base_url is not None)  # generated at start
    try:
        yield
    finally:
        app.state.publishing.close()


router = APIRouter(tags=OPEN_API_TAG, lifespan=lifespan)
SHORT = {**SHORT_FORMATS, "html": "text/html"}


def _choose(request: Request, offered: tuple[str, ...], html: bool = True) -> str:
    """The media type by ``?format=`` (a short name or extension) or ``Accept``; browsers get HTML."""
    fmt = request.query_params.get("format")
    if fmt:
        wanted = SHORT_NAMES.get(fmt.lower()) or SHORT.get(fmt.lower())
        if wanted is None:
            try:
                wanted = dump_format(fmt).media_type
            except Exception:
                wanted = fmt
        if wanted not in offered:
            raise NotAcceptable(f"format '{fmt}' is not offered here; offered: {', '.join(offered)}")
        return wanted
    accept = request.headers.get("accept")
    if html and accept and "text/html" in accept:
        return negotiate(accept, ("text/html", *offered), graph=True)
    return negotiate(accept, offered, graph=True)


def _send(
    request: Request,
    body: bytes,
    media_type: str,
    filename: str | None = None,
    extra: dict[str, str] | None = None,
) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {**COMMON, "ETag": etag, **(extra or {})}
    if filename:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    shown = f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    return Response(body, media_type=shown, headers=headers)


# --- the description -------------------------------------------------------------------------


@router.api_route(
    "/.well-known/void",
    methods=["GET", "HEAD"],
    operation_id="void",
    summary="The VoID and DCAT description of the dataset",
)
@router.api_route(
    "/dataset",
    methods=["GET", "HEAD"],
    operation_id="dataset",
    summary="The dataset IRI: its VoID and DCAT description (HTML for browsers)",
)
async def description(request: Request) -> Response:
    pub = publishing(request)
    media_type = _choose(request, GRAPH_TYPES)
    if media_type == "text/html":
        return HTMLResponse(await pub.get("dataset.html"), headers=COMMON)
    body = await pub.get("void", media_type)
    return _send(request, body, media_type, extra={"Link": f'<{DATASET}>; rel="describes"'})


# --- dumps --------------------------------------------------------------------------------------


@router.api_route(
    "/dump",
    methods=["GET", "HEAD"],
    operation_id="dump",
    summary="The whole dataset with its description, in the format the client accepts",
)
async def dump(request: Request) -> Response:
    fmt = BY_MEDIA_TYPE[_choose(request, DUMP_TYPES, html=False)]
    return await _dump(request, fmt)


@router.api_route(
    "/dump.{ext}",
    methods=["GET", "HEAD"],
    operation_id="dumpFile",
    summary="The whole dataset in one format: ttl, nt, jsonld, rdf, trig (named graphs), nq",
)
async def dump_file(ext: str, request: Request) -> Response:
    if ext not in {f.ext for f in DUMP_FORMATS}:
        raise NotFound(
            f"no dump /dump.{ext}; there are: " + ", ".join(f"/dump.{f.ext}" for f in DUMP_FORMATS)
        )
    return await _dump(request, dump_format(ext))


async def _dump(request: Request, fmt: DumpFormat) -> Response:
    pub = publishing(request)
    body = await pub.get("dump", fmt.ext)
    version = (await pub.get("versions"))["dataset"]
    return _send(
        request,
        body,
        fmt.media_type,
        filename=f"epkg-{version}.{fmt.ext}",
        extra={"Link": f'<{DATASET}>; rel="describedby"'},
    )


@router.api_route(
    "/graph/{file}",
    methods=["GET", "HEAD"],
    operation_id="namedGraph",
    summary="One named graph of the dataset (a source document's, the ontology's, ...)",
)
async def named_graph(file: str, request: Request) -> Response:
    pub = publishing(request)
    name, dot, ext = file.rpartition(".")
    if not dot or ext not in SHORT_FORMATS:
        name, media_type = file, _choose(request, GRAPH_TYPES, html=False)
    else:
        media_type = SHORT_FORMATS[ext]
    names = await pub.get("graph-names")
    if name not in names:
        raise NotFound(f"no graph {BASE}graph/{name}; the graphs are: {', '.join(names)}")
    body = await pub.get("graph", name, media_type)
    return _send(
        request,
        body,
        media_type,
        filename=f"{name}.{dump_format(media_type).ext}",
        extra={"Link": f'<{DATASET}>; rel="describedby"'},
    )


# --- vocabulary documents ---------------------------------------------------------------------


async def _vocabulary(request: Request, name: str, files: list[Path]) -> Response:
    """``name`` is ontology or shapes: its HTML page, its file as Turtle, or another syntax."""
    pub = publishing(request)
    media_type = _choose(request, GRAPH_TYPES)
    if media_type == "text/html":
        return HTMLResponse(await pub.get(f"{name}.html"), headers=COMMON)
    if media_type == "text/turtle" and len(files) == 1:
        body = files[0].read_bytes()  # the file itself, comments and all
    else:
        body = await pub.get(name, media_type)
    return _send(request, body, media_type)


@router.api_route(
    "/ontology",
    methods=["GET", "HEAD"],
    operation_id="ontology",
    summary="The ontology: HTML documentation for browsers, RDF by Accept",
)
async def ontology(request: Request) -> Response:
    return await _vocabulary(request, "ontology", [publishing(request).home / "ontology" / "epkg.ttl"])


@router.api_route(
    "/ontology/{version}",
    methods=["GET", "HEAD"],
    operation_id="ontologyVersion",
    summary="The ontology's version IRI (the current version only)",
)
async def ontology_version(version: str, request: Request) -> Response:
    await _current_version(request, "ontology", version)
    return await ontology(request)


async def _current_version(request: Request, what: str, version: str) -> None:
    """Only the current version IRI of the ontology or the shapes is served; another is a 404."""
    current = (await publishing(request).get("versions"))[what]
    if version != current:
        raise NotFound(
            f"no {what} version {version}; the current version is {current} ({BASE}{what}/{current})"
        )


@router.api_route(
    "/shapes",
    methods=["GET", "HEAD"],
    operation_id="shapes",
    summary="The SHACL shapes: HTML documentation for browsers, RDF by Accept",
)
async def shapes(request: Request) -> Response:
    return await _vocabulary(request, "shapes", Project(home=publishing(request).home).shape_files())


@router.api_route(
    "/shapes/{version}",
    methods=["GET", "HEAD"],
    operation_id="shapesVersion",
    summary="The shapes' version IRI (the current version only)",
)
async def shapes_version(version: str, request: Request) -> Response:
    await _current_version(request, "shapes", version)
    return await shapes(request)


@router.api_route(
    "/context.jsonld",
    methods=["GET", "HEAD"],
    operation_id="jsonLdContext",
    summary="The JSON-LD context of the dataset",
)
async def context(request: Request) -> Response:
    ctx = await publishing(request).get("context")
    body = (json.dumps(ctx, indent=2, ensure_ascii=False) + "\n").encode()
    return _send(request, body, "application/ld+json")


# --- policy and history ----------------------------------------------------------------------


def _markdown_document(request: Request, path: Path, title: str) -> Response:
    text = path.read_text(encoding="utf-8")
    accept = request.headers.get("accept") or ""
    if request.query_params.get("format") == "md" or (
        "text/markdown" in accept and "text/html" not in accept
    ):
        return _send(request, text.encode(), "text/markdown")
    page = TEMPLATES.get_template("document.html").render(
        title=title, content=markdown_html(text), alternates=[]
    )
    return HTMLResponse(page, headers=COMMON)


@router.api_route(
    "/uri-policy",
    methods=["GET", "HEAD"],
    operation_id="uriPolicy",
    summary="The URI policy: IRI patterns and the promise they keep",
)
async def uri_policy(request: Request) -> Response:
    return _markdown_document(request, publishing(request).home / "docs" / "uri-policy.md", "URI policy")


@router.api_route(
    "/changelog", methods=["GET", "HEAD"], operation_id="changelog", summary="The dataset's release history"
)
async def changelog(request: Request) -> Response:
    return _markdown_document(request, publishing(request).home / CHANGELOG, "Changelog")


# --- discovery from the home page ------------------------------------------------------------

HOME_LINKS = (
    ("/.well-known/void", 'rel="describedby"; type="text/turtle"; title="VoID and DCAT description"'),
    ("/dataset", 'rel="http://www.w3.org/ns/dcat#dataset"'),
    ("/sparql", 'rel="http://rdfs.org/ns/void#sparqlEndpoint"'),
    ("/dump", 'rel="http://rdfs.org/ns/void#dataDump"'),
    ("/context.jsonld", 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'),
    ("/ontology", 'rel="http://purl.org/dc/terms/conformsTo"'),
    ("/uri-policy", 'rel="help"'),
)


def home_links(base: str) -> str:
    """The Link header of ``/``: absolute under the public base (a relative link would miss a base
    with a path, as behind a proxy at https://host/epkg)."""
    return ", ".join(f"<{base}{path}>; {params}" for path, params in HOME_LINKS)


class HomeLinks:
    """ASGI middleware: the home page's Link headers (discovery from ``/``); other paths untouched."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/":
            await self.app(scope, receive, send)
            return

        links = home_links(base_url(_settings(scope["app"]))).encode()

        async def with_links(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"link", links)]
            await send(message)

        await self.app(scope, receive, with_links)


def install(app: FastAPI) -> None:
    """Adds the publication routes, and the home page's Link headers (discovery from ``/``)."""
    app.include_router(router)
    app.add_middleware(HomeLinks)
