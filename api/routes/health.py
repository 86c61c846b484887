"""``GET /health``: is the service up, and on what store. Never waits on a busy query worker."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends

from ..deps import get_service
from ..service import Service

router = APIRouter(tags=["service"])


@router.get("/health", operation_id="health", summary="Whether the service is up, and on what store")
async def health(service: Service = Depends(get_service)) -> dict:
    return {
        "status": "ok",
        "store": service.store_description,
        "backend": service.settings.store,
        "questions": len(service.catalogue),
        "uptime_seconds": round(time.time() - service.started, 1),
        "cache": {"answers": len(service.cache), "hits": service.cache.hits, "misses": service.cache.misses},
    }
