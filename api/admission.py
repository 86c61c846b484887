"""Who runs next: a bounded queue in front of the query workers, fair to every client.

Uncached work waits here for a worker slot. A client holds at most ``per_client`` slots at
once, so one client keeping many heavy queries in flight leaves the other slots to everyone
else; a free slot goes to the waiting client that holds the fewest, and among equals in turn
(round robin), not in arrival order, so a client with eight queries queued does not go before
one with a single query. At most ``queue_limit``
calls wait, each at most ``queue_seconds``: past either the answer is a 503 with Retry-After
(``ServiceBusy``), never an unbounded wait.

The client is the request's address (after trusted proxies' X-Forwarded-For, see
settings.forwarded_allow_ips), set per request in ``current_client`` by the HTTP layer
(limits.py); work that no request started (warm-up, the command line) is "local".
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from contextvars import ContextVar

from .errors import ServiceError

current_client: ContextVar[str] = ContextVar("epkg_client", default="local")


class ServiceBusy(ServiceError):
    """Every worker is busy and the queue is full, or the wait was too long: try again."""

    status = 503
    title = "service busy"


class Admission:
    """Hands out slot numbers ``0 .. slots-1``: one per worker."""

    def __init__(self, slots: int, per_client: int, queue_limit: int, queue_seconds: float):
        self.per_client = max(1, per_client)
        self.queue_limit = queue_limit
        self.queue_seconds = queue_seconds
        self._free: list[int] = list(range(slots))
        self._running: dict[str, int] = {}
        self._waiting: OrderedDict[str, deque[asyncio.Future[int]]] = OrderedDict()
        self.waiting = 0

    async def acquire(self) -> tuple[str, int]:
        """A free slot for the current client; give it back with ``release(client, slot)``."""
        client = current_client.get()
        return client, await self._acquire(client)

    async def _acquire(self, client: str) -> int:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(client, deque()).append(future)
        self.waiting += 1
        self._dispatch()
        if future.done():
            return future.result()
        if self.waiting > self.queue_limit:
            self._withdraw(client, future)
            raise ServiceBusy(
                f"the service is busy: {self.queue_limit} queries already wait for a worker; "
                "try again in a moment"
            )
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.queue_seconds)
        except TimeoutError:
            if future.done():  # granted as the wait ran out
                return future.result()
            self._withdraw(client, future)
            raise ServiceBusy(
                f"the service is busy: no worker was free for this query within {self.queue_seconds:g} s; "
                "try again in a moment"
            ) from None
        except asyncio.CancelledError:  # the client went away
            if future.done():
                self.release(client, future.result())
            else:
                self._withdraw(client, future)
            raise

    def _withdraw(self, client: str, future: asyncio.Future[int]) -> None:
        queue = self._waiting.get(client)
        if queue is not None and future in queue:
            queue.remove(future)
            self.waiting -= 1
            if not queue:
                del self._waiting[client]
        future.cancel()

    def release(self, client: str, slot: int) -> None:
        self._running[client] -= 1
        if not self._running[client]:
            del self._running[client]
        self._free.append(slot)
        self._dispatch()

    def _dispatch(self) -> None:
        """Gives free slots to waiting clients under their share, in turn."""
        while self._free:
            eligible = [c for c in self._waiting if self._running.get(c, 0) < self.per_client]
            if not eligible:
                return
            # The client holding the fewest workers goes first (ties: in turn), so a client whose
            # queries are slow does not gather its whole share while quicker clients wait.
            client = min(eligible, key=lambda c: self._running.get(c, 0))
            queue = self._waiting.pop(client)
            future = queue.popleft()
            self.waiting -= 1
            if queue:
                self._waiting[client] = queue  # back of the line: the others go first
            self._running[client] = self._running.get(client, 0) + 1
            future.set_result(self._free.pop(0))
