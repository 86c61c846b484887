"""The pages for people, over HTTP against a real server (``live_server``): every page kind, its
title and language, the answers they show against the questions they ask, the source view's
highlighted passages, the language switch, and a crawler that follows every link from ``/``.

Expected content comes from the shipped data through the catalogue (run on the ``graph``
fixture with rdflib, not through the server), so a page that drops, doubles or mislabels a row
fails; a few facts of the data are pinned as well (goal 4 of 2017 is goal 3 of 2019).
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qs, urldefrag, urlencode, urlsplit

import httpx
import pytest

from api.graph import BASE
from api.provenance import normalise

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (
                    (tag is None or child.tag == tag)
                    and (cls is None or cls in child.attrs.get("class", "").split())
                    and all(child.attrs.get(k) == v for k, v in attrs.items())
                ):
                    found.append(child)
                found.extend(child.all(tag, cls, **attrs))
        return found

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, f"expected one <{tag} class={cls} {attrs}>, found {len(found)}"
        return found[0]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, headers={"Accept": "text/html"}, timeout=30) as c:
        yield c


def page(client: httpx.Client, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("text/html")
    return parse(response.text)


def answer_rows(catalogue, graph, name: str, **params: str) -> list[dict[str, str]]:
    question = catalogue[name]
    result = graph.query(question.render(question.bind(params)))
    names = [str(v) for v in result.vars]
    return [{n: str(row[i]) if row[i] is not None else "" for i, n in enumerate(names)} for row in result]


def as_shown(quote: str) -> str:
    """A quote as a page shows it: the source's own <i> and <p> rendered, not printed."""
    return normalise(re.sub(r"</?(i|p)>", "", quote))


def local(iri: str) -> str:
    return "/" + iri.removeprefix(BASE)


PAGE_KINDS = {
    "home": "/",
    "home 2019": "/?year=2019",
    "answer": "/answer?year=2017&number=4",
    "answer filtered": "/answer?year=2017&number=4&municipality=330&basis=derived&specificity=direct",
    "coverage": "/coverage?year=2017",
    "years": "/years",
    "year": "/years/2019",
    "sources": "/sources",
    "source": "/sources/plan/hedensted-2017",
    "search": "/search?q=nyttejob",
    "sparql": "/sparql",
    "sparql results": "/query?example=minister-goals",
    "goal": "/minister-goal/2019/4",
    "lineage": "/goal-lineage/refugees-self-supporting",
    "municipality": "/municipality/390",
    "plan": "/plan/vordingborg-2019",
    "focus area": "/focus-area/slagelse-2017/3-1",
    "measure": "/measure/slagelse-2017/3-1-2",
    "target group": "/target-group/sygedagpenge",
    "plan target group": "/plan-target-group/slagelse-2017/taet-paa",
    "organisation": "/organisation/ap-moller-fonden",
    "goal link": "/goal-link/slagelse-2017/taet-paa--2017-4",
    "passage": "/passage/slagelse-2017/3-1-bullet-2",
}


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_every_page_kind_has_a_title_a_language_and_a_switch(client, kind, lang):
    url = PAGE_KINDS[kind]
    if lang == "en":
        url += ("&" if "?" in url else "?") + "lang=en"
    doc = page(client, url)
    html = doc.one("html")
    assert html.attrs["lang"] == lang
    title = words(doc.one("head").one("title").text())
    site = "Employment-policy knowledge graph" if lang == "en" else "Beskæftigelsespolitisk vidensgraf"
    assert title.endswith(" · " + site) and len(title) > len(site) + 5, title
    assert words(doc.one("h1").text()) in title
    switch = doc.one("a", "lang")
    target = parse_qs(urlsplit(switch.attrs["href"]).query)
    assert target.get("lang") == (["en"] if lang == "da" else None)
    assert doc.one("main").attrs["id"] == "main" and doc.one("a", "skip").attrs["href"] == "#main"


def facts_of(doc: Node) -> dict[str, str]:
    return {words(dt.text()): words(dd.text()) for dt, dd in zip(doc.all("dt"), doc.all("dd"), strict=True)}


def test_a_project_page_shows_period_funder_and_participants(client):
    facts = facts_of(page(client, "/project/vordingborg-2019/ansvar-for-eget-liv?lang=en"))
    assert "Møllerske Støttefond" in facts["funder"]
    assert facts["period start"] == "2017-05-01" and facts["period end"] == "2019"
    assert facts["participants"] == "100"
    partners = facts_of(page(client, "/project/vordingborg-2019/stuegang?lang=en"))
    assert partners["partner"]


def test_a_target_page_shows_value_unit_direction(client):
    facts = facts_of(page(client, "/target/sonderborg-2016-2018/faelles-3?lang=en"))
    assert (facts["value"], facts["unit"], facts["direction"]) == ("80", "percent", "reach at least")
    assert facts["measured quantity"] == "share of the active effort that is company-oriented"


def test_home_asks_the_question_with_every_goal_of_the_year_by_its_statement(client, catalogue, graph):
    for year in ("2017", "2019"):
        doc = page(client, f"/?year={year}")
        goals = answer_rows(catalogue, graph, "minister-goals", year=year)
        shown = [
            (label.one("input").attrs["value"], words(label.one("span", "statement").text()))
            for label in doc.all("label", "goal")
        ]
        assert shown == [(g["number"], g["statement"]) for g in goals]
        form = doc.one("form", "ask")
        assert form.attrs["action"] == "/answer"
        assert form.one("input", name="year").attrs["value"] == year
        names = {s.attrs["name"] for s in form.all("select")}
        assert names == {"municipality", "basis", "specificity"}
        assert doc.one("a", "current").text() == year
    assert (
        words(page(client, "/?lang=en").one("h1").text()) == "Which local measures serve the minister's goal?"
    )
    page(client, "/?year=2031", status=404)


@pytest.mark.parametrize("year, number", [("2017", "4"), ("2019", "4"), ("2017", "1")])
def test_the_answer_shows_every_link_of_the_question_with_its_kind_basis_specificity_and_citations(
    client, catalogue, graph, year, number
):
    doc = page(client, f"/answer?year={year}&number={number}&lang=en")
    rows = answer_rows(catalogue, graph, "serving-goal", year=year, number=number)
    cited = answer_rows(catalogue, graph, "serving-goal-citations", year=year, number=number)
    quotes = Counter((c["link"], as_shown(c["quote"])) for c in cited)
    items = doc.all("li", "item")
    assert len(items) == len(rows) > 0
    shown = Counter()
    for item in items:
        link = item.one("a", "link-iri").attrs["href"].split("?")[0]
        resource = item.one("a", "label").attrs["href"].split("?")[0]
        badges = [b.attrs["class"].split()[1] for b in item.all("span", "badge")]
        shown[(link, resource, tuple(badges))] += 1
        for figure in item.all("figure", "citation"):
            shown_quote = normalise(figure.one("blockquote").text())
            assert quotes[(BASE + link.lstrip("/"), shown_quote)] == 1, (link, shown_quote)
        assert len(item.all("figure", "citation")) == sum(1 for c in cited if local(c["link"]) == link)
    expected = Counter()
    for r in rows:
        basis, spec, root = (r[k].rsplit("/", 1)[-1] for k in ("basis", "specificity", "root_basis"))
        badges = (
            [f"basis-{basis}"]
            + ([f"basis-{root}"] if basis == "derived" else [])
            + [f"spec-{spec.replace('-', '_')}"]
        )
        expected[(local(r["link"]), local(r["resource"]), tuple(badges))] += 1
    assert shown == expected
    # grouped by municipality (each once), direct links first within each plan
    headings = [words(h.text()) for h in doc.all("h2") if h.attrs.get("id", "").startswith("m-")]
    assert sorted(headings) == sorted({r["municipality_name_en"] for r in rows})  # the English page
    for ol in doc.all("ol", "items"):
        direct = [bool(it.all("span", "spec-direct")) for it in ol.all("li", "item")]
        assert direct == sorted(direct, reverse=True)


def test_the_answer_names_its_year_and_the_same_aim_in_other_years(client):
    doc = page(client, "/answer?year=2017&number=4")
    box = doc.one("section", "goal-box")
    assert "Flere flygtninge og familiesammenførte skal være selvforsørgende" in words(box.text())
    others = [a.attrs["href"] for a in box.one("p", "other-years").all("a")]
    assert others == ["/answer?year=2019&number=3"]
    doc = page(client, "/answer?year=2019&number=3&lang=en")
    others = [a.attrs["href"] for a in doc.one("p", "other-years").all("a")]
    assert others == ["/answer?year=2017&number=4&lang=en"]
    page(client, "/answer?year=2017&number=9", status=404)
    page(client, "/answer?year=2017", status=400)
    page(client, "/answer?year=2017&number=4&basis=guessed", status=400)


def test_filters_narrow_the_answer_exactly_as_the_question(client, catalogue, graph):
    params = {
        "year": "2017",
        "number": "3",
        "municipality": "330",
        "basis": "derived",
        "specificity": "via-group",
    }
    doc = page(client, "/answer?" + urlencode(params))
    rows = answer_rows(catalogue, graph, "serving-goal", **params)
    assert len(doc.all("li", "item")) == len(rows) > 0
    assert [words(f.text()) for f in doc.one("p", "filters").all("span", "filter")] == [
        "Kommune: Slagelse Kommune",
        "Grundlag: afledt",
        "Præcision: via gruppe",
    ]


def test_coverage_has_a_cell_per_goal_and_plan_with_its_counts_in_heatmap_and_table(client, catalogue, graph):
    for year in ("2017", "2019"):
        doc = page(client, f"/coverage?year={year}")
        rows = answer_rows(catalogue, graph, "goal-coverage", year=year)
        heatmap = doc.one("table", "heatmap")
        cells = {td.one("a").attrs["href"]: td for td in heatmap.all("td", "cell") if td.all("a")}
        links = list(cells)
        assert len(links) == len(rows)
        for row in rows:
            td = cells[f"/answer?year={year}&number={row['number']}&municipality={row['municipality']}"]
            assert words(td.one("span", "num").text()) == row["links"]
            assert ("empty" in td.attrs["class"].split()) == (row["links"] == "0")
        table_rows = doc.one("table", "coverage").one("tbody").all("tr")
        assert len(table_rows) == len(rows)
        for row, tr in zip(rows, table_rows, strict=True):
            cells = [words(td.text()) for td in tr.all("td")]
            links_of_cell = int(row["links"])
            counts = [row[k] for k in ("measures", "others", "direct", "via_group", "stated", "derived", "curated")]
            assert cells[2:] == counts
            assert cells[0].startswith(row["municipality_name"])
            if links_of_cell == 0:
                assert cells[1] == "0 — ingen" and tr.attrs.get("class") == "empty"
            else:
                assert cells[1] == str(links_of_cell)
                href = tr.all("td")[1].one("a").attrs["href"]
                assert (
                    href == f"/answer?year={year}&number={row['number']}&municipality={row['municipality']}"
                )
                assert href in links
        empty = [r for r in rows if r["links"] == "0"]
        assert len(heatmap.all("td", "empty")) == len(empty)


def test_year_view_says_what_is_new_what_continues_and_which_plans_answer(client, catalogue, graph):
    doc = page(client, "/years/2019?lang=en")
    goals = answer_rows(catalogue, graph, "minister-goals", year="2019")
    entries = [
        li for li in doc.one("ol", "goals-of-year").all("li") if li.attrs.get("id", "").startswith("goal-")
    ]
    assert [e.attrs["id"] for e in entries] == [f"goal-{g['number']}" for g in goals]
    for goal, entry in zip(goals, entries, strict=True):
        assert words(entry.one("p", "statement").text()) == goal["statement_en"]
        links = [a.attrs["href"] for a in entry.all("a")]
        if goal["continues"]:
            assert local(goal["continues"]) + "?lang=en" in links
    third = next(e for e in entries if e.attrs["id"] == "goal-3")
    assert "continues Goal 4 (2017) (another number)" in words(third.text())


def test_the_source_view_highlights_and_anchors_every_cited_passage(client, graph, project):
    from api.graph import EPKG

    for document, name in sorted(graph.subject_objects(EPKG.sourceFile)):
        path = local(str(document))
        doc = page(client, "/sources" + path)
        passages = set(graph.subjects(EPKG.inDocument, document))
        pins = {a.attrs["id"] for a in doc.one("div", "source-text").all("a", "pin")}
        assert len(pins) == len(passages)
        listed = doc.one("ol", "passages").all("li")
        assert len(listed) == len(passages)
        assert not [li for li in listed if "ikke fundet i teksten" in li.text()]
        body = doc.one("div", "source-text")
        numbers = {a.attrs["id"]: a.text() for a in body.all("a", "pin")}
        style_link = [link.attrs["href"] for link in doc.one("head").all("link", rel="stylesheet")]
        assert style_link == ["/static/epkg.css", f"/sources{path}.css"]
        style = client.get(style_link[1]).text
        for passage in passages:  # each passage's marks, read in order, are its quote exactly
            anchor = "p-" + str(passage).removeprefix(BASE + "passage/").replace("/", "--")
            number = numbers[anchor]
            marks = "".join(m.text() for m in body.all("mark", f"q{number}"))
            assert normalise(marks) == as_shown(str(graph.value(passage, EPKG.quote))), passage
            assert f".source-text:has(#{anchor}:target) mark.q{number}{{" in style
            entry = doc.one("li", id="c-" + anchor)
            assert normalise(entry.one("blockquote").text()) == as_shown(
                str(graph.value(passage, EPKG.quote))
            )
        # the whole text is there, unchanged: the page's text less the pins' numbers is the source
        # (its own <i> and <p> rendered as markup, not printed)
        source = re.sub(r"</?(i|p)>", "", (project.sources_dir / str(name)).read_text(encoding="utf-8"))
        body = doc.one("div", "source-text")
        shown = "".join(
            c if isinstance(c, str) else ("" if "pin" in c.attrs.get("class", "") else c.text())
            for c in body.children
        )
        assert shown == source


def test_a_citation_leads_to_its_passage_in_the_source(client):
    doc = page(client, "/answer?year=2017&number=4&municipality=330")
    figure = doc.all("figure", "citation")[0]
    quote = normalise(figure.one("blockquote").text())
    url, anchor = urldefrag(figure.one("a", "to-source").attrs["href"])
    assert url == "/sources/plan/slagelse-2017"
    source = page(client, url)
    pin = source.one("a", "pin", id=anchor)
    assert pin.attrs["href"] == "#c-" + anchor
    marks = source.one("div", "source-text").all("mark", "q" + pin.text())
    assert normalise("".join(m.text() for m in marks)) == quote
    assert normalise(source.one("li", id="c-" + anchor).one("blockquote").text()) == quote


def test_search_forgives_ae_oe_aa(client):
    def found(q: str) -> set[str]:
        doc = page(client, "/search?" + urlencode({"q": q}))
        return {li.one("a").attrs["href"] for li in doc.one("ol", "results").all("li") if li.all("a")}

    with_letter = found("Sønderborg")
    assert "/municipality/540" in with_letter
    assert found("soenderborg") == with_letter == found("SONDERBORG")
    assert found("faelles") == found("fælles") != set()
    assert found("maal") == found("mål") != set()


def test_sparql_page_examples_results_and_downloads(client, catalogue):
    doc = page(client, "/sparql")
    examples = [a.attrs["href"] for a in doc.one("nav", "examples").all("a")]
    assert examples == [f"/query?example={name}" for name in catalogue]
    doc = page(client, "/query?example=minister-goals")
    text = doc.one("textarea").text()
    assert "SELECT ?goal ?year ?number" in text and "VALUES (?year)" in text
    query = "PREFIX epkg: <https://w3id.org/epkg/ontology#> SELECT ?g WHERE { ?g a epkg:MinisterGoal } ORDER BY ?g"
    doc = page(client, "/query?" + urlencode({"query": query}))
    cells = [words(td.text()) for td in doc.one("table", "results").all("td")]
    assert cells == [
        f"minister-goal/{y}/{n}" for y, n in [("2017", i) for i in "1234"] + [("2019", i) for i in "1234567"]
    ]
    downloads = {a.text(): a.attrs["href"] for a in doc.one("p", "data").all("a")}
    assert set(downloads) == {"SPARQL JSON", "SPARQL XML", "CSV", "TSV"}
    for href in downloads.values():
        assert client.get(href).status_code == 200
    csv = client.get(downloads["CSV"]).text.split()
    assert csv[0] == "g" and len(csv) == 12
    doc = page(client, "/query?" + urlencode({"query": "SELECT * WHERE { ?s ?p"}), status=400)
    assert doc.all("section", "error")
    doc = page(client, "/query?" + urlencode({"query": "DELETE WHERE { ?s ?p ?o }"}), status=400)
    construct = "CONSTRUCT { ?g a <urn:x> } WHERE { ?g a <https://w3id.org/epkg/ontology#MinisterGoal> }"
    doc = page(client, "/query?" + urlencode({"query": construct}))
    assert len(doc.one("table", "results").one("tbody").all("tr")) == 11
    assert {a.text() for a in doc.one("p", "data").all("a")} == {"Turtle", "JSON-LD", "N-Triples", "RDF/XML"}


def test_entity_pages_show_links_both_ways_passages_and_data_links(client):
    doc = page(client, "/measure/slagelse-2017/3-1-2?lang=en")
    facts = {words(dt.text()): dd for dt, dd in zip(doc.all("dt"), doc.all("dd"), strict=True)}
    assert words(facts["part of document"].text()) == "Slagelse Municipality: Employment plan 2017"
    assert facts["part of document"].one("a").attrs["href"] == "/plan/slagelse-2017?lang=en"
    incoming = {words(d.one("summary").text()) for d in doc.all("details")}
    assert any(s.startswith("goal links (") for s in incoming), incoming
    quotes = [normalise(b.text()) for b in doc.all("blockquote")]
    assert quotes == ["Tydelig vejledning og rådgivning om nye og alternative jobmuligheder."]
    data = {a.text(): a.attrs["href"] for a in doc.one("p", "data").all("a")}
    assert list(data) == ["Turtle", "JSON-LD", "N-Triples", "RDF/XML"]
    for href in data.values():
        response = client.get(href)
        assert response.status_code == 200 and not response.headers["content-type"].startswith("text/html")
    goal = page(client, "/minister-goal/2017/4")
    editions = [words(tr.all("td")[1].text()) for tr in goal.one("tbody").all("tr")]
    assert [e.split(":")[0] for e in editions] == ["Mål 4 (2017)", "Mål 3 (2019)"]
    plan = page(client, "/plan/slagelse-2017")
    assert plan.all("ul", "contents")
    page(client, "/measure/does-not-exist", status=404)


def test_language_choice_is_kept_in_every_link(client):
    for url in (
        "/?lang=en",
        "/answer?year=2017&number=4&lang=en",
        "/coverage?lang=en",
        "/plan/hedensted-2017?lang=en",
    ):
        doc = page(client, url)
        for a in doc.one("main").all("a"):
            href = a.attrs.get("href", "")
            if not href.startswith("/") or "format=" in href or href.startswith(("/api/", "/sparql?")):
                continue
            assert parse_qs(urlsplit(href).query).get("lang") == ["en"], (url, href)


HREF = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"')
ID = re.compile(r'\bid="([^"]*)"')
NOT_PAGES = ("/api/", "/docs", "/openapi.json", "/sparql?", "/static/", "/answer.csv", "/answer.xlsx")


def test_a_crawler_from_home_finds_no_broken_link(live_server):
    """Every page reachable from / (both languages: the switch is a link) answers 200, every link
    from it to anything else (data formats, JSON, downloads) answers below 400, and every
    #fragment a link names exists on its page."""
    from concurrent.futures import ThreadPoolExecutor

    pages_seen: dict[str, set[str]] = {}  # page -> the ids on it
    others: set[str] = set()
    fragments: list[tuple[str, str, str]] = []
    broken: list[str] = []

    def fetch(url: str) -> tuple[str, httpx.Response]:
        accept = "text/html" if not url.startswith(NOT_PAGES) and "format=" not in url else "*/*"
        return url, client.get(url, headers={"Accept": accept})

    with httpx.Client(base_url=live_server, timeout=60) as client, ThreadPoolExecutor(4) as pool:
        frontier = {"/"}
        while frontier:
            next_frontier: set[str] = set()
            for url, response in pool.map(fetch, sorted(frontier)):
                if response.status_code >= 400:
                    broken.append(f"{url}: {response.status_code}")
                    continue
                if url in others:
                    continue
                assert response.headers["content-type"].startswith("text/html"), url
                html = response.text
                pages_seen[url] = set(ID.findall(html))
                for href in HREF.findall(html):
                    href = href.replace("&amp;", "&")
                    if re.match(r"^[a-z]+:", href):
                        continue
                    target, fragment = urldefrag(url + href if href.startswith("#") else href)
                    if fragment:
                        fragments.append((url, target, fragment))
                    if target in pages_seen or target in others or target in frontier:
                        continue
                    if target.startswith(NOT_PAGES) or "format=" in target:
                        others.add(target)
                    next_frontier.add(target)
            frontier = next_frontier - set(pages_seen)
    assert broken == []
    missing = [f"{o} -> {t}#{f}" for o, t, f in fragments if t in pages_seen and f not in pages_seen[t]]
    assert missing == []
    kinds = Counter(url.split("?")[0].split("/")[1] for url in pages_seen)
    # every kind of page was reached, in both languages
    for kind in (
        "",
        "answer",
        "coverage",
        "years",
        "sources",
        "search",
        "query",
        "minister-goal",
        "measure",
        "passage",
        "goal-link",
        "plan",
        "municipality",
        "target-group",
        "project",
        "target",
    ):
        assert kinds[kind] > 0, kind
    assert sum("lang=en" in url for url in pages_seen) * 3 > len(pages_seen)
    print(f"crawled {len(pages_seen)} pages and {len(others)} other links")
