"""The pages in a real browser: headless Chromium (Debian's ``chromium``) driven by playwright,
against a real server (``live_server``).

A person's path through the pages: ask goal 4 of 2017 and of 2019 from the home page and check
the items shown; open the coverage matrix and follow a cell; follow a citation to the source
view and find the quote highlighted and in view; do it with the keyboard alone; print. Every
page kind is saved as a screenshot (to docs/screenshots/ with EPKG_SCREENSHOTS=docs/screenshots;
the README shows one).

Outside CI a missing browser or playwright skips these tests; in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import httpx
import pytest

from api.graph import BASE
from api.provenance import normalise

from .browser import launch

# Every run takes the screenshots; they go to docs/screenshots/ (committed, the README shows one)
# only when asked: EPKG_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py. Otherwise to a
# temporary folder, so that running the tests leaves the checkout as it was.
SHOTS = Path(os.environ.get("EPKG_SCREENSHOTS") or Path(tempfile.gettempdir()) / "epkg-screenshots")



@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture
def tab(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="da-DK"
    )
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def rows_of(catalogue, graph, name: str, **params: str) -> list[dict[str, str]]:
    question = catalogue[name]
    result = graph.query(question.render(question.bind(params)))
    names = [str(v) for v in result.vars]
    return [{n: str(row[i]) if row[i] is not None else "" for i, n in enumerate(names)} for row in result]


def shown_resources(page) -> list[str]:
    return sorted(page.locator("li.item a.label").evaluate_all("els => els.map(e => e.getAttribute('href'))"))


def expected_resources(rows: list[dict[str, str]]) -> list[str]:
    return sorted("/" + r["resource"].removeprefix(BASE) for r in rows)


@pytest.mark.parametrize(
    "year, statement",
    [
        ("2017", "Flere flygtninge og familiesammenførte skal være selvforsørgende"),
        ("2019", "Flere jobparate personer på kontanthjælp skal i beskæftigelse"),
    ],
)
def test_ask_goal_4_from_the_home_page(tab, catalogue, graph, year, statement):
    tab.goto("/")
    tab.get_by_role("link", name=year, exact=True).click()
    tab.wait_for_url(f"**/?year={year}")
    goal = tab.locator("label.goal", has_text=f"Mål 4 ({year})")
    assert statement in goal.inner_text()
    goal.click()
    if year == "2017":
        shot(tab, "home")
    tab.get_by_role("button", name="Vis svaret").click()
    tab.wait_for_url(f"**/answer?year={year}&number=4**")
    assert tab.locator("h1").inner_text() == f"Hvad understøtter mål 4 ({year})?"
    assert statement in tab.locator(".goal-box .statement").inner_text()
    rows = rows_of(catalogue, graph, "serving-goal", year=year, number="4")
    assert shown_resources(tab) == expected_resources(rows)
    # the citation is one click away
    first = tab.locator("li.item details.citations").first
    first.locator("summary").click()
    assert first.locator("blockquote").first.is_visible()
    shot(tab, f"answer-{year}")


def test_the_matrix_cell_leads_to_its_answer(tab, catalogue, graph):
    tab.goto("/coverage?year=2017")
    shot(tab, "coverage")
    cells = rows_of(catalogue, graph, "goal-coverage", year="2017")
    cell = next(c for c in cells if c["number"] == "4" and c["municipality"] == "330")
    link = tab.locator('table.heatmap a[href="/answer?year=2017&number=4&municipality=330"]')
    assert link.locator(".num").text_content() == cell["links"]  # every link, of any kind
    link.click()
    tab.wait_for_url("**/answer?year=2017&number=4&municipality=330")
    rows = rows_of(catalogue, graph, "serving-goal", year="2017", number="4", municipality="330")
    assert shown_resources(tab) == expected_resources(rows)
    assert tab.locator("li.item").count() == int(cell["links"]) > 0  # the cell's number is the answer's
    assert tab.locator("h2").filter(has_text="Kommune").all_inner_texts() == ["Slagelse Kommune"]


def test_a_citation_leads_to_the_quote_highlighted_in_its_source(tab):
    tab.goto("/answer?year=2017&number=4&municipality=330")
    item = tab.locator("li.item").first
    item.locator("details.citations summary").click()
    quote = normalise(item.locator("blockquote").first.inner_text())
    item.locator("a.to-source").first.click()
    tab.wait_for_url("**/sources/**")
    anchor = tab.evaluate("location.hash.slice(1)")
    number = tab.locator(f"a.pin#{anchor}").inner_text()
    passage = tab.locator(f"mark.q{number}")
    assert normalise("".join(passage.all_inner_texts())) == quote
    lit = "rgb(255, 212, 59)"  # --mark-strong: the targeted passage, and only it
    assert passage.first.evaluate("e => getComputedStyle(e).backgroundColor") == lit
    others = tab.locator(f"mark.cited:not(.q{number})")
    assert lit not in set(others.evaluate_all("els => els.map(e => getComputedStyle(e).backgroundColor)"))
    box = passage.first.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900, "the highlighted quote is scrolled into view"
    shot(tab, "source")


def test_the_question_can_be_asked_with_the_keyboard_alone(tab):
    tab.goto("/")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.className") == "skip"
    tab.locator("input[name=number]").first.focus()
    for _ in range(3):
        tab.keyboard.press("ArrowDown")
    assert tab.locator("input[name=number]:checked").get_attribute("value") == "4"
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/answer?year=2017&number=4**")
    assert tab.locator("li.item").count() > 0


def test_print_hides_navigation_and_shows_the_citations(tab):
    tab.goto("/answer?year=2017&number=4")
    tab.emulate_media(media="print")
    assert tab.locator("header.site nav").is_hidden()
    assert tab.locator("form").count() == 0 or tab.locator("form").first.is_hidden()
    assert tab.locator("li.item details.citations blockquote").first.is_visible()
    tab.emulate_media(media="screen")
    assert tab.locator("header.site nav").is_visible()


def test_a_phone_reads_the_answer_without_sideways_scrolling(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    try:
        for url in ("/answer?year=2017&number=4", "/", "/coverage?year=2017", "/minister-goal/2017/4"):
            page.goto(url)
            # the layout's width, not innerWidth: a phone zooms out to show an overflow, and innerWidth grows
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{url} is {overflow}px wider than the phone"
        page.goto("/answer?year=2017&number=4")
        shot(page, "answer-phone")
    finally:
        context.close()


@pytest.mark.parametrize(
    "name, url",
    [
        ("home-en", "/?lang=en"),
        ("year-2019", "/years/2019"),
        ("goal", "/minister-goal/2017/4"),
        ("lineage", "/goal-lineage/refugees-self-supporting"),
        ("municipality", "/municipality/330"),
        ("plan", "/plan/slagelse-2017"),
        ("focus-area", "/focus-area/slagelse-2017/3-1"),
        ("measure", "/measure/slagelse-2017/3-1-2"),
        ("project", "/project/vordingborg-2019/ansvar-for-eget-liv"),
        ("target", "/target/sonderborg-2016-2018/faelles-3"),
        ("target-group", "/target-group/sygedagpenge"),
        ("organisation", "/organisation/ap-moller-fonden"),
        ("sources", "/sources"),
        ("search", "/search?q=nyttejob"),
        ("sparql", "/query?example=serving-goal"),
    ],
)
def test_every_page_kind_renders_in_the_browser(tab, name, url):
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = tab.goto(url)
    assert response is not None and response.status == 200
    assert tab.title().endswith("Beskæftigelsespolitisk vidensgraf") or tab.title().endswith(
        "Employment-policy knowledge graph"
    )
    assert tab.evaluate("getComputedStyle(document.body).fontFamily")  # the stylesheet loaded
    assert tab.evaluate("getComputedStyle(document.querySelector('header.site')).display") == "flex"
    assert errors == []
    shot(tab, name)


def test_api_docs_run_offline_from_vendored_swagger_ui(tab, live_server):
    """/docs loads Swagger UI from /static (nothing from a CDN) and lists every operation."""
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(f"{live_server}/docs")
    tab.wait_for_selector(".opblock", timeout=15_000)
    spec = httpx.get(f"{live_server}/openapi.json").json()
    operations = sum(len(methods) for methods in spec["paths"].values())
    assert tab.locator(".opblock").count() == operations
    assert all(url.startswith(live_server) for url in requested), [u for u in requested if not u.startswith(live_server)]
    shot(tab, "api-docs")
