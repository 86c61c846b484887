"""Grows the knowledge graph to N municipalities x E periods, from the shapes of the real data.

    python benchmarks/scale.py --triples 1M --out /tmp/epkg-scale/1m [--seed 17]
    python benchmarks/scale.py --municipalities 20 --periods 2 --out /tmp/epkg-scale/custom

Writes a project folder that ``epkg`` can use with ``EPKG_HOME=<out>``: ``ontology/``, ``shapes/``
and ``queries/`` copied from this checkout, ``data/`` with the real data unchanged (sources
included), and ``data/synthetic/`` with the grown part. Deterministic: the same checkout, seed
and size give the same bytes.

How it grows. Each real municipality with a source document (Slagelse, Vordingborg, Sønderborg,
Hedensted) is a template: everything its documents contain (plans, focus areas, tracks, target
groups, measures, projects, offers, objectives, targets, figures, statements, decisions, passages,
goal links with their basis, specificity, rule and derivation, local organisations and the
municipality itself). A synthetic municipality takes one template (chosen with the seed) and gets
a copy of all of it under new IRIs: the municipality becomes ``municipality/<code>`` with a
kommunekode no real municipality has (001-098), the plan-level IRIs get a suffix
``-syn<code>-p<period>`` on their first path segment, local organisations ``-syn<code>``.

A period is the whole real era (2015-2020) shifted by 10 years per period: period 0 is the real
years and answers the real minister goals of 2017 and 2019; period p >= 1 moves every date of the
copy by 10p years and answers a copy of the minister's goals of 2017 and 2019 made for the years
2017+10p and 2019+10p (same numbers, announcements and numbering; each copy joins the real goal's
lineage as a new edition, and ``epkg:continues`` follows the shift). So the graph has N
municipalities x E periods of plans, each with its years' goals, and every IRI it points to exists.

Texts are copied as they are: labels, descriptions and passages' quotes. A copied document keeps
its source file (the real text, whose SHA-256 it records), so ``epkg check-quotes`` finds every
copied quote. Labels that would be false of a synthetic municipality are replaced: its name
("Syntetisk kommune 007"), its code, and the register it cites. The copy is valid against the
shapes exactly when the real data is (``epkg validate`` with ``EPKG_HOME=<out>``).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

BASE = "https://w3id.org/epkg/"
EPKG = BASE + "ontology#"
ROOT = Path(__file__).resolve().parent.parent
PERIOD_YEARS = 10  # a period shifts the real era by this many years
MAX_MUNICIPALITIES = 98  # as many as Denmark has
DATE_TYPES = {str(XSD.date), str(XSD.gYear), str(XSD.gYearMonth), str(XSD.dateTime)}
PREFIXES = {
    "epkg": EPKG,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "org": str(ORG),
    "prov": "http://www.w3.org/ns/prov#",
}
_LOCAL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_YEAR = re.compile(r"^(-?\d{4})")

# Placeholders in a rendered template, replaced per copy (they never occur in the data).
PLAN_SUFFIX, MUNI_SUFFIX, CODE, BNODE = "\x01", "\x02", "\x03", "\x04"


def parse_size(text: str) -> int:
    """``10k``, ``1M``, ``1.5m``, ``250000``: a number of triples."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kKmM]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10k, 100k, 1M, 5M)")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * {"": 1, "k": 1_000, "m": 1_000_000}[unit])


def size_label(triples: int) -> str:
    if triples >= 1_000_000:
        return f"{triples / 1_000_000:g}M"
    return f"{triples / 1_000:g}k" if triples >= 1_000 else str(triples)


def _segments(iri: str) -> list[str]:
    return iri[len(BASE) :].split("/") if iri.startswith(BASE) else []


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def _iri(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    if iri.startswith(BASE):
        return f"<{iri[len(BASE) :]}>"
    return f"<{iri}>"


def _shift_lexical(lexical: str, years: int) -> str:
    match = _YEAR.match(lexical)
    if not years or not match:
        return lexical
    shifted = f"{int(match.group(1)) + years:04d}" + lexical[match.end() :]
    if shifted[4:10] == "-02-29":  # 29 February of a year that is not a leap year
        year = int(shifted[:4])
        if not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            shifted = shifted[:8] + "28" + shifted[10:]
    return shifted


@dataclass
class Template:
    """One real municipality and everything its source documents contain."""

    municipality: str  # its IRI
    code: str
    name: str  # its Danish label
    documents: list[str]  # the source documents' IRIs
    plan_local: set[str] = field(default_factory=set)  # copied once per municipality and period
    muni_local: set[str] = field(default_factory=set)  # copied once per municipality
    plan_text: dict[int, str] = field(default_factory=dict)  # by period
    plan_triples: int = 0
    muni_text: str = ""
    muni_triples: int = 0


class _Renderer:
    """Turtle for a set of subjects, with placeholders where a copy differs."""

    def __init__(self, graph: Graph, template: Template | None, goal_iris: set[str], years: int, period: int):
        self.graph, self.template, self.goal_iris = graph, template, goal_iris
        self.years, self.period = years, period
        self.bnodes: dict[BNode, int] = {}
        self.triples = 0

    def iri(self, iri: str) -> str:
        t = self.template
        if t is not None and iri in t.plan_local:
            seg = _segments(iri)
            return "<" + "/".join([seg[0], seg[1] + PLAN_SUFFIX, *seg[2:]]) + ">"
        if t is not None and iri in t.muni_local:
            if iri == t.municipality:
                return f"<municipality/{CODE}>"
            seg = _segments(iri)
            return "<" + "/".join([seg[0], seg[1] + MUNI_SUFFIX, *seg[2:]]) + ">"
        if self.years and iri in self.goal_iris:
            seg = _segments(iri)
            if seg[0] == "minister-goal":
                return "<" + "/".join([seg[0], str(int(seg[1]) + self.years), *seg[2:]]) + ">"
            return "<" + "/".join([seg[0], f"{seg[1]}-p{self.period}", *seg[2:]]) + ">"
        return _iri(iri)

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, BNode):
            return f"_:{BNODE}{self.bnodes.setdefault(node, len(self.bnodes))}"
        assert isinstance(node, Literal)
        if node.language:
            return f'"{_escape(str(node))}"@{node.language}'
        if node.datatype is None or str(node.datatype) == str(XSD.string):
            return f'"{_escape(str(node))}"'
        lexical = str(node)
        if str(node.datatype) in DATE_TYPES:
            lexical = _shift_lexical(lexical, self.years)
        return f'"{_escape(lexical)}"^^{_iri(str(node.datatype))}'

    def subject(self, subject: Node, out: list[str], objects=None) -> None:
        """Writes the subject's triples (and those of the blank nodes it points to)."""
        by_predicate: dict[str, list[str]] = defaultdict(list)
        nested: list[BNode] = []
        for p, o in objects if objects is not None else sorted(self.graph.predicate_objects(subject)):
            by_predicate[self.iri(str(p))].append(self.term(o) if isinstance(o, Node) else o)
            if isinstance(o, BNode):
                nested.append(o)
        if not by_predicate:
            return
        self.triples += sum(len(v) for v in by_predicate.values())
        body = " ;\n    ".join(f"{p} {' , '.join(objs)}" for p, objs in by_predicate.items())
        out.append(f"{self.term(subject)} {body} .\n")
        for bnode in nested:
            self.subject(bnode, out)


def _load_data(home: Path) -> tuple[Graph, dict[Path, set[Node]]]:
    graph, subjects_by_file = Graph(), {}
    for path in sorted((home / "data").rglob("*.ttl")):
        part = Graph()
        part.parse(path, format="turtle")
        subjects_by_file[path] = set(part.subjects())
        for triple in part:
            graph.add(triple)
    return graph, subjects_by_file


def build_templates(home: Path) -> tuple[list[Template], Graph, set[str]]:
    """The municipality templates, the data graph, and the IRIs of the goals and announcements."""
    graph, subjects_by_file = _load_data(home)

    def epkg(name: str) -> URIRef:
        return URIRef(EPKG + name)

    all_subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    documents_by_municipality: dict[str, list[str]] = defaultdict(list)
    for document in graph.subjects(epkg("sourceFile"), None):
        owner = graph.value(document, epkg("municipality"))
        if owner is not None:
            documents_by_municipality[str(owner)].append(str(document))

    templates = []
    for municipality, documents in sorted(documents_by_municipality.items()):
        slugs = {_segments(d)[1] for d in documents}
        units = [str(u) for u in graph.objects(URIRef(municipality), ORG.hasUnit)]
        local_name = _segments(units[0])[1] if units else min(slugs).split("-")[0]
        code = str(graph.value(URIRef(municipality), epkg("municipalityCode")))
        name = next(
            (
                str(lbl)
                for lbl in graph.objects(URIRef(municipality), RDFS.label)
                if getattr(lbl, "language", None) == "da"
            ),
            municipality,
        )
        t = Template(municipality, code, name, sorted(documents))
        t.muni_local = {municipality} | {
            s
            for s in all_subjects
            if (seg := _segments(s))
            and len(seg) > 2
            and seg[0] in ("organisation", "person")
            and seg[1] == local_name
        }
        own_files = {home / "data" / "plans" / f"{slug}.ttl" for slug in slugs}
        foreign = {
            str(s)
            for path, subs in subjects_by_file.items()
            if path not in own_files and path.name != "documents.ttl"
            for s in subs
        }
        t.plan_local = {s for s in all_subjects if (seg := _segments(s)) and len(seg) > 1 and seg[1] in slugs}
        t.plan_local |= {
            str(s)
            for path in own_files
            if path in subjects_by_file
            for s in subjects_by_file[path]
            if isinstance(s, URIRef) and str(s).startswith(BASE) and str(s) not in foreign
        }
        t.plan_local -= t.muni_local
        templates.append(t)

    goal_iris = {s for s in all_subjects if _segments(s)[:1] in (["minister-goal"], ["announcement"])}
    return templates, graph, goal_iris


def _render_plan(graph: Graph, t: Template, goal_iris: set[str], period: int) -> tuple[str, int]:
    r = _Renderer(graph, t, goal_iris, period * PERIOD_YEARS, period)
    out: list[str] = []
    for s in sorted(t.plan_local):
        r.subject(URIRef(s), out)
    return "".join(out), r.triples


def _render_municipality(graph: Graph, t: Template, goal_iris: set[str]) -> tuple[str, int]:
    r = _Renderer(graph, t, goal_iris, 0, 0)
    out: list[str] = []
    synthetic = {
        str(RDFS.label): [f'"Syntetisk kommune {CODE}"@da', f'"Synthetic municipality {CODE}"@en'],
        str(SKOS.altLabel): [f'"Syntetisk {CODE}"@da'],
        EPKG + "municipalityCode": [f'"{CODE}"'],
        str(DCTERMS.bibliographicCitation): [
            f'"Syntetisk kommune til benchmark (benchmarks/scale.py), kopieret fra {_escape(t.name)}"'
        ],
    }
    for s in sorted(t.muni_local):
        if s == t.municipality:
            objects: list[tuple[Node, Node | str]] = []
            for p, o in sorted(graph.predicate_objects(URIRef(s))):
                if str(p) not in synthetic:
                    objects.append((p, o))
            for p_iri, values in synthetic.items():
                objects.extend((URIRef(p_iri), v) for v in values)
            r.subject(URIRef(s), out, objects)
        else:
            r.subject(URIRef(s), out)
    return "".join(out), r.triples


def _render_goals(graph: Graph, goal_iris: set[str], period: int) -> tuple[str, int]:
    """The minister's goals (and their announcements and schemes) copied to the period's years."""
    years = period * PERIOD_YEARS
    r = _Renderer(graph, None, goal_iris, years, period)
    real_years = sorted({_segments(g)[1] for g in goal_iris if _segments(g)[0] == "minister-goal"})
    out: list[str] = []
    for s in sorted(goal_iris):
        objects: list[tuple[Node, Node | str]] = []
        for p, o in sorted(graph.predicate_objects(URIRef(s))):
            if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, Literal):
                text = str(o)
                for year in real_years:
                    text = text.replace(year, str(int(year) + years))
                objects.append((p, f'"{_escape(text)}"@{o.language}' if o.language else f'"{_escape(text)}"'))
            else:
                objects.append((p, o))
        r.subject(URIRef(s), out, objects)
    # Each copy joins its real goal's lineage as another edition.
    for goal in sorted(goal_iris):
        for lineage in sorted(graph.subjects(URIRef(EPKG + "edition"), URIRef(goal)), key=str):
            out.append(f"{r.term(lineage)} epkg:edition {r.iri(goal)} .\n")
            r.triples += 1
    return "".join(out), r.triples


def _prologue() -> str:
    return f"@base <{BASE}> .\n" + "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"


def _codes(graph: Graph, count: int, rng: random.Random) -> list[str]:
    taken = {str(c) for c in graph.objects(None, URIRef(EPKG + "municipalityCode"))}
    free = [f"{n:03d}" for n in range(1, 101) if f"{n:03d}" not in taken]  # no real kommunekode is below 101
    if count > len(free):
        raise SystemExit(f"at most {len(free)} synthetic municipalities (codes 001-100 not in the data)")
    return sorted(rng.sample(free, count))


def plan_grid(target: int, base: int, per_unit: float) -> tuple[int, int]:
    """Municipalities and periods for about ``target`` triples: municipalities first (up to 98)."""
    units = max(0, math.ceil((target - base) / per_unit))
    if units == 0:
        return 0, 0
    periods = math.ceil(units / MAX_MUNICIPALITIES)
    return math.ceil(units / periods), periods


def generate(
    out: Path,
    *,
    triples: int | None = None,
    municipalities: int | None = None,
    periods: int | None = None,
    seed: int = 17,
    home: Path = ROOT,
    log=print,
) -> dict:
    """Writes the project folder and returns its manifest (also written as ``scale.json``)."""
    started = time.perf_counter()
    templates, graph, goal_iris = build_templates(home)
    base_graph = Graph()
    for path in sorted((home / "ontology").rglob("*.ttl")):
        base_graph.parse(path, format="turtle")
    base_triples = len(graph) + len(base_graph)
    for t in templates:
        t.muni_text, t.muni_triples = _render_municipality(graph, t, goal_iris)
        t.plan_text[0], t.plan_triples = _render_plan(graph, t, goal_iris, 0)
    if municipalities is None or periods is None:
        if triples is None:
            raise ValueError("give either triples or municipalities and periods")
        per_unit = sum(t.plan_triples + t.muni_triples for t in templates) / len(templates)
        municipalities, periods = plan_grid(triples, base_triples, per_unit)
    rng = random.Random(seed)
    codes = _codes(graph, municipalities, rng)
    chosen = [templates[rng.randrange(len(templates))] for _ in codes]

    if out.exists():
        shutil.rmtree(out)
    for folder in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(home / folder, out / folder)
    synthetic = out / "data" / "synthetic"
    synthetic.mkdir()
    total = base_triples
    with open(synthetic / "municipalities.ttl", "w", encoding="utf-8") as f:
        f.write(
            "# Synthetic municipalities (benchmarks/scale.py): each a copy of a real one's description.\n"
        )
        f.write(_prologue())
        for code, t in zip(codes, chosen, strict=True):
            f.write(_fill(t.muni_text, code, 0, f"m{code}x"))
            total += t.muni_triples
    for period in range(periods):
        with open(synthetic / f"period-{period}.ttl", "w", encoding="utf-8") as f:
            years = period * PERIOD_YEARS
            f.write(f"# Synthetic plans of period {period}: the real era shifted by {years} years.\n")
            f.write(_prologue())
            if period:
                text, count = _render_goals(graph, goal_iris, period)
                f.write(text.replace(BNODE, f"g{period}x"))
                total += count
            for t in templates:
                if period not in t.plan_text:
                    t.plan_text[period], _ = _render_plan(graph, t, goal_iris, period)
            for code, t in zip(codes, chosen, strict=True):
                f.write(_fill(t.plan_text[period], code, period, f"u{code}p{period}x"))
                total += t.plan_triples
    manifest = {
        "seed": seed,
        "municipalities": municipalities,
        "periods": periods,
        "triples": total,
        "real_triples": base_triples,
        "templates": {t.name: sum(1 for c in chosen if c is t) for t in templates},
        "copies": {code: t.municipality for code, t in zip(codes, chosen, strict=True)},
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "scale.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    log(
        f"{out}: {total:,} triples ({base_triples:,} real + {municipalities} synthetic municipalities x "
        f"{periods} periods) in {manifest['seconds']} s"
    )
    return manifest


def _fill(text: str, code: str, period: int, bnode_prefix: str) -> str:
    return (
        text.replace(PLAN_SUFFIX, f"-syn{code}-p{period}")
        .replace(MUNI_SUFFIX, f"-syn{code}")
        .replace(CODE, code)
        .replace(BNODE, bnode_prefix)
    )


def count_triples(paths: Iterable[Path]) -> int:
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return len(store)


def _unmap(text: str | None, copies: dict[str, str]) -> str | None:
    """A finding's IRI or value on the grown graph, written as on the real graph."""
    if text is None:
        return None
    period = re.search(r"-syn\d{3}-p(\d+)", text)
    shift = int(period.group(1)) * PERIOD_YEARS if period else 0
    goal = re.search(r"minister-goal/(\d{4})", text)
    if goal and not period:
        year = int(goal.group(1))
        shift = max((y for y in range(0, 10_000, PERIOD_YEARS) if y <= year - 2015), default=0)
    text = re.sub(r"municipality/(\d{3})\b", lambda m: copies.get(m.group(1), m.group(0))[len(BASE) :], text)
    text = re.sub(r"-syn\d{3}(-p\d+)?", "", text)
    text = re.sub(r"-p(\d+)\b", "", text) if "announcement/" in text else text
    if shift:  # dates in literals and goal IRIs moved; the template's own IRIs keep their years
        year = re.compile(r"\b(\d{4})\b")
        back = lambda m: str(int(m.group(1)) - shift)  # noqa: E731
        if text.startswith('"'):
            text = year.sub(back, text)
        else:
            text = re.sub(
                r"(minister-goal|announcement)/(\d{4})",
                lambda m: f"{m.group(1)}/{int(m.group(2)) - shift}",
                text,
            )
    return text


def check(out: Path, home: Path = ROOT, log=print) -> bool:
    """Validates the real and the grown graph and checks the grown graph's quotes: every finding on
    the grown graph must be a finding on the real one (so it is valid exactly when the real data is)."""
    sys.path.insert(0, str(ROOT))
    from api.graph import Project, load_graph
    from api.provenance import check_passages
    from api.validation import load_shapes, validate

    copies = json.loads((out / "scale.json").read_text())["copies"]
    keys = {}
    for label, folder in (("real", home), ("grown", out)):
        project = Project(home=folder)
        data = load_graph(project)
        started = time.perf_counter()
        result = validate(data, load_shapes(project))
        keys[label] = {(f.severity, f.shape, f.focus_node, f.value) for f in result.findings}
        log(
            f"{label}: {len(data):,} triples, {result.count('Violation')} violations, "
            f"{result.count('Warning')} warnings, {result.count('Info')} infos "
            f"({result.engine}, {time.perf_counter() - started:.1f} s)"
        )
        if label == "grown":
            checked, problems = check_passages(data, project.sources_dir)
            log(f"grown: {checked:,} passages checked, {len(problems)} quotes not found")
    strays = {
        k
        for k in keys["grown"]
        if (k[0], k[1], _unmap(k[2], copies), _unmap(k[3], copies)) not in keys["real"]
    }
    for key in sorted(strays, key=str)[:20]:
        log(f"  only on the grown graph: {key}")
    log(f"{len(strays)} findings on the grown graph have no counterpart on the real one")
    return not strays and not problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the project folder to write (replaced)")
    parser.add_argument("--triples", type=parse_size, help="about this many triples (e.g. 100k, 1M)")
    parser.add_argument("--municipalities", type=int, help="synthetic municipalities (with --periods)")
    parser.add_argument("--periods", type=int, help="periods of 10 years (with --municipalities)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--home", type=Path, default=ROOT, help="the project to grow (default: this checkout)"
    )
    parser.add_argument("--count", action="store_true", help="count the triples again with pyoxigraph")
    parser.add_argument(
        "--check",
        action="store_true",
        help="validate the real and the grown graph and compare their findings; check quotes",
    )
    args = parser.parse_args()
    if args.triples is None and (args.municipalities is None or args.periods is None):
        parser.error("give --triples, or --municipalities and --periods")
    manifest = generate(
        args.out,
        triples=args.triples,
        municipalities=args.municipalities,
        periods=args.periods,
        seed=args.seed,
        home=args.home,
    )
    if args.count:
        files = sorted(p for d in ("ontology", "data") for p in (args.out / d).rglob("*.ttl"))
        counted = count_triples(files)
        print(f"pyoxigraph counts {counted:,} triples (manifest: {manifest['triples']:,})")
        if counted != manifest["triples"]:
            return 1
    if args.check and not check(args.out, args.home):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
