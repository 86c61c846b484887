"""Real SPARQL servers for tests, started on 127.0.0.1 on free ports and always stopped.

- ``oxigraph_server``: the Oxigraph server (PyPI package ``oxigraph``, in the test extra);
- ``virtuoso_server``: Virtuoso open source (Debian's ``virtuoso-opensource``), with its own
  virtuoso.ini and database in a temporary folder; never the system service.

Outside CI a missing server skips the tests that need it; in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=1).close()
            return
        time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {seconds} s")


def stop(process: subprocess.Popen, seconds: float = 15.0) -> None:
    """Stops a server we started: SIGCONT (in case a test froze it), SIGTERM, then SIGKILL."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGCONT)
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _missing(what: str, how: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed ({how})")
    pytest.skip(f"{what} is not installed: {how}")


# --- Oxigraph server ----------------------------------------------------------


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        _missing(
            "the oxigraph server (PyPI package 'oxigraph', in the test extra)", "pip install -e '.[test]'"
        )
    return found


@dataclass
class Server:
    """A running server: its process and URLs."""

    process: subprocess.Popen
    base: str
    query_endpoint: str
    graph_store: str
    user: str | None = None
    password: str | None = None

    def kill(self) -> None:
        """The store goes away at once (SIGKILL), as in a crash."""
        self.process.kill()
        self.process.wait()


@contextlib.contextmanager
def oxigraph_process(location: Path | None, union_default_graph: bool = False, timeout_s: int | None = None):
    """Yields a ``Server`` for a read-write Oxigraph server on 127.0.0.1 (in memory without ``location``)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        command += ["--location", str(location)]
    if union_default_graph:
        command.append("--union-default-graph")
    if timeout_s is not None:
        command += ["--timeout-s", str(timeout_s)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"{base}/query?query=ASK%7B%7D", process)
        yield Server(process, base, f"{base}/query", f"{base}/store")
    finally:
        stop(process)


@contextlib.contextmanager
def oxigraph_server(location: Path, union_default_graph: bool = False):
    """Yields the base URL of a read-write Oxigraph server on 127.0.0.1."""
    with oxigraph_process(location, union_default_graph=union_default_graph) as server:
        yield server.base


# --- Virtuoso open source -----------------------------------------------------

VIRTUOSO_BINARY = "virtuoso-t"
VIRTUOSO_VSP = Path("/var/lib/virtuoso-opensource-7/vsp")

# A small, private virtuoso.ini: database, ports and allowed folders of its own. The memory
# settings are the Debian defaults (about 80 MB of buffers); [SPARQL] keeps Virtuoso's own
# limits on, so the tests see what a real deployment sends when a query hits them.
VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CheckpointInterval = 60
DirsAllowed        = ., {dir}
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty_buffers}
MaxQueryMem        = 256M
ThreadsPerQuery    = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {vsp}
MaxClientConnections = 10
ServerThreads        = 10
KeepAliveTimeout     = 10
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryExecutionTime      = 60
MaxQueryCostEstimationTime = 400
"""


def virtuoso_binary() -> str:
    found = shutil.which(VIRTUOSO_BINARY)
    if found is None:
        _missing(
            "Virtuoso open source (virtuoso-t)",
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource",
        )
    return str(found)


@contextlib.contextmanager
def virtuoso_process(directory: Path, max_rows: int = 10_000, buffers: int = 10_000):
    """Yields a ``Server`` for a fresh Virtuoso on 127.0.0.1 with its database in ``directory``.

    The SPARQL endpoint is ``/sparql`` (read-only, anonymous); data goes in through the Graph
    Store Protocol at ``/sparql-graph-crud-auth`` as the dba user (digest authentication; a
    fresh database's dba password is ``dba``).
    """
    binary = virtuoso_binary()
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            dir=directory,
            sql_port=sql_port,
            http_port=http_port,
            vsp=VIRTUOSO_VSP if VIRTUOSO_VSP.is_dir() else directory,
            max_rows=max_rows,
            buffers=buffers,
            dirty_buffers=buffers * 3 // 4,
        )
    )
    base = f"http://127.0.0.1:{http_port}"
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process, seconds=90)
        yield Server(
            process, base, f"{base}/sparql", f"{base}/sparql-graph-crud-auth", user="dba", password="dba"
        )
    finally:
        stop(process, seconds=30)


@contextlib.contextmanager
def epkg_server(log_dir: Path, *args: str, env: dict[str, str] | None = None):
    """Yields the base URL of `epkg serve` on a free 127.0.0.1 port, stopped afterwards.

    Its log (one line per request) is written to ``log_dir/serve.log``.
    """
    with epkg_process(log_dir, *args, env=env) as (base, _process):
        yield base


@contextlib.contextmanager
def epkg_process(log_dir: Path, *args: str, env: dict[str, str] | None = None, seconds: float = 60.0):
    """Like epkg_server, and yields the server's process too (to measure it)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(log_dir / "serve.log", "wb")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "api.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--skip-checks",
            "--log-level",
            "warning",
            *args,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    try:
        wait_until_up(f"{base}/health", process, seconds=seconds)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
