"""The RDF documents of one dataset IRI, written for a linked-data client.

- Turtle: ``@prefix`` lines, then the subject's own triples, then its neighbours' (what links to
  it, the labels of what it links to, the passages it cites);
- JSON-LD: compacted with the published context (``/context.jsonld``, built by
  api/dataset/context.py), named by its URL: one node object per subject, the subject's first,
  its classes under ``type`` (the context's alias of ``@type``), short keys;
- N-Triples and RDF/XML: as the engine writes them.

Turtle and JSON-LD are written from the engine's N-Triples of the description
(queries/service/describe.rq) by ``write``, which runs in a query worker (api/execution.py):
rdflib holds the GIL for a few tenths of a second on the largest descriptions, and the event loop
never waits for it.

Every document of an IRI is at its path under the public base, ``?format=`` naming the format
(``alternates``): the Link headers and the entity page's ``<link rel="alternate">`` name them.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote

from rdflib import Graph, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer

from .graph import BASE, new_graph
from .negotiation import SHORT_NAMES
from .store import RESULT_MEDIA_TYPES

REWRITTEN = ("text/turtle", "application/ld+json")  # the others are the engine's own
# Each RDF format's short name for ?format=: ttl, jsonld, nt, rdf.
SHORT = {
    media_type: next(name for name, target in SHORT_NAMES.items() if target == media_type)
    for media_type in RESULT_MEDIA_TYPES["graph"]
}
# A header is Latin-1: the IRI goes in as a URI, all but its delimiters and escapes percent-encoded.
URI_SAFE = ":/?#[]@!$&'()*+,;=-._~%"


# --- where the documents are ------------------------------------------------


def page_url(base: str, iri: str) -> str:
    """Where ``iri`` (a dataset IRI) is served under the public ``base`` (api/deps.py base_url)."""
    return base + "/" + quote(iri[len(BASE) :], safe=URI_SAFE)


def alternates(base: str, iri: str) -> list[tuple[str, str]]:
    """(media type, URL) of each RDF document of ``iri``, Turtle first."""
    here = page_url(base, iri)
    return [(media_type, f"{here}?format={SHORT[media_type]}") for media_type in RESULT_MEDIA_TYPES["graph"]]


def link_header(base: str, iri: str, served: str) -> str:
    """The ``Link`` header of ``iri``'s ``served`` representation: the IRI it describes, the
    Turtle document that describes it (``describedby``: the data, never the page), and every
    other representation (``alternate``: the RDF formats, and the page from a data document)."""
    here = page_url(base, iri)
    turtle_url = alternates(base, iri)[0][1]
    links = [
        f'<{quote(iri, safe=URI_SAFE)}>; rel="describes"',
        f'<{turtle_url}>; rel="describedby"; type="text/turtle"',
    ]
    others = [("text/html", f"{here}?format=html"), *alternates(base, iri)]
    links += [f'<{url}>; rel="alternate"; type="{media}"' for media, url in others if media != served]
    return ", ".join(links)


# --- writing them -----------------------------------------------------------


class _SubjectFirst(TurtleSerializer):
    """rdflib's Turtle writer (the prefixes it uses, blank nodes inline, one block per subject),
    with ``first``'s block before every other."""

    def __init__(self, graph: Graph, first: URIRef):
        super().__init__(graph)
        self.first = first

    def orderSubjects(self) -> list:  # noqa: N802 - rdflib's name
        subjects = super().orderSubjects()
        if self.first not in subjects:
            return subjects
        return [self.first, *(s for s in subjects if s != self.first)]


def turtle(graph: Graph, iri: str) -> bytes:
    out = io.BytesIO()
    _SubjectFirst(graph, URIRef(iri)).serialize(out, encoding="utf-8")
    return out.getvalue()


def _expand(key: str, context: dict[str, Any]) -> str:
    """A compact IRI (``basis:explicit``) as the full IRI, by the context's prefixes."""
    prefix, colon, rest = key.partition(":")
    target = context.get(prefix) if colon and not rest.startswith("//") else None
    return target + rest if isinstance(target, str) else key


def json_ld(graph: Graph, iri: str, context: dict[str, Any], context_url: str) -> bytes:
    """``context`` is the published context's ``@context`` value; the document names it by
    ``context_url`` (where it is published) rather than carry a copy."""
    written = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = written.get("@graph", [{k: v for k, v in written.items() if k != "@context"}])

    def is_subject(node: dict[str, Any]) -> bool:
        return _expand(str(node.get("id", node.get("@id", ""))), context) == iri

    nodes.sort(key=lambda node: not is_subject(node))  # stable: the others keep rdflib's order
    document = {"@context": context_url, **(nodes[0] if len(nodes) == 1 else {"@graph": nodes})}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def write(ntriples: bytes, iri: str, media_type: str, context: dict[str, Any], context_url: str) -> bytes:
    """The description of ``iri`` (the engine's N-Triples) as a ``media_type`` document."""
    graph = new_graph()  # the dataset's prefixes bound (api/graph.py PREFIXES)
    graph.parse(data=ntriples, format="nt")
    if media_type == "text/turtle":
        return turtle(graph, iri)
    if media_type == "application/ld+json":
        return json_ld(graph, iri, context, context_url)
    raise ValueError(f"entity documents are rewritten as {' or '.join(REWRITTEN)}, not {media_type}")
