"""The W3C SPARQL 1.1 Protocol tests against /sparql, each with its expected outcome.

The cases are the 34 entries of ``sparql/sparql11/protocol/manifest.ttl`` in the public
w3c/rdf-tests repository, encoded here request by request (method, the absolutePath's query
string as written, content type, body) with the manifest's expectation (status class, result
format, ASK answer). Their data files (data1-3.nt) are not copied: no test needs them here.

How each applies to this endpoint (read-only, one fixed dataset, no dereferencing):

- 15 apply as written and must pass as written.
- 6 apply, but carry an incidental ``default-graph-uri=…/data0.rdf`` (query_get, query_post_form,
  query_content_type_*). This endpoint refuses a protocol dataset (400: the dataset is fixed), as
  SPARQL 1.1 Query section 13.2 allows ("a query service may refuse a query request if the
  dataset description is not acceptable to the service"). They are run twice: as written, where
  the refusal is the tested outcome, and without that parameter, where the W3C outcome must hold.
- 6 are not applicable: the dataset tests (query_dataset_*, query_multiple_dataset) need the
  suite's data loaded into named graphs and a dataset chosen per request. Here the right answer
  is a refusal that says why, and that is tested.
- 7 are not applicable: the update tests (update_*) expect 2xx, and this endpoint is read-only.
  The right answer is a 4xx refusal, and the manifest's follow-up ASK (which would be true after
  the update) must answer false: nothing changed. tests/test_http_readonly.py checks the whole
  data by count and checksum.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from api.graph import BASE

KASEI = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
DATA0 = f"default-graph-uri={KASEI}data0.rdf"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@dataclass(frozen=True)
class Step:
    """One ht:Request of a test and its expected ht:Response."""

    method: str
    query_string: str = ""  # as written in the absolutePath after '/sparql/?'
    body: bytes | None = None
    content_type: str | None = None
    status: str = "2xx"  # 2xx (the manifest's "2xx or 3xx") or 4xx
    format: str | None = None  # boolean, tabular or RDF
    boolean: bool | None = None


@dataclass(frozen=True)
class Case:
    name: str
    steps: tuple[Step, ...]
    applies: str  # "as written", "incidental dataset", "dataset", "update"


def _u(text: str) -> bytes:
    return text.encode("utf-8")


KASEI_ASK_BOTH = (
    "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
    "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }"
)
KASEI_ASK_NAMED = (
    "ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
    "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }"
)
# The update_dataset_* requests, abridged to one INSERT DATA graph (the body is never run: any
# update is refused before it is read), and their follow-up ASK to the triple it would have made.
UPDATE_DATASET = """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
{clear} ;
INSERT DATA {{
    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> {{ <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document }}
}} ;
INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource }} }}
WHERE {{ {where} }}"""
FOLLOW_UP = """ASK {{
    GRAPH <{target}> {{
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://purl.org/dc/terms/BibliographicResource>
    }}
}}"""


def _update_case(name: str, query_string: str, clear: str, target: str, where: str) -> Case:
    return Case(
        name,
        (
            Step(
                "POST",
                query_string,
                _u(UPDATE_DATASET.format(clear=clear, target=target, where=where)),
                UPDATE,
            ),
            Step("POST", "", _u(FOLLOW_UP.format(target=target)), QUERY, format="boolean", boolean=True),
        ),
        "update",
    )


CASES = (
    Case(
        "query_post_form",
        (Step("POST", DATA0, b"query=ASK%20%7B%7D", FORM, format="boolean", boolean=True),),
        "incidental dataset",
    ),
    Case(
        "query_dataset_default_graphs_get",
        (
            Step(
                "GET",
                f"query={quote(KASEI_ASK_BOTH, safe='')}&default-graph-uri={KASEI}data1.rdf&default-graph-uri={KASEI}data2.rdf",
                format="boolean",
                boolean=True,
            ),
        ),
        "dataset",
    ),
    Case(
        "query_dataset_default_graphs_post",
        (
            Step(
                "POST",
                f"default-graph-uri={KASEI}data1.rdf&default-graph-uri={KASEI}data2.rdf",
                _u(KASEI_ASK_BOTH),
                QUERY,
                format="boolean",
                boolean=True,
            ),
        ),
        "dataset",
    ),
    Case(
        "query_dataset_named_graphs_post",
        (
            Step(
                "POST",
                f"named-graph-uri={KASEI}data1.rdf&named-graph-uri={KASEI}data2.rdf",
                _u(KASEI_ASK_NAMED),
                QUERY,
                format="boolean",
                boolean=True,
            ),
        ),
        "dataset",
    ),
    Case(
        "query_dataset_named_graphs_get",
        (
            Step(
                "GET",
                f"query={quote(KASEI_ASK_NAMED, safe='')}&named-graph-uri={KASEI}data1.rdf&named-graph-uri={KASEI}data2.rdf",
                format="boolean",
                boolean=True,
            ),
        ),
        "dataset",
    ),
    Case(
        "query_dataset_full",
        (
            Step(
                "POST",
                f"default-graph-uri={KASEI}data3.rdf&named-graph-uri={KASEI}data1.rdf&named-graph-uri={KASEI}data2.rdf",
                _u(
                    "ASK {\n  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type\n"
                    "  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }\n"
                    "  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }\n}"
                ),
                QUERY,
                format="boolean",
                boolean=True,
            ),
        ),
        "dataset",
    ),
    Case(
        "query_multiple_dataset",
        (
            Step(
                "POST",
                f"named-graph-uri={KASEI}data1.rdf&named-graph-uri={KASEI}data2.rdf",
                _u(
                    "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> "
                    "{ GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
                    "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }"
                ),
                QUERY,
                format="boolean",
                boolean=True,
            ),
        ),
        "dataset",
    ),
    Case(
        "query_get",
        (Step("GET", f"query=ASK%20%7B%7D&{DATA0}", format="boolean", boolean=True),),
        "incidental dataset",
    ),
    Case(
        "query_content_type_select",
        (Step("POST", DATA0, b"SELECT (1 AS ?value) {}", QUERY, format="tabular"),),
        "incidental dataset",
    ),
    Case(
        "query_content_type_ask",
        (Step("POST", DATA0, b"ASK {}", QUERY, format="boolean"),),
        "incidental dataset",
    ),
    Case(
        "query_content_type_describe",
        (Step("POST", DATA0, b"DESCRIBE <http://example.org/>", QUERY, format="RDF"),),
        "incidental dataset",
    ),
    Case(
        "query_content_type_construct",
        (Step("POST", DATA0, b"CONSTRUCT { <s> <p> 1 } WHERE {}", QUERY, format="RDF"),),
        "incidental dataset",
    ),
    _update_case(
        "update_dataset_default_graph",
        f"using-graph-uri={KASEI}data1.rdf",
        "CLEAR ALL",
        "http://example.org/protocol-update-dataset-test/",
        "?s a foaf:Document",
    ),
    _update_case(
        "update_dataset_default_graphs",
        f"using-graph-uri={KASEI}data1.rdf&using-graph-uri={KASEI}data2.rdf",
        "DROP ALL",
        "http://example.org/protocol-update-dataset-graphs-test/",
        "?s a foaf:Document",
    ),
    _update_case(
        "update_dataset_named_graphs",
        f"using-named-graph-uri={KASEI}data1.rdf&using-named-graph-uri={KASEI}data2.rdf",
        "DROP ALL",
        "http://example.org/protocol-update-dataset-named-graphs-test/",
        "GRAPH ?g { ?s a foaf:Document }",
    ),
    _update_case(
        "update_dataset_full",
        f"using-graph-uri={KASEI}data1.rdf&using-named-graph-uri={KASEI}data2.rdf",
        "DROP ALL",
        "http://example.org/protocol-update-dataset-full-test/",
        "{ GRAPH ?g { ?s a foaf:Document } } UNION { ?s a foaf:Document }",
    ),
    Case("update_post_form", (Step("POST", "", b"update=CLEAR+ALL", FORM),), "update"),
    Case("update_post_direct", (Step("POST", "", b"CLEAR ALL", UPDATE),), "update"),
    Case(
        "update_base_uri",
        (
            Step(
                "POST",
                "",
                _u(
                    "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
                    "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> "
                    "<test> } }"
                ),
                UPDATE,
            ),
            Step(
                "POST",
                "",
                _u(
                    "ASK { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> "
                    '<http://example.org/p> ?o FILTER (isIRI(?o) && STR(?o) != "test") } }'
                ),
                QUERY,
                format="boolean",
                boolean=True,
            ),
        ),
        "update",
    ),
    Case(
        "query_post_direct",
        (Step("POST", "", b"ASK {}", QUERY, format="boolean", boolean=True),),
        "as written",
    ),
    Case(
        "bad_query_method",
        (Step("PUT", f"query=ASK%20%7B%7D&{DATA0}", content_type=FORM, status="4xx"),),
        "as written",
    ),
    Case(
        "bad_multiple_queries",
        (Step("GET", "query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", status="4xx"),),
        "as written",
    ),
    Case(
        "bad_query_wrong_media_type", (Step("POST", "", b"ASK {}", "text/plain", status="4xx"),), "as written"
    ),
    Case(
        "bad_query_missing_form_type", (Step("POST", "", b"query=ASK%20%7B%7D", status="4xx"),), "as written"
    ),
    Case("bad_query_missing_direct_type", (Step("POST", "", b"ASK {}", status="4xx"),), "as written"),
    Case(
        "bad_query_non_utf8",
        (Step("POST", "", "ASK {}".encode("utf-16"), QUERY + "; charset=UTF-16", status="4xx"),),
        "as written",
    ),
    Case("bad_query_syntax", (Step("GET", "query=ASK%20%7B", status="4xx"),), "as written"),
    Case("bad_update_get", (Step("GET", "update=CLEAR%20ALL", status="4xx"),), "as written"),
    Case(
        "bad_multiple_updates",
        (Step("POST", "", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM, status="4xx"),),
        "as written",
    ),
    Case(
        "bad_update_wrong_media_type",
        (Step("POST", "", b"CLEAR NAMED", "text/plain", status="4xx"),),
        "as written",
    ),
    Case(
        "bad_update_missing_form_type",
        (Step("POST", "", b"update=CLEAR%20NAMED", status="4xx"),),
        "as written",
    ),
    Case(
        "bad_update_non_utf8",
        (Step("POST", "", "CLEAR NAMED".encode("utf-16"), UPDATE + "; charset=UTF-16", status="4xx"),),
        "as written",
    ),
    Case("bad_update_syntax", (Step("POST", "", b"update=CLEAR%20XYZ", FORM, status="4xx"),), "as written"),
    Case(
        "bad_update_dataset_conflict",
        (
            Step(
                "POST",
                "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
                _u(
                    "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
                    "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
                    "WHERE {\n    ?person foaf:givenName 'Bill'\n}"
                ),
                UPDATE,
                status="4xx",
            ),
        ),
        "as written",
    ),
)
BY_KIND = {
    kind: [c for c in CASES if c.applies == kind]
    for kind in ("as written", "incidental dataset", "dataset", "update")
}

# Exact answers where the manifest checks only the format (the whole answer is deterministic).
EXACT = {
    "query_content_type_select": [{"value": {"type": "literal", "value": "1", "datatype": str(XSD.integer)}}],
    "query_content_type_describe": set(),
    "query_content_type_construct": {(URIRef(BASE + "s"), URIRef(BASE + "p"), Literal(1))},
}


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as c:
        yield c


def send(client: httpx.Client, step: Step, query_string: str | None = None) -> httpx.Response:
    qs = step.query_string if query_string is None else query_string
    headers = {"content-type": step.content_type} if step.content_type else {}
    return client.request(
        step.method, "/sparql" + (f"?{qs}" if qs else ""), content=step.body, headers=headers
    )


def read_result(response: httpx.Response, fmt: str):
    """The answer in the expected format: (bool) for boolean, bindings for tabular, triples for RDF."""
    media_type = response.headers["content-type"].split(";")[0]
    if fmt == "boolean":
        if media_type == "application/sparql-results+json":
            return response.json()["boolean"]
        assert media_type == "application/sparql-results+xml", media_type
        return ET.fromstring(response.content).find(f"{RESULTS_NS}boolean").text == "true"
    if fmt == "tabular":
        assert media_type in (
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        ), media_type
        if media_type == "application/sparql-results+json":
            return response.json()["results"]["bindings"]
        if media_type == "text/csv":
            return list(csv.DictReader(io.StringIO(response.text)))
        return response.content
    assert fmt == "RDF"
    rdf_formats = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}
    assert media_type in rdf_formats, media_type
    return set(Graph().parse(data=response.content, format=rdf_formats[media_type]))


def check(step: Step, response: httpx.Response, name: str) -> None:
    if step.status == "4xx":
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:200])
        return
    assert 200 <= response.status_code < 400, (name, response.status_code, response.text[:300])
    if step.format:
        answer = read_result(response, step.format)
        if step.boolean is not None:
            assert answer is step.boolean
        if name in EXACT:
            assert answer == EXACT[name]


@pytest.mark.parametrize("case", BY_KIND["as written"], ids=lambda c: c.name)
def test_applies_as_written(client, case):
    for step in case.steps:
        check(step, send(client, step), case.name)


@pytest.mark.parametrize("case", BY_KIND["incidental dataset"], ids=lambda c: c.name)
def test_applies_without_its_incidental_dataset(client, case):
    (step,) = case.steps
    without = "&".join(p for p in step.query_string.split("&") if not p.startswith("default-graph-uri="))
    check(step, send(client, step, without), case.name)


@pytest.mark.parametrize("case", BY_KIND["incidental dataset"] + BY_KIND["dataset"], ids=lambda c: c.name)
def test_a_protocol_dataset_is_refused_saying_why(client, case):
    (step,) = case.steps
    response = send(client, step)
    assert response.status_code == 400
    message = response.json()["message"]
    assert "dataset is fixed" in message
    assert ("default-graph-uri" in message) or ("FROM" in message)


@pytest.mark.parametrize("case", BY_KIND["update"], ids=lambda c: c.name)
def test_updates_are_refused_and_change_nothing(client, case):
    update, *follow_ups = case.steps
    response = send(client, update)
    assert 400 <= response.status_code < 500, response.text
    assert "read-only" in response.json()["message"]
    for step in follow_ups:  # the manifest's check that the update happened: here it must not have
        answer = send(client, step)
        assert answer.status_code == 200
        assert read_result(answer, "boolean") is False


def test_every_manifest_entry_is_encoded_once():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)) == 34
    assert {k: len(v) for k, v in BY_KIND.items()} == {
        "as written": 15,
        "incidental dataset": 6,
        "dataset": 6,
        "update": 7,
    }


def test_results_in_both_standard_formats(client):
    """The protocol's SELECT/ASK answers in XML too, when asked for (query_content_type_*)."""
    response = client.post(
        "/sparql",
        content=b"ASK {}",
        headers={"content-type": QUERY, "accept": "application/sparql-results+xml"},
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    assert read_result(response, "boolean") is True
    response = client.post(
        "/sparql", content=b"SELECT (1 AS ?value) {}", headers={"content-type": QUERY, "accept": "text/csv"}
    )
    assert read_result(response, "tabular") == [{"value": "1"}]
