"""The SPARQL page for people: an editor with the catalogue's questions as examples, and a client's
query vetted, run and shown as a table (with every download format)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ..graph import BASE, compact_iri
from ..service import Service
from ..store import FORM_RESULTS
from .common import Ui, path_of, render
from .texts import RDF_FORMATS


# --- SPARQL -------------------------------------------------------------------


RESULT_FORMATS = {
    "results": (("json", "SPARQL JSON"), ("xml", "SPARQL XML"), ("csv", "CSV"), ("tsv", "TSV")),
    "graph": RDF_FORMATS,
}
SHOWN_ROWS = 500  # rows of a SPARQL answer shown as a table; the downloads hold them all


def example_query(service: Service, name: str | None, default: str) -> str:
    if not name:
        return default
    question = service.question(name)
    return service.render(name, question.example_params())


def sparql_editor(
    service: Service,
    ui: Ui,
    text: str,
    result: dict[str, Any] | None = None,
    error: str = "",
    detail: str = "",
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
        detail=detail,
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
    shown = await service.preview(vetted, SHOWN_ROWS)  # read and sorted in the worker, not here
    if shown.boolean is not None:
        return {"form": vetted.form, "boolean": shown.boolean, "formats": formats}
    return {
        "form": vetted.form,
        "variables": list(shown.variables),
        "rows": [[_cell(cell) for cell in row] for row in shown.rows],
        "total": shown.total,
        "formats": formats,
    }


def _cell(binding: dict[str, str] | None) -> dict[str, str]:
    if binding is None:
        return {"text": ""}
    if binding["type"] == "uri":
        iri = binding["value"]
        return {"text": compact_iri(iri), "href": path_of(iri) if iri.startswith(BASE) else ""}
    return {"text": binding["value"], "lang": binding.get("xml:lang", "")}
