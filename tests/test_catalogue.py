"""The question catalogue: headers, typed parameters, safe binding, and the backends agree."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from api.catalogue import CatalogueError, parse_question
from api.graph import BASE
from api.parameters import TYPES, ParameterError


def test_every_example_is_a_call_of_its_own_question(catalogue):
    for question in catalogue.values():
        assert question.example.split()[:3] == ["epkg", "query", question.name], question.example
        assert question.example.count("--param") == len(question.example_params()), question.example


def test_the_catalogue_has_the_questions_users_ask(catalogue):
    assert set(catalogue) >= {
        "measures-serving-goal",
        "goal-coverage",
        "goal-lineage",
        "measures-for-target-group",
        "quantified-targets",
        "projects",
        "plan-contents",
        "search",
        "provenance",
        "organisation-involvement",
        "compare-municipalities-on-goal",
        "plan-goal-gaps",
        "serving-goal",
        "serving-goal-citations",
    }


def test_the_serving_goal_questions_have_the_columns_the_routes_rely_on(catalogue, stores):
    expected = {
        "serving-goal": (
            "link",
            "resource",
            "kind",
            "label",
            "label_en",
            "plan",
            "resource_document",
            "municipality",
            "municipality_name",
            "municipality_name_en",
            "basis",
            "specificity",
            "root_basis",
            "rule",
            "rationale",
            "rationale_en",
            "derived_from",
        ),
        "serving-goal-citations": ("link", "resource", "passage", "document", "section", "quote"),
    }
    for name, columns in expected.items():
        question = catalogue[name]
        assert [p.name for p in question.parameters][:2] == ["year", "number"]
        table = stores["oxigraph"].select(question.render(question.bind(question.example_params())))
        assert table.variables == columns and table.rows, name


def test_every_question_explains_itself_in_both_languages(catalogue):
    for q in catalogue.values():
        assert q.question_da.endswith("?") and q.question_en.endswith("?"), q.name
        assert len(q.summary) > 40, q.name
        for p in q.parameters:
            assert p.description and p.example, (q.name, p.name)


def test_every_example_call_binds(catalogue):
    for q in catalogue.values():
        q.bind(q.example_params())


def test_a_bad_header_is_a_catalogue_error(tmp_path):
    path = tmp_path / "bad-question.rq"
    path.write_text(
        "#+ question_en: Which?\n#+ param: year | yeer | required | 2017 | x\nSELECT * WHERE { }\n"
    )
    with pytest.raises(CatalogueError, match="bad '#\\+ param"):
        parse_question(path)
    path.write_text("#+ question_en: Which?\nSELECT * WHERE { }\n")
    with pytest.raises(CatalogueError, match="missing '#\\+ question_da:'"):
        parse_question(path)


# --- typed parameters -----------------------------------------------------


@pytest.mark.parametrize(
    "type_name, value, term",
    [
        ("year", "2017", Literal("2017", datatype=XSD.gYear)),
        ("integer", "4", Literal(4)),
        ("date", "2019-06-01", Literal("2019-06-01")),
        ("kommunekode", "330", Literal("330")),
        ("target-group", "sygedagpenge", URIRef(BASE + "target-group/sygedagpenge")),
        ("target-group", BASE + "target-group/sygedagpenge", URIRef(BASE + "target-group/sygedagpenge")),
        ("document", "plan/slagelse-2017", URIRef(BASE + "plan/slagelse-2017")),
        ("resource", "measure/slagelse-2017/3-1-2", URIRef(BASE + "measure/slagelse-2017/3-1-2")),
        ("basis", "curated", URIRef(BASE + "scheme/basis/curated")),
        ("specificity", "direct", URIRef(BASE + "scheme/specificity/direct")),
        ("specificity", "via-group", URIRef(BASE + "scheme/specificity/via-group")),
        ("unit", "percent", URIRef(BASE + "scheme/unit/percent")),
    ],
)
def test_values_become_typed_terms(type_name, value, term):
    assert TYPES[type_name].convert(value) == term


@pytest.mark.parametrize(
    "type_name, scheme", [("basis", "basis"), ("specificity", "specificity"), ("unit", "unit")]
)
def test_enumerations_are_the_concepts_of_their_scheme(graph, type_name, scheme):
    """Read from ontology/schemes.ttl, not copied into Python: every concept of the scheme is a value."""
    from rdflib.namespace import SKOS

    from api.parameters import scheme_values

    concepts = {
        str(c).rsplit("/", 1)[1] for c in graph.subjects(SKOS.inScheme, URIRef(f"{BASE}scheme/{scheme}/"))
    }
    assert set(scheme_values(scheme)) == concepts and len(concepts) >= 2
    for value in concepts:
        assert TYPES[type_name].convert(value) == URIRef(f"{BASE}scheme/{scheme}/{value}")
        assert value in TYPES[type_name].help


@pytest.mark.parametrize(
    "name, raw, message",
    [
        (
            "measures-serving-goal",
            {"year": "17", "number": "4"},
            "parameter 'year': '17' is not valid: a year is four digits",
        ),
        (
            "measures-serving-goal",
            {"year": "2017", "number": "four"},
            "parameter 'number': 'four' is not valid",
        ),
        ("measures-serving-goal", {"year": "2017"}, "parameter 'number': is required"),
        (
            "measures-serving-goal",
            {"year": "2017", "number": "4", "colour": "red"},
            "parameter 'colour': question 'measures-serving-goal' has no such parameter",
        ),
        (
            "measures-serving-goal",
            {"year": "2017", "number": "4", "basis": "rumoured"},
            "one of curated, derived, stated",
        ),
        (
            "serving-goal",
            {"year": "2017", "number": "4", "specificity": "indirect"},
            "one of direct, via-group",
        ),
        ("projects", {"active_on": "2019-13-01"}, "a date is YYYY-MM-DD"),
        ("plan-contents", {"document": "measure/slagelse-2017/2-1-1"}, "a path starting with plan/ or case/"),
        ("provenance", {"resource": "http://example.org/x"}, "lower-case path segments"),
        ("search", {"text": ""}, "must not be empty"),
        ("search", {"text": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_bad_value_is_a_clear_error_naming_the_parameter(catalogue, name, raw, message):
    with pytest.raises(ParameterError) as caught:
        catalogue[name].bind(raw)
    assert message in str(caught.value)


INJECTIONS = ['" } ; DROP ALL ; #', "'>", "}", 'x"""y', "a\nb", "<http://evil.example/>", "\\u0022 }"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_in_every_string_parameter_is_rejected_or_bound_harmlessly(catalogue, stores, payload):
    """Every parameter of every question gets each payload: either a ParameterError, or a
    query that parses, keeps its shape and finds only text that contains the payload as
    written (no store error)."""
    for question in catalogue.values():
        base = question.example_params()
        for parameter in question.parameters:
            raw = dict(base, **{parameter.name: payload})
            try:
                bindings = question.bind(raw)
            except ParameterError as exc:
                assert exc.parameter == parameter.name
                continue
            # Only free text gets through; it is one literal in one VALUES row.
            assert parameter.type == "text", (question.name, parameter.name)
            query = question.render(bindings)
            assert query.count("VALUES (") == 1
            for row in stores["oxigraph"].select(query).records():
                # A match of the literal text itself (e.g. "}" in a description), nothing else.
                assert " ".join(payload.split()).lower() in " ".join(str(row["match"]).split()).lower(), row


# --- the backends -----------------------------------------------------------


def test_every_question_gives_the_same_answer_on_every_backend(catalogue, stores):
    for question in catalogue.values():
        query = question.render(question.bind(question.example_params()))
        answers = {name: store.select(query) for name, store in stores.items()}
        reference = answers.pop("oxigraph")
        for name, table in answers.items():
            assert table.variables == reference.variables, (question.name, name)
            assert sorted(map(repr, table.rows)) == sorted(map(repr, reference.rows)), (question.name, name)


def test_the_remote_store_reports_an_unreachable_endpoint():
    from api.store import StoreError, open_store

    from .servers import free_port

    store = open_store("remote", endpoint=f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(StoreError, match="did not answer"):
        store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


# --- the command line ---------------------------------------------------------


def test_epkg_query_lists_the_catalogue(capsys):
    from api.cli import main

    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert "measures-serving-goal" in out and "--param year=" in out


def test_epkg_query_prints_a_table_json_and_csv(capsys):
    from api.cli import main
    import json

    assert main(["query", "goal-lineage", "-p", "year=2019", "-p", "number=3"]) == 0
    table = capsys.readouterr().out
    assert "minister-goal/2017/4" in table and "(2 rows)" in table
    assert main(["query", "goal-lineage", "-p", "year=2019", "-p", "number=3", "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert [b["edition_number"]["value"] for b in answer["results"]["bindings"]] == ["4", "3"]
    assert (
        main(
            [
                "query",
                "goal-lineage",
                "-p",
                "year=2019",
                "-p",
                "number=3",
                "--format",
                "csv",
                "--store",
                "rdflib",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines()[0].startswith("lineage,lineage_label,edition_year")


def test_epkg_query_explains_bad_input_with_exit_code_2(capsys):
    from api.cli import main

    assert main(["query", "goal-lineage", "-p", "year=2019"]) == 2
    assert "parameter 'number': is required" in capsys.readouterr().err
    assert main(["query", "no-such-question"]) == 2
    assert "no question named 'no-such-question'; known questions:" in capsys.readouterr().err


def test_a_text_table_fits_the_width_it_is_given():
    from rdflib import Literal

    from api.formats import to_text_table
    from api.store import Table

    table = Table(("short", "long"), ((Literal("a"), Literal("x" * 200)), (Literal("bb"), Literal("y"))))
    lines = to_text_table(table, total_width=40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert lines[2].startswith("a      xxx") and lines[2].endswith("…")
    assert lines[-1] == "(2 rows)"
