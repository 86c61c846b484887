"""Headless Debian Chromium for the browser tests (pages, editor, checkers): one launch pattern,
and one rule for a missing tool (a skip here, a failure in CI, where .ci/run installs it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("EPKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed (the browser and checker tests need it in CI)")
    pytest.skip(f"{what} is not installed")


def launch() -> Iterator:
    """Yields a Chromium browser, closed afterwards (no sandbox: the tests may run as root)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright (pip install playwright)")
    if not Path(CHROMIUM).is_file():
        missing("chromium (apt-get install chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield instance
        finally:
            instance.close()
