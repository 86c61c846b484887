"""What the SPARQL page shows of an answer: its first rows and how many there are.

Reading, counting and sorting a large answer is heavy work, so it runs where the query ran
(in a worker, under the time limit and the memory cap), and only the rows the page shows
cross back to the service: the event loop never parses or sorts a client's answer.
Cells come in the shape of SPARQL JSON bindings (``{"type", "value", "xml:lang"}``) whatever
the query form, so one page template shows them all.
"""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass

import pyoxigraph as ox

from .store import FORM_RESULTS, Store

Cell = dict[str, str] | None
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Preview:
    variables: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]  # the first rows of the answer (triples sorted)
    total: int  # rows (or triples) in the whole answer
    boolean: bool | None = None  # an ASK query's answer


def preview(store: Store, query: str, form: str, rows: int) -> Preview:
    """The first ``rows`` rows of a query's answer, and their total."""
    if FORM_RESULTS[form] == "results":
        data = json.loads(store.execute(query, "application/sparql-results+json"))
        if "boolean" in data:
            return Preview((), (), 0, bool(data["boolean"]))
        variables = tuple(data["head"].get("vars", ()))
        bindings = data["results"]["bindings"]
        shown = tuple(tuple(binding.get(v) for v in variables) for binding in bindings[:rows])
        return Preview(variables, shown, len(bindings))
    body = store.execute(query, "application/n-triples")
    triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    first = heapq.nsmallest(rows, triples, key=lambda t: (t.subject.value, t.predicate.value, t.object.value))
    shown = tuple((_cell(t.subject), _cell(t.predicate), _cell(t.object)) for t in first)
    return Preview(("subject", "predicate", "object"), shown, len(triples))


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        if term.datatype.value == _XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    return {"type": "triple", "value": str(term)}
