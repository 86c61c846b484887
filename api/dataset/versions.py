"""The dataset's version and release dates, read from CHANGELOG.md."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ProjectError
from ..graph import Project

CHANGELOG = "CHANGELOG.md"

_RELEASE = re.compile(r"^##\s+\[?(\d+\.\d+\.\d+)\]?\s+[-–—]\s+(\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Release:
    version: str
    issued: str  # the first release's date
    modified: str  # the latest release's date
    notes: str  # the latest release's text


def read_release(project: Project) -> Release:
    """The dataset's version and dates, from CHANGELOG.md (newest release first)."""
    path = project.home / CHANGELOG
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ProjectError(f"{path} is missing: it holds the dataset's version and release dates") from None
    releases = list(_RELEASE.finditer(text))
    if not releases:
        raise ProjectError(f"{path} has no release heading like '## 1.0.0 - 2026-12-02'")
    latest = releases[0]
    end = releases[1].start() if len(releases) > 1 else len(text)
    return Release(latest.group(1), releases[-1].group(2), latest.group(2), text[latest.end() : end].strip())
