"""Named graphs and the dataset clauses: the embedded stores hold the graphs `epkg load` gives a
remote store (publish.py: one per plan file, one per other data folder, ontology, reference),
their union is the default graph, and FROM, FROM NAMED, ``default-graph-uri`` and
``named-graph-uri`` choose among them. An unknown graph is an empty one and nothing is fetched:
the canary (tests/canary.py) counts the connections, here in this very process, where no
network lock stands between the engines and the network.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
import pytest
import rdflib.plugins.sparql

from api.publish import GRAPH_BASE, graph_counts, load, named_graphs
from api.store import ProtocolDataset, open_store

from .canary import canary_url, variants
from .servers import epkg_server, oxigraph_process, virtuoso_process

JSON = "application/sparql-results+json"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
PLAN_A = GRAPH_BASE + "slagelse-2017"
PLAN_B = GRAPH_BASE + "hedensted-2017"


@pytest.fixture(scope="module")
def expected(project) -> dict[str, int]:
    """Graph IRI -> triples, as `epkg load` sends them."""
    return {named.iri: len(named.graph) for named in named_graphs(project)}


@pytest.fixture(scope="module")
def embedded(project):
    return {"oxigraph": open_store("oxigraph", project), "rdflib": open_store("rdflib", project)}


def rows(store, query: str, dataset: ProtocolDataset | None = None) -> list[dict[str, str]]:
    body = json.loads(store.execute(query, JSON, dataset))
    return [{k: v["value"] for k, v in b.items()} for b in body["results"]["bindings"]]


def count(store, query: str = COUNT, dataset: ProtocolDataset | None = None) -> int:
    return int(rows(store, query, dataset)[0]["n"])


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_the_embedded_store_holds_the_graphs_epkg_load_sends(backend, embedded, expected, project):
    store = embedded[backend]
    counts = {str(r["graph"]): int(r["triples"]) for r in store.select(project.service_query("graph-counts")).records()}
    assert counts == expected
    assert len(expected) == 8 and {PLAN_A, PLAN_B, GRAPH_BASE + "ontology", GRAPH_BASE + "reference"} <= set(expected)
    # The default graph is their union: every triple once.
    assert count(store) == sum(expected.values())
    assert [r["g"] for r in rows(store, GRAPHS)] == sorted(expected)


def test_a_remote_store_loaded_by_epkg_load_holds_the_same_graphs(project, embedded):
    with oxigraph_process(None, union_default_graph=True) as server:
        load(project, server.query_endpoint, server.graph_store, check=False)
        remote = graph_counts(server.query_endpoint, project=project)
    query = project.service_query("graph-counts")
    assert remote == {str(r["graph"]): int(r["triples"]) for r in embedded["oxigraph"].select(query).records()}


def test_a_triple_in_two_graphs_stays_in_the_first_only(tmp_path):
    """As `epkg load` does: a ground triple stated in files of two graphs is loaded into the first
    graph that has it; blank nodes are each file's own."""
    from api.store import OxigraphStore

    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text("<urn:s> <urn:p> <urn:o> , <urn:only-a> . <urn:s> <urn:q> [ <urn:r> 1 ] .")
    second.write_text("<urn:s> <urn:p> <urn:o> , <urn:only-b> . <urn:s> <urn:q> [ <urn:r> 1 ] .")
    store = OxigraphStore(graphs=[("urn:g:a", [first]), ("urn:g:b", [second])])
    table = store.select("SELECT ?g ?o WHERE { GRAPH ?g { <urn:s> <urn:p> ?o } } ORDER BY ?g ?o")
    assert [(str(g), str(o)) for g, o in table.rows] == [
        ("urn:g:a", "urn:o"),
        ("urn:g:a", "urn:only-a"),
        ("urn:g:b", "urn:only-b"),
    ]
    counts = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    assert [(str(g), int(n)) for g, n in counts.rows] == [("urn:g:a", 4), ("urn:g:b", 3)]
    assert int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]) == 7


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_from_and_the_protocol_dataset_choose_among_our_graphs(backend, embedded, expected):
    store = embedded[backend]
    assert count(store, f"SELECT (COUNT(*) AS ?n) FROM <{PLAN_A}> WHERE {{ ?s ?p ?o }}") == expected[PLAN_A]
    both = f"SELECT (COUNT(*) AS ?n) FROM <{PLAN_A}> FROM <{PLAN_B}> WHERE {{ ?s ?p ?o }}"
    assert count(store, both) == expected[PLAN_A] + expected[PLAN_B]
    named = f"SELECT DISTINCT ?g FROM NAMED <{PLAN_A}> FROM NAMED <{PLAN_B}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} ORDER BY ?g"
    assert rows(store, named) == [{"g": PLAN_B}, {"g": PLAN_A}]
    # FROM NAMED alone: the default graph is empty.
    assert count(store, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{PLAN_A}> WHERE {{ ?s ?p ?o }}") == 0
    # An unknown graph is an empty one.
    assert count(store, "SELECT (COUNT(*) AS ?n) FROM <https://example.org/nothing> WHERE { ?s ?p ?o }") == 0
    # The protocol's dataset replaces the query's own, whole.
    assert count(store, dataset=ProtocolDataset(default=(PLAN_B,))) == expected[PLAN_B]
    from_a = f"SELECT (COUNT(*) AS ?n) FROM <{PLAN_A}> WHERE {{ ?s ?p ?o }}"
    assert count(store, from_a, ProtocolDataset(default=(PLAN_B,))) == expected[PLAN_B]
    assert count(store, from_a, ProtocolDataset(named=(PLAN_A,))) == 0
    assert rows(store, GRAPHS, ProtocolDataset(named=(PLAN_A,))) == [{"g": PLAN_A}]
    assert rows(store, GRAPHS, ProtocolDataset(default=(PLAN_A,))) == []


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_no_engine_fetches_a_dataset_iri(backend, embedded, canary):
    """In this process (no network lock): FROM, FROM NAMED and the protocol's dataset naming the
    canary give empty answers and make no connection."""
    store = embedded[backend]
    url = canary_url(canary)
    before = canary.connections
    for name, text in variants(url).items():
        if "from" not in name:
            continue
        media_type = "text/turtle" if text.startswith("CONSTRUCT") else JSON
        body = store.execute(text, media_type)
        if media_type == JSON:
            answer = json.loads(body)
            assert answer.get("boolean") is False or answer["results"]["bindings"] == [], (name, answer)
        else:
            assert body.strip() == b"", name
    for dataset in (
        ProtocolDataset(default=(f"{url}/data.ttl",)),
        ProtocolDataset(named=(f"{url}/data.ttl",)),
        ProtocolDataset(default=("file:///etc/passwd",), named=("file:///etc/hostname",)),
    ):
        assert count(store, dataset=dataset) == 0
        assert rows(store, GRAPHS, dataset) == []
    assert canary.connections == before, f"{canary.connections - before} connections reached the canary"


def test_rdflib_would_fetch_a_from_iri_without_the_switch(embedded, canary, monkeypatch):
    """Why store.py turns rdflib's SPARQL_LOAD_GRAPHS off: on, its engine fetches the FROM IRI."""
    url = canary_url(canary)
    before = canary.connections
    monkeypatch.setattr(rdflib.plugins.sparql, "SPARQL_LOAD_GRAPHS", True)
    with pytest.raises(Exception):  # noqa: B017 - whatever rdflib makes of the canary's answer
        embedded["rdflib"].execute(f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}", JSON)
    assert canary.connections > before


def test_graph_variable_finds_the_named_graphs_over_http(client, expected):
    response = client.get("/sparql", params={"query": GRAPHS})
    assert response.status_code == 200
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == sorted(expected)


# --- remote stores ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def remote_services(project, tmp_path_factory):
    """epkg serve on an Oxigraph server and on Virtuoso, both loaded by `epkg load`'s code."""
    with (
        oxigraph_process(None, union_default_graph=True) as oxigraph,
        virtuoso_process(tmp_path_factory.mktemp("virtuoso-graphs")) as virtuoso,
    ):
        load(project, oxigraph.query_endpoint, oxigraph.graph_store, check=False)
        load(project, virtuoso.query_endpoint, virtuoso.graph_store, user="dba", password="dba", check=False)
        with (
            epkg_server(tmp_path_factory.mktemp("serve-ox"), "--endpoint", oxigraph.query_endpoint) as on_ox,
            epkg_server(tmp_path_factory.mktemp("serve-virt"), "--endpoint", virtuoso.query_endpoint) as on_virt,
        ):
            yield {"oxigraph": on_ox, "virtuoso": on_virt}


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_a_remote_store_takes_the_dataset_and_fetches_nothing(server, remote_services, expected, canary):
    """The protocol's dataset and FROM pass through to the server (neither Oxigraph server nor
    Virtuoso, as docs/deploy.md sets it up, fetches a graph); answers as embedded, no connection."""
    base = remote_services[server]
    url = canary_url(canary)
    before = canary.connections

    def ask(query: str, **dataset: str) -> list[dict]:
        response = httpx.get(f"{base}/sparql?" + urlencode({"query": query, **dataset}), timeout=60)
        assert response.status_code == 200, response.text
        return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]

    assert ask(COUNT, **{"default-graph-uri": PLAN_A}) == [{"n": str(expected[PLAN_A])}]
    assert ask(f"SELECT (COUNT(*) AS ?n) FROM <{PLAN_B}> WHERE {{ ?s ?p ?o }}") == [{"n": str(expected[PLAN_B])}]
    assert ask(GRAPHS, **{"named-graph-uri": PLAN_A}) == [{"g": PLAN_A}]
    assert ask(COUNT, **{"default-graph-uri": f"{url}/data.ttl"}) == [{"n": "0"}]
    assert ask(GRAPHS, **{"named-graph-uri": f"{url}/data.ttl"}) == []
    assert ask(f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}") == []
    assert ask(f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == []
    # A Virtuoso pragma that would fetch (given the sponge role) is refused before it leaves.
    pragma = httpx.get(
        f"{base}/sparql", params={"query": f'define get:soft "soft" SELECT * FROM <{url}/d> {{ ?s ?p ?o }}'}
    )
    assert pragma.status_code == 400 and "DEFINE" in pragma.json()["message"]
    assert canary.connections == before, f"{canary.connections - before} connections reached the canary"
