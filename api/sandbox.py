"""What a query worker may not do: reach the network, or grow past its memory cap.

The guard (guard.py) refuses SERVICE, FROM and LOAD before a query runs; this is the second
layer, for the day the guard is wrong. Both engines follow SERVICE to any URL (and rdflib
FROM too), so an embedded store's worker gives up the network before it takes a query:

- ``lock_network()`` installs a seccomp filter (through Debian's libseccomp2 and the
  ``pyseccomp`` bindings) under which ``socket()`` fails with EACCES for every address family
  but AF_UNIX (the worker talks to the service over a Unix socket pair), and io_uring, which
  can open sockets on its own, is refused too. seccomp needs no privilege (it sets
  no_new_privs first), so it holds as root and as an ordinary user, in containers too, and it
  cannot be lifted by the process it binds. Where it is missing (not Linux, no libseccomp, a
  kernel without seccomp), the worker runs without the lock and says why: ``epkg serve``
  prints it and ``/health`` reports it.
- ``watch_memory(limit)`` starts a thread that reads the worker's resident size every 10 ms
  and ends the process with ``MEMORY_EXIT`` past ``limit``. The engines release the GIL
  while they evaluate, so the thread runs while a query allocates (about 1 GB/s at worst,
  measured: ~10-20 MB over the limit at the most). The service sees the exit code, answers
  503 and starts a fresh worker.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
import threading
import time

MEMORY_EXIT = 86  # the exit code of a worker stopped by its memory cap
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def lock_network() -> str | None:
    """Takes the network away from this process for good; None when done, else why it could not."""
    if not sys.platform.startswith("linux"):
        return f"no seccomp on {sys.platform}"
    try:
        import pyseccomp as seccomp
    except ImportError:
        return "the pyseccomp package is not installed"
    try:
        refuse = seccomp.ERRNO(errno.EACCES)
        lock = seccomp.SyscallFilter(seccomp.ALLOW)
        lock.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
            lock.add_rule(refuse, call)
        lock.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread of the process, not just this one
        lock.load()
    except (OSError, RuntimeError, ValueError, AttributeError) as exc:  # no libseccomp, or refused
        return f"seccomp unavailable ({exc})"
    return None


def resident_bytes() -> int:
    """This process's resident memory now (Linux), or its peak elsewhere."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def private_bytes(pid: int) -> int:
    """The memory process ``pid`` holds for itself alone (Linux; 0 where unknown): what it
    allocated and the pages it copied from the process it was forked from."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            fields = dict(line.split(b":", 1) for line in rollup if line.startswith(b"Private_"))
    except (OSError, ValueError):
        return 0
    return sum(int(value.split()[0]) for value in fields.values()) * 1024


def watch_memory(limit: int, every: float = 0.01) -> None:
    """Ends this process with MEMORY_EXIT once it holds more than ``limit`` bytes."""

    def watch() -> None:
        while True:
            if resident_bytes() > limit:
                os._exit(MEMORY_EXIT)  # no cleanup: the memory goes back to the system at once
            time.sleep(every)

    threading.Thread(target=watch, name="memory-cap", daemon=True).start()


def default_memory_mb(workers: int) -> int:
    """A worker's share of the machine: a quarter of its memory split among the workers,
    at least 512 MB and at most 2 GB (a worker with the shipped graph uses about 150 MB)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        total = 8192
    return max(512, min(2048, total // (4 * max(workers, 1))))
