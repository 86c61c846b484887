"""Vordingborg Beskæftigelsesplan 2019: counts and competency questions with exact answers."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .conftest import ask, select
from .review import kept_links, verdict_counts

B = "https://w3id.org/epkg/"
PLAN = URIRef(B + "plan/vordingborg-2019")
D = "vordingborg-2019"

# The plan and the three policies annexed to it (Bilag 1-3).
DOCS = """VALUES ?doc { <https://w3id.org/epkg/plan/vordingborg-2019>
    <https://w3id.org/epkg/plan/vordingborg-policy-erhverv-og-arbejdsmarked>
    <https://w3id.org/epkg/plan/vordingborg-policy-uddannelse>
    <https://w3id.org/epkg/plan/vordingborg-policy-integration> }"""


def short(iri: str) -> str:
    return iri[len(B) :] if iri.startswith(B) else iri


def count(graph, cls: str, docs: str = DOCS) -> int:
    rows = select(
        graph,
        f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {docs}
        ?x a {cls} ; epkg:partOfDocument ?doc . }}""",
    )
    return int(rows[0]["n"])


# --------------------------------------------------------------------------- counts


def test_six_focus_areas_in_order(graph):
    rows = select(
        graph,
        """SELECT ?fa ?n ?label WHERE {
        ?fa a epkg:FocusArea ; epkg:partOfDocument ?plan ; epkg:ordinal ?n ; rdfs:label ?label .
        FILTER(lang(?label) = "da") } ORDER BY ?n""",
        plan=PLAN,
    )
    assert [r["label"] for r in rows] == [
        "En tidlig og aktiv indsats",
        "Uddannelsesindsats i forhold til unge under 30 år",
        "En aktiv virksomhedsindsats",
        "Udvikling af indsatsen for langvarigt forsørgede og borgere på kanten af arbejdsmarkedet",
        "Udvikling af indsatsen for flygtninge",
        "Muligheder ved anlæg af ny Storstrømsbro",
    ]
    assert [r["n"] for r in rows] == ["1", "2", "3", "4", "5", "6"]


def test_counts_per_kind(graph):
    assert count(graph, "epkg:FocusArea") == 6
    assert count(graph, "epkg:PlanTargetGroup") == 7
    assert count(graph, "epkg:Project") == 17
    assert count(graph, "epkg:Offer") == 10
    assert count(graph, "epkg:QuantifiedTarget") == 26
    assert count(graph, "epkg:KeyFigure") == 37
    policies = select(
        graph, """SELECT ?p WHERE { ?p a epkg:MunicipalPolicy ; dcterms:isPartOf ?plan }""", plan=PLAN
    )
    assert {short(r["p"]) for r in policies} == {
        "plan/vordingborg-policy-erhverv-og-arbejdsmarked",
        "plan/vordingborg-policy-uddannelse",
        "plan/vordingborg-policy-integration",
    }


def test_plan_target_groups_and_their_mappings(graph):
    rows = select(
        graph,
        """SELECT ?g ?rel ?tg WHERE {
        ?g a epkg:PlanTargetGroup ; epkg:partOfDocument ?plan ; ?rel ?tg .
        VALUES ?rel { skos:exactMatch skos:narrowMatch skos:broadMatch } }""",
        plan=PLAN,
    )
    got = {
        (short(r["g"]).split("/")[-1], r["rel"].split("#")[-1], short(r["tg"]).split("/")[-1]) for r in rows
    }
    assert got == {
        ("arbejdsmarkedsparate-ledige", "narrowMatch", "a-dagpenge"),
        ("arbejdsmarkedsparate-ledige", "narrowMatch", "kontanthjaelp-jobparate"),
        ("arbejdsmarkedsparate-ledige", "broadMatch", "ledige"),
        ("unge-med-uddannelseshjaelp", "exactMatch", "uddannelseshjaelp"),
        ("unge-med-uddannelseshjaelp", "narrowMatch", "uddannelseshjaelp-uddannelsesparate"),
        ("unge-med-uddannelseshjaelp", "narrowMatch", "uddannelseshjaelp-aktivitetsparate"),
        ("unge-med-uddannelseshjaelp", "broadMatch", "unge-under-30"),
        ("sygedagpenge-og-jobafklaring", "narrowMatch", "sygedagpenge"),
        ("sygedagpenge-og-jobafklaring", "narrowMatch", "jobafklaring"),
        ("sygedagpenge-og-jobafklaring", "broadMatch", "sygemeldte"),
        ("borgere-under-integrationsloven", "narrowMatch", "flygtninge-og-familiesammenforte"),
        ("borgere-under-integrationsloven", "narrowMatch", "integrationsydelse"),
        ("ikke-arbejdsmarkedsparate", "exactMatch", "kontanthjaelp-aktivitetsparate"),
        ("ikke-arbejdsmarkedsparate", "broadMatch", "borgere-paa-kanten"),
        ("ressourceforloeb", "exactMatch", "ressourceforloeb"),
        ("fleksjobberettigede", "exactMatch", "fleksjobberettigede"),
        ("fleksjobberettigede", "narrowMatch", "ledighedsydelse"),
    }


def test_every_plan_target_group_has_measures_written_for_it(graph):
    rows = select(
        graph,
        """SELECT ?g (COUNT(DISTINCT ?m) AS ?n) WHERE {
        ?g a epkg:PlanTargetGroup ; epkg:partOfDocument ?plan .
        ?m epkg:forTargetGroup ?g . ?m a ?t . VALUES ?t { epkg:Measure epkg:Project epkg:Offer } }
        GROUP BY ?g""",
        plan=PLAN,
    )
    got = {short(r["g"]).split("/")[-1]: int(r["n"]) for r in rows}
    assert got == {
        "arbejdsmarkedsparate-ledige": 9,
        "unge-med-uddannelseshjaelp": 9,
        "sygedagpenge-og-jobafklaring": 10,
        "borgere-under-integrationsloven": 4,
        "ikke-arbejdsmarkedsparate": 5,
        "ressourceforloeb": 3,
        "fleksjobberettigede": 4,
    }


# --------------------------------------------------------------------------- documents


def test_plan_implements_strategy_and_business_policy(graph):
    rows = select(graph, "SELECT ?x WHERE { ?plan epkg:implements ?x }", plan=PLAN)
    assert {short(r["x"]) for r in rows} == {
        "plan/vordingborg-strategy-2017-2020",
        "plan/vordingborg-policy-erhverv-og-arbejdsmarked",
    }
    assert ask(
        graph,
        """ASK { <https://w3id.org/epkg/plan/vordingborg-strategy-2017-2020> a epkg:EmploymentStrategy ;
        epkg:periodStart "2017"^^xsd:gYear ; epkg:periodEnd "2020"^^xsd:gYear }""",
    )


def test_policy_adoption_dates(graph):
    rows = select(graph, "SELECT ?p ?d WHERE { ?p a epkg:MunicipalPolicy ; dcterms:dateAccepted ?d }")
    assert {(short(r["p"]), r["d"]) for r in rows} == {
        ("plan/vordingborg-policy-erhverv-og-arbejdsmarked", "2016-11-24"),
        ("plan/vordingborg-policy-uddannelse", "2017-03-30"),
        ("plan/vordingborg-policy-integration", "2017-03-30"),
    }


# --------------------------------------------------------------------------- targets


def test_targets_with_deadline_2020(graph):
    rows = select(
        graph,
        f"""SELECT ?t WHERE {{ {DOCS}
        ?t a epkg:QuantifiedTarget ; epkg:partOfDocument ?doc ; epkg:deadline "2020"^^xsd:gYear }}""",
    )
    assert {short(r["t"]) for r in rows} == {
        f"target/{D}/{x}"
        for x in (
            "3-1-unge-uden-uddannelse",
            "3-2-unge-uden-for-arbejdsmarkedet",
            "bilag1-effekt-5",
            "bilag2-effekt-2",
            "bilag3-effekt-3",
            "bilag3-effekt-6",
            "bilag3-effekt-8",
            "bilag3-effekt-9",
        )
    }


def test_public_support_target_3_3(graph):
    rows = select(
        graph,
        """SELECT ?v ?b ?dl ?dir ?unit WHERE {
        <https://w3id.org/epkg/target/vordingborg-2019/3-3-offentligt-forsorgede> epkg:value ?v ;
            epkg:baselineValue ?b ; epkg:deadline ?dl ; epkg:direction ?dir ; epkg:unit ?unit }""",
    )
    assert [(float(r["v"]), float(r["b"]), r["dl"], short(r["dir"]), short(r["unit"])) for r in rows] == [
        (20.0, 25.0, "2025", "scheme/direction/reduce", "scheme/unit/percent")
    ]
    rows = select(
        graph,
        """SELECT ?v ?unit WHERE {
        <https://w3id.org/epkg/target/vordingborg-2019/3-3-aarlig-reduktion> epkg:value ?v ; epkg:unit ?unit }""",
    )
    assert [(float(r["v"]), short(r["unit"])) for r in rows] == [(0.5, "scheme/unit/percentage-point")]


def test_targets_relative_to_region_sjaelland(graph):
    rows = select(
        graph,
        f"""SELECT ?t WHERE {{ {DOCS}
        ?t a epkg:QuantifiedTarget ; epkg:partOfDocument ?doc ;
           epkg:comparisonReference <https://w3id.org/epkg/region/sjaelland> ; epkg:direction direction:at-most }}""",
    )
    assert {short(r["t"]).split("/")[-1] for r in rows} == {
        "3-1-unge-uden-uddannelse",
        "3-2-unge-uden-for-arbejdsmarkedet",
        "bilag1-effekt-6",
        "bilag1-effekt-7",
    }


def test_plan_targets_come_from_the_policy_impact_targets(graph):
    rows = select(
        graph,
        """SELECT ?t ?src WHERE { ?t prov:wasDerivedFrom ?src ; epkg:partOfDocument ?plan }""",
        plan=PLAN,
    )
    assert {(short(r["t"]).split("/")[-1], short(r["src"]).split("/")[-1]) for r in rows} == {
        ("3-1-unge-uden-uddannelse", "bilag1-effekt-6"),
        ("3-2-unge-uden-for-arbejdsmarkedet", "bilag1-effekt-7"),
        ("3-3-offentligt-forsorgede", "bilag1-effekt-8"),
    }


def test_non_western_employment_rate_target(graph):
    rows = select(
        graph,
        """SELECT ?v ?b ?dl WHERE {
        <https://w3id.org/epkg/target/vordingborg-2019/bilag3-effekt-3> epkg:value ?v ; epkg:baselineValue ?b ;
            epkg:deadline ?dl ; epkg:partOfDocument <https://w3id.org/epkg/plan/vordingborg-policy-integration> }""",
    )
    assert [(float(r["v"]), float(r["b"]), r["dl"]) for r in rows] == [(50.0, 39.0, "2020")]


# --------------------------------------------------------------------------- projects


def _as_start(lit: Literal) -> date:
    s = str(lit)
    if lit.datatype == XSD.gYear:
        return date(int(s), 1, 1)
    if lit.datatype == XSD.gYearMonth:
        y, m = s.split("-")
        return date(int(y), int(m), 1)
    return date.fromisoformat(s)


def _as_end(lit: Literal) -> date:
    s = str(lit)
    if lit.datatype == XSD.gYear:
        return date(int(s), 12, 31)
    if lit.datatype == XSD.gYearMonth:
        y, m = map(int, s.split("-"))
        return date(y + (m == 12), m % 12 + 1, 1).replace(day=1) - (date(2000, 1, 2) - date(2000, 1, 1))
    return date.fromisoformat(s)


def test_projects_active_on_2019_06_01_and_their_funders(graph):
    day = date(2019, 6, 1)
    result = graph.query(
        """PREFIX epkg: <https://w3id.org/epkg/ontology#>
        SELECT ?p ?start ?end ?funder WHERE {
            ?p a epkg:Project ; epkg:partOfDocument ?plan .
            OPTIONAL { ?p epkg:periodStart ?start } OPTIONAL { ?p epkg:periodEnd ?end }
            OPTIONAL { ?p epkg:funder ?funder }
            FILTER(BOUND(?start) || BOUND(?end)) }""",
        initBindings={"plan": PLAN},
    )
    active = set()
    for row in result:
        if row.start is not None and _as_start(row.start) > day:
            continue
        if row.end is not None and _as_end(row.end) < day:
            continue
        active.add(
            (short(str(row.p)).split("/")[-1], short(str(row.funder)) if row.funder is not None else None)
        )
    assert active == {
        ("helhedsorienteret-familieindsats", "municipality/390"),
        ("ansvar-for-eget-liv", "organisation/ap-moller-fonden"),
        ("borgere-paa-sygedagpenge", "municipality/390"),
        ("jobparate-borgere-paa-kontanthjaelp", "municipality/390"),
        ("unge-paa-uddannelseshjaelp", "municipality/390"),
        ("kulturstyrke", "organisation/sundhedsstyrelsen"),
        ("arbejdskraft-til-storstromsbroen", None),
    }


def test_partner_municipality_of_the_bridge_project(graph):
    rows = select(
        graph,
        """SELECT ?m WHERE {
        <https://w3id.org/epkg/project/vordingborg-2019/arbejdskraft-til-storstromsbroen> epkg:partner ?m .
        ?m a epkg:Municipality }""",
    )
    assert [short(r["m"]) for r in rows] == ["municipality/376"]
    rows = select(
        graph,
        """SELECT ?s ?e ?n WHERE {
        <https://w3id.org/epkg/project/vordingborg-2019/arbejdskraft-til-storstromsbroen>
            epkg:periodStart ?s ; epkg:periodEnd ?e ; epkg:participants ?n }""",
    )
    assert [(r["s"], r["e"], r["n"]) for r in rows] == [("2018-01-01", "2019-12-31", "250")]


def test_ansvar_for_eget_liv(graph):
    rows = select(
        graph,
        """SELECT ?f ?s ?n WHERE {
        <https://w3id.org/epkg/project/vordingborg-2019/ansvar-for-eget-liv> epkg:funder ?f ;
            epkg:periodStart ?s ; epkg:participants ?n }""",
    )
    assert [(short(r["f"]), r["s"], r["n"]) for r in rows] == [
        ("organisation/ap-moller-fonden", "2017-05-01", "100")
    ]
    rows = select(
        graph,
        """SELECT ?v WHERE { ?f a epkg:KeyFigure ;
        epkg:about <https://w3id.org/epkg/project/vordingborg-2019/ansvar-for-eget-liv> ; epkg:value ?v }""",
    )
    assert [float(r["v"]) for r in rows] == [300.0]


def test_kulturstyrke(graph):
    rows = select(
        graph,
        """SELECT ?f ?s ?e ?size WHERE {
        <https://w3id.org/epkg/project/vordingborg-2019/kulturstyrke> epkg:funder ?f ;
            epkg:periodStart ?s ; epkg:periodEnd ?e ; epkg:size ?size }""",
    )
    assert [(short(r["f"]), r["s"], r["e"], r["size"]) for r in rows] == [
        ("organisation/sundhedsstyrelsen", "2016-08-01", "2019-06-30", "i alt 4 hold á 2 gange 10 deltagere")
    ]


def test_business_case_projects_and_their_expected_effects(graph):
    rows = select(
        graph,
        """SELECT ?p ?t ?v ?dir WHERE {
        ?p epkg:decision <https://w3id.org/epkg/decision/vordingborg-2019/2017-businesscases> ;
           epkg:periodEnd "2021-12-31"^^xsd:date .
        ?t a epkg:QuantifiedTarget ; epkg:about ?p ; epkg:value ?v ; epkg:direction ?dir }""",
    )
    assert {(short(r["p"]).split("/")[-1], float(r["v"]), short(r["dir"]).split("/")[-1]) for r in rows} == {
        ("borgere-paa-sygedagpenge", 40.0, "reduce"),
        ("jobparate-borgere-paa-kontanthjaelp", 65.0, "at-least"),
        ("unge-paa-uddannelseshjaelp", 310.0, "reduce"),
    }


def test_budget_proposals_of_section_7(graph):
    rows = select(
        graph, """SELECT ?m WHERE { ?m epkg:status status:proposal ; epkg:partOfDocument ?plan }""", plan=PLAN
    )
    assert {short(r["m"]).split("/")[-1] for r in rows} == {
        "7-1-konsulent-virksomhedssamarbejde",
        "7-2-ledighedsydelse-og-mikrofleksjob",
        "7-3-fortsaettelse-ansvar-for-eget-liv",
        "7-4-ressourceforloeb-og-jobafklaring",
        "7-5-kompetenceudvikling-empowerment",
    }


def test_municipal_offers_of_5_3_and_capacity(graph):
    rows = select(
        graph,
        """SELECT ?o WHERE { ?o a epkg:Offer ; epkg:section "5.3" ; epkg:partOfDocument ?plan }""",
        plan=PLAN,
    )
    assert {short(r["o"]).split("/")[-1] for r in rows} == {
        "skiftesporet",
        "haandvaerkergaarden",
        "praktisk-service",
        "cafe-aandehullet",
        "mentorkorpset",
    }
    rows = select(
        graph,
        """SELECT ?v WHERE { <https://w3id.org/epkg/figure/vordingborg-2019/5-3-kapacitet> epkg:value ?v }""",
    )
    assert [float(r["v"]) for r in rows] == [600.0]


# --------------------------------------------------------------------------- goal links


def test_measures_serving_2019_goal_5(graph):
    rows = select(
        graph,
        """SELECT ?m ?basis ?q WHERE {
        ?m epkg:servesGoal <https://w3id.org/epkg/minister-goal/2019/5> ; epkg:partOfDocument ?plan .
        ?l epkg:linkSubject ?m ; epkg:linkGoal <https://w3id.org/epkg/minister-goal/2019/5> ; epkg:basis ?basis ;
           epkg:citation ?c . ?c epkg:quote ?q }""",
        plan=PLAN,
    )
    assert [(short(r["m"]), short(r["basis"])) for r in rows] == [
        (f"measure/{D}/4-kontrolgruppe", "scheme/basis/stated")
    ]
    assert "styrkelse af kontrolgruppen" in rows[0]["q"]


def test_every_goal_link_has_exactly_one_well_formed_basis(graph):
    links = select(
        graph,
        f"""SELECT ?l (COUNT(DISTINCT ?b) AS ?nb) WHERE {{
        ?l a epkg:GoalLink ; epkg:linkSubject ?s ; epkg:basis ?b . ?s epkg:partOfDocument ?doc . {DOCS} }}
        GROUP BY ?l""",
    )
    # pass 3: 120 - 1 removed + 14 added by the sweep (8 of them from the annexed policies)
    assert len(links) == 133
    assert all(r["nb"] == "1" for r in links)
    assert not ask(
        graph,
        """ASK { ?l a epkg:GoalLink ; epkg:linkSubject ?s ; epkg:basis basis:derived .
        ?s epkg:partOfDocument ?plan . FILTER NOT EXISTS { ?l epkg:rule ?r . ?r a epkg:DerivationRule ;
        rdfs:label ?la , ?le ; skos:definition ?d . FILTER(lang(?la) = "da" && lang(?le) = "en") } }""",
        plan=PLAN,
    )
    assert not ask(
        graph,
        """ASK { ?l a epkg:GoalLink ; epkg:linkSubject ?s ; epkg:basis basis:curated .
        ?s epkg:partOfDocument ?plan . FILTER NOT EXISTS { ?l epkg:rationale ?r } }""",
        plan=PLAN,
    )
    assert not ask(
        graph,
        """ASK { ?l a epkg:GoalLink ; epkg:linkSubject ?s ; epkg:basis basis:stated .
        ?s epkg:partOfDocument ?plan . FILTER NOT EXISTS { ?l epkg:citation ?c . ?c a epkg:Passage } }""",
        plan=PLAN,
    )
    # derivedFrom only ever points at another goal link for the same goal
    assert not ask(
        graph,
        """ASK { ?l epkg:derivedFrom ?src ; epkg:linkGoal ?g ; epkg:linkSubject ?s .
        ?s epkg:partOfDocument ?plan . FILTER NOT EXISTS { ?src a epkg:GoalLink ; epkg:linkGoal ?g } }""",
        plan=PLAN,
    )
    # only 2019 goals
    assert not ask(
        graph,
        """ASK { ?l epkg:linkSubject ?s ; epkg:linkGoal ?g . ?s epkg:partOfDocument ?plan .
        FILTER NOT EXISTS { ?g epkg:goalYear "2019"^^xsd:gYear } }""",
        plan=PLAN,
    )


def test_serves_goal_triples_and_goal_links_correspond_one_to_one(graph):
    triples = select(
        graph, """SELECT ?s ?g WHERE { ?s epkg:servesGoal ?g ; epkg:partOfDocument ?plan }""", plan=PLAN
    )
    links = select(
        graph,
        """SELECT ?s ?g WHERE { ?l a epkg:GoalLink ; epkg:linkSubject ?s ; epkg:linkGoal ?g .
        ?s epkg:partOfDocument ?plan }""",
        plan=PLAN,
    )
    assert sorted((r["s"], r["g"]) for r in triples) == sorted((r["s"], r["g"]) for r in links)
    assert len(links) == len({(r["s"], r["g"]) for r in links})


# the plan and its annexed policies: the sweep of pass 3 links policy objectives and targets too
LINKS = f"""SELECT ?s ?g ?b ?sp WHERE {{ {DOCS} ?l a epkg:GoalLink ; epkg:linkSubject ?s ; epkg:linkGoal ?g ;
    epkg:basis ?b ; epkg:specificity ?sp . ?s epkg:partOfDocument ?doc }}"""


def test_goal_links_are_exactly_the_reviewed_ones(graph):
    """The graph holds exactly the links the review table keeps, each with its basis and specificity."""
    got = sorted(
        (short(r["s"]), short(r["g"]), short(r["b"]).split("/")[-1], short(r["sp"]).split("/")[-1])
        for r in select(graph, LINKS)
    )
    assert got == kept_links(D)
    # pass 3 (one criterion for direct; the false-negative sweep): 19 links changed, 1 removed, 14 added
    assert verdict_counts(D) == {"kept": 47, "changed": 52, "added": 34, "removed": 15}


def test_links_by_basis_and_specificity(graph):
    rows = select(
        graph,
        f"""SELECT ?b ?sp (COUNT(?l) AS ?n) WHERE {{ {DOCS} ?l a epkg:GoalLink ; epkg:linkSubject ?s ;
        epkg:basis ?b ; epkg:specificity ?sp . ?s epkg:partOfDocument ?doc }} GROUP BY ?b ?sp""",
    )
    assert {(short(r["b"]).split("/")[-1], short(r["sp"]).split("/")[-1]): int(r["n"]) for r in rows} == {
        ("stated", "direct"): 1,
        ("curated", "direct"): 52,
        ("curated", "via-group"): 14,
        ("derived", "direct"): 44,
        ("derived", "via-group"): 22,
    }


def test_the_blanket_sentence_is_read_at_area_and_group_level(graph):
    """The plan's "goals are covered" sentence gives curated links for focus areas and 5.1 target groups only;
    everything below them is derived from one of those links, with the plan's rule."""
    rows = select(
        graph,
        """SELECT ?s ?g ?b WHERE { ?l epkg:linkSubject ?s ; epkg:linkGoal ?g ; epkg:basis ?b .
        ?s epkg:partOfDocument ?plan . VALUES ?t { epkg:FocusArea epkg:PlanTargetGroup } ?s a ?t }""",
        plan=PLAN,
    )
    assert {short(r["b"]) for r in rows} == {"scheme/basis/curated"}
    assert sorted((short(r["s"]).split("/")[-1], short(r["g"])[-1]) for r in rows) == [
        ("aktiv-virksomhedsindsats", "2"),
        ("arbejdsmarkedsparate-ledige", "4"),
        ("borgere-under-integrationsloven", "3"),
        ("fleksjobberettigede", "7"),
        ("flygtninge", "3"),
        ("ikke-arbejdsmarkedsparate", "4"),
        ("ikke-arbejdsmarkedsparate", "6"),
        ("langvarigt-forsorgede-og-borgere-paa-kanten", "4"),
        ("langvarigt-forsorgede-og-borgere-paa-kanten", "6"),
        ("langvarigt-forsorgede-og-borgere-paa-kanten", "7"),
        ("ressourceforloeb", "6"),
        ("storstromsbro", "2"),
        ("tidlig-og-aktiv-indsats", "1"),
        ("uddannelsesindsats-unge-under-30", "1"),
        ("unge-med-uddannelseshjaelp", "1"),
    ]
    # every derived link names the plan's rule and a curated or stated link to the same goal of a focus area,
    # target group or project the subject stands in
    assert not ask(
        graph,
        """ASK { ?l epkg:basis basis:derived ; epkg:linkSubject ?s ; epkg:linkGoal ?g .
        ?s epkg:partOfDocument ?plan .
        FILTER NOT EXISTS { ?l epkg:rule <https://w3id.org/epkg/rule/vordingborg-2019/measure-of-covering-area-or-group> ;
            epkg:derivedFrom ?src . ?src epkg:linkGoal ?g ; epkg:linkSubject ?p ; epkg:basis ?pb .
            FILTER(?pb IN (basis:curated, basis:stated))
            ?s epkg:inFocusArea|epkg:forTargetGroup|dcterms:isPartOf ?p } }""",
        plan=PLAN,
    )
    # the two rules that turned the blanket sentence into area and group links are deprecated and unused
    rows = select(
        graph,
        """SELECT ?r WHERE { ?r a epkg:DerivationRule ; owl:deprecated true .
        FILTER(STRSTARTS(STR(?r), "https://w3id.org/epkg/rule/vordingborg-2019/")) }""",
    )
    assert sorted(short(r["r"]) for r in rows) == [
        "rule/vordingborg-2019/focus-area-covering-goal",
        "rule/vordingborg-2019/target-group-covering-goal",
    ]
    assert not ask(graph, "ASK { ?l epkg:rule ?r . ?r owl:deprecated true }")


def test_no_derived_link_where_the_resource_names_only_groups_disjoint_from_the_goals(graph):
    """A-kasse-only, company-only and sick-leave resources do not inherit their area's or group's goals."""
    assert not ask(
        graph,
        """ASK { ?l epkg:basis basis:derived ; epkg:linkSubject ?s ; epkg:linkGoal ?g .
        ?s epkg:partOfDocument ?plan ; epkg:forTargetGroup ?t . ?t a epkg:TargetGroup .
        FILTER NOT EXISTS { ?s epkg:forTargetGroup ?t2 . ?t2 a epkg:TargetGroup . ?g epkg:forTargetGroup ?gg .
            ?x a epkg:TargetGroup ; skos:broader* ?t2 , ?gg } }""",
        plan=PLAN,
    )
    # the A-kasse-only measures of the job-ready group serve goal 2 (upskilling), not goal 4
    rows = select(
        graph,
        """SELECT ?m ?g WHERE { ?m epkg:forTargetGroup ?grp , <https://w3id.org/epkg/target-group/a-dagpenge> ;
        epkg:servesGoal ?g . ?m epkg:partOfDocument ?plan }""",
        plan=PLAN,
        grp=URIRef(B + "plan-target-group/vordingborg-2019/arbejdsmarkedsparate-ledige"),
    )
    assert sorted((short(r["m"]).split("/")[-1], short(r["g"])) for r in rows) == [
        ("5-1-arbejdsmarkedsparate-jobrettet-opkvalificering", "minister-goal/2019/2"),
        ("5-1-arbejdsmarkedsparate-voksenlaerling", "minister-goal/2019/2"),
    ]


def test_no_link_from_a_resource_that_ended_before_2019(graph):
    assert not ask(
        graph,
        """ASK { ?s epkg:servesGoal ?g ; epkg:partOfDocument ?plan ; epkg:periodEnd|epkg:deadline ?e .
        FILTER(SUBSTR(STR(?e), 1, 4) < "2019") }""",
        plan=PLAN,
    )
    # the ledighedsydelse project was "netop gennemført" (just completed) when the plan was written
    assert not ask(
        graph,
        """ASK { ?s epkg:servesGoal ?g ; epkg:status status:completed ; epkg:partOfDocument ?plan }""",
        plan=PLAN,
    )


def test_what_serves_the_refugee_goal_of_2019(graph):
    rows = select(
        graph,
        """SELECT ?s ?b ?sp WHERE { ?l epkg:linkSubject ?s ; epkg:basis ?b ; epkg:specificity ?sp ;
        epkg:linkGoal <https://w3id.org/epkg/minister-goal/2019/3> . ?s epkg:partOfDocument ?plan }""",
        plan=PLAN,
    )
    assert sorted((short(r["s"]), short(r["b"])[13:], short(r["sp"])[19:]) for r in rows) == [
        (f"focus-area/{D}/flygtninge", "curated", "direct"),
        (f"measure/{D}/4-5-dansk-og-virksomhedsrettet", "derived", "direct"),
        # pass 3: generic Danish-tuition and supplementary offers name neither refugees nor self-support
        (f"measure/{D}/5-1-integration-danskuddannelse", "derived", "via-group"),
        (f"measure/{D}/5-1-integration-supplerende-tilbud", "derived", "via-group"),
        (f"measure/{D}/5-1-integration-virksomhedskontakt", "derived", "direct"),
        # pass 3: involvement in the IGU follow-up is a coordination step
        (f"measure/{D}/5-2-flere-virksomhedsrettede-forloeb", "curated", "via-group"),
        # pass 3: recruiting staff for elder care is not the refugee goal; only its group names integration benefit
        (f"measure/{D}/6-2-sosu-klar", "derived", "via-group"),
        (f"objective/{D}/3-3-flygtninge-i-uddannelse-eller-arbejde", "curated", "direct"),
        (f"plan-target-group/{D}/borgere-under-integrationsloven", "curated", "direct"),
        # pass 3: helhedsorienteret familieindsats removed (its "social integration" is not the refugee goal)
        (f"project/{D}/igu", "derived", "direct"),
        (f"project/{D}/vordingborgmodellen", "curated", "via-group"),
    ]


def test_completed_projects_and_igu_without_a_size(graph):
    rows = select(
        graph,
        """SELECT ?p ?t WHERE { ?p epkg:status status:completed ; epkg:partOfDocument ?plan ;
        epkg:periodText ?t }""",
        plan=PLAN,
    )
    assert sorted((short(r["p"]).split("/")[-1], r["t"]) for r in rows) == [
        ("kmd-momentum", "lige er blevet implementeret over sommeren 2018"),
        ("ledighedsydelse-projekt", "netop gennemført"),
    ]
    # "2-årige" is the length of an IGU course, not the size of the job centre's effort
    assert not ask(graph, "ASK { ?p epkg:size ?s }", p=URIRef(B + f"project/{D}/igu"))


@pytest.mark.parametrize("goal", range(1, 8))
def test_every_2019_goal_has_a_serving_vordingborg_measure(graph, goal):
    assert ask(
        graph,
        f"""ASK {{ ?m epkg:servesGoal <https://w3id.org/epkg/minister-goal/2019/{goal}> ;
        epkg:partOfDocument ?plan ; a ?t . VALUES ?t {{ epkg:Measure epkg:Project epkg:Offer }} }}""",
        plan=PLAN,
    )


def test_measures_serving_goal_7(graph):
    rows = select(
        graph,
        """SELECT ?m WHERE { ?m epkg:servesGoal <https://w3id.org/epkg/minister-goal/2019/7> ;
        epkg:partOfDocument ?plan ; a ?t . VALUES ?t { epkg:Measure epkg:Project epkg:Offer } }""",
        plan=PLAN,
    )
    assert {short(r["m"]).split("/")[-1] for r in rows} == {
        "5-1-unge-funktionsnedsaettelse",
        "5-1-fleksjob-samtaler",
        "5-1-fleksjob-opsoegning",
        "7-2-ledighedsydelse-og-mikrofleksjob",
        "fastholdelseskonsulenter",
    }


# --------------------------------------------------------------------------- every resource


def test_every_resource_has_danish_and_english_label_and_a_verified_citation(graph):
    bad = select(
        graph,
        f"""SELECT DISTINCT ?x WHERE {{ {DOCS}
        ?x epkg:partOfDocument ?doc .
        FILTER NOT EXISTS {{ ?x rdfs:label ?da . FILTER(lang(?da) = "da") }} }}""",
    )
    bad += select(
        graph,
        f"""SELECT DISTINCT ?x WHERE {{ {DOCS}
        ?x epkg:partOfDocument ?doc .
        FILTER NOT EXISTS {{ ?x rdfs:label ?en . FILTER(lang(?en) = "en") }} }}""",
    )
    bad += select(
        graph,
        f"""SELECT DISTINCT ?x WHERE {{ {DOCS}
        ?x epkg:partOfDocument ?doc .
        FILTER NOT EXISTS {{ ?x epkg:citation ?c . ?c epkg:inDocument <https://w3id.org/epkg/plan/vordingborg-2019> ;
            epkg:quote ?q }} }}""",
    )
    assert bad == []
    n = select(graph, f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {DOCS} ?x epkg:partOfDocument ?doc }}""")
    assert int(n[0]["n"]) > 250
