"""A JSON parser for anonymous input: bounded size and depth, strict numbers, errors as {code, message, field}.

DRF's own JSONParser reads the raw stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never
applies to it, and Python's json turns deep nesting into RecursionError. Here the body is
read through `HttpRequest.body` (which enforces the limit and raises RequestDataTooBig),
and every failure becomes an ApiError.
"""
from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.parsers import BaseParser


MAX_DEPTH = 32


class JsonInputError(ValueError):
    """Text that is not acceptable JSON input; `code` is parse_error."""

    code = "parse_error"


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON.")


def _depth_exceeds(value, limit: int) -> bool:
    """Whether containers nest deeper than `limit` (iterative, so it cannot itself recurse too deeply)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def load_json(raw: bytes | str, *, max_depth: int = MAX_DEPTH):
    """Parse UTF-8 JSON strictly (no NaN/Infinity, bounded nesting); raise JsonInputError with a readable message."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise JsonInputError(f"JSON nested too deeply (at most {max_depth} levels).") from None
    except UnicodeDecodeError:
        raise JsonInputError("The body is not valid UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"Malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None
    except ValueError as exc:  # NaN/Infinity, integers too long to convert
        raise JsonInputError(f"Malformed JSON: {exc}") from None
    if _depth_exceeds(value, max_depth):
        raise JsonInputError(f"JSON nested too deeply (at most {max_depth} levels).")
    return value


def too_large_error():
    # Imported here: policy_portal.errors imports DRF's views, whose settings import this module (a cycle at start).
    from .errors import ApiError

    return ApiError(
        "too_large",
        f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.",
        None,
        status_code=413,
    )


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]._request
        try:
            raw = request.body
        except RequestDataTooBig:
            raise too_large_error() from None
        try:
            return load_json(raw)
        except JsonInputError as exc:
            from .errors import ApiError

            raise ApiError(exc.code, str(exc), None) from None
