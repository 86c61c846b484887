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
from ..schemas import error_responses, path_parameters
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


# --- OpenAPI: what each route answers, with an example ---------------------------------------
# HEAD is answered for every GET by app.py (``HeadAsGet``); the routes declare GET only.

FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "schema": {"type": "string"},
    "example": "ttl",
    "description": "Instead of Accept: ttl, jsonld, nt, rdf (and html where a page is offered)",
}
HTML_EXAMPLE = '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">'


def _triple(s: str, p: str, o: str) -> str:
    return f"<{s}> <{p}> <{o}> .\n"


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"


def _doc(
    description: str,
    media_types: tuple[str, ...],
    example: str,
    errors: tuple[int, ...] = (406, 429),
    path: dict[str, tuple[str, str]] | None = None,
    query: bool = True,
) -> dict[str, Any]:
    """The OpenAPI keywords of one route: its description, the media types it answers with (the
    first with ``example``), its errors, and its parameters (``path``: name -> example, words)."""
    content: dict[str, Any] = {m: {"schema": {"type": "string"}} for m in media_types}
    content[media_types[0]]["example"] = example
    parameters = path_parameters(path)
    if path:  # a path with a control character is a 400 (app.py RequestLog)
        errors = (400, *errors)
    return {
        "description": description,
        "response_class": Response,
        "responses": {200: {"description": "The document", "content": content}, **error_responses(*errors)},
        "openapi_extra": {"parameters": [*parameters, *([FORMAT_PARAMETER] if query else [])]},
    }


DESCRIBED = _triple(DATASET, RDF_TYPE, "http://rdfs.org/ns/void#Dataset")
MINISTER_GOAL = _triple(f"{BASE}minister-goal/2017/4", RDF_TYPE, f"{BASE}ontology#MinisterGoal")
DOCS = {
    "description": _doc(
        "The VoID and DCAT description of the dataset: its distributions (the dumps), named graphs, "
        "counts, licence and SPARQL endpoint. Turtle, JSON-LD, N-Triples or RDF/XML by Accept or "
        "`?format=`; an HTML page for a browser. A format not offered is a 406.",
        ("text/turtle", *(t for t in GRAPH_TYPES if t != "text/turtle"), "text/html"),
        DESCRIBED,
    ),
    "dump": _doc(
        "The whole dataset (ontology, reference data, plans, catalogue) with its description, in the "
        "format Accept asks for (Turtle when it asks for anything); TriG and N-Quads keep one named "
        "graph per source document. Sent whole at any size, with an ETag (If-None-Match gives 304).",
        DUMP_TYPES,
        MINISTER_GOAL,
        query=False,
    ),
    "dumpFile": _doc(
        "The whole dataset in the format its extension names: "
        + ", ".join(f".{f.ext} ({f.media_type})" for f in DUMP_FORMATS)
        + ". Another extension is a 404 that lists them.",
        DUMP_TYPES,
        MINISTER_GOAL,
        (404, 429),
        {"ext": ("nt", "The format's extension")},
        query=False,
    ),
    "namedGraph": _doc(
        "One named graph of the dataset (a VoID subset): a source document's facts, the ontology, the "
        "reference data or the catalogue; `{name}.{ext}` names the format (ttl, jsonld, nt, rdf), else "
        "Accept does. An unknown graph is a 404 that lists the graphs.",
        GRAPH_TYPES,
        _triple(
            f"{BASE}ontology#MinisterGoal",
            "http://www.w3.org/2000/01/rdf-schema#isDefinedBy",
            f"{BASE}ontology",
        ),
        (404, 406, 429),
        {"file": ("ontology.nt", "The graph's name, and optionally a format's extension")},
        query=False,
    ),
    "ontology": _doc(
        "The ontology (OWL): its HTML documentation (pyLODE) for a browser, ontology/epkg.ttl itself for "
        "Turtle, or another syntax by Accept or `?format=`. Every `…/ontology#Term` resolves here.",
        ("text/turtle", *(t for t in GRAPH_TYPES if t != "text/turtle"), "text/html"),
        _triple(f"{BASE}ontology", RDF_TYPE, OWL_ONTOLOGY),
    ),
    "ontologyVersion": _doc(
        "The ontology's version IRI: the current version only (as /ontology); another version is a 404 "
        "that names the current one.",
        ("text/turtle", *(t for t in GRAPH_TYPES if t != "text/turtle"), "text/html"),
        _triple(f"{BASE}ontology", RDF_TYPE, OWL_ONTOLOGY),
        (404, 406, 429),
        {"version": ("1.0.0", "The current version")},
    ),
    "shapes": _doc(
        "The SHACL shapes the data is checked with: an HTML page for a browser, RDF by Accept or "
        "`?format=`. Every `…/shapes#rule` resolves here.",
        ("text/turtle", *(t for t in GRAPH_TYPES if t != "text/turtle"), "text/html"),
        _triple(f"{BASE}shapes", RDF_TYPE, OWL_ONTOLOGY),
    ),
    "shapesVersion": _doc(
        "The shapes' version IRI: the current version only (as /shapes); another version is a 404 that "
        "names the current one.",
        ("text/turtle", *(t for t in GRAPH_TYPES if t != "text/turtle"), "text/html"),
        _triple(f"{BASE}shapes", RDF_TYPE, OWL_ONTOLOGY),
        (404, 406, 429),
        {"version": ("1.0.0", "The current version")},
    ),
    "jsonLdContext": _doc(
        "The JSON-LD context of the dataset: the short names the JSON-LD dump and documents use.",
        ("application/ld+json",),
        '{"@context": {"@version": 1.1, "epkg": "https://w3id.org/epkg/ontology#"}}',
        (429,),
        query=False,
    ),
    "uriPolicy": _doc(
        "The URI policy: the IRI patterns of the dataset and the promise they keep. An HTML page; the "
        "Markdown with `?format=md` or `Accept: text/markdown`.",
        ("text/html", "text/markdown"),
        HTML_EXAMPLE,
        (429,),
        query=False,
    ),
    "changelog": _doc(
        "The dataset's release history (CHANGELOG.md). An HTML page; the Markdown with `?format=md` or "
        "`Accept: text/markdown`.",
        ("text/html", "text/markdown"),
        HTML_EXAMPLE,
        (429,),
        query=False,
    ),
}
MARKDOWN_FORMAT = {
    "name": "format",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["md"]},
    "example": "md",
    "description": "md: the Markdown source instead of the page",
}
for _markdown in ("uriPolicy", "changelog"):
    DOCS[_markdown]["openapi_extra"]["parameters"].append(MARKDOWN_FORMAT)


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


@router.get(
    "/.well-known/void",
    operation_id="void",
    **DOCS["description"],
    summary="The VoID and DCAT description of the dataset",
)
@router.get(
    "/dataset",
    operation_id="dataset",
    **DOCS["description"],
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


@router.get(
    "/dump",
    operation_id="dump",
    **DOCS["dump"],
    summary="The whole dataset with its description, in the format the client accepts",
)
async def dump(request: Request) -> Response:
    fmt = BY_MEDIA_TYPE[_choose(request, DUMP_TYPES, html=False)]
    return await _dump(request, fmt)


@router.get(
    "/dump.{ext}",
    operation_id="dumpFile",
    **DOCS["dumpFile"],
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


@router.get(
    "/graph/{file}",
    operation_id="namedGraph",
    **DOCS["namedGraph"],
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


@router.get(
    "/ontology",
    operation_id="ontology",
    **DOCS["ontology"],
    summary="The ontology: HTML documentation for browsers, RDF by Accept",
)
async def ontology(request: Request) -> Response:
    return await _vocabulary(request, "ontology", [publishing(request).home / "ontology" / "epkg.ttl"])


@router.get(
    "/ontology/{version}",
    operation_id="ontologyVersion",
    **DOCS["ontologyVersion"],
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


@router.get(
    "/shapes",
    operation_id="shapes",
    **DOCS["shapes"],
    summary="The SHACL shapes: HTML documentation for browsers, RDF by Accept",
)
async def shapes(request: Request) -> Response:
    return await _vocabulary(request, "shapes", Project(home=publishing(request).home).shape_files())


@router.get(
    "/shapes/{version}",
    operation_id="shapesVersion",
    **DOCS["shapesVersion"],
    summary="The shapes' version IRI (the current version only)",
)
async def shapes_version(version: str, request: Request) -> Response:
    await _current_version(request, "shapes", version)
    return await shapes(request)


@router.get(
    "/context.jsonld",
    operation_id="jsonLdContext",
    **DOCS["jsonLdContext"],
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


@router.get(
    "/uri-policy",
    operation_id="uriPolicy",
    **DOCS["uriPolicy"],
    summary="The URI policy: IRI patterns and the promise they keep",
)
async def uri_policy(request: Request) -> Response:
    return _markdown_document(request, publishing(request).home / "docs" / "uri-policy.md", "URI policy")


@router.get(
    "/changelog",
    operation_id="changelog",
    **DOCS["changelog"],
    summary="The dataset's release history",
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
