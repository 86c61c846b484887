"""Writing a result Table: a readable text table, SPARQL 1.1 JSON results, or CSV."""

from __future__ import annotations

import csv
import io
import json

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from .graph import BASE, PREFIXES
from .store import Table

FORMATS = ("table", "json", "csv")
CELL_WIDTH = 60


def short(term: Identifier | None) -> str:
    """A term as a person reads it: our IRIs as paths, known vocabularies prefixed."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if iri.startswith(namespace) and namespace != BASE:
                return f"{prefix}:{iri[len(namespace):]}"
        return iri.removeprefix(BASE)
    return str(term)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def to_text_table(table: Table, width: int = CELL_WIDTH) -> str:
    if not table.rows:
        return "(no rows)\n"
    cells = [[_clip(short(term), width) for term in row] for row in table.rows]
    widths = [max(len(name), *(len(row[i]) for row in cells)) for i, name in enumerate(table.variables)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(table.variables), line("-" * w for w in widths), *(line(row) for row in cells)]
    out.append(f"({len(table.rows)} row{'s' if len(table.rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype:
        value["datatype"] = str(term.datatype)
    return value


def to_sparql_json(table: Table) -> str:
    """The W3C SPARQL 1.1 Query Results JSON Format."""
    bindings = [{v: _json_term(t) for v, t in zip(table.variables, row) if t is not None} for row in table.rows]
    return json.dumps({"head": {"vars": list(table.variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=2) + "\n"


def to_csv(table: Table) -> str:
    """The W3C SPARQL 1.1 Query Results CSV Format (plain values, full IRIs)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    return out.getvalue()


def render(table: Table, fmt: str) -> str:
    return {"table": to_text_table, "json": to_sparql_json, "csv": to_csv}[fmt](table)
