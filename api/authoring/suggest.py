"""Suggests goal links for a plan file's resources as a review table (``epkg author suggest``).

For each resource and each minister goal of the plan's year: a *direct*, *curated* link
where the resource's own words name the goal's target group (the shared scheme) or its aim
(the goal's statement); a *via-group*, *derived* link where it stands in a focus area or
group that has a link to the goal (the rules of data/reference/derivation-rules.ttl); no
link where its own words name only groups disjoint from the goal's, or its deadline lies
before the goal's year. A person marks each row's verdict; ``epkg author apply`` does the rest.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from .goals import Goal, goal_years, load_goals
from .groups import GroupScheme
from .lexicon import lexicon
from .plan import PlanResource, plan_document, plan_resources, read_plan
from .turtle import write_atomically

COLUMNS = (
    "row",
    "resource",
    "goal",
    "basis",
    "specificity",
    "rule",
    "derived_from",
    "words",
    "rationale_da",
    "rationale_en",
    "quote",
    "verdict",
    "note",
)
RULES = {  # (container kind, resource kind) -> derivation rule
    "target-group": "rule/measure-of-mapped-target-group",
    "focus-area": "rule/measure-of-goal-focus-area",
    "target": "rule/target-of-goal-focus-area",
}


@dataclass
class Suggestion:
    row: int
    resource: str
    goal: str
    basis: str
    specificity: str
    rule: str
    derived_from: str
    words: str
    rationale_da: str
    rationale_en: str
    quote: str
    verdict: str = ""
    note: str = ""


def link_iri(resource: str, goal: str) -> str:
    """goal-link/<doc>/<local-id>--<year>-<n> (data/README.md)."""
    _kind, document, local = resource.split("/", 2)
    year, number = goal.split("/")[1:]
    return f"goal-link/{document}/{local.replace('/', '-')}--{year}-{number}"


def _stems(text: str) -> set[str]:
    size = lexicon()["suggest"]["stem_letters"]
    stop = set(lexicon()["suggest"]["stopwords"])
    return {w[:size] for w in re.findall(r"\w+", text.lower()) if w not in stop and len(w) > 2}


def _own_match(res: PlanResource, goal: Goal, scheme: GroupScheme) -> tuple[str, str] | None:
    """('group'|'aim', words) where the resource's own words name the goal's group or aim;
    ('disjoint', words) where they name only groups disjoint from the goal's."""
    partners = set(lexicon()["suggest"]["partner_words"])
    mentions = [m for m in scheme.mentions(res.words) if m.words.lower() not in partners]
    mentioned = [(m.group, m.words) for m in mentions] + [(g, g) for g in res.matches]
    naming = [w for g, w in mentioned if any(goal_group in scheme.ancestors(g) for goal_group in goal.groups)]
    if naming:
        return "group", ", ".join(sorted(set(naming)))
    shared = sorted(_stems(goal.statement) & _stems(res.words))
    if len(shared) >= lexicon()["suggest"]["aim_words_needed"]:
        return "aim", ", ".join(shared)
    if (
        mentioned
        and goal.groups
        and not any(scheme.overlaps(g, gg) for g, _ in mentioned for gg in goal.groups)
    ):
        return "disjoint", ", ".join(sorted({w for _, w in mentioned}))
    return None


def _suggest_one(res: PlanResource, goal: Goal, scheme: GroupScheme, linked: dict) -> Suggestion | None:
    if res.deadline_year is not None and res.deadline_year < goal.year:
        return None
    text = lexicon()["rationale"]
    quote = res.words[:200]
    own = _own_match(res, goal, scheme)
    if own and own[0] in ("group", "aim"):
        key = "direct_group" if own[0] == "group" else "direct_aim"
        return Suggestion(
            0,
            res.iri,
            goal.iri,
            "curated",
            "direct",
            "",
            "",
            own[1],
            text[f"{key}_da"].format(words=own[1]),
            text[f"{key}_en"].format(words=own[1]),
            quote,
        )
    if own and own[0] == "disjoint":
        return None
    for container in res.containers:
        parent = linked.get((container, goal.iri))
        if parent is None:
            continue
        kind = (
            "target"
            if res.kind in ("target", "objective")
            else container.split("/", 1)[0].replace("plan-", "")
        )
        rule = RULES.get(kind, RULES["focus-area"])
        return Suggestion(
            0,
            res.iri,
            goal.iri,
            "derived",
            "via-group",
            rule,
            link_iri(container, goal.iri),
            parent.words,
            "",
            "",
            quote,
        )
    return None


def suggest(home: Path, plan_file: Path, year: int | None = None) -> list[Suggestion]:
    graph = read_plan(plan_file)
    goals = load_goals(home)
    years = goal_years(home, plan_document(graph), year, goals)
    scheme = GroupScheme.load(home)
    linked: dict[tuple[str, str], Suggestion] = {}
    rows: list[Suggestion] = []
    for res in plan_resources(graph):  # focus areas and groups first: their items derive from them
        for goal in (g for g in goals if g.year in years):
            found = _suggest_one(res, goal, scheme, linked)
            if found is not None:
                found.row = len(rows) + 1
                linked[(res.iri, goal.iri)] = found
                rows.append(found)
    return rows


def as_tsv(rows: list[Suggestion]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        values = asdict(row)
        writer.writerow([" ".join(str(values[c]).split()) for c in COLUMNS])
    return out.getvalue()


def write_suggestions(home: Path, plan_file: Path, out: Path, year: int | None = None) -> list[Suggestion]:
    rows = suggest(home, plan_file, year)
    write_atomically(out, as_tsv(rows))
    return rows
