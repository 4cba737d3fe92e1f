"""Conditional GET for the public catalogue: answers cached per rule version, with ETag and Last-Modified.

The catalogue API answers the same bytes to everyone until a version is published, so a JSON answer
is rendered once per process, version and URL and served from memory; its ETag names the version
and the URL, so a client that revalidates (If-None-Match / If-Modified-Since) gets 304 and no body.
Pages are per visitor (signed in or not, language, CSRF cookie), so for them only the ETag and the
304 are per version: `page_etag` folds those in, and the view renders only when it must.
"""
from __future__ import annotations

import hashlib
from functools import wraps

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from rules import caching
from rules.selectors import current_version


def _etag(*parts: str) -> str:
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def _last_modified() -> float:
    return current_version().published_at.timestamp()


def _wants_json(request) -> bool:
    """The plain JSON answer (not DRF's browsable HTML page, not another ?format=)."""
    accept = request.META.get("HTTP_ACCEPT", "*/*")
    return "format" not in request.GET and "text/html" not in accept


def _headers(response, etag: str, last_modified: float):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, no_cache=True)  # may be stored, but revalidated before each use
    patch_vary_headers(response, ["Accept"])
    return response


def cached_api(view):
    """Wrap a read-only public API view (as_view()): JSON answers per version and URL, 304 on revalidation."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _wants_json(request):
            return view(request, *args, **kwargs)
        vkey = caching.version_key()
        if vkey is None:
            return view(request, *args, **kwargs)
        path = request.get_full_path()
        etag, modified = _etag(vkey, path), _last_modified()
        not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
        if not_modified is not None:
            return _headers(not_modified, etag, modified)
        key = ("api", path)
        entry = caching.lookup((vkey, *key))
        if entry is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200:
                return response
            entry = caching.store((vkey, *key), (response.content, response["Content-Type"]))
        body, content_type = entry
        return _headers(HttpResponse(body, content_type=content_type), etag, modified)

    return wrapped


def page_etag(request, vkey: str) -> str:
    """A page's ETag: the version, the URL, the language, who is signed in and the CSRF cookie its forms carry."""
    user = getattr(request, "user", None)
    who = str(user.pk) if user is not None and user.is_authenticated else "-"
    return _etag(vkey, request.get_full_path(), get_language() or "", who, request.COOKIES.get("csrftoken", ""))


def conditional_page(view):
    """A library page: 304 when the visitor's copy is still this version's, else the page with its ETag."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        vkey = caching.version_key() if request.method in ("GET", "HEAD") else None
        if vkey is None:
            return view(request, *args, **kwargs)
        etag, modified = page_etag(request, vkey), _last_modified()
        not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
        if not_modified is not None:
            return _headers(not_modified, etag, modified)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("ETag"):
            _headers(response, etag, modified)
            patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return wrapped
