"""Third-party browser assets, taken from where their registry installed them, never from git.

- Swagger UI for ``/docs``: the files of the PyPI package ``fastapi-offline`` (a dependency),
  served at ``/static/swagger-ui/``.
- YASGUI for the SPARQL page: the npm package ``@zazuko/yasgui`` (package.json, installed by
  ``npm ci`` into ``node_modules/`` of the project folder, or ``EPKG_ASSETS``), served at
  ``/static/vendor/yasgui/``. It is optional: where it is missing, nothing is mounted and the
  SPARQL page is its plain form (no script tags that would 404).

Whether YASGUI is there is looked up once per folder and process, so the page and the mount
agree: run ``npm ci`` before ``epkg serve``.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .settings import Settings

SWAGGER_URL = "/static/swagger-ui"
YASGUI_URL = "/static/vendor/yasgui"
YASGUI_PACKAGE = Path("@zazuko") / "yasgui" / "build"  # the npm package's folder of built files
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")


def swagger_ui_dir() -> Path:
    """Swagger UI's files (swagger-ui-bundle.js, swagger-ui.css, favicon.png) as pip installed them."""
    return Path(str(importlib.resources.files("fastapi_offline") / "static"))


def assets_dir(settings: Settings) -> Path:
    return settings.assets or settings.home / "node_modules"


def yasgui_dir(settings: Settings) -> Path | None:
    """The folder of YASGUI's built files, or None when `npm ci` has not installed them."""
    return _complete(assets_dir(settings).resolve() / YASGUI_PACKAGE)


@cache
def _complete(folder: Path) -> Path | None:
    return folder if all((folder / name).is_file() for name in YASGUI_FILES) else None


def mount(app: FastAPI, settings: Settings) -> None:
    """Serves Swagger UI, and YASGUI where it is installed, under /static/ (before the catch-all)."""
    app.mount(SWAGGER_URL, StaticFiles(directory=swagger_ui_dir()), name="swagger-ui")
    yasgui = yasgui_dir(settings)
    if yasgui is not None:
        app.mount(YASGUI_URL, StaticFiles(directory=yasgui), name="yasgui")
