"""``/``: the home page, the question policy staff ask ("which local measures serve the minister's
goal N of year Y?") with a year picker, the goals of that year with their statements, and filters.

Built by ``api.pages`` like every page; the rest of what the service offers is linked from its
header and footer (/docs, /api/queries, /sparql)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from .. import pages
from ..deps import get_service
from ..service import Service
from .pages import page, page_doc, query_parameter

router = APIRouter(tags=["pages"])


@router.get(
    "/",
    operation_id="index",
    summary="Home: which local measures serve a minister goal (HTML)",
    **page_doc(
        'The question policy staff ask, "which local measures serve the minister\'s goal N of year Y?", '
        "with a year picker, the goals of that year by their statements, and filters; each goal links to "
        "its answer. A year without goals is a 404 page. The Link headers lead to the dataset's "
        "description, SPARQL endpoint, dump and JSON-LD context.",
        [query_parameter("year", "2019", "The goals' year (the first year when not given)")],
        html_errors=(404,),
    ),
)
async def index(
    request: Request, year: str | None = None, service: Service = Depends(get_service)
) -> Response:
    return await page(request, service, lambda ui: pages.home(service, ui, year))
