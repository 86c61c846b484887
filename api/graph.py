"""Finds the project's RDF files and loads them into one rdflib graph.

Knows the base IRI and the namespaces; knows nothing about what the data says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .errors import ProjectError
from .settings import Settings, get_settings

BASE = "https://w3id.org/epkg/"
EPKG = Namespace(BASE + "ontology#")
SHAPES = BASE + "shapes#"  # the namespace of the SHACL shapes' IRIs
ORG = Namespace("http://www.w3.org/ns/org#")

# Prefixes bound on every graph we hand out (and prepended to ad-hoc queries).
PREFIXES: dict[str, str] = {
    "epkg": str(EPKG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "basis": BASE + "scheme/basis/",
    "specificity": BASE + "scheme/specificity/",
    "continuity": BASE + "scheme/continuity/",
    "direction": BASE + "scheme/direction/",
    "unit": BASE + "scheme/unit/",
    "status": BASE + "scheme/status/",
    "kind": BASE + "scheme/statement-kind/",
    "orgkind": BASE + "scheme/organisation-kind/",
    "epkgsh": SHAPES,
}

# Which folders hold which graph; shapes are loaded separately (they validate the rest).
CONTENT_DIRS = ("ontology", "data")
SHAPES_DIR = "shapes"


class ProjectLayoutError(ProjectError):
    """The project folder is not where we looked (e.g. a non-editable install)."""


@dataclass(frozen=True)
class Project:
    """Paths of a project checkout."""

    home: Path

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Project:
        home = (settings or get_settings()).home
        if not (home / "ontology").is_dir() or not (home / "data").is_dir():
            raise ProjectLayoutError(
                f"no ontology/ and data/ under {home}: install the project with "
                "'pip install -e .' from its checkout, or set EPKG_HOME to the checkout"
            )
        return cls(home=home)

    @property
    def sources_dir(self) -> Path:
        return self.home / "data" / "sources"

    @property
    def queries_dir(self) -> Path:
        return self.home / "queries"

    def service_query(self, name: str) -> str:
        """A query of queries/service/: the service's own, not a question of the catalogue."""
        return (self.queries_dir / "service" / f"{name}.rq").read_text(encoding="utf-8")

    def content_files(self) -> list[Path]:
        """The Turtle files of the ontology and the data, in a stable order."""
        return sorted(p for d in CONTENT_DIRS for p in (self.home / d).rglob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return sorted((self.home / SHAPES_DIR).rglob("*.ttl"))

    def rdf_files(self) -> list[Path]:
        return self.content_files() + self.shape_files()


def new_graph() -> Graph:
    g = Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri, override=True)
    return g


def load_files(paths: list[Path]) -> Graph:
    g = new_graph()
    for path in paths:
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises BadSyntax, ParserError, UnicodeDecodeError...
            raise ProjectError(
                f"{path.name} is not valid Turtle: {' '.join(str(exc).split())[:500]}"
            ) from None
    return g


def load_graph(project: Project | None = None) -> Graph:
    """Ontology and data, merged: the graph every question is asked of."""
    project = project or Project.from_settings()
    return load_files(project.content_files())


def compact_iri(iri: str) -> str:
    """An IRI as people read it: vocabulary terms prefixed (``skos:broader``), minted
    resources relative to the base (``measure/slagelse-2017/3-1-2``), anything else in <>."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    if iri.startswith(BASE):
        return iri[len(BASE) :]
    return f"<{iri}>"


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
