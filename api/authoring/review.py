"""Turns the accepted rows of a reviewed suggestion table into goal links (``epkg author apply``).

Each accepted row becomes an epkg:GoalLink (basis, specificity, and per basis: the citation,
the rule and derivedFrom, or the rationale in Danish and English) plus its epkg:servesGoal
triple, appended to the plan file, which is written whole or not at all. Every row is
checked first; one bad row refuses them all.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..graph import BASE, EPKG
from .plan import plan_document, plan_resources, read_plan
from .suggest import COLUMNS, link_iri
from . import AuthoringError
from .turtle import literal, prefix_lines, resource, write_atomically

ACCEPT = {"accept", "accepted", "yes", "kept", "ok"}
REJECT = {"reject", "rejected", "no", "removed", ""}


def read_table(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except (UnicodeDecodeError, FileNotFoundError) as exc:
        raise AuthoringError(f"cannot read the review table {path}: {exc}") from None
    if rows and set(COLUMNS) - set(rows[0]):
        raise AuthoringError(f"{path.name} lacks the columns {sorted(set(COLUMNS) - set(rows[0]))}")
    return rows


def _check_row(row: dict[str, str], accepted: set[str], known: set[str]) -> str | None:
    name = f"row {row['row']} ({row['resource']} → {row['goal']})"
    if row["resource"] not in known:
        return f"{name}: the plan file has no resource {row['resource']}"
    if row["basis"] not in ("stated", "derived", "curated"):
        return f"{name}: basis must be stated, derived or curated, not {row['basis']!r}"
    if row["specificity"] not in ("direct", "via-group"):
        return f"{name}: specificity must be direct or via-group, not {row['specificity']!r}"
    if row["basis"] == "curated" and not (row["rationale_da"].strip() and row["rationale_en"].strip()):
        return f"{name}: a curated link needs rationale_da and rationale_en"
    if row["basis"] == "derived":
        if not row["rule"].strip() or not row["derived_from"].strip():
            return f"{name}: a derived link needs its rule and derived_from"
        if row["derived_from"] not in accepted:
            return f"{name}: it derives from {row['derived_from']}, which is not an accepted row"
    return None


def _link_turtle(
    row: dict[str, str], label: str, citations: tuple[str, ...], document: str, municipality: str
) -> str:
    iri = link_iri(row["resource"], row["goal"])
    year, number = row["goal"].split("/")[1:]
    properties = [
        ("a", "epkg:GoalLink"),
        (
            "rdfs:label",
            f"{literal(f'Målkobling: {label} → ministermål {year} nr. {number}', 'da')} , "
            f"{literal(f'Goal link: {label} → minister goal {year} no. {number}', 'en')}",
        ),
        ("epkg:linkSubject", f"<{row['resource']}>"),
        ("epkg:linkGoal", f"<{row['goal']}>"),
        ("epkg:basis", f"basis:{row['basis']}"),
        ("epkg:specificity", f"specificity:{row['specificity']}"),
    ]
    if row["basis"] == "derived":
        properties += [("epkg:rule", f"<{row['rule']}>"), ("epkg:derivedFrom", f"<{row['derived_from']}>")]
    if row["basis"] == "curated":
        properties.append(
            ("epkg:rationale", f"{literal(row['rationale_da'], 'da')} , {literal(row['rationale_en'], 'en')}")
        )
    properties += [("epkg:partOfDocument", f"<{document}>"), ("epkg:municipality", f"<{municipality}>")]
    if citations:
        properties.append(("epkg:citation", " , ".join(f"<{c}>" for c in citations)))
    triple = f"<{row['resource']}> epkg:servesGoal <{row['goal']}> .\n"
    return resource(properties, f"<{iri}>") + triple


PREFIXES = {"basis:": prefix_lines("basis"), "specificity:": prefix_lines("specificity")}


def apply_review(plan_file: Path, table: Path) -> int:
    """Appends the accepted rows' goal links to the plan file; returns how many."""
    graph = read_plan(plan_file)
    resources = {r.iri: r for r in plan_resources(graph)}
    rows = read_table(table)
    for row in rows:
        if row["verdict"].strip().lower() not in ACCEPT | REJECT:
            raise AuthoringError(
                f"row {row['row']}: verdict {row['verdict']!r} is neither accept nor reject (empty = reject)"
            )
    chosen = [r for r in rows if r["verdict"].strip().lower() in ACCEPT]
    accepted = {link_iri(r["resource"], r["goal"]) for r in chosen}
    problems = [p for r in chosen if (p := _check_row(r, accepted, set(resources)))]
    text = plan_file.read_text(encoding="utf-8")
    problems += [f"{iri} is in the plan file already" for iri in sorted(accepted) if f"<{iri}>" in text]
    if problems:
        raise AuthoringError("nothing applied: " + "; ".join(problems))
    document = str(plan_document(graph))[len(BASE) :]
    municipality = next((str(o)[len(BASE) :] for o in graph.objects(None, EPKG.municipality)), "")
    header = "".join(line for key, line in PREFIXES.items() if f"@prefix {key}" not in text)
    links = [
        _link_turtle(
            r, resources[r["resource"]].label, resources[r["resource"]].citations, document, municipality
        )
        for r in chosen
    ]
    if chosen:
        write_atomically(
            plan_file, header + text + f"\n# Goal links applied from {table.name}\n\n" + "\n".join(links)
        )
    return len(chosen)
