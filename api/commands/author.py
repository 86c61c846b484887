"""``epkg author``: from a municipality's plan text to a validated plan file (docs/authoring.md).

Subcommands, in the order of the work: register, find, scaffold, suggest, apply, check.
Each takes ``--home`` (the project folder; default EPKG_HOME or the checkout), so the whole
workflow can run in a scratch copy. Bad input exits 2 with a message and writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..authoring import AuthoringError
from ..authoring.check import check_plan
from ..authoring.passages import find_passage, nearest
from ..authoring.review import apply_review
from ..authoring.scaffold import registered_document, scaffold
from ..authoring.sources import Registration, read_utf8, register
from ..authoring.suggest import write_suggestions
from ..graph import Project
from ..settings import get_settings


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "author", help="add a plan: register its text, scaffold, suggest and check goal links"
    )
    parser.add_argument("--home", type=Path, help="the project folder (default: EPKG_HOME or the checkout)")
    steps = parser.add_subparsers(dest="step", metavar="STEP", required=True)
    _register_parser(steps)
    find = steps.add_parser(
        "find", help="the verbatim passage (and heading) of words copied from the document"
    )
    find.add_argument("document", help="the registered document's slug")
    find.add_argument("words", help="the words as copied (line breaks, hyphens, typographic quotes allowed)")
    find.add_argument("--json", action="store_true", help="print the answer as JSON")
    find.set_defaults(func=run_find)
    draft = steps.add_parser("scaffold", help="write a draft plan file from the document's own structure")
    draft.add_argument("document", help="the registered document's slug")
    draft.add_argument("--out", type=Path, help="the draft's path (default data/plans/<slug>.ttl)")
    draft.add_argument("--force", action="store_true", help="replace an existing file")
    draft.set_defaults(func=run_scaffold)
    suggest = steps.add_parser("suggest", help="suggest goal links for a plan file as a review table (TSV)")
    suggest.add_argument("plan", type=Path, help="the plan file")
    suggest.add_argument("--out", type=Path, required=True, help="the review table to write")
    suggest.add_argument(
        "--year", type=int, help="the goals' year (default: the goal years within the plan's period)"
    )
    suggest.set_defaults(func=run_suggest)
    apply = steps.add_parser(
        "apply", help="turn a review table's accepted rows into goal links in the plan file"
    )
    apply.add_argument("plan", type=Path)
    apply.add_argument("table", type=Path)
    apply.set_defaults(func=run_apply)
    check = steps.add_parser(
        "check", help="check one plan file: shapes, quotes, link rules, with line numbers"
    )
    check.add_argument("plan", type=Path)
    check.set_defaults(func=run_check)


def _register_parser(steps) -> None:
    reg = steps.add_parser(
        "register", help="copy a plan text into data/sources/ and describe it in documents.ttl"
    )
    reg.add_argument("text", type=Path, help="the plan as plain UTF-8 text")
    reg.add_argument("--slug", required=True, help="the document's slug, e.g. aabenraa-2020")
    reg.add_argument("--kind", choices=("plan", "strategy", "case"), default="plan")
    reg.add_argument("--municipality", required=True, help="the kommunekode, e.g. 540")
    reg.add_argument("--title", required=True, help="the title as the text writes it")
    reg.add_argument("--title-en", help="the title in English (for the English label)")
    reg.add_argument("--date", help="the document's date, YYYY-MM-DD")
    reg.add_argument("--start", type=int, required=True, help="first year of the period")
    reg.add_argument("--end", type=int, help="last year of the period (default: the first)")
    reg.set_defaults(func=run_register)


def _project(args) -> Project:
    settings = get_settings()
    if args.home is not None:
        settings = settings.with_overrides(home=args.home.resolve())
    return Project.from_settings(settings)


def run_register(args) -> int:
    if not args.text.is_file():
        raise AuthoringError(f"no text file {args.text}")
    reg = Registration(
        args.slug,
        args.kind,
        args.municipality,
        args.title,
        args.start,
        args.end or args.start,
        args.date,
        args.title_en,
    )
    target = register(_project(args), args.text, reg)
    print(f"registered {reg.iri}: {target}")
    return 0


def run_find(args) -> int:
    document = registered_document(_project(args), args.document)
    source = read_utf8(document.source)
    found = find_passage(source, args.words)
    if found is not None:
        answer = {
            "found": True,
            "quote": found.quote,
            "line": found.line,
            "heading": found.heading,
            "occurrences": found.occurrences,
        }
        print(
            json.dumps(answer, ensure_ascii=False)
            if args.json
            else f"line {found.line}, under {found.heading!r}"
            + (f" ({found.occurrences} places)" if found.occurrences > 1 else "")
            + f":\n{found.quote}"
        )
        return 0
    candidates = nearest(source, args.words)
    if args.json:
        print(
            json.dumps({"found": False, "candidates": [c.__dict__ for c in candidates]}, ensure_ascii=False)
        )
    lines = "".join(
        f"\n  line {c.line} ({c.similarity:.0%} of your letters, under {c.heading!r}): {c.why}\n    {c.text}"
        for c in candidates
    )
    raise AuthoringError(f"the words are not in {document.source.name}; the nearest lines:{lines}")


def run_scaffold(args) -> int:
    project = _project(args)
    out = args.out or project.home / "data" / "plans" / f"{args.document}.ttl"
    candidates = scaffold(project, args.document, out, args.force)
    kinds: dict[str, int] = {}
    for c in candidates:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    print(f"wrote the draft {out}: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    return 0


def run_suggest(args) -> int:
    rows = write_suggestions(_project(args).home, args.plan, args.out, args.year)
    print(f"wrote {len(rows)} suggested goal links to {args.out}: mark each row's verdict (accept or reject)")
    return 0


def run_apply(args) -> int:
    count = apply_review(args.plan, args.table)
    print(f"applied {count} goal links to {args.plan}")
    return 0


def run_check(args) -> int:
    result = check_plan(_project(args), args.plan)
    for finding in result.findings:
        print(finding.as_text(args.plan))
    counts = {s: sum(f.severity == s for f in result.findings) for s in ("Violation", "Warning", "Info")}
    print(
        f"{args.plan}: {counts['Violation']} violations, {counts['Warning']} warnings, {counts['Info']} infos "
        f"({result.seconds:.2f} s)"
    )
    return 0 if result.ok else 1
