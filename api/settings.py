"""Configuration from environment variables, all prefixed ``EPKG_``.

One frozen object, read once; modules take a ``Settings`` rather than reading the
environment themselves, so tests can pass their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "EPKG_"


def _default_home() -> Path:
    # The package lives in <home>/api/; an editable install keeps it there.
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    home: Path
    """The project folder holding ontology/, data/, shapes/ and queries/ (EPKG_HOME)."""
    store: str = "oxigraph"
    """Where queries run: oxigraph or rdflib (in process) or remote (EPKG_STORE)."""
    endpoint: str | None = None
    """The SPARQL endpoint URL of the remote store (EPKG_ENDPOINT)."""
    timeout: float = 30.0
    """Seconds a remote query may take (EPKG_TIMEOUT)."""

    @classmethod
    def from_env(cls) -> Settings:
        env = lambda name, default=None: os.environ.get(ENV_PREFIX + name, default)
        return cls(
            home=Path(env("HOME", _default_home())).resolve(),
            store=env("STORE", "oxigraph"),
            endpoint=env("ENDPOINT"),
            timeout=float(env("TIMEOUT", "30")),
        )


def get_settings() -> Settings:
    return Settings.from_env()
