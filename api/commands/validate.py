"""``epkg validate``: check ontology and data against the SHACL shapes.

Prints the findings grouped by severity and by resource (text), or the rows as JSON, or the
sh:ValidationReport graph as Turtle. Exit code 1 on any violation; warnings and infos are
findings to read, not failures. Progress goes to standard error, so the output stays clean.
"""

from __future__ import annotations

import json
import sys
import time
from itertools import groupby

from ..graph import Project
from ..validation import (
    SEVERITIES,
    EngineError,
    Validation,
    compact,
    count_shapes,
    load_shapes,
    load_store,
    resolve_engine,
    validate,
)

ENGINE_NAMES = {"pyshacl": "pySHACL", "turbo": "pyshacl-turbo"}
HEADINGS = {"Violation": "Violations", "Warning": "Warnings", "Info": "Infos"}


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check ontology and data against the SHACL shapes (exit code 1 on any violation)",
        description="Validate ontology/ and data/ against shapes/. Violations break a structural rule and "
        "fail (exit code 1); warnings and infos show what the data does not yet say.",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "turtle"),
        default="text",
        help="text: a report for people (default); json: one row per finding; turtle: the sh:ValidationReport graph",
    )
    parser.add_argument(
        "--engine",
        choices=("auto", "pyshacl", "turbo"),
        default="auto",
        help="SHACL engine: auto (pyshacl-turbo when installed, else pySHACL; the default), pyshacl or turbo",
    )
    parser.set_defaults(func=run)


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args) -> int:
    started = time.perf_counter()
    project = Project.from_settings()
    files = project.content_files()
    _progress(f"loading {len(files)} ontology and data files and the shapes…")
    data = load_store(files)
    shapes = load_shapes(project)
    nodes, properties = count_shapes(shapes)
    try:
        engine = resolve_engine(args.engine)
    except ValueError as exc:
        _progress(f"epkg validate: {exc}")
        return 2
    _progress(
        f"validating {len(data):,} triples against {nodes + properties} shapes "
        f"({nodes} node, {properties} property) with {ENGINE_NAMES[engine]}…"
    )
    try:
        result = validate(data, shapes, args.engine)
    except (EngineError, ImportError) as exc:
        _progress(f"epkg validate: the SHACL engine failed: {exc}")
        return 2
    if result.fallback:
        _progress(f"pyshacl-turbo failed, validated with pySHACL instead: {result.fallback}")
    _progress(
        f"done in {time.perf_counter() - started:.1f} s (validation {result.seconds:.2f} s): {_counts(result)}"
    )

    if args.format == "json":
        json.dump(_as_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "turtle":
        sys.stdout.write(result.report.serialize(format="turtle"))
    else:
        sys.stdout.write(as_text(result))
    return 0 if result.conforms else 1


def _counts(result: Validation) -> str:
    return ", ".join(_plural(result.count(s), s.lower()) for s in SEVERITIES)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _as_json(result: Validation) -> dict:
    return {
        "conforms": result.conforms,
        "engine": ENGINE_NAMES[result.engine],
        "seconds": round(result.seconds, 3),
        "counts": {HEADINGS[s].lower(): result.count(s) for s in SEVERITIES},
        "results": [f.as_dict() for f in result.findings],
    }


def _show(iri: str) -> str:
    """Minted IRIs as Turtle writes them under @base (<measure/…>), vocabulary terms prefixed."""
    if iri.startswith("_:"):
        return iri
    text = compact(iri)
    return text if text.startswith("<") or ":" in text else f"<{text}>"


def as_text(result: Validation) -> str:
    """The findings for people: by severity, then by resource, each rule in words."""
    lines: list[str] = []
    for severity in SEVERITIES:
        findings = [f for f in result.findings if f.severity == severity]
        if not findings:
            continue
        resources = len({f.focus_node for f in findings})
        lines.append(f"{HEADINGS[severity]}: {len(findings)} on {_plural(resources, 'resource')}")
        lines.append("")
        # groupby needs each resource's findings together: sort by resource (stable, keeps rule order).
        for focus, grouped in groupby(
            sorted(findings, key=lambda f: f.focus_node), key=lambda f: f.focus_node
        ):
            group = list(grouped)
            name = _show(focus) if not focus.startswith("_:") else "(an unnamed resource)"
            lines.append(f"  {group[0].label} {name}" if group[0].label else f"  {name}")
            for finding in group:
                lines.append(f"    - {finding.message}")
                details = [f"rule {_show(finding.shape)}"]
                if finding.path:
                    details.append(f"path {finding.path}")
                if finding.value:
                    value = finding.value if finding.value.startswith(('"', "_:")) else _show(finding.value)
                    details.append(
                        f"value {value}" + (f" {finding.value_label}" if finding.value_label else "")
                    )
                lines.append(f"      ({'; '.join(details)})")
            lines.append("")
    verdict = "the data conforms" if result.conforms else "the data does NOT conform"
    lines.append(f"{_counts(result)}: {verdict} ({ENGINE_NAMES[result.engine]}).")
    return "\n".join(lines) + "\n"
