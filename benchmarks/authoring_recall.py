"""Re-authors Sønderborg 2016–2018 and Slagelse JobFokus 2015 from their text alone with
``epkg author`` in a scratch folder, and compares the drafts with the curated plan files.

Prints, per document and in total: recall of focus areas (and tracks), plan target groups,
measures and targets (quantified targets and objectives) found with exact quotes; the share of
the curated targets' value, unit, deadline and direction parsed right; and the goal-link
suggestions' precision and recall against the curated links (on the resources the draft has).

    python benchmarks/authoring_recall.py [--scratch /tmp/reauthor]
"""

from __future__ import annotations

import argparse
import re
import shutil
import time
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from api.cli import main as epkg
from api.graph import BASE, EPKG

HOME = Path(__file__).resolve().parent.parent
DOCUMENTS = {  # slug: (kind, kommunekode, title as the text writes it, start, end)
    "sonderborg-2016-2018": ("strategy", "540", "Beskæftigelsesstrategi", 2016, 2018),
    "slagelse-2015-jobfokus": ("case", "330", "JobFokus - fremtidig indsats på beskæftigelsesområdet (B)", 2015, 2016),
}
KINDS = {  # comparison kind: (curated classes, draft kinds by IRI path)
    "focus areas": ((EPKG.FocusArea, EPKG.Track), ("focus-area",)),
    "groups": ((EPKG.PlanTargetGroup,), ("plan-target-group",)),
    "measures": ((EPKG.Measure,), ("measure", "project")),
    "targets": ((EPKG.QuantifiedTarget, EPKG.Objective), ("target", "objective")),
}


def key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.lower()).strip()


def scratch_home(scratch: Path) -> None:
    """The checkout without the two curated plans and their document entries."""
    shutil.rmtree(scratch, ignore_errors=True)
    for folder in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(HOME / folder, scratch / folder)
    documents = scratch / "data" / "reference" / "documents.ttl"
    blocks = re.split(r"\n(?=<)", documents.read_text(encoding="utf-8"))
    kept = [b for b in blocks if not any(b.startswith((f"<plan/{s}>", f"<case/{s}>", f"<passage/{s}/")) for s in DOCUMENTS)]
    documents.write_text("\n".join(kept), encoding="utf-8")
    for slug in DOCUMENTS:
        (scratch / "data" / "plans" / f"{slug}.ttl").unlink()


def source_of(slug: str) -> Path:
    graph = Graph().parse(HOME / "data" / "reference" / "documents.ttl")
    for node in graph.subjects(EPKG.sourceFile, None):
        if str(node).endswith("/" + slug):
            return HOME / "data" / "sources" / str(graph.value(node, EPKG.sourceFile))
    raise SystemExit(f"no source for {slug}")


def reauthor(scratch: Path, slug: str) -> tuple[Path, Path | None, float]:
    kind, code, title, start, end = DOCUMENTS[slug]
    home = ["--home", str(scratch)]
    started = time.perf_counter()
    assert epkg(["author", *home, "register", str(source_of(slug)), "--slug", slug, "--kind", kind,
                 "--municipality", code, "--title", title, "--start", str(start), "--end", str(end)]) == 0
    plan = scratch / "data" / "plans" / f"{slug}.ttl"
    assert epkg(["author", *home, "scaffold", slug]) == 0
    table = scratch / f"{slug}.tsv"
    suggested = epkg(["author", *home, "suggest", str(plan), "--out", str(table)]) == 0
    return plan, table if suggested else None, time.perf_counter() - started


def quotes(graph: Graph, node) -> list[str]:
    found = [key(str(graph.value(p, EPKG.quote) or "")) for p in graph.objects(node, EPKG.citation)]
    found += [key(str(label)) for label in graph.objects(node, RDFS.label) if getattr(label, "language", None) == "da"]
    return [q for q in found if q]


def curated_items(graph: Graph, classes) -> list[URIRef]:
    items = {s for c in classes for s in graph.subjects(RDF.type, c) if (s, DCTERMS.isPartOf, None) not in graph}
    return sorted(items, key=str)


def matches(curated: list[str], drafted: list[str]) -> bool:
    return any(d and c and (d in c or c in d) for c in curated for d in drafted)


def compare_items(curated: Graph, draft: Graph) -> tuple[dict, dict]:
    """Per kind (found, total), and the map curated item -> matching draft items."""
    figures, mapping = {}, {}
    for name, (classes, paths) in KINDS.items():
        drafted = [s for s in set(draft.subjects(RDF.type, None)) if str(s)[len(BASE) :].split("/")[0] in paths]
        found = 0
        for item in curated_items(curated, classes):
            hits = [d for d in drafted if matches(quotes(curated, item), quotes(draft, d))]
            mapping[item] = hits
            found += bool(hits)
        figures[name] = (found, len(curated_items(curated, classes)))
    return figures, mapping


def compare_fields(curated: Graph, draft: Graph, mapping: dict) -> tuple[int, int]:
    right = total = 0
    for item in curated_items(curated, (EPKG.QuantifiedTarget,)):
        hits = [h for h in mapping.get(item, []) if (h, RDF.type, EPKG.QuantifiedTarget) in draft]
        for prop in (EPKG.value, EPKG.unit, EPKG.deadline, EPKG.direction):
            total += 1
            expected = curated.value(item, prop)
            got = draft.value(hits[0], prop) if hits else None
            right += bool(hits) and (str(expected) if expected is not None else None) == (str(got) if got is not None else None)
    return right, total


def compare_links(curated: Graph, table: Path | None, mapping: dict) -> tuple[int, int, int, int]:
    """(suggested right, suggested, curated links found, curated links on drafted resources)."""
    links = {(s, g) for s, g in curated.subject_objects(EPKG.servesGoal)}
    to_curated = {str(d)[len(BASE) :]: c for c, ds in mapping.items() for d in ds}
    rows = []
    if table is not None:
        lines = table.read_text(encoding="utf-8").splitlines()[1:]
        rows = [(line.split("\t")[1], line.split("\t")[2]) for line in lines]
    right = sum(1 for r, g in rows if (to_curated.get(r), URIRef(BASE + g)) in links)
    reachable = {(s, g) for s, g in links if mapping.get(s)}
    suggested = {(to_curated.get(r), URIRef(BASE + g)) for r, g in rows}
    return right, len(rows), len(reachable & suggested), len(reachable)


def report(slug: str, scratch: Path) -> dict:
    plan, table, seconds = reauthor(scratch, slug)
    curated = Graph().parse(HOME / "data" / "plans" / f"{slug}.ttl")
    draft = Graph().parse(plan)
    items, mapping = compare_items(curated, draft)
    fields = compare_fields(curated, draft, mapping)
    links = compare_links(curated, table, mapping)
    all_links = len(set(curated.subject_objects(EPKG.servesGoal)))
    print(f"\n{slug} (workflow {seconds:.1f} s)")
    for name, (found, total) in items.items():
        print(f"  {name:12} {found:3}/{total:<3} found with exact quotes")
    print(f"  target fields {fields[0]}/{fields[1]} right (value, unit, deadline, direction)")
    print(f"  suggestions  {links[0]}/{links[1]} right (precision), {links[2]}/{links[3]} curated links found "
          f"(recall; {all_links - links[3]} of {all_links} curated links are on resources the draft has not)")
    return {"items": items, "fields": fields, "links": links}


def percent(a: int, b: int) -> str:
    return f"{a}/{b} = {100 * a / b:.0f} %" if b else f"{a}/{b}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/reauthor"))
    args = parser.parse_args()
    scratch_home(args.scratch)
    results = [report(slug, args.scratch) for slug in DOCUMENTS]
    found = sum(f for r in results for f, _ in r["items"].values())
    total = sum(t for r in results for _, t in r["items"].values())
    fields = [sum(r["fields"][i] for r in results) for i in (0, 1)]
    links = [sum(r["links"][i] for r in results) for i in range(4)]
    print(f"\ntotal: items {percent(found, total)}; target fields {percent(*fields)}; "
          f"suggestions precision {percent(links[0], links[1])}, recall {percent(links[2], links[3])}")
    timing = time.perf_counter()
    epkg(["author", "--home", str(args.scratch), "check", str(args.scratch / "data/plans/sonderborg-2016-2018.ttl")])
    print(f"single-plan check of the Sønderborg draft: {time.perf_counter() - timing:.2f} s (in process)")


if __name__ == "__main__":
    main()
