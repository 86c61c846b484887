"""The goal-link review tables (docs/review/goal-links-<doc>.tsv): one line per link with its verdict.

The plan tests hold the graph to them: the links the table keeps (every verdict but "removed")
are exactly the graph's, and the verdicts are counted as the closing notes report them.
"""

from __future__ import annotations

import collections
from pathlib import Path

REVIEW_DIR = Path(__file__).resolve().parent.parent / "docs" / "review"
COLUMNS = ["resource", "goal", "basis", "specificity", "verdict", "note"]


def review_rows(document: str) -> list[dict[str, str]]:
    lines = (REVIEW_DIR / f"goal-links-{document}.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header == COLUMNS
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def kept_links(document: str) -> list[tuple[str, str, str, str]]:
    """(resource, goal, basis, specificity) of every link the review keeps, sorted."""
    return sorted(
        (r["resource"], r["goal"], r["basis"], r["specificity"])
        for r in review_rows(document)
        if r["verdict"] != "removed"
    )


def verdict_counts(document: str) -> dict[str, int]:
    return dict(collections.Counter(r["verdict"] for r in review_rows(document)))


# --- the false-negative sweep (docs/review/sweep-<doc>.tsv) --------------------------------------
# One row per (resource, goal of the plan's year) for every measure (projects and offers included),
# quantified target, objective and policy statement of the plan: whether it serves the goal.

SWEEP_COLUMNS = ["resource", "goal", "verdict", "reason", "note"]
SWEEP_VERDICTS = ("linked", "added", "none")  # linked before the sweep; added by it; no link
# Why a resource does not serve a goal (verdict "none"); the legend is in docs/review/README.md.
SWEEP_REASONS = ("other-aim", "other-group", "background", "process", "expired", "too-general")
SWEEP_ITEMS = """
PREFIX epkg: <https://w3id.org/epkg/ontology#>
SELECT DISTINCT ?resource ?goal WHERE {
  VALUES ?class { epkg:Measure epkg:QuantifiedTarget epkg:Objective epkg:PolicyStatement }
  VALUES ?document { DOCUMENTS }
  ?resource a ?class ; epkg:partOfDocument ?document .
  ?goal a epkg:MinisterGoal ; epkg:goalYear ?year .
  FILTER (str(?year) = "YEAR")
}
"""
SWEEPS = {  # the plan's documents, and the year whose goals it answers
    "hedensted-2017": (["plan/hedensted-2017"], "2017"),
    "slagelse-2017": (["plan/slagelse-2017"], "2017"),
    "sonderborg-2016-2018": (["plan/sonderborg-2016-2018"], "2017"),
    "vordingborg-2019": (
        [
            "plan/vordingborg-2019",
            "plan/vordingborg-policy-erhverv-og-arbejdsmarked",
            "plan/vordingborg-policy-integration",
            "plan/vordingborg-policy-uddannelse",
        ],
        "2019",
    ),
}
BASE = "https://w3id.org/epkg/"


def sweep_pairs(graph, document: str) -> set[tuple[str, str]]:
    """Every (resource, goal) pair the sweep of ``document`` must judge, as paths under the base."""
    documents, year = SWEEPS[document]
    query = SWEEP_ITEMS.replace("DOCUMENTS", " ".join(f"<{BASE}{d}>" for d in documents)).replace("YEAR", year)
    return {(str(r["resource"])[len(BASE) :], str(r["goal"])[len(BASE) :]) for r in graph.query(query)}


def sweep_rows(document: str) -> list[dict[str, str]]:
    lines = (REVIEW_DIR / f"sweep-{document}.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == SWEEP_COLUMNS
    return [dict(zip(SWEEP_COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]
