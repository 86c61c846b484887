"""The remote backend: any SPARQL 1.1 endpoint through SPARQLWrapper."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from .store import QuerySyntaxError, StoreError, Table


def _from_json(binding: dict | None) -> Identifier | None:
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value) if datatype in (None, str(XSD.string)) else Literal(value, datatype=URIRef(datatype))


class RemoteStore:
    backend = "remote"

    def __init__(self, endpoint: str, timeout: float = 30.0):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        if not endpoint.startswith(("http://", "https://")):
            raise StoreError(f"the endpoint must be an http(s) URL, not {endpoint!r}")
        self._client = SPARQLWrapper(endpoint)
        self._client.setReturnFormat(JSON)
        self._client.setMethod(POST)  # long queries; POST is standard for queries too
        self._client.setTimeout(int(timeout))
        self.endpoint = endpoint
        self.description = f"remote SPARQL endpoint {endpoint}"

    def select(self, query: str) -> Table:
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

        self._client.setQuery(query)
        try:
            answer = self._client.queryAndConvert()
        except QueryBadFormed as exc:
            raise QuerySyntaxError(str(exc)) from None
        except Exception as exc:  # URLError, timeouts, HTTP errors
            raise StoreError(f"{self.endpoint} did not answer: {exc}") from exc
        variables = tuple(answer["head"].get("vars", []))
        rows = tuple(
            tuple(_from_json(solution.get(v)) for v in variables) for solution in answer["results"]["bindings"]
        )
        return Table(variables, rows)


