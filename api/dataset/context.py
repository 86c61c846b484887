"""The JSON-LD context: short keys for the ontology's terms and the common vocabularies."""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SH, SKOS, XSD

from ..graph import EPKG, PREFIXES
from .terms import SPDX, VOID

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
        # xsd:decimal is not coerced: whole values are written as the xsd:integer derived from it
        # (ontology/README.md), so a value keeps its own type and compacts to the short key.
        if len(ranges) == 1 and ranges[0] not in (XSD.string, XSD.decimal):
            term["@type"] = str(ranges[0])
        context[str(prop)[len(epkg) :]] = term
    return {"@context": context}
