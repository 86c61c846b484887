"""``epkg query``: ask a named question from the catalogue (queries/*.rq)."""

from __future__ import annotations

import asyncio
import sys

from ..catalogue import UnknownQuestion, load_catalogue
from ..formats import FORMATS, render
from ..graph import Project
from ..parameters import ParameterError
from ..service import Service
from ..settings import get_settings
from ..store import BACKENDS


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "query",
        help="ask a named question of the graph (see --list)",
        description="Runs one question of the catalogue in queries/ with typed parameters.",
    )
    parser.add_argument("name", nargs="?", help="the question's name, e.g. measures-serving-goal")
    parser.add_argument("--list", action="store_true", help="list the questions and their parameters")
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter value; repeat for several",
    )
    parser.add_argument(
        "--format", "-f", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument("--store", choices=BACKENDS, help="where to run it (default: EPKG_STORE or oxigraph)")
    parser.add_argument("--endpoint", help="SPARQL endpoint URL for --store remote (default: EPKG_ENDPOINT)")
    parser.add_argument(
        "--show-query", action="store_true", help="print the query text with its bindings, don't run it"
    )
    parser.set_defaults(func=run)


def _list(catalogue) -> int:
    for question in catalogue.values():
        print(f"{question.name}\n  {question.question_en}\n  {question.question_da}")
        for p in question.parameters:
            need = "required" if p.required else "optional"
            print(f"    --param {p.name}=…  {need}, {p.help}; e.g. {p.example}. {p.description}")
        print(f"  example: {question.example}\n")
    print(f"{len(catalogue)} questions")
    return 0


def _parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ParameterError(pair, "write parameters as --param key=value")
        if key in params:
            raise ParameterError(key, "given twice")
        params[key] = value
    return params


def run(args) -> int:
    settings = get_settings().with_overrides(store=args.store, endpoint=args.endpoint)
    project = Project.from_settings(settings)
    catalogue = load_catalogue(project.queries_dir)
    if args.list:
        return _list(catalogue)
    if not args.name:
        print("epkg query: name a question, or --list them", file=sys.stderr)
        return 2
    if args.name not in catalogue:
        raise UnknownQuestion(args.name, sorted(catalogue))
    params = _parse_params(args.param)
    if args.show_query:
        question = catalogue[args.name]
        print(question.render(question.bind(params)))
        return 0
    service = Service.open(settings, pool=False)
    try:
        answer = asyncio.run(service.ask(args.name, params))
    finally:
        service.close()
    sys.stdout.write(render(answer.table, args.format))
    if args.format == "table":
        print(f"{service.store_description}; {answer.seconds * 1000:.1f} ms", file=sys.stderr)
    return 0
