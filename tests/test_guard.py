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
    'SELECT * WHERE { ?s <http://example.org/LOAD> """INSERT { } "quoted" """ }': "SELECT",
    "SELECT * WHERE { ?s ?p 'drop'@en . FILTER (?o < 3 && ?o > 1) }": "SELECT",
    "SELECT * WHERE { ?s ?p ?o } VALUES ?o { 1 2 3 }": "SELECT",
    # FROM and FROM NAMED choose among the store's own graphs (tests/test_named_graphs.py): allowed.
    "SELECT * FROM <http://x/> WHERE { ?s ?p ?o }": "SELECT",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }": "SELECT",
    "ASK FROM <https://w3id.org/epkg/graph/ontology> { ?s ?p ?o }": "ASK",
    # DEFINE as anything but a bare word.
    "PREFIX define: <http://e/> SELECT ?define WHERE { ?s define:x 'define' }": "SELECT",
}

REFUSED = {
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }": "SERVICE",
    "select * where { service silent <http://x/> { ?s ?p ?o } }": "SERVICE",
    "SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }": "SERVICE",
    "PREFIX r: <http://x/> SELECT * WHERE { SeRvIcE r:q { ?s ?p ?o } }": "SERVICE",
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }": "SERVICE",
    "SELECT * WHERE { OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }": "SERVICE",
    'define get:soft "soft" SELECT * FROM <http://x/> WHERE { ?s ?p ?o }': "DEFINE",
    'DEFINE input:grab-all "yes" SELECT * WHERE { <http://x/> ?p ?o }': "DEFINE",
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


@pytest.mark.parametrize(
    "text", ["SELECT * WHERE { ?s ?p '\ud800' }", "SELECT * WHERE { ?s ?p '\\ud800' }", "SELECT \x00"]
)
def test_invalid_text(text):
    with pytest.raises(UserError):
        vet(text)


# --- codepoint escapes: the guard reads a text as every engine does ------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from .canary import ESCAPES, QUOTES, canary_url, escape_variants  # noqa: E402


def test_every_escape_trick_of_the_class_is_refused():
    texts = escape_variants("http://127.0.0.1:9")
    assert len(texts) == len(ESCAPES) * len(QUOTES) * 3
    for name, text in texts.items():
        with pytest.raises(UserError) as caught:
            vet(text)
        assert caught.value.status == 400, name


@pytest.mark.parametrize(
    "escape,char",
    [
        ("\\u005C", "REVERSE SOLIDUS"),
        ("\\u0022", "QUOTATION MARK"),
        ("\\U00000027", "APOSTROPHE"),
        ("\\u003e", "GREATER-THAN SIGN"),
        ("\\u0023", "NUMBER SIGN"),
        ("\\u0020", "SPACE"),
        ("\\u007B", "LEFT CURLY BRACKET"),
    ],
)
def test_an_escape_of_a_character_with_a_role_is_refused_and_named(escape, char):
    with pytest.raises(UserError) as caught:
        vet(f'SELECT ?a WHERE {{ BIND("x{escape}y" AS ?a) }}')
    assert caught.value.message.startswith(
        f"the query writes {escape!r} for {char!r}, a character with a role"
    )


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?a WHERE { BIND("\\u00e6\\u00F8\\u00e5" AS ?a) }',  # æøå
        "SELECT ?a WHERE { BIND(<http://example.org/\\u0041> AS ?a) }",
        "SELECT ?a WHERE { BIND('\\U0001F600' AS ?a) }",
        'SELECT ?a WHERE { BIND("a\\\\b \\" \\u0041" AS ?a) }',  # ordinary escapes stay allowed
    ],
)
def test_escapes_that_read_the_same_everywhere_are_allowed(text):
    assert vet(text).form == "SELECT"


# String contents that mix the escapes of the class with ordinary escapes, quotes and letters;
# the texts are valid SPARQL to an engine whenever the contents are, so the engines really run them.
CONTENT = st.lists(
    st.sampled_from([*ESCAPES, "\\u0053", "\\\\", '\\"', "\\'", "x", " ", "#", '"', "'"]), max_size=4
).map("".join)
LITERAL = st.tuples(st.sampled_from(QUOTES), CONTENT).map(lambda qc: f"{qc[0]}{qc[1]}{qc[0]}")


@settings(max_examples=500, deadline=None)
@given(first=LITERAL, second=LITERAL, comment=st.sampled_from(["", "# x\n", "# \\u000A x\n"]))
def test_no_text_the_guard_passes_makes_an_engine_call_out(canary, first, second, comment):
    """Whatever strings surround a SERVICE clause, either the guard refuses the text or neither engine
    (Oxigraph, rdflib) connects anywhere when it runs it here, in this process, without a lock."""
    import pyoxigraph as ox
    from rdflib import Graph

    url = canary_url(canary)
    text = (
        f"SELECT * WHERE {{ BIND({first} AS ?a) {comment}SERVICE <{url}/> {{ ?s ?p ?o }} "
        f"BIND({second} AS ?b) }}"
    )
    try:
        vet(text)
    except UserError:
        return
    connections = canary.connections
    for run in (lambda: list(ox.Store().query(text)), lambda: list(Graph().query(text))):
        try:
            run()
        except Exception:  # noqa: BLE001 - a syntax error is fine: only a connection counts
            pass
    assert canary.connections == connections, text


def test_the_dataset_clauses_a_query_names():
    from api.guard import dataset_clause_graphs, has_dataset_clause, names_graphs

    text = (
        "PREFIX g: <https://w3id.org/epkg/graph/> SELECT * FROM g:ontology FROM NAMED <http://x/b> "
        "from <http://c/> WHERE { ?s <http://e/from> 'FROM' # FROM <http://d/>\n }"
    )
    assert has_dataset_clause(text)
    assert dataset_clause_graphs(text) == (
        ("https://w3id.org/epkg/graph/ontology", "http://c/"),
        ("http://x/b",),
    )
    assert not has_dataset_clause("SELECT * WHERE { ?s <http://e/from> 'FROM' } # FROM")
    assert dataset_clause_graphs("SELECT * WHERE { ?s ?p ?o }") == ((), ())
    # Which queries the rdflib store runs on its Dataset: those using GRAPH or FROM, in either reading.
    assert names_graphs(text) and names_graphs("SELECT * { GRAPH ?g { ?s ?p ?o } }")
    assert names_graphs("SELECT * { \\u0047RAPH ?g { ?s ?p ?o } }")
    assert not names_graphs("SELECT ?graph { ?s <http://e/graph> 'GRAPH' } # GRAPH")
    for unusable in ("SELECT * FROM <relative> {}", "SELECT * FROM x:y {}", "SELECT * FROM <http://a/\\u0041> {}"):
        with pytest.raises(UserError, match="absolute IRI"):
            dataset_clause_graphs(unusable)
