"""The ontology, reference data and shapes a single-plan check needs, read once and kept in
``<home>/.cache/epkg/`` (git-ignored) under the hash of the files' names and contents: the
next check loads one pickle instead of parsing eleven Turtle files. A changed file is a new
key; a cache that cannot be read or written is only slower, never wrong."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import Graph

from ..errors import ProjectError
from ..graph import Project, new_graph
from .fastrdf import read_turtle

CACHE_FORMAT = 1  # raise when Reference changes shape


@dataclass(frozen=True)
class Reference:
    data: Graph  # ontology and reference data
    ntriples: str  # the same, as N-Triples, for the SHACL engine
    shapes: Graph


def reference_files(project: Project) -> list[Path]:
    return sorted((project.home / "ontology").glob("*.ttl")) + sorted(
        (project.home / "data" / "reference").glob("*.ttl")
    )


def _key(files: list[Path]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT} {rdflib.__version__} {sys.version}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cache_dir(project: Project) -> Path:
    return project.home / ".cache" / "epkg"


def load_reference(project: Project) -> Reference:
    files, shape_files = reference_files(project), project.shape_files()
    path = cache_dir(project) / f"check-{_key(files + shape_files)}.pickle"
    try:
        with path.open("rb") as cached:
            found = pickle.load(cached)
        if isinstance(found, Reference):
            return found
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        pass  # no cache yet, or one from another version: read the files
    reference = Reference(*_parse(files), _parse(shape_files)[0])
    _store(path, reference)
    return reference


def _parse(files: list[Path]) -> tuple[Graph, str]:
    try:
        parsed = read_turtle(files, new_graph())
    except SyntaxError as exc:
        raise ProjectError(f"not valid Turtle: {' '.join(str(exc).split())[:500]}") from None
    return parsed.graph, parsed.ntriples


def _store(path: Path, reference: Reference) -> None:
    """Atomically, replacing older caches of the check; silently skipped where it cannot write."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as out:
            pickle.dump(reference, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
        for old in path.parent.glob("check-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
