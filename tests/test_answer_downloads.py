"""The answer page's downloads (``/answer.csv``, ``/answer.xlsx``): one row per goal link with every
column, the same rows in both formats and on the page, Danish headers by default and English ones
with ``lang=en``; a bad format or goal is a clear 4xx.

Expected rows come from the shipped data through the catalogue (serving-goal, run with rdflib on
the ``graph`` fixture) and from the graph's own labels, not through the server."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from openpyxl import load_workbook
from rdflib import RDFS, URIRef

from api.pages.texts import TEXT

from .test_pages import answer_rows

COLUMNS = (
    "col_municipality",
    "col_plan",
    "col_annex",
    "col_kind",
    "col_item",
    "col_iri",
    "col_basis",
    "col_root_basis",
    "col_specificity",
    "col_rule",
    "col_derived_from",
    "col_rationale",
    "col_quotes",
    "col_link",
)
# Goal 3 of 2019: Vordingborg answers it with resources of the plan and of an annexed policy.
YEAR, NUMBER = "2019", "3"


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode()), "Excel needs the byte-order mark to read æ, ø, å"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_xlsx(body: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def label(graph, iri: str, lang: str) -> str:
    return next(
        (str(o) for o in graph.objects(URIRef(iri), RDFS.label) if getattr(o, "language", None) == lang), ""
    )


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_downloads_hold_every_link_with_every_column(client, catalogue, graph, lang):
    expected = answer_rows(catalogue, graph, "serving-goal", year=YEAR, number=NUMBER)
    assert any(r["resource_document"] != r["plan"] for r in expected), "the example should have an annexed document"
    params = {"year": YEAR, "number": NUMBER, **({"lang": "en"} if lang == "en" else {})}
    csv_response = client.get("/answer.csv", params=params)
    xlsx_response = client.get("/answer.xlsx", params=params)
    assert csv_response.status_code == 200 and xlsx_response.status_code == 200
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    assert xlsx_response.headers["content-disposition"] == f'attachment; filename="goal-{YEAR}-{NUMBER}.xlsx"'
    table = read_csv(csv_response.content)
    assert read_xlsx(xlsx_response.content) == table
    header, rows = table[0], table[1:]
    assert header == [TEXT[key][lang] for key in COLUMNS]
    column = {key: i for i, key in enumerate(COLUMNS)}
    # Every link once, with its resource, municipality, plan and (for an annexed policy) document.
    assert Counter(r[column["col_link"]] for r in rows) == Counter(r["link"] for r in expected)
    by_link = {r["link"]: r for r in expected}
    for row in rows:
        want = by_link[row[column["col_link"]]]
        assert row[column["col_iri"]] == want["resource"]
        assert row[column["col_municipality"]] == want["municipality_name" + ("_en" if lang == "en" else "")]
        annex = label(graph, want["resource_document"], lang) if want["resource_document"] != want["plan"] else ""
        assert row[column["col_annex"]] == annex
        assert row[column["col_item"]] == (want["label_en"] or want["label"] if lang == "en" else want["label"])
        assert row[column["col_rationale"]] == (
            want["rationale_en"] or want["rationale"] if lang == "en" else want["rationale"]
        )
        for key, field in (("col_basis", "basis"), ("col_root_basis", "root_basis"), ("col_specificity", "specificity")):
            assert row[column[key]] == TEXT[want[field].rsplit("/", 1)[-1].replace("-", "_")][lang], (key, row)
        cited = answer_rows(catalogue, graph, "serving-goal-citations", year=YEAR, number=NUMBER)
        quotes = {r["quote"] for r in cited if r["link"] == want["link"]}
        assert all(f"«{q}»" in row[column["col_quotes"]] for q in quotes) and row[column["col_quotes"]].count("«") == len(
            quotes
        )


@pytest.mark.parametrize(
    "path, status, says",
    [
        ("/answer.pdf?year=2019&number=2", 404, "csv or xlsx"),
        ("/answer.csv?year=2019&number=99", 404, "no minister goal number 99 for 2019"),
        ("/answer.csv?year=2019", 400, "pick a year and a goal number"),
        ("/answer.xlsx?year=2019&number=2&basis=guess", 400, "basis"),
    ],
)
def test_a_bad_download_request_is_a_clear_4xx(client, path, status, says):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert says in response.text
