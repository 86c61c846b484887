"""The dataset as a publication: a generic client starting from the home URL alone finds the
VoID and DCAT description, fetches every dump and gets the same graph from each, discovers the
questions through SPARQL and runs one (rdflib, httpx and SPARQLWrapper against the live server).
Also: the counts are the graph's, the catalogue file is current, every published IRI resolves."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD
from SPARQLWrapper import JSON, SPARQLWrapper

from api.catalogue import load_catalogue
from api.dataset import (
    CATALOGUE_FILE,
    PUBLISHED_IRIS,
    Publication,
    catalogue_graph,
    read_iri_list,
    read_release,
)
from api.graph import BASE, EPKG, load_files
from api.service import content_hash

from .conftest import select

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT_VERSION = URIRef(str(DCAT) + "version")
PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}


def links(header: str) -> dict[str, str]:
    """rel -> target of an HTTP Link header (RFC 8288)."""
    found = {}
    for target, params in re.findall(r"<([^>]*)>\s*((?:;\s*[^,;]+)*)", header):
        for rel in re.findall(r'rel="([^"]+)"', params):
            found[rel] = target
    return found


def fetch_graph(client: httpx.Client, url: str, media_type: str) -> tuple[Graph, bytes]:
    response = client.get(url, headers={"Accept": media_type})
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    assert response.headers["content-type"].split(";")[0] == media_type
    fmt = PARSERS[media_type]
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=response.content, format=fmt)
        union = Graph()
        for s, p, o, _ in ds.quads():
            union.add((s, p, o))
        return union, response.content
    return Graph().parse(data=response.content, format=fmt), response.content


@pytest.fixture(scope="module")
def started_on(project, live_server):
    """The content hash of the files the live server loaded (other work may change them meanwhile)."""
    return content_hash(project)


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=120) as c:
        yield c


@pytest.fixture(scope="module")
def discovered(client, live_server):
    """What a client learns from the home page alone: the description and the dataset in it."""
    home = client.get("/")
    assert home.status_code == 200
    rels = links(home.headers.get("link", ""))
    # Absolute, under the configured base: the listening address, as EPKG_BASE_URL is not set.
    assert rels["describedby"] == live_server + "/.well-known/void"
    void_url = rels["describedby"]
    description, _ = fetch_graph(client, void_url, "text/turtle")
    datasets = set(description.subjects(RDF.type, VOID.Dataset)) & set(
        description.subjects(RDF.type, DCAT.Dataset)
    )
    assert datasets == {URIRef(BASE + "dataset")}
    return description, datasets.pop()


# --- the done-when: from the home URL to a question answered --------------------------------


def test_from_the_home_url_a_client_finds_void_and_dcat(discovered, live_server, project):
    g, d = discovered
    release = read_release(project)
    assert g.value(d, VOID.sparqlEndpoint) == URIRef(live_server + "/sparql")
    assert g.value(d, VOID.uriSpace) == Literal(BASE)
    assert g.value(d, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(g.value(d, DCTERMS.publisher), RDF.type) is not None
    assert (g.value(d, DCTERMS.issued), g.value(d, DCTERMS.modified)) == (
        Literal(release.issued, datatype=XSD.date),
        Literal(release.modified, datatype=XSD.date),
    )
    assert g.value(d, DCAT_VERSION) == Literal(release.version) == g.value(d, OWL.versionInfo)
    # The endpoint as a data service serving the dataset.
    (service,) = set(g.subjects(DCAT.servesDataset, d)) & set(
        g.subjects(DCAT.endpointURL, URIRef(live_server + "/sparql"))
    )
    assert (service, RDF.type, DCAT.DataService) in g
    # One subset per source document, each with its provenance.
    sources = {g.value(s, DCTERMS.source): s for s in g.objects(d, VOID.subset) if g.value(s, DCTERMS.source)}
    assert sorted(str(doc).removeprefix(BASE) for doc in sources) == [
        "case/slagelse-2015-jobfokus",
        "plan/hedensted-2017",
        "plan/slagelse-2017",
        "plan/sonderborg-2016-2018",
        "plan/vordingborg-2019",
    ]
    for document in sources:
        assert g.value(document, EPKG.municipality) is not None
        checksum = g.value(document, URIRef("http://spdx.org/rdf/terms#checksum"))
        value = g.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"))
        assert re.fullmatch(r"[0-9a-f]{64}", str(value))


def test_every_dump_gives_the_same_graph_and_holds_the_data_and_its_description(
    discovered, client, project, started_on
):
    g, d = discovered
    distributions = [
        (
            str(g.value(dist, DCAT.downloadURL)),
            str(g.value(dist, DCAT.mediaType)).rsplit("media-types/", 1)[1],
        )
        for dist in g.objects(d, DCAT.distribution)
        if g.value(dist, DCAT.downloadURL) is not None
    ]
    assert sorted(m for _, m in distributions) == sorted(PARSERS)
    assert {url for url, _ in distributions} == {str(u) for u in g.objects(d, VOID.dataDump)}
    graphs = {}
    for url, media_type in distributions:
        graph, body = fetch_graph(client, url, media_type)
        sizes = {
            str(g.value(dist, DCAT.downloadURL)): int(g.value(dist, DCAT.byteSize))
            for dist in g.objects(d, DCAT.distribution)
            if g.value(dist, DCAT.byteSize) is not None
        }
        assert sizes[url] == len(body), url
        graphs[media_type] = graph
    reference = graphs["application/n-triples"]
    for media_type, graph in graphs.items():
        assert len(graph) == len(reference) and isomorphic(graph, reference), media_type
    # The dump is the data (void:triples of it) plus the description without the dumps' sizes.
    if content_hash(project) != started_on:
        pytest.skip("the data changed while the live server ran; the dumps are of the older files")
    data = load_files(project.content_files())
    assert len(data) == int(g.value(d, VOID.triples))
    expected = Graph()
    expected += data
    for triple in g:
        if triple[1] != DCAT.byteSize:
            expected.add(triple)
    assert isomorphic(expected, reference)


def test_the_quad_dumps_keep_one_named_graph_per_source_document(discovered, client):
    g, d = discovered
    subsets = {str(s) for s in g.objects(d, VOID.subset)}
    for ext, fmt in (("trig", "trig"), ("nq", "nquads")):
        ds = Dataset()
        ds.parse(data=client.get(f"/dump.{ext}").content, format=fmt)
        named = {str(c.identifier) for c in ds.graphs() if str(c.identifier).startswith(BASE + "graph/")}
        assert named == subsets, ext
        for subset in g.objects(d, VOID.subset):
            assert len(ds.graph(subset)) == int(g.value(subset, VOID.triples)), (ext, subset)


def test_a_sparql_client_discovers_the_questions_and_runs_one(discovered, client, project, live_server):
    g, d = discovered
    endpoint = str(g.value(d, VOID.sparqlEndpoint))
    sparql = SPARQLWrapper(endpoint)
    sparql.setReturnFormat(JSON)
    sparql.setQuery("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?name ?da ?en WHERE {
          ?q a sh:SPARQLSelectExecutable ; sh:select ?select ; dcterms:identifier ?name ;
             rdfs:comment ?da , ?en .
          FILTER (lang(?da) = "da" && lang(?en) = "en")
        } ORDER BY ?name""")
    rows = sparql.queryAndConvert()["results"]["bindings"]
    catalogue = load_catalogue(project.queries_dir)
    assert [(r["name"]["value"], r["da"]["value"], r["en"]["value"]) for r in rows] == [
        (name, q.question_da, q.question_en) for name, q in sorted(catalogue.items())
    ]

    # Run one with parameters: read its text and parameters from the graph, bind the examples.
    name = "measures-serving-goal"
    sparql.setQuery(f"""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?select ?variable ?example WHERE {{
          <{BASE}question/{name}> sh:select ?select ; sh:parameter ?p .
          ?p sh:path ?path ; sh:optional false ; skos:example ?example .
          BIND (REPLACE(STR(?path), "^.*/", "") AS ?variable)
        }}""")
    found = sparql.queryAndConvert()["results"]["bindings"]
    text = found[0]["select"]["value"]
    example = {r["variable"]["value"]: r["example"] for r in found}
    assert {k: v["value"] for k, v in example.items()} == {"year": "2017", "number": "4"}
    terms = {k: Literal(v["value"], datatype=v.get("datatype")) for k, v in example.items()}
    # As the catalogue says: one VALUES row first in the outermost WHERE group.
    values = f"VALUES ({' '.join('?' + k for k in sorted(terms))}) {{ ({' '.join(terms[k].n3() for k in sorted(terms))}) }}"
    where = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
    assert where is not None
    query = f"{text[: where.end()]}\n  {values}\n{text[where.end() :]}"
    sparql.setQuery(query)
    result = sparql.queryAndConvert()
    variables = result["head"]["vars"]
    got = Counter(
        tuple(b.get(v, {}).get("value", "") for v in variables) for b in result["results"]["bindings"]
    )

    rest = client.get(
        f"/api/queries/{name}", params={"year": 2017, "number": 4, "format": "csv", "limit": 10000}
    )
    assert rest.status_code == 200
    table = list(csv.reader(io.StringIO(rest.text)))
    assert table[0] == variables
    assert got == Counter(tuple(row) for row in table[1:])
    assert sum(got.values()) > 0


# --- the description is computed from the graph ------------------------------------------------


@pytest.fixture(scope="module")
def publication(project):
    return Publication(project)


def test_the_counts_partitions_and_label_languages_are_the_graphs(publication, graph):
    g = publication.description()
    d = URIRef(BASE + "dataset")
    assert int(g.value(d, VOID.triples)) == len(graph)
    classes = select(graph, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    partitions = {
        str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities))
        for p in g.objects(d, VOID.classPartition)
    }
    assert partitions == {r["c"]: int(r["n"]) for r in classes}
    assert int(g.value(d, VOID.classes)) == len(classes)
    properties = select(graph, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    partitions = {
        str(g.value(p, VOID.property)): int(g.value(p, VOID.triples))
        for p in g.objects(d, VOID.propertyPartition)
    }
    assert partitions == {r["p"]: int(r["n"]) for r in properties}
    # Language coverage of rdfs:label: resources labelled in each language.
    (label_partition,) = [
        p for p in g.objects(d, VOID.propertyPartition) if g.value(p, VOID.property) == RDFS.label
    ]
    coverage = {
        str(g.value(s, DCTERMS.language)).rsplit("/", 1)[1]: int(g.value(s, VOID.distinctSubjects))
        for s in g.objects(label_partition, VOID.subset)
    }
    expected = select(
        graph,
        """SELECT ?lang (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s rdfs:label ?l BIND(lang(?l) AS ?lang) }
                                GROUP BY ?lang""",
    )
    assert coverage == {{"da": "DAN", "en": "ENG"}[r["lang"]]: int(r["n"]) for r in expected}
    vocabularies = {str(v) for v in g.objects(d, VOID.vocabulary)}
    assert {
        str(EPKG),
        str(SKOS),
        str(DCTERMS),
        str(SH),
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/ns/org#",
    } <= vocabularies


def test_versions_agree_in_changelog_description_and_ontology_header(publication, project):
    release = read_release(project)
    ontology = publication.ontology
    header = URIRef(BASE + "ontology")
    version = str(ontology.value(header, OWL.versionInfo))
    assert str(ontology.value(header, OWL.versionIRI)) == f"{BASE}ontology/{version}"
    assert f"ontology {version}" in release.notes.lower()
    assert f"dataset {release.version}" in release.notes.lower()
    assert publication.description().value(URIRef(BASE + "dataset"), DCAT_VERSION) == Literal(release.version)


# --- the catalogue in the graph, the IRIs kept ----------------------------------------------------


def test_the_catalogue_file_is_generated_from_the_current_questions(project):
    committed = Graph().parse(project.home / CATALOGUE_FILE, format="turtle")
    current = catalogue_graph(load_catalogue(project.queries_dir))
    assert isomorphic(committed, current), (
        f"{CATALOGUE_FILE} is out of date with queries/*.rq: run "
        "'epkg export --format catalogue' and commit the file"
    )


def test_the_list_of_published_iris_has_every_iri_the_dataset_publishes(project, publication):
    listed = set(read_iri_list(project.home / PUBLISHED_IRIS))
    missing = sorted(publication.published_iris() - listed)
    assert missing == [], f"run 'epkg export --format iris' and commit {PUBLISHED_IRIS}; new: {missing[:10]}"


# Paths the service answers itself (not descriptions of resources from the store).
DOCUMENT_PATHS = re.compile(
    r"^/(\.well-known/void|dataset|dump(\.\w+)?|graph/.*|ontology(/.*)?|shapes(/.*)?|context\.jsonld|uri-policy"
    r"|changelog|sparql)$"
)


def test_every_published_iri_still_resolves(project, live_server):
    """Every listed IRI answers 200. Documents are fetched; resources (served by dereferencing,
    200 exactly when the store has a triple about them) are checked all at once through the
    SPARQL endpoint, and one of each kind (first path segment) is fetched too."""
    listed = read_iri_list(project.home / PUBLISHED_IRIS)
    assert len(listed) > 2000
    paths = sorted({urlsplit(iri.removeprefix(BASE.rstrip("/"))).path for iri in listed})
    documents = [p for p in paths if DOCUMENT_PATHS.match(p)]
    resources = [p for p in paths if not DOCUMENT_PATHS.match(p)]
    samples = sorted({p.split("/")[1]: p for p in resources}.values())

    def status(path: str) -> tuple[str, int]:
        with httpx.Client(base_url=live_server, timeout=60) as c:
            return path, c.get(path, headers={"Accept": "text/turtle"}).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        failed = [(path, code) for path, code in pool.map(status, documents + samples) if code != 200]

    sparql = SPARQLWrapper(live_server + "/sparql")
    sparql.setReturnFormat(JSON)
    described = set()
    for i in range(0, len(resources), 400):
        batch = " ".join(f"<{BASE.rstrip('/')}{p}>" for p in resources[i : i + 400])
        sparql.setQuery(f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {batch} }} ?s ?p ?o }}")
        described |= {b["s"]["value"] for b in sparql.queryAndConvert()["results"]["bindings"]}
    failed += [(p, 404) for p in resources if BASE.rstrip("/") + p not in described]
    assert len(documents) >= 20 and len(samples) >= 20
    assert failed == [], f"published IRIs that no longer resolve (docs/uri-policy.md): {failed[:20]}"


# --- documents for people and for machines ------------------------------------------------------


def test_ontology_and_shapes_are_html_for_browsers_and_rdf_by_accept(client, publication):
    page = client.get("/ontology", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Danish employment-policy ontology" in page.text and "Beskæftigelsespolitisk ontologi" in page.text
    # Every term's hash IRI lands on its entry, with its Danish label beside the English one.
    namespace = str(EPKG)
    terms = {
        str(t)[len(namespace) :]
        for t in publication.ontology.subjects(RDF.type, None)
        if str(t).startswith(namespace) and str(t) != namespace
    }
    assert sorted(t for t in terms if f'id="{t}"' not in page.text) == []
    assert '<small lang="da">(beskæftigelsesministerens mål)</small>' in page.text
    graphs = [
        fetch_graph(client, "/ontology", m)[0]
        for m in ("text/turtle", "application/ld+json", "application/rdf+xml")
    ]
    assert all(isomorphic(graphs[0], other) for other in graphs[1:])
    assert isomorphic(graphs[0], publication.ontology)
    version = str(publication.ontology_version)
    assert client.get(f"/ontology/{version}", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/ontology/0.0.1").status_code == 404
    assert client.get("/shapes/1.0.0", headers={"Accept": "text/turtle"}).status_code == 200
    other = client.get("/shapes/0.0.1")
    assert other.status_code == 404
    assert other.json()["message"] == (
        "no shapes version 0.0.1; the current version is 1.0.0 (https://w3id.org/epkg/shapes/1.0.0)"
    )

    shapes = client.get("/shapes", headers={"Accept": "text/html"})
    assert shapes.status_code == 200
    names = {
        str(s).split("#")[1]
        for kind in (SH.NodeShape, SH.PropertyShape)
        for s in publication.shapes.subjects(RDF.type, kind)
        if "#" in str(s)
    }
    missing = sorted(n for n in names if f'id="{n}"' not in shapes.text)
    assert missing == [] and len(names) > 100
    assert "shacl#" not in shapes.text and '<td class="sev-Violation">Violation</td>' in shapes.text
    assert isomorphic(fetch_graph(client, "/shapes", "application/ld+json")[0], publication.shapes)


def test_the_json_ld_is_readable_with_the_published_context(client, publication):
    context = client.get("/context.jsonld")
    assert context.status_code == 200 and context.headers["access-control-allow-origin"] == "*"
    terms = context.json()["@context"]
    assert terms["goalYear"] == {"@id": str(EPKG.goalYear), "@type": str(XSD.gYear)}
    assert terms["servesGoal"] == {"@id": str(EPKG.servesGoal), "@type": "@id"}
    dump = json.loads(publication.dump("jsonld"))
    assert dump["@context"] == terms
    goal = next(n for n in dump["@graph"] if n.get("id") == BASE + "minister-goal/2017/4")
    assert goal["type"] == "MinisterGoal" and goal["goalYear"] == "2017"
    assert goal["lineage"] == BASE + "goal-lineage/refugees-self-supporting"
    assert goal["label"]["da"].startswith("Ministermål 2017 nr. 4")


def test_bad_dump_requests_are_refused_with_a_message(client):
    assert client.get("/dump.xlsx").status_code == 404
    refused = client.get("/dump", headers={"Accept": "application/pdf"})
    assert refused.status_code == 406 and "offered" in refused.json()["message"]
    assert client.get("/graph/no-such-graph").status_code == 404


def test_dumps_answer_head_and_conditional_requests(client):
    full = client.get("/dump.nt")
    head = client.head("/dump.nt")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(full.content)
    assert head.headers["etag"] == full.headers["etag"]
    assert client.get("/dump.nt", headers={"If-None-Match": full.headers["etag"]}).status_code == 304


def test_epkg_export_writes_the_dumps_the_service_serves(
    tmp_path, client, live_server, capsys, project, started_on
):
    from api.cli import main

    if content_hash(project) != started_on:
        pytest.skip("the data changed while the live server ran; the served dump is of the older files")

    assert main(["export", "--format", "all", "--output", str(tmp_path), "--base-url", live_server]) == 0
    served = Graph().parse(data=client.get("/dump.nt").content, format="nt")
    for ext, fmt in (("nt", "nt"), ("jsonld", "json-ld")):  # the others: see the dumps test
        assert isomorphic(Graph().parse(tmp_path / f"dump.{ext}", format=fmt), served), ext
    assert main(["export", "--format", "xlsx"]) == 2
    assert "choose one of" in capsys.readouterr().err
