"""Parameter sweeps: each question asked with many values, not just its example.

A store that answers a question's example right can still answer it wrong for another
goal, year or group (Virtuoso 7.2.5 did: its plans change with the values). So the
cross-store tests ask every question once per value of each parameter, with the other
parameters at their example values, plus once with every optional parameter left out.
The values come from the graph itself (every goal year and number, every municipality,
every shared target group...), so new data is swept without touching this file.
"""

from __future__ import annotations

from api.catalogue import Question
from api.graph import BASE, sparql_prologue
from api.parameters import TYPES, class_name, kind_values, scheme_values
from api.store import Store

# Days around the plans' periods (2015-2020), for the date parameters.
DAYS = ("2015-06-30", "2016-01-01", "2017-01-01", "2017-12-31", "2018-06-30", "2019-06-01", "2020-12-31")
# Words the plans use often, rarely and never, for the free-text parameter.
WORDS = ("unge", "flygtninge", "sygedagpenge", "virksomhed", "IGU", "Jobcenter", "ingen-saadan-tekst")

# Per parameter type (and, for "resource", per parameter name): the SELECT giving its values.
# Each query selects ?value; IRIs are given as paths under BASE, as a user would type them.
_VALUES = {
    # The goals' years and the years plans start in (a year with plans and no goals is asked too).
    "year": (
        "SELECT DISTINCT ?value WHERE { { ?g a epkg:MinisterGoal ; epkg:goalYear ?y BIND (STR(?y) AS ?value) }"
        " UNION { ?p epkg:sourceFile ?f ; epkg:periodStart ?s BIND (SUBSTR(STR(?s), 1, 4) AS ?value) } }"
    ),
    "integer": "SELECT DISTINCT (STR(?n) AS ?value) WHERE { ?g a epkg:MinisterGoal ; epkg:goalNumber ?n }",
    "kommunekode": "SELECT DISTINCT ?value WHERE { ?m epkg:municipalityCode ?value }",
    "target-group": "SELECT DISTINCT ?value WHERE { ?value skos:inScheme <https://w3id.org/epkg/target-group> }",
    "document": "SELECT DISTINCT ?value WHERE { ?value epkg:sourceFile ?file }",
    "organisation": "SELECT DISTINCT ?value WHERE { { ?p epkg:funder ?value } UNION { ?p epkg:partner ?value } }",
    "lineage": "SELECT DISTINCT ?value WHERE { ?value a epkg:GoalLineage }",
    # One resource of every class (the first by IRI), for "any resource of the graph": the
    # resources the graph mints (kind/slug paths), not the ontology's terms.
    "resource": (
        "SELECT (MIN(STR(?r)) AS ?value) WHERE { ?r a ?class"
        ' FILTER (REGEX(STR(?r), "^https://w3id.org/epkg/[a-z][a-z0-9-]*/[a-z0-9]")) } GROUP BY ?class'
    ),
}


def _domain(name: str, type_name: str, store: Store) -> list[str]:
    if type_name in ("basis", "specificity", "unit"):
        return list(scheme_values(type_name))
    if type_name == "date":
        return list(DAYS)
    if type_name == "text":
        return list(WORDS)
    if type_name == "kind":  # the kinds of the resources that serve a goal, as the parameter names them
        query = sparql_prologue() + "SELECT DISTINCT ?c WHERE { ?l epkg:linkSubject ?r . ?r a ?c }"
        kinds = {class_name(str(row[0])) for row in store.select(query).rows if row[0] is not None}
        return sorted(kinds & set(kind_values()))
    key = name if type_name == "resource" and name in _VALUES else type_name
    query = sparql_prologue() + _VALUES[key]
    values = sorted({str(row[0]) for row in store.select(query).rows if row[0] is not None})
    prefix = BASE + "target-group/" if type_name == "target-group" else BASE
    return [v.removeprefix(prefix) for v in values if _accepted(type_name, v)]


def _accepted(type_name: str, value: str) -> bool:
    """Whether a user could give the value (e.g. not an IRI with an underscore as a resource)."""
    try:
        TYPES[type_name].convert(value)
    except ValueError:
        return False
    return True


def parameter_sets(question: Question, store: Store) -> list[dict[str, str]]:
    """The example, the example without its optional parameters, and the example with each
    parameter in turn set to each value of its domain; without repeats, in a stable order."""
    example = question.example_params()
    sets = [example, {p.name: example[p.name] for p in question.parameters if p.required}]
    for parameter in question.parameters:
        for value in _domain(parameter.name, parameter.type, store):
            sets.append({**example, parameter.name: value})
    unique: dict[tuple, dict[str, str]] = {}
    for params in sets:
        unique.setdefault(tuple(sorted(params.items())), params)
    return list(unique.values())
