"""The question catalogue as data: SHACL-AF executables (data/catalogue/questions.ttl)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCMITYPE, DCTERMS, RDF, RDFS, SH, SKOS, XSD

from ..catalogue import Question
from ..graph import new_graph, sparql_prologue
from ..parameters import TYPES, convert
from .terms import PARAMETER_BASE, QUESTION_BASE, QUESTIONS

CATALOGUE_FILE = Path("data") / "catalogue" / "questions.ttl"


def _parameter_term(parameter_type: str, name: str, example: str) -> tuple[URIRef | None, Literal | URIRef]:
    """(sh:datatype or None for an IRI, the example as the RDF term the question binds)."""
    term = convert(name, parameter_type, example)
    if isinstance(term, Literal):
        return (term.datatype or XSD.string), term
    assert isinstance(term, URIRef)
    return None, term


def catalogue_graph(catalogue: Mapping[str, Question]) -> Graph:
    """The questions as SHACL-AF executables a SPARQL client can find and run.

    ``<question/NAME>`` is an ``sh:SPARQLSelectExecutable`` with the question in ``rdfs:comment``
    (da, en), its summary, the example call, and ``sh:select``: the complete query, prefixes
    included. Each parameter is an ``sh:Parameter`` whose ``sh:path`` local name is the
    query's variable; a client binds a value as one ``VALUES`` row first in the outermost
    ``WHERE {`` (as epkg does), or leaves an optional one out.
    """
    g = new_graph()
    g.bind("sh", str(SH))
    g.bind("question", QUESTION_BASE)
    g.bind("parameter", PARAMETER_BASE)
    g.add((QUESTIONS, RDF.type, DCMITYPE.Collection))
    g.add((QUESTIONS, RDFS.label, Literal("Spørgsmålskatalog", lang="da")))
    g.add((QUESTIONS, RDFS.label, Literal("Question catalogue", lang="en")))
    g.add(
        (
            QUESTIONS,
            DCTERMS.description,
            Literal(
                "The named questions of the knowledge graph, each a SPARQL SELECT with typed parameters. "
                "Bind a parameter as one VALUES row first in the query's outermost WHERE group, or ask the REST "
                "route /api/queries/{name}.",
                lang="en",
            ),
        )
    )
    parameters_seen: dict[str, str] = {}
    for name in sorted(catalogue):
        question = catalogue[name]
        q = URIRef(QUESTION_BASE + name)
        g.add((QUESTIONS, DCTERMS.hasPart, q))
        for cls in (SH.SPARQLSelectExecutable, SH.SPARQLExecutable, SH.Parameterizable):
            g.add((q, RDF.type, cls))
        g.add((q, DCTERMS.identifier, Literal(name)))
        g.add((q, DCTERMS.isPartOf, QUESTIONS))
        for lang, text in (("da", question.question_da), ("en", question.question_en)):
            g.add((q, RDFS.label, Literal(text, lang=lang)))
            g.add((q, RDFS.comment, Literal(text, lang=lang)))
        g.add((q, DCTERMS.description, Literal(question.summary, lang="en")))
        g.add((q, SKOS.example, Literal(question.example)))
        g.add((q, SH.select, Literal(sparql_prologue() + question.text)))
        for p in question.parameters:
            pnode = URIRef(f"{q}/parameter/{p.name}")
            path = URIRef(PARAMETER_BASE + p.name)
            datatype, example = _parameter_term(p.type, p.name, p.example)
            g.add((q, SH.parameter, pnode))
            g.add((pnode, RDF.type, SH.Parameter))
            g.add((pnode, SH.path, path))
            g.add((pnode, SH.name, Literal(p.name)))
            g.add((pnode, SH.optional, Literal(not p.required)))
            g.add((pnode, SH.description, Literal(p.description, lang="en")))
            g.add((pnode, RDFS.comment, Literal(TYPES[p.type].help, lang="en")))
            g.add((pnode, SKOS.example, example))
            if datatype is None:
                g.add((pnode, SH.nodeKind, SH.IRI))
            else:
                g.add((pnode, SH.datatype, datatype))
            parameters_seen.setdefault(p.name, p.type)
    for name in sorted(parameters_seen):
        path = URIRef(PARAMETER_BASE + name)
        g.add((path, RDF.type, RDF.Property))
        for lang in ("da", "en"):  # the variable name is the same in both languages
            g.add((path, RDFS.label, Literal(f"parameter {name}", lang=lang)))
        g.add(
            (
                path,
                RDFS.comment,
                Literal(
                    f"The question parameter '{name}': its local name is the SPARQL variable ?{name} it binds.",
                    lang="en",
                ),
            )
        )
    return g


CATALOGUE_HEADER = (
    "# The question catalogue as data: generated from queries/*.rq by\n"
    "#   epkg export --format catalogue --output data/catalogue/questions.ttl\n"
    "# Do not edit: change the .rq file and run the command again (tests/test_dataset.py checks it).\n\n"
)


def catalogue_turtle(catalogue: Mapping[str, Question]) -> bytes:
    return CATALOGUE_HEADER.encode() + catalogue_graph(catalogue).serialize(format="turtle", encoding="utf-8")
