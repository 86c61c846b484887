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
