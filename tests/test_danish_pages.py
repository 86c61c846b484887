"""No English sentence on a Danish page: the graph's English texts (those whose Danish counterpart
differs) and the pages' English words must not appear on any page kind in Danish, errors included.
Only what a page marks lang="en" (an engine's technical message) may be English."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from rdflib import Literal

from api.pages.texts import TEXT

PAGES = [
    "/",
    *(f"/answer?year=2017&number={n}" for n in range(1, 5)),
    *(f"/answer?year=2019&number={n}" for n in range(1, 8)),
    "/coverage?year=2017",
    "/coverage?year=2019",
    "/years/2017",
    "/years/2019",
    "/sources",
    "/sources/plan/slagelse-2017",
    "/sources/plan/vordingborg-2019",
    "/search?q=flygtninge",
    "/goal-link/hedensted-2017/focus-area-integration--2017-4",
    "/rule/measure-of-mapped-target-group",
    "/minister-goal/2017/4",
    "/answer?year=2030&number=4",  # errors, in Danish
    "/answer?year=2017&number=four",
    "/nothing/here",
    "/query?query=SELECT+nonsense",
]
ENGLISH_MARKED = re.compile(r'<(\w+)[^>]*\slang="en"[^>]*>.*?</\1>', re.DOTALL)


def visible_text(html: str) -> str:
    html = ENGLISH_MARKED.sub(" ", html)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def english_texts(graph) -> set[str]:
    """English sentences: the graph's @en texts with a different @da sibling, and the pages' own words."""
    found = set()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language == "en" and len(str(o).split()) >= 4:
            danish = {str(d) for d in graph.objects(s, p) if isinstance(d, Literal) and d.language == "da"}
            if danish and str(o) not in danish:
                found.add(" ".join(str(o).split()))
    for words in TEXT.values():
        if words["en"] != words["da"]:
            found |= {part.strip() for part in re.split(r"\{[^}]*\}", words["en"]) if len(part.split()) >= 3}
    return found


@pytest.fixture(scope="module")
def pages_in_danish(live_server):
    with httpx.Client(base_url=live_server, headers={"Accept": "text/html"}, timeout=60) as client:
        return {path: client.get(path) for path in PAGES}


def test_every_page_kind_is_danish_even_when_it_fails(pages_in_danish, graph):
    statuses = {path: r.status_code for path, r in pages_in_danish.items()}
    assert statuses["/answer?year=2030&number=4"] == 404 and statuses["/nothing/here"] == 404
    assert statuses["/answer?year=2017&number=four"] == 400 and statuses["/query?query=SELECT+nonsense"] == 400
    english = english_texts(graph)
    assert len(english) > 500  # the check has something to find
    found = {
        path: sorted(t for t in english if t in visible_text(response.text))
        for path, response in pages_in_danish.items()
    }
    assert {path: texts for path, texts in found.items() if texts} == {}
