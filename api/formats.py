"""Writing a result Table: a readable text table, SPARQL 1.1 JSON results, or CSV."""

from __future__ import annotations

import csv
import io
import json
import shutil

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from .graph import compact_iri
from .store import Table

FORMATS = ("table", "json", "csv")
CELL_WIDTH = 60  # at most, per column; narrower when many columns share the terminal
MIN_CELL_WIDTH = 12


def short(term: Identifier | None) -> str:
    """A term as a person reads it in a table (see graph.compact_iri); literals as text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    return str(term)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _fit(natural: list[int], total: int) -> list[int]:
    """Column widths that fit ``total`` characters: the widest columns give way first."""
    widths = [min(w, CELL_WIDTH) for w in natural]
    while sum(widths) + 2 * (len(widths) - 1) > total:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= MIN_CELL_WIDTH:
            break
        widths[widest] -= 1
    return widths


def to_text_table(table: Table, total_width: int | None = None) -> str:
    """Columns clipped to fit the terminal (use json or csv for the full values)."""
    if not table.rows:
        return "(no rows)\n"
    total_width = total_width or shutil.get_terminal_size((160, 24)).columns
    full = [[" ".join(short(term).split()) for term in row] for row in table.rows]
    natural = [max(len(name), *(len(row[i]) for row in full)) for i, name in enumerate(table.variables)]
    widths = _fit(natural, total_width)
    cells = [[_clip(value, w) for value, w in zip(row, widths, strict=True)] for row in full]
    header = [_clip(name, w) for name, w in zip(table.variables, widths, strict=True)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731, B905
    out = [line(header), line("-" * w for w in widths), *(line(row) for row in cells)]
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
    bindings = [
        {v: _json_term(t) for v, t in zip(table.variables, row, strict=True) if t is not None}
        for row in table.rows
    ]
    return (
        json.dumps(
            {"head": {"vars": list(table.variables)}, "results": {"bindings": bindings}},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


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
