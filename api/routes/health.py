"""``GET /health``: is the service up, and on what store. Never waits on a busy query worker.

On the remote backend it asks the store itself (``ASK {}``, at most 2 s, on a thread) and
answers 503 with the store's error when it does not answer.
"""

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from ..deps import get_service
from ..schemas import Health
from ..store import StoreError
from ..service import Service

router = APIRouter(tags=["service"])
PING_SECONDS = 2.0


EXAMPLE = {
    "status": "ok",
    "store": "pyoxigraph (in process, 20187 triples)",
    "backend": "oxigraph",
    "questions": 17,
    "uptime_seconds": 14.2,
    "cache": {"answers": 0, "hits": 0, "misses": 0},
    "query_workers": {
        "workers": 2,
        "per_client": 1,
        "waiting": 0,
        "network_lock": "seccomp: no sockets but Unix ones",
        "memory_cap_mb": 2048,
        "memory_at_start_mb": 61,
    },
}


@router.get(
    "/health",
    operation_id="health",
    summary="Whether the service is up, and on what store",
    description="The store and its size, the catalogue, the answer cache and the query workers (their "
    "limits, queue and network lock). Never waits for a query worker and is never refused for too many "
    "requests. On the remote backend it asks the store (ASK {}, at most 2 s): a 503 with the same fields, "
    "`status` 'store unavailable' and the store's error in `message`, when it does not answer.",
    responses={
        200: {"model": Health, "content": {"application/json": {"example": EXAMPLE}}},
        503: {
            "model": Health,
            "description": "The remote store does not answer (the remote backend only)",
            "content": {
                "application/json": {
                    "example": {
                        **EXAMPLE,
                        "backend": "remote",
                        "status": "store unavailable",
                        "message": "the SPARQL endpoint did not answer within 2 s",
                    }
                }
            },
        },
    },
)
async def health(service: Service = Depends(get_service)) -> JSONResponse:
    body = {
        "status": "ok",
        "store": service.store_description,
        "backend": service.settings.store,
        "questions": len(service.catalogue),
        "uptime_seconds": round(time.time() - service.started, 1),
        "cache": {"answers": len(service.cache), "hits": service.cache.hits, "misses": service.cache.misses},
        "query_workers": service.workers_status(),
    }
    if service.settings.store == "remote" and service.settings.endpoint:
        from ..remote import RemoteStore

        try:
            store = RemoteStore(service.settings.endpoint, timeout=PING_SECONDS)
            body["store_software"] = await asyncio.to_thread(store.ping)
        except StoreError as exc:
            return JSONResponse(
                {**body, "status": "store unavailable", "message": exc.message}, status_code=503
            )
    return JSONResponse(body)
