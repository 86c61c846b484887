"""The minister goals of every year, as the home page, the answer and the coverage pages show them."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotFound
from ..service import Service
from .common import Ui, ask, value


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
