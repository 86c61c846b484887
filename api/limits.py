"""What a public endpoint needs around its routes: fair use, bounded answers, CORS, safe pages.

``install(app, settings)`` adds, from the outside in:

- CORS open to every origin for GET and POST, without credentials (Starlette's
  ``CORSMiddleware``): any web page may query the data, none may ride on a user's cookies;
- security headers: ``X-Content-Type-Options: nosniff`` on every answer; on HTML pages a
  Content-Security-Policy (scripts only from this site, none inline; styles from this site and
  inline, which the source and publication pages use; no frames), ``X-Frame-Options``,
  ``Referrer-Policy``; /docs runs the vendored Swagger UI (one inline script starts it);
- a tag naming what a request asks (``q=<question>`` or ``q=sha256:<12 hex>`` of a SPARQL
  query) for the request log line written by app.py;
- a per-client concurrency limit: a client address with ``settings.client_concurrency``
  requests in flight gets 429 with Retry-After for the next one (``/health`` is never refused);
  the address also names the client whose turn its queries take at the workers (admission.py);
- a response-size limit: an answer larger than ``settings.max_response_bytes`` is replaced by
  a 422 that says how large it was and how to ask for less. Never a silent cut: a client gets
  the whole answer or an error. The published files (dumps, named graphs) are exempt. The
  engine also stops writing a SPARQL answer at this size in the worker (store.py), so a huge
  answer never fills the worker's memory; this layer covers every other route.

The REST routes also page their answers (``limit``/``offset`` with ``total``, X-Total-Count),
so a long answer there is a flagged page, not a truncation.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from .admission import current_client
from .settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

QUERY_TAG = "epkg.query"  # the scope key app.py's request log reads
NEVER_LIMITED = ("/health",)
WHOLE_FILES = ("/dump", "/graph/", "/static/")  # published files, sent whole at any size
EXPOSED_HEADERS = ["X-Request-Id", "X-Total-Count", "X-Cache", "Retry-After", "Link"]
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
DOCS_CSP = (  # Swagger UI: its files vendored in api/static, one inline script to start it
    "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def error_response(status: int, title: str, message: str) -> tuple[dict[str, Any], bytes]:
    """The start message and body of an error, in the shape app.py's handlers use."""
    body = json.dumps({"status": status, "error": title, "message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 429:
        headers.append((b"retry-after", b"1"))
    return {"type": "http.response.start", "status": status, "headers": headers}, body


async def send_error(send: Send, status: int, title: str, message: str) -> None:
    start, body = error_response(status, title, message)
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})


class ClientConcurrencyLimit:
    """At most ``limit`` requests in flight per client address; the next gets 429 at once."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit
        self.in_flight: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in NEVER_LIMITED:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if self.in_flight.get(client, 0) >= self.limit:
            await send_error(
                send,
                429,
                "too many requests",
                f"this client already has {self.limit} requests in flight; wait for one to finish",
            )
            return
        self.in_flight[client] = self.in_flight.get(client, 0) + 1
        current_client.set(client)  # whose turn a query takes at the workers (admission.py)
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight[client] -= 1
            if not self.in_flight[client]:
                del self.in_flight[client]


class ResponseSizeLimit:
    """Answers larger than ``max_bytes`` become a 422 that says so; smaller ones pass unchanged."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(WHOLE_FILES):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        refused = False
        passing = False  # the declared length is within the limit: no need to hold the body

        async def refuse(total: str) -> None:
            nonlocal refused
            refused = True
            await send_error(
                send,
                422,
                "answer too large",
                f"the answer is {total} bytes, more than the {self.max_bytes:,} this service sends; "
                "ask for less (a LIMIT, fewer variables, a narrower pattern) or page it (LIMIT and OFFSET)",
            )

        async def guarded(message: Message) -> None:
            nonlocal start, size, passing
            if refused:
                return
            if message["type"] == "http.response.start":
                declared = dict(message.get("headers", [])).get(b"content-length")
                if declared is not None and declared.isdigit():
                    if int(declared) > self.max_bytes:
                        await refuse(f"{int(declared):,}")
                        return
                    passing = True
                    await send(message)
                    return
                start = message
                return
            if passing or message["type"] != "http.response.body":
                await send(message)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                chunks.clear()
                await refuse(f"more than {self.max_bytes:,}")
                return
            chunks.append(body)
            if not message.get("more_body", False):
                assert start is not None
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": False})

        await self.app(scope, receive, guarded)


class QueryTag:
    """Names what a request asks, for the log: the question, or a hash of the SPARQL text."""

    def __init__(self, app: ASGIApp, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        question = re.fullmatch(r"/api/queries/([A-Za-z0-9_-]+)", path)
        if question:
            scope[QUERY_TAG] = f"q={question.group(1)}"
        if path != "/sparql":
            await self.app(scope, receive, send)
            return
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if params.get("query"):
            scope[QUERY_TAG] = _hash_tag(params["query"][0])
            await self.app(scope, receive, send)
            return
        body: list[bytes] = []
        seen = 0
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").split(b";")[0].strip().lower()

        async def tee() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request" and seen <= self.max_body:
                chunk = message.get("body", b"")
                seen += len(chunk)
                body.append(chunk)
                if not message.get("more_body", False) and seen <= self.max_body:
                    scope[QUERY_TAG] = _body_tag(b"".join(body), content_type)
            return message

        await self.app(scope, tee, send)


def _hash_tag(text: str) -> str:
    return "q=sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _body_tag(body: bytes, content_type: bytes) -> str:
    text = body.decode("utf-8", "replace")
    if content_type == b"application/x-www-form-urlencoded":
        queries = parse_qs(text).get("query") or parse_qs(text).get("update") or [""]
        text = queries[0]
    return _hash_tag(text)


class SecurityHeaders:
    """``nosniff`` everywhere; a strict Content-Security-Policy and framing rules on HTML."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope["path"].startswith("/docs") else PAGE_CSP).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [(b"x-content-type-options", b"nosniff")]
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    extra += [
                        (b"content-security-policy", csp),
                        (b"x-frame-options", b"DENY"),
                        (b"referrer-policy", b"strict-origin-when-cross-origin"),
                    ]
                headers += [(name, value) for name, value in extra if name not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def install(app: FastAPI, settings: Settings) -> None:
    """Adds the limits and headers above to ``app`` (call before app.py's request log middleware)."""
    # add_middleware puts each new one outside the ones before it: innermost first.
    app.add_middleware(ResponseSizeLimit, max_bytes=settings.max_response_bytes)
    app.add_middleware(ClientConcurrencyLimit, limit=settings.client_concurrency)
    app.add_middleware(QueryTag, max_body=settings.max_query_bytes * 3 + 1024)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        allow_credentials=False,
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
