"""Pushes the merged graph into a SPARQL server, through the SPARQL 1.1 Graph Store
HTTP Protocol (a PUT of N-Triples to the server's default graph), so the remote backend
has the same data as the embedded one. Only the URL the user names is contacted."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from rdflib import Graph


class PublishError(RuntimeError):
    pass


def default_graph_url(graph_store: str) -> str:
    if not graph_store.startswith(("http://", "https://")):
        raise PublishError(f"the graph store must be an http(s) URL, not {graph_store!r}")
    parts = urllib.parse.urlsplit(graph_store)
    query = "&".join(filter(None, [parts.query, "default"]))
    return urllib.parse.urlunsplit(parts._replace(query=query))


def replace_default_graph(graph: Graph, graph_store: str, timeout: float = 120.0) -> int:
    """Replaces the server's default graph with ``graph``; returns the triple count sent."""
    body = graph.serialize(format="nt", encoding="utf-8")
    request = urllib.request.Request(
        default_graph_url(graph_store), data=body, method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status not in (200, 201, 204):
                raise PublishError(f"{graph_store} answered {response.status}")
    except urllib.error.HTTPError as exc:
        raise PublishError(f"{graph_store} refused the data: {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise PublishError(f"{graph_store} could not be reached: {exc}") from exc
    return len(graph)
