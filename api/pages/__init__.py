"""The pages for people: view models built through the façade, rendered with Jinja2.

Every page asks the graph only through ``Service``: catalogue questions (``service.ask``),
the service queries of ``queries/service/`` and ``service.describe``. No query text lives
here. A page is Danish by default; ``?lang=en`` switches it to English, and every link a
page prints keeps the choice (``Ui.url``).

- ``/``: the question "which local measures serve minister goal N of year Y?", with a year
  picker and the goals of that year (their statements), filters, and a link to the answer;
- ``/answer``: the answer, grouped by municipality and plan, each item with its kind, basis
  (and the root basis of a derived link), specificity and citations (source view one click away);
- ``/coverage``: goals x plans of a year, a heatmap (a table of coloured cells) and the same
  numbers as a table;
- ``/years/{year}``: the goals of a year, new or continued, and which plans answer them;
- ``/sources/{document}``: a source text with every cited passage highlighted and anchored;
- ``/search``: labels and quotes; the HTML of every dataset IRI (entity pages); the SPARQL page.

Which module holds what (dependencies run one way: a page module imports ``common`` and
``texts``, and the goal pages ``years``; no page module imports another):

- ``texts``: the words of the pages in Danish and English, the languages, the RDF formats;
- ``common``: small helpers, ``Ui``, asking the façade, labels, ``environment``/``render``,
  and where the templates and static files are (``api/templates``, ``api/static``);
- ``years``: the minister goals of every year (``Goal``, ``goals``, ``choose_year``);
- ``home_page``: ``/``; ``answer_page``: ``/answer``; ``coverage_pages``: ``/coverage`` and
  ``/years/{year}``; ``source_pages``: ``/sources`` and a source text with its stylesheet;
  ``search_page``: ``/search``; ``entity_pages``: the page of a dataset IRI;
  ``sparql_page``: the SPARQL editor and a query's result table.

The routes (``api/routes/``) use the names re-exported here.
"""

from .answer_page import DOWNLOADS, answer, answer_download
from .common import STATIC, Ui, make_ui, render
from .coverage_pages import coverage, year_view
from .entity_pages import entity_page
from .home_page import home
from .search_page import search
from .source_pages import source, source_stylesheet, sources
from .sparql_page import default_query, example_query, run_sparql, sparql_editor

__all__ = [
    "DOWNLOADS",
    "STATIC",
    "Ui",
    "answer",
    "answer_download",
    "coverage",
    "default_query",
    "entity_page",
    "example_query",
    "home",
    "make_ui",
    "render",
    "run_sparql",
    "search",
    "source",
    "source_stylesheet",
    "sources",
    "sparql_editor",
    "year_view",
]
