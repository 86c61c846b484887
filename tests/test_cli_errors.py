"""No traceback reaches a user: each broken thing gets one line that names it, and exit 2 or 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def epkg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=REPO, timeout=120)


@pytest.fixture()
def broken_home(tmp_path):
    """A copy of the project to break."""
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    return tmp_path


def assert_clean(result: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for word in words:
        assert word in result.stderr, result.stderr


def test_bad_setting():
    assert_clean(epkg("info", env={"EPKG_TIMEOUT": "abc"}), 2, "EPKG_TIMEOUT='abc'")
    assert_clean(epkg("query", "goal-coverage", "-p", "year=2017", env={"EPKG_STORE": "postgres"}), 2, "EPKG_STORE")


def test_unwritable_output():
    assert_clean(epkg("dump", "-o", "/missing/x"), 2, "/missing/x")


def test_turtle_syntax_error_names_the_file(broken_home):
    path = broken_home / "data" / "plans" / "slagelse-2017.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\n<oops> <is> .\n", encoding="utf-8")
    assert_clean(epkg("info", env={"EPKG_HOME": str(broken_home)}), 1, "slagelse-2017.ttl")
    assert_clean(epkg("query", "minister-goals", env={"EPKG_HOME": str(broken_home)}), 1, "slagelse-2017.ttl")


def test_broken_query_header_names_the_file(broken_home):
    path = broken_home / "queries" / "search.rq"
    path.write_text(path.read_text(encoding="utf-8").replace("#+ question_en:", "#+ question_xx:"), encoding="utf-8")
    assert_clean(epkg("query", "--list", env={"EPKG_HOME": str(broken_home)}), 1, "search.rq", "question_en")


def test_bad_parameter_and_unknown_question():
    assert_clean(epkg("query", "goal-coverage", "-p", "year=twenty"), 2, "parameter 'year'")
    assert_clean(epkg("query", "no-such-thing"), 2, "no question named 'no-such-thing'")


def test_serve_refuses_bad_options():
    assert_clean(epkg("serve", "--port", "70000"), 2, "--port")


GOALS = "the goals are (year: numbers) 2017: 1, 2, 3, 4; 2019: 1, 2, 3, 4, 5, 6, 7"


def test_an_unknown_goal_or_year_names_the_goals_there_are():
    assert_clean(epkg("query", "serving-goal", "-p", "year=2030", "-p", "number=4"), 2,
                 f"there is no minister goal 4 of 2030; {GOALS}")
    assert_clean(epkg("query", "serving-goal", "-p", "year=2017", "-p", "number=9"), 2, "no minister goal 9 of 2017")
    assert_clean(epkg("query", "goal-coverage", "-p", "year=2016"), 2, f"there is no minister goal for 2016; {GOALS}")
