"""Counts of what the graph holds, for ``epkg info`` and the closing notes.

Plain triple-pattern counting: no SPARQL text lives here (questions live in queries/).
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL, RDFS

from .graph import EPKG

# The classes worth counting, in the order they are reported.
COUNTED_CLASSES = (
    "PolicyDocument",
    "Passage",
    "MinisterGoal",
    "GoalLineage",
    "GoalAnnouncement",
    "TargetGroup",
    "PlanTargetGroup",
    "FocusArea",
    "Track",
    "Measure",
    "Project",
    "Offer",
    "Objective",
    "QuantifiedTarget",
    "KeyFigure",
    "PolicyStatement",
    "Decision",
    "GoalLink",
    "Municipality",
)


def _instances(graph: Graph, cls) -> set:
    """Instances of cls or of any of its subclasses (rdfs:subClassOf*, as declared)."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in graph.subjects(RDF.type, c)}


def graph_statistics(graph: Graph) -> list[tuple[str, int | str]]:
    rows: list[tuple[str, int | str]] = [("triples", len(graph))]
    rows.append(("ontology classes", len(set(graph.subjects(RDF.type, OWL.Class)))))
    rows.append(
        (
            "ontology properties",
            len(
                set(graph.subjects(RDF.type, OWL.ObjectProperty))
                | set(graph.subjects(RDF.type, OWL.DatatypeProperty))
            ),
        )
    )
    for name in COUNTED_CLASSES:
        rows.append((name, len(_instances(graph, EPKG[name]))))
    goals_per_year = Counter(
        str(graph.value(goal, EPKG.goalYear)) for goal in graph.subjects(RDF.type, EPKG.MinisterGoal)
    )
    rows.append(
        ("minister goals per year", ", ".join(f"{y}: {n}" for y, n in sorted(goals_per_year.items())))
    )
    links = list(graph.subjects(RDF.type, EPKG.GoalLink))
    bases = Counter(_local(graph.value(link, EPKG.basis)) for link in links)
    rows.append(("goal links by basis", ", ".join(f"{b}: {n}" for b, n in sorted(bases.items())) or "none"))
    both = goal_links_by_basis_and_specificity(graph)
    rows.append(
        (
            "goal links by basis and specificity",
            ", ".join(f"{b} {s}: {n}" for (b, s), n in sorted(both.items())) or "none",
        )
    )
    return rows


def goal_links_by_basis_and_specificity(graph: Graph, document: URIRef | None = None) -> Counter:
    """(basis, specificity) -> number of goal links, of one document (the link's or its subject's) or of all.

    A missing basis or specificity counts as "none", so an incomplete link shows."""
    links = [
        link
        for link in graph.subjects(RDF.type, EPKG.GoalLink)
        if document is None
        or (link, EPKG.partOfDocument, document) in graph
        or (graph.value(link, EPKG.linkSubject), EPKG.partOfDocument, document) in graph
    ]
    return Counter(
        (_local(graph.value(link, EPKG.basis)), _local(graph.value(link, EPKG.specificity))) for link in links
    )


def _local(term) -> str:
    """The last path segment of a scheme concept (basis:derived -> derived), or "none"."""
    return "none" if term is None else str(term).rsplit("/", 1)[-1]
