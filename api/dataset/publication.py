"""The published dataset of one project checkout (``Publication``): the VoID + DCAT
description, the dumps, the JSON-LD context and the IRIs it publishes."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, XSD

from ..errors import ProjectError
from ..graph import BASE, EPKG, Project, load_files, new_graph
from ..publish import GRAPH_BASE, NamedGraph, named_graphs
from .context import json_ld_context
from .counts import Counts, count
from .formats import DUMP_FORMATS, FORMAT_IRIS, DumpFormat, dump_format, serialize
from .terms import (
    AVAILABILITY_STABLE,
    CHECKSUM_SHA256,
    DATASET,
    DCAT_VERSION,
    DCATAP,
    DEFAULT_PUBLIC_BASE,
    DESCRIPTION,
    FILE_TYPE,
    FORMATS,
    ISO_639_3,
    LANGUAGE_AUTHORITY,
    ONTOLOGY,
    PUBLISHER_NAME,
    QUESTIONS,
    SD,
    SHAPES_DOC,
    SPDX,
    TITLE,
    VCARD,
    VOID,
    node,
    slug,
)
from .versions import Release, read_release


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


# DCAT-AP 3.0.1's statements that are not computed (keywords, themes, coverage, the controlled
# vocabularies' terms with their classes and schemes): see the file's header.
DCAT_AP_FILE = Path(__file__).resolve().parent / "dcat-ap.ttl"


class Publication:
    """The published dataset of one project checkout: description, dumps, context, docs."""

    def __init__(self, project: Project):
        self.project = project
        # Bound: one dump per format, of one base (the last asked for; a service has one base).
        self._dumps: dict[str, bytes] = {}
        self._dumps_base = ""

    @cached_property
    def graphs(self) -> list[NamedGraph]:
        return named_graphs(self.project)

    @cached_property
    def union(self) -> Graph:
        union = new_graph()
        for named in self.graphs:
            union += named.graph
        return union

    @cached_property
    def counts(self) -> Counts:
        return count(self.union)

    @cached_property
    def release(self) -> Release:
        return read_release(self.project)

    @cached_property
    def ontology(self) -> Graph:
        """ontology/epkg.ttl: the vocabulary (served at the ontology IRI)."""
        return load_files([self.project.home / "ontology" / "epkg.ttl"])

    @cached_property
    def shapes(self) -> Graph:
        return load_files(self.project.shape_files())

    @property
    def ontology_version(self) -> str:
        return str(self.ontology.value(ONTOLOGY, OWL.versionInfo) or "")

    @cached_property
    def licence(self) -> URIRef:
        licence = self.ontology.value(ONTOLOGY, DCTERMS.license)
        if not isinstance(licence, URIRef):
            raise ProjectError(
                "the ontology header names no dcterms:license IRI; the dataset takes its licence"
            )
        return licence

    @cached_property
    def profile(self) -> Graph:
        """api/dataset/dcat-ap.ttl: what DCAT-AP asks for that the data cannot tell."""
        return Graph().parse(DCAT_AP_FILE, format="turtle")

    def temporal_coverage(self) -> tuple[Literal, Literal] | None:
        """The first and last year the data speaks of: the source documents' periods and the
        minister's goal years (as xsd:gYear)."""
        data = self.union
        years = [
            str(o)[:4]
            for s in set(data.subjects(EPKG.sourceFile, None))
            for p in (EPKG.periodStart, EPKG.periodEnd)
            for o in data.objects(s, p)
        ]
        years += [str(o)[:4] for o in data.objects(None, EPKG.goalYear)]
        years = [y for y in years if y.isdigit()]
        if not years:
            return None
        return Literal(min(years), datatype=XSD.gYear), Literal(max(years), datatype=XSD.gYear)

    @cached_property
    def context(self) -> dict:
        return json_ld_context(self.ontology, self.union)

    def documents(self) -> dict[str, URIRef]:
        """Named graph IRI -> the source document it holds (the graphs of data/plans/)."""
        sources = set(self.union.subjects(EPKG.sourceFile, None))
        found: dict[str, URIRef] = {}
        for named in self.graphs:
            counted = Counter(
                o
                for p in (EPKG.partOfDocument, EPKG.inDocument)
                for o in named.graph.objects(None, p)
                if o in sources
            )
            if counted and any(path.parent.name == "plans" for path in named.files):
                found[named.iri] = URIRef(str(counted.most_common(1)[0][0]))
        return found

    # --- the description -----------------------------------------------------------------

    def description(self, base: str = DEFAULT_PUBLIC_BASE, sizes: Mapping[str, int] | None = None) -> Graph:
        """VoID + DCAT of the dataset; ``base`` is where clients download from; ``sizes``
        (dump extension -> bytes) adds each dump's dcat:byteSize."""
        base = base.rstrip("/")
        g = new_graph()
        for prefix, namespace in (
            ("void", VOID),
            ("dcat", DCAT),
            ("foaf", FOAF),
            ("spdx", SPDX),
            ("sd", SD),
            ("sh", SH),
            ("dcatap", DCATAP),
            ("vcard", VCARD),
            ("dataset", Namespace(f"{DATASET}#")),
        ):
            g.bind(prefix, str(namespace))
        counts, release = self.counts, self.release
        d = DATASET
        for cls in (VOID.Dataset, DCAT.Dataset):
            g.add((d, RDF.type, cls))
        for lang, text in TITLE.items():
            g.add((d, DCTERMS.title, Literal(text, lang=lang)))
            g.add((d, RDFS.label, Literal(text, lang=lang)))
        g.add((d, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
        g.add((d, DCTERMS.license, self.licence))
        g.add((self.licence, RDF.type, DCTERMS.LicenseDocument))
        home = URIRef(base + "/")
        g.add((home, RDF.type, FOAF.Document))
        publisher, contact = node("publisher"), node("contact")
        g.add((d, DCTERMS.publisher, publisher))
        g.add((d, DCTERMS.creator, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(PUBLISHER_NAME, lang="en")))
        g.add((publisher, FOAF.homepage, home))
        g.add((d, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.hasURL, home))
        g.add((d, DCTERMS.issued, _date(release.issued)))
        g.add((d, DCTERMS.modified, _date(release.modified)))
        g.add((d, DCAT_VERSION, Literal(release.version)))
        g.add((d, OWL.versionInfo, Literal(release.version)))
        g.add((d, RDFS.seeAlso, URIRef(base + "/changelog")))
        for lang in sorted(ISO_639_3):
            g.add((d, DCTERMS.language, URIRef(LANGUAGE_AUTHORITY + ISO_639_3[lang])))
        coverage = self.temporal_coverage()
        if coverage is not None:
            period = node("temporal-coverage")
            g.add((d, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            g.add((period, DCAT.startDate, coverage[0]))
            g.add((period, DCAT.endDate, coverage[1]))
        # The dataset conforms to the ontology (whose own version is the ontology's, not the
        # dataset's: dcat:version above) and to the shapes.
        g.add((d, DCTERMS.conformsTo, ONTOLOGY))
        g.add((d, DCTERMS.conformsTo, SHAPES_DOC))
        if self.ontology_version:
            g.add((ONTOLOGY, OWL.versionInfo, Literal(self.ontology_version)))
            for iri in self.ontology.objects(ONTOLOGY, OWL.versionIRI):
                g.add((ONTOLOGY, OWL.versionIRI, iri))
        g.add((d, DCAT.landingPage, home))
        g.add((d, FOAF.homepage, home))
        g.add((d, VOID.uriSpace, Literal(BASE)))
        g.add((d, VOID.sparqlEndpoint, URIRef(base + "/sparql")))
        g.add((d, VOID.rootResource, QUESTIONS))
        g.add((d, VOID.triples, _int(counts.triples)))
        g.add((d, VOID.entities, _int(counts.entities)))
        g.add((d, VOID.distinctSubjects, _int(counts.distinct_subjects)))
        g.add((d, VOID.distinctObjects, _int(counts.distinct_objects)))
        g.add((d, VOID.classes, _int(len(counts.classes))))
        g.add((d, VOID.properties, _int(len(counts.properties))))
        for vocabulary in counts.vocabularies:
            g.add((d, VOID.vocabulary, URIRef(vocabulary)))
        for example in self._examples():
            g.add((d, VOID.exampleResource, example))

        for cls, n in sorted(counts.classes.items()):
            part = node("class-" + slug(str(cls)))
            g.add((d, VOID.classPartition, part))
            g.add((part, VOID["class"], cls))
            g.add((part, VOID.entities, _int(n)))
        for prop, (n, subjects, objects) in sorted(counts.properties.items()):
            part = node("property-" + slug(str(prop)))
            g.add((d, VOID.propertyPartition, part))
            g.add((part, VOID.property, prop))
            g.add((part, VOID.triples, _int(n)))
            g.add((part, VOID.distinctSubjects, _int(subjects)))
            g.add((part, VOID.distinctObjects, _int(objects)))
            for lang, (triples, labelled) in sorted(counts.labels.get(prop, {}).items()):
                # The labels' language coverage: how many resources carry a label in each language.
                subset = node(f"property-{slug(str(prop))}-{lang or 'none'}")
                g.add((part, VOID.subset, subset))
                g.add((subset, RDF.type, VOID.Dataset))
                if lang in ISO_639_3:
                    g.add((subset, DCTERMS.language, URIRef(LANGUAGE_AUTHORITY + ISO_639_3[lang])))
                g.add(
                    (
                        subset,
                        DCTERMS.title,
                        Literal(
                            f"{prop.n3(g.namespace_manager)} in {lang or 'no language'}: {labelled} of {subjects} "
                            "labelled resources",
                            lang="en",
                        ),
                    )
                )
                g.add((subset, VOID.triples, _int(triples)))
                g.add((subset, VOID.distinctSubjects, _int(labelled)))

        documents = self.documents()
        for named in self.graphs:
            subset = URIRef(named.iri)
            g.add((d, VOID.subset, subset))
            g.add((subset, RDF.type, VOID.Dataset))
            g.add((subset, RDF.type, SD.NamedGraph))
            g.add((subset, SD.name, subset))
            g.add((subset, VOID.triples, _int(len(named.graph))))
            g.add(
                (
                    subset,
                    VOID.entities,
                    _int(
                        len(
                            {
                                s
                                for s in named.graph.subjects()
                                if isinstance(s, URIRef) and str(s).startswith(BASE)
                            }
                        )
                    ),
                )
            )
            g.add((subset, VOID.dataDump, URIRef(f"{base}/graph/{named.name}.ttl")))
            g.add((subset, DCTERMS.isPartOf, d))
            for path in named.files:
                g.add(
                    (
                        subset,
                        RDFS.comment,
                        Literal(f"from {path.relative_to(self.project.home).as_posix()}", lang="en"),
                    )
                )
            document = documents.get(named.iri)
            if document is None:
                g.add((subset, DCTERMS.title, Literal(f"{named.name} graph", lang="en")))
                continue
            g.add((subset, DCTERMS.title, Literal(f"What {named.name} contains", lang="en")))
            g.add((subset, DCTERMS.source, document))
            g.add((subset, PROV.wasDerivedFrom, document))
            # Not dct:source: DCAT-AP reserves that for a dataset the dataset comes from.
            g.add((d, PROV.wasDerivedFrom, document))
            self._describe_document(g, document)

        for f in DUMP_FORMATS:
            dist = node("dump-" + f.ext)
            url = URIRef(f"{base}/dump.{f.ext}")
            g.add((d, DCAT.distribution, dist))
            g.add((d, VOID.dataDump, url))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"{f.name} dump", lang="en")))
            what = (
                "one named graph per source document, plus ontology, reference and catalogue graphs; "
                "this description in the default graph"
                if f.quads
                else "the whole graph and this description"
            )
            g.add((dist, DCTERMS.description, Literal(f"The dataset in {f.name}: {what}.", lang="en")))
            g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCAT.accessURL, url))
            g.add((dist, DCAT.mediaType, f.iana))
            g.add((f.iana, RDF.type, DCTERMS.MediaType))
            g.add((dist, DCTERMS.format, f.eu_file_type))
            g.add((dist, DCATAP.availability, AVAILABILITY_STABLE))
            g.add((dist, DCTERMS.license, self.licence))
            g.add((dist, DCTERMS.issued, _date(release.modified)))
            if sizes and f.ext in sizes:
                g.add((dist, DCAT.byteSize, Literal(sizes[f.ext], datatype=XSD.nonNegativeInteger)))
            g.add((d, VOID.feature, FORMATS[FORMAT_IRIS[f.ext]]))

        sparql, api, catalog = node("sparql"), node("api"), node("catalog")
        g.add((sparql, RDF.type, DCAT.DataService))
        g.add((sparql, RDF.type, SD.Service))
        g.add((sparql, DCTERMS.title, Literal("SPARQL 1.1 endpoint (read-only)", lang="en")))
        g.add((sparql, DCAT.endpointURL, URIRef(base + "/sparql")))
        g.add((sparql, SD.endpoint, URIRef(base + "/sparql")))
        g.add((sparql, DCAT.endpointDescription, URIRef(base + "/sparql")))
        g.add((sparql, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
        g.add((sparql, DCAT.servesDataset, d))
        g.add((sparql, DCTERMS.license, self.licence))
        g.add((sparql, DCTERMS.publisher, publisher))
        g.add((sparql, DCAT.contactPoint, contact))
        g.add((api, RDF.type, DCAT.DataService))
        g.add(
            (api, DCTERMS.title, Literal("REST API: the question catalogue and friendly routes", lang="en"))
        )
        g.add((api, DCAT.endpointURL, URIRef(base + "/api/queries")))
        g.add((api, DCAT.endpointDescription, URIRef(base + "/openapi.json")))
        g.add((api, DCTERMS.conformsTo, URIRef("https://spec.openapis.org/oas/v3.1.0")))
        g.add((api, DCAT.servesDataset, d))
        g.add((api, DCTERMS.license, self.licence))
        g.add((api, DCTERMS.publisher, publisher))
        g.add((api, DCAT.contactPoint, contact))
        dist = node("sparql-access")
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal("The SPARQL endpoint", lang="en")))
        g.add(
            (
                dist,
                DCTERMS.description,
                Literal("The dataset queried in place through its SPARQL 1.1 endpoint.", lang="en"),
            )
        )
        g.add((dist, DCAT.accessURL, URIRef(base + "/sparql")))
        g.add((dist, DCAT.accessService, sparql))
        g.add((dist, DCTERMS.format, URIRef(FILE_TYPE + "SPARQLQ")))
        g.add((dist, DCATAP.availability, AVAILABILITY_STABLE))
        g.add((dist, DCTERMS.license, self.licence))
        g.add((catalog, RDF.type, DCAT.Catalog))
        for lang, text in TITLE.items():
            g.add((catalog, DCTERMS.title, Literal(text, lang=lang)))
        g.add((catalog, DCTERMS.publisher, publisher))
        g.add((catalog, DCTERMS.license, self.licence))
        g.add((catalog, FOAF.homepage, home))
        for lang in sorted(ISO_639_3):
            g.add((catalog, DCTERMS.language, URIRef(LANGUAGE_AUTHORITY + ISO_639_3[lang])))
        g.add((catalog, DCAT.dataset, d))
        g.add((catalog, DCAT.service, sparql))
        g.add((catalog, DCAT.service, api))
        g.add((catalog, DCTERMS.issued, _date(release.issued)))
        g.add((catalog, DCTERMS.modified, _date(release.modified)))
        g.add((d, RDFS.seeAlso, URIRef(base + "/uri-policy")))
        g.add((d, RDFS.seeAlso, URIRef(base + "/context.jsonld")))
        self._add_profile_terms(g)
        return g

    def _add_profile_terms(self, g: Graph) -> None:
        """Add what api/dataset/dcat-ap.ttl says about each resource the description names
        (and, in turn, about the resources those statements name)."""
        profile = self.profile
        seen: set[URIRef] = set()
        while True:
            named = {t for triple in g for t in triple if isinstance(t, URIRef)} - seen
            described = [t for t in named if (t, None, None) in profile]
            if not described:
                return
            for term in described:
                for triple in profile.triples((term, None, None)):
                    g.add(triple)
            seen |= named

    def _examples(self) -> list[URIRef]:
        """One example resource per main kind: the first (by IRI) of a few classes."""
        found = []
        for cls in (
            EPKG.MinisterGoal,
            EPKG.Municipality,
            EPKG.Measure,
            EPKG.GoalLink,
            SH.SPARQLSelectExecutable,
        ):
            members = sorted(s for s in self.union.subjects(RDF.type, cls) if isinstance(s, URIRef))
            if members:
                found.append(members[0])
        return found

    def _describe_document(self, g: Graph, document: URIRef) -> None:
        """A source document's provenance, copied from the data: kind, title, municipality,
        publisher, date, file and SHA-256."""
        data = self.union
        g.add((document, RDF.type, DCAT.Resource))
        for p in (
            DCTERMS.title,
            EPKG.municipality,
            DCTERMS.publisher,
            DCTERMS.issued,
            DCTERMS.date,
            DCTERMS.created,
            DCTERMS.dateAccepted,
            DCTERMS.modified,
            EPKG.caseNumber,
            EPKG.sourceFile,
            EPKG.periodStart,
            EPKG.periodEnd,
        ):
            for o in data.objects(document, p):
                g.add((document, p, o))
        for municipality in data.objects(document, EPKG.municipality):
            for label in data.objects(municipality, RDFS.label):
                g.add((municipality, RDFS.label, label))
        digest = data.value(document, EPKG.sha256)
        if digest is not None:
            checksum = node("checksum-" + str(document).removeprefix(BASE).replace("/", "-"))
            g.add((document, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, CHECKSUM_SHA256))
            g.add((checksum, SPDX.checksumValue, Literal(str(digest), datatype=XSD.hexBinary)))

    # --- the dumps ------------------------------------------------------------------------

    def dump_graph(self, base: str = DEFAULT_PUBLIC_BASE) -> Graph:
        g = new_graph()
        g += self.union
        g += self.description(base)
        for prefix, namespace in self.description(base).namespaces():
            g.bind(prefix, namespace, override=False)
        return g

    def dump_dataset(self, base: str = DEFAULT_PUBLIC_BASE) -> Dataset:
        ds = Dataset()
        description = self.description(base)
        for prefix, namespace in description.namespaces():
            ds.bind(prefix, namespace, override=False)
        for named in self.graphs:
            target = ds.graph(URIRef(named.iri))
            for triple in named.graph:
                target.add(triple)
        for triple in description:
            ds.default_graph.add(triple)
        return ds

    def dump(self, fmt: DumpFormat | str, base: str = DEFAULT_PUBLIC_BASE) -> bytes:
        """One dump, serialised once per format and kept (for the base last asked for)."""
        f = fmt if isinstance(fmt, DumpFormat) else dump_format(fmt)
        base = base.rstrip("/")
        if base != self._dumps_base:
            self._dumps, self._dumps_base = {}, base
        if f.ext not in self._dumps:
            self._dumps[f.ext] = self._serialize(f, base)
        return self._dumps[f.ext]

    def _serialize(self, f: DumpFormat, base: str) -> bytes:
        if f.quads:
            return self.dump_dataset(base).serialize(format=f.rdflib, encoding="utf-8")
        graph = self.dump_graph(base)
        if f.ext == "jsonld":
            return graph.serialize(
                format="json-ld", context=self.context["@context"], auto_compact=True, encoding="utf-8"
            )
        return graph.serialize(format=f.rdflib, encoding="utf-8")

    def sizes(self, base: str = DEFAULT_PUBLIC_BASE) -> dict[str, int]:
        return {f.ext: len(self.dump(f, base)) for f in DUMP_FORMATS}

    def graph_dump(self, name: str) -> Graph:
        for named in self.graphs:
            if named.name == name:
                return named.graph
        raise KeyError(name)

    # --- published IRIs -------------------------------------------------------------------

    def published_iris(self, base: str = DEFAULT_PUBLIC_BASE) -> set[str]:
        """Every IRI this dataset publishes under the base: its subjects, the ontology's and
        the shapes' terms and version IRIs, the description's nodes and graphs, the service's
        documents (dumps, VoID, context, URI policy)."""
        iris = {str(s) for s in self.union.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)}
        iris |= {str(s) for s in self.shapes.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)}
        for header in (ONTOLOGY, SHAPES_DOC):
            for graph in (self.union, self.shapes):
                iris |= {str(v) for v in graph.objects(header, OWL.versionIRI)}
        iris |= {  # the home page (the landing page, a subject of the description) is no resource
            str(s)
            for s in self.description().subjects()
            if isinstance(s, URIRef) and str(s).startswith(BASE) and str(s) != BASE
        }
        iris |= {BASE + path for path in SERVICE_DOCUMENTS}
        iris |= {f"{BASE}dump.{f.ext}" for f in DUMP_FORMATS}
        iris |= {f"{GRAPH_BASE}{named.name}.ttl" for named in self.graphs}
        return iris


# The documents the service publishes besides the resources (paths under the base).
SERVICE_DOCUMENTS = (
    ".well-known/void",
    "dataset",
    "dump",
    "context.jsonld",
    "uri-policy",
    "changelog",
    "ontology",
    "shapes",
    "sparql",
    "questions",
)


def context_json(publication: Publication) -> bytes:
    return (json.dumps(publication.context, indent=2, ensure_ascii=False) + "\n").encode()


def description_bytes(p: Publication, base: str, media_type: str) -> bytes:
    """The description as served: with the dumps' sizes (so every dump is built first)."""
    return serialize(p.description(base, p.sizes(base)), media_type, p.context["@context"])
