"""The W3C SPARQL 1.1 Protocol query tests, run as written against a real `epkg serve`.

Source: ``sparql/sparql11/protocol/manifest.ttl`` of the public w3c/rdf-tests repository
(read at commit ad541a5). Every ``query_*`` entry and every ``bad_*`` entry that is a query
operation (``bad_query_*``, ``bad_multiple_queries``) is one test below, named after the
entry. Each sends the manifest's request (method, the query string of its ``absolutePath``,
content type, body; ``/sparql/`` becomes ``/sparql`` as the manifest says it may) and checks
its ``ht:Response``: the status class (``2xx`` or ``3xx``; ``4xx``), the result format
(``boolean``, ``tabular``, ``RDF``) and the ASK answer. Where the manifest checks only the
format, the whole answer is checked too (it is fixed by the query). The ``update_*`` and
``bad_update_*`` entries are in tests/test_http_protocol.py: this endpoint is read-only.

``default-graph-uri=http://kasei.us/.../data0.rdf`` (query_get, query_post_form,
query_content_type_*) is sent as written: data0.rdf is not one of our graphs, so the default
graph is empty (an unknown graph is an empty one; nothing is fetched), and every expected
answer holds on an empty graph.

Adapted: the dataset tests (query_dataset_*, query_multiple_dataset) expect the suite's
``data1-3.nt`` loaded under the graph names ``http://kasei.us/2009/09/sparql/data/dataN.rdf``,
each holding one triple ``<dataN.rdf> a foaf:Document``. This service holds only its own
graphs and never fetches one, so the tests name three of our graphs instead (the named graphs
of three plans, https://w3id.org/epkg/graph/<plan>) and, for ``<dataN.rdf>``, a resource whose
``a epkg:Measure`` triple is in graph N only (read from the project's files, as `epkg load`
splits them). The queries keep their shape and the assertions are the originals (2xx, a
boolean, true). Each also gets a control the original lacks, where the same ASK over another
dataset must be false, so a service that ignored the dataset would fail.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from api.graph import BASE, Project
from api.publish import GRAPH_BASE, named_graphs

KASEI = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
DATA0 = f"default-graph-uri={KASEI}data0.rdf"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
MEASURE = URIRef(BASE + "ontology#Measure")
# data1, data2, data3 of the suite -> three of our plan graphs.
PLAN_GRAPHS = ("hedensted-2017", "slagelse-2017", "sonderborg-2016-2018")


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def data(project: Project) -> dict[int, tuple[str, str]]:
    """N -> (graph IRI, resource IRI) standing for the suite's dataN.rdf graph and resource."""
    graphs = {named.iri: named.graph for named in named_graphs(project)}
    out = {}
    for n, name in enumerate(PLAN_GRAPHS, 1):
        iri = GRAPH_BASE + name
        resource = min(str(s) for s in graphs[iri].subjects(RDF.type, MEASURE))
        for other, graph in graphs.items():  # in graph N only, as <dataN.rdf> a foaf:Document is
            assert (other == iri) == ((URIRef(resource), RDF.type, MEASURE) in graph)
        out[n] = (iri, resource)
    return out


def q(text: str) -> str:
    return quote(text, safe="")


def send(
    client: httpx.Client,
    method: str,
    query_string: str = "",
    body: bytes | None = None,
    content_type: str | None = None,
) -> httpx.Response:
    headers = {"content-type": content_type} if content_type else {}
    url = "/sparql" + (f"?{query_string}" if query_string else "")
    return client.request(method, url, content=body, headers=headers)


def ok(response: httpx.Response) -> None:
    """mf:expectedStatus hts:StatusCode2xx, hts:StatusCode3xx"""
    assert 200 <= response.status_code < 400, (response.status_code, response.text[:300])


def bad(response: httpx.Response) -> None:
    """mf:expectedStatus hts:StatusCode4xx (and a message saying why)"""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert response.json()["message"]


def boolean(response: httpx.Response) -> bool:
    """mf:expectedFormat "boolean": the ASK answer, in SPARQL JSON or XML results."""
    ok(response)
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/sparql-results+json":
        answer = response.json()["boolean"]
        assert isinstance(answer, bool)
        return answer
    assert media_type == "application/sparql-results+xml", media_type
    return ET.fromstring(response.content).find(f"{RESULTS_NS}boolean").text == "true"


def tabular(response: httpx.Response) -> list[dict]:
    """mf:expectedFormat "tabular": the rows, from SPARQL JSON, XML, CSV or TSV results."""
    ok(response)
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/sparql-results+json":
        return response.json()["results"]["bindings"]
    if media_type == "text/csv":
        return list(csv.DictReader(io.StringIO(response.text)))
    raise AssertionError(f"unexpected results format {media_type}")


def rdf(response: httpx.Response) -> set:
    """mf:expectedFormat "RDF": the triples, from RDF/XML, Turtle or N-Triples."""
    ok(response)
    media_type = response.headers["content-type"].split(";")[0]
    formats = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}
    assert media_type in formats, media_type
    return set(Graph().parse(data=response.content, format=formats[media_type]))


def default_graphs(*iris: str) -> str:
    return "&".join(f"default-graph-uri={q(i)}" for i in iris)


def named(*iris: str) -> str:
    return "&".join(f"named-graph-uri={q(i)}" for i in iris)


def ask_both(data) -> str:
    """The suite's ASK { <data1.rdf> a ?type . <data2.rdf> a ?type . }"""
    return f"ASK {{ <{data[1][1]}> a ?type . <{data[2][1]}> a ?type . }}"


def ask_named(data) -> str:
    """The suite's ASK { GRAPH ?g1 { <data1.rdf> a ?type } GRAPH ?g2 { <data2.rdf> a ?type } }"""
    return f"ASK {{ GRAPH ?g1 {{ <{data[1][1]}> a ?type }} GRAPH ?g2 {{ <{data[2][1]}> a ?type }} }}"


# --- query operations -------------------------------------------------------------------------


def test_query_post_form(client):
    """query_post_form: "query via URL-encoded POST"."""
    response = send(client, "POST", DATA0, b"query=ASK%20%7B%7D", FORM)
    assert boolean(response) is True


def test_query_dataset_default_graphs_get(client, data):
    """query_dataset_default_graphs_get: "GET query with protocol-specified default graph"."""
    graphs = default_graphs(data[1][0], data[2][0])
    assert boolean(send(client, "GET", f"query={q(ask_both(data))}&{graphs}")) is True
    # Control: data2's resource is not in a default graph made of data1 and data3 alone.
    other = default_graphs(data[1][0], data[3][0])
    assert boolean(send(client, "GET", f"query={q(ask_both(data))}&{other}")) is False


def test_query_dataset_default_graphs_post(client, data):
    """query_dataset_default_graphs_post: "POST query with protocol-specified default graphs"."""
    graphs = default_graphs(data[1][0], data[2][0])
    assert boolean(send(client, "POST", graphs, ask_both(data).encode(), QUERY)) is True
    other = default_graphs(data[2][0], data[3][0])
    assert boolean(send(client, "POST", other, ask_both(data).encode(), QUERY)) is False


def test_query_dataset_named_graphs_post(client, data):
    """query_dataset_named_graphs_post: "POST query with protocol-specified named graphs"."""
    graphs = named(data[1][0], data[2][0])
    assert boolean(send(client, "POST", graphs, ask_named(data).encode(), QUERY)) is True
    other = named(data[1][0], data[3][0])
    assert boolean(send(client, "POST", other, ask_named(data).encode(), QUERY)) is False


def test_query_dataset_named_graphs_get(client, data):
    """query_dataset_named_graphs_get: "GET query with protocol-specified named graphs"."""
    graphs = named(data[1][0], data[2][0])
    assert boolean(send(client, "GET", f"query={q(ask_named(data))}&{graphs}")) is True
    # Control: the default graph (the union) is not a named graph; without named graphs, GRAPH finds nothing.
    only_default = default_graphs(data[1][0], data[2][0])
    assert boolean(send(client, "GET", f"query={q(ask_named(data))}&{only_default}")) is False


def test_query_dataset_full(client, data):
    """query_dataset_full: "query with protocol-specified dataset (both named and default graphs)"."""
    text = (
        f"ASK {{\n  <{data[3][1]}> a ?type\n"
        f"  GRAPH ?g1 {{ <{data[1][1]}> a ?type }}\n"
        f"  GRAPH ?g2 {{ <{data[2][1]}> a ?type }}\n}}"
    )
    graphs = f"{default_graphs(data[3][0])}&{named(data[1][0], data[2][0])}"
    assert boolean(send(client, "POST", graphs, text.encode(), QUERY)) is True
    swapped = f"{default_graphs(data[1][0])}&{named(data[3][0], data[2][0])}"
    assert boolean(send(client, "POST", swapped, text.encode(), QUERY)) is False


def test_query_multiple_dataset(client, data):
    """query_multiple_dataset: "query specifying dataset in both query string and protocol; test
    for use of protocol-specified dataset"."""
    text = (
        f"ASK FROM <{data[3][0]}> {{ GRAPH ?g1 {{ <{data[1][1]}> a ?type }} "
        f"GRAPH ?g2 {{ <{data[2][1]}> a ?type }} }}"
    )
    assert boolean(send(client, "POST", named(data[1][0], data[2][0]), text.encode(), QUERY)) is True
    # Control: the query's own FROM NAMED would make it true; the protocol's dataset wins.
    own = (
        f"ASK FROM NAMED <{data[1][0]}> FROM NAMED <{data[2][0]}> {{ GRAPH ?g1 {{ <{data[1][1]}> a ?type }} "
        f"GRAPH ?g2 {{ <{data[2][1]}> a ?type }} }}"
    )
    assert boolean(send(client, "POST", "", own.encode(), QUERY)) is True
    assert boolean(send(client, "POST", named(data[3][0]), own.encode(), QUERY)) is False


def test_query_get(client):
    """query_get: "query via GET"."""
    assert boolean(send(client, "GET", f"query=ASK%20%7B%7D&{DATA0}")) is True


def test_query_content_type_select(client):
    """query_content_type_select: "query appropriate content type (expect one of: XML, JSON, CSV, TSV)"."""
    rows = tabular(send(client, "POST", DATA0, b"SELECT (1 AS ?value) {}", QUERY))
    assert rows == [{"value": {"type": "literal", "value": "1", "datatype": str(XSD.integer)}}]


def test_query_content_type_ask(client):
    """query_content_type_ask: "query appropriate content type (expect one of: XML, JSON)"."""
    assert boolean(send(client, "POST", DATA0, b"ASK {}", QUERY)) is True


def test_query_content_type_describe(client):
    """query_content_type_describe: "query appropriate content type (expect one of: RDF/XML, Turtle,
    N-Triples, RDFa)". The default graph (data0.rdf, unknown) is empty: nothing describes it."""
    assert rdf(send(client, "POST", DATA0, b"DESCRIBE <http://example.org/>", QUERY)) == set()


def test_query_content_type_construct(client):
    """query_content_type_construct: "query appropriate content type (expect one of: RDF/XML, Turtle,
    N-Triples, RDFa)". The relative IRIs resolve against the dataset's base."""
    triples = rdf(send(client, "POST", DATA0, b"CONSTRUCT { <s> <p> 1 } WHERE {}", QUERY))
    assert triples == {(URIRef(BASE + "s"), URIRef(BASE + "p"), Literal(1))}


def test_query_post_direct(client):
    """query_post_direct: "query via POST directly"."""
    assert boolean(send(client, "POST", "", b"ASK {}", QUERY)) is True


# --- bad query operations ----------------------------------------------------------------------


def test_bad_query_method(client):
    """bad_query_method: "invoke query operation with a method other than GET or POST"."""
    bad(send(client, "PUT", f"query=ASK%20%7B%7D&{DATA0}", content_type=FORM))


def test_bad_multiple_queries(client):
    """bad_multiple_queries: "invoke query operation with more than one query string"."""
    bad(send(client, "GET", "query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D"))


def test_bad_query_wrong_media_type(client):
    """bad_query_wrong_media_type: "invoke query operation with a POST with media type that's not
    url-encoded or application/sparql-query"."""
    bad(send(client, "POST", "", b"ASK {}", "text/plain"))


def test_bad_query_missing_form_type(client):
    """bad_query_missing_form_type: "invoke query operation with url-encoded body, but without
    application/x-www-form-urlencoded media type"."""
    bad(send(client, "POST", "", b"query=ASK%20%7B%7D"))


def test_bad_query_missing_direct_type(client):
    """bad_query_missing_direct_type: "invoke query operation with SPARQL body, but without
    application/sparql-query media type"."""
    bad(send(client, "POST", "", b"ASK {}"))


def test_bad_query_non_utf8(client):
    """bad_query_non_utf8: "invoke query operation with direct POST, but with a non-UTF8 encoding (UTF-16)"."""
    bad(send(client, "POST", "", "ASK {}".encode("utf-16"), QUERY + "; charset=UTF-16"))


def test_bad_query_syntax(client):
    """bad_query_syntax: "invoke query operation with invalid query syntax (4XX result)"."""
    bad(send(client, "GET", "query=ASK%20%7B"))
