"""Counting the graph for VoID: triples, entities, class and property partitions, vocabularies,
and how many resources carry a label in each language."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..graph import BASE
from .terms import namespace_of


@dataclass(frozen=True)
class Counts:
    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[URIRef, int]  # class -> instances
    properties: dict[URIRef, tuple[int, int, int]]  # property -> (triples, subjects, objects)
    vocabularies: tuple[str, ...]
    labels: dict[URIRef, dict[str, tuple[int, int]]]  # label property -> language -> (triples, subjects)


def count(graph: Graph) -> Counts:
    classes: dict[Any, set] = defaultdict(set)
    per_property: dict[Any, list] = defaultdict(lambda: [0, set(), set()])
    labels: dict[Any, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, set()]))
    subjects, objects = set(), set()
    for s, p, o in graph:
        subjects.add(s)
        objects.add(o)
        entry = per_property[p]
        entry[0] += 1
        entry[1].add(s)
        entry[2].add(o)
        if p == RDF.type and isinstance(o, URIRef):
            classes[o].add(s)
        if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, Literal):
            cell = labels[p][o.language or ""]
            cell[0] += 1
            cell[1].add(s)
    vocabularies = {namespace_of(str(p)) for p in per_property} | {namespace_of(str(c)) for c in classes}
    entities = {s for s in subjects if isinstance(s, URIRef) and str(s).startswith(BASE)}
    return Counts(
        triples=len(graph),
        entities=len(entities),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        classes={c: len(members) for c, members in classes.items()},
        properties={p: (e[0], len(e[1]), len(e[2])) for p, e in per_property.items()},
        vocabularies=tuple(sorted(vocabularies)),
        labels={p: {lang: (c[0], len(c[1])) for lang, c in langs.items()} for p, langs in labels.items()},
    )
