"""A plan file's resources as the goal-link steps need them: kind, words, container, deadline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..graph import BASE, EPKG
from . import AuthoringError

KINDS = {  # class -> kind, containers first
    EPKG.FocusArea: "focus-area",
    EPKG.PlanTargetGroup: "target-group",
    EPKG.Project: "project",
    EPKG.Measure: "measure",
    EPKG.QuantifiedTarget: "target",
    EPKG.Objective: "objective",
}
ORDER = list(KINDS.values())


@dataclass(frozen=True)
class PlanResource:
    iri: str  # relative to the base, e.g. measure/x/1-1
    kind: str
    label: str
    words: str  # label and quotes: the resource's own words
    heading: str | None
    containers: tuple[str, ...]  # its focus areas and plan target groups (relative IRIs)
    matches: tuple[str, ...]  # a plan target group's mapped shared groups (slugs)
    deadline_year: int | None
    citations: tuple[str, ...]


def read_plan(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise AuthoringError(f"no plan file {path}") from None
    except Exception as exc:
        raise AuthoringError(f"{path.name} is not valid Turtle: {' '.join(str(exc).split())[:300]}") from None


def _relative(node) -> str:
    return str(node)[len(BASE) :] if str(node).startswith(BASE) else str(node)


def _year(graph: Graph, node) -> int | None:
    for prop in (EPKG.deadline, EPKG.periodEnd):
        value = graph.value(node, prop)
        if value is not None:
            return int(str(value)[:4])
    return None


def plan_resources(graph: Graph, only: set[str] | None = None) -> list[PlanResource]:
    """The plan's resources (or only those with these relative IRIs), containers first."""
    resources: dict[str, PlanResource] = {}
    for cls, kind in KINDS.items():
        for node in sorted(set(graph.subjects(RDF.type, cls)), key=str):
            if _relative(node) in resources or (only is not None and _relative(node) not in only):
                continue  # a project is a measure too: kept as a project
            labels = [str(x) for x in graph.objects(node, RDFS.label) if getattr(x, "language", None) == "da"]
            quotes = [str(graph.value(p, EPKG.quote) or "") for p in graph.objects(node, EPKG.citation)]
            heading = graph.value(node, EPKG.section)
            containers = tuple(
                sorted(
                    _relative(c)
                    for p in (EPKG.inFocusArea, EPKG.forTargetGroup)
                    for c in graph.objects(node, p)
                    if "/" in _relative(c) and not _relative(c).startswith("target-group/")
                )
            )
            matches = tuple(
                sorted(
                    _relative(m).split("/", 1)[1]
                    for p in (SKOS.exactMatch, SKOS.narrowMatch, SKOS.broadMatch)
                    for m in graph.objects(node, p)
                )
            )
            resources[_relative(node)] = PlanResource(
                _relative(node),
                kind,
                labels[0] if labels else _relative(node),
                " ".join(labels + quotes),
                str(heading) if heading else None,
                containers,
                matches,
                _year(graph, node),
                tuple(sorted(_relative(c) for c in graph.objects(node, EPKG.citation))),
            )
    return sorted(resources.values(), key=lambda r: (ORDER.index(r.kind), r.iri))


def plan_document(graph: Graph) -> URIRef:
    documents = set(graph.objects(None, EPKG.partOfDocument))
    if len(documents) != 1:
        raise AuthoringError(
            f"the plan file's resources should belong to one document (epkg:partOfDocument), found {len(documents)}"
        )
    return URIRef(str(next(iter(documents))))
