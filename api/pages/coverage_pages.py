"""``/coverage``: goals x plans of a year, an SVG heatmap and the same numbers as a table;
``/years/{year}``: the goals of a year, new or continued, and which plans answer them."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rdflib.term import Node

from ..service import Service
from .common import Ui, ask, labels_of, render, value, vocabulary
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
    most = max((c.links for c in cells), default=0)
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
