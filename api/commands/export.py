"""``epkg export``: the published files, as the service serves them.

- ``--format ttl|nt|jsonld|rdf|trig|nq``: the dump (graph + its VoID/DCAT description; TriG and
  N-Quads with one named graph per source document);
- ``--format void``: the VoID/DCAT description alone (Turtle), with the dumps' sizes;
- ``--format context``: the JSON-LD context;
- ``--format ontology-html`` / ``shapes-html``: the documentation pages;
- ``--format catalogue``: the question catalogue as data (the committed data/catalogue/questions.ttl);
- ``--format iris``: docs/published-iris.txt, the list of published IRIs, grown by the current ones
  (never shrunk);
- ``--format all --output DIR``: every dump, the description and the context into DIR.

Download URLs in the description use ``--base-url`` (default: the w3id.org base).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..catalogue import load_catalogue
from ..dataset import (
    CATALOGUE_FILE,
    DEFAULT_PUBLIC_BASE,
    DUMP_FORMATS,
    PUBLISHED_IRIS,
    Publication,
    catalogue_turtle,
    context_json,
    dump_format,
    merged_iri_list,
    ontology_html,
    read_iri_list,
    shapes_html,
)
from ..errors import UserError
from ..graph import Project

OTHER = ("void", "context", "ontology-html", "shapes-html", "catalogue", "iris", "all")
CHOICES = tuple(f.ext for f in DUMP_FORMATS) + OTHER


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the published files: dumps, VoID/DCAT, JSON-LD context, docs, catalogue, IRI list",
    )
    parser.add_argument(
        "--format",
        "-f",
        required=True,
        metavar="FORMAT",
        help=f"one of: {', '.join(CHOICES)} (dump formats also by name: turtle, ntriples, json-ld, rdfxml, nquads)",
    )
    parser.add_argument(
        "--output",
        "-o",
        help="file to write (a folder for --format all); default: standard output, or the committed file "
        "for catalogue and iris",
    )
    parser.add_argument(
        "--base-url", default=DEFAULT_PUBLIC_BASE, help="where clients download from (default: %(default)s)"
    )
    parser.set_defaults(func=run)


def _write(data: bytes, output: str | None, what: str) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {what} to {path} ({len(data):,} bytes)", file=sys.stderr)


def run(args) -> int:
    project = Project.from_settings()
    fmt = args.format.lower()
    if fmt not in OTHER:
        try:
            chosen = dump_format(fmt)
        except UserError:
            raise UserError(f"--format {args.format!r}: choose one of {', '.join(CHOICES)}") from None
        _write(Publication(project).dump(chosen, args.base_url), args.output, f"the {chosen.name} dump")
        return 0
    if fmt == "catalogue":
        data = catalogue_turtle(load_catalogue(project.queries_dir))
        _write(data, args.output or str(project.home / CATALOGUE_FILE), "the question catalogue")
        return 0
    publication = Publication(project)
    if fmt == "void":
        description = publication.description(args.base_url, publication.sizes(args.base_url))
        _write(
            description.serialize(format="turtle", encoding="utf-8"), args.output, "the VoID/DCAT description"
        )
    elif fmt == "context":
        _write(context_json(publication), args.output, "the JSON-LD context")
    elif fmt == "ontology-html":
        _write(ontology_html(project).encode(), args.output, "the ontology documentation")
    elif fmt == "shapes-html":
        _write(shapes_html(publication).encode(), args.output, "the shapes documentation")
    elif fmt == "iris":
        target = Path(args.output or project.home / PUBLISHED_IRIS)
        existing = read_iri_list(target)
        current = publication.published_iris()
        text = merged_iri_list(existing, current)
        _write(
            text.encode(),
            str(target),
            f"{len(set(existing) | current):,} IRIs ({len(current - set(existing)):,} new)",
        )
    else:  # all
        if not args.output:
            raise UserError("--format all writes several files: give a folder with --output")
        folder = Path(args.output)
        sizes = publication.sizes(args.base_url)
        for f in DUMP_FORMATS:
            _write(publication.dump(f, args.base_url), str(folder / f"dump.{f.ext}"), f"the {f.name} dump")
        description = publication.description(args.base_url, sizes)
        _write(
            description.serialize(format="turtle", encoding="utf-8"), str(folder / "void.ttl"), "VoID/DCAT"
        )
        _write(context_json(publication), str(folder / "context.jsonld"), "the JSON-LD context")
    return 0
