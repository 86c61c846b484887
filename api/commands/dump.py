"""``epkg dump``: the merged graph (ontology + data) in one RDF file, e.g. to load a server."""

from __future__ import annotations

import sys

from ..graph import Project, load_graph

FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "jsonld": "json-ld", "rdfxml": "xml"}


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("dump", help="write the merged ontology and data as one RDF file")
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="turtle", help="RDF syntax (default: turtle)"
    )
    parser.add_argument("--output", "-o", help="file to write (default: standard output)")
    parser.set_defaults(func=run)


def run(args) -> int:
    graph = load_graph(Project.from_settings())
    data = graph.serialize(format=FORMATS[args.format], encoding="utf-8")
    if args.output:
        with open(args.output, "wb") as out:
            out.write(data)
        print(f"wrote {len(graph)} triples to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0
