"""One query worker: a process, and the socket the service talks to it over.

The service sends a call (a function and its arguments, pickled) and reads the answer on the
same Unix socket, straight from the event loop: no helper threads, so a small question costs
one write and one read. The worker answers calls one at a time, for as long as it lives; the
service ends it with SIGKILL (a time limit), or it ends itself (its memory cap, a crash), and
then the socket reads end-of-file and the exit code says why.

Frames are a 4-byte length and a pickle, both ways. The answer is ``(True, value)`` or
``(False, exception)``: an exception the call raised and the worker survived.
"""

from __future__ import annotations

import asyncio
import pickle
import socket
import struct
from collections.abc import Callable
from multiprocessing.context import BaseContext
from typing import Any

_HEADER = struct.Struct("!I")


class WorkerGone(Exception):
    """The worker ended before it answered; ``exitcode`` says how (None: not known yet)."""

    def __init__(self, exitcode: int | None):
        super().__init__(f"the worker ended (exit code {exitcode})")
        self.exitcode = exitcode


def frame(message: Any) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(body)) + body


# --- inside the worker ----------------------------------------------------


def _receive_blocking(sock: socket.socket) -> Any:
    header = _read_blocking(sock, _HEADER.size)
    return pickle.loads(_read_blocking(sock, _HEADER.unpack(header)[0]))


def _read_blocking(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(min(size - len(data), 1 << 20))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def serve(sock: socket.socket, initializer: Callable[..., None], initargs: tuple) -> None:
    """The worker's life: set up, then answer calls until the service hangs up."""
    initializer(*initargs)
    while True:
        try:
            function, args = _receive_blocking(sock)
        except EOFError:
            return
        try:
            answer = (True, function(*args))
        except Exception as exc:  # noqa: BLE001 - sent back, raised again in the service
            answer = (False, exc)
        try:
            payload = frame(answer)
        except Exception as exc:  # noqa: BLE001 - an exception the service could not rebuild
            payload = frame((False, RuntimeError(f"the answer could not be sent: {exc}")))
        sock.sendall(payload)


# --- the service's side ---------------------------------------------------


class WorkerProcess:
    """A started worker; ``call`` is for the event loop, ``call_blocking`` for start-up."""

    def __init__(self, context: BaseContext, initializer: Callable[..., None], initargs: tuple):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.process = context.Process(  # type: ignore[attr-defined]
            target=serve, args=(theirs, initializer, initargs), daemon=True, name="epkg-query-worker"
        )
        self.process.start()
        theirs.close()
        self.sock = ours
        self.sock.setblocking(False)

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def exitcode(self, wait: float = 1.0) -> int | None:
        """The exit code, waiting up to ``wait`` seconds for the process to end."""
        self.process.join(wait)
        return self.process.exitcode

    async def call(self, function: Callable[..., Any], args: tuple) -> Any:
        loop = asyncio.get_running_loop()
        try:
            await loop.sock_sendall(self.sock, frame((function, args)))
            header = await self._read(loop, _HEADER.size)
            ok, value = pickle.loads(await self._read(loop, _HEADER.unpack(header)[0]))
        except (EOFError, ConnectionError):
            raise WorkerGone(await asyncio.to_thread(self.exitcode)) from None
        if not ok:
            raise value
        return value

    async def _read(self, loop: asyncio.AbstractEventLoop, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = await loop.sock_recv(self.sock, min(size - len(data), 1 << 20))
            if not chunk:
                raise EOFError
            data += chunk
        return bytes(data)

    def call_blocking(self, function: Callable[..., Any], args: tuple, timeout: float) -> Any:
        """The same call from a thread with no event loop (start-up); TimeoutError past ``timeout``."""
        self.sock.settimeout(timeout)
        try:
            self.sock.sendall(frame((function, args)))
            ok, value = _receive_blocking(self.sock)
        except (EOFError, ConnectionError):
            raise WorkerGone(self.exitcode()) from None
        finally:
            self.sock.setblocking(False)
        if not ok:
            raise value
        return value

    def kill(self) -> None:
        """Ends the worker at once (SIGKILL: the engine's native code cannot be interrupted)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.sock.close()
