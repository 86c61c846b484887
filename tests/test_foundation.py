"""The foundation: files parse, IRIs are ours, the ontology explains itself, the goals hold."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, SKOS, XSD

from api.graph import BASE, EPKG, compact_iri, load_files

from .conftest import select


def test_every_rdf_file_parses(project):
    files = project.rdf_files()
    assert len(files) >= 7
    for path in files:
        Graph().parse(path, format="turtle")  # raises on a syntax error, naming the file


def test_every_subject_iri_is_minted_under_the_base(graph):
    strays = sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and not str(s).startswith(BASE)})
    assert strays == []


# --- the ontology ---------------------------------------------------------

@pytest.fixture(scope="module")
def ontology(project):
    return load_files([project.home / "ontology" / "epkg.ttl"])


def _terms(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({s for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(str(EPKG))})


def test_the_ontology_has_its_metadata(ontology):
    header = URIRef(BASE + "ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license"),
                 URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")):
        assert ontology.value(header, prop) is not None, prop


def test_every_ontology_term_has_danish_and_english_labels_and_a_definition(ontology):
    terms = _terms(ontology)
    assert len(terms) > 50
    for term in terms:
        languages = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"da", "en"} <= languages, term
        definitions = [d for d in ontology.objects(term, SKOS.definition) if isinstance(d, Literal)]
        assert sorted(str(d.language) for d in definitions) == ["da", "en"], term
        assert ontology.value(term, RDFS.isDefinedBy) == URIRef(BASE + "ontology"), term


def test_the_ontology_declares_its_alignment_to_standard_vocabularies(ontology):
    standard = ("http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/ns/org#")
    parents = {str(o) for p in (RDFS.subClassOf, RDFS.subPropertyOf) for o in ontology.objects(None, p)}
    for namespace in standard:
        assert any(parent.startswith(namespace) for parent in parents), namespace


def test_every_scheme_concept_has_labels_and_a_definition(project):
    schemes = load_files([project.home / "ontology" / "schemes.ttl"])
    concepts = set(schemes.subjects(SKOS.inScheme, None))
    assert len(concepts) > 40
    for concept in concepts:
        assert {l.language for l in schemes.objects(concept, SKOS.prefLabel)} >= {"da", "en"}, concept
        assert sorted(str(d.language) for d in schemes.objects(concept, SKOS.definition)) == ["da", "en"], concept


def test_every_literal_has_the_datatype_its_property_declares(graph):
    """A datatype property with one xsd: range (epkg:goalNumber xsd:integer, epkg:value
    xsd:decimal...) has only literals of that datatype, or for xsd:decimal of the xsd:integer
    derived from it (whole values are bare integers: ontology/README.md); rdf:langString means a
    language tag."""
    LANG_STRING = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")
    wrong, checked = [], 0
    for prop in graph.subjects(RDF.type, OWL.DatatypeProperty):
        ranges = list(graph.objects(prop, RDFS.range))
        if len(ranges) != 1:
            continue
        for subject, value in graph.subject_objects(prop):
            checked += 1
            actual = LANG_STRING if isinstance(value, Literal) and value.language else getattr(value, "datatype", None)
            if actual is None and isinstance(value, Literal):
                actual = XSD.string
            allowed = {ranges[0], XSD.integer} if ranges[0] == XSD.decimal else {ranges[0]}
            if actual not in allowed or (isinstance(value, Literal) and value.ill_typed):
                wrong.append((str(subject), compact_iri(str(prop)), value.n3()))
    assert checked > 2000
    assert sorted(wrong) == []


# --- the minister's goals -------------------------------------------------

GOALS_PER_YEAR = """
SELECT ?year (COUNT(?goal) AS ?goals) (COUNT(DISTINCT ?number) AS ?numbers) WHERE {
  ?goal a epkg:MinisterGoal ; epkg:goalYear ?year ; epkg:goalNumber ?number .
} GROUP BY ?year ORDER BY ?year
"""


def test_four_goals_in_2017_and_seven_in_2019_numbers_unique_per_year(graph):
    rows = select(graph, GOALS_PER_YEAR)
    assert rows == [
        {"year": "2017", "goals": "4", "numbers": "4"},
        {"year": "2019", "goals": "7", "numbers": "7"},
    ]


def test_every_goal_has_statement_description_announcement_and_passage(graph):
    for goal in graph.subjects(RDF.type, EPKG.MinisterGoal):
        assert {l.language for l in graph.objects(goal, EPKG.statement)} == {"da", "en"}, goal
        assert graph.value(goal, URIRef("http://purl.org/dc/terms/description")) is not None, goal
        assert graph.value(goal, EPKG.announcedIn) is not None, goal
        assert len(list(graph.objects(goal, EPKG.citation))) >= 1, goal
        assert len(list(graph.objects(goal, EPKG.numberInSource))) >= 1, goal


LINEAGE = """
SELECT ?goal ?year ?number WHERE {
  ?lineage epkg:edition ?goal . ?goal epkg:goalYear ?year ; epkg:goalNumber ?number .
} ORDER BY ?year
"""


@pytest.mark.parametrize(
    "lineage, editions",
    [
        ("qualified-labour", [("2017", "1"), ("2019", "2")]),
        ("refugees-self-supporting", [("2017", "4"), ("2019", "3")]),
        ("disability-employment", [("2019", "7")]),
    ],
)
def test_a_lineage_follows_one_aim_across_years_and_numbers(graph, lineage, editions):
    rows = select(graph, LINEAGE, lineage=URIRef(f"{BASE}goal-lineage/{lineage}"))
    assert [(r["year"], r["number"]) for r in rows] == editions


def test_lineage_and_edition_are_inverse_and_every_goal_has_one_lineage(graph):
    for goal in graph.subjects(RDF.type, EPKG.MinisterGoal):
        lineages = list(graph.objects(goal, EPKG.lineage))
        assert len(lineages) == 1, goal
        assert (lineages[0], EPKG.edition, goal) in graph, goal


def test_continued_goals_say_so_and_goal_4_differs_between_years(graph):
    g = lambda y, n: URIRef(f"{BASE}minister-goal/{y}/{n}")  # noqa: E731
    assert graph.value(g(2019, 2), EPKG.continues) == g(2017, 1)
    assert graph.value(g(2019, 3), EPKG.continues) == g(2017, 4)
    assert graph.value(g(2019, 6), EPKG.continuity) == URIRef(BASE + "scheme/continuity/new")
    assert graph.value(g(2019, 4), EPKG.continuity) == URIRef(BASE + "scheme/continuity/continued")
    assert graph.value(g(2017, 4), EPKG.lineage) != graph.value(g(2019, 4), EPKG.lineage)


def test_each_source_numbering_is_recorded_with_its_passage(graph):
    rows = select(graph, """
        SELECT ?doc (COUNT(*) AS ?n) WHERE {
          ?goal epkg:numberInSource [ epkg:number ?num ; epkg:citation/epkg:inDocument ?doc ] .
        } GROUP BY ?doc ORDER BY ?doc""")
    assert rows == [
        {"doc": BASE + "plan/hedensted-2017", "n": "8"},   # Kapitel 2 and Bilag 1, four goals each
        {"doc": BASE + "plan/vordingborg-2019", "n": "8"},  # Bilag 4's six, and the seventh twice
    ]


# --- reference data -------------------------------------------------------

def test_the_four_municipalities_with_codes_regions_and_job_centres(graph):
    rows = select(graph, """
        SELECT ?code ?region ?jobcentre WHERE {
          ?m a epkg:Municipality ; epkg:municipalityCode ?code ; epkg:region/rdfs:label ?region ;
             org:hasUnit [ a epkg:Jobcentre ; rdfs:label ?jobcentre ] .
          FILTER (lang(?region) = "da" && lang(?jobcentre) = "da")
        } ORDER BY ?code""")
    assert rows == [
        {"code": "330", "region": "Region Sjælland", "jobcentre": "Jobcenter Slagelse"},
        {"code": "390", "region": "Region Sjælland", "jobcentre": "Jobcenter Vordingborg"},
        {"code": "540", "region": "Region Syddanmark", "jobcentre": "Jobcenter Sønderborg"},
        {"code": "766", "region": "Region Midtjylland", "jobcentre": "Jobcenter Hedensted"},
    ]


def test_the_target_group_scheme_is_a_hierarchy_with_both_languages(graph):
    rows = select(graph, """
        SELECT ?narrower WHERE {
          ?narrower skos:broader+ <https://w3id.org/epkg/target-group/kontanthjaelp> } ORDER BY ?narrower""")
    assert [r["narrower"].rsplit("/", 1)[-1] for r in rows] == ["kontanthjaelp-aktivitetsparate", "kontanthjaelp-jobparate"]
    for concept in graph.subjects(RDF.type, EPKG.TargetGroup):
        assert {l.language for l in graph.objects(concept, SKOS.prefLabel)} == {"da", "en"}, concept


@pytest.mark.parametrize("slug", ["a-kasser", "uu", "work-in-denmark", "sundhedsstyrelsen", "ap-moller-fonden",
                                  "rar-ostjylland", "star"])
def test_the_shared_organisations_exist_with_a_citation(graph, slug):
    org = URIRef(f"{BASE}organisation/{slug}")
    assert {l.language for l in graph.objects(org, RDFS.label)} == {"da", "en"}
    assert graph.value(org, EPKG.citation) is not None
    assert (URIRef(BASE + "municipality/376"), RDF.type, EPKG.Municipality) in graph  # Guldborgsund


def test_each_source_document_is_described(graph):
    rows = select(graph, """
        SELECT ?doc ?kind ?municipality WHERE {
          ?doc epkg:sourceFile ?file ; a ?kind ; epkg:municipality/epkg:municipalityCode ?municipality .
          ?kind rdfs:subClassOf epkg:PolicyDocument .
        } ORDER BY ?doc""")
    assert [(r["doc"].removeprefix(BASE), r["kind"].removeprefix(str(EPKG)), r["municipality"]) for r in rows] == [
        ("case/slagelse-2015-jobfokus", "CasePresentation", "330"),
        ("plan/hedensted-2017", "EmploymentPlan", "766"),
        ("plan/slagelse-2017", "EmploymentPlan", "330"),
        ("plan/sonderborg-2016-2018", "EmploymentStrategy", "540"),
        ("plan/vordingborg-2019", "EmploymentPlan", "390"),
    ]


# --- the command line -----------------------------------------------------

def test_epkg_help_works_from_the_installed_console_script():
    epkg = shutil.which("epkg") or str(__import__("pathlib").Path(sys.executable).parent / "epkg")
    done = subprocess.run([epkg, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: epkg" in done.stdout and "check-quotes" in done.stdout


def test_epkg_info_counts_the_goals(capsys):
    from api.cli import main

    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "2017: 4, 2019: 7" in out


def test_the_ontology_readme_lists_every_term_and_no_other(ontology, project):
    import re

    listed = set(re.findall(r"^\| `epkg:(\w+)` \|", (project.home / "ontology" / "README.md").read_text(), re.M))
    assert listed == {str(t).removeprefix(str(EPKG)) for t in _terms(ontology)}


def test_each_goal_names_the_target_groups_its_statement_is_about(graph):
    groups = {
        str(goal).removeprefix(BASE + "minister-goal/"): {
            str(group).removeprefix(BASE + "target-group/") for group in graph.objects(goal, EPKG.forTargetGroup)
        }
        for goal in graph.subjects(RDF.type, EPKG.MinisterGoal)
    }
    assert groups["2017/4"] == groups["2019/3"] == {"flygtninge-og-familiesammenforte"}
    assert groups["2019/4"] == {"kontanthjaelp-jobparate", "kontanthjaelp-aktivitetsparate"}
    assert groups["2019/5"] == set()  # the fraud goal names no group
    assert all(groups[g] for g in groups if g != "2019/5")
