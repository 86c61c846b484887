"""The service's builder process: ``init_builder`` starts it on a project and the service's public
base URL, ``task`` builds one published document there (the routes submit ``task`` to a spawned
process pool by name)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rdflib.namespace import OWL

from ..children import die_with_parent
from ..errors import ProjectError
from ..graph import Project
from .docs import ontology_html
from .formats import serialize
from .publication import Publication, description_bytes
from .templates import dataset_html, shapes_html
from .terms import SHAPES_DOC

# The service builds all of this in one separate process (rdflib holds the GIL for seconds,
# which would stall the event loop); ``task`` runs there on the process's own Publication.
_builder: Publication | None = None
_base = ""  # the service's public base URL: fixed for the process, so no task names it


def init_builder(home: str, base: str) -> None:
    global _builder, _base
    die_with_parent()
    try:
        os.nice(10)  # behind the event loop and the query workers when they want the CPU
    except OSError:
        pass
    _builder = Publication(Project(home=Path(home)))
    _base = base


def task(name: str, *args: str) -> Any:
    p = _builder
    if p is None:  # pragma: no cover - the initializer always ran
        raise ProjectError("the publication builder has no project")
    if name == "ontology.html":
        return ontology_html(p.project)
    if name == "shapes.html":
        return shapes_html(p)
    if name == "dataset.html":
        return dataset_html(p, _base)
    if name == "void":
        return description_bytes(p, _base, args[0])
    if name == "dump":
        return p.dump(args[0], _base)
    if name == "graph":
        return serialize(p.graph_dump(args[0]), args[1], p.context["@context"])
    if name == "graph-names":
        return [g.name for g in p.graphs]
    if name == "versions":
        shapes_version = p.shapes.value(SHAPES_DOC, OWL.versionInfo)
        return {
            "ontology": p.ontology_version,
            "shapes": str(shapes_version or ""),
            "dataset": p.release.version,
        }
    if name == "ontology":
        return serialize(p.ontology, args[0])
    if name == "shapes":
        return serialize(p.shapes, args[0])
    if name == "context":
        return p.context
    if name == "counts":
        return p.counts.triples
    raise ValueError(f"no publication task {name!r}")
