"""The framework-ceiling endpoint of the benchmarks: a fixed small JSON reply without database access."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

_PAYLOAD = {"ok": True, "items": [{"id": i, "title": "bench"} for i in range(3)], "next_cursor": None}


@require_GET
def ping(request: HttpRequest) -> JsonResponse:
    """Served only when HAVEN_BENCH_ENDPOINTS is on (see haven/web/urls.py and docs/scaling.md)."""
    return JsonResponse(_PAYLOAD)
