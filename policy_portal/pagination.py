"""Pagination for the read API: limit/offset, with a default page that holds a whole catalogue list."""
from __future__ import annotations

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """limit/offset that refuses what is not a whole number (400 naming the parameter) instead of ignoring it."""

    max_limit = 1000

    def _whole(self, request, name: str, default: int) -> int:
        values = request.query_params.getlist(name)
        if not values:
            return default
        if len(values) > 1 or not values[0].isdigit() or len(values[0]) > 9:
            raise serializers.ValidationError({name: ["A whole number, given once."]}, code="invalid")
        return int(values[0])

    def get_limit(self, request):
        limit = self._whole(request, self.limit_query_param, self.default_limit)
        return min(limit, self.max_limit) if limit > 0 else self.default_limit

    def get_offset(self, request):
        return self._whole(request, self.offset_query_param, 0)

    def get_schema_operation_parameters(self, view):
        """What `_whole` accepts, stated: whole numbers of at most nine digits."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update({"minimum": 0, "maximum": 999_999_999})
        return parameters


class CataloguePagination(Pagination):
    """{count, next, previous, results}; 100 by default, so the 52 clauses or 68 facts come in one page."""

    default_limit = 100
    max_limit = 1000


def get_paginated_response(*, pagination_class, serializer_class, queryset, request, view, context=None):
    """Paginate `queryset` (a QuerySet or list) and shape each row with `serializer_class` (given `context`, which
    holds the request)."""
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request, **(context or {})})
    return paginator.get_paginated_response(serializer.data)
