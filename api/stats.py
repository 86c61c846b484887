"""Counts of what the graph holds, for ``epkg info`` and the closing notes.

Plain triple-pattern counting: no SPARQL text lives here (questions live in queries/).
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph
from rdflib.namespace import OWL, RDFS

from .graph import EPKG

# The classes worth counting, in the order they are reported.
COUNTED_CLASSES = (
    "PolicyDocument", "Passage", "MinisterGoal", "GoalLineage", "GoalAnnouncement", "TargetGroup",
    "PlanTargetGroup", "FocusArea", "Track", "Measure", "Project", "Offer", "Objective",
    "QuantifiedTarget", "KeyFigure", "PolicyStatement", "Decision", "GoalLink", "Municipality",
)


def _instances(graph: Graph, cls) -> set:
    """Instances of cls or of any of its subclasses (rdfs:subClassOf*, as declared)."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in graph.subjects(RDF.type, c)}


def graph_statistics(graph: Graph) -> list[tuple[str, int | str]]:
    rows: list[tuple[str, int | str]] = [("triples", len(graph))]
    rows.append(("ontology classes", len(set(graph.subjects(RDF.type, OWL.Class)))))
    rows.append(
        ("ontology properties", len(set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(graph.subjects(RDF.type, OWL.DatatypeProperty))))
    )
    for name in COUNTED_CLASSES:
        rows.append((name, len(_instances(graph, EPKG[name]))))
    goals_per_year = Counter(str(graph.value(goal, EPKG.goalYear)) for goal in graph.subjects(RDF.type, EPKG.MinisterGoal))
    rows.append(("minister goals per year", ", ".join(f"{y}: {n}" for y, n in sorted(goals_per_year.items()))))
    bases = Counter(str(graph.value(link, EPKG.basis)).rsplit("/", 1)[-1] for link in graph.subjects(RDF.type, EPKG.GoalLink))
    rows.append(("goal links by basis", ", ".join(f"{b}: {n}" for b, n in sorted(bases.items())) or "none"))
    return rows
