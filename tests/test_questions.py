"""Every question of the catalogue, with its whole expected answer on the shipped data.

Each case below (and every question's own example call) has a golden file,
tests/golden/questions/<case>.csv: the answer's header and every row, each cell an RDF term
as N-Triples writes it with the project's prefixes (so a lost datatype or language shows),
compared as a multiset (a duplicated, missing or extra row fails). Regenerate after a
reviewed change of data or queries with ``EPKG_REGENERATE_GOLDENS=1 pytest tests/test_questions.py``
and read the diff before committing it. The tests after the goldens state what the rows
mean (the "done when" of the goal links, the order of direct and via-group links, ...).

Answers are checked on the embedded default store; tests/test_catalogue.py checks that
rdflib and a real Oxigraph server give the same rows for every question.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.term import Identifier

from api.graph import BASE, compact_iri
from api.store import Table, open_store

GOLDEN = Path(__file__).resolve().parent / "golden" / "questions"
REGENERATE = os.environ.get("EPKG_REGENERATE_GOLDENS") == "1"

# Cases beyond each question's own example call: the questions a policy analyst asks most.
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "serving-goal-2017-4": ("serving-goal", {"year": "2017", "number": "4"}),
    "serving-goal-2019-3": ("serving-goal", {"year": "2019", "number": "3"}),
    "serving-goal-2017-3-direct": ("serving-goal", {"year": "2017", "number": "3", "specificity": "direct"}),
    "serving-goal-2017-1-766-curated": (
        "serving-goal",
        {"year": "2017", "number": "1", "municipality": "766", "basis": "curated"},
    ),
    "serving-goal-citations-2017-4": ("serving-goal-citations", {"year": "2017", "number": "4"}),
    "serving-goal-citations-2019-5": ("serving-goal-citations", {"year": "2019", "number": "5"}),
    "measures-serving-goal-2017-4": ("measures-serving-goal", {"year": "2017", "number": "4"}),
    "measures-serving-goal-2019-5": ("measures-serving-goal", {"year": "2019", "number": "5"}),
    "measures-for-target-group-sygemeldte": ("measures-for-target-group", {"group": "sygemeldte"}),
    "measures-for-target-group-sygedagpenge-390": (
        "measures-for-target-group",
        {"group": "sygedagpenge", "municipality": "390"},
    ),
    "measures-for-target-group-flygtninge": (
        "measures-for-target-group",
        {"group": "flygtninge-og-familiesammenforte"},
    ),
    "goal-coverage-2017": ("goal-coverage", {"year": "2017"}),
    "goal-coverage-2019": ("goal-coverage", {"year": "2019"}),
    "plan-goal-gaps-2017": ("plan-goal-gaps", {"year": "2017"}),
    "plan-goal-gaps-2019": ("plan-goal-gaps", {"year": "2019"}),
    "quantified-targets-540-due-2016-06-30": (
        "quantified-targets",
        {"municipality": "540", "due_to": "2016-06-30"},
    ),
    "projects-active-2019-06-01": ("projects", {"active_on": "2019-06-01"}),
    "projects-active-2019-07-01": ("projects", {"active_on": "2019-07-01"}),
}


def cell(term: Identifier | None) -> str:
    """One cell as N-Triples writes the term, IRIs compacted with the project's prefixes."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^{compact_iri(str(term.datatype))}'
        return f'"{text}"'
    return f"_:{term}"


def to_golden(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.variables)
    for row in table.rows:
        writer.writerow([cell(t) for t in row])
    return out.getvalue()


def read_golden(text: str) -> tuple[list[str], Counter]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], Counter(tuple(r) for r in rows[1:])


@pytest.fixture(scope="module")
def store(project):
    return open_store("oxigraph", project)


@pytest.fixture(scope="module")
def answer(store, catalogue):
    def run(name: str, **params: str) -> Table:
        question = catalogue[name]
        return store.select(question.render(question.bind(params)))

    return run


def _all_cases(catalogue) -> dict[str, tuple[str, dict[str, str]]]:
    cases = {f"{q.name}--example": (q.name, q.example_params()) for q in catalogue.values()}
    cases.update(CASES)
    return cases


def test_every_question_has_a_golden_answer(catalogue):
    names = {question for question, _ in _all_cases(catalogue).values()}
    assert names == set(catalogue)
    expected = {f"{case}.csv" for case in _all_cases(catalogue)}
    if not REGENERATE:
        assert {p.name for p in GOLDEN.glob("*.csv")} == expected, (
            "a golden file without its case, or missing"
        )


@pytest.mark.parametrize("case", sorted(CASES) + ["<examples>"])
def test_the_whole_answer_is_the_golden_one(case, catalogue, answer):
    cases = _all_cases(catalogue)
    selected = [c for c in cases if c == case or (case == "<examples>" and c.endswith("--example"))]
    for name in selected:
        question, params = cases[name]
        got = to_golden(answer(question, **params))
        path = GOLDEN / f"{name}.csv"
        if REGENERATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(got, encoding="utf-8")
            continue
        header, rows = read_golden(path.read_text(encoding="utf-8"))
        got_header, got_rows = read_golden(got)
        assert got_header == header, name
        extra, missing = got_rows - rows, rows - got_rows
        assert not extra and not missing, f"{name}: extra rows {dict(extra)}; missing rows {dict(missing)}"


# ---------------------------------------------------------------- what the answers mean


def _records(table: Table) -> list[dict[str, str]]:
    return [
        {k: compact_iri(str(v)) if isinstance(v, URIRef) else str(v) for k, v in r.items()}
        for r in table.records()
    ]


def test_2017_goal_4_direct_links_are_exactly_the_refugee_measures_and_targets(answer):
    """The "done when" of issue 11: direct links for the refugee goal are the refugee measures of
    Slagelse and Hedensted and the resources of Sønderborg and Hedensted that are about refugees;
    no sick-leave, A-kasse or company-only measure serves it at any specificity."""
    rows = _records(answer("serving-goal", year="2017", number="4"))
    direct = {(r["resource"], r["kind"]) for r in rows if r["specificity"] == "specificity:direct"}
    measures = {res for res, kind in direct if kind in ("epkg:Measure", "epkg:Project", "epkg:Offer")}
    assert measures == {
        "measure/slagelse-2017/3-1-3",  # "Tidligere virksomhedsindsats for flygtninge og familiesammenførte"
        "measure/hedensted-2017/integration-beskaeftigelsestrappen",
        "measure/hedensted-2017/integration-efter-boligplacering",
        "measure/hedensted-2017/integration-introduktionsforloeb",
        "measure/hedensted-2017/integration-sprogundervisning",
        "measure/hedensted-2017/integration-unge-flygtninge",
    }
    # Third pass (data/README.md, the criterion for direct): Hedensted's contact with the social
    # integration department (a coordination step), its expenditure target and its 48-96-hour course
    # start, and Sønderborg's Danish-class attendance, company-offer share and Danish-exam targets
    # (activities, not self-support) are via group now; Hedensted's theme-group statement, which names
    # refugees and their way into work, was added by the sweep, and Sønderborg's integration target is
    # given stage by stage.
    assert direct - {(m, "epkg:Measure") for m in measures} == {
        ("focus-area/hedensted-2017/integration", "epkg:FocusArea"),
        ("objective/hedensted-2017/integration-primaert-maal", "epkg:Objective"),
        ("objective/hedensted-2017/strategisk-3", "epkg:Objective"),
        ("statement/hedensted-2017/temagruppen-strategi-1", "epkg:PolicyStatement"),
        ("plan-target-group/sonderborg-2016-2018/integrationsperiode", "epkg:PlanTargetGroup"),
        ("target/sonderborg-2016-2018/integrationsperiode-4", "epkg:QuantifiedTarget"),
        ("target/sonderborg-2016-2018/integrationsperiode-4-stage-1", "epkg:QuantifiedTarget"),
        ("target/sonderborg-2016-2018/integrationsperiode-4-stage-2", "epkg:QuantifiedTarget"),
        ("target/sonderborg-2016-2018/integrationsperiode-4-stage-3", "epkg:QuantifiedTarget"),
    }
    serving = {r["resource"] for r in rows}
    # Job retention during sick leave (Slagelse 3.1.4, 2.1.3), the A-kasse cooperation (3.4.1, Hedensted's
    # agreements with the funds) and company-only services do not serve the refugee goal at any specificity.
    assert not serving & {
        "measure/slagelse-2017/3-1-4",
        "measure/slagelse-2017/2-1-3",
        "measure/slagelse-2017/3-4-1",
        "measure/hedensted-2017/samarbejdsaftaler-a-kasser",
        "measure/hedensted-2017/fastholdelsesplan-paa-arbejdspladsen",
    }
    assert not any(r.startswith("measure/slagelse-2017/2-") for r in serving)
    assert {r["municipality"] for r in rows} == {"330", "540", "766"}


def test_direct_links_come_before_via_group_ones(answer):
    for year, number in (("2017", "3"), ("2017", "4"), ("2019", "3"), ("2019", "6")):
        specificities = [r["specificity"] for r in _records(answer("serving-goal", year=year, number=number))]
        assert specificities == sorted(specificities), (year, number)
        assert "specificity:direct" in specificities


def test_every_link_shows_its_root(answer):
    for year, number in (("2017", "1"), ("2017", "3"), ("2019", "2")):
        rows = _records(answer("serving-goal", year=year, number=number))
        links = [r["link"] for r in rows]
        assert len(links) == len(set(links)), "one row per goal link"
        for r in rows:
            assert r["root_basis"] in ("basis:stated", "basis:curated"), r
            if r["basis"] == "basis:derived":
                assert r["derived_from"] and r["rule"], r
            else:
                assert r["root_basis"] == r["basis"] and "derived_from" not in r, r
    # Hedensted's and Sønderborg's measures rest on an analyst's reading (of a blanket sentence, of the
    # integration group), Slagelse's on its own table.
    roots = {
        (r["resource"].split("/")[1], r["root_basis"])
        for r in _records(answer("serving-goal", year="2017", number="4", basis="derived"))
    }
    assert roots == {
        ("slagelse-2017", "basis:stated"),
        ("hedensted-2017", "basis:curated"),
        ("sonderborg-2016-2018", "basis:curated"),
    }


def test_filters_by_specificity_and_basis_partition_the_answer(answer):
    whole = Counter(to_golden(answer("serving-goal", year="2017", number="3")).splitlines()[1:])
    for name, values in (
        ("specificity", ("direct", "via-group")),
        ("basis", ("stated", "derived", "curated")),
    ):
        parts = Counter()
        for value in values:
            parts.update(
                to_golden(answer("serving-goal", year="2017", number="3", **{name: value})).splitlines()[1:]
            )
        assert parts == whole, name


def test_measures_serving_a_goal_are_measures_once_per_link(answer):
    rows = _records(answer("measures-serving-goal", year="2017", number="4"))
    assert len({r["link"] for r in rows}) == len(rows)
    assert {r["measure"].split("/")[0] for r in rows} <= {"measure", "project", "offer"}
    serving = _records(answer("serving-goal", year="2017", number="4"))
    assert {r["measure"] for r in rows} == {
        r["resource"] for r in serving if r["kind"] in ("epkg:Measure", "epkg:Project", "epkg:Offer")
    }


def test_goal_4_means_different_goals_in_2017_and_2019(answer):
    in_2017 = {r["resource"].split("/")[1] for r in _records(answer("serving-goal", year="2017", number="4"))}
    in_2019 = {r["resource"].split("/")[1] for r in _records(answer("serving-goal", year="2019", number="4"))}
    assert in_2017 == {"slagelse-2017", "hedensted-2017", "sonderborg-2016-2018"}
    assert in_2019 == {"vordingborg-2019"}


def test_coverage_counts_direct_and_via_group_and_its_empty_cells_are_the_gaps(answer):
    for year in ("2017", "2019"):
        coverage = _records(answer("goal-coverage", year=year))
        for r in coverage:
            assert int(r["links"]) == int(r["measures"]) + int(r["others"]), r
            assert int(r["links"]) == int(r["direct"]) + int(r["via_group"]), r
            assert int(r["links"]) == int(r["stated"]) + int(r["derived"]) + int(r["curated"]), r
        empty = sorted((r["plan"], r["number"]) for r in coverage if r["links"] == "0")
        gaps = sorted((r["plan"], r["number"]) for r in _records(answer("plan-goal-gaps", year=year)))
        assert empty == gaps, year


def test_measures_for_a_target_group_follow_narrower_groups_only(answer):
    sick = {
        (r["measure"], r["via"])
        for r in _records(answer("measures-for-target-group", group="sygemeldte", municipality="330"))
    }
    # Written for people on sick leave themselves; nothing through "Borgere tæt på arbejdsmarkedet",
    # the broader group the sick-leave benefit group belongs to.
    assert sick == {
        ("measure/slagelse-2017/2-1-3", "target-group/sygemeldte"),
        ("measure/slagelse-2017/3-1-4", "target-group/sygemeldte"),
        ("measure/slagelse-2017/5-3-2", "target-group/sygemeldte"),
    }
    # A narrower group of the shared scheme counts for the broader one asked for.
    benefit = {
        r["measure"]
        for r in _records(answer("measures-for-target-group", group="sygedagpenge", municipality="390"))
    }
    broader = {
        r["measure"]
        for r in _records(answer("measures-for-target-group", group="sygemeldte", municipality="390"))
    }
    assert benefit and benefit < broader


def test_a_month_ends_on_its_last_day(catalogue):
    """The period end a question computes from xsd:gYearMonth is that month's real last day."""
    from rdflib import Graph

    from api.store import RdflibStore

    data = Graph().parse(
        data="""
        @prefix epkg: <https://w3id.org/epkg/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/epkg/municipality/999> epkg:municipalityCode "999" ; rdfs:label "Prøve Kommune"@da .
        <https://w3id.org/epkg/plan/x> epkg:municipality <https://w3id.org/epkg/municipality/999> .
        <https://w3id.org/epkg/target/x/feb-2016> a epkg:QuantifiedTarget ; epkg:partOfDocument <https://w3id.org/epkg/plan/x> ;
            epkg:deadline "2016-02"^^xsd:gYearMonth .
        <https://w3id.org/epkg/target/x/feb-2019> a epkg:QuantifiedTarget ; epkg:partOfDocument <https://w3id.org/epkg/plan/x> ;
            epkg:deadline "2019-02"^^xsd:gYearMonth .
        <https://w3id.org/epkg/target/x/jun-2019> a epkg:QuantifiedTarget ; epkg:partOfDocument <https://w3id.org/epkg/plan/x> ;
            epkg:deadline "2019-06"^^xsd:gYearMonth .
        <https://w3id.org/epkg/target/x/feb-1900> a epkg:QuantifiedTarget ; epkg:partOfDocument <https://w3id.org/epkg/plan/x> ;
            epkg:deadline "1900-02"^^xsd:gYearMonth .
    """,
        format="turtle",
    )
    store = RdflibStore(data)
    question = catalogue["quantified-targets"]

    def due(**params: str) -> set[str]:
        table = store.select(question.render(question.bind(dict(municipality="999", **params))))
        return {str(r["target"]).rsplit("/", 1)[1] for r in table.records()}

    assert due(due_from="2016-02-29") == {"feb-2016", "feb-2019", "jun-2019"}  # 2016 is a leap year
    assert due(due_from="2016-03-01") == {"feb-2019", "jun-2019"}
    assert due(due_from="2019-02-28") == {"feb-2019", "jun-2019"}  # 2019 is not
    assert due(due_from="2019-03-01") == {"jun-2019"}
    assert due(due_from="2019-06-30") == {"jun-2019"}
    assert due(due_from="2019-07-01") == set()
    assert due(due_to="1900-02-28") == {"feb-1900"}  # a century year is a leap year only every 400 years
    assert "feb-1900" not in due(due_from="1900-03-01")


def test_one_goal_across_years(answer):
    rows = _records(answer("goal-lineage", year="2019", number="3"))
    assert [(r["edition_year"], r["edition_number"], r.get("continues", "")) for r in rows] == [
        ("2017", "4", ""),
        ("2019", "3", "minister-goal/2017/4"),
    ]


def test_no_derived_link_from_a_resource_whose_own_groups_are_all_disjoint_from_the_goals(graph):
    """The derivation rules respect a resource's own target group (data/reference/derivation-rules.ttl).

    Two shared groups are disjoint when the top concepts above them differ, leaving out the two
    broad status groups every benefit group sits under (people on public income support, the
    unemployed): sick-listed people are not refugees, companies are not young people. A goal
    with a group under no other top concept (e.g. social assistance) is not judged here."""
    from rdflib.namespace import SKOS

    from api.graph import EPKG

    scheme = URIRef(BASE + "target-group")
    status = {URIRef(BASE + "target-group/offentligt-forsorgede"), URIRef(BASE + "target-group/ledige")}
    tops = set(graph.subjects(SKOS.topConceptOf, scheme)) - status

    def above(group) -> set:
        return set(graph.transitive_objects(group, SKOS.broader)) & tops

    flagged = []
    for link in graph.subjects(EPKG.basis, URIRef(BASE + "scheme/basis/derived")):
        resource, goal = graph.value(link, EPKG.linkSubject), graph.value(link, EPKG.linkGoal)
        goal_tops = [above(g) for g in graph.objects(goal, EPKG.forTargetGroup)]
        if not goal_tops or not all(goal_tops):
            continue
        # Its own groups: shared groups it names, and the shared groups a plan's own group it names is
        # equal to or part of (a plan group that only contains shared groups says nothing of the resource).
        named = list(graph.objects(resource, EPKG.forTargetGroup))
        mapped = [
            m
            for g in named
            for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
            for m in graph.objects(g, p)
        ]
        own = [g for g in named + mapped if (g, SKOS.inScheme, scheme) in graph]
        if own and all(above(g) and not above(g) & set().union(*goal_tops) for g in own):
            flagged.append((compact_iri(str(resource)), compact_iri(str(goal))))
    assert flagged == []
