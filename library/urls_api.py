"""Catalogue API under /api/v1/: public reads, cached per rule version with ETag and Last-Modified."""
from django.urls import path

from . import apis
from .http import cached_api

urlpatterns = [
    path("clauses/", cached_api(apis.ClauseListApi.as_view()), name="api-clause-list"),
    path("clauses/<str:code>/", cached_api(apis.ClauseDetailApi.as_view()), name="api-clause-detail"),
    path("documents/", cached_api(apis.DocumentListApi.as_view()), name="api-document-list"),
    path("documents/<str:code>/", cached_api(apis.DocumentDetailApi.as_view()), name="api-document-detail"),
    path("bureaus/", cached_api(apis.BureauListApi.as_view()), name="api-bureau-list"),
    path("facts/", cached_api(apis.FactListApi.as_view()), name="api-fact-list"),
]
