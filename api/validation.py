"""SHACL validation: runs an engine over the graph and turns its report into rows.

Two engines with one API: pySHACL (the reference) and pyshacl-turbo (a Rust engine). On our
shapes both give the same results (``benchmarks/validation.py`` measures and compares them,
``tests/test_shapes.py`` checks it), and turbo is about 25 times faster on the shipped graph,
so ``auto`` takes turbo when it is installed and falls back to pySHACL when it is not, or when
it fails.

No inference: the ontology is part of the data graph, and class targets follow its
rdfs:subClassOf. SHACL-AF is on (``advanced=True``) for the shapes' SPARQL targets.
Formatting the rows for people is the ``epkg validate`` command's job.

The data is an rdflib ``Graph`` or a pyoxigraph ``Store`` (``load_store``). A store is what
``epkg validate`` and the start-up check use: at 100k triples pyoxigraph parses the files in
0.5 s where rdflib takes 10 s, and turbo reads a store natively, where an rdflib graph is handed
over term by term (about 2 s more at 100k). pySHACL reads only rdflib graphs and gets a copy.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any
from dataclasses import asdict, dataclass, field, replace

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD

from .errors import ProjectError, ServiceError
from .graph import BASE, EPKG, Project, compact_iri, load_files, new_graph

SEVERITIES = ("Violation", "Warning", "Info")
ENGINES = ("pyshacl", "turbo")

# The data a validation reads: an rdflib graph, or a pyoxigraph store (its default graph).
Data = Graph | ox.Store

# Set after comparing the engines on our shapes (benchmarks/validation.py, tests/test_shapes.py):
# the same conforms value and the same (focus node, source shape, severity, value) results.
TURBO_AGREES_WITH_PYSHACL = True


class EngineError(ServiceError):
    """The SHACL engine could not validate (as opposed to: the data does not conform)."""


@dataclass(frozen=True)
class Finding:
    """One validation result, in words."""

    severity: str  # "Violation", "Warning" or "Info"
    focus_node: str  # IRI, or "_:…" for a blank node
    label: str | None  # the focus node's label, to show instead of its IRI
    shape: str  # the sh:sourceShape's IRI: the rule
    path: str | None  # the property path, in SPARQL notation with the project's prefixes
    value: str | None  # the offending value: an IRI, or a literal in Turtle notation
    value_label: str | None  # the value's label, where it is a labelled resource
    message: str  # the rule in words (the shape's sh:message)

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class Validation:
    engine: str  # the engine that produced the report
    findings: tuple[Finding, ...]
    report: Graph  # the sh:ValidationReport graph
    seconds: float
    fallback: str | None = field(default=None)  # why ``auto`` fell back to pySHACL, if it did

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def conforms(self) -> bool:
        """No violations (warnings and infos are findings, not failures)."""
        return self.count("Violation") == 0


def turbo_installed() -> bool:
    return importlib.util.find_spec("pyshacl_turbo") is not None


def resolve_engine(name: str) -> str:
    """``auto`` -> turbo when installed and known to agree with pySHACL, else pySHACL."""
    if name == "auto":
        return "turbo" if TURBO_AGREES_WITH_PYSHACL and turbo_installed() else "pyshacl"
    if name not in ENGINES:
        raise ValueError(f"unknown SHACL engine {name!r}: choose one of auto, {', '.join(ENGINES)}")
    return name


def load_shapes(project: Project) -> Graph:
    return load_files(project.shape_files())


def load_store(paths: list[Path]) -> ox.Store:
    """The Turtle files in one in-memory pyoxigraph store (default graph), as turbo reads it best."""
    store = ox.Store()
    for path in paths:
        try:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
        except (SyntaxError, ValueError, OSError) as exc:  # pyoxigraph's parse errors are SyntaxErrors
            raise ProjectError(
                f"{path.name} is not valid Turtle: {' '.join(str(exc).split())[:500]}"
            ) from None
    return store


def as_graph(data: Data) -> Graph:
    """The data as an rdflib graph (pySHACL reads only these): a store is copied, term by term."""
    if isinstance(data, Graph):
        return data
    graph = new_graph()
    for quad in data.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        graph.add((_from_oxigraph(quad.subject), _from_oxigraph(quad.predicate), _from_oxigraph(quad.object)))
    return graph


def count_shapes(shapes: Graph) -> tuple[int, int]:
    """(node shapes, property shapes) with IRIs: the named rules of the shapes graph."""
    nodes = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    properties = {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    return len(nodes), len(properties)


def run_engine(engine: str, data: Data, shapes: Graph) -> Graph:
    """Validates with one engine and returns its sh:ValidationReport graph."""
    module: Any
    if engine == "turbo":
        import pyshacl_turbo

        module = pyshacl_turbo
    elif engine == "pyshacl":
        import pyshacl

        module, data = pyshacl, as_graph(data)
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}")
    try:
        _conforms, report, text = module.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True, allow_infos=True
        )
    except Exception as exc:  # an engine failure, not a finding: callers may fall back
        raise EngineError(f"{engine}: {exc}") from exc
    if not isinstance(report, Graph):  # pyshacl-turbo returns a failure object instead of raising
        raise EngineError(f"{engine}: {text}")
    return report


def validate(data: Data, shapes: Graph, engine: str = "auto") -> Validation:
    chosen = resolve_engine(engine)
    fallback = None
    started = time.perf_counter()
    try:
        report = run_engine(chosen, data, shapes)
    except EngineError as exc:
        if engine != "auto" or chosen == "pyshacl":
            raise
        fallback, chosen = str(exc), "pyshacl"
        report = run_engine(chosen, data, shapes)
    seconds = time.perf_counter() - started
    rows = soften_drafts(findings(report, described(data, report), shapes), data)
    return Validation(chosen, tuple(rows), report, seconds, fallback)


def described(data: Data, report: Graph) -> Graph:
    """What the findings' labels are made of: the data itself, or from a store only the triples
    about the report's focus nodes and values and about the resources a goal link names."""
    if isinstance(data, Graph):
        return data
    graph = new_graph()
    pending = {n for p in (SH.focusNode, SH.value) for n in report.objects(None, p) if isinstance(n, URIRef)}
    seen: set[URIRef] = set()
    while pending:
        node = pending.pop()
        seen.add(node)
        for quad in data.quads_for_pattern(ox.NamedNode(str(node)), None, None, ox.DefaultGraph()):
            triple = (node, _from_oxigraph(quad.predicate), _from_oxigraph(quad.object))
            graph.add(triple)
            if triple[1] in (EPKG.linkSubject, EPKG.linkGoal) and isinstance(triple[2], URIRef):
                pending |= {triple[2]} - seen
    return graph


def _from_oxigraph(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):  # a plain string, as rdflib's parser reads it
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


DRAFT = URIRef(BASE + "scheme/status/draft")


def soften_drafts(rows: list[Finding], data: Data) -> list[Finding]:
    """A draft (a document with epkg:status status:draft, `epkg author scaffold`) is not yet
    wrong, only unfinished: violations on it and on what it contains become warnings saying
    what it still lacks. Nothing changes for data without a draft."""
    if isinstance(data, ox.Store):  # only what the draft rule reads, from the store
        data = _draft_triples(data)
    drafts = set(data.subjects(EPKG.status, DRAFT))
    if not drafts:
        return rows
    softened = []
    for row in rows:
        node = URIRef(row.focus_node) if not row.focus_node.startswith("_:") else None
        if row.severity == "Violation" and node is not None and _in_draft(data, node, drafts):
            row = replace(row, severity="Warning", message=f"draft, still lacks: {row.message}")
        softened.append(row)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(softened, key=lambda f: (order.get(f.severity, 9), f.focus_node, f.shape, f.value or ""))


def _in_draft(data: Graph, node: URIRef, drafts: set) -> bool:
    if node in drafts:
        return True
    documents = set(data.objects(node, EPKG.partOfDocument)) | set(data.objects(node, EPKG.inDocument))
    return bool(documents & drafts)


def _draft_triples(store: ox.Store) -> Graph:
    """The drafts and what names them as its document, as an rdflib graph."""
    graph = Graph()
    status, draft = ox.NamedNode(str(EPKG.status)), ox.NamedNode(str(DRAFT))
    for quad in store.quads_for_pattern(None, status, draft, None):
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        document = URIRef(quad.subject.value)
        graph.add((document, EPKG.status, DRAFT))
        for link in (EPKG.partOfDocument, EPKG.inDocument):
            for part in store.quads_for_pattern(None, ox.NamedNode(str(link)), quad.subject, None):
                if isinstance(part.subject, ox.NamedNode):
                    graph.add((URIRef(part.subject.value), link, document))
    return graph


# --- the report as rows -------------------------------------------------------


def findings(report: Graph, data: Graph, shapes: Graph) -> list[Finding]:
    rows = []
    for result in set(report.objects(None, SH.result)):  # top-level results, not their sh:detail
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        value = report.value(result, SH.value)
        rows.append(
            Finding(
                severity=_local(report.value(result, SH.resultSeverity)),
                focus_node=_term(focus),
                label=label(data, focus),
                shape=_term(shape),
                path=_result_path(report, result, shapes, shape),
                value=_value(value, data),
                value_label=label(data, value) if isinstance(value, URIRef) else None,
                message=_message(report, result, shapes, shape),
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(rows, key=lambda f: (order.get(f.severity, 9), f.focus_node, f.shape, f.value or ""))


def label(graph: Graph, node) -> str | None:
    """What to call a resource: its English label, else its Danish one, else any; a passage by its quote."""
    if node is None or isinstance(node, Literal):
        return None
    labels = [
        lit
        for p in (RDFS.label, SKOS.prefLabel)
        for lit in graph.objects(node, p)
        if isinstance(lit, Literal)
    ]
    for language in ("en", "da"):
        for candidate in labels:
            if candidate.language == language:
                return str(candidate)
    if labels:
        return str(labels[0])
    quote = graph.value(node, EPKG.quote)
    if quote is not None:
        text = " ".join(str(quote).split())
        return f"“{text[:77]}…”" if len(text) > 80 else f"“{text}”"
    subject, goal = graph.value(node, EPKG.linkSubject), graph.value(node, EPKG.linkGoal)
    if subject is not None and goal is not None:
        return f"{label(graph, subject) or compact(subject)} → {label(graph, goal) or compact(goal)}"
    return None


def compact(term) -> str:
    """A term as people read it in a report: blank nodes as _:…, IRIs via graph.compact_iri."""
    return f"_:{term}" if isinstance(term, BNode) else compact_iri(str(term))


def render_path(graph: Graph, path) -> str | None:
    """A SHACL property path in SPARQL notation, e.g. ``^epkg:inFocusArea``, ``rdfs:label|skos:prefLabel``."""
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _prefixed(path)
    if (path, RDF.first, None) in graph:
        return "/".join(_group(graph, p) for p in Collection(graph, path))
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_group(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_group(graph, p) for p in Collection(graph, alternatives))
    return None


def _group(graph: Graph, path) -> str:
    text = render_path(graph, path) or "?"
    return f"({text})" if any(c in text for c in "/|") else text


def _prefixed(iri: URIRef) -> str:
    text = compact(iri)  # prefixed name for vocabulary terms; anything else in full
    return text if ":" in text and not text.startswith(("<", "_:")) else f"<{iri}>"


def _result_path(report: Graph, result, shapes: Graph, shape) -> str | None:
    path = report.value(result, SH.resultPath)
    if isinstance(path, URIRef):
        return render_path(report, path)
    if shape is not None and shapes.value(shape, SH.path) is not None:
        return render_path(shapes, shapes.value(shape, SH.path))
    return render_path(report, path)


def _message(report: Graph, result, shapes: Graph, shape) -> str:
    # The shape's own words first (engines differ in the messages they make up themselves),
    # then the SPARQL constraint's, then whatever the engine said.
    candidates = list(shapes.objects(shape, SH.message)) if shape is not None else []
    for constraint in shapes.objects(shape, SH.sparql) if shape is not None else ():
        candidates += list(shapes.objects(constraint, SH.message))
    candidates += list(report.objects(result, SH.resultMessage))
    for language in ("en", None, "da"):
        for message in candidates:
            if isinstance(message, Literal) and message.language == language:
                return str(message)
    return str(candidates[0]) if candidates else "(no message)"


def _value(value, graph: Graph) -> str | None:
    if value is None:
        return None
    if isinstance(value, Literal):
        if value.datatype == XSD.string:  # turbo types a store's plain strings: show them as written
            value = Literal(str(value))
        return value.n3(graph.namespace_manager)
    return _term(value)


def _term(term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1]
