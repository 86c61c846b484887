"""Dereferenceable IRIs: ``https://w3id.org/epkg/{path}`` is served at ``/{path}``.

The policy is 200, not 303: w3id.org already redirects the IRI to this server, and the
description of a resource is served at the resource's own path, in the format the client
asks for (``Accept``; or ``?format=ttl|jsonld|nt|rdf|html`` for links), with ``Vary: Accept``
and a ``Link`` to the IRI it describes. The subjects in the data stay the w3id.org IRIs.
"""

from __future__ import annotations

import html

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from ..deps import get_service
from ..graph import BASE, compact_iri
from ..negotiation import by_short_name, negotiate
from ..service import Service
from ..store import RESULT_MEDIA_TYPES

router = APIRouter(tags=["linked data"])
OFFERED = ("text/html", *RESULT_MEDIA_TYPES["graph"])
# Browsers list text/html first; generic RDF clients get Turtle when they accept anything.
RDF_FIRST = (*RESULT_MEDIA_TYPES["graph"], "text/html")


def _link(iri: str) -> str:
    if iri.startswith(BASE):
        return f"/{iri[len(BASE):]}"
    return iri


def plain_html(iri: str, turtle: bytes) -> str:
    """A readable page until the pages for people exist: the description as a table."""
    g = Graph()
    g.parse(data=turtle, format="turtle")
    subject = URIRef(iri)
    title = next((str(o) for o in g.objects(subject, RDFS.label)), compact_iri(iri))
    label = {s: str(o) for s, o in g.subject_objects(RDFS.label)}

    def cell(term: object) -> str:
        if isinstance(term, URIRef):
            text = label.get(term, compact_iri(str(term)))
            return f'<a href="{html.escape(_link(str(term)))}">{html.escape(text)}</a>'
        return html.escape(str(term))

    out = [f"<!doctype html><html lang=da><head><meta charset=utf-8><title>{html.escape(title)}</title></head><body>",
           f"<h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code></p><table>"]
    for p, o in sorted(g.predicate_objects(subject)):
        out.append(f"<tr><th>{html.escape(compact_iri(str(p)))}</th><td>{cell(o)}</td></tr>")
    out.append("</table><h2>Links here</h2><ul>")
    for s, p in sorted(g.subject_predicates(subject)):
        out.append(f"<li>{cell(s)} {html.escape(compact_iri(str(p)))}</li>")
    out.append("</ul><p>Data: " + " ".join(f'<a href="?format={f}">{f}</a>' for f in ("ttl", "jsonld", "nt", "rdf")))
    out.append("</p></body></html>")
    return "".join(out)


@router.get("/{path:path}", operation_id="describeResource",
            summary="The description of a dataset IRI https://w3id.org/epkg/{path}, by content negotiation")
async def describe(path: str, request: Request, service: Service = Depends(get_service)) -> Response:
    iri = BASE + path
    fmt = request.query_params.get("format")
    if fmt:
        media_type = by_short_name(fmt, OFFERED)
    else:
        accept = request.headers.get("accept")
        media_type = negotiate(accept, OFFERED if accept and "text/html" in accept else RDF_FIRST, graph=True)
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="describedby"'}
    if media_type == "text/html":
        turtle = await service.describe(iri, "text/turtle")
        return HTMLResponse(plain_html(iri, turtle), headers=headers)
    body = await service.describe(iri, media_type)
    shown = f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type
    return Response(body, media_type=shown, headers=headers)
