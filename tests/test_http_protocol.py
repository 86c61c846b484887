"""The W3C SPARQL 1.1 Protocol's update tests against /sparql, each with its expected outcome.

The 34 entries of ``sparql/sparql11/protocol/manifest.ttl`` in the public w3c/rdf-tests
repository: the 20 query operations (``query_*``, ``bad_query_*``, ``bad_multiple_queries``)
are tests/test_w3c_protocol.py, run as written. The 14 update operations are here, encoded
request by request (method, the absolutePath's query string as written, content type, body)
with the manifest's expectation (status class, result format, ASK answer):

- 7 apply as written (``bad_update_*``, ``bad_multiple_updates``): a 4xx.
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

import httpx
import pytest
from rdflib import Graph

KASEI = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
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
    applies: str  # "as written", "update"


def _u(text: str) -> bytes:
    return text.encode("utf-8")


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
    for kind in ("as written", "update")
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


@pytest.mark.parametrize("case", BY_KIND["as written"], ids=lambda c: c.name)
def test_applies_as_written(client, case):
    for step in case.steps:
        check(step, send(client, step), case.name)


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
    """The 14 update entries here and the 20 query entries in tests/test_w3c_protocol.py: all 34."""
    from . import test_w3c_protocol

    names = [c.name for c in CASES]
    assert len(names) == len(set(names)) == 14
    assert {k: len(v) for k, v in BY_KIND.items()} == {"as written": 7, "update": 7}
    queries = [n.removeprefix("test_") for n in dir(test_w3c_protocol) if n.startswith("test_")]
    assert len(queries) == 20
    assert not set(names) & set(queries)
    assert all(n.startswith(("update_", "bad_update", "bad_multiple_updates")) for n in names)
    assert all(n.startswith(("query_", "bad_query", "bad_multiple_queries")) for n in queries)


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
