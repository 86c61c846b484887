"""``/``: a small index of what the service offers."""

from __future__ import annotations

import html

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from ..deps import get_service
from ..service import Service

router = APIRouter(tags=["service"])


@router.get("/", operation_id="index", summary="The index page", response_class=HTMLResponse)
async def index(service: Service = Depends(get_service)) -> HTMLResponse:
    questions = "".join(
        f'<li><a href="/api/queries/{q.name}?{"&amp;".join(f"{k}={v}" for k, v in q.example_params().items())}">'
        f"{html.escape(q.question_en)}</a><br><small lang=da>{html.escape(q.question_da)}</small></li>"
        for q in service.catalogue.values()
    )
    return HTMLResponse(
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<title>Danish employment-policy knowledge graph</title></head><body>"
        "<h1>Danish employment-policy knowledge graph</h1>"
        f"<p>{html.escape(service.store_description)}.</p><ul>"
        '<li><a href="/docs">/docs</a>: the HTTP API (OpenAPI)</li>'
        '<li><a href="/sparql">/sparql</a>: the SPARQL endpoint</li>'
        '<li><a href="/api/queries">/api/queries</a>: the question catalogue</li>'
        '<li><a href="/minister-goal/2017/4">/minister-goal/2017/4</a>: a resource</li>'
        f"</ul><h2>Questions</h2><ul>{questions}</ul></body></html>"
    )
