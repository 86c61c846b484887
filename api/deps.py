"""What route handlers share: the service, and the public base URL of every link they write."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import Request

from .service import Service
from .settings import ConfigError, Settings

# What a URL may hold (RFC 3986) but ? and #: anything else would break a Link header or an IRI.
_URL = re.compile(r"[A-Za-z0-9._~:/\[\]@!$&'()*+,;=%-]+")
# Listening on every address names no address a client can use: links then name the loopback.
_ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


async def get_service(request: Request) -> Service:
    # async: FastAPI runs a plain function dependency on its thread pool, a hop every request paid
    return request.app.state.service


def base_url(settings: Settings) -> str:
    """The service's public URL, without a trailing slash: EPKG_BASE_URL, else the listening address
    (``http://HOST:PORT``; 0.0.0.0 and :: as 127.0.0.1 and [::1]). Never the request's Host or
    X-Forwarded-*: a client must not choose the URLs others are sent, nor make the service build
    and keep a copy of the dumps per host it names. A bad EPKG_BASE_URL is a ConfigError."""
    if settings.base_url is not None:
        return check_base_url(settings.base_url)
    host = _ANY_ADDRESS.get(settings.host, settings.host)
    return f"http://[{host}]:{settings.port}" if ":" in host else f"http://{host}:{settings.port}"


def check_base_url(value: str, name: str = "EPKG_BASE_URL") -> str:
    """``value`` without its trailing slash if it is an absolute http(s) URL with a host and no user,
    query or fragment; else a ConfigError naming the setting."""
    try:
        parts = urlsplit(value)
        ok = bool(
            _URL.fullmatch(value)
            and parts.scheme in ("http", "https")
            and parts.hostname
            and parts.username is None
            and parts.port != 0  # reading the port checks it (a ValueError when out of range)
        )
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(
            f"{name}={value!r}: give the service's public URL, an absolute http or https URL without "
            "user, query or fragment, e.g. https://data.example.org/epkg"
        )
    return value.rstrip("/")


def public_base(request: Request) -> str:
    """``base_url`` of the app's settings (only those: nothing of the request is read)."""
    return base_url(request.app.state.service.settings)
