"""The pages for people: view models built through the façade, rendered with Jinja2.

Every page asks the graph only through ``Service``: catalogue questions (``service.ask``),
the service queries of ``queries/service/`` and ``service.describe``. No query text lives
here. A page is Danish by default; ``?lang=en`` switches it to English, and every link a
page prints keeps the choice (``Ui.url``).

- ``/``: the question "which local measures serve minister goal N of year Y?", with a year
  picker and the goals of that year (their statements), filters, and a link to the answer;
- ``/answer``: the answer, grouped by municipality and plan, each item with its kind, basis
  (and the root basis of a derived link), specificity and citations (source view one click away);
- ``/coverage``: goals x plans of a year, an SVG heatmap and the same numbers as a table;
- ``/years/{year}``: the goals of a year, new or continued, and which plans answer them;
- ``/sources/{document}``: a source text with every cited passage highlighted and anchored;
- ``/search``: labels and quotes; the HTML of every dataset IRI (entity pages); the SPARQL page.
"""

from __future__ import annotations

import functools
import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Identifier, Node

from .catalogue import bind_values
from .errors import NotFound, UserError
from .graph import BASE, EPKG, compact_iri
from .provenance import _WHITESPACE, normalise
from .service import Service
from .store import FORM_RESULTS, RESULT_MEDIA_TYPES, Table

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LANGS = ("da", "en")
RDF_FORMATS = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdf", "RDF/XML"))
RESULT_FORMATS = {
    "results": (("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"), ("tsv", "TSV")),
    "graph": RDF_FORMATS,
}
SHOWN_ROWS = 500  # rows of a SPARQL answer shown as a table; the downloads hold them all

# The words of the pages (not of the data: those come from the graph in both languages).
TEXT: dict[str, dict[str, str]] = {
    "site": {"da": "Beskæftigelsespolitisk vidensgraf", "en": "Employment-policy knowledge graph"},
    "skip": {"da": "Spring til indhold", "en": "Skip to content"},
    "nav_question": {"da": "Spørgsmålet", "en": "The question"},
    "nav_coverage": {"da": "Dækning", "en": "Coverage"},
    "nav_years": {"da": "Årets mål", "en": "Goals by year"},
    "nav_sources": {"da": "Kilder", "en": "Sources"},
    "nav_search": {"da": "Søg", "en": "Search"},
    "nav_sparql": {"da": "SPARQL", "en": "SPARQL"},
    "switch": {"da": "English", "en": "Dansk"},
    "question": {
        "da": "Hvilke lokale indsatser understøtter ministerens mål?",
        "en": "Which local measures serve the minister's goal?",
    },
    "question_intro": {
        "da": "Vælg år og et af ministerens mål for det år. Målnumre begynder forfra hvert år: "
        "mål 4 i 2017 er et andet mål end mål 4 i 2019.",
        "en": "Pick a year and one of the minister's goals of that year. Goal numbers restart every "
        "year: goal 4 of 2017 is another goal than goal 4 of 2019.",
    },
    "year": {"da": "År", "en": "Year"},
    "goal": {"da": "Ministerens mål", "en": "The minister's goal"},
    "goal_no": {"da": "Mål {number} ({year})", "en": "Goal {number} ({year})"},
    "filters": {"da": "Afgræns (valgfrit)", "en": "Narrow down (optional)"},
    "municipality": {"da": "Kommune", "en": "Municipality"},
    "all": {"da": "alle", "en": "all"},
    "basis": {"da": "Grundlag", "en": "Basis"},
    "specificity": {"da": "Præcision", "en": "Specificity"},
    "show_answer": {"da": "Vis svaret", "en": "Show the answer"},
    "answer_title": {
        "da": "Hvad understøtter mål {number} ({year})?",
        "en": "What serves goal {number} ({year})?",
    },
    "answer_lead": {
        "da": "Dette er ministerens mål nr. {number} for {year}:",
        "en": "This is the minister's goal no. {number} of {year}:",
    },
    "other_years": {"da": "Samme mål i andre år", "en": "The same aim in other years"},
    "no_other_years": {
        "da": "Målet findes ikke i andre år i grafen.",
        "en": "The graph has this aim in no other year.",
    },
    "found": {
        "da": "{n} koblinger i {m} kommuner; direkte koblinger står først.",
        "en": "{n} links in {m} municipalities; direct links come first.",
    },
    "nothing_found": {
        "da": "Intet i planerne understøtter dette mål med disse filtre.",
        "en": "Nothing in the plans serves this goal with these filters.",
    },
    "filtered_by": {"da": "Filtre", "en": "Filters"},
    "change": {"da": "Skift spørgsmål", "en": "Change the question"},
    "kind": {"da": "Type", "en": "Kind"},
    "goal_link": {"da": "målkobling", "en": "goal link"},
    "goal_links": {
        "da": "Planens koblinger til ministerens mål ({n})",
        "en": "The plan's links to the minister's goals ({n})",
    },
    "section_heading": {"da": "Afsnit {section}", "en": "Section {section}"},
    "no_section": {"da": "Uden afsnitsnummer", "en": "Without a section number"},
    "rests_on": {"da": "hviler på", "en": "rests on"},
    "rule": {"da": "Regel", "en": "Rule"},
    "rationale": {"da": "Begrundelse", "en": "Rationale"},
    "derived_from": {"da": "afledt af", "en": "derived from"},
    "citations": {"da": "Kilde ({n})", "en": "Source ({n})"},
    "no_citation": {"da": "ingen citat", "en": "no quote"},
    "in_source": {"da": "Se i kilden", "en": "See in the source"},
    "section": {"da": "afsnit", "en": "section"},
    "also": {"da": "Se også", "en": "See also"},
    "coverage_of": {"da": "Dækningen for {year}", "en": "Coverage for {year}"},
    "year_view": {"da": "Ministerens mål for {year}", "en": "The minister's goals for {year}"},
    "as_json": {"da": "Svaret som JSON", "en": "The answer as JSON"},
    "as_sparql": {"da": "Forespørgslen i SPARQL", "en": "The query in SPARQL"},
    "coverage_title": {"da": "Mål og planer {year}", "en": "Goals and plans {year}"},
    "coverage_intro": {
        "da": "Hvor mange af planens indsatser (projekter og tilbud medregnet) understøtter hvert af "
        "ministerens mål for {year}? Tomme felter er mål, planen ingen indsats har for. "
        "Klik et felt for svaret.",
        "en": "How many of each plan's measures (projects and offers included) serve each of the "
        "minister's goals of {year}? Empty cells are goals the plan has no measure for. "
        "Click a cell for the answer.",
    },
    "heatmap": {"da": "Dækning som varmekort", "en": "Coverage as a heatmap"},
    "table": {"da": "Dækning som tabel", "en": "Coverage as a table"},
    "plan": {"da": "Plan", "en": "Plan"},
    "measures": {"da": "indsatser", "en": "measures"},
    "none": {"da": "ingen", "en": "none"},
    "direct": {"da": "direkte", "en": "direct"},
    "via_group": {"da": "via gruppe", "en": "via group"},
    "stated": {"da": "angivet", "en": "stated"},
    "derived": {"da": "afledt", "en": "derived"},
    "curated": {"da": "vurderet", "en": "curated"},
    "legend": {
        "da": "Farven viser antallet af indsatser; et gråt felt med streg er tomt.",
        "en": "The colour shows the number of measures; a grey cell with a dash is empty.",
    },
    "years_title": {"da": "Ministerens mål for {year}", "en": "The minister's goals for {year}"},
    "continuity": {"da": "Nyt eller videreført", "en": "New or continued"},
    "continues": {"da": "viderefører", "en": "continues"},
    "another_number": {"da": "andet nummer", "en": "another number"},
    "answered_by": {"da": "Besvares af", "en": "Answered by"},
    "not_answered_by": {"da": "Ingen indsats i", "en": "No measure in"},
    "lineage": {"da": "Målslinje", "en": "Lineage"},
    "announcement": {"da": "Udmelding", "en": "Announcement"},
    "answer": {"da": "Svar", "en": "Answer"},
    "sources_title": {"da": "Kildedokumenterne", "en": "The source documents"},
    "sources_intro": {
        "da": "De fem kildetekster, uændrede. Hvert citeret tekststed er markeret og kan linkes til.",
        "en": "The five source texts, unchanged (Danish). Every cited passage is highlighted and linkable.",
    },
    "source_title": {"da": "Kilde: {title}", "en": "Source: {title}"},
    "source_intro": {
        "da": "{n} citerede tekststeder er markeret; tallet ved hvert fører til listen over, hvad i "
        "grafen der citerer det.",
        "en": "{n} cited passages are highlighted; the number by each leads to the list of what in the "
        "graph cites it.",
    },
    "source_text": {"da": "Teksten", "en": "The text"},
    "passages": {"da": "Citerede tekststeder", "en": "Cited passages"},
    "cited_by": {"da": "Citeret af", "en": "Cited by"},
    "back_to_text": {"da": "i teksten", "en": "in the text"},
    "not_found_in_text": {"da": "ikke fundet i teksten", "en": "not found in the text"},
    "file": {"da": "Fil", "en": "File"},
    "search_title": {"da": "Søg", "en": "Search"},
    "search_label": {
        "da": "Søg i etiketter, beskrivelser og citater",
        "en": "Search labels, descriptions and quotes",
    },
    "search_hint": {
        "da": "Store og små bogstaver er ens; æ, ø og å kan skrives ae, oe og aa.",
        "en": "Case does not matter; æ, ø and å may be written ae, oe and aa.",
    },
    "search_button": {"da": "Søg", "en": "Search"},
    "results_for": {"da": "{n} resultater for “{q}”", "en": "{n} results for “{q}”"},
    "match_in": {"da": "fundet i", "en": "found in"},
    "entity_kind": {"da": "Type", "en": "Kind"},
    "about": {"da": "Oplysninger", "en": "Facts"},
    "links_here": {"da": "Links hertil", "en": "Links here"},
    "data": {"da": "Data", "en": "Data"},
    "iri": {"da": "IRI", "en": "IRI"},
    "contents": {"da": "Indhold afsnit for afsnit", "en": "Contents section by section"},
    "documents": {"da": "Dokumenter", "en": "Documents"},
    "members": {"da": "Indsatser for gruppen, plan for plan", "en": "Measures for the group, plan by plan"},
    "via": {"da": "via", "en": "via"},
    "involvement": {"da": "Roller i planerne", "en": "Roles in the plans"},
    "role": {"da": "Rolle", "en": "Role"},
    "editions": {"da": "Udgaver år for år", "en": "Editions year by year"},
    "edition": {"da": "Udgave", "en": "Edition"},
    "serving": {"da": "Hvad understøtter målet?", "en": "What serves this goal?"},
    "passage_quote": {"da": "Citat", "en": "Quote"},
    "sparql_title": {"da": "SPARQL-forespørgsel", "en": "SPARQL query"},
    "sparql_intro": {
        "da": "Skriv en SPARQL 1.1-forespørgsel (kun læsning), eller start fra et af katalogets spørgsmål.",
        "en": "Write a SPARQL 1.1 query (read-only), or start from one of the catalogue's questions.",
    },
    "examples": {"da": "Eksempler fra kataloget", "en": "Examples from the catalogue"},
    "run": {"da": "Kør", "en": "Run"},
    "query": {"da": "Forespørgsel", "en": "Query"},
    "results": {"da": "Resultat", "en": "Results"},
    "rows": {"da": "{n} rækker", "en": "{n} rows"},
    "rows_shown": {
        "da": "de første {n} vises; hent alle nedenfor",
        "en": "the first {n} are shown; download all below",
    },
    "download": {"da": "Hent", "en": "Download"},
    "ask_true": {"da": "Svaret er ja.", "en": "The answer is yes."},
    "ask_false": {"da": "Svaret er nej.", "en": "The answer is no."},
    "error": {"da": "Fejl", "en": "Error"},
    "home": {"da": "Til forsiden", "en": "To the home page"},
    "footer": {
        "da": "Data: CC BY 4.0. Kilderne er kommunernes offentlige dokumenter. Maskinlæsbart: ",
        "en": "Data: CC BY 4.0. The sources are the municipalities' public documents. For machines: ",
    },
}

# Names of properties from outside the vocabulary (the vocabulary's own come from the graph).
EXTERNAL_TERMS: dict[str, tuple[str, str]] = {
    str(RDFS.label): ("etiket", "label"),
    str(RDFS.comment): ("kommentar", "comment"),
    str(SKOS.prefLabel): ("foretrukken betegnelse", "preferred label"),
    str(SKOS.altLabel): ("anden betegnelse", "alternative label"),
    str(SKOS.broader): ("bredere begreb", "broader"),
    str(SKOS.narrower): ("snævrere begreb", "narrower"),
    str(SKOS.broadMatch): ("svarer til bredere", "broad match"),
    str(SKOS.narrowMatch): ("svarer til snævrere", "narrow match"),
    str(SKOS.exactMatch): ("svarer til", "exact match"),
    str(SKOS.closeMatch): ("svarer nogenlunde til", "close match"),
    str(SKOS.related): ("relateret", "related"),
    str(SKOS.example): ("eksempel", "example"),
    str(SKOS.inScheme): ("i begrebssystem", "in scheme"),
    str(SKOS.topConceptOf): ("topbegreb i", "top concept of"),
    str(SKOS.hasTopConcept): ("har topbegreb", "has top concept"),
    str(SKOS.scopeNote): ("afgrænsning", "scope note"),
    str(SKOS.note): ("note", "note"),
    str(SKOS.definition): ("definition", "definition"),
    str(DCTERMS.title): ("titel", "title"),
    str(DCTERMS.alternative): ("anden titel", "alternative title"),
    str(DCTERMS.description): ("beskrivelse", "description"),
    str(DCTERMS.date): ("dato", "date"),
    str(DCTERMS.issued): ("udgivet", "issued"),
    str(DCTERMS.language): ("sprog", "language"),
    str(DCTERMS.publisher): ("udgiver", "publisher"),
    str(DCTERMS.creator): ("ophav", "creator"),
    str(DCTERMS.source): ("kilde", "source"),
    str(DCTERMS.bibliographicCitation): ("kildehenvisning", "bibliographic citation"),
    "http://www.w3.org/ns/org#hasUnit": ("har enhed", "has unit"),
    "http://www.w3.org/ns/org#Organization": ("organisation", "organisation"),
    "http://www.w3.org/ns/org#OrganizationalUnit": ("organisatorisk enhed", "organisational unit"),
    str(SKOS.Concept): ("begreb", "concept"),
    str(SKOS.ConceptScheme): ("begrebssystem", "concept scheme"),
    "http://www.w3.org/2002/07/owl#Ontology": ("ontologi", "ontology"),
    "http://www.w3.org/ns/org#unitOf": ("enhed i", "unit of"),
    "http://www.w3.org/ns/prov#wasAssociatedWith": ("knyttet til", "associated with"),
    "http://www.w3.org/ns/prov#startedAtTime": ("begyndt", "started at"),
    "http://www.w3.org/ns/prov#wasDerivedFrom": ("afledt af", "derived from"),
    "http://www.w3.org/ns/org#subOrganizationOf": ("underorganisation af", "sub-organisation of"),
    "http://www.w3.org/ns/org#hasSubOrganization": ("har underorganisation", "has sub-organisation"),
    "http://www.w3.org/ns/org#classification": ("klassifikation", "classification"),
    "http://www.w3.org/2002/07/owl#sameAs": ("samme som", "same as"),
}
# How a link reads from its object's side ("links here"): skos:broader pointing here lists narrower concepts.
INVERSE: dict[str, tuple[str, str]] = {
    str(SKOS.broader): ("snævrere begreber", "narrower concepts"),
    str(SKOS.inScheme): ("begreber i systemet", "concepts in the scheme"),
    str(SKOS.exactMatch): ("svarer til (planens grupper)", "matched by (plans' groups)"),
    str(SKOS.narrowMatch): ("snævrere grupper i planerne", "narrower groups in the plans"),
    str(SKOS.broadMatch): ("bredere grupper i planerne", "broader groups in the plans"),
    str(EPKG.partOfDocument): ("indhold", "contents"),
    str(EPKG.inDocument): ("tekststeder", "passages"),
    str(EPKG.municipality): ("hører til kommunen", "of this municipality"),
    str(EPKG.inFocusArea): ("i fokusområdet", "in this focus area"),
    str(EPKG.inTrack): ("i sporet", "in this track"),
    str(EPKG.forTargetGroup): ("rettet mod gruppen", "addressed to this group"),
    str(EPKG.linkSubject): ("målkoblinger", "goal links"),
    str(EPKG.linkGoal): ("målkoblinger til målet", "goal links to this goal"),
    str(EPKG.servesGoal): ("understøtter målet", "serve this goal"),
    str(EPKG.citation): ("citeret af", "cited by"),
    str(EPKG.derivedFrom): ("koblinger afledt heraf", "links derived from this one"),
    str(EPKG.rule): ("koblinger efter reglen", "links by this rule"),
    str(EPKG.funder): ("finansierer", "funds"),
    str(EPKG.partner): ("partner i", "partner in"),
    str(EPKG.lineage): ("udgaver", "editions"),
    str(EPKG.continues): ("videreføres af", "continued by"),
    str(EPKG.announcedIn): ("udmeldte mål", "goals announced"),
    str(DCTERMS.publisher): ("udgiver", "publishes"),
    str(EPKG.decidedBy): ("har besluttet", "decided"),
    str(EPKG.comparisonReference): ("sammenligningsgrundlag for", "comparison reference of"),
    str(EPKG.supportedBy): ("støtter", "supports"),
    str(EPKG.opposedBy): ("er imod", "opposes"),
    str(DCTERMS.creator): ("ophav til", "created"),
}
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


# --- small helpers ----------------------------------------------------------


def path_of(iri: str) -> str:
    """A dataset IRI as the path this server serves it at."""
    return "/" + iri[len(BASE) :] if iri.startswith(BASE) else iri


def passage_anchor(passage_iri: str) -> str:
    return "p-" + passage_iri.removeprefix(BASE + "passage/").replace("/", "--")


def value(term: Node | None) -> str:
    return "" if term is None else str(term)


def badge_key(iri: str) -> str:
    """``basis:stated`` → ``stated``, ``specificity:via-group`` → ``via_group``."""
    return iri.rsplit("/", 1)[-1].replace("-", "_")


@dataclass
class Ui:
    """What every template needs: the language, the words, and links that keep the language."""

    lang: str
    path: str
    query: dict[str, str]
    vocabulary: dict[str, tuple[str, str]] = field(default_factory=dict)

    def t(self, key: str, **fields: Any) -> str:
        text = TEXT[key][self.lang]
        return text.format(**fields) if fields else text

    def url(self, path: str, **params: Any) -> str:
        pairs = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
        if self.lang != "da":
            pairs.append(("lang", self.lang))
        return path + ("?" + urlencode(pairs) if pairs else "")

    def link(self, iri: str) -> str:
        return self.url(path_of(iri)) if iri.startswith(BASE) else iri

    @property
    def switch_url(self) -> str:
        other = "en" if self.lang == "da" else "da"
        pairs = [(k, v) for k, v in self.query.items() if k != "lang"]
        if other != "da":
            pairs.append(("lang", other))
        return self.path + ("?" + urlencode(pairs) if pairs else "")

    @property
    def other_lang(self) -> str:
        return "en" if self.lang == "da" else "da"

    def pick(self, da: Any, en: Any) -> str:
        first, second = (en, da) if self.lang == "en" else (da, en)
        return value(first) or value(second)

    def inverse(self, iri: str) -> str:
        """A property as read from its object's side ("links here")."""
        names = INVERSE.get(iri)
        if names:
            return names[1] if self.lang == "en" else names[0]
        return "← " + self.term(iri)

    def term(self, iri: str) -> str:
        """A vocabulary term (property, class, scheme concept) in the page's language."""
        names = self.vocabulary.get(iri) or EXTERNAL_TERMS.get(iri)
        if names:
            return names[1] if self.lang == "en" else names[0]
        return compact_iri(iri)

    def source_url(self, passage: str, document: str) -> str:
        return self.url("/sources" + path_of(document)) + "#" + passage_anchor(passage)


def make_ui(service: Service, lang: str, path: str, query: dict[str, str], vocabulary: dict) -> Ui:
    return Ui(lang if lang in LANGS else "da", path, dict(query), vocabulary)


def records(table: Table) -> list[dict[str, Identifier | None]]:
    return [dict(zip(table.variables, row, strict=True)) for row in table.rows]


async def ask(service: Service, name: str, **params: Any) -> list[dict[str, Identifier | None]]:
    answer = await service.ask(name, {k: str(v) for k, v in params.items() if v not in (None, "")})
    return records(answer.table)


async def service_rows(service: Service, name: str, resource: str | None = None) -> list[dict]:
    bindings = {"resource": URIRef(resource)} if resource else {}
    table, _, _ = await service.select(bind_values(service.service_query(name), bindings))
    return records(table)


async def label_of(service: Service, ui: Ui, iri: str) -> str:
    """A resource's label in the page's language (else Danish, else any), or its path."""
    names = {}
    for r in await service_rows(service, "labels", iri):
        label = r["label"]
        names[getattr(label, "language", None) or ""] = value(label)
    return names.get(ui.lang) or names.get("da") or next(iter(names.values()), "") or compact_iri(iri)


async def vocabulary(service: Service) -> dict[str, tuple[str, str]]:
    return {
        str(r["term"]): (value(r["label"]), value(r["label_en"]))
        for r in await service_rows(service, "vocabulary")
    }


# --- rendering ----------------------------------------------------------------


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["path"] = path_of
    return env


def render(template: str, ui: Ui, **context: Any) -> str:
    return environment().get_template(template).render(ui=ui, **context)


# --- goals and years ----------------------------------------------------------


@dataclass
class Goal:
    iri: str
    year: str
    number: str
    statement: str
    continuity: str
    continues: str
    lineage: str
    announcement: str


async def goals(service: Service, ui: Ui) -> list[Goal]:
    rows = await ask(service, "minister-goals")
    return [
        Goal(
            value(r["goal"]),
            value(r["year"]),
            value(r["number"]),
            ui.pick(r["statement"], r["statement_en"]),
            value(r["continuity"]),
            value(r["continues"]),
            value(r["lineage"]),
            value(r["announcement_label"]),
        )
        for r in rows
    ]


def years_of(all_goals: list[Goal]) -> list[str]:
    return sorted({g.year for g in all_goals})


def choose_year(year: str | None, years: list[str]) -> str:
    if year in (None, ""):
        return years[0]
    if year not in years:
        raise NotFound(f"the graph has minister goals for {', '.join(years)}, not for {year!r}")
    return str(year)


async def home(service: Service, ui: Ui, year: str | None) -> str:
    all_goals = await goals(service, ui)
    years = years_of(all_goals)
    chosen = choose_year(year, years)
    municipalities = OrderedDict()
    for r in await ask(service, "municipalities"):
        municipalities[value(r["municipality"])] = ui.pick(r["name"], r["name_en"])
    return render(
        "home.html",
        ui,
        title=ui.t("question"),
        years=years,
        year=chosen,
        goals=[g for g in all_goals if g.year == chosen],
        municipalities=municipalities,
        bases=("stated", "derived", "curated"),
        specificities=("direct", "via-group"),
    )


# --- the answer ---------------------------------------------------------------


@dataclass
class Citation:
    passage: str
    document: str
    section: str
    quote: str


@dataclass
class Item:
    link: str
    resource: str
    kind: str
    label: str
    basis: str
    specificity: str
    root_basis: str
    rule: str
    rationale: str
    derived_from: str
    citations: list[Citation] = field(default_factory=list)


@dataclass
class PlanGroup:
    plan: str
    label: str
    items: list[Item] = field(default_factory=list)


@dataclass
class MunicipalityGroup:
    code: str
    name: str
    plans: dict[str, PlanGroup] = field(default_factory=dict)


async def labels_of(service: Service, ui: Ui, iris: set[str]) -> dict[str, dict[str, str]]:
    """Documents' titles and municipalities, from the municipalities question (it lists every source document)."""
    out = {}
    for r in await ask(service, "municipalities"):
        if value(r["document"]) in iris:
            out[value(r["document"])] = {
                "title": value(r["title"]) or compact_iri(value(r["document"])),
                "municipality": ui.pick(r["name"], r["name_en"]),
            }
    return out


async def answer(service: Service, ui: Ui, params: dict[str, str]) -> str:
    year, number = params.get("year", ""), params.get("number", "")
    if not year or not number:
        raise UserError("pick a year and a goal number (e.g. year=2017 and number=4)")
    all_goals = await goals(service, ui)
    goal = next((g for g in all_goals if g.year == year and g.number == number), None)
    if goal is None:
        known = ", ".join(f"{g.year}/{g.number}" for g in all_goals)
        raise NotFound(f"the graph has no minister goal number {number} for {year} (it has {known})")
    filters = {k: params[k] for k in ("municipality", "basis", "specificity") if params.get(k)}
    rows = await ask(service, "serving-goal", year=year, number=number, **filters)
    cited = await ask(
        service, "serving-goal-citations", year=year, number=number, municipality=filters.get("municipality")
    )
    citations: dict[str, list[Citation]] = {}
    for r in cited:
        citations.setdefault(value(r["link"]), []).append(
            Citation(value(r["passage"]), value(r["document"]), value(r["section"]), value(r["quote"]))
        )
    kinds = await vocabulary(service)
    plan_titles = await labels_of(
        service, ui, {value(r["plan"]) for r in rows} | {c.document for cs in citations.values() for c in cs}
    )
    groups: dict[str, MunicipalityGroup] = OrderedDict()
    for r in sorted(rows, key=lambda r: (value(r["municipality_name"]), value(r["plan"]))):
        m = groups.setdefault(
            value(r["municipality"]),
            MunicipalityGroup(value(r["municipality"]), value(r["municipality_name"])),
        )
        plan = value(r["plan"])
        title = plan_titles.get(plan, {}).get("title") or compact_iri(plan)
        group = m.plans.setdefault(plan, PlanGroup(plan, title))
        kind = kinds.get(value(r["kind"]), ("", ""))
        group.items.append(
            Item(
                value(r["link"]),
                value(r["resource"]),
                kind[1] if ui.lang == "en" else kind[0],
                ui.pick(r["label"], r["label_en"]) or compact_iri(value(r["resource"])),
                badge_key(value(r["basis"])),
                badge_key(value(r["specificity"])),
                badge_key(value(r["root_basis"])),
                value(r["rule"]),
                value(r["rationale"]),
                value(r["derived_from"]),
                citations.get(value(r["link"]), []),
            )
        )
    all_items = [i for m in groups.values() for g in m.plans.values() for i in g.items]
    for m in groups.values():  # direct links first (the question orders so; grouping must keep it)
        for group in m.plans.values():
            group.items.sort(key=lambda i: (i.specificity != "direct", i.kind, i.label))
    lineage = await ask(service, "goal-lineage", year=year, number=number)
    others = [r for r in lineage if (value(r["edition_year"]), value(r["edition_number"])) != (year, number)]
    municipalities = {
        value(r["municipality"]): ui.pick(r["name"], r["name_en"])
        for r in await ask(service, "municipalities")
    }
    rule_names = {
        rule: await label_of(service, ui, rule)
        for rule in sorted({x for i in all_items for x in (i.rule, i.derived_from) if x})
    }
    kinds_count: dict[str, int] = {}
    for item in (i for m in groups.values() for g in m.plans.values() for i in g.items):
        kinds_count[item.kind] = kinds_count.get(item.kind, 0) + 1
    return render(
        "answer.html",
        ui,
        title=ui.t("answer_title", number=number, year=year),
        goal=goal,
        kinds=dict(sorted(kinds_count.items(), key=lambda kv: (-kv[1], kv[0]))),
        rule_names=rule_names,
        documents=plan_titles,
        groups=list(groups.values()),
        total=len(rows),
        filters=filters,
        municipalities=municipalities,
        others=[
            {
                "year": value(r["edition_year"]),
                "number": value(r["edition_number"]),
                "statement": ui.pick(r["statement"], r["statement_en"]),
            }
            for r in others
        ],
        api_url="/api/queries/serving-goal?" + urlencode({"year": year, "number": number, **filters}),
    )


# --- coverage and the year view -----------------------------------------------


@dataclass
class Cell:
    goal: Goal
    plan: str
    municipality: str
    measures: int
    direct: int
    via_group: int
    stated: int
    derived: int
    curated: int


def _int(term: Node | None) -> int:
    return int(str(term)) if term is not None else 0


async def coverage_cells(service: Service, ui: Ui, year: str, year_goals: list[Goal]) -> list[Cell]:
    by_number = {g.number: g for g in year_goals}
    return [
        Cell(
            by_number[value(r["number"])],
            value(r["plan"]),
            value(r["municipality"]),
            _int(r["measures"]),
            _int(r["direct"]),
            _int(r["via_group"]),
            _int(r["stated"]),
            _int(r["derived"]),
            _int(r["curated"]),
        )
        for r in await ask(service, "goal-coverage", year=year)
    ]


def heat(count: int, most: int) -> str:
    """The fill of a heatmap cell: white-ish to deep blue by count; empty cells are grey (and dashed)."""
    if count == 0:
        return "#eeeeee"
    share = count / most if most else 1
    light, dark = (222, 235, 247), (8, 69, 148)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(light, dark, strict=True))


async def coverage(service: Service, ui: Ui, year: str | None) -> str:
    all_goals = await goals(service, ui)
    years = years_of(all_goals)
    chosen = choose_year(year, years)
    year_goals = [g for g in all_goals if g.year == chosen]
    cells = await coverage_cells(service, ui, chosen, year_goals)
    plans = list(OrderedDict.fromkeys(c.plan for c in cells))
    titles = await labels_of(service, ui, set(plans))
    municipality_of = {c.plan: c.municipality for c in cells}
    grid = {(c.goal.number, c.plan): c for c in cells}
    most = max((c.measures for c in cells), default=0)
    cell_w, cell_h, left, top = 176, 48, 300, 64
    svg = {
        "width": left + cell_w * len(plans) + 10,
        "height": top + cell_h * len(year_goals) + 10,
        "cell_w": cell_w,
        "cell_h": cell_h,
        "left": left,
        "top": top,
    }
    return render(
        "coverage.html",
        ui,
        title=ui.t("coverage_title", year=chosen),
        years=years,
        year=chosen,
        goals=year_goals,
        plans=plans,
        titles=titles,
        grid=grid,
        heat=heat,
        most=most,
        svg=svg,
        municipality_of=municipality_of,
    )


async def year_view(service: Service, ui: Ui, year: str) -> str:
    all_goals = await goals(service, ui)
    years = years_of(all_goals)
    chosen = choose_year(year, years)
    year_goals = [g for g in all_goals if g.year == chosen]
    by_iri = {g.iri: g for g in all_goals}
    cells = await coverage_cells(service, ui, chosen, year_goals)
    titles = await labels_of(service, ui, {c.plan for c in cells})
    vocab = await vocabulary(service)
    ui.vocabulary = vocab
    return render(
        "year.html",
        ui,
        title=ui.t("years_title", year=chosen),
        years=years,
        year=chosen,
        goals=year_goals,
        by_iri=by_iri,
        cells=cells,
        titles=titles,
    )


# --- the source view ----------------------------------------------------------


@dataclass
class Passage:
    iri: str
    anchor: str
    number: int
    quote: str
    section: str
    heading: str
    start: int = -1
    end: int = -1
    citing: list[tuple[str, str]] = field(default_factory=list)


def normalised_positions(text: str) -> tuple[str, list[int]]:
    """The text normalised as ``provenance.normalise`` does (every white-space run one space), and for
    every character of it the position of the character in ``text`` it stands for."""
    chars: list[str] = []
    where: list[int] = []
    last = 0
    for match in _WHITESPACE.finditer(text):
        chars.append(text[last : match.start()])
        where.extend(range(last, match.start()))
        chars.append(" ")
        where.append(match.start())
        last = match.end()
    chars.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(chars), where


@functools.lru_cache(maxsize=32)
def locate(text: str, quotes: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where each quote stands in ``text`` (start, end in the original), or (-1, -1). The texts do not
    change while the service runs, so the answer is remembered."""
    flat, where = normalised_positions(text)
    spans = []
    for quote in quotes:
        needle = normalise(quote)
        at = flat.find(needle) if needle else -1
        spans.append((where[at], where[at + len(needle) - 1] + 1) if at >= 0 else (-1, -1))
    return spans


SAFE_ANCHOR = re.compile(r"[A-Za-z0-9_-]+")


def highlight(text: str, passages: list[Passage]) -> Markup:
    """The text as HTML: every located passage in <mark> (classed ``q<number>`` for each passage that
    covers the stretch, so a stylesheet rule can light up one passage), and an anchor with a
    numbered link to the passage's entry at its start. Overlapping passages split into stretches."""
    found = [p for p in passages if p.start >= 0]
    cuts = sorted({0, len(text), *(p.start for p in found), *(p.end for p in found)})
    starts: dict[int, list[Passage]] = {}
    ends: dict[int, list[Passage]] = {}
    for p in found:
        starts.setdefault(p.start, []).append(p)
        ends.setdefault(p.end, []).append(p)
    active: dict[str, Passage] = {}
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for p in ends.get(a, []):
            active.pop(p.iri, None)
        for p in starts.get(a, []):
            active[p.iri] = p
            out.append(
                f'<a class="pin" id="{p.anchor}" href="#c-{p.anchor}" '
                f'title="{escape(p.section)}">{p.number}</a>'
            )
        chunk = str(escape(text[a:b]))
        if active:
            classes = ["cited", *(f"q{p.number}" for p in active.values())]
            if len(active) > 1:
                classes.append("overlap")
            chunk = f'<mark class="{" ".join(classes)}">{chunk}</mark>'
        out.append(chunk)
    return Markup("".join(out))


def target_rules(passages: list[Passage]) -> str:
    """One stylesheet rule per passage: when its anchor is the URL's #fragment, its marks light up
    (CSS :target and :has, no script), so every citation links to the same page of the document."""
    rules = [
        f".source-text:has(#{p.anchor}:target) mark.q{p.number}"
        "{background:var(--mark-strong);outline:2px solid #c98a00}"
        for p in passages
        if p.start >= 0 and SAFE_ANCHOR.fullmatch(p.anchor)
    ]
    return "\n".join(rules) + "\n"


async def source_passages(
    service: Service, ui: Ui, document_path: str
) -> tuple[list[dict], str, list[Passage]]:
    """A source document's rows, text and passages, located in the text and numbered in text order."""
    document = BASE + document_path.strip("/")
    rows = await service_rows(service, "document-passages", document)
    if not rows:
        raise NotFound(f"{document_path} is not a source document of this dataset (see /sources)")
    file_name = value(rows[0]["file"])
    path = service.project.sources_dir / file_name
    if not path.is_file():
        raise NotFound(f"the source text {file_name} is missing from this installation")
    text = path.read_text(encoding="utf-8")
    passages: dict[str, Passage] = OrderedDict()
    for r in rows:
        iri = value(r["passage"])
        if not iri:
            continue
        p = passages.get(iri)
        if p is None:
            p = passages[iri] = Passage(
                iri, passage_anchor(iri), 0, value(r["quote"]), value(r["section"]), value(r["heading"])
            )
        citing = value(r["citing"])
        if citing and citing not in [c[0] for c in p.citing]:
            p.citing.append((citing, ui.pick(r["citing_label"], r["citing_label_en"]) or compact_iri(citing)))
    ordered = list(passages.values())
    for p, (start, end) in zip(ordered, locate(text, tuple(p.quote for p in ordered)), strict=True):
        p.start, p.end = start, end
    ordered.sort(key=lambda p: (p.start < 0, p.start, p.end, p.iri))
    for number, p in enumerate(ordered, 1):
        p.number = number
    return rows, text, ordered


async def source(service: Service, ui: Ui, document_path: str) -> str:
    rows, text, ordered = await source_passages(service, ui, document_path)
    title = ui.pick(rows[0]["title"], rows[0]["title_en"]) or document_path
    return render(
        "source.html",
        ui,
        title=ui.t("source_title", title=title),
        document=BASE + document_path.strip("/"),
        document_title=title,
        file_name=value(rows[0]["file"]),
        passages=ordered,
        body=highlight(text, ordered),
        stylesheet="/sources/" + document_path.strip("/") + ".css",
    )


async def source_stylesheet(service: Service, ui: Ui, document_path: str) -> str:
    """The source view's own stylesheet (the pages allow no inline style): one rule per passage."""
    _, _, ordered = await source_passages(service, ui, document_path)
    return target_rules(ordered)


async def sources(service: Service, ui: Ui) -> str:
    documents = OrderedDict()
    for r in await ask(service, "municipalities"):
        documents[value(r["document"])] = {
            "title": value(r["title"]),
            "municipality": ui.pick(r["name"], r["name_en"]),
            "start": value(r["start"]),
            "end": value(r["end"]),
        }
    return render("sources.html", ui, title=ui.t("sources_title"), documents=documents)


# --- search -----------------------------------------------------------------


def spelled_out(text: str) -> str:
    """ae/oe/aa as æ/ø/å: the search question folds æ, ø, å to ae, o, aa on both sides, so a
    word typed with "oe" for "ø" is asked again this way."""
    return re.sub("oe", "ø", text, flags=re.IGNORECASE)


async def search(service: Service, ui: Ui, q: str) -> str:
    q = q.strip()
    results: dict[str, dict[str, Any]] = OrderedDict()
    if q:
        attempts = [q] + ([spelled_out(q)] if spelled_out(q) != q else [])
        vocab = await vocabulary(service)
        ui.vocabulary = vocab
        for attempt in attempts:
            for r in await ask(service, "search", text=attempt):
                if not isinstance(r["resource"], URIRef):  # a blank node (a goal's numbering) has no page
                    continue
                resource = value(r["resource"])
                item = results.setdefault(
                    resource, {"label": value(r["label"]) or compact_iri(resource), "matches": []}
                )
                match = (ui.term(value(r["property"])), value(r["match"]))
                if match not in item["matches"]:
                    item["matches"].append(match)
    return render(
        "search.html", ui, title=ui.t("search_title") + (f": {q}" if q else ""), q=q, results=results
    )


# --- entity pages -----------------------------------------------------------


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


def read_entity(iri: str, turtle: bytes, ui: Ui, extra_labels: list[dict] | None = None) -> Entity:
    g = Graph()
    g.parse(data=turtle, format="turtle")
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
    turtle = await service.describe(iri, "text/turtle")
    entity = read_entity(iri, turtle, ui, await service_rows(service, "link-labels", iri))
    more = await extras(service, ui, entity)
    titles = await labels_of(service, ui, {p["document"] for p in entity.passages})
    for p in entity.passages:
        if p["document"] in titles:
            p["document_label"] = "{municipality}: {title}".format(**titles[p["document"]])
    return render(
        "entity.html", ui, title=entity.title, entity=entity, formats=RDF_FORMATS, path=path_of(iri), **more
    )


# --- SPARQL -------------------------------------------------------------------


def example_query(service: Service, name: str | None, default: str) -> str:
    if not name:
        return default
    question = service.question(name)
    return service.render(name, question.example_params())


def sparql_editor(
    service: Service, ui: Ui, text: str, result: dict[str, Any] | None = None, error: str = ""
) -> str:
    examples = [
        {"name": q.name, "question": q.question_en if ui.lang == "en" else q.question_da}
        for q in service.catalogue.values()
    ]
    return render(
        "sparql.html",
        ui,
        title=ui.t("sparql_title"),
        text=text,
        examples=examples,
        result=result,
        error=error,
    )


def default_query(service: Service) -> str:
    """The editor's first query, when no example is chosen (queries/service/editor-example.rq)."""
    return service.service_query("editor-example")


async def run_sparql(service: Service, text: str) -> dict[str, Any]:
    """A client's query, vetted and run: its form, the rows to show, and the download formats."""
    vetted = service.vet(text)
    kind = FORM_RESULTS[vetted.form]
    formats = [
        {"short": short, "name": name, "href": "/sparql?" + urlencode({"query": text, "format": short})}
        for short, name in RESULT_FORMATS[kind]
    ]
    if kind == "results":
        body, _ = await service.sparql(vetted, RESULT_MEDIA_TYPES["results"][0])
        data = json.loads(body)
        if "boolean" in data:
            return {"form": vetted.form, "boolean": bool(data["boolean"]), "formats": formats}
        variables = data["head"]["vars"]
        rows = [[_cell(b.get(v)) for v in variables] for b in data["results"]["bindings"]]
        return {
            "form": vetted.form,
            "variables": variables,
            "rows": rows[:SHOWN_ROWS],
            "total": len(rows),
            "formats": formats,
        }
    body, _ = await service.sparql(vetted, "application/n-triples")
    g = Graph()
    g.parse(data=body, format="nt")
    triples = sorted(g, key=lambda t: tuple(str(x) for x in t))
    rows = [[_term_cell(t) for t in triple] for triple in triples]
    return {
        "form": vetted.form,
        "variables": ["subject", "predicate", "object"],
        "rows": rows[:SHOWN_ROWS],
        "total": len(rows),
        "formats": formats,
    }


def _cell(binding: dict[str, str] | None) -> dict[str, str]:
    if binding is None:
        return {"text": ""}
    if binding["type"] == "uri":
        iri = binding["value"]
        return {"text": compact_iri(iri), "href": path_of(iri) if iri.startswith(BASE) else ""}
    return {"text": binding["value"], "lang": binding.get("xml:lang", "")}


def _term_cell(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {
            "text": compact_iri(str(term)),
            "href": path_of(str(term)) if str(term).startswith(BASE) else "",
        }
    return {"text": str(term), "lang": getattr(term, "language", "") or ""}
