"""A strict Content-Security-Policy: scripts and styles only from our own origin, on every page
the Django admin included (its templates carry no inline script or style since Django 4.1;
tests/test_browser_admin_csp.py drives its scripts under the policy)."""

import gzip
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", POLICY)
        return response


def accepts_body(max_bytes: int) -> Callable:
    """Let a view take a request body of up to ``max_bytes`` (an upload) instead of
    ``settings.MAX_REQUEST_BYTES``; ``RequestBodyLimitMiddleware`` reads it from the view."""

    def mark(view: Callable) -> Callable:
        view.max_body_bytes = max_bytes
        return view

    return mark


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} KB"


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is larger than its view takes, before anything reads it.

    Django caps form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not files, and a view that
    checks a file's size has already received it. Here the declared ``Content-Length`` is
    compared with the view's limit (``accepts_body``, else ``MAX_REQUEST_BYTES``) in
    ``process_view``, which runs before the CSRF check reads the form: ``413`` and a page that
    says how much was sent and how much is taken. A body sent without a length (chunked) is not
    read by Django at all, so it cannot get past this either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        limit = getattr(view, "max_body_bytes", settings.MAX_REQUEST_BYTES)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = limit + 1  # a length that is not a number is not believed
        if length <= limit:
            return None
        return render(request, "413.html", {"sent": _megabytes(length),
                                            "limit": _megabytes(limit)}, status=413)


GZIP_LEVEL = 3


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's ``GZipMiddleware`` at gzip level 3 rather than 6: a page's compression was
    about a twelfth of the log form's server time (a bare page, too small to compress, pays
    none of it), and level 3 takes two thirds of level 6's time for responses about a tenth
    larger (the log form's first open: 3.0 KB rather than 2.8; docs/logging.md,
    "Performance"). The rest is Django's: the random padding against BREACH, the Vary header,
    streamed responses."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (response.streaming or len(response.content) < 200
                or response.has_header("Content-Encoding")
                or not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = _compress(response.content, self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(response.content))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response


def _compress(content: bytes, max_random_bytes: int) -> bytes:
    """``django.utils.text.compress_string(content, max_random_bytes=...)`` at
    ``GZIP_LEVEL``: the header names a file of 0 to ``max_random_bytes`` - 1 letters, at
    random, so that the size of a page says nothing exact about its content."""
    packed = memoryview(gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0))
    header = bytearray(packed[:10])
    header[3] = gzip.FNAME
    name = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    return bytes(header) + name + packed[10:]
