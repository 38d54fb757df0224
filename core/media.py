"""Uploaded files as Django serves them in development (in production the web server does,
configured the same way: see README.md, "Running in production").

Uploads are raster images stored under random names (artists.models.upload_path): JPEG,
PNG or WebP. Anything else in MEDIA_ROOT is sent as a download, never shown: no HTML or
SVG from our origin can run scripts with our cookies. The sandbox policy stops scripts
even in a file a browser would render.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

SHOWN_TYPES = {"image/jpeg", "image/png", "image/webp"}
MEDIA_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve_media(request, path):
    """Serve one uploaded file: shown if it is a raster image, else as a download."""
    top = posixpath.normpath(path.lstrip("/")).split("/")[0]
    if top in settings.PRIVATE_MEDIA_DIRS:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type not in SHOWN_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    return response
