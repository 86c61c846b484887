"""``epkg serve``: the HTTP service (SPARQL endpoint, REST answers, dereferenceable IRIs)."""

from __future__ import annotations

import logging
import sys
import time

from ..service import startup_check
from ..settings import get_settings


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the graph over HTTP: /sparql, /api, /docs and every IRI (the main job)",
        description="Loads ontology and data into the store, checks them (SHACL and quotes; the result is "
        "remembered by content hash), and serves them. Options override the EPKG_* variables.",
    )
    parser.add_argument("--host", help="address to bind (EPKG_HOST; default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (EPKG_PORT; default 8000)")
    parser.add_argument("--workers", type=int, help="query worker processes (EPKG_WORKERS; default 2)")
    parser.add_argument(
        "--timeout", type=float, help="seconds before a query is stopped (EPKG_TIMEOUT; default 10)"
    )
    parser.add_argument(
        "--store", choices=("oxigraph", "rdflib", "remote"), help="EPKG_STORE; default oxigraph"
    )
    parser.add_argument(
        "--endpoint", help="a SPARQL endpoint URL to answer from (EPKG_ENDPOINT; implies --store remote)"
    )
    parser.add_argument("--skip-checks", action="store_true", help="serve without validating first")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    parser.set_defaults(func=run)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args) -> int:
    import uvicorn

    from ..app import create_app
    from ..connections import http_protocol
    from ..deps import base_url
    from ..graph import Project
    from ..service import Service

    started = time.perf_counter()
    settings = get_settings().with_overrides(
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout=args.timeout,
        store="remote" if args.endpoint else args.store,
        endpoint=args.endpoint,
    )
    base_url(settings)  # a bad EPKG_BASE_URL: exit 2 before anything starts
    project = Project.from_settings(settings)
    service = Service.open(settings, pool=True, wait=False)  # the workers load while we check
    if not args.skip_checks:
        check = startup_check(project)
        _say(f"graph: {check.summary()}; {check.warnings} completeness warnings (epkg validate lists them)")
        if not check.ok:
            _say(
                "epkg serve: the graph has violations or broken quotes; run `epkg validate` and "
                "`epkg check-quotes`, or pass --skip-checks"
            )
            service.close()
            return 1
    service.ready()
    # Our request log at the chosen level; libraries (pyLODE logs to the root logger) warnings only.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("epkg").setLevel(args.log_level.upper())
    app = create_app(settings, service)
    url = f"http://{settings.host}:{settings.port}"
    _say(
        f"store: {service.store_description}; {settings.workers} query workers, "
        f"queries stop after {settings.timeout:g} s"
    )
    workers = service.workers_status()
    _say(
        f"workers: {workers['memory_cap_mb']} MB each at most (EPKG_WORKER_MEMORY), one client holds "
        f"{workers['per_client']} at once (EPKG_CLIENT_WORKERS); network lock: {workers['network_lock']}"
    )
    if workers["network_lock"].startswith("none") and settings.store != "remote":
        _say("epkg serve: warning: the query workers could reach the network; only the guard stops SERVICE")
    _say(
        f"ready in {time.perf_counter() - started:.1f} s at {url}\n"
        f"  {url}/            the index\n  {url}/docs        the HTTP API (OpenAPI)\n"
        f"  {url}/sparql      the SPARQL endpoint\n  {url}/api/queries the question catalogue"
    )
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level=args.log_level,
            access_log=False,
            # Empty means no proxy is trusted, not uvicorn's fallback (127.0.0.1 or FORWARDED_ALLOW_IPS).
            proxy_headers=bool(settings.forwarded_allow_ips),
            forwarded_allow_ips=settings.forwarded_allow_ips,
            # A request head must arrive in time; idle keep-alive connections close (connections.py).
            http=http_protocol(settings.request_read_seconds),
            timeout_keep_alive=settings.keep_alive_seconds,  # type: ignore[arg-type]  # call_later takes a float
        )
    finally:
        service.close()
    return 0
