"""``epkg check-quotes``: every passage's quote must stand in its source text."""

from __future__ import annotations

from ..graph import Project
from ..service import check_sources


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "check-quotes", help="check every passage quote against its source text and the source checksums"
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    check = check_sources(Project.from_settings())
    for line in check.changed_files:
        print(line)
    for problem in check.problems:
        print(problem)
    print(
        f"{check.passages} passages checked, {len(check.problems)} quotes not found, "
        f"{len(check.changed_files)} source files changed"
    )
    return 0 if check.ok else 1
