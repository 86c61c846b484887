"""The store loaded once, in the process every query worker is forked from.

The query workers (execution.py) start from multiprocessing's *forkserver*, which imports
``api.forkserver_preload`` before it forks any of them; that calls ``preload()``. When
``SPEC_VARIABLE`` names an embedded store, it is loaded there, so each worker is born with the store already in memory: the pages are shared with
the forkserver until a worker writes to them, and a worker killed at its time limit or memory
cap is replaced by a fork, not by loading the Turtle files again.

The spec crosses over in the environment because the forkserver is a fresh interpreter that
inherits only that and its preload list. A worker whose spec differs from the preloaded one (a
second pool in the same process, as some tests open) loads its own store: it is correct, only
not shared. A store that failed to load here is loaded by each worker, which reports the error.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import json
import os
from typing import Any

SPEC_VARIABLE = "EPKG_WORKER_STORE_SPEC"  # set by execution.WorkerPool, not a setting

_preloaded: tuple[str, Any] | None = None  # (the spec as JSON, its store)


def spec_json(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, default=str)


def store_for(fields: dict[str, Any]) -> Any | None:
    """The preloaded store when it was opened from these spec fields, else None."""
    if _preloaded is not None and _preloaded[0] == spec_json(fields):
        return _preloaded[1]
    return None


def release_free_heap() -> None:
    """Gives the allocator's free pages back to the system: loading leaves about as much freed
    heap as the store itself, which a forked worker would otherwise inherit as resident."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    libc = ctypes.CDLL(name)
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def preload() -> None:
    """Loads the store named in the environment (in the forkserver only)."""
    global _preloaded
    text = os.environ.get(SPEC_VARIABLE)
    if not text:
        return
    from .execution import StoreSpec

    fields = json.loads(text)
    if fields.get("backend") == "remote":
        return
    try:
        store = StoreSpec.from_fields(fields).open()
    except Exception:  # noqa: BLE001 - each worker loads the store itself and reports the error
        return
    _preloaded = (spec_json(fields), store)
    gc.collect()
    gc.freeze()  # the collector would otherwise write to every object's header in every worker
    release_free_heap()
