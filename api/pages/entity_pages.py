"""The HTML of every dataset IRI: a resource's own facts, the links to it, the passages it cites,
and what its kind shows beyond its own triples (a catalogue question about it)."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from ..deps import base_url
from ..entity_documents import SHORT, alternates
from ..graph import BASE, EPKG, compact_iri
from ..service import Service
from .common import Ui, ask, labels_of, render, service_rows, value, vocabulary
from .texts import RDF_FORMATS


# --- entity pages -----------------------------------------------------------


# Shown first on an entity page, in this order; the rest follow by name.
FIRST = tuple(
    str(EPKG[name])
    for name in (
        "statement",
        "goalYear",
        "goalNumber",
        "municipality",
        "partOfDocument",
        "section",
        "sectionHeading",
        "basis",
        "specificity",
        "linkSubject",
        "linkGoal",
        "derivedFrom",
        "rule",
        "rationale",
        "quote",
        "inDocument",
        "measuredQuantity",
        "direction",
        "value",
        "unit",
        "baselineValue",
        "baselineDate",
        "deadline",
        "periodStart",
        "periodEnd",
        "periodText",
        "comparisonText",
        "comparisonReference",
        "funder",
        "partner",
        "participants",
        "size",
        "expectedEffect",
    )
) + (str(DCTERMS.description),)
HIDDEN = {str(RDF.type), str(RDFS.label), str(SKOS.prefLabel), str(EPKG.citation)}


@dataclass
class Value:
    text: str
    href: str = ""
    lang: str = ""


@dataclass
class Entity:
    iri: str
    title: str
    kinds: list[str]
    kind_iris: list[str]
    predicates: set[str]
    facts: list[tuple[str, list[Value]]]
    incoming: list[tuple[str, list[Value]]]
    passages: list[dict[str, str]]


def _literal_values(literals: list[Literal], ui: Ui) -> list[Value]:
    tagged = [lit for lit in literals if lit.language]
    if tagged:
        mine = [lit for lit in tagged if lit.language == ui.lang]
        chosen = mine or [lit for lit in tagged if lit.language == "da"] or tagged
        plain_ones = [lit for lit in literals if not lit.language]
        return [Value(str(lit), lang=lit.language or "") for lit in chosen] + [
            Value(str(x)) for x in plain_ones
        ]
    return [Value(str(lit)) for lit in literals]


def read_entity(iri: str, ntriples: bytes, ui: Ui, extra_labels: list[dict] | None = None) -> Entity:
    """The page's view of ``iri``'s description (N-Triples); a few hundredths of a second of
    rdflib, so ``entity_page`` runs it on a thread, off the event loop."""
    g = Graph()
    g.parse(data=ntriples, format="nt")
    for row in extra_labels or []:  # skos:prefLabel of concepts and schemes, which describe() leaves out
        g.add((row["node"], SKOS.prefLabel, row["label"]))
    subject = URIRef(iri)

    def label(node: Node) -> str:
        names = {
            lit.language: str(lit)
            for p in (RDFS.label, SKOS.prefLabel)
            for lit in g.objects(node, p)
            if isinstance(lit, Literal)
        }
        return names.get(ui.lang) or names.get("da") or names.get("en") or names.get(None) or ""

    def node_value(node: Node) -> Value:
        text = label(node) or ui.term(str(node))
        return Value(text, ui.link(str(node)) if str(node).startswith(BASE) else "")

    kind_iris = sorted(str(o) for o in g.objects(subject, RDF.type))
    own: dict[str, list[Node]] = {}
    for pred, obj in g.predicate_objects(subject):
        if str(pred) in HIDDEN or isinstance(obj, BNode):
            continue
        own.setdefault(str(pred), []).append(obj)
    facts = []
    order = {p: i for i, p in enumerate(FIRST)}
    for p in sorted(own, key=lambda p: (order.get(p, len(order)), ui.term(p))):
        objects = own[p]
        literals = [o for o in objects if isinstance(o, Literal)]
        nodes = sorted((o for o in objects if not isinstance(o, Literal)), key=lambda o: (label(o), str(o)))
        facts.append((ui.term(p), _literal_values(literals, ui) + [node_value(o) for o in nodes]))
    incoming: dict[str, list[Value]] = {}
    for other, pred in g.subject_predicates(subject):
        if isinstance(other, BNode):
            continue
        incoming.setdefault(str(pred), []).append(node_value(other))
    passages = []
    for passage in sorted(g.objects(subject, EPKG.citation), key=str):
        document = g.value(passage, EPKG.inDocument)
        passages.append(
            {
                "iri": str(passage),
                "quote": value(g.value(passage, EPKG.quote)),
                "section": value(g.value(passage, EPKG.section)),
                "heading": value(g.value(passage, EPKG.sectionHeading)),
                "document": value(document),
                "href": ui.source_url(str(passage), str(document)) if document is not None else "",
            }
        )
    title = label(subject) or value(g.value(subject, EPKG.quote))[:80] or compact_iri(iri)
    return Entity(
        iri,
        title,
        [ui.term(k) for k in kind_iris],
        kind_iris,
        {str(p) for p in g.predicates(subject, None)},
        facts,
        [
            (ui.inverse(p), sorted(vs, key=lambda v: v.text))
            for p, vs in sorted(incoming.items(), key=lambda i: ui.inverse(i[0]))
        ],
        passages,
    )


async def extras(service: Service, ui: Ui, entity: Entity) -> dict[str, Any]:
    """What a kind of resource shows beyond its own triples: a catalogue question about it."""
    kinds = set(entity.kind_iris)
    path = entity.iri[len(BASE) :]
    out: dict[str, Any] = {}
    if str(EPKG.MinisterGoal) in kinds:
        year, number = path.split("/")[1:3]
        out["goal"] = {"year": year, "number": number}
        out["editions"] = [
            {
                "year": value(r["edition_year"]),
                "number": value(r["edition_number"]),
                "statement": ui.pick(r["statement"], r["statement_en"]),
                "continuity": value(r["continuity"]),
            }
            for r in await ask(service, "goal-lineage", year=year, number=number)
        ]
    if str(EPKG.GoalLineage) in kinds:
        out["editions"] = [
            {
                "year": value(r["year"]),
                "number": value(r["number"]),
                "statement": ui.pick(r["statement"], r["statement_en"]),
                "continuity": value(r["continuity"]),
            }
            for r in await ask(service, "lineage-editions", lineage=path)
        ]
    if path.startswith(("plan/", "case/")):
        # plan-contents names each kind in English; the vocabulary gives its Danish name
        kind_names = {names[1]: names for names in ui.vocabulary.values()}
        sections: OrderedDict[str, list[dict[str, str]]] = OrderedDict()
        links: list[dict[str, str]] = []
        for r in await ask(service, "plan-contents", document=path):
            kind = value(r["kind"])
            item = {
                "kind": ui.pick(*kind_names.get(kind, (kind, kind))),
                "resource": value(r["resource"]),
                "label": value(r["label"]) or compact_iri(value(r["resource"])),
            }
            if r["resource"] is not None and value(r["resource"]).startswith(BASE + "goal-link/"):
                links.append(item)  # the plan's goal links: listed apart, they have no section of their own
            else:
                sections.setdefault(value(r["section"]), []).append(item)
        if "" in sections:  # what has no section comes last
            sections.move_to_end("")
        out["sections"] = sections
        out["goal_links"] = links
        if str(EPKG.sourceFile) in entity.predicates:  # a source document (others are only referred to)
            out["source"] = ui.url("/sources/" + path)
    if str(EPKG.Municipality) in kinds:
        code = path.split("/")[-1]
        out["documents"] = [
            {
                "document": value(r["document"]),
                "title": value(r["title"]),
                "start": value(r["start"]),
                "end": value(r["end"]),
            }
            for r in await ask(service, "municipalities")
            if value(r["municipality"]) == code
        ]
    if path.startswith("target-group/"):
        plans: dict[str, list[dict[str, str]]] = OrderedDict()
        for r in await ask(service, "measures-for-target-group", group=path.removeprefix("target-group/")):
            plans.setdefault(value(r["plan"]), []).append(
                {
                    "measure": value(r["measure"]),
                    "label": value(r["label"]) or compact_iri(value(r["measure"])),
                    "via": value(r["via"]),
                    "via_label": value(r["via_label"]),
                }
            )
        out["members"] = plans
        out["plan_titles"] = await labels_of(service, ui, set(plans))
    if path.startswith(("organisation/", "municipality/", "region/")):
        out["involvement"] = [
            {
                "role": ui.inverse(value(r["role"])),
                "thing": value(r["thing"]),
                "label": value(r["thing_label"]) or compact_iri(value(r["thing"])),
                "document": value(r["document"]),
            }
            for r in await ask(service, "organisation-involvement", organisation=path)
        ]
    if str(EPKG.Passage) in kinds:
        document = next(
            (
                v
                for name, vs in entity.facts
                for v in vs
                if v.href and "/plan/" in v.href or v.href and "/case/" in v.href
            ),
            None,
        )
        if document is not None:
            doc_iri = BASE + document.href.split("?")[0].lstrip("/")
            out["source_link"] = ui.source_url(entity.iri, doc_iri)
    return out


async def entity_page(service: Service, ui: Ui, iri: str) -> str:
    ui.vocabulary = await vocabulary(service)
    ntriples = await service.describe(iri, "application/n-triples")
    labels = await service_rows(service, "link-labels", iri)
    entity = await asyncio.to_thread(read_entity, iri, ntriples, ui, labels)
    more = await extras(service, ui, entity)
    titles = await labels_of(service, ui, {p["document"] for p in entity.passages})
    for p in entity.passages:
        if p["document"] in titles:
            p["document_label"] = "{municipality}: {title}".format(**titles[p["document"]])
    # The data, under the public base (never the request's Host): in the head as <link
    # rel="alternate">, and as links at the foot of the page.
    names = dict(RDF_FORMATS)
    data = [
        {"name": names[SHORT[media_type]], "type": media_type, "href": url}
        for media_type, url in alternates(base_url(service.settings), iri)
    ]
    return render("entity.html", ui, title=entity.title, entity=entity, data=data, **more)
