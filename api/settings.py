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
    """The project folder holding ontology/, data/, shapes/ and queries/."""

    @classmethod
    def from_env(cls) -> "Settings":
        home = Path(os.environ.get(f"{ENV_PREFIX}HOME", _default_home())).resolve()
        return cls(home=home)


def get_settings() -> Settings:
    return Settings.from_env()
