"""Configuration from environment variables, all prefixed ``EPKG_``, validated at start.

One frozen object, read once; modules take a ``Settings`` rather than reading the
environment themselves, so tests can pass their own. A bad value is refused with the
variable's name and what it wants (``ConfigError``), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import UserError

ENV_PREFIX = "EPKG_"


def _default_home() -> Path:
    # The package lives in <home>/api/; an editable install keeps it there.
    return Path(__file__).resolve().parent.parent


class ConfigError(UserError):
    """A setting (environment variable or command-line option) with a value it cannot take."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")

    home: Path = Field(default_factory=_default_home)
    """The project folder holding ontology/, data/, shapes/ and queries/ (EPKG_HOME)."""
    assets: Path | None = None
    """The folder `npm ci` installs the pages' browser assets into (EPKG_ASSETS); default
    HOME/node_modules. Where it lacks them, the pages work without them (the SPARQL page's plain form)."""
    store: Literal["oxigraph", "rdflib", "remote"] = "oxigraph"
    """Where queries run: oxigraph or rdflib (in process) or remote (EPKG_STORE)."""
    endpoint: str | None = None
    """The SPARQL endpoint URL of the remote store (EPKG_ENDPOINT)."""
    timeout: float = Field(10.0, gt=0, le=3600)
    """Seconds a query may run before it is stopped (EPKG_TIMEOUT); a request may ask for less."""
    host: str = "127.0.0.1"
    """The address `epkg serve` binds (EPKG_HOST)."""
    port: int = Field(8000, ge=1, le=65535)
    """The port `epkg serve` listens on (EPKG_PORT)."""
    workers: int = Field(2, ge=1, le=64)
    """Query worker processes (EPKG_WORKERS): the number of queries run at once."""
    cache_mb: int = Field(64, ge=0, le=4096)
    """Memory for cached answers, in MB (EPKG_CACHE_MB); 0 turns the cache off."""
    cache_seconds: float = Field(60.0, ge=0)
    """How long an answer of a remote store is reused (EPKG_CACHE_SECONDS): `epkg load` may
    change the store under a running service. The embedded store's answers are kept while it runs."""
    max_query_bytes: int = Field(100_000, ge=100)
    """The longest SPARQL query text accepted (EPKG_MAX_QUERY_BYTES); longer gets 413."""
    max_depth: int = Field(64, ge=4, le=1000)
    """The deepest nesting of { }, ( ) and [ ] accepted in a query (EPKG_MAX_DEPTH)."""
    max_values: int = Field(10_000, ge=1)
    """The most terms accepted in a query's VALUES blocks (EPKG_MAX_VALUES)."""
    max_rows: int = Field(100_000, ge=1)
    """The most rows a REST answer returns before it is refused as too large (EPKG_MAX_ROWS)."""
    max_response_bytes: int = Field(32_000_000, ge=1_000)
    """The largest answer sent (EPKG_MAX_RESPONSE_BYTES); larger gets 422, never a cut (api/limits.py)."""
    client_concurrency: int = Field(8, ge=1, le=10_000)
    """Requests one client address may have in flight (EPKG_CLIENT_CONCURRENCY); more get 429."""
    forwarded_allow_ips: str = ""
    """Reverse proxies whose X-Forwarded-For names the client (EPKG_FORWARDED_ALLOW_IPS: addresses or
    networks, comma-separated; ``*`` trusts any). Default: none, so no client can claim another's
    address. Behind a proxy, set its address: the per-client limits and the request log then see
    each client, not the proxy."""
    base_url: str | None = None
    """The public URL of the service (EPKG_BASE_URL), for every link in answers, VoID/DCAT and dumps;
    never taken from the request. Default: the listening address, http://HOST:PORT."""
    worker_memory: int | None = Field(None, ge=64, le=1_048_576)  # MB
    """The most memory (resident, MB) one query worker may use (EPKG_WORKER_MEMORY); a query that
    passes it is stopped with its worker (503). Default: sized for the machine (api/execution.py)."""
    client_workers: int | None = Field(None, ge=1, le=64)
    """Query workers one client may hold at once for uncached work (EPKG_CLIENT_WORKERS); the rest
    wait their turn. Default: all workers but one (at least one), so one client never takes them all."""
    queue_limit: int = Field(64, ge=0, le=100_000)
    """Queries that may wait for a worker (EPKG_QUEUE_LIMIT); past it: 503 with Retry-After."""
    queue_seconds: float = Field(5.0, gt=0, le=3600)
    """How long a query may wait for a worker (EPKG_QUEUE_SECONDS); past it: 503 with Retry-After."""
    request_read_seconds: float = Field(15.0, gt=0, le=3600)
    """How long a client may take to send a whole request (EPKG_REQUEST_READ_SECONDS); a connection
    that sends no complete request by then is closed."""
    keep_alive_seconds: float = Field(5.0, gt=0, le=3600)
    """How long an idle connection is kept open between requests (EPKG_KEEP_ALIVE_SECONDS)."""
    unsafe_skip_guard: bool = False
    """For tests only (EPKG_UNSAFE_SKIP_GUARD): client SPARQL skips the guard's SERVICE/FROM check,
    to prove that the query workers themselves cannot reach the network. Never set it in service."""

    def with_overrides(self, **values: object) -> Settings:
        """These settings with command-line options applied (``None`` means: not given), validated."""
        given = {k: v for k, v in values.items() if v is not None}
        try:
            return Settings.model_validate({**self.model_dump(), **given})
        except ValidationError as exc:
            raise ConfigError(describe(exc, prefix="--")) from None


def describe(exc: ValidationError, prefix: str = ENV_PREFIX) -> str:
    """A pydantic error as one line per bad setting, named as the user wrote it."""
    lines = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"])
        shown = f"{prefix}{name.upper()}" if prefix == ENV_PREFIX else f"{prefix}{name.replace('_', '-')}"
        lines.append(f"{shown}={error.get('input')!r}: {error['msg']}")
    return "bad setting: " + "; ".join(lines)


def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(describe(exc)) from None
