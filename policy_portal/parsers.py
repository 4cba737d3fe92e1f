"""A JSON parser for anonymous input: bounded size and depth, strict numbers, errors as {code, message, field}.

DRF's own JSONParser reads the raw stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never
applies to it, and Python's json turns deep nesting into RecursionError. Here the body is
read through `HttpRequest.body` (which enforces the limit and raises RequestDataTooBig),
and every failure is a DomainError: parse_error, saying what is wrong, or too_large (413).
"""
from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.parsers import BaseParser

from .exceptions import DomainError, TooLarge
from .messages import Message

MAX_DEPTH = 32


class JsonInputError(DomainError):
    """Text that is not acceptable JSON input: parse_error, its `problem` a Message."""

    def __init__(self, problem: Message):
        super().__init__("parse_error", problem=problem)


def too_large() -> TooLarge:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 (the exception handler also turns Django's own into this)."""
    return TooLarge("too_large", limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


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
    """Parse UTF-8 JSON strictly (no NaN/Infinity, bounded nesting); raise JsonInputError saying what is wrong."""
    too_deep = JsonInputError(Message("json_too_deep", limit=max_depth))
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise too_deep from None
    except UnicodeDecodeError:
        raise JsonInputError(Message("json_not_utf8")) from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(Message("json_malformed", line=exc.lineno, column=exc.colno)) from None
    except ValueError:  # NaN/Infinity, integers too long to convert
        raise JsonInputError(Message("json_bad_constant")) from None
    if _depth_exceeds(value, max_depth):
        raise too_deep
    return value


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]._request
        try:
            raw = request.body
        except RequestDataTooBig:
            raise too_large() from None
        return load_json(raw)
