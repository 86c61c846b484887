"""The dataset's names: the vocabularies the description uses beyond the graph's own, the
dataset's IRIs, its title and description, and how a term becomes a fragment of the
description (``node``, ``slug``)."""

from __future__ import annotations

import hashlib
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCMITYPE, FOAF, SH

from ..graph import BASE, PREFIXES

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace is DCAT 2
IANA = "https://www.iana.org/assignments/media-types/"
DCATAP = Namespace("http://data.europa.eu/r5r/")  # DCAT-AP's own terms (dcatap:availability)
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# The EU Publications Office's authority lists, DCAT-AP's controlled vocabularies.
AUTHORITY = "http://publications.europa.eu/resource/authority/"
LANGUAGE_AUTHORITY = AUTHORITY + "language/"
FILE_TYPE = AUTHORITY + "file-type/"
AVAILABILITY_STABLE = URIRef(AUTHORITY + "planned-availability/STABLE")
# The checksum algorithm as DCAT-AP 3.0.1's shapes expect it (an IRI under https://spdx.org/rdf/terms);
# the description states it owl:sameAs SPDX 2.3's own term, spdx:checksumAlgorithm_sha256.
CHECKSUM_SHA256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
ISO_639_3 = {"da": "DAN", "en": "ENG"}  # the languages the data's labels are written in

DEFAULT_PUBLIC_BASE = BASE.rstrip("/")  # where w3id.org sends clients
DATASET = URIRef(BASE + "dataset")
ONTOLOGY = URIRef(BASE + "ontology")
SHAPES_DOC = URIRef(BASE + "shapes")
QUESTIONS = URIRef(BASE + "questions")
QUESTION_BASE = BASE + "question/"
PARAMETER_BASE = BASE + "parameter/"

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
