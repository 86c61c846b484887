"""Checks that every passage's quote stands in its source text.

A quote matches when it occurs in the source after whitespace normalisation (every run
of white space, line breaks included, becomes one space); nothing else is normalised.
``epkg check-quotes`` lists the quotes that fail (and checks the sources' checksums).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from .graph import EPKG

_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


@lru_cache(maxsize=16)
def _normalised_source(path: Path) -> str:
    return normalise(path.read_text(encoding="utf-8"))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class QuoteProblem:
    passage: str
    problem: str

    def __str__(self) -> str:
        return f"{self.passage}: {self.problem}"


class _GraphFacts:
    """What the checks read, from an rdflib graph: terms as strings."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def subjects(self, predicate: URIRef, value: URIRef) -> list[str]:
        return [str(s) for s in self.graph.subjects(predicate, value)]

    def objects(self, subject: str, predicate: URIRef) -> list[str]:
        return [str(o) for o in self.graph.objects(URIRef(subject), predicate)]

    def pairs(self, predicate: URIRef) -> list[tuple[str, str]]:
        return [(str(s), str(o)) for s, o in self.graph.subject_objects(predicate)]


class _StoreFacts:
    """The same from a pyoxigraph store (its default graph), without copying it into rdflib."""

    def __init__(self, store: ox.Store):
        self.store = store

    def _quads(self, subject, predicate, value):
        return self.store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), value, ox.DefaultGraph())

    def subjects(self, predicate: URIRef, value: URIRef) -> list[str]:
        return [q.subject.value for q in self._quads(None, predicate, ox.NamedNode(str(value)))]

    def objects(self, subject: str, predicate: URIRef) -> list[str]:
        return [q.object.value for q in self._quads(ox.NamedNode(subject), predicate, None)]

    def pairs(self, predicate: URIRef) -> list[tuple[str, str]]:
        return [(q.subject.value, q.object.value) for q in self._quads(None, predicate, None)]


def _facts(data: Graph | ox.Store) -> _GraphFacts | _StoreFacts:
    return _StoreFacts(data) if isinstance(data, ox.Store) else _GraphFacts(data)


def recorded_sources(data: Graph | ox.Store) -> list[tuple[str, str, str]]:
    """(document, source file name, its recorded SHA-256) for every document with a source file."""
    facts = _facts(data)
    return sorted(
        (document, name, (facts.objects(document, EPKG.sha256) or ["None"])[0])
        for document, name in facts.pairs(EPKG.sourceFile)
    )


def check_passages(data: Graph | ox.Store, sources_dir: Path) -> tuple[int, list[QuoteProblem]]:
    """Returns how many passages were checked and what is wrong with any of them."""
    facts = _facts(data)
    problems: list[QuoteProblem] = []
    passages = sorted(set(facts.subjects(RDF.type, EPKG.Passage)))
    for passage in passages:
        quotes = facts.objects(passage, EPKG.quote)
        documents = facts.objects(passage, EPKG.inDocument)
        if len(quotes) != 1 or len(documents) != 1:
            problems.append(
                QuoteProblem(
                    passage,
                    f"needs exactly one quote and one document, has {len(quotes)} and {len(documents)}",
                )
            )
            continue
        files = facts.objects(documents[0], EPKG.sourceFile)
        if len(files) != 1:
            problems.append(QuoteProblem(passage, f"document {documents[0]} has no single epkg:sourceFile"))
            continue
        path = sources_dir / files[0]
        if not path.is_file():
            problems.append(QuoteProblem(passage, f"source file {path} does not exist"))
            continue
        quote = normalise(quotes[0])
        if not quote:
            problems.append(QuoteProblem(passage, "empty quote"))
        elif quote not in _normalised_source(path):
            problems.append(QuoteProblem(passage, f"quote not found in {files[0]}: {quote[:120]!r}"))
    return len(passages), problems
