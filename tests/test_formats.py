"""Every output format of api/formats.py against a golden file.

The answer is a real one (goal-lineage for 2019 goal 3: typed literals, language-tagged
literals, IRIs and an unbound cell), written as a text table, SPARQL 1.1 JSON results and
CSV, and compared byte for byte with tests/golden/formats/. A lost datatype or language, a
"None" for an unbound cell or a changed layout fails. Regenerate after a reviewed change
with ``EPKG_REGENERATE_GOLDENS=1 pytest tests/test_formats.py``.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from api.formats import FORMATS, render, to_text_table
from api.store import open_store

GOLDEN = Path(__file__).resolve().parent / "golden" / "formats"
REGENERATE = os.environ.get("EPKG_REGENERATE_GOLDENS") == "1"
SUFFIX = {"table": "txt", "json": "json", "csv": "csv"}


@pytest.fixture(scope="module")
def table(project, catalogue):
    question = catalogue["goal-lineage"]
    return open_store("oxigraph", project).select(
        question.render(question.bind({"year": "2019", "number": "3"}))
    )


def _text(table, fmt: str) -> str:
    # A fixed width, so the golden does not depend on the terminal.
    return to_text_table(table, total_width=400) if fmt == "table" else render(table, fmt)


def test_the_answer_has_what_the_formats_must_keep(table):
    records = table.records()
    assert len(records) == 2
    assert "continues" not in records[0] and "continues" in records[1]  # an unbound cell
    assert {r["edition_year"].datatype for r in records} != {None}  # typed literals
    assert {r["statement"].language for r in records} == {"da"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_the_golden_one(table, fmt):
    path = GOLDEN / f"goal-lineage-2019-3.{SUFFIX[fmt]}"
    got = _text(table, fmt)
    if REGENERATE:
        path.write_bytes(got.encode("utf-8"))
    assert got == path.read_bytes().decode("utf-8")


def test_the_json_keeps_datatypes_languages_and_leaves_unbound_cells_out(table):
    answer = json.loads(_text(table, "json"))
    first, second = answer["results"]["bindings"]
    assert first["edition_year"] == {
        "type": "literal",
        "value": "2017",
        "datatype": "http://www.w3.org/2001/XMLSchema#gYear",
    }
    assert first["statement"]["xml:lang"] == "da"
    assert "continues" not in first and second["continues"]["type"] == "uri"


def test_the_csv_writes_an_unbound_cell_empty(table):
    lines = _text(table, "csv").split("\r\n")
    header = lines[0].split(",")
    first = next(csv.reader([lines[1]]))
    assert first[header.index("continues")] == ""
    assert "None" not in _text(table, "csv") and "None" not in _text(table, "table")
