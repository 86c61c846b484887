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
from ..store import StoreError
from ..service import Service

router = APIRouter(tags=["service"])
PING_SECONDS = 2.0


@router.get("/health", operation_id="health", summary="Whether the service is up, and on what store")
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
