"""The guard refuses what the endpoint never runs, on tokens, whatever the spelling."""

from __future__ import annotations

import pytest

from api.errors import PayloadTooLarge, UserError
from api.guard import Limits, vet

ALLOWED = {
    "SELECT * WHERE { ?s ?p ?o }": "SELECT",
    "ask { ?s ?p ?o }": "ASK",
    "CONSTRUCT { ?s ?p ?o } WHERE { SELECT * { ?s ?p ?o } LIMIT 1 }": "CONSTRUCT",
    "DESCRIBE <https://w3id.org/epkg/minister-goal/2017/4>": "DESCRIBE",
    # The forbidden words as IRIs, prefixed names, variables, strings, language tags and comments.
    "PREFIX ex: <http://e/> SELECT ?service WHERE { ?s ex:from ?o ; ex:SERVICE 'SERVICE' # SERVICE\n }": "SELECT",
    "SELECT * WHERE { ?s <http://example.org/LOAD> \"\"\"INSERT { } \"quoted\" \"\"\" }": "SELECT",
    "SELECT * WHERE { ?s ?p 'drop'@en . FILTER (?o < 3 && ?o > 1) }": "SELECT",
    "SELECT * WHERE { ?s ?p ?o } VALUES ?o { 1 2 3 }": "SELECT",
}

REFUSED = {
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }": "SERVICE",
    "select * where { service silent <http://x/> { ?s ?p ?o } }": "SERVICE",
    "SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }": "SERVICE",
    "PREFIX r: <http://x/> SELECT * WHERE { SeRvIcE r:q { ?s ?p ?o } }": "SERVICE",
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }": "SERVICE",
    "SELECT * WHERE { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }": "SERVICE",
    "SELECT * FROM <http://x/> WHERE { ?s ?p ?o }": "FROM",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }": "FROM",
    "INSERT DATA { <a:b> <a:c> <a:d> }": "INSERT",
    "DELETE WHERE { ?s ?p ?o }": "DELETE",
    "LOAD <http://x/data.ttl>": "LOAD",
    "CLEAR ALL": "CLEAR",
    "DROP GRAPH <http://x/>": "DROP",
    "CREATE GRAPH <http://x/>": "CREATE",
    "WITH <http://x/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }": "WITH",
    "PREFIX x: <http://x/> SELECT 1": "no SELECT",  # no WHERE, but a SELECT: engine decides
}


@pytest.mark.parametrize("text,form", ALLOWED.items())
def test_allowed(text, form):
    assert vet(text).form == form


@pytest.mark.parametrize("text,word", [(t, w) for t, w in REFUSED.items() if w != "no SELECT"])
def test_refused(text, word):
    with pytest.raises(UserError) as caught:
        vet(text)
    assert caught.value.status == 400
    assert word in caught.value.message


@pytest.mark.parametrize("text", ["", "   ", "PREFIX x: <http://x/>", "hello world"])
def test_not_a_query(text):
    with pytest.raises(UserError):
        vet(text)


def test_depth_limit_refuses_the_stack_bomb():
    with pytest.raises(UserError, match="deeper than 64"):
        vet("SELECT * WHERE " + "{" * 3000 + "}" * 3000)
    assert vet("SELECT * WHERE " + "{" * 60 + "}" * 60).form == "SELECT"


def test_length_and_values_limits_are_413():
    with pytest.raises(PayloadTooLarge):
        vet("SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000)
    with pytest.raises(PayloadTooLarge, match="VALUES"):
        vet("SELECT * WHERE { VALUES ?x { " + "1 " * 10_001 + "} }")
    assert vet("SELECT * WHERE { VALUES ?x { 1 2 } }", Limits(max_values=2)).form == "SELECT"


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p '\ud800' }", "SELECT * WHERE { ?s ?p '\\ud800' }", "SELECT \x00"])
def test_invalid_text(text):
    with pytest.raises(UserError):
        vet(text)
