"""The pages for people (HTML): the question, its answer, coverage, years, sources, search, SPARQL.

Thin: each route builds its page through ``api.pages`` (the package ``api/pages/``, one module
per page kind; it asks the façade). A user error on a page is an HTML page with the error's
status, not JSON: a person reads it.
The HTML of the dataset's IRIs (entity pages) is served by ``resources.py`` through
``pages.entity_page``, and the SPARQL page's editor by ``sparql.py`` through ``pages.sparql_editor``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from .. import pages
from ..deps import get_service
from ..errors import EpkgError, NotFound
from ..parameters import scheme_values
from ..schemas import HTML_EXAMPLE, error_responses, path_parameters
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


# --- OpenAPI: what each page takes and answers ------------------------------------------------


def query_parameter(name: str, example: str | None, description: str, **schema: Any) -> dict[str, Any]:
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", **schema},
        "description": description,
    }
    if example is not None:
        parameter["example"] = example
    return parameter


LANG = query_parameter("lang", "en", "The page's language: da (the default) or en", enum=["da", "en"])
GOAL_PARAMETERS = [
    query_parameter("year", "2017", "The goal's year"),
    query_parameter("number", "4", "The goal's number in that year"),
    query_parameter("municipality", "330", "Only this municipality's plans (kommunekode)"),
    query_parameter("basis", None, "Only goal links of this basis", enum=list(scheme_values("basis"))),
    query_parameter(
        "specificity", None, "Only goal links of this specificity", enum=list(scheme_values("specificity"))
    ),
]


def page_doc(
    description: str,
    parameters: list[dict[str, Any]] | None = None,
    html_errors: tuple[int, ...] = (),
    errors: tuple[int, ...] = (429, 503),
    path: dict[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """The OpenAPI keywords of a page route: its description, the HTML it answers with, its errors
    (``html_errors`` as an HTML page, the others as JSON), its parameters (``path``: name ->
    (example, description)). A path with a control character is a 400 (app.py RequestLog)."""
    return {
        "description": description,
        "response_class": HTMLResponse,
        "responses": {
            200: {"content": {"text/html": {"example": HTML_EXAMPLE}}},
            **error_responses(*errors, *((400,) if path else ()), html=html_errors),
        },
        "openapi_extra": {"parameters": [*path_parameters(path), *(parameters or []), LANG]},
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
    **page_doc(
        "Which local measures, projects, offers, focus areas and other resources serve minister goal "
        "`number` of `year`, grouped by municipality and plan, each with its basis, specificity and "
        "quoted citations. Without a year and number the page asks for them (400); an unknown goal is "
        "a 404 page naming the goals there are.",
        GOAL_PARAMETERS,
        html_errors=(400, 404),
    ),
    summary="What serves minister goal N of year Y, by municipality and plan, with citations (HTML)",
)
async def answer(request: Request, service: Service = Depends(get_service)) -> Response:
    params = {k: v for k, v in request.query_params.items() if k != "lang" and v}
    return await page(request, service, lambda ui: pages.answer(service, ui, params))


@router.get(
    "/answer.{fmt}",
    operation_id="answerDownload",
    description="The items of the answer page as a spreadsheet (`csv` or `xlsx`), with the same query "
    "parameters: every item, its kind, plan, basis, specificity, rationale and quotes with section and "
    "source. Another extension is a 404; a missing or bad parameter a 400; an unknown goal a 404.",
    openapi_extra={
        "parameters": [
            {
                "name": "fmt",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "enum": list(pages.DOWNLOADS)},
                "example": "csv",
                "description": "The spreadsheet's format",
            },
            *GOAL_PARAMETERS,
            LANG,
        ]
    },
    summary="The answer as a spreadsheet (csv or xlsx): every item, its kind, plan, basis, specificity, "
    "rationale and quotes with section and source",
    response_class=Response,
    responses={
        200: {
            "description": "The spreadsheet, as an attachment",
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES.values()
            }
            | {
                MEDIA_TYPES["csv"]: {
                    "schema": {"type": "string"},
                    "example": "Kommune,Plan,…\r\nHedensted Kommune,Beskæftigelsesplan 2017,…\r\n",
                }
            },
        },
        **error_responses(400, 404, 429, 503),
    },
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
    **page_doc(
        "The minister's goals of a year against the plans of that year: a heatmap and a table of how "
        "many resources of each plan serve each goal, every cell a link to its answer. A year without "
        "goals is a 404 page.",
        [query_parameter("year", "2017", "The goals' year (the first year when not given)")],
        html_errors=(404,),
    ),
    summary="Goals of a year x plans of that year: heatmap and table (HTML)",
)
async def coverage(
    request: Request, year: str | None = None, service: Service = Depends(get_service)
) -> Response:
    return await page(request, service, lambda ui: pages.coverage(service, ui, year))


@router.get(
    "/years",
    operation_id="yearsPage",
    **page_doc(
        "The minister's goals of the first year: new and continued goals, their statements, and which "
        "plans answer them; links to the other years."
    ),
    summary="The minister's goals of the first year (HTML)",
)
async def years(request: Request, service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.year_view(service, ui, ""))


@router.get(
    "/years/{year}",
    operation_id="yearPage",
    **page_doc(
        "The minister's goals of one year: new and continued goals, their statements, and which plans "
        "answer them. A year without goals is a 404 page.",
        html_errors=(404,),
        path={"year": ("2019", "The goals' year")},
    ),
    summary="The minister's goals of a year: new, continued, and which plans answer them (HTML)",
)
async def year(request: Request, year: str, service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.year_view(service, ui, year))


@router.get(
    "/sources",
    operation_id="sourcesPage",
    summary="The source documents (HTML)",
    **page_doc("Every source document (plans, strategies, cases, the minister's announcements) with links."),
)
async def sources(request: Request, service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.sources(service, ui))


@router.get(
    "/sources/{document:path}",
    operation_id="sourcePage",
    **page_doc(
        "A source text with every cited passage highlighted and anchored (`#passage`); "
        "`{document}.css` is the view's stylesheet. An unknown document is a 404 (a page; JSON for the "
        "stylesheet).",
        errors=(404, 429, 503),
        html_errors=(404,),
        path={"document": ("plan/slagelse-2017", "The document's path: plan/<slug>, case/<slug>, …")},
    ),
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
    **page_doc(
        "Resources whose labels or quotes contain the words, with links to their pages. Too long a text "
        "is a 400 page.",
        [query_parameter("q", "flygtninge", "The words to find")],
        html_errors=(400,),
    ),
    summary="Search labels and quotes (HTML)",
)
async def search(request: Request, q: str = "", service: Service = Depends(get_service)) -> Response:
    return await page(request, service, lambda ui: pages.search(service, ui, q))


@router.get(
    "/query",
    operation_id="queryPage",
    **page_doc(
        "The SPARQL editor. With `query`, the query's results as a table under it; with `example`, a "
        "catalogue question's SPARQL in the editor. An error of the query (bad syntax 400, too long 413, "
        "too large an answer 422, stopped at the time limit 503) is shown on the page with its status; "
        "an unknown example is a 404 page.",
        [
            query_parameter(
                "query",
                "PREFIX epkg: <https://w3id.org/epkg/ontology#> SELECT ?goal WHERE { ?goal a epkg:MinisterGoal } LIMIT 3",
                "A SPARQL query to run (the results as a table under the editor)",
            ),
            query_parameter("example", "minister-goals", "A catalogue question whose SPARQL to show"),
        ],
        errors=(422, 429),
        html_errors=(400, 404, 413, 422, 503),
    ),
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


@router.get("/favicon.ico", operation_id="favicon", include_in_schema=False)
async def favicon() -> Response:
    """Where a browser or a crawler looks for the site's icon without reading a page: the pages link
    /static/favicon.svg (base.html); this is a permanent redirect to it, never a 404."""
    return Response(
        status_code=301,
        headers={"Location": "/static/favicon.svg", "Cache-Control": "public, max-age=86400"},
    )


@router.get("/static/{name}", operation_id="staticFile", include_in_schema=False)
async def static(name: str) -> Response:
    path = pages.STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in STATIC_TYPES:
        raise NotFound(f"no static file {name!r}")
    return FileResponse(
        path, media_type=STATIC_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=3600"}
    )
