"""The SPARQL page for people: an editor with the catalogue's questions as examples, and a client's
query vetted, run and shown as a table (with every download format)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from .. import assets
from ..catalogue import Question
from ..graph import BASE, PREFIXES, compact_iri, sparql_prologue
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


# A prefixed name's prefix: not part of a longer name, a variable, an IRI or another prefixed name.
_USES = {prefix: re.compile(rf"(?<![\w.\-:<?$]){re.escape(prefix)}:") for prefix in PREFIXES}


def used_prologue(body: str) -> str:
    """The PREFIX lines, of the service's prefixes, that ``body`` uses (in the service's order)."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if _USES[p].search(body))


def example_query(service: Service, name: str | None, default: str, lang: str = "da") -> str:
    """The editor's text for a catalogue question: the query the service runs for its example call,
    with only the prefixes it uses and, first, comments that say which parameters the VALUES row
    binds (and which optional ones it leaves free), so a reader sees why the answer is narrow."""
    if not name:
        return default
    question = service.question(name)
    params = question.example_params()
    body = service.render(name, params).removeprefix(sparql_prologue())
    return _example_comment(question, params, Ui(lang, "/query", {})) + used_prologue(body) + "\n" + body


def _example_comment(question: Question, params: dict[str, str], ui: Ui) -> str:
    lines = [question.question_en if ui.lang == "en" else question.question_da]
    lines.append(ui.t("example_bound", name=question.name))
    for p in question.parameters:
        shown = f"{p.name} = {params[p.name]}" if p.name in params else f"{p.name} ({ui.t('optional_free')})"
        lines.append(f"  {shown}: {p.description}")
    lines.append(ui.t("example_change"))
    return "".join("# " + re.sub(r"[\r\n]+", " ", line) + "\n" for line in lines)


def sparql_editor(
    service: Service,
    ui: Ui,
    text: str,
    result: dict[str, Any] | None = None,
    error: str = "",
    detail: str = "",
) -> str:
    example = ui.query.get("example")
    if example in service.catalogue and "query" not in ui.query:
        text = example_query(service, example, text, ui.lang)  # its comments in the page's language
    examples = [
        {
            "name": q.name,
            "question": q.question_en if ui.lang == "en" else q.question_da,
            "params": sorted(q.example_params().items()),
        }
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
        yasgui=assets.YASGUI_URL if assets.yasgui_dir(service.settings) else None,
        editor={
            "endpoint": "/sparql",
            "page": "/query",
            "lang": ui.lang,
            "tab": example if example in service.catalogue else ui.t("query"),
            "prefixes": PREFIXES,
            "formats": {kind: [list(f) for f in formats] for kind, formats in RESULT_FORMATS.items()},
            "labels": {  # for YASGUI's own controls, which come without accessible names
                "downloads": ui.t("editor_downloads"),
                "query": ui.t("query"),
                "endpoint": ui.t("editor_endpoint"),
                "pageSize": ui.t("editor_page_size"),
            },
        },
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
