"""Where queries run: a pool of worker processes that can be stopped.

Neither pyoxigraph nor rdflib can cancel a running query, and a pathological query can
crash the engine (pyoxigraph overflows its stack on deep nesting). So the service runs
every query in a worker process that holds its own copy of the store: past its time limit
the worker is killed and replaced (pebble's ProcessPool does the bookkeeping), and a crash
costs the one request it was running. The event loop only awaits futures.

The embedded stores are loaded in memory in each worker (the shipped graph, 18k triples,
loads in about 0.05 s; a worker holds roughly 1 kB per triple). A remote store is one
SPARQLWrapper client per worker.

``InlineExecutor`` runs the same calls in the calling process, for the command line, where
the person at the keyboard is the time limit.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pebble import ProcessExpired, ProcessPool

from .children import die_with_parent
from .errors import QueryTimeout, ServiceError, StoreUnavailable
from .graph import Project
from .store import OxigraphStore, Store, Table, open_store


@dataclass(frozen=True)
class StoreSpec:
    """What a worker needs to open its store (picklable: it crosses into the worker)."""

    backend: str
    home: Path
    endpoint: str | None = None
    timeout: float = 10.0
    max_answer_bytes: int | None = None  # the engine stops writing an answer past this

    def open(self) -> Store:
        project = None if self.backend == "remote" else Project(home=self.home)
        store = open_store(self.backend, project, endpoint=self.endpoint, timeout=self.timeout)
        if isinstance(store, OxigraphStore):
            store.max_answer_bytes = self.max_answer_bytes
        return store


# --- inside a worker ------------------------------------------------------

_store: Store | None = None


def _init_worker(spec: StoreSpec) -> None:
    global _store
    die_with_parent()
    # pebble stops a worker with SIGTERM and a Python handler, which cannot run while the
    # engine's native code holds the thread (it then waits 3 s and sends SIGKILL). The
    # default action ends the process at once, which is what a time limit needs.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Queries yield the CPU to the process that answers HTTP: with every core busy on runaway
    # queries, /health and cached answers still come at once (benchmarks/load.py measures it).
    os.nice(10)
    _store = spec.open()


def _worker_store() -> Store:
    if _store is None:  # pragma: no cover - the initializer always ran
        raise ServiceError("the worker has no store")
    return _store


# The engine recurses over the query's syntax tree on the calling thread's stack: a chain of
# ~6,900 `1+1+...` (14 kB) or ~6,900 `{} UNION {}` overflows the 8 MB main stack and kills the
# worker (SIGSEGV), and every such chain fits within max_query_bytes. Queries therefore run on
# a thread with a 512 MB stack (address space only; pages are used as the recursion touches
# them), deep enough for any query within the length limit (measured: tests/test_http_fuzz.py).
_QUERY_STACK_BYTES = 512 * 1024 * 1024


def _on_deep_stack(function: Callable[..., Any], *args: Any) -> Any:
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, function(*args)))
        except BaseException as exc:  # re-raised in the worker's own thread below
            chained: BaseException | None = exc
            while chained is not None:  # the engine's objects in these frames must be freed here,
                chained.__traceback__ = None  # on their own thread (pyoxigraph's are unsendable)
                chained = chained.__context__
            outcome.append((False, exc))

    previous = threading.stack_size(_QUERY_STACK_BYTES)
    try:
        thread = threading.Thread(target=run, name="query")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def _select(query: str) -> Table:
    return _on_deep_stack(_worker_store().select, query)


def _execute(query: str, media_type: str) -> bytes:
    return _on_deep_stack(_worker_store().execute, query, media_type)


def _describe_store() -> str:
    return _worker_store().description


def _sleep(seconds: float) -> float:  # used by tests: a call that runs past any limit
    time.sleep(seconds)
    return seconds


def _crash() -> None:  # used by tests: a call that kills its worker, as an engine crash would
    os.kill(os.getpid(), signal.SIGSEGV)


# --- the caller's side ----------------------------------------------------


class Executor(Protocol):
    description: str

    async def call(self, function: Callable[..., Any], *args: Any, timeout: float) -> Any: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Runs calls in this process, on a store opened here (the command line's way)."""

    def __init__(self, spec: StoreSpec):
        global _store
        _store = spec.open()
        self.description = _store.description

    async def call(self, function: Callable[..., Any], *args: Any, timeout: float) -> Any:
        return function(*args)

    def close(self) -> None:
        pass


class WorkerPool:
    """``workers`` processes, each with the store; a call past ``timeout`` kills its worker."""

    def __init__(self, spec: StoreSpec, workers: int):
        self.workers = workers
        self._pool = ProcessPool(
            max_workers=workers,
            initializer=_init_worker,
            initargs=(spec,),
            context=multiprocessing.get_context("spawn"),  # no inherited threads or event loop
        )
        self.description = "starting"

    def warm_up(self, timeout: float = 120.0) -> str:
        """Waits until a worker has opened its store; returns the store's description."""
        future = self._pool.schedule(_describe_store, timeout=timeout)
        try:
            self.description = future.result()
        except ProcessExpired as exc:
            raise StoreUnavailable(f"the query worker could not start (exit code {exc.exitcode})") from None
        except concurrent.futures.TimeoutError:
            raise StoreUnavailable(
                f"the query worker did not open the store within {timeout:.0f} s"
            ) from None
        return self.description

    async def call(self, function: Callable[..., Any], *args: Any, timeout: float) -> Any:
        started = time.monotonic()
        try:
            future = self._pool.schedule(function, args=args, timeout=timeout)
        except RuntimeError as exc:  # the pool is closed
            raise StoreUnavailable(f"the query workers are not running ({exc})") from None
        try:
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            raise QueryTimeout(
                f"the query ran past its time limit of {timeout:g} s and was stopped; "
                "narrow it (a LIMIT, fewer unbound patterns) or ask for less"
            ) from None
        except ProcessExpired as exc:
            raise ServiceError(
                f"the query crashed the engine after {time.monotonic() - started:.1f} s "
                f"(worker exit code {exc.exitcode}); the worker was replaced"
            ) from None

    def close(self) -> None:
        self._pool.stop()
        self._pool.join(timeout=10)
