"""One definition of "what a plan answers a goal with", held to every view: for every plan x goal of
every year, the coverage matrix (goal-coverage: the heatmap and table, tests/test_pages.py), the gaps
(plan-goal-gaps, and the completeness shape: tests/test_shapes.py), the answer's question
(serving-goal: the /answer page, the CLI) and the REST route count the same goal links."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest


from .test_pages import answer_rows

YEARS = ("2017", "2019")


def coverage(catalogue, graph, year):
    return {(r["plan"], r["number"]): r for r in answer_rows(catalogue, graph, "goal-coverage", year=year)}


@pytest.mark.parametrize("year", YEARS)
def test_the_matrix_the_answer_and_the_gaps_count_the_same_links(catalogue, graph, year):
    cells = coverage(catalogue, graph, year)
    assert cells
    answers, measures_of = {}, {}
    for number in {n for _, n in cells}:
        answers[number] = answer_rows(catalogue, graph, "serving-goal", year=year, number=number)
        measures_of[number] = answer_rows(
            catalogue, graph, "serving-goal", year=year, number=number, category="measure"
        )
    for (plan, number), cell in cells.items():
        links = [r for r in answers[number] if r["plan"] == plan]
        measures = [r for r in measures_of[number] if r["plan"] == plan]
        assert int(cell["links"]) == len(links), (plan, number)
        assert int(cell["measures"]) == len(measures) and int(cell["others"]) == len(links) - len(measures)
        kinds = Counter(r["specificity"].rsplit("/", 1)[-1] for r in links)
        assert (int(cell["direct"]), int(cell["via_group"])) == (kinds["direct"], kinds["via-group"])
        bases = Counter(r["basis"].rsplit("/", 1)[-1] for r in links)
        assert [int(cell[b]) for b in ("stated", "derived", "curated")] == [
            bases[b] for b in ("stated", "derived", "curated")
        ]
    gaps = {(r["plan"], r["number"]) for r in answer_rows(catalogue, graph, "plan-goal-gaps", year=year)}
    assert gaps == {key for key, cell in cells.items() if cell["links"] == "0"}


def test_the_rest_route_gives_every_cell_its_links(live_server, catalogue, graph):
    with httpx.Client(base_url=live_server, timeout=60) as client:
        for year in YEARS:
            cells = coverage(catalogue, graph, year)
            for number in sorted({n for _, n in cells}):
                body = client.get(
                    f"/api/minister-goals/{year}/{number}/answers", params={"limit": 1000}
                ).json()
                per_plan = Counter(item["plan"] for item in body["items"])
                # Each item names its own document too (an annexed policy's, or the plan itself).
                assert all(item["resource_document"] for item in body["items"]), (year, number)
                assert {
                    plan: n for (plan, num), c in cells.items() if num == number and (n := int(c["links"]))
                } == dict(per_plan)
                measures = client.get(
                    f"/api/minister-goals/{year}/{number}/answers", params={"limit": 1000, "kind": "measure"}
                ).json()
                assert measures["total"] == sum(
                    int(c["measures"]) for (_, num), c in cells.items() if num == number
                )


def test_the_command_line_asks_the_same_question_as_the_page(live_server):
    """The README's example (epkg query serving-goal) gives the rows of /answer and the REST route."""
    import csv
    import io
    import subprocess
    import sys

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "query",
            "serving-goal",
            "-p",
            "year=2017",
            "-p",
            "number=4",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    links = [row["link"] for row in csv.DictReader(io.StringIO(run.stdout))]
    body = httpx.get(
        f"{live_server}/api/minister-goals/2017/4/answers", params={"limit": 1000}, timeout=60
    ).json()
    assert links == [item["link"] for item in body["items"]]


def test_links_of_annexed_documents_count_as_their_plans(catalogue, graph):
    """Vordingborg's policies are annexed to its plan (dcterms:isPartOf): their resources' goal links
    are the plan's in the matrix and the answer, which gives each link's own document too."""
    from rdflib import DCTERMS, URIRef

    EPKG = "https://w3id.org/epkg/ontology#"
    annexed = {}
    for link, resource in graph.subject_objects(URIRef(EPKG + "linkSubject")):
        document = graph.value(resource, URIRef(EPKG + "partOfDocument"))
        plan = graph.value(document, DCTERMS.isPartOf)
        if plan is not None:
            annexed[str(link)] = (str(plan), str(document), graph.value(link, URIRef(EPKG + "linkGoal")))
    assert len(annexed) == 8 and {p for p, _, _ in annexed.values()} == {"https://w3id.org/epkg/plan/vordingborg-2019"}
    found = {}
    for year in YEARS:
        for number in sorted({n for _, n in coverage(catalogue, graph, year)}):
            for r in answer_rows(catalogue, graph, "serving-goal", year=year, number=number):
                if r["link"] in annexed:
                    found[r["link"]] = (r["plan"], r["resource_document"])
    assert found == {link: (plan, document) for link, (plan, document, _) in annexed.items()}
