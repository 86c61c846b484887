"""The minister's goals of a year (data/reference/minister-goals.ttl) and a plan's goal years."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ..graph import BASE, EPKG
from . import AuthoringError
from .sources import DOCUMENTS_FILE

GOALS_FILE = Path("data/reference/minister-goals.ttl")


@dataclass(frozen=True)
class Goal:
    iri: str  # minister-goal/2017/4
    year: int
    number: int
    statement: str  # Danish
    groups: tuple[str, ...]  # shared target-group slugs


def load_goals(home: Path) -> list[Goal]:
    return goals_in(Graph().parse(home / GOALS_FILE, format="turtle"))


def goals_in(graph: Graph) -> list[Goal]:
    """The minister goals a graph holds (minister-goals.ttl, or a graph that includes it)."""
    goals = []
    for node in graph.subjects(EPKG.goalNumber, None):
        statement = next(
            (str(s) for s in graph.objects(node, EPKG.statement) if getattr(s, "language", None) == "da"), ""
        )
        groups = tuple(sorted(str(g).rsplit("/", 1)[1] for g in graph.objects(node, EPKG.forTargetGroup)))
        year = int(str(graph.value(node, EPKG.goalYear))[:4])
        goals.append(
            Goal(
                str(node)[len(BASE) :], year, int(str(graph.value(node, EPKG.goalNumber))), statement, groups
            )
        )
    return sorted(goals, key=lambda g: (g.year, g.number))


def goal_years(home: Path, document: URIRef, asked: int | None, goals: list[Goal]) -> list[int]:
    """The years whose goals the plan answers: the asked year, else every goal year within the
    document's period. None is an error: a draft with no goal year cannot be linked."""
    known = sorted({g.year for g in goals})
    if asked is not None:
        if asked not in known:
            raise AuthoringError(f"no minister goals for {asked} in {GOALS_FILE}: the goal years are {known}")
        return [asked]
    documents = Graph().parse(home / DOCUMENTS_FILE, format="turtle")
    start, end = documents.value(document, EPKG.periodStart), documents.value(document, EPKG.periodEnd)
    name = str(document)[len(BASE) :]
    if start is None:
        raise AuthoringError(f"{name} has no period in {DOCUMENTS_FILE}, so no goal year: give --year")
    first, last = int(str(start)[:4]), int(str(end or start)[:4])
    years = [y for y in known if first <= y <= last]
    if not years:
        raise AuthoringError(
            f"{name} has no goal year: its period {first}–{last} covers none of the years with minister "
            f"goals ({', '.join(map(str, known))}); give --year to link it to another year's goals"
        )
    return years
