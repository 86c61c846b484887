"""The dataset as a linked-data publication: its description, dumps, vocabulary documents and policy.

- ``/.well-known/void`` and ``/dataset``: the VoID + DCAT description (api/dataset.py), in
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

Building the description and the dumps takes seconds (rdflib), so it runs on one background
thread, started when the app starts; a request waits for what it needs, never blocks the loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import json
from enum import Enum
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from ..dataset import (
    BY_MEDIA_TYPE,
    CHANGELOG,
    DATASET,
    DUMP_FORMATS,
    TITLE,
    DESCRIPTION,
    DumpFormat,
    Publication,
    dump_format,
    markdown_html,
    ontology_html,
    shapes_page,
)
from ..deps import public_base
from ..errors import NotAcceptable, NotFound
from ..graph import BASE, Project
from ..negotiation import SHORT_NAMES, negotiate

T = TypeVar("T")
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates" / "publish"),
    autoescape=select_autoescape(["html"]),
)
GRAPH_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
DUMP_TYPES = tuple(f.media_type for f in DUMP_FORMATS)
SHORT = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "html": "text/html",
}
COMMON = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}
OPEN_API_TAG: list[str | Enum] = ["dataset"]


class Publishing:
    """One per app: the publication and what has been built of it, on one worker thread."""

    def __init__(self, project: Project):
        self.publication = Publication(project)
        self.project = project
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish")
        self._built: dict[Any, concurrent.futures.Future] = {}

    def build(self, key: Any, function: Callable[[], T]) -> concurrent.futures.Future:
        if key not in self._built:
            self._built[key] = self._thread.submit(function)
        return self._built[key]

    async def get(self, key: Any, function: Callable[[], T]) -> T:
        return await asyncio.wrap_future(self.build(key, function))

    def builders(self) -> dict[str, Callable[[], Any]]:
        """What is generated when the service starts: the counts, the context, the two docs."""
        p = self.publication
        return {
            "counts": lambda: p.counts,
            "context": lambda: p.context,
            "ontology.html": lambda: ontology_html(self.project),
            "shapes.html": lambda: TEMPLATES.get_template("shapes.html").render(
                title="SHACL shapes", alternates=_alternates("/shapes"), **shapes_page(p.shapes)
            ),
        }

    async def page(self, name: str) -> Any:
        return await self.get(name, self.builders()[name])

    def warm_up(self, base_url: str | None = None) -> None:
        """Starts building the pages; with the public base URL known (EPKG_BASE_URL), the
        description in Turtle and every dump too, so the first client does not wait."""
        for name, function in self.builders().items():
            self.build(name, function)
        if base_url:
            base = base_url.rstrip("/")
            self.build(("void", base, "text/turtle"), lambda: _description_bytes(self, base, "text/turtle"))
            for f in DUMP_FORMATS:
                self.build(("dump", f.ext, base), functools.partial(self.publication.dump, f, base))

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)


def publishing(request: Request) -> Publishing:
    state = request.app.state
    if getattr(state, "publishing", None) is None:
        service = getattr(state, "service", None)
        state.publishing = Publishing(service.project if service else Project.from_settings())
    return state.publishing


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    service = getattr(app.state, "service", None)
    app.state.publishing = Publishing(service.project if service else Project.from_settings())
    app.state.publishing.warm_up(service.settings.base_url if service else None)  # generated at start
    try:
        yield
    finally:
        app.state.publishing.close()


router = APIRouter(tags=OPEN_API_TAG, lifespan=lifespan)


def _alternates(path: str) -> list[dict[str, str]]:
    return [
        {"type": t, "href": f"{path}?format={short}", "name": short}
        for short, t in SHORT.items()
        if t != "text/html"
    ]


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


def _serialize(graph: Graph, media_type: str, context: dict | None = None) -> bytes:
    fmt = {
        "text/turtle": "turtle",
        "application/ld+json": "json-ld",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
        "application/trig": "trig",
        "application/n-quads": "nquads",
    }[media_type]
    if fmt == "json-ld" and context is not None:
        return graph.serialize(format=fmt, context=context, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


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
    base = public_base(request)
    media_type = _choose(request, GRAPH_TYPES)
    if media_type == "text/html":
        page = await pub.get(("dataset.html", base), lambda: _dataset_page(pub.publication, base))
        return HTMLResponse(page, headers=COMMON)
    body = await pub.get(("void", base, media_type), lambda: _description_bytes(pub, base, media_type))
    return _send(request, body, media_type, extra={"Link": f'<{DATASET}>; rel="describes"'})


def _description_bytes(pub: Publishing, base: str, media_type: str) -> bytes:
    p = pub.publication
    sizes = p.sizes(base)
    return _serialize(p.description(base, sizes), media_type, p.context["@context"])


def _dataset_page(p: Publication, base: str) -> str:
    counts = p.counts
    documents = p.documents()
    graphs = [
        {
            "name": g.name,
            "iri": g.iri,
            "triples": len(g.graph),
            "document": str(documents.get(g.iri, "")),
            "document_link": "/" + str(documents.get(g.iri, "")).removeprefix(BASE),
        }
        for g in p.graphs
    ]
    labels = []
    for prop, langs in sorted(counts.labels.items()):
        total = counts.properties[prop][1]
        for lang, (triples, subjects) in sorted(langs.items()):
            labels.append(
                {
                    "property": prop.n3(p.union.namespace_manager),
                    "lang": lang or "none",
                    "triples": triples,
                    "subjects": subjects,
                    "of": total,
                }
            )
    return TEMPLATES.get_template("dataset.html").render(
        title=TITLE["en"],
        description=DESCRIPTION,
        iri=str(DATASET),
        version=p.release.version,
        ontology_version=p.ontology_version,
        issued=p.release.issued,
        modified=p.release.modified,
        licence=str(p.licence),
        base=base,
        counts=counts,
        uri_space=BASE,
        formats=DUMP_FORMATS,
        graphs=graphs,
        labels=labels,
        alternates=_alternates("/.well-known/void"),
    )


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
    base = public_base(request)
    body = await pub.get(("dump", fmt.ext, base), lambda: pub.publication.dump(fmt, base))
    version = pub.publication.release.version
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
    if not dot or ext not in ("ttl", "nt", "jsonld", "rdf"):
        name, media_type = file, _choose(request, GRAPH_TYPES, html=False)
    else:
        media_type = dump_format(ext).media_type
    names = [g.name for g in pub.publication.graphs]
    if name not in names:
        raise NotFound(f"no graph {BASE}graph/{name}; the graphs are: {', '.join(names)}")
    body = await pub.get(
        ("graph", name, media_type),
        lambda: _serialize(pub.publication.graph_dump(name), media_type, pub.publication.context["@context"]),
    )
    return _send(
        request,
        body,
        media_type,
        filename=f"{name}.{dump_format(media_type).ext}",
        extra={"Link": f'<{DATASET}>; rel="describedby"'},
    )


# --- vocabulary documents ---------------------------------------------------------------------


async def _vocabulary(request: Request, path: Path, page_key: str, graph: Callable[[], Graph]) -> Response:
    pub = publishing(request)
    media_type = _choose(request, GRAPH_TYPES)
    if media_type == "text/html":
        page = await pub.page(page_key)  # built at start (warm_up)
        return HTMLResponse(page, headers=COMMON)
    if media_type == "text/turtle":
        body = path.read_bytes()  # the file itself, comments and all
    else:
        body = await pub.get((page_key, media_type), lambda: _serialize(graph(), media_type))
    return _send(request, body, media_type)


@router.api_route(
    "/ontology",
    methods=["GET", "HEAD"],
    operation_id="ontology",
    summary="The ontology: HTML documentation for browsers, RDF by Accept",
)
async def ontology(request: Request) -> Response:
    pub = publishing(request)
    return await _vocabulary(
        request, pub.project.home / "ontology" / "epkg.ttl", "ontology.html", lambda: pub.publication.ontology
    )


@router.api_route(
    "/ontology/{version}",
    methods=["GET", "HEAD"],
    operation_id="ontologyVersion",
    summary="The ontology's version IRI (the current version only)",
)
async def ontology_version(version: str, request: Request) -> Response:
    pub = publishing(request)
    current = pub.publication.ontology_version
    if version != current:
        raise NotFound(
            f"no ontology version {version}; the current version is {current} ({BASE}ontology/{current})"
        )
    return await ontology(request)


@router.api_route(
    "/shapes",
    methods=["GET", "HEAD"],
    operation_id="shapes",
    summary="The SHACL shapes: HTML documentation for browsers, RDF by Accept",
)
async def shapes(request: Request) -> Response:
    pub = publishing(request)
    return await _vocabulary(
        request, pub.project.shape_files()[0], "shapes.html", lambda: pub.publication.shapes
    )


@router.api_route(
    "/shapes/{version}",
    methods=["GET", "HEAD"],
    operation_id="shapesVersion",
    summary="The shapes' version IRI (the current version only)",
)
async def shapes_version(version: str, request: Request) -> Response:
    pub = publishing(request)
    current = str(pub.publication.shapes.value(URIRef(BASE + "shapes"), OWL.versionInfo))
    if version != current:
        raise NotFound(
            f"no shapes version {version}; the current version is {current} ({BASE}shapes/{current})"
        )
    return await shapes(request)


@router.get("/context.jsonld", operation_id="jsonLdContext", summary="The JSON-LD context of the dataset")
async def context(request: Request) -> Response:
    pub = publishing(request)
    ctx = await pub.page("context")
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
    "/uri-policy", operation_id="uriPolicy", summary="The URI policy: IRI patterns and the promise they keep"
)
async def uri_policy(request: Request) -> Response:
    return _markdown_document(
        request, publishing(request).project.home / "docs" / "uri-policy.md", "URI policy"
    )


@router.get("/changelog", operation_id="changelog", summary="The dataset's release history")
async def changelog(request: Request) -> Response:
    return _markdown_document(request, publishing(request).project.home / CHANGELOG, "Changelog")


# --- discovery from the home page ------------------------------------------------------------

HOME_LINKS = ", ".join(
    (
        '</.well-known/void>; rel="describedby"; type="text/turtle"; title="VoID and DCAT description"',
        '</dataset>; rel="http://www.w3.org/ns/dcat#dataset"',
        '</sparql>; rel="http://rdfs.org/ns/void#sparqlEndpoint"',
        '</dump>; rel="http://rdfs.org/ns/void#dataDump"',
        '</context.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"',
        '</ontology>; rel="http://purl.org/dc/terms/conformsTo"',
        '</uri-policy>; rel="help"',
    )
)


def install(app: FastAPI) -> None:
    """Adds the publication routes, and the home page's Link headers (discovery from ``/``)."""
    app.include_router(router)

    @app.middleware("http")
    async def home_links(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if request.url.path == "/":
            existing = response.headers.get("link")
            response.headers["Link"] = f"{existing}, {HOME_LINKS}" if existing else HOME_LINKS
        return response
