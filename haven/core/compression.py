"""Response compression: Django's GZipMiddleware, less what must not or need not be compressed."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

#: Content types that are compressed already (gzip would only cost CPU and add bytes).
PRECOMPRESSED = ("image/", "video/", "audio/")


class MediaAwareGZipMiddleware(GZipMiddleware):
    """Leaves byte ranges (206, Content-Range: compressing them would break what the range counts)
    and images, video and audio (SVG excepted) as they are; everything else as Django does."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").lower()
        if response.status_code == 206 or response.has_header("Content-Range"):
            return response
        if content_type.startswith(PRECOMPRESSED) and not content_type.startswith("image/svg"):
            return response
        return super().process_response(request, response)
