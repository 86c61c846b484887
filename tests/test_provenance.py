"""Every quote stands in its source; the sources are the published seeds, unchanged."""

from __future__ import annotations

import pytest
from rdflib import RDF

from api.graph import EPKG
from api.provenance import check_passages, sha256_of

from .conftest import SHARED_SEEDS


def test_every_quote_is_found_in_its_source(graph, project):
    checked, problems = check_passages(graph, project.sources_dir)
    assert checked > 0
    assert not problems, "\n".join(map(str, problems))


def test_a_wrong_quote_is_caught(graph, project):
    # The checker itself must be able to fail: add one altered passage to a copy.
    from rdflib import Graph, Literal, URIRef

    copy = Graph()
    for triple in graph:
        copy.add(triple)
    passage = URIRef("https://w3id.org/epkg/passage/test/wrong")
    copy.add((passage, RDF.type, EPKG.Passage))
    copy.add((passage, EPKG.inDocument, URIRef("https://w3id.org/epkg/plan/slagelse-2017")))
    copy.add((passage, EPKG.quote, Literal("Flere unge skal have en uddannelse i Hedensted")))
    _, problems = check_passages(copy, project.sources_dir)
    assert [p.passage for p in problems] == [str(passage)]


def test_every_document_records_the_checksum_of_its_source(graph, project):
    documents = list(graph.subjects(EPKG.sourceFile, None))
    assert len(documents) == 5
    for document in documents:
        path = project.sources_dir / str(graph.value(document, EPKG.sourceFile))
        assert sha256_of(path) == str(graph.value(document, EPKG.sha256)), path.name


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout (only CI and developers have it); the recorded checksums are checked instead")
def test_sources_equal_the_shared_seeds_byte_for_byte(project):
    seeds = sorted(p.name for p in SHARED_SEEDS.glob("0*.txt"))
    ours = sorted(p.name for p in project.sources_dir.glob("*.txt"))
    assert ours == seeds
    for name in seeds:
        assert (project.sources_dir / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_the_start_up_check_reads_the_sources_from_its_store(project):
    # The start-up check reuses the store it validated instead of parsing the files again.
    from api.service import check_sources
    from api.validation import load_store

    from_store = check_sources(project, load_store(project.content_files()))
    assert from_store == check_sources(project)
    assert from_store.passages > 0


def test_the_start_up_check_validates_and_is_remembered(project, tmp_path):
    from api.service import startup_check

    first = startup_check(project, tmp_path)
    assert not first.cached and first.ok and first.triples > 10_000
    assert first.warnings > 0  # the shipped data's completeness findings are counted
    again = startup_check(project, tmp_path)
    assert again.cached and (again.triples, again.warnings) == (first.triples, first.warnings)
