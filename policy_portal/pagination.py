"""Pagination for the read API: limit/offset, with a default page that holds a whole catalogue list."""
from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination


class CataloguePagination(LimitOffsetPagination):
    """{count, next, previous, results}; 100 by default, so the 52 clauses or 68 facts come in one page."""

    default_limit = 100
    max_limit = 1000


def get_paginated_response(*, pagination_class, serializer_class, queryset, request, view):
    """Paginate `queryset` (a QuerySet or list) and shape each row with `serializer_class`."""
    paginator = pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request})
    return paginator.get_paginated_response(serializer.data)
