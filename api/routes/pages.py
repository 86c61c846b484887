"""The pages for people (HTML): the question, its answer, coverage, years, sources, search, SPARQL.

Thin: each route builds its page through ``api.pages`` (the package ``api/pages/``, one module
per page kind; it asks the façade). A user error on a page is an HTML page with the error's
status, not JSON: a person reads it.
The HTML of the dataset's IRIs (entity pages) is served by ``resources.py`` through
``pages.entity_page``, and the SPARQL page's editor by ``sparql.py`` through ``pages.sparql_editor``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from .. import pages
from ..deps import get_service
from ..errors import EpkgError, NotFound
from ..service import Service
from ..spreadsheet import MEDIA_TYPES, to_csv, to_xlsx

router = APIRouter(tags=["pages"], include_in_schema=True)
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
    ".ico": "image/x-icon",
}


def ui_for(request: Request, service: Service) -> pages.Ui:
    # The decoded path (request.url.path keeps ? # \ escaped): the Ui encodes it once for its links.
    path = request.scope["path"]
    return pages.make_ui(
        service, request.query_params.get("lang", "da"), path, dict(request.query_params), {}
    )


def error_page(ui: pages.Ui, exc: EpkgError) -> HTMLResponse:
    """The error in the page's language: a Danish page says it in Danish (the error's own Danish
    words, or what its status means), never in English."""
    title = f"{exc.status} {ui.t('error')}"
    return HTMLResponse(pages.render("error.html", ui, title=title, message=ui.error(exc)), exc.status)


async def page(
    request: Request, service: Service, build: Callable[[pages.Ui], Awaitable[str]]
) -> HTMLResponse:
    ui = ui_for(request, service)
    try:
        return HTMLResponse(await build(ui))
    except EpkgError as exc:
        if exc.status >= 500:
            raise
        return error_page(ui, exc)


@router.get(
    "/answer",
    operation_id="answerPage",
    response_class=HTMLResponse,
    summary="What serves minister goal N of year Y, by municipality and plan, with citations (HTML)",
)
async def answer(request: Request, service: Service = Depends(get_service)) -> Response:
    params = {k: v for k, v in request.query_params.items() if k != "lang" and v}
    return await page(request, service, lambda ui: pages.answer(service, ui, params))


@router.get(
    "/answer.{fmt}",
    operation_id="answerDownload",
    summary="The answer as a spreadsheet (csv or xlsx): every item, its kind, plan, basis, specificity, "
    "rationale and quotes with section and source",
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}},
)
async def answer_download(fmt: str, request: Request, service: Service = Depends(get_service)) -> Response:
    if fmt not in pages.DOWNLOADS:
        raise NotFound(f"the answer is offered as {' or '.join(pages.DOWNLOADS)}, not {fmt!r}")
    ui = ui_for(request, service)
    params = {k: v for k, v in request.query_params.items() if k != "lang" and v}
    header, rows = await pages.answer_download(service, ui, params)
    name = f"goal-{params.get('year', '')}-{params.get('number', '')}"
    body = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, name)
    disposition = f'attachment; filename="{name}.{fmt}"'
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


@router.get(
    "/coverage",
    operation_id="coveragePage",
    response_class=HTMLResponse,
    summary="Goals of a year x plans of that year: heatmap and table (HTML)",
)
async def coverage(
    request: Request, year: str | None = None, service: Service = Depends(get_service)
) -> Response:
    return await page(request, service, lambda ui: pages.coverage(service, ui, year))


@router.get(
    "/years",
    operation_id="yearsPage",
    response_class=HTMLResponse,
    summary="The minister's goals of the first year (HTML)",
)
async def years(request: Request, service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.year_view(service, ui, ""))


@router.get(
    "/years/{year}",
    operation_id="yearPage",
    response_class=HTMLResponse,
    summary="The minister's goals of a year: new, continued, and which plans answer them (HTML)",
)
async def year(request: Request, year: str, service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.year_view(service, ui, year))


@router.get(
    "/sources", operation_id="sourcesPage", response_class=HTMLResponse, summary="The source documents (HTML)"
)
async def sources(request: Request, service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.sources(service, ui))


@router.get(
    "/sources/{document:path}",
    operation_id="sourcePage",
    response_class=HTMLResponse,
    summary="A source text with every cited passage highlighted and anchored (HTML)",
)
async def source(request: Request, document: str, service: Service = Depends(get_service)) -> Response:
    if document.endswith(".css"):  # the view's stylesheet: which marks light up for which #passage
        ui = ui_for(request, service)
        css = await pages.source_stylesheet(service, ui, document.removesuffix(".css"))
        return Response(
            css, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"}
        )
    return await page(request, service, lambda ui: pages.source(service, ui, document))


@router.get(
    "/search",
    operation_id="searchPage",
    response_class=HTMLResponse,
    summary="Search labels and quotes (HTML)",
)
async def search(request: Request, q: str = "", service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.search(service, ui, q))


@router.get(
    "/query",
    operation_id="queryPage",
    response_class=HTMLResponse,
    summary="The SPARQL editor with a query's results as a table (HTML); /sparql is the protocol",
)
async def query(
    request: Request,
    query: str | None = None,
    example: str | None = None,
    service: Service = Depends(get_service),
) -> Response:
    ui = ui_for(request, service)
    try:
        text = (
            query
            if query is not None
            else pages.example_query(service, example, pages.default_query(service))
        )
    except EpkgError as exc:
        return error_page(ui, exc)
    if query is None:
        return HTMLResponse(pages.sparql_editor(service, ui, text))
    try:
        result = await pages.run_sparql(service, text)
    except EpkgError as exc:
        if exc.status >= 500 and exc.status != 503:
            raise
        editor = pages.sparql_editor(service, ui, text, error=ui.error(exc), detail=exc.message)
        return HTMLResponse(editor, exc.status)
    return HTMLResponse(pages.sparql_editor(service, ui, text, result))


@router.get("/static/{name}", operation_id="staticFile", include_in_schema=False)
async def static(name: str) -> Response:
    path = pages.STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in STATIC_TYPES:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(
        path, media_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=3600"}
    )
