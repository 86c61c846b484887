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

from rdflib import RDF, Graph

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


def check_passages(graph: Graph, sources_dir: Path) -> tuple[int, list[QuoteProblem]]:
    """Returns how many passages were checked and what is wrong with any of them."""
    problems: list[QuoteProblem] = []
    passages = sorted(set(graph.subjects(RDF.type, EPKG.Passage)), key=str)
    for passage in passages:
        quotes = list(graph.objects(passage, EPKG.quote))
        documents = list(graph.objects(passage, EPKG.inDocument))
        if len(quotes) != 1 or len(documents) != 1:
            problems.append(
                QuoteProblem(
                    str(passage),
                    f"needs exactly one quote and one document, has {len(quotes)} and {len(documents)}",
                )
            )
            continue
        files = list(graph.objects(documents[0], EPKG.sourceFile))
        if len(files) != 1:
            problems.append(
                QuoteProblem(str(passage), f"document {documents[0]} has no single epkg:sourceFile")
            )
            continue
        path = sources_dir / str(files[0])
        if not path.is_file():
            problems.append(QuoteProblem(str(passage), f"source file {path} does not exist"))
            continue
        quote = normalise(str(quotes[0]))
        if not quote:
            problems.append(QuoteProblem(str(passage), "empty quote"))
        elif quote not in _normalised_source(path):
            problems.append(QuoteProblem(str(passage), f"quote not found in {files[0]}: {quote[:120]!r}"))
    return len(passages), problems
