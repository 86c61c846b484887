"""Entity documents a linked-data client can use (api/entity_documents.py, api/routes/resources.py).

For a sample of entity kinds, against the live server:
- the JSON-LD names the published context (/context.jsonld) and, expanded by pyld (a JSON-LD
  processor of its own, not rdflib), gives exactly the triples of the Turtle and of the graph's
  description of the entity; one node object per subject, the subject's first, with its classes
  under ``type`` (the context's alias of @type) and short keys;
- the Turtle parses, declares its prefixes first and writes the subject's own triples first;
- every representation's Link header names the IRI it describes, the Turtle as ``describedby``
  and every other representation as ``alternate`` (each of which answers in its type); the page's
  head has a ``<link rel="alternate">`` per RDF format; all under the configured public base.
"""

from __future__ import annotations

import json
import re

import httpx
import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from api.graph import BASE, EPKG, PREFIXES

from .servers import epkg_process
from .test_pages import parse

SAMPLE = {
    "plan": "plan/slagelse-2017",
    "measure": "measure/slagelse-2017/3-1-2",
    "minister goal": "minister-goal/2017/4",  # with blank nodes: how each source numbers it
    "concept": "scheme/basis/derived",  # a compact IRI in JSON-LD: basis:derived
    "goal link": "goal-link/vordingborg-2019/objective-3-3-flygtninge-i-uddannelse-eller-arbejde--2019-1",
}
RDF_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
FORMATS = {"html": "text/html", **RDF_TYPES}
CANONICAL = {"algorithm": "URDNA2015", "format": "application/n-quads"}


# --- what the graph says, and how to compare ------------------------------------------------


def described(graph: Graph, iri: str) -> Graph:
    """The description of ``iri`` as the service promises it (docs/uri-policy.md), from the
    project's graph: its own triples and the blank nodes they point at, the labels of what it
    links to, what links to it and their labels, and the passages it cites."""
    subject, out = URIRef(iri), Graph()
    for p, o in graph.predicate_objects(subject):
        out.add((subject, p, o))
        for label in graph.objects(o, RDFS.label):
            out.add((o, RDFS.label, label))
        if isinstance(o, BNode):
            out += graph.triples((o, None, None))
    for s, p in graph.subject_predicates(subject):
        out.add((s, p, subject))
        for label in graph.objects(s, RDFS.label):
            out.add((s, RDFS.label, label))
    for passage in graph.objects(subject, EPKG.citation):
        out += graph.triples((passage, None, None))
    return out


def canonical_nquads(nquads: str) -> set[str]:
    """The canonical (URDNA2015) N-Quads lines: blank nodes named by the graph's shape, so two
    documents are the same graph exactly when these sets are equal (no literal rewritten)."""
    return set(jsonld.normalize(nquads, {**CANONICAL, "inputFormat": "application/n-quads"}).splitlines())


def from_turtle(text: bytes) -> set[str]:
    """Parsed by oxigraph (which keeps every literal's lexical form as written)."""
    quads = ox.parse(text, format=ox.RdfFormat.TURTLE)
    return canonical_nquads("".join(f"{quad} .\n" for quad in quads))


def from_json_ld(document: dict, loader) -> set[str]:
    return set(jsonld.normalize(document, {**CANONICAL, "documentLoader": loader}).splitlines())


def from_graph(graph: Graph) -> set[str]:
    return canonical_nquads(graph.serialize(format="nt"))


# --- the server's documents -----------------------------------------------------------------


@pytest.fixture(scope="module")
def loader(client, live_server):
    """pyld's document loader for the published context only: fetched from the server, as a
    client would; any other URL fails the test (a document must name nothing else)."""
    fetched: list[str] = []

    def load(url: str, options: dict | None = None) -> dict:
        assert url == f"{live_server}/context.jsonld", url
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/ld+json")
        fetched.append(url)
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": response.json()}

    load.fetched = fetched  # type: ignore[attr-defined]
    return load


@pytest.fixture(scope="module")
def context(client):
    return client.get("/context.jsonld").json()["@context"]


def get(client, path: str, fmt: str) -> httpx.Response:
    response = client.get("/" + path, params={"format": fmt})
    assert response.status_code == 200, (path, fmt, response.text[:300])
    assert response.headers["content-type"].split(";")[0] == FORMATS[fmt]
    return response


def expand_id(value: str, context: dict) -> str:
    prefix, colon, rest = value.partition(":")
    if colon and isinstance(context.get(prefix), str) and not rest.startswith("//"):
        return context[prefix] + rest
    return value


def compact_class(iri: str) -> str:
    """How the published context writes a class: the ontology's by name, others as prefix:name."""
    if iri.startswith(str(EPKG)):
        return iri[len(str(EPKG)):]
    prefix, namespace = next((p, n) for p, n in PREFIXES.items() if iri.startswith(n))
    return f"{prefix}:{iri[len(namespace):]}"


@pytest.mark.parametrize("kind", list(SAMPLE))
def test_json_ld_is_the_turtle_and_the_graphs_description(client, graph, loader, context, live_server, kind):
    path = SAMPLE[kind]
    iri = BASE + path
    turtle = get(client, path, "ttl").content
    document = get(client, path, "jsonld").json()
    expected = from_graph(described(graph, iri))
    assert len(expected) > 5
    assert from_turtle(turtle) == expected
    assert from_json_ld(document, loader) == expected
    # and the engine's own N-Triples, as served
    assert canonical_nquads(get(client, path, "nt").text) == expected
    # Exactly the triples too when another client reads it: rdflib's own JSON-LD parser.
    assert isomorphic(Graph().parse(data=json.dumps(document), format="json-ld",
                                    base=live_server), Graph().parse(data=turtle, format="turtle"))

    # The context by reference: the published one, not a copy.
    assert document["@context"] == f"{live_server}/context.jsonld"
    nodes = document["@graph"] if "@graph" in document else [{k: v for k, v in document.items()
                                                             if k != "@context"}]
    ids = [expand_id(node["id"], context) for node in nodes]
    subjects = set(Graph().parse(data=turtle).subjects())
    # One node object per subject (blank nodes are nodes too, with _: ids), the entity's first.
    assert len(ids) == len(set(ids))
    assert {i for i in ids if not i.startswith("_:")} == {str(s) for s in subjects if isinstance(s, URIRef)}
    assert sum(i.startswith("_:") for i in ids) == sum(isinstance(s, BNode) for s in subjects)
    assert ids[0] == iri
    node = nodes[0]
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    assert sorted(types) == sorted(compact_class(str(c)) for c in graph.objects(URIRef(iri), RDF.type))
    # Short keys: no full IRIs, rdf:type is @type, and every epkg property by its name.
    for key in node:
        assert "://" not in key and key not in ("@type", "rdf:type", str(RDF.type)), key
        assert key in ("id", "type") or key in context or key.split(":")[0] in context, key
    own = {str(p) for p in graph.predicates(URIRef(iri)) if p != RDF.type}
    named = {context[k]["@id"] if isinstance(context.get(k), dict) else context.get(k) for k in node}
    named |= {expand_id(k, context) for k in node if ":" in k}
    assert own <= named
    assert loader.fetched  # the context was read from where it is published


def prefix_lines(text: str) -> tuple[dict[str, str], str]:
    """The @prefix declarations at the top of a Turtle text, and the rest."""
    prefixes = {}
    lines = text.splitlines()
    while lines and (lines[0].startswith("@prefix") or not lines[0].strip()):
        line = lines.pop(0)
        if line.strip():
            name, iri = re.fullmatch(r"@prefix (\w*): <([^>]*)> \.", line).groups()
            prefixes[name] = iri
    return prefixes, "\n".join(lines)


@pytest.mark.parametrize("kind", list(SAMPLE))
def test_turtle_has_prefixes_and_the_subject_first(client, graph, kind):
    path = SAMPLE[kind]
    iri = BASE + path
    text = get(client, path, "ttl").text
    g = Graph().parse(data=text, format="turtle")
    prefixes, body = prefix_lines(text)
    assert prefixes and all(PREFIXES[name] == namespace for name, namespace in prefixes.items())
    assert prefixes["epkg"] == str(EPKG)
    # Every term in a declared namespace is written by prefix, never in full.
    for term in {*g.predicates(), *g.objects(None, RDF.type)}:
        for name, namespace in prefixes.items():
            if str(term).startswith(namespace) and re.fullmatch(r"\w+", str(term)[len(namespace):]):
                assert f"<{term}>" not in text and f"{name}:{str(term)[len(namespace):]}" in text
    # The first statement is about the entity, and holds all its own triples (blank nodes inline).
    written = next((f"{n}:{iri[len(i):]}" for n, i in prefixes.items() if iri.startswith(i)), f"<{iri}>")
    assert body.startswith(written + " ")
    first = body.split("\n\n")[0]
    head = "".join(f"@prefix {n}: <{i}> .\n" for n, i in prefixes.items())
    own = Graph().parse(data=head + first, format="turtle")
    subject = URIRef(iri)
    expected = Graph()
    for p, o in graph.predicate_objects(subject):
        expected.add((subject, p, o))
        if isinstance(o, BNode):
            expected += graph.triples((o, None, None))
    assert isomorphic(own, expected)


def links(header: str) -> list[tuple[str, dict[str, str]]]:
    """A Link header (RFC 8288) as (URL, parameters)."""
    out = []
    for part in re.findall(r'<[^>]*>(?:\s*;\s*[\w-]+="[^"]*")*', header):
        url = part[1:part.index(">")]
        out.append((url, dict(re.findall(r'([\w-]+)="([^"]*)"', part))))
    return out


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("kind", ["plan", "concept"])
def test_every_representation_links_the_data_and_its_alternates(client, live_server, kind, fmt):
    path = SAMPLE[kind]
    here = f"{live_server}/{path}"
    response = get(client, path, fmt)
    found = links(response.headers["link"])
    assert sorted(found, key=lambda link: (link[1]["rel"], link[0])) == sorted(
        [
            (BASE + path, {"rel": "describes"}),
            (f"{here}?format=ttl", {"rel": "describedby", "type": "text/turtle"}),
            *((f"{here}?format={short}", {"rel": "alternate", "type": media})
              for short, media in FORMATS.items() if short != fmt),
        ],
        key=lambda link: (link[1]["rel"], link[0]),
    )
    for url, params in found:
        if params["rel"] == "describes":
            continue
        other = client.get(url)  # the URL as given, absolute under the public base
        assert other.status_code == 200
        assert other.headers["content-type"].split(";")[0] == params["type"]
    # The same header when the format comes by Accept.
    by_accept = client.get("/" + path, headers={"Accept": FORMATS[fmt]})
    assert by_accept.headers["link"] == response.headers["link"]


def test_the_page_head_names_every_rdf_document(client, live_server):
    path = SAMPLE["measure"]
    here = f"{live_server}/{path}"
    doc = parse(get(client, path, "html").text)
    head = doc.one("head")
    alternates = [(link.attrs["type"], link.attrs["href"]) for link in head.all("link", rel="alternate")]
    assert alternates == [(media, f"{here}?format={short}") for short, media in RDF_TYPES.items()]
    data = [(a.attrs["type"], a.attrs["href"], a.text()) for a in doc.one("p", "data").all("a")]
    assert data == [
        (media, f"{here}?format={short}", name)
        for (short, media), name in zip(RDF_TYPES.items(), ["Turtle", "JSON-LD", "N-Triples", "RDF/XML"],
                                        strict=True)
    ]
    for media, href in alternates:
        answer = client.get(href, headers={"Accept": "text/html"})  # ?format= wins over a browser's Accept
        assert answer.status_code == 200 and answer.headers["content-type"].split(";")[0] == media


def test_an_unknown_iri_links_nothing(client):
    for fmt in FORMATS:
        response = client.get("/measure/nowhere/none", params={"format": fmt})
        assert response.status_code == 404
        assert "link" not in response.headers


CONFIGURED = "https://data.example.org/epkg"


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    env = {"EPKG_BASE_URL": CONFIGURED}
    with epkg_process(tmp_path_factory.mktemp("entity-documents"), "--workers", "1", "--timeout", "10",
                      env=env) as (base, _):
        yield base


def test_every_url_is_under_the_configured_base(configured):
    path = SAMPLE["minister goal"]
    hostile = {"Host": "attacker.example:666", "X-Forwarded-Host": "forwarded.example",
               "X-Forwarded-Proto": "gopher"}
    with httpx.Client(base_url=configured, timeout=120, headers=hostile) as client:
        for fmt in FORMATS:
            response = client.get("/" + path, params={"format": fmt})
            assert response.status_code == 200
            urls = [url for url, params in links(response.headers["link"]) if params["rel"] != "describes"]
            assert len(urls) == 5
            assert all(url.startswith(f"{CONFIGURED}/{path}?format=") for url in urls), urls
        document = client.get("/" + path, params={"format": "jsonld"}).json()
        assert document["@context"] == f"{CONFIGURED}/context.jsonld"
        head = parse(client.get("/" + path, params={"format": "html"}).text).one("head")
        hrefs = [link.attrs["href"] for link in head.all("link", rel="alternate")]
        assert hrefs == [f"{CONFIGURED}/{path}?format={short}" for short in RDF_TYPES]
        for text in (response.text, json.dumps(document)):
            assert "attacker" not in text and "forwarded" not in text and "127.0.0.1" not in text


def test_literals_keep_their_form(client):
    """A literal's datatype and language survive JSON-LD compaction (not re-typed by the context)."""
    path = SAMPLE["plan"]
    g = Graph().parse(data=get(client, path, "jsonld").text, format="json-ld")
    subject = URIRef(BASE + path)
    assert g.value(subject, URIRef("http://purl.org/dc/terms/date")) == Literal(
        "2017-05-08", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert set(g.objects(subject, RDFS.label)) == {
        Literal("Slagelse Kommune: Beskæftigelsesplan 2017", lang="da"),
        Literal("Slagelse Municipality: Employment plan 2017", lang="en"),
    }


def test_literals_keep_the_datatype_the_data_gives(client, graph):
    path = SAMPLE["measure"]
    served = Graph().parse(data=get(client, path, "ttl").text, format="turtle")
    subject = URIRef(BASE + path)
    assert set(served.objects(subject, EPKG.ordinal)) == set(graph.objects(subject, EPKG.ordinal))
