"""The dump formats (by extension, media type or name) and the media types a graph is
served in; ``serialize`` writes a graph in one of them."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from ..errors import UserError
from .terms import FILE_TYPE, IANA


@dataclass(frozen=True)
class DumpFormat:
    ext: str
    media_type: str
    rdflib: str  # rdflib's serializer/parser name
    name: str
    file_type: str  # its code in the EU file-type authority list (DCAT-AP's vocabulary for dct:format)
    quads: bool = False

    @property
    def iana(self) -> URIRef:
        return URIRef(IANA + self.media_type)

    @property
    def eu_file_type(self) -> URIRef:
        return URIRef(FILE_TYPE + self.file_type)


DUMP_FORMATS: tuple[DumpFormat, ...] = (
    DumpFormat("ttl", "text/turtle", "turtle", "Turtle", "RDF_TURTLE"),
    DumpFormat("nt", "application/n-triples", "nt", "N-Triples", "RDF_N_TRIPLES"),
    DumpFormat("jsonld", "application/ld+json", "json-ld", "JSON-LD", "JSON_LD"),
    DumpFormat("rdf", "application/rdf+xml", "xml", "RDF/XML", "RDF_XML"),
    DumpFormat("trig", "application/trig", "trig", "TriG", "RDF_TRIG", quads=True),
    DumpFormat("nq", "application/n-quads", "nquads", "N-Quads", "RDF_N_QUADS", quads=True),
)
BY_EXT = {f.ext: f for f in DUMP_FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in DUMP_FORMATS}
# VoID's void:feature names a dump's syntax from the W3C's list (http://www.w3.org/ns/formats/).
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


GRAPH_MEDIA_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
SHORT_FORMATS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}


def serialize(graph: Graph, media_type: str, context: dict | None = None) -> bytes:
    fmt = BY_MEDIA_TYPE[media_type].rdflib
    if fmt == "json-ld" and context is not None:
        return graph.serialize(format=fmt, context=context, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=fmt, encoding="utf-8")
