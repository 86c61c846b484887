"""Connections that send no complete request are closed (slowloris).

uvicorn closes a connection that stays idle after a response (``timeout_keep_alive``), but it
waits forever for a request head that arrives one byte at a time: any data resets nothing and
there is no limit on the head. A few hundred such connections hold the server's sockets. Here
the HTTP protocol uvicorn would use gets a deadline: when a connection opens, and again when a
response has been sent, a timer starts; if no request is being answered when it fires (no
complete head came in time), the connection is closed. A slow *body* is bounded where the body
is read (POST /sparql: 408).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class _HeadDeadline(asyncio.Protocol):
    """Mixed in before a uvicorn protocol: closes a connection without a request head in time."""

    head_seconds: float = 15.0
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any  # uvicorn's current request-response cycle (None before the first head)
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        if not self.transport.is_closing():
            self._head_timer = self.loop.call_later(self.head_seconds, self._expire)

    def _expire(self) -> None:
        # A cycle still being answered had its head in time (pipelined ones included).
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()


class H11HeadDeadline(_HeadDeadline, H11Protocol):
    pass


PROTOCOLS: dict[str, type[_HeadDeadline]] = {"h11": H11HeadDeadline}
try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HttpToolsHeadDeadline(_HeadDeadline, HttpToolsProtocol):
        pass

    PROTOCOLS["httptools"] = HttpToolsHeadDeadline
except ImportError:  # httptools is optional for uvicorn
    pass


def http_protocol(head_seconds: float, http: str = "auto") -> type[asyncio.Protocol]:
    """The class for uvicorn's ``Config(http=...)``: as uvicorn's "auto" (httptools if installed,
    else h11) or the one named, with a request head due within ``head_seconds`` of connecting or
    of the previous response."""
    base = PROTOCOLS.get("httptools", H11HeadDeadline) if http == "auto" else PROTOCOLS[http]
    return type(base.__name__, (base,), {"head_seconds": head_seconds})
