"""The published HTML pages rendered with the templates of api/templates/publish: the
dataset's page and the shapes page."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..graph import BASE
from .docs import shapes_page
from .formats import DUMP_FORMATS, SHORT_FORMATS
from .publication import Publication
from .terms import DATASET, DESCRIPTION, TITLE

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "templates" / "publish"),
    autoescape=select_autoescape(["html"]),
)


def alternates(path: str) -> list[dict[str, str]]:
    return [
        {"type": t, "href": f"{path}?format={short}", "name": short} for short, t in SHORT_FORMATS.items()
    ]


def shapes_html(p: Publication) -> str:
    return TEMPLATES.get_template("shapes.html").render(
        title="SHACL shapes", alternates=alternates("/shapes"), **shapes_page(p.shapes)
    )


def dataset_html(p: Publication, base: str) -> str:
    counts = p.counts
    documents = p.documents()
    graphs = [
        {
            "name": g.name,
            "iri": g.iri,
            "triples": len(g.graph),
            "document": str(documents.get(g.iri, "")),
            "document_link": "/" + str(documents.get(g.iri, "")).removeprefix(BASE),
        }
        for g in p.graphs
    ]
    labels = []
    for prop, langs in sorted(counts.labels.items()):
        total = counts.properties[prop][1]
        for lang, (triples, subjects) in sorted(langs.items()):
            labels.append(
                {
                    "property": prop.n3(p.union.namespace_manager),
                    "lang": lang or "none",
                    "triples": triples,
                    "subjects": subjects,
                    "of": total,
                }
            )
    return TEMPLATES.get_template("dataset.html").render(
        title=TITLE["en"],
        description=DESCRIPTION,
        iri=str(DATASET),
        version=p.release.version,
        ontology_version=p.ontology_version,
        issued=p.release.issued,
        modified=p.release.modified,
        licence=str(p.licence),
        base=base,
        counts=counts,
        uri_space=BASE,
        formats=DUMP_FORMATS,
        graphs=graphs,
        labels=labels,
        alternates=alternates("/.well-known/void"),
    )
