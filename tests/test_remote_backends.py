"""The graph in real SPARQL servers: `epkg load` into Oxigraph server and Virtuoso, one named
graph per source document, and the whole catalogue answering the same as the embedded store.

Both servers are started here on 127.0.0.1 (tests/servers.py) and loaded by epkg's own
loader; queries run without GRAPH or FROM, on the union of the named graphs (Oxigraph:
``--union-default-graph``; Virtuoso: its default).
"""

from __future__ import annotations

import collections
import re
import shutil

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from api.catalogue import load_catalogue
from api.cli import main
from api.graph import load_graph
from api.publish import (
    GRAPH_BASE,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    DataViolations,
    GraphStore,
    LoginRefused,
    graph_counts,
    load,
)
from api.store import RESULT_MEDIA_TYPES, open_store

from .conftest import REPO
from .servers import oxigraph_process, virtuoso_process
from .sweep import parameter_sets

QUESTIONS = sorted(load_catalogue(REPO / "queries"))

# Virtuoso 7.2.5 (Debian's virtuoso-opensource, 07.20.3229) loses rows when a property path is
# joined with both of its ends bound (`?m a/rdfs:subClassOf* epkg:Measure` once the goal is
# selected; upstream issues #704, #759, #762 of openlink/virtuoso-opensource), and orders blank
# nodes differently. The questions are written so that no store meets those cases (queries/README.md),
# and these tests hold every question to it, for every value of every parameter (tests/sweep.py).


EMPTY_ON_SHIPPED_DATA = {"plan-goal-gaps"}


def expected_graphs(project) -> set[str]:
    """ontology, reference, one graph per plan file, one per other folder of data/ (e.g. catalogue)."""
    data = project.home / "data"
    plans = {GRAPH_BASE + p.stem for p in (data / "plans").glob("*.ttl")}
    folders = {
        GRAPH_BASE + d.name
        for d in data.iterdir()
        if d.is_dir() and d.name not in ("plans", "sources") and any(d.rglob("*.ttl"))
    }
    return {ONTOLOGY_GRAPH, REFERENCE_GRAPH} | plans | folders


@pytest.fixture(scope="module")
def oxigraph_named(project):
    """An Oxigraph server whose default graph is the union of its graphs, loaded by epkg
    (validation is left to the CLI tests below: it is the same data)."""
    with oxigraph_process(None, union_default_graph=True) as server:
        report = load(project, server.query_endpoint, server.graph_store, check=False)
        yield server, report


@pytest.fixture(scope="module")
def virtuoso_named(project, tmp_path_factory):
    with virtuoso_process(tmp_path_factory.mktemp("virtuoso")) as server:
        report = load(
            project,
            server.query_endpoint,
            server.graph_store,
            user=server.user,
            password=server.password,
            check=False,
        )
        yield server, report


@pytest.fixture(scope="module")
def backends(project, catalogue, oxigraph_named, virtuoso_named):
    return {
        "embedded": open_store("oxigraph", project),
        "oxigraph-server": open_store("remote", endpoint=oxigraph_named[0].query_endpoint),
        "virtuoso": open_store("remote", endpoint=virtuoso_named[0].query_endpoint),
    }


def rows(table) -> list[str]:
    """The rows as sorted text, blank nodes as one placeholder (their labels are each store's own)."""
    return sorted(
        repr(tuple("_:" if isinstance(term, BNode) else term for term in row)) for row in table.rows
    )


# --- the catalogue ----------------------------------------------------------------------


@pytest.mark.parametrize("name", QUESTIONS)
def test_every_question_gives_the_same_rows_embedded_and_on_both_servers(name, catalogue, backends):
    """For the example and for every value of every parameter: the same variables and the same
    rows, each with its multiplicity, from the embedded store, the Oxigraph server and Virtuoso."""
    question = catalogue[name]
    sets = parameter_sets(question, backends["embedded"])
    found_rows = 0
    differ = {}
    for params in sets:
        query = question.render(question.bind(params))
        reference = backends["embedded"].select(query)
        found_rows += len(reference.rows)
        expected = (reference.variables, rows(reference))
        for server in ("oxigraph-server", "virtuoso"):
            answer = backends[server].select(query)
            if (answer.variables, rows(answer)) != expected:
                differ.setdefault(server, []).append(
                    f"{params}: {len(answer.rows)} rows, not {len(reference.rows)}"
                )
    # plan-goal-gaps: every shipped plan answers every goal of its years (tests/test_views_agree.py),
    # so its answers are empty here and the stores are compared on empty answers.
    assert found_rows or name in EMPTY_ON_SHIPPED_DATA, f"{name}: no parameter set finds anything, so nothing is compared"
    assert differ == {}, f"{name}: {len(sets)} parameter sets, these differ"


def test_the_sweep_asks_each_parameter_with_every_value_the_graph_has(catalogue, backends):
    sets = parameter_sets(catalogue["measures-serving-goal"], backends["embedded"])
    assert {s["year"] for s in sets} >= {"2017", "2019"}
    assert {s["number"] for s in sets} >= {str(n) for n in range(1, 8)}
    assert {s.get("municipality") for s in sets} >= {None, "330", "390", "540", "766"}
    assert {s.get("basis") for s in sets} == {None, "stated", "derived", "curated"}
    groups = {
        s["group"] for s in parameter_sets(catalogue["measures-for-target-group"], backends["embedded"])
    }
    assert {"sygedagpenge", "flygtninge-og-familiesammenforte", "unge-under-30"} <= groups


# --- execute(): the engines' answers in every format ---------------------------------------


@pytest.mark.parametrize("media_type", RESULT_MEDIA_TYPES["results"])
def test_a_select_answer_is_the_same_bytes_from_every_backend(media_type, catalogue, backends):
    question = catalogue["goal-lineage"]  # ordered by year: one order on every engine
    query = question.render(question.bind(question.example_params()))
    answers = {name: store.execute(query, media_type) for name, store in backends.items()}
    assert answers["oxigraph-server"] == answers["embedded"]
    assert answers["virtuoso"] == answers["embedded"]


@pytest.mark.parametrize("media_type", RESULT_MEDIA_TYPES["results"])
def test_ask_is_true_or_false_in_every_format_on_every_backend(media_type, backends):
    for pattern, truth in (
        ("<https://w3id.org/epkg/minister-goal/2017/4> ?p ?o", True),
        ("?s ?p 'nowhere'", False),
    ):
        query = f"ASK {{ {pattern} }}"
        answers = {name: store.execute(query, media_type) for name, store in backends.items()}
        assert len(set(answers.values())) == 1, answers
        assert (b"true" if truth else b"false") in answers["embedded"]


@pytest.mark.parametrize("media_type", RESULT_MEDIA_TYPES["graph"])
def test_a_construct_answer_is_the_same_graph_from_every_backend(media_type, backends):
    query = (
        "CONSTRUCT { ?goal ?p ?o } WHERE { ?goal a <https://w3id.org/epkg/ontology#MinisterGoal> ; ?p ?o }"
    )
    formats = {
        "text/turtle": "turtle",
        "application/ld+json": "json-ld",
        "application/n-triples": "nt",
        "application/rdf+xml": "xml",
    }
    graphs = {
        name: Graph().parse(data=store.execute(query, media_type), format=formats[media_type])
        for name, store in backends.items()
    }
    assert len(graphs["embedded"]) > 100
    assert isomorphic(graphs["oxigraph-server"], graphs["embedded"])
    assert isomorphic(graphs["virtuoso"], graphs["embedded"])


# --- epkg load --------------------------------------------------------------------------


def test_one_named_graph_per_source_document_plus_reference_and_ontology(
    project, oxigraph_named, virtuoso_named
):
    merged = len(load_graph(project))
    for server, report in (oxigraph_named, virtuoso_named):
        assert set(report.counts) == expected_graphs(project)
        assert report.counts == report.sent
        # The union of the graphs is the merged graph the embedded store holds: nothing twice.
        assert report.total == merged
        assert graph_counts(server.query_endpoint) == report.counts
        assert report.union_default_graph


def ground_quads(endpoint: str) -> collections.Counter:
    """Every quad of our graphs, blank nodes replaced by one placeholder (they are renamed by each load)."""
    store = open_store("remote", endpoint=endpoint)
    table = store.select(
        f'SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }}'
    )
    return collections.Counter(
        tuple("_:b" if isinstance(term, BNode) else repr(term) for term in row) for row in table.rows
    )


def test_loading_twice_leaves_the_same_data(project, oxigraph_named, virtuoso_named):
    server, first = oxigraph_named
    before = ground_quads(server.query_endpoint)
    again = load(project, server.query_endpoint, server.graph_store, check=False)
    assert again.counts == first.counts and again.removed == ()
    assert ground_quads(server.query_endpoint) == before
    server, first = virtuoso_named
    again = load(
        project,
        server.query_endpoint,
        server.graph_store,
        user=server.user,
        password=server.password,
        check=False,
    )
    assert again.counts == first.counts and again.removed == ()


def test_a_graph_the_project_no_longer_has_is_removed_and_others_are_left_alone(project, oxigraph_named):
    server, first = oxigraph_named
    store = GraphStore(server.graph_store)
    leftover = Graph().parse(
        data="<https://w3id.org/epkg/plan/gone> a <https://w3id.org/epkg/ontology#EmploymentPlan> ."
    )
    store.put(GRAPH_BASE + "gone-2015", leftover)
    store.put("urn:example:someone-else", leftover)
    report = load(project, server.query_endpoint, server.graph_store, check=False)
    assert report.removed == (GRAPH_BASE + "gone-2015",)
    assert report.counts == first.counts
    others = open_store("remote", endpoint=server.query_endpoint).select(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!STRSTARTS(STR(?g), 'https://w3id.org/epkg/')) }"
    )
    assert [str(row[0]) for row in others.rows] == ["urn:example:someone-else"]
    store.delete("urn:example:someone-else")


@pytest.fixture
def broken_project(project, tmp_path):
    """A copy of the project with one structural violation (an invalid example of tests/shapes)."""
    from api.graph import Project

    copy = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.home / folder, copy / folder)
    shutil.copy(REPO / "tests" / "shapes" / "GoalAnnouncement-goalYear.invalid.ttl", copy / "data" / "plans")
    return Project(home=copy)


def test_data_with_violations_is_refused_and_nothing_is_sent(broken_project):
    with oxigraph_process(None, union_default_graph=True) as server:
        with pytest.raises(DataViolations, match=r"SHACL violations and was not loaded"):
            load(broken_project, server.query_endpoint, server.graph_store)
        assert graph_counts(server.query_endpoint) == {}


def test_epkg_load_refuses_data_with_violations(broken_project, monkeypatch, capsys):
    monkeypatch.setenv("EPKG_HOME", str(broken_project.home))
    with oxigraph_process(None, union_default_graph=True) as server:
        assert main(["load", "--endpoint", server.query_endpoint, "--graph-store", server.graph_store]) == 1
        assert graph_counts(server.query_endpoint) == {}
    err = capsys.readouterr().err
    assert "epkg load: the data has violations or broken quotes and was not loaded" in err
    assert re.search(r"triples; [1-9][0-9]* violations, 0 quotes not found, 0 changed source files", err), err


def test_a_store_without_union_default_graph_is_loaded_but_flagged(project, capsys):
    with oxigraph_process(None) as server:
        code = main(["load", "--endpoint", server.query_endpoint, "--graph-store", server.graph_store])
        assert code == 0
        assert graph_counts(server.query_endpoint) != {}
    err = capsys.readouterr().err
    assert "warning: a query without GRAPH does not see the data" in err
    assert "--union-default-graph" in err


def test_epkg_load_prints_progress_and_a_summary_of_triples_per_graph(
    project, virtuoso_named, capsys, monkeypatch
):
    server, report = virtuoso_named
    monkeypatch.setenv("EPKG_LOAD_PASSWORD", server.password)
    argv = ["load", "--endpoint", server.query_endpoint, "--graph-store", server.graph_store, "--user", "dba"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    table = {line.split()[0]: int(line.split()[1]) for line in captured.out.splitlines()}
    assert table == {**report.counts, "total": report.total}
    assert "checking ontology and data (SHACL shapes, quotes)" in captured.err
    assert f"[1/{len(report.counts)}] {ONTOLOGY_GRAPH}" in captured.err
    assert f"loaded {len(report.counts)} graphs, {report.total} triples" in captured.err
    assert "warning" not in captured.err


def test_epkg_load_explains_a_refused_login_and_an_absent_store(virtuoso_named, capsys, monkeypatch):
    server, _ = virtuoso_named
    argv = ["load", "--endpoint", server.query_endpoint, "--graph-store", server.graph_store, "--user", "dba"]
    monkeypatch.delenv("EPKG_LOAD_PASSWORD", raising=False)
    assert main(argv) == 2
    assert "needs the password in EPKG_LOAD_PASSWORD" in capsys.readouterr().err
    monkeypatch.setenv("EPKG_LOAD_PASSWORD", "not-the-password")
    assert main(argv) == LoginRefused.exit_code == 2
    assert "refused the PUT (401" in capsys.readouterr().err
    from .servers import free_port

    absent = f"http://127.0.0.1:{free_port()}/sparql"
    assert main(["load", "--endpoint", absent]) == 1
    err = capsys.readouterr().err
    assert "epkg load: the query endpoint did not answer, nothing was loaded" in err
    assert "connection refused" in err
