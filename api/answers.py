"""A question's rows as REST items: plain JSON values, labels by language, one item per resource.

A catalogue question answers with rows of RDF terms. For the REST API they become JSON:
IRIs as strings, numbers as numbers, booleans as booleans, other literals as strings; a
variable ``x`` with a sibling ``x_en`` becomes ``{"da": …, "en": …}``. With a ``key``
variable, rows about the same resource merge into one item, and the ``citation`` columns
(``document``, ``section``, ``quote``, ``passage``) are gathered into a list of citations,
each once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .store import Table

CITATION_FIELDS = ("passage", "document", "section", "quote")
_NUMERIC = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.decimal,
    XSD.double,
    XSD.float,
}


def plain(term: Identifier | None) -> Any:
    """An RDF term as a JSON value."""
    if term is None:
        return None
    if isinstance(term, (URIRef, BNode)):
        return str(term)
    assert isinstance(term, Literal)
    if term.datatype in _NUMERIC:
        value = term.toPython()
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return value if isinstance(value, (int, float)) else str(term)
    if term.datatype == XSD.boolean:
        return term.toPython() if isinstance(term.toPython(), bool) else str(term)
    return str(term)


def _row_dict(variables: tuple[str, ...], row: tuple[Identifier | None, ...]) -> dict[str, Any]:
    terms = dict(zip(variables, row, strict=True))
    out: dict[str, Any] = {}
    for name in variables:
        if name.endswith("_en") and name[:-3] in terms:
            continue
        if f"{name}_en" in terms:
            out[name] = {"da": plain(terms[name]), "en": plain(terms[f"{name}_en"])}
        else:
            out[name] = plain(terms[name])
    return out


def rows(table: Table) -> list[dict[str, Any]]:
    """One JSON object per row, every variable present (null where unbound)."""
    return [_row_dict(table.variables, row) for row in table.rows]


def items(table: Table, key: str) -> list[dict[str, Any]]:
    """One JSON object per distinct ``key`` value, in first-seen order, citations gathered."""
    cited = [f for f in CITATION_FIELDS if f in table.variables]
    merged: dict[Any, dict[str, Any]] = {}
    for row in rows(table):
        citation = {f: row.pop(f) for f in cited}
        item = merged.get(row[key])
        if item is None:
            item = merged[row[key]] = {**row, "citations": []} if cited else dict(row)
        if cited and any(v is not None for v in citation.values()) and citation not in item["citations"]:
            item["citations"].append(citation)
    return list(merged.values())


def page(values: list[Any], limit: int, offset: int) -> list[Any]:
    return values[offset : offset + limit]
