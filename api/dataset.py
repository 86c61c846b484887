"""The dataset described as data: VoID and DCAT, the dumps, the JSON-LD context, the question
catalogue as SHACL executables, and the list of published IRIs.

Everything here is computed from the project's files: counts, partitions, vocabularies and
label languages from the merged graph; one VoID subset per named graph (the layout of
``publish.named_graphs``: ontology, reference, catalogue, one graph per source document);
the source documents' provenance (municipality, date, publisher, checksum) from
data/reference/documents.ttl; the licence from the ontology header; the version and dates
from CHANGELOG.md. Nothing is written by hand but the dataset's title and description.

The description names two kinds of IRI: the dataset's own (``https://w3id.org/epkg/dataset``,
``…/dataset#sparql``, the graphs ``…/graph/<name>``), which never change, and the URLs a
client downloads from (``<base>/dump.ttl``, ``<base>/sparql``), which are the service's public
base URL (the w3id.org base by default, the request's or EPKG_BASE_URL on a server).

The dumps hold the merged graph plus this description, so a file carries its own metadata;
the copy inside a dump leaves out the dumps' byte sizes (a file cannot state its own size).
TriG and N-Quads keep one named graph per source document (and ontology, reference,
catalogue); the description is their default graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCMITYPE, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from .children import die_with_parent
from .catalogue import Question
from .errors import ProjectError, UserError
from .graph import BASE, EPKG, PREFIXES, Project, load_files, new_graph, sparql_prologue
from .parameters import TYPES, convert
from .publish import GRAPH_BASE, NamedGraph, named_graphs

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace is DCAT 2
IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"
ISO_639_3 = {"da": "DAN", "en": "ENG"}  # the languages the data's labels are written in

DEFAULT_PUBLIC_BASE = BASE.rstrip("/")  # where w3id.org sends clients
DATASET = URIRef(BASE + "dataset")
ONTOLOGY = URIRef(BASE + "ontology")
SHAPES_DOC = URIRef(BASE + "shapes")
QUESTIONS = URIRef(BASE + "questions")
QUESTION_BASE = BASE + "question/"
PARAMETER_BASE = BASE + "parameter/"
CATALOGUE_FILE = Path("data") / "catalogue" / "questions.ttl"
CHANGELOG = "CHANGELOG.md"
PUBLISHED_IRIS = Path("docs") / "published-iris.txt"

TITLE = {"da": "Beskæftigelsespolitisk vidensgraf", "en": "Danish employment-policy knowledge graph"}
DESCRIPTION = (
    "The Danish employment minister's yearly goals and the focus areas, target groups, measures, "
    "projects and quantified targets of municipal employment plans (Slagelse, Vordingborg, Sønderborg, "
    "Hedensted), as linked data: every fact cites the exact passage of its source document, and every "
    "link from a local measure to a national goal says its basis (stated, derived, curated)."
)
PUBLISHER_NAME = "The epkg project (Danish employment-policy knowledge graph)"


# Prefixes for naming partitions beyond the graph's own (api.graph.PREFIXES).
SLUG_PREFIXES = {
    "sh": str(SH),
    "dcmitype": str(DCMITYPE),
    "void": str(VOID),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "spdx": str(SPDX),
    "vann": "http://purl.org/vocab/vann/",
    "oa": "http://www.w3.org/ns/oa#",
}


def node(fragment: str) -> URIRef:
    """An IRI of the description itself: ``https://w3id.org/epkg/dataset#<fragment>``."""
    return URIRef(f"{DATASET}#{fragment}")


def slug(iri: str) -> str:
    """A fragment-safe name for a vocabulary term: ``epkg-MinisterGoal``, ``rdfs-label``."""
    known = {**PREFIXES, **SLUG_PREFIXES}
    for prefix, namespace in sorted(known.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and iri != namespace:
            return re.sub(r"[^A-Za-z0-9_-]", "-", f"{prefix}-{iri[len(namespace) :]}")
    return "x-" + hashlib.sha256(iri.encode()).hexdigest()[:12]


def namespace_of(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


# --- formats ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DumpFormat:
    ext: str
    media_type: str
    rdflib: str  # rdflib's serializer/parser name
    name: str
    quads: bool = False

    @property
    def iana(self) -> URIRef:
        return URIRef(IANA + self.media_type)


DUMP_FORMATS: tuple[DumpFormat, ...] = (
    DumpFormat("ttl", "text/turtle", "turtle", "Turtle"),
    DumpFormat("nt", "application/n-triples", "nt", "N-Triples"),
    DumpFormat("jsonld", "application/ld+json", "json-ld", "JSON-LD"),
    DumpFormat("rdf", "application/rdf+xml", "xml", "RDF/XML"),
    DumpFormat("trig", "application/trig", "trig", "TriG", quads=True),
    DumpFormat("nq", "application/n-quads", "nquads", "N-Quads", quads=True),
)
BY_EXT = {f.ext: f for f in DUMP_FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in DUMP_FORMATS}
FORMAT_IRIS = {
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdf": "RDF_XML",
    "trig": "TriG",
    "nq": "N-Quads",
}


def dump_format(name: str) -> DumpFormat:
    """A dump format by extension (``ttl``), rdflib name (``turtle``) or media type."""
    lowered = name.lower()
    for f in DUMP_FORMATS:
        if lowered in (f.ext, f.rdflib, f.media_type, f.name.lower()):
            return f
    aliases = {"ntriples": "nt", "rdfxml": "rdf", "xml": "rdf", "nquads": "nq", "json-ld": "jsonld"}
    if lowered in aliases:
        return BY_EXT[aliases[lowered]]
    raise UserError(f"no dump format '{name}'; choose one of: {', '.join(f.ext for f in DUMP_FORMATS)}")


# --- versions ---------------------------------------------------------------------------

_RELEASE = re.compile(r"^##\s+\[?(\d+\.\d+\.\d+)\]?\s+[-–—]\s+(\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Release:
    version: str
    issued: str  # the first release's date
    modified: str  # the latest release's date
    notes: str  # the latest release's text


def read_release(project: Project) -> Release:
    """The dataset's version and dates, from CHANGELOG.md (newest release first)."""
    path = project.home / CHANGELOG
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ProjectError(f"{path} is missing: it holds the dataset's version and release dates") from None
    releases = list(_RELEASE.finditer(text))
    if not releases:
        raise ProjectError(f"{path} has no release heading like '## 1.0.0 - 2026-12-02'")
    latest = releases[0]
    end = releases[1].start() if len(releases) > 1 else len(text)
    return Release(latest.group(1), releases[-1].group(2), latest.group(2), text[latest.end() : end].strip())


# --- the question catalogue as data -------------------------------------------------------


def _parameter_term(parameter_type: str, name: str, example: str) -> tuple[URIRef | None, Literal | URIRef]:
    """(sh:datatype or None for an IRI, the example as the RDF term the question binds)."""
    term = convert(name, parameter_type, example)
    if isinstance(term, Literal):
        return (term.datatype or XSD.string), term
    assert isinstance(term, URIRef)
    return None, term


def catalogue_graph(catalogue: Mapping[str, Question]) -> Graph:
    """The questions as SHACL-AF executables a SPARQL client can find and run.

    ``<question/NAME>`` is an ``sh:SPARQLSelectExecutable`` with the question in ``rdfs:comment``
    (da, en), its summary, the example call, and ``sh:select``: the complete query, prefixes
    included. Each parameter is an ``sh:Parameter`` whose ``sh:path`` local name is the
    query's variable; a client binds a value as one ``VALUES`` row first in the outermost
    ``WHERE {`` (as epkg does), or leaves an optional one out.
    """
    g = new_graph()
    g.bind("sh", str(SH))
    g.bind("question", QUESTION_BASE)
    g.bind("parameter", PARAMETER_BASE)
    g.add((QUESTIONS, RDF.type, DCMITYPE.Collection))
    g.add((QUESTIONS, RDFS.label, Literal("Spørgsmålskatalog", lang="da")))
    g.add((QUESTIONS, RDFS.label, Literal("Question catalogue", lang="en")))
    g.add(
        (
            QUESTIONS,
            DCTERMS.description,
            Literal(
                "The named questions of the knowledge graph, each a SPARQL SELECT with typed parameters. "
                "Bind a parameter as one VALUES row first in the query's outermost WHERE group, or ask the REST "
                "route /api/queries/{name}.",
                lang="en",
            ),
        )
    )
    parameters_seen: dict[str, str] = {}
    for name in sorted(catalogue):
        question = catalogue[name]
        q = URIRef(QUESTION_BASE + name)
        g.add((QUESTIONS, DCTERMS.hasPart, q))
        for cls in (SH.SPARQLSelectExecutable, SH.SPARQLExecutable, SH.Parameterizable):
            g.add((q, RDF.type, cls))
        g.add((q, DCTERMS.identifier, Literal(name)))
        g.add((q, DCTERMS.isPartOf, QUESTIONS))
        for lang, text in (("da", question.question_da), ("en", question.question_en)):
            g.add((q, RDFS.label, Literal(text, lang=lang)))
            g.add((q, RDFS.comment, Literal(text, lang=lang)))
        g.add((q, DCTERMS.description, Literal(question.summary, lang="en")))
        g.add((q, SKOS.example, Literal(question.example)))
        g.add((q, SH.select, Literal(sparql_prologue() + question.text)))
        for p in question.parameters:
            pnode = URIRef(f"{q}/parameter/{p.name}")
            path = URIRef(PARAMETER_BASE + p.name)
            datatype, example = _parameter_term(p.type, p.name, p.example)
            g.add((q, SH.parameter, pnode))
            g.add((pnode, RDF.type, SH.Parameter))
            g.add((pnode, SH.path, path))
            g.add((pnode, SH.name, Literal(p.name)))
            g.add((pnode, SH.optional, Literal(not p.required)))
            g.add((pnode, SH.description, Literal(p.description, lang="en")))
            g.add((pnode, RDFS.comment, Literal(TYPES[p.type].help, lang="en")))
            g.add((pnode, SKOS.example, example))
            if datatype is None:
                g.add((pnode, SH.nodeKind, SH.IRI))
            else:
                g.add((pnode, SH.datatype, datatype))
            parameters_seen.setdefault(p.name, p.type)
    for name in sorted(parameters_seen):
        path = URIRef(PARAMETER_BASE + name)
        g.add((path, RDF.type, RDF.Property))
        for lang in ("da", "en"):  # the variable name is the same in both languages
            g.add((path, RDFS.label, Literal(f"parameter {name}", lang=lang)))
        g.add(
            (
                path,
                RDFS.comment,
                Literal(
                    f"The question parameter '{name}': its local name is the SPARQL variable ?{name} it binds.",
                    lang="en",
                ),
            )
        )
    return g


CATALOGUE_HEADER = (
    "# The question catalogue as data: generated from queries/*.rq by\n"
    "#   epkg export --format catalogue --output data/catalogue/questions.ttl\n"
    "# Do not edit: change the .rq file and run the command again (tests/test_dataset.py checks it).\n\n"
)


def catalogue_turtle(catalogue: Mapping[str, Question]) -> bytes:
    return CATALOGUE_HEADER.encode() + catalogue_graph(catalogue).serialize(format="turtle", encoding="utf-8")


# --- the JSON-LD context ------------------------------------------------------------------

COMMON_TERMS = {
    "label": RDFS.label,
    "comment": RDFS.comment,
    "seeAlso": RDFS.seeAlso,
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "definition": SKOS.definition,
    "broader": SKOS.broader,
    "narrower": SKOS.narrower,
    "inScheme": SKOS.inScheme,
    "exactMatch": SKOS.exactMatch,
    "title": DCTERMS.title,
    "description": DCTERMS.description,
    "publisher": DCTERMS.publisher,
    "issued": DCTERMS.issued,
    "identifier": DCTERMS.identifier,
}
COMMON_OBJECTS = {
    SKOS.broader,
    SKOS.narrower,
    SKOS.inScheme,
    SKOS.exactMatch,
    DCTERMS.publisher,
    RDFS.seeAlso,
}


def json_ld_context(ontology: Graph, data: Graph | None = None) -> dict:
    """Short keys for the ontology's terms: classes by name, object properties as IRIs,
    datatype properties with their range's datatype (a value of another type keeps its own).

    An object property whose values in ``data`` include blank nodes is not coerced to ``@id``
    (rdflib's JSON-LD writer would then drop the blank node's own triples)."""
    with_blank_objects = {p for _, p, o in (data or Graph()) if isinstance(o, BNode)}
    context: dict[str, object] = {"@version": 1.1}
    context.update({prefix: namespace for prefix, namespace in sorted(PREFIXES.items())})
    context.update(
        {"sh": str(SH), "void": str(VOID), "dcat": str(DCAT), "foaf": str(FOAF), "spdx": str(SPDX)}
    )
    context["id"] = "@id"
    context["type"] = "@type"
    for key, iri in COMMON_TERMS.items():
        context[key] = {"@id": str(iri), "@type": "@id"} if iri in COMMON_OBJECTS else str(iri)
    for key in ("label", "prefLabel"):  # one per language (the shapes say so): {"da": …, "en": …}
        context[key] = {"@id": str(COMMON_TERMS[key]), "@container": "@language"}
    epkg = str(EPKG)
    for cls in sorted(ontology.subjects(RDF.type, OWL.Class), key=str):
        if str(cls).startswith(epkg):
            context[str(cls)[len(epkg) :]] = str(cls)
    for prop in sorted(ontology.subjects(RDF.type, OWL.ObjectProperty), key=str):
        if str(prop).startswith(epkg):
            coerce = {} if prop in with_blank_objects else {"@type": "@id"}
            context[str(prop)[len(epkg) :]] = {"@id": str(prop), **coerce}
    for prop in sorted(ontology.subjects(RDF.type, OWL.DatatypeProperty), key=str):
        if not str(prop).startswith(epkg):
            continue
        ranges = [r for r in ontology.objects(prop, RDFS.range) if str(r).startswith(str(XSD))]
        term: dict[str, str] = {"@id": str(prop)}
        if len(ranges) == 1 and ranges[0] != XSD.string:
            term["@type"] = str(ranges[0])
        context[str(prop)[len(epkg) :]] = term
    return {"@context": context}


# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[URIRef, int]  # class -> instances
    properties: dict[URIRef, tuple[int, int, int]]  # property -> (triples, subjects, objects)
    vocabularies: tuple[str, ...]
    labels: dict[URIRef, dict[str, tuple[int, int]]]  # label property -> language -> (triples, subjects)


def count(graph: Graph) -> Counts:
    classes: dict[Any, set] = defaultdict(set)
    per_property: dict[Any, list] = defaultdict(lambda: [0, set(), set()])
    labels: dict[Any, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, set()]))
    subjects, objects = set(), set()
    for s, p, o in graph:
        subjects.add(s)
        objects.add(o)
        entry = per_property[p]
        entry[0] += 1
        entry[1].add(s)
        entry[2].add(o)
        if p == RDF.type and isinstance(o, URIRef):
            classes[o].add(s)
        if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, Literal):
            cell = labels[p][o.language or ""]
            cell[0] += 1
            cell[1].add(s)
    vocabularies = {namespace_of(str(p)) for p in per_property} | {namespace_of(str(c)) for c in classes}
    entities = {s for s in subjects if isinstance(s, URIRef) and str(s).startswith(BASE)}
    return Counts(
        triples=len(graph),
        entities=len(entities),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        classes={c: len(members) for c, members in classes.items()},
        properties={p: (e[0], len(e[1]), len(e[2])) for p, e in per_property.items()},
        vocabularies=tuple(sorted(vocabularies)),
        labels={p: {lang: (c[0], len(c[1])) for lang, c in langs.items()} for p, langs in labels.items()},
    )


# --- the publication ---------------------------------------------------------------------


def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


class Publication:
    """The published dataset of one project checkout: description, dumps, context, docs."""

    def __init__(self, project: Project):
        self.project = project
        self._dumps: dict[tuple[str, str], bytes] = {}

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
        publisher = node("publisher")
        g.add((d, DCTERMS.publisher, publisher))
        g.add((d, DCTERMS.creator, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(PUBLISHER_NAME, lang="en")))
        g.add((publisher, FOAF.homepage, URIRef(base + "/")))
        g.add((d, DCTERMS.issued, _date(release.issued)))
        g.add((d, DCTERMS.modified, _date(release.modified)))
        g.add((d, DCAT_VERSION, Literal(release.version)))
        g.add((d, OWL.versionInfo, Literal(release.version)))
        g.add((d, RDFS.seeAlso, URIRef(base + "/changelog")))
        for lang in sorted(ISO_639_3):
            g.add((d, DCTERMS.language, URIRef(LANGUAGE_AUTHORITY + ISO_639_3[lang])))
        g.add((d, DCTERMS.conformsTo, ONTOLOGY))
        g.add((d, DCTERMS.conformsTo, SHAPES_DOC))
        g.add((d, DCAT.landingPage, URIRef(base + "/")))
        g.add((d, FOAF.homepage, URIRef(base + "/")))
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
            g.add((d, DCTERMS.source, document))
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
            g.add((dist, DCTERMS.format, FORMATS[FORMAT_IRIS[f.ext]]))
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
        g.add((api, RDF.type, DCAT.DataService))
        g.add(
            (api, DCTERMS.title, Literal("REST API: the question catalogue and friendly routes", lang="en"))
        )
        g.add((api, DCAT.endpointURL, URIRef(base + "/api/queries")))
        g.add((api, DCAT.endpointDescription, URIRef(base + "/openapi.json")))
        g.add((api, DCTERMS.conformsTo, URIRef("https://spec.openapis.org/oas/v3.1.0")))
        g.add((api, DCAT.servesDataset, d))
        g.add((api, DCTERMS.license, self.licence))
        dist = node("sparql-access")
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal("The SPARQL endpoint", lang="en")))
        g.add((dist, DCAT.accessURL, URIRef(base + "/sparql")))
        g.add((dist, DCAT.accessService, sparql))
        g.add((dist, DCTERMS.license, self.licence))
        g.add((catalog, RDF.type, DCAT.Catalog))
        for lang, text in TITLE.items():
            g.add((catalog, DCTERMS.title, Literal(text, lang=lang)))
        g.add((catalog, DCTERMS.publisher, publisher))
        g.add((catalog, DCTERMS.license, self.licence))
        g.add((catalog, DCAT.dataset, d))
        g.add((catalog, DCAT.service, sparql))
        g.add((catalog, DCAT.service, api))
        g.add((catalog, DCTERMS.modified, _date(release.modified)))
        g.add((d, DCTERMS.hasVersion, Literal(f"ontology {self.ontology_version}")))
        g.add((d, RDFS.seeAlso, URIRef(base + "/uri-policy")))
        g.add((d, RDFS.seeAlso, URIRef(base + "/context.jsonld")))
        return g

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
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
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
        """One dump, serialised once per format and base and kept."""
        f = fmt if isinstance(fmt, DumpFormat) else dump_format(fmt)
        key = (f.ext, base.rstrip("/"))
        if key not in self._dumps:
            self._dumps[key] = self._serialize(f, key[1])
        return self._dumps[key]

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
        iris |= {
            str(s) for s in self.description().subjects() if isinstance(s, URIRef) and str(s).startswith(BASE)
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


def read_iri_list(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


IRI_LIST_HEADER = (
    "# Every IRI the dataset has published. The list only grows: an IRI once here must keep resolving\n"
    "# (docs/uri-policy.md). Add new ones with: epkg export --format iris --output docs/published-iris.txt\n"
)


def merged_iri_list(existing: Iterable[str], current: Iterable[str]) -> str:
    return IRI_LIST_HEADER + "".join(f"{iri}\n" for iri in sorted(set(existing) | set(current)))


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def context_json(publication: Publication) -> bytes:
    return (json.dumps(publication.context, indent=2, ensure_ascii=False) + "\n").encode()


# --- documentation pages ---------------------------------------------------------------------


def ontology_html(project: Project) -> str:
    """The ontology's documentation, generated by pyLODE (OntPub profile) from ontology/epkg.ttl.

    Two adjustments make it fit a bilingual ontology with hash IRIs: every term's anchor is its
    local name (pyLODE derives anchors from labels, so ``…/ontology#MinisterGoal`` would land
    nowhere), and pyLODE is given the English labels, the Danish ones shown beside them (it
    would run the two together)."""
    import html
    import logging

    from pylode import OntPub

    # pyLODE calls logging.basicConfig(level=DEBUG) when imported, and logs every step.
    logging.getLogger().setLevel(logging.WARNING)

    graph = load_files([project.home / "ontology" / "epkg.ttl"])
    danish: dict[str, str] = {}
    for subject, label in list(graph.subject_objects(RDFS.label)) + list(
        graph.subject_objects(DCTERMS.title)
    ):
        if isinstance(label, Literal) and label.language == "da":
            danish[str(subject)] = str(label)
            graph.remove((subject, RDFS.label, label))
            graph.remove((subject, DCTERMS.title, label))
    doc = OntPub(ontology=graph)
    namespace = str(EPKG)
    for subject in set(graph.subjects()):
        if str(subject).startswith(namespace) and str(subject) != namespace:
            doc.fids[str(subject)] = str(subject)[len(namespace) :]
    page = doc.make_html()

    def with_danish(match: re.Match) -> str:
        label = danish.get(namespace + match.group(1))
        if label is None:
            return match.group(0)
        return f'{match.group(0)} <small lang="da">({html.escape(label)})</small>'

    page = re.sub(r'(?<=id=")([A-Za-z0-9_]+)">\s*<h3>[^<]*', lambda m: with_danish(m), page)
    header = danish.get(str(ONTOLOGY))
    if header:
        page = re.sub(
            r"(<h1[^>]*>[^<]*)",
            lambda m: f'{m.group(1)} <small lang="da">({html.escape(header)})</small>',
            page,
            count=1,
        )
    return page


def _text(graph: Graph, subject, predicate, lang: str = "en") -> str:
    values = list(graph.objects(subject, predicate))
    for value in values:
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return str(values[0]) if values else ""


SHAPE_SKIP = {
    RDF.type,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.property,
    SH.sparql,
    SH.path,
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.targetNode,
    SH.target,
    RDFS.comment,
}


def shapes_page(shapes: Graph) -> dict:
    """What the shapes page shows: the header, and each node shape with its rules, in words."""
    from .graph import SHAPES
    from .graph import compact_iri as compact_known

    def compact_iri(iri: str) -> str:
        for prefix, namespace in SLUG_PREFIXES.items():
            if iri.startswith(namespace) and iri != namespace:
                return f"{prefix}:{iri[len(namespace) :]}"
        return compact_known(iri)

    def show(term) -> str:
        if isinstance(term, URIRef):
            return compact_iri(str(term))
        if isinstance(term, BNode):
            items = list(shapes.items(term)) if shapes.value(term, RDF.first) is not None else []
            if items:
                return "(" + " ".join(show(i) for i in items) + ")"
            inner = "; ".join(
                f"{compact_iri(str(p))} {show(o)}" for p, o in sorted(shapes.predicate_objects(term))
            )
            return f"[{inner}]"
        return str(term)

    def severity(s) -> str:
        return compact_iri(str(shapes.value(s, SH.severity) or SH.Violation)).removeprefix("sh:")

    def constraints(s) -> list[tuple[str, str]]:
        return sorted(
            (compact_iri(str(p)), show(o)) for p, o in shapes.predicate_objects(s) if p not in SHAPE_SKIP
        )

    header = URIRef(BASE + "shapes")
    counted: Counter = Counter()
    result = []
    for s in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        if not str(s).startswith(SHAPES):
            continue
        targets = [f"instances of {show(o)}" for o in shapes.objects(s, SH.targetClass)]
        targets += [f"subjects of {show(o)}" for o in shapes.objects(s, SH.targetSubjectsOf)]
        targets += [f"objects of {show(o)}" for o in shapes.objects(s, SH.targetObjectsOf)]
        targets += [f"the node {show(o)}" for o in shapes.objects(s, SH.targetNode)]
        targets += ["nodes selected by a SPARQL target" for _ in shapes.objects(s, SH.target)]
        properties = []
        for p in sorted(shapes.objects(s, SH.property), key=str):
            properties.append(
                {
                    "local": str(p).removeprefix(SHAPES) if isinstance(p, URIRef) else "",
                    "name": _text(shapes, p, SH.name) or show(p),
                    "path": show(shapes.value(p, SH.path)),
                    "constraints": constraints(p),
                    "severity": severity(p),
                    "description": _text(shapes, p, SH.description),
                    "message": _text(shapes, p, SH.message),
                }
            )
            counted[severity(p)] += 1
        sparql = [
            str(shapes.value(c, SH.select) or shapes.value(c, SH.ask) or "")
            for c in shapes.objects(s, SH.sparql)
        ]
        if sparql or not properties:
            counted[severity(s)] += 1
        result.append(
            {
                "local": str(s).removeprefix(SHAPES),
                "name": _text(shapes, s, SH.name) or str(s).removeprefix(SHAPES),
                "description": _text(shapes, s, SH.description),
                "message": _text(shapes, s, SH.message),
                "severity": severity(s) if (sparql or not properties) else "",
                "targets": targets,
                "constraints": constraints(s),
                "properties": properties,
                "sparql": sparql,
            }
        )
    result.sort(key=lambda shape: str(shape["name"]).lower())
    return {
        "header": {
            "iri": str(header),
            "title_en": _text(shapes, header, DCTERMS.title, "en"),
            "title_da": _text(shapes, header, DCTERMS.title, "da"),
            "description": _text(shapes, header, DCTERMS.description),
            "version": str(shapes.value(header, OWL.versionInfo) or ""),
            "version_iri": str(shapes.value(header, OWL.versionIRI) or ""),
            "modified": str(shapes.value(header, DCTERMS.modified) or ""),
            "licence": str(shapes.value(header, DCTERMS.license) or ""),
        },
        "namespace": SHAPES,
        "shapes": result,
        "severities": sorted(counted.items()),
    }


def markdown_html(text: str) -> str:
    import markdown

    return markdown.markdown(text, extensions=["tables", "fenced_code"])


# --- pages, serialisation, and the service's builder process -----------------------------------

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates" / "publish"),
    autoescape=select_autoescape(["html"]),
)
GRAPH_MEDIA_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
SHORT_FORMATS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}


def alternates(path: str) -> list[dict[str, str]]:
    return [
        {"type": t, "href": f"{path}?format={short}", "name": short} for short, t in SHORT_FORMATS.items()
    ]


def serialize(graph: Graph, media_type: str, context: dict | None = None) -> bytes:
    fmt = BY_MEDIA_TYPE[media_type].rdflib
    if fmt == "json-ld" and context is not None:
        return graph.serialize(format=fmt, context=context, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")


def shapes_html(p: Publication) -> str:
    return TEMPLATES.get_template("shapes.html").render(
        title="SHACL shapes", alternates=alternates("/shapes"), **shapes_page(p.shapes)
    )


def dataset_html(p: Publication, base: str) -> str:
    counts = p.counts
    documents = p.documents()
    graphs = [
        {
            "name": g.name,
            "iri": g.iri,
            "triples": len(g.graph),
            "document": str(documents.get(g.iri, "")),
            "document_link": "/" + str(documents.get(g.iri, "")).removeprefix(BASE),
        }
        for g in p.graphs
    ]
    labels = []
    for prop, langs in sorted(counts.labels.items()):
        total = counts.properties[prop][1]
        for lang, (triples, subjects) in sorted(langs.items()):
            labels.append(
                {
                    "property": prop.n3(p.union.namespace_manager),
                    "lang": lang or "none",
                    "triples": triples,
                    "subjects": subjects,
                    "of": total,
                }
            )
    return TEMPLATES.get_template("dataset.html").render(
        title=TITLE["en"],
        description=DESCRIPTION,
        iri=str(DATASET),
        version=p.release.version,
        ontology_version=p.ontology_version,
        issued=p.release.issued,
        modified=p.release.modified,
        licence=str(p.licence),
        base=base,
        counts=counts,
        uri_space=BASE,
        formats=DUMP_FORMATS,
        graphs=graphs,
        labels=labels,
        alternates=alternates("/.well-known/void"),
    )


def description_bytes(p: Publication, base: str, media_type: str) -> bytes:
    """The description as served: with the dumps' sizes (so every dump is built first)."""
    return serialize(p.description(base, p.sizes(base)), media_type, p.context["@context"])


# The service builds all of this in one separate process (rdflib holds the GIL for seconds,
# which would stall the event loop); ``task`` runs there on the process's own Publication.
_builder: Publication | None = None


def init_builder(home: str) -> None:
    global _builder
    die_with_parent()
    try:
        os.nice(10)  # behind the event loop and the query workers when they want the CPU
    except OSError:
        pass
    _builder = Publication(Project(home=Path(home)))


def task(name: str, *args: str) -> Any:
    p = _builder
    if p is None:  # pragma: no cover - the initializer always ran
        raise ProjectError("the publication builder has no project")
    if name == "ontology.html":
        return ontology_html(p.project)
    if name == "shapes.html":
        return shapes_html(p)
    if name == "dataset.html":
        return dataset_html(p, args[0])
    if name == "void":
        return description_bytes(p, args[0], args[1])
    if name == "dump":
        return p.dump(args[0], args[1])
    if name == "graph":
        return serialize(p.graph_dump(args[0]), args[1], p.context["@context"])
    if name == "graph-names":
        return [g.name for g in p.graphs]
    if name == "versions":
        shapes_version = p.shapes.value(SHAPES_DOC, OWL.versionInfo)
        return {
            "ontology": p.ontology_version,
            "shapes": str(shapes_version or ""),
            "dataset": p.release.version,
        }
    if name == "ontology":
        return serialize(p.ontology, args[0])
    if name == "shapes":
        return serialize(p.shapes, args[0])
    if name == "context":
        return p.context
    if name == "counts":
        return p.counts.triples
    raise ValueError(f"no publication task {name!r}")
