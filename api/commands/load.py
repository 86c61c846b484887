"""``epkg load``: put ontology and data into a SPARQL server, one named graph per source document."""

from __future__ import annotations

import os
import sys

from ..errors import EpkgError
from ..graph import Project
from ..publish import load
from ..service import startup_check

PASSWORD_VARIABLE = "EPKG_LOAD_PASSWORD"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "load",
        help="validate, then load ontology and data into a SPARQL server (one named graph per document)",
        description="Checks ontology and data as `epkg serve` does (SHACL shapes and quotes, remembered by "
        "content hash; data with violations is refused), "
        "then replaces the named graphs https://w3id.org/epkg/graph/{ontology,reference,<document>} in a "
        "SPARQL 1.1 store through the Graph Store Protocol, and prints the triples per graph. Loading twice "
        "leaves the same data. Queries must see the union of the graphs: start Oxigraph with "
        "--union-default-graph (Virtuoso does it by default). See docs/deploy.md.",
    )
    parser.add_argument(
        "--endpoint",
        required=True,
        metavar="URL",
        help="the store's SPARQL query endpoint (Oxigraph: http://HOST:7878/query; Virtuoso: http://HOST:8890/sparql)",
    )
    parser.add_argument(
        "--graph-store",
        metavar="URL",
        help="its Graph Store Protocol URL where it differs from the endpoint "
        "(Oxigraph: http://HOST:7878/store; Virtuoso: http://HOST:8890/sparql-graph-crud-auth)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help=f"a user allowed to write (Virtuoso: dba); the password is read from {PASSWORD_VARIABLE}",
    )
    parser.set_defaults(func=run)


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args) -> int:
    password = os.environ.get(PASSWORD_VARIABLE)
    if args.user and password is None:
        print(f"epkg load: --user {args.user} needs the password in {PASSWORD_VARIABLE}", file=sys.stderr)
        return 2
    try:
        project = Project.from_settings()
        # The same check as `epkg serve`, remembered by the files' content hash: SHACL
        # validation takes minutes on a large graph, and unchanged data need not pay it again.
        _progress("checking ontology and data (SHACL shapes, quotes)…")
        check = startup_check(project)
        _progress(check.summary())
        if not check.ok:
            print(
                "epkg load: the data has violations or broken quotes and was not loaded; "
                "run `epkg validate` and `epkg check-quotes`",
                file=sys.stderr,
            )
            return 1
        report = load(
            project,
            args.endpoint,
            graph_store=args.graph_store,
            user=args.user,
            password=password,
            progress=_progress,
            check=False,  # checked above
        )
    except EpkgError as exc:
        print(f"epkg load: {exc.message}", file=sys.stderr)
        return exc.exit_code
    width = max(len(iri) for iri in report.counts)
    for iri, count in report.counts.items():
        print(f"{iri:<{width}}  {count:>7}")
    print(f"{'total':<{width}}  {report.total:>7}")
    for iri in report.removed:
        print(f"removed {iri}", file=sys.stderr)
    timing = ", ".join(f"{phase} {s:.1f} s" for phase, s in report.seconds.items())
    _progress(f"loaded {len(report.counts)} graphs, {report.total} triples ({timing})")
    if not report.union_default_graph:
        _progress(
            "warning: a query without GRAPH does not see the data, so the questions will find nothing here: "
            "start the store with its union-default-graph setting (oxigraph serve --union-default-graph); "
            "see docs/deploy.md"
        )
    return 0
