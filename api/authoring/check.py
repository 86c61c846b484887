"""Checks one plan file as it is written (``epkg author check``): the shapes, the quotes and
the goal-link rules, on the ontology, the reference data and that one file only, each
finding with the line of the file where its resource first stands."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ..graph import BASE, EPKG, Project, load_files
from ..provenance import check_passages
from ..validation import load_shapes, validate
from .goals import load_goals
from .groups import GroupScheme
from .plan import plan_resources, read_plan
from .suggest import _own_match


@dataclass(frozen=True)
class PlanFinding:
    line: int  # 0 where the resource is not written in the file
    severity: str  # Violation, Warning, Info
    resource: str
    message: str

    def as_text(self, file: Path) -> str:
        return f"{file}:{self.line}: {self.severity.lower()}: <{self.resource}> {self.message}"


@dataclass(frozen=True)
class PlanCheck:
    findings: tuple[PlanFinding, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)


def subject_lines(text: str) -> dict[str, int]:
    """Each relative IRI's first line as a subject (a line starting with it), else anywhere."""
    lines: dict[str, int] = {}
    anywhere: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in re.finditer(r"<([^<>\s]+)>", line):
            anywhere.setdefault(match.group(1), number)
            if match.start() == 0:
                lines.setdefault(match.group(1), number)
    return {**anywhere, **lines}


def _relative(iri: str) -> str:
    return iri[len(BASE) :] if iri.startswith(BASE) else iri


def _link_rule_findings(plan: Graph, home: Path) -> list[tuple[str, str, str]]:
    """Links whose resource's own words name only groups disjoint from the goal's."""
    goals = {g.iri: g for g in load_goals(home)}
    resources = {r.iri: r for r in plan_resources(plan)}
    scheme = GroupScheme.load(home)
    out = []
    for link in plan.subjects(EPKG.linkGoal, None):
        subject, goal = (
            _relative(str(plan.value(link, EPKG.linkSubject))),
            _relative(str(plan.value(link, EPKG.linkGoal))),
        )
        if subject in resources and goal in goals:
            own = _own_match(resources[subject], goals[goal], scheme)
            if own and own[0] == "disjoint":
                out.append(
                    (
                        str(link),
                        "Warning",
                        f"its resource names only target groups disjoint from the goal's ({own[1]}): check the link",
                    )
                )
    return out


def check_plan(project: Project, plan_file: Path) -> PlanCheck:
    started = time.perf_counter()
    plan = read_plan(plan_file)
    text = plan_file.read_text(encoding="utf-8")
    reference = sorted((project.home / "ontology").glob("*.ttl")) + sorted(
        (project.home / "data" / "reference").glob("*.ttl")
    )
    data = load_files(reference)
    data += plan
    in_file = {str(s) for s in plan.subjects() if isinstance(s, URIRef)}
    raw: list[tuple[str, str, str]] = []
    for finding in validate(data, load_shapes(project)).findings:
        if finding.focus_node in in_file:
            raw.append((finding.focus_node, finding.severity, finding.message))
    _count, problems = check_passages(_with_documents(plan, data), project.sources_dir)
    raw += [(p.passage, "Violation", p.problem) for p in problems if p.passage in in_file]
    raw += _link_rule_findings(plan, project.home)
    lines = subject_lines(text)
    findings = sorted(
        {
            PlanFinding(lines.get(_relative(node), 0), severity, _relative(node), message)
            for node, severity, message in raw
        },
        key=lambda f: (f.line, f.severity, f.message),
    )
    return PlanCheck(tuple(findings), time.perf_counter() - started)


def _with_documents(plan: Graph, data: Graph) -> Graph:
    """The plan's passages with their documents' source files (which live in documents.ttl)."""
    graph = Graph()
    graph += plan
    for document in set(plan.objects(None, EPKG.inDocument)):
        for source in data.objects(document, EPKG.sourceFile):
            graph.add((document, EPKG.sourceFile, source))
    return graph
