"""One shape for every API error: {code, message, field}."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from policy_portal.exceptions import DomainError

logger = logging.getLogger(__name__)


class ErrorSerializer(serializers.Serializer):
    """Every API error: a stable machine-readable code, a message in the request's language (Accept-Language;
    Chinese by default) and the input field at fault (or null)."""

    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)


class ApiError(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, message: str, field: str | None = None, status_code: int | None = None):
        super().__init__(detail=message, code=code)
        self.error_code, self.message, self.field = code, message, field
        if status_code:
            self.status_code = status_code


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


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):  # raised by services: its status says what it means (400 … 409, 503)
        if exc.log:
            view = context.get("view").__class__.__name__ if context.get("view") else "?"
            logger.error("%s in %s: %s", type(exc).__name__, view, exc.detail, exc_info=exc)
        return Response(error_body(exc.code, exc.message, exc.field), status=exc.status)
    if isinstance(exc, ApiError):
        return Response(error_body(exc.error_code, exc.message, exc.field), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        # Raised by Django whenever request.body is read past DATA_UPLOAD_MAX_MEMORY_SIZE.
        return Response(error_body("too_large", str(exc), None), status=413)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, detail = _first_error(exc.detail)
        response.data = error_body(getattr(detail, "code", "invalid"), str(detail), field)
    elif isinstance(exc, exceptions.APIException):
        response.data = error_body(exc.get_codes() if isinstance(exc.get_codes(), str) else "error", str(exc.detail), None)
    return response
