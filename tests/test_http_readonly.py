"""Read-only: every SPARQL Update operation, sent every way the protocol allows, gets a 4xx,
and the data served afterwards is the data shipped (same triple count, same checksum).

The checksum is the SHA-256 of the sorted N-Triples lines of the whole graph with blank-node
labels blanked (each worker loads its own copy, so labels differ between workers), computed
from the server's own answer before and after, and from the shipped files loaded in process.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from urllib.parse import quote

import httpx
import pytest

from api.store import open_store

TARGET = "https://w3id.org/epkg/minister-goal/2017/4"
UPDATES = {
    "insert-data": f'INSERT DATA {{ <{TARGET}> <http://example.org/p> "x" }}',
    "delete-data": f"DELETE DATA {{ <{TARGET}> a <https://w3id.org/epkg/ontology#MinisterGoal> }}",
    "delete-where": "DELETE WHERE { ?s ?p ?o }",
    "delete-insert": "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "with-delete": "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "load": "LOAD <file:///etc/passwd>",
    "clear-all": "CLEAR ALL",
    "clear-default": "CLEAR DEFAULT",
    "drop-all": "DROP ALL",
    "drop-silent-graph": "DROP SILENT GRAPH <urn:g>",
    "create-graph": "CREATE GRAPH <urn:g>",
    "add": "ADD DEFAULT TO <urn:g>",
    "move": "MOVE DEFAULT TO <urn:g>",
    "copy": "COPY DEFAULT TO <urn:g>",
    "prologue-then-update": "PREFIX ex: <http://example.org/> BASE <http://example.org/> CLEAR ALL",
    "lower-case": "clear all",
    "escaped": "\\u0043LEAR ALL",
    "two-operations": "CLEAR DEFAULT ; DROP ALL",
}
WAYS = ("GET update=", "GET query=", "form update=", "form query=", "direct update", "direct query")
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
BLANK = re.compile(r"_:[A-Za-z0-9]+")


def request(way: str, text: str) -> dict:
    kind, field = way.split(" ")
    field = field.rstrip("=")
    if kind == "GET":
        return {"method": "GET", "url": f"/sparql?{field}={quote(text)}"}
    if kind == "form":
        return {
            "method": "POST",
            "url": "/sparql",
            "content": f"{field}={quote(text)}".encode(),
            "headers": {"content-type": "application/x-www-form-urlencoded"},
        }
    media_type = "application/sparql-update" if field == "update" else "application/sparql-query"
    return {
        "method": "POST",
        "url": "/sparql",
        "content": text.encode(),
        "headers": {"content-type": media_type},
    }


def checksum(ntriples: bytes) -> str:
    lines = sorted(BLANK.sub("_:b", line) for line in ntriples.decode("utf-8").splitlines() if line.strip())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def served(client: httpx.Client) -> tuple[int, str]:
    """The server's triple count and checksum, past its answer cache (a fresh comment each time)."""
    nonce = f"\n# {uuid.uuid4()}"
    count = client.get("/sparql", params={"query": COUNT + nonce})
    assert count.status_code == 200 and count.headers["x-cache"] == "miss"
    everything = client.get("/sparql", params={"query": EVERYTHING + nonce, "format": "nt"})
    assert everything.status_code == 200 and everything.headers["x-cache"] == "miss"
    return int(count.json()["results"]["bindings"][0]["n"]["value"]), checksum(everything.content)


@pytest.fixture(scope="module")
def shipped(project) -> tuple[int, str]:
    store = open_store("oxigraph", project)
    n = len(store.select(EVERYTHING.replace("CONSTRUCT { ?s ?p ?o }", "SELECT *")).rows)
    return n, checksum(store.execute(EVERYTHING, "application/n-triples"))


def test_every_update_every_way_is_refused_and_nothing_changes(live_server, shipped):
    with httpx.Client(base_url=live_server, timeout=30) as client:
        before = served(client)
        assert before == shipped
        statuses = {}
        for name, text in UPDATES.items():
            for way in WAYS:
                response = client.request(**request(way, text))
                statuses[(name, way)] = response.status_code
                assert 400 <= response.status_code < 500, (
                    name,
                    way,
                    response.status_code,
                    response.text[:200],
                )
                message = response.json()["message"]
                assert ("read-only" in message) or ("update" in message), (name, way, message)
        after = served(client)
    assert len(statuses) == len(UPDATES) * len(WAYS)
    assert after == before == shipped


def test_the_checksum_sees_a_change(project, shipped):
    """The check can fail: one triple more in a store changes both the count and the checksum."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in project.content_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.update(f'INSERT DATA {{ <{TARGET}> <http://example.org/p> "x" }}')
    changed = store.query(EVERYTHING).serialize(format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == shipped[0] + 1
    assert checksum(changed) != shipped[1]
