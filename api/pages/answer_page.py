"""``/answer``: the answer, grouped by municipality and plan, each item with its kind, basis (and the
root basis of a derived link), specificity and citations (source view one click away)."""

from __future__ import annotations

from typing import Any

from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ..errors import NotFound, UserError
from ..graph import compact_iri
from ..service import Service
from .common import Ui, ask, badge_key, label_of, labels_of, render, value, vocabulary
from .years import goals


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
    document: str  # the resource's own document when it is annexed to the plan, else ""
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


async def answer(service: Service, ui: Ui, params: dict[str, str]) -> str:
    return render("answer.html", ui, **await answer_model(service, ui, params))


async def answer_model(service: Service, ui: Ui, params: dict[str, str]) -> dict[str, Any]:
    """What the answer page shows, and what its downloads hold."""
    year, number = params.get("year", ""), params.get("number", "")
    if not year or not number:
        raise UserError("pick a year and a goal number (e.g. year=2017 and number=4)")
    filters = {k: params[k] for k in ("municipality", "basis", "specificity") if params.get(k)}
    query = service.render("serving-goal", {"year": year, "number": number, **filters})  # 400 for a bad value
    all_goals = await goals(service, ui)
    goal = next((g for g in all_goals if g.year == year and g.number == number), None)
    if goal is None:
        known = ", ".join(f"{g.year}/{g.number}" for g in all_goals)
        raise NotFound(
            f"the graph has no minister goal number {number} for {year} (it has {known})",
            message_da=f"Grafen har intet ministermål nr. {number} for {year} (den har {known}).",
        )
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
        service,
        ui,
        {value(r[k]) for r in rows for k in ("plan", "resource_document")}
        | {c.document for cs in citations.values() for c in cs},
    )
    groups: dict[str, MunicipalityGroup] = OrderedDict()
    for r in sorted(rows, key=lambda r: (value(r["municipality_name"]), value(r["plan"]))):
        m = groups.setdefault(
            value(r["municipality"]),
            MunicipalityGroup(
                value(r["municipality"]), ui.pick(r["municipality_name"], r["municipality_name_en"])
            ),
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
                ui.pick(r["rationale"], r["rationale_en"]),
                value(r["derived_from"]),
                value(r["resource_document"]) if value(r["resource_document"]) != plan else "",
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
    names = {
        iri: await label_of(service, ui, iri)
        for iri in sorted({x for i in all_items for x in (i.rule, i.derived_from, i.document) if x})
    }
    kinds_count: dict[str, int] = {}
    for item in (i for m in groups.values() for g in m.plans.values() for i in g.items):
        kinds_count[item.kind] = kinds_count.get(item.kind, 0) + 1
    return dict(
        title=ui.t("answer_title", number=number, year=year),
        goal=goal,
        kinds=dict(sorted(kinds_count.items(), key=lambda kv: (-kv[1], kv[0]))),
        names=names,
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
        api_url=f"/api/minister-goals/{year}/{number}/answers?" + urlencode(filters),
        downloads={fmt: ui.url(f"/answer.{fmt}", year=year, number=number, **filters) for fmt in DOWNLOADS},
        editor_url=ui.url("/query", query=query),
    )


DOWNLOADS = ("csv", "xlsx")


async def answer_download(
    service: Service, ui: Ui, params: dict[str, str]
) -> tuple[list[str], list[list[str]]]:
    """The answer as a table for a spreadsheet: one row per item (goal link) with every field, its
    quotes (each with its section and source document) in one cell, one per line."""
    model = await answer_model(service, ui, params)
    header = [ui.t(key) for key in DOWNLOAD_COLUMNS]
    rows = []
    for m in model["groups"]:
        for group in m.plans.values():
            for i in group.items:
                quotes = "\n".join(
                    f"«{c.quote}» ({', '.join(x for x in (c.section, model['documents'].get(c.document, {}).get('title', c.document)) if x)})"
                    for c in i.citations
                )
                rows.append(
                    [
                        m.name,
                        group.label,
                        model["names"].get(i.document, i.document),
                        i.kind,
                        i.label,
                        i.resource,
                        ui.t(i.basis),
                        ui.t(i.root_basis),
                        ui.t(i.specificity),
                        model["names"].get(i.rule, i.rule),
                        model["names"].get(i.derived_from, i.derived_from),
                        i.rationale,
                        quotes,
                        i.link,
                    ]
                )
    return header, rows


DOWNLOAD_COLUMNS = (
    "col_municipality",
    "col_plan",
    "col_annex",
    "col_kind",
    "col_item",
    "col_iri",
    "col_basis",
    "col_root_basis",
    "col_specificity",
    "col_rule",
    "col_derived_from",
    "col_rationale",
    "col_quotes",
    "col_link",
)
