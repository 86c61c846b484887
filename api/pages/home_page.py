"""``/``: the question "which local measures serve minister goal N of year Y?", with a year picker,
the goals of that year (their statements), filters, and a link to the answer."""

from __future__ import annotations

from collections import OrderedDict

from ..service import Service
from .common import Ui, ask, brief, render, value
from .years import choose_year, goals, years_of


async def home(service: Service, ui: Ui, year: str | None) -> str:
    all_goals = await goals(service, ui)
    years = years_of(all_goals)
    chosen = choose_year(year, years)
    municipalities = OrderedDict()
    for r in await ask(service, "municipalities"):
        municipalities[value(r["municipality"])] = ui.pick(r["name"], r["name_en"])
    year_goals = [g for g in all_goals if g.year == chosen]
    return render(
        "home.html",
        ui,
        title=ui.t("question"),
        description=brief(
            ui.t(
                "desc_home",
                n=len(year_goals),
                year=chosen,
                first=year_goals[0].statement if year_goals else "",
            )
        ),
        years=years,
        year=chosen,
        goals=year_goals,
        municipalities=municipalities,
        bases=("stated", "derived", "curated"),
        specificities=("direct", "via-group"),
    )
