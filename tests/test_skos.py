"""SKOS quality over the whole graph (ontology, schemes, reference data and plans).

Each rule is a function from a graph to its offenders, sorted; the shipped graph has none.
The rules follow the SKOS Reference's integrity conditions and the checks of the usual SKOS
quality tools (qSKOS, Skosify): labels, schemes and top concepts, definitions, the hierarchy
stated in both directions and free of cycles, and mapping and associative links that do not
contradict it. Every rule is also run on a small broken graph, so that none can pass vacuously.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from api.graph import BASE

LANGUAGES = {"da", "en"}
Rule = Callable[[Graph], list]


def concepts(g: Graph) -> set[URIRef]:
    """Everything that is a skos:Concept: typed so, typed with a subclass of it, or in a scheme."""
    classes = {SKOS.Concept} | set(g.transitive_subjects(RDFS.subClassOf, SKOS.Concept))
    found = {s for c in classes for s in g.subjects(RDF.type, c)}
    found |= set(g.subjects(SKOS.inScheme, None))
    return {c for c in found if isinstance(c, URIRef)}


def schemes(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)}


def _languages(g: Graph, s: URIRef, p: URIRef) -> Counter:
    return Counter(o.language for o in g.objects(s, p) if isinstance(o, Literal))


def one_preflabel_per_language(g: Graph) -> list:
    """Exactly one skos:prefLabel in Danish and one in English, and none in another language (S14)."""
    return sorted(
        (str(c), dict(n))
        for c in concepts(g)
        if set(n := _languages(g, c, SKOS.prefLabel)) != LANGUAGES or max(n.values()) > 1
    )


def definitions_in_both_languages(g: Graph) -> list:
    """A skos:definition in Danish and one in English."""
    return sorted(
        (str(c), sorted(str(lang) for lang in n))
        for c in concepts(g)
        if set(n := _languages(g, c, SKOS.definition)) != LANGUAGES
    )


def in_a_declared_scheme(g: Graph) -> list:
    """Every concept is in at least one scheme, and every scheme it is in is a skos:ConceptScheme."""
    declared = schemes(g)
    return sorted(
        str(c)
        for c in concepts(g)
        if not (found := set(g.objects(c, SKOS.inScheme))) or not found <= declared
    )


def every_scheme_has_top_concepts(g: Graph) -> list:
    return sorted(str(s) for s in schemes(g) if g.value(s, SKOS.hasTopConcept) is None)


def top_concepts_stated_both_ways(g: Graph) -> list:
    """skos:hasTopConcept and skos:topConceptOf are inverses: each is stated where the other is."""
    one = {(s, c) for s, c in g.subject_objects(SKOS.hasTopConcept)}
    other = {(s, c) for c, s in g.subject_objects(SKOS.topConceptOf)}
    return sorted((str(s), str(c)) for s, c in one ^ other)


def top_concepts_are_in_their_scheme(g: Graph) -> list:
    return sorted(
        (str(s), str(c)) for s, c in g.subject_objects(SKOS.hasTopConcept) if (c, SKOS.inScheme, s) not in g
    )


def top_concepts_have_no_broader_in_their_scheme(g: Graph) -> list:
    return sorted(
        (str(s), str(c))
        for c, s in g.subject_objects(SKOS.topConceptOf)
        for b in g.objects(c, SKOS.broader)
        if (b, SKOS.inScheme, s) in g
    )


def every_concept_is_reached_from_a_top_concept(g: Graph) -> list:
    """A concept with no broader concept in its scheme is one of the scheme's top concepts."""
    return sorted(
        (str(s), str(c))
        for c in concepts(g)
        for s in g.objects(c, SKOS.inScheme)
        if (c, SKOS.topConceptOf, s) not in g
        and not any((b, SKOS.inScheme, s) in g for b in g.objects(c, SKOS.broader))
    )


def hierarchy_stated_both_ways(g: Graph) -> list:
    """skos:broader and skos:narrower are inverses: each link is stated in both directions."""
    up = set(g.subject_objects(SKOS.broader))
    down = {(n, b) for b, n in g.subject_objects(SKOS.narrower)}
    return sorted((str(n), str(b)) for n, b in up ^ down)


def hierarchy_has_no_cycles(g: Graph) -> list:
    """No concept is broader than itself, directly or through others."""
    return sorted(
        str(c)
        for c in concepts(g)
        if any(c in set(g.transitive_objects(b, SKOS.broader)) for b in g.objects(c, SKOS.broader))
    )


def related_is_not_hierarchical(g: Graph) -> list:
    """skos:related is disjoint from skos:broaderTransitive (S27)."""
    clashes = []
    for a, b in g.subject_objects(SKOS.related):
        above_a, above_b = (
            set(g.transitive_objects(a, SKOS.broader)),
            set(g.transitive_objects(b, SKOS.broader)),
        )
        if b in above_a or a in above_b:
            clashes.append((str(a), str(b)))
    return sorted(clashes)


def preflabel_is_not_altlabel(g: Graph) -> list:
    """A label is not both preferred and alternative for one concept (S13)."""
    return sorted(
        (str(c), str(label))
        for c in concepts(g)
        for label in set(g.objects(c, SKOS.prefLabel)) & set(g.objects(c, SKOS.altLabel))
    )


def preflabels_unique_in_scheme(g: Graph) -> list:
    """No two concepts of one scheme share a preferred label in the same language."""
    seen: dict[tuple, set] = {}
    for c in concepts(g):
        for s in g.objects(c, SKOS.inScheme):
            for label in g.objects(c, SKOS.prefLabel):
                seen.setdefault((s, str(label).casefold(), label.language), set()).add(c)
    return sorted((str(s), text, lang) for (s, text, lang), cs in seen.items() if len(cs) > 1)


def exact_match_is_not_hierarchical(g: Graph) -> list:
    """skos:exactMatch is disjoint from skos:broadMatch and skos:narrowMatch for the same pair."""
    exact = set(g.subject_objects(SKOS.exactMatch))
    exact |= {(b, a) for a, b in exact}
    hierarchical = set(g.subject_objects(SKOS.broadMatch)) | set(g.subject_objects(SKOS.narrowMatch))
    return sorted((str(a), str(b)) for a, b in exact & hierarchical)


RULES: dict[str, Rule] = {
    rule.__name__: rule
    for rule in (
        one_preflabel_per_language,
        definitions_in_both_languages,
        in_a_declared_scheme,
        every_scheme_has_top_concepts,
        top_concepts_stated_both_ways,
        top_concepts_are_in_their_scheme,
        top_concepts_have_no_broader_in_their_scheme,
        every_concept_is_reached_from_a_top_concept,
        hierarchy_stated_both_ways,
        hierarchy_has_no_cycles,
        related_is_not_hierarchical,
        preflabel_is_not_altlabel,
        preflabels_unique_in_scheme,
        exact_match_is_not_hierarchical,
    )
}


def test_the_graph_has_the_concepts_and_schemes_it_should(graph):
    # 55 scheme values (status:draft included), 30 shared target groups, 44 plan target groups, 11 goals, 9 lineages
    assert len(concepts(graph)) == 149
    assert len(schemes(graph)) == 17


@pytest.mark.parametrize("name", sorted(RULES))
def test_the_shipped_graph_keeps_every_skos_rule(graph, name):
    assert RULES[name](graph) == []


# --- each rule can fail -------------------------------------------------------------------

BROKEN = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix epkg: <https://w3id.org/epkg/ontology#> .
@base <https://w3id.org/epkg/> .

<example/scheme> a skos:ConceptScheme ; skos:hasTopConcept <example/a> , <example/stray> .
<example/empty-scheme> a skos:ConceptScheme .

<example/a> a skos:Concept ; skos:inScheme <example/scheme> ; skos:topConceptOf <example/scheme> ;
    skos:prefLabel "a"@da , "a"@en , "alpha"@en ; skos:altLabel "a"@da ;
    skos:definition "a"@da , "a"@en ;
    skos:related <example/b> .
<example/b> a epkg:TargetGroup ; skos:inScheme <example/scheme> ; skos:broader <example/a> ;
    skos:prefLabel "A"@da , "b"@en ; skos:definition "b"@en ;
    skos:exactMatch <example/c> ; skos:broadMatch <example/c> .
<example/c> a skos:Concept ; skos:inScheme <example/undeclared> ; skos:broader <example/d> ;
    skos:prefLabel "c"@da , "c"@en ; skos:definition "c"@da , "c"@en .
<example/d> a skos:Concept ; skos:inScheme <example/scheme> ; skos:broader <example/c> ; skos:narrower <example/c> ;
    skos:topConceptOf <example/scheme> ;
    skos:prefLabel "d"@da , "d"@en ; skos:definition "d"@da , "d"@en .
"""

B = BASE + "example/"
EXPECTED = {
    "one_preflabel_per_language": [(B + "a", {"da": 1, "en": 2})],
    "definitions_in_both_languages": [(B + "b", ["en"])],
    "in_a_declared_scheme": [B + "c"],
    "every_scheme_has_top_concepts": [B + "empty-scheme"],
    "top_concepts_stated_both_ways": [(B + "scheme", B + "d"), (B + "scheme", B + "stray")],
    "top_concepts_are_in_their_scheme": [(B + "scheme", B + "stray")],
    "top_concepts_have_no_broader_in_their_scheme": [],
    "every_concept_is_reached_from_a_top_concept": [(B + "undeclared", B + "c")],
    "hierarchy_stated_both_ways": [(B + "b", B + "a"), (B + "d", B + "c")],
    "hierarchy_has_no_cycles": [B + "c", B + "d"],
    "related_is_not_hierarchical": [(B + "a", B + "b")],
    "preflabel_is_not_altlabel": [(B + "a", "a")],
    "preflabels_unique_in_scheme": [(B + "scheme", "a", "da")],
    "exact_match_is_not_hierarchical": [(B + "b", B + "c")],
}


@pytest.fixture(scope="module")
def broken() -> Graph:
    return Graph().parse(data=BROKEN, format="turtle")


def test_every_rule_has_a_broken_example():
    assert set(EXPECTED) == set(RULES)


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_rule_finds_exactly_what_is_wrong_in_the_broken_example(broken, name):
    assert RULES[name](broken) == EXPECTED[name]


def test_a_top_concept_with_a_broader_concept_in_its_scheme_is_found(broken):
    g = Graph() + broken
    g.add((URIRef(B + "a"), SKOS.broader, URIRef(B + "d")))
    assert top_concepts_have_no_broader_in_their_scheme(g) == [(B + "scheme", B + "a")]
