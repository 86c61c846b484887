"""HTTP content negotiation: the client's Accept header (with q-values) against what we offer.

Also the short names clients may give instead, in ``?format=`` (for links a browser can
follow) or as a path suffix: ``json``, ``xml``, ``csv``, ``tsv`` for results; ``ttl``,
``jsonld``, ``nt``, ``rdf`` for graphs, where ``xml`` means RDF/XML and ``json`` JSON-LD
(SPARQLWrapper's defaults); ``html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import NotAcceptable

SHORT_NAMES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "n3": "text/turtle",  # Turtle is N3; SPARQLWrapper asks for n3 by name
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "owl": "application/rdf+xml",
    "html": "text/html",
}
# Media types clients send that mean one we offer.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/xhtml+xml": "text/html",
}
# On a graph query (CONSTRUCT, DESCRIBE) these short names mean the graph format of that
# family: SPARQLWrapper sends ``format=xml`` by default, and ``format=json`` for JSON-LD.
GRAPH_SHORT_NAMES = {
    "xml": "application/rdf+xml",
    "json": "application/ld+json",
}
GRAPH_ALIASES = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
}


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _parse(accept: str) -> list[_Range]:
    ranges = []
    for order, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        main, _, sub = media.lower().partition("/")
        ranges.append(_Range(main, sub, q, order))
    return ranges


def negotiate(accept: str | None, offered: tuple[str, ...], *, graph: bool = False) -> str:
    """The offered media type the client prefers most (ties: the client's order, then ours).

    No Accept header, or ``*/*``, gets the first offered. Raises NotAcceptable when the client
    accepts none of them.
    """
    if not accept or not accept.strip():
        return offered[0]
    aliases = {**ALIASES, **(GRAPH_ALIASES if graph else {})}
    ranges = _parse(accept)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for index, media_type in enumerate(offered):
        # The most specific range that matches this type decides its q (RFC 9110, 12.5.1).
        candidates = [r for r in ranges if r.matches(media_type)]
        # A client's alias (application/json for SPARQL JSON) counts as the type itself.
        candidates += [
            _Range(media_type.split("/", 1)[0], media_type.split("/", 1)[1], r.q, r.order)
            for r in ranges
            for alias, target in aliases.items()
            if target == media_type and r.type + "/" + r.subtype == alias
        ]
        if not candidates:
            continue
        decisive = max(candidates, key=lambda r: (r.specificity, r.q))
        if decisive.q <= 0:
            continue
        rank = (decisive.q, decisive.specificity, -decisive.order, -index)
        if best is None or rank > best:
            best, chosen = rank, media_type
    if chosen is None:
        raise NotAcceptable(
            f"none of the formats you accept ({accept}) is offered here; offered: {', '.join(offered)}"
        )
    return chosen


def by_short_name(names: str | list[str], offered: tuple[str, ...], *, graph: bool = False) -> str:
    """The first of the ``format`` values given that names an offered type: a short name
    (``csv``) or media types (``text/csv``; SPARQLWrapper sends both, as two values)."""
    short_names = {**SHORT_NAMES, **(GRAPH_SHORT_NAMES if graph else {})}
    for name in [names] if isinstance(names, str) else names:
        media_type = short_names.get(name.lower().strip())
        if media_type in offered:
            return media_type
        if "/" in name:
            try:
                return negotiate(name, offered, graph=graph)
            except NotAcceptable:
                continue
    shown = ", ".join(sorted(k for k, v in short_names.items() if v in offered))
    raise NotAcceptable(f"format {names!r} is not offered here; choose one of: {shown}")
