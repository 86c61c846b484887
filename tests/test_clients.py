"""Every client's defaults work against /sparql, and give the whole answer the embedded store gives.

- SPARQLWrapper with its default settings (GET, ``format=xml`` and ``output=xml`` parameters,
  an Accept header for XML): SELECT and ASK answer as SPARQL XML results; CONSTRUCT and
  DESCRIBE as RDF/XML, which is what ``format=xml`` means on a graph query (it used to be 406);
  and its ``JSON`` format on a graph query gives JSON-LD.
- curl with its defaults (``Accept: */*``): SPARQL JSON results, Turtle for graphs.
- rdflib's SPARQLStore, opened both ways (``Graph("SPARQLStore")`` and ``SPARQLStore(endpoint)``).

Expected answers come from the same query run in this process on the embedded store
(api.store, the project's files), not from the server.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from urllib.parse import quote

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from api.graph import sparql_prologue
from api.store import open_store

SELECT = sparql_prologue() + """
SELECT ?goal ?number ?statement WHERE {
  ?goal a epkg:MinisterGoal ; epkg:goalYear "2017"^^xsd:gYear ; epkg:goalNumber ?number ; epkg:statement ?statement .
} ORDER BY ?number ?statement"""
ASK = sparql_prologue() + "ASK { <https://w3id.org/epkg/minister-goal/2017/4> a epkg:MinisterGoal }"
ASK_FALSE = sparql_prologue() + "ASK { <https://w3id.org/epkg/minister-goal/2017/99> a epkg:MinisterGoal }"
CONSTRUCT = sparql_prologue() + """
CONSTRUCT { ?goal epkg:goalNumber ?number ; epkg:statement ?statement }
WHERE { ?goal epkg:goalYear "2019"^^xsd:gYear ; epkg:goalNumber ?number ; epkg:statement ?statement }"""
DESCRIBE = "DESCRIBE <https://w3id.org/epkg/minister-goal/2017/4>"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@pytest.fixture(scope="module")
def local(project):
    return open_store("oxigraph", project)


def expected_rows(local, query: str) -> list[dict]:
    """The embedded store's rows as {variable: rdflib term}."""
    return [dict(row) for row in local.select(query).records()]


def expected_graph(local, query: str) -> Graph:
    return Graph().parse(data=local.execute(query, "text/turtle"), format="turtle")


def term_of(binding) -> URIRef | Literal:
    """An rdflib term from a SPARQL XML results <binding> element (minidom)."""
    node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
    text = "".join(c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE)
    if node.tagName == "uri":
        return URIRef(text)
    if node.getAttribute("xml:lang"):
        return Literal(text, lang=node.getAttribute("xml:lang"))
    datatype = node.getAttribute("datatype")
    return Literal(text, datatype=URIRef(datatype) if datatype else None)


def xml_rows(document) -> list[dict]:
    return [
        {b.getAttribute("name"): term_of(b) for b in result.getElementsByTagNameNS(RESULTS_NS, "binding")}
        for result in document.getElementsByTagNameNS(RESULTS_NS, "result")
    ]


def default_wrapper(live_server: str, query: str) -> SPARQLWrapper:
    """SPARQLWrapper as a user starts it: nothing but the endpoint and the query."""
    sparql = SPARQLWrapper(f"{live_server}/sparql")
    sparql.setQuery(query)
    return sparql


# --- SPARQLWrapper, defaults ----------------------------------------------------------------


def test_sparqlwrapper_defaults_select(live_server, local):
    result = default_wrapper(live_server, SELECT).query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+xml")
    rows = xml_rows(result.convert())
    expected = expected_rows(local, SELECT)
    assert len(expected) == 8  # goals 1-4 of 2017, in Danish and English
    assert rows == expected


@pytest.mark.parametrize("query,answer", [(ASK, True), (ASK_FALSE, False)])
def test_sparqlwrapper_defaults_ask(live_server, query, answer):
    document = default_wrapper(live_server, query).queryAndConvert()
    (node,) = document.getElementsByTagNameNS(RESULTS_NS, "boolean")
    assert node.firstChild.data == ("true" if answer else "false")


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_defaults_graph_queries(live_server, local, query):
    """``format=xml`` on a graph query: RDF/XML, which SPARQLWrapper turns into an rdflib Graph."""
    result = default_wrapper(live_server, query).query()
    assert result.response.headers["Content-Type"].startswith("application/rdf+xml")
    graph = result.convert()
    assert isinstance(graph, Graph)
    expected = expected_graph(local, query)
    assert len(expected) > 10
    assert isomorphic(graph, expected)


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_json_on_a_graph_query_is_json_ld(live_server, local, query):
    sparql = default_wrapper(live_server, query)
    sparql.setReturnFormat(JSON)
    response = sparql.query().response
    assert response.headers["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.read(), format="json-ld")
    assert isomorphic(graph, expected_graph(local, query))


# --- curl, defaults ---------------------------------------------------------------------------


def curl(url: str) -> tuple[str, bytes]:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    done = subprocess.run(
        ["curl", "--silent", "--show-error", "--write-out", "\n%{content_type}", url],
        capture_output=True,
        check=True,
        timeout=120,
    )
    body, _, content_type = done.stdout.rpartition(b"\n")
    return content_type.decode(), body


def test_curl_defaults_select(live_server, local):
    content_type, body = curl(f"{live_server}/sparql?query={quote(SELECT, safe='')}")
    assert content_type.startswith("application/sparql-results+json")
    assert json.loads(body) == json.loads(local.execute(SELECT, "application/sparql-results+json"))
    assert len(json.loads(body)["results"]["bindings"]) == 8


def test_curl_defaults_ask(live_server):
    content_type, body = curl(f"{live_server}/sparql?query={quote(ASK, safe='')}")
    assert content_type.startswith("application/sparql-results+json")
    assert json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_curl_defaults_graph_queries(live_server, local, query):
    content_type, body = curl(f"{live_server}/sparql?query={quote(query, safe='')}")
    assert content_type.startswith("text/turtle")
    assert isomorphic(Graph().parse(data=body, format="turtle"), expected_graph(local, query))


# --- rdflib's SPARQLStore -------------------------------------------------------------------------


def store_graphs(live_server: str) -> dict[str, Graph]:
    by_name = Graph("SPARQLStore")
    by_name.open(f"{live_server}/sparql")
    by_object = Graph(SPARQLStore(f"{live_server}/sparql"))
    return {"Graph('SPARQLStore')": by_name, "SPARQLStore(endpoint)": by_object}


def test_rdflib_sparqlstore_select_and_ask(live_server, local):
    expected = expected_rows(local, SELECT)
    for name, graph in store_graphs(live_server).items():
        result = graph.query(SELECT)
        rows = [{str(v): row[v] for v in result.vars if row[v] is not None} for row in result]
        assert rows == expected, name
        assert graph.query(ASK).askAnswer is True, name
        assert graph.query(ASK_FALSE).askAnswer is False, name


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_rdflib_sparqlstore_graph_queries(live_server, local, query):
    expected = expected_graph(local, query)
    for name, graph in store_graphs(live_server).items():
        result = graph.query(query)
        assert isomorphic(result.graph, expected), name


def test_rdflib_sparqlstore_triples(live_server, local):
    """Graph methods over the store: ``triples`` sends its own SELECT with the default settings."""
    goal = URIRef("https://w3id.org/epkg/minister-goal/2017/4")
    def blank(triples) -> list[tuple]:  # blank nodes' labels differ from one answer to the next
        return sorted((s, p, "_:" if isinstance(o, BNode) else o) for s, p, o in triples)

    expected = blank(expected_graph(local, f"CONSTRUCT {{ <{goal}> ?p ?o }} WHERE {{ <{goal}> ?p ?o }}"))
    assert len(expected) > 10
    for name, graph in store_graphs(live_server).items():
        assert blank(graph.triples((goal, None, None))) == expected, name
