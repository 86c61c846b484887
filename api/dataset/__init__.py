"""The dataset described as data: VoID and DCAT, the dumps, the JSON-LD context, the question
catalogue as SHACL executables, and the list of published IRIs.

Everything here is computed from the project's files: counts, partitions, vocabularies and
label languages from the merged graph; one VoID subset per named graph (the layout of
``publish.named_graphs``: ontology, reference, catalogue, one graph per source document);
the source documents' provenance (municipality, date, publisher, checksum) from
data/reference/documents.ttl; the licence from the ontology header; the version and dates
from CHANGELOG.md. Written by hand: the dataset's title and description (``terms``), and what
DCAT-AP 3.0.1 asks for that the data cannot tell (dcat-ap.ttl: keywords, themes, geographical
coverage, the contact point, the publisher's type, and the EU vocabulary terms the description
uses, each with the class and scheme DCAT-AP names). The description meets DCAT-AP 3.0.1's
mandatory and recommended properties (tests/test_dcat_ap.py checks it against the specification's
tables); its temporal coverage is the first and last year of the documents' periods and goals.

The description names two kinds of IRI: the dataset's own (``https://w3id.org/epkg/dataset``,
``…/dataset#sparql``, the graphs ``…/graph/<name>``), which never change, and the URLs a
client downloads from (``<base>/dump.ttl``, ``<base>/sparql``), under the service's public base
URL (the w3id.org base by default; on a server EPKG_BASE_URL or its listening address, never
taken from a request: see api/deps.py ``base_url``).

The dumps hold the merged graph plus this description, so a file carries its own metadata;
the copy inside a dump leaves out the dumps' byte sizes (a file cannot state its own size).
TriG and N-Quads keep one named graph per source document (and ontology, reference,
catalogue); the description is their default graph.

The package, one module per job; each depends only on those above it:

- ``terms``: the namespaces, the dataset's IRIs, title and description; ``node``, ``slug``
- ``formats``: the dump formats (with their EU file-type codes), the media types a graph is served
  in, ``serialize``
- ``versions``: the version and release dates from CHANGELOG.md (``read_release``)
- ``catalogue``: the question catalogue as SHACL-AF executables (data/catalogue/questions.ttl)
- ``context``: the JSON-LD context
- ``counts``: counting the graph for VoID (partitions, vocabularies, label languages)
- ``iris``: the list of published IRIs (docs/published-iris.txt)
- ``publication``: ``Publication``: the description (with dcat-ap.ttl), the dumps, the context,
  the published IRIs
- ``docs``: the ontology's HTML (pyLODE), the shapes page's content, Markdown as HTML
- ``templates``: the dataset and shapes pages rendered with api/templates/publish
- ``builder``: the service's builder process (``init_builder``, ``task``)

Here: the names the rest of the project imports (api/routes/dataset.py, api/commands/export.py,
tests/test_dataset.py).
"""

from .builder import init_builder, task
from .catalogue import CATALOGUE_FILE, catalogue_graph, catalogue_turtle
from .docs import markdown_html, ontology_html
from .formats import BY_MEDIA_TYPE, DUMP_FORMATS, GRAPH_MEDIA_TYPES, SHORT_FORMATS, DumpFormat, dump_format
from .iris import PUBLISHED_IRIS, merged_iri_list, read_iri_list
from .publication import Publication, context_json
from .templates import TEMPLATES, shapes_html
from .terms import DATASET, DEFAULT_PUBLIC_BASE
from .versions import CHANGELOG, read_release

__all__ = [
    "BY_MEDIA_TYPE",
    "CATALOGUE_FILE",
    "CHANGELOG",
    "DATASET",
    "DEFAULT_PUBLIC_BASE",
    "DUMP_FORMATS",
    "GRAPH_MEDIA_TYPES",
    "PUBLISHED_IRIS",
    "SHORT_FORMATS",
    "TEMPLATES",
    "DumpFormat",
    "Publication",
    "catalogue_graph",
    "catalogue_turtle",
    "context_json",
    "dump_format",
    "init_builder",
    "markdown_html",
    "merged_iri_list",
    "ontology_html",
    "read_iri_list",
    "read_release",
    "shapes_html",
    "task",
]
