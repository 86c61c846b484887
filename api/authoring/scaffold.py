"""Writes a draft plan file from a registered source's candidates (``epkg author scaffold``).

The draft is marked ``epkg:status status:draft``: the shapes then report what it still
lacks (English labels, target groups, goal links...) as warnings (api/validation.py
soften_drafts). Every candidate cites the passage it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from ..graph import BASE, EPKG, Project
from . import AuthoringError
from .candidates import Candidate, find_candidates
from .groups import GroupScheme
from .sources import DOCUMENTS_FILE, read_utf8
from .turtle import literal, number, prefix_lines, resource, typed, write_atomically

PREFIXES = f"@base          <{BASE}> .\n" + prefix_lines(
    "epkg", "rdfs", "xsd", "skos", "dcterms", "status", "direction", "unit"
)
CLASSES = {
    "focus-area": ("focus-area", "epkg:FocusArea"),
    "target-group": ("plan-target-group", "epkg:PlanTargetGroup"),
    "measure": ("measure", "epkg:Measure"),
    "target": ("target", "epkg:QuantifiedTarget"),
    "objective": ("objective", "epkg:Objective"),
    "project": ("project", "epkg:Project , epkg:Measure"),
}


@dataclass(frozen=True)
class Document:
    iri: str  # e.g. plan/sonderborg-2016-2018
    slug: str
    municipality: str  # municipality/540
    source: Path


def registered_document(project: Project, slug: str) -> Document:
    """The registered document of that slug, with its source text; refused if unknown."""
    graph = Graph().parse(project.home / DOCUMENTS_FILE, format="turtle")
    for path in ("plan", "case"):
        node = URIRef(f"{BASE}{path}/{slug}")
        source = graph.value(node, EPKG.sourceFile)
        if source is not None:
            municipality = str(graph.value(node, EPKG.municipality))[len(BASE) :]
            return Document(f"{path}/{slug}", slug, municipality, project.sources_dir / str(source))
    raise AuthoringError(
        f"no document {slug!r} in {DOCUMENTS_FILE}: register its text first (epkg author register)"
    )


def iri_of(document: Document, candidate: Candidate) -> str:
    return f"<{CLASSES[candidate.kind][0]}/{document.slug}/{candidate.local_id}>"


def _passages(document: Document, candidate: Candidate) -> list[tuple[str, str]]:
    """(IRI, Turtle) of the candidate's passages."""
    out = []
    for index, (quote, _line, heading) in enumerate(candidate.quotes, start=1):
        suffix = "" if len(candidate.quotes) == 1 else f"-{index}"
        iri = f"<passage/{document.slug}/{CLASSES[candidate.kind][0]}-{candidate.local_id}{suffix}>"
        properties = [("a", "epkg:Passage"), ("epkg:inDocument", f"<{document.iri}>")]
        if heading:
            properties += [
                ("epkg:section", literal(heading)),
                ("epkg:sectionHeading", literal(heading, "da")),
            ]
        out.append((iri, resource(properties + [("epkg:quote", literal(quote))], iri)))
    return out


def _target_properties(candidate: Candidate) -> list[tuple[str, str]]:
    fields = candidate.fields
    if fields is None:
        return []
    properties = [
        ("epkg:statement", literal(candidate.label, "da")),
        ("epkg:direction", f"direction:{fields.direction}"),
        ("epkg:value", number(fields.value)),
        ("epkg:unit", f"unit:{fields.unit}"),
    ]
    if fields.baseline is not None:
        properties.append(("epkg:baselineValue", number(fields.baseline)))
    if fields.deadline is not None:
        if fields.deadline.value:
            properties.append(("epkg:deadline", typed(fields.deadline.value, fields.deadline.datatype or "")))
        properties.append(("epkg:periodText", literal(fields.deadline.words, "da")))
    return properties


def _container_property(document: Document, candidate: Candidate) -> list[tuple[str, str]]:
    if not candidate.container:
        return []
    kind, local = candidate.container.split(":", 1)
    prop = "epkg:forTargetGroup" if kind == "target-group" else "epkg:inFocusArea"
    return [(prop, f"<{CLASSES[kind][0]}/{document.slug}/{local}>")]


def candidate_turtle(document: Document, candidate: Candidate) -> str:
    passages = _passages(document, candidate)
    properties = [("a", CLASSES[candidate.kind][1]), ("rdfs:label", literal(candidate.label, "da"))]
    if candidate.kind == "target-group":
        scheme = f"<plan-target-group/{document.slug}>"
        properties += [
            ("skos:prefLabel", literal(candidate.label, "da")),
            ("skos:inScheme", scheme),
            ("skos:topConceptOf", scheme),
            ("skos:definition", literal(candidate.quotes[0][0], "da")),
        ]
        properties += [("skos:exactMatch", f"<target-group/{g}>") for g in candidate.groups[:1]]
    properties += _target_properties(candidate) + _container_property(document, candidate)
    if candidate.note:
        properties.append(("skos:editorialNote", literal(candidate.note, "da")))
    if candidate.period:
        properties += [
            ("epkg:periodStart", typed(str(candidate.period[0]), "xsd:gYear")),
            ("epkg:periodEnd", typed(str(candidate.period[1]), "xsd:gYear")),
        ]
    if candidate.ordinal:
        properties.append(("epkg:ordinal", str(candidate.ordinal)))
    properties += [
        ("epkg:partOfDocument", f"<{document.iri}>"),
        ("epkg:municipality", f"<{document.municipality}>"),
    ]
    if candidate.heading:
        properties.append(("epkg:section", literal(candidate.heading)))
    properties.append(("epkg:citation", " , ".join(iri for iri, _ in passages)))
    lines = f"# source line {candidate.quotes[0][1]}\n" + resource(properties, iri_of(document, candidate))
    return lines + "".join(text for _iri, text in passages)


def _scheme_turtle(document: Document, groups: list[Candidate]) -> str:
    if not groups:
        return ""
    scheme = f"<plan-target-group/{document.slug}>"
    members = " , ".join(iri_of(document, g) for g in groups)
    return resource(
        [
            ("a", "skos:ConceptScheme"),
            ("skos:prefLabel", literal(f"Målgrupper i {document.slug}", "da")),
            ("skos:hasTopConcept", members),
            ("epkg:partOfDocument", f"<{document.iri}>"),
        ],
        scheme,
    )


def draft_turtle(document: Document, candidates: list[Candidate]) -> str:
    header = (
        f"# DRAFT plan file for <{document.iri}>, scaffolded by `epkg author scaffold` from "
        f"{document.source.name}.\n# Every resource below is a candidate: check it, add English labels, "
        "then remove the draft status.\n\n"
    )
    body = [resource([("epkg:status", "status:draft")], f"<{document.iri}>")]
    groups = [c for c in candidates if c.kind == "target-group"]
    body.append(_scheme_turtle(document, groups))
    body += [candidate_turtle(document, c) for c in candidates]
    return header + PREFIXES + "\n" + "\n".join(b for b in body if b)


def scaffold(project: Project, slug: str, out: Path, force: bool = False) -> list[Candidate]:
    """Writes the draft to out (refused if it exists, unless force) and returns its candidates."""
    document = registered_document(project, slug)
    if out.exists() and not force:
        raise AuthoringError(f"{out} exists already: give another --out, or --force to replace it")
    text = read_utf8(document.source)
    candidates = find_candidates(text, GroupScheme.load(project.home))
    turtle = draft_turtle(document, candidates)
    try:
        Graph().parse(data=turtle, format="turtle")
    except Exception as exc:  # never write a draft that is not Turtle
        raise AuthoringError(f"the draft would not be valid Turtle: {exc}") from None
    write_atomically(out, turtle)
    return candidates
