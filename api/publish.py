"""Loads ontology and data into a SPARQL server, one named graph per source document.

The graphs (docs/deploy.md lists them):

- ``https://w3id.org/epkg/graph/ontology``: ontology/ (the vocabulary and its schemes);
- ``https://w3id.org/epkg/graph/reference``: data/reference/ (documents, minister goals,
  organisations, the target-group scheme, derivation rules);
- ``https://w3id.org/epkg/graph/<doc>``: one per file of data/plans/, named after it
  (``graph/slagelse-2017`` holds what plan/slagelse-2017 contains).

A file elsewhere under data/ goes in the graph of its first folder (``data/x/y.ttl`` ->
``graph/x``). A triple stated in two files is loaded once, into the first graph that has
it, so the union of the graphs (what the questions are asked of) is the merged graph the
embedded store holds, with no duplicates.

Loading goes through the SPARQL 1.1 Graph Store HTTP Protocol: one PUT per graph replaces
it whole, so loading twice leaves the same data; graphs under ``graph/`` that the project
no longer has are deleted. The query endpoint is used to list the graphs before and to
count them after, and the counts must equal what was sent. Only the URLs the user names
are contacted.
"""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph

from .errors import ProjectError, ServiceError, UserError
from .graph import BASE, Project, load_files, new_graph

GRAPH_BASE = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
REFERENCE_GRAPH = GRAPH_BASE + "reference"
PLANS_DIR = "plans"


class PublishError(ServiceError):
    """The store could not be reached, refused the data, or holds other data than was sent."""


class LoginRefused(UserError):
    status = 401
    title = "login refused"


class DataViolations(ProjectError):
    """The data breaks structural SHACL rules: it is not loaded."""


@dataclass(frozen=True)
class NamedGraph:
    iri: str
    files: tuple[Path, ...]
    graph: Graph = field(repr=False)

    @property
    def name(self) -> str:
        return self.iri.removeprefix(GRAPH_BASE)


def graph_iri(project: Project, path: Path) -> str:
    """The named graph a content file goes into."""
    relative = path.resolve().relative_to(project.home.resolve())
    top, *rest = relative.parts
    if top == "ontology":
        return ONTOLOGY_GRAPH
    if top != "data" or not rest:
        raise ProjectError(f"{relative} is not an ontology or data file")
    if len(rest) == 1:  # a file directly in data/
        return REFERENCE_GRAPH
    folder = rest[0]
    if folder == PLANS_DIR:
        return GRAPH_BASE + Path(rest[-1]).stem
    return GRAPH_BASE + folder


def graph_files(project: Project) -> list[tuple[str, list[Path]]]:
    """Each named graph's IRI and content files, in the order ontology, reference, other
    folders, plans (a triple in two graphs belongs to the first). The embedded store
    (store.py) loads the same graphs from this list."""
    groups: dict[str, list[Path]] = {}
    for path in project.content_files():
        groups.setdefault(graph_iri(project, path), []).append(path)

    def order(iri: str) -> tuple[int, str]:
        rank = {ONTOLOGY_GRAPH: 0, REFERENCE_GRAPH: 1}.get(iri)
        if rank is not None:
            return rank, iri
        plan = any(p.parent.name == PLANS_DIR for p in groups[iri])
        return (3 if plan else 2), iri

    return [(iri, groups[iri]) for iri in sorted(groups, key=order)]


def named_graphs(project: Project) -> list[NamedGraph]:
    """The project's content as named graphs, in the order of graph_files; every ground
    triple in exactly one graph."""
    seen: set = set()
    result = []
    for iri, files in graph_files(project):
        graph = load_files(files)
        repeated = [t for t in graph if t in seen]
        for triple in repeated:
            graph.remove(triple)
        seen.update(t for t in graph if not any(isinstance(term, BNode) for term in t))
        result.append(NamedGraph(iri, tuple(files), graph))
    return result


def merged(graphs: Sequence[NamedGraph]) -> Graph:
    union = new_graph()
    for named in graphs:
        union += named.graph
    return union


# --- the Graph Store Protocol --------------------------------------------------------


class GraphStore:
    """A SPARQL 1.1 Graph Store HTTP Protocol client: PUT and DELETE of named graphs.

    Credentials, when given, answer the server's challenge (HTTP Digest, as Virtuoso's
    ``/sparql-graph-crud-auth`` asks, or Basic); they are never sent unasked."""

    def __init__(
        self, url: str, user: str | None = None, password: str | None = None, timeout: float = 300.0
    ):
        if not url.startswith(("http://", "https://")):
            raise UserError(f"the graph store must be an http(s) URL, not {url!r}")
        self.url = url
        self.timeout = timeout
        self.user = user
        self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        if user is not None:
            self._passwords.add_password(None, url, user, password or "")

    def graph_url(self, iri: str) -> str:
        parts = urllib.parse.urlsplit(self.url)
        query = "&".join(filter(None, [parts.query, urllib.parse.urlencode({"graph": iri})]))
        return urllib.parse.urlunsplit(parts._replace(query=query))

    def put(self, iri: str, graph: Graph) -> None:
        body = graph.serialize(format="nt", encoding="utf-8")
        self._send("PUT", self.graph_url(iri), body, {"Content-Type": "application/n-triples; charset=utf-8"})

    def delete(self, iri: str) -> None:
        self._send("DELETE", self.graph_url(iri), None, {}, missing_ok=True)

    def authorization(self, method: str, url: str) -> str | None:
        """The Authorization header for one request, computed before it is sent.

        A server that wants a login answers the first request 401 before reading its body
        and may close the connection (Virtuoso does), so a large PUT would break off with
        a broken pipe. A bodiless HEAD fetches the challenge first; the answer to it goes
        with the real request."""
        if self.user is None:
            return None
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=self.timeout):
                return None  # no login asked for
        except urllib.error.HTTPError as exc:
            if exc.code != 401:
                return None
            challenge = exc.headers.get("WWW-Authenticate", "")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PublishError(f"the graph store {self.url} could not be reached: {reason}") from None
        scheme, _, parameters = challenge.partition(" ")
        if scheme.lower() == "basic":
            user, password = self._passwords.find_user_password(None, url)
            return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(
                [p for p in urllib.request.parse_http_list(parameters) if p]
            )
            handler = urllib.request.HTTPDigestAuthHandler(self._passwords)
            answer = handler.get_authorization(urllib.request.Request(url, method=method), fields)
            if answer:
                return "Digest " + answer
        raise LoginRefused(f"{self.url} asks for a login epkg cannot give ({scheme or 'no scheme named'})")

    def _send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], missing_ok: bool = False
    ) -> None:
        authorization = self.authorization(method, url)
        if authorization:
            headers = {**headers, "Authorization": authorization}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if missing_ok and exc.code == 404:
                return
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
            if exc.code in (401, 403):
                raise LoginRefused(
                    f"{self.url} refused the {method} ({exc.code} {exc.reason}): give a user allowed to write "
                    "(--user, and the password in EPKG_LOAD_PASSWORD)"
                ) from None
            raise PublishError(
                f"{self.url} refused the {method}: {exc.code} {exc.reason} {detail}".strip()
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PublishError(f"the graph store {self.url} could not be reached: {reason}") from None


def default_graph_url(graph_store: str) -> str:
    if not graph_store.startswith(("http://", "https://")):
        raise PublishError(f"the graph store must be an http(s) URL, not {graph_store!r}")
    parts = urllib.parse.urlsplit(graph_store)
    query = "&".join(filter(None, [parts.query, "default"]))
    return urllib.parse.urlunsplit(parts._replace(query=query))


def replace_default_graph(graph: Graph, graph_store: str, timeout: float = 120.0) -> int:
    """Replaces the server's default graph with ``graph`` (everything in one graph, the
    layout the tests' plain Oxigraph server uses); returns the triple count sent."""
    GraphStore(graph_store, timeout=timeout)._send(
        "PUT",
        default_graph_url(graph_store),
        graph.serialize(format="nt", encoding="utf-8"),
        {"Content-Type": "application/n-triples; charset=utf-8"},
    )
    return len(graph)


# --- loading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadReport:
    counts: dict[str, int]  # graph IRI -> triples the store holds after loading
    sent: dict[str, int]  # graph IRI -> triples sent
    removed: tuple[str, ...]  # stale graphs deleted
    union_default_graph: bool  # whether queries without GRAPH see the data
    seconds: dict[str, float]  # phase -> seconds (validate, send, verify)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def graph_counts(endpoint: str, timeout: float = 60.0, project: Project | None = None) -> dict[str, int]:
    """Our named graphs in the store and their triples (queries/service/graph-counts.rq)."""
    from .remote import RemoteStore

    query = (project or Project.from_settings()).service_query("graph-counts")
    table = RemoteStore(endpoint, timeout=timeout).select(query)
    return {str(row["graph"]): int(row["triples"]) for row in table.records()}


def sees_union(endpoint: str, timeout: float = 60.0, project: Project | None = None) -> bool:
    """Whether queries without GRAPH see the data (queries/service/union-check.rq)."""
    from .remote import RemoteStore

    query = (project or Project.from_settings()).service_query("union-check")
    return RemoteStore(endpoint, timeout=timeout).execute(query, "text/csv").strip().endswith(b"true")


def validate_project(project: Project, graphs: Sequence[NamedGraph], engine: str = "auto") -> None:
    """Raises DataViolations when the merged graph breaks a structural shape."""
    from .validation import load_shapes, validate

    validation = validate(merged(graphs), load_shapes(project), engine=engine)
    if not validation.conforms:
        examples = "; ".join(
            f"{f.focus_node}: {f.message}" for f in validation.findings if f.severity == "Violation"
        )
        raise DataViolations(
            f"the data has {validation.count('Violation')} SHACL violations and was not loaded "
            f"(run 'epkg validate'): {examples[:600]}"
        )


def load(
    project: Project,
    endpoint: str,
    graph_store: str | None = None,
    user: str | None = None,
    password: str | None = None,
    progress: Callable[[str], None] = lambda text: None,
    check: bool = True,
) -> LoadReport:
    """Validates (unless ``check`` is false), then replaces our named graphs in the store.

    The store is asked first which of our graphs it holds (so an absent store fails at once);
    nothing is written before the data has passed validation."""
    seconds: dict[str, float] = {}
    store = GraphStore(graph_store or endpoint, user=user, password=password)
    progress(f"asking {endpoint} which graphs it holds…")
    try:
        before = graph_counts(endpoint, project=project)
    except ServiceError as exc:
        raise PublishError(f"the query endpoint did not answer, nothing was loaded: {exc}") from None
    started = time.perf_counter()
    progress("reading ontology and data…")
    graphs = named_graphs(project)
    if check:
        progress("validating against the SHACL shapes…")
        validate_project(project, graphs)
    seconds["validate"] = time.perf_counter() - started

    started = time.perf_counter()
    for i, named in enumerate(graphs, 1):
        progress(f"[{i}/{len(graphs)}] {named.iri}: {len(named.graph)} triples")
        store.put(named.iri, named.graph)
    wanted = {named.iri for named in graphs}
    stale = tuple(sorted(set(before) - wanted))
    for iri in stale:
        progress(f"deleting {iri}, which the project no longer has")
        store.delete(iri)
    seconds["send"] = time.perf_counter() - started

    started = time.perf_counter()
    progress("counting what the store holds…")
    after = graph_counts(endpoint, project=project)
    sent = {named.iri: len(named.graph) for named in graphs}
    counts = {iri: after.get(iri, 0) for iri in sent}
    wrong = [f"{iri}: sent {sent[iri]}, holds {counts[iri]}" for iri in sent if counts[iri] != sent[iri]]
    leftover = sorted(set(after) - wanted)
    if wrong or leftover:
        raise PublishError(
            "the store does not hold what was sent: "
            + "; ".join(wrong + [f"{iri} still there" for iri in leftover])
        )
    union = sees_union(endpoint, project=project)
    seconds["verify"] = time.perf_counter() - started
    return LoadReport(counts, sent, stale, union, seconds)
