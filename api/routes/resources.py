"""Dereferenceable IRIs: ``https://w3id.org/epkg/{path}`` is served at ``/{path}``.

The policy is 200, not 303: w3id.org already redirects the IRI to this server, and the
description of a resource is served at the resource's own path, in the format the client
asks for (``Accept``; or ``?format=ttl|jsonld|nt|rdf|html`` for links), with ``Vary: Accept``
and a ``Link`` to the IRI it describes. The subjects in the data stay the w3id.org IRIs.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import pages
from ..deps import get_service
from ..graph import BASE
from ..negotiation import by_short_name, negotiate
from ..service import Service
from ..store import RESULT_MEDIA_TYPES
from .pages import page

router = APIRouter(tags=["linked data"])
OFFERED = ("text/html", *RESULT_MEDIA_TYPES["graph"])
# Browsers list text/html first; generic RDF clients get Turtle when they accept anything.
RDF_FIRST = (*RESULT_MEDIA_TYPES["graph"], "text/html")


@router.get(
    "/{path:path}",
    operation_id="describeResource",
    summary="The description of a dataset IRI https://w3id.org/epkg/{path}, by content negotiation",
)
async def describe(path: str, request: Request, service: Service = Depends(get_service)) -> Response:
    iri = BASE + path
    fmt = request.query_params.get("format")
    if fmt:
        media_type = by_short_name(fmt, OFFERED)
    else:
        accept = request.headers.get("accept")
        media_type = negotiate(accept, OFFERED if accept and "text/html" in accept else RDF_FIRST, graph=True)
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="describedby"'}
    if media_type == "text/html":  # the entity page for people (api/pages/entity_pages.py)
        response = await page(request, service, lambda ui: pages.entity_page(service, ui, iri))
        response.headers.update(headers)
        return response
    body = await service.describe(iri, media_type)
    shown = f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    return Response(body, media_type=shown, headers=headers)
