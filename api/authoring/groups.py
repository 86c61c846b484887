"""Which shared target groups (data/reference/target-groups.ttl) a text names, and which
groups are disjoint: the words are the groups' own Danish labels and the extra words of
lexicon.toml [groups]."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ..graph import BASE, EPKG
from .lexicon import lexicon, word_pattern

TARGET_GROUPS_FILE = Path("data/reference/target-groups.ttl")
GROUP_BASE = BASE + "target-group/"


@dataclass(frozen=True)
class GroupMention:
    group: str  # slug of the shared group
    words: str  # the words of the text that name it


class GroupScheme:
    """The shared scheme read once: its words and its broader/narrower closure."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._ancestors: dict[str, frozenset[str]] = {}
        self._mentions: dict[str, list[GroupMention]] = {}

    @classmethod
    def load(cls, home: Path) -> GroupScheme:
        return cls(Graph().parse(home / TARGET_GROUPS_FILE, format="turtle"))

    @cached_property
    def slugs(self) -> list[str]:
        return sorted(str(g)[len(GROUP_BASE) :] for g in self.graph.subjects(RDF.type, EPKG.TargetGroup))

    @cached_property
    def terms(self) -> dict[str, list[str]]:
        extra = lexicon()["groups"]
        terms = {}
        for slug in self.slugs:
            group = URIRef(GROUP_BASE + slug)
            labels = [
                str(label).lower()
                for p in (SKOS.prefLabel, SKOS.altLabel)
                for label in self.graph.objects(group, p)
                if getattr(label, "language", None) == "da"
            ]
            terms[slug] = labels + [w.lower() for w in extra.get(slug, [])]
        return terms

    @cached_property
    def patterns(self) -> dict[str, re.Pattern[str]]:
        return {slug: word_pattern(words) for slug, words in self.terms.items()}

    def mentions(self, text: str) -> list[GroupMention]:
        """The shared groups the text names, most specific first (a narrower group before its broader);
        worked out once per text (a resource's words are asked about for every goal)."""
        if text in self._mentions:
            return self._mentions[text]
        found = []
        for slug, pattern in self.patterns.items():
            match = pattern.search(text)
            if match:
                found.append(GroupMention(slug, match.group(0)))
        self._mentions[text] = sorted(found, key=lambda m: (-len(self.ancestors(m.group)), m.group))
        return self._mentions[text]

    def ancestors(self, slug: str) -> frozenset[str]:
        """The group and every broader group (worked out once per group)."""
        if slug not in self._ancestors:
            self._ancestors[slug] = frozenset(self._walk_broader(slug))
        return self._ancestors[slug]

    def _walk_broader(self, slug: str) -> set[str]:
        seen, todo = {slug}, [slug]
        while todo:
            node = URIRef(GROUP_BASE + todo.pop())
            broaders = set(self.graph.objects(node, SKOS.broader)) | set(
                self.graph.subjects(SKOS.narrower, node)
            )
            for broader in broaders:
                name = str(broader)[len(GROUP_BASE) :]
                if name not in seen:
                    seen.add(name)
                    todo.append(name)
        return seen

    def overlaps(self, one: str, other: str) -> bool:
        """Whether one group is the other, or narrower or broader than it (else: disjoint)."""
        return one in self.ancestors(other) or other in self.ancestors(one)
