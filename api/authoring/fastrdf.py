"""Turtle read with pyoxigraph's parser (Rust) into rdflib graphs. rdflib's own Turtle parser
took most of ``epkg author check``'s time; this route gives the same graph (the same terms,
blank nodes renamed apart) in about a quarter of the time, and the triples as N-Triples for
the SHACL engine without a second pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Parsed:
    graph: Graph
    ntriples: str  # the same triples, one a line


def _converter():
    seen: dict = {}

    def convert(term):
        found = seen.get(term)
        if found is None:
            if isinstance(term, ox.NamedNode):
                found = URIRef(term.value)
            elif isinstance(term, ox.BlankNode):
                found = BNode(term.value)
            elif term.language:
                found = Literal(term.value, lang=term.language)
            else:
                datatype = term.datatype.value
                found = Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
            seen[term] = found
        return found

    return convert


def read_turtle(paths: list[Path], graph: Graph | None = None) -> Parsed:
    """The files' triples in one graph (``graph``, else a new one). Each file's relative IRIs
    resolve against its own @base, else its location, as rdflib resolves them. Raises
    SyntaxError (with the file and line) on bad Turtle."""
    graph = Graph() if graph is None else graph
    triples: list = []
    for path in paths:
        try:
            parsed = ox.parse(
                path=path,
                format=ox.RdfFormat.TURTLE,
                base_iri=path.resolve().as_uri(),
                rename_blank_nodes=True,
            )
            triples.extend(quad.triple for quad in parsed)
        except SyntaxError as exc:
            raise SyntaxError(f"{path.name}: {exc}") from None
    convert = _converter()
    graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in triples)
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Parsed(graph, text.decode("utf-8") if text else "")
