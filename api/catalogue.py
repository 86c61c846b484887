"""The question catalogue: reads queries/*.rq and their headers, binds parameters safely.

A question file starts with a header of ``#+ key: value`` lines (see queries/README.md):

    #+ question_da: Hvilke indsatser understøtter ministerens mål?
    #+ question_en: Which measures serve a minister goal?
    #+ summary: One row per measure and goal link, with basis and citation.
    #+ param: year | year | required | 2017 | The goal's year.
    #+ example: epkg query measures-serving-goal --param year=2017 --param number=4

Parameters are SPARQL variables of the same name. Bound values become one VALUES row
placed first in the outermost WHERE group, so every store (embedded or remote) runs the
same text, and an unbound optional parameter simply leaves its variable free.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib.term import Identifier

from .errors import NotFound, ProjectError
from .graph import sparql_prologue
from .parameters import TYPES, ParameterError, convert

_HEADER = re.compile(r"^#\+\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_FIRST_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
REQUIRED_KEYS = ("question_da", "question_en", "summary", "example")


class CatalogueError(ProjectError):
    """A query file the catalogue cannot use (a defect of the project, not of the user)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    example: str
    description: str

    @property
    def help(self) -> str:
        return TYPES[self.type].help


@dataclass(frozen=True)
class Question:
    name: str
    path: Path
    question_da: str
    question_en: str
    summary: str
    example: str
    parameters: tuple[Parameter, ...]
    text: str = field(repr=False)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise ParameterError(name, f"question '{self.name}' has no such parameter (it takes: {known})")

    def example_params(self) -> dict[str, str]:
        """The parameter values of the header's example call (``--param key=value`` pairs)."""
        words = shlex.split(self.example)
        return dict(
            words[i + 1].split("=", 1) for i, word in enumerate(words[:-1]) if word in ("--param", "-p")
        )

    def bind(self, raw: Mapping[str, str]) -> dict[str, Identifier]:
        """Validates the user's strings and returns typed RDF terms by parameter name."""
        bound = {name: convert(name, self.parameter(name).type, value) for name, value in raw.items()}
        missing = [p.name for p in self.parameters if p.required and p.name not in bound]
        if missing:
            p = self.parameter(missing[0])
            raise ParameterError(p.name, f"is required ({p.help}; e.g. {p.example})")
        return bound

    def render(self, bindings: Mapping[str, Identifier]) -> str:
        """The query text to run: prologue, and the bindings as a VALUES row."""
        return bind_values(self.text, bindings)


def _n3(term: Identifier) -> str:
    try:
        return term.n3()
    except Exception:  # rdflib refuses an IRI with characters IRIs cannot hold (a client's path: "<>{}|^`)
        raise NotFound(f"{str(term)!r} is not a valid IRI, so nothing in the graph has it") from None


def bind_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` with the prologue, and ``bindings`` (RDF terms, serialised by rdflib, which
    escapes them) as one VALUES row first in the outermost ``WHERE {``."""
    if bindings:
        names = sorted(bindings)
        values = (
            f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(_n3(bindings[n]) for n in names)}) }}"
        )
        match = _FIRST_WHERE.search(text)
        if match is None:
            raise CatalogueError("a query with bindings needs an explicit 'WHERE {'")
        text = f"{text[: match.end()]}\n  {values}\n{text[match.end() :]}"
    return sparql_prologue() + text


def parse_question(path: Path) -> Question:
    lines = path.read_text(encoding="utf-8").splitlines()
    header: dict[str, str] = {}
    parameters: list[Parameter] = []
    body_start = 0
    for i, line in enumerate(lines):
        match = _HEADER.match(line)
        if not match:
            if line.strip() and not line.startswith("#"):
                body_start = i
                break
            continue
        key, value = match.groups()
        if key == "param":
            parameters.append(_parse_parameter(path, value))
        else:
            header[key] = value
    name = path.stem
    problems = [f"missing '#+ {key}:'" for key in REQUIRED_KEYS if not header.get(key)]
    if not _NAME.match(name):
        problems.append("file name must be lower-case words joined by '-'")
    text = "\n".join(lines[body_start:]) + "\n"
    if parameters and not _FIRST_WHERE.search(text):
        problems.append("a question with parameters needs an explicit 'WHERE {'")
    for parameter in parameters:
        if not re.search(rf"\?{parameter.name}\b", text):
            problems.append(f"parameter '{parameter.name}' is not a variable of the query")
    if problems:
        raise CatalogueError(f"{path}: " + "; ".join(problems))
    return Question(
        name=name,
        path=path,
        question_da=header["question_da"],
        question_en=header["question_en"],
        summary=header["summary"],
        example=header["example"],
        parameters=tuple(parameters),
        text=text,
    )


def _parse_parameter(path: Path, spec: str) -> Parameter:
    parts = [part.strip() for part in spec.split("|")]
    if len(parts) != 5 or parts[1] not in TYPES or parts[2] not in ("required", "optional"):
        raise CatalogueError(
            f"{path}: bad '#+ param: {spec}' (want: name | type | required|optional | example | description; "
            f"types: {', '.join(TYPES)})"
        )
    name, type_name, need, example, description = parts
    convert(name, type_name, example)  # the example itself must be valid
    return Parameter(name, type_name, need == "required", example, description)


def load_catalogue(queries_dir: Path) -> dict[str, Question]:
    questions = [parse_question(path) for path in sorted(queries_dir.glob("*.rq"))]
    return {question.name: question for question in questions}


class UnknownQuestion(NotFound):
    def __init__(self, name: str, known: list[str]):
        super().__init__(f"no question named '{name}'; known questions: {', '.join(known)}")
