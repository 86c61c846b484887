"""The SPARQL page's editor and /docs: third-party browser assets from registries, served by us.

- YASGUI (npm ``@zazuko/yasgui``, installed by ``npm ci``) loads from /static/vendor/yasgui/, and
  nothing the page asks for leaves 127.0.0.1; it runs a catalogue example and shows its rows (the
  embedded store's answer), and its download links give the same answer;
- without JavaScript the plain form runs the query; with the npm folder absent the page is the
  plain form and asks for no script that is not there;
- a catalogue example opens with only the prefixes it uses and its bound parameters in sight;
- /docs loads Swagger UI from the pip package ``fastapi-offline``, served at /static/swagger-ui/.

The browser is Debian's chromium driven by playwright, as in tests/test_browser.py. Outside CI a
missing browser, playwright or ``npm ci`` skips these tests; in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import csv
import html
import io
import re
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import URIRef
from rdflib.plugins.sparql import prepareQuery

from api import assets
from api.graph import PREFIXES, compact_iri
from api.pages import STATIC
from api.settings import Settings

from .conftest import REPO
from .browser import launch, missing

LONG = 60_000  # ms: never a short limit around work that a slow machine does slowly
EXAMPLE = "measures-serving-goal"  # binds municipality=330: the answer is Slagelse's alone
SELECT_FORMATS = [("SPARQL JSON", "json"), ("SPARQL XML", "xml"), ("CSV", "csv"), ("TSV", "tsv")]



@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture(scope="module")
def yasgui_installed():
    if assets.yasgui_dir(Settings(home=REPO)) is None:
        missing("YASGUI (npm ci --ignore-scripts, in the project folder)")


class Recorder:
    """Every request a page makes, every response, and every console error."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.responses: dict[str, int] = {}
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.responses.__setitem__(r.url, r.status))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def leaving(self, base: str) -> list[str]:
        """Requests to anywhere but the server under test (data: and blob: stay in the page)."""
        here = urlsplit(base).netloc
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != here
        ]

    def paths(self) -> dict[str, int]:
        return {urlsplit(url).path: status for url, status in self.responses.items()}


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="da-DK"
    )
    yield context
    context.close()


@pytest.fixture(scope="module")
def embedded(project):
    """The embedded store (pyoxigraph) with ontology and data: the answers the pages must show."""
    from api.store import open_store

    return open_store("oxigraph", project)


def rows_of(store, query: str) -> tuple[list[str], list[dict[str, object]]]:
    table = store.select(query)
    variables = list(table.variables)
    return variables, [
        {v: t for v, t in zip(variables, row, strict=True) if t is not None} for row in table.rows
    ]


def example_rows(catalogue, store, name: str) -> tuple[list[str], list[dict[str, object]]]:
    """The embedded store's answer to a question's example call: its variables and rows."""
    question = catalogue[name]
    return rows_of(store, question.render(question.bind(question.example_params())))


def as_strings(rows) -> list[tuple[tuple[str, str], ...]]:
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items())) for row in rows)


def textarea_of(page_html: str) -> str:
    match = re.search(r"<textarea[^>]*>(.*?)</textarea>", page_html, re.DOTALL)
    assert match, "the page has no query form"
    return html.unescape(match.group(1))


# --- a catalogue example, as the editor opens it ----------------------------------------------


def test_every_example_shows_its_parameters_and_only_the_prefixes_it_uses(client, catalogue, embedded):
    for name, question in catalogue.items():
        text = textarea_of(client.get("/query", params={"example": name, "lang": "en"}).text)
        params = question.example_params()
        lines = text.splitlines()
        comments = [line for line in lines if line.startswith("#")]
        assert lines[: len(comments)] == comments  # the comments come first
        assert comments[0] == "# " + question.question_en
        for p in question.parameters:
            shown = (
                f"#   {p.name} = {params[p.name]}: "
                if p.name in params
                else f"#   {p.name} (optional, not bound): "
            )
            assert shown + p.description in comments, (name, p.name)
        if params:
            values = re.search(r"VALUES \(([^)]*)\) \{ \((.*)\) \}", text)
            assert values and values.group(1).split() == ["?" + k for k in sorted(params)], name
        declared = re.findall(r"^PREFIX (\w+): <([^>]+)>$", text, re.MULTILINE)
        assert all(PREFIXES[p] == iri for p, iri in declared)
        body = text.split("\n\n", 1)[1]
        assert all(f"{p}:" in body for p, _ in declared), name  # each one used...
        prepareQuery(text)  # ...and none missing: rdflib knows no prefix it is not given
        assert len(declared) < len(PREFIXES)
        # the same answer as the question's own text with all the service's prefixes
        _, expected = example_rows(catalogue, embedded, name)
        assert as_strings(rows_of(embedded, text)[1]) == as_strings(expected), name


def test_the_example_list_shows_each_question_with_its_parameters(client, catalogue):
    page = html.unescape(client.get("/query", params={"lang": "en"}).text)
    for name, question in catalogue.items():
        params = ", ".join(f"<code>{k}={v}</code>" for k, v in sorted(question.example_params().items()))
        item = f'<a href="/query?example={name}&lang=en">{question.question_en}</a> <code>{name}</code>'
        assert item + (f' <span class="params">({params})</span>' if params else "") + "</li>" in page, name


# --- YASGUI ------------------------------------------------------------------------------------


def run_in_yasgui(page):
    page.wait_for_selector("#yasgui .yasqe", timeout=LONG)
    page.locator("#yasgui .yasqe_queryButton").click()
    page.wait_for_function(
        "() => { const r = window.epkgEditor.getTab().getYasr().results; return r && r.getBindings(); }",
        timeout=LONG,
    )


def test_yasgui_runs_a_catalogue_example_from_our_own_server(
    context, live_server, catalogue, embedded, yasgui_installed
):
    page = context.new_page()
    seen = Recorder(page)
    page.goto(f"/query?example={EXAMPLE}")
    run_in_yasgui(page)
    assert page.locator("form.editor").is_hidden() and page.locator("#yasgui").is_visible()
    query = page.evaluate("window.epkgEditor.getTab().getYasqe().getValue()")
    assert query == textarea_of(page.content())  # the example the page was asked for
    assert page.evaluate("window.epkgEditor.getTab().getEndpoint()") == f"{live_server}/sparql"
    variables, expected = example_rows(catalogue, embedded, EXAMPLE)
    assert expected and {str(r["municipality_name"]) for r in expected} == {"Slagelse Kommune"}
    got = page.evaluate(
        "window.epkgEditor.getTab().getYasr().results.getBindings()"
        ".map(b => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])))"
    )
    assert as_strings(got) == as_strings(expected)  # every row, every value
    assert page.locator("#yasgui .yasr table.dataTable tbody tr").count() == len(expected)
    header = page.locator("#yasgui .yasr table.dataTable thead th").all_inner_texts()
    assert [h.strip() for h in header][-len(variables) :] == variables
    # from our server only: YASGUI and our script from /static, the query to /sparql
    assert seen.leaving(live_server) == []
    paths = seen.paths()
    for path in (
        "/static/vendor/yasgui/yasgui.min.js",
        "/static/vendor/yasgui/yasgui.min.css",
        "/static/sparql-editor.js",
    ):
        assert paths.get(path) == 200, path
    assert paths.get("/sparql") == 200
    assert seen.errors == []


def test_yasgui_download_links_give_the_answer_in_every_format(
    context, live_server, catalogue, embedded, yasgui_installed
):
    page = context.new_page()
    page.goto(f"/query?example={EXAMPLE}")
    run_in_yasgui(page)
    links = page.locator("#editor-downloads a")
    assert [(a.inner_text(), a.get_attribute("data-format")) for a in links.all()] == SELECT_FORMATS
    query = page.evaluate("window.epkgEditor.getTab().getYasqe().getValue()")
    _, expected = example_rows(catalogue, embedded, EXAMPLE)
    hrefs = {a.get_attribute("data-format"): a.get_attribute("href") for a in links.all()}
    for short, href in hrefs.items():
        assert href.startswith(f"{live_server}/sparql?") and dict(
            httpx.QueryParams(urlsplit(href).query)
        ) == {
            "query": query,
            "format": short,
        }
    csv_answer = page.request.get(hrefs["csv"], timeout=LONG)
    assert csv_answer.status == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    rows = [
        {k: v for k, v in row.items() if v != ""} for row in csv.DictReader(io.StringIO(csv_answer.text()))
    ]
    assert as_strings(rows) == as_strings(expected)
    json_answer = page.request.get(hrefs["json"], timeout=LONG).json()
    bindings = [{k: v["value"] for k, v in b.items()} for b in json_answer["results"]["bindings"]]
    assert as_strings(bindings) == as_strings(expected)
    # a graph query offers the RDF formats
    page.evaluate("window.epkgEditor.getTab().getYasqe().setValue('CONSTRUCT WHERE { ?s a ?o } LIMIT 1')")
    page.wait_for_function(
        "() => document.querySelector('#editor-downloads a').dataset.format === 'ttl'", timeout=LONG
    )
    formats = [a.get_attribute("data-format") for a in page.locator("#editor-downloads a").all()]
    assert formats == ["ttl", "jsonld", "nt", "rdf"]
    turtle = page.request.get(page.locator("#editor-downloads a").first.get_attribute("href"), timeout=LONG)
    assert turtle.status == 200 and turtle.headers["content-type"].startswith("text/turtle")


# --- without JavaScript, without the npm folder -----------------------------------------------


def page_rows(page) -> list[tuple[str, ...]]:
    return sorted(
        tuple(row)
        for row in page.locator("table.results tbody tr").evaluate_all(
            "rows => rows.map(r => Array.from(r.cells, c => c.innerText))"
        )
    )


def shown(variables: list[str], rows) -> list[tuple[str, ...]]:
    """The answer as the page's table shows it: our IRIs as paths, others compacted."""

    def cell(value) -> str:
        return "" if value is None else compact_iri(str(value)) if isinstance(value, URIRef) else str(value)

    return sorted(tuple(cell(row.get(v)) for v in variables) for row in rows)


def submit_the_form(page, catalogue, embedded) -> None:
    page.goto(f"/query?example={EXAMPLE}")
    assert page.locator("form.editor textarea").is_visible()
    page.locator("form.editor button[type=submit]").click()
    page.wait_for_selector("table.results", timeout=LONG)
    variables, expected = example_rows(catalogue, embedded, EXAMPLE)
    assert page.locator("table.results thead th").all_inner_texts() == variables
    assert page_rows(page) == shown(variables, expected)


def test_the_plain_form_runs_a_query_without_javascript(browser, live_server, catalogue, embedded):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, locale="da-DK")
    try:
        page = context.new_page()
        submit_the_form(page, catalogue, embedded)
        assert page.locator("#yasgui").is_hidden()
    finally:
        context.close()


@pytest.fixture(scope="module")
def bare_server(tmp_path_factory):
    """`epkg serve` with the npm folder pointing at an empty one: a clone where `npm ci` never ran."""
    from .servers import epkg_server

    empty = tmp_path_factory.mktemp("no-node-modules")
    with epkg_server(
        tmp_path_factory.mktemp("bare"), "--workers", "1", env={"EPKG_ASSETS": str(empty)}
    ) as base:
        yield base


def test_without_the_npm_assets_the_page_is_the_plain_form(browser, bare_server, catalogue, embedded):
    answer = httpx.get(f"{bare_server}/query", params={"example": EXAMPLE}, timeout=60)
    assert answer.status_code == 200 and "<textarea" in answer.text
    assert "/static/vendor/" not in answer.text and "sparql-editor" not in answer.text
    assert httpx.get(f"{bare_server}{assets.YASGUI_URL}/yasgui.min.js", timeout=60).status_code == 404
    context = browser.new_context(base_url=bare_server, locale="da-DK")  # JavaScript on
    try:
        page = context.new_page()
        seen = Recorder(page)
        submit_the_form(page, catalogue, embedded)
        assert {u: s for u, s in seen.responses.items() if s >= 400} == {}
        assert seen.errors == [] and seen.leaving(bare_server) == []
    finally:
        context.close()


# --- /docs and the repository ------------------------------------------------------------------


def test_docs_load_swagger_ui_from_the_pip_package_on_our_server(browser, live_server):
    context = browser.new_context(base_url=live_server)
    try:
        page = context.new_page()
        seen = Recorder(page)
        page.goto("/docs")
        spec = httpx.get(f"{live_server}/openapi.json", timeout=60).json()
        assert spec["openapi"].startswith("3.1")
        page.wait_for_selector(".opblock", timeout=LONG)
        assert page.locator(".info .title").inner_text().startswith(spec["info"]["title"])
        assert page.locator(".opblock").count() > 0
        assert seen.leaving(live_server) == []
        paths = seen.paths()
        for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
            assert paths.get(f"{assets.SWAGGER_URL}/{name}") == 200, name
            served = httpx.get(f"{live_server}{assets.SWAGGER_URL}/{name}", timeout=60).content
            assert served == (assets.swagger_ui_dir() / name).read_bytes()  # the installed package's file
    finally:
        context.close()


def test_no_third_party_asset_is_kept_in_git():
    assert not [p.name for p in STATIC.iterdir() if p.name.startswith("swagger")]
    assert "node_modules/" in (REPO / ".gitignore").read_text().splitlines()
    assert (REPO / "package-lock.json").is_file()
