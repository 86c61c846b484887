"""The words of the pages, in Danish and English: the interface texts (``TEXT``), the names of
properties from outside the vocabulary, how a link reads from its object's side, and the fixed
lists the pages share (languages, RDF download formats). No logic here."""

from __future__ import annotations

from rdflib.namespace import DCTERMS, RDFS, SKOS

from ..graph import EPKG


LANGS = ("da", "en")
RDF_FORMATS = (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdf", "RDF/XML"))

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
        "da": "{n} {n|kobling|koblinger} i {m} {m|kommune|kommuner}; direkte koblinger står først.",
        "en": "{n} {n|link|links} in {m} {m|municipality|municipalities}; direct links come first.",
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
    "in_annex": {"da": "i bilaget", "en": "in the annex"},
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
        "da": "Hvor mange koblinger har hver plan til hvert af ministerens mål for {year}? Alt tæller: "
        "indsatser (projekter og tilbud medregnet) og andet (fokusområder, målgrupper, måltal, mål). "
        "Tomme felter er mål, planen slet ikke svarer på. Klik et felt for svaret.",
        "en": "How many links does each plan have to each of the minister's goals of {year}? Everything "
        "counts: measures (projects and offers included) and other resources (focus areas, target "
        "groups, targets, objectives). Empty cells are goals the plan does not answer at all. "
        "Click a cell for the answer.",
    },
    "heatmap": {"da": "Dækning som varmekort", "en": "Coverage as a heatmap"},
    "table": {"da": "Dækning som tabel", "en": "Coverage as a table"},
    "plan": {"da": "Plan", "en": "Plan"},
    "measures": {"da": "indsatser", "en": "measures"},
    "measures_one": {"da": "indsats", "en": "measure"},
    "links": {"da": "koblinger", "en": "links"},
    "links_one": {"da": "kobling", "en": "link"},
    "others": {"da": "andet", "en": "other"},
    "others_one": {"da": "andet", "en": "other"},
    "none": {"da": "ingen", "en": "none"},
    "direct": {"da": "direkte", "en": "direct"},
    "via_group": {"da": "via gruppe", "en": "via group"},
    "stated": {"da": "angivet", "en": "stated"},
    "derived": {"da": "afledt", "en": "derived"},
    "curated": {"da": "vurderet", "en": "curated"},
    "legend": {
        "da": "Farven viser antallet af koblinger; et gråt felt med streg er tomt.",
        "en": "The colour shows the number of links; a grey cell with a dash is empty.",
    },
    "years_title": {"da": "Ministerens mål for {year}", "en": "The minister's goals for {year}"},
    "continuity": {"da": "Nyt eller videreført", "en": "New or continued"},
    "continues": {"da": "viderefører", "en": "continues"},
    "another_number": {"da": "andet nummer", "en": "another number"},
    "answered_by": {"da": "Besvares af", "en": "Answered by"},
    "not_answered_by": {"da": "Intet svar i", "en": "No answer in"},
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
        "da": "{n} {n|citeret tekststed er markeret|citerede tekststeder er markeret}; tallet ved hvert fører til listen over, hvad i "
        "grafen der citerer det.",
        "en": "{n} {n|cited passage is highlighted|cited passages are highlighted}; the number by each leads to the list of what in the "
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
    "results_for": {"da": "{n} {n|resultat|resultater} for “{q}”", "en": "{n} {n|result|results} for “{q}”"},
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
    "example_bound": {
        "da": "Katalogets spørgsmål {name}, med eksemplets parametre bundet i VALUES-rækken nedenfor:",
        "en": "The catalogue's question {name}, with its example's parameters bound in the VALUES row below:",
    },
    "example_change": {
        "da": "Ret en værdi i VALUES-rækken; en valgfri parameter fjernes med sin variabel og værdi.",
        "en": "Change a value in the VALUES row; remove an optional one with its variable and value.",
    },
    "optional_free": {"da": "valgfri, ikke bundet", "en": "optional, not bound"},
    "editor_downloads": {"da": "Hent svaret på forespørgslen", "en": "Download the query's answer"},
    "editor_endpoint": {"da": "SPARQL-endepunkt", "en": "SPARQL endpoint"},
    "editor_page_size": {"da": "Rækker pr. side", "en": "Rows per page"},
    "run": {"da": "Kør", "en": "Run"},
    "query": {"da": "Forespørgsel", "en": "Query"},
    "results": {"da": "Resultat", "en": "Results"},
    "rows": {"da": "{n} {n|række|rækker}", "en": "{n} {n|row|rows}"},
    "rows_shown": {
        "da": "de første {n} vises; hent alle nedenfor",
        "en": "the first {n} are shown; download all below",
    },
    "download": {"da": "Hent", "en": "Download"},
    "ask_true": {"da": "Svaret er ja.", "en": "The answer is yes."},
    "ask_false": {"da": "Svaret er nej.", "en": "The answer is no."},
    "error": {"da": "Fejl", "en": "Error"},
    # What an error status means, for Danish pages (the error's own message is English).
    "error_400": {"da": "Siden kan ikke vises med de oplysninger, adressen giver.", "en": "Bad request."},
    "error_404": {"da": "Siden findes ikke. Prøv forsiden eller søgningen.", "en": "Not found."},
    "error_406": {"da": "Siden findes ikke i det ønskede format.", "en": "Not acceptable."},
    "error_408": {"da": "Forespørgslen kom ikke frem i tide.", "en": "Request timeout."},
    "error_413": {"da": "Forespørgslen er for stor.", "en": "Request too large."},
    "error_422": {
        "da": "Svaret er for stort til at blive vist; spørg efter mindre.",
        "en": "Answer too large.",
    },
    "error_429": {"da": "For mange forespørgsler på én gang; prøv igen om lidt.", "en": "Too many requests."},
    "error_503": {
        "da": "Tjenesten kunne ikke svare lige nu (forespørgslen tog for lang tid, eller tjenesten har travlt); "
        "prøv igen om lidt, eller spørg efter mindre.",
        "en": "Service unavailable.",
    },
    "error_other": {"da": "Noget gik galt.", "en": "Something went wrong."},
    "col_municipality": {"da": "Kommune", "en": "Municipality"},
    "col_plan": {"da": "Plan", "en": "Plan"},
    "col_annex": {
        "da": "Bilag (dokumentet, hvis det ikke er planen selv)",
        "en": "Annex (the document, when not the plan itself)",
    },
    "col_kind": {"da": "Slags", "en": "Kind"},
    "col_item": {"da": "Hvad", "en": "Item"},
    "col_iri": {"da": "IRI", "en": "IRI"},
    "col_basis": {"da": "Grundlag", "en": "Basis"},
    "col_root_basis": {"da": "Grundlag for roden", "en": "Basis of the root"},
    "col_specificity": {"da": "Præcision", "en": "Specificity"},
    "col_rule": {"da": "Regel", "en": "Rule"},
    "col_derived_from": {"da": "Afledt af", "en": "Derived from"},
    "col_rationale": {"da": "Begrundelse", "en": "Rationale"},
    "col_quotes": {"da": "Citater (afsnit, kilde)", "en": "Quotes (section, source)"},
    "col_link": {"da": "Kobling", "en": "Link"},
    "download_answer": {"da": "Hent svaret", "en": "Download the answer"},
    "open_in_editor": {
        "da": "Åbn forespørgslen i SPARQL-editoren",
        "en": "Open the query in the SPARQL editor",
    },
    "engine_says": {"da": "Den tekniske besked (på engelsk)", "en": "The technical message"},
    "home": {"da": "Til forsiden", "en": "To the home page"},
    # The pages' meta descriptions (what a search engine or a shared link shows), from their content.
    "site_description": {
        "da": "Ministerens beskæftigelsespolitiske mål og kommunernes beskæftigelsesplaner som linked data: "
        "hvilke lokale indsatser understøtter hvilke mål, hvert faktum med kilde.",
        "en": "The employment minister's goals and the municipalities' employment plans as linked data: "
        "which local measures serve which goal, every fact with its source.",
    },
    "desc_home": {
        "da": "Vælg et af ministerens {n} mål for {year} og se, hvilke lokale indsatser der understøtter det. "
        "Mål 1: {first}",
        "en": "Pick one of the minister's {n} goals of {year} and see which local measures serve it. "
        "Goal 1: {first}",
    },
    "desc_answer": {
        "da": "Mål {number} ({year}): {statement}. {found}",
        "en": "Goal {number} ({year}): {statement}. {found}",
    },
    "desc_coverage": {
        "da": "Hvor mange koblinger har planerne fra {plans} til hvert af ministerens {m} mål for {year}? "
        "Et varmekort og en tabel.",
        "en": "How many links do the plans of {plans} have to each of the minister's {m} goals of {year}? "
        "A heatmap and a table.",
    },
    "desc_year": {
        "da": "Ministerens {n} mål for {year}, nye og videreførte, og hvilke planer der svarer på dem: {goals}",
        "en": "The minister's {n} goals of {year}, new and continued, and which plans answer them: {goals}",
    },
    "desc_sources": {
        "da": "De {n} kildedokumenter, uændrede, med hvert citeret tekststed markeret: {titles}",
        "en": "The {n} source documents, unchanged, with every cited passage highlighted: {titles}",
    },
    "desc_source": {
        "da": "{title}: kildeteksten med {n} {n|citeret tekststed|citerede tekststeder} markeret og linket "
        "til det i grafen, der citerer {n|det|dem}.",
        "en": "{title}: the source text with {n} {n|cited passage|cited passages} highlighted and linked to "
        "what in the graph cites {n|it|them}.",
    },
    "desc_search": {
        "da": "Søg i vidensgrafens etiketter, beskrivelser og citater fra kommunernes beskæftigelsesplaner.",
        "en": "Search the knowledge graph's labels, descriptions and quotes from the municipal employment plans.",
    },
    "desc_entity": {
        "da": "{kind}: {title}. Fakta, kilder og links i vidensgrafen.",
        "en": "{kind}: {title}. Its facts, sources and links in the knowledge graph.",
    },
    "desc_sparql": {
        "da": "Spørg vidensgrafen i SPARQL 1.1: skriv en forespørgsel eller start fra et af katalogets "
        "spørgsmål, og hent svaret som tabel eller fil.",
        "en": "Query the knowledge graph in SPARQL 1.1: write a query or start from one of the catalogue's "
        "questions, and get the answer as a table or a file.",
    },
    "heatmap_scroll": {
        "da": "Dækning som varmekort (kan rulles sidelæns)",
        "en": "Coverage as a heatmap (scrolls sideways)",
    },
    "table_scroll": {
        "da": "Dækning som tabel (kan rulles sidelæns)",
        "en": "Coverage as a table (scrolls sideways)",
    },
    "heat_scale": {"da": "Farveskala", "en": "Colour scale"},
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
