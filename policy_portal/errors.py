"""One shape for every API error: {code, message, field}, the message in the request's language."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from policy_portal.exceptions import DomainError
from policy_portal.messages import MESSAGES, render
from policy_portal.parsers import too_large

logger = logging.getLogger(__name__)


class ErrorSerializer(serializers.Serializer):
    """Every API error: a stable machine-readable code, a message in the request's language (Accept-Language;
    Chinese by default) and the input field at fault (or null)."""

    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)


def _first_error(detail, path=""):
    """The first (field path, ErrorDetail) in a DRF validation error tree."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = path if key == "non_field_errors" else (f"{path}.{key}" if path else str(key))
            return _first_error(value, name)
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], path)
    return path or None, detail


def error_body(code: str, message: str, field: str | None) -> dict:
    return {"code": code, "message": message, "field": field}


def _validation_body(exc: exceptions.ValidationError) -> dict:
    """The first invalid field, named: DRF's own sentence (translated by DRF) after the field's name."""
    field, detail = _first_error(exc.detail)
    code = getattr(detail, "code", None) or "invalid"
    text = str(detail)
    if field and not text.startswith(field):
        text = render("field_error", {"field": field, "detail": text})
    return error_body(code, text, field)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):  # raised by services: its status says what it means (400 … 409, 413, 503)
        if exc.log:
            view = context.get("view").__class__.__name__ if context.get("view") else "?"
            logger.error("%s in %s: %s", type(exc).__name__, view, exc, exc_info=exc)
        return Response(error_body(exc.code, exc.message, exc.field), status=exc.status)
    if isinstance(exc, RequestDataTooBig):  # raised by Django whenever request.body is read past the limit
        return api_exception_handler(too_large(), context)
    if isinstance(exc, SuspiciousOperation):  # too many fields, a malformed multipart body: bad input, not a 500
        exc = exceptions.ParseError(code="bad_request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        # Ours by code; the rest (405, 415) in DRF's words, which DRF translates.
        message = render(code) if code in MESSAGES else str(exc.detail)
        response.data = error_body(code, message, None)
    return response


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    """A path no view answers (an id that is not a number, say): JSON under /api/, the page elsewhere."""
    if _is_api(request):
        return JsonResponse(error_body("not_found", render("not_found"), None), status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    """Input Django refuses before any view (a SuspiciousOperation): JSON under /api/, the page elsewhere."""
    if _is_api(request):
        return JsonResponse(error_body("bad_request", render("bad_request"), None), status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    """An unexpected failure (logged by Django): JSON under /api/, the page elsewhere."""
    if _is_api(request):
        return JsonResponse(error_body("server_error", render("server_error"), None), status=500)
    return defaults.server_error(request)
