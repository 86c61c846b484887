"""The false-negative sweep: every measure, target, objective and statement judged against every goal
of its plan's year, once, and the verdicts agree with the graph's goal links."""

from __future__ import annotations

import collections

import pytest
from rdflib import URIRef

from .review import BASE, SWEEP_REASONS, SWEEPS, sweep_pairs, sweep_rows

SERVES = URIRef(BASE + "ontology#servesGoal")


@pytest.mark.parametrize("document", sorted(SWEEPS))
def test_every_pair_is_judged_once_and_agrees_with_the_graph(graph, document):
    rows = sweep_rows(document)
    judged = collections.Counter((r["resource"], r["goal"]) for r in rows)
    assert set(judged) == sweep_pairs(graph, document)
    assert {pair for pair, n in judged.items() if n > 1} == set()
    links = {(str(s)[len(BASE) :], str(o)[len(BASE) :]) for s, o in graph.subject_objects(SERVES)}
    for row in rows:
        pair = (row["resource"], row["goal"])
        if row["verdict"] in ("linked", "added"):
            assert pair in links, row
        else:
            assert row["verdict"] == "none" and row["reason"] in SWEEP_REASONS and pair not in links, row
