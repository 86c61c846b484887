"""``/coverage``: goals x plans of a year, a heatmap (an HTML table of coloured cells) and the same
numbers as a table;
``/years/{year}``: the goals of a year, new or continued, and which plans answer them."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

from rdflib.term import Node

from ..service import Service
from .common import Ui, ask, brief, labels_of, render, value, vocabulary
from .years import Goal, choose_year, goals, years_of


# --- coverage and the year view -----------------------------------------------


@dataclass
class Cell:
    goal: Goal
    plan: str
    municipality: str
    links: int  # every goal link of the plan to the goal, of any kind (goal-coverage)
    measures: int
    others: int
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
            _int(r["links"]),
            _int(r["measures"]),
            _int(r["others"]),
            _int(r["direct"]),
            _int(r["via_group"]),
            _int(r["stated"]),
            _int(r["derived"]),
            _int(r["curated"]),
        )
        for r in await ask(service, "goal-coverage", year=year)
    ]


HEAT_STEPS = 5  # the heatmap's colour steps (epkg.css: .heat-1 … .heat-5; each passes WCAG AA with its text)


def heat(count: int, most: int) -> int:
    """The colour step of a heatmap cell: 0 for an empty cell, else 1 to ``HEAT_STEPS`` by its share of
    the year's largest count (step k holds the counts above (k-1)/5 and up to k/5 of it)."""
    if count <= 0:
        return 0
    return min(HEAT_STEPS, max(1, math.ceil(HEAT_STEPS * count / most))) if most else HEAT_STEPS


def heat_scale(most: int) -> list[tuple[int, int, int]]:
    """The legend of the heatmap: (step, lowest count, highest count) of every step that a count can take."""
    scale = []
    for step in range(1, HEAT_STEPS + 1):
        low, high = (step - 1) * most // HEAT_STEPS + 1, step * most // HEAT_STEPS
        if low <= high:
            scale.append((step, low, high))
    return scale


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
    most = max((c.links for c in cells), default=0)
    return render(
        "coverage.html",
        ui,
        title=ui.t("coverage_title", year=chosen),
        description=ui.t(
            "desc_coverage",
            plans=", ".join(titles[p]["municipality"] for p in plans if p in titles),
            m=len(year_goals),
            year=chosen,
        ),
        years=years,
        year=chosen,
        goals=year_goals,
        plans=plans,
        titles=titles,
        grid=grid,
        heat=heat,
        most=most,
        scale=heat_scale(most),
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
        description=brief(
            ui.t(
                "desc_year",
                n=len(year_goals),
                year=chosen,
                goals=" ".join(f"{g.number}. {g.statement}" for g in year_goals),
            )
        ),
        years=years,
        year=chosen,
        goals=year_goals,
        by_iri=by_iri,
        cells=cells,
        titles=titles,
    )
