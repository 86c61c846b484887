"""Dereferenceable IRIs: ``https://w3id.org/epkg/{path}`` is served at ``/{path}``.

The policy is 200, not 303: w3id.org already redirects the IRI to this server, and the
description of a resource is served at the resource's own path, in the format the client
asks for (``Accept``; or ``?format=ttl|jsonld|nt|rdf|html`` for links), with ``Vary: Accept``.
The subjects in the data stay the w3id.org IRIs.

Every representation carries a ``Link`` header (api/entity_documents.py): the IRI it
``describes``, the Turtle document as ``describedby`` (the data, never the page), and each other
representation as ``alternate`` with its media type, all under the configured public base (never
the request's Host). Turtle comes with prefixes and the subject first, JSON-LD compacted with the
published context (/context.jsonld); both are written in a query worker and kept in the cache.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import entity_documents, pages
from ..deps import get_service, public_base
from ..errors import NotFound
from ..graph import BASE
from ..negotiation import by_short_name, negotiate
from ..service import Service
from ..schemas import RESOURCE_DESCRIPTION, RESOURCE_PARAMETERS, RESOURCE_RESPONSES
from ..store import RESULT_MEDIA_TYPES
from .dataset import publishing
from .pages import error_page, page, ui_for

router = APIRouter(tags=["linked data"])
OFFERED = ("text/html", *RESULT_MEDIA_TYPES["graph"])
# Browsers list text/html first; generic RDF clients get Turtle when they accept anything.
RDF_FIRST = (*RESULT_MEDIA_TYPES["graph"], "text/html")
# What cannot be in an IRI (RFC 3987): controls, space, <>"{}|\^`, U+FFFD (uvicorn's stand-in for
# invalid UTF-8), and a % that starts no escape. Such a path names nothing; the store would fail on it.
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f\ufffd]|%(?![0-9A-Fa-f]{2})')
URI_SAFE = entity_documents.URI_SAFE


@router.get(
    "/{path:path}",
    operation_id="describeResource",
    summary="The description of a dataset IRI https://w3id.org/epkg/{path}, by content negotiation",
    description=RESOURCE_DESCRIPTION,
    responses=RESOURCE_RESPONSES,
    openapi_extra=RESOURCE_PARAMETERS,
)
async def describe(path: str, request: Request, service: Service = Depends(get_service)) -> Response:
    iri = BASE + path
    fmt = request.query_params.get("format")
    if fmt:
        media_type = by_short_name(fmt, OFFERED)
    else:
        accept = request.headers.get("accept")
        media_type = negotiate(accept, OFFERED if accept and "text/html" in accept else RDF_FIRST, graph=True)
    if NOT_IN_IRI.search(path):
        missing = NotFound(f"nothing at /{quote(path, safe=URI_SAFE)}: not a dataset IRI")
        if media_type != "text/html":
            raise missing
        return error_page(ui_for(request, service), missing)
    base = public_base(request)
    headers = {"Vary": "Accept", "Link": entity_documents.link_header(base, iri, media_type)}
    if media_type == "text/html":  # the entity page for people (api/pages/entity_pages.py)
        response = await page(request, service, lambda ui: pages.entity_page(service, ui, iri))
        response.headers.update(headers if response.status_code == 200 else {"Vary": "Accept"})
        return response
    body = await document(request, service, iri, media_type, base)
    shown = f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    return Response(body, media_type=shown, headers=headers)


async def document(request: Request, service: Service, iri: str, media_type: str, base: str) -> bytes:
    """The description of ``iri`` in an RDF format: Turtle and JSON-LD rewritten from the engine's
    N-Triples (api/entity_documents.py), in a query worker; the others as the engine writes them."""
    if media_type not in entity_documents.REWRITTEN:
        return await service.describe(iri, media_type)
    context_url = base + "/context.jsonld"
    key = ("entity-document", iri, media_type, context_url)
    kept = service.cache.get(key)
    if kept is not None:
        return kept
    ntriples = await service.describe(iri, "application/n-triples")  # NotFound when unknown
    context, limit = {}, service.settings.timeout
    if media_type == "application/ld+json":  # the published context, built once (routes/dataset.py)
        context = (await publishing(request).get("context"))["@context"]
    body: bytes = await service.executor.call(
        entity_documents.write, ntriples, iri, media_type, context, context_url, timeout=limit
    )
    service.cache.put(key, body, len(body))
    return body
