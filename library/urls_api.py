"""Catalogue API under /api/v1/."""
from django.urls import path

from . import apis

urlpatterns = [
    path("clauses/", apis.ClauseListApi.as_view(), name="api-clause-list"),
    path("clauses/<str:code>/", apis.ClauseDetailApi.as_view(), name="api-clause-detail"),
    path("documents/", apis.DocumentListApi.as_view(), name="api-document-list"),
    path("documents/<str:code>/", apis.DocumentDetailApi.as_view(), name="api-document-detail"),
    path("bureaus/", apis.BureauListApi.as_view(), name="api-bureau-list"),
    path("facts/", apis.FactListApi.as_view(), name="api-fact-list"),
]
