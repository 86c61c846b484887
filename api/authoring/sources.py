"""Registers a source text: copies it into data/sources/ unchanged and describes it, with its
SHA-256, municipality, title, kind, date and period, in data/reference/documents.ttl.

Everything is checked before anything is written; then the text and the new
documents.ttl are each written whole (a temporary file, then os.replace), and the text is
removed again if documents.ttl cannot be written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ..graph import BASE, EPKG, Project
from . import AuthoringError
from .passages import find_passage
from .turtle import copy_atomically, literal, resource, typed, write_atomically

KINDS = {  # --kind: (class, IRI path)
    "plan": ("epkg:EmploymentPlan", "plan"),
    "strategy": ("epkg:EmploymentStrategy", "plan"),
    "case": ("epkg:CasePresentation", "case"),
}
DOCUMENTS_FILE = Path("data/reference/documents.ttl")
ORGANISATIONS_FILE = Path("data/reference/organisations.ttl")


@dataclass(frozen=True)
class Registration:
    slug: str
    kind: str
    municipality: str  # kommunekode
    title: str
    start: int
    end: int
    date: str | None = None  # YYYY-MM-DD
    title_en: str | None = None

    @property
    def iri(self) -> str:
        return f"{KINDS[self.kind][1]}/{self.slug}"


def read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AuthoringError(
            f"{path.name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            "convert it to UTF-8 first (e.g. iconv -f latin1 -t utf-8)"
        ) from None


def municipality_labels(home: Path, code: str) -> dict[str, str]:
    """The municipality's labels by language; an unknown kommunekode is refused."""
    graph = Graph().parse(home / ORGANISATIONS_FILE, format="turtle")
    municipality = URIRef(f"{BASE}municipality/{code}")
    if (municipality, RDF.type, EPKG.Municipality) not in graph:
        known = sorted(
            str(m)[len(BASE) + len("municipality/") :] for m in graph.subjects(RDF.type, EPKG.Municipality)
        )
        raise AuthoringError(
            f"unknown municipality code {code!r}: the kommunekoder in {ORGANISATIONS_FILE} are "
            f"{', '.join(known)}; add the municipality there first"
        )
    return {getattr(lit, "language", None) or "": str(lit) for lit in graph.objects(municipality, RDFS.label)}


def _check_fields(home: Path, reg: Registration) -> None:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", reg.slug):
        raise AuthoringError(f"bad slug {reg.slug!r}: lower-case ASCII words joined by '-' (data/README.md)")
    if reg.kind not in KINDS:
        raise AuthoringError(f"unknown kind {reg.kind!r}: choose one of {', '.join(KINDS)}")
    if reg.date is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", reg.date):
        raise AuthoringError(f"bad date {reg.date!r}: write it as YYYY-MM-DD")
    if not (1900 < reg.start <= reg.end < 2100):
        raise AuthoringError(f"bad period {reg.start}–{reg.end}: two years, the first not after the last")
    documents = (home / DOCUMENTS_FILE).read_text(encoding="utf-8")
    if f"<{reg.iri}>" in documents:
        raise AuthoringError(f"{reg.iri} is already registered in {DOCUMENTS_FILE}")
    if (home / "data" / "sources" / f"{reg.slug}.txt").exists():
        raise AuthoringError(f"data/sources/{reg.slug}.txt exists already")


def document_turtle(reg: Registration, text: str, labels: dict[str, str]) -> str:
    """The document's resource and its title passage, to append to documents.ttl."""
    found = find_passage(text, reg.title)
    if found is None:
        raise AuthoringError(f"the title {reg.title!r} is not in the text: give it as the text writes it")
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    title_passage = f"<passage/{reg.slug}/title>"
    english = reg.title_en or reg.title
    properties = [
        ("a", KINDS[reg.kind][0]),
        ("dcterms:title", literal(found.quote, "da")),
        (
            "rdfs:label",
            f"{literal(labels.get('da', reg.municipality) + ': ' + found.quote, 'da')} , "
            f"{literal(labels.get('en', reg.municipality) + ': ' + english, 'en')}",
        ),
        ("epkg:municipality", f"<municipality/{reg.municipality}>"),
        *([("dcterms:date", typed(reg.date, "xsd:date"))] if reg.date else []),
        ("epkg:periodStart", typed(str(reg.start), "xsd:gYear")),
        ("epkg:periodEnd", typed(str(reg.end), "xsd:gYear")),
        ("dcterms:language", literal("da")),
        ("epkg:sourceFile", literal(f"{reg.slug}.txt")),
        ("epkg:sha256", typed(checksum, "xsd:hexBinary")),
        ("epkg:citation", title_passage),
    ]
    passage = [
        ("a", "epkg:Passage"),
        ("epkg:inDocument", f"<{reg.iri}>"),
        *([("epkg:sectionHeading", literal(found.heading, "da"))] if found.heading else []),
        ("epkg:quote", literal(found.quote)),
    ]
    return "\n" + resource(properties, f"<{reg.iri}>") + "\n" + resource(passage, title_passage)


def register(project: Project, text_file: Path, reg: Registration) -> Path:
    """Registers the text; returns where it was copied. Refuses (AuthoringError) before writing."""
    home = project.home
    text = read_utf8(text_file)
    _check_fields(home, reg)
    labels = municipality_labels(home, reg.municipality)
    documents_path = home / DOCUMENTS_FILE
    new_documents = documents_path.read_text(encoding="utf-8") + document_turtle(reg, text, labels)
    try:
        Graph().parse(data=new_documents, format="turtle")
    except Exception as exc:  # a title that breaks Turtle must never reach the file
        raise AuthoringError(f"the registration would not be valid Turtle: {exc}") from None
    target = project.sources_dir / f"{reg.slug}.txt"
    copy_atomically(text_file.read_bytes(), target)
    try:
        write_atomically(documents_path, new_documents)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target
