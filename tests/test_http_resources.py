"""Dereferenceable IRIs: every IRI minted in data/ resolves on the server, in every format.

Policy (stated in api/routes/resources.py): 200 at the resource's own path, not 303, with
``Vary: Accept`` and a Link to the IRI described and to the Turtle that describes it; w3id.org
performs the redirect to us. tests/test_entity_documents.py checks the documents and their links.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, BNode, Graph, URIRef

from api.graph import BASE, EPKG



def minted_iris(graph: Graph) -> list[str]:
    """Every IRI of ours the data says something about (hash IRIs are the ontology's terms)."""
    return sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)
                   and "#" not in str(s)})


def test_every_minted_iri_dereferences(client, graph):
    iris = minted_iris(graph)
    assert len(iris) > 1000
    failed = []
    for iri in iris:
        response = client.get("/" + iri[len(BASE):], headers={"Accept": "application/n-triples"})
        if response.status_code != 200 or f"<{iri}>" not in response.text:
            failed.append((iri, response.status_code))
    assert failed == []


@pytest.mark.parametrize("accept,fmt,media_type", [
    ("text/turtle", "turtle", "text/turtle"),
    ("application/ld+json", "json-ld", "application/ld+json"),
    ("application/n-triples", "nt", "application/n-triples"),
    ("application/rdf+xml", "xml", "application/rdf+xml"),
    ("*/*", "turtle", "text/turtle"),
    (None, "turtle", "text/turtle"),
])
def test_description_by_accept(client, live_server, graph, accept, fmt, media_type):
    response = client.get("/minister-goal/2017/4", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]  # CORS adds Origin
    links = response.headers["link"].split(", ")
    assert links[:2] == [
        f'<{BASE}minister-goal/2017/4>; rel="describes"',  # the IRI, not its page
        f'<{live_server}/minister-goal/2017/4?format=ttl>; rel="describedby"; type="text/turtle"',
    ]
    described = Graph().parse(data=response.content, format=fmt)
    goal = URIRef(BASE + "minister-goal/2017/4")
    # Its own triples, links both ways, and the passages it cites.
    named = {(p, o) for _, p, o in graph.triples((goal, None, None)) if not isinstance(o, BNode)}
    assert named <= set(described.predicate_objects(goal))
    numbering = [(graph, o) for o in graph.objects(goal, EPKG.numberInSource)]
    numbering_there = [(described, o) for o in described.objects(goal, EPKG.numberInSource)]
    assert sorted(str(g.value(o, EPKG.number)) for g, o in numbering) == sorted(
        str(g.value(o, EPKG.number)) for g, o in numbering_there) != []
    assert (goal, RDF.type, EPKG.MinisterGoal) in described
    assert (URIRef(BASE + "minister-goal/2019/3"), EPKG.continues, goal) in described
    for passage in graph.objects(goal, EPKG.citation):
        assert described.value(passage, EPKG.quote) == graph.value(passage, EPKG.quote)


@pytest.mark.parametrize("fmt,media_type", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                            ("nt", "application/n-triples"), ("rdf", "application/rdf+xml"),
                                            ("html", "text/html")])
def test_description_by_format_parameter(client, fmt, media_type):
    response = client.get("/measure/slagelse-2017/3-1-2", params={"format": fmt}, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)


def test_browsers_get_html(client):
    response = client.get("/municipality/390", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "Vordingborg" in response.text


def test_200_not_303(client):
    response = client.get("/municipality/330", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert response.status_code == 200


@pytest.mark.parametrize("path,status", [("/measure/nowhere/none", 404), ("/minister-goal/2018/1", 404),
                                         ("/municipality/330?format=png", 406)])
def test_unknown_resources_and_formats(client, path, status):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == status and response.json()["message"]
