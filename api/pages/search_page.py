"""``/search``: resources whose labels or quotes match the words typed."""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from rdflib import Literal, URIRef

from ..graph import compact_iri
from ..service import Service
from .common import Ui, ask, brief, render, value, vocabulary


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
                found = r["match"]
                language = found.language if isinstance(found, Literal) and found.language else ""
                match = (ui.term(value(r["property"])), value(found), language)  # marked lang= on the page
                if match not in item["matches"]:
                    item["matches"].append(match)
    summary = (
        ui.t("results_for", n=len(results), q=q) + ": " + ", ".join(r["label"] for r in results.values())
    )
    return render(
        "search.html",
        ui,
        title=ui.t("search_title") + (f": {q}" if q else ""),
        description=brief(summary) if q else ui.t("desc_search"),
        q=q,
        results=results,
    )
