"""The façade: everything the command line and the HTTP app do with the graph, in one place.

Ask a question of the catalogue, run a client's SPARQL, describe a resource, validate the
graph, check the sources. It returns data and raises ``errors`` (never prints, never knows
about HTTP): ``epkg`` and the FastAPI routes are thin shells over it, like pySHACL's CLI
over ``pyshacl.validate()``.

Queries run through an executor: the worker pool (``epkg serve``), which stops a query at
its time limit, or inline (the command line). The data is immutable while the service runs,
so answers are cached by query text; ``reload()`` drops the cache with the workers.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from . import execution, sandbox
from .admission import Admission
from .catalogue import Question, UnknownQuestion, bind_values, load_catalogue
from .errors import NotFound, UserError
from .graph import BASE, Project, load_files
from .guard import Limits, VettedQuery, vet
from .preview import Preview
from .provenance import QuoteProblem, check_passages, recorded_sources, sha256_of
from .settings import Settings
from .store import ProtocolDataset, Table
from .validation import Validation, load_shapes, load_store, validate


@dataclass(frozen=True)
class Answer:
    """A catalogue question's answer: the rows, and the SPARQL that produced them."""

    question: Question
    parameters: dict[str, str]
    query: str
    table: Table
    seconds: float
    cached: bool


@dataclass(frozen=True)
class SourceCheck:
    passages: int
    problems: tuple[QuoteProblem, ...]
    changed_files: tuple[str, ...]  # source files missing or not matching their SHA-256

    @property
    def ok(self) -> bool:
        return not self.problems and not self.changed_files


@dataclass(frozen=True)
class StartupCheck:
    """What `epkg serve` checks before serving, cached by the content hash of the files."""

    content_hash: str
    triples: int
    violations: int
    warnings: int
    infos: int
    quote_problems: int
    changed_sources: int
    seconds: float
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.violations == 0 and self.quote_problems == 0 and self.changed_sources == 0

    def summary(self) -> str:
        """One line for people, as `epkg serve` and `epkg load` print it."""
        how = "remembered" if self.cached else f"checked in {self.seconds:.1f} s"
        return (
            f"{self.triples:,} triples; {self.violations} violations, {self.quote_problems} quotes not found, "
            f"{self.changed_sources} changed source files ({how})"
        )


class AnswerCache:
    """Least-recently-used answers, bounded by their size in bytes, and by their age where
    ``max_age`` is given (a remote store can be reloaded under a running service)."""

    def __init__(self, max_bytes: int, max_age: float | None = None):
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._items: OrderedDict[tuple, tuple[Any, int, float]] = OrderedDict()
        self._bytes = 0
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Any | None:
        item = self._items.get(key)
        if item is not None and self.max_age is not None and time.monotonic() - item[2] > self.max_age:
            self._bytes -= self._items.pop(key)[1]
            item = None
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item[0]

    def put(self, key: tuple, value: Any, size: int) -> None:
        if size > self.max_bytes // 4:  # one answer never takes more than a quarter
            return
        if key in self._items:
            self._bytes -= self._items.pop(key)[1]
        self._items[key] = (value, size, time.monotonic())
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, (_, dropped, _) = self._items.popitem(last=False)
            self._bytes -= dropped

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


def _table_size(table: Table) -> int:
    return 64 + sum(len(str(term or "")) + 16 for row in table.rows for term in row)


@dataclass
class Service:
    settings: Settings
    project: Project
    executor: execution.Executor
    catalogue: dict[str, Question] = field(init=False)
    cache: AnswerCache = field(init=False)
    started: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.catalogue = load_catalogue(self.project.queries_dir)
        # The embedded store is the service's own and never changes while it runs; a remote
        # store may be reloaded by `epkg load`, so its answers are kept for cache_seconds only.
        max_age = self.settings.cache_seconds if self.settings.store == "remote" else None
        self.cache = AnswerCache(self.settings.cache_mb * 1024 * 1024, max_age)
        self.limits = Limits(
            self.settings.max_query_bytes,
            self.settings.max_depth,
            self.settings.max_values,
            network_clauses=self.settings.unsafe_skip_guard,
        )

    # --- opening and closing ------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, *, pool: bool, wait: bool = True) -> Service:
        """The service on the configured store: in a worker pool (``pool``) or inline.

        ``wait=False`` returns while the workers still load the store (call ``ready()``)."""
        project = Project.from_settings(settings)
        memory_mb = settings.worker_memory or sandbox.default_memory_mb(settings.workers)
        spec = execution.StoreSpec(
            settings.store,
            project.home,
            settings.endpoint,
            settings.timeout,
            settings.max_response_bytes,
            memory_bytes=memory_mb * 1024 * 1024 if pool else None,
        )
        executor: execution.Executor
        if pool:
            # One client holds all workers but one (at least one), so another always finds one free.
            share = settings.client_workers or max(1, settings.workers - 1)
            admission = Admission(settings.workers, share, settings.queue_limit, settings.queue_seconds)
            workers = execution.WorkerPool(spec, settings.workers, admission)
            if wait:
                workers.warm_up()
            executor = workers
        else:
            executor = execution.InlineExecutor(spec)
        return cls(settings, project, executor)

    def close(self) -> None:
        self.executor.close()

    def ready(self) -> None:
        """Waits until the query workers have loaded the store."""
        if isinstance(self.executor, execution.WorkerPool):
            self.executor.warm_up()

    def reload(self) -> None:
        """Re-reads the catalogue and drops every cached answer (after the data changed)."""
        self.catalogue = load_catalogue(self.project.queries_dir)
        self.cache.clear()

    @property
    def store_description(self) -> str:
        return self.executor.description

    def workers_status(self) -> dict[str, Any]:
        """The query workers' limits and queue (the worker pool's), or how the command line runs."""
        if isinstance(self.executor, execution.WorkerPool):
            return self.executor.status()
        return {"workers": 0, "network_lock": self.executor.network_lock}

    def _timeout(self, requested: float | None) -> float:
        if requested is None:
            return self.settings.timeout
        if not 0 < requested <= self.settings.timeout:
            raise UserError(f"timeout must be more than 0 and at most {self.settings.timeout:g} seconds")
        return requested

    # --- the catalogue ------------------------------------------------------

    def question(self, name: str) -> Question:
        if name not in self.catalogue:
            raise UnknownQuestion(name, sorted(self.catalogue))
        return self.catalogue[name]

    def render(self, name: str, parameters: Mapping[str, str]) -> str:
        """The SPARQL a question runs with these parameters (validated and bound)."""
        question = self.question(name)
        return question.render(question.bind(parameters))

    async def ask(self, name: str, parameters: Mapping[str, str], timeout: float | None = None) -> Answer:
        """A question's answer; NotFound when it asks about a minister goal (year, number) there is not."""
        question = self.question(name)
        bound = question.bind(parameters)
        query = question.render(bound)
        table, seconds, cached = await self.select(query, timeout)
        if not table.rows and "year" in bound:
            await self._goal_exists(str(bound["year"]), str(bound["number"]) if "number" in bound else None)
        return Answer(question, dict(parameters), query, table, seconds, cached)

    async def _goal_exists(self, year: str, number: str | None) -> None:
        """NotFound, naming the goals there are, unless the year (and goal number) has a minister goal."""
        table, _, _ = await self.select(self.render("minister-goals", {}))
        goals = [
            (str(row[table.variables.index("year")]), str(row[table.variables.index("number")]))
            for row in table.rows
        ]
        if (year, number) in goals or (number is None and any(y == year for y, _ in goals)):
            return
        by_year: dict[str, list[str]] = {}
        for y, n in goals:
            by_year.setdefault(y, []).append(n)
        there = "; ".join(f"{y}: {', '.join(ns)}" for y, ns in sorted(by_year.items()))
        what = f"minister goal {number} of {year}" if number is not None else f"minister goal for {year}"
        what_da = f"ministermål nr. {number} for {year}" if number is not None else f"ministermål for {year}"
        raise NotFound(
            f"there is no {what}; the goals are (year: numbers) {there}",
            message_da=f"Der er intet {what_da}. Målene er (år: numre) {there}.",
        )

    async def select(self, query: str, timeout: float | None = None) -> tuple[Table, float, bool]:
        """Our own SELECT text (a question's, or a service query's): rows as terms."""
        limit = self._timeout(timeout)
        key = ("select", query)
        hit = self.cache.get(key)
        if hit is not None:
            return hit, 0.0, True
        started = time.perf_counter()
        table = await self.executor.call(execution._select, query, timeout=limit)
        self.cache.put(key, table, _table_size(table))
        return table, time.perf_counter() - started, False

    # --- client SPARQL ------------------------------------------------------

    def vet(self, text: str) -> VettedQuery:
        return vet(text, self.limits)

    async def sparql(
        self,
        query: VettedQuery,
        media_type: str,
        timeout: float | None = None,
        dataset: ProtocolDataset | None = None,
    ) -> tuple[bytes, bool]:
        """A vetted query's answer, written by the engine in ``media_type`` over the protocol's
        ``dataset`` (when given, else the query's own); and whether cached."""
        limit = self._timeout(timeout)
        key = ("sparql", query.text, media_type, dataset)
        hit = self.cache.get(key)
        if hit is not None:
            return hit, True
        body = await self.executor.call(execution._execute, query.text, media_type, dataset, timeout=limit)
        self.cache.put(key, body, len(body))
        return body, False

    async def preview(self, query: VettedQuery, rows: int, timeout: float | None = None) -> Preview:
        """A vetted query's first ``rows`` rows and their total, read and sorted in the worker."""
        limit = self._timeout(timeout)
        key = ("preview", query.text, rows)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        shown = await self.executor.call(execution._preview, query.text, query.form, rows, timeout=limit)
        self.cache.put(key, shown, 64 + sum(len(str(cell)) + 16 for row in shown.rows for cell in row))
        return shown

    # --- resources ----------------------------------------------------------

    def service_query(self, name: str) -> str:
        return self.project.service_query(name)

    async def describe(self, iri: str, media_type: str) -> bytes:
        """The description of one of our resources in an RDF format; NotFound when unknown."""
        if not iri.startswith(BASE):
            raise NotFound(f"{iri} is not an IRI of this dataset (they start with {BASE})")
        bindings = {"resource": URIRef(iri)}
        exists, _, _ = await self.select(bind_values(self.service_query("resource-exists"), bindings))
        if not exists.rows:
            raise NotFound(f"the graph says nothing about {iri}")
        text = bind_values(self.service_query("describe"), bindings)
        body, _ = await self.sparql(VettedQuery(text, "CONSTRUCT"), media_type)
        return body

    # --- checks -------------------------------------------------------------

    def validate(self, engine: str = "auto") -> Validation:
        data = load_store(self.project.content_files())
        return validate(data, load_shapes(self.project), engine)

    def check_sources(self) -> SourceCheck:
        return check_sources(self.project)

    def startup_check(self, cache_dir: Path | None = None) -> StartupCheck:
        return startup_check(self.project, cache_dir)


def check_sources(project: Project, data: ox.Store | None = None) -> SourceCheck:
    """Every passage's quote against its source text, and every source file against its checksum.

    ``data``: the project's files already loaded (the start-up check's store), read in place
    instead of parsing the files again into rdflib."""
    source = load_files(project.content_files()) if data is None else data
    changed = []
    for _document, name, expected in recorded_sources(source):
        path = project.sources_dir / name
        if not path.is_file() or sha256_of(path) != expected:
            changed.append(f"{name}: missing or changed (SHA-256 should be {expected})")
    checked, problems = check_passages(source, project.sources_dir)
    return SourceCheck(checked, tuple(problems), tuple(changed))


def content_hash(project: Project) -> str:
    digest = hashlib.sha256()
    for path in [*project.rdf_files(), *sorted(project.sources_dir.glob("*"))]:
        digest.update(path.relative_to(project.home).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def startup_check(project: Project, cache_dir: Path | None = None) -> StartupCheck:
    """SHACL validation and the quote check, remembered by the files' content hash."""
    started = time.perf_counter()
    digest = content_hash(project)
    cache_file = (cache_dir or project.home / ".cache") / f"startup-check-{digest[:16]}.json"
    if cache_file.is_file():
        try:
            return StartupCheck(**{**json.loads(cache_file.read_text()), "cached": True})
        except (ValueError, TypeError):
            pass  # an unreadable cache is checked anew
    data = load_store(project.content_files())
    result = validate(data, load_shapes(project))
    sources = check_sources(project, data)
    check = StartupCheck(
        content_hash=digest,
        triples=len(data),
        violations=result.count("Violation"),
        warnings=result.count("Warning"),
        infos=result.count("Info"),
        quote_problems=len(sources.problems),
        changed_sources=len(sources.changed_files),
        seconds=round(time.perf_counter() - started, 3),
    )
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        payload = {k: v for k, v in check.__dict__.items() if k != "cached"}
        cache_file.write_text(json.dumps(payload))
    except OSError:
        pass  # a read-only checkout still serves; it checks anew next time
    return check
