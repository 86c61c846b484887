"""Where queries run: a pool of worker processes that can be stopped.

Neither pyoxigraph nor rdflib can cancel a running query, and a pathological query can
crash the engine (pyoxigraph overflows its stack on deep nesting). So the service runs
every query in a worker process (worker_process.py: a process and a Unix socket the event
loop reads directly, no helper threads): past its time limit the worker is killed and
replaced, and a crash costs the one request it was running.

An embedded store is loaded once, in multiprocessing's forkserver (zygote.py), and every
worker is forked from it with the store in memory: one copy, whose pages the workers share
until they write to them. The engines do write to what a query reads (pyoxigraph counts
references in the quads it visits), so a worker that has copied more than its share of the
store (``private_budget``) is replaced, after its answer, by a fresh fork: the service holds
about one store plus each worker's budget, however long it runs, and no replacement reloads
the Turtle files. A remote store is one SPARQLWrapper client per worker.

A call goes to the worker admission.py gave it a slot for: one client's queue never stands in front of another's, and a slot whose worker
was killed (time limit, memory cap, crash) is handed out again only once its replacement
has loaded the store. An embedded store's worker has no network and a memory cap
(sandbox.py).

``InlineExecutor`` runs the same calls in the calling process, for the command line, where
the person at the keyboard is the time limit.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from . import sandbox, zygote
from .admission import Admission
from .children import die_with_parent
from .errors import QueryTimeout, ServiceError, StoreUnavailable
from .graph import Project
from .preview import Preview, preview
from .store import OxigraphStore, ProtocolDataset, Store, Table, open_store
from .worker_process import WorkerGone, WorkerProcess


class MemoryLimit(ServiceError):
    """A query took its worker past the memory cap; the worker was replaced."""

    status = 503
    title = "query stopped"


@dataclass(frozen=True)
class StoreSpec:
    """What a worker needs to open its store (picklable: it crosses into the worker)."""

    backend: str
    home: Path
    endpoint: str | None = None
    timeout: float = 10.0
    max_answer_bytes: int | None = None  # the engine stops writing an answer past this
    memory_bytes: int | None = None  # the worker's memory cap (sandbox.watch_memory)

    def fields(self) -> dict[str, Any]:
        """The spec as JSON-ready fields (zygote.py preloads the store from them)."""
        return {**asdict(self), "home": str(self.home)}

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> StoreSpec:
        return cls(**{**fields, "home": Path(fields["home"])})

    def open(self) -> Store:
        project = None if self.backend == "remote" else Project(home=self.home)
        store = open_store(self.backend, project, endpoint=self.endpoint, timeout=self.timeout)
        if isinstance(store, OxigraphStore):
            store.max_answer_bytes = self.max_answer_bytes
        return store


# --- inside a worker ------------------------------------------------------

_store: Store | None = None
_network_lock: str = "not started"


def _init_worker(spec: StoreSpec) -> None:
    global _store, _network_lock
    die_with_parent()
    if spec.backend == "remote":  # its workers must reach the store: the guard is the only layer
        _network_lock = "none: the remote store is reached over the network (the guard is the only layer)"
    else:
        why_not = sandbox.lock_network()
        _network_lock = "seccomp: no sockets but Unix ones" if why_not is None else f"none: {why_not}"
    # The pool stops a worker with SIGKILL. A SIGTERM from elsewhere ends it at once too: a
    # Python handler could not run while the engine's native code holds the thread.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # Queries yield the CPU to the process that answers HTTP: with every core busy on runaway
    # queries, /health and cached answers still come at once (benchmarks/load.py measures it).
    os.nice(10)
    _store = zygote.store_for(spec.fields()) or spec.open()  # forked with the store, or on its own
    if spec.memory_bytes:
        sandbox.watch_memory(spec.memory_bytes)


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


class _DeepStack:
    """One thread with the deep stack, started once per worker: each call is handed to it (a
    thread started per call cost more than a small question itself)."""

    def __init__(self) -> None:
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._outcomes: queue.SimpleQueue = queue.SimpleQueue()
        previous = threading.stack_size(_QUERY_STACK_BYTES)
        try:
            threading.Thread(target=self._serve, name="query", daemon=True).start()
        finally:
            threading.stack_size(previous)

    def _serve(self) -> None:
        while True:
            function, args = self._calls.get()
            try:
                self._outcomes.put((True, function(*args)))
            except BaseException as exc:  # re-raised in the worker's own thread
                chained: BaseException | None = exc
                while chained is not None:  # the engine's objects in these frames must be freed here,
                    chained.__traceback__ = None  # on their own thread (pyoxigraph's are unsendable)
                    chained = chained.__context__
                self._outcomes.put((False, exc))

    def run(self, function: Callable[..., Any], *args: Any) -> Any:
        self._calls.put((function, args))
        ok, value = self._outcomes.get()
        if not ok:
            raise value
        return value


_deep_stack: _DeepStack | None = None


def _on_deep_stack(function: Callable[..., Any], *args: Any) -> Any:
    global _deep_stack
    if _deep_stack is None:
        _deep_stack = _DeepStack()
    return _deep_stack.run(function, *args)


def _select(query: str) -> Table:
    return _on_deep_stack(_worker_store().select, query)


def _execute(query: str, media_type: str, dataset: ProtocolDataset | None = None) -> bytes:
    return _on_deep_stack(_worker_store().execute, query, media_type, dataset)


def _preview(query: str, form: str, rows: int) -> Preview:
    return _on_deep_stack(preview, _worker_store(), query, form, rows)


def _describe_store() -> tuple[str, str, int]:
    """The store, the network lock, and the worker's resident bytes."""
    return _worker_store().description, _network_lock, sandbox.resident_bytes()


def _sleep(seconds: float) -> float:  # used by tests: a call that runs past any limit
    time.sleep(seconds)
    return seconds


def _crash() -> None:  # used by tests: a call that kills its worker, as an engine crash would
    os.kill(os.getpid(), signal.SIGSEGV)


# --- the caller's side ----------------------------------------------------


class Executor(Protocol):
    description: str
    network_lock: str

    async def call(self, function: Callable[..., Any], *args: Any, timeout: float) -> Any: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Runs calls in this process, on a store opened here (the command line's way)."""

    network_lock = "none: the query runs in this process (the command line)"

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

    RECOVERY_SECONDS = 120.0  # the longest a replacement worker may take to load the store
    MIN_PRIVATE_BUDGET = 64 * 1024 * 1024  # a worker may always copy this much of the store
    CHECK_AFTER_SECONDS = 0.05  # a quicker call copies little: its worker is checked less often
    CHECK_EVERY_CALLS = 64

    def __init__(self, spec: StoreSpec, workers: int, admission: Admission | None = None):
        self.workers = workers
        self.spec = spec
        self.admission = admission or Admission(workers, workers, queue_limit=1000, queue_seconds=3600)
        # Workers are forked from the forkserver, a fresh interpreter (no inherited threads or
        # event loop) that has loaded the store once (zygote.py).
        os.environ[zygote.SPEC_VARIABLE] = zygote.spec_json(spec.fields())
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([f"{__package__}.forkserver_preload"])
        # Started on a thread: the first start waits for the forkserver to load the store, and the
        # caller may check the graph meanwhile (``warm_up`` waits for both).
        self._workers: list[WorkerProcess] = []
        self._starting = threading.Thread(target=self._start_all, name="epkg-worker-start", daemon=True)
        self._starting.start()
        self._calls = [0] * workers
        self._recovering: set[asyncio.Task] = set()
        self.description = "starting"
        self.network_lock = "starting"
        self.worker_bytes = 0
        self.private_budget = self.MIN_PRIVATE_BUDGET
        self.recycled = 0

    def _start(self) -> WorkerProcess:
        return WorkerProcess(self._context, _init_worker, (self.spec,))

    def _start_all(self) -> None:
        self._workers = [self._start() for _ in range(self.workers)]

    def warm_up(self, timeout: float = 120.0) -> str:
        """Waits until every worker has opened its store; returns the store's description."""
        self._starting.join(timeout)
        if len(self._workers) < self.workers:
            raise StoreUnavailable(f"the query workers did not start within {timeout:.0f} s")
        try:
            described = [worker.call_blocking(_describe_store, (), timeout) for worker in self._workers]
        except WorkerGone as exc:
            if exc.exitcode == sandbox.MEMORY_EXIT:
                raise StoreUnavailable(
                    f"the store alone takes more than a worker's memory cap of {self._memory_mb()} MB; "
                    "raise EPKG_WORKER_MEMORY"
                ) from None
            raise StoreUnavailable(f"the query worker could not start (exit code {exc.exitcode})") from None
        except TimeoutError:
            raise StoreUnavailable(
                f"the query worker did not open the store within {timeout:.0f} s"
            ) from None
        self.description, self.network_lock, _ = described[0]
        self.worker_bytes = max(size for _, _, size in described)
        # A worker may copy half the store before it is replaced. A smaller share (1/workers was
        # tried) replaces them so often that copying the pages again doubles the time of the
        # heavy questions; with half, the catalogue over and over costs no more time than with
        # a store of its own per worker (benchmarks/scale_bench.py measures both).
        self.private_budget = max(self.MIN_PRIVATE_BUDGET, self.worker_bytes // 2)
        return self.description

    def _memory_mb(self) -> int:
        return (self.spec.memory_bytes or 0) // (1024 * 1024)

    def status(self) -> dict[str, Any]:
        """The workers' limits and queue, for /health."""
        return {
            "workers": self.workers,
            "per_client": self.admission.per_client,
            "waiting": self.admission.waiting,
            "network_lock": self.network_lock,
            "memory_cap_mb": self._memory_mb(),
            "memory_at_start_mb": self.worker_bytes // (1024 * 1024),
            "private_budget_mb": self.private_budget // (1024 * 1024),
            "workers_replaced_for_memory": self.recycled,
        }

    async def call(self, function: Callable[..., Any], *args: Any, timeout: float) -> Any:
        client, slot = await self.admission.acquire()
        started = time.monotonic()
        healthy = False
        worker = self._workers[slot]
        try:
            if not worker.alive():  # it ended while idle (killed from outside): a new one first
                raise WorkerGone(worker.exitcode(0))
            result = await asyncio.wait_for(worker.call(function, args), timeout)
            healthy = True
            return result
        except TimeoutError:
            raise QueryTimeout(
                f"the query ran past its time limit of {timeout:g} s and was stopped; "
                "narrow it (a LIMIT, fewer unbound patterns) or ask for less"
            ) from None
        except WorkerGone as exc:
            if exc.exitcode == sandbox.MEMORY_EXIT:
                raise MemoryLimit(
                    f"the query used more than the {self._memory_mb()} MB a query worker may hold and was "
                    "stopped; the worker was replaced. Narrow it (a LIMIT, fewer unbound patterns, "
                    "no ORDER BY over a large result)"
                ) from None
            raise ServiceError(
                f"the query crashed the engine after {time.monotonic() - started:.1f} s "
                f"(worker exit code {exc.exitcode}); the worker was replaced"
            ) from None
        except Exception:
            healthy = True  # an error the worker raised and survived (bad query, answer too large)
            raise
        finally:
            if healthy and not self._copied_too_much(slot, time.monotonic() - started):
                self.admission.release(client, slot)
            else:  # the slot is free again once its new worker has opened the store
                task = asyncio.get_running_loop().create_task(self._replace(client, slot))
                self._recovering.add(task)
                task.add_done_callback(self._recovering.discard)

    def _copied_too_much(self, slot: int, seconds: float) -> bool:
        """Whether the slot's worker now holds more than its budget of private memory."""
        self._calls[slot] += 1
        if seconds < self.CHECK_AFTER_SECONDS and self._calls[slot] % self.CHECK_EVERY_CALLS:
            return False
        pid = self._workers[slot].pid
        return pid is not None and sandbox.private_bytes(pid) > self.private_budget

    async def _replace(self, client: str, slot: int) -> None:
        """Ends the slot's worker (stopped, gone, or grown past its budget) and starts a new one;
        the slot is handed out again once the new worker has opened the store."""
        old = self._workers[slot]
        if old.alive():
            self.recycled += 1
        try:
            await asyncio.to_thread(old.kill)
            self._workers[slot] = new = await asyncio.to_thread(self._start)
            await asyncio.wait_for(new.call(_describe_store, ()), self.RECOVERY_SECONDS)
        except Exception:  # noqa: BLE001 - the next call on this slot reports what is wrong
            pass
        finally:
            self.admission.release(client, slot)

    def close(self) -> None:
        self._starting.join()
        for worker in self._workers:
            worker.kill()
