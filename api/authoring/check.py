"""Checks one plan file as it is written (``epkg author check``): the shapes, the quotes and
the goal-link rules, on the ontology, the reference data and that one file only, each
finding with the line of the file where its resource first stands."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate

from ..graph import BASE, EPKG, Project
from ..provenance import check_passages
from ..validation import EngineError, Finding, findings, soften_drafts, turbo_installed, validate
from . import AuthoringError
from .fastrdf import Parsed, read_turtle
from .goals import goals_in
from .groups import GroupScheme
from .plan import plan_resources
from .reference import Reference, load_reference
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


def _link_rule_findings(plan: Graph, reference: Graph) -> list[tuple[str, str, str]]:
    """Links whose resource's own words name only groups disjoint from the goal's."""
    linked = {_relative(str(s)) for s in plan.objects(None, EPKG.linkSubject)}
    if not linked:
        return []
    goals = {g.iri: g for g in goals_in(reference)}
    resources = {r.iri: r for r in plan_resources(plan, linked)}
    scheme = GroupScheme(reference)
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


def read_plan_file(path: Path) -> Parsed:
    try:
        return read_turtle([path])
    except FileNotFoundError:
        raise AuthoringError(f"no plan file {path}") from None
    except SyntaxError as exc:
        raise AuthoringError(f"{path.name} is not valid Turtle: {' '.join(str(exc).split())[:300]}") from None


def check_plan(project: Project, plan_file: Path) -> PlanCheck:
    started = time.perf_counter()
    parsed = read_plan_file(plan_file)
    plan = parsed.graph
    reference = load_reference(project)
    in_file = {s for s in plan.subjects() if isinstance(s, URIRef)}
    raw = [
        (f.focus_node, f.severity, f.message)
        for f in _shape_findings(reference, parsed, sorted(in_file))
        if URIRef(f.focus_node) in in_file
    ]
    _count, problems = check_passages(_with_documents(plan, reference.data), project.sources_dir)
    raw += [(p.passage, "Violation", p.problem) for p in problems if URIRef(p.passage) in in_file]
    raw += _link_rule_findings(plan, reference.data)
    lines = subject_lines(plan_file.read_text(encoding="utf-8"))
    findings = sorted(
        {
            PlanFinding(lines.get(_relative(node), 0), severity, _relative(node), message)
            for node, severity, message in raw
        },
        key=lambda f: (f.line, f.severity, f.message),
    )
    return PlanCheck(tuple(findings), time.perf_counter() - started)


def _shape_findings(reference: Reference, plan: Parsed, focus: list[URIRef]) -> list[Finding]:
    """The shapes on the plan's own resources (the focus nodes: findings elsewhere are not the
    plan's), by pyshacl-turbo on the N-Triples at once; by pySHACL on a merged graph where
    turbo is missing or fails."""
    data = ReadOnlyGraphAggregate([plan.graph, reference.data])
    if turbo_installed():
        try:
            report = _turbo_report(reference, plan, focus)
            return soften_drafts(findings(report, data, reference.shapes), data)
        except EngineError:
            pass
    merged = Graph()
    merged += reference.data
    merged += plan.graph
    return list(validate(merged, reference.shapes, engine="pyshacl").findings)


def _turbo_report(reference: Reference, plan: Parsed, focus: list[URIRef]) -> Graph:
    import pyshacl_turbo
    from pyshacl_turbo.rdf import Input

    try:
        shapes = pyshacl_turbo.compile_shapes(reference.shapes, advanced=True)
        _conforms, report, text = shapes.validate(
            Input(reference.ntriples + plan.ntriples, "nt", None, {}),
            allow_warnings=True,
            allow_infos=True,
            focus_nodes=focus,
        )
    except Exception as exc:  # an engine failure, not a finding: fall back to pySHACL
        raise EngineError(f"turbo: {exc}") from exc
    if not isinstance(report, Graph):
        raise EngineError(f"turbo: {text}")
    return report


def _with_documents(plan: Graph, data: Graph) -> ReadOnlyGraphAggregate:
    """The plan's passages with their documents' source files (which live in documents.ttl)."""
    sources = Graph()
    for document in set(plan.objects(None, EPKG.inDocument)):
        for source in data.objects(document, EPKG.sourceFile):
            sources.add((document, EPKG.sourceFile, source))
    return ReadOnlyGraphAggregate([plan, sources])
