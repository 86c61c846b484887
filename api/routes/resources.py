"""Dereferenceable IRIs: ``https://w3id.org/epkg/{path}`` is served at ``/{path}``.

The policy is 200, not 303: w3id.org already redirects the IRI to this server, and the
description of a resource is served at the resource's own path, in the format the client
asks for (``Accept``; or ``?format=ttl|jsonld|nt|rdf|html`` for links), with ``Vary: Accept``
and a ``Link`` to the IRI it describes. The subjects in the data stay the w3id.org IRIs.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import pages
from ..deps import get_service
from ..errors import NotFound
from ..graph import BASE
from ..negotiation import by_short_name, negotiate
from ..service import Service
from ..store import RESULT_MEDIA_TYPES
from .pages import error_page, page, ui_for

router = APIRouter(tags=["linked data"])
OFFERED = ("text/html", *RESULT_MEDIA_TYPES["graph"])
# Browsers list text/html first; generic RDF clients get Turtle when they accept anything.
RDF_FIRST = (*RESULT_MEDIA_TYPES["graph"], "text/html")
# What cannot be in an IRI (RFC 3987): controls, space, <>"{}|\^`, U+FFFD (uvicorn's stand-in for
# invalid UTF-8), and a % that starts no escape. Such a path names nothing; the store would fail on it.
NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f\ufffd]|%(?![0-9A-Fa-f]{2})')
# A header is Latin-1: the IRI goes in as a URI, all but its delimiters and escapes percent-encoded.
URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


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
    headers = {"Vary": "Accept", "Link": f'<{quote(iri, safe=URI_SAFE)}>; rel="describedby"'}
    if NOT_IN_IRI.search(path):
        missing = NotFound(f"nothing at /{quote(path, safe=URI_SAFE)}: not a dataset IRI")
        if media_type != "text/html":
            raise missing
        return error_page(ui_for(request, service), missing)
    if media_type == "text/html":  # the entity page for people (api/pages/entity_pages.py)
        response = await page(request, service, lambda ui: pages.entity_page(service, ui, iri))
        response.headers.update(headers)
        return response
    body = await service.describe(iri, media_type)
    shown = f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    return Response(body, media_type=shown, headers=headers)
