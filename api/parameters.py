"""Typed query parameters: turn a user's string into a validated RDF term.

A value is never pasted into query text: it is parsed, checked and made an rdflib term
here, and the catalogue binds that term (serialised by rdflib, which escapes it) in a
VALUES block. A bad value raises ParameterError naming the parameter and what it wants.

Enumerations (goal-link bases and specificities, units) are the concepts of their SKOS
scheme in ontology/schemes.ttl, read from there: a concept added to the scheme is a value
the parameter takes, with no Python to change.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Identifier

from .errors import UserError
from .graph import BASE, Project


class ParameterError(UserError, ValueError):
    """A parameter value (or name) a question cannot take. Its text is for the user."""

    def __init__(self, parameter: str, message: str):
        super().__init__(
            f"parameter '{parameter}': {message}",
            message_da=f"Parameteren «{parameter}» har en værdi, der ikke kan bruges, eller mangler.",
        )
        self.parameter = parameter


MAX_TEXT = 200
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9.-]*)*$")


def _year(value: str) -> Identifier:
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError("a year is four digits, e.g. 2017")
    return Literal(value, datatype=XSD.gYear)


def _integer(value: str) -> Identifier:
    if not re.fullmatch(r"[+]?\d{1,9}", value):
        raise ValueError("a whole number is wanted, e.g. 4")
    return Literal(int(value))


def _date(value: str) -> Identifier:
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("a date is YYYY-MM-DD, e.g. 2019-06-01") from None
    # Dates are compared as YYYY-MM-DD strings by the queries (the data mixes
    # xsd:date, xsd:gYearMonth and xsd:gYear, which SPARQL cannot order together).
    return Literal(day.isoformat())


def _text(value: str) -> Identifier:
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"at most {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in value):
        raise ValueError("control characters (newlines, tabs...) are not allowed")
    return Literal(value)


def _kommunekode(value: str) -> Identifier:
    if not re.fullmatch(r"\d{3}", value):
        raise ValueError("a kommunekode is three digits, e.g. 330 (Slagelse), 390, 540, 766")
    return Literal(value)


def _under(prefix: str, example: str, kinds: tuple[str, ...] = ()) -> Callable[[str], Identifier]:
    """A resource of ours: a full IRI under BASE+prefix, or the rest of its path.

    ``kinds`` limits the first path segment (e.g. plan/ or case/ for documents).
    """

    def convert(value: str) -> Identifier:
        if value.startswith(BASE):
            if not value.startswith(BASE + prefix):
                raise ValueError(f"an IRI under {BASE}{prefix} is wanted, e.g. {example}")
            rest = value.removeprefix(BASE + prefix)
        else:
            rest = value.removeprefix(prefix)
        if not _SLUG.fullmatch(rest):
            raise ValueError(f"lower-case path segments are wanted, e.g. {example}")
        if kinds and rest.split("/", 1)[0] not in kinds:
            raise ValueError(
                f"a path starting with {' or '.join(k + '/' for k in kinds)} is wanted, e.g. {example}"
            )
        return URIRef(BASE + prefix + rest)

    return convert


SCHEMES_FILE = ("ontology", "schemes.ttl")


@functools.cache
def _schemes() -> Graph:
    return Graph().parse(Project.from_settings().home.joinpath(*SCHEMES_FILE), format="turtle")


def scheme_values(scheme: str) -> tuple[str, ...]:
    """The local names of the concepts of ``scheme/<scheme>/`` in ontology/schemes.ttl, in scheme order
    (the order of skos:hasTopConcept is not kept by RDF, so: sorted by IRI)."""
    namespace = f"{BASE}scheme/{scheme}/"
    concepts = sorted(str(c) for c in _schemes().subjects(SKOS.inScheme, URIRef(namespace)))
    return tuple(c.removeprefix(namespace) for c in concepts)


def _choice(scheme: str) -> Callable[[str], Identifier]:
    def convert(value: str) -> Identifier:
        choices = scheme_values(scheme)
        if value not in choices:
            raise ValueError(f"one of {', '.join(choices)} is wanted")
        return URIRef(f"{BASE}scheme/{scheme}/{value}")

    return convert


ONTOLOGY_FILE = ("ontology", "epkg.ttl")
ONTOLOGY = URIRef(BASE + "ontology")


@functools.cache
def kind_values() -> tuple[str, ...]:
    """The ontology's classes as kebab-case names (epkg:QuantifiedTarget → quantified-target), sorted."""
    graph = Graph().parse(Project.from_settings().home.joinpath(*ONTOLOGY_FILE), format="turtle")
    names = []
    for cls in graph.subjects(RDF.type, OWL.Class):
        if (cls, RDFS.isDefinedBy, ONTOLOGY) in graph and str(cls).startswith(f"{ONTOLOGY}#"):
            names.append(class_name(str(cls)))
    return tuple(sorted(names))


def class_name(iri: str) -> str:
    """``…ontology#QuantifiedTarget`` → ``quantified-target``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", iri.rsplit("#", 1)[-1]).lower()


def _kind(value: str) -> Identifier:
    if value not in kind_values():
        raise ValueError(f"a kind of resource is wanted, one of {', '.join(kind_values())}")
    return URIRef(f"{ONTOLOGY}#" + "".join(part.capitalize() for part in value.split("-")))


@dataclass(frozen=True)
class ParameterType:
    name: str
    convert: Callable[[str], Identifier]
    describe: str
    """What the parameter wants, in words; ``{values}`` stands for the scheme's concepts."""
    scheme: str | None = None

    @property
    def help(self) -> str:
        if self.scheme is None:
            return self.describe
        return self.describe.format(values=", ".join(scheme_values(self.scheme)))


def _scheme_type(name: str, scheme: str, describe: str) -> ParameterType:
    return ParameterType(name, _choice(scheme), describe, scheme)


TYPES: dict[str, ParameterType] = {
    t.name: t
    for t in (
        ParameterType("year", _year, "a year, e.g. 2017"),
        ParameterType("integer", _integer, "a whole number, e.g. 4"),
        ParameterType("date", _date, "a date YYYY-MM-DD, e.g. 2019-06-01"),
        ParameterType("text", _text, f"free text, at most {MAX_TEXT} characters"),
        ParameterType("kommunekode", _kommunekode, "a three-digit municipality code, e.g. 330"),
        ParameterType(
            "resource", _under("", "measure/slagelse-2017/3-1-2"), "any resource of the graph: IRI or path"
        ),
        ParameterType(
            "document",
            _under("", "plan/vordingborg-2019", ("plan", "case")),
            "a document: plan/<slug> or case/<slug>",
        ),
        ParameterType(
            "target-group",
            _under("target-group/", "sygedagpenge"),
            "a shared target group, e.g. sygedagpenge",
        ),
        ParameterType(
            "organisation",
            _under("", "organisation/ap-moller-fonden", ("organisation", "municipality", "region")),
            "an organisation or municipality IRI or path",
        ),
        ParameterType(
            "kind",
            _kind,
            "a kind of resource, a class of the ontology: measure (projects and offers too), "
            "focus-area, plan-target-group, quantified-target, objective, policy-statement...",
        ),
        _scheme_type("basis", "basis", "a goal-link basis: {values}"),
        _scheme_type("specificity", "specificity", "a goal-link specificity: {values}"),
        _scheme_type("unit", "unit", "a unit: {values}"),
    )
}


def convert(parameter: str, type_name: str, value: str) -> Identifier:
    try:
        return TYPES[type_name].convert(value.strip())
    except ValueError as exc:
        raise ParameterError(parameter, f"{value!r} is not valid: {exc}") from None
