"""What route handlers share: the service, and the request's wish for a time limit."""

from __future__ import annotations

from fastapi import Request

from .service import Service


def get_service(request: Request) -> Service:
    return request.app.state.service


def public_base(request: Request) -> str:
    """The URL this service is reached at, for links in answers (EPKG_BASE_URL or the request's)."""
    configured = request.app.state.service.settings.base_url
    return (configured or str(request.base_url)).rstrip("/")
